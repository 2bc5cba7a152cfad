// Cutting a plain trace file into byte ranges that can be read at the same time (a parallel
// replay: cli/parallel/). Each range starts at a record and carries what reading the records
// before it would have left behind (reader.ts, TraceRange): the previous record's timestamp
// (for the time-order check) and, in the binary form, the decoder's state (string table,
// previous timestamp, record number), which only a pass over the bytes before the cut can give;
// that pass steps over records without decoding them (binary.ts, skimBinaryRecords).
//
// A cut NDJSON range does not know its first line number (counting would read everything
// before it): its records are numbered from 1. Whoever reads the ranges in parallel must not
// show a later range's errors, only take them as a reason to read the trace in one piece.
//
// Anything unexpected (gzip, a record that does not parse where a cut needs it, the end record
// before a cut) gives undefined: the trace is then read in one piece, whose reader reports it.
import { open, type FileHandle } from 'node:fs/promises';
import { isBinaryTrace, readBinaryPreamble, skimBinaryRecords, type BinaryState } from './binary.ts';
import type { TraceHeader } from './format.ts';
import type { TraceRange } from './reader.ts';
import { parseFiringLine } from './scan.ts';

const NEWLINE = 0x0a;
const CHUNK = 8 << 20;
/** Room before each chunk for the start of a record cut by the chunk before. */
const CARRY_ROOM = 64 << 10;
/** A line before a cut longer than this is not looked for (the trace is read in one piece). */
const MAX_LINE = 64 << 20;

/** Up to `parts` ranges of the file at `path` (whose header is `header`), or undefined. */
export async function splitTrace(path: string, header: TraceHeader, parts: number): Promise<TraceRange[] | undefined> {
  const file = await open(path, 'r');
  try {
    const size = (await file.stat()).size;
    const head = await readAt(file, 0, 16);
    if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return undefined; // gzip: no byte offsets
    const ranges = isBinaryTrace(head) ? await binaryCuts(file, size, header, parts) : await ndjsonCuts(file, size, header, parts);
    return ranges !== undefined && ranges.length >= 2 ? ranges : undefined;
  } finally {
    await file.close();
  }
}

async function readAt(file: FileHandle, at: number, length: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(length);
  const { bytesRead } = await file.read(buffer, 0, length, at);
  return buffer.subarray(0, bytesRead);
}

/** Where the first line break at or after `from` is, or -1. */
async function newlineFrom(file: FileHandle, from: number, size: number): Promise<number> {
  for (let at = from; at < size; at += CHUNK) {
    const bytes = await readAt(file, at, Math.min(CHUNK, size - at));
    const i = bytes.indexOf(NEWLINE);
    if (i >= 0) return at + i;
  }
  return -1;
}

/** Where the line that ends with the line break at `lineEnd` starts (after `floor`, a line break). */
async function lineStartBefore(file: FileHandle, lineEnd: number, floor: number): Promise<number | undefined> {
  for (let window = 64 << 10; window <= MAX_LINE * 2; window *= 2) {
    const from = Math.max(floor, lineEnd - window);
    const bytes = await readAt(file, from, lineEnd - from);
    const i = bytes.lastIndexOf(NEWLINE);
    if (i >= 0) return from + i + 1;
    if (from === floor) return floor;
  }
  return undefined;
}

/** The timestamp of one record's text (a firing or a process event), or undefined. */
function timestampOf(text: string, header: TraceHeader): bigint | undefined {
  try {
    const firing = parseFiringLine(text, 0, { file: '', probes: header.probes, ncpus: header.ncpus });
    if (firing !== undefined) return firing.timestamp;
    const value = JSON.parse(text) as { type?: unknown; timestamp?: unknown };
    if (value.type !== 'exec' && value.type !== 'exit') return undefined;
    const t = value.timestamp;
    if (typeof t === 'number' && Number.isSafeInteger(t) && t >= 0) return BigInt(t);
    if (typeof t === 'string' && /^(0|[1-9][0-9]*)$/.test(t)) return BigInt(t);
    return undefined;
  } catch {
    return undefined;
  }
}

