// Aggregations as the consumer keeps and prints them, from hand-made snapshots: merging deltas
// per function, each function's default printa value, quantize/lquantize/llquantize histograms
// (negative counts, all-zero, edge buckets, aggzoom, utf8), sorting (value then key, aggsortkey,
// aggsortrev, aggsortkeypos, joined printa) and clear/trunc/normalize. Expected texts follow
// reference §5.
// Run: node --import tsx --test test/unit/consume-aggregations.test.ts
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AggregationDesc } from '../../server/src/codegen/program.ts';
import { AggregationStore, type SortOptions } from '../../server/src/consume/aggregationStore.ts';
import { defaultRow, aggregationValue } from '../../server/src/consume/aggregationPrint.ts';
import { standardDeviation } from '../../server/src/consume/aggregationValues.ts';
import { printLlquantize, printLquantize, printQuantize } from '../../server/src/consume/histograms.ts';

const STYLE = { zoom: false, utf8: false };
const ENV = { histogram: STYLE, stackIndent: 14 };
const SORT: SortOptions = { byKey: false, reverse: false, keyPos: 0, valuePos: 0 };
const HEADER = '\n           value  ------------- Distribution ------------- count    \n';
const u = (n: number | bigint): bigint => BigInt.asUintN(64, BigInt(n));

function str(s: string, size = 16): Uint8Array {
  const b = new Uint8Array(size);
  b.set(Buffer.from(s));
  return b;
}

function quantize(entries: Record<number, number>): bigint[] {
  const data = new Array<bigint>(127).fill(0n);
  for (const [i, n] of Object.entries(entries)) data[Number(i)] = u(n);
  return data;
}

const row = (label: string, bar: string, count: number): string => `${label.padStart(16)} |${bar.padEnd(40)} ${String(count).padEnd(9)}\n`;

describe('quantize histograms', () => {
  it('prints from one bucket below the first count to one above the last', () => {
    // values 1 (bucket 64) once, 2..3 (bucket 65) three times
    assert.equal(printQuantize(quantize({ 64: 1, 65: 3 }), 1n, STYLE), HEADER + row('0', '', 0) + row('1', '@'.repeat(10), 1) + row('2', '@'.repeat(30), 3) + row('4', '', 0));
  });
  it('prints the three buckets around zero when every count is zero', () => {
    assert.equal(printQuantize(quantize({}), 1n, STYLE), HEADER + row('-1', '', 0) + row('0', '', 0) + row('1', '', 0));
  });
  it('reads data only in the last bucket as no data (dtrace stops one short)', () => {
    assert.equal(printQuantize(quantize({ 126: 1 }), 1n, STYLE), HEADER + row('-1', '', 0) + row('0', '', 0) + row('1', '', 0));
  });
  it('labels negative buckets with negative powers of two', () => {
    assert.equal(printQuantize(quantize({ 61: 1 }), 1n, STYLE), HEADER + row('-4', '', 0) + row('-2', '@'.repeat(40), 1) + row('-1', '', 0));
  });
  it('draws bars to the left of the line when every count is negative', () => {
    const h = printQuantize(quantize({ 64: -2 }), 1n, STYLE);
    assert.equal(h, HEADER + `${'0'.padStart(16)} ${' '.repeat(40)}| 0        \n${'1'.padStart(16)} ${'@'.repeat(40)}| -2       \n${'2'.padStart(16)} ${' '.repeat(40)}| 0        \n`);
  });
  it('draws half bars each side of a centre line when counts of both signs exist', () => {
    const h = printQuantize(quantize({ 65: -1, 66: 3 }), 1n, STYLE);
    assert.equal(
      h,
      HEADER +
        `${'1'.padStart(16)} ${' '.repeat(20)}|${' '.repeat(20)} 0        \n` +
        `${'2'.padStart(16)} ${' '.repeat(15)}${'@'.repeat(5)}|${' '.repeat(20)} -1       \n` +
        `${'4'.padStart(16)} ${' '.repeat(20)}|${'@'.repeat(15)}${' '.repeat(5)} 3        \n` +
        `${'8'.padStart(16)} ${' '.repeat(20)}|${' '.repeat(20)} 0        \n`,
    );
  });
  it('divides the shown counts by the normalization but not the bars', () => {
    assert.equal(printQuantize(quantize({ 64: 30 }), 10n, STYLE), HEADER + row('0', '', 0) + row('1', '@'.repeat(40), 3) + row('2', '', 0));
  });
  it('with aggzoom scales the largest bar to 95% of the width', () => {
    assert.equal(printQuantize(quantize({ 64: 1, 65: 3 }), 1n, { zoom: true, utf8: false }), HEADER + row('0', '', 0) + row('1', '@'.repeat(13), 1) + row('2', '@'.repeat(38), 3) + row('4', '', 0));
  });
  it('with encoding=utf8 draws block elements with eighths', () => {
    const h = Buffer.from(printQuantize(quantize({ 64: 1, 65: 2 }), 1n, { zoom: false, utf8: true }), 'latin1').toString('utf8');
    // 1/3 of 40 = 13.33: 13 full blocks and a 2/8 block; 2/3 = 26.67: 26 full and a 5/8 block.
    assert.ok(h.includes(`${'1'.padStart(16)} |${'█'.repeat(13)}▎${' '.repeat(26)} 1`), h);
    assert.ok(h.includes(`${'2'.padStart(16)} |${'█'.repeat(26)}▋${' '.repeat(13)} 2`), h);
  });
});

