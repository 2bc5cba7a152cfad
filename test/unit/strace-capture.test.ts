// Live capture with the real strace: commands run under it (dtvm -c) and a running process it
// attaches to (dtvm -p). Each case takes well under 2 s.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CaptureStartError, openStraceCapture, StraceUnavailableError, type StraceCapture } from '../../server/src/sources/strace';
import type { TraceFiring, TraceHeader, TraceRecord } from '../../server/src/trace';
import { readThreadRecord } from '../../server/src/vm/threadRecords';

const FIXTURES = join(__dirname, '..', 'fixtures', 'strace');

async function capture(command: string): Promise<{ source: StraceCapture; records: TraceRecord[] }> {
  const source = await openStraceCapture({ command, cwd: FIXTURES, stdio: 'ignore' });
  const records: TraceRecord[] = [];
  for await (const r of source.records()) records.push(r);
  await source.close();
  return { source, records };
}

function named(header: TraceHeader, records: TraceRecord[], description: string): TraceFiring[] {
  return records.filter((r): r is TraceFiring => {
    if (r.kind !== 'firing') return false;
    const p = header.probes[r.probe]!;
    return `${p.provider}:${p.module}:${p.function}:${p.name}` === description;
  });
}

const path = (f: TraceFiring, arg: number): string | undefined => {
  const bytes = f.memory?.readCString(f.args[arg]!, 4096);
  return bytes === undefined ? undefined : Buffer.from(bytes).toString('utf8');
};

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('live capture: a command under strace', () => {
  it('shows the files a command opens, with their paths, in the command ($target) process', async () => {
    const { source, records } = await capture('cmp hello.txt hello.txt');
    const opens = named(source.header, records, 'syscall:linux:openat:entry').filter((f) => path(f, 1) === 'hello.txt');
    assert.equal(opens.length, 1);
    for (const f of opens) assert.deepEqual([f.pid, f.execname, f.args[0]], [source.targetPid, 'cmp', -100n]);
    const returns = named(source.header, records, 'syscall:linux:openat:return').filter((f) => path(f, 1) === undefined && f.pid === source.targetPid);
    assert.ok(returns.length > 0);
    assert.equal(source.targetStatus, 0);
    assert.deepEqual(
      records.filter((r) => r.kind === 'exec' || r.kind === 'exit').map((r) => (r.kind === 'exec' ? ['exec', r.pid, r.execname, r.argv] : ['exit', r.pid, r.kind === 'exit' && r.status])),
      [
        ['exec', source.targetPid, 'cmp', ['cmp', 'hello.txt', 'hello.txt']],
        ['exit', source.targetPid, 0],
      ],
    );
    assert.equal(records.at(-1)!.kind, 'end');
  });

  it('gives a failing open errno 2 and -1 at return, and the exit status', async () => {
    const { source, records } = await capture('cat /nonexistent/dtvm-test');
    const entry = named(source.header, records, 'syscall:linux:openat:entry').find((f) => path(f, 1) === '/nonexistent/dtvm-test')!;
    const back = named(source.header, records, 'syscall:linux:openat:return').find((f) => f.timestamp >= entry.timestamp && f.tid === entry.tid)!;
    assert.deepEqual([back.args, back.errno], [[-1n, -1n], 2]);
    assert.equal(source.targetStatus, 1);
    const exits = named(source.header, records, 'proc:linux::exit');
    assert.deepEqual(exits.map((f) => [f.pid, f.args[0]]), [[source.targetPid, 1n]]);
  });

  it('fires proc probes for the processes a shell script starts', async () => {
    const { source, records } = await capture('sh fork-kill.sh');
    const creates = named(source.header, records, 'proc:linux::create');
    assert.equal(creates.length, 3);
    for (const f of creates) assert.equal(f.pid, source.targetPid);
    // The killed child may or may not exec sleep before the signal lands (a race the script
    // cannot rule out; a loaded machine loses it now and then): either is a faithful trace.
    const execs = named(source.header, records, 'proc:linux::exec-success').map((f) => f.execname);
    assert.ok(['sh,cat', 'sh,cat,sleep'].includes(execs.join()), `exec-success: ${execs.join(', ')}`);
    const sent = named(source.header, records, 'proc:linux::signal-send');
    const child = (f: TraceFiring, arg: number): number | undefined => readThreadRecord(f.memory!, f.args[arg]!)?.pid;
    assert.deepEqual(sent.map((f) => [f.pid, child(f, 0), f.args[2]]), [[source.targetPid, child(creates[1]!, 0), 15n]]);
    assert.equal(source.targetStatus, 3);
    let last = source.header.timestamp;
    for (const r of records) {
      const t = (r as { timestamp: bigint }).timestamp;
      assert.ok(t >= last);
      last = t;
    }
  });

  it('delivers firings while the command runs', async () => {
    const started = Date.now();
    const source = await openStraceCapture({ command: 'sh slow.sh', cwd: FIXTURES, stdio: 'ignore' });
    const arrivals: number[] = [];
    for await (const r of source.records()) {
      if (r.kind === 'firing' && source.header.probes[r.probe]!.function === 'openat' && path(r, 1) === 'hello.txt') {
        if (source.header.probes[r.probe]!.name === 'entry') arrivals.push(Date.now() - started);
      }
    }
    await source.close();
    assert.equal(arrivals.length, 2);
    // slow.sh sleeps 0.4 s between its two opens: the first arrives long before the second.
    assert.ok(arrivals[1]! - arrivals[0]! >= 250, String(arrivals));
  });

  it("fires a blocking call's entry while it blocks, not when strace ends its line", async () => {
    const started = Date.now();
    const source = await openStraceCapture({ command: 'sleep 1', stdio: 'ignore' });
    let entry: TraceFiring | undefined;
    for await (const r of source.records()) {
      if (r.kind === 'firing' && source.header.probes[r.probe]!.function === 'clock_nanosleep') {
        entry = r;
        break;
      }
    }
    const arrived = Date.now() - started;
    await source.close();
    assert.equal(source.header.probes[entry!.probe]!.name, 'entry');
    assert.deepEqual(entry!.args.slice(0, 2), [0n, 0n]);
    assert.notEqual(entry!.args[2], 0n);
    assert.ok(arrived < 600, `the entry arrived after ${arrived} ms`);
  });

  it('kills the command when tracing stops first, as dtrace does with -c', async () => {
    const source = await openStraceCapture({ command: 'sleep 10', stdio: 'ignore' });
    const pid = source.targetPid;
    assert.ok(alive(pid));
    const started = Date.now();
    await source.close();
    for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(alive(pid), false);
    assert.ok(Date.now() - started < 1500);
  });

  it('says when the command cannot be run', async () => {
    await assert.rejects(openStraceCapture({ command: 'no-such-command-for-dtvm', stdio: 'ignore' }), (e: unknown) => {
      assert.ok(e instanceof CaptureStartError);
      assert.equal(e.message, 'failed to execute no-such-command-for-dtvm: No such file or directory');
      return true;
    });
  });

  it('says how to install strace when it is missing', async () => {
    await assert.rejects(openStraceCapture({ command: 'true', strace: '/nonexistent/strace' }), (e: unknown) => {
      assert.ok(e instanceof StraceUnavailableError);
      assert.equal(
        e.message,
        'cannot run strace (/nonexistent/strace is not installed or not on PATH): live capture needs strace 5 or later; install it with `apt install strace` (Debian, Ubuntu), `dnf install strace` (Fedora) or `apk add strace` (Alpine)',
      );
      return true;
    });
  });
});

