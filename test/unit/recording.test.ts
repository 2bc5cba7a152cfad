// --record: what the copy holds when the source fails, and when the user stops a recording
// with Ctrl-C (real processes: bin/dtvm recording a command and a running process with strace).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { dtvm } from '../support/runDtvm';

const DTVM = join(__dirname, '..', '..', 'bin', 'dtvm');
const TRACE = join(__dirname, '..', 'fixtures', 'traces', 'replay-linux.ndjson');
const dir = mkdtempSync(join(tmpdir(), 'dtvm-recording-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Runs bin/dtvm, sends SIGINT after `ms`, and gives its exit status. */
async function interruptAfter(args: string[], ms: number): Promise<{ status: number | null; stderr: string }> {
  const child = spawn(process.execPath, [DTVM, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const done = new Promise<number | null>((resolve) => child.on('close', resolve));
  await sleep(ms);
  child.kill('SIGINT');
  return { status: await done, stderr };
}

const lastRecord = (file: string): Record<string, unknown> => JSON.parse(readFileSync(file, 'utf8').trimEnd().split('\n').at(-1)!);

describe('dtvm --record', () => {
  it('copies a truncated trace as a truncated trace: no end record of its own', async () => {
    const lines = readFileSync(TRACE, 'utf8').split('\n');
    const truncated = join(dir, 'truncated.ndjson');
    writeFileSync(truncated, lines.slice(0, 5).join('\n') + '\n');
    const copy = join(dir, 'copy.ndjson');
    const r = await dtvm(['--record', copy, '--trace', truncated]);
    assert.deepEqual(r, { status: 1, stdout: '', stderr: `${truncated}:5: the trace ends without an end record (it is truncated)\n` });
    assert.deepEqual(readFileSync(copy, 'utf8').split('\n').slice(0, 5), lines.slice(0, 5));
    const replay = await dtvm(['-q', '-n', 'BEGIN { }', '--trace', copy]);
    assert.equal(replay.stderr, `${copy}:5: the trace ends without an end record (it is truncated)\n`);
    assert.equal(replay.status, 1);
  });

  it('a script that does not compile leaves an existing file of that name as it was', async () => {
    const file = join(dir, 'kept.ndjson');
    writeFileSync(file, 'what was there\n');
    const r = await dtvm(['--record', file, '--trace', TRACE, '-n', 'syscall:::entry { x = }']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^dtrace: invalid probe specifier /);
    assert.equal(readFileSync(file, 'utf8'), 'what was there\n');
    assert.deepEqual(readdirSync(dir).filter((f) => f.includes('partial')), []);
  });

  it('skip mode warns of a truncated trace only when the run read it to its end', async () => {
    const lines = readFileSync(TRACE, 'utf8').split('\n');
    const truncated = join(dir, 'cut.ndjson');
    writeFileSync(truncated, lines.slice(0, 5).join('\n') + '\n');
    const early = await dtvm(['-q', '--skip-bad-records', '--trace', TRACE, '-n', 'BEGIN { exit(0); }']);
    assert.deepEqual(early, { status: 0, stdout: '\n', stderr: '' });
    const whole = await dtvm(['-q', '--skip-bad-records', '--trace', truncated, '-n', 'syscall:::entry { }']);
    assert.equal(whole.stderr, `dtvm: warning: ${truncated}:5: the trace ends without an end record (it is truncated)\n`);
  });

  it('Ctrl-C ends the recording of a command: the command is killed, the trace is complete', { timeout: 20000 }, async () => {
    const file = join(dir, 'sleep.ndjson');
    const r = await interruptAfter(['--record', file, '-c', 'sleep 30'], 1500);
    assert.equal(r.status, 0, r.stderr);
    const records = readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    const exit = records.find((x) => x.type === 'exit');
    assert.equal(exit?.status, -9, 'the command ends killed (SIGKILL), as dtrace -c leaves it');
    assert.equal(lastRecord(file).type, 'end');
    const replay = await dtvm(['-q', '-n', 'syscall::clock_nanosleep:entry { @ = count(); }', '--trace', file]);
    assert.deepEqual(replay, { status: 0, stdout: `\n${'1'.padStart(17)}\n`, stderr: '' });
  });

  it('Ctrl-C ends the recording of a running process: it is detached and keeps running', { timeout: 20000 }, async () => {
    const target = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      await sleep(200);
      const file = join(dir, 'attached.ndjson');
      const r = await interruptAfter(['--record', file, '-p', String(target.pid)], 1500);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(lastRecord(file).type, 'end');
      assert.equal(target.exitCode, null);
      assert.match(readFileSync(`/proc/${target.pid}/status`, 'utf8'), /^TracerPid:\s+0$/m);
    } finally {
      target.kill('SIGKILL');
    }
  });
});

describe('dtvm -c with a command that cannot run', () => {
  it("says so in dtrace's words", async () => {
    assert.deepEqual(await dtvm(['-n', 'BEGIN { }', '-c', 'no-such-command-for-dtvm']), {
      status: 1,
      stdout: '',
      stderr: 'dtrace: failed to execute no-such-command-for-dtvm: No such file or directory\n',
    });
  });
});
