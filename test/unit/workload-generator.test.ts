// The workload generator: the same seed gives the same firings, draws follow their
// distributions, the scheduler's probes are consistent with the calls, and a fixed workload's
// firings are exactly the ones worked out by hand.
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { TraceFiring, TraceHeader, TraceRecord } from '../../server/src/trace/index.ts';
import { decodeIoRequest, encodeIoRequest, readIoRequest } from '../../server/src/vm/ioRequests.ts';
import { readThreadRecord } from '../../server/src/vm/threadRecords.ts';
import { openWorkload, parseWorkload, workloadSource } from '../../server/src/sources/workload/index.ts';

const FIXTURES = join(__dirname, '..', 'fixtures', 'workloads');
const DATABASE = join(FIXTURES, 'database.json');
const TINY = join(FIXTURES, 'tiny.json');

async function all(file: string, seed?: number): Promise<{ header: TraceHeader; records: TraceRecord[] }> {
  const source = await openWorkload(file, seed !== undefined ? { seed } : {});
  const records: TraceRecord[] = [];
  for await (const r of source.records()) records.push(r);
  await source.close();
  return { header: source.header, records };
}

function digest(records: readonly TraceRecord[]): string {
  const h = createHash('sha256');
  for (const r of records) h.update(JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v instanceof Object && 'raw' in v ? (v as { raw: unknown }).raw : v)) + '\n');
  return h.digest('hex');
}

const name = (header: TraceHeader, f: TraceFiring): string => {
  const p = header.probes[f.probe]!;
  return `${p.provider}:${p.function}:${p.name}`;
};

function inline(json: object): ReturnType<typeof workloadSource> {
  return workloadSource(parseWorkload(JSON.stringify({ workload: 1, ...json }), 'inline.json'));
}

async function firingsOf(source: ReturnType<typeof workloadSource>): Promise<TraceFiring[]> {
  const out: TraceFiring[] = [];
  for await (const r of source.records()) if (r.kind === 'firing') out.push(r);
  return out;
}

describe('workload generator: determinism', () => {
  it('the same seed gives the same records; another seed other records', async () => {
    const a = await all(DATABASE);
    const b = await all(DATABASE);
    const c = await all(DATABASE, 43);
    assert.ok(a.records.length > 30_000, `${a.records.length} records`);
    assert.equal(digest(a.records), digest(b.records));
    assert.notEqual(digest(a.records), digest(c.records));
    assert.equal(a.header.source, 'dtvm workload database.json seed 42');
    assert.equal(c.header.source, 'dtvm workload database.json seed 43');
  });

  it('hands records out in batches no larger than asked for, in time order, with their line numbers', async () => {
    const source = workloadSource(parseWorkload(JSON.stringify({ workload: 1, processes: [{ execname: 'a', syscalls: [{ name: 'getpid', rate: 100000 }] }] }), 'a.json'), { batch: 100 });
    let last = 0n;
    let line = 1;
    let sizes = 0;
    for await (const batch of source.batches()) {
      assert.ok(batch.length <= 100);
      sizes++;
      for (const r of batch) {
        assert.equal(r.line, ++line);
        assert.ok(r.timestamp >= last);
        last = r.timestamp;
      }
    }
    assert.ok(sizes > 1000);
  });
});

describe('workload generator: distributions', () => {
  it('latencies and think times average what the file says (seeded, hand-computed means)', async () => {
    // Two calls, chosen 3:1; non-blocking, so latency = return - entry and think = entry - previous return.
    const source = inline({
      seed: 99,
      duration: '20s',
      processes: [
        {
          execname: 'w',
          syscalls: [
            { name: 'read', rate: 750, latency: { exponential: '50us' } },
            { name: 'write', rate: 250, latency: { lognormal: { median: '20us', sigma: 0.5 } } },
          ],
        },
      ],
    });
    const fs = await firingsOf(source);
    const h = source.header;
    const sum = { read: [0, 0], write: [0, 0], think: [0, 0] };
    let entry: TraceFiring | undefined;
    let lastReturn: TraceFiring | undefined;
    for (const f of fs) {
      const n = name(h, f);
      if (n.startsWith('sched')) continue;
      if (n.endsWith(':entry')) {
        entry = f;
        if (lastReturn !== undefined) {
          sum.think[0]! += Number(f.timestamp - lastReturn.timestamp);
          sum.think[1]!++;
        }
      } else if (entry !== undefined) {
        const s = n.includes(':read:') ? sum.read : sum.write;
        s[0]! += Number(f.timestamp - entry.timestamp);
        s[1]!++;
        lastReturn = f;
      }
    }
    const mean = (s: number[]): number => s[0]! / s[1]!;
    // exponential: the mean itself; lognormal: median * e^(sigma^2 / 2) = 20us * e^0.125 = 22.663us;
    // think: exponential with mean 1 / (750 + 250) s = 1ms.
    assert.ok(Math.abs(mean(sum.read) / 50_000 - 1) < 0.02, `read mean ${mean(sum.read)}`);
    assert.ok(Math.abs(mean(sum.write) / 22_663 - 1) < 0.02, `write mean ${mean(sum.write)}`);
    assert.ok(Math.abs(mean(sum.think) / 1_000_000 - 1) < 0.02, `think mean ${mean(sum.think)}`);
    // The 3:1 mix: 20 s at about (1ms + 42.7us) a call gives about 19180 calls.
    assert.ok(Math.abs(sum.read[1]! / (sum.read[1]! + sum.write[1]!) - 0.75) < 0.015);
    assert.ok(Math.abs(sum.read[1]! + sum.write[1]! - 19_180) < 400, String(sum.read[1]! + sum.write[1]!));
  });

  it('errors: the given share of calls fail with -1 and the errno', async () => {
    const source = inline({ seed: 3, duration: '10s', processes: [{ execname: 'e', syscalls: [{ name: 'read', rate: 2000, returns: 10, errors: { probability: 0.25, errno: 11 } }] }] });
    const returns = (await firingsOf(source)).filter((f) => name(source.header, f) === 'syscall:read:return');
    const failed = returns.filter((f) => f.errno === 11);
    assert.ok(failed.every((f) => f.args[0] === -1n && f.args[1] === -1n));
    assert.ok(returns.filter((f) => f.errno === 0).every((f) => f.args[0] === 10n));
    assert.ok(Math.abs(failed.length / returns.length - 0.25) < 0.01, `${failed.length} / ${returns.length}`);
  });
});

