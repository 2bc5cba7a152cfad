// quantize(), lquantize() and llquantize() as dtrace(1) draws them: the value/count header,
// one row per bucket from one below the first non-empty bucket to one above the last, bars of
// `@` scaled to the printed total (half-width bars each side of a centre line when counts of
// both signs exist), the `aggzoom` scaling and the UTF-8 bars of `-x encoding=utf8`.
// Facts from reference §5 and dt_consume.c; the code is ours.

export interface HistogramStyle {
  /** aggzoom: the largest bar fills ~95% of the width. */
  zoom: boolean;
  /** encoding=utf8: Unicode block elements with eighth-steps. */
  utf8: boolean;
}

const BAR = 40;
const ZOOM_MAX = 0.95;
const HEADER = `\n${'value'.padStart(16)} ${'------------- Distribution -------------'.padStart(41)} ${'count'.padEnd(9)}\n`;

export const QUANTIZE_BUCKETS = 127;
export const QUANTIZE_ZERO = 63;

/** The lower bound of quantize bucket i. */
export function quantizeBucketValue(i: number): bigint {
  if (i < QUANTIZE_ZERO) return -(1n << BigInt(62 - i));
  if (i === QUANTIZE_ZERO) return 0n;
  return 1n << BigInt(i - 64);
}

function signed(v: bigint): bigint {
  return BigInt.asIntN(64, v);
}

/** The sum dtrace divides by: every |count| in the printed range, or the zoomed maximum. */
function total(counts: bigint[], first: number, last: number, style: HistogramStyle): number {
  let t = 0;
  for (let i = first; i <= last; i++) {
    const v = Math.abs(Number(signed(counts[i]!)));
    if (!style.zoom) t += v;
    else if (t < v / ZOOM_MAX) t = v / ZOOM_MAX;
  }
  return t;
}

/** One row's bar and count (the label is printed before it). */
export function barLine(count: bigint, normal: bigint, tot: number, positives: boolean, negatives: boolean, style: HistogramStyle): string {
  const val = signed(count);
  // C divides the signed count by the unsigned normal: the division is unsigned.
  const shown = (normal === 1n ? val : BigInt.asIntN(64, BigInt.asUintN(64, val) / (normal === 0n ? 1n : normal))).toString().padEnd(9);
  const abs = Math.abs(Number(val));
  if (!negatives) {
    if (positives && style.utf8) return utf8Bar(abs, tot) + ` ${shown}\n`;
    const depth = positives ? Math.trunc((abs * BAR) / tot + 0.5) : 0;
    return `|${'@'.repeat(depth)}${' '.repeat(BAR - depth)} ${shown}\n`;
  }
  if (!positives) {
    const depth = Math.trunc((abs * BAR) / tot + 0.5);
    return `${' '.repeat(BAR - depth)}${'@'.repeat(depth)}| ${shown}\n`;
  }
  const half = BAR / 2;
  const depth = Math.trunc((abs * half) / tot + 0.5);
  if (val <= 0n) return `${' '.repeat(half - depth)}${'@'.repeat(depth)}|${' '.repeat(half)} ${shown}\n`;
  return `${' '.repeat(half)}|${'@'.repeat(depth)}${' '.repeat(half - depth)} ${shown}\n`;
}

/** Full blocks plus one partial eighth-block, in UTF-8 bytes (the output is a byte string). */
function utf8Bar(abs: number, tot: number): string {
  const f = (abs * BAR) / tot;
  const whole = Math.trunc(f);
  const partial = Math.trunc((f - whole) * 8);
  let s = '|' + utf8Bytes(0x2588).repeat(whole);
  let used = whole;
  if (partial !== 0) {
    s += utf8Bytes(0x258f - (partial - 1));
    used++;
  }
  return s + ' '.repeat(Math.max(0, BAR - used));
}

