// The debug runtime over each kind of firings source: a synthetic workload (same output as
// dtvm --workload), a command captured live with strace (its firings kept, so stepping back
// works on a live capture too), and a capture abandoned in the middle.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { DebugRuntime, OutputEvent } from '../../server/src/debug/runtime/api';
import { createDebugRuntime } from '../../server/src/debug/runtime/index';
import { dtvm } from '../support/runDtvm';

const WORKLOAD = join(__dirname, '..', 'fixtures', 'workloads', 'tiny.json');

function script(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'dtvm-debug-src-')), 'script.d');
  writeFileSync(file, text);
  return file;
}

async function start(program: string, source: Parameters<DebugRuntime['launch']>[0]['source']): Promise<{ rt: DebugRuntime; output: OutputEvent[]; ended: number[] }> {
  const rt = createDebugRuntime();
  const output: OutputEvent[] = [];
  const ended: number[] = [];
  const r = await rt.launch({ program, source }, { stopped: () => undefined, output: (e) => output.push(e), ended: (s) => ended.push(s) });
  assert.equal(r.ok, true, JSON.stringify(r.problems));
  return { rt, output, ended };
}

test('a workload runs as dtvm --workload runs it', async () => {
  const program = script('#pragma D option quiet\nsyscall::read:entry\n{\n\t@[execname] = count();\n}\n');
  const expected = await dtvm(['-s', program, '--workload', WORKLOAD]);
  assert.equal(expected.status, 0, expected.stderr);
  const { rt, output, ended } = await start(program, { kind: 'workload', file: WORKLOAD });
  await rt.continue();
  assert.deepEqual(ended, [0]);
  assert.equal(output.map((o) => o.text).join(''), expected.stdout);
  assert.equal(expected.stdout, '\n  sh                                                                9\n  cat                                                              33\n');
});

test('a live capture with strace: step forward, step back over the kept firings, run to the end', { timeout: 60000 }, async () => {
  const program = script('#pragma D option quiet\nsyscall::write:entry\n/execname == "echo"/\n{\n\tprintf("%s wrote %d bytes\\n", execname, arg2);\n}\n');
  const { rt, output, ended } = await start(program, { kind: 'command', command: '/bin/echo hello' });
  rt.setBreakpoints([{ line: 4 }]);
  await rt.continue();
  const at = rt.location()!;
  assert.equal(at.firing.execname, 'echo');
  assert.equal(at.firing.probe.endsWith(':write:entry'), true);
  const args = rt.variables('Probe').find((v) => v.name === 'args')!.children!();
  assert.equal(args[2]!.value, '6');
  await rt.stepBack();
  await rt.next();
  assert.deepEqual(rt.location(), at);
  rt.setBreakpoints([]);
  await rt.continue();
  // The blank line ends the run, as dtvm prints it.
  assert.deepEqual(output.map((o) => o.text), ['echo wrote 6 bytes\n', '\n']);
  assert.deepEqual(ended, [0]);
});

test('abandoning a live capture ends the command the runtime started', { timeout: 60000 }, async () => {
  const program = script('syscall::nanosleep:entry,syscall::clock_nanosleep:entry\n{\n\ttrace(pid);\n}\n');
  const { rt } = await start(program, { kind: 'command', command: '/bin/sleep 30' });
  const t = Date.now();
  await rt.stop(true);
  assert.ok(Date.now() - t < 10000, 'stop(true) returns without waiting for the command');
});
