// dtvm's run-time command line: -o appends the output to a file (complete however the run
// ends), -F, -w with system() (the command's output after ours), exit status truncation, and
// Ctrl-C: the first interrupt ends tracing (END runs, aggregations print), as dtrace(1) does.
// Run: node --import tsx --test test/unit/cli-run-options.test.ts
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { dtvm } from '../support/runDtvm.ts';

const dir = mkdtempSync(join(tmpdir(), 'dtvm-run-'));

describe('-o file', () => {
  it('writes the output to the file and notices to stderr', async () => {
    const file = join(dir, 'out.txt');
    const r = await dtvm(['-o', file, '-n', 'BEGIN { trace(1); exit(0); }']);
    assert.deepEqual([r.status, r.stdout, r.stderr], [0, '', "dtrace: description 'BEGIN ' matched 1 probe\n"]);
    assert.equal(readFileSync(file, 'utf8'), 'CPU     ID                    FUNCTION:NAME\n  0      1                           :BEGIN         1\n\n');
  });
  it('appends to an existing file', async () => {
    const file = join(dir, 'append.txt');
    writeFileSync(file, 'old\n');
    await dtvm(['-q', '-o', file, '-n', 'BEGIN { printf("new\\n"); exit(0); }']);
    assert.equal(readFileSync(file, 'utf8'), 'old\nnew\n\n');
  });
  it('fails as dtrace does when the file cannot be opened', async () => {
    const r = await dtvm(['-o', join(dir, 'no/such/dir/x'), '-n', 'BEGIN { exit(0); }']);
    assert.equal(r.status, 1);
    assert.equal(r.stderr.split('\n').at(-2), `dtrace: failed to open output file '${join(dir, 'no/such/dir/x')}': No such file or directory`);
  });
  it('needs an argument', async () => {
    assert.equal((await dtvm(['-o'])).status, 2);
  });
});

describe('-F and -w', () => {
  it('sets flowindent with -F (heading CPU FUNCTION)', async () => {
    const r = await dtvm(['-F', '-n', 'BEGIN { exit(0); }']);
    assert.equal(r.stdout, `CPU FUNCTION                                 \n  0 ${'| :BEGIN'.padEnd(41)} \n\n`);
  });
  it('runs system() with -w after flushing what came before', async () => {
    const r = await dtvm(['-w', '-q', '-n', 'BEGIN { printf("first\\n"); system("echo second"); printf("third\\n"); exit(0); }']);
    assert.deepEqual([r.status, r.stdout, r.stderr], [0, 'first\nsecond\nthird\n\n', '']);
  });
  it('says it allows destructive actions unless quiet', async () => {
    const r = await dtvm(['-w', '-n', 'BEGIN { exit(0); }']);
    assert.equal(r.stderr, "dtrace: description 'BEGIN ' matched 1 probe\ndtrace: allowing destructive actions\n");
  });
});

describe('exit status', () => {
  it('is exit()s argument modulo 256', async () => {
    assert.equal((await dtvm(['-q', '-n', 'BEGIN { exit(7); }'])).status, 7);
    assert.equal((await dtvm(['-q', '-n', 'BEGIN { exit(256 + 9); }'])).status, 9);
  });
  it('is 0 when the run ends without exit()', async () => {
    assert.equal((await dtvm(['-q', '-n', 'BEGIN { trace(1); }'])).status, 0);
  });
});

describe('Ctrl-C', () => {
  it('ends tracing: a newline, END, then the aggregations', { timeout: 90_000 }, async () => {
    const script = 'BEGIN { printf("go\\n"); } tick-10ms { n++; @ = count(); } END { printf("END after ticks: %d\\n", n > 0); }';
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/cli/dtvm.ts', '-q', '-n', script], {
      env: { ...process.env, DTVM_REALTIME: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let interrupted = false;
    child.stderr.on('data', (d) => (err += d));
    const status = await new Promise<number | null>((resolve) => {
      child.stdout.on('data', (d) => {
        out += d;
        // BEGIN's output shows that tracing (and dtvm's interrupt handler) is running.
        if (!interrupted && out.includes('go\n')) {
          interrupted = true;
          setTimeout(() => child.kill('SIGINT'), 200);
        }
      });
      child.on('exit', (code) => resolve(code));
    });
    assert.equal(err, '');
    assert.equal(status, 0);
    assert.match(out, /^go\n\nEND after ticks: 1\n\n +\d+\n$/);
  });
});

describe("the modelled dtrace's command line", () => {
  it("leaves out dtvm's own options, with their values", async () => {
    const providers = join(dir, 'none.json');
    writeFileSync(providers, '{"providers":[]}');
    const r = await dtvm(['--flavour', 'illumos', '--providers', providers, '-q', '-n', 'BEGIN { printf("%s\\n", curpsinfo->pr_psargs); exit(0); }']);
    assert.deepEqual(r, { status: 0, stdout: 'dtrace -q -n BEGIN { printf("%s\\n", curpsinfo->pr_psargs); exit(0); }\n\n', stderr: '' });
  });
});

describe('--flavour against the source', () => {
  it("names the source's own flavour: a workload's member, a live capture's system", async () => {
    const workload = join(__dirname, '..', 'fixtures', 'workloads', 'tiny.json');
    assert.deepEqual(await dtvm(['--workload', workload, '--flavour', 'linux', '-n', 'BEGIN { exit(0); }']), {
      status: 2,
      stdout: '',
      stderr: 'dtvm: --flavour linux does not match the workload\'s "flavour" (illumos)\n',
    });
    assert.deepEqual(await dtvm(['-c', 'true', '--flavour', 'freebsd', '-n', 'BEGIN { exit(0); }']), {
      status: 2,
      stdout: '',
      stderr: "dtvm: --flavour freebsd does not match strace's system calls, of linux\n",
    });
  });
});
