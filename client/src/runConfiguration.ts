// From the user's settings to what runs a script: the `dtrace` launch configuration (debug) and
// the dtvm command line (run). Pure, so the mapping is tested without VS Code; the firings
// source setting uses the launch configuration's own attribute names.

/** `dtrace.firingsSource`: where probe firings come from when a script is run or debugged. */
export interface FiringsSourceSetting {
  trace?: string;
  workload?: string;
  seed?: number;
  command?: string;
  pid?: number;
}

export interface RunSettings {
  firingsSource: FiringsSourceSetting;
  /** `dtrace.options`: `-x` settings (`true` for an option without a value). */
  options: Record<string, string | number | boolean>;
  macroArguments: string[];
  /** `dtrace.flavour` (`auto` lets the script decide). */
  flavour: string;
  /** `dtrace.providerFiles`: provider files whose probes join the catalogue (dtvm --providers). */
  providerFiles?: string[];
}

export interface DTraceLaunchConfiguration {
  type: 'dtrace';
  request: 'launch';
  name: string;
  program: string;
  cwd?: string;
  trace?: string;
  workload?: string;
  seed?: number;
  command?: string;
  pid?: number;
  options?: Record<string, string | number | boolean>;
  macroArguments?: string[];
  flavour?: string;
  providerFiles?: string[];
  stopOnEntry?: boolean;
  /** Stop at the first firing that runs the clause on this 1-based line (the clause CodeLens). */
  stopAtLine?: number;
  noDebug?: boolean;
  text?: string;
}

function sourceOf(s: FiringsSourceSetting): FiringsSourceSetting {
  // One source, in the order the launch configuration documents them.
  if (s.trace) return { trace: s.trace };
  if (s.workload) return s.seed === undefined ? { workload: s.workload } : { workload: s.workload, seed: s.seed };
  if (s.command) return { command: s.command };
  if (s.pid !== undefined) return { pid: s.pid };
  return {};
}

export function launchConfigurationFor(program: string, cwd: string | undefined, settings: RunSettings, name: string): DTraceLaunchConfiguration {
  const config: DTraceLaunchConfiguration = { type: 'dtrace', request: 'launch', name, program, ...sourceOf(settings.firingsSource) };
  if (cwd !== undefined) config.cwd = cwd;
  if (Object.keys(settings.options).length > 0) config.options = { ...settings.options };
  if (settings.macroArguments.length > 0) config.macroArguments = [...settings.macroArguments];
  if (settings.flavour && settings.flavour !== 'auto') config.flavour = settings.flavour;
  if (settings.providerFiles && settings.providerFiles.length > 0) config.providerFiles = [...settings.providerFiles];
  return config;
}

/** The same run as dtvm arguments (`dtvm -s prog.d --trace t.ndjson -x k=v -- $1 $2`). */
export function dtvmArguments(config: DTraceLaunchConfiguration): string[] {
  const args = ['-s', config.program];
  if (config.trace) args.push('--trace', config.trace);
  else if (config.workload) {
    args.push('--workload', config.workload);
    if (config.seed !== undefined) args.push('--seed', String(config.seed));
  } else if (config.command) args.push('-c', config.command);
  else if (config.pid !== undefined) args.push('-p', String(config.pid));
  for (const [name, value] of Object.entries(config.options ?? {})) {
    if (value === false) continue;
    args.push('-x', value === true ? name : `${name}=${value}`);
  }
  if (config.flavour && config.flavour !== 'auto') args.push('--flavour', config.flavour);
  for (const file of config.providerFiles ?? []) args.push('--providers', file);
  if (config.macroArguments && config.macroArguments.length > 0) args.push('--', ...config.macroArguments);
  return args;
}

/** A one-line description of the source for messages ("trace traces/reads.ndjson"). */
export function describeSource(config: DTraceLaunchConfiguration): string {
  if (config.trace) return `trace ${config.trace}`;
  if (config.workload) return `workload ${config.workload}${config.seed !== undefined ? ` (seed ${config.seed})` : ''}`;
  if (config.command) return `command ${config.command}`;
  if (config.pid !== undefined) return `process ${config.pid}`;
  return 'no firings source (BEGIN, END and tick probes only)';
}
