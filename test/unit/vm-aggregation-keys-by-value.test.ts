// Aggregation keys found by value (AggregationBuffer.cached/remember: one integer key, or a
// string key at an address whose bytes never change) and count() kept as a number between two
// reads: what the consumer receives must be exactly what the byte-by-byte path gives, through the
// JIT and the interpreter alike.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { AggregationDesc } from '../../server/src/codegen/program';
import { structuralCopy } from '../../server/src/debug/runtime/structuralCopy';
import { AggregationBuffer } from '../../server/src/vm/aggregationBuffer';
import type { ProbeFiring } from '../../server/src/vm/engine';
import { compileD, firingsOf, runCompiled, text } from '../support/vmRun.ts';

interface Seen {
  /** Each snapshot's deltas as "id[key,...]=data,..." in delivery order. */
  snapshots: string[][];
  drops: string[];
  faults: string[];
}

async function run(source: string, firings: (probeId: number) => ProbeFiring[], x: Record<string, string>, jit: boolean): Promise<Seen> {
  const compiled = await compileD(source, x);
  const probeId = compiled.catalogue.match({ provider: 'syscall', module: '', function: 'read', name: 'entry' })[0]!.id;
  const { sink } = await runCompiled(compiled, { engine: { startWallTime: 0n, firings: firingsOf(firings(probeId)), jit } });
  const show = (k: Uint8Array | bigint): string => (typeof k === 'bigint' ? String(k) : JSON.stringify(text(k)));
  return {
    snapshots: sink.events.flatMap((e) => (e.k === 'aggregations' ? [e.deltas.map((d) => `${d.id}[${d.key.map(show).join(',')}]=${d.data.join(',')}`)] : [])),
    drops: sink.drops().map((d) => `${d.kind}:${d.cpu}:${d.count}`),
    faults: sink.faults().map((f) => `epid ${f.epid} action ${f.action} offset ${f.difOffset} fault ${f.fault}`),
  };
}

/** Runs both ways, asserts they agree, returns the JIT's. */
async function both(source: string, firings: (probeId: number) => ProbeFiring[], x: Record<string, string> = {}): Promise<Seen> {
  const jit = await run(source, firings, x, true);
  const interp = await run(source, firings, x, false);
  assert.deepEqual(jit, interp, 'JIT and interpreter disagree');
  return jit;
}

const firing = (probeId: number, i: number, execname: string, extra: Partial<ProbeFiring> = {}): ProbeFiring => ({
  probeId,
  timestamp: 1_000n + BigInt(i) * 1_000n,
  cpu: 0,
  pid: 100 + (i % 3),
  tid: 1,
  execname,
  args: [BigInt(i % 5), 0n],
  ...extra,
});

