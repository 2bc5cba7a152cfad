// C printf(3) for one conversion, as libdtrace hands each piece of a D format to the C library:
// flags, width and precision applied to an integer, a character, a string or a double. Text is
// a byte string (one char per byte, 0-255), because C counts widths in bytes; the consumer turns
// bytes into text only when it writes them.

export interface CSpec {
  /** `-` */
  left?: boolean;
  /** `0` */
  zero?: boolean;
  /** `+` */
  plus?: boolean;
  /** ` ` */
  space?: boolean;
  /** `#` */
  alt?: boolean;
  width?: number;
  precision?: number;
}

/** Pads a converted field to the width: spaces on the left, or on the right with `-`. */
export function pad(text: string, spec: CSpec): string {
  const width = spec.width ?? 0;
  if (text.length >= width) return text;
  const fill = ' '.repeat(width - text.length);
  return spec.left ? text + fill : fill + text;
}

/**
 * `%d %i` (value signed), `%u %o %x %X` (value already reduced to the unsigned width C read).
 */
export function cInteger(value: bigint, conversion: 'd' | 'i' | 'u' | 'o' | 'x' | 'X', spec: CSpec): string {
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  const base = conversion === 'o' ? 8 : conversion === 'x' || conversion === 'X' ? 16 : 10;
  let digits = magnitude.toString(base);
  if (conversion === 'X') digits = digits.toUpperCase();
  if (spec.precision !== undefined) {
    if (spec.precision === 0 && magnitude === 0n) digits = '';
    else if (digits.length < spec.precision) digits = '0'.repeat(spec.precision - digits.length) + digits;
  }
  let prefix = '';
  if (conversion === 'd' || conversion === 'i') {
    if (negative) prefix = '-';
    else if (spec.plus) prefix = '+';
    else if (spec.space) prefix = ' ';
  } else if (spec.alt) {
    if (conversion === 'o' && !digits.startsWith('0')) digits = '0' + digits;
    if ((conversion === 'x' || conversion === 'X') && magnitude !== 0n) prefix = conversion === 'x' ? '0x' : '0X';
  }
  const width = spec.width ?? 0;
  // C ignores `0` when a precision is given or the field is left-justified.
  if (spec.zero && !spec.left && spec.precision === undefined && prefix.length + digits.length < width) {
    digits = '0'.repeat(width - prefix.length - digits.length) + digits;
  }
  return pad(prefix + digits, spec);
}

/** `%c`: the low byte of an int. */
export function cChar(value: bigint, spec: CSpec): string {
  return pad(String.fromCharCode(Number(BigInt.asUintN(8, value))), spec);
}

/** `%s`: the precision caps the bytes taken. */
export function cString(bytes: string, spec: CSpec): string {
  const s = spec.precision !== undefined ? bytes.slice(0, spec.precision) : bytes;
  return pad(s, spec);
}

/** `%e %E %f %g %G` (and the `L` forms, which print the same digits for values a double holds). */
export function cFloat(value: number, conversion: 'e' | 'E' | 'f' | 'g' | 'G', spec: CSpec): string {
  const upper = conversion === 'E' || conversion === 'G';
  const negative = value < 0 || Object.is(value, -0);
  const magnitude = Math.abs(value);
  let body: string;
  if (!Number.isFinite(magnitude)) {
    body = Number.isNaN(magnitude) ? 'nan' : 'inf';
    if (upper) body = body.toUpperCase();
  } else {
    const precision = spec.precision ?? 6;
    if (conversion === 'f') body = fixed(magnitude, precision, spec.alt);
    else if (conversion === 'e' || conversion === 'E') body = exponential(magnitude, precision, spec.alt, upper);
    else body = general(magnitude, precision === 0 ? 1 : precision, spec.alt, upper);
  }
  let prefix = negative && !Number.isNaN(magnitude) ? '-' : spec.plus ? '+' : spec.space ? ' ' : '';
  const width = spec.width ?? 0;
  if (spec.zero && !spec.left && Number.isFinite(magnitude) && prefix.length + body.length < width) {
    body = '0'.repeat(width - prefix.length - body.length) + body;
  }
  if (Number.isNaN(magnitude)) prefix = spec.plus ? '+' : spec.space ? ' ' : '';
  return pad(prefix + body, spec);
}

/** x = m × 2^e exactly, for a finite positive double. */
function decompose(x: number): { m: bigint; e: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const exp = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  return exp === 0 ? { m: frac, e: -1074 } : { m: frac | (1n << 52n), e: exp - 1075 };
}

/** x × 10^k rounded to an integer, ties to even, computed exactly (as the C library does). */
function scaledRound(x: number, k: number): bigint {
  if (x === 0) return 0n;
  const { m, e } = decompose(x);
  let num = m;
  let den = 1n;
  if (e >= 0) num <<= BigInt(e);
  else den <<= BigInt(-e);
  if (k >= 0) num *= 10n ** BigInt(k);
  else den *= 10n ** BigInt(-k);
  let q = num / den;
  const r2 = (num % den) * 2n;
  if (r2 > den || (r2 === den && (q & 1n) === 1n)) q++;
  return q;
}

function fixed(x: number, precision: number, alt: boolean | undefined): string {
  const digits = scaledRound(x, precision).toString().padStart(precision + 1, '0');
  const int = digits.slice(0, digits.length - precision);
  const frac = digits.slice(digits.length - precision);
  return precision > 0 ? `${int}.${frac}` : alt ? `${int}.` : int;
}

/** The decimal exponent and the precision+1 significant digits of x, rounded as %e rounds. */
function significand(x: number, precision: number): { digits: string; exp: number } {
  if (x === 0) return { digits: '0'.repeat(precision + 1), exp: 0 };
  let exp = Math.floor(Math.log10(x));
  for (;;) {
    const q = scaledRound(x, precision - exp);
    const s = q.toString();
    if (s.length > precision + 1) exp++;
    else if (s.length < precision + 1) exp--;
    else return { digits: s, exp };
  }
}

function exponential(x: number, precision: number, alt: boolean | undefined, upper: boolean): string {
  const { digits, exp } = significand(x, precision);
  const mantissa = digits[0]! + (precision > 0 ? '.' + digits.slice(1) : alt ? '.' : '');
  const e = `${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return `${mantissa}${upper ? 'E' : 'e'}${e}`;
}

function general(x: number, precision: number, alt: boolean | undefined, upper: boolean): string {
  const exp = significand(x, precision - 1).exp;
  let s = exp < -4 || exp >= precision ? exponential(x, precision - 1, alt, upper) : fixed(x, precision - 1 - exp, alt);
  if (!alt) {
    // %g drops trailing zeros of the fraction (and a bare point).
    const cut = s.search(/[eE]/);
    const head = cut < 0 ? s : s.slice(0, cut);
    const tail = cut < 0 ? '' : s.slice(cut);
    s = (head.includes('.') ? head.replace(/0+$/, '').replace(/\.$/, '') : head) + tail;
  }
  return s;
}
