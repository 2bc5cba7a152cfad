// Nothing lost however a run stops: exit(), the end of a trace, Ctrl-C (SIGINT), SIGTERM (which
// dtrace(1) handles like SIGINT) and the debugger's stop all fire END and print the
// aggregations; `-o` files hold all of it; drops are reported. Through the real bin/dtvm child
// process (npm test builds dist/ first), checking what the user sees byte for byte.
// Run: node --import tsx --test test/unit/lossless-stop.test.ts
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { launch, writeFixture } from '../support/debugRuntime';

const root = join(__dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'dtvm-lossless-'));
const env = { ...process.env, DTVM_HINTS: '0' };

interface Child {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs bin/dtvm; with `signals`, sends each once the script's BEGIN output (`ready`) has
 * appeared on stdout (or, with -o, in the file), `gap` ms apart.
 */
function dtvm(args: string[], opts: { signals?: NodeJS.Signals[]; ready?: (stdout: string, stderr: string) => boolean; gap?: number } = {}, settle = 150): Promise<Child> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'bin', 'dtvm'), ...args], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const signals = [...(opts.signals ?? [])];
    let poll: NodeJS.Timeout | undefined;
    if (signals.length > 0) {
      const ready = opts.ready ?? (() => stdout.length > 0);
      poll = setInterval(() => {
        if (!ready(stdout, stderr)) return;
        clearInterval(poll);
        // A little time past BEGIN, so the run is waiting (not still starting) when signalled.
        setTimeout(function send() {
          const s = signals.shift();
          if (s === undefined) return;
          child.kill(s);
          setTimeout(send, opts.gap ?? 0);
        }, settle);
      }, 10);
    }
    const guard = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(guard);
      if (poll) clearInterval(poll);
      resolve({ status, signal, stdout, stderr });
    });
  });
}