describe('VM aggregations: keys by value', () => {
  it('string keys longer than strsize: keys equal after truncation are one key, padded to strsize', async () => {
    const names = ['abcdefghij', 'abcdefgXYZ', 'abcdefg', 'abc', 'abcdefghij', 'abc'];
    const seen = await both('syscall::read:entry { @[execname] = count(); }', (p) => names.map((n, i) => firing(p, i, n)), { strsize: '8' });
    // strsize 8: at most 7 bytes of a key, so the first three names are one key.
    assert.deepEqual(seen.snapshots.flat(), ['1["abcdefg"]=4', '1["abc"]=2']);
  });

  it('names that are special to JavaScript objects are names like any other', async () => {
    const names = ['__proto__', 'constructor', '0', '', 'toString', '__proto__', '0', '', 'hasOwnProperty', 'constructor'];
    const seen = await both('syscall::read:entry { @[execname] = count(); }', (p) => names.map((n, i) => firing(p, i, n)));
    assert.deepEqual(seen.snapshots.flat(), ['1["__proto__"]=2', '1["constructor"]=2', '1["0"]=2', '1[""]=2', '1["toString"]=1', '1["hasOwnProperty"]=1']);
  });

  it('a key comes back after a snapshot emptied the buffer: a new entry, counted from zero', async () => {
    // aggrate 1ms: firings every 1µs, so 1000 firings land in each snapshot window.
    const seen = await both('syscall::read:entry { @[execname] = count(); @n[pid] = sum(arg0); }', (p) => Array.from({ length: 2500 }, (_, i) => firing(p, i, i % 2 === 0 ? 'even' : 'odd')), { aggrate: '1ms' });
    assert.ok(seen.snapshots.length >= 3, `snapshots: ${seen.snapshots.length}`);
    let even = 0n;
    let odd = 0n;
    for (const snap of seen.snapshots) {
      for (const d of snap) {
        const m = /^1\["(even|odd)"\]=(\d+)$/.exec(d);
        if (m === null) continue;
        if (m[1] === 'even') even += BigInt(m[2]!);
        else odd += BigInt(m[2]!);
      }
    }
    assert.deepEqual([even, odd], [1250n, 1250n]);
    // Each window's own counts, not running totals.
    assert.ok(seen.snapshots.every((s) => s.filter((d) => d.startsWith('1[')).every((d) => BigInt(d.split('=')[1]!) <= 501n)));
  });

  it('aggsize drops: a key that did not fit keeps dropping, keys already in keep counting', async () => {
    // 512 bytes hold fewer than 12 keys of a 16-byte string (strsize 16).
    const names = Array.from({ length: 12 }, (_, i) => `p${i}`);
    const list = (p: number): ProbeFiring[] => Array.from({ length: 60 }, (_, i) => firing(p, i, names[i % names.length]!));
    const seen = await both('syscall::read:entry { @[execname] = count(); }', list, { aggsize: '512', strsize: '16' });
    const keys = seen.snapshots.flat();
    assert.ok(keys.length > 0 && keys.length < names.length, keys.join(' '));
    for (const k of keys) assert.match(k, /=5$/);
    assert.deepEqual(seen.drops, [`AGGREGATION:0:${(names.length - keys.length) * 5}`]);
  });

  it('string keys built in scratch (a mutable region) are read each time', async () => {
    const names = ['a', 'b', 'a', 'c', 'b', 'a'];
    const seen = await both('syscall::read:entry { @[strjoin(execname, "!")] = count(); @s[strjoin("x", execname)] = sum(arg0); }', (p) => names.map((n, i) => firing(p, i, n)));
    assert.deepEqual(seen.snapshots.flat(), ['1["a!"]=3', '2["xa"]=2', '1["b!"]=2', '2["xb"]=5', '1["c!"]=1', '2["xc"]=3']);
  });

  it('integer keys and keyless aggregations', async () => {
    const seen = await both('syscall::read:entry { @[pid] = count(); @s[(char)pid] = sum(arg0); @a = count(); @q = quantize(arg0); }', (p) => Array.from({ length: 9 }, (_, i) => firing(p, i, 'x')));
    const flat = seen.snapshots.flat();
    assert.deepEqual(flat.slice(0, 3), ['1[100]=3', '2[100]=4', '3[]=9']);
    assert.ok(flat.includes('1[101]=3') && flat.includes('1[102]=3'));
  });

  it('keys of the probe\'s own names on several probes, beside a key that is not a firing\'s text (zonename)', async () => {
    const compiled = await compileD('syscall::read:entry, syscall::write:entry { @[probefunc] = count(); @m[probemod, probename] = count(); @p[probeprov] = sum(1); @z[zonename] = count(); }');
    const read = compiled.catalogue.match({ provider: 'syscall', module: '', function: 'read', name: 'entry' })[0]!.id;
    const write = compiled.catalogue.match({ provider: 'syscall', module: '', function: 'write', name: 'entry' })[0]!.id;
    const seen = await both('syscall::read:entry, syscall::write:entry { @[probefunc] = count(); @m[probemod, probename] = count(); @p[probeprov] = sum(1); @z[zonename] = count(); }', () =>
      [read, write, read, read, write].map((p, i) => firing(p, i, 'x')),
    );
    assert.deepEqual(seen.snapshots.flat(), ['1["read"]=3', '2["","entry"]=5', '3["syscall"]=5', '4["global"]=5', '1["write"]=2']);
  });

  it('the built-in strings are remapped (more than the cache holds): keys by address start over and stay exact', async () => {
    // 5000 distinct names overflow the built-in string cache (4096): its regions are unmapped
    // between firings, so the names met again get new addresses.
    const list = (p: number): ProbeFiring[] => Array.from({ length: 10_000 }, (_, i) => firing(p, i, `n${i % 5000}`));
    const seen = await both('syscall::read:entry { @[execname] = count(); }', list, { aggsize: '16m' });
    const flat = seen.snapshots.flat();
    assert.equal(flat.length, 5000);
    assert.ok(flat.every((d) => d.endsWith('=2')));
  });
});

