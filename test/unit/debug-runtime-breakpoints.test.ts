// Breakpoints of every kind through the debug runtime, over the stepping test's trace (reads of
// fds 1, 3, 5, 99): where each binds, when it stops, conditions, hit counts, logpoints,
// probe-description breakpoints, fault and drop exceptions, and reverse-continue.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { launch } from '../support/debugRuntime';

test('breakpoints bind to the clause, its predicate or a statement; outside clauses they do not', async () => {
  const { rt } = await launch();
  const r = rt.setBreakpoints([{ line: 7 }, { line: 8 }, { line: 11 }, { line: 6 }, { line: 1 }]);
  assert.deepEqual(r, [
    { verified: true, spot: { line: 7, column: 1, endLine: 14, endColumn: 2 } },
    { verified: true, spot: { line: 8, column: 2, endLine: 8, endColumn: 10 } },
    { verified: true, spot: { line: 11, column: 2, endLine: 11, endColumn: 18 } },
    { verified: false, message: 'not inside a clause' },
    { verified: false, message: 'not inside a clause' },
  ]);
});

test('a clause breakpoint stops when the predicate passes; a predicate breakpoint at every evaluation', async () => {
  const h = await launch();
  h.rt.setBreakpoints([{ line: 7 }]);
  await h.rt.continue();
  assert.deepEqual(h.stops.at(-1), { reason: 'breakpoint', breakpoints: [0] });
  let loc = h.rt.location()!;
  assert.equal(loc.firing.index, 2); // fd 1 does not pass /arg0 > 2/
  assert.equal(loc.statement, 0);
  h.rt.setBreakpoints([{ line: 8 }]);
  await h.rt.continue();
  loc = h.rt.location()!;
  assert.equal(loc.firing.index, 3);
  assert.equal(loc.statement, -1);
  assert.deepEqual(h.rt.evaluate('arg0 > 2'), { ok: true, value: { name: 'arg0 > 2', value: '1', type: 'int' } });
});

test('a statement breakpoint with a condition and a hit count', async () => {
  const h = await launch();
  h.rt.setBreakpoints([{ line: 11, condition: 'arg0 >= 5' }]);
  await h.rt.continue();
  assert.equal(h.rt.location()!.firing.index, 3);
  assert.equal(h.rt.location()!.spot?.line, 11);
  await h.rt.continue();
  assert.equal(h.rt.location()!.firing.index, 4);
  await h.rt.continue();
  assert.deepEqual(h.ended, [0]);

  const g = await launch();
  g.rt.setBreakpoints([{ line: 10, hitCondition: '== 2' }]);
  await g.rt.continue();
  assert.equal(g.rt.location()!.firing.index, 3);
  assert.deepEqual(g.rt.variables('Globals').map((v) => `${v.name}=${v.value}`), ['n=1']);
});

test('a condition that does not compile is reported when set', async () => {
  const { rt } = await launch();
  const [r] = rt.setBreakpoints([{ line: 10, condition: 'arg0 >' }]);
  assert.equal(r!.verified, false);
  assert.equal(r!.message, 'condition: syntax error near ">"');
});

test('a logpoint prints its printf() at each hit instead of stopping', async () => {
  const h = await launch();
  h.rt.setBreakpoints([{ line: 13, logMessage: '"fd=%d pid=%d %s", arg0, pid, execname' }]);
  await h.rt.continue();
  assert.deepEqual(h.stops, []);
  const logs = h.output.filter((o) => o.text.startsWith('fd='));
  assert.deepEqual(logs.map((o) => [o.firing, o.text, o.spot?.line]), [
    [2, 'fd=3 pid=701 sh\n', 13],
    [3, 'fd=5 pid=702 cat\n', 13],
    [4, 'fd=99 pid=703 sh\n', 13],
  ]);
});