describe('lquantize histograms', () => {
  // step 10, 10 levels from 0: param = 10<<48 | 10<<32 | 0
  const param = (10n << 48n) | (10n << 32n);
  const data = (counts: Record<number, number>): bigint[] => {
    const d = new Array<bigint>(13).fill(0n);
    d[0] = param;
    for (const [i, n] of Object.entries(counts)) d[Number(i) + 1] = u(n);
    return d;
  };
  it('labels the underflow and overflow buckets with < and >=', () => {
    const h = printLquantize(data({ 0: 1, 11: 1 }), 1n, STYLE);
    assert.ok(h.startsWith(HEADER + row('< 0', '@'.repeat(20), 1) + row('0', '', 0)));
    assert.ok(h.endsWith(row('90', '', 0) + row('>= 100', '@'.repeat(20), 1)));
  });
  it('prints the first three buckets when every count is zero', () => {
    assert.equal(printLquantize(data({}), 1n, STYLE), HEADER + row('< 0', '', 0) + row('0', '', 0) + row('10', '', 0));
  });
  it('labels buckets of a negative range', () => {
    const p = (5n << 48n) | (4n << 32n) | BigInt.asUintN(32, -10n);
    const d = [p, 0n, 1n, 0n, 0n, 0n, 0n];
    assert.equal(printLquantize(d, 1n, STYLE), HEADER + row('< -10', '', 0) + row('-10', '@'.repeat(40), 1) + row('-5', '', 0));
  });
});

describe('llquantize histograms', () => {
  // factor 10, low 0, high 1, 10 steps: < 1, 1..9, 10..90, >= 100
  const param = (10n << 48n) | (0n << 32n) | (1n << 16n) | 10n;
  it('labels linear steps within each power of the factor', () => {
    const d = [param, 0n, ...new Array<bigint>(18).fill(0n), 0n];
    d[1 + 5] = 1n; // value 5 (bucket 1..9 starts at index 1)
    d[1 + 9 + 4] = 1n; // 40 (buckets: < 1, 1..9, 10..90)
    const h = printLlquantize(d, 1n, STYLE);
    assert.equal(h, HEADER + row('4', '', 0) + row('5', '@'.repeat(20), 1) + row('6', '', 0) + row('7', '', 0) + row('8', '', 0) + row('9', '', 0) + row('10', '', 0) + row('20', '', 0) + row('30', '', 0) + row('40', '@'.repeat(20), 1) + row('50', '', 0));
  });
  it('prints the first two buckets when every count is zero', () => {
    const d = [param, ...new Array<bigint>(20).fill(0n)];
    assert.equal(printLlquantize(d, 1n, STYLE), HEADER + row('< 1', '', 0) + row('1', '', 0));
  });
  it('labels the overflow bucket with the next power', () => {
    const d = [param, ...new Array<bigint>(20).fill(0n)];
    d[20] = 2n;
    assert.equal(printLlquantize(d, 1n, STYLE), HEADER + row('90', '', 0) + row('>= 100', '@'.repeat(40), 2));
  });
});

function store(descs: AggregationDesc[]): AggregationStore {
  return new AggregationStore(descs);
}

