// The JIT against the interpreter, byte for byte: every script dtvm can run here goes through
// the real command line twice, once with the DIF interpreter and once with the DIF-to-JavaScript
// translation (setJitMode), and stdout, stderr and the exit status must be identical:
// - test/fixtures/run/*.d with the arguments of their first-line comment;
// - the corpus test/fixtures/scripts/<flavour>/*.d on a synthetic workload (illumos, freebsd,
//   macos: test/fixtures/workloads/database.json) or the Linux replay trace, with as many
//   operands as the script's macros reference;
// - random valid D programs (test/support/randomPrograms.ts) on the tiny workload: JIT_RANDOM=n runs n of
//   them (default 300), JIT_SEED the first seed.
// Run: node --import tsx --test test/unit/jit-differential.test.ts
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { jitStats, setJitMode } from '../../server/src/vm/jit/index.ts';
import { dtvm, type DtvmRun } from '../support/runDtvm.ts';
import { scriptFile } from '../support/scripts.ts';
import { randomProgram } from '../support/randomPrograms.ts';

const RUN_DIR = 'test/fixtures/run';
const CORPUS = 'test/fixtures/scripts';
const DATABASE = 'test/fixtures/workloads/database.json';
const TINY = 'test/fixtures/workloads/tiny.json';
const LINUX_TRACE = 'test/fixtures/traces/replay-linux.ndjson';

async function both(args: string[]): Promise<{ interp: DtvmRun; jit: DtvmRun }> {
  const saved = process.env.TZ;
  process.env.TZ = 'UTC';
  try {
    setJitMode(false);
    const interp = await dtvm(args);
    setJitMode(true);
    const jit = await dtvm(args);
    return { interp, jit };
  } finally {
    setJitMode(undefined);
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  }
}

/** Compares the two runs; a difference the interpreter shows against itself (wall time) is not the JIT's. */
async function assertSame(args: string[], what: string): Promise<DtvmRun> {
  const { interp, jit } = await both(args);
  if (interp.stdout === jit.stdout && interp.stderr === jit.stderr && interp.status === jit.status) return interp;
  const again = await both(args);
  const flaky = again.interp.stdout !== interp.stdout || again.interp.stderr !== interp.stderr;
  if (flaky) return interp;
  assert.equal(jit.stdout, interp.stdout, `${what}: stdout`);
  assert.equal(jit.stderr, interp.stderr, `${what}: stderr`);
  assert.equal(jit.status, interp.status, `${what}: status`);
  return interp;
}

function runFixtureArgs(name: string): string[] {
  const text = readFileSync(join(RUN_DIR, `${name}.d`), 'utf8');
  const header = /^\/\*(.*)\*\//.exec(text.split('\n')[0] ?? '')?.[1] ?? '';
  const words = (/args:\s*([^;]*)/.exec(header)?.[1]?.trim() ?? '').split(/\s+/).filter((w) => w !== '');
  const dash = words.indexOf('--');
  const flags = dash < 0 ? words : words.slice(0, dash);
  const operands = dash < 0 ? [] : words.slice(dash + 1);
  return [...flags, '-s', join(RUN_DIR, `${name}.d`), ...operands];
}

function corpusArgs(flavour: string, file: string): string[] {
  const path = join(CORPUS, flavour, file);
  const text = readFileSync(path, 'utf8');
  const bang = /^#!\S*dtrace\s+(.*)$/.exec(text.split('\n')[0] ?? '')?.[1] ?? '';
  const flags = bang
    .split(/\s+/)
    .filter((w) => w.startsWith('-'))
    .map((w) => w.replace(/s$/, ''))
    .filter((w) => w !== '-' && w !== '');
  let max = 0;
  for (const m of text.matchAll(/\$\$?(\d+)/g)) max = Math.max(max, Number(m[1]));
  const operands = Array.from({ length: max }, (_, i) => String(i + 1));
  const source = flavour === 'linux' ? ['--trace', LINUX_TRACE] : ['--workload', DATABASE];
  const target = flavour === 'linux' || flavour === 'common' || flavour === 'illumos' ? [] : ['--flavour', flavour];
  return [...source, ...target, ...flags, '-Z', '-s', path, ...operands];
}

const stats = { run: 0, corpus: 0, corpusRan: 0, random: 0, randomCompiled: 0, randomFaulted: 0 };
after(() => {
  process.stdout.write(`# jit-differential: ${JSON.stringify(stats)} translation: ${JSON.stringify(jitStats)}\n`);
});


describe('JIT = interpreter on test/fixtures/run', () => {
  const names = readdirSync(RUN_DIR)
    .filter((f) => f.endsWith('.d'))
    .map((f) => f.slice(0, -2))
    .sort();
  for (const name of names) {
    it(name, async () => {
      await assertSame(runFixtureArgs(name), name);
      stats.run++;
    });
  }
});

describe('JIT = interpreter on the script corpus', () => {
  for (const flavour of ['common', 'illumos', 'freebsd', 'macos', 'linux']) {
    const files = readdirSync(join(CORPUS, flavour))
      .filter((f) => f.endsWith('.d'))
      .sort();
    it(`${flavour} (${files.length} scripts)`, async () => {
      for (const file of files) {
        const r = await assertSame(corpusArgs(flavour, file), `${flavour}/${file}`);
        stats.corpus++;
        if (!r.stderr.includes('failed to compile')) stats.corpusRan++;
      }
    });
  }
});

describe('JIT = interpreter on random D programs', () => {
  const count = Number(process.env.JIT_RANDOM ?? 300);
  const first = Number(process.env.JIT_SEED ?? 1);
  const BATCH = 50;
  for (let start = first; start < first + count; start += BATCH) {
    const end = Math.min(first + count, start + BATCH);
    it(`seeds ${start}..${end - 1}`, async () => {
      for (let seed = start; seed < end; seed++) {
        const text = randomProgram(seed);
        const file = scriptFile(text, `random-${seed}.d`);
        const r = await assertSame(['-q', '--workload', TINY, '-s', file], `seed ${seed}:\n${text}`);
        stats.random++;
        if (!r.stderr.includes('failed to compile')) stats.randomCompiled++;
        if (r.stderr.includes('error on enabled probe')) stats.randomFaulted++;
      }
    });
  }
  it('generates programs that compile and that fault', () => {
    if (stats.random < 50) return;
    assert.ok(stats.randomCompiled >= stats.random * 0.8, `only ${stats.randomCompiled} of ${stats.random} random programs compile`);
    assert.ok(stats.randomFaulted > 0, 'no random program faulted');
  });
});

describe('the JIT ran', () => {
  it('translated every DIF object it met (none left to the interpreter)', () => {
    assert.ok(jitStats.translated > 0);
    assert.equal(jitStats.refused, 0, jitStats.lastRefusal);
  });
});
