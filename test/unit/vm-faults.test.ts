// Faults: the clause is abandoned, dtrace:::ERROR fires with DTrace's arguments, the library's
// error record reaches the consumer in buffer order, and faults inside ERROR only count.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { runD } from '../support/vmRun.ts';

describe('VM faults', () => {
  it('a NULL dereference abandons the clause and is reported with its action and DIF offset', async () => {
    const r = await runD('BEGIN { trace(1); trace(*(int *)0); trace(3); } BEGIN { trace(4); }');
    assert.deepEqual(r.sink.faults(), [{ epid: 1, probeId: 1, cpu: 0, fault: 1, action: 1, difOffset: 16, value: 0n }]);
    // the faulting enabling records nothing; the next one runs
    assert.deepEqual(
      r.sink.firings().map((f) => [f.epid, f.records]),
      [[2, [4n]]],
    );
  });

  it('a fault in a predicate is reported as action -1', async () => {
    const r = await runD('BEGIN /1 / (0 * timestamp)/ { trace(1); }');
    assert.deepEqual(r.sink.faults().map((f) => [f.action, f.fault]), [[-1, 4]]);
  });

  it('ERROR clauses see the epid, action number (1-based), offset, fault and value', async () => {
    const r = await runD('BEGIN { x = 1; y = *(char *)(x + 7); } ERROR { trace(arg1); trace(arg2); trace(arg3); trace(arg4); trace(arg5); trace(probename); }');
    const err = r.sink.firings()[0]!;
    assert.equal(err.epid, 2);
    assert.equal(err.probeId, 3);
    const f = r.sink.faults()[0]!;
    assert.deepEqual(err.records.slice(0, 5), [1n, 2n, BigInt(f.difOffset), 1n, 8n]);
    assert.equal(f.action, 1);
    // the user's ERROR clause output comes first, then the library's error record
    assert.deepEqual(
      r.sink.events.map((e) => e.k),
      ['buffer', 'fault'],
    );
  });

  it('faults inside an ERROR clause are double errors: counted, never reported', async () => {
    const r = await runD('BEGIN { trace(*(int *)0); } ERROR { trace(*(int *)8); }');
    assert.equal(r.sink.faults().length, 1);
    assert.deepEqual(r.sink.drops(), [{ kind: 'DBLERROR', cpu: -1, count: 1 }]);
  });

  it('every fault kind the VM raises', async () => {
    const fault = async (body: string) => (await runD(`BEGIN { ${body} }`)).sink.faults()[0];
    assert.equal((await fault('trace(1 / (timestamp * 0));'))?.fault, 4);
    assert.equal((await fault('trace(1 % (timestamp * 0));'))?.fault, 4);
    assert.equal((await fault('*(int *)((char *)alloca(8) + 1) = 1;'))?.fault, 2);
    assert.equal((await fault('trace(lltostr(1, 99));'))?.fault, 3);
    assert.equal((await fault('trace((char *)alloca(0x7fffffff));'))?.fault, 5);
  });

  it('exit() after a fault in the same clause never happens', async () => {
    const r = await runD('BEGIN { trace(*(int *)0); exit(1); } END { trace(2); }');
    assert.equal(r.result.exited, false);
  });

  it('a bad pointer met while copying a string into the record has no DIF offset', async () => {
    const r = await runD('BEGIN { trace(stringof((char *)0x10)); }');
    assert.deepEqual(r.sink.faults(), [{ epid: 1, probeId: 1, cpu: 0, fault: 1, action: 0, difOffset: -1, value: 0x10n }]);
  });
});
