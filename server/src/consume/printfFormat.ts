// printf()/printa()/system()/freopen() formats applied to records, conversion by conversion as
// libdtrace does: each conversion rebuilds a C format from its flags, width (`*` from a record,
// negative meaning `-`) and precision (kept only when positive), then hands C the record read at
// its size. `%d` follows the argument's signedness; `%@` takes the aggregation's value.
// Facts from reference §4.2 and dt_printf.c; the code is ours.
import type { FormatConversion, FormatDirective } from '../analyze/printf';
import { ACT, type RecordType } from '../codegen/program';
import type { RecordValue } from '../vm/records';
import { averageUnsigned, standardDeviation, type AggregationValue } from './aggregationValues';
import { cChar, cFloat, cInteger, cString, type CSpec } from './cFormat';
import { printLlquantize, printLquantize, printQuantize, type HistogramStyle } from './histograms';
import { EOVERFLOW_TEXT, ProcessingAborted, WIDEST_FIELD } from './processingAborted';
import { cStringOf, escapeBytes, floatAt, recordBytes, signedAt, textToBytes, unsignedAt } from './recordValues';
import { formatStack } from './stacks';
import { formatRfc822Time, formatYTime } from './wallTime';

/** One record a conversion may consume. */
export interface FormatRecord {
  value: RecordValue;
  type: RecordType;
  /** ACT.* of the action that wrote it (stack(), sym() ... print by kind). */
  kind: number;
  /** The action's argument (stack depth ...). */
  arg?: bigint;
}

export interface FormatEnv {
  histogram: HistogramStyle;
  /** The stackindent option. */
  stackIndent: number;
  /** The rawbytes option: byte records always as hex dumps. */
  rawbytes?: boolean;
}

export interface FormatResult {
  /** Byte string. */
  text: string;
  /** Records consumed. */
  used: number;
}

/** The kind of C call a conversion makes (dt_printf.c's print functions). */
type Printer = 'sint' | 'uint' | 'dint' | 'fp' | 'addr' | 'uaddr' | 'cstr' | 'estr' | 'echr' | 'wstr' | 'stack' | 'time' | 'time822' | 'port' | 'inet' | 'pct';

const PRINTERS: Record<string, [Printer, string]> = {
  a: ['addr', 's'], A: ['uaddr', 's'], c: ['sint', 'c'], C: ['echr', 's'], d: ['dint', 'd'],
  e: ['fp', 'e'], E: ['fp', 'E'], f: ['fp', 'f'], g: ['fp', 'g'], G: ['fp', 'G'],
  hd: ['sint', 'd'], hi: ['sint', 'i'], ho: ['uint', 'o'], hu: ['uint', 'u'], hx: ['uint', 'x'], hX: ['uint', 'X'],
  i: ['sint', 'i'], I: ['inet', 's'], k: ['stack', 's'], lc: ['sint', 'lc'], ld: ['sint', 'd'], li: ['sint', 'i'],
  lo: ['uint', 'o'], lu: ['uint', 'u'], ls: ['wstr', 'ls'], lx: ['uint', 'x'], lX: ['uint', 'X'],
  lld: ['sint', 'd'], lli: ['sint', 'i'], llo: ['uint', 'o'], llu: ['uint', 'u'], llx: ['uint', 'x'], llX: ['uint', 'X'],
  Le: ['fp', 'e'], LE: ['fp', 'E'], Lf: ['fp', 'f'], Lg: ['fp', 'g'], LG: ['fp', 'G'],
  o: ['uint', 'o'], p: ['uint', 'x'], P: ['port', 's'], s: ['cstr', 's'], S: ['estr', 's'], T: ['time822', 's'],
  u: ['uint', 'u'], wc: ['sint', 'lc'], ws: ['wstr', 'ls'], x: ['uint', 'x'], X: ['uint', 'X'], Y: ['time', 's'], '%': ['pct', '%'],
};

/** dt_printf_getint: a `*` record read as a C int. */
function intOf(r: FormatRecord): number {
  const size = r.type.k === 'int' ? r.type.size : 8;
  return Number(BigInt.asIntN(32, signedAt(r.value, size)));
}

