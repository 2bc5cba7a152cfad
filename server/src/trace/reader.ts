// Reading a trace: `openTrace` reads and checks the header, then the reader is an async
// iterator over the remaining records, holding one chunk of lines at a time (bounded memory
// whatever the trace's size). Errors are `file:line: what is wrong`; with `onError: 'skip'`
// bad records are counted and dropped instead.

import { RecordProblem, TraceFormatError } from './errors.ts';
import { DEFAULT_MAX_LINE_BYTES, type TraceEnd, type TraceHeader, type TraceRecord } from './format.ts';
import { RecordColumns, scanFiringBytes as scanBytes } from './columns.ts';
import { BINARY_MAGIC, BINARY_VERSION, isBinaryTrace, readBinaryPreamble, scanBinaryRecords, type BinaryState } from './binary.ts';
import { createReadStream } from 'node:fs';
import { decompressedChunks, lineText, readLineBatches, type LineBatch, type LineOptions, type TraceSource } from './lines.ts';
import { parseFiringLine as scanFiringLine, timeKey as firingTimeKey } from './scan.ts';
import {
  checkEnd,
  checkExec,
  checkExit,
  checkHeader,
  isPlainObject,
  objectRecordType,
  parseJson,
  type FiringContext,
} from './validate.ts';

export type { TraceSource } from './lines.ts';

// Hot-path functions held in local constants: when modules are compiled to CommonJS (tsx,
// the test runner), every use of an imported name is a property read through a getter.
const parseFiringLine = scanFiringLine;
const timeKey = firingTimeKey;
const scanFiringBytes = scanBytes;
const OPEN_BRACKET = 0x5b;

export interface ReadOptions {
  /** The file name in messages; default: the path as given, or `<stream>`. */
  readonly name?: string;
  /** 'throw' (default): the first bad record ends reading with a TraceFormatError. 'skip': count it, drop it, go on. */
  readonly onError?: 'throw' | 'skip';
  /** Longest line accepted (default 64 MiB): a bound on memory, not a format limit. */
  readonly maxLineBytes?: number;
  /** In skip mode, how many messages `stats.errors` keeps (default 100); `stats.skipped` counts all. */
  readonly maxReportedErrors?: number;
}

export interface TraceStats {
  /** Lines read so far. */
  lines: number;
  /** Valid firings and process events read so far. */
  firings: number;
  events: number;
  /** Skip mode: records dropped as bad (including lines that were not UTF-8 or too long). */
  skipped: number;
  /** Skip mode: the first problems, as `file:line: ...` (bad records, and trace-level ones such as a missing end record). */
  readonly errors: string[];
  /** The end record, once read. */
  end: TraceEnd | undefined;
  /** True once the end record was read and its counts matched. */
  complete: boolean;
}

/**
 * A byte range of a plain (not gzip) trace file, read on its own by a worker of a parallel
 * replay (trace/split.ts finds the ranges): it starts at a record and ends at one or at the end
 * of the file, and carries what reading the records before it would have left behind.
 */
export interface TraceRange {
  readonly start: number;
  readonly end: number;
  /** The number of the range's first record (its NDJSON line; the binary form's record number); a later NDJSON range's is not known and counts from 1 (split.ts). */
  readonly firstLine: number;
  /** The timestamp of the record just before the range (the header's for the first range). */
  readonly previous: bigint;
  /** The binary form: the decoder's state at `start` (string table, previous timestamp, record number). */
  readonly binary?: BinaryState;
  /** The range ends the file: only there is a missing end record an error. */
  readonly last: boolean;
}

/**
 * Reads a range of a trace file whose header is already known. The end record's counts are
 * not checked here (a range holds only some of the firings): the caller adds up every range's
 * `stats` and compares them with `stats.end`.
 */
export function openTraceRange(path: string, header: TraceHeader, range: TraceRange, options: ReadOptions = {}): TraceReader {
  const reader = new TraceReader(path, options.name ?? path, options, range);
  reader.startRange(header, range);
  return reader;
}

