// The debugger as a DAP client sees it: @vscode/debugadapter-testsupport's DebugClient driving
// the real adapter (in-process, over a socket) over the real debug runtime, on a small trace
// written below, on a script with no firings source (BEGIN and tick probes) and on live strace
// captures. Every expected value is worked out by hand from the trace; what a user sees is
// asserted exactly: stop reasons and breakpoint ids, stack frames, each scope's variables,
// evaluate results, the fault text, and what happens to a captured process on disconnect.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { createRuntime } from '../../server/src/debug/adapter/runtimeFactory';
import { outputOf, startAdapter, type AdapterHarness } from '../support/debugAdapter';
import { dtvm } from '../support/runDtvm';

const dir = mkdtempSync(join(tmpdir(), 'dtvm-dap-real-'));

// Line numbers matter: the tests put breakpoints on them and read them back from the stack.
const SCRIPT = [
  '#pragma D option quiet', //                                     1
  '', //                                                           2
  'BEGIN', //                                                      3
  '{', //                                                          4
  '\ttotal = 0;', //                                               5
  '\tlast = "none";', //                                           6
  '}', //                                                          7
  '', //                                                           8
  'syscall::read:entry', //                                        9
  '/arg2 > 100/', //                                               10
  '{', //                                                          11
  '\tthis->size = arg2 * 2;', //                                   12
  '\tself->fd = arg0;', //                                         13
  '\ttotal += arg2;', //                                           14
  '\tlast = execname;', //                                         15
  '\t@reads[execname] = count();', //                              16
  '\t@sizes = quantize(arg2);', //                                 17
  '}', //                                                          18
  '', //                                                           19
  'syscall::read:return', //                                       20
  '/self->fd/', //                                                 21
  '{', //                                                          22
  '\tprintf("%s read %d bytes from fd %d\\n", execname, arg1, self->fd);', // 23
  '\tself->fd = 0;', //                                            24
  '}', //                                                          25
  '', //                                                           26
  'syscall::write:entry', //                                       27
  '{', //                                                          28
  '\tprintf("write of %d bytes\\n", arg2);', //                    29
  '\ttrace(*(int *)arg1);', //                                     30
  '}', //                                                          31
  '',
].join('\n');
const program = join(dir, 'reads.d');
writeFileSync(program, SCRIPT);

// The firings, all on CPU 0 (BEGIN is firing #0, these are #1..#7):
//   #1 cat (pid 501) reads 4096 bytes from fd 3: passes /arg2 > 100/;  #2 it returns 1043;
//   #3 sh (pid 77) reads 1 byte from fd 0: fails the predicate;         #4 it returns 1;
//   #5 cat reads 512 bytes from fd 3: passes;                           #6 it returns 0;
//   #7 cat writes 5 bytes from a NULL buffer: the trace() dereferences NULL and faults.
const header = {
  type: 'header',
  format: 'dtvm-trace',
  version: 1,
  platform: 'freebsd-amd64',
  ncpus: 1,
  timestamp: 5000000000,
  walltimestamp: '1718000000123456789',
  source: 'debug-adapter-real test',
  probes: [
    { provider: 'syscall', module: 'freebsd', function: 'read', name: 'entry', args: ['int', 'void *', 'size_t'] },
    { provider: 'syscall', module: 'freebsd', function: 'read', name: 'return', args: ['int', 'ssize_t'] },
    { provider: 'syscall', module: 'freebsd', function: 'write', name: 'entry', args: ['int', 'const void *', 'size_t'] },
  ],
};
const firings = [
  [0, 5000001000, 0, 501, 100501, 500, 1001, 1001, 'cat', 0, [3, 140737488346112, 4096]],
  [1, 5000002000, 0, 501, 100501, 500, 1001, 1001, 'cat', 0, [3, 1043]],
  [0, 5000003000, 0, 77, 100077, 1, 0, 0, 'sh', 0, [0, 140737488350000, 1]],
  [1, 5000004000, 0, 77, 100077, 1, 0, 0, 'sh', 0, [0, 1]],
  [0, 5000005000, 0, 501, 100501, 500, 1001, 1001, 'cat', 0, [3, 140737488346112, 512]],
  [1, 5000006000, 0, 501, 100501, 500, 1001, 1001, 'cat', 0, [3, 0]],
  [2, 5000007000, 0, 501, 100501, 500, 1001, 1001, 'cat', 0, [1, 0, 5]],
];
const trace = join(dir, 'reads.ndjson');
writeFileSync(
  trace,
  [JSON.stringify(header), ...firings.map((f) => JSON.stringify(f)), JSON.stringify({ type: 'end', timestamp: 5000008000, firings: firings.length, events: 0 })].join('\n') + '\n',
);

/** What dtrace prints for firing #7 (enabled probe 6 is the write clause's; 870 the catalogue's write:entry). */
const FAULT = 'dtrace: error on enabled probe ID 6 (ID 870: syscall:freebsd:write:entry): invalid address (0x0) in action #2 at DIF offset 4';

const WARNING = `${program}:30:8: warning: (int *)arg1 is an address in the traced process, but this reads kernel memory at that address: copy it in first, e.g. copyin((int *)arg1, sizeof (...))`;