function utf8Bytes(cp: number): string {
  return String.fromCharCode(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
}

/**
 * The bucket range dtrace prints, [first, last]: from one below the first non-empty bucket (the
 * search stops at `limit`, one short of the last bucket) to one above the last; `empty` when
 * all are empty. The structured output prints the same range.
 */
export function printedRange(counts: bigint[], empty: [number, number], limit: number): [number, number] {
  let first = 0;
  while (first <= limit && counts[first] === 0n) first++;
  if (first > limit) return empty;
  if (first > 0) first--;
  let last = counts.length - 1;
  while (last > 0 && counts[last] === 0n) last--;
  if (last < counts.length - 1) last++;
  return [first, last];
}

function signs(counts: bigint[], first: number, last: number): [boolean, boolean] {
  let positives = false;
  let negatives = false;
  for (let i = first; i <= last; i++) {
    const v = signed(counts[i]!);
    if (v > 0n) positives = true;
    if (v < 0n) negatives = true;
  }
  return [positives, negatives];
}

/** quantize(): 127 power-of-two buckets. */
export function printQuantize(counts: bigint[], normal: bigint, style: HistogramStyle): string {
  // dtrace stops looking for data one short of the last bucket: data only there reads as none.
  const [first, last] = printedRange(counts, [QUANTIZE_ZERO - 1, QUANTIZE_ZERO + 1], QUANTIZE_BUCKETS - 2);
  const tot = total(counts, first, last, style);
  const [positives, negatives] = signs(counts, first, last);
  let out = HEADER;
  for (let i = first; i <= last; i++) {
    out += quantizeBucketValue(i).toString().padStart(16) + ' ' + barLine(counts[i]!, normal, tot, positives, negatives, style);
  }
  return out;
}

export interface LinearParams {
  base: number;
  step: number;
  levels: number;
}

/** The lquantize parameter word: step<<48 | levels<<32 | low (32 bits). */
export function decodeLquantize(param: bigint): LinearParams {
  return {
    base: Number(BigInt.asIntN(32, param & 0xffffffffn)),
    step: Number((param >> 48n) & 0xffffn),
    levels: Number((param >> 32n) & 0xffffn),
  };
}

/** lquantize(): data = [param, underflow, levels buckets, overflow]. */
export function printLquantize(data: bigint[], normal: bigint, style: HistogramStyle): string {
  const { base, step, levels } = decodeLquantize(data[0]!);
  const counts = data.slice(1);
  const [first, last] = printedRange(counts, [0, 2], levels + 1);
  const tot = total(counts, first, last, style);
  const [positives, negatives] = signs(counts, first, last);
  let out = HEADER;
  for (let i = first; i <= last; i++) {
    let label: string;
    if (i === 0) label = `< ${base}`;
    else if (i === levels + 1) label = `>= ${base + levels * step}`;
    else label = String(base + (i - 1) * step);
    out += label.padStart(16) + ' ' + barLine(counts[i] ?? 0n, normal, tot, positives, negatives, style);
  }
  return out;
}

export interface LogLinearParams {
  factor: number;
  low: number;
  high: number;
  nsteps: number;
}

/** The llquantize parameter word: factor<<48 | low<<32 | high<<16 | nsteps. */
export function decodeLlquantize(param: bigint): LogLinearParams {
  return {
    factor: Number((param >> 48n) & 0xffffn),
    low: Number((param >> 32n) & 0xffffn),
    high: Number((param >> 16n) & 0xffffn),
    nsteps: Number(param & 0xffffn),
  };
}

/** The lower bound of every llquantize bucket after the underflow one, and the overflow bound. */
export function llquantizeBounds(p: LogLinearParams): bigint[] {
  const factor = BigInt(p.factor);
  const nsteps = BigInt(p.nsteps);
  let value = 1n;
  for (let o = 0; o < p.low; o++) value *= factor;
  const bounds: bigint[] = [];
  let next = value * factor;
  let step = next > nsteps ? next / nsteps : 1n;
  let order = p.low;
  while (order <= p.high) {
    bounds.push(value);
    value += step;
    if (value !== next) continue;
    next = value * factor;
    step = next > nsteps ? next / nsteps : 1n;
    order++;
  }
  bounds.push(value);
  return bounds;
}

/** llquantize(): data = [param, underflow, buckets..., overflow]. */
export function printLlquantize(data: bigint[], normal: bigint, style: HistogramStyle): string {
  const p = decodeLlquantize(data[0]!);
  const counts = data.slice(1);
  const levels = counts.length;
  const [first, last] = printedRange(counts, [0, 1], levels - 1);
  const tot = total(counts, first, last, style);
  const [positives, negatives] = signs(counts, first, last);
  const bounds = llquantizeBounds(p);
  let out = HEADER;
  const row = (label: string, i: number): void => {
    out += label.padStart(16) + ' ' + barLine(counts[i] ?? 0n, normal, tot, positives, negatives, style);
  };
  if (first === 0) row(`< ${bounds[0]}`, 0);
  let bin = 1;
  for (; bin < bounds.length; bin++) {
    if (bin >= first && bin <= last) row(String(bounds[bin - 1]), bin);
  }
  if (last >= bin) row(`>= ${bounds[bounds.length - 1]}`, bin);
  return out;
}
