// Bytes to lines, in bounded memory: a file or stream is read chunk by chunk, gunzipped when
// its first two bytes are the gzip magic (1f 8b; the name does not matter), and cut into lines
// at byte 0x0A. Each chunk's complete lines are checked as UTF-8 and decoded with one call, then
// split, so per-line work stays in native code; only a partial last line is carried over.

import { isAscii, isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { TraceFormatError } from './errors.ts';

/** A path, or the bytes of a trace as a Node stream or any async iterable of chunks. */
export type TraceSource = string | NodeJS.ReadableStream | AsyncIterable<Uint8Array | string>;

/**
 * Consecutive lines; `lines[i]` is line `first + i` (1-based), without its newline, or null for
 * a line already reported to `onBadLine` and dropped.
 */
export interface LineBatch {
  readonly first: number;
  readonly lines: (string | null)[];
}

export interface LineOptions {
  /** The name used in messages (`name:line: ...`). */
  readonly file: string;
  readonly maxLineBytes: number;
  /** A line that is not UTF-8 or is too long: throw, or return to drop the line and go on. */
  readonly onBadLine: (line: number, reason: string) => void;
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
async function* decompressedChunks(source: TraceSource): AsyncGenerator<Buffer> {
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

/** The trace's lines in batches (one batch per chunk read). */
export async function* readLineBatches(source: TraceSource, options: LineOptions): AsyncGenerator<LineBatch> {
  const { file, maxLineBytes, onBadLine } = options;
  let done = 0; // lines completed so far
  let carry: Buffer[] = []; // the partial line that began in an earlier chunk
  let carryBytes = 0;
  let discarding = false; // inside an over-long line that onBadLine chose to drop

  const decodeLine = (bytes: Buffer, line: number): string | null => {
    if (bytes.length > maxLineBytes) {
      onBadLine(line, `line is longer than ${maxLineBytes} bytes`);
      return null;
    }
    if (!isUtf8(bytes)) {
      onBadLine(line, 'line is not valid UTF-8');
      return null;
    }
    return bytes.toString('utf8');
  };

  try {
    for await (const chunk of decompressedChunks(source)) {
      const first = done + 1;
      const lines: (string | null)[] = [];
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
        if (discarding) {
          discarding = false;
          lines.push(null);
        } else {
          carry.push(chunk.subarray(0, firstNewline));
          lines.push(decodeLine(Buffer.concat(carry, carryBytes + firstNewline), done + 1));
        }
        carry = [];
        carryBytes = 0;
        done++;
        start = firstNewline + 1;
      }
      const lastNewline = chunk.lastIndexOf(NEWLINE);
      if (lastNewline >= start) {
        // One native check for the whole region, then one native slice per line: each line
        // is its own flat string, so a record kept by the caller does not pin the chunk.
        const region = chunk.subarray(start, lastNewline);
        const ascii = isAscii(region);
        const valid = ascii || isUtf8(region);
        const bytes = chunk as SliceableBuffer;
        let from = start;
        for (;;) {
          const to = chunk.indexOf(NEWLINE, from);
          done++;
          if (to - from > maxLineBytes) {
            onBadLine(done, `line is longer than ${maxLineBytes} bytes`);
            lines.push(null);
          } else if (ascii) {
            lines.push(bytes.latin1Slice(from, to));
          } else if (valid) {
            lines.push(bytes.utf8Slice(from, to));
          } else {
            lines.push(decodeLine(chunk.subarray(from, to), done));
          }
          if (to === lastNewline) break;
          from = to + 1;
        }
      }
      if (lastNewline + 1 < chunk.length) {
        carry.push(Buffer.from(chunk.subarray(lastNewline + 1)));
        carryBytes = chunk.length - lastNewline - 1;
      }
      if (lines.length > 0) yield { first, lines };
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
    const text = decodeLine(Buffer.concat(carry, carryBytes), done + 1);
    done++;
    yield { first: done, lines: [text] };
  }
}
