// What the debugger shows at a stop: each scope's variables with exact values and types
// (strings, associative arrays, clause-locals, histograms by bucket), expressions evaluated in
// the firing's context without changing state, and the clause's DIF.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DebugRuntime, ValueView } from '../../server/src/debug/runtime/api';
import { launch } from '../support/debugRuntime';

const SCRIPT = `syscall::read:entry
{
\tthis->doubled = arg0 * 2;
\tlast = execname;
\tfds[execname] = arg0;
\tself->seen[arg0] = 1;
\t@sizes = quantize(arg0);
\t@total[pid] = sum(arg2);
}
`;

function show(v: ValueView, depth = 0): string[] {
  return [`${'  '.repeat(depth)}${v.name} = ${v.value}${v.type ? ` : ${v.type}` : ''}`, ...(v.children?.().flatMap((c) => show(c, depth + 1)) ?? [])];
}

function scope(rt: DebugRuntime, name: Parameters<DebugRuntime['variables']>[0]): string[] {
  return rt.variables(name).flatMap((v) => show(v));
}

test('globals, thread-locals, clause-locals and aggregations at a stop', async () => {
  const { rt } = await launch(SCRIPT);
  rt.setBreakpoints([{ line: 8 }]); // the last statement, at the third read (fd 5)
  await rt.continue();
  await rt.continue();
  await rt.continue();
  assert.equal(rt.location()!.firing.index, 3);
  assert.deepEqual(scope(rt, 'Globals'), ['last = "cat" : string', 'fds = [2 elements] : int64_t[string]', '  ["cat"] = 5 : int64_t', '  ["sh"] = 3 : int64_t']);
  assert.deepEqual(scope(rt, 'Thread-local'), ['self->seen = [1 element] : int[int64_t]', '  [5] = 1 : int']);
  assert.deepEqual(scope(rt, 'Clause-local'), ['this->doubled = 10 : int64_t']);
  assert.deepEqual(scope(rt, 'Aggregations'), [
    '@sizes = quantize() [1 key] : quantize',
    '  [] = 3 values : quantize',
    '    1 = 1',
    '    2 = 1',
    '    4 = 1',
    '@total = sum() [2 keys] : sum',
    '  [700] = 16 : sum',
    '  [701] = 16 : sum',
  ]);
});

test('evaluate reads the paused state and leaves it as it was', async () => {
  const { rt } = await launch(SCRIPT);
  rt.setBreakpoints([{ line: 8 }]);
  await rt.continue();
  await rt.continue();
  const before = scope(rt, 'Globals').join('\n');
  assert.deepEqual(rt.evaluate('fds["cat"] + this->doubled'), { ok: true, value: { name: 'fds["cat"] + this->doubled', value: '7', type: 'int64_t' } });
  assert.deepEqual(rt.evaluate('strjoin(last, "!")'), { ok: true, value: { name: 'strjoin(last, "!")', value: '"sh!"', type: 'string' } });
  assert.deepEqual(rt.evaluate('fds["nobody"]'), { ok: true, value: { name: 'fds["nobody"]', value: '0', type: 'int64_t' } });
  assert.deepEqual(rt.evaluate('fds["cat"] = 9'), { ok: false, message: 'the expression changes state (an assignment): only side-effect-free expressions are evaluated' });
  assert.deepEqual(rt.evaluate('nosuchfn(1)'), { ok: false, message: 'undefined function name: nosuchfn' });
  assert.equal(scope(rt, 'Globals').join('\n'), before);
});

test("the disassembly lists the clause's DIF with the statement each object comes from", async () => {
  const { rt } = await launch(SCRIPT);
  const lines = rt.disassemble(0);
  assert.ok(lines.length > 10);
  assert.deepEqual(lines[0], { address: 0, text: lines[0]!.text, spot: { line: 3, column: 2, endLine: 3, endColumn: 27 } });
  assert.match(lines[0]!.text, /^EPID 1 action #1 00: [0-9a-f]{8} {4}\S/);
});

test('stepping by instruction: registers, branches, and a store seen as it happens', async () => {
  const { rt } = await launch(); // the stepping tests' script: clause 1 is /arg0 > 2/ { n++; ... }
  assert.deepEqual(
    rt.disassemble(1).slice(0, 4).map((l) => l.text.replace(/\t.*$/, '')),
    ['EPID 2 predicate 00: 29010601    ldgs DT_VAR(262), %r1', 'EPID 2 predicate 01: 25000002    setx DT_INTEGER[0], %r2', 'EPID 2 predicate 02: 0f010200    cmp  %r1, %r2', 'EPID 2 predicate 03: 14000006    bg   6'],
  );
  await rt.gotoFiring!(2); // read(3): the predicate is true
  await rt.stepIn();
  const seen: string[] = [];
  for (let i = 0; i < 12; i++) {
    await rt.stepInstruction();
    const loc = rt.location()!;
    const regs = rt.variables('Registers').map((v) => v.value.split(' ')[0]);
    seen.push(`${loc.statement}@${loc.instruction} pc=${regs[0]} r1=${regs[2]} r2=${regs[3]} n=${rt.variables('Globals')[0]!.value}`);
  }
  assert.deepEqual(seen, [
    '-1@0 pc=0 r1=0 r2=0 n=0',
    '-1@1 pc=1 r1=3 r2=0 n=0',
    '-1@2 pc=2 r1=3 r2=2 n=0',
    '-1@3 pc=3 r1=3 r2=2 n=0',
    '-1@6 pc=6 r1=3 r2=2 n=0', // bg taken: 3 > 2
    '-1@7 pc=7 r1=1 r2=2 n=0',
    '-1@8 pc=8 r1=1 r2=2 n=0',
    '0@9 pc=0 r1=0 r2=0 n=0', // n++: its own object, from its first instruction
    '0@10 pc=1 r1=0 r2=0 n=0',
    '0@11 pc=2 r1=0 r2=1 n=0',
    '0@12 pc=3 r1=0 r2=1 n=0',
    '0@13 pc=4 r1=0 r2=1 n=1', // after stgs
  ]);
  // Any other step continues from the untouched run: n++ runs once.
  await rt.next();
  assert.equal(rt.location()!.statement, 1);
  assert.equal(rt.location()!.instruction, undefined);
  assert.deepEqual(rt.scopes(), ['Probe', 'Clause-local', 'Thread-local', 'Globals', 'Aggregations']);
  assert.equal(rt.variables('Globals')[0]!.value, '1');
});
