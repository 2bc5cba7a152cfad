// The debugger end to end: the real adapter (in-process, over a socket) driving the real
// debug runtime on a real D script over a real trace file. Expected values are worked out by
// hand from the trace below; the run's whole output is also compared with dtvm's on the same
// script and trace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { createRuntime } from '../../server/src/debug/adapter/runtimeFactory';
import { outputOf, startAdapter, type AdapterHarness } from '../support/debugAdapter';
import { dtvm } from '../support/runDtvm';

const dir = mkdtempSync(join(tmpdir(), 'dtvm-dap-replay-'));

// Line numbers matter: the tests put breakpoints on them.
const SCRIPT = [
  '#pragma D option quiet', //                            1
  '', //                                                  2
  'syscall::read:entry', //                               3
  '/execname == "cat"/', //                               4
  '{', //                                                 5
  '\tself->fd = arg0;', //                                6
  '\t@reads[execname] = count();', //                     7
  '}', //                                                 8
  '', //                                                  9
  'syscall::read:return', //                              10
  '/self->fd/', //                                        11
  '{', //                                                 12
  '\tprintf("read %d bytes from fd %d\\n", arg1, self->fd);', // 13
  '\t@bytes = sum(arg1);', //                             14
  '\tself->fd = 0;', //                                   15
  '}', //                                                 16
  '',
].join('\n');

const program = join(dir, 'reads.d');
writeFileSync(program, SCRIPT);

// Firings, all on CPU 0 (so the output order is the firing order):
//   cat (pid 501) reads fd 3 twice: 1043 bytes, then 0 (end of file);
//   sh (pid 77) reads fd 0 once, 1 byte: not "cat", so neither clause runs for it.
const header = {
  type: 'header',
  format: 'dtvm-trace',
  version: 1,
  platform: 'freebsd-amd64',
  ncpus: 1,
  timestamp: 5000000000,
  walltimestamp: '1718000000123456789',
  source: 'debug-adapter-replay test',
  probes: [
    { provider: 'syscall', module: 'freebsd', function: 'read', name: 'entry', args: ['int', 'void *', 'size_t'] },
    { provider: 'syscall', module: 'freebsd', function: 'read', name: 'return', args: ['int', 'ssize_t'] },
  ],
};
const firings = [
  [0, 5000001000, 0, 501, 100501, 500, 1001, 1001, 'cat', 0, [3, 140737488346112, 4096]],
  [1, 5000002000, 0, 501, 100501, 500, 1001, 1001, 'cat', 0, [3, 1043]],
  [0, 5000003000, 0, 501, 100501, 500, 1001, 1001, 'cat', 0, [3, 140737488346112, 4096]],
  [1, 5000004000, 0, 501, 100501, 500, 1001, 1001, 'cat', 0, [3, 0]],
  [0, 5000005000, 0, 77, 100077, 1, 0, 0, 'sh', 0, [0, 140737488350000, 1]],
  [1, 5000006000, 0, 77, 100077, 1, 0, 0, 'sh', 0, [0, 1]],
];
const trace = join(dir, 'reads.ndjson');
writeFileSync(
  trace,
  [JSON.stringify(header), ...firings.map((f) => JSON.stringify(f)), JSON.stringify({ type: 'end', timestamp: 5000007000, firings: 6, events: 0 })].join('\n') + '\n',
);

async function session(args: Record<string, unknown>, breakpoints: DebugProtocol.SourceBreakpoint[] = [], more?: (h: AdapterHarness) => Promise<void>) {
  const h = await startAdapter(createRuntime);
  await h.client.initializeRequest();
  const launch = h.client.launchRequest({ program, trace, ...args } as DebugProtocol.LaunchRequestArguments);
  await h.take('initialized');
  if (breakpoints.length > 0) await h.client.setBreakpointsRequest({ source: { path: program }, breakpoints });
  if (more) await more(h);
  await h.client.configurationDoneRequest();
  await launch;
  return h;
}

async function evaluate(h: AdapterHarness, expression: string): Promise<string> {
  const r = await h.client.evaluateRequest({ expression, context: 'watch', frameId: 1 });
  return r.body.result;
}

async function topFrame(h: AdapterHarness): Promise<DebugProtocol.StackFrame[]> {
  return (await h.client.stackTraceRequest({ threadId: 1 })).body.stackFrames;
}

test('the output of a run without stops is dtvm\'s, then the exit status', { timeout: 60000 }, async () => {
  const expected = await dtvm(['-s', program, '--trace', trace]);
  assert.equal(expected.status, 0, expected.stderr);
  const h = await session({ noDebug: true });
  try {
    assert.equal((await h.take('exited')).body.exitCode, 0);
    await h.take('terminated');
    assert.equal(outputOf(h.events, 'stdout'), expected.stdout);
    assert.ok(expected.stdout.startsWith('read 1043 bytes from fd 3\nread 0 bytes from fd 3\n\n  cat '), expected.stdout);
  } finally {
    await h.close();
  }
});

test('a statement breakpoint stops on each cat read; continue and reverse-continue move across firings', { timeout: 60000 }, async () => {
  const h = await session({}, [{ line: 13 }]);
  try {
    assert.equal((await h.take('stopped')).body.reason, 'breakpoint');
    let frames = await topFrame(h);
    assert.deepEqual([frames[0]!.line, frames[1]!.line], [13, 10]);
    assert.equal(await evaluate(h, 'arg1'), '1043');
    assert.equal(await evaluate(h, 'self->fd'), '3');
    await h.client.continueRequest({ threadId: 1 });
    assert.equal((await h.take('stopped')).body.reason, 'breakpoint');
    assert.equal(await evaluate(h, 'arg1'), '0');
    await h.client.reverseContinueRequest({ threadId: 1 });
    await h.take('stopped');
    frames = await topFrame(h);
    assert.equal(frames[0]!.line, 13);
    assert.equal(await evaluate(h, 'arg1'), '1043');
  } finally {
    await h.close();
  }
});
