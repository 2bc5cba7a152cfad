// Running and control requests as the extension host sees them: a long run leaves the event
// loop its turns (timers fire, pause gets through at once), and one operation runs at a time
// (a step or a move from the trace panel while the script runs replaces the run, which then
// neither prints nor ends behind the user's back).
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { DebugRuntime, OutputEvent, StopEvent } from '../../server/src/debug/runtime/api';
import { createDebugRuntime } from '../../server/src/debug/runtime/index';

/** A run that never ends by itself: a tick probe on the virtual clock, no source. */
const ENDLESS = `#pragma D option quiet
profile:::tick-1000hz
{
	n++;
}

profile:::tick-1000hz
/n % 1000 == 0/
{
	printf("n=%d\\n", n);
}
`;

interface Run {
  rt: DebugRuntime;
  stops: StopEvent[];
  output: OutputEvent[];
  ended: number[];
}

async function endless(): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'dtvm-control-'));
  const program = join(dir, 'endless.d');
  writeFileSync(program, ENDLESS);
  const r: Run = { rt: createDebugRuntime(), stops: [], output: [], ended: [] };
  const launched = await r.rt.launch({ program, source: { kind: 'none' } }, { stopped: (e) => r.stops.push(e), output: (e) => r.output.push(e), ended: (s) => r.ended.push(s) });
  assert.equal(launched.ok, true);
  return r;
}

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

test('continue leaves the event loop its turns: timers fire and pause stops the run at once', async () => {
  const { rt, stops } = await endless();
  let ticks = 0;
  const interval = setInterval(() => ticks++, 10);
  const t0 = performance.now();
  let pausedAt = 0;
  const pauser = setTimeout(() => {
    pausedAt = performance.now();
    rt.pause();
  }, 200);
  try {
    await rt.continue();
  } finally {
    clearInterval(interval);
    clearTimeout(pauser);
  }
  const stoppedAt = performance.now();
  assert.ok(pausedAt > 0, 'the pause timer fired while the script ran');
  assert.ok(stoppedAt - pausedAt < 100, `stopped ${Math.round(stoppedAt - pausedAt)} ms after pause()`);
  assert.ok(ticks >= 5, `a 10 ms interval fired ${ticks} times in ${Math.round(stoppedAt - t0)} ms`);
  assert.deepEqual(stops.map((s) => s.reason), ['pause']);
  assert.ok(rt.location()!.firing.index > 1000, 'the run got somewhere');
  await rt.stop(true);
});

test('moving to a firing (the trace panel) while running replaces the run: one stop, no output or end after it', async () => {
  const { rt, stops, output, ended } = await endless();
  const running = rt.continue();
  await sleep(100);
  await rt.gotoFiring!(10);
  await running;
  assert.deepEqual(stops.map((s) => s.reason), ['goto']);
  assert.equal(rt.location()?.firing.index, 10);
  const printed = output.length;
  await sleep(150);
  assert.equal(output.length, printed, 'the replaced run printed nothing more');
  assert.deepEqual(ended, []);
  assert.deepEqual(stops.map((s) => s.reason), ['goto']);
  assert.equal(rt.location()?.firing.index, 10, 'still where the user went');
  // And the run goes on from there as usual.
  await rt.stepIn();
  assert.equal(stops.at(-1)?.reason, 'step');
  assert.equal(rt.location()?.firing.index, 10);
  assert.equal(rt.location()?.clause?.index, 0);
  await rt.stop(true);
});

test('a step while running replaces the run; stop while running ends it once', async () => {
  const { rt, stops, ended } = await endless();
  const running = rt.continue();
  await sleep(60);
  await rt.stepOut();
  await running;
  assert.deepEqual(stops.map((s) => s.reason), ['step']);
  const at = rt.location()!.firing.index;
  await sleep(100);
  assert.equal(rt.location()!.firing.index, at);
  assert.equal(stops.length, 1);

  const again = rt.continue();
  await sleep(60);
  await rt.stop(false);
  await again;
  assert.deepEqual(ended, [0]);
  assert.deepEqual(stops.map((s) => s.reason), ['step'], 'the replaced continue reported nothing');
});

test('a step back while running replaces the run and lands before where the run was', async () => {
  const { rt, stops } = await endless();
  const running = rt.continue();
  await sleep(60);
  await rt.stepBack();
  await running;
  assert.deepEqual(stops.map((s) => s.reason), ['step']);
  const at = rt.location()!.firing.index;
  assert.ok(at > 0);
  await sleep(100);
  assert.equal(rt.location()!.firing.index, at, 'nothing runs behind the user');
  await rt.stop(true);
});

test('stop (as Ctrl-C) while a live capture waits for its next system call returns at once and END fires', { timeout: 60000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dtvm-control-live-'));
  const program = join(dir, 'live.d');
  writeFileSync(program, '#pragma D option quiet\nsyscall::nanosleep:entry,syscall::clock_nanosleep:entry\n{\n\tn++;\n}\nEND\n{\n\tprintf("end %d\\n", n);\n}\n');
  const output: OutputEvent[] = [];
  const ended: number[] = [];
  const rt = createDebugRuntime();
  const r = await rt.launch({ program, source: { kind: 'command', command: '/bin/sleep 40' } }, { stopped: () => undefined, output: (e) => output.push(e), ended: (s) => ended.push(s) });
  assert.equal(r.ok, true);
  const running = rt.continue();
  await sleep(1000);
  const t = performance.now();
  await rt.stop(false);
  await running;
  assert.ok(performance.now() - t < 3000, `stop took ${Math.round(performance.now() - t)} ms`);
  assert.deepEqual(ended, [0]);
  assert.match(output.map((o) => o.text).join(''), /end \d+\n/);
});
