// What may run, decided without VS Code (so the decisions are unit-tested): in an untrusted
// workspace nothing runs (no Run, no Debug, no live capture; the language server never runs cpp
// or any tool), and a live capture (`command`/`pid`) starts only after the user has seen the exact
// command line and said yes.
import type { DTraceLaunchConfiguration } from './runConfiguration';

export function untrustedMessage(): string {
  return 'DTrace: running or debugging a script needs a trusted workspace (Manage Workspace Trust).';
}

/** Why a run or debug session may not start, or undefined when it may. */
export function runRefusal(trusted: boolean): string | undefined {
  return trusted ? undefined : untrustedMessage();
}

/** The launch attributes that start a live capture with strace, or undefined for replayable sources. */
export function liveCapture(config: Pick<DTraceLaunchConfiguration, 'trace' | 'workload' | 'command' | 'pid'>): { command: string } | { pid: number } | undefined {
  // Conservative: any `command` or `pid` counts (the adapter refuses two sources anyway, and
  // accepts a pid written as a string).
  if (typeof config.command === 'string' && config.command !== '') return { command: config.command };
  if (config.pid !== undefined && config.pid !== null) return { pid: Number(config.pid) };
  return undefined;
}

/** A shell-quoted word (`'it''s'` style quoting only when needed). */
export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The exact command line shown before it runs (`dtvm -s x.d -c 'ls -l'`). */
export function commandLine(args: readonly string[]): string {
  return `dtvm ${args.map(shellQuote).join(' ')}`;
}

/**
 * The confirmation a live capture needs before it starts: what is run or attached to, and the
 * whole command line. undefined when the run needs none.
 */
export function liveCaptureConfirmation(config: DTraceLaunchConfiguration, args: readonly string[]): { message: string; detail: string; accept: string } | undefined {
  const live = liveCapture(config);
  if (live === undefined) return undefined;
  const what = 'command' in live ? `start \`${live.command}\` and capture its system calls with strace` : `attach strace to process ${live.pid} and capture its system calls`;
  return {
    message: `DTrace: ${what}?`,
    detail: `This runs, in ${config.cwd ?? 'the script\'s folder'}:\n${commandLine(args)}`,
    accept: 'Start Capture',
  };
}
