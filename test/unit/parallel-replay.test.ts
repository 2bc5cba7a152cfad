// The parallel replay (server/src/cli/parallel/): for programs whose probe clauses only
// aggregate, a trace replayed by worker threads prints byte for byte what the single thread
// prints (stdout, stderr, exit status), in both trace forms; every other program, and every run
// where a worker meets a fault, a drop or a malformed record, takes the single thread's path
// (and so prints the single thread's messages, at the right line).
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTraceWriter } from '../../server/src/trace';
import { convertTrace } from '../../server/src/trace/convert.ts';
import { splitTrace } from '../../server/src/trace/split.ts';
import { openTrace, openTraceRange } from '../../server/src/trace/reader.ts';
import * as parallel from '../../server/src/cli/parallel/replay';
import { dtvm, type DtvmRun } from '../support/runDtvm';

const DIR = mkdtempSync(join(tmpdir(), 'dtvm-parallel-'));
const NAMES = ['bash', 'ls', 'sshd', 'node', 'postgres', 'a-much-longer-process-name', 'cc', 'x'];
const CALLS = ['read', 'write', 'openat', 'close'];

/** A Linux trace of syscall entries and returns on 4 CPUs, with exec and exit events, `firings` long. */
async function makeTrace(name: string, firings: number, seed: number): Promise<string> {
  const path = join(DIR, name);
  const probes = CALLS.flatMap((f) => [
    { provider: 'syscall', module: '', function: f, name: 'entry', args: ['int', 'void *', 'size_t'] },
    { provider: 'syscall', module: '', function: f, name: 'return', args: ['int', 'ssize_t'] },
  ]);
  const start = 5_000_000_000n;
  const w = await createTraceWriter(path, { platform: 'linux-x86_64', ncpus: 4, timestamp: start, walltimestamp: 1_700_000_000_000_000_000n, probes, source: 'parallel-replay.test.ts' });
  let s = seed;
  const rand = (n: number): number => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return (s >>> 8) % n; // the generator's low bits repeat too soon
  };
  let t = start;
  for (let i = 0; i < firings; i++) {
    // Firings spread over several seconds of trace time: several aggregation snapshots.
    t += BigInt(1000 + rand(2_000_000));
    const pid = 100 + rand(40);
    if (i % 997 === 0) await w.exec({ timestamp: t, pid, ppid: 1, uid: 0, gid: 0, execname: NAMES[pid % NAMES.length]!, argv: ['cmd', `${i}`] });
    const call = rand(CALLS.length);
    const entry = rand(3) !== 0;
    const args = entry ? [rand(64) - 8, 0x7f0000000000 + rand(1 << 20), rand(1 << 16) * (rand(5) === 0 ? 1000003 : 1)] : [rand(64), rand(70000) - 100];
    await w.firing({ probe: call * 2 + (entry ? 0 : 1), timestamp: t, cpu: rand(4), pid, tid: pid * 10 + rand(3), ppid: 1, uid: 1000, gid: 1000, execname: NAMES[pid % NAMES.length]!, args });
    if (i % 1499 === 0) await w.exit({ timestamp: t, pid, status: 0 });
  }
  await w.close({ timestamp: t + 1000n });
  return path;
}

async function binaryOf(path: string): Promise<string> {
  const out = path.replace(/\.ndjson$/, '.dtb');
  await convertTrace(path, out, { to: 'binary' });
  return out;
}

async function run(workers: number, args: string[]): Promise<DtvmRun & { path: string }> {
  const before = process.env.DTVM_WORKERS;
  process.env.DTVM_WORKERS = String(workers);
  try {
    const r = await dtvm(args);
    return { ...r, path: parallel.lastReplayPath };
  } finally {
    if (before === undefined) delete process.env.DTVM_WORKERS;
    else process.env.DTVM_WORKERS = before;
  }
}

/** The single thread's run and the parallel one's, which must print the same bytes. */
async function same(args: string[], workers = 2): Promise<{ single: DtvmRun; multi: DtvmRun & { path: string } }> {
  const single = await run(1, args);
  const multi = await run(workers, args);
  assert.equal(multi.stdout, single.stdout);
  assert.equal(multi.stderr, single.stderr);
  assert.equal(multi.status, single.status);
  return { single, multi };
}

let ndjson = '';
let binary = '';

