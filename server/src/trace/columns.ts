// The reader's hot path: a chunk's firing lines scanned as bytes, straight into columns.
//
// A firing is a positional JSON array, so a byte scanner can check every field in place
// without a string per line, JSON.parse or an object per record. A chunk's records land in a
// `RecordColumns` (one typed array per field, reused for nothing: a chunk has a few thousand
// lines); the 64-bit fields are kept as doubles when they were written as JSON numbers (exact:
// a JSON number beyond 2^53-1 is an error) and as bigints beside them otherwise; `execname`
// is interned by its bytes, so a chunk makes a string only for a name it has not seen lately;
// `args` and user memory stay bytes until read (`args(i)`, `memory(i)`).
//
// Like the string scanner (scan.ts) it only accepts: anything unusual (escapes in execname,
// fractions, exponents, odd spellings, any error) is handed back to the caller, which sends
// the line the reference way (a string, JSON.parse and validate.ts), which accepts it as a
// record object or gives the exact error. Both ways accept the same lines and give equal
// records: test/unit/trace-columns.test.ts checks that on generated and mutated lines.
//
// A line is scanned in its chunk up to `end`; the byte after the line is always a newline
// (lines.ts guarantees it), which every loop below stops at, so no read goes past a line
// unchecked.

import type { TraceFiring, TraceRecord } from './format.ts';
import { decodeBinaryArgs } from './binary.ts';
import { TraceMemory, type MemoryMap } from './memory.ts';
import type { FiringContext } from './validate.ts';
import * as jsonBytes from './jsonBytes.ts';

// Copied into module constants once: read through the import binding, each use is a call
// to an export getter when the sources run under tsx (the in-process replay ran 3x slower).
const {
  INT32_MAX,
  UINT32_MAX,
  SPACE,
  TAB,
  CR,
  LF,
  QUOTE,
  BACKSLASH,
  COMMA,
  MINUS,
  ZERO,
  NINE,
  OPEN_BRACKET,
  CLOSE_BRACKET,
  OPEN_BRACE,
  CLOSE_BRACE,
  COLON,
  LOWER_U,
} = jsonBytes;

const MAX_EXACT_DIGITS = 15; // a 15-digit integer is below 2^53: accumulating it in a double is exact
const U64_MAX_DIGITS = [49, 56, 52, 52, 54, 55, 52, 52, 48, 55, 51, 55, 48, 57, 53, 53, 49, 54, 49, 53]; // 18446744073709551615
const I64_MIN_DIGITS = [57, 50, 50, 51, 51, 55, 50, 48, 51, 54, 56, 53, 52, 55, 55, 53, 56, 48, 56]; // 9223372036854775808
/** Kinds of a record in a batch. */
export const COLUMN_FIRING = 0;
export const OBJECT_RECORD = 1;

// Small argument values as bigints made once: most arguments are small (fds, flags, sizes).
const SMALL_BIGINTS: bigint[] = Array.from({ length: 4096 }, (_, i) => BigInt(i));

/** Buffer's native latin1/utf8 slicers (lines.ts makes sure they exist). */
interface Slicer {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}

/**
 * One chunk's records after the header, in order: scanned firings as columns, anything else
 * (process events, the end record, firings the scanner left to the reference path) as record
 * objects in `objects`. Read a firing's fields at its index; `record(i)` makes the usual
 * record object.
 */
export class RecordColumns {
  count = 0;
  readonly kind: Uint8Array;
  readonly line: Float64Array;
  readonly probe: Int32Array;
  readonly cpu: Int32Array;
  readonly pid: Int32Array;
  readonly ppid: Int32Array;
  readonly uid: Float64Array;
  readonly gid: Float64Array;
  readonly errno: Int32Array;
  /** The timestamp when written as a JSON number, else NaN and the value in `bigTimestamps`. */
  readonly time: Float64Array;
  /** The tid likewise (`bigTids`). */
  readonly tidNumber: Float64Array;
  readonly execname: string[];
  /** Byte offsets in `bytes`: the first argument (after `[`), the memory map (`{` to after `}`; -1: none). */
  readonly argsAt: Int32Array;
  /** After the arguments (NDJSON: after the `]`). */
  readonly argsEnd: Int32Array;
  readonly argCount: Int32Array;
  readonly memoryAt: Int32Array;
  readonly memoryEnd: Int32Array;
  readonly objects: (TraceRecord | undefined)[];
  bigTimestamps: Map<number, bigint> | undefined;
  bigTids: Map<number, bigint> | undefined;