/** NDJSON: cuts just after a line break near each `k/parts` of the records' bytes. */
async function ndjsonCuts(file: FileHandle, size: number, header: TraceHeader, parts: number): Promise<TraceRange[] | undefined> {
  const headerEnd = await newlineFrom(file, 0, size);
  if (headerEnd < 0) return undefined;
  const first = headerEnd + 1;
  const starts = [first];
  const previous = [header.timestamp];
  for (let k = 1; k < parts; k++) {
    const target = first + Math.floor(((size - first) * k) / parts);
    const lineEnd = await newlineFrom(file, Math.max(target - 1, starts.at(-1)!), size);
    if (lineEnd < 0 || lineEnd + 1 >= size) break;
    const cut = lineEnd + 1;
    if (cut <= starts.at(-1)!) continue;
    const lineStart = await lineStartBefore(file, lineEnd, headerEnd + 1);
    if (lineStart === undefined) return undefined;
    const text = (await readAt(file, lineStart, lineEnd - lineStart)).toString('utf8');
    const time = timestampOf(text, header);
    if (time === undefined) return undefined;
    starts.push(cut);
    previous.push(time);
  }
  return starts.map((start, k) => ({
    start,
    end: starts[k + 1] ?? size,
    // Line numbers are known only for the first range (see the top of this file).
    firstLine: k === 0 ? 2 : 1,
    previous: previous[k]!,
    last: k === starts.length - 1,
  }));
}

/** Binary form: cuts at the record that holds each `k/parts` byte, the decoder's state there from one pass. */
async function binaryCuts(file: FileHandle, size: number, header: TraceHeader, parts: number): Promise<TraceRange[] | undefined> {
  const head = await readAt(file, 0, 16);
  const length = head.length === 16 ? head.readUInt32LE(12) : -1;
  if (length < 0 || readBinaryPreamble(await readAt(file, 0, 16 + length)) === undefined) return undefined;
  const first = 16 + length;
  const t = header.timestamp;
  const safe = t <= BigInt(Number.MAX_SAFE_INTEGER);
  const state: BinaryState = { strings: [], time: safe ? Number(t) : NaN, bigTime: safe ? undefined : t, line: 1, firings: 0, ended: false };
  const counts = { events: 0 };
  const ranges: { start: number; previous: bigint; binary: BinaryState; firstLine: number }[] = [
    { start: first, previous: t, binary: { ...state, strings: [] }, firstLine: 2 },
  ];
  const chunks = new ChunkReader(file, first, size);
  let base = first; // the file offset of carry[0]
  let carry: Buffer = Buffer.alloc(0);
  for (let k = 1; k < parts; k++) {
    const target = first + Math.floor(((size - first) * k) / parts);
    for (;;) {
      const inBuffer = target - base <= carry.length;
      const stop = skimBinaryRecords(carry, 0, Math.min(carry.length, target - base), state, counts);
      if (stop === undefined) return undefined;
      if (inBuffer) {
        // The record at `stop` holds the target byte (or starts there): the next range starts with it.
        carry = carry.subarray(stop);
        base += stop;
        break;
      }
      carry = carry.subarray(stop);
      base += stop;
      const more = await chunks.next(carry);
      if (more === undefined) return undefined;
      carry = more;
    }
    if (base <= ranges.at(-1)!.start || base >= size) continue;
    ranges.push({
      start: base,
      previous: state.bigTime ?? BigInt(state.time),
      binary: { ...state, strings: [...state.strings] },
      firstLine: state.line + 1,
    });
  }
  return ranges.map((r, k) => ({ ...r, end: ranges[k + 1]?.start ?? size, last: k === ranges.length - 1 }));
}

/**
 * The file's bytes from `at` in chunks, each read while the one before is skimmed, into two
 * buffers used in turn. The bytes of a record cut by a chunk's end (`carry`) go in front of the
 * next chunk, in room kept for them; only a longer one is joined by copying.
 */
class ChunkReader {
  private readonly buffers = [Buffer.allocUnsafe(CARRY_ROOM + CHUNK), Buffer.allocUnsafe(CARRY_ROOM + CHUNK)];
  private turn = 0;
  private reading: Promise<number> | undefined;

  constructor(
    private readonly file: FileHandle,
    private at: number,
    private readonly size: number,
  ) {
    this.reading = this.read();
  }

  private read(): Promise<number> | undefined {
    if (this.at >= this.size) return undefined;
    const length = Math.min(CHUNK, this.size - this.at);
    const position = this.at;
    this.at += length;
    return this.file.read(this.buffers[this.turn]!, CARRY_ROOM, length, position).then((r) => r.bytesRead);
  }

  /** The next chunk with `carry` in front of it; undefined at the end of the file. */
  async next(carry: Buffer): Promise<Buffer | undefined> {
    const reading = this.reading;
    if (reading === undefined) return undefined;
    const read = await reading;
    if (read === 0) return undefined;
    const buffer = this.buffers[this.turn]!;
    // The other buffer is free once `carry` (which may lie in it) has been copied out.
    this.turn ^= 1;
    let chunk: Buffer;
    if (carry.length <= CARRY_ROOM) {
      carry.copy(buffer, CARRY_ROOM - carry.length);
      chunk = buffer.subarray(CARRY_ROOM - carry.length, CARRY_ROOM + read);
    } else chunk = Buffer.concat([carry, buffer.subarray(CARRY_ROOM, CARRY_ROOM + read)]);
    this.reading = this.read();
    return chunk;
  }
}