function recordSize(t: RecordType): number {
  switch (t.k) {
    case 'int':
    case 'string':
    case 'bytes':
      return t.size;
    case 'stack':
      return t.frames * 8 + (t.user ? 8 : 0);
    case 'symbol':
      return t.user ? 16 : 8;
  }
}

/**
 * Formats `directives` over `records` (the first record belongs to the first conversion).
 * `aggregations` are the values `%@` conversions take, in order (printa only).
 */
export function renderFormat(directives: readonly FormatDirective[], records: readonly FormatRecord[], env: FormatEnv, aggregations?: AggregationValue[]): FormatResult {
  let text = '';
  let next = 0;
  let agg = 0;
  const conversions = directives.filter((d) => d.kind === 'conversion').length;
  for (const d of directives) {
    if (d.kind === 'literal') {
      // The format is the literal's bytes already (one per character), as the front end decoded it.
      text += d.text;
      continue;
    }
    const [printer, ofmt] = PRINTERS[d.name] ?? ['cstr', 's'];
    if (printer === 'pct') {
      text += '%';
      continue;
    }
    let width = d.width ?? 0;
    let precision = d.precision ?? 0;
    let dynamicWidth: number | undefined;
    if (d.dynamicWidth) {
      const r = records[next++];
      if (r === undefined) break;
      width = dynamicWidth = intOf(r);
    }
    if (d.dynamicPrecision) {
      const r = records[next++];
      if (r === undefined) break;
      precision = intOf(r);
    }
    if (Math.abs(width) > WIDEST_FIELD || precision > WIDEST_FIELD || text.length > WIDEST_FIELD) throw new ProcessingAborted(EOVERFLOW_TEXT);
    const spec: CSpec = {
      left: width < 0 || d.flags.left,
      zero: d.flags.zeroPad,
      plus: d.flags.plusSign,
      space: d.flags.space,
      alt: d.flags.alternate,
      ...(width !== 0 ? { width: Math.abs(width) } : {}),
      ...(precision > 0 ? { precision } : {}),
    };
    if (d.flags.aggregation && aggregations && aggregations.length > 0) {
      const value = aggregations[Math.min(agg, aggregations.length - 1)]!;
      if (agg < aggregations.length - 1) agg++;
      text += aggregationConversion(d, ofmt, printer, value, spec, env);
      continue;
    }
    const r = records[next++];
    if (r === undefined) break;
    text += conversion(d, printer, ofmt, r, spec, dynamicWidth);
  }
  // A format without conversions still takes the record its action wrote.
  const used = conversions === 0 ? Math.min(1, records.length) : next;
  return { text, used };
}

function aggregationConversion(d: FormatConversion, ofmt: string, printer: Printer, v: AggregationValue, spec: CSpec, env: FormatEnv): string {
  switch (v.fn) {
    case 'quantize':
      return printQuantize(v.data, v.normal, env.histogram);
    case 'lquantize':
      return printLquantize(v.data, v.normal, env.histogram);
    case 'llquantize':
      return printLlquantize(v.data, v.normal, env.histogram);
    case 'avg':
      return integerC(averageUnsigned(v.data, v.normal), 8, ofmt === 'd' ? 'i' : ofmt, spec);
    case 'stddev':
      return integerC(standardDeviation(v.data, v.normal), 8, ofmt === 'd' ? 'i' : ofmt, spec);
    default: {
      // The value record is a 64-bit integer; count's is unsigned, the others signed.
      const type: RecordType = { k: 'int', size: 8, signed: v.fn !== 'count' };
      return conversion(d, printer, ofmt, { value: v.data[0] ?? 0n, type, kind: ACT.DIFEXPR }, spec, undefined, v.normal);
    }
  }
}