/** A file's bytes in [start, end), as read (a range starts inside the file: no gzip sniffing). */
async function* rangeChunks(path: string, range: TraceRange): AsyncGenerator<Buffer> {
  if (range.end <= range.start) return;
  yield* createReadStream(path, { start: range.start, end: range.end - 1, highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>;
}

/** Opens a trace and reads its header (always strict: without a valid header nothing can be read). */
export async function openTrace(source: TraceSource, options: ReadOptions = {}): Promise<TraceReader> {
  const file = options.name ?? (typeof source === 'string' ? source : '<stream>');
  const reader = new TraceReader(source, file, options);
  await reader.readHeader();
  return reader;
}

export class TraceReader implements AsyncIterable<TraceRecord> {
  readonly file: string;
  readonly stats: TraceStats = { lines: 0, firings: 0, events: 0, skipped: 0, errors: [], end: undefined, complete: false };
  private headerRecord: TraceHeader | undefined;
  private context: FiringContext | undefined;
  private readonly skip: boolean;
  private readonly maxReportedErrors: number;
  private readonly chunkSource: AsyncGenerator<Buffer>;
  private readonly lineOptions: LineOptions;
  private batchSource: AsyncGenerator<LineBatch> | undefined;
  private pending: LineBatch | undefined; // the rest of the batch the header came in
  private pendingFrom = 0;
  private started = false;
  private lastTimestamp: bigint | number = 0n;
  private ended = false;
  /** The binary form: its decoder's state, and the bytes read but not yet decoded. */
  private binary: BinaryState | undefined;
  private carry: Buffer = Buffer.alloc(0);
  private columns: RecordColumns | undefined;
  private exhausted = false;
  /** Reading one range of the file (openTraceRange). */
  private readonly range: TraceRange | undefined;

  /** @internal use openTrace */
  constructor(source: TraceSource, file: string, options: ReadOptions, range?: TraceRange) {
    this.file = file;
    this.skip = options.onError === 'skip';
    this.maxReportedErrors = options.maxReportedErrors ?? 100;
    this.range = range;
    this.chunkSource = range !== undefined && typeof source === 'string' ? rangeChunks(source, range) : decompressedChunks(source);
    this.lineOptions = {
      file,
      maxLineBytes: options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
      onBadLine: (line, reason) => {
        // Line 1 is the header, which is never skipped.
        if (!this.skip || line === 1) throw new TraceFormatError(file, line, reason);
        this.report(line, reason);
      },
    };
  }

  /** Whether the trace is in the binary form (else NDJSON). */
  get isBinary(): boolean {
    return this.binary !== undefined;
  }

  get header(): TraceHeader {
    if (this.headerRecord === undefined) throw new Error('trace reader: the header has not been read (use openTrace)');
    return this.headerRecord;
  }

  /** @internal */
  async readHeader(): Promise<void> {
    // The first bytes tell the binary form from text.
    const head: Buffer[] = [];
    let headBytes = 0;
    try {
      while (headBytes < BINARY_MAGIC.length) {
        const next = await this.chunkSource.next();
        if (next.done) {
          this.exhausted = true;
          break;
        }
        head.push(next.value);
        headBytes += next.value.length;
      }
    } catch (error) {
      await this.close();
      throw this.streamError(error, 1);
    }
    const first = head.length === 1 ? head[0]! : Buffer.concat(head);
    if (isBinaryTrace(first)) {
      this.carry = first;
      await this.readBinaryHeader();
      return;
    }
    const chunks = this.chunkSource;
    const exhausted = this.exhausted;
    this.batchSource = readLineBatches(
      (async function* () {
        if (first.length > 0) yield first;
        if (!exhausted) yield* chunks;
      })(),
      this.lineOptions,
    );
    let batch: IteratorResult<LineBatch>;
    try {
      batch = await this.batchSource.next();
    } catch (error) {
      await this.close();
      throw error;
    }
    if (batch.done) throw new TraceFormatError(this.file, 1, 'the trace is empty (a header record must come first)');
    const line = batch.value.first;
    const text = lineText(batch.value, 0); // line 1 is never dropped: bad lines before the header throw
    try {
      const value = parseJson(text);
      if (!isPlainObject(value) || value.type !== 'header') {
        throw new RecordProblem(
          `the first record must be the header (found ${Array.isArray(value) ? 'a firing' : isPlainObject(value) ? describeObject(value) : 'a value that is not a record'})`,
        );
      }
      this.headerRecord = checkHeader(value);
    } catch (error) {
      await this.close();
      if (error instanceof RecordProblem) throw new TraceFormatError(this.file, line, error.message);
      throw error;
    }
    this.context = { file: this.file, probes: this.headerRecord.probes, ncpus: this.headerRecord.ncpus };
    this.lastTimestamp = this.headerRecord.timestamp;
    this.stats.lines = line;
    this.pending = batch.value;
    this.pendingFrom = 1;
  }

  /** @internal openTraceRange: the state at the range's start instead of a header read. */
  startRange(header: TraceHeader, range: TraceRange): void {
    this.headerRecord = header;
    this.context = { file: this.file, probes: header.probes, ncpus: header.ncpus };
    this.lastTimestamp = range.previous;
    this.stats.lines = range.firstLine - 1;
    if (range.binary !== undefined) this.binary = { ...range.binary, strings: [...range.binary.strings] };
    else this.batchSource = readLineBatches(this.chunkSource, { ...this.lineOptions, firstLine: range.firstLine });
  }

  /** Whether a missing end record is this reader's error (not for a range before the file's last). */
  private get endExpected(): boolean {
    return this.range === undefined || this.range.last;
  }

  /** The binary form's preamble: magic, version, the header's JSON text (record 1). */
  private async readBinaryHeader(): Promise<void> {
    try {
      let preamble = readBinaryPreamble(this.carry);
      while (preamble === undefined) {
        const next = this.exhausted ? undefined : await this.chunkSource.next();
        if (next === undefined || next.done) throw new TraceFormatError(this.file, 1, 'the trace ends inside its header (it is truncated)');
        this.carry = Buffer.concat([this.carry, next.value]);
        preamble = readBinaryPreamble(this.carry);
      }
      if (preamble.version !== BINARY_VERSION) {
        throw new TraceFormatError(this.file, 1, `unsupported binary format version ${preamble.version} (this reader reads version ${BINARY_VERSION})`);
      }
      try {
        const value = parseJson(preamble.headerText);
        if (!isPlainObject(value) || value.type !== 'header') throw new RecordProblem('the first record must be the header');
        this.headerRecord = checkHeader(value);
      } catch (error) {
        if (error instanceof RecordProblem) throw new TraceFormatError(this.file, 1, error.message);
        throw error;
      }
      this.carry = this.carry.subarray(preamble.next);
    } catch (error) {
      await this.close();
      throw this.streamError(error, 1);
    }
    const header = this.headerRecord;
    this.context = { file: this.file, probes: header.probes, ncpus: header.ncpus };
    this.lastTimestamp = header.timestamp;
    this.stats.lines = 1;
    const t = header.timestamp;
    const safe = t <= BigInt(Number.MAX_SAFE_INTEGER);
    this.binary = { strings: [], time: safe ? Number(t) : NaN, bigTime: safe ? undefined : t, line: 1, firings: 0, ended: false };
  }

  /** A corrupt or cut gzip stream as a format error at `line`; other errors as they are. */
  private streamError(error: unknown, line: number): unknown {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('Z_')) {
      return new TraceFormatError(this.file, line, `the gzip data is corrupt or truncated (${(error as Error).message})`);
    }
    return error;
  }

  /** The binary form's records, one RecordColumns per chunk read (or per 4096 records). */
  private async *binaryColumns(): AsyncGenerator<RecordColumns> {
    const state = this.binary!;
    const context = this.context!;
    const parseText = (text: string, line: number): TraceRecord => {
      this.stats.firings = state.firings;
      this.lastTimestamp = state.bigTime ?? state.time;
      return this.parseRecord(text, line);
    };
    const bad = (line: number, reason: string): void => this.bad(line, reason);
    let carry = this.carry;
    this.carry = Buffer.alloc(0);
    for (;;) {
      while (carry.length > 0) {
        const out = this.columnsFor(carry, 4096, true);
        const stop = scanBinaryRecords(carry, 0, carry.length, context, state, out, parseText, bad);
        this.stats.firings = state.firings;
        this.stats.lines = state.line;
        carry = stop === carry.length ? Buffer.alloc(0) : carry.subarray(stop);
        if (out.count > 0) yield out;
        if (stop === 0 || out.count < 4096) break; // an incomplete record: read more
      }
      if (this.exhausted) break;
      let next: IteratorResult<Buffer>;
      try {
        next = await this.chunkSource.next();
      } catch (error) {
        const problem = this.streamError(error, state.line + 1);
        if (this.skip && problem instanceof TraceFormatError) {
          this.pushError(problem.message);
          return;
        }
        throw problem;
      }
      if (next.done) break;
      carry = carry.length > 0 ? Buffer.concat([carry, next.value]) : next.value;
    }
    if (carry.length > 0) this.fail(state.line + 1, 'the trace ends inside a record (it is truncated)');
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<TraceRecord> {
    return this.records();
  }

  /**
   * The records after the header: firings, process events, and finally the end record.
   * Hand-made rather than an async generator: most calls answer from the current batch with
   * an already-resolved promise, which costs a fraction of a generator's resumption.
   */
  records(): AsyncIterableIterator<TraceRecord> {
    const batches = this.batches();
    let batch: TraceRecord[] = [];
    let index = 0;
    const refill = (result: IteratorResult<TraceRecord[]>): Promise<IteratorResult<TraceRecord>> => {
      if (result.done) return Promise.resolve({ done: true, value: undefined });
      batch = result.value;
      index = 1;
      return Promise.resolve({ done: false, value: batch[0]! });
    };
    const iterator: AsyncIterableIterator<TraceRecord> = {
      next: () => (index < batch.length ? Promise.resolve({ done: false, value: batch[index++]! }) : batches.next().then(refill)),
      return: async () => {
        batch = [];
        await batches.return(undefined);
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  /** The same records, one array per chunk read: fewer awaits for a replay's hot loop. */
  async *batches(): AsyncGenerator<TraceRecord[]> {
    for await (const columns of this.columnBatches()) {
      const records = new Array<TraceRecord>(columns.count);
      for (let i = 0; i < columns.count; i++) records[i] = columns.record(i);
      yield records;
    }
  }

  /**
   * The same records, one `RecordColumns` per chunk read: firings as columns of the chunk's
   * bytes, nothing built per firing until asked (the replay's hot loop). A batch is valid until
   * the next one is asked for.
   */
  async *columnBatches(): AsyncGenerator<RecordColumns> {
    if (this.started) throw new Error('trace reader: the records can be iterated only once');
    this.started = true;
    try {
      if (this.binary !== undefined) {
        yield* this.binaryColumns();
        if (!this.ended && !this.binary.ended && this.endExpected) {
          this.fail(Math.max(this.stats.lines, 1), 'the trace ends without an end record (it is truncated)');
        }
        return;
      }
      if (this.pending !== undefined) {
        const records = this.parseBatch(this.pending, this.pendingFrom);
        this.pending = undefined;
        if (records.count > 0) yield records;
      }
      for (;;) {
        let next: IteratorResult<LineBatch>;
        try {
          next = await this.batchSource!.next();
        } catch (error) {
          // Skip mode keeps what was read before a corrupt or cut gzip stream.
          if (this.skip && error instanceof TraceFormatError) {
            this.pushError(error.message);
            return;
          }
          throw error;
        }
        if (next.done) break;
        const records = this.parseBatch(next.value, 0);
        if (records.count > 0) yield records;
      }
      if (!this.ended && this.endExpected) {
        this.fail(Math.max(this.stats.lines, 1), 'the trace ends without an end record (it is truncated)');
      }
    } finally {
      await this.close();
    }
  }

  /** Stops reading and releases the file (also done when iteration ends or breaks). */
  async close(): Promise<void> {
    await this.batchSource?.return(undefined);
    await this.chunkSource.return(undefined);
  }

  private parseBatch(batch: LineBatch, from: number): RecordColumns {
    const { bytes, starts, ends, utf8, count } = batch;
    const out = this.columnsFor(bytes, count - from, false);
    const context = this.context!;
    for (let i = from; i < count; i++) {
      const line = batch.first + i;
      const start = starts[i]!;
      if (start < 0) continue; // a bad line already reported
      let at = start;
      let c = bytes[at];
      while (c === 0x20 || c === 0x09 || c === 0x0d) c = bytes[++at];
      // The fast way: a firing scanned from its bytes into the columns.
      if (c === OPEN_BRACKET && !this.ended && scanFiringBytes(bytes, at, ends[i]!, line, context, utf8, out)) {
        const k = out.count - 1;
        const t = out.time[k]!;
        const last = this.lastTimestamp;
        if (t === t && typeof last === 'number' ? t < last : out.timeKey(k) < last) {
          out.count--;
          this.bad(line, `field "timestamp" is ${out.timeKey(k)}, earlier than the previous record's ${last} (records must be in time order)`);
          continue;
        }
        this.lastTimestamp = t === t ? t : out.timeKey(k);
        this.stats.firings++;
        continue;
      }
      try {
        out.pushObject(this.parseRecord(lineText(batch, i), line));
      } catch (error) {
        if (!(error instanceof RecordProblem)) throw error;
        this.bad(line, error.message);
      }
    }
    this.stats.lines = batch.first + count - 1;
    return out;
  }

  /** Columns for a chunk: the previous batch's, emptied, when they are big enough (a batch is valid until the next is asked for). */
  private columnsFor(bytes: Buffer, capacity: number, binary: boolean): RecordColumns {
    const reused = this.columns;
    if (reused !== undefined && reused.capacity >= capacity) return reused.reuse(bytes);
    return (this.columns = new RecordColumns(bytes, this.file, Math.max(capacity, binary ? 4096 : 1024), binary));
  }

  private bad(line: number, reason: string): void {
    if (!this.skip) {
      this.stats.lines = line;
      throw new TraceFormatError(this.file, line, reason);
    }
    this.report(line, reason);
  }

  private parseRecord(text: string, line: number): TraceRecord {
    if (this.ended) throw new RecordProblem('a record after the end record');
    const context = this.context!;
    const firing = parseFiringLine(text, line, context);
    if (firing !== undefined) {
      this.checkTime(timeKey(firing));
      this.stats.firings++;
      return firing;
    }
    const value = parseJson(text);
    if (!isPlainObject(value)) throw new RecordProblem('a record must be a JSON array (a firing) or a JSON object');
    const type = objectRecordType(value);
    switch (type) {
      case 'header':
        throw new RecordProblem('a header record may only be the first record');
      case 'exec':
      case 'exit': {
        const event = type === 'exec' ? checkExec(value, line) : checkExit(value, line);
        this.checkTime(event.timestamp);
        this.stats.events++;
        return event;
      }
      case 'end': {
        this.stats.lines = line;
        const end = checkEnd(value, line);
        this.checkTime(end.timestamp);
        this.ended = true;
        this.stats.end = end;
        const { firings, events, skipped } = this.stats;
        // A range's counts are only part of the trace's: the caller checks the sum.
        if (this.range !== undefined) return end;
        const note = skipped > 0 ? ` (${skipped} bad record${skipped === 1 ? ' was' : 's were'} skipped)` : '';
        if (end.firings !== firings) {
          this.fail(line, `the end record counts ${plural(end.firings, 'firing')}, but the trace has ${firings}${note}`);
        } else if (end.events !== events) {
          this.fail(line, `the end record counts ${plural(end.events, 'event')}, but the trace has ${events}${note}`);
        } else {
          this.stats.complete = true;
        }
        return end;
      }
    }
  }

  /** `timestamp` may be a number: comparing a number with a bigint is exact in JavaScript. */
  private checkTime(timestamp: bigint | number): void {
    if (timestamp < this.lastTimestamp) {
      throw new RecordProblem(
        `field "timestamp" is ${timestamp}, earlier than the previous record's ${this.lastTimestamp} (records must be in time order)`,
      );
    }
    this.lastTimestamp = timestamp;
  }

  /** A trace-level problem: thrown in strict mode, listed (not counted as skipped) in skip mode. */
  private fail(line: number, reason: string): void {
    if (!this.skip) throw new TraceFormatError(this.file, line, reason);
    this.pushError(`${this.file}:${line}: ${reason}`);
  }

  private report(line: number, reason: string): void {
    this.stats.skipped++;
    this.pushError(`${this.file}:${line}: ${reason}`);
  }

  private pushError(message: string): void {
    if (this.stats.errors.length < this.maxReportedErrors) this.stats.errors.push(message);
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function describeObject(value: Record<string, unknown>): string {
  return typeof value.type === 'string' ? `a record of type "${value.type}"` : 'an object without "type": "header"';
}
