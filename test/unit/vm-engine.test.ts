// The engine's clock and life cycle: BEGIN at 0, ticks and firings interleaved in virtual
// time, exit() then END, Ctrl-C, and what the consumer receives when.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { runD, text } from '../support/vmRun.ts';

const SEC = 1_000_000_000n;

describe('VM engine: clock and life cycle', () => {
  it('BEGIN fires first at time 0 with the consumer process; END after exit()', async () => {
    const r = await runD('BEGIN { trace(timestamp); trace(pid); trace(execname); exit(7); } END { trace(timestamp); }');
    const [begin, end] = r.sink.firings();
    assert.deepEqual(begin!.records.slice(0, 2), [0n, 4242n]);
    assert.equal(text(begin!.records[2]!), 'dtrace');
    assert.equal(begin!.epid, 1);
    assert.equal(end!.epid, 2);
    assert.deepEqual(r.result, { exited: true, endTime: 0n, exitStatus: 7n });
  });

  it('tick-1s fires every virtual second until exit()', async () => {
    const r = await runD('int n; tick-1s { n++; trace(n); trace(timestamp); } tick-1s /n == 3/ { exit(0); } END { trace(n); }');
    const ticks = r.sink.firings().filter((f) => f.epid === 1);
    assert.deepEqual(
      ticks.map((f) => f.records.slice(-2)),
      [
        [1n, SEC],
        [2n, 2n * SEC],
        [3n, 3n * SEC],
      ],
    );
    assert.deepEqual(r.sink.firings().at(-1)!.records, [3n]);
    assert.equal(r.result.endTime, 3n * SEC);
    assert.deepEqual(ticks.map((f) => f.walltimestamp), [1_700_000_001_000_000_000n, 1_700_000_002_000_000_000n, 1_700_000_003_000_000_000n]);
  });

  it('after exit() no other probe fires, not even the rest of the same tick', async () => {
    const r = await runD('tick-1s { exit(0); } tick-1s { trace(1); } BEGIN { trace(0); } BEGIN { trace(2); }');
    assert.deepEqual(
      r.sink.firings().map((f) => [f.epid, f.records]),
      [
        [3, [0n]],
        [4, [2n]],
        [1, [0n]],
      ],
    );
  });

  it('exit() in BEGIN skips the later BEGIN enablings', async () => {
    const r = await runD('BEGIN { exit(1); } BEGIN { trace(1); } END { trace(2); }');
    assert.deepEqual(
      r.sink.firings().map((f) => f.epid),
      [1, 3],
    );
  });

  it('profile-N fires on every CPU, tick-N on one, in time order', async () => {
    const r = await runD('profile-1s { trace(cpu); } tick-1500ms { trace(100); } tick-2s { exit(0); }', { engine: { ncpus: 3 } });
    const seen = r.sink.firings().map((f) => `${f.timestamp / 1_000_000n}:${f.cpu}:${f.records[0]}`);
    assert.deepEqual(seen.sort(), ['1000:0:0', '1000:1:1', '1000:2:2', '1500:0:100', '2000:0:0', '2000:0:0', '2000:1:1', '2000:2:2'].sort());
  });

  it('tick and profile interrupt the idle thread of the target system', async () => {
    const { idleContextOf } = await import('../../server/src/vm/engine.ts');
    const names = async (flavour: string) => {
      const r = await runD('profile-1s { trace(pid); trace(execname); } tick-1s { exit(0); }', { engine: { ncpus: 2, idle: idleContextOf(flavour) } });
      return r.sink.firings().filter((f) => f.epid === 1).map((f) => `${f.records[0]}:${text(f.records[1]!)}`);
    };
    assert.deepEqual(await names('illumos'), ['0:sched', '0:sched']);
    assert.deepEqual(await names('freebsd'), ['11:idle', '11:idle']);
    assert.deepEqual(await names('macos'), ['0:kernel_task', '0:kernel_task']);
    assert.deepEqual(await names('linux'), ['0:swapper/0', '0:swapper/1']);
  });

  it('the cpu option limits tracing to one CPU; BEGIN and END fire there', async () => {
    const r = await runD('BEGIN { trace(cpu); } profile-1s { trace(cpu); } tick-1s { exit(0); } END { trace(cpu); }', { engine: { ncpus: 3 }, x: { cpu: '2' } });
    assert.deepEqual(
      r.sink.firings().map((f) => `${f.epid}:${f.cpu}`),
      ['1:2', '2:2', '3:2', '4:2'],
    );
  });

  it('trace firings interleave with ticks in timestamp order', async () => {
    const { runCompiled, program, enabling, action, firing } = await import('../support/difProgram.ts');
    // test:::fire is probe 17; tick-1 (the 1 Hz default tick) is probe 11.
    const p = program([enabling(1, [17], [action('ldgs DT_VAR(262), %r1\nret %r1')]), enabling(2, [11], [action('ldgs DT_VAR(257), %r1\nret %r1')])]);
    const { sink, result } = await runCompiled(p, {
      firings: [firing({ timestamp: 500_000_000n, args: [1n] }), firing({ timestamp: 1_000_000_000n, args: [2n] }), firing({ timestamp: 2_500_000_000n, cpu: 1, args: [3n] })],
      engine: { ncpus: 2 },
    });
    const order = sink.firings().sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0)).map((f) => `${f.epid}@${f.timestamp / 1_000_000n}:${f.records[0]}`);
    assert.deepEqual(order, ['1@500:1', '1@1000:2', '2@1000:1000000000', '2@2000:2000000000', '1@2500:3']);
    // the replay ends with its trace
    assert.deepEqual(result, { exited: false, endTime: 2_500_000_000n });
  });

  it('a firing on a CPU beyond the count given gets that CPU its buffers', async () => {
    const { runCompiled, program, enabling, action, firing } = await import('../support/difProgram.ts');
    const p = program([enabling(1, [17], [action('ldgs DT_VAR(262), %r1\nret %r1')])]);
    const { sink } = await runCompiled(p, { firings: [firing({ cpu: 3, args: [9n] }), firing({ probeId: 99999, args: [1n] })] });
    assert.deepEqual(
      sink.events.map((e) => (e.k === 'buffer' ? `${e.cpu}:${e.firings.map((f) => f.records[0]).join(',')}` : e.k)),
      ['3:9'],
    );
  });

  it('a firing of a probe nothing enables fires nothing, but its time and its CPU count as for any other', async () => {
    const { program, enabling, action, firing, testCatalogue } = await import('../support/difProgram.ts');
    const { createEngine, firingsOf } = await import('../../server/src/vm/engine.ts');
    const { OptionSet } = await import('../../server/src/analyze/options/optionSet.ts');
    const { RecordingSink } = await import('../support/vmRun.ts');
    // test:::fire is probe 17 (enabled), test:::other 18 (not).
    const p = program([enabling(1, [17], [action('ldgs DT_VAR(262), %r1\nret %r1')])]);
    const sink = new RecordingSink();
    const engine = createEngine({
      program: p,
      options: new OptionSet(),
      catalogue: testCatalogue(),
      sink,
      destructive: false,
      startWallTime: 0n,
      firings: firingsOf([firing({ timestamp: 10n, args: [1n] }), firing({ probeId: 18, cpu: 5, timestamp: 20n, args: [2n] }), firing({ probeId: 99999, cpu: 9, timestamp: 30n }), firing({ timestamp: 40n, args: [3n] })]),
    });
    const result = await engine.run();
    assert.deepEqual(sink.firings().map((f) => `${f.timestamp}:${f.records[0]}`), ['10:1', '40:3']);
    assert.equal(result.endTime, 40n);
    // CPU 5 got its buffers (as a firing there always did); the unknown probe's CPU 9 did not.
    assert.equal(engine.runtime.principal.length, 6);
    assert.equal(engine.runtime.aggregations.length, 6);
  });

  it('a Ctrl-C stops a script that would run forever; END still runs', async () => {
    const ac = new AbortController();
    const started = runD('tick-1ms { n++; } END { trace(n > 0); }', { engine: { signal: ac.signal } });
    setTimeout(() => ac.abort(), 50);
    const r = await started;
    assert.deepEqual(r.sink.firings().at(-1)!.records, [1n]);
    assert.equal(r.result.exited, false);
  });

  it('with nothing that can fire, the engine waits for Ctrl-C instead of spinning', async () => {
    const ac = new AbortController();
    const t0 = Date.now();
    setTimeout(() => ac.abort(), 80);
    const r = await runD('BEGIN { trace(1); } END { trace(2); }', { engine: { signal: ac.signal } });
    assert.ok(Date.now() - t0 >= 70);
    assert.deepEqual(
      r.sink.firings().map((f) => f.records),
      [[1n], [2n]],
    );
  });

  it('without a signal, a script that can never fire again ends after BEGIN', async () => {
    const r = await runD('BEGIN { trace(1); } END { trace(2); }');
    assert.deepEqual(r.result, { exited: false, endTime: 0n });
  });

  it('the consumer gets BEGIN at once, then a buffer every switchrate and aggregations every aggrate', async () => {
    const r = await runD('tick-1s { @c = count(); trace(timestamp); } tick-3s { exit(0); }', { x: { switchrate: '2s', aggrate: '1s' } });
    const kinds = r.sink.events.map((e) => (e.k === 'buffer' ? `buffer:${e.firings.map((f) => f.timestamp / SEC).join(',')}` : e.k === 'aggregations' ? `agg:${e.deltas[0]!.data[0]}` : e.k));
    assert.deepEqual(kinds, ['agg:1', 'agg:1', 'buffer:1,2', 'agg:1', 'buffer:3,3']);
  });

  it('refuses DIF the verifier rejects', async () => {
    const { runCompiled, program, enabling, action } = await import('../support/difProgram.ts');
    await assert.rejects(runCompiled(program([enabling(1, [1], [action('ba 0\nret %r0')])])), /DIF program content is invalid: backward branch to 0/);
  });
});

