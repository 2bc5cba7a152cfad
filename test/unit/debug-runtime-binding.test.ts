// Breakpoints as the user sets them: where they bind (the column of an inline breakpoint),
// which cannot bind (ERROR clauses), hit counts that follow the position going back and forth,
// logpoints that print what the script's own printf() would and never change the run, and
// watch expressions that cannot change it either.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { launch } from '../support/debugRuntime';

test('an inline breakpoint binds to the statement at its column', async () => {
  const script = `syscall::read:entry { a = 1; b = 2; }\n`;
  const { rt } = await launch(script);
  const col = script.indexOf('b = 2') + 1;
  const [r] = rt.setBreakpoints([{ line: 1, column: col }]);
  assert.equal(r!.verified, true);
  assert.deepEqual(r!.spot, { line: 1, column: col, endLine: 1, endColumn: col + 'b = 2;'.length });
  const [first] = rt.setBreakpoints([{ line: 1, column: script.indexOf('a = 1') + 1 }]);
  assert.equal(first!.spot?.column, script.indexOf('a = 1') + 1);
  const [line] = rt.setBreakpoints([{ line: 1 }]);
  assert.equal(line!.spot?.column, script.indexOf('a = 1') + 1, 'without a column: the first statement of the line');
  rt.setBreakpoints([{ line: 1, column: col }]);
  await rt.continue();
  assert.deepEqual(rt.location()?.spot, r!.spot, 'it stops at b = 2');
  assert.equal(rt.evaluate('a').ok && (rt.evaluate('a') as { value: { value: string } }).value.value, '1');
});

test('a breakpoint in a dtrace:::ERROR clause is not verified, and says why', async () => {
  const script = `#pragma D option quiet
syscall::read:entry
/arg0 == 99/
{
	trace(*(int *)0);
}
dtrace:::ERROR
{
	printf("error handler\\n");
}
`;
  const { rt } = await launch(script);
  const [r] = rt.setBreakpoints([{ line: 9 }]);
  assert.equal(r!.verified, false);
  assert.equal(r!.message, 'ERROR clauses run inside the faulting firing; the debugger cannot stop in them');
  const [clause] = rt.setBreakpoints([{ line: 7 }]);
  assert.equal(clause!.verified, false);
});

test('hit counts follow the position: reverse-continue stops at the same hit, forward again goes on', async () => {
  const script = `#pragma D option quiet
syscall::read:entry
{
	printf("fd %d\\n", arg0);
}
END
{
	printf("end\\n");
}
`;
  const h = await launch(script);
  const { rt } = h;
  rt.setBreakpoints([{ line: 4, hitCondition: '== 2' }, { line: 8 }]);
  await rt.continue();
  assert.deepEqual(h.stops.at(-1), { reason: 'breakpoint', breakpoints: [0] });
  const second = rt.location()!.firing.index;
  assert.equal(rt.location()!.firing.probe, 'syscall:linux:read:entry');
  assert.deepEqual(rt.evaluate('arg0').ok && (rt.evaluate('arg0') as { value: { value: string } }).value.value, '3');
  await rt.continue();
  assert.equal(rt.location()?.firing.probe, 'dtrace:::END');
  await rt.reverseContinue();
  assert.deepEqual(h.stops.at(-1), { reason: 'breakpoint', breakpoints: [0] });
  assert.equal(rt.location()?.firing.index, second, 'the second hit again');
  await rt.continue();
  assert.equal(rt.location()?.firing.probe, 'dtrace:::END', 'hits 3 and 4 do not stop');
  assert.deepEqual(h.stops.at(-1), { reason: 'breakpoint', breakpoints: [1] });
  // Stepping back before the second hit and running forward hits it again.
  await rt.gotoFiring!(1);
  await rt.continue();
  assert.equal(rt.location()?.firing.index, second);
});

test('a logpoint prints what the same printf() in the script prints', async () => {
  const fmt = `%d|%x|%+d|%s|%c|%u|%Y|%5.2s|%-4d|%lld|%hd|`;
  const args = `(char)300, (int)-1, arg0, execname, 65, (int)-1, walltimestamp, execname, arg0, arg0, (short)arg0`;
  const script = `#pragma D option quiet
syscall::read:entry
{
	printf("script: ${fmt}\\n", ${args});
}
`;
  const h = await launch(script);
  const [r] = h.rt.setBreakpoints([{ line: 4, logMessage: `"script: ${fmt}\\n", ${args}` }]);
  assert.equal(r!.verified, true, r!.message);
  await h.rt.continue();
  const texts = h.output.map((o) => o.text);
  // Each firing: the logpoint's line (before the statement runs), then the script's; then the end's newline.
  assert.equal(texts.length, 9);
  for (let i = 0; i < 8; i += 2) assert.equal(texts[i], texts[i + 1]);
  assert.match(texts[0]!, /^script: 44\|ffffffff\|\+1\|cat\|A\|4294967295\|\d{4} \w{3} +\d+ \d\d:\d\d:\d\d\| {3}ca\|1 {3}\|1\|1\|\n$/);
});

test('a logpoint that would change state is refused, and the run is unchanged', async () => {
  const script = `#pragma D option quiet
syscall::read:entry
{
	n++;
}
END { printf("n=%d\\n", n); }
`;
  const plain = await launch(script);
  await plain.rt.continue();
  const expected = plain.output.map((o) => o.text).join('');
  assert.equal(expected, 'n=4\n\n');
  for (const message of [`"log %d\\n", n++`, `"x\\n"); n = n + 100; printf("y`, `"%d\\n", speculation()`, `"%d\\n", self->x = 3`]) {
    const h = await launch(script);
    const [r] = h.rt.setBreakpoints([{ line: 4, logMessage: message }]);
    assert.equal(r!.verified, false, message);
    assert.match(r!.message!, /^log message: /);
    await h.rt.continue();
    assert.equal(h.output.map((o) => o.text).join(''), expected, message);
  }
});

test('watch expressions and conditions cannot take a speculation (or change strtok\'s state)', async () => {
  const script = `#pragma D option quiet
syscall::read:entry
{
	self->s = speculation();
	speculate(self->s);
	printf("spec %d fd %d\\n", self->s, arg0);
}
syscall::read:entry
{
	commit(self->s);
}
`;
  const plain = await launch(script);
  plain.rt.setBreakpoints([{ line: 4 }]);
  await plain.rt.continue();
  plain.rt.setBreakpoints([]);
  await plain.rt.continue();
  const expected = plain.output.map((o) => o.text).join('');

  const h = await launch(script);
  h.rt.setBreakpoints([{ line: 4 }]);
  await h.rt.continue();
  for (const e of ['speculation()', 'speculation() + 1', 'strtok("a b", " ")']) {
    const r = h.rt.evaluate(e);
    assert.equal(r.ok, false, e);
    assert.match((r as { message: string }).message, /changes state \(a call of (speculation|strtok)\(\)\)/);
  }
  const [cond] = h.rt.setBreakpoints([{ line: 4, condition: 'speculation() > 0' }]);
  assert.equal(cond!.verified, false);
  h.rt.setBreakpoints([]);
  await h.rt.continue();
  assert.equal(h.output.map((o) => o.text).join(''), expected);
});
