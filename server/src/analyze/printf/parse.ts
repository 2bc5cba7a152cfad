// Splits a printf/printa format into literal text and conversions the way the D compiler's
// format scanner does: flags, width and precision may come in any order before the
// conversion character, digits after a width replace it, and size letters (h l L w) gather
// into the dictionary name wherever they appear. Errors are DTrace's D_SYNTAX messages.
import { DEFAULT_PLATFORM, type DifPlatform } from '../../dif/platform';
import { conversionTable, type ConversionSpec } from './conversions';
import { withoutLastNewline } from './message';

export interface FormatLiteral {
  readonly kind: 'literal';
  readonly text: string;
  /** Offsets into the format string's value (escapes already decoded); end is exclusive. */
  readonly start: number;
  readonly end: number;
}

export interface ConversionFlags {
  /** `#` */
  readonly alternate: boolean;
  /** `0` (cleared by a later `-`) */
  readonly zeroPad: boolean;
  /** `-` (cleared by a later `0`) */
  readonly left: boolean;
  /** `+` */
  readonly plusSign: boolean;
  /** ` ` */
  readonly space: boolean;
  /** `'` (thousands grouping) */
  readonly group: boolean;
  /** `@`: takes the aggregation's value (printa only). */
  readonly aggregation: boolean;
}

export interface FormatConversion {
  readonly kind: 'conversion';
  /** DTrace's 1-based number for it ("conversion #2"); every `%`, `%%` included, counts. */
  readonly number: number;
  /** The conversion as written, from `%` through the conversion character. */
  readonly text: string;
  readonly start: number;
  readonly end: number;
  readonly flags: ConversionFlags;
  /** Fixed width (`?` gives 16, a pointer's width in hex); undefined when none was written. */
  readonly width: number | undefined;
  /** `*` for the width: an int argument comes first. */
  readonly dynamicWidth: boolean;
  /** Precision digits after `.`; undefined when none were written. */
  readonly precision: number | undefined;
  /** `.*`: an int argument comes (after a `*` width's) first. */
  readonly dynamicPrecision: boolean;
  /** The size letters kept, in order (`ll`, `h`, `L`, `w`); '' when none. */
  readonly size: string;
  /** The conversion character. */
  readonly conversion: string;
  /** Dictionary name: size letters plus conversion character (`lld`, `%`). */
  readonly name: string;
  readonly spec: ConversionSpec;
}

export type FormatDirective = FormatLiteral | FormatConversion;

export interface FormatError {
  readonly tag: 'D_SYNTAX';
  readonly message: string;
  readonly conversionNumber: number;
  /** From the conversion's `%` to just after the offending character. */
  readonly formatOffset: [number, number];
}

export function isFormatError(x: FormatDirective[] | FormatError): x is FormatError {
  return !Array.isArray(x);
}

/** The scanner keeps at most this many size letters; further ones are dropped. */
const MAX_SIZE_LETTERS = 6;
/** `?` asks for a pointer's width in hexadecimal digits (LP64). */
const POINTER_WIDTH = 16;

/**
 * The format as the compiler sees it: a C string, so it ends at the first NUL.
 */
export function formatValue(fmt: string): string {
  const nul = fmt.indexOf('\0');
  return nul < 0 ? fmt : fmt.slice(0, nul);
}

export function parseFormat(fmt: string, platform: DifPlatform = DEFAULT_PLATFORM): FormatDirective[] | FormatError {
  const s = formatValue(fmt);
  const table = conversionTable(platform);
  const out: FormatDirective[] = [];
  let q = 0;
  let number = 0;

  for (let pct = s.indexOf('%', q); pct >= 0; pct = s.indexOf('%', q)) {
    number++;
    if (pct > q) out.push({ kind: 'literal', text: s.slice(q, pct), start: q, end: pct });

    const fail = (text: string, end: number): FormatError => ({
      tag: 'D_SYNTAX',
      message: withoutLastNewline(`format conversion #${number} ${text}\n`),
      conversionNumber: number,
      formatOffset: [pct, end],
    });

    let alternate = false;
    let zeroPad = false;
    let left = false;
    let plusSign = false;
    let space = false;
    let group = false;
    let aggregation = false;
    let width: number | undefined;
    let precision: number | undefined;
    let dynamicWidth = false;
    let dynamicPrecision = false;
    let dots = 0;
    let digitRuns = 0;
    let size = '';
    let conversion = '';
    let p = pct;

    scan: for (;;) {
      p++;
      const c = p < s.length ? s[p]! : '\0';
      if (c >= '0' && c <= '9') {
        if (dots === 0 && digitRuns === 0 && c === '0') {
          zeroPad = true;
          left = false;
          continue;
        }
        let n = 0;
        while (p < s.length && s[p]! >= '0' && s[p]! <= '9') n = n * 10 + (s.charCodeAt(p++) - 48);
        p--;
        if (dots) precision = n;
        else width = n;
        digitRuns++;
        continue;
      }
      switch (c) {
        case '#':
          alternate = true;
          continue;
        case '*':
          if (dots ? dynamicPrecision : dynamicWidth) {
            // DTrace says "precision" for a second '*' in either place.
            return fail("has more than one '*' specified for the output precision", p + 1);
          }
          if (dots) dynamicPrecision = true;
          else dynamicWidth = true;
          continue;
        case '+':
          plusSign = true;
          continue;
        case '-':
          left = true;
          zeroPad = false;
          continue;
        case '.':
          if (dots++ !== 0) return fail("has more than one '.' specified", p + 1);
          digitRuns = 0;
          continue;
        case '?':
          width = POINTER_WIDTH;
          continue;
        case '@':
          aggregation = true;
          continue;
        case "'":
          group = true;
          continue;
        case ' ':
          space = true;
          continue;
        case '$':
          return fail('uses unsupported positional format (%n$)', p + 1);
        case '%':
          if (s[p - 1] === '%') {
            conversion = c;
            break scan;
          }
          return fail('cannot be combined with other format flags: %%', p + 1);
        case '\0':
          return fail('name expected before end of format string', s.length);
        case 'h':
        case 'l':
        case 'L':
        case 'w':
          if (size.length < MAX_SIZE_LETTERS) size += c;
          continue;
        default:
          conversion = c;
          break scan;
      }
    }

    const name = size + conversion;
    const spec = table.get(name);
    if (!spec) return fail(`is undefined: %${name}`, p + 1);
    out.push({
      kind: 'conversion',
      number,
      text: s.slice(pct, p + 1),
      start: pct,
      end: p + 1,
      flags: { alternate, zeroPad, left, plusSign, space, group, aggregation },
      width,
      dynamicWidth,
      precision,
      dynamicPrecision,
      size,
      conversion,
      name,
      spec,
    });
    q = p + 1;
  }

  if (q < s.length) out.push({ kind: 'literal', text: s.slice(q), start: q, end: s.length });
  return out;
}
