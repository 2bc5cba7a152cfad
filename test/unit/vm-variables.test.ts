// Variables: globals, clause-locals, thread-locals and associative arrays, and the dynamic
// variable space's accounting (chunk size, capacity, drops, the dirty list and the cleaner).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { assemble } from '../../server/src/dif/assembler.ts';
import { dynamicChunkSize, DynamicSpace } from '../../server/src/vm/dynamicSpace.ts';
import { action, enabling, firing, program, runCompiled } from '../support/difProgram.ts';
import { runD, text } from '../support/vmRun.ts';

const FIRE = 17;
const OTHER = 18;
const setSelf = (value: number) =>
  action(`
    .int ${value}
    .var x 0x500 scl tls r/w D type (integer) (size 8)
    setx DT_INTEGER[0], %r1
    stts %r1, DT_VAR(1280)
    ldts DT_VAR(1280), %r2
    ret %r2`);

describe('VM dynamic variable space', () => {
  it('chunk size: header, keys, by-ref key bytes and value, maximised over the program', () => {
    const tls = assemble('.var x 0x500 scl tls r/w D type (integer) (size 8)\nstts %r1, DT_VAR(1280)\nret %r0');
    assert.equal(dynamicChunkSize([tls], () => 8, 256), 48 + 16 + 8);
    const assoc = assemble(`
      .int 256
      .var a 0x500 arr glb r/w D type (integer) (size 8)
      flushts
      setx DT_INTEGER[0], %r2
      pushtr DT_TYPE(1), %r2, %r1
      pushtv DT_TYPE(0), %r0, %r1
      stgaa %r1, DT_VAR(1280)
      ret %r0`);
    // three keys (a string of 256 bytes, an integer, the variable id) and an 8-byte value
    assert.equal(dynamicChunkSize([tls, assoc], () => 8, 256), 48 + 2 * 16 + 256 + 8);
  });

  it('capacity: hash buckets first, then whole chunks', () => {
    const d = new DynamicSpace(1000, 72);
    // 1000 / 88 = 11 buckets, made even: 10; (1000 - 160) / 72 = 11 chunks
    assert.equal(d.capacity, 11);
    assert.equal(new DynamicSpace(1 << 20, 72).capacity, Math.floor(((1 << 20) - 2 * Math.floor((1 << 20) / 88 / 2) * 16) / 72));
  });

  it('thread-locals beyond the space are dynamic variable drops', async () => {
    const p = program([enabling(1, [FIRE], [setSelf(5)])]);
    const list = Array.from({ length: 13 }, (_, i) => firing({ probeId: FIRE, tid: 100 + i, timestamp: BigInt(i + 1) }));
    const { sink } = await runCompiled(p, { x: { dynvarsize: '1000' }, firings: list });
    // 11 threads got their variable (they read it back as 5); two did not (they read 0)
    assert.deepEqual(
      sink.firings().map((f) => f.records[0]),
      [...new Array<bigint>(11).fill(5n), 0n, 0n],
    );
    assert.deepEqual(sink.drops(), [{ kind: 'DYNAMIC', cpu: -1, count: 2 }]);
  });

  it('storing 0 frees; the chunk is reusable only after the cleaner ran', async () => {
    const p = program([enabling(1, [FIRE], [setSelf(5)]), enabling(2, [OTHER], [setSelf(0)])]);
    const list = [
      ...Array.from({ length: 11 }, (_, i) => firing({ probeId: FIRE, tid: 100 + i, timestamp: BigInt(i + 1) })),
      firing({ probeId: OTHER, tid: 100, timestamp: 20n }),
      // before the cleaner: the freed chunk is still dirty
      firing({ probeId: FIRE, tid: 200, timestamp: 30n }),
      // after the cleaner (cleanrate 1ms)
      firing({ probeId: FIRE, tid: 201, timestamp: 2_000_000n }),
    ];
    const { sink } = await runCompiled(p, { x: { dynvarsize: '1000', cleanrate: '1ms' }, firings: list });
    assert.deepEqual(
      sink.firings().slice(-2).map((f) => f.records[0]),
      [0n, 5n],
    );
    assert.deepEqual(sink.drops(), [{ kind: 'DYNDIRTY', cpu: -1, count: 1 }]);
  });

  it('thread-locals are per thread; globals are shared', async () => {
    const p = program([
      enabling(1, [FIRE], [
        action(`
          .int 1
          .var t 0x500 scl tls r/w D type (integer) (size 8)
          .var g 0x500 scl glb r/w D type (integer) (size 8)
          setx DT_INTEGER[0], %r3
          ldts DT_VAR(1280), %r1
          add %r1, %r3, %r1
          stts %r1, DT_VAR(1280)
          ldgs DT_VAR(1280), %r2
          add %r2, %r3, %r2
          stgs %r2, DT_VAR(1280)
          sll %r2, %r3, %r2
          sll %r2, %r3, %r2
          sll %r2, %r3, %r2
          sll %r2, %r3, %r2
          or %r1, %r2, %r1
          ret %r1`),
      ]),
    ]);
    const list = [1, 2, 1, 1, 2].map((tid, i) => firing({ probeId: FIRE, tid, timestamp: BigInt(i + 1) }));
    const { sink } = await runCompiled(p, { firings: list });
    // low nibble: this thread's count; high: the global count
    assert.deepEqual(
      sink.firings().map((f) => f.records[0]),
      [0x11n, 0x21n, 0x32n, 0x43n, 0x52n],
    );
  });
});

describe('VM variables from D', () => {
  it('string globals and thread-locals copy their value; 0 frees', async () => {
    const r = await runD('BEGIN { s = "abc"; self->t = strjoin(s, "def"); a["k"] = s; trace(s); trace(self->t); trace(a["k"]); self->t = 0; trace(self->t == NULL); }');
    const recs = r.sink.firings()[0]!.records;
    const e = r.compiled.program.enablings[0]!;
    const shown = recs.flatMap((v, i) => (e.actions[i]!.size === 0 ? [] : [typeof v === 'bigint' ? v.toString() : text(v)]));
    assert.deepEqual(shown, ['abc', 'abcdef', 'abc', '1']);
  });

  it('profile interrupts have thread-locals per CPU, apart from the consumer thread', async () => {
    const r = await runD('BEGIN { self->n = 100; } profile-1s { self->n++; @[cpu] = max(self->n); } tick-3s { exit(0); } END { trace(self->n); }', {
      engine: { ncpus: 2 },
    });
    const max = r.sink.events.flatMap((e) => (e.k === 'aggregations' ? e.deltas.map((d) => `${d.key[0]}=${d.data[0]}`) : []));
    assert.deepEqual(max.slice(-2), ['0=3', '1=3']);
    assert.deepEqual(r.sink.firings().at(-1)!.records, [100n]);
  });

  it('clause-locals live per CPU and survive from one clause to the next', async () => {
    const r = await runD('BEGIN { this->x = 42; } BEGIN { trace(this->x); }');
    assert.deepEqual(r.sink.firings().at(-1)!.records, [42n]);
  });

  it('associative arrays with tuple keys', async () => {
    const r = await runD('BEGIN { a[1, "x"] = 10; a[1, "y"] = 20; a[2, "x"] = 30; trace(a[1, "x"] + a[1, "y"] + a[2, "x"] + a[3, "x"]); }');
    const recs = r.sink.firings()[0]!.records;
    assert.equal(recs.at(-1), 60n);
  });
});
