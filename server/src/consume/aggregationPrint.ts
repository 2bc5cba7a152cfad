// printa() and the end-of-run print: the default layout (each key by its size or kind, then the
// value: ` %16lld` scalars, histograms on the following lines, then a newline) and formatted
// printa, whose conversions take the keys and whose `%@` takes the value.
// Facts from reference §5 and dt_consume.c (dt_print_aggs, dt_print_datum); the code is ours.
import type { FormatDirective } from '../analyze/printf';
import { ACT, type AggregationDesc, type RecordType } from '../codegen/program';
import type { RecordValue } from '../vm/records';
import type { AggregationEntry, JoinedRow } from './aggregationStore';
import { averageSigned, divideByNormal, standardDeviation, type AggregationValue } from './aggregationValues';
import { cInteger, cString } from './cFormat';
import { printLlquantize, printLquantize, printQuantize } from './histograms';
import { renderFormat, type FormatEnv, type FormatRecord } from './printfFormat';
import { recordBytes, unsignedAt } from './recordValues';
import { formatStack, symbolText } from './stacks';
import { histHeader, histValue, keyColumnsWidth, packHeader, packValue, type HistTotals } from './packedDisplay';
import { integerAsPrinted, printBytes } from './traceRecords';

const KEY_WIDTH: Record<number, number> = { 1: 3, 2: 5, 4: 8, 8: 16 };

function kindOf(t: RecordType): number {
  if (t.k === 'stack') return t.user ? ACT.USTACK : ACT.STACK;
  if (t.k === 'symbol') return t.user ? (t.what === 'mod' ? ACT.UMOD : ACT.USYM) : t.what === 'mod' ? ACT.MOD : ACT.SYM;
  return ACT.DIFEXPR;
}

export function keyRecord(value: RecordValue, type: RecordType): FormatRecord {
  return { value, type, kind: kindOf(type) };
}

/** One key as the default layout prints it (dt_print_datum); packed layouts give strings 16 columns. */
export function keyText(value: RecordValue, type: RecordType, env: FormatEnv, packed = false): string {
  if (type.k === 'stack') return formatStack(keyRecord(value, type), (f) => f, env.stackIndent);
  if (type.k === 'symbol') return '  ' + cString(symbolText(keyRecord(value, type)), { left: true, width: 50 });
  const size = type.k === 'int' ? type.size : type.size;
  const width = KEY_WIDTH[size];
  if (width !== undefined) return ' ' + cInteger(integerAsPrinted(unsignedAt(value, size), size), 'd', { width });
  return printBytes(recordBytes(value, size), packed ? 16 : -50, false, env.rawbytes === true);
}

export function aggregationValue(desc: AggregationDesc, e: AggregationEntry): AggregationValue {
  return { fn: desc.fn, data: e.data, normal: e.normal };
}

/** The value as the default layout prints it. */
export function valueText(v: AggregationValue, env: FormatEnv): string {
  switch (v.fn) {
    case 'quantize':
      return printQuantize(v.data, v.normal, env.histogram);
    case 'lquantize':
      return printLquantize(v.data, v.normal, env.histogram);
    case 'llquantize':
      return printLlquantize(v.data, v.normal, env.histogram);
    case 'avg':
      return ' ' + cInteger(averageSigned(v.data, v.normal), 'd', { width: 16 });
    case 'stddev':
      return ' ' + cInteger(standardDeviation(v.data, v.normal), 'u', { width: 16 });
    default:
      return ' ' + cInteger(divideByNormal(v.data[0] ?? 0n, v.normal), 'd', { width: 16 });
  }
}

/** agghist/aggpack state for one aggregation's rows. */
export interface RowDisplay {
  hist?: HistTotals;
  pack?: { bins: [number, number]; utf8: boolean };
}

/** A default-layout row: keys, the value(s), a newline (histogram and packed lines end themselves). */
export function defaultRow(desc: AggregationDesc, key: RecordValue[], values: AggregationValue[], env: FormatEnv, display: RowDisplay = {}): string {
  let s = '';
  const packed = display.hist !== undefined || display.pack !== undefined;
  key.forEach((k, i) => (s += keyText(k, desc.keys[i] ?? { k: 'int', size: 8, signed: true }, env, packed)));
  for (const v of values) {
    if (display.hist) s += histValue(v.fn, v.data, v.normal, display.hist, env.histogram);
    else if (display.pack && (v.fn === 'quantize' || v.fn === 'lquantize')) s += packValue(v.fn, v.data, display.pack.bins, env.histogram, display.pack.utf8);
    else s += valueText(v, env);
  }
  return packed ? s : s + '\n';
}

/** The agghist/aggpack header printed before an aggregation's first row. */
export function displayHeader(desc: AggregationDesc, display: RowDisplay): string {
  const width = keyColumnsWidth(desc.keys);
  if (display.hist) return histHeader(width);
  if (display.pack) return packHeader(desc.fn, width, display.pack.bins);
  return '';
}

/** A formatted printa row: the keys feed the conversions, `%@` the values. */
export function formattedRow(directives: readonly FormatDirective[], desc: AggregationDesc, key: RecordValue[], values: AggregationValue[], env: FormatEnv): string {
  const records = key.map((k, i) => keyRecord(k, desc.keys[i] ?? { k: 'int', size: 8, signed: true }));
  return renderFormat(directives, records, env, values).text;
}

export function joinedValues(descs: readonly AggregationDesc[], row: JoinedRow): AggregationValue[] {
  return row.values.map((e, n) => aggregationValue(descs[n]!, e));
}
