// Associative arrays keep keys apart whatever bytes their strings hold (the key encoding once
// let `("a|sb", "c")` and `("a", "b|sc")` share a slot), and the debugger reads the keys back
// exactly.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dtvm } from '../support/runDtvm';
import { launch } from '../support/debugRuntime';

test('string keys holding the separator stay distinct keys', async () => {
  const r = await dtvm(['-q', '-n', 'BEGIN { a["a|sb", "c"] = 1; a["a", "b|sc"] = 2; a["x:1", "|i5"] = 3; printf("%d %d %d\\n", a["a|sb", "c"], a["a", "b|sc"], a["x:1", "|i5"]); exit(0); }']);
  assert.deepEqual(r, { status: 0, stdout: '1 2 3\n\n', stderr: '' });
});

test('the debugger shows each key as it was written', async () => {
  const h = await launch('BEGIN { a["a|sb", 7] = 1; a["b|sc:2", 8] = 2; }\nsyscall::read:entry { }\n');
  await h.rt.gotoFiring!(1);
  const a = h.rt.variables('Globals').find((v) => v.name === 'a');
  assert.ok(a, 'a is listed');
  const keys = a.children!().map((c) => `${c.name} = ${c.value}`);
  assert.deepEqual(keys, ['["a|sb", 7] = 1', '["b|sc:2", 8] = 2']);
  await h.rt.stop(true);
});
