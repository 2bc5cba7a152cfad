// Where dtvm's probe firings come from, chosen from the command line: a trace file (`--trace`),
// a command run under strace (`-c`), a process attached with strace (`-p`), a log strace
// wrote (`--strace-log`), a synthetic workload (`--workload`), or nothing (BEGIN, END and
// tick/profile probes only). `--record` copies any source's records to a trace file. Every
// source is a FiringSource, so the rest of the run does not care which one it got.
import { constants as osConstants } from 'node:os';
import { createRecording, recordingSource } from '../sources/recording';
import { openFiringSource, type OpenedSource, type SourceKind, type SourceRequest } from '../sources/open';
import type { CliArguments } from './arguments';
import { errnoText } from '../consume/messages';

export type { OpenedSource, SourceKind };

/** Every source's flag, as the messages list them (the order of `requested`). */
const SOURCE_FLAGS = '--trace, --strace-log, --workload, -c or -p';

/** The sources the arguments name, at most one; their flags in the order a message lists them. */
function requested(args: CliArguments): { kind: SourceKind; flag: string }[] {
  const out: { kind: SourceKind; flag: string }[] = [];
  if (args.trace !== undefined) out.push({ kind: 'trace', flag: '--trace' });
  if (args.straceLog !== undefined) out.push({ kind: 'strace-log', flag: '--strace-log' });
  if (args.workload !== undefined) out.push({ kind: 'workload', flag: '--workload' });
  if (args.command !== undefined) out.push({ kind: 'command', flag: '-c' });
  if (args.grab !== undefined && !args.compileOnly && !args.list) out.push({ kind: 'attach', flag: '-p' });
  return out;
}

/**
 * Opens the source the arguments ask for: the source, undefined when they ask for none, or
 * the message (already `dtvm: ...`-prefixed, with its newline) and exit status of a failure.
 */
export async function openSource(args: CliArguments): Promise<OpenedSource | undefined | { error: string; status: number }> {
  const asked = requested(args);
  if (asked.length > 1) return { error: `dtvm: ${asked.map((a) => a.flag).join(' and ')} cannot be used together: give one source of firings\n`, status: 2 };
  if (args.seed !== undefined && args.workload === undefined) return { error: 'dtvm: --seed applies to --workload only\n', status: 2 };
  if (args.skipBadRecords && args.trace === undefined) return { error: 'dtvm: --skip-bad-records applies to --trace only\n', status: 2 };
  const kind = asked[0]?.kind;
  if (kind === undefined) {
    if (args.record !== undefined) return { error: `dtvm: --record needs a source of firings (${SOURCE_FLAGS})\n`, status: 2 };
    return undefined;
  }
  // Opening it is the engine's (sources/open.ts), shared with the debugger.
  const request: SourceRequest =
    kind === 'trace'
      ? { kind, file: args.trace!, skipBadRecords: args.skipBadRecords }
      : kind === 'workload'
        ? { kind, file: args.workload!, ...(args.seed !== undefined ? { seed: args.seed } : {}) }
        : kind === 'strace-log'
          ? { kind, file: args.straceLog! }
          : kind === 'command'
            ? { kind, command: args.command! }
            : { kind, pid: Number(args.grab) };
  const got = await openFiringSource(request);
  if ('error' in got) return got;
  let opened: OpenedSource = got;
  if (args.record !== undefined) {
    try {
      const recording = await createRecording(args.record, opened.source);
      opened = { ...opened, source: recordingSource(opened.source, recording), replayable: opened.replayable };
    } catch (e) {
      await opened.source.close();
      return { error: `dtvm: failed to create ${args.record}: ${errnoText(e)}\n`, status: 1 };
    }
  }
  return opened;
}

/**
 * The end-of-run report of a source read in skip mode: how many records it skipped, and,
 * when the run read it to its end (not when the script ended first), whether it was complete.
 */
export function skipReport(opened: OpenedSource, readToEnd: boolean): string {
  if (!opened.skipBadRecords) return '';
  let out = '';
  const skipped = opened.source.skipped ?? 0;
  if (skipped > 0) out += `dtvm: skipped ${skipped} malformed record${skipped === 1 ? '' : 's'}\n`;
  const inner = opened.trace;
  if (inner !== undefined && readToEnd && !inner.stats.complete) out += `dtvm: warning: ${inner.stats.errors.at(-1) ?? 'the trace is incomplete'}\n`;
  return out;
}

/** After an strace source: the calls it saw that no probe stands for (a catalogue gap, never silent). */
export function unknownCallsReport(opened: OpenedSource): string {
  const calls = [...(opened.unknownCalls ?? [])].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  if (calls.length === 0) return '';
  return `dtvm: warning: system calls the linux catalogue lacks were not fired: ${calls.map(([name, n]) => `${name} (${n})`).join(', ')}\n`;
}

/**
 * What dtrace(1) says when its -c or -p process is gone: `pid N terminated by SIGNAME`, `pid N
 * exited with status S` (not 0) or `pid N has exited`.
 */
export function processExitNotice(opened: OpenedSource): string {
  const status = (opened.source as { readonly targetStatus?: number }).targetStatus;
  const pid = opened.target ?? 0;
  if (status !== undefined && status < 0) return `dtrace: pid ${pid} terminated by ${signalName(-status)}\n`;
  if (status !== undefined && status !== 0) return `dtrace: pid ${pid} exited with status ${status}\n`;
  return `dtrace: pid ${pid} has exited\n`;
}

/** The signal's name on this (the capturing) system, as proc_signame gives it. */
function signalName(signal: number): string {
  for (const [name, number] of Object.entries(osConstants.signals)) if (number === signal) return name;
  return `SIG#${signal}`;
}