before(async () => {
  ndjson = await makeTrace('t.ndjson', 6000, 7);
  binary = await binaryOf(ndjson);
});

after(() => {
  delete process.env.DTVM_WORKERS;
  rmSync(DIR, { recursive: true, force: true });
});

const AGGREGATING = [
  'syscall:::entry { @c[execname] = count(); @s[probefunc, cpu] = sum(arg0); @a[execname] = avg(arg2); @mn[pid] = min(arg0); @mx[tid] = max(arg2); @sd[execname, probefunc] = stddev(arg2); }',
  'syscall:::entry { @q[execname] = quantize(arg2); @l[probefunc] = lquantize(arg0, -4, 40, 4); @ll = llquantize(arg2, 10, 0, 6, 20); } syscall:::return /arg1 > 100/ { @r[probefunc, execname, uid] = quantize(arg1); }',
  'syscall::read:entry, syscall::write:entry /execname != "ls"/ { this->n = arg2 / 3; @[probeprov, probemod, probefunc, probename] = sum(this->n); @t = sum(timestamp - walltimestamp); @w[walltimestamp / 1000000000] = count(); }',
  'BEGIN { printf("start\\n"); n = 3; } syscall:::entry { @c[execname] = count(); @q = quantize(arg0 * 1000); } END { printa("%-30s %@8d\\n", @c); printf("n=%d\\n", n); exit(3); }',
  'syscall:::entry { @[execname] = count(); } END { trunc(@, 3); normalize(@, 2); }',
];

describe('parallel replay: the same bytes as the single thread', () => {
  for (const [i, script] of AGGREGATING.entries()) {
    it(`script ${i + 1}, NDJSON and binary, -q and not`, async () => {
      for (const trace of [ndjson, binary]) {
        for (const quiet of [['-q'], []]) {
          const { single, multi } = await same([...quiet, '-n', script, '--trace', trace]);
          assert.equal(multi.path, 'parallel', `${trace}: ${multi.path}`);
          assert.ok(single.stdout.length > 20);
        }
      }
    });
  }

  it('three and four ranges; aggregation sort options and printa of several aggregations', async () => {
    const script = 'syscall:::entry { @a[execname] = count(); @b[execname] = sum(arg2); } END { printa("%s %@d %@d\\n", @a, @b); }';
    for (const workers of [3, 4]) {
      for (const trace of [ndjson, binary]) {
        const { multi } = await same(['-q', '-x', 'aggsortkey', '-x', 'aggsortrev', '-n', script, '--trace', trace], workers);
        assert.equal(multi.path, 'parallel');
      }
    }
  });

  it('structured output (-x oformat=json) is the same', async () => {
    const { multi } = await same(['-q', '-x', 'oformat=json', '-n', 'syscall:::entry { @[execname, probefunc] = quantize(arg2); }', '--trace', binary]);
    assert.equal(multi.path, 'parallel');
  });
});