const FIRING = {
  begin: `#0 dtrace:::BEGIN  ts=5000000000 cpu=0 pid=${process.pid} tid=${process.pid} dtrace`,
  1: '#1 syscall:freebsd:read:entry  ts=5000001000 cpu=0 pid=501 tid=100501 cat',
  2: '#2 syscall:freebsd:read:return  ts=5000002000 cpu=0 pid=501 tid=100501 cat',
  3: '#3 syscall:freebsd:read:entry  ts=5000003000 cpu=0 pid=77 tid=100077 sh',
  4: '#4 syscall:freebsd:read:return  ts=5000004000 cpu=0 pid=77 tid=100077 sh',
  5: '#5 syscall:freebsd:read:entry  ts=5000005000 cpu=0 pid=501 tid=100501 cat',
  6: '#6 syscall:freebsd:read:return  ts=5000006000 cpu=0 pid=501 tid=100501 cat',
  7: '#7 syscall:freebsd:write:entry  ts=5000007000 cpu=0 pid=501 tid=100501 cat',
} as const;
const CLAUSE = { begin: 'clause 1: BEGIN@3', entry: 'clause 2: syscall::read:entry@9', ret: 'clause 3: syscall::read:return@20', write: 'clause 4: syscall::write:entry@27' } as const;

interface Session extends AdapterHarness {
  /** The ids the adapter gave the breakpoints of the setBreakpoints sent before configurationDone. */
  ids: number[];
  breakpoints: DebugProtocol.Breakpoint[];
}

/** initialize, launch, breakpoints (and whatever `more` sets) between initialized and configurationDone. */
async function session(
  args: Record<string, unknown>,
  breakpoints: DebugProtocol.SourceBreakpoint[] = [],
  more?: (h: AdapterHarness) => Promise<void>,
  file = program,
): Promise<Session> {
  const h = await startAdapter(createRuntime);
  try {
    const caps = (await h.client.initializeRequest()).body!;
    assert.equal(caps.supportsStepBack, true);
    const launch = h.client.launchRequest({ program: file, ...args } as DebugProtocol.LaunchRequestArguments);
    await h.take('initialized');
    let set: DebugProtocol.Breakpoint[] = [];
    if (breakpoints.length > 0) set = (await h.client.setBreakpointsRequest({ source: { path: file }, breakpoints })).body.breakpoints;
    if (more) await more(h);
    await h.client.configurationDoneRequest();
    await launch;
    return Object.assign(h, { ids: set.map((b) => b.id!), breakpoints: set });
  } catch (e) {
    await h.close();
    throw e;
  }
}

/** The call stack as `name@line`, innermost first. */
async function stack(h: AdapterHarness): Promise<string[]> {
  const r = await h.client.stackTraceRequest({ threadId: 1 });
  assert.equal(r.body.totalFrames, r.body.stackFrames.length);
  return r.body.stackFrames.map((f) => (f.line === 0 ? f.name : `${f.name}@${f.line}`));
}

/** One scope's variables, expanded, as `name = value : type` lines (children indented). */
async function scope(h: AdapterHarness, name: string): Promise<string[]> {
  const frameId = (await h.client.stackTraceRequest({ threadId: 1 })).body.stackFrames[0]!.id;
  const scopes = (await h.client.scopesRequest({ frameId })).body.scopes;
  const s = scopes.find((x) => x.name === name);
  assert.ok(s, `no scope ${name} in ${scopes.map((x) => x.name).join(', ')}`);
  const out: string[] = [];
  const walk = async (ref: number, depth: number): Promise<void> => {
    for (const v of (await h.client.variablesRequest({ variablesReference: ref })).body.variables) {
      out.push(`${'  '.repeat(depth)}${v.name} = ${v.value}${v.type ? ` : ${v.type}` : ''}`);
      if (v.variablesReference !== 0) await walk(v.variablesReference, depth + 1);
    }
  };
  await walk(s.variablesReference, 0);
  return out;
}

async function scopeNames(h: AdapterHarness): Promise<string[]> {
  const frameId = (await h.client.stackTraceRequest({ threadId: 1 })).body.stackFrames[0]!.id;
  return (await h.client.scopesRequest({ frameId })).body.scopes.map((s) => s.name);
}

/** Everything the user can see at a stop: the stack and every scope, expanded. */
async function view(h: AdapterHarness): Promise<string> {
  const lines = await stack(h);
  for (const name of await scopeNames(h)) lines.push(`[${name}]`, ...(await scope(h, name)));
  return lines.join('\n');
}

/** A scope as `name=value` (no types), without expanding. */
async function flat(h: AdapterHarness, name: string): Promise<string[]> {
  return (await scope(h, name)).filter((l) => !l.startsWith(' ')).map((l) => l.replace(/ : .*$/, '').replace(' = ', '='));
}

async function evaluate(h: AdapterHarness, expression: string): Promise<{ result: string; type: string | undefined }> {
  const r = await h.client.evaluateRequest({ expression, context: 'watch', frameId: 1 });
  return { result: r.body.result, type: r.body.type };
}

async function stopped(h: AdapterHarness): Promise<DebugProtocol.StoppedEvent['body']> {
  return (await h.take('stopped')).body as DebugProtocol.StoppedEvent['body'];
}