/** A C integer conversion of a value already read as C reads it (size 8: long long, else int). */
function integerC(value: bigint, size: number, ofmt: string, spec: CSpec): string {
  const bits = size === 8 ? 64 : 32;
  switch (ofmt) {
    case 'd':
    case 'i':
      return cInteger(BigInt.asIntN(bits, value), ofmt, spec);
    case 'u':
    case 'o':
    case 'x':
    case 'X':
      return cInteger(BigInt.asUintN(bits, value), ofmt, spec);
    case 'c':
      return cChar(value, spec);
    case 'lc':
      return cString(textToBytes(String.fromCodePoint(Number(BigInt.asUintN(21, value)))), spec);
    default:
      return cString(value.toString(), spec);
  }
}

function conversion(d: FormatConversion, printer: Printer, ofmt: string, r: FormatRecord, spec: CSpec, dynamicWidth: number | undefined, normal = 1n): string {
  const size = recordSize(r.type);
  switch (printer) {
    case 'sint': {
      // Sign-extended at its size; int-sized values divide by the normal as ints.
      const v = signedAt(r.value, size);
      const q = size === 8 ? divideSigned(v, normal) : BigInt.asIntN(32, v / (BigInt.asIntN(32, normal) || 1n));
      return integerC(q, size, ofmt, spec);
    }
    case 'uint':
    case 'dint': {
      // %d reads the record unsigned and prints it through %i or %u by the argument's type.
      const v = unsignedAt(r.value, size);
      const q = size === 8 ? v / (normal || 1n) : BigInt.asUintN(32, v / (BigInt.asUintN(32, normal) || 1n));
      const fmt = printer === 'dint' ? (r.type.k === 'int' && !r.type.signed ? 'u' : 'i') : ofmt;
      return integerC(q, size, fmt, spec);
    }
    case 'fp':
      return cFloat(floatAt(r.value, size) / Number(normal), ofmt as 'e', spec);
    case 'addr':
    case 'uaddr': {
      // No symbol tables here: addresses print as C's "0x%llx".
      const words = r.value instanceof Uint8Array && size >= 16 ? unsignedAt(r.value.subarray(8), 8) : unsignedAt(r.value, size === 4 ? 4 : 8);
      return cString('0x' + words.toString(16), spec);
    }
    case 'cstr':
    case 'inet':
      return cString(r.value instanceof Uint8Array ? cStringOf(r.value) : cStringOf(recordBytes(r.value, size)), spec);
    case 'estr':
      return cString(escapeBytes(r.value instanceof Uint8Array ? r.value : recordBytes(r.value, size)), spec);
    case 'echr': {
      const c = Number(BigInt.asUintN(8, signedAt(r.value, size)));
      return cString(escapeBytes(Uint8Array.of(c)), spec);
    }
    case 'wstr': {
      const bytes = recordBytes(r.value, size);
      let s = '';
      for (let i = 0; i + 4 <= bytes.length; i += 4) {
        const cp = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
        if (cp === 0) break;
        s += String.fromCodePoint(cp >>> 0 > 0x10ffff ? 0xfffd : cp >>> 0);
      }
      return cString(textToBytes(s), spec);
    }
    case 'stack': {
      // A left-justified %k indents each frame by the width instead of padding it.
      let indent = 0;
      if (dynamicWidth !== undefined && dynamicWidth < 0) indent = -dynamicWidth;
      else if (d.flags.left) indent = dynamicWidth ? dynamicWidth : (d.width ?? 0);
      const frameSpec: CSpec = { ...spec };
      if (d.flags.left) delete frameSpec.width;
      return formatStack(r, (frame) => cString(frame, frameSpec), indent);
    }
    case 'time':
      return cString(formatYTime(signedAt(r.value, 8)), spec);
    case 'time822':
      return cString(formatRfc822Time(signedAt(r.value, 8)), spec);
    case 'port':
      return cString(unsignedAt(r.value, 2).toString(), spec);
    case 'pct':
      return '%';
  }
}

/** pfprint_sint divides a 64-bit record by the normal as signed integers. */
function divideSigned(v: bigint, normal: bigint): bigint {
  return BigInt.asIntN(64, v / (BigInt.asIntN(64, normal) || 1n));
}
