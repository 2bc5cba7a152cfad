// A live capture runs on the wall clock: ticks and output come while the traced process is
// quiet, and Ctrl-C ends tracing at once (END, aggregations), as it does with dtrace(1), even
// when the process makes no system call at all. Real processes: bin/dtvm under strace.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const DTVM = join(__dirname, '..', '..', 'bin', 'dtvm');

interface Line {
  at: number;
  text: string;
}

function start(args: string[]): { child: ChildProcess; lines: Line[]; stderr: () => string; done: Promise<number | null> } {
  const child = spawn(process.execPath, [DTVM, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DTVM_REALTIME: '0', DTVM_HINTS: '0' } });
  const lines: Line[] = [];
  let partial = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => {
    partial += s;
    const parts = partial.split('\n');
    partial = parts.pop()!;
    for (const text of parts) lines.push({ at: Date.now(), text });
  });
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (err += s));
  const done = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, lines, stderr: () => err, done };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('live capture on the wall clock', () => {
  it('tick-1s fires every second while the command sleeps, and its output arrives as it fires', { timeout: 20000 }, async () => {
    const t0 = Date.now();
    const run = start(['-q', '-n', 'tick-1s { printf("tick\\n"); }', '-c', 'sleep 3.5']);
    assert.equal(await run.done, 0);
    const ticks = run.lines.filter((l) => l.text === 'tick');
    assert.equal(ticks.length, 3, run.stderr());
    // Each tick reached us about when it fired (the principal buffer switches once a second),
    // not all at once when the command ended.
    assert.ok(ticks[0]!.at - t0 < 2600, `first tick after ${ticks[0]!.at - t0} ms`);
    assert.ok(ticks[2]!.at - ticks[0]!.at >= 1500, `ticks ${ticks.map((t) => t.at - t0).join(', ')} ms`);
  });

  it('Ctrl-C ends tracing of a process that makes no system calls: END runs, the process is left running', { timeout: 20000 }, async () => {
    const target = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      await sleep(200);
      const run = start(['-q', '-n', 'syscall::write:entry { @n = count(); } END { printf("end\\n"); }', '-p', String(target.pid)]);
      await sleep(1500);
      const interrupted = Date.now();
      run.child.kill('SIGINT');
      assert.equal(await run.done, 0);
      assert.ok(Date.now() - interrupted < 2000, `stopped ${Date.now() - interrupted} ms after SIGINT`);
      // dtrace's newline at the interrupt (even when quiet), END, the newline before the aggregations.
      assert.deepEqual(
        run.lines.map((l) => l.text),
        ['', 'end', ''],
      );
      // Detached, not killed: dtrace -p leaves the process as it found it.
      assert.ok(alive(target.pid!));
      assert.match(readFileSync(`/proc/${target.pid}/status`, 'utf8'), /^TracerPid:\s+0$/m);
    } finally {
      target.kill('SIGKILL');
    }
  });

  it('Ctrl-C during -c kills the command dtvm started and prints the aggregations', { timeout: 20000 }, async () => {
    const run = start(['-q', '-n', 'BEGIN { printf("%d\\n", $target); } syscall::clock_nanosleep:entry { @["sleeps"] = count(); }', '-c', 'sleep 30']);
    await sleep(1500);
    run.child.kill('SIGINT');
    assert.equal(await run.done, 0);
    const [pid, ...rest] = run.lines.map((l) => l.text);
    assert.deepEqual(rest, ['', '', `  ${'sleeps'.padEnd(50)} ${'1'.padStart(16)}`]);
    await sleep(100);
    assert.ok(!alive(Number(pid)), `the command (pid ${pid}) still runs`);
  });
});
