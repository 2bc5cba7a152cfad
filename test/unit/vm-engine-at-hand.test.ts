// Firings at hand (a source with nextSync: a replay's decoded batch, an in-memory list) are run
// by the engine in a loop of their own between timers (engine.ts fireAtHand), without comparing
// each one's time with the next timer when the source knows their order (inOrderThrough), and a
// firing counted by its text alone without its facts (Runtime.aggregateByText). All must be
// exactly what the event-by-event path gives: the same firings awaited one at a time, through the
// interpreter (the reference, no shortcut) and the JIT alike.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { firingsOf as atHand, type EngineResult, type ProbeFiring } from '../../server/src/vm/engine';
import { compileD, firingsOf as awaited, runCompiled, type SinkEvent } from '../support/vmRun.ts';

interface Seen {
  events: SinkEvent[];
  result: EngineResult;
}

type Delivery = 'awaited' | 'at hand' | 'at hand, in order';

async function run(source: string, list: (probeId: number) => ProbeFiring[], x: Record<string, string>, delivery: Delivery, jit: boolean, ncpus: number): Promise<Seen> {
  const compiled = await compileD(source, x);
  const probeId = compiled.catalogue.match({ provider: 'syscall', module: '', function: 'read', name: 'entry' })[0]!.id;
  const firings = list(probeId);
  const { sink, result } = await runCompiled(compiled, {
    engine: {
      startWallTime: 0n,
      firings: delivery === 'awaited' ? awaited(firings) : atHand(firings, { inOrder: delivery === 'at hand, in order' }),
      ncpus,
      jit,
    },
  });
  return { events: sink.events, result };
}

/**
 * The interpreter awaiting each firing is the reference; at hand (in order when the list is, as
 * its source would know) and through the JIT must match it.
 */
async function same(source: string, list: (probeId: number) => ProbeFiring[], x: Record<string, string> = {}, ncpus = 1): Promise<Seen> {
  const reference = await run(source, list, x, 'awaited', false, ncpus);
  const times = list(0).map((f) => f.timestamp);
  const inOrder = times.every((t, i) => i === 0 || t >= times[i - 1]!);
  const deliveries: Delivery[] = inOrder ? ['at hand', 'at hand, in order'] : ['at hand'];
  for (const jit of [false, true]) {
    for (const delivery of [...deliveries, ...(jit ? ['awaited' as const] : [])]) {
      const got = await run(source, list, x, delivery, jit, ncpus);
      assert.deepEqual(got, reference, `${delivery}, ${jit ? 'JIT' : 'interpreter'}`);
    }
  }
  return reference;
}

const NAMES = ['bash', 'ls', 'sshd', 'node', 'cron'];

/** `n` firings `step` ns apart from 1 ms, on `cpus` CPUs in turn. */
const steady =
  (n: number, step: bigint, cpus = 1) =>
  (probeId: number): ProbeFiring[] =>
    Array.from({ length: n }, (_, i) => ({
      probeId,
      timestamp: 1_000_000n + BigInt(i) * step,
      cpu: i % cpus,
      pid: 100 + (i % 7),
      tid: 1 + (i % 3),
      execname: NAMES[(i * 3) % NAMES.length]!,
      args: [BigInt(i), BigInt(i % 11)],
    }));

describe('engine: firings at hand = firings awaited one by one', () => {
  it('counts by execname across tick and profile timers, consumer passes and several CPUs', async () => {
    // A firing every 37 µs against a 1 ms tick, a 997 Hz profile and 1 ms passes: many batches
    // cross a timer, and some firings fall exactly on one (1 ms = 27 * 37 µs + 1 µs: none at
    // first, then step 40 µs lands on every tick).
    const source = 'syscall::read:entry { @[execname] = count(); } tick-1ms { @t[cpu] = count(); } profile-997 { @p[execname] = count(); }';
    const seen = await same(source, steady(3000, 37_000n, 3), { aggrate: '1ms', switchrate: '1ms' }, 3);
    assert.ok(seen.events.filter((e) => e.k === 'aggregations').length > 50);
    await same(source, steady(3000, 40_000n, 2), { aggrate: '2ms' }, 2);
  });

  it('records in order with the ticks between them', async () => {
    await same('syscall::read:entry { printf("%d %s %d\\n", timestamp, execname, arg0); } tick-5000 { trace(timestamp); }', steady(2000, 33_000n), { switchrate: '1ms' });
  });

  it('exit() in the middle of the firings: END at that firing\'s time, nothing after', async () => {
    const seen = await same('syscall::read:entry { @[execname] = count(); } syscall::read:entry /arg0 == 777/ { exit(3); } END { trace(timestamp); }', steady(3000, 10_000n));
    assert.equal(seen.result.exitStatus, 3n);
    assert.equal(seen.result.endTime, 1_000_000n + 777n * 10_000n);
  });

  it('a fill buffer that fills stops tracing', async () => {
    await same('syscall::read:entry { @[execname] = count(); trace(arg0); }', steady(5000, 1_000n), { bufpolicy: 'fill', bufsize: '4k' });
  });

  it('firings in order that start before the clock (BEGIN, a timer) do not take it back', async () => {
    // The trace's first firings are stamped before the clock's start (clockStart 5 ms).
    const source = 'syscall::read:entry { @[execname] = count(); @t = min(timestamp); } tick-1ms { trace(timestamp); } END { trace(timestamp); }';
    const compiledList = steady(2000, 10_000n);
    const seen = await same(source, compiledList, {}, 1);
    assert.ok(seen.result.endTime >= 1_000_000n + 1999n * 10_000n);
    for (const delivery of ['at hand', 'at hand, in order'] as const) {
      const early = async (jit: boolean, d: Delivery): Promise<Seen> => {
        const compiled = await compileD(source);
        const probeId = compiled.catalogue.match({ provider: 'syscall', module: '', function: 'read', name: 'entry' })[0]!.id;
        const list = compiledList(probeId);
        const firings = d === 'awaited' ? awaited(list) : atHand(list, { inOrder: d === 'at hand, in order' });
        const { sink, result } = await runCompiled(compiled, { engine: { startWallTime: 0n, firings, clockStart: 5_000_000n, jit } });
        return { events: sink.events, result };
      };
      assert.deepEqual(await early(true, delivery), await early(false, 'awaited'), delivery);
    }
  });

  it('firings out of time order keep the clock from going back', async () => {
    const list = (p: number): ProbeFiring[] => steady(2000, 25_000n)(p).map((f, i) => (i % 10 === 3 ? { ...f, timestamp: f.timestamp - 3_000_000n } : f));
    await same('syscall::read:entry { @[execname] = count(); @t = max(timestamp); } tick-1ms { trace(timestamp); }', list);
  });

  it('more firings than run between two returns to the event loop, only one CPU traced', async () => {
    await same('syscall::read:entry { @[execname] = count(); @c[cpu] = count(); }', steady(10_000, 100n, 4), { cpu: '2' }, 4);
  });
});