  constructor(
    /** The chunk the columns point into. */
    public bytes: Buffer,
    readonly file: string,
    capacity: number,
    /** The chunk is the binary form (args as zigzag varints), not NDJSON text. */
    readonly binary = false,
  ) {
    this.kind = new Uint8Array(capacity);
    this.line = new Float64Array(capacity);
    this.probe = new Int32Array(capacity);
    this.cpu = new Int32Array(capacity);
    this.pid = new Int32Array(capacity);
    this.ppid = new Int32Array(capacity);
    this.uid = new Float64Array(capacity);
    this.gid = new Float64Array(capacity);
    this.errno = new Int32Array(capacity);
    this.time = new Float64Array(capacity);
    this.tidNumber = new Float64Array(capacity);
    this.execname = new Array<string>(capacity);
    this.argsAt = new Int32Array(capacity);
    this.argsEnd = new Int32Array(capacity);
    this.argCount = new Int32Array(capacity);
    this.memoryAt = new Int32Array(capacity);
    this.memoryEnd = new Int32Array(capacity);
    this.objects = [];
  }

  get capacity(): number {
    return this.kind.length;
  }

  /**
   * Empties the columns for another chunk (the reader reuses them: typed arrays are costly to
   * allocate and to collect). Records made by `record(i)` before stay valid: they copy what they keep.
   */
  reuse(bytes: Buffer): this {
    this.bytes = bytes;
    this.count = 0;
    this.objects.length = 0;
    this.bigTimestamps = undefined;
    this.bigTids = undefined;
    return this;
  }

  /** Appends a record that is not a scanned firing. */
  /**
   * Appends a firing row (positional, so the hot path allocates nothing). `time` and `tid` are
   * NaN when they do not fit a double exactly: `bigTime` and `bigTid` then hold them.
   */
  pushFiring(
    line: number,
    probe: number,
    cpu: number,
    pid: number,
    ppid: number,
    uid: number,
    gid: number,
    errno: number,
    execname: string,
    time: number,
    bigTime: bigint | undefined,
    tid: number,
    bigTid: bigint | undefined,
    argsAt: number,
    argsEnd: number,
    argCount: number,
    memoryAt: number,
    memoryEnd: number,
  ): void {
    const i = this.count++;
    this.kind[i] = COLUMN_FIRING;
    this.line[i] = line;
    this.probe[i] = probe;
    this.cpu[i] = cpu;
    this.pid[i] = pid;
    this.ppid[i] = ppid;
    this.uid[i] = uid;
    this.gid[i] = gid;
    this.errno[i] = errno;
    this.execname[i] = execname;
    this.time[i] = time;
    if (time !== time) (this.bigTimestamps ??= new Map()).set(i, bigTime!);
    this.tidNumber[i] = tid;
    if (tid !== tid) (this.bigTids ??= new Map()).set(i, bigTid!);
    this.argsAt[i] = argsAt;
    this.argsEnd[i] = argsEnd;
    this.argCount[i] = argCount;
    this.memoryAt[i] = memoryAt;
    this.memoryEnd[i] = memoryEnd;
  }

  pushObject(record: TraceRecord): void {
    const i = this.count++;
    this.kind[i] = OBJECT_RECORD;
    this.objects[i] = record;
  }

  timestamp(i: number): bigint {
    const t = this.time[i]!;
    return t === t ? BigInt(t) : this.bigTimestamps!.get(i)!;
  }

  /** The timestamp as the time-order check compares it: a number when it was one. */
  timeKey(i: number): number | bigint {
    const t = this.time[i]!;
    return t === t ? t : this.bigTimestamps!.get(i)!;
  }

  tid(i: number): bigint {
    const t = this.tidNumber[i]!;
    return t === t ? BigInt(t) : this.bigTids!.get(i)!;
  }

