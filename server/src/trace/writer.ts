// Writing a trace (for recording, strace capture and synthetic workloads). The writer builds
// each record's JSON value and runs the reader's own checks on it before writing, so what it
// writes is exactly what the reader accepts; 64-bit values become numbers when exact and
// decimal strings beyond 2^53-1. Output is buffered and written with backpressure, so a
// generator awaiting each call runs in bounded memory.

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { finished, pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { RecordProblem, TraceFormatError, TraceWriteError } from './errors.ts';
import {
  TRACE_FORMAT_NAME,
  TRACE_FORMAT_VERSION,
  type TraceExec,
  type TraceExit,
  type TraceFiring,
  type TraceHeader,
  type TraceProbe,
} from './format.ts';
import { encodeInt64, isWord64, U64_MAX } from './int64.ts';
import { encodeMemoryBytes, TraceMemory, type MemoryValue } from './memory.ts';
import { checkEnd, checkExec, checkExit, checkFiring, checkHeader, type FiringContext } from './validate.ts';

/** A 64-bit value as a caller has it: a bigint, or a number that is a safe integer. */
export type Int64Input = bigint | number;

/** User memory to record: address -> bytes. A string stands for its UTF-8 bytes plus a NUL (a C string). */
export type MemoryInput = Iterable<readonly [Int64Input, Uint8Array | string]>;

export interface HeaderInput {
  readonly platform: string;
  readonly ncpus: number;
  readonly timestamp: Int64Input;
  readonly walltimestamp: Int64Input;
  readonly probes: readonly TraceProbe[];
  readonly source?: string;
  /** Extra header data; every key must start with `x-`. */
  readonly extensions?: Readonly<Record<string, unknown>>;
}

export interface FiringInput {
  readonly probe: number;
  readonly timestamp: Int64Input;
  readonly cpu: number;
  readonly pid: number;
  readonly tid: Int64Input;
  readonly ppid: number;
  readonly uid: number;
  readonly gid: number;
  readonly execname: string;
  readonly errno?: number;
  readonly args: readonly Int64Input[];
  /** A Map or entries of address -> bytes, or a reader's TraceMemory (copied as recorded). */
  readonly memory?: MemoryInput | TraceMemory | null;
}

export interface ExecInput {
  readonly timestamp: Int64Input;
  readonly pid: number;
  readonly ppid: number;
  readonly uid: number;
  readonly gid: number;
  readonly execname: string;
  readonly argv: readonly string[];
}

export interface ExitInput {
  readonly timestamp: Int64Input;
  readonly pid: number;
  readonly status: number;
}

export interface WriteOptions {
  /** Compress with gzip: true (level 6) or a level 1..9. Default false. */
  readonly gzip?: boolean | number;
}

const FLUSH_CHARS = 256 * 1024;

/** Creates the file (or takes over the stream, which `close` ends) and writes the header. */
export async function createTraceWriter(
  destination: string | NodeJS.WritableStream,
  header: HeaderInput,
  options: WriteOptions = {},
): Promise<TraceWriter> {
  const headerValue = headerJson(header); // checked before anything is created
  const sink = typeof destination === 'string' ? createWriteStream(destination) : destination;
  if (typeof destination === 'string') await once(sink, 'open');
  let target: NodeJS.WritableStream = sink;
  let done: Promise<void>;
  if (options.gzip !== undefined && options.gzip !== false) {
    const gzip = createGzip({ level: options.gzip === true ? 6 : options.gzip });
    target = gzip;
    done = pipeline(gzip, sink);
    done.catch(() => undefined); // surfaced by close()
  } else {
    done = finished(sink as NodeJS.WritableStream & NodeJS.EventEmitter).then(() => undefined);
    done.catch(() => undefined);
  }
  const writer = new TraceWriter(target, done, headerValue.header);
  await writer.writeLine(JSON.stringify(headerValue.json));
  return writer;
}

/** What to write to copy a header read back from a trace (a converter, a recording's tee). */
export function headerInputOf(h: TraceHeader): HeaderInput {
  return {
    platform: h.platform,
    ncpus: h.ncpus,
    timestamp: h.timestamp,
    walltimestamp: h.walltimestamp,
    probes: h.probes,
    ...(h.source !== undefined ? { source: h.source } : {}),
    ...(h.extensions !== undefined ? { extensions: h.extensions } : {}),
  };
}

export function headerJson(input: HeaderInput): { json: Record<string, unknown>; header: TraceHeader } {
  try {
    return checkedHeaderJson(input);
  } catch (error) {
    if (error instanceof RecordProblem) throw new TraceWriteError(`cannot write the header: ${error.message}`);
    throw error;
  }
}

function checkedHeaderJson(input: HeaderInput): { json: Record<string, unknown>; header: TraceHeader } {
  const json: Record<string, unknown> = {
    type: 'header',
    format: TRACE_FORMAT_NAME,
    version: TRACE_FORMAT_VERSION,
    platform: input.platform,
    ncpus: input.ncpus,
    timestamp: int64Json(input.timestamp, 'timestamp'),
    walltimestamp: int64Json(input.walltimestamp, 'walltimestamp'),
    ...(input.source !== undefined ? { source: input.source } : {}),
    probes: input.probes.map((p) => ({ provider: p.provider, module: p.module, function: p.function, name: p.name, args: [...p.args] })),
  };
  for (const [key, value] of Object.entries(input.extensions ?? {})) {
    if (!key.startsWith('x-')) throw new RecordProblem(`extension key "${key}" must start with "x-"`);
    json[key] = value;
  }
  return { json, header: checkHeader(json) };
}

/**
 * The JSON form of a 64-bit input. A bigint outside [-2^63, 2^64-1] is written as is, for the
 * checks to reject with the field's range; a fraction is left to them too. An integer number
 * beyond 2^53-1 is refused here: it was rounded before the writer saw it.
 */
function int64Json(value: Int64Input, name: string): unknown {
  if (typeof value === 'bigint') return isWord64(value) ? encodeInt64(value) : value.toString();
  if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
    const field = name.startsWith('arg') ? name : `field "${name}"`;
    throw new RecordProblem(`${field} is a number beyond 2^53-1, so it is already rounded: pass a bigint`);
  }
  return value;
}

