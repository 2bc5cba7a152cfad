// Literal values and their D types: the integer ladder (int, unsigned, long, unsigned long,
// long long, unsigned long long; decimal without `u` only tries the signed rungs), multi-byte
// character constants and string escapes. Reference section 1.4.
import { T, type IntType } from './types/ctype';

export type LiteralResult<V> = { ok: true; value: V } | { ok: false; tag: string; message: string };

/** DTrace's integer types in ladder order, each with the largest value it holds. */
const LADDER: { type: IntType; max: bigint }[] = [
  { type: T.int, max: 0x7fffffffn },
  { type: T.uint, max: 0xffffffffn },
  { type: T.long, max: 0x7fffffffffffffffn },
  { type: T.ulong, max: 0xffffffffffffffffn },
  { type: T.llong, max: 0x7fffffffffffffffn },
  { type: T.ullong, max: 0xffffffffffffffffn },
];

/**
 * The type of an integer constant (C99 6.4.4.1 as DTrace applies it): start on the ladder at
 * the rung the suffix names (`u` one up, each `l` two up), then climb one rung at a time, or
 * two at a time when the constant is decimal or its suffix starts with a lower-case `u` (so
 * those try only signed, or only unsigned, rungs). Undefined when no rung holds the value.
 */
export function integerConstantType(value: bigint, decimal: boolean, suffix: string): IntType | undefined {
  let i = 0;
  for (const ch of suffix) i += ch === 'u' || ch === 'U' ? 1 : ch === 'l' || ch === 'L' ? 2 : 0;
  const step = decimal || suffix.startsWith('u') ? 2 : 1;
  for (; i < LADDER.length; i += step) if (value <= LADDER[i]!.max) return LADDER[i]!.type;
  return undefined;
}

const overflow = (value: bigint) => ({
  ok: false as const,
  tag: 'D_INT_OFLOW',
  message: `integer constant 0x${value.toString(16)} cannot be represented in any built-in integral type`,
});

export function integerLiteral(text: string): LiteralResult<{ value: bigint; type: IntType }> {
  const m = /^(0[xX][0-9a-fA-F]*|[0-9]+)([uUlL]*)$/.exec(text);
  if (!m) return { ok: false, tag: 'D_INT_DIGIT', message: `invalid digit in constant: ${text}` };
  const digits = m[1]!;
  const hex = /^0[xX]/.test(digits);
  const octal = !hex && digits.length > 1 && digits.startsWith('0');
  if (octal && /[89]/.test(digits)) return { ok: false, tag: 'D_INT_DIGIT', message: `invalid digit in octal constant: ${text}` };
  if (hex && digits.length === 2) return { ok: false, tag: 'D_INT_DIGIT', message: `invalid digit in hexadecimal constant: ${text}` };
  const value = hex ? BigInt(digits) : octal ? BigInt('0o' + digits.slice(1)) : BigInt(digits);
  if (value > 0xffffffffffffffffn) return { ok: false, tag: 'D_INT_OFLOW', message: `constant ${text} results in integer overflow` };
  // DTrace's lexer calls a constant decimal when it does not start with 0 (so `0` is octal).
  const type = integerConstantType(value, !text.startsWith('0'), m[2]!);
  return type ? { ok: true, value: { value, type } } : overflow(value);
}

const SIMPLE_ESCAPES: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, '"': 34, "'": 39, '?': 63 };

/** Decodes the body of a string or character literal (without quotes) into bytes. */
export function decodeEscapes(body: string): number[] {
  const bytes: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\' || i + 1 >= body.length) {
      for (const b of Buffer.from(c, 'utf8')) bytes.push(b);
      continue;
    }
    const e = body[++i]!;
    if (e in SIMPLE_ESCAPES) bytes.push(SIMPLE_ESCAPES[e]!);
    else if (/[0-7]/.test(e)) {
      let j = i;
      while (j < i + 3 && j < body.length && /[0-7]/.test(body[j]!)) j++;
      bytes.push(parseInt(body.slice(i, j), 8) & 0xff);
      i = j - 1;
    } else if (e === 'x') {
      let j = i + 1;
      while (j < body.length && /[0-9a-fA-F]/.test(body[j]!)) j++;
      bytes.push(j > i + 1 ? parseInt(body.slice(i + 1, j), 16) & 0xff : 0x78);
      i = j - 1;
    } else {
      // Unknown escapes keep the backslash, as DTrace's lexer does.
      bytes.push(92);
      for (const b of Buffer.from(e, 'utf8')) bytes.push(b);
    }
  }
  return bytes;
}

export function stringLiteral(text: string): string {
  // Most strings have no escapes and no non-ASCII bytes: the text is the value.
  const body = text.slice(1, -1);
  if (!body.includes('\\') && /^[\x00-\x7f]*$/.test(body)) return body;
  return Buffer.from(decodeEscapes(text.slice(1, -1))).toString('latin1');
}

export function charLiteral(text: string): LiteralResult<{ value: bigint; type: IntType }> {
  const body = text.slice(1, -1);
  if (body.includes('\n')) return { ok: false, tag: 'D_CHR_NL', message: 'newline encountered in character constant' };
  const bytes = decodeEscapes(body);
  if (bytes.length === 0) return { ok: false, tag: 'D_CHR_NULL', message: 'empty character constant' };
  if (bytes.length > 8) return { ok: false, tag: 'D_CHR_OFLOW', message: 'character constant is too long' };
  // The bytes, first one highest, as an unsigned value typed like a decimal constant: 'a' is
  // an int, '\377' is 255 (no sign extension), eight bytes may need a long.
  let value = 0n;
  for (const b of bytes) value = (value << 8n) | BigInt(b);
  const type = integerConstantType(value, true, '');
  return type ? { ok: true, value: { value, type } } : overflow(value);
}
