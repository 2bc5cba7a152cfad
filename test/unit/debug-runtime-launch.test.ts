// The debugger opens its firings source as dtvm does (sources/open.ts): `$target` is the
// command's pid, a flavour that contradicts the source's system is refused with dtvm's message,
// provider files join the catalogue; and through DAP, failures reach the client as dtvm's
// messages, never as stack traces.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { DebugRuntime, LaunchSpec } from '../../server/src/debug/runtime/api';
import { createDebugRuntime } from '../../server/src/debug/runtime/index';
import { createRuntime } from '../../server/src/debug/adapter/runtimeFactory';
import { outputOf, startAdapter } from '../support/debugAdapter';
import { writeFixture } from '../support/debugRuntime';
import { createTraceWriter } from '../../server/src/trace/index';
import { dtvm } from '../support/runDtvm';

const dir = mkdtempSync(join(tmpdir(), 'dtvm-debug-launch-'));

function script(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

async function start(spec: LaunchSpec): Promise<DebugRuntime> {
  const rt = createDebugRuntime();
  const r = await rt.launch(spec, { stopped: () => undefined, output: () => undefined, ended: () => undefined });
  assert.equal(r.ok, true, JSON.stringify(r.problems));
  return rt;
}

test('$target in the debugger is the pid of the command it started', { timeout: 60000 }, async () => {
  const program = script('target.d', '#pragma D option quiet\nsyscall::write:entry\n/pid == $target/\n{\n\tprintf("%d\\n", $target);\n}\n');
  const rt = await start({ program, source: { kind: 'command', command: '/bin/echo hello' } });
  rt.setBreakpoints([{ line: 5 }]);
  await rt.continue();
  const at = rt.location();
  assert.ok(at !== undefined && at.firing.probe.endsWith(':write:entry'), 'the predicate pid == $target held');
  assert.equal(at.firing.execname, 'echo');
  const target = rt.evaluate('$target');
  assert.equal(target.ok, true);
  assert.equal((target as { value: { value: string } }).value.value, String(at.firing.pid));
  await rt.stop(true);
});

test('a flavour that contradicts the trace is refused with dtvm\'s message', async () => {
  const trace = await writeFixture(mkdtempSync(join(dir, 'flavour-')));
  const program = script('flavour.d', 'syscall::read:entry { trace(arg0); }\n');
  const cli = await dtvm(['-s', program, '--trace', trace, '--flavour', 'freebsd']);
  assert.equal(cli.stderr, 'dtvm: --flavour freebsd does not match the trace, recorded on linux-x86_64 (flavour linux)\n');
  const rt = createDebugRuntime();
  await assert.rejects(
    rt.launch({ program, source: { kind: 'trace', file: trace }, flavour: 'freebsd' }, { stopped: () => undefined, output: () => undefined, ended: () => undefined }),
    { message: 'dtvm: flavour freebsd does not match the trace, recorded on linux-x86_64 (flavour linux)' },
  );
  // The same flavour as the trace's is fine.
  const ok = await start({ program, source: { kind: 'trace', file: trace }, flavour: 'linux' });
  await ok.stop(true);
});

test('provider files join the debugger\'s catalogue as they join dtvm\'s', async () => {
  const providers = join(dir, 'myapp.json');
  writeFileSync(providers, JSON.stringify({ providers: [{ name: 'myapp', probes: [{ module: 'myapp', function: 'handle', name: 'request-start', args: ['int'] }] }] }));
  const program = script('usdt.d', 'myapp:myapp:handle:request-start\n{\n\ttrace(args[0]);\n}\n');
  const cli = await dtvm(['-s', program, '--providers', providers, '-e']);
  assert.equal(cli.status, 0, cli.stderr);
  const without = createDebugRuntime();
  const refused = await without.launch({ program, source: { kind: 'none' } }, { stopped: () => undefined, output: () => undefined, ended: () => undefined });
  assert.equal(refused.ok, false);
  const rt = await start({ program, source: { kind: 'none' }, providerFiles: [providers] });
  assert.equal(rt.clauses()[0]?.probes, 'myapp:myapp:handle:request-start');
  await rt.stop(true);
});

test('DAP: a malformed trace record ends the session with dtvm\'s message, no stack trace', { timeout: 30000 }, async () => {
  // Far enough into the trace that the run, not the launch, meets it.
  const d = mkdtempSync(join(dir, 'bad-'));
  const bad = join(d, 'bad.ndjson');
  const w = await createTraceWriter(bad, {
    platform: 'linux-x86_64',
    ncpus: 1,
    timestamp: 1_000_000_000n,
    walltimestamp: 1_700_000_000_000_000_000n,
    probes: [{ provider: 'syscall', module: 'linux', function: 'read', name: 'entry', args: ['unsigned int', 'char *', 'size_t'] }],
  });
  for (let i = 0; i < 20000; i++) await w.firing({ probe: 0, timestamp: 1_000_001_000n + BigInt(i) * 1000n, cpu: 0, pid: 700, tid: 700, ppid: 1, uid: 0, gid: 0, execname: 'cat', args: [i, 0, 16] });
  await w.close({ timestamp: 1_100_000_000n });
  const lines = readFileSync(bad, 'utf8').split('\n');
  lines[19000] = '{"type":"firing","probe":0,"garbage":';
  writeFileSync(bad, lines.join('\n'));
  const program = script('bad.d', '#pragma D option quiet\nsyscall::read:entry { printf("fd %d\\n", arg0); }\n');
  const cli = await dtvm(['-s', program, '--trace', bad]);
  assert.equal(cli.status, 1);
  const h = await startAdapter(createRuntime);
  try {
    await Promise.all([h.client.configurationSequence(), h.client.launch({ program, trace: bad } as DebugProtocol.LaunchRequestArguments), h.take('initialized')]);
    const exited = await h.take('exited');
    await h.take('terminated');
    assert.equal(exited.body.exitCode, 1);
    // What was printed before stays (dtvm's last buffer before the failure goes unprinted).
    const stdout = outputOf(h.events, 'stdout');
    assert.ok(stdout.length > 0 && stdout.startsWith(cli.stdout), stdout.slice(-40));
    const stderr = outputOf(h.events, 'stderr');
    assert.equal(stderr, cli.stderr);
    assert.doesNotMatch(stderr, /\n\s+at /);
  } finally {
    await h.close();
  }
});

test('DAP: a trace that cannot be opened fails the launch with dtvm\'s message', { timeout: 30000 }, async () => {
  const d = mkdtempSync(join(dir, 'header-'));
  const bad = join(d, 'header.ndjson');
  writeFileSync(bad, '{"type":"header","format":"dtvm-trace","version":99}\n');
  const program = script('header.d', 'syscall::read:entry { trace(arg0); }\n');
  const cli = await dtvm(['-s', program, '--trace', bad]);
  assert.equal(cli.status, 1);
  const h = await startAdapter(createRuntime);
  try {
    await h.client.initializeRequest();
    await assert.rejects(h.client.launch({ program, trace: bad } as DebugProtocol.LaunchRequestArguments), (e: Error) => {
      assert.equal(e.message, cli.stderr.trimEnd());
      return true;
    });
  } finally {
    await h.close();
  }
});

test('the debugger stops at the error dtvm stops at, placed where it starts', async () => {
  const cases: [string, string, { code: string; line: number; column: number }][] = [
    ['type.d', 'BEGIN\n{\n\tx = "a" * 1;\n}\n', { code: 'D_OP_ARITH', line: 3, column: 6 }],
    // A syntax error further down stops dtrace before it checks the clause above it.
    ['type-then-syntax.d', 'BEGIN\n{\n\tx = "a" + 1;\n}\nEND { ) }\n', { code: 'D_SYNTAX', line: 5, column: 7 }],
    ['syntax.d', 'BEGIN\n{\n\ttrace(1)\n\ttrace(2);\n}\n', { code: 'D_SYNTAX', line: 4, column: 2 }],
  ];
  const trace = await writeFixture(dir);
  for (const [name, text, want] of cases) {
    const program = script(name, text);
    const rt = createDebugRuntime();
    const r = await rt.launch({ program, source: { kind: 'trace', file: trace } }, { stopped: () => undefined, output: () => undefined, ended: () => undefined });
    const cli = await dtvm(['-x', 'errtags', '-s', program]);
    assert.equal(r.ok, false, name);
    const p = r.problems[0]!;
    assert.deepEqual({ code: p.code, line: p.line, column: p.column }, want, name);
    assert.equal(cli.status, 1, name);
    assert.ok(cli.stderr.includes(`[${p.code}]`) && cli.stderr.endsWith(`${p.message}\n`), `${name}: ${cli.stderr} vs ${p.message}`);
  }
});

test('DAP: a printf the C library would refuse ends the session with dtvm\'s "processing aborted"', { timeout: 30000 }, async () => {
  const program = script('wide.d', '#pragma D option quiet\nBEGIN { printf("a\\n"); printf("%*d|\\n", 2000000000, 1); }\n');
  const cli = await dtvm(['-s', program]);
  assert.deepEqual([cli.status, cli.stdout, cli.stderr], [1, 'a\n', 'dtrace: processing aborted: Value too large for defined data type\n']);
  const h = await startAdapter(createRuntime);
  try {
    await Promise.all([h.client.configurationSequence(), h.client.launch({ program, trace: await writeFixture(dir) } as DebugProtocol.LaunchRequestArguments), h.take('initialized')]);
    assert.equal((await h.take('exited')).body.exitCode, 1);
    await h.take('terminated');
    assert.equal(outputOf(h.events, 'stdout'), cli.stdout);
    assert.equal(outputOf(h.events, 'stderr'), cli.stderr);
  } finally {
    await h.close();
  }
});
