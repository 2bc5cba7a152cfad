// Speculations: speculation()/speculate()/commit()/discard(), nspec and specsize, and the
// speculative drop and failed-speculation counts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { runD } from '../support/vmRun.ts';

describe('VM speculations', () => {
  it('committed data reaches the buffer after the committing record; discarded data never does', async () => {
    const r = await runD(`
      BEGIN { a = speculation(); b = speculation(); trace(a); trace(b); }
      BEGIN { speculate(a); trace(100); }
      BEGIN { speculate(a); trace(101); }
      BEGIN { commit(a); }
      BEGIN { trace(7); }
    `);
    const order = r.sink.firings().map((f) => `${f.epid}:${f.records.filter((v) => typeof v === 'bigint').join(',')}`);
    // nspec=1: the second speculation() fails (no buffer available)
    // the commit clause records nothing itself (its record would be a bare header: size 0);
    // speculate() leaves no record either (read back as 0)
    assert.deepEqual(order, ['1:0,0,1,0', '2:0,100', '3:0,101', '5:7']);
    assert.deepEqual(r.sink.drops(), [{ kind: 'SPECUNAVAIL', cpu: -1, count: 1 }]);
  });

  it('discard throws the data away and frees the buffer at once', async () => {
    const r = await runD(`
      BEGIN { a = speculation(); }
      BEGIN { speculate(a); trace(100); }
      BEGIN { discard(a); b = speculation(); trace(b); }
    `);
    assert.deepEqual(
      r.sink.firings().map((f) => f.epid),
      [3],
    );
    assert.equal(r.sink.firings()[0]!.records.at(-1), 1n);
  });

  it('a speculation fuller than specsize drops the record', async () => {
    const r = await runD(
      `
      BEGIN { a = speculation(); }
      BEGIN { speculate(a); trace(1); }
      BEGIN { speculate(a); trace(2); }
      BEGIN { speculate(a); trace(3); }
      BEGIN { commit(a); }`,
      { x: { specsize: '40' } },
    );
    // each record is 16 bytes (12-byte header + a 4-byte int): two fit in 40
    assert.deepEqual(
      r.sink.firings().map((f) => f.epid),
      [2, 3],
    );
    assert.deepEqual(r.sink.drops(), [{ kind: 'SPEC', cpu: -1, count: 1 }]);
  });

  it('commit()/discard() of an ID above nspec is an illegal operation at the action, with no DIF offset', async () => {
    const r = await runD(`
      BEGIN { commit(2); }
      BEGIN { x = 1; discard(-1); }
      BEGIN { discard(0); trace(1); }
      BEGIN { commit(0); }
    `);
    assert.deepEqual(r.sink.faults(), [
      { epid: 1, probeId: 1, cpu: 0, fault: 3, action: 0, difOffset: -1, value: 0n },
      { epid: 2, probeId: 1, cpu: 0, fault: 3, action: 1, difOffset: -1, value: 0n },
    ]);
    assert.deepEqual(
      r.sink.firings().map((f) => f.epid),
      [3],
    );
  });

  it('the speculation ID is 32 bits: commit(0x100000001) commits speculation 1', async () => {
    const r = await runD(`
      BEGIN { a = speculation(); }
      BEGIN { speculate(a); trace(100); }
      BEGIN { commit(0x100000001); }
    `);
    assert.deepEqual(r.sink.faults(), []);
    assert.deepEqual(
      r.sink.firings().map((f) => [f.epid, f.records]),
      [[2, [0n, 100n]]],
    );
  });

  it('speculate() on an id that is not active discards the record', async () => {
    const r = await runD('BEGIN { speculate(1); trace(1); } BEGIN { speculate(0); trace(2); } BEGIN { trace(3); }');
    assert.deepEqual(
      r.sink.firings().map((f) => f.epid),
      [3],
    );
  });

  it('a speculation with data on another CPU stays busy until the cleaner', async () => {
    const r = await runD(
      `
      BEGIN { a = speculation(); }
      profile-1s /cpu == 1 && timestamp < 1500000000/ { speculate(a); trace(cpu); }
      tick-1500ms { commit(a); }
      tick-1500ms { trace(speculation()); }
      tick-2500ms { trace(speculation()); }
      tick-3s { exit(0); }`,
      { engine: { ncpus: 2 }, x: { cleanrate: '1s' } },
    );
    const seen = r.sink.firings().filter((f) => f.timestamp < 3_000_000_000n).map((f) => `${f.timestamp / 1_000_000n}:${f.cpu}:${f.epid}:${f.records.at(-1)}`);
    // at 1.5s cpu 1 still holds the data: busy; the cleaner at 2s commits it into cpu 1's
    // buffer and frees the speculation, which speculation() then hands out again
    assert.deepEqual(seen.sort(), ['1000:1:2:1', '1500:0:4:0', '2500:0:5:1'].sort());
    assert.deepEqual(r.sink.drops(), [{ kind: 'SPECBUSY', cpu: -1, count: 1 }]);
  });
});
