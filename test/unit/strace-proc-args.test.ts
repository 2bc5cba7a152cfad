// The proc provider's typed arguments on what strace saw, through dtvm's command line: a live
// capture (-c), the same capture recorded and replayed (--record, --trace), and a log strace
// wrote (--strace-log). create's psinfo_t of the child, signal-send's lwpsinfo_t and psinfo_t
// of the target and its signal, exec's path as a string, exec-failure's errno and exit's
// reason, checked against the pids the traced script itself writes down.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { dtvm } from '../support/runDtvm';

const FIXTURES = join(__dirname, '..', 'fixtures', 'strace');
const SIGNAL_CHILD = join(FIXTURES, 'signal-child.sh');
const scratch = mkdtempSync(join(tmpdir(), 'strace-proc-args-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * Every clause fires in the $target shell (one CPU, so in order) but the child's exit, which
 * fires in the child (another CPU): an aggregation, printed after the rest.
 */
const SCRIPT = `
proc:::exec /pid == $target/ { printf("exec %s\\n", stringof(args[0])); }
proc:::create /pid == $target/ { printf("create %d %d %s\\n", args[0]->pr_pid, args[0]->pr_ppid == $target, args[0]->pr_psargs); }
proc:::signal-send /pid == $target/ { printf("signal-send %d %d %d %s\\n", args[1]->pr_pid, args[0]->pr_lwpid, args[2], args[1]->pr_fname); }
proc:::exec-failure /pid == $target/ { printf("exec-failure %d\\n", args[0]); }
proc:::exit /pid == $target/ { printf("exit %d\\n", args[0]); }
proc:::exit /pid != $target/ { @exits[pid, args[0]] = count(); }
`;

/**
 * What the script prints for `/bin/sh signal-child.sh <pidFile>` whose child is `child`: the
 * shell's own exec (still in strace's process), the fork (the child's pr_psargs its parent's
 * command line: a string on Linux, the whole of it), the signal (SIGUSR1 is 10), the failed exec
 * (ENOENT is 2), the shell's exit (CLD_EXITED is 1) and the child's (CLD_KILLED is 2).
 */
const expected = (child: number, pidFile: string): string =>
  'exec /bin/sh\n' +
  `create ${child} 1 /bin/sh ${SIGNAL_CHILD} ${pidFile}\n` +
  `signal-send ${child} ${child} 10 sh\n` +
  'exec /nonexistent/dtvm-prog\n' +
  'exec-failure 2\n' +
  'exit 1\n' +
  '\n' +
  // dtrace's default aggregation row: each int key as ` %8d`, the count as ` %16lld`.
  ` ${String(child).padStart(8)} ${'2'.padStart(8)} ${'1'.padStart(16)}\n`;

const childPid = (file: string): number => Number(readFileSync(file, 'utf8').trim());

/** Runs a program to its end; strace exits with its command's status (here 127). */
function run(file: string, args: string[]): Promise<number> {
  return new Promise((resolve) => execFile(file, args, (error) => resolve(typeof error?.code === 'number' ? error.code : 0)));
}

describe('proc probe arguments from strace', () => {
  it('live (-c): create, signal-send, exec, exec-failure and exit arguments are the real ones', async () => {
    const pidFile = join(scratch, 'live.pid');
    const r = await dtvm(['-q', '-n', SCRIPT, '-c', `/bin/sh ${SIGNAL_CHILD} ${pidFile}`]);
    assert.deepEqual(r, { status: 0, stderr: '', stdout: expected(childPid(pidFile), pidFile) });
  });

  it('recorded with --record and replayed with --trace: the same arguments', async () => {
    const pidFile = join(scratch, 'recorded.pid');
    const trace = join(scratch, 'signal-child.ndjson.gz');
    const recorded = await dtvm(['--record', trace, '-c', `/bin/sh ${SIGNAL_CHILD} ${pidFile}`]);
    assert.equal(recorded.status, 0);
    // A trace has no $target: the script names the shell, whose exec event comes first.
    const shell = JSON.parse(
      (await gunzipLines(trace)).find((line) => line.includes('"type":"exec"'))!,
    ) as { pid: number };
    const withTarget = await dtvm(['-q', '-n', SCRIPT.replaceAll('$target', String(shell.pid)), '--trace', trace]);
    assert.deepEqual(withTarget, { status: 0, stderr: '', stdout: expected(childPid(pidFile), pidFile) });
  });

  it('a log strace wrote (--strace-log): the same arguments', async () => {
    const pidFile = join(scratch, 'log.pid');
    const log = join(scratch, 'signal-child.log');
    const status = await run('strace', ['-f', '-q', '-X', 'raw', '--absolute-timestamps=format:unix,precision:ns', '--syscall-times=ns', '-s', '4096', '-o', log, '/bin/sh', SIGNAL_CHILD, pidFile]);
    assert.equal(status, 127);
    const r = await dtvm(['-q', '-n', SCRIPT, '--strace-log', log]);
    assert.deepEqual(r, { status: 0, stderr: '', stdout: expected(childPid(pidFile), pidFile) });
  });

  it('live: a signal to a process outside the traced ones describes the target from /proc', async () => {
    const outsider = spawn('sleep', ['5'], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => outsider.once('spawn', resolve));
      const r = await dtvm([
        '-q',
        '-n',
        'proc:::signal-send { printf("%d %d %s %d %d %s\\n", args[1]->pr_pid, args[0]->pr_lwpid, args[1]->pr_fname, args[1]->pr_ppid, args[2], args[1]->pr_psargs); }',
        '-c',
        `/bin/kill -CONT ${outsider.pid}`,
      ]);
      // SIGCONT is 18 on x86-64 Linux; the sleep is this test's child.
      assert.deepEqual(r, { status: 0, stderr: '', stdout: `${outsider.pid} ${outsider.pid} sleep ${process.pid} 18 sleep 5\n\n` });
    } finally {
      outsider.kill('SIGKILL');
    }
  });

  it('live: kill 0 signals the process group (setsid gives the script one): signal-send for each member', async () => {
    const pidFile = join(scratch, 'group.pid');
    const r = await dtvm([
      '-q',
      '-n',
      'proc:::signal-send /pid == $target/ { printf("%d %d %d\\n", args[1]->pr_pid == $target ? 0 : args[1]->pr_pid, args[0]->pr_lwpid == args[1]->pr_pid, args[2]); }',
      '-c',
      `setsid /bin/sh ${join(FIXTURES, 'group-kill.sh')} ${pidFile}`,
    ]);
    const [first, second] = readFileSync(pidFile, 'utf8').trim().split('\n').map(Number);
    // The shell ($target, printed as 0) and its two children, by pid; SIGUSR1 is 10.
    assert.deepEqual(r, { status: 0, stderr: '', stdout: `0 1 10\n${first} 1 10\n${second} 1 10\n\n` });
  });

  it('a log: setpgid moves a child to a group of its own, kill(-pgid) reaches it, kill(0) the rest', async () => {
    const log = join(scratch, 'groups.log');
    writeFileSync(
      log,
      [
        '100 1.000000000 execve("/bin/sh", ["sh"], 0x1 /* 1 var */) = 0 <0.000001000>',
        '100 1.000010000 clone(child_stack=NULL, flags=0x1200011, child_tidptr=0x7f00) = 101 <0.000001000>',
        '100 1.000020000 clone(child_stack=NULL, flags=0x1200011, child_tidptr=0x7f00) = 102 <0.000001000>',
        '100 1.000030000 setpgid(101, 101) = 0 <0.000001000>',
        '100 1.000040000 kill(-101, 15) = 0 <0.000001000>',
        '101 1.000050000 +++ killed by SIGTERM +++',
        '100 1.000060000 kill(0, 1) = 0 <0.000001000>',
        '',
      ].join('\n'),
    );
    const r = await dtvm(['-q', '-n', 'proc:::signal-send { printf("%d %d %d\\n", pid, args[1]->pr_pid, args[2]); }', '--strace-log', log]);
    assert.deepEqual(r, { status: 0, stderr: '', stdout: '100 101 15\n100 100 1\n100 102 1\n\n' });
  });

  it('exec\'s path read as a kernel string: trace(), printf("%s") and stringof(arg0)', async () => {
    const r = await dtvm(['-q', '-n', 'proc:::exec { trace(args[0]); printf(" %s %s\\n", args[0], stringof(arg0)); }', '--strace-log', join(FIXTURES, 'cat.log')]);
    assert.deepEqual(r, { status: 0, stderr: '', stdout: '/usr/bin/cat /usr/bin/cat /usr/bin/cat\n\n' });
  });

  it('the committed fork-kill.log: kill -TERM of the sleeping child, its exit, cat as exec path', async () => {
    const r = await dtvm([
      '-q',
      '-n',
      'proc:::signal-send { printf("%d %d %d %d\\n", pid, args[1]->pr_pid, args[0]->pr_lwpid, args[2]); } proc:::exec { printf("%d %s\\n", pid, stringof(args[0])); } proc:::create { printf("%d create %d\\n", pid, args[0]->pr_pid); }',
      '--strace-log',
      join(FIXTURES, 'fork-kill.log'),
    ]);
    // fork-kill.log: 19152 (sh) forks 19153 (cat), 19154 (sleep, killed by SIGTERM = 15) and
    // 19155 (the subshell that exits 3); with a log's one CPU, in time order.
    assert.deepEqual(r, {
      status: 0,
      stderr: '',
      stdout: '19152 /usr/bin/sh\n19152 create 19153\n19153 /usr/bin/cat\n19152 create 19154\n19152 19154 19154 15\n19152 create 19155\n\n',
    });
  });
});

async function gunzipLines(file: string): Promise<string[]> {
  const { gunzipSync } = await import('node:zlib');
  return gunzipSync(readFileSync(file)).toString('utf8').split('\n');
}
