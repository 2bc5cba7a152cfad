// Drop-free tuning hints: traces whose drops vanish at a hand-computed size or rate, searched
// by re-simulating the replay (server/src/tuning/).
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { openTraceFile } from '../../server/src/sources/traceFile';
import { CountingSink, dropHintsAfterRun, DropTally, findDropFreeSettings, hintText, replayPasses, type TuningResult } from '../../server/src/tuning';
import { createTraceWriter } from '../../server/src/trace';
import { runProgram } from '../../server/src/vm/engine';
import { compileD } from '../support/vmRun';

const dir = mkdtempSync(join(tmpdir(), 'dtvm-tuning-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const T0 = 5_000_000_000;
/** 1/128 s: 128 firings fill exactly one second. */
const TICK = 7_812_500;

/** A one-CPU trace of `n` read(2) entries, firing i at T0 + i * spacing with arg0 = i. */
async function readTrace(name: string, n: number, spacing: number): Promise<string> {
  const path = join(dir, name);
  const w = await createTraceWriter(path, {
    platform: 'illumos-amd64',
    ncpus: 1,
    timestamp: T0,
    walltimestamp: 1_700_000_000_000_000_000n,
    probes: [{ provider: 'syscall', module: '', function: 'read', name: 'entry', args: ['int', 'void *', 'size_t'] }],
  });
  for (let i = 0; i < n; i++) {
    await w.firing({ probe: 0, timestamp: T0 + i * spacing, cpu: 0, pid: 100, tid: 1, ppid: 1, uid: 0, gid: 0, execname: 'cat', args: [i, 0, 0] });
  }
  await w.close({ timestamp: T0 + n * spacing });
  return path;
}

/** Replays the trace once as the user would, then searches; returns the first run's drops too. */
async function tune(path: string, script: string, x: Record<string, string>, maxRuns?: number): Promise<{ first: CountingSink; result: TuningResult; passes: number }> {
  const { program, catalogue, options } = await compileD(script, x);
  let passes = 0;
  const open = replayPasses(() => ((passes++), openTraceFile(path)), program, catalogue);
  const run = { program, catalogue, destructive: false };
  const first = new CountingSink();
  const pass = await open();
  await runProgram({ ...run, ...pass.input, options, sink: first });
  await pass.close();
  const result = await findDropFreeSettings({ run, options, reopen: open, drops: first.tally.counts, ...(maxRuns !== undefined ? { maxRuns } : {}) });
  return { first, result, passes: passes - 1 };
}

describe('principal buffer drops', () => {
  // trace(arg0): a 12-byte header padded to 16 for the 8-byte value: 24 bytes a firing.
  // 128 firings in the first second need 3072 bytes; bufsize=1k holds 42 (1008 bytes).
  test('vanish at exactly bufsize=3k, or at switchrate=4hz', async () => {
    const path = await readTrace('buf128.ndjson', 128, TICK);
    const { first, result, passes } = await tune(path, 'syscall::read:entry { trace(arg0); }', { bufsize: '1k' });
    assert.deepEqual(first.tally.counts, { PRINCIPAL: 128 - 42 });
    // bufsize: 2k fails, 4k works; then 3k works, 2560 fails. switchrate: 2hz puts 65
    // firings in the first half second (fails), 4hz at most 33 (works), 3hz 43 (fails).
    assert.equal(passes, 7);
    assert.equal(result.runs, 7);
    assert.equal(hintText(result), 'dtvm: hint: this trace runs without principal buffer drops with -x bufsize=3k (or -x switchrate=4hz)\n');
  });

  test('one byte more needs the next round size (3584 bytes)', async () => {
    // 129 firings: 3096 bytes; the firing at exactly 1 s is still before the first switch.
    const path = await readTrace('buf129.ndjson', 129, TICK);
    const { first, result } = await tune(path, 'syscall::read:entry { trace(arg0); }', { bufsize: '1k' });
    assert.deepEqual(first.tally.counts, { PRINCIPAL: 129 - 42 });
    assert.equal(hintText(result), 'dtvm: hint: this trace runs without principal buffer drops with -x bufsize=3584 (or -x switchrate=4hz)\n');
  });

  test('a burst no switch rate can split leaves only the size', async () => {
    // Every firing at the same instant: even 5000hz switches after all 128.
    const path = await readTrace('burst.ndjson', 128, 0);
    // bufsize takes 4 runs; switchrate doubles 2hz ... 4096hz, then tries 5000hz: 13 runs.
    const { result } = await tune(path, 'syscall::read:entry { trace(arg0); }', { bufsize: '1k' });
    assert.equal(result.runs, 17);
    assert.deepEqual(
      result.groups[0]!.options.map((o) => [o.option, o.outcome, o.text]),
      [
        ['bufsize', { kind: 'found', value: 3072, minimal: true }, '3k'],
        ['switchrate', { kind: 'exhausted', limit: 5000 }, '5000hz'],
      ],
    );
    assert.equal(hintText(result), 'dtvm: hint: this trace runs without principal buffer drops with -x bufsize=3k\n');
    // With 16 re-runs, the rate search is cut short: the size alone is still reported.
    const { result: cut } = await tune(path, 'syscall::read:entry { trace(arg0); }', { bufsize: '1k' }, 16);
    assert.equal(cut.runs, 16);
    assert.deepEqual(cut.groups[0]!.options[1]!.outcome, { kind: 'budget' });
    assert.equal(hintText(cut), 'dtvm: hint: this trace runs without principal buffer drops with -x bufsize=3k\n');
  });

  test('a run budget cut short says the value may not be the smallest', async () => {
    const path = await readTrace('budget.ndjson', 128, TICK);
    const { result } = await tune(path, 'syscall::read:entry { trace(arg0); }', { bufsize: '1k' }, 2);
    assert.equal(result.runs, 2);
    assert.equal(
      hintText(result),
      'dtvm: hint: this trace runs without principal buffer drops with -x bufsize=4k (search stopped after 2 re-runs: smaller values may do)\n',
    );
  });

  test('fill buffers are never switched: only bufsize is searched', async () => {
    const path = await readTrace('fill.ndjson', 128, TICK);
    const { result } = await tune(path, 'syscall::read:entry { trace(arg0); }', { bufsize: '1k', bufpolicy: 'fill' });
    assert.deepEqual(result.groups[0]!.options.map((o) => o.option), ['bufsize']);
    // The whole second's 3072 bytes must fit: 2k fails, 4k works, 3k works, 2560 fails.
    assert.equal(result.runs, 4);
    assert.equal(hintText(result), 'dtvm: hint: this trace runs without principal buffer drops with -x bufsize=3k\n');
  });
});

describe('dynamic variable drops', () => {
  // a[arg0] = 1: a chunk is the 48-byte dynvar header, one more 16-byte key and the 8-byte
  // value (72 bytes); a space of S bytes keeps floor(S/88) (made even) 16-byte hash buckets
  // and (S - buckets * 16) / 72 chunks: 4k holds 46, 8k 93, 10k 116, 12k 140, 16k 186.
  test('117 keys vanish at dynvarsize=12k', async () => {
    const path = await readTrace('dyn.ndjson', 117, TICK);
    const { first, result } = await tune(path, 'syscall::read:entry { a[arg0] = 1; }', { dynvarsize: '4k' });
    assert.deepEqual(first.tally.counts, { DYNAMIC: 117 - 46 });
    assert.equal(result.runs, 4);
    assert.equal(hintText(result), 'dtvm: hint: this trace runs without dynamic variable drops with -x dynvarsize=12k\n');
  });
});

describe('aggregation drops', () => {
  // @[arg0] = count(): a key takes 24 bytes (id word, key, count) plus a 24-byte descriptor;
  // S bytes keep floor(S/64) hash words (less 17 beyond 136) and 24 bytes of header, so
  // 4k holds 74 keys, 8k 148, 10k 189, 12k 226, 16k 301.
  test('200 keys in one second vanish at aggsize=12k, or at aggrate=3hz', async () => {
    const path = await readTrace('agg.ndjson', 200, 5_000_000);
    const { first, result } = await tune(path, 'syscall::read:entry { @[arg0] = count(); }', { aggsize: '4k' });
    assert.deepEqual(first.tally.counts, { AGGREGATION: 200 - 74 });
    // aggrate: 2hz snapshots after 101 keys (fails), 4hz after at most 51, 3hz after 67.
    assert.equal(result.runs, 7);
    assert.equal(hintText(result), 'dtvm: hint: this trace runs without aggregation drops with -x aggsize=12k (or -x aggrate=3hz)\n');
  });
});

describe('no drops', () => {
  test('no re-run and no hint', async () => {
    const path = await readTrace('fits.ndjson', 10, TICK);
    const { first, result, passes } = await tune(path, 'syscall::read:entry { trace(arg0); @[arg0] = count(); a[arg0] = 1; }', {});
    assert.deepEqual(first.tally.counts, {});
    assert.equal(passes, 0);
    assert.deepEqual(result.groups, []);
    assert.equal(hintText(result), '');
  });
});

describe('speculations', () => {
  // One speculation for the whole run: its 24-byte records must all fit in specsize.
  test('speculative drops vanish at specsize=3k', async () => {
    const path = await readTrace('spec.ndjson', 128, TICK);
    const { first, result } = await tune(path, 'int s; BEGIN { s = speculation(); } syscall::read:entry { speculate(s); trace(arg0); }', { specsize: '1k' });
    assert.deepEqual(first.tally.counts, { SPEC: 128 - 42 });
    assert.equal(hintText(result), 'dtvm: hint: this trace runs without speculative drops with -x specsize=3k\n');
  });

  // Five speculations never committed: each beyond nspec fails. 2 and 4 fail, 8 works; then
  // 6 and 5 work.
  test('failed speculations vanish at nspec=5', async () => {
    const path = await readTrace('nspec.ndjson', 5, TICK);
    const { first, result } = await tune(path, 'syscall::read:entry { a[arg0] = speculation(); }', {});
    assert.deepEqual(first.tally.counts, { SPECUNAVAIL: 4 });
    assert.equal(result.runs, 5);
    assert.equal(hintText(result), 'dtvm: hint: this trace runs without failed speculations with -x nspec=5\n');
  });
});

describe('after the run', () => {
  test('a source that cannot be opened again costs only the hint', async () => {
    const path = await readTrace('gone.ndjson', 128, TICK);
    const { program, catalogue, options } = await compileD('syscall::read:entry { trace(arg0); }', { bufsize: '1k' });
    const drops = new DropTally();
    drops.add('PRINCIPAL', 86);
    const text = await dropHintsAfterRun({ drops, program, catalogue, options, reopen: () => Promise.reject(new Error(`${path}: gone`)) });
    assert.equal(text, `dtvm: hint: none: re-running this trace failed: ${path}: gone\n`);
  });

  test('past the time limit no re-run starts', async () => {
    const path = await readTrace('late.ndjson', 128, TICK);
    const { program, catalogue, options } = await compileD('syscall::read:entry { trace(arg0); }', { bufsize: '1k' });
    const drops = new DropTally();
    drops.add('PRINCIPAL', 86);
    let opened = 0;
    const reopen = (): ReturnType<typeof openTraceFile> => ((opened++), openTraceFile(path));
    assert.equal(await dropHintsAfterRun({ drops, program, catalogue, options, reopen, timeLimit: -1 }), 'dtvm: hint: no setting without principal buffer drops found in 0 re-runs\n');
    assert.equal(opened, 0);
    // No drops, or only kinds no option removes: nothing to search.
    const dbl = new DropTally();
    dbl.add('DBLERROR', 1);
    assert.equal(await dropHintsAfterRun({ drops: dbl, program, catalogue, options, reopen }), '');
    assert.equal(await dropHintsAfterRun({ drops: new DropTally(), program, catalogue, options, reopen }), '');
    assert.equal(opened, 0);
  });
});
