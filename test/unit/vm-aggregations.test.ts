// Aggregating functions: the update rules and bucket rules of reference §5, exactly.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  llquantizeBucket,
  llquantizeBucketCount,
  lquantizeBucket,
  quantizeBucket,
} from '../../server/src/vm/aggregate.ts';
import { runD, text } from '../support/vmRun.ts';

const u = (v: bigint): bigint => BigInt.asUintN(64, v);
const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

/** The data words of each aggregation key after the whole run (single CPU: the last snapshot). */
async function aggregated(body: string, x: Record<string, string> = {}) {
  const r = await runD(`BEGIN { ${body} }`, { x });
  const out: Record<string, bigint[]> = {};
  for (const e of r.sink.events) {
    if (e.k !== 'aggregations') continue;
    for (const d of e.deltas) out[`${d.id}[${d.key.map((k) => (typeof k === 'bigint' ? String(k) : text(k))).join(',')}]`] = d.data;
  }
  return out;
}

describe('VM aggregations: bucket rules', () => {
  it('quantize: zero bucket 63, powers of two up and down', () => {
    const cases: [bigint, number][] = [
      [0n, 63],
      [1n, 64],
      [2n, 65],
      [3n, 65],
      [4n, 66],
      [1023n, 73],
      [1024n, 74],
      [1n << 62n, 126],
      [INT64_MAX, 126],
      [-1n, 62],
      [-2n, 61],
      [-3n, 61],
      [-4n, 60],
      [-(1n << 62n), 0],
      [INT64_MIN, 0],
    ];
    for (const [v, b] of cases) assert.equal(quantizeBucket(u(v)), b, String(v));
  });

  it('lquantize: below low, steps, at and above the top; values truncated to 32 bits', () => {
    // lquantize(x, 0, 100, 10): base 0, levels 10, step 10
    const param = (10n << 48n) | (10n << 32n) | 0n;
    const cases: [bigint, number][] = [
      [-1n, 0],
      [0n, 1],
      [9n, 1],
      [10n, 2],
      [99n, 10],
      [100n, 11],
      [1000n, 11],
      [(1n << 32n) + 5n, 1],
    ];
    for (const [v, b] of cases) assert.equal(lquantizeBucket(param, u(v)), b, String(v));
    // negative base: lquantize(x, -10, 10, 5)
    const neg = (5n << 48n) | (4n << 32n) | u(-10n) & 0xffffffffn;
    assert.deepEqual([-11n, -10n, -6n, -5n, 9n, 10n].map((v) => lquantizeBucket(neg, u(v))), [0, 1, 1, 2, 4, 5]);
  });

  it('llquantize: magnitudes cut into steps, underflow and overflow buckets', () => {
    // llquantize(x, 10, 0, 2, 10): [0,1) underflow? no: low 0 → values < 1 go to bucket 0
    const param = (10n << 48n) | (0n << 32n) | (2n << 16n) | 10n;
    // magnitude 0: [1,10) in steps of 1 → 9 buckets (1..9); magnitude 1: [10,100) step 10 → 9; magnitude 2: [100,1000) step 100 → 9
    assert.equal(llquantizeBucketCount(param), 1 + 9 + 9 + 9 + 1);
    const cases: [bigint, number][] = [
      [0n, 0],
      [1n, 1],
      [9n, 9],
      [10n, 10],
      [19n, 10],
      [20n, 11],
      [99n, 18],
      [100n, 19],
      [999n, 27],
      [1000n, 28],
      [-5n, 0],
    ];
    for (const [v, b] of cases) assert.equal(llquantizeBucket(param, u(v)), b, String(v));
    // factor 2, nsteps 4, low 0, high 3: small magnitudes have fewer steps than nsteps
    const p2 = (2n << 48n) | (0n << 32n) | (3n << 16n) | 4n;
    // m0: [1,2) 2 steps of size 1 over [0,2) → 1 bucket at/above 1; m1: [2,4) steps of 1 → 2 buckets; m2: [4,8) 4 steps of 2 → 2; m3: [8,16) 4 steps of 4 → 2
    assert.equal(llquantizeBucketCount(p2), 1 + 1 + 2 + 2 + 2 + 1);
    assert.deepEqual([0n, 1n, 2n, 3n, 4n, 5n, 6n, 8n, 12n, 15n, 16n].map((v) => llquantizeBucket(p2, v)), [0, 1, 2, 3, 4, 4, 5, 6, 7, 7, 8]);
  });
});

