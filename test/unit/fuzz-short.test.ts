// The short fuzz budget that runs in `npm test` (test/fuzz/fuzz.ts; `npm run fuzz` is the long
// one). A fixed seed per day-independent run: FUZZ_SEED overrides it, FUZZ_MS the budget per target.
// Every failure prints target, seed and index: `node --import tsx test/fuzz/fuzz.ts --one T S I`.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { fuzz, TARGETS } from '../fuzz/fuzz.ts';

it('short fuzz: no host exception, hang, unlocated rejection or memory blow-up', { timeout: 60_000 }, async () => {
  const seed = Number(process.env.FUZZ_SEED ?? 20261127);
  const report = await fuzz(TARGETS, seed, Number(process.env.FUZZ_MS ?? 4000));
  for (const t of TARGETS) assert.ok((report.tried[t] ?? 0) > 0, `${t}: no input tried`);
  assert.deepEqual(report.failures.map((f) => `${f.target} seed=${f.seed} index=${f.index} ${f.kind}: ${f.detail}`), []);
});
