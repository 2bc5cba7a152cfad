// Going backwards re-executes firings already run: what they did outside the VM (system()'s
// commands, freopen()'s file) must not happen again, and a run restored inside END must go on
// from END, not fire it a second time.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { launch } from '../support/debugRuntime';

const lines = (file: string): string[] => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l !== '') : []);

test('stepping back and reverse-continue do not run system() again; its output is replayed', async () => {
  const probe = await launch('BEGIN {}\n');
  const log = join(dirname(probe.program), 'system.log');
  await probe.rt.stop(true);
  const script = `#pragma D option quiet
syscall::read:entry { system("echo out-%d; echo ran-%d >> ${log}", arg0, arg0); }
END { printf("end\\n"); }
`;
  const h = await launch(script, { destructive: true });
  const rt = h.rt;
  assert.deepEqual(rt.setBreakpoints([{ line: 3 }]).map((b) => b.verified), [true]);
  await rt.continue();
  assert.equal(rt.location()?.firing.probe, 'dtrace:::END');
  assert.deepEqual(lines(log), ['ran-1', 'ran-3', 'ran-5', 'ran-99']);
  const printed = rt.panelState!().output.map((o) => o.text).join('');
  assert.equal(printed, 'out-1\nout-3\nout-5\nout-99\n');
  for (let i = 0; i < 3; i++) await rt.stepBack();
  const at = rt.location()!.firing.index;
  assert.equal(rt.location()?.firing.probe, 'syscall:linux:read:entry');
  assert.deepEqual(lines(log), ['ran-1', 'ran-3', 'ran-5', 'ran-99'], 'step back ran no command');
  // The state shown after stepping back still has the earlier firings' command output, replayed
  // (firing 0 is BEGIN).
  assert.equal(rt.panelState!().output.map((o) => o.text).join(''), [1, 3, 5, 99].slice(0, at - 1).map((fd) => `out-${fd}\n`).join(''));
  await rt.reverseContinue();
  assert.deepEqual(lines(log), ['ran-1', 'ran-3', 'ran-5', 'ran-99'], 'reverse-continue ran no command');
  rt.setBreakpoints([]);
  await rt.continue();
  assert.deepEqual(h.ended, [0]);
  assert.deepEqual(lines(log), ['ran-1', 'ran-3', 'ran-5', 'ran-99'], 'running forward again over the same firings ran no command');
  assert.equal(h.output.map((o) => o.text).join(''), 'out-1\nout-3\nout-5\nout-99\nend\n\n');
});

test('freopen() and the output it redirects touch the file once, however often the firings re-execute', async () => {
  const probe = await launch('BEGIN {}\n');
  const file = join(dirname(probe.program), 'redirected.txt');
  await probe.rt.stop(true);
  const script = `#pragma D option quiet
syscall::read:entry /arg0 == 3/ { freopen("${file}"); }
syscall::read:entry { printf("fd %d\\n", arg0); }
END { freopen(""); printf("end\\n"); }
`;
  const h = await launch(script, { destructive: true, checkpointInterval: 2 });
  const rt = h.rt;
  rt.setBreakpoints([{ line: 4 }]);
  await rt.continue();
  assert.equal(rt.location()?.firing.probe, 'dtrace:::END');
  assert.deepEqual(lines(file), ['fd 3', 'fd 5', 'fd 99']);
  for (let i = 0; i < 4; i++) await rt.stepBack();
  await rt.reverseContinue();
  await rt.stepInstruction();
  await rt.stepInstruction();
  rt.setBreakpoints([]);
  await rt.continue();
  assert.deepEqual(h.ended, [0]);
  assert.deepEqual(lines(file), ['fd 3', 'fd 5', 'fd 99'], 'no line appended twice');
  assert.equal(h.output.map((o) => o.text).join(''), 'fd 1\nend\n\n');
});

const END_SCRIPT = `#pragma D option quiet
BEGIN { n = 0; }
syscall::read:entry { n++; }
END { printf("total %d\\n", n); @a["x"] = count(); }
`;

test('stepping back into END and continuing fires END once: the output is an uninterrupted run\'s', async () => {
  const plain = await launch(END_SCRIPT);
  await plain.rt.continue();
  const expected = plain.output.map((o) => o.text).join('');
  assert.match(expected, /^total 4\n\n {2}x +1\n$/);

  for (const checkpointInterval of [undefined, 1]) {
    const h = await launch(END_SCRIPT, checkpointInterval ? { checkpointInterval } : {});
    const rt = h.rt;
    await rt.continue();
    assert.deepEqual(h.ended, [0]);
    await rt.stepBack(); // END's last statement
    await rt.stepBack(); // END's first statement
    assert.equal(rt.location()?.firing.probe, 'dtrace:::END');
    assert.equal(rt.location()?.statement, 0);
    await rt.continue();
    assert.equal(rt.panelState!().output.map((o) => o.text).join(''), expected, `checkpointInterval ${checkpointInterval}: the run's whole output`);
    assert.equal(h.output.map((o) => o.text).join(''), expected, 'the debug console got each line once');
    // Again, from a checkpoint taken at END's start (the one stepping back leaves nearby).
    await rt.stepBack();
    await rt.stepBack();
    await rt.continue();
    assert.equal(rt.panelState!().output.map((o) => o.text).join(''), expected);
  }
});
