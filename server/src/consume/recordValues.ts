// Reading record values the way libdtrace reads a record's bytes: integers at the record's size
// (sign- or zero-extended as the C code casts them), strings up to their NUL, and DTrace's
// escaping of unprintable characters. Strings here are byte strings (one char per byte).
import type { RecordValue } from '../vm/records';

/** The record's bytes, little-endian for integers (the VM hands integers as unsigned bigints). */
export function recordBytes(value: RecordValue, size: number): Uint8Array {
  if (value instanceof Uint8Array) return value;
  const out = new Uint8Array(size);
  let v = BigInt.asUintN(64, value);
  for (let i = 0; i < size && i < 8; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** The record read as an unsigned integer of `size` bytes. */
export function unsignedAt(value: RecordValue, size: number): bigint {
  if (value instanceof Uint8Array) {
    let v = 0n;
    for (let i = Math.min(size, value.length, 8) - 1; i >= 0; i--) v = (v << 8n) | BigInt(value[i]!);
    return v;
  }
  return BigInt.asUintN(Math.min(size, 8) * 8, value);
}

/** The record read as a signed integer of `size` bytes. */
export function signedAt(value: RecordValue, size: number): bigint {
  return BigInt.asIntN(Math.min(size, 8) * 8, unsignedAt(value, size));
}

/** The bytes as a byte string. */
export function byteString(bytes: Uint8Array, length = bytes.length): string {
  let s = '';
  for (let i = 0; i < length && i < bytes.length; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

/** A C string in the record: the bytes up to the first NUL (or all of them). */
export function cStringOf(bytes: Uint8Array): string {
  const nul = bytes.indexOf(0);
  return byteString(bytes, nul < 0 ? bytes.length : nul);
}

const NAMED_ESCAPES: Record<number, string> = {
  0: '\\0',
  7: '\\a',
  8: '\\b',
  9: '\\t',
  10: '\\n',
  11: '\\v',
  12: '\\f',
  13: '\\r',
  34: '\\"',
  92: '\\\\',
};

/**
 * `%S`/`%C`: C escapes for control characters, quotes and backslashes, three octal digits for
 * other bytes outside `!`..`~`. The terminating NUL is shown as `\0` and ends the string.
 */
export function escapeBytes(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) {
    const named = NAMED_ESCAPES[b];
    if (named !== undefined) s += named;
    else if (b === 32 || (b >= 33 && b <= 126)) s += String.fromCharCode(b);
    else s += '\\' + ((b >> 6) & 3) + ((b >> 3) & 7) + (b & 7);
    if (b === 0) break;
  }
  return s;
}

/** Byte string to text for output: UTF-8 sequences become their characters. */
export function bytesToText(s: string): string {
  // Plain ASCII needs no decoding (the common case).
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 127) return Buffer.from(s, 'latin1').toString('utf8');
  }
  return s;
}

/**
 * How many bytes at the end of a byte string start a UTF-8 sequence that is not complete yet
 * (a character printed one byte per firing must not be split when written).
 */
export function incompleteUtf8Tail(s: string): number {
  for (let back = 1; back <= 3 && back <= s.length; back++) {
    const c = s.charCodeAt(s.length - back);
    if ((c & 0xc0) === 0x80) continue; // continuation byte: look further back
    const need = c >= 0xf0 && c < 0xf8 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

/** Text (a format string as written) to a byte string. */
export function textToBytes(s: string): string {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 127) return Buffer.from(s, 'utf8').toString('latin1');
  }
  return s;
}

/** Float and double records (and x87 long double, 16 bytes) as a JS number. */
export function floatAt(value: RecordValue, size: number): number {
  const bytes = recordBytes(value, size);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (size === 4) return view.getFloat32(0, true);
  if (size === 8) return view.getFloat64(0, true);
  if (size >= 10) {
    // 80-bit extended: 64-bit mantissa with explicit integer bit, 15-bit exponent.
    const mantissa = view.getBigUint64(0, true);
    const se = view.getUint16(8, true);
    const sign = se & 0x8000 ? -1 : 1;
    const exp = se & 0x7fff;
    if (exp === 0 && mantissa === 0n) return sign * 0;
    if (exp === 0x7fff) return (mantissa << 1n) === 0n ? sign * Infinity : NaN;
    return sign * Number(mantissa) * 2 ** (exp - 16383 - 63);
  }
  return 0;
}