async function step(h: AdapterHarness, how: 'next' | 'stepIn' | 'stepOut' | 'stepBack' | 'continue' | 'reverseContinue'): Promise<DebugProtocol.StoppedEvent['body']> {
  const threadId = 1;
  if (how === 'next') await h.client.nextRequest({ threadId });
  else if (how === 'stepIn') await h.client.stepInRequest({ threadId });
  else if (how === 'stepOut') await h.client.stepOutRequest({ threadId });
  else if (how === 'stepBack') await h.client.stepBackRequest({ threadId });
  else if (how === 'continue') await h.client.continueRequest({ threadId });
  else await h.client.reverseContinueRequest({ threadId });
  return stopped(h);
}

/** The first event named one of `names` that comes after the first `from` events. */
async function nextOf(h: AdapterHarness, from: number, names: string[], timeoutMs = 10000): Promise<DebugProtocol.Event> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const e = h.events.slice(from).find((x) => names.includes(x.event));
    if (e) return e;
    if (Date.now() > end) throw new Error(`none of ${names.join(', ')} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Continues and expects the run to end with that exit status, with no stop on the way. */
async function runsToEnd(h: AdapterHarness, status = 0): Promise<void> {
  const from = h.events.length;
  await h.client.continueRequest({ threadId: 1 });
  const e = await nextOf(h, from, ['stopped', 'exited']);
  assert.equal(e.event, 'exited', `stopped instead: ${JSON.stringify(e.body)}`);
  assert.equal(e.body.exitCode, status);
  await nextOf(h, from, ['terminated']);
}

// ---- launch, stop on entry

test('launch: a run without breakpoints shows what dtvm prints, the fault on stderr, then exits 0', { timeout: 30000 }, async () => {
  const expected = await dtvm(['-s', program, '--trace', trace]);
  assert.equal(expected.status, 0, expected.stderr);
  assert.equal(expected.stderr, `${FAULT}\n`);
  const h = await session({ trace });
  try {
    assert.equal((await h.take('exited')).body.exitCode, 0);
    await h.take('terminated');
    assert.deepEqual(h.events.filter((e) => e.event === 'stopped'), []);
    assert.equal(outputOf(h.events, 'stdout'), expected.stdout);
    // The debug console also has the compiler's warnings (dtvm keeps the checks beyond DTrace's to the editor).
    assert.equal(outputOf(h.events, 'stderr'), `${WARNING}\n${expected.stderr}`);
    const warning = h.events.find((e) => e.event === 'output' && e.body.output.startsWith(program))!;
    assert.deepEqual([warning.body.source?.path, warning.body.line, warning.body.column], [program, 30, 8]);
    const fault = h.events.find((e) => e.event === 'output' && e.body.output === `${FAULT}\n`)!;
    assert.deepEqual([fault.body.category, fault.body.line, fault.body.data], ['stderr', 30, { firing: 7 }]);
    assert.ok(expected.stdout.startsWith('cat read 1043 bytes from fd 3\ncat read 0 bytes from fd 3\n\n  cat  '), expected.stdout);
    // Each printf line is linked to the statement that printed it.
    const printed = h.events.filter((e) => e.event === 'output' && e.body.output.includes(' read '));
    assert.deepEqual(printed.map((e) => [e.body.output, e.body.line, e.body.data]), [
      ['cat read 1043 bytes from fd 3\n', 23, { firing: 2 }],
      ['cat read 0 bytes from fd 3\n', 23, { firing: 6 }],
    ]);
  } finally {
    await h.close();
  }
});

test('stop on entry: before BEGIN with nothing run yet, then stepping into BEGIN runs its statements', { timeout: 30000 }, async () => {
  const h = await session({ trace, stopOnEntry: true });
  try {
    assert.deepEqual(await stopped(h), { reason: 'entry', threadId: 1, allThreadsStopped: true });
    assert.deepEqual(await stack(h), [FIRING.begin]);
    assert.deepEqual(await scopeNames(h), ['Probe', 'Thread-local', 'Globals', 'Aggregations']);
    assert.deepEqual(await scope(h, 'Probe'), [
      'probeprov = "dtrace" : string',
      'probemod = "" : string',
      'probefunc = "" : string',
      'probename = "BEGIN" : string',
      'args = [0]',
      `pid = ${process.pid} : pid_t`,
      `ppid = ${process.ppid} : pid_t`,
      `tid = ${process.pid} : id_t`,
      `uid = ${process.getuid!()} : uid_t`,
      `gid = ${process.getgid!()} : gid_t`,
      'execname = "dtrace" : string',
      'cpu = 0 : processorid_t',
      'timestamp = 5000000000 : uint64_t',
      'walltimestamp = 1718000000123456789 : int64_t',
      'errno = 0 : int',
    ]);
    assert.deepEqual(await scope(h, 'Globals'), ['total = 0 : int', 'last = "" : string']);
    assert.deepEqual(await scope(h, 'Aggregations'), ['@reads = count() [0 keys] : count', '@sizes = quantize() [0 keys] : quantize']);
    assert.deepEqual(await step(h, 'stepIn'), { reason: 'step', threadId: 1, allThreadsStopped: true });
    assert.deepEqual(await stack(h), ['total = 0;@5', CLAUSE.begin, FIRING.begin]);
    assert.deepEqual(await scopeNames(h), ['Probe', 'Clause-local', 'Thread-local', 'Globals', 'Aggregations']);
    await step(h, 'next');
    assert.deepEqual(await stack(h), ['last = "none";@6', CLAUSE.begin, FIRING.begin]);
    assert.deepEqual(await flat(h, 'Globals'), ['total=0', 'last=""']);
    await step(h, 'next');
    assert.deepEqual(await stack(h), [FIRING[1]]);
    assert.deepEqual(await flat(h, 'Globals'), ['total=0', 'last="none"']);
  } finally {
    await h.close();
  }
});

// ---- breakpoints

test('a clause breakpoint (on the probe description) stops only where the predicate passes, at its first statement', { timeout: 30000 }, async () => {
  const h = await session({ trace }, [{ line: 9 }]);
  try {
    assert.deepEqual(h.breakpoints.map((b) => [b.verified, b.line, b.column, b.endLine, b.endColumn]), [[true, 9, 1, 18, 2]]);
    assert.deepEqual(await stopped(h), { reason: 'breakpoint', threadId: 1, hitBreakpointIds: h.ids, allThreadsStopped: true });
    assert.deepEqual(await stack(h), ['this->size = arg2 * 2;@12', CLAUSE.entry, FIRING[1]]);
    assert.deepEqual(await flat(h, 'Globals'), ['total=0', 'last="none"']);
    // sh's read of 1 byte (#3) does not pass /arg2 > 100/: the next stop is cat's second read.
    assert.deepEqual(await step(h, 'continue'), { reason: 'breakpoint', threadId: 1, hitBreakpointIds: h.ids, allThreadsStopped: true });
    assert.deepEqual(await stack(h), ['this->size = arg2 * 2;@12', CLAUSE.entry, FIRING[5]]);
    assert.deepEqual(await flat(h, 'Globals'), ['total=4096', 'last="cat"']);
    await runsToEnd(h);
  } finally {
    await h.close();
  }
});

test('a predicate breakpoint stops at every evaluation, where the predicate shows its value', { timeout: 30000 }, async () => {
  const h = await session({ trace }, [{ line: 10 }]);
  try {
    assert.deepEqual(h.breakpoints.map((b) => [b.verified, b.line, b.column, b.endLine, b.endColumn]), [[true, 10, 2, 10, 12]]);
    const seen: [string[], string, string | undefined][] = [];
    for (let i = 0; i < 3; i++) {
      assert.deepEqual(i === 0 ? await stopped(h) : await step(h, 'continue'), { reason: 'breakpoint', threadId: 1, hitBreakpointIds: h.ids, allThreadsStopped: true });
      const v = await evaluate(h, 'arg2 > 100');
      seen.push([await stack(h), v.result, v.type]);
    }
    assert.deepEqual(seen, [
      [['/arg2 > 100/@10', CLAUSE.entry, FIRING[1]], '1', 'int'],
      [['/arg2 > 100/@10', CLAUSE.entry, FIRING[3]], '0', 'int'],
      [['/arg2 > 100/@10', CLAUSE.entry, FIRING[5]], '1', 'int'],
    ]);
    await runsToEnd(h);
  } finally {
    await h.close();
  }
});

test('a statement breakpoint stops before the statement runs; its output comes once it has', { timeout: 30000 }, async () => {
  const h = await session({ trace }, [{ line: 23 }]);
  try {
    assert.deepEqual(h.breakpoints.map((b) => [b.verified, b.line, b.column, b.endLine, b.endColumn]), [[true, 23, 2, 23, 68]]);
    assert.deepEqual(await stopped(h), { reason: 'breakpoint', threadId: 1, hitBreakpointIds: h.ids, allThreadsStopped: true });
    assert.deepEqual(await stack(h), ['printf("%s read %d bytes from fd %d\\n", execname, arg1, sel…@23', CLAUSE.ret, FIRING[2]]);
    assert.deepEqual(await scope(h, 'Thread-local'), ['self->fd = 3 : int64_t']);
    assert.equal(outputOf(h.events, 'stdout'), '');
    await step(h, 'next');
    assert.deepEqual(await stack(h), ['self->fd = 0;@24', CLAUSE.ret, FIRING[2]]);
    // As with dtrace, the consumer reads the record once the firing is over.
    assert.equal(outputOf(h.events, 'stdout'), '');
    await step(h, 'next');
    assert.deepEqual(await stack(h), [FIRING[3]]);
    const printed = h.events.filter((e) => e.event === 'output' && e.body.category === 'stdout');
    assert.deepEqual(printed.map((e) => [e.body.output, e.body.line, e.body.data]), [['cat read 1043 bytes from fd 3\n', 23, { firing: 2 }]]);
    assert.deepEqual(await scope(h, 'Thread-local'), ['self->fd = 0 : int64_t']);
    assert.deepEqual(await step(h, 'continue'), { reason: 'breakpoint', threadId: 1, hitBreakpointIds: h.ids, allThreadsStopped: true });
    assert.deepEqual(await stack(h), ['printf("%s read %d bytes from fd %d\\n", execname, arg1, sel…@23', CLAUSE.ret, FIRING[6]]);
    assert.equal((await evaluate(h, 'arg1')).result, '0');
    // Step Out leaves the firing: the next one starts, and #6's record has been printed.
    assert.deepEqual(await step(h, 'stepOut'), { reason: 'step', threadId: 1, allThreadsStopped: true });
    assert.deepEqual(await stack(h), [FIRING[7]]);
    assert.equal(outputOf(h.events, 'stdout'), 'cat read 1043 bytes from fd 3\ncat read 0 bytes from fd 3\n');
    await runsToEnd(h);
  } finally {
    await h.close();
  }
});

test('a conditional breakpoint stops only where its D condition holds; a wrong condition is not verified', { timeout: 30000 }, async () => {
  const h = await session({ trace }, [
    { line: 14, condition: 'arg2 < 1000 && execname == "cat"' },
    { line: 10, condition: 'execname == "sh"' },
    { line: 15, condition: 'arg2 >' },
  ]);
  try {
    assert.deepEqual(h.breakpoints.map((b) => [b.verified, b.line, b.message]), [
      [true, 14, undefined],
      [true, 10, undefined],
      [false, 15, 'condition: syntax error near ">"'],
    ]);
    assert.deepEqual(await stopped(h), { reason: 'breakpoint', threadId: 1, hitBreakpointIds: [h.ids[1]!], allThreadsStopped: true });
    assert.deepEqual(await stack(h), ['/arg2 > 100/@10', CLAUSE.entry, FIRING[3]]);
    assert.deepEqual(await step(h, 'continue'), { reason: 'breakpoint', threadId: 1, hitBreakpointIds: [h.ids[0]!], allThreadsStopped: true });
    assert.deepEqual(await stack(h), ['total += arg2;@14', CLAUSE.entry, FIRING[5]]);
    assert.deepEqual(await flat(h, 'Globals'), ['total=4096', 'last="cat"']);
    await runsToEnd(h);
  } finally {
    await h.close();
  }
});

test('hit-count breakpoints: "2" stops at the second hit, "% 2" every second hit, "== 1" once', { timeout: 30000 }, async () => {
  const h = await session({ trace }, [
    { line: 16, hitCondition: '2' },
    { line: 10, hitCondition: '% 2' },
    { line: 24, hitCondition: '== 1' },
  ]);
  try {
    assert.deepEqual(h.breakpoints.map((b) => b.verified), [true, true, true]);
    // Line 24 runs in #2 and #6: only the first hit stops.
    assert.deepEqual(await stopped(h), { reason: 'breakpoint', threadId: 1, hitBreakpointIds: [h.ids[2]!], allThreadsStopped: true });
    assert.deepEqual(await stack(h), ['self->fd = 0;@24', CLAUSE.ret, FIRING[2]]);
    // The predicate is evaluated in #1, #3 and #5; the second time is sh's.
    assert.deepEqual(await step(h, 'continue'), { reason: 'breakpoint', threadId: 1, hitBreakpointIds: [h.ids[1]!], allThreadsStopped: true });
    assert.deepEqual(await stack(h), ['/arg2 > 100/@10', CLAUSE.entry, FIRING[3]]);
    // Line 16 runs in #1 and #5: from the second hit on.
    assert.deepEqual(await step(h, 'continue'), { reason: 'breakpoint', threadId: 1, hitBreakpointIds: [h.ids[0]!], allThreadsStopped: true });
    assert.deepEqual(await stack(h), ['@reads[execname] = count();@16', CLAUSE.entry, FIRING[5]]);
    assert.deepEqual(await scope(h, 'Aggregations'), ['@reads = count() [1 key] : count', '  [cat] = 1 : count', '@sizes = quantize() [1 key] : quantize', '  [] = 1 value : quantize', '    4096 = 1']);
    await runsToEnd(h);
  } finally {
    await h.close();
  }
});

// ---- stepping forward and back, evaluate

/** Firing #1 before `@sizes = quantize(arg2);` runs (the breakpoint on line 17). */
const AT_17_OF_1 = {
  stack: ['@sizes = quantize(arg2);@17', CLAUSE.entry, FIRING[1]],
  clause: ['this->size = 8192 : int64_t'],
  thread: ['self->fd = 3 : int64_t'],
  globals: ['total = 4096 : int', 'last = "cat" : string'],
  aggregations: ['@reads = count() [1 key] : count', '  [cat] = 1 : count', '@sizes = quantize() [0 keys] : quantize'],
};
/** Firing #5 at the same place. */
const AT_17_OF_5 = {
  stack: ['@sizes = quantize(arg2);@17', CLAUSE.entry, FIRING[5]],
  clause: ['this->size = 1024 : int64_t'],
  thread: ['self->fd = 3 : int64_t'],
  globals: ['total = 4608 : int', 'last = "cat" : string'],
  aggregations: ['@reads = count() [1 key] : count', '  [cat] = 2 : count', '@sizes = quantize() [1 key] : quantize', '  [] = 1 value : quantize', '    4096 = 1'],
};

async function at(h: AdapterHarness): Promise<typeof AT_17_OF_1> {
  return {
    stack: await stack(h),
    clause: await scope(h, 'Clause-local'),
    thread: await scope(h, 'Thread-local'),
    globals: await scope(h, 'Globals'),
    aggregations: await scope(h, 'Aggregations'),
  };
}

test('step forward across firings, then step back and reverse-continue: every stop shows exactly what it showed going forward', { timeout: 30000 }, async () => {
  const h = await session({ trace }, [{ line: 17 }]);
  try {
    assert.deepEqual(await stopped(h), { reason: 'breakpoint', threadId: 1, hitBreakpointIds: h.ids, allThreadsStopped: true });
    assert.deepEqual(await at(h), AT_17_OF_1);
    assert.deepEqual(await scope(h, 'Probe').then((p) => p.slice(4, 9)), ['args = [3]', '  args[0] = 3 : int', '  args[1] = 0x7fffffffdc00 : userland void *', '  args[2] = 4096 : size_t', 'arg0 = 3 : int64_t']);
    // Forward, one stop at a time, from firing #1 to the same statement in firing #5.
    const views = [await view(h)];
    const stacks = [await stack(h)];
    for (let i = 0; i < 15; i++) {
      assert.deepEqual(await step(h, 'stepIn'), { reason: 'step', threadId: 1, allThreadsStopped: true });
      views.push(await view(h));
      stacks.push(await stack(h));
    }
    assert.deepEqual(stacks.map((s) => s[0]), [
      '@sizes = quantize(arg2);@17',
      FIRING[2],
      '/self->fd/@21',
      'printf("%s read %d bytes from fd %d\\n", execname, arg1, sel…@23',
      'self->fd = 0;@24',
      FIRING[3],
      '/arg2 > 100/@10', // sh's read fails the predicate: on to the next firing
      FIRING[4],
      '/self->fd/@21', // sh has no self->fd: nothing runs
      FIRING[5],
      '/arg2 > 100/@10',
      'this->size = arg2 * 2;@12',
      'self->fd = arg0;@13',
      'total += arg2;@14',
      'last = execname;@15',
      '@reads[execname] = count();@16',
    ]);
    assert.equal(stacks[15]![2], FIRING[5]);
    // One more, onto the breakpoint's statement in firing #5 (so the stop is the breakpoint's).
    assert.deepEqual(await step(h, 'stepIn'), { reason: 'breakpoint', threadId: 1, hitBreakpointIds: h.ids, allThreadsStopped: true });
    views.push(await view(h));
    assert.deepEqual(await at(h), AT_17_OF_5);
    assert.equal(outputOf(h.events, 'stdout'), 'cat read 1043 bytes from fd 3\n');
    // Back over the same stops: each shows exactly what it showed on the way forward.
    for (let i = views.length - 2; i >= 0; i--) {
      assert.deepEqual(await step(h, 'stepBack'), { reason: 'step', threadId: 1, allThreadsStopped: true });
      assert.equal(await view(h), views[i], `stepping back to stop ${i}`);
    }
    assert.deepEqual(await at(h), AT_17_OF_1);
    // Forward to #5 by the breakpoint, then back to #1 by reverse-continue.
    assert.deepEqual(await step(h, 'continue'), { reason: 'breakpoint', threadId: 1, hitBreakpointIds: h.ids, allThreadsStopped: true });
    assert.deepEqual(await at(h), AT_17_OF_5);
    assert.deepEqual(await step(h, 'reverseContinue'), { reason: 'breakpoint', threadId: 1, hitBreakpointIds: h.ids, allThreadsStopped: true });
    assert.deepEqual(await at(h), AT_17_OF_1);
    assert.equal(await view(h), views[0]);
    // The output already shown is not shown again by going back and forth.
    assert.equal(outputOf(h.events, 'stdout'), 'cat read 1043 bytes from fd 3\n');
    assert.deepEqual(await step(h, 'continue'), { reason: 'breakpoint', threadId: 1, hitBreakpointIds: h.ids, allThreadsStopped: true });
    assert.deepEqual(await at(h), AT_17_OF_5);
    await runsToEnd(h);
    assert.equal(outputOf(h.events, 'stdout').split('cat read 1043 bytes').length, 2);
  } finally {
    await h.close();
  }
});

test('evaluate: D expressions in the firing\'s context, with their types; errors and assignments are refused; nothing changes', { timeout: 30000 }, async () => {
  const h = await session({ trace }, [{ line: 17, hitCondition: '== 2' }]);
  try {
    await stopped(h);
    assert.deepEqual(await at(h), AT_17_OF_5);
    const before = await view(h);
    assert.deepEqual(await evaluate(h, 'total + this->size'), { result: '5632', type: 'int64_t' });
    assert.deepEqual(await evaluate(h, 'self->fd'), { result: '3', type: 'int64_t' });
    assert.deepEqual(await evaluate(h, 'args[2]'), { result: '512', type: 'size_t' });
    assert.deepEqual(await evaluate(h, 'strjoin(last, "!")'), { result: '"cat!"', type: 'string' });
    assert.deepEqual(await evaluate(h, 'execname == "cat" ? pid : -1'), { result: '501', type: 'pid_t' });
    assert.deepEqual(await evaluate(h, 'timestamp - 5000000000'), { result: '5000', type: 'uint64_t' });
    const bad = async (expression: string): Promise<string> => {
      try {
        await h.client.evaluateRequest({ expression, context: 'repl', frameId: 1 });
      } catch (e) {
        return (e as Error).message;
      }
      throw new Error(`${expression} was evaluated`);
    };
    assert.equal(await bad('total = 1'), 'the expression changes state (an assignment): only side-effect-free expressions are evaluated');
    assert.equal(await bad('nosuchfn(1)'), 'undefined function name: nosuchfn');
    assert.equal(await bad('*(int *)0'), 'dtrace: error on enabled probe ID 2 (ID 868: syscall:freebsd:read:entry): invalid address (0x0)');
    assert.equal(await view(h), before);
  } finally {
    await h.close();
  }
});

// ---- faults

test('the fault exception filter stops at the faulting statement with dtrace\'s fault text', { timeout: 30000 }, async () => {
  const h = await session({ trace }, [], async (c) => {
    await c.client.setExceptionBreakpointsRequest({ filters: ['fault'] });
  });
  try {
    assert.deepEqual(await stopped(h), { reason: 'exception', threadId: 1, text: FAULT, description: 'Runtime fault', allThreadsStopped: true });
    assert.deepEqual(await stack(h), ['trace(*(int *)arg1);@30', CLAUSE.write, FIRING[7]]);
    assert.deepEqual((await h.client.exceptionInfoRequest({ threadId: 1 })).body, { exceptionId: 'fault', description: FAULT, breakMode: 'always' });
    assert.deepEqual(await scope(h, 'Probe').then((p) => p.slice(4, 8)), ['args = [3]', '  args[0] = 1 : int', '  args[1] = 0x0 : userland const void *', '  args[2] = 5 : size_t']);
    assert.deepEqual(await flat(h, 'Globals'), ['total=4608', 'last="cat"']);
    assert.deepEqual(await scope(h, 'Aggregations'), [
      '@reads = count() [1 key] : count',
      '  [cat] = 2 : count',
      '@sizes = quantize() [1 key] : quantize',
      '  [] = 2 values : quantize',
      '    512 = 1',
      '    4096 = 1',
    ]);
    // The clause's record is discarded with the fault, as dtrace discards it: no "write of 5 bytes".
    await runsToEnd(h);
    assert.equal(outputOf(h.events, 'stdout').includes('write of'), false);
    assert.equal(outputOf(h.events, 'stderr').split(FAULT).length, 2);
  } finally {
    await h.close();
  }
});

// ---- no firings source: BEGIN and tick probes on the virtual clock

const TICKS = [
  '#pragma D option quiet', //              1
  'BEGIN', //                               2
  '{', //                                   3
  '\tn = 0;', //                            4
  '}', //                                   5
  'tick-1s', //                             6
  '{', //                                   7
  '\tn++;', //                              8
  '\t@ticks["tick"] = sum(n);', //          9
  '\tprintf("tick %d\\n", n);', //          10
  '}', //                                   11
  'tick-1s', //                             12
  '/n == 3/', //                            13
  '{', //                                   14
  '\texit(7);', //                          15
  '}', //                                   16
  '',
].join('\n');
const ticks = join(dir, 'ticks.d');
writeFileSync(ticks, TICKS);

test('with no firings source, tick-1s fires on the virtual clock: breakpoints, hit counts, step back, and exit()\'s status', { timeout: 30000 }, async () => {
  const expected = await dtvm(['-s', ticks]);
  assert.deepEqual([expected.status, expected.stdout, expected.stderr], [7, 'tick 1\ntick 2\ntick 3\n\n  tick                                                              6\n', '']);
  const h = await session({}, [{ line: 10, hitCondition: '== 2' }, { line: 13, condition: 'n == 3' }], undefined, ticks);
  try {
    assert.deepEqual(await stopped(h), { reason: 'breakpoint', threadId: 1, hitBreakpointIds: [h.ids[0]!], allThreadsStopped: true });
    const frames = await stack(h);
    assert.deepEqual(frames.slice(0, 2), ['printf("tick %d\\n", n);@10', 'clause 2: tick-1s@6']);
    assert.equal(frames[2], '#2 profile:::tick-1s  ts=2000000000 cpu=0 pid=11 tid=0 idle');
    assert.deepEqual(await scope(h, 'Globals'), ['n = 2 : int']);
    assert.deepEqual(await scope(h, 'Aggregations'), ['@ticks = sum() [1 key] : sum', '  [tick] = 3 : sum']);
    const ts1 = BigInt((await evaluate(h, 'timestamp')).result);
    assert.deepEqual(await step(h, 'continue'), { reason: 'breakpoint', threadId: 1, hitBreakpointIds: [h.ids[1]!], allThreadsStopped: true });
    assert.deepEqual((await stack(h)).slice(0, 2), ['/n == 3/@13', 'clause 3: tick-1s@12']);
    assert.deepEqual(await scope(h, 'Globals'), ['n = 3 : int']);
    // The printf of the same firing ran first (clause 2 before clause 3).
    assert.equal(BigInt((await evaluate(h, 'timestamp')).result) - ts1, 1_000_000_000n);
    assert.deepEqual(await step(h, 'stepBack'), { reason: 'step', threadId: 1, allThreadsStopped: true });
    assert.deepEqual((await stack(h)).slice(0, 2), ['printf("tick %d\\n", n);@10', 'clause 2: tick-1s@6']);
    assert.deepEqual(await scope(h, 'Globals'), ['n = 3 : int']);
    assert.deepEqual(await step(h, 'stepBack'), { reason: 'step', threadId: 1, allThreadsStopped: true });
    assert.deepEqual((await stack(h)).slice(0, 2), ['@ticks["tick"] = sum(n);@9', 'clause 2: tick-1s@6']);
    assert.deepEqual(await scope(h, 'Aggregations'), ['@ticks = sum() [1 key] : sum', '  [tick] = 3 : sum']);
    await h.client.setBreakpointsRequest({ source: { path: ticks }, breakpoints: [] });
    await runsToEnd(h, 7);
    assert.equal(outputOf(h.events, 'stdout'), expected.stdout);
  } finally {
    await h.close();
  }
});

// ---- disconnecting in the middle of a live capture (strace)

/** The process's state letter (R, S, T, t, Z ...), undefined once it is gone. */
function processState(pid: number): string | undefined {
  try {
    return /^State:\s+(\S)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}

function tracerPid(pid: number): number {
  return Number(/^TracerPid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
}

/** Voluntary context switches so far: a sleeping loop that goes on makes more. */
function contextSwitches(pid: number): number {
  return Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
}

async function until(what: string, holds: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!holds()) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const SLEEPS = join(dir, 'sleeps.d');
writeFileSync(SLEEPS, ['syscall::nanosleep:entry,syscall::clock_nanosleep:entry', '{', '\ttrace(pid);', '}', ''].join('\n'));

test('disconnect during a live capture of a command the adapter started kills the command', { timeout: 30000 }, async () => {
  let pid: number | undefined;
  const h = await session({ command: '/bin/sleep 30' }, [{ line: 3 }], undefined, SLEEPS);
  try {
    assert.deepEqual(await stopped(h), { reason: 'breakpoint', threadId: 1, hitBreakpointIds: h.ids, allThreadsStopped: true });
    const probe = await flat(h, 'Probe');
    assert.ok(probe.includes('execname="sleep"'), probe.join('\n'));
    assert.match((await stack(h))[0]!, /^trace\(pid\);@3$/);
    pid = Number(probe.find((l) => l.startsWith('pid='))!.slice(4));
    assert.equal((await evaluate(h, 'pid')).result, String(pid));
    // The command is alive and traced, sleeping; the capture goes on while the run continues.
    assert.equal(readFileSync(`/proc/${pid}/cmdline`, 'utf8'), '/bin/sleep\u000030\u0000');
    assert.notEqual(tracerPid(pid), 0);
    await h.client.continueRequest({ threadId: 1 });
    await new Promise((r) => setTimeout(r, 100));
    assert.notEqual(processState(pid), undefined);
    const t = Date.now();
    await h.client.disconnectRequest({});
    assert.ok(Date.now() - t < 5000, `disconnect took ${Date.now() - t} ms`);
    // Killed: gone, or a zombie until its new parent reaps it; never running on.
    await until(`pid ${pid} is dead`, () => [undefined, 'Z', 'X'].includes(processState(pid!)));
    // No END ran: disconnect leaves at once.
    assert.deepEqual(h.events.filter((e) => e.event === 'exited'), []);
  } finally {
    if (pid !== undefined && processState(pid) !== undefined) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    await h.close();
  }
});

test('disconnect during a live capture of a process given by pid detaches and leaves it running', { timeout: 30000 }, async () => {
  // A process the test started: a shell that keeps making system calls.
  const child: ChildProcess = spawn('/bin/sh', ['-c', 'while :; do sleep 0.05; done'], { stdio: 'ignore' });
  const pid = child.pid!;
  const SCRIPT_PID = join(dir, 'attach.d');
  writeFileSync(SCRIPT_PID, ['syscall:::entry', `/pid == ${pid}/`, '{', '\t@calls[probefunc] = count();', '}', ''].join('\n'));
  let h: Session | undefined;
  try {
    await until('the shell runs', () => processState(pid) !== undefined);
    h = await session({ pid }, [{ line: 4 }], undefined, SCRIPT_PID);
    assert.deepEqual(await stopped(h), { reason: 'breakpoint', threadId: 1, hitBreakpointIds: h.ids, allThreadsStopped: true });
    assert.ok((await flat(h, 'Probe')).includes(`pid=${pid}`));
    assert.deepEqual((await stack(h)).slice(0, 2), ['@calls[probefunc] = count();@4', 'clause 1: syscall:::entry@1']);
    assert.notEqual(tracerPid(pid), 0, 'traced while the capture runs');
    await h.client.continueRequest({ threadId: 1 });
    await new Promise((r) => setTimeout(r, 100));
    await h.client.disconnectRequest({});
    // Still there, no longer traced, and running on (not left stopped by a tracer that went).
    await until(`pid ${pid} is no longer traced`, () => tracerPid(pid) === 0);
    const switches = contextSwitches(pid);
    await until(`pid ${pid} runs on (its loop forks sleeps)`, () => contextSwitches(pid) > switches);
    const state = processState(pid);
    assert.ok(state !== undefined && !'TtZX'.includes(state), `state ${state}`);
    assert.equal(tracerPid(pid), 0);
    assert.equal(child.exitCode, null);
    assert.equal(child.signalCode, null);
    assert.deepEqual(h.events.filter((e) => e.event === 'exited'), []);
  } finally {
    child.kill('SIGKILL');
    await h?.close();
  }
});
