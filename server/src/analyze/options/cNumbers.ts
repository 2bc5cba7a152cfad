// The C library number conversions libdtrace's option parsers rely on, reproduced with their
// edge cases (whitespace, signs, base prefixes, wrap-around, errno) because those edge cases decide
// whether DTrace accepts a value. Conversions follow the BSD/illumos libc, which sets EINVAL when
// no digits were converted (glibc does not).

export const UINT64_MAX = (1n << 64n) - 1n;
const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

export type CErrno = 0 | 'ERANGE' | 'EINVAL';

export interface StrtoullResult {
  /** The unsigned 64-bit result (a negative input wraps, as in C). */
  readonly value: bigint;
  /** Index just past the last converted character; 0 when nothing was converted. */
  readonly end: number;
  readonly errno: CErrno;
}

/** C `isspace` in the C locale. */
export function isCSpace(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\v' || ch === '\f' || ch === '\r';
}

function isHexDigit(ch: string | undefined): boolean {
  return ch !== undefined && /^[0-9A-Fa-f]$/.test(ch);
}

function digitValue(ch: string | undefined): number {
  if (ch === undefined) return 99;
  const c = ch.charCodeAt(0);
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 90) return c - 55;
  if (c >= 97 && c <= 122) return c - 87;
  return 99;
}

/** `strtoull(text, &end, 0)`: base chosen by prefix (0x hex, 0 octal, else decimal). */
export function strtoull(text: string): StrtoullResult {
  let i = 0;
  while (isCSpace(text[i])) i++;
  let negative = false;
  if (text[i] === '+' || text[i] === '-') {
    negative = text[i] === '-';
    i++;
  }
  let base = 10n;
  if (text[i] === '0' && (text[i + 1] === 'x' || text[i + 1] === 'X') && isHexDigit(text[i + 2])) {
    base = 16n;
    i += 2;
  } else if (text[i] === '0') {
    base = 8n;
  }
  let acc = 0n;
  let converted = false;
  let overflow = false;
  for (;;) {
    const d = digitValue(text[i]);
    if (BigInt(d) >= base) break;
    converted = true;
    if (!overflow) {
      acc = acc * base + BigInt(d);
      if (acc > UINT64_MAX) overflow = true;
    }
    i++;
  }
  if (!converted) return { value: 0n, end: 0, errno: 'EINVAL' };
  if (overflow) return { value: UINT64_MAX, end: i, errno: 'ERANGE' };
  return { value: negative ? BigInt.asUintN(64, -acc) : acc, end: i, errno: 0 };
}

/** `atoi`, i.e. `(int)strtol(text, NULL, 10)` on an LP64 libc: clamp to long, then truncate. */
export function atoi(text: string): number {
  let i = 0;
  while (isCSpace(text[i])) i++;
  let negative = false;
  if (text[i] === '+' || text[i] === '-') {
    negative = text[i] === '-';
    i++;
  }
  let acc = 0n;
  while (i < text.length && text[i]! >= '0' && text[i]! <= '9') {
    acc = acc * 10n + BigInt(text.charCodeAt(i) - 48);
    if (acc > 1n << 64n) acc = 1n << 64n; // keeps the clamp below exact without unbounded growth
    i++;
  }
  let long = negative ? -acc : acc;
  if (long > INT64_MAX) long = INT64_MAX;
  if (long < INT64_MIN) long = INT64_MIN;
  return Number(BigInt.asIntN(32, long));
}

/** Reinterpret as `int64_t` (dtrace_optval_t). */
export function asInt64(value: bigint): bigint {
  return BigInt.asIntN(64, value);
}

/** C `strcasecmp(a, b) == 0` for ASCII text. */
export function equalsIgnoreCase(a: string, b: string): boolean {
  return a.length === b.length && asciiLower(a) === asciiLower(b);
}

function asciiLower(s: string): string {
  return s.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}