describe('VM aggregations: update rules through D', () => {
  it('count, sum, min, max, avg', async () => {
    const a = await aggregated('@c = count(); @c = count(); @s = sum(5); @s = sum(-7); @mn = min(3); @mn = min(-2); @mx = max(-9); @mx = max(-4); @av = avg(4); @av = avg(7);');
    assert.deepEqual(a['1[]'], [2n]);
    assert.deepEqual(a['2[]'], [u(-2n)]);
    assert.deepEqual(a['3[]'], [u(-2n)]);
    assert.deepEqual(a['4[]'], [u(-4n)]);
    assert.deepEqual(a['5[]'], [2n, 11n]);
  });

  it('min and max of a single value start from INT64_MAX / INT64_MIN', async () => {
    const a = await aggregated('@mn = min(INT64_MAX); @mx = max(INT64_MIN); @m2 = min(INT64_MAX);'.replace(/INT64_MAX/g, '0x7fffffffffffffff').replace(/INT64_MIN/g, '(-0x7fffffffffffffff - 1)'));
    assert.deepEqual(a['1[]'], [INT64_MAX]);
    assert.deepEqual(a['2[]'], [u(INT64_MIN)]);
  });

  it('stddev keeps count, sum and a 128-bit sum of squares', async () => {
    const a = await aggregated('@d = stddev(3); @d = stddev(-4); @d = stddev(0x7fffffffffffffff);');
    const sq = 9n + 16n + INT64_MAX * INT64_MAX;
    assert.deepEqual(a['1[]'], [3n, u(3n - 4n + INT64_MAX), sq >> 64n, sq & ((1n << 64n) - 1n)]);
  });

  it('keys: integers and strings, one entry per distinct tuple', async () => {
    const a = await aggregated('@[1, "a"] = count(); @[1, "a"] = count(); @[2, "a"] = count(); @[1, "b"] = count();');
    assert.deepEqual(a, { '1[1,a]': [2n], '1[2,a]': [1n], '1[1,b]': [1n] });
  });

  it('quantize, lquantize and llquantize with increments', async () => {
    const a = await aggregated('@q = quantize(5); @q = quantize(-1, 3); @l = lquantize(25, 0, 100, 10); @l = lquantize(-5, 0, 100, 10, 4); @ll = llquantize(150, 10, 0, 2, 10);');
    const q = new Array<bigint>(127).fill(0n);
    q[66] = 1n;
    q[62] = 3n;
    assert.deepEqual(a['1[]'], q);
    const l = a['2[]']!;
    assert.equal(l.length, 1 + 12);
    // data[0] is the parameter word: -5 lands in bucket 0 (data[1]), 25 in bucket 3 (data[4])
    assert.deepEqual([l[1], l[4]], [4n, 1n]);
    const ll = a['3[]']!;
    assert.equal(ll.length, 1 + 29);
    assert.equal(ll[1 + 19], 1n);
  });

  it('an aggregation buffer too small for a new key counts an aggregation drop', async () => {
    // 512 bytes: the 24-byte header and an 8-entry hash table leave 424 bytes; each key takes
    // 24 bytes of data (id, key, count) growing up and a 24-byte descriptor growing down, so
    // the ninth key no longer fits.
    const adds = Array.from({ length: 10 }, (_, i) => `@[${i + 1}] = count();`).join(' ');
    const r = await runD(`BEGIN { ${adds} @[1] = count(); }`, { x: { aggsize: '512' } });
    const keys = r.sink.events.flatMap((e) => (e.k === 'aggregations' ? e.deltas.map((d) => `${d.key[0]}=${d.data[0]}`) : []));
    assert.deepEqual(keys, ['1=2', '2=1', '3=1', '4=1', '5=1', '6=1', '7=1', '8=1']);
    assert.deepEqual(r.sink.drops(), [{ kind: 'AGGREGATION', cpu: 0, count: 2 }]);
  });
});
