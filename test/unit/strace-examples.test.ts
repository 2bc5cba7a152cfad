// The bundled default (examples/): the classic scripts run on the recorded build trace, and
// `npm start`'s script prints what it printed when the trace was recorded, on any machine.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { dtvm } from '../support/runDtvm';

const ROOT = join(__dirname, '..', '..');
const TRACE = join(ROOT, 'examples', 'traces', 'make-words.ndjson.gz');
const example = (name: string): string => join(ROOT, 'examples', name);

describe('examples on the recorded build', () => {
  it("npm start's script: system calls by process and the ten most frequent calls", async () => {
    const start = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.start as string;
    assert.ok(start.endsWith('node bin/dtvm -s examples/syscalls-by-process.d --trace examples/traces/make-words.ndjson.gz'), start);
    const run = await dtvm(['-s', example('syscalls-by-process.d'), '--trace', TRACE]);
    assert.deepEqual(run, {
      status: 0,
      stderr: '',
      stdout: [
        'PROCESS             CALLS',
        'strace                  1',
        'words                  75',
        'sh                    138',
        'collect2              197',
        'as                    294',
        'cc                    612',
        'make                  914',
        'ld                   1513',
        'cc1                  1780',
        '',
        'CALL                CALLS',
        'brk                   113',
        'access                130',
        'close                 275',
        'mmap                  312',
        'read                  399',
        'openat                447',
        'newfstatat            634',
        'rt_sigaction          697',
        'lseek                 782',
        'readlink             1089',
        '',
        '',
      ].join('\n'),
    });
  });

  it('read-latency.d: bytes read by process, from the recorded return values', async () => {
    const run = await dtvm(['-s', example('read-latency.d'), '--trace', TRACE]);
    assert.equal(run.status, 0);
    assert.equal(run.stderr, '');
    assert.ok(
      run.stdout.endsWith(
        'bytes read:\n  sh               1664\n  words            2034\n  collect2         3828\n  make             5054\n  cc               11484\n  as               25269\n  cc1              336403\n  ld               616808\n\n',
      ),
      run.stdout,
    );
  });

  it('files-opened.d and exec-trace.d: paths from user memory, arguments from exec events', async () => {
    const opened = await dtvm(['-s', example('files-opened.d'), '--trace', TRACE]);
    assert.equal(opened.status, 0);
    assert.equal(opened.stderr, '');
    assert.ok(opened.stdout.startsWith('PID    COMM           FD ERR PATH\n'), opened.stdout);
    assert.ok(opened.stdout.includes('15109  sh              3   0 words.c\n'));
    const execs = await dtvm(['-s', example('exec-trace.d'), '--trace', TRACE]);
    assert.equal(execs.status, 0);
    assert.equal(execs.stderr, '');
    assert.ok(execs.stdout.includes('     830  15109  15082 /bin/sh -c ./words < words.c > /dev/null\n'), execs.stdout);
  });

  it('drops.d: drops on both CPUs, then the buffer size that avoids them', async () => {
    const run = await dtvm(['-s', example('drops.d'), '--trace', TRACE]);
    assert.equal(run.status, 0);
    assert.equal(
      run.stderr,
      'dtrace: 1843 drops on CPU 0\ndtrace: 3667 drops on CPU 1\ndtvm: hint: this trace runs without principal buffer drops with #pragma D option bufsize=2m\n',
    );
  });
});
