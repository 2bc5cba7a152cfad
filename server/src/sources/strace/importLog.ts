// An existing `strace -f -ttt -T` log as a probe source: the converter live capture uses, over
// the file's lines. Streams (bounded memory whatever the log's size); gzip-compressed logs are
// recognised by their first two bytes.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { TraceHeader, TraceRecord } from '../../trace/index.ts';
import type { FiringSource } from '../source.ts';
import { StraceConverter, StraceLogError } from './converter.ts';
import { captureProbes } from './probes.ts';

export interface ImportOptions {
  /** The name used in messages (default: the path). */
  readonly name?: string;
  /** CPUs of the machine the log came from (strace does not say): firings go to CPU tid % ncpus. Default 1. */
  readonly ncpus?: number;
  /**
   * pid of lines without a pid column (strace without -f, or strace -f writing to stderr, which
   * leaves its first process's lines unmarked until a second one appears). Default: what the
   * log reveals (that process's getpid(), or the pid that resumes its unfinished call), else 1.
   */
  readonly defaultPid?: number;
  /** uid and gid of the traced processes (strace does not print them). Default 0. */
  readonly uid?: number;
  readonly gid?: number;
}

export interface StraceLogSource extends FiringSource {
  /** The first process the log shows (the command strace ran, or the first attached). */
  readonly targetPid: number | undefined;
  /** Calls the log names that the Linux syscall catalogue lacks, with how many lines each. */
  readonly unknownCalls: ReadonlyMap<string, number>;
}

export async function importStraceLog(file: string, options: ImportOptions = {}): Promise<StraceLogSource> {
  const name = options.name ?? file;
  const gzip = await startsWithGzipMagic(file);
  const defaultPid = options.defaultPid ?? (await pidOfUnprefixedLines(file, gzip)) ?? 1;
  const stream = createReadStream(file);
  const text = gzip ? stream.pipe(createGunzip()) : stream;
  text.setEncoding('latin1');
  const lines = createInterface({ input: text, crlfDelay: Infinity })[Symbol.asyncIterator]();
  const ncpus = options.ncpus ?? 1;
  const converter = new StraceConverter({
    file: name,
    ncpus,
    defaultPid,
    uid: options.uid ?? 0,
    gid: options.gid ?? 0,
  });
  let lineNumber = 0;
  let targetPid: number | undefined;

  // The header's start time is the first line's: read up to it now.
  const early: TraceRecord[] = [];
  while (converter.firstTime === undefined) {
    const next = await lines.next();
    if (next.done === true) break;
    lineNumber++;
    converter.feed(next.value, lineNumber);
    targetPid ??= firstPid(next.value, defaultPid);
  }
  if (converter.firstTime === undefined) {
    stream.destroy();
    throw new StraceLogError(name, Math.max(lineNumber, 1), 'the log has no strace lines');
  }
  early.push(...converter.take());

  const header: TraceHeader = {
    format: 'dtvm-trace',
    version: 1,
    platform: 'linux-x86_64',
    ncpus,
    timestamp: converter.firstTime,
    walltimestamp: converter.firstTime,
    probes: captureProbes().list,
    source: `strace log ${name}`,
  };
  let closed = false;
  return {
    header,
    targetPid,
    unknownCalls: converter.unknownCalls,
    async *records(): AsyncGenerator<TraceRecord> {
      yield* early.splice(0);
      while (!closed) {
        const next = await lines.next();
        if (next.done === true) break;
        lineNumber++;
        converter.feed(next.value, lineNumber);
        const ready = converter.take();
        for (const record of ready) yield record;
      }
      if (!closed) yield* converter.finish();
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      stream.destroy();
    },
  };
}

async function startsWithGzipMagic(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

function firstPid(line: string, fallback: number): number | undefined {
  if (line.trim() === '') return undefined;
  const m = /^(?:\[pid\s+)?(\d+)(?:<[^>]*>)?\]?\s+\d/.exec(line);
  return m === null ? fallback : Number(m[1]);
}

/** How many lines the first pass reads at most, looking for the unmarked process's pid. */
const PID_SCAN_LINES = 100_000;

/**
 * The pid of a log's lines without a pid column, when the log gives it away: a getpid() they
 * make, or a `[pid N] <... call resumed>` finishing the call they left unfinished.
 */
async function pidOfUnprefixedLines(file: string, gzip: boolean): Promise<number | undefined> {
  const stream = createReadStream(file);
  const text = gzip ? stream.pipe(createGunzip()) : stream;
  text.setEncoding('latin1');
  let unfinished: string | undefined;
  let unmarked = false;
  let count = 0;
  try {
    for await (const line of createInterface({ input: text, crlfDelay: Infinity })) {
      if (++count > PID_SCAN_LINES) return undefined;
      if (/^\d+\.\d+\s|^\d\d:\d\d:\d\d/.test(line)) {
        unmarked = true;
        const pid = /\sgetpid\(\)\s*=\s*(\d+)/.exec(line);
        if (pid !== null) return Number(pid[1]);
        unfinished = /\s([A-Za-z_]\w*)\(.*<unfinished \.\.\.>\s*$/.exec(line)?.[1] ?? unfinished;
        continue;
      }
      // Every line has its pid (strace -o with -f): nothing to look for.
      if (!unmarked && /^(?:\d+|\[pid\s+\d+\])(?:<[^>]*>)?\s/.test(line)) return undefined;
      const resumed = /^\[pid\s+(\d+)\]\s+\S+\s+<\.\.\. (\w+) resumed>/.exec(line);
      if (resumed !== null && resumed[2] === unfinished) return Number(resumed[1]);
    }
  } finally {
    stream.destroy();
  }
  return undefined;
}
