// The `dtrace` launch configuration as a DAP client sends it (VS Code's launch.json, nvim-dap's
// configurations), checked and turned into the runtime's LaunchSpec. Mistakes come back as one
// sentence naming the attribute, because the client shows that text as the launch error.
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { FiringsSourceSpec, LaunchSpec } from '../runtime/api';

export interface DTraceLaunchArguments {
  /** The .d file to run. */
  program?: unknown;
  /** The editor's text of the script when it has unsaved changes. */
  text?: unknown;
  /** Firings source: a trace file to replay... */
  trace?: unknown;
  /** ...a synthetic workload file (with an optional seed)... */
  workload?: unknown;
  seed?: unknown;
  /** ...a command to start and capture live... */
  command?: unknown;
  /** ...or a running process to attach to. */
  pid?: unknown;
  /** `-x` settings: `["bufsize=8m", "quiet"]`, or an object `{ "bufsize": "8m", "quiet": true }`. */
  options?: unknown;
  quiet?: unknown;
  destructive?: unknown;
  macroArguments?: unknown;
  stopOnEntry?: unknown;
  /** Stop at the first firing that runs the clause (or statement) on this 1-based line. */
  stopAtLine?: unknown;
  flavour?: unknown;
  /** Provider files (dtvm --providers): probes of providers the catalogue lacks. */
  providerFiles?: unknown;
  /** Where relative paths resolve; the program's folder when absent. */
  cwd?: unknown;
  /** VS Code's "Run Without Debugging". */
  noDebug?: unknown;
}

export interface CheckedLaunch {
  spec: LaunchSpec;
  stopOnEntry: boolean;
  stopAtLine?: number;
  noDebug: boolean;
}

const FLAVOURS = ['freebsd', 'illumos', 'macos', 'linux', 'auto'];

export class LaunchArgumentError extends Error {}

function optionalString(args: DTraceLaunchArguments, name: keyof DTraceLaunchArguments): string | undefined {
  const v = args[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || v === '') throw new LaunchArgumentError(`'${name}' must be a non-empty string`);
  return v;
}

function optionalBoolean(args: DTraceLaunchArguments, name: keyof DTraceLaunchArguments): boolean {
  const v = args[name];
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') throw new LaunchArgumentError(`'${name}' must be true or false`);
  return v;
}

function optionList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) {
    return value.map((o) => {
      if (typeof o !== 'string' || o === '') throw new LaunchArgumentError(`'options' entries must be strings like "bufsize=8m"`);
      return o;
    });
  }
  if (typeof value === 'object') {
    const out: string[] = [];
    for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === true) out.push(name);
      else if (v === false) continue;
      else if (typeof v === 'string' || typeof v === 'number') out.push(`${name}=${v}`);
      else throw new LaunchArgumentError(`option '${name}' must be a string, a number or true`);
    }
    return out;
  }
  throw new LaunchArgumentError(`'options' must be a list like ["bufsize=8m"] or an object like {"bufsize": "8m"}`);
}

