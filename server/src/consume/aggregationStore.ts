// The consumer's aggregation totals (libdtrace's aggregation hash): every snapshot's deltas
// merged per (aggregation, key), plus the library actions that act on them (clear, trunc,
// normalize, denormalize) and the sorted and joined walks printa and the end of the run use.
import type { AggregationDesc, RecordType } from '../codegen/program';
import type { AggregationDelta, RecordValue } from '../vm/records';
import { averageSigned, cleared, combine, standardDeviation } from './aggregationValues';
import { decodeLlquantize, decodeLquantize, llquantizeBounds, quantizeBucketValue, QUANTIZE_ZERO } from './histograms';
import { recordBytes, unsignedAt } from './recordValues';

export interface AggregationEntry {
  id: number;
  key: RecordValue[];
  data: bigint[];
  /** normalize()'s divisor at the time it ran (entries made later start at 1, as in libdtrace). */
  normal: bigint;
}

export interface SortOptions {
  /** aggsortkey */
  byKey: boolean;
  /** aggsortrev */
  reverse: boolean;
  /** aggsortkeypos */
  keyPos: number;
  /** aggsortpos */
  valuePos: number;
}

/** One row of a joined printa: the key and each aggregation's value (zeros where absent). */
export interface JoinedRow {
  key: RecordValue[];
  keyEntry: AggregationEntry;
  values: AggregationEntry[];
}

function keyString(key: RecordValue[]): string {
  return key.map((k) => (typeof k === 'bigint' ? `i${k.toString(16)}` : `b${Buffer.from(k).toString('hex')}`)).join(',');
}

export class AggregationStore {
  private readonly entries = new Map<string, AggregationEntry>();

  constructor(private readonly descs: readonly AggregationDesc[]) {}

  desc(id: number): AggregationDesc | undefined {
    return this.descs[id - 1];
  }

  merge(deltas: readonly AggregationDelta[]): void {
    for (const d of deltas) {
      const desc = this.desc(d.id);
      if (!desc) continue;
      const k = `${d.id}|${keyString(d.key)}`;
      const e = this.entries.get(k);
      if (e) combine(desc.fn, e.data, d.data);
      else this.entries.set(k, { id: d.id, key: d.key, data: [...d.data], normal: 1n });
    }
  }

  all(): AggregationEntry[] {
    return [...this.entries.values()];
  }

  of(id: number): AggregationEntry[] {
    return this.all().filter((e) => e.id === id);
  }

  clear(id: number): void {
    const desc = this.desc(id);
    if (!desc) return;
    for (const e of this.of(id)) e.data = cleared(desc.fn, e.data);
  }

  normalize(id: number, normal: bigint): void {
    for (const e of this.of(id)) e.normal = normal;
  }

  denormalize(id: number): void {
    for (const e of this.of(id)) e.normal = 1n;
  }

  /** trunc(@, n): keep the n largest (n < 0: the |n| smallest); trunc(@) empties it. */
  trunc(id: number, n: bigint, opts: SortOptions): void {
    const keepSmallest = n < 0n;
    let remaining = keepSmallest ? -n : n;
    // dtrace_aggregate_walk_val(rev)sorted: by value whatever the sort options say.
    const sorted = this.sorted({ ...opts, byKey: false, keyPos: 0, reverse: !keepSmallest }, id);
    for (const e of sorted) {
      if (remaining > 0n) {
        remaining--;
        continue;
      }
      this.entries.delete(`${e.id}|${keyString(e.key)}`);
    }
  }

  /** Every entry (or only aggregation `id`'s) in the order of dtrace_aggregate_walk_sorted. */
  sorted(opts: SortOptions, id?: number): AggregationEntry[] {
    const cmp = (a: AggregationEntry, b: AggregationEntry): number => {
      if (a.id !== b.id) return a.id < b.id ? -1 : 1;
      if (opts.byKey) return this.compareKeys(a, b, opts.keyPos) || this.compareValues(a, b);
      return this.compareValues(a, b) || this.compareKeys(a, b, opts.keyPos);
    };
    return (id === undefined ? this.all() : this.of(id)).sort((a, b) => (opts.reverse ? cmp(b, a) : cmp(a, b)));
  }

  /** dtrace_aggregate_walk_joined: rows for the union of keys of `ids`, sorted as bundles. */
  joined(ids: readonly number[], opts: SortOptions): JoinedRow[] {
    const rows = new Map<string, JoinedRow>();
    ids.forEach((id, n) => {
      for (const e of this.of(id)) {
        const k = keyString(e.key);
        let row = rows.get(k);
        if (!row) {
          row = { key: e.key, keyEntry: e, values: [] };
          rows.set(k, row);
        }
        row.values[n] = e;
      }
    });
    const out = [...rows.values()];
    for (const row of out) {
      ids.forEach((id, n) => {
        if (!row.values[n]) row.values[n] = { id, key: row.key, data: this.zeroData(id), normal: 1n };
      });
    }
    const pos = opts.valuePos > 0 && opts.valuePos < ids.length ? opts.valuePos : 0;
    const order = [...ids.keys()].slice(pos).concat([...ids.keys()].slice(0, pos));
    const cmp = (a: JoinedRow, b: JoinedRow): number => {
      if (opts.byKey) {
        const k = this.compareKeys(a.keyEntry, b.keyEntry, opts.keyPos);
        if (k) return k;
      }
      for (const n of order) {
        const v = this.compareValues(a.values[n]!, b.values[n]!);
        if (v) return v;
      }
      return opts.byKey ? 0 : this.compareKeys(a.keyEntry, b.keyEntry, opts.keyPos);
    };
    return out.sort((a, b) => (opts.reverse ? cmp(b, a) : cmp(a, b)));
  }

