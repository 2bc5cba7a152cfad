// The value of one aggregation entry as dtrace(1) computes it for display and sorting: avg's
// integer quotient, stddev's integer square root over a 128-bit sum of squares, and the
// normalization libdtrace applies (its C arithmetic, signed and unsigned, reproduced).
import type { AggregatingFunction } from '../codegen/program';

export interface AggregationValue {
  fn: AggregatingFunction;
  /** Storage words (records.ts AggregationDelta.data layout). */
  data: bigint[];
  /** normalize()'s divisor (1 when not normalized). */
  normal: bigint;
}

const U64 = (1n << 64n) - 1n;

/** `(long long)v / normal` where normal is a uint64_t: C does the division unsigned. */
export function divideByNormal(v: bigint, normal: bigint): bigint {
  if (normal === 1n) return BigInt.asIntN(64, v);
  if (normal === 0n) return BigInt.asIntN(64, v);
  return BigInt.asIntN(64, BigInt.asUintN(64, v) / normal);
}

/** avg() as the default display shows it: signed total / normal / count (0 when empty). */
export function averageSigned(data: bigint[], normal: bigint): bigint {
  const count = BigInt.asIntN(64, data[0] ?? 0n);
  if (count === 0n) return 0n;
  const n = BigInt.asIntN(64, normal) || 1n;
  return BigInt.asIntN(64, BigInt.asIntN(64, data[1] ?? 0n) / n / count);
}

/** avg() as printa's %@ shows it: the same quotient computed on unsigned words. */
export function averageUnsigned(data: bigint[], normal: bigint): bigint {
  const count = BigInt.asUintN(64, data[0] ?? 0n);
  if (count === 0n) return 0n;
  return BigInt.asUintN(64, data[1] ?? 0n) / (normal || 1n) / count;
}

function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = BigInt(Math.floor(Math.sqrt(Number(n))));
  while (x * x > n) x--;
  while ((x + 1n) * (x + 1n) <= n) x++;
  return x;
}

/** stddev(): sqrt(avg(x²) − avg(x)²) in integers, as libdtrace computes it. */
export function standardDeviation(data: bigint[], normal: bigint): bigint {
  const count = BigInt.asUintN(64, data[0] ?? 0n);
  if (count === 0n) return 0n;
  const n = normal || 1n;
  const sumsq = (BigInt.asUintN(64, data[2] ?? 0n) << 64n) | BigInt.asUintN(64, data[3] ?? 0n);
  const avgOfSquares = sumsq / n / n / count;
  let avg = BigInt.asIntN(64, data[1] ?? 0n) / BigInt.asIntN(64, n) / BigInt.asIntN(64, count);
  if (avg < 0n) avg = -avg;
  const diff = BigInt.asUintN(128, avgOfSquares - avg * avg);
  return isqrt(diff) & U64;
}

/** Adds one snapshot's words into the running total, per the function's rule. */
export function combine(fn: AggregatingFunction, total: bigint[], delta: bigint[]): void {
  switch (fn) {
    case 'min':
      if (BigInt.asIntN(64, delta[0]!) < BigInt.asIntN(64, total[0]!)) total[0] = delta[0]!;
      return;
    case 'max':
      if (BigInt.asIntN(64, delta[0]!) > BigInt.asIntN(64, total[0]!)) total[0] = delta[0]!;
      return;
    case 'lquantize':
    case 'llquantize':
      // Word 0 is the parameter word, not a count.
      for (let i = 1; i < delta.length; i++) total[i] = BigInt.asUintN(64, (total[i] ?? 0n) + delta[i]!);
      return;
    default:
      // Every word adds on its own (the stddev sum of squares carries nothing between words).
      for (let i = 0; i < delta.length; i++) total[i] = BigInt.asUintN(64, (total[i] ?? 0n) + delta[i]!);
  }
}

/** clear(): zero the value, keeping lquantize/llquantize's parameter word. */
export function cleared(fn: AggregatingFunction, data: bigint[]): bigint[] {
  return data.map((v, i) => (i === 0 && (fn === 'lquantize' || fn === 'llquantize') ? v : 0n));
}
