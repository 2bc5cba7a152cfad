// Bytes to lines, in bounded memory: a file or stream is read chunk by chunk, gunzipped when
// its first two bytes are the gzip magic (1f 8b; the name does not matter), and cut into lines
// at byte 0x0A. Each chunk's complete lines are checked as UTF-8 with one native call and
// handed on as offsets into the chunk (no string per line: the byte scanner of columns.ts reads
// them in place); only a partial last line is carried over.

import { isAscii, isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { TraceFormatError } from './errors.ts';

/** A path, or the bytes of a trace as a Node stream or any async iterable of chunks. */
export type TraceSource = string | NodeJS.ReadableStream | AsyncIterable<Uint8Array | string>;

/**
 * Consecutive lines of one chunk, as bytes: line `first + i` (1-based) is
 * `bytes[starts[i], ends[i])`, without its newline, and the byte at `ends[i]` is always a
 * newline (a line that had none gets one), so a scanner can stop at it; `starts[i]` is -1 for
 * a line already reported to `onBadLine` and dropped. `utf8`: the lines may hold non-ASCII
 * bytes (all checked as UTF-8); false when they are all ASCII.
 */
export interface LineBatch {
  readonly first: number;
  readonly count: number;
  readonly bytes: Buffer;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly utf8: boolean;
}

/** Line `index` of a batch as a string (the reference path, headers, object records). */
export function lineText(batch: LineBatch, index: number): string {
  const bytes = batch.bytes as SliceableBuffer;
  return batch.utf8 ? bytes.utf8Slice(batch.starts[index]!, batch.ends[index]!) : bytes.latin1Slice(batch.starts[index]!, batch.ends[index]!);
}

export interface LineOptions {
  /** The name used in messages (`name:line: ...`). */
  readonly file: string;
  readonly maxLineBytes: number;
  /** A line that is not UTF-8 or is too long: throw, or return to drop the line and go on. */
  readonly onBadLine: (line: number, reason: string) => void;
  /** The number of the first line read (default 1; a range of a trace read on its own starts later). */
  readonly firstLine?: number;
}

// Buffer's native per-encoding slicers (what toString calls, minus its argument handling).
// Not in @types/node; present on Buffer.prototype since the early days of Node.
interface SliceableBuffer extends Buffer {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}
if (typeof (Buffer.prototype as SliceableBuffer).latin1Slice !== 'function') {
  const proto = Buffer.prototype as SliceableBuffer;
  proto.latin1Slice = function (this: Buffer, start: number, end: number) {
    return this.toString('latin1', start, end);
  };
  proto.utf8Slice = function (this: Buffer, start: number, end: number) {
    return this.toString('utf8', start, end);
  };
}

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;
const NEWLINE = 0x0a;
const READ_CHUNK_BYTES = 256 * 1024; // measured: bigger chunks keep more records alive per batch, and GC costs more than the awaits saved // large reads: fewer chunks, fewer batches, fewer awaits

function toBuffer(chunk: Uint8Array | string): Buffer {
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

function openBytes(source: TraceSource): AsyncIterable<Uint8Array | string> {
  if (typeof source === 'string') return createReadStream(source, { highWaterMark: READ_CHUNK_BYTES });
  return source as AsyncIterable<Uint8Array | string>;
}

/** The source's bytes, gunzipped if they start with the gzip magic. */
export async function* decompressedChunks(source: TraceSource): AsyncGenerator<Buffer> {
  const input = openBytes(source)[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headBytes = 0;
  let exhausted = false;
  try {
    while (headBytes < 2) {
      const next = await input.next();
      if (next.done) {
        exhausted = true;
        break;
      }
      const chunk = toBuffer(next.value);
      head.push(chunk);
      headBytes += chunk.length;
    }
    async function* all(): AsyncGenerator<Buffer> {
      yield* head;
      while (!exhausted) {
        const next = await input.next();
        if (next.done) break;
        yield toBuffer(next.value);
      }
    }
    const first = head.length === 1 ? head[0]! : Buffer.concat(head);
    if (headBytes < 2 || first[0] !== GZIP_MAGIC_0 || first[1] !== GZIP_MAGIC_1) {
      yield* all();
      return;
    }
    const gunzip = createGunzip({ chunkSize: 256 * 1024 });
    // Errors of either side end up in the iteration of `gunzip`; the promise's own rejection
    // would be a duplicate.
    pipeline(Readable.from(all()), gunzip).catch(() => undefined);
    yield* gunzip as AsyncIterable<Buffer>;
  } finally {
    await input.return?.();
  }
}

const NEWLINE_BYTE = Buffer.from([NEWLINE]);

/** A batch of one line (one carried over chunks, or the last one): its bytes plus a newline. */
function singleLine(first: number, parts: Buffer[], length: number): LineBatch {
  const bytes = Buffer.concat([...parts, NEWLINE_BYTE], length + 1);
  return { first, count: 1, bytes, starts: Int32Array.of(0), ends: Int32Array.of(length), utf8: !isAscii(bytes) };
}

/** The lines of decompressed chunks (`decompressedChunks`) in batches (about one batch per chunk read). */
export async function* readLineBatches(chunks: AsyncIterable<Buffer>, options: LineOptions): AsyncGenerator<LineBatch> {
  const { file, maxLineBytes, onBadLine } = options;
  let done = (options.firstLine ?? 1) - 1; // lines completed so far
  let carry: Buffer[] = []; // the partial line that began in an earlier chunk
  let carryBytes = 0;
  let discarding = false; // inside an over-long line that onBadLine chose to drop

  /** A lone line checked (length, UTF-8); one reported bad is marked dropped. */
  const checkedLine = (parts: Buffer[], length: number, line: number): LineBatch => {
    if (length > maxLineBytes) {
      onBadLine(line, `line is longer than ${maxLineBytes} bytes`);
      return { first: line, count: 1, bytes: NEWLINE_BYTE, starts: Int32Array.of(-1), ends: Int32Array.of(0), utf8: false };
    }
    const batch = singleLine(line, parts, length);
    if (batch.utf8 && !isUtf8(batch.bytes.subarray(0, length))) {
      onBadLine(line, 'line is not valid UTF-8');
      batch.starts[0] = -1;
    }
    return batch;
  };

  try {
    for await (const chunk of chunks) {
      const firstNewline = chunk.indexOf(NEWLINE);
      if (firstNewline < 0) {
        if (!discarding) {
          carry.push(Buffer.from(chunk)); // copied: the source may reuse its buffers
          carryBytes += chunk.length;
          if (carryBytes > maxLineBytes) {
            onBadLine(done + 1, `line is longer than ${maxLineBytes} bytes`);
            discarding = true;
            carry = [];
            carryBytes = 0;
          }
        }
        continue;
      }
      let start = 0;
      if (carryBytes > 0 || discarding) {
        const parts = carry;
        const length = carryBytes + firstNewline;
        carry = [];
        carryBytes = 0;
        done++;
        start = firstNewline + 1;
        if (discarding) {
          discarding = false;
        } else {
          parts.push(chunk.subarray(0, firstNewline));
          yield checkedLine(parts, length, done);
        }
      }
      const lastNewline = chunk.lastIndexOf(NEWLINE);
      if (lastNewline >= start) {
        // One native check for the whole region, then a native search per newline.
        const region = chunk.subarray(start, lastNewline);
        const ascii = isAscii(region);
        const valid = ascii || isUtf8(region);
        let capacity = 64;
        let starts = new Int32Array(capacity);
        let ends = new Int32Array(capacity);
        let count = 0;
        const first = done + 1;
        let from = start;
        for (;;) {
          const to = chunk.indexOf(NEWLINE, from);
          done++;
          if (count === capacity) {
            capacity *= 2;
            const s = new Int32Array(capacity);
            s.set(starts);
            starts = s;
            const e = new Int32Array(capacity);
            e.set(ends);
            ends = e;
          }
          if (to - from > maxLineBytes) {
            onBadLine(done, `line is longer than ${maxLineBytes} bytes`);
            starts[count] = -1;
          } else if (!valid && !isUtf8(chunk.subarray(from, to))) {
            onBadLine(done, 'line is not valid UTF-8');
            starts[count] = -1;
          } else {
            starts[count] = from;
          }
          ends[count] = to;
          count++;
          if (to === lastNewline) break;
          from = to + 1;
        }
        yield { first, count, bytes: chunk, starts, ends, utf8: !ascii };
      }
      if (lastNewline + 1 < chunk.length) {
        carry.push(Buffer.from(chunk.subarray(lastNewline + 1)));
        carryBytes = chunk.length - lastNewline - 1;
      }
    }
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('Z_')) {
      throw new TraceFormatError(file, done + 1, `the gzip data is corrupt or truncated (${(error as Error).message})`);
    }
    throw error;
  }
  if (carryBytes > 0 && !discarding) {
    // A last line without a newline: accepted (if it is a whole record; a cut one fails to parse).
    done++;
    yield checkedLine(carry, carryBytes, done);
  }
}