export class TraceWriter {
  private readonly context: FiringContext;
  private buffered: string[] = [];
  private bufferedChars = 0;
  private line = 0; // lines written so far (the header is line 1)
  private lastTimestamp: bigint;
  private firingCount = 0;
  private eventCount = 0;
  private closed = false;

  /** @internal use createTraceWriter */
  constructor(
    private readonly target: NodeJS.WritableStream,
    private readonly done: Promise<void>,
    readonly header: TraceHeader,
  ) {
    this.context = { file: '<writer>', probes: header.probes, ncpus: header.ncpus };
    this.lastTimestamp = header.timestamp;
  }

  get firings(): number {
    return this.firingCount;
  }

  get events(): number {
    return this.eventCount;
  }

  async firing(input: FiringInput): Promise<void> {
    const line = this.line + 1;
    let value: unknown[] = [];
    const firing = this.check('a firing', () => {
      value = [
        input.probe,
        int64Json(input.timestamp, 'timestamp'),
        input.cpu,
        input.pid,
        int64Json(input.tid, 'tid'),
        input.ppid,
        input.uid,
        input.gid,
        input.execname,
        input.errno ?? 0,
        input.args.map((arg, i) => int64Json(arg, `arg${i}`)),
      ];
      if (input.memory !== undefined && input.memory !== null) value.push(memoryJson(input.memory));
      return checkFiring(value, line, this.context);
    });
    this.check('a firing', () => firing.memory?.segments()); // decode once: overlaps, bad base64
    this.advance('a firing', firing.timestamp);
    this.firingCount++;
    await this.writeLine(JSON.stringify(value));
  }

  async exec(input: ExecInput): Promise<void> {
    let json: Record<string, unknown> = {};
    const exec = this.check('an exec record', () => {
      json = {
        type: 'exec',
        timestamp: int64Json(input.timestamp, 'timestamp'),
        pid: input.pid,
        ppid: input.ppid,
        uid: input.uid,
        gid: input.gid,
        execname: input.execname,
        argv: [...input.argv],
      };
      return checkExec(json, this.line + 1);
    });
    this.advance('an exec record', exec.timestamp);
    this.eventCount++;
    await this.writeLine(JSON.stringify(json));
  }

