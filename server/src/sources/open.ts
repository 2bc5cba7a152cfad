// Opening the probe source a run reads, one way for every face: dtvm's command line
// (cli/sources.ts) and the debugger (debug/runtime/sources.ts) ask for a trace file, a
// synthetic workload, a log strace wrote, a command run under strace or a process attached with
// strace, and get the source with what the run needs to know about it: `$target`, the system it
// was recorded on (the flavour), whether it can be read again. Failures come back as dtvm's
// message and exit status, never thrown. The user's provider files, and the check that a
// requested flavour matches the source's system, are shared here too.
import { readFileSync } from 'node:fs';
import { parseProviderFile, ProviderFileError, type ProviderDefinition } from '../analyze/catalogue';
import type { Flavour } from '../analyze/flavour/flavours';
import { errnoText } from '../consume/messages';
import { TraceFormatError } from '../trace/errors.ts';
import { flavourOfPlatform } from './replay';
import type { FiringSource } from './source';
import { CaptureStartError, importStraceLog, openStraceCapture, StraceUnavailableError } from './strace/index.ts';
import { openTraceFile, TraceFileSource } from './traceFile';
import { openWorkload, WorkloadError, WorkloadOpenError } from './workload/index.ts';

export type SourceKind = 'trace' | 'command' | 'attach' | 'workload' | 'strace-log';

export type SourceRequest =
  | { kind: 'trace'; file: string; skipBadRecords?: boolean }
  | { kind: 'workload'; file: string; seed?: number }
  | { kind: 'strace-log'; file: string }
  /** `stdio`: where the command's own output goes (the debugger: nowhere; dtvm: its terminal). */
  | { kind: 'command'; command: string; stdio?: 'inherit' | 'ignore' }
  | { kind: 'attach'; pid: number; stdio?: 'inherit' | 'ignore' };

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
  /** The trace file's path (not for standard input): a parallel replay's workers open it again. */
  path?: string;
  /** Opens the same source again from its start (replayable sources): drop hints re-simulate with it. */
  reopen?: () => Promise<FiringSource>;
  /** strace sources: system calls the catalogue lacks (never fired), with how many times each was made. */
  unknownCalls?: ReadonlyMap<string, number>;
}

/** Why a source could not be opened: dtvm's message (with its newline) and exit status. */
export interface SourceFailure {
  error: string;
  status: number;
}

/**
 * What dtvm prints (without the newline) when a source fails, opening or mid-run: a malformed
 * record, a bad workload, strace missing or unable to start; undefined for any other error.
 * A pid that cannot be grabbed and a command that cannot run are dtrace's own messages.
 */
export function sourceErrorText(e: unknown): string | undefined {
  if (e instanceof TraceFormatError || e instanceof WorkloadError) return e.message;
  if (e instanceof StraceUnavailableError || e instanceof CaptureStartError) return `${/^failed to (grab pid|execute) /.test(e.message) ? 'dtrace' : 'dtvm'}: ${e.message}`;
  return undefined;
}

/** Opens the source asked for, or says why it cannot be opened. */
export async function openFiringSource(req: SourceRequest): Promise<OpenedSource | SourceFailure> {
  switch (req.kind) {
    case 'trace': {
      const path = req.file;
      const skipBadRecords = req.skipBadRecords === true;
      try {
        const source = await openTraceFile(path, { skipBadRecords });
        const flavour = flavourOfPlatform(source.header.platform);
        const opened: OpenedSource = { kind: 'trace', source, trace: source, replayable: path !== '-', skipBadRecords, ...(flavour !== undefined ? { flavour } : {}) };
        if (path !== '-') {
          opened.path = path;
          opened.reopen = () => openTraceFile(path, { skipBadRecords });
        }
        return opened;
      } catch (e) {
        return { error: e instanceof TraceFormatError ? `${e.message}\n` : `dtvm: failed to open trace ${path}: ${errnoText(e)}\n`, status: 1 };
      }
    }
    case 'workload': {
      const options = req.seed !== undefined ? { seed: req.seed } : {};
      let source: FiringSource;
      try {
        source = await openWorkload(req.file, options);
      } catch (e) {
        if (e instanceof WorkloadError) return { error: `${sourceErrorText(e)}\n`, status: 1 };
        if (e instanceof WorkloadOpenError) return { error: `dtvm: failed to open workload ${e.file}: ${errnoText(e.cause)}\n`, status: 1 };
        throw e;
      }
      const flavour = flavourOfPlatform(source.header.platform);
      return { kind: 'workload', source, replayable: true, skipBadRecords: false, ...(flavour !== undefined ? { flavour } : {}), reopen: () => openWorkload(req.file, options) };
    }
    case 'strace-log': {
      const path = req.file;
      try {
        const source = await importStraceLog(path);
        return {
          kind: 'strace-log',
          source,
          replayable: true,
          skipBadRecords: false,
          flavour: 'linux',
          unknownCalls: source.unknownCalls,
          ...(source.targetPid !== undefined ? { target: source.targetPid } : {}),
          reopen: () => importStraceLog(path),
        };
      } catch (e) {
        if (e instanceof TraceFormatError) return { error: `${e.message}\n`, status: 1 };
        return { error: `dtvm: failed to open strace log ${path}: ${errnoText(e)}\n`, status: 1 };
      }
    }
    case 'command':
    case 'attach': {
      try {
        const stdio = req.stdio !== undefined ? { stdio: req.stdio } : {};
        const source = await openStraceCapture(req.kind === 'command' ? { command: req.command, ...stdio } : { pid: req.pid, ...stdio });
        return { kind: req.kind, source, replayable: false, skipBadRecords: false, flavour: 'linux', target: source.targetPid, unknownCalls: source.unknownCalls };
      } catch (e) {
        // strace missing (the message says how to install it), or it could not start or attach.
        if (e instanceof StraceUnavailableError || e instanceof CaptureStartError) return { error: `${sourceErrorText(e)}\n`, status: 1 };
        throw e;
      }
    }
  }
}

/**
 * The source's system decides the flavour: a different one asked for is a mistake. What the
 * asked flavour does not match (`the trace, recorded on linux-x86_64 (flavour linux)`), or
 * undefined when it matches (or none, or `auto`, was asked for).
 */
export function flavourConflict(opened: OpenedSource, requested: string | undefined): string | undefined {
  if (opened.flavour === undefined || requested === undefined || requested === 'auto' || requested === opened.flavour) return undefined;
  if (opened.kind === 'workload') return `the workload's "flavour" (${opened.flavour})`;
  if (opened.kind === 'trace') return `the trace, recorded on ${opened.source.header.platform} (flavour ${opened.flavour})`;
  return `strace's system calls, of ${opened.flavour}`;
}

/** The user's provider files (`--providers`, `providerFiles`), or dtvm's message for the first that cannot be read. */
export function readProviderFiles(files: readonly string[]): { providers: ProviderDefinition[] } | SourceFailure {
  const providers: ProviderDefinition[] = [];
  for (const file of files) {
    try {
      providers.push(...parseProviderFile(readFileSync(file, 'utf8'), file));
    } catch (e) {
      if (e instanceof ProviderFileError) return { error: e.problems.map((p) => `dtvm: ${p.file}: ${p.path}: ${p.message}\n`).join(''), status: 1 };
      return { error: `dtvm: failed to open ${file}: ${errnoText(e)}\n`, status: 1 };
    }
  }
  return { providers };
}