  /** tid as a double (what the VM keeps). */
  tidAsNumber(i: number): number {
    const t = this.tidNumber[i]!;
    return t === t ? t : Number(this.bigTids!.get(i)!);
  }

  /** arg0..argN-1 of firing i, exactly as written. */
  args(i: number): bigint[] {
    return this.binary ? decodeBinaryArgs(this.bytes, this.argsAt[i]!, this.argCount[i]!) : decodeArgBytes(this.bytes, this.argsAt[i]!, this.argCount[i]!);
  }

  /** The user memory of firing i (parsed now; its segments are decoded when first read), or null. */
  memory(i: number): TraceMemory | null {
    const at = this.memoryAt[i]!;
    if (at < 0) return null;
    const text = (this.bytes as unknown as Slicer).utf8Slice(at, this.memoryEnd[i]!);
    return new TraceMemory(JSON.parse(text) as MemoryMap, this.file, this.line[i]!);
  }

  /** Record i as the usual record object (a firing keeps only its own bytes, not the chunk). */
  record(i: number): TraceRecord {
    if (this.kind[i] === OBJECT_RECORD) return this.objects[i]!;
    return new ColumnFiring(this, i);
  }
}

/** A scanned firing as a record object: numbers copied, 64-bit fields and memory decoded on first use. */
class ColumnFiring implements TraceFiring {
  declare readonly kind: 'firing';
  readonly line: number;
  readonly probe: number;
  readonly cpu: number;
  readonly pid: number;
  readonly ppid: number;
  readonly uid: number;
  readonly gid: number;
  readonly execname: string;
  readonly errno: number;
  private timeValue: number | bigint;
  private tidValue: number | bigint;
  /** The line's bytes from the first argument to the end of the memory map (a copy). */
  private tail: Buffer | undefined;
  private argValues: bigint[] | undefined;
  private memoryValue: TraceMemory | null | undefined;
  private readonly argCount: number;
  private readonly binary: boolean;
  private readonly memoryAt: number;
  private readonly file: string;

  constructor(c: RecordColumns, i: number) {
    this.line = c.line[i]!;
    this.probe = c.probe[i]!;
    this.cpu = c.cpu[i]!;
    this.pid = c.pid[i]!;
    this.ppid = c.ppid[i]!;
    this.uid = c.uid[i]!;
    this.gid = c.gid[i]!;
    this.execname = c.execname[i]!;
    this.errno = c.errno[i]!;
    this.timeValue = c.timeKey(i);
    const tid = c.tidNumber[i]!;
    this.tidValue = tid === tid ? tid : c.bigTids!.get(i)!;
    this.argCount = c.argCount[i]!;
    this.binary = c.binary;
    const argsAt = c.argsAt[i]!;
    const memoryAt = c.memoryAt[i]!;
    this.file = c.file;
    this.memoryAt = memoryAt < 0 ? -1 : memoryAt - argsAt;
    if (this.argCount === 0 && memoryAt < 0) {
      this.argValues = [];
      this.memoryValue = null;
    } else {
      const end = memoryAt < 0 ? c.argsEnd[i]! : c.memoryEnd[i]!;
      this.tail = Buffer.from(c.bytes.subarray(argsAt, end));
    }
  }

  get timestamp(): bigint {
    const t = this.timeValue;
    return typeof t === 'bigint' ? t : (this.timeValue = BigInt(t));
  }

  get tid(): bigint {
    const t = this.tidValue;
    return typeof t === 'bigint' ? t : (this.tidValue = BigInt(t));
  }

  get args(): readonly bigint[] {
    return (this.argValues ??= this.binary ? decodeBinaryArgs(this.tail!, 0, this.argCount) : decodeArgBytes(this.tail!, 0, this.argCount));
  }

  get memory(): TraceMemory | null {
    if (this.memoryValue !== undefined) return this.memoryValue;
    if (this.memoryAt < 0) return (this.memoryValue = null);
    const text = (this.tail! as unknown as Slicer).utf8Slice(this.memoryAt, this.tail!.length);
    return (this.memoryValue = new TraceMemory(JSON.parse(text) as MemoryMap, this.file, this.line));
  }