describe('workload generator: the scheduler is consistent with the calls', () => {
  it('one thread per CPU at a time; calls and profile interrupts only while on a CPU; every off-cpu after its on-cpu', async () => {
    const { header, records } = await all(DATABASE);
    const running = new Map<number, bigint>();
    let switches = 0;
    for (const r of records) {
      if (r.kind !== 'firing') continue;
      const n = name(header, r);
      const who = (BigInt(r.pid) << 32n) | r.tid;
      if (n === 'sched:resume:on-cpu') {
        assert.equal(running.get(r.cpu), undefined, `line ${r.line}: CPU ${r.cpu} is busy`);
        running.set(r.cpu, who);
        switches++;
      } else if (n === 'sched:resume:off-cpu') {
        assert.equal(running.get(r.cpu), who, `line ${r.line}: off-cpu of a thread not on CPU ${r.cpu}`);
        running.delete(r.cpu);
      } else if (n.startsWith('profile:') && !running.has(r.cpu)) {
        assert.deepEqual([r.pid, r.execname, r.args[1]], [0, 'sched', 0n], `line ${r.line}: an idle CPU's profile interrupt`);
      } else if (n !== 'io:biodone:done') {
        assert.equal(running.get(r.cpu), who, `line ${r.line}: ${n} of a thread not on CPU ${r.cpu}`);
      } else {
        assert.deepEqual([r.pid, r.execname], [0, 'sched']);
      }
    }
    assert.ok(switches > 1000, `${switches} switches`);
    // profile-997 and profile-97 on 4 CPUs for 2 s, tick-1s on one.
    const profiles = records.filter((r) => r.kind === 'firing' && header.probes[r.probe]!.provider === 'profile').length;
    assert.equal(profiles, 4 * 2 * (997 + 97) + 2);
  });
});

describe('workload generator: the scheduler under contention', () => {
  it('more threads than CPUs, short quanta, sleeping calls: every thread gets the CPU and the rules hold (several seeds)', async () => {
    for (const seed of [1, 2, 3]) {
      const source = workloadSource(
        parseWorkload(
          JSON.stringify({
            workload: 1,
            ncpus: 3,
            duration: '200ms',
            quantum: '1ms',
            seed,
            processes: [
              { execname: 'cruncher', count: 2, threads: 3, syscalls: [{ name: 'getpid', rate: 200 }] },
              { execname: 'sleeper', count: 3, threads: 1, syscalls: [{ name: 'nanosleep', rate: 500, latency: { exponential: '300us' }, blocks: 0.7 }] },
            ],
          }),
          'contention.json',
        ),
      );
      const h = source.header;
      const running = new Map<number, string>();
      const onCpuTime = new Map<string, bigint>();
      const since = new Map<string, bigint>();
      let last = 0n;
      for await (const r of source.records()) {
        if (r.kind !== 'firing') continue;
        assert.ok(r.timestamp >= last);
        last = r.timestamp;
        const who = `${r.pid}/${r.tid}`;
        const n = name(h, r);
        if (n === 'sched:resume:on-cpu') {
          assert.equal(running.get(r.cpu), undefined, `seed ${seed} line ${r.line}`);
          running.set(r.cpu, who);
          since.set(who, r.timestamp);
        } else {
          assert.equal(running.get(r.cpu), who, `seed ${seed} line ${r.line}: ${n}`);
          if (n === 'sched:resume:off-cpu') {
            running.delete(r.cpu);
            onCpuTime.set(who, (onCpuTime.get(who) ?? 0n) + r.timestamp - since.get(who)!);
          }
        }
      }
      // 9 threads on 3 CPUs: all of them ran, and the CPU-bound ones were preempted.
      assert.equal(onCpuTime.size, 9, `seed ${seed}: ${[...onCpuTime.keys()].join(' ')}`);
    }
  });
});