describe('merging snapshots', () => {
  it('adds counts and sums, keeps min and max, adds avg/stddev words', () => {
    const s = store([
      { id: 1, name: 'c', fn: 'count', keys: [] },
      { id: 2, name: 'mn', fn: 'min', keys: [] },
      { id: 3, name: 'mx', fn: 'max', keys: [] },
      { id: 4, name: 'a', fn: 'avg', keys: [] },
    ]);
    s.merge([{ id: 1, cpu: 0, key: [], data: [2n] }, { id: 2, cpu: 0, key: [], data: [u(-3)] }, { id: 3, cpu: 0, key: [], data: [5n] }, { id: 4, cpu: 0, key: [], data: [1n, 10n] }]);
    s.merge([{ id: 1, cpu: 1, key: [], data: [3n] }, { id: 2, cpu: 1, key: [], data: [4n] }, { id: 3, cpu: 1, key: [], data: [u(-9)] }, { id: 4, cpu: 1, key: [], data: [2n, 5n] }]);
    assert.deepEqual(s.all().map((e) => e.data), [[5n], [u(-3)], [5n], [3n, 15n]]);
  });
  it('keeps the lquantize parameter word and adds the buckets', () => {
    const s = store([{ id: 1, name: 'l', fn: 'lquantize', keys: [], param: 99n }]);
    s.merge([{ id: 1, cpu: 0, key: [], data: [99n, 1n, 2n] }]);
    s.merge([{ id: 1, cpu: 0, key: [], data: [99n, 1n, 0n] }]);
    assert.deepEqual(s.all()[0]!.data, [99n, 2n, 2n]);
  });
  it('keeps one entry per key', () => {
    const s = store([{ id: 1, name: 'c', fn: 'count', keys: [{ k: 'string', size: 16 }] }]);
    s.merge([{ id: 1, cpu: 0, key: [str('a')], data: [1n] }, { id: 1, cpu: 0, key: [str('b')], data: [1n] }, { id: 1, cpu: 1, key: [str('a')], data: [1n] }]);
    assert.equal(s.all().length, 2);
  });
});

describe('default printa rows', () => {
  const desc = (fn: AggregationDesc['fn'], keys: AggregationDesc['keys'] = []): AggregationDesc => ({ id: 1, name: 'x', fn, keys });
  const rowOf = (d: AggregationDesc, key: (bigint | Uint8Array)[], data: bigint[], normal = 1n): string => defaultRow(d, key, [aggregationValue(d, { id: 1, key, data, normal })], ENV);
  it('prints scalars as %16lld after keys by size', () => {
    assert.equal(rowOf(desc('count'), [], [7n]), '                7\n');
    assert.equal(rowOf(desc('sum', [{ k: 'int', size: 4, signed: true }]), [u(-1)], [u(-5)]), '       -1               -5\n');
    assert.equal(rowOf(desc('sum', [{ k: 'int', size: 1, signed: true }, { k: 'int', size: 2, signed: true }, { k: 'int', size: 8, signed: true }]), [255n, 65535n, u(-2)], [1n]), ' 255 65535               -2                1\n');
  });
  it('prints string keys left-justified in 50 columns', () => {
    assert.equal(rowOf(desc('count', [{ k: 'string', size: 16 }]), [str('bash')], [3n]), `  ${'bash'.padEnd(50)}${'3'.padStart(17)}\n`);
  });
  it('prints avg as the truncated quotient and stddev as an integer root', () => {
    assert.equal(rowOf(desc('avg'), [], [3n, 10n]), '                3\n');
    assert.equal(rowOf(desc('avg'), [], [2n, u(-21)]), '              -10\n');
    assert.equal(rowOf(desc('avg'), [], [0n, 0n]), '                0\n');
    // 2,4,4,4,5,5,7,9: mean 5, variance 4
    assert.equal(rowOf(desc('stddev'), [], [8n, 40n, 0n, 232n]), '                2\n');
  });
  it('divides by the normalization', () => {
    assert.equal(rowOf(desc('sum'), [], [1000n], 3n), '              333\n');
  });
  it('starts a histogram on the next line and ends its row with a newline', () => {
    const h = rowOf(desc('quantize', [{ k: 'string', size: 16 }]), [str('k')], quantize({ 64: 1 }));
    assert.equal(h, `  ${'k'.padEnd(50)}` + HEADER + row('0', '', 0) + row('1', '@'.repeat(40), 1) + row('2', '', 0) + '\n');
  });
});

describe('stddev arithmetic', () => {
  it('uses the 128-bit sum of squares (high word first in the record)', () => {
    // values 2^32 and 3 * 2^32: mean 2^33, variance 2^64
    const sumsq = 10n * (1n << 64n);
    assert.equal(standardDeviation([2n, 4n << 32n, sumsq >> 64n, sumsq & ((1n << 64n) - 1n)], 1n), 1n << 32n);
  });
});

