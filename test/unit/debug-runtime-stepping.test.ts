// The debug runtime driven as the adapter drives it: launch over a small trace, step forward
// and back across firings, and compare exact variable values and whole state dumps.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { DebugRuntime } from '../../server/src/debug/runtime/api';
import { createDebugRuntime } from '../../server/src/debug/runtime/index';
import { dtvm } from '../support/runDtvm';
import { dump, launch } from '../support/debugRuntime';

function value(rt: DebugRuntime, scope: Parameters<DebugRuntime['variables']>[0], name: string): string | undefined {
  return rt.variables(scope).find((v) => v.name === name)?.value;
}

test('launch stops before BEGIN; next walks statements, then clauses, then firings', async () => {
  const { rt } = await launch();
  let loc = rt.location()!;
  assert.equal(loc.firing.index, 0);
  assert.equal(loc.firing.probe, 'dtrace:::BEGIN');
  assert.equal(loc.clause, undefined);
  await rt.stepIn();
  loc = rt.location()!;
  assert.equal(loc.clause?.index, 0);
  assert.deepEqual(loc.spot, { line: 4, column: 2, endLine: 4, endColumn: 8 });
  await rt.next(); // past BEGIN's only statement: the next firing (read fd 1)
  loc = rt.location()!;
  assert.equal(loc.firing.index, 1);
  assert.equal(loc.firing.probe, 'syscall:linux:read:entry');
  assert.equal(loc.firing.pid, 700);
  await rt.stepIn(); // the first clause's predicate
  loc = rt.location()!;
  assert.equal(loc.clause?.index, 1);
  assert.equal(loc.statement, -1);
  assert.equal(loc.spot?.line, 8);
  await rt.next(); // arg0 > 2 is false for fd 1; the second clause's predicate
  loc = rt.location()!;
  assert.equal(loc.clause?.index, 2);
  assert.equal(loc.statement, -1);
  await rt.next(); // false again: the next firing (fd 3)
  loc = rt.location()!;
  assert.equal(loc.firing.index, 2);
  assert.equal(rt.variables('Probe').find((v) => v.name === 'arg0')?.value, '3');
  await rt.stepIn(); // predicate
  await rt.next(); // n++
  assert.equal(rt.location()!.statement, 0);
  assert.equal(rt.location()!.spot?.line, 10);
  assert.equal(value(rt, 'Globals', 'n'), '0');
  await rt.next(); // self->fd = arg0
  assert.equal(value(rt, 'Globals', 'n'), '1');
  assert.equal(value(rt, 'Thread-local', 'self->fd'), '0');
  await rt.next(); // @reads
  assert.equal(value(rt, 'Thread-local', 'self->fd'), '3');
  await rt.next(); // printf
  const agg = rt.variables('Aggregations').find((v) => v.name === '@reads')!;
  assert.equal(agg.value, 'count() [1 key]');
  assert.deepEqual(agg.children!().map((c) => [c.name, c.value]), [['[sh]', '1']]);
});

test('output is attributed to the firing that produced it, and is what dtvm prints', async () => {
  const h = await launch();
  await h.rt.continue();
  assert.deepEqual(h.ended, [0]);
  const out = h.output.map((o) => [o.firing, o.stream, o.text]);
  assert.deepEqual(out, [
    [2, 'stdout', 'read 3\n'],
    [3, 'stdout', 'read 5\n'],
    [4, 'stdout', 'read 99\n'],
    [4, 'stderr', 'dtrace: error on enabled probe ID 3 (ID 24: syscall:linux:read:entry): invalid address (0x0) in action #1 at DIF offset 16\n'],
    [5, 'stdout', 'total 3\n'],
    [undefined, 'stdout', '\n'],
    [undefined, 'stdout', '  cat                                                               1\n  sh                                                                2\n'],
  ]);
});

for (const checkpointInterval of [undefined, 1, 2]) {
  test(`step back restores the state exactly; stepping forward again gives the same dumps (checkpoints every ${checkpointInterval ?? 'default'})`, async () => {
    await stepBackAndForth(checkpointInterval);
  });
}

