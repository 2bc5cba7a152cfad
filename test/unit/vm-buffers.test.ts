// Principal buffers: drops happen exactly when the next record (with its alignment padding)
// does not fit, per policy; scratch space is what the buffer has left.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { action, enabling, firing, program, runCompiled } from '../support/difProgram.ts';

const FIRE = 17;
const END = 2;
/** An 8-byte record: header 12, padded to 16, + 8 = 24 bytes, 8-aligned. */
const eightBytes = () => action('ldgs DT_VAR(262), %r1\nret %r1');
/** A 4-byte record: header 12 + 4 = 16 bytes, 4-aligned. */
const fourBytes = () => action('.rtype D type (integer) (size 4)\nldgs DT_VAR(262), %r1\nret %r1');

const firings = (n: number) => Array.from({ length: n }, (_, i) => firing({ probeId: FIRE, timestamp: BigInt(i + 1) * 1000n, args: [BigInt(i + 1)] }));

async function run(enablings: ReturnType<typeof enabling>[], x: Record<string, string>, n: number) {
  const { sink } = await runCompiled(program(enablings), { x: { switchrate: '10s', ...x }, firings: firings(n) });
  return { args: sink.firings().map((f) => f.records[0]), drops: sink.drops() };
}

describe('VM principal buffers', () => {
  it('switch: the fifth 24-byte record does not fit in 100 bytes', async () => {
    const e = enabling(1, [FIRE], [eightBytes()]);
    assert.equal(e.recordSize, 24);
    const r = await run([e], { bufsize: '100' }, 7);
    assert.deepEqual(r.args, [1n, 2n, 3n, 4n]);
    assert.deepEqual(r.drops, [{ kind: 'PRINCIPAL', cpu: 0, count: 3 }]);
    const exact = await run([e], { bufsize: '96' }, 4);
    assert.deepEqual([exact.args.length, exact.drops], [4, []]);
    const short = await run([e], { bufsize: '95' }, 4);
    assert.deepEqual([short.args.length, short.drops], [3, [{ kind: 'PRINCIPAL', cpu: 0, count: 1 }]]);
  });

  it('alignment padding counts: a 12-byte header-only record pushes the next 8-aligned one to 16', async () => {
    const header = enabling(1, [FIRE], []);
    const wide = enabling(2, [FIRE], [eightBytes()]);
    assert.deepEqual([header.recordSize, wide.recordSize], [12, 24]);
    const fits = await run([header, wide], { bufsize: '40' }, 1);
    assert.deepEqual(fits.drops, []);
    const padded = await run([header, wide], { bufsize: '39' }, 1);
    assert.deepEqual(padded.drops, [{ kind: 'PRINCIPAL', cpu: 0, count: 1 }]);
  });

  it('switching every switchrate empties the buffer', async () => {
    const e = enabling(1, [FIRE], [fourBytes()]);
    const list = Array.from({ length: 8 }, (_, i) => firing({ probeId: FIRE, timestamp: BigInt(i) * 500_000_000n + 1n, args: [BigInt(i)] }));
    const { sink } = await runCompiled(program([e]), { x: { bufsize: '48', switchrate: '1s' }, firings: list });
    // two firings per second, three 16-byte records fit: no drops, four switches of two
    assert.deepEqual(sink.drops(), []);
    assert.deepEqual(
      sink.events.filter((x) => x.k === 'buffer').map((x) => (x.k === 'buffer' ? x.firings.length : 0)),
      [2, 2, 2, 2],
    );
  });

  it('fill: tracing stops when the buffer fills; END keeps its reserved room', async () => {
    const e = enabling(1, [FIRE], [fourBytes()]);
    const end = enabling(2, [END], [fourBytes()]);
    const { sink, result } = await runCompiled(program([e, end]), { x: { bufsize: '64', bufpolicy: 'fill' }, firings: firings(10) });
    // 64 bytes minus 16 reserved for END: three records, then the buffer is full
    assert.deepEqual(
      sink.firings().map((f) => f.epid),
      [1, 1, 1, 2],
    );
    assert.deepEqual(sink.drops(), [{ kind: 'PRINCIPAL', cpu: 0, count: 1 }]);
    assert.equal(result.endTime, 4000n);
  });

  it('ring: the oldest records are overwritten, nothing is dropped', async () => {
    const e = enabling(1, [FIRE], [eightBytes()]);
    const r = await run([e], { bufsize: '100', bufpolicy: 'ring' }, 6);
    assert.deepEqual(r.args, [3n, 4n, 5n, 6n]);
    assert.deepEqual(r.drops, []);
  });

  it('scratch is the space left behind the record', async () => {
    const alloc = (n: number) => action(`.int ${n}\nsetx DT_INTEGER[0], %r1\nallocs %r1, %r2\nret %r1`);
    const ok = await runCompiled(program([enabling(1, [FIRE], [alloc(40)])]), { x: { bufsize: '64' }, firings: firings(1) });
    assert.deepEqual(ok.sink.faults(), []);
    const tooBig = await runCompiled(program([enabling(1, [FIRE], [alloc(41)])]), { x: { bufsize: '64' }, firings: firings(1) });
    assert.equal(tooBig.sink.faults()[0]?.fault, 5);
  });
});