/** Checks the attributes and resolves relative paths against `cwd` or the program's folder. */
export function checkLaunchArguments(args: DTraceLaunchArguments): CheckedLaunch {
  const programArg = optionalString(args, 'program');
  if (programArg === undefined) throw new LaunchArgumentError(`'program' (the .d file to run) is missing`);
  const cwd = optionalString(args, 'cwd');
  const program = resolve(cwd ?? process.cwd(), programArg);
  const text = args.text === undefined || args.text === null ? undefined : args.text;
  if (text !== undefined && typeof text !== 'string') throw new LaunchArgumentError(`'text' must be a string`);
  if (text === undefined && !existsSync(program)) throw new LaunchArgumentError(`program '${program}' does not exist`);
  const base = cwd ?? dirname(program);
  const path = (p: string) => (isAbsolute(p) ? p : resolve(base, p));

  const trace = optionalString(args, 'trace');
  const workload = optionalString(args, 'workload');
  const command = optionalString(args, 'command');
  let pid: number | undefined;
  if (args.pid !== undefined && args.pid !== null) {
    const p = typeof args.pid === 'string' ? Number(args.pid) : args.pid;
    if (typeof p !== 'number' || !Number.isInteger(p) || p <= 0) throw new LaunchArgumentError(`'pid' must be a positive process id`);
    pid = p;
  }
  const given = [trace && 'trace', workload && 'workload', command && 'command', pid !== undefined && 'pid'].filter(Boolean);
  if (given.length > 1) throw new LaunchArgumentError(`give one firings source, not ${given.map((g) => `'${g}'`).join(' and ')}`);
  let source: FiringsSourceSpec = { kind: 'none' };
  if (trace) {
    if (!existsSync(path(trace))) throw new LaunchArgumentError(`trace '${path(trace)}' does not exist`);
    source = { kind: 'trace', file: path(trace) };
  } else if (workload) {
    if (!existsSync(path(workload))) throw new LaunchArgumentError(`workload '${path(workload)}' does not exist`);
    let seed: number | undefined;
    if (args.seed !== undefined && args.seed !== null) {
      if (typeof args.seed !== 'number' || !Number.isInteger(args.seed)) throw new LaunchArgumentError(`'seed' must be an integer`);
      seed = args.seed;
    }
    source = seed === undefined ? { kind: 'workload', file: path(workload) } : { kind: 'workload', file: path(workload), seed };
  } else if (command) {
    source = { kind: 'command', command };
  } else if (pid !== undefined) {
    source = { kind: 'attach', pid };
  } else if (args.seed !== undefined) {
    throw new LaunchArgumentError(`'seed' needs a 'workload'`);
  }

  const options = optionList(args.options);
  if (optionalBoolean(args, 'quiet') && !options.includes('quiet')) options.push('quiet');
  let macroArguments: string[] | undefined;
  if (args.macroArguments !== undefined && args.macroArguments !== null) {
    if (!Array.isArray(args.macroArguments)) throw new LaunchArgumentError(`'macroArguments' must be a list of strings`);
    macroArguments = args.macroArguments.map((a) => (typeof a === 'number' ? String(a) : a));
    if (macroArguments.some((a) => typeof a !== 'string')) throw new LaunchArgumentError(`'macroArguments' must be a list of strings`);
  }
  const flavour = optionalString(args, 'flavour');
  if (flavour !== undefined && !FLAVOURS.includes(flavour)) {
    throw new LaunchArgumentError(`'flavour' must be one of ${FLAVOURS.join(', ')}, not '${flavour}'`);
  }

  let providerFiles: string[] | undefined;
  if (args.providerFiles !== undefined && args.providerFiles !== null) {
    if (!Array.isArray(args.providerFiles) || args.providerFiles.some((f) => typeof f !== 'string')) throw new LaunchArgumentError(`'providerFiles' must be a list of file names`);
    providerFiles = (args.providerFiles as string[]).map(path);
  }

  const spec: LaunchSpec = { program, source };
  if (providerFiles !== undefined && providerFiles.length > 0) spec.providerFiles = providerFiles;
  if (text !== undefined) spec.text = text;
  if (options.length > 0) spec.options = options;
  if (optionalBoolean(args, 'destructive')) spec.destructive = true;
  if (macroArguments && macroArguments.length > 0) spec.macroArguments = macroArguments;
  if (flavour !== undefined && flavour !== 'auto') spec.flavour = flavour;
  const checked: CheckedLaunch = { spec, stopOnEntry: optionalBoolean(args, 'stopOnEntry'), noDebug: optionalBoolean(args, 'noDebug') };
  if (args.stopAtLine !== undefined && args.stopAtLine !== null) {
    if (typeof args.stopAtLine !== 'number' || !Number.isInteger(args.stopAtLine) || args.stopAtLine < 1) {
      throw new LaunchArgumentError(`'stopAtLine' must be a line number (1 or more)`);
    }
    checked.stopAtLine = args.stopAtLine;
  }
  return checked;
}
