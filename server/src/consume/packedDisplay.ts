// The display options of the default aggregation layout: `agghist` draws count()/sum() values
// as bars of a histogram over the keys, `aggpack` draws each quantize()/lquantize() entry on one
// line. Both print a header before the first entry of each aggregation and size every key
// column by its record (3/5/8/16 digits, 16 for anything else). Facts from reference §5 and
// dt_consume.c/dt_aggregate.c (dt_print_packed, dt_aggregate_total, dt_aggregate_minmaxbin).
import type { AggregatingFunction, RecordType } from '../codegen/program';
import type { AggregationEntry } from './aggregationStore';
import { standardDeviation } from './aggregationValues';
import { barLine, decodeLquantize, quantizeBucketValue, QUANTIZE_BUCKETS, QUANTIZE_ZERO, type HistogramStyle } from './histograms';

const ZOOM_MAX = 0.95;

export interface HistTotals {
  total: number;
  positives: boolean;
  negatives: boolean;
}

/** dt_aggregate_total: per aggregation, the sum of |value| (the largest, zoomed, with aggzoom). */
export function histTotals(entries: readonly AggregationEntry[], fnOf: (id: number) => AggregatingFunction | undefined, zoom: boolean): Map<number, HistTotals> {
  const out = new Map<number, HistTotals>();
  for (const e of entries) {
    const fn = fnOf(e.id);
    let val: bigint;
    if (fn === 'sum' || fn === 'count') val = BigInt.asIntN(64, e.data[0] ?? 0n);
    else if (fn === 'avg') val = (e.data[0] ?? 0n) !== 0n ? BigInt.asIntN(64, e.data[1]!) / BigInt.asIntN(64, e.data[0]!) : 0n;
    else if (fn === 'stddev') val = BigInt.asIntN(64, standardDeviation(e.data, 1n));
    else continue;
    const t = out.get(e.id) ?? { total: 0, positives: false, negatives: false };
    if (val > 0n) t.positives = true;
    if (val < 0n) {
      t.negatives = true;
      val = -val;
    }
    if (zoom) {
      const z = Math.trunc(Number(val) * (1 / ZOOM_MAX));
      if (z > t.total) t.total = z;
    } else t.total += Number(val);
    out.set(e.id, t);
  }
  return out;
}

/** dt_aggregate_minmaxbin: per quantize aggregation, the first and last non-empty buckets. */
export function packBins(entries: readonly AggregationEntry[], fnOf: (id: number) => AggregatingFunction | undefined): Map<number, [number, number]> {
  const out = new Map<number, [number, number]>();
  for (const e of entries) {
    const fn = fnOf(e.id);
    let min = -1;
    let max = -1;
    if (fn === 'lquantize') {
      // The whole range always shows (the parameter word counts in the record size).
      min = 1;
      max = e.data.length - 2;
    } else if (fn === 'quantize') {
      e.data.forEach((v, i) => {
        if (v === 0n) return;
        if (min === -1) min = i;
        max = i;
      });
      if (min === -1) min = max = QUANTIZE_ZERO;
    } else continue;
    const cur = out.get(e.id);
    if (!cur) out.set(e.id, [min, max]);
    else out.set(e.id, [Math.min(cur[0], min), Math.max(cur[1], max)]);
  }
  return out;
}

const PACKED_WIDTH: Record<number, number> = { 1: 3, 2: 5, 4: 8, 8: 16 };

export function packedKeyWidth(t: RecordType): number {
  const size = t.k === 'int' || t.k === 'string' || t.k === 'bytes' ? t.size : 0;
  return PACKED_WIDTH[size] ?? 16;
}

/** The width of the key columns: each key's packed width plus its separating space. */
export function keyColumnsWidth(keys: readonly RecordType[]): number {
  return keys.reduce((w, k) => w + packedKeyWidth(k) + 1, 0);
}

/** The agghist header (dt_print_quanthdr with a key column). */
export function histHeader(width: number): string {
  return `\n${(width ? 'key' : 'value').padStart(width || 16)} ${'------------- Distribution -------------'.padStart(41)} ${'count'.padEnd(9)}\n`;
}

/** An agghist value: a space and the bar line against the aggregation's total. */
export function histValue(fn: AggregatingFunction, data: bigint[], normal: bigint, t: HistTotals, style: HistogramStyle): string {
  // libdtrace draws the first word of the value whatever the function.
  void fn;
  return ' ' + barLine(data[0] ?? 0n, normal, t.total, t.positives, t.negatives, style);
}

