// The aggregating functions' update rules (reference §5, dtrace_aggregate_*), on the storage
// words the consumer receives in AggregationDelta.data. Words are unsigned 64-bit bigints.

import type { AggregatingFunction, AggregationDesc } from '../codegen/program';
import { llquantizeLastBucket } from '../codegen/actions';

const U64 = (1n << 64n) - 1n;
const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN_U = 1n << 63n;
const toS = (v: bigint): bigint => BigInt.asIntN(64, v);
const toU = (v: bigint): bigint => BigInt.asUintN(64, v);

/** DTRACE_QUANTIZE_NBUCKETS and the zero bucket's index. */
export const QUANTIZE_BUCKETS = 127;
export const QUANTIZE_ZERO = 63;

/** lquantize's parameter word: step<<48 | levels<<32 | (uint32)base. */
export function lquantizeParts(param: bigint): { base: number; step: number; levels: number } {
  return {
    base: Number(BigInt.asIntN(32, param & 0xffffffffn)),
    levels: Number((param >> 32n) & 0xffffn),
    step: Number((param >> 48n) & 0xffffn),
  };
}

/** llquantize's parameter word: factor<<48 | low<<32 | high<<16 | nsteps. */
export function llquantizeParts(param: bigint): { factor: number; low: number; high: number; nsteps: number } {
  return {
    factor: Number((param >> 48n) & 0xffffn),
    low: Number((param >> 32n) & 0xffffn),
    high: Number((param >> 16n) & 0xffffn),
    nsteps: Number(param & 0xffffn),
  };
}

/** quantize(): bucket of a signed 64-bit value. */
export function quantizeBucket(value: bigint): number {
  const v = toS(value);
  if (v === 0n) return QUANTIZE_ZERO;
  if (v > 0n) {
    // highest power of two ≤ v: 1 → 64, 2..3 → 65, ..., ≥ 2^62 → 126
    let bits = 0;
    for (let x = v; x > 1n; x >>= 1n) bits++;
    return Math.min(QUANTIZE_ZERO + 1 + bits, QUANTIZE_BUCKETS - 1);
  }
  // first bucket whose value -2^(62-i) is ≥ v: -1 → 62, -2..-3 → 61, ...
  const m = -v;
  let bits = 0;
  for (let x = m; x > 1n; x >>= 1n) bits++;
  return Math.max(QUANTIZE_ZERO - 1 - bits, 0);
}

export function lquantizeBucket(param: bigint, value: bigint): number {
  const { base, step, levels } = lquantizeParts(param);
  const v = Number(BigInt.asIntN(32, value & 0xffffffffn));
  if (v < base) return 0;
  if (v >= base + levels * step) return levels + 1;
  return 1 + Math.floor((v - base) / step);
}

/** Number of llquantize buckets (underflow, each magnitude's steps, overflow). */
export function llquantizeBucketCount(param: bigint): number {
  // The record size the code generator laid out: the bucket INT64_MAX falls in is the last.
  const { factor, low, high, nsteps } = llquantizeParts(param);
  return llquantizeLastBucket(BigInt(factor), BigInt(low), BigInt(high), BigInt(nsteps)) + 1;
}

export function llquantizeBucket(param: bigint, value: bigint): number {
  const { factor, low, high, nsteps } = llquantizeParts(param);
  const f = BigInt(factor);
  let v = toS(value);
  let lowest = f ** BigInt(low);
  if (v < lowest) return 0;
  let bucket = 1;
  let top = lowest * f;
  for (let order = low; order <= high; order++) {
    const steps = top > BigInt(nsteps) ? BigInt(nsteps) : top;
    const next = top * f;
    // A magnitude whose next power overflows 64 bits takes every larger value.
    if (next > INT64_MAX) v = v < top ? v : top - 1n;
    if (v < top) return bucket + Number((v - lowest) / (top / steps));
    bucket += Number(steps - steps / f);
    lowest = top;
    top = next;
  }
  return bucket;
}

/** Initial storage words of a new key (before its first update). */
export function initialData(desc: AggregationDesc): bigint[] {
  return initialWords(desc.fn, desc.param ?? 0n);
}

export function initialWords(fn: AggregatingFunction, param: bigint): bigint[] {
  switch (fn) {
    case 'count':
    case 'sum':
      return [0n];
    case 'min':
      return [INT64_MAX];
    case 'max':
      return [INT64_MIN_U];
    case 'avg':
      return [0n, 0n];
    case 'stddev':
      return [0n, 0n, 0n, 0n];
    case 'quantize':
      return new Array<bigint>(QUANTIZE_BUCKETS).fill(0n);
    case 'lquantize':
      return [param, ...new Array<bigint>(lquantizeParts(param).levels + 2).fill(0n)];
    case 'llquantize':
      return [param, ...new Array<bigint>(llquantizeBucketCount(param)).fill(0n)];
  }
}

/** Applies one aggregated value (and increment, for the histogram functions) to `data`. */
export function aggregateInto(fn: AggregatingFunction, data: bigint[], value: bigint, incr: bigint): void {
  switch (fn) {
    case 'count':
      data[0] = toU(data[0]! + 1n);
      return;
    case 'sum':
      data[0] = toU(data[0]! + value);
      return;
    case 'min':
      if (toS(value) < toS(data[0]!)) data[0] = value;
      return;
    case 'max':
      if (toS(value) > toS(data[0]!)) data[0] = value;
      return;
    case 'avg':
      data[0] = toU(data[0]! + 1n);
      data[1] = toU(data[1]! + value);
      return;
    case 'stddev': {
      data[0] = toU(data[0]! + 1n);
      data[1] = toU(data[1]! + value);
      const s = toS(value);
      const sq = (s < 0n ? -s : s) ** 2n;
      const sum = ((data[2]! << 64n) | data[3]!) + sq;
      data[2] = (sum >> 64n) & U64;
      data[3] = sum & U64;
      return;
    }
    case 'quantize': {
      const b = quantizeBucket(value);
      data[b] = toU(data[b]! + incr);
      return;
    }
    case 'lquantize': {
      const b = 1 + lquantizeBucket(data[0]!, value);
      data[b] = toU(data[b]! + incr);
      return;
    }
    case 'llquantize': {
      const b = 1 + llquantizeBucket(data[0]!, value);
      data[b] = toU(data[b]! + incr);
      return;
    }
  }
}