  toJSON(): object {
    const { kind, line, probe, timestamp, cpu, pid, tid, ppid, uid, gid, execname, errno, args, memory } = this;
    return { kind, line, probe, timestamp, cpu, pid, tid, ppid, uid, gid, execname, errno, args, memory };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): object {
    return this.toJSON();
  }
}

Object.defineProperty(ColumnFiring.prototype, 'kind', { value: 'firing', enumerable: true });

/** Decodes `count` arguments from `at` (a scanned, valid args array). */
function decodeArgBytes(bytes: Uint8Array, at: number, count: number): bigint[] {
  const args = new Array<bigint>(count);
  let p = at;
  for (let k = 0; k < count; k++) {
    let c = bytes[p]!;
    while (c === SPACE || c === TAB || c === CR) c = bytes[++p]!;
    if (c === QUOTE) {
      const start = ++p;
      while (bytes[p] !== QUOTE) p++;
      args[k] = BigInt((bytes as unknown as Slicer).latin1Slice(start, p));
      p++;
    } else {
      const negative = c === MINUS;
      if (negative) c = bytes[++p]!;
      const start = p;
      let v = 0;
      while (c >= ZERO && c <= NINE) {
        v = v * 10 + (c - ZERO);
        c = bytes[++p]!;
      }
      // At most 16 digits and safe (checked by the scanner); beyond 15 digits the double may have rounded.
      if (p - start > MAX_EXACT_DIGITS) {
        const big = BigInt((bytes as unknown as Slicer).latin1Slice(start, p));
        args[k] = negative ? -big : big;
      } else if (negative) {
        args[k] = BigInt(-v);
      } else {
        args[k] = v < 4096 ? SMALL_BIGINTS[v]! : BigInt(v);
      }
    }
    c = bytes[p]!;
    while (c === SPACE || c === TAB || c === CR) c = bytes[++p]!;
    p++; // the comma or the closing bracket
  }
  return args;
}

// ------------------------------------------------------------------ the scanner

// The cursor: module state, as this is the innermost loop and it never calls out while scanning.
let b: Uint8Array = new Uint8Array(0);
let pos = 0;
let big: bigint | undefined; // a 64-bit value written as a decimal string, from readUint64

// execname interning: a small hash table from bytes to the string made for them.
const INTERN_SLOTS = 1024;
const internKeys: (Uint8Array | undefined)[] = new Array(INTERN_SLOTS);
const internStrings: string[] = new Array(INTERN_SLOTS);

function skipSpace(): void {
  let c = b[pos];
  while (c === SPACE || c === TAB || c === CR) c = b[++pos];
}

/** Consumes `code` after optional spaces, or returns false. */
function take(code: number): boolean {
  let c = b[pos];
  while (c === SPACE || c === TAB || c === CR) c = b[++pos];
  if (c !== code) return false;
  pos++;
  return true;
}

function isNumberEnd(c: number | undefined): boolean {
  return c === COMMA || c === CLOSE_BRACKET || c === SPACE || c === TAB || c === CR || c === LF;
}

/** A JSON integer that is a safe integer, or NaN (fractions, exponents, -0, unsafe values: the reference way). */
function readSafeInteger(): number {
  let c = b[pos];
  while (c === SPACE || c === TAB || c === CR) c = b[++pos];
  const negative = c === MINUS;
  if (negative) c = b[++pos];
  const digitsStart = pos;
  if (c === ZERO) {
    pos++;
    return !negative && isNumberEnd(b[pos]) ? 0 : NaN;
  }
  if (c === undefined || !(c > ZERO && c <= NINE)) return NaN;
  let value = 0;
  do {
    value = value * 10 + (c - ZERO);
    c = b[++pos]!;
  } while (c >= ZERO && c <= NINE);
  if (!isNumberEnd(c)) return NaN;
  if (pos - digitsStart > MAX_EXACT_DIGITS) {
    if (pos - digitsStart > 16) return NaN;
    value = Number((b as unknown as Slicer).latin1Slice(digitsStart, pos));
    if (!Number.isSafeInteger(value)) return NaN;
  }
  return negative ? -value : value;
}