/** dt_ndigits: digits of a value (a minus sign counts), at least 4, as libdtrace counts them. */
export function ndigits(v: bigint): number {
  let r = 1;
  let val = v;
  if (val < 0n) {
    val = val === -(1n << 63n) ? (1n << 63n) - 1n : -val;
    r++;
  }
  let cmp = 10n;
  while (val > cmp && cmp > 0n) {
    r++;
    cmp = BigInt.asIntN(64, cmp * 10n);
  }
  return r < 4 ? 4 : r;
}

function quantizeRange(bins: [number, number]): [number, number] {
  let [min, max] = bins;
  if (min !== 0 && min !== QUANTIZE_ZERO) min--;
  if (max < QUANTIZE_BUCKETS - 1) max++;
  return [min, max];
}

/** The aggpack header: key column, `min .----. max | count`. */
export function packHeader(fn: AggregatingFunction, width: number, bins: [number, number]): string {
  let min: number;
  let max: number;
  let minWidth: number;
  let maxWidth: number;
  if (fn === 'quantize') {
    [min, max] = quantizeRange(bins);
    minWidth = ndigits(quantizeBucketValue(min));
    maxWidth = ndigits(quantizeBucketValue(max));
  } else {
    [min, max] = bins;
    maxWidth = 8;
    minWidth = 7;
    max++;
  }
  return `\n${(width > 0 ? 'key' : '').padStart(width)} ${'min'.padStart(minWidth)} .${'-'.repeat(max - min + 1)}. ${'max'.padEnd(maxWidth)} | count\n`;
}

/** Whether packed bars use Unicode blocks: encoding=utf8, or unset on a terminal that can show them. */
export function packUtf8(encoding: string | undefined): boolean {
  if (encoding === 'ascii') return false;
  if (encoding === 'utf8') return true;
  const term = process.env.TERM;
  return !(term === 'sun' || term === 'sun-color' || term === 'dumb');
}

function packedChar(datum: number, total: number, utf8: boolean): string {
  if (datum === 0) return ' ';
  if (datum < 0) {
    const neg = 'vvvvVV';
    return neg[Math.trunc(Math.abs(datum * (neg.length - 1)) / total + 0.5)] ?? 'V';
  }
  if (utf8) {
    const block = 0x2581 + Math.trunc((datum * 7) / total + 0.5);
    return String.fromCharCode(0xe0 | (block >> 12), 0x80 | ((block >> 6) & 0x3f), 0x80 | (block & 0x3f));
  }
  const ascii = '__xxxxXX';
  return ascii[Math.trunc((datum * (ascii.length - 1)) / total + 0.5)] ?? 'X';
}

function packedTotal(counts: number[], zoom: boolean): number {
  let t = 0;
  for (const c of counts) {
    const v = Math.abs(c);
    if (!zoom) t += v;
    else if (t < v / ZOOM_MAX) t = v / ZOOM_MAX;
  }
  return t;
}

/** One packed quantize/lquantize value: ` min :bars: max | count`. */
export function packValue(fn: AggregatingFunction, data: bigint[], bins: [number, number], style: HistogramStyle, utf8: boolean): string {
  if (fn === 'quantize') {
    const [min, max] = quantizeRange(bins);
    const minVal = quantizeBucketValue(min);
    const maxVal = quantizeBucketValue(max);
    const counts = data.slice(min, max + 1).map((v) => Number(BigInt.asIntN(64, v)));
    const total = packedTotal(counts, style.zoom);
    const count = counts.reduce((a, b) => a + b, 0);
    return ` ${minVal.toString().padStart(ndigits(minVal))} :${counts.map((c) => packedChar(c, total, utf8)).join('')}: ${maxVal.toString().padEnd(ndigits(maxVal))} | ${count}\n`;
  }
  const { base, step, levels } = decodeLquantize(data[0] ?? 0n);
  const counts = data.slice(1, levels + 3).map((v) => Number(BigInt.asIntN(64, v)));
  const total = packedTotal(counts, style.zoom);
  const count = counts.reduce((a, b) => a + b, 0);
  return `${`< ${base}`.padStart(8)} :${counts.map((c) => packedChar(c, total, utf8)).join('')}: ${`>= ${base + levels * step}`.padEnd(8)} | ${count}\n`;
}