describe('VM engine: actions', () => {
  it('tracemem copies the memory; with a dynamic size only that much, the rest zero', async () => {
    const r = await runD('BEGIN { this->p = (char *)alloca(8); this->p[0] = 1; this->p[3] = 4; this->p[7] = 8; tracemem(this->p, 8); tracemem(this->p, 8, 2); }');
    const recs = r.sink.firings()[0]!.records.filter((v) => v instanceof Uint8Array) as Uint8Array[];
    assert.deepEqual(recs.map((b) => Array.from(b)), [
      [1, 0, 0, 4, 0, 0, 0, 8],
      [1, 0, 0, 0, 0, 0, 0, 0],
    ]);
  });

  it('printm records the memref length, then the bytes; too long drops the record', async () => {
    const { runCompiled, program, enabling, action } = await import('../support/difProgram.ts');
    // builds [address of "hello", 5] in scratch and returns its address (what memref() does)
    const memref = (len: number) =>
      action(
        `
        .string "hello"
        .int 16
        .int ${len}
        .int 8
        setx DT_INTEGER[0], %r1
        allocs %r1, %r2
        sets DT_STRING[0], %r3
        stx %r3, [%r2]
        setx DT_INTEGER[1], %r4
        setx DT_INTEGER[2], %r5
        add %r2, %r5, %r5
        stx %r4, [%r5]
        ret %r2`,
        0x8,
        { size: 16, record: { k: 'bytes', size: 16 } },
      );
    const ok = await runCompiled(program([enabling(1, [1], [memref(5)])]));
    assert.deepEqual(Array.from(ok.sink.firings()[0]!.records[0] as Uint8Array), [5, 0, 0, 0, 0, 0, 0, 0, 104, 101, 108, 108, 111, 0, 0, 0]);
    const long = await runCompiled(program([enabling(1, [1], [memref(9)])]));
    assert.deepEqual(long.sink.firings(), []);
  });

  it('stacks are empty (no kernel is replayed); user symbols carry the pid', async () => {
    const r = await runD('BEGIN { stack(3); ustack(2); usym(0x1234); }');
    const [k, u, sym] = r.sink.firings()[0]!.records as Uint8Array[];
    assert.deepEqual(Array.from(k!), new Array(24).fill(0));
    assert.deepEqual(Array.from(u!), [0x92, 0x10, 0, 0, 0, 0, 0, 0, ...new Array(16).fill(0)]);
    assert.deepEqual(Array.from(sym!), [0x92, 0x10, 0, 0, 0, 0, 0, 0, 0x34, 0x12, 0, 0, 0, 0, 0, 0]);
  });

  it('exit() in END sets the status; a second exit() before END drops its whole record', async () => {
    const r = await runD('BEGIN { exit(1); } END { exit(2); }');
    assert.equal(r.result.exitStatus, 2n);
    const twice = await runD('BEGIN { trace(5); exit(3); exit(4); } END { trace(6); }');
    assert.deepEqual(
      twice.sink.firings().map((f) => f.records),
      [[6n]],
    );
    assert.deepEqual(twice.result, { exited: true, endTime: 0n });
  });

  it('refuses destructive actions without -w, and only records them with it', async () => {
    const { runCompiled, program, enabling, action } = await import('../support/difProgram.ts');
    const p = program([enabling(1, [1], [action('.rtype D type (integer) (size 4)\n.int 9\nsetx DT_INTEGER[0], %r1\nret %r1', 0x202)])]);
    await assert.rejects(runCompiled(p), /Destructive actions not allowed/);
    const { sink } = await runCompiled(p, { engine: { destructive: true } });
    assert.deepEqual(sink.firings()[0]!.records, [9n]);
  });
});


describe('VM engine: real-time pacing', () => {
  it('realtime keeps virtual time behind the wall clock', async () => {
    const t0 = Date.now();
    const r = await runD('tick-20ms { n++; } tick-100ms { exit(0); } END { trace(n); }', { engine: { realtime: true } });
    assert.ok(Date.now() - t0 >= 95, `took ${Date.now() - t0} ms`);
    assert.deepEqual(r.sink.firings().at(-1)!.records, [5n]);
  });
});
