// User memory recorded with a firing, so copyin()/copyinstr() (reference §4.1) read the bytes
// the traced process really had. On disk it is an object mapping a decimal address to bytes:
//   "140737488346112": "/etc/passwd"           text: its UTF-8 bytes followed by one NUL byte
//   "140737488350208": {"base64": "AQIDBA=="}  anything else, in standard base64
// The reader checks the map's shape while reading (cheap) and decodes the bytes only when a
// script reads them; errors found then still carry the record's file:line.

import { isUtf8 } from 'node:buffer';
import { problem, RecordProblem, TraceFormatError } from './errors.ts';
import { U64_MAX } from './int64.ts';

/** A recorded range of user memory. `bytes` is a read-only view. */
export interface MemorySegment {
  readonly address: bigint;
  readonly bytes: Uint8Array;
}

/** The on-disk value of one address: text (implied trailing NUL) or base64 bytes. */
export type MemoryValue = string | { readonly base64: string };
export type MemoryMap = Readonly<Record<string, MemoryValue>>;

const ADDRESS = /^(?:0|[1-9][0-9]{0,19})$/;
// Standard alphabet, padded, at least one byte.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The shape check done while reading: a non-empty object whose keys are canonical decimal
 * addresses below 2^64 and whose values are strings or `{"base64": string}`. Bytes are not
 * decoded here.
 */
export function checkMemoryShape(value: unknown): MemoryMap {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problem('field "memory" must be an object mapping decimal addresses to bytes');
  }
  let count = 0;
  for (const key in value) {
    count++;
    if (!ADDRESS.test(key) || (key.length === 20 && BigInt(key) > U64_MAX)) {
      problem(`field "memory": key "${key}" must be an address (a decimal integer from 0 to 2^64-1)`);
    }
    const entry = (value as Record<string, unknown>)[key];
    if (typeof entry === 'string') continue;
    if (
      typeof entry !== 'object' ||
      entry === null ||
      Array.isArray(entry) ||
      typeof (entry as { base64?: unknown }).base64 !== 'string' ||
      Object.keys(entry).length !== 1
    ) {
      problem(`field "memory": the value at address ${key} must be a string or {"base64": "..."}`);
    }
  }
  if (count === 0) problem('field "memory" must not be empty (leave the field out instead)');
  return value as MemoryMap;
}

/** The bytes one memory value stands for; throws RecordProblem when they are malformed. */
export function decodeMemoryValue(address: string, value: MemoryValue): Uint8Array {
  if (typeof value === 'string') {
    if (LONE_SURROGATE.test(value)) {
      problem(`memory at address ${address}: the text contains a lone surrogate, which has no UTF-8 form (use base64)`);
    }
    const text = Buffer.from(value, 'utf8');
    const bytes = new Uint8Array(text.length + 1);
    bytes.set(text);
    return bytes; // the last byte stays 0: the implied NUL
  }
  if (!BASE64.test(value.base64)) {
    problem(`memory at address ${address}: "base64" must be non-empty standard padded base64`);
  }
  // Copied out: small Buffers share an 8 KiB pool slab that a kept view would pin.
  return new Uint8Array(Buffer.from(value.base64, 'base64'));
}

interface Run {
  readonly start: bigint;
  readonly end: bigint; // exclusive
  readonly bytes: Uint8Array;
}

/** A firing's user memory: shape-checked, decoded on first use. */
export class TraceMemory {
  private decodedSegments: MemorySegment[] | undefined;
  private runs: Run[] | undefined;

  constructor(
    /** The map as it is on disk (what a writer copying this firing writes back). */
    readonly raw: MemoryMap,
    private readonly file: string,
    private readonly line: number,
  ) {}

  /** The recorded segments, sorted by address, exactly as recorded (adjacent ones not merged). */
  segments(): readonly MemorySegment[] {
    this.decode();
    return this.decodedSegments!;
  }

  /** `size` bytes at `address`, or undefined when any of them was not recorded (a replayed copyin() faults). */
  read(address: bigint, size: number): Uint8Array | undefined {
    const run = this.runAt(address);
    if (run === undefined) return undefined;
    const offset = Number(address - run.start);
    if (size < 0 || offset + size > run.bytes.length) return undefined;
    return run.bytes.subarray(offset, offset + size);
  }

  /**
   * The bytes of the C string at `address` (without its NUL), looking at no more than `max`
   * bytes: stops at the first NUL, or after `max` bytes. Undefined when unrecorded memory is
   * reached first (copyinstr() would fault there).
   */
  readCString(address: bigint, max: number): Uint8Array | undefined {
    const run = this.runAt(address);
    if (run === undefined) return undefined;
    const offset = Number(address - run.start);
    const limit = Math.min(run.bytes.length, offset + Math.max(0, max));
    const nul = run.bytes.indexOf(0, offset);
    if (nul >= 0 && nul < limit) return run.bytes.subarray(offset, nul);
    if (offset + max <= run.bytes.length) return run.bytes.subarray(offset, offset + max);
    return undefined;
  }

  private runAt(address: bigint): Run | undefined {
    this.decode();
    const runs = this.runs!;
    let lo = 0;
    let hi = runs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const run = runs[mid]!;
      if (address < run.start) hi = mid - 1;
      else if (address >= run.end) lo = mid + 1;
      else return run;
    }
    return undefined;
  }

  private decode(): void {
    if (this.decodedSegments !== undefined) return;
    try {
      const segments: MemorySegment[] = [];
      for (const key in this.raw) {
        const bytes = decodeMemoryValue(key, this.raw[key]!);
        const address = BigInt(key);
        if (address + BigInt(bytes.length) - 1n > U64_MAX) {
          problem(`memory at address ${key}: its ${bytes.length} bytes run past the end of the address space`);
        }
        segments.push({ address, bytes });
      }
      segments.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
      const runs: Run[] = [];
      for (const segment of segments) {
        const end = segment.address + BigInt(segment.bytes.length);
        const last = runs[runs.length - 1];
        if (last !== undefined && segment.address < last.end) {
          problem(`memory at address ${segment.address}: overlaps the bytes recorded at a lower address`);
        }
        if (last !== undefined && segment.address === last.end) {
          runs[runs.length - 1] = { start: last.start, end, bytes: concat(last.bytes, segment.bytes) };
        } else {
          runs.push({ start: segment.address, end, bytes: segment.bytes });
        }
      }
      this.decodedSegments = segments;
      this.runs = runs;
    } catch (error) {
      if (error instanceof RecordProblem) throw new TraceFormatError(this.file, this.line, error.message);
      throw error;
    }
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/**
 * The on-disk form of some bytes: text when they are valid UTF-8 ending in their only NUL
 * (what a C string looks like), else base64. Text is both smaller and readable with grep.
 */
export function encodeMemoryBytes(bytes: Uint8Array): MemoryValue {
  const last = bytes.length - 1;
  if (last >= 0 && bytes[last] === 0 && bytes.indexOf(0) === last) {
    const body = Buffer.from(bytes.buffer, bytes.byteOffset, last);
    if (isUtf8(body)) return body.toString('utf8');
  }
  return { base64: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64') };
}