  async exit(input: ExitInput): Promise<void> {
    let json: Record<string, unknown> = {};
    const exit = this.check('an exit record', () => {
      json = { type: 'exit', timestamp: int64Json(input.timestamp, 'timestamp'), pid: input.pid, status: input.status };
      return checkExit(json, this.line + 1);
    });
    this.advance('an exit record', exit.timestamp);
    this.eventCount++;
    await this.writeLine(JSON.stringify(json));
  }

  /** Writes a record as a reader returned it (copying or filtering a trace). */
  async record(record: TraceFiring | TraceExec | TraceExit): Promise<void> {
    if (record.kind === 'firing') return this.firing(record);
    if (record.kind === 'exec') return this.exec(record);
    return this.exit(record);
  }

  /**
   * Writes the end record (at `timestamp`, default the last record's) and closes the output,
   * resolving once every byte is written.
   */
  async close(end: { readonly timestamp?: Int64Input } = {}): Promise<void> {
    if (this.closed) throw new TraceWriteError('the trace writer is already closed');
    let json: Record<string, unknown> = {};
    const record = this.check('the end record', () => {
      json = {
        type: 'end',
        timestamp: end.timestamp === undefined ? encodeInt64(this.lastTimestamp) : int64Json(end.timestamp, 'timestamp'),
        firings: this.firingCount,
        events: this.eventCount,
      };
      return checkEnd(json, this.line + 1);
    });
    this.advance('the end record', record.timestamp);
    await this.writeLine(JSON.stringify(json));
    this.closed = true;
    await this.flush();
    this.target.end();
    await this.done;
  }

  /**
   * Ends the output without an end record, keeping what was written: the copy of a source that
   * failed reads as truncated, not as a complete trace.
   */
  async abandon(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.flush();
    this.target.end();
    await this.done;
  }

  /** @internal */
  async writeLine(text: string): Promise<void> {
    if (this.closed) throw new TraceWriteError('the trace writer is closed');
    this.buffered.push(text, '\n');
    this.bufferedChars += text.length + 1;
    this.line++;
    if (this.bufferedChars >= FLUSH_CHARS) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.buffered.length === 0) return;
    const text = this.buffered.join('');
    this.buffered = [];
    this.bufferedChars = 0;
    if (!this.target.write(text)) await once(this.target as NodeJS.WritableStream & NodeJS.EventEmitter, 'drain');
  }

  private check<T>(what: string, run: () => T): T {
    try {
      return run();
    } catch (error) {
      if (error instanceof RecordProblem || error instanceof TraceFormatError) {
        const reason = error instanceof TraceFormatError ? error.reason : error.message;
        throw new TraceWriteError(`cannot write ${what} as line ${this.line + 1}: ${reason}`);
      }
      throw error;
    }
  }

  private advance(what: string, timestamp: bigint): void {
    if (timestamp < this.lastTimestamp) {
      throw new TraceWriteError(
        `cannot write ${what} as line ${this.line + 1}: field "timestamp" is ${timestamp}, earlier than the previous record's ${this.lastTimestamp} (records must be in time order)`,
      );
    }
    this.lastTimestamp = timestamp;
  }
}

function memoryJson(memory: MemoryInput | TraceMemory): Record<string, MemoryValue> {
  if (memory instanceof TraceMemory) return { ...memory.raw };
  const json: Record<string, MemoryValue> = {};
  for (const [address, bytes] of memory) {
    const big = typeof address === 'bigint' ? address : Number.isSafeInteger(address) ? BigInt(address) : -1n;
    if (big < 0n || big > U64_MAX) throw new RecordProblem(`memory address ${address} must be an integer from 0 to 2^64-1`);
    const key = big.toString();
    if (key in json) throw new RecordProblem(`memory at address ${key} is given twice`);
    if (typeof bytes !== 'string' && bytes.length === 0) throw new RecordProblem(`memory at address ${key} is empty`);
    json[key] = typeof bytes === 'string' ? bytes : encodeMemoryBytes(bytes);
  }
  return json;
}