describe('parallel replay: what stays on the single thread', () => {
  const unsafe: [string, string][] = [
    ['a global variable', 'syscall:::entry { n++; @[execname] = sum(n); }'],
    ['a thread-local variable', 'syscall:::entry { self->ts = timestamp; } syscall:::return /self->ts/ { @[execname] = count(); }'],
    ['printf', 'syscall::close:entry { printf("%s\\n", execname); }'],
    ['trace', 'syscall::close:entry { trace(pid); }'],
    ['exit in a probe clause', 'syscall::close:entry { @[execname] = count(); exit(0); }'],
    ['a tick probe', 'syscall:::entry { @[execname] = count(); } tick-1s { @t = count(); }'],
    ['rand()', 'syscall:::entry { @[rand() % 3] = count(); }'],
    ['copyin', 'syscall::read:entry { @[copyinstr(arg1)] = count(); }'],
    ['a clause-local read before any store', 'syscall:::entry { @[execname] = sum(this->x); this->x = arg0; }'],
    ['a clause-local stored on one path only', 'syscall:::entry { this->x = arg0 > 5 ? 1 : 0; } syscall:::entry { @[execname] = sum(this->x); }'],
    ['curpsinfo', 'syscall:::entry { @[curpsinfo->pr_psargs] = count(); }'],
    ['exit in BEGIN', 'BEGIN { exit(0); } syscall:::entry { @[execname] = count(); }'],
    ['aggregating in END', 'syscall:::entry { @[execname] = count(); } END { @[execname] = count(); }'],
    ['an empty clause (probe lines)', 'syscall::close:entry { }'],
    ['bufpolicy=fill', 'BEGIN { printf("x"); } syscall:::entry { @[execname] = count(); }'],
    ['setopt()', 'BEGIN { setopt("aggsortrev"); } syscall:::entry { @[execname] = count(); }'],
  ];
  for (const [what, script] of unsafe) {
    it(what, async () => {
      const args = ['-q', '-n', script, '--trace', binary, ...(what === 'bufpolicy=fill' ? ['-x', 'bufpolicy=fill'] : [])];
      const { multi } = await same(args);
      assert.match(multi.path, /^single: /, `${what}: ${multi.path}`);
    });
  }

  it('a small trace takes the single thread unless DTVM_WORKERS asks', async () => {
    const before = process.env.DTVM_WORKERS;
    delete process.env.DTVM_WORKERS;
    try {
      await dtvm(['-q', '-n', 'syscall:::entry { @[execname] = count(); }', '--trace', binary]);
      assert.equal(parallel.lastReplayPath, 'single: a small trace');
    } finally {
      if (before !== undefined) process.env.DTVM_WORKERS = before;
    }
  });

  it('a fault in a worker: the single thread runs it, with its error messages', async () => {
    const { multi, single } = await same(['-q', '-n', 'syscall:::entry { @[execname] = sum(arg0 / (arg0 - arg0)); }', '--trace', ndjson]);
    assert.match(multi.path, /^fallback: /);
    assert.match(single.stderr, /divide-by-zero/);
  });

  it('aggregation drops: the single thread runs it, with its drop messages', async () => {
    const { multi, single } = await same(['-q', '-x', 'aggsize=2k', '-n', 'syscall:::entry { @[pid, tid, execname] = count(); }', '--trace', binary]);
    assert.match(multi.path, /^fallback: /);
    assert.match(single.stderr, /aggregation drops/);
  });

  it('keys that fit each worker but might not have fit one buffer: the single thread decides', async () => {
    // About 64 keys per CPU in each range (48 bytes each): each range's fit, twice as many might
    // not, one buffer of all of them does (one snapshot window: aggrate=1h).
    let found = false;
    for (const size of [4096, 5120, 6144]) {
      const { multi } = await same(['-q', '-x', `aggsize=${size}`, '-x', 'aggrate=1h', '-n', 'syscall:::entry { @[arg0] = count(); }', '--trace', binary]);
      if (/might not have fit/.test(multi.path)) found = true;
    }
    assert.ok(found, 'no size exercised the merge bound');
  });

  it('a malformed record in the second half: the same located error as the single thread (NDJSON)', async () => {
    const text = readFileSync(ndjson, 'utf8').split('\n');
    const at = Math.floor(text.length * 0.8);
    text[at] = text[at]!.replace(/^\[(\d+),/, '[99,');
    const bad = join(DIR, 'bad.ndjson');
    writeFileSync(bad, text.join('\n'));
    const { multi, single } = await same(['-q', '-n', 'syscall:::entry { @[execname] = count(); }', '--trace', bad]);
    assert.match(multi.path, /^fallback: /);
    assert.match(single.stderr, new RegExp(`bad\\.ndjson:${at + 1}: field "probe" is 99`));
    assert.equal(single.status, 1);
  });

  it('a truncated binary trace and a wrong end count: the single thread says so', async () => {
    const cut = join(DIR, 'cut.dtb');
    writeFileSync(cut, readFileSync(binary));
    truncateSync(cut, statSync(cut).size - 30);
    const a = await same(['-q', '-n', 'syscall:::entry { @[execname] = count(); }', '--trace', cut]);
    assert.match(a.multi.path, /^fallback: /);
    assert.match(a.single.stderr, /truncated/);

    const lines = readFileSync(ndjson, 'utf8').trimEnd().split('\n');
    lines[lines.length - 1] = lines.at(-1)!.replace(/"firings":\d+/, '"firings":12');
    const counted = join(DIR, 'counted.ndjson');
    writeFileSync(counted, `${lines.join('\n')}\n`);
    const b = await same(['-q', '-n', 'syscall:::entry { @[execname] = count(); }', '--trace', counted]);
    assert.match(b.multi.path, /^fallback: /);
    assert.match(b.single.stderr, /the end record counts 12 firings/);
  });

  it('records out of time order across a cut: the single thread reports them', async () => {
    const lines = readFileSync(ndjson, 'utf8').trimEnd().split('\n');
    const ranges = (await splitTrace(ndjson, (await openTrace(ndjson)).header, 2))!;
    // The first line of the second range goes back in time.
    const offset = ranges[1]!.start;
    let bytes = 0;
    let index = 0;
    while (bytes < offset) bytes += Buffer.byteLength(lines[index++]!) + 1;
    lines[index] = lines[index]!.replace(/^\[(\d+),(\d+),/, '[$1,5000000001,');
    const back = join(DIR, 'back.ndjson');
    writeFileSync(back, `${lines.join('\n')}\n`);
    const { multi, single } = await same(['-q', '-n', 'syscall:::entry { @[execname] = count(); }', '--trace', back]);
    assert.match(multi.path, /^fallback: /);
    assert.match(single.stderr, new RegExp(`back\\.ndjson:${index + 1}: field "timestamp" is 5000000001, earlier`));
  });

  it('gzip input is read by one thread', async () => {
    const gz = join(DIR, 't.dtb.gz');
    await convertTrace(ndjson, gz, { to: 'binary', gzip: true });
    const { multi } = await same(['-q', '-n', 'syscall:::entry { @[execname] = count(); }', '--trace', gz]);
    assert.match(multi.path, /^fallback: the trace cannot be cut/);
  });
});

describe('trace ranges (trace/split.ts)', () => {
  it('a binary trace of several read chunks: its ranges read back give every record of the whole, once, in order', { timeout: 120_000 }, async () => {
    // Records of a few KB (recorded user memory) make a file of more than two of split.ts's 8 MB
    // chunks quickly, so the pass that finds the decoder's state crosses chunk ends mid-record.
    const path = join(DIR, 'chunks.ndjson');
    const probes = [{ provider: 'syscall', module: '', function: 'write', name: 'entry', args: ['int', 'void *', 'size_t'] }];
    const w = await createTraceWriter(path, { platform: 'linux-x86_64', ncpus: 2, timestamp: 1000n, walltimestamp: 1_700_000_000_000_000_000n, probes, source: 'parallel-replay.test.ts' });
    let t = 1000n;
    for (let i = 0; i < 7000; i++) {
      t += BigInt(1 + (i % 7) * 1000);
      const size = 1500 + ((i * 7919) % 3000);
      const memory: [bigint, string][] = [[BigInt(0x7f0000000000 + i * 8192), 'x'.repeat(size) + String(i)]];
      await w.firing({ probe: 0, timestamp: t, cpu: i % 2, pid: 100 + (i % 13), tid: 1000 + (i % 13), ppid: 1, uid: 0, gid: 0, execname: `p${i % 300}`, args: [1, 0x7f0000000000 + i * 8192, size], memory });
    }
    await w.close({ timestamp: t + 1n });
    const dtb = await binaryOf(path);
    assert.ok(statSync(dtb).size > 2 * (8 << 20), `${statSync(dtb).size} bytes`);
    const whole: unknown[] = [];
    for await (const r of await openTrace(dtb)) whole.push(r);
    const header = (await openTrace(dtb)).header;
    for (const parts of [2, 3, 5]) {
      const ranges = (await splitTrace(dtb, header, parts))!;
      assert.equal(ranges.length, parts);
      const pieces: unknown[] = [];
      for (const range of ranges) for await (const r of openTraceRange(dtb, header, range)) pieces.push(r);
      assert.equal(pieces.length, whole.length, `${parts} parts`);
      assert.deepEqual(pieces, whole, `${parts} parts`);
    }
  });

  it('the ranges of both forms hold every record once, in order', async () => {
    for (const trace of [ndjson, binary]) {
      const header = (await openTrace(trace)).header;
      for (const parts of [2, 3, 5]) {
        const ranges = (await splitTrace(trace, header, parts))!;
        assert.equal(ranges.length, parts);
        assert.equal(ranges.at(-1)!.end, statSync(trace).size);
        for (let k = 1; k < ranges.length; k++) assert.equal(ranges[k]!.start, ranges[k - 1]!.end);
        assert.ok(ranges.slice(0, -1).every((r) => !r.last) && ranges.at(-1)!.last);
      }
    }
  });
});