function digitsAtMost(start: number, end: number, limit: readonly number[]): boolean {
  const length = end - start;
  if (length !== limit.length) return length < limit.length;
  for (let i = 0; i < length; i++) {
    const x = b[start + i]!;
    const y = limit[i]!;
    if (x !== y) return x < y;
  }
  return true;
}

/** A canonical decimal-string 64-bit value at the cursor's quote: the position after its closing quote, or -1. */
function scanDecimalString(unsigned: boolean): number {
  let at = pos + 1;
  let c = b[at];
  const negative = c === MINUS;
  if (negative) {
    if (unsigned) return -1;
    c = b[++at];
  }
  const digitsStart = at;
  while (c !== undefined && c >= ZERO && c <= NINE) c = b[++at];
  if (c !== QUOTE || at === digitsStart) return -1;
  if (b[digitsStart] === ZERO && (at - digitsStart > 1 || negative)) return -1;
  if (!digitsAtMost(digitsStart, at, negative ? I64_MIN_DIGITS : U64_MAX_DIGITS)) return -1;
  return at + 1;
}

/** An unsigned 64-bit value: a double when written as a JSON number; NaN with `big` set for a decimal string; -1 when not one. */
function readUint64(): number {
  skipSpace();
  if (b[pos] === QUOTE) {
    const end = scanDecimalString(true);
    if (end < 0) return -1;
    big = BigInt((b as unknown as Slicer).latin1Slice(pos + 1, end - 1));
    pos = end;
    return NaN;
  }
  const value = readSafeInteger();
  return value >= 0 ? value : -1;
}

function skipWord(): boolean {
  skipSpace();
  if (b[pos] === QUOTE) {
    const end = scanDecimalString(false);
    if (end < 0) return false;
    pos = end;
    return true;
  }
  const value = readSafeInteger();
  return value === value;
}

/** A JSON string without escapes or control characters, interned by its bytes; undefined otherwise. */
function readPlainString(utf8: boolean): string | undefined {
  skipSpace();
  if (b[pos] !== QUOTE) return undefined;
  const start = ++pos;
  let hash = 0;
  let c = b[pos]!;
  while (c !== QUOTE) {
    if (c === BACKSLASH || c < SPACE || c === undefined) return undefined;
    hash = (Math.imul(hash, 31) + c) | 0;
    c = b[++pos]!;
  }
  const end = pos++;
  const length = end - start;
  const slot = (hash ^ (hash >>> 10) ^ length) & (INTERN_SLOTS - 1);
  const key = internKeys[slot];
  if (key !== undefined && key.length === length) {
    let same = true;
    for (let i = 0; i < length; i++) {
      if (key[i] !== b[start + i]) {
        same = false;
        break;
      }
    }
    if (same) return internStrings[slot]!;
  }
  const s = utf8 ? (b as unknown as Slicer).utf8Slice(start, end) : (b as unknown as Slicer).latin1Slice(start, end);
  internKeys[slot] = Uint8Array.prototype.slice.call(b, start, end);
  internStrings[slot] = s;
  return s;
}

/** Skips a JSON string at the cursor's quote, checking its escapes as JSON.parse would. */
function skipJsonString(): boolean {
  let p = pos + 1;
  for (;;) {
    const c = b[p];
    if (c === undefined) return false;
    if (c === QUOTE) {
      pos = p + 1;
      return true;
    }
    if (c < SPACE) return false;
    if (c === BACKSLASH) {
      const e = b[p + 1];
      if (e === LOWER_U) {
        for (let k = 2; k < 6; k++) {
          const h = b[p + k];
          if (h === undefined || !((h >= ZERO && h <= NINE) || (h >= 0x41 && h <= 0x46) || (h >= 0x61 && h <= 0x66))) return false;
        }
        p += 6;
      } else if (e === 0x22 || e === 0x5c || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) {
        p += 2;
      } else {
        return false;
      }
    } else {
      p++;
    }
  }
}