describe('workload generator: a fixed workload, by hand', () => {
  // cat (CPU 0): on-cpu at 0; every cycle: 100us of user time, read entry, io start and off-cpu
  // 1us later, io done and on-cpu 200us after that, return 0.5us later: a cycle is 301.5us, so
  // 10ms hold 33 entries (at 100 + 301.5k us, k = 0..32), 33 returns (at 301.5 + 301.5k us).
  // sh (CPU 1): on-cpu at 0, then reads every 1005us (1ms think + 5us): 9 entries and returns.
  it('fires exactly the firings worked out by hand', async () => {
    const { header, records } = await all(TINY);
    const counts = new Map<string, number>();
    for (const r of records) {
      if (r.kind === 'firing') {
        const key = `${name(header, r)} ${r.execname} ${r.cpu}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    assert.deepEqual(Object.fromEntries([...counts].sort()), {
      'io:bdev_strategy:start cat 0': 33,
      'io:biodone:done sched 0': 33,
      'sched:resume:off-cpu cat 0': 33,
      'sched:resume:on-cpu cat 0': 34,
      'sched:resume:on-cpu sh 1': 1,
      'syscall:read:entry cat 0': 33,
      'syscall:read:entry sh 1': 9,
      'syscall:read:return cat 0': 33,
      'syscall:read:return sh 1': 9,
    });
    const execs = records.filter((r) => r.kind === 'exec');
    assert.deepEqual(
      execs.map((e) => e.kind === 'exec' && [e.pid, e.ppid, e.execname, e.argv]),
      [
        [500, 400, 'cat', ['cat']],
        [400, 1, 'sh', ['sh']],
      ],
    );
    assert.deepEqual(records.at(-1), { kind: 'end', line: records.length + 1, timestamp: 1_010_000_000n, firings: 218, events: 2 });
  });

  it('the first cycle of cat: times, thread ids, arguments and the recorded block request', async () => {
    const { header, records } = await all(TINY);
    const cat = records.filter((r): r is TraceFiring => r.kind === 'firing' && r.pid === 500 || (r.kind === 'firing' && r.pid === 0));
    const first = cat.slice(0, 6).map((f) => `${f.timestamp} ${name(header, f)} ${f.pid}/${f.tid} [${f.args.join(',')}]`);
    const buf = 0xfffffe0000000000n;
    // off-cpu's next thread, recorded: CPU 0's idle thread (the second CPU's key is 1).
    const idle0 = 0xfffffe8000000000n;
    assert.deepEqual(first, [
      '1000000000 sched:resume:on-cpu 500/1 []',
      `1000100000 syscall:read:entry 500/1 [3,${0x7ff000000000},8192]`,
      `1000101000 io:bdev_strategy:start 500/1 [${buf},${buf},${buf}]`,
      `1000101000 sched:resume:off-cpu 500/1 [${idle0},${idle0}]`,
      `1000301000 io:biodone:done 0/0 [${buf},${buf},${buf}]`,
      '1000301000 sched:resume:on-cpu 500/1 []',
    ]);
    const start = cat[2]!;
    assert.deepEqual(readIoRequest(start.memory!, buf), {
      bcount: 8192n,
      blkno: 500n * 64n,
      offset: -1n,
      write: false,
      error: 0,
      resid: 0n,
      major: 1,
      minor: 0,
      instance: 0,
      device: 'sd',
      path: '',
    });
    assert.deepEqual(readThreadRecord(cat[3]!.memory!, idle0), { pid: 0, ppid: 0, uid: 0, gid: 0, tid: 0n, cpu: 0, kernel: true, execname: 'sched' });
    // The return comes 0.5us after the thread is back on its CPU, with the bytes read.
    const ret = cat[6]!;
    assert.equal(`${ret.timestamp} ${name(header, ret)} [${ret.args.join(',')}]`, '1000301500 syscall:read:return [8192,8192]');
  });
});

describe('io requests as recorded memory', () => {
  it('round-trip through their encoding, and are not mistaken for other bytes', () => {
    const r = { bcount: 65536n, blkno: 2n ** 40n, offset: 123456789n, write: true, error: 5, resid: 512n, major: 203, minor: 128, instance: 2, device: 'nvme', path: '/var/db/base/16384' };
    assert.deepEqual(decodeIoRequest(encodeIoRequest(r)), r);
    assert.equal(decodeIoRequest(new TextEncoder().encode('/etc/passwd\0'.padEnd(80, '\0'))), undefined);
  });
});