async function stepBackAndForth(checkpointInterval: number | undefined): Promise<void> {
  const { rt } = await launch(undefined, checkpointInterval !== undefined ? { checkpointInterval } : {});
  const forward: string[] = [dump(rt)];
  for (let i = 0; i < 14; i++) {
    await rt.stepIn();
    forward.push(dump(rt));
  }
  // Back one stop at a time: each dump is the one the forward walk saw there.
  for (let i = forward.length - 2; i >= 0; i--) {
    await rt.stepBack();
    assert.equal(dump(rt), forward[i], `step back to stop ${i}`);
  }
  for (let i = 1; i < forward.length; i++) {
    await rt.stepIn();
    assert.equal(dump(rt), forward[i], `step forward again to stop ${i}`);
  }
}

test('a run restored from a checkpoint ends as the uninterrupted run does', async () => {
  const plain = await launch();
  await plain.rt.continue();
  const h = await launch(undefined, { checkpointInterval: 1 });
  await h.rt.gotoFiring!(4);
  await h.rt.gotoFiring!(2); // back: restored from the checkpoint at firing 2
  await h.rt.continue();
  assert.deepEqual(h.output, plain.output);
  assert.deepEqual(h.ended, plain.ended);
});

test('stepping back does not repeat output already shown', async () => {
  const h = await launch();
  await h.rt.gotoFiring!(3);
  const shown = h.output.length;
  assert.deepEqual(h.output.map((o) => o.text), ['read 3\n']);
  await h.rt.stepBack();
  await h.rt.stepBack();
  assert.equal(h.output.length, shown);
  await h.rt.stepOut();
  await h.rt.stepOut();
  assert.deepEqual(h.output.map((o) => o.text), ['read 3\n', 'read 5\n']);
});

test('with no firings source, BEGIN and tick-N fire on the virtual clock until exit()', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dtvm-debug-none-'));
  const program = join(dir, 'ticks.d');
  writeFileSync(program, '#pragma D option quiet\ntick-1sec\n/++i == 3/\n{\n\tprintf("%d ticks\\n", i);\n\texit(0);\n}\n');
  const rt = createDebugRuntime();
  const output: string[] = [];
  const ended: number[] = [];
  const r = await rt.launch({ program, source: { kind: 'none' } }, { stopped: () => undefined, output: (e) => output.push(e.text), ended: (s) => ended.push(s) });
  assert.equal(r.ok, true);
  // BEGIN (firing 0) runs no clause, so the first stop is the first tick.
  assert.equal(rt.location()!.firing.probe, 'profile:::tick-1sec');
  assert.equal(rt.location()!.firing.index, 1);
  await rt.next();
  await rt.next();
  assert.equal(rt.location()!.firing.index, 3);
  assert.equal(rt.location()!.firing.timestamp, 3_000_000_000n);
  await rt.continue();
  assert.deepEqual(output, ['3 ticks\n', '\n']); // byte for byte what dtvm prints
  assert.deepEqual(ended, [0]);
});

test('a script that does not compile reports the error at its line and column', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dtvm-debug-bad-'));
  const program = join(dir, 'bad.d');
  writeFileSync(program, 'BEGIN\n{\n\tx = ;\n}\n');
  const r = await createDebugRuntime().launch({ program, source: { kind: 'none' } }, { stopped: () => undefined, output: () => undefined, ended: () => undefined });
  assert.deepEqual(r, { ok: false, problems: [{ severity: 'error', code: 'D_SYNTAX', message: 'syntax error near ";"', line: 3, column: 6 }] });
});

test('setopt() in a run does not leak into the re-executions that step back', async () => {
  const script = 'BEGIN\n{\n\tsetopt("quiet");\n}\n\nsyscall::read:entry\n{\n\ttrace(arg0);\n}\n';
  const plain = await launch(script);
  await plain.rt.continue();
  const h = await launch(script);
  await h.rt.gotoFiring!(3);
  await h.rt.gotoFiring!(1); // back: re-executed from the start, setopt() again on fresh options
  await h.rt.continue();
  assert.deepEqual(h.output, plain.output);
  const expected = await dtvm(['-s', plain.program, '--trace', plain.trace]);
  assert.equal(plain.output.filter((o) => o.stream === 'stdout').map((o) => o.text).join(''), expected.stdout);
});