test('function breakpoints stop at firings of matching probes', async () => {
  const h = await launch();
  assert.deepEqual(h.rt.setFunctionBreakpoints(['syscall::read:entry', 'a:b:c:d:e']), [{ verified: true }, { verified: false, message: 'invalid probe description "a:b:c:d:e"' }]);
  await h.rt.continue();
  assert.deepEqual(h.stops.at(-1), { reason: 'function breakpoint', breakpoints: [0] });
  assert.equal(h.rt.location()!.firing.index, 1);
  h.rt.setFunctionBreakpoints(['dtrace:::E*']);
  await h.rt.continue();
  assert.equal(h.rt.location()!.firing.probe, 'dtrace:::END');
});

test('the fault exception stops at the faulting statement with the fault text', async () => {
  const h = await launch();
  h.rt.setExceptionBreakpoints(['fault']);
  await h.rt.continue();
  assert.deepEqual(h.stops.at(-1), {
    reason: 'fault',
    text: 'dtrace: error on enabled probe ID 3 (ID 24: syscall:linux:read:entry): invalid address (0x0) in action #1 at DIF offset 16',
  });
  const loc = h.rt.location()!;
  assert.equal(loc.firing.index, 4);
  assert.equal(loc.clause?.index, 2);
  assert.deepEqual(loc.spot, { line: 19, column: 2, endLine: 19, endColumn: 19 });
});

test('the drop exception stops at the firing whose records were dropped', async () => {
  const h = await launch(undefined, { options: ['bufsize=8'] });
  h.rt.setExceptionBreakpoints(['drop']);
  await h.rt.continue();
  const stop = h.stops.at(-1)!;
  assert.equal(stop.reason, 'drop');
  assert.match(stop.text!, /^\d+ drops? on CPU 0$/);
});

for (const checkpointInterval of [undefined, 1, 2]) {
  test(`reverse-continue goes back to the previous breakpoint hit, restoring its state (checkpoints every ${checkpointInterval ?? 'default'})`, async () => {
    await reverseContinue(checkpointInterval);
  });
}

async function reverseContinue(checkpointInterval: number | undefined): Promise<void> {
  const h = await launch(undefined, checkpointInterval !== undefined ? { checkpointInterval } : {});
  h.rt.setBreakpoints([{ line: 11 }]);
  await h.rt.continue();
  await h.rt.continue();
  assert.equal(h.rt.location()!.firing.index, 3);
  await h.rt.continue(); // firing 4
  assert.deepEqual(h.rt.variables('Globals').map((v) => v.value), ['3']);
  await h.rt.reverseContinue();
  assert.deepEqual(h.stops.at(-1), { reason: 'breakpoint', breakpoints: [0] });
  assert.equal(h.rt.location()!.firing.index, 3);
  assert.deepEqual(h.rt.variables('Globals').map((v) => v.value), ['2']);
  await h.rt.reverseContinue();
  await h.rt.reverseContinue(); // nothing earlier: back at the start
  assert.deepEqual(h.stops.at(-1), { reason: 'entry' });
  assert.equal(h.rt.location()!.firing.index, 0);
}

test('stop() runs END and prints the aggregations, as Ctrl-C does', async () => {
  const h = await launch();
  await h.rt.gotoFiring!(3);
  await h.rt.stop();
  assert.deepEqual(h.ended, [0]);
  // The firing in progress completes; the newline is dtrace's after ^C.
  assert.deepEqual(h.output.map((o) => o.text), [
    'read 3\n',
    '\n',
    'read 5\n',
    'total 2\n',
    '\n',
    '  cat                                                               1\n  sh                                                                1\n',
  ]);
});

test('the panel state read when the stop is reported says stopped, at the stop firing', async () => {
  const h = await launch();
  const seen: { running: boolean; current: number | undefined }[] = [];
  const report = h.stops.push.bind(h.stops);
  h.stops.push = (...e) => {
    const s = h.rt.panelState!();
    seen.push({ running: s.running, current: s.current });
    return report(...e);
  };
  h.rt.setBreakpoints([{ line: 7 }]);
  await h.rt.continue();
  assert.deepEqual(seen.at(-1), { running: false, current: 2 });
});
