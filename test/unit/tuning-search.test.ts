// The tuning search's round values, its doubling-then-bisecting probes, and the texts of
// hints that found nothing.
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { hintText } from '../../server/src/tuning';
import { isRoundValue, roundValuesBetween, smallestWorkingValue } from '../../server/src/tuning/search';
import { DROP_GROUPS, sizeText } from '../../server/src/tuning/tunables';

describe('round values', () => {
  test('three significant bits at most', () => {
    assert.deepEqual(
      Array.from({ length: 40 }, (_, i) => i + 1).filter(isRoundValue),
      [1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 20, 24, 28, 32, 40],
    );
    assert.equal(isRoundValue(3584), true);
    assert.equal(isRoundValue(4608), false);
  });

  test('between two powers of two: a quarter apart', () => {
    assert.deepEqual(roundValuesBetween(4 << 20, 8 << 20), [5 << 20, 6 << 20, 7 << 20]);
    assert.deepEqual(roundValuesBetween(2048, 4096), [2560, 3072, 3584]);
    assert.deepEqual(roundValuesBetween(2, 4), [3]);
    assert.deepEqual(roundValuesBetween(1, 2), []);
  });

  test('sizes as -x takes them', () => {
    assert.deepEqual([8 << 20, 3584 << 10, 3584, 1 << 30, 2 ** 41, 100].map(sizeText), ['8m', '3584k', '3584', '1g', '2t', '100']);
  });
});

describe('search', () => {
  /** The values probed, for a threshold (the smallest working value). */
  async function probes(current: number, maximum: number, threshold: number, runs = 50): Promise<{ tried: number[]; outcome: unknown; left: number }> {
    const tried: number[] = [];
    const budget = { runs };
    const outcome = await smallestWorkingValue(current, maximum, async (v) => (tried.push(v), v >= threshold), budget);
    return { tried, outcome, left: budget.runs };
  }

  test('doubles from the next power of two, then bisects', async () => {
    assert.deepEqual(await probes(4 << 20, 2 ** 36, 5_500_000), {
      tried: [8 << 20, 6 << 20, 5 << 20],
      outcome: { kind: 'found', value: 6 << 20, minimal: true },
      left: 47,
    });
    // A current value off the lattice: the first probe is still the next power of two.
    assert.deepEqual((await probes(3000, 2 ** 36, 3001)).outcome, { kind: 'found', value: 3072, minimal: true });
  });

  test('a fractional rate starts at 1', async () => {
    assert.deepEqual(await probes(0.5, 5000, 1), { tried: [1], outcome: { kind: 'found', value: 1, minimal: true }, left: 49 });
  });

  test('the maximum is tried last, and nothing is tried beyond it', async () => {
    const r = await probes(1, 5000, 6000);
    assert.deepEqual(r.tried, [2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 5000]);
    assert.deepEqual(r.outcome, { kind: 'exhausted', limit: 5000 });
    assert.deepEqual((await probes(5000, 5000, 6000)).tried, []);
  });

  test('the budget stops it', async () => {
    assert.deepEqual(await probes(1, 5000, 4000, 3), { tried: [2, 4, 8], outcome: { kind: 'budget' }, left: 0 });
    assert.deepEqual((await probes(1024, 2 ** 36, 3000, 3)).outcome, { kind: 'found', value: 3072, minimal: false });
  });
});

describe('hints that found nothing', () => {
  const principal = DROP_GROUPS.find((g) => g.kinds.includes('PRINCIPAL'))!;
  test('every option at its maximum', () => {
    const text = hintText({
      runs: 37,
      maxRuns: 40,
      groups: [
        {
          group: principal,
          options: [
            { option: 'bufsize', outcome: { kind: 'exhausted', limit: 2 ** 36 }, text: '64g', setting: '-x bufsize=64g' },
            { option: 'switchrate', outcome: { kind: 'exhausted', limit: 5000 }, text: '5000hz', setting: '-x switchrate=5000hz' },
          ],
        },
      ],
    });
    assert.equal(text, 'dtvm: hint: this trace has principal buffer drops even with -x bufsize=64g or -x switchrate=5000hz\n');
  });

  test('out of re-runs', () => {
    const text = hintText({
      runs: 16,
      maxRuns: 16,
      groups: [{ group: principal, options: [{ option: 'bufsize', outcome: { kind: 'budget' } }] }],
    });
    assert.equal(text, 'dtvm: hint: no setting without principal buffer drops found in 16 re-runs\n');
  });
});