const BASE64_KEY = [QUOTE, 0x62, 0x61, 0x73, 0x65, 0x36, 0x34, QUOTE]; // "base64"

/** Checks a memory map's shape in place (the cursor on its `{`), as scan.ts's skipMemoryMap does. */
function skipMemoryMap(): boolean {
  pos++;
  for (;;) {
    skipSpace();
    if (b[pos] !== QUOTE) return false;
    const keyStart = pos + 1;
    let at = keyStart;
    let c = b[at];
    while (c !== undefined && c >= ZERO && c <= NINE) c = b[++at];
    if (c !== QUOTE || at === keyStart) return false;
    if (b[keyStart] === ZERO && at - keyStart > 1) return false;
    if (!digitsAtMost(keyStart, at, U64_MAX_DIGITS)) return false;
    pos = at + 1;
    if (!take(COLON)) return false;
    skipSpace();
    c = b[pos];
    if (c === QUOTE) {
      if (!skipJsonString()) return false;
    } else if (c === OPEN_BRACE) {
      pos++;
      skipSpace();
      for (let k = 0; k < 8; k++) if (b[pos + k] !== BASE64_KEY[k]) return false;
      pos += 8;
      if (!take(COLON)) return false;
      skipSpace();
      if (b[pos] !== QUOTE || !skipJsonString() || !take(CLOSE_BRACE)) return false;
    } else {
      return false;
    }
    skipSpace();
    c = b[pos++];
    if (c === CLOSE_BRACE) return true;
    if (c !== COMMA) return false;
  }
}

// The canonical form's fast path: the form our writer writes (no spaces, plain integers of at
// most 15 digits, no memory map). The cursor is a local (kept in a register); a field's value
// comes back in `num`. Anything else goes to the general scanner below.
let num = 0;

/** A non-negative integer of at most 15 digits at `p` (no leading zeros): the position after it, or -1. */
function uint(bytes: Uint8Array, p: number): number {
  let c = bytes[p]!;
  if (c === ZERO) {
    num = 0;
    return p + 1; // "01" fails at its caller, which finds a digit where a separator must be
  }
  if (!(c > ZERO && c <= NINE)) return -1;
  const s = p;
  let v = c - ZERO;
  c = bytes[++p]!;
  while (c >= ZERO && c <= NINE) {
    v = v * 10 + (c - ZERO);
    c = bytes[++p]!;
  }
  if (p - s > MAX_EXACT_DIGITS) return -1;
  num = v;
  return p;
}

function scanCanonical(bytes: Uint8Array, start: number, end: number, line: number, context: FiringContext, utf8: boolean, out: RecordColumns): boolean {
  let p = start;
  if (bytes[p] !== OPEN_BRACKET) return false;
  p = uint(bytes, p + 1);
  if (p < 0 || bytes[p] !== COMMA) return false;
  const probe = num;
  const declared = context.probes[probe];
  if (declared === undefined) return false;
  p = uint(bytes, p + 1);
  if (p < 0 || bytes[p] !== COMMA) return false;
  const timestamp = num;
  p = uint(bytes, p + 1);
  if (p < 0 || bytes[p] !== COMMA) return false;
  const cpu = num;
  if (cpu >= context.ncpus) return false;
  p = uint(bytes, p + 1);
  if (p < 0 || bytes[p] !== COMMA) return false;
  const pid = num;
  p = uint(bytes, p + 1);
  if (p < 0 || bytes[p] !== COMMA) return false;
  const tid = num;
  p = uint(bytes, p + 1);
  if (p < 0 || bytes[p] !== COMMA) return false;
  const ppid = num;
  p = uint(bytes, p + 1);
  if (p < 0 || bytes[p] !== COMMA) return false;
  const uid = num;
  p = uint(bytes, p + 1);
  if (p < 0 || bytes[p] !== COMMA) return false;
  const gid = num;
  if (pid > INT32_MAX || ppid > INT32_MAX || uid > UINT32_MAX || gid > UINT32_MAX) return false;
  b = bytes;
  pos = p + 1;
  const execname = bytes[pos] === QUOTE ? readPlainString(utf8) : undefined;
  p = pos;
  if (execname === undefined || bytes[p] !== COMMA) return false;
  p = uint(bytes, p + 1);
  if (p < 0 || bytes[p] !== COMMA || bytes[p + 1] !== OPEN_BRACKET) return false;
  const errno = num;
  if (errno > INT32_MAX) return false;
  p += 2;
  const argsAt = p;
  const count = declared.args.length;
  if (count === 0) {
    if (bytes[p] !== CLOSE_BRACKET) return false;
  } else {
    for (let k = 0; k < count; k++) {
      let q = p;
      if (bytes[q] === MINUS) {
        q++;
        if (bytes[q] === ZERO) return false; // -0 and -01: the general way
      }
      p = uint(bytes, q);
      if (p < 0 || bytes[p] !== (k + 1 < count ? COMMA : CLOSE_BRACKET)) return false;
      p++;
    }
    p--;
  }
  const argsEnd = p + 1;
  if (bytes[argsEnd] !== CLOSE_BRACKET || argsEnd + 1 !== end) return false;
  out.pushFiring(line, probe, cpu, pid, ppid, uid, gid, errno, execname, timestamp, undefined, tid, undefined, argsAt, argsEnd, count, -1, -1);
  return true;
}