function script(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

// Nothing after BEGIN can fire: dtrace waits for Ctrl-C (dtvm did not: node's event loop ran
// dry and it exited 0 after BEGIN, END never fired and the aggregations never printed).
const WAITS = script(
  'waits.d',
  `#pragma D option quiet
BEGIN { printf("begin\\n"); @count["x"] = count(); @total["y"] = sum(7); }
END { printf("end\\n"); }
`,
);
// What Ctrl-C gives: dtrace's newline on an interrupt, END, then the aggregations.
const INTERRUPTED = 'begin\n\nend\n\n  x                                                                 1\n  y                                                                 7\n';

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  test(`${sig}: END fires and the aggregations print, status 0`, async () => {
    const r = await dtvm(['-s', WAITS], { signals: [sig] });
    assert.deepEqual(r, { status: 0, signal: null, stdout: INTERRUPTED, stderr: '' });
  });

  test(`${sig} with -o: the file holds everything, stdout nothing`, async () => {
    const out = join(dir, `waits-${sig}.out`);
    const r = await dtvm(['-s', WAITS, '-o', out], { signals: [sig], ready: () => safeRead(out).length > 0 });
    assert.deepEqual(r, { status: 0, signal: null, stdout: '', stderr: '' });
    assert.equal(readFileSync(out, 'utf8'), INTERRUPTED);
  });
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

test('SIGTERM is handled exactly like SIGINT (not quiet: the probe lines and notice too)', async () => {
  const file = script('loud.d', 'BEGIN { @a = count(); trace("ready"); }\n');
  // Ready once BEGIN's record is printed: the handlers are installed before BEGIN fires.
  const int = await dtvm(['-s', file], { signals: ['SIGINT'] });
  const term = await dtvm(['-s', file], { signals: ['SIGTERM'] });
  assert.deepEqual(term, int);
  assert.equal(int.status, 0);
  assert.equal(int.stderr, `dtrace: script '${file}' matched 1 probe\n`);
  assert.match(int.stdout, /:BEGIN +ready +\n\n\n +1\n\n?$/);
});

test('a second SIGINT right after the first: no crash, no half-written output', async () => {
  const r = await dtvm(['-s', WAITS], { signals: ['SIGINT', 'SIGINT'], gap: 1 });
  assert.equal(r.status, 0);
  assert.equal(r.signal, null);
  assert.equal(r.stderr, '');
  // Either both arrived as one (everything prints) or the second found dtvm impatient: dtrace(1)
  // then skips the aggregations but END still fires.
  assert.ok(r.stdout === INTERRUPTED || r.stdout === 'begin\n\nend\n', JSON.stringify(r.stdout));
});

test('exit(): END fires, aggregations print, exit status kept; -o the same bytes', async () => {
  const file = script('exits.d', '#pragma D option quiet\nBEGIN { @n["k"] = count(); printf("before\\n"); exit(3); }\nEND { printf("end\\n"); }\n');
  const expected = 'before\nend\n\n  k                                                                 1\n';
  assert.deepEqual(await dtvm(['-s', file]), { status: 3, signal: null, stdout: expected, stderr: '' });
  const out = join(dir, 'exits.out');
  assert.deepEqual(await dtvm(['-s', file, '-o', out]), { status: 3, signal: null, stdout: '', stderr: '' });
  assert.equal(readFileSync(out, 'utf8'), expected);
});

const READS = `#pragma D option quiet
syscall::read:entry { @reads[execname] = count(); printf("read %d\\n", arg0); }
END { printf("end\\n"); }
`;
const READS_OUTPUT = 'read 1\nread 3\nread 5\nread 99\nend\n\n  cat                                                               2\n  sh                                                                2\n';

test('end of the trace: END fires and the aggregations print; -o the same bytes', async () => {
  const trace = await writeFixture(dir);
  const file = script('reads.d', READS);
  assert.deepEqual(await dtvm(['-s', file, '--trace', trace]), { status: 0, signal: null, stdout: READS_OUTPUT, stderr: '' });
  const out = join(dir, 'reads.out');
  assert.deepEqual(await dtvm(['-s', file, '--trace', trace, '-o', out]), { status: 0, signal: null, stdout: '', stderr: '' });
  assert.equal(readFileSync(out, 'utf8'), READS_OUTPUT);
});

test('drops are reported on stderr however the run stops, -o or not', async () => {
  // A 48-byte principal buffer cannot hold BEGIN's eight printf records: the firing is dropped.
  const body = 'BEGIN { printf("a\\n"); printf("b\\n"); printf("c\\n"); printf("d\\n"); printf("e\\n"); printf("f\\n"); printf("g\\n"); printf("h\\n"); }\n';
  const file = script('drops.d', `#pragma D option quiet\n#pragma D option bufsize=48\n${body}END { printf("end\\n"); }\n`);
  const byExit = script('drops-exit.d', `#pragma D option quiet\n#pragma D option bufsize=48\n${body}tick-1s { exit(0); }\nEND { printf("end\\n"); }\n`);
  // Quiet prints nothing before the signal: wait long enough for the run to be under way.
  const ready = (): boolean => true; // with settle 1500 ms below
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    const r = await dtvm(['-s', file], { signals: [sig], ready, gap: 0 }, 1500);
    assert.deepEqual(r, { status: 0, signal: null, stdout: '\nend\n\n', stderr: 'dtrace: 1 drop on CPU 0\n' }, sig);
    const out = join(dir, `drops-${sig}.out`);
    const o = await dtvm(['-s', file, '-o', out], { signals: [sig], ready }, 1500);
    assert.deepEqual(o, { status: 0, signal: null, stdout: '', stderr: 'dtrace: 1 drop on CPU 0\n' }, `${sig} -o: drops go to the terminal`);
    assert.equal(readFileSync(out, 'utf8'), '\nend\n\n');
  }
  assert.deepEqual(await dtvm(['-s', byExit]), { status: 0, signal: null, stdout: 'end\n\n', stderr: 'dtrace: 1 drop on CPU 0\n' });
  const out = join(dir, 'drops-exit.out');
  assert.deepEqual(await dtvm(['-s', byExit, '-o', out]), { status: 0, signal: null, stdout: '', stderr: 'dtrace: 1 drop on CPU 0\n' });
  assert.equal(readFileSync(out, 'utf8'), 'end\n\n');
});

test("the debugger's stop fires END and prints the aggregations, as Ctrl-C does", async () => {
  const h = await launch(READS);
  h.rt.setBreakpoints([{ line: 2 }]);
  await h.rt.continue();
  assert.equal(h.stops.length, 1, 'stopped at the first read');
  await h.rt.stop(false);
  const stdout = h.output.filter((o) => o.stream === 'stdout').map((o) => o.text).join('');
  assert.deepEqual(h.ended, [0]);
  // Stopped at the first firing: dtrace's interrupt newline, what that firing printed, END and
  // the aggregation rows.
  assert.match(stdout, /^\n?(?:read 1\n)?end\n\n {2}cat {63}1\n$/, JSON.stringify(stdout));
});
