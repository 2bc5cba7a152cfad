// The binary trace format (docs/trace-format.md, "Binary form"): the same records as the
// NDJSON form, for replays that must read faster than text can be scanned. A file starts with
// an 8-byte magic and a version, then the header as the NDJSON header's JSON text, then tagged
// records: firings packed as LEB128 varints (the timestamp as the difference from the previous
// record's, execname as an index into a table of strings defined in the stream, arguments
// zigzag-encoded so that the reading a value was written in, -1 or 18446744073709551615, is
// kept), and the rare records (exec, exit, end, user memory maps) as their NDJSON JSON text.
// Every 64-bit value is exact. Record N (the header is record 1) is line N of the NDJSON form,
// so errors are `file:N: what is wrong` in both.
//
// Reading: `scanBinaryRecords` decodes a chunk's complete records into a RecordColumns; the
// reader (reader.ts) carries an incomplete record over to the next chunk. Writing:
// `BinaryTraceWriter` (what `convertTrace` uses, from records a reader has checked).

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { finished, pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { RecordColumns } from './columns.ts';
import { problem } from './errors.ts';
import type { TraceExec, TraceExit, TraceFiring, TraceHeader, TraceRecord } from './format.ts';
import { encodeInt64, U64_MAX } from './int64.ts';
import { checkMemoryShape } from './memory.ts';
import type { FiringContext } from './validate.ts';

/** The first 8 bytes of a binary trace: NUL (no text trace starts with it), then `dtvmbin` . */
export const BINARY_MAGIC = Uint8Array.from([0x00, 0x64, 0x74, 0x76, 0x6d, 0x62, 0x69, 0x6e]);
/** The binary layout's version (the records' meaning is the NDJSON format's version 1). */
export const BINARY_VERSION = 1;

/** Record tags. */
export const TAG_FIRING = 0x01;
export const TAG_FIRING_WITH_MEMORY = 0x02;
/** Defines the next string index (execname table); not a record: it has no line number. */
export const TAG_STRING = 0x10;
export const TAG_EXEC = 0x20;
export const TAG_EXIT = 0x21;
export const TAG_END = 0x22;

const INT32_MAX = 0x7fffffff;
const UINT32_MAX = 0xffffffff;
const SMALL_BIGINTS: bigint[] = Array.from({ length: 4096 }, (_, i) => BigInt(i));

/** Whether these bytes start a binary trace. */
export function isBinaryTrace(bytes: Uint8Array): boolean {
  if (bytes.length < BINARY_MAGIC.length) return false;
  for (let i = 0; i < BINARY_MAGIC.length; i++) if (bytes[i] !== BINARY_MAGIC[i]) return false;
  return true;
}

/** The header's JSON text at the start of a binary trace, and where the records start; undefined while incomplete. */
export function readBinaryPreamble(bytes: Uint8Array): { version: number; headerText: string; next: number } | undefined {
  if (bytes.length < 16) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  const length = view.getUint32(12, true);
  if (bytes.length < 16 + length) return undefined;
  return { version, headerText: Buffer.from(bytes.buffer, bytes.byteOffset + 16, length).toString('utf8'), next: 16 + length };
}

// ------------------------------------------------------------------ decoding

/** The decoder's state between chunks: the string table, the previous timestamp, the record count. */
export interface BinaryState {
  readonly strings: string[];
  /** The previous record's timestamp: a number while it is below 2^53, else `bigTime`. */
  time: number;
  bigTime: bigint | undefined;
  /** Records read so far (the header is record 1). */
  line: number;
  /** Firings decoded so far. */
  firings: number;
  /** The end record was read. */
  ended: boolean;
}

// Cursor (module state: the innermost loop; it never calls out while decoding).
let b: Uint8Array = new Uint8Array(0);
let pos = 0;
let limit = 0;
let bigValue: bigint | undefined;

/** Thrown when a record runs past the bytes at hand: the caller waits for more. */
const INCOMPLETE = Symbol('incomplete');

/** The tag and body length of the record readFrame() last read. */
let frameTag = 0;
let frameLength = 0;

/** Reads a record's tag and length at `pos`; false when the length runs past `end` (read more). */
function readFrame(end: number): boolean {
  limit = end;
  frameTag = b[pos++]!;
  try {
    frameLength = varint();
  } catch (error) {
    if (error === INCOMPLETE) return false;
    throw error;
  }
  return true;
}

/**
 * An unsigned LEB128 varint as a double when below 2^53; NaN with `bigValue` set when larger
 * (up to 2^70). Small, so that the compiler inlines it: one and two bytes (most fields) here,
 * the rest in varintLong.
 */
function varint(): number {
  const p = pos;
  if (p + 1 < limit) {
    const c = b[p]!;
    if (c < 0x80) {
      pos = p + 1;
      return c;
    }
    const d = b[p + 1]!;
    if (d < 0x80) {
      pos = p + 2;
      return (c & 0x7f) | (d << 7);
    }
  }
  return varintLong();
}

function varintLong(): number {
  let c = pos < limit ? b[pos++]! : incomplete();
  if (c < 0x80) return c;
  let value = c & 0x7f;
  let scale = 128;
  for (let k = 1; k < 10; k++) {
    c = pos < limit ? b[pos++]! : incomplete();
    if (k < 7) {
      value += (c & 0x7f) * scale;
      scale *= 128;
      if (c < 0x80) return value;
    } else {
      return bigVarint(value, scale, c);
    }
  }
  return problem('a varint is longer than 10 bytes');
}

function bigVarint(low: number, scale: number, first: number): number {
  let value = BigInt(low);
  let shift = BigInt(scale);
  let c = first;
  for (let k = 7; ; k++) {
    value += BigInt(c & 0x7f) * shift;
    if (c < 0x80) break;
    if (k === 9) problem('a varint is longer than 10 bytes');
    shift *= 128n;
    c = pos < limit ? b[pos++]! : incomplete();
  }
  if (value <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(value);
  bigValue = value;
  return NaN;
}

function incomplete(): never {
  throw INCOMPLETE;
}

function smallField(name: string, max: number): number {
  const v = varint();
  return v <= max ? v : badSmallField(name, max);
}

function badSmallField(name: string, max: number): never {
  return problem(`field "${name}" must be ${max === INT32_MAX ? 'a non-negative 32-bit integer' : 'an unsigned 32-bit integer'}`);
}

/**
 * Decodes the complete records in `bytes[start, end)` into `out`. Every record is a tag, the
 * varint length of its body, and the body. Firings are decoded and checked here; the other
 * records' JSON text goes to `parseText`, which checks it, the time order and the end counts
 * as the NDJSON reader does. Returns where decoding stopped: `end`, or the start of a record
 * that continues in the next chunk. A record that breaks the format goes to `bad(line,
 * reason)`, which throws, or in skip mode returns (the record is dropped; its length says
 * where the next one starts).
 */
export function scanBinaryRecords(
  bytes: Uint8Array,
  start: number,
  end: number,
  context: FiringContext,
  state: BinaryState,
  out: RecordColumns,
  parseText: (text: string, line: number) => TraceRecord,
  bad: (line: number, reason: string) => void,
): number {
  b = bytes;
  pos = start;
  const strings = state.strings;
  const probes = context.probes;
  const ncpus = context.ncpus;
  const capacity = out.kind.length;
  while (pos < end && out.count < capacity) {
    const recordStart = pos;
    if (!readFrame(end)) return recordStart;
    const tag = frameTag;
    const length = frameLength;
    const bodyEnd = pos + length;
    if (!(bodyEnd <= end)) {
      if (length !== length) {
        bad(state.line + 1, 'a record length beyond 2^53');
        return end;
      }
      return recordStart;
    }
    limit = bodyEnd;
    if (tag === TAG_STRING) {
      strings.push(Buffer.from(b.buffer, b.byteOffset + pos, length).toString('utf8'));
      pos = bodyEnd;
      continue;
    }
    const line = ++state.line;
    try {
      if (state.ended) problem('a record after the end record');
      if (tag === TAG_FIRING || tag === TAG_FIRING_WITH_MEMORY) {
        const probe = varint();
        const declared = probes[probe];
        if (declared === undefined) problem(`field "probe" is ${probe}, but the header declares ${probes.length} probe${probes.length === 1 ? '' : 's'}`);
        const delta = varint();
        let time = state.time;
        let bigTime = state.bigTime;
        if (delta === delta && bigTime === undefined && time + delta <= Number.MAX_SAFE_INTEGER) {
          time += delta;
        } else {
          bigTime = (bigTime ?? BigInt(time)) + (delta === delta ? BigInt(delta) : bigValue!);
          if (bigTime > U64_MAX) problem('field "timestamp" must be an unsigned 64-bit integer');
          time = NaN;
        }
        const cpu = varint();
        if (!(cpu < ncpus)) problem(`field "cpu" is ${cpu}, but the header says ncpus is ${ncpus}`);
        const pid = smallField('pid', INT32_MAX);
        const tid = varint();
        const bigTid = bigValue;
        if (tid !== tid && bigTid! > U64_MAX) problem('field "tid" must be an unsigned 64-bit integer');
        const ppid = smallField('ppid', INT32_MAX);
        const uid = smallField('uid', UINT32_MAX);
        const gid = smallField('gid', UINT32_MAX);
        const name = varint();
        const execname = strings[name];
        if (execname === undefined) problem(`field "execname" refers to string ${name}, which is not defined before it`);
        const errno = smallField('errno', INT32_MAX);
        const argsAt = pos;
        const count = declared!.args.length;
        for (let k = 0; k < count; k++) {
          const z = varint();
          // zigzag: 2v for v >= 0 (v up to 2^64-1), 2|v|-1 for v < 0 (v down to -2^63)
          if (z !== z && ((bigValue! & 1n) === 1n ? bigValue! > U64_MAX : bigValue! > U64_MAX << 1n)) {
            problem(`arg${k} must be a 64-bit integer (from -2^63 to 2^64-1)`);
          }
        }
        const argsEnd = pos;
        let memoryAt = -1;
        let memoryEnd = -1;
        if (tag === TAG_FIRING_WITH_MEMORY) {
          memoryAt = pos;
          memoryEnd = bodyEnd;
          pos = bodyEnd;
          let map: unknown;
          try {
            map = JSON.parse(Buffer.from(b.buffer, b.byteOffset + memoryAt, memoryEnd - memoryAt).toString('utf8'));
          } catch {
            problem('field "memory" is not valid JSON');
          }
          checkMemoryShape(map);
        }
        if (pos !== bodyEnd) problem(`the firing has ${bodyEnd - pos} bytes more than its fields`);
        state.time = time;
        state.bigTime = bigTime;
        state.firings++;
        out.pushFiring(line, probe, cpu, pid, ppid, uid, gid, errno, execname!, time, bigTime, tid, bigTid, argsAt, argsEnd, count, memoryAt, memoryEnd);
        continue;
      }
      if (tag === TAG_EXEC || tag === TAG_EXIT || tag === TAG_END) {
        const text = Buffer.from(b.buffer, b.byteOffset + pos, length).toString('utf8');
        pos = bodyEnd;
        const record = parseText(text, line);
        // parseText ran other code: the cursor is this function's again.
        b = bytes;
        limit = bodyEnd;
        const kind = tag === TAG_EXEC ? 'exec' : tag === TAG_EXIT ? 'exit' : 'end';
        if (record.kind !== kind) problem(`a record tagged "${kind}" holds a ${record.kind === 'firing' ? 'firing' : `"${record.kind}" record`}`);
        const t = (record as TraceExec | TraceExit).timestamp;
        if (t <= BigInt(Number.MAX_SAFE_INTEGER)) {
          state.time = Number(t);
          state.bigTime = undefined;
        } else {
          state.time = NaN;
          state.bigTime = t;
        }
        if (kind === 'end') state.ended = true;
        out.pushObject(record);
        continue;
      }
      problem(`unknown record tag 0x${tag.toString(16).padStart(2, '0')}`);
    } catch (error) {
      b = bytes;
      pos = bodyEnd;
      if (error === INCOMPLETE) {
        bad(line, 'the record is shorter than its fields');
        continue;
      }
      if (!(error instanceof Error) || error.name !== 'RecordProblem') throw error;
      bad(line, error.message);
    }
  }
  return pos;
}

/**
 * Steps over the complete records in `bytes[start, end)` without decoding them, keeping only
 * what the decoder needs to start at the next record (a parallel replay's later ranges,
 * trace/split.ts): the string table, the previous record's timestamp, the record number,
 * the firing count. `events` counts process events. Returns where it stopped (`end`, or the
 * start of a record that continues past it); undefined when a record breaks the format or is
 * the end record (the caller then reads the trace in one piece, whose reader reports it).
 */
export function skimBinaryRecords(bytes: Uint8Array, start: number, end: number, state: BinaryState, counts: { events: number }): number | undefined {
  b = bytes;
  pos = start;
  const strings = state.strings;
  try {
    while (pos < end) {
      const recordStart = pos;
      if (!readFrame(end)) return recordStart;
      const tag = frameTag;
      const length = frameLength;
      const bodyEnd = pos + length;
      if (!(bodyEnd <= end)) return length === length ? recordStart : undefined;
      limit = bodyEnd;
      if (tag === TAG_STRING) {
        strings.push(Buffer.from(b.buffer, b.byteOffset + pos, length).toString('utf8'));
        pos = bodyEnd;
        continue;
      }
      state.line++;
      if (tag === TAG_FIRING || tag === TAG_FIRING_WITH_MEMORY) {
        varint(); // probe
        const delta = varint();
        // The same arithmetic as scanBinaryRecords, so the state is the one it would reach.
        if (delta === delta && state.bigTime === undefined && state.time + delta <= Number.MAX_SAFE_INTEGER) state.time += delta;
        else {
          state.bigTime = (state.bigTime ?? BigInt(state.time)) + (delta === delta ? BigInt(delta) : bigValue!);
          state.time = NaN;
        }
        state.firings++;
      } else if (tag === TAG_EXEC || tag === TAG_EXIT) {
        const value = JSON.parse(Buffer.from(b.buffer, b.byteOffset + pos, length).toString('utf8')) as { timestamp?: unknown };
        const t = value.timestamp;
        const time = typeof t === 'number' && Number.isSafeInteger(t) ? BigInt(t) : typeof t === 'string' && /^(0|[1-9][0-9]*)$/.test(t) ? BigInt(t) : undefined;
        if (time === undefined) return undefined;
        if (time <= BigInt(Number.MAX_SAFE_INTEGER)) {
          state.time = Number(time);
          state.bigTime = undefined;
        } else {
          state.time = NaN;
          state.bigTime = time;
        }
        counts.events++;
      } else return undefined;
      pos = bodyEnd;
    }
    return pos;
  } catch {
    return undefined;
  }
}

/** Decodes `count` zigzag varint arguments at `at`. */
export function decodeBinaryArgs(bytes: Uint8Array, at: number, count: number): bigint[] {
  b = bytes;
  pos = at;
  limit = bytes.length;
  const args = new Array<bigint>(count);
  for (let k = 0; k < count; k++) {
    const z = varint();
    if (z === z) {
      if (z % 2 === 0) {
        const v = z / 2;
        args[k] = v < 4096 ? SMALL_BIGINTS[v]! : BigInt(v);
      } else {
        args[k] = BigInt(-(z + 1) / 2);
      }
    } else {
      const big = bigValue!;
      args[k] = (big & 1n) === 0n ? big >> 1n : -((big + 1n) >> 1n);
    }
  }
  return args;
}

// ------------------------------------------------------------------ encoding

/** Encodes records into the binary form, with backpressure, the way TraceWriter writes NDJSON. */
export class BinaryTraceWriter {
  private chunk = Buffer.allocUnsafe(256 * 1024);
  private at = 0;
  private readonly strings = new Map<string, number>();
  private lastTime: bigint;
  private firings = 0;
  private events = 0;

  private constructor(
    private readonly target: NodeJS.WritableStream,
    private readonly done: Promise<void>,
    readonly header: TraceHeader,
  ) {
    this.lastTime = header.timestamp;
  }

  /** Opens `destination` and writes the magic, the version and the header (`headerJson`: the NDJSON header object). */
  static async create(destination: string | NodeJS.WritableStream, header: TraceHeader, headerJson: object, gzip = false): Promise<BinaryTraceWriter> {
    const sink = typeof destination === 'string' ? createWriteStream(destination) : destination;
    if (typeof destination === 'string') await once(sink, 'open');
    let target: NodeJS.WritableStream = sink;
    let done: Promise<void>;
    if (gzip) {
      const z = createGzip();
      target = z;
      done = pipeline(z, sink);
    } else {
      done = finished(sink as NodeJS.WritableStream & NodeJS.EventEmitter).then(() => undefined);
    }
    done.catch(() => undefined);
    const w = new BinaryTraceWriter(target, done, header);
    const text = Buffer.from(JSON.stringify(headerJson), 'utf8');
    w.ensure(16 + text.length);
    w.chunk.set(BINARY_MAGIC, 0);
    w.chunk.writeUInt32LE(BINARY_VERSION, 8);
    w.chunk.writeUInt32LE(text.length, 12);
    text.copy(w.chunk, 16);
    w.at = 16 + text.length;
    return w;
  }

  /** A record as a reader gave it (already checked). The end record closes nothing: call close(). */
  async record(record: TraceRecord): Promise<void> {
    switch (record.kind) {
      case 'firing':
        this.firing(record);
        break;
      case 'exec':
        this.events++;
        this.text(TAG_EXEC, record.timestamp, {
          type: 'exec',
          timestamp: encodeInt64(record.timestamp),
          pid: record.pid,
          ppid: record.ppid,
          uid: record.uid,
          gid: record.gid,
          execname: record.execname,
          argv: record.argv,
        });
        break;
      case 'exit':
        this.events++;
        this.text(TAG_EXIT, record.timestamp, { type: 'exit', timestamp: encodeInt64(record.timestamp), pid: record.pid, status: record.status });
        break;
      case 'end':
        return;
    }
    if (this.at >= 192 * 1024) await this.flush();
  }

  /** Writes the end record (at `timestamp`, default the last record's) and closes the output. */
  async close(end: { readonly timestamp?: bigint } = {}): Promise<void> {
    const timestamp = end.timestamp ?? this.lastTime;
    this.text(TAG_END, timestamp, { type: 'end', timestamp: encodeInt64(timestamp), firings: this.firings, events: this.events });
    await this.flush();
    this.target.end();
    await this.done;
  }

  private firing(f: TraceFiring): void {
    let id = this.strings.get(f.execname);
    if (id === undefined) {
      id = this.strings.size;
      this.strings.set(f.execname, id);
      const bytes = Buffer.from(f.execname, 'utf8');
      this.ensure(6 + bytes.length);
      const at = this.begin(TAG_STRING);
      bytes.copy(this.chunk, this.at);
      this.at += bytes.length;
      this.finish(at);
    }
    const memory = f.memory === null ? undefined : Buffer.from(JSON.stringify(f.memory.raw), 'utf8');
    this.ensure(6 + 12 * 10 + f.args.length * 10 + (memory === undefined ? 0 : memory.length));
    const at = this.begin(memory === undefined ? TAG_FIRING : TAG_FIRING_WITH_MEMORY);
    this.small(f.probe);
    this.varint(f.timestamp - this.lastTime);
    this.lastTime = f.timestamp;
    this.small(f.cpu);
    this.small(f.pid);
    this.varint(f.tid);
    this.small(f.ppid);
    this.small(f.uid);
    this.small(f.gid);
    this.small(id);
    this.small(f.errno);
    for (const a of f.args) this.varint(a >= 0n ? a << 1n : ((-a) << 1n) - 1n);
    if (memory !== undefined) {
      memory.copy(this.chunk, this.at);
      this.at += memory.length;
    }
    this.finish(at);
    this.firings++;
  }

  private text(tag: number, timestamp: bigint, json: object): void {
    const bytes = Buffer.from(JSON.stringify(json), 'utf8');
    this.ensure(6 + bytes.length);
    const at = this.begin(tag);
    bytes.copy(this.chunk, this.at);
    this.at += bytes.length;
    this.finish(at);
    this.lastTime = timestamp;
  }

  /** Starts a record: its tag, then room for the length (at most 5 bytes); the body follows. */
  private begin(tag: number): number {
    const at = this.at;
    this.chunk[at] = tag;
    this.at = at + 6;
    return at;
  }

  /** Ends the record begun at `at`: writes its body's length and moves the body next to it. */
  private finish(at: number): void {
    const bodyStart = at + 6;
    const length = this.at - bodyStart;
    this.at = at + 1;
    this.small(length);
    this.chunk.copyWithin(this.at, bodyStart, bodyStart + length);
    this.at += length;
  }

  private small(v: number): void {
    let x = v;
    while (x >= 0x80) {
      this.chunk[this.at++] = (x % 128) | 0x80;
      x = Math.floor(x / 128);
    }
    this.chunk[this.at++] = x;
  }

  private varint(v: bigint): void {
    if (v <= BigInt(Number.MAX_SAFE_INTEGER)) return this.small(Number(v));
    let x = v;
    while (x >= 0x80n) {
      this.chunk[this.at++] = Number(x & 0x7fn) | 0x80;
      x >>= 7n;
    }
    this.chunk[this.at++] = Number(x);
  }

  private ensure(bytes: number): void {
    if (this.at + bytes <= this.chunk.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.chunk.length * 2, this.at + bytes));
    this.chunk.copy(bigger, 0, 0, this.at);
    this.chunk = bigger;
  }

  private async flush(): Promise<void> {
    if (this.at === 0) return;
    const out = Buffer.from(this.chunk.subarray(0, this.at));
    this.at = 0;
    if (!this.target.write(out)) await once(this.target as NodeJS.WritableStream & NodeJS.EventEmitter, 'drain');
  }
}
