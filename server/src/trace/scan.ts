// Firing lines as strings: the reference path's own fast path. (The reader's hot path scans
// bytes into columns, columns.ts; a line it gives up on comes here as a string, and from here,
// when this scanner gives up too, to JSON.parse.) A firing is a positional JSON array, so a small
// scanner can check it without JSON.parse, and without building anything a script may never
// read: the 64-bit fields (timestamp, tid, args) are validated in place and turned into
// bigints only when first read. A replay that looks at the probe and execname of most
// firings then allocates one object per firing.
//
// User memory is checked for shape in place and parsed only when `memory` is read.
//
// The scanner only *accepts*. It handles the common form (integers, decimal strings, an
// execname without escapes, user memory as the writer writes it) and gives up on anything
// else; the reference path, JSON.parse + checkFiring, then accepts the line or reports the
// exact error. Both paths accept the same lines and yield equal records:
// test/unit/trace-scan.test.ts checks that on many generated and mutated lines.

import type { TraceFiring } from './format.ts';
import { TraceMemory, type MemoryMap } from './memory.ts';
import { checkFiring, parseJson, type FiringContext } from './validate.ts';
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

// Where a JSON string's plain run ends: its closing quote, an escape, or a (forbidden) control character.
const STRING_STOP = /["\\\x00-\x1f]/g;
const SIMPLE_ESCAPES = new Set([0x22, 0x5c, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74]); // " \ / b f n r t
const HEX4 = /^[0-9A-Fa-f]{4}$/;
const MAX_EXACT_DIGITS = 15; // a 15-digit integer is below 2^53, so accumulating it in a double is exact
// Decimal limits compared digit by digit, so range checks need no bigint.
const U64_MAX_DIGITS = '18446744073709551615';
const I64_MIN_DIGITS = '9223372036854775808'; // |-2^63|

// The scanner's cursor. Module state rather than an object: this is the innermost loop, and
// the scanner never calls out while scanning, so it cannot be re-entered.
let text = '';
let pos = 0;

/** The firing on this line, or undefined when the line is not a firing (not a JSON array). */
export function parseFiringLine(line: string, lineNumber: number, context: FiringContext): TraceFiring | undefined {
  let i = 0;
  while (i < line.length && isSpace(line.charCodeAt(i))) i++;
  if (line.charCodeAt(i) !== OPEN_BRACKET) return undefined;
  return scanFiring(line, lineNumber, context) ?? checkFiring(parseJson(line) as unknown[], lineNumber, context);
}

/**
 * The firing's timestamp in the cheapest exact form (a number when it was one): what the
 * reader's time-order check compares, without making a bigint for every firing.
 */
export function timeKey(firing: TraceFiring): number | bigint {
  return firing instanceof ScannedFiring ? firing.timestampKey : firing.timestamp;
}

/** A firing read by the scanner: numbers eagerly, 64-bit values and memory from its line on first use. */
class ScannedFiring implements TraceFiring {
  declare readonly kind: 'firing'; // on the prototype (below): a constant needs no per-record slot
  private tidValue: number | bigint;
  private argValues: bigint[] | undefined;
  private memoryValue: TraceMemory | undefined;

  constructor(
    private readonly text: string,
    private readonly file: string,
    readonly line: number,
    readonly probe: number,
    /** The timestamp as written: a number when it was a JSON number. */
    public timestampKey: number | bigint,
    readonly cpu: number,
    readonly pid: number,
    tid: number | bigint,
    readonly ppid: number,
    readonly uid: number,
    readonly gid: number,
    readonly execname: string,
    readonly errno: number,
    private readonly argsAt: number,
    private readonly argCount: number,
    /** Where the memory object starts and ends in `text`; -1 without memory. */
    private readonly memoryAt: number,
    private readonly memoryEnd: number,
  ) {
    this.tidValue = tid;
  }

  get timestamp(): bigint {
    const key = this.timestampKey;
    return typeof key === 'bigint' ? key : (this.timestampKey = BigInt(key));
  }

  get tid(): bigint {
    const tid = this.tidValue;
    return typeof tid === 'bigint' ? tid : (this.tidValue = BigInt(tid));
  }

  get args(): readonly bigint[] {
    return (this.argValues ??= decodeArgs(this.text, this.argsAt, this.argCount));
  }

  get memory(): TraceMemory | null {
    if (this.memoryAt < 0) return null;
    // The scanner checked the shape checkMemoryShape demands, so parsing cannot fail.
    return (this.memoryValue ??= new TraceMemory(
      JSON.parse(this.text.slice(this.memoryAt, this.memoryEnd)) as MemoryMap,
      this.file,
      this.line,
    ));
  }

  /** Plain fields, as the reference path builds them (for inspection and comparison). */
  toJSON(): object {
    const { kind, line, probe, timestamp, cpu, pid, tid, ppid, uid, gid, execname, errno, args, memory } = this;
    return { kind, line, probe, timestamp, cpu, pid, tid, ppid, uid, gid, execname, errno, args, memory };
  }

  /** console.log and the debugger show the fields, not the scanner's bookkeeping. */
  [Symbol.for('nodejs.util.inspect.custom')](): object {
    return this.toJSON();
  }
}

Object.defineProperty(ScannedFiring.prototype, 'kind', { value: 'firing', enumerable: true });

function isSpace(code: number): boolean {
  return code === SPACE || code === TAB || code === CR || code === LF;
}

function skipSpace(): void {
  while (pos < text.length && isSpace(text.charCodeAt(pos))) pos++;
}

/** Consumes `code` (after optional whitespace) or returns false. */
function take(code: number): boolean {
  skipSpace();
  if (text.charCodeAt(pos) !== code) return false;
  pos++;
  return true;
}

/** After an integer: no fraction, exponent or further digit follows. */
function isNumberEnd(code: number): boolean {
  return code === COMMA || code === CLOSE_BRACKET || isSpace(code);
}

/** A JSON integer that is a safe integer, or NaN (fractions, exponents, -0 and unsafe values too). */
function readSafeInteger(): number {
  skipSpace();
  const start = pos;
  const negative = text.charCodeAt(pos) === MINUS;
  if (negative) pos++;
  const digitsStart = pos;
  let code = text.charCodeAt(pos);
  if (code === ZERO) {
    pos++;
    // -0 parses to -0 with JSON.parse: leave that oddity to the reference path.
    return !negative && isNumberEnd(text.charCodeAt(pos)) ? 0 : NaN;
  }
  if (!(code > ZERO && code <= NINE)) return NaN;
  let value = 0;
  do {
    value = value * 10 + (code - ZERO);
    code = text.charCodeAt(++pos);
  } while (code >= ZERO && code <= NINE);
  if (!isNumberEnd(code)) return NaN;
  if (pos - digitsStart > MAX_EXACT_DIGITS) {
    value = Number(text.slice(start, pos));
    return Number.isSafeInteger(value) ? value : NaN;
  }
  return negative ? -value : value;
}

/** Whether the digits text[start, end) are at most `limit` (a digit string without leading zeros). */
function digitsAtMost(start: number, end: number, limit: string): boolean {
  const length = end - start;
  if (length !== limit.length) return length < limit.length;
  for (let i = 0; i < length; i++) {
    const a = text.charCodeAt(start + i);
    const b = limit.charCodeAt(i);
    if (a !== b) return a < b;
  }
  return true;
}

/**
 * Scans a decimal-string 64-bit value (the cursor is on its opening quote): canonical form,
 * within [-2^63, 2^64-1] (or [0, 2^64-1] when unsigned). Returns the position after the
 * closing quote, or -1.
 */
function scanDecimalString(unsigned: boolean): number {
  const start = pos + 1;
  let at = start;
  let code = text.charCodeAt(at);
  const negative = code === MINUS;
  if (negative) {
    if (unsigned) return -1;
    code = text.charCodeAt(++at);
  }
  const digitsStart = at;
  while (code >= ZERO && code <= NINE) code = text.charCodeAt(++at);
  if (code !== QUOTE || at === digitsStart) return -1;
  if (text.charCodeAt(digitsStart) === ZERO && (at - digitsStart > 1 || negative)) return -1; // 007, -0
  if (!digitsAtMost(digitsStart, at, negative ? I64_MIN_DIGITS : U64_MAX_DIGITS)) return -1;
  return at + 1;
}

/** An unsigned 64-bit value kept in its cheapest exact form: a number if written as one, else a bigint. */
function readUint64Key(): number | bigint | undefined {
  skipSpace();
  if (text.charCodeAt(pos) === QUOTE) {
    const end = scanDecimalString(true);
    if (end < 0) return undefined;
    const value = BigInt(text.slice(pos + 1, end - 1));
    pos = end;
    return value;
  }
  const value = readSafeInteger();
  return value >= 0 ? value : undefined;
}

/** Checks one argument (a 64-bit value in [-2^63, 2^64-1]) without building it. */
function skipWord(): boolean {
  skipSpace();
  if (text.charCodeAt(pos) === QUOTE) {
    const end = scanDecimalString(false);
    if (end < 0) return false;
    pos = end;
    return true;
  }
  const value = readSafeInteger();
  return value === value; // not NaN
}

/** A JSON string without escapes or control characters, or undefined. */
function readPlainString(): string | undefined {
  skipSpace();
  if (text.charCodeAt(pos) !== QUOTE) return undefined;
  const start = ++pos;
  for (;;) {
    const code = text.charCodeAt(pos);
    if (code === QUOTE) break;
    if (code === BACKSLASH || code < SPACE || code !== code) return undefined; // escape, control char, end of line
    pos++;
  }
  return text.slice(start, pos++);
}

/**
 * Skips a JSON string (the cursor is on its opening quote), checking its escapes as JSON.parse
 * would; false for anything JSON.parse would refuse. Plain runs are found by a native regex
 * search, which matters for long base64 values.
 */
function skipJsonString(): boolean {
  let at = pos + 1;
  for (;;) {
    STRING_STOP.lastIndex = at;
    const stop = STRING_STOP.exec(text);
    if (stop === null) return false;
    const i = stop.index;
    const code = text.charCodeAt(i);
    if (code === QUOTE) {
      pos = i + 1;
      return true;
    }
    if (code !== BACKSLASH) return false; // a raw control character
    const escaped = text.charCodeAt(i + 1);
    if (escaped === LOWER_U) {
      if (!HEX4.test(text.slice(i + 2, i + 6))) return false;
      at = i + 6;
    } else if (SIMPLE_ESCAPES.has(escaped)) {
      at = i + 2;
    } else {
      return false;
    }
  }
}

/**
 * Checks a memory map in place (the cursor is on its `{`): at least one entry; keys canonical
 * decimal addresses below 2^64; values strings or `{"base64": string}`. That is what
 * checkMemoryShape accepts, less the spellings it would also accept (escaped keys, spaces
 * inside "base64"), which go the reference way.
 */
function skipMemoryMap(): boolean {
  pos++;
  for (;;) {
    skipSpace();
    if (text.charCodeAt(pos) !== QUOTE) return false;
    const keyStart = pos + 1;
    let at = keyStart;
    let code = text.charCodeAt(at);
    while (code >= ZERO && code <= NINE) code = text.charCodeAt(++at);
    if (code !== QUOTE || at === keyStart) return false;
    if (text.charCodeAt(keyStart) === ZERO && at - keyStart > 1) return false;
    if (!digitsAtMost(keyStart, at, U64_MAX_DIGITS)) return false;
    pos = at + 1;
    if (!take(COLON)) return false;
    skipSpace();
    code = text.charCodeAt(pos);
    if (code === QUOTE) {
      if (!skipJsonString()) return false;
    } else if (code === OPEN_BRACE) {
      pos++;
      skipSpace();
      if (!text.startsWith('"base64"', pos)) return false;
      pos += 8;
      if (!take(COLON)) return false;
      skipSpace();
      if (text.charCodeAt(pos) !== QUOTE || !skipJsonString() || !take(CLOSE_BRACE)) return false;
    } else {
      return false;
    }
    skipSpace();
    code = text.charCodeAt(pos++);
    if (code === CLOSE_BRACE) return true;
    if (code !== COMMA) return false;
  }
}

function decodeArgs(line: string, at: number, count: number): bigint[] {
  text = line;
  pos = at;
  const args = new Array<bigint>(count);
  for (let i = 0; i < count; i++) {
    skipSpace();
    if (text.charCodeAt(pos) === QUOTE) {
      const end = text.indexOf('"', pos + 1);
      args[i] = BigInt(text.slice(pos + 1, end));
      pos = end + 1;
    } else {
      args[i] = BigInt(readSafeInteger());
    }
    skipSpace();
    pos++; // the comma or closing bracket, checked when the line was scanned
  }
  return args;
}

/** The scanner alone: the firing, or undefined where it gives up (exported for the differential test). */
export function scanFiring(line: string, lineNumber: number, context: FiringContext): TraceFiring | undefined {
  text = line;
  pos = 0;
  if (!take(OPEN_BRACKET)) return undefined;
  const probe = readSafeInteger();
  if (!(probe >= 0)) return undefined;
  const declared = context.probes[probe];
  if (declared === undefined || !take(COMMA)) return undefined;
  const timestamp = readUint64Key();
  if (timestamp === undefined || !take(COMMA)) return undefined;
  const cpu = readSafeInteger();
  if (!(cpu >= 0 && cpu < context.ncpus) || !take(COMMA)) return undefined;
  const pid = readSafeInteger();
  if (!(pid >= 0 && pid <= INT32_MAX) || !take(COMMA)) return undefined;
  const tid = readUint64Key();
  if (tid === undefined || !take(COMMA)) return undefined;
  const ppid = readSafeInteger();
  if (!(ppid >= 0 && ppid <= INT32_MAX) || !take(COMMA)) return undefined;
  const uid = readSafeInteger();
  if (!(uid >= 0 && uid <= UINT32_MAX) || !take(COMMA)) return undefined;
  const gid = readSafeInteger();
  if (!(gid >= 0 && gid <= UINT32_MAX) || !take(COMMA)) return undefined;
  const execname = readPlainString();
  if (execname === undefined || !take(COMMA)) return undefined;
  const errno = readSafeInteger();
  if (!(errno >= 0 && errno <= INT32_MAX) || !take(COMMA) || !take(OPEN_BRACKET)) return undefined;
  const argsAt = pos;
  const count = declared.args.length;
  if (count === 0) {
    if (!take(CLOSE_BRACKET)) return undefined;
  } else {
    for (let i = 0; i < count; i++) {
      if (!skipWord() || !take(i + 1 < count ? COMMA : CLOSE_BRACKET)) return undefined;
    }
  }
  let memoryAt = -1;
  let memoryEnd = -1;
  if (take(COMMA)) {
    skipSpace();
    memoryAt = pos;
    if (text.charCodeAt(pos) !== OPEN_BRACE || !skipMemoryMap()) return undefined;
    memoryEnd = pos;
  }
  if (!take(CLOSE_BRACKET)) return undefined;
  skipSpace();
  if (pos !== text.length) return undefined;
  return new ScannedFiring(line, context.file, lineNumber, probe, timestamp, cpu, pid, tid, ppid, uid, gid, execname, errno, argsAt, count, memoryAt, memoryEnd);
}
