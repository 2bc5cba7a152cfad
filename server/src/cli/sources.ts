// Where dtvm's probe firings come from, chosen from the command line: a trace file (`--trace`),
// a command run under strace (`-c`), a process attached with strace (`-p`), a log strace
// wrote (`--strace-log`), a synthetic workload (`--workload`), or nothing (BEGIN, END and
// tick/profile probes only). `--record` copies any source's records to a trace file. Every
// source is a FiringSource, so the rest of the run does not care which one it got.
import { constants as osConstants } from 'node:os';
import type { Flavour } from '../analyze/flavour/flavours';
import type { FiringSource } from '../sources/source';
import { flavourOfPlatform } from '../sources/replay';
import { createRecording, recordingSource } from '../sources/recording';
import { openTraceFile, TraceFileSource } from '../sources/traceFile';
import { TraceFormatError } from '../trace/errors.ts';
import type { CliArguments } from './arguments';
import { openWorkload, WorkloadError, WorkloadOpenError } from '../sources/workload/index.ts';
import { errnoText } from '../consume/messages';
import { CaptureStartError, importStraceLog, openStraceCapture, StraceUnavailableError } from '../sources/strace/index.ts';

export type SourceKind = 'trace' | 'command' | 'attach' | 'workload' | 'strace-log';

export interface OpenedSource {
  kind: SourceKind;
  source: FiringSource;
  /** `$target`: the pid of `-c`'s command or `-p`'s process. */
  target?: number;
  /** The trace's system, when the source says (its platform). */
  flavour?: Flavour;
  /** Re-running it gives the same firings (a trace, a seeded workload): drop hints may re-simulate. */
  replayable: boolean;
  /** Skip mode: malformed records are skipped and counted. */
  skipBadRecords: boolean;
  /** The trace file, when the source is one (its statistics; `source` may be a recording tee around it). */
  trace?: TraceFileSource;
  /** Opens the same source again from its start (replayable sources): drop hints re-simulate with it. */
  reopen?: () => Promise<FiringSource>;
  /** strace sources: system calls the catalogue lacks (never fired), with how many times each was made. */
  unknownCalls?: ReadonlyMap<string, number>;
}

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
  let opened: OpenedSource;
  switch (kind) {
    case 'trace': {
      const path = args.trace!;
      try {
        const source = await openTraceFile(path, { skipBadRecords: args.skipBadRecords });
        const flavour = flavourOfPlatform(source.header.platform);
        opened = { kind, source, trace: source, replayable: path !== '-', skipBadRecords: args.skipBadRecords, ...(flavour !== undefined ? { flavour } : {}) };
        if (path !== '-') opened.reopen = () => openTraceFile(path, { skipBadRecords: args.skipBadRecords });
      } catch (e) {
        return { error: traceOpenError(path, e), status: 1 };
      }
      break;
    }
    case 'workload': {
      let source: FiringSource;
      try {
        source = await openWorkload(args.workload!, { ...(args.seed !== undefined ? { seed: args.seed } : {}) });
      } catch (e) {
        if (e instanceof WorkloadError) return { error: `${e.message}\n`, status: 1 };
        if (e instanceof WorkloadOpenError) return { error: `dtvm: failed to open workload ${e.file}: ${errnoText(e.cause)}\n`, status: 1 };
        throw e;
      }
      const flavour = flavourOfPlatform(source.header.platform);
      opened = { kind, source, replayable: true, skipBadRecords: false, ...(flavour !== undefined ? { flavour } : {}) };
      opened.reopen = () => openWorkload(args.workload!, { ...(args.seed !== undefined ? { seed: args.seed } : {}) });
      break;
    }
    case 'strace-log': {
      const path = args.straceLog!;
      try {
        const source = await importStraceLog(path);
        opened = { kind, source, replayable: true, skipBadRecords: false, flavour: 'linux', unknownCalls: source.unknownCalls, ...(source.targetPid !== undefined ? { target: source.targetPid } : {}) };
        opened.reopen = () => importStraceLog(path);
      } catch (e) {
        if (e instanceof TraceFormatError) return { error: `${e.message}\n`, status: 1 };
        return { error: `dtvm: failed to open strace log ${path}: ${errnoText(e)}\n`, status: 1 };
      }
      break;
    }
    case 'command':
    case 'attach': {
      try {
        const source = await openStraceCapture(kind === 'command' ? { command: args.command! } : { pid: Number(args.grab) });
        opened = { kind, source, replayable: false, skipBadRecords: false, flavour: 'linux', target: source.targetPid, unknownCalls: source.unknownCalls };
      } catch (e) {
        // strace missing (the message says how to install it), or it could not start or attach.
        // A pid that cannot be grabbed and a command that cannot run are dtrace's own messages; the rest are ours.
        if (e instanceof StraceUnavailableError || e instanceof CaptureStartError) {
          return { error: `${/^failed to (grab pid|execute) /.test(e.message) ? 'dtrace' : 'dtvm'}: ${e.message}\n`, status: 1 };
        }
        throw e;
      }
      break;
    }
  }
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

function traceOpenError(path: string, e: unknown): string {
  if (e instanceof TraceFormatError) return `${e.message}\n`;
  return `dtvm: failed to open trace ${path}: ${errnoText(e)}\n`;
}