describe('sorting', () => {
  const k = { k: 'string', size: 16 } as const;
  const s = store([{ id: 1, name: 'a', fn: 'sum', keys: [k] }, { id: 2, name: 'b', fn: 'sum', keys: [k] }]);
  s.merge([
    { id: 1, cpu: 0, key: [str('c')], data: [1n] },
    { id: 1, cpu: 0, key: [str('a')], data: [3n] },
    { id: 1, cpu: 0, key: [str('b')], data: [1n] },
    { id: 1, cpu: 0, key: [str('d')], data: [u(-4)] },
    { id: 2, cpu: 0, key: [str('a')], data: [2n] },
    { id: 2, cpu: 0, key: [str('z')], data: [9n] },
  ]);
  const keys = (o: Partial<SortOptions>): string[] => s.sorted({ ...SORT, ...o }).map((e) => `${e.id}${Buffer.from(e.key[0] as Uint8Array).toString().replace(/\0+$/, '')}`);
  it('sorts by aggregation, then value, then key', () => {
    assert.deepEqual(keys({}), ['1d', '1b', '1c', '1a', '2a', '2z']);
  });
  it('sorts by key with aggsortkey', () => {
    assert.deepEqual(keys({ byKey: true }), ['1a', '1b', '1c', '1d', '2a', '2z']);
  });
  it('reverses everything with aggsortrev', () => {
    assert.deepEqual(keys({ reverse: true }), ['2z', '2a', '1a', '1c', '1b', '1d']);
  });
  it('joins aggregations by key for printa(@a, @b), zero where one lacks the key', () => {
    const rows = s.joined([1, 2], SORT).map((r) => [Buffer.from(r.key[0] as Uint8Array).toString().replace(/\0+$/, ''), ...r.values.map((v) => BigInt.asIntN(64, v.data[0]!))]);
    assert.deepEqual(rows, [
      ['d', -4n, 0n],
      ['z', 0n, 9n],
      ['b', 1n, 0n],
      ['c', 1n, 0n],
      ['a', 3n, 2n],
    ]);
    const byB = s.joined([1, 2], { ...SORT, valuePos: 1 }).map((r) => Buffer.from(r.key[0] as Uint8Array).toString().replace(/\0+$/, ''));
    assert.deepEqual(byB, ['d', 'b', 'c', 'a', 'z']);
  });
  it('compares integer keys unsigned', () => {
    const t = store([{ id: 1, name: 'i', fn: 'count', keys: [{ k: 'int', size: 4, signed: true }] }]);
    t.merge([3n, u(-1) & 0xffffffffn, 10n].map((v) => ({ id: 1, cpu: 0, key: [v], data: [1n] })));
    assert.deepEqual(t.sorted({ ...SORT, byKey: true }).map((e) => e.key[0]), [3n, 10n, 0xffffffffn]);
  });
  it('sorts by a later key first with aggsortkeypos', () => {
    const t = store([{ id: 1, name: 'p', fn: 'count', keys: [{ k: 'int', size: 4, signed: true }, { k: 'int', size: 4, signed: true }] }]);
    t.merge([[1n, 9n], [2n, 5n], [3n, 7n]].map((key) => ({ id: 1, cpu: 0, key, data: [1n] })));
    assert.deepEqual(t.sorted({ ...SORT, byKey: true, keyPos: 1 }).map((e) => e.key[0]), [2n, 3n, 1n]);
  });
});

describe('clear, trunc, normalize', () => {
  const make = (): AggregationStore => {
    const s = store([{ id: 1, name: 's', fn: 'sum', keys: [{ k: 'int', size: 4, signed: true }] }]);
    s.merge([1n, 2n, 3n, 4n].map((k) => ({ id: 1, cpu: 0, key: [k], data: [k * 10n] })));
    return s;
  };
  it('clear() zeroes values and keeps keys', () => {
    const s = make();
    s.clear(1);
    assert.deepEqual(s.all().map((e) => e.data[0]), [0n, 0n, 0n, 0n]);
  });
  it('trunc(@, n) keeps the n largest, trunc(@, -n) the n smallest, trunc(@) none', () => {
    let s = make();
    s.trunc(1, 2n, SORT);
    assert.deepEqual(s.sorted(SORT).map((e) => e.key[0]), [3n, 4n]);
    s = make();
    s.trunc(1, -1n, SORT);
    assert.deepEqual(s.sorted(SORT).map((e) => e.key[0]), [1n]);
    s = make();
    s.trunc(1, 0n, SORT);
    assert.equal(s.all().length, 0);
  });
  it('normalize() applies to the entries that exist; denormalize() undoes it', () => {
    const s = make();
    s.normalize(1, 10n);
    s.merge([{ id: 1, cpu: 0, key: [5n], data: [50n] }]);
    assert.deepEqual(s.sorted(SORT).map((e) => e.normal), [10n, 10n, 10n, 10n, 1n]);
    s.denormalize(1);
    assert.deepEqual(s.sorted(SORT).map((e) => e.normal), [1n, 1n, 1n, 1n, 1n]);
  });
});