describe('live capture: attaching to a running process', () => {
  it('says when there is no such process', async () => {
    const gone = spawn('true');
    await new Promise((r) => gone.on('close', r));
    await assert.rejects(openStraceCapture({ pid: gone.pid! }), { name: 'CaptureStartError', message: `failed to grab pid ${gone.pid}: No such process` });
  });

  it('traces its calls and its children, and detaches without stopping it', async () => {
    const loop = spawn('sh', ['-c', 'while :; do cat hello.txt > /dev/null; sleep 0.02; done'], { cwd: FIXTURES, stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 50));
      const source = await openStraceCapture({ pid: loop.pid! });
      assert.equal(source.targetPid, loop.pid);
      let opened: TraceFiring | undefined;
      for await (const r of source.records()) {
        if (r.kind !== 'firing') continue;
        const p = source.header.probes[r.probe]!;
        if (p.function === 'openat' && p.name === 'entry' && path(r, 1) === 'hello.txt') {
          opened = r;
          break;
        }
      }
      await source.close();
      assert.ok(opened !== undefined);
      assert.deepEqual([opened.ppid, opened.execname], [loop.pid, 'cat']);
      await new Promise((r) => setTimeout(r, 50));
      assert.ok(alive(loop.pid!), 'the attached process goes on after the capture');
    } finally {
      loop.kill('SIGKILL');
    }
  });
});