describe('VM aggregations: firings counted by their text alone (no facts, no DIF once every key is found)', () => {
  const names = ['a', 'b', 'a', 'c', 'b', 'a', 'd', 'a', 'e', 'b'];
  const source = 'syscall::read:entry { @a[execname] = count(); @b[probefunc] = count(); } syscall::read:entry { @c[execname] = count(); }';

  it('several enablings, keys met first late, several CPUs, snapshots between', async () => {
    // aggrate 1ms: firings every 1µs, so each window starts the buffers over.
    const list = (p: number): ProbeFiring[] => Array.from({ length: 3000 }, (_, i) => firing(p, i, names[(i * 7) % names.length]! + (i > 2500 ? 'late' : ''), { cpu: i % 3 }));
    const seen = await both(source, list, { aggrate: '1ms' });
    assert.ok(seen.snapshots.length >= 3, `snapshots: ${seen.snapshots.length}`);
    const total = (id: number): bigint => seen.snapshots.flat().reduce((n, d) => (d.startsWith(`${id}[`) ? n + BigInt(d.split('=')[1]!) : n), 0n);
    assert.deepEqual([total(1), total(2), total(3)], [3000n, 3000n, 3000n]);
  });

  it('only the traced CPU counts (the cpu option)', async () => {
    const seen = await both(source, (p) => names.map((n, i) => firing(p, i, n, { cpu: i % 2 })), { cpu: '1' });
    assert.deepEqual(seen.snapshots.flat(), ['1["b"]=2', '2["read"]=5', '3["b"]=2', '1["c"]=1', '3["c"]=1', '1["a"]=2', '3["a"]=2']);
  });

  it('a key that does not fit (aggsize) keeps dropping beside keys that count', async () => {
    const list = (p: number): ProbeFiring[] => Array.from({ length: 60 }, (_, i) => firing(p, i, `p${i % 12}`));
    const seen = await both('syscall::read:entry { @[execname] = count(); }', list, { aggsize: '512', strsize: '16' });
    assert.ok(seen.drops.length === 1 && seen.drops[0]!.startsWith('AGGREGATION:0:'), seen.drops.join(' '));
  });
});

describe('VM aggregations: enablings that only aggregate (run without a run object)', () => {
  it('a fault in a key: the enabling stops there, ERROR fires and the error record follows', async () => {
    const args = [
      [10n, 2n],
      [10n, 0n],
      [12n, 2n],
    ];
    const seen = await both(
      'syscall::read:entry { @a[execname] = count(); @b[arg0 / arg1] = sum(arg0); @c = count(); } dtrace:::ERROR { @e[arg4, arg2] = count(); }',
      (p) => args.map((a, i) => firing(p, i, 'x', { args: a })),
    );
    // The faulting firing counted in @a (before the fault), not in @b nor @c.
    assert.deepEqual(seen.snapshots.flat(), ['1["x"]=3', '2[5]=10', '3[]=2', '4[4,3]=1', '2[6]=12']);
    assert.equal(seen.faults.length, 1);
    assert.match(seen.faults[0]!, /^epid 1 action 2 offset 8 fault 4$/);
  });

  it('the same aggregating enabling on a probe and on ERROR, with the fault from another enabling', async () => {
    const seen = await both('syscall::read:entry { @[probename] = count(); } syscall::read:entry { trace(*(int *)arg1); } dtrace:::ERROR { @[probename] = count(); }', (p) =>
      [0, 1, 2].map((i) => firing(p, i, 'x')),
    );
    assert.deepEqual(seen.snapshots.flat(), ['1["entry"]=3', '1["ERROR"]=3']);
    assert.equal(seen.faults.length, 3);
  });
});

