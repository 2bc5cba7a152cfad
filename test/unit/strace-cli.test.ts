// strace through dtvm's command line: -c runs a command under strace, --strace-log replays a
// recorded log, --record turns either into a trace that replays the same.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { dtvm } from '../support/runDtvm';

const FIXTURES = join(__dirname, '..', 'fixtures', 'strace');
const HELLO = join(FIXTURES, 'hello.txt');
const scratch = mkdtempSync(join(tmpdir(), 'strace-cli-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** One row of dtrace's default aggregation layout: each string key as `  %-50s`, the count as ` %16lld`. */
const row = (keys: string[], count: number): string => `${keys.map((k) => `  ${k.padEnd(50)}`).join('')} ${String(count).padStart(16)}\n`;

describe('dtvm -c: a command traced live with strace', () => {
  it('counts the file cat opens by its path', async () => {
    const run = await dtvm(['-q', '-n', `syscall::openat:entry /copyinstr(arg1) == "${HELLO}"/ { @[copyinstr(arg1)] = count(); }`, '-c', `cmp ${HELLO} ${HELLO}`]);
    assert.equal(run.stdout, '\n' + row([HELLO], 1));
    assert.equal(run.status, 0);
  });

  it('gives $target the command pid, and fires exec-success and exit for it', async () => {
    const run = await dtvm([
      '-q',
      '-n',
      'proc:::exec-success /pid == $target/ { printf("exec %s\\n", execname); } proc:::exit /pid == $target/ { printf("exit %s %d\\n", execname, args[0]); }',
      '-c',
      `cmp ${HELLO} ${HELLO}`,
    ]);
    assert.equal(run.stdout, 'exec cmp\nexit cmp 1\n\n');
    assert.equal(run.status, 0);
  });

  it('returns -1 with errno 2 from a failing open', async () => {
    const run = await dtvm([
      '-q',
      '-n',
      'syscall::openat:entry /copyinstr(arg1) == "/nonexistent/dtvm"/ { self->in = 1; } syscall::openat:return /self->in/ { printf("%d %d %d\\n", arg0, arg1, errno); self->in = 0; }',
      '-c',
      'cat /nonexistent/dtvm',
    ]);
    assert.equal(run.stdout, '-1 -1 2\n\n');
    assert.equal(run.status, 0);
  });
});

describe('dtvm -c --record and -p', () => {
  it('records a live capture into a trace that replays with the same output', async () => {
    const out = join(scratch, 'cmp.ndjson.gz');
    const record = await dtvm(['--record', out, '-c', `cmp ${HELLO} ${HELLO}`]);
    assert.equal(record.status, 0);
    const replayed = await dtvm(['-q', '-n', `syscall::openat:entry /copyinstr(arg1) == "${HELLO}"/ { @[execname, copyinstr(arg1)] = count(); }`, '--trace', out]);
    assert.deepEqual(replayed, { status: 0, stderr: '', stdout: '\n' + row(['cmp', HELLO], 1) });
  });

  it('attaches to a running process with -p: its children have it as ppid', async () => {
    const loop = spawn('sh', ['-c', `while :; do cat ${HELLO} > /dev/null; sleep 0.02; done`], { stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 50));
      const run = await dtvm(['-q', '-n', `syscall::openat:entry /copyinstr(arg1) == "${HELLO}"/ { printf("%s %d %d\\n", execname, ppid == $target, pid != $target); exit(0); }`, '-p', String(loop.pid)]);
      assert.deepEqual(run, { status: 0, stderr: '', stdout: 'cat 1 1\n\n' });
      assert.doesNotThrow(() => process.kill(loop.pid!, 0), 'the process goes on after dtvm detaches');
    } finally {
      loop.kill('SIGKILL');
    }
  });
});

describe('dtvm --record without a source', () => {
  it('names every source it could record, --strace-log included', async () => {
    assert.deepEqual(await dtvm(['--record', join(scratch, 'none.ndjson')]), {
      status: 2,
      stdout: '',
      stderr: 'dtvm: --record needs a source of firings (--trace, --strace-log, --workload, -c or -p)\n',
    });
  });
});

describe('dtvm --strace-log: a recorded strace log', () => {
  const script = 'proc:::exit { printf("%d %s %d\\n", pid, execname, args[0]); } syscall::openat:entry { @[execname, basename(copyinstr(arg1))] = count(); }';
  it('replays it like a trace: proc probes, paths and counts', async () => {
    const run = await dtvm(['-q', '-n', 'proc:::exit { printf("%d %s %d\\n", pid, execname, args[0]); } syscall::openat:entry /execname == "sh"/ { @[execname, copyinstr(arg1)] = count(); }', '--strace-log', join(FIXTURES, 'fork-kill.log')]);
    assert.equal(
      run.stdout,
      '19153 cat 1\n19154 sh 2\n19155 sh 1\n19152 sh 1\n\n' +
        row(['sh', '/etc/ld.so.cache'], 1) +
        row(['sh', '/lib/x86_64-linux-gnu/libc.so.6'], 1) +
        row(['sh', 'fork-kill.sh'], 1),
    );
    assert.equal(run.status, 0);
  });

  it('converts it with --record into a trace that replays the same', async () => {
    const out = join(scratch, 'cat.ndjson.gz');
    const record = await dtvm(['--strace-log', join(FIXTURES, 'cat.log'), '--record', out]);
    assert.deepEqual(record, { status: 0, stdout: '', stderr: '' });
    const direct = await dtvm(['-q', '-n', script, '--strace-log', join(FIXTURES, 'cat.log')]);
    const replayed = await dtvm(['-q', '-n', script, '--trace', out]);
    assert.equal(replayed.stdout, direct.stdout);
    assert.ok(direct.stdout.startsWith('19148 cat 1\n\n'), direct.stdout);
    assert.ok(direct.stdout.includes(row(['cat', 'hello.txt'], 1)), direct.stdout);
    assert.ok(direct.stdout.endsWith(row(['cat', 'libc.mo'], 3)), direct.stdout);
  });

  it('stops at a line it cannot read, naming the file and line', async () => {
    const run = await dtvm(['-n', 'syscall:::entry {}', '--strace-log', join(FIXTURES, 'README.md')]);
    assert.equal(run.stderr.split('\n').at(-2), `${join(FIXTURES, 'README.md')}:1: no timestamp: record the log with strace -ttt (or -tt)`);
    assert.equal(run.status, 1);
  });
});

describe('system calls the catalogue lacks', () => {
  it('are named at the end with their counts, never dropped silently', async () => {
    const log = join(scratch, 'unknown.log');
    writeFileSync(
      log,
      [
        '100 1700000000.000000001 openat(AT_FDCWD, "/x", O_RDONLY) = 3 <0.000001>',
        '100 1700000000.000000002 frobnicate(1) = 0 <0.000001>',
        '100 1700000000.000000003 frobnicate(2) = 0 <0.000001>',
        '100 1700000000.000000004 zork() = 0 <0.000001>',
        '',
      ].join('\n'),
    );
    const run = await dtvm(['-q', '-n', 'syscall::openat:entry { @ = count(); }', '--strace-log', log]);
    assert.deepEqual(run, {
      status: 0,
      stdout: `\n${'1'.padStart(17)}\n`,
      stderr: 'dtvm: warning: system calls the linux catalogue lacks were not fired: frobnicate (2), zork (1)\n',
    });
  });
});
