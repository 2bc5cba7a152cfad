// The search for the smallest setting that removes a kind of drop, when more is better (a
// bigger buffer, a faster switch rate). Each probe of a value is one whole re-simulation, so
// the search is coarse on purpose: it doubles from the user's value to the first power of two
// that works, then bisects among round values in between. Round values are the integers with
// at most three significant bits (4, 5, 6, 7 times a power of two: ... 3m, 3584k, 4m, 5m, 6m,
// 7m, 8m, 10m ...), each within 25% of the next, so a hint is never more than a quarter above
// the true smallest value and reads well.

/** A value with three significant bits at most (every integer up to 7 is one). */
export function isRoundValue(n: number): boolean {
  if (!Number.isSafeInteger(n) || n <= 0) return false;
  while (n > 7) {
    if (n % 2 !== 0) return false;
    n /= 2;
  }
  return true;
}

/** The round values strictly between `lo` and `hi`, ascending. */
export function roundValuesBetween(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let p = 1; p < hi; p *= 2) {
    for (const m of [4, 5, 6, 7]) {
      // m/4 times p: 1, 1.25, 1.5, 1.75 times each power of two.
      const v = (p * m) / 4;
      if (v > lo && v < hi && isRoundValue(v)) out.push(v);
    }
  }
  return [...new Set(out)].sort((a, b) => a - b);
}

/** How a search ended. */
export type SearchOutcome =
  /** `value` works; `minimal` unless the run budget cut the bisection short. */
  | { kind: 'found'; value: number; minimal: boolean }
  /** Even `limit` (the largest value tried: the option's maximum) left drops. */
  | { kind: 'exhausted'; limit: number }
  /** The run budget ran out before any value worked. */
  | { kind: 'budget' };

export interface SearchBudget {
  /** Re-simulations left; every probe of a value takes one. */
  runs: number;
  /** Date.now() after which no further probe starts. */
  deadline?: number;
}

/**
 * The smallest round value above `current` for which `works` holds, assuming it holds for
 * every value above one that works, up to `maximum`. `current` is known not to work.
 */
export async function smallestWorkingValue(
  current: number,
  maximum: number,
  works: (value: number) => Promise<boolean>,
  budget: SearchBudget,
): Promise<SearchOutcome> {
  const attempt = async (v: number): Promise<boolean | undefined> => {
    if (budget.runs <= 0 || (budget.deadline !== undefined && Date.now() > budget.deadline)) return undefined;
    budget.runs--;
    return works(v);
  };
  let lo = current;
  let hi: number | undefined;
  let p = 1;
  while (p <= current) p *= 2;
  for (;;) {
    if (lo >= maximum) return { kind: 'exhausted', limit: lo };
    const v = Math.min(p, maximum);
    const ok = await attempt(v);
    if (ok === undefined) return { kind: 'budget' };
    if (ok) {
      hi = v;
      break;
    }
    lo = v;
    p *= 2;
  }
  // Bisection among the round values between the last failure and the first success.
  const between = roundValuesBetween(lo, hi);
  let fail = -1;
  let pass = between.length;
  while (pass - fail > 1) {
    const mid = (fail + pass) >> 1;
    const ok = await attempt(between[mid]!);
    if (ok === undefined) return { kind: 'found', value: pass < between.length ? between[pass]! : hi, minimal: false };
    if (ok) pass = mid;
    else fail = mid;
  }
  return { kind: 'found', value: pass < between.length ? between[pass]! : hi, minimal: true };
}