describe('AggregationBuffer: count() as a number between reads', () => {
  const desc = { id: 1, name: 'c', fn: 'count' } as unknown as AggregationDesc;
  const ident = new Uint8Array([2, 0, 0, 0, 0, 0, 0, 0, 0]);

  it('folds exactly across 2^53 and wraps at 2^64', () => {
    const b = new AggregationBuffer(0, 1 << 20);
    const entry = b.insert(desc, 7, ident, ident.length, [0n], 8, 0n, 1n)!;
    // A crafted state: the pending count one below where it is folded, the stored word near 2^64.
    entry.pending = Number.MAX_SAFE_INTEGER - 1;
    entry.data[0] = (1n << 64n) - 5n;
    b.aggregateEntry(entry, 0n, 1n); // reaches 2^53 - 1: folded
    assert.equal(entry.pending, 0);
    b.aggregateEntry(entry, 0n, 1n);
    b.aggregateEntry(entry, 0n, 1n);
    const want = BigInt.asUintN(64, (1n << 64n) - 5n + BigInt(Number.MAX_SAFE_INTEGER) + 2n);
    assert.deepEqual(b.peek()[0]!.data, [want]);
    b.aggregateEntry(entry, 0n, 1n);
    assert.deepEqual(b.take()[0]!.data, [want + 1n]);
  });

  it('takeChanged hands over the folded count and starts the next delta from zero', () => {
    const b = new AggregationBuffer(0, 1 << 20);
    const entry = b.insert(desc, 7, ident, ident.length, [0n], 8, 0n, 1n)!;
    b.aggregateEntry(entry, 0n, 1n);
    assert.deepEqual(b.takeChanged()[0]!.data, [2n]);
    b.aggregateEntry(entry, 0n, 1n);
    assert.deepEqual(b.takeChanged()[0]!.data, [1n]);
    assert.deepEqual(b.takeChanged(), []);
  });

  it('a structural copy (a debugger checkpoint) finds its own entries by value and by text', () => {
    const b = new AggregationBuffer(0, 1 << 20);
    const entry = b.insert(desc, 7, ident, ident.length, [0n], 8, 0n, 1n)!;
    b.remember(0, 5n, 1, entry);
    b.rememberText(1, '__proto__', 1, entry);
    const copy = structuralCopy(b);
    const byValue = copy.cached(0, 5n, 1)!;
    assert.ok(byValue !== entry && byValue === copy.cachedText(1, '__proto__', 1));
    copy.aggregateEntry(byValue, 0n, 1n);
    assert.deepEqual(copy.take()[0]!.data, [2n]);
    assert.deepEqual(b.take()[0]!.data, [1n]);
  });

  it('cached entries are forgotten at a snapshot and when the address space unmaps a region', () => {
    const b = new AggregationBuffer(0, 1 << 20);
    const entry = b.insert(desc, 7, ident, ident.length, [0n], 8, 0n, 1n)!;
    b.remember(0, 5n, 3, entry);
    assert.equal(b.cached(0, 5n, 3), entry);
    assert.equal(b.cached(1, 5n, 3), undefined);
    assert.equal(b.cached(0, 5n, 4), undefined);
    b.remember(0, 5n, 4, entry);
    b.take();
    assert.equal(b.cached(0, 5n, 4), undefined);
  });
});