/**
 * Scans the firing in `bytes[start, end)` (whose next byte is a newline) into `out` as record
 * `out.count`, checking what checkFiring checks. False when the scanner gives up (nothing is
 * added): the caller takes the reference way. `utf8`: the bytes may hold non-ASCII UTF-8.
 */
export function scanFiringBytes(bytes: Uint8Array, start: number, end: number, line: number, context: FiringContext, utf8: boolean, out: RecordColumns): boolean {
  if (scanCanonical(bytes, start, end, line, context, utf8, out)) return true;
  b = bytes;
  pos = start;
  if (!take(OPEN_BRACKET)) return false;
  const probe = readSafeInteger();
  if (!(probe >= 0)) return false;
  const declared = context.probes[probe];
  if (declared === undefined || !take(COMMA)) return false;
  const timestamp = readUint64();
  if (timestamp < 0 || !take(COMMA)) return false;
  const bigTime = big;
  const cpu = readSafeInteger();
  if (!(cpu >= 0 && cpu < context.ncpus) || !take(COMMA)) return false;
  const pid = readSafeInteger();
  if (!(pid >= 0 && pid <= INT32_MAX) || !take(COMMA)) return false;
  const tid = readUint64();
  if (tid < 0 || !take(COMMA)) return false;
  const bigTid = big;
  const ppid = readSafeInteger();
  if (!(ppid >= 0 && ppid <= INT32_MAX) || !take(COMMA)) return false;
  const uid = readSafeInteger();
  if (!(uid >= 0 && uid <= UINT32_MAX) || !take(COMMA)) return false;
  const gid = readSafeInteger();
  if (!(gid >= 0 && gid <= UINT32_MAX) || !take(COMMA)) return false;
  const execname = readPlainString(utf8);
  if (execname === undefined || !take(COMMA)) return false;
  const errno = readSafeInteger();
  if (!(errno >= 0 && errno <= INT32_MAX) || !take(COMMA) || !take(OPEN_BRACKET)) return false;
  const argsAt = pos;
  const count = declared.args.length;
  if (count === 0) {
    if (!take(CLOSE_BRACKET)) return false;
  } else {
    for (let i = 0; i < count; i++) {
      if (!skipWord() || !take(i + 1 < count ? COMMA : CLOSE_BRACKET)) return false;
    }
  }
  const argsEnd = pos;
  let memoryAt = -1;
  let memoryEnd = -1;
  if (take(COMMA)) {
    skipSpace();
    memoryAt = pos;
    if (b[pos] !== OPEN_BRACE || !skipMemoryMap()) return false;
    memoryEnd = pos;
  }
  if (!take(CLOSE_BRACKET)) return false;
  skipSpace();
  if (pos !== end) return false;
  out.pushFiring(line, probe, cpu, pid, ppid, uid, gid, errno, execname, timestamp, bigTime, tid, bigTid, argsAt, argsEnd, count, memoryAt, memoryEnd);
  return true;
}