  private zeroData(id: number): bigint[] {
    const desc = this.desc(id);
    const sample = this.of(id)[0];
    if (sample) return cleared(desc!.fn, sample.data);
    switch (desc?.fn) {
      case 'avg':
        return [0n, 0n];
      case 'stddev':
        return [0n, 0n, 0n, 0n];
      case 'quantize':
        return new Array<bigint>(127).fill(0n);
      default:
        return [0n];
    }
  }

  /** dt_aggregate_keycmp: fewer keys first, then each key (from aggsortkeypos, wrapping) by size, unsigned value or bytes. */
  compareKeys(a: AggregationEntry, b: AggregationEntry, keyPos: number): number {
    if (a.key.length !== b.key.length) return a.key.length < b.key.length ? -1 : 1;
    const n = a.key.length;
    // dtrace counts the aggregation id as record 0, so position n-1 already wraps to 0.
    const pos = keyPos + 1 >= n + 1 ? 0 : keyPos;
    const types = this.desc(a.id)?.keys ?? [];
    for (let i = 0; i < n; i++) {
      const ndx = (i + pos) % n;
      const c = compareKey(a.key[ndx]!, b.key[ndx]!, types[ndx]);
      if (c) return c;
    }
    return 0;
  }

  /** dt_aggregate_valcmp, per aggregating function. */
  compareValues(a: AggregationEntry, b: AggregationEntry): number {
    const fn = this.desc(a.id)?.fn ?? 'count';
    switch (fn) {
      case 'avg':
        return cmp(averageSigned(a.data, 1n), averageSigned(b.data, 1n));
      case 'stddev':
        return cmp(standardDeviation(a.data, 1n), standardDeviation(b.data, 1n));
      case 'quantize':
        return cmp(quantizedSum(a.data), quantizedSum(b.data)) || cmp(s64(a.data[QUANTIZE_ZERO]), s64(b.data[QUANTIZE_ZERO]));
      case 'lquantize':
        return cmp(lquantizedSum(a.data), lquantizedSum(b.data)) || cmp(lquantizedZero(a.data), lquantizedZero(b.data));
      case 'llquantize':
        return cmp(llquantizedSum(a.data), llquantizedSum(b.data));
      default:
        return cmp(s64(a.data[0]), s64(b.data[0]));
    }
  }
}

function s64(v: bigint | undefined): bigint {
  return BigInt.asIntN(64, v ?? 0n);
}

function cmp(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function keySize(v: RecordValue, t: RecordType | undefined): number {
  if (v instanceof Uint8Array) return v.length;
  return t && t.k === 'int' ? t.size : 8;
}

function compareKey(a: RecordValue, b: RecordValue, t: RecordType | undefined): number {
  const sa = keySize(a, t);
  const sb = keySize(b, t);
  if (sa !== sb) return sa < sb ? -1 : 1;
  if (sa === 1 || sa === 2 || sa === 4 || sa === 8) return cmp(unsignedAt(a, sa), unsignedAt(b, sb));
  const x = recordBytes(a, sa);
  const y = recordBytes(b, sb);
  if (t?.k === 'symbol' && t.user) {
    for (let j = 0; j < 2; j++) {
      const c = cmp(unsignedAt(x.subarray(j * 8), 8), unsignedAt(y.subarray(j * 8), 8));
      if (c) return c;
    }
    return 0;
  }
  for (let i = 0; i < sa; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  return 0;
}

function quantizedSum(data: bigint[]): bigint {
  let t = 0n;
  for (let i = 0; i < data.length; i++) t += quantizeBucketValue(i) * s64(data[i]);
  return t;
}

function lquantizedSum(data: bigint[]): bigint {
  const { base, step, levels } = decodeLquantize(data[0] ?? 0n);
  let b = BigInt(base);
  let t = s64(data[1]) * (b - 1n);
  for (let i = 0; i < levels; i++, b += BigInt(step)) t += s64(data[i + 2]) * b;
  return t + s64(data[levels + 2]) * (b + 1n);
}

function lquantizedZero(data: bigint[]): bigint {
  const { base, step, levels } = decodeLquantize(data[0] ?? 0n);
  let b = base;
  if (b - 1 === 0) return s64(data[1]);
  for (let i = 0; i < levels; i++, b += step) if (b === 0) return s64(data[i + 2]);
  if (b + 1 === 0) return s64(data[levels + 2]);
  return 0n;
}

function llquantizedSum(data: bigint[]): bigint {
  const bounds = llquantizeBounds(decodeLlquantize(data[0] ?? 0n));
  let t = 0n;
  // The underflow bucket weighs nothing; each other bucket its lower bound.
  for (let i = 2; i < data.length; i++) t += s64(data[i]) * (bounds[i - 2] ?? 0n);
  return t;
}
