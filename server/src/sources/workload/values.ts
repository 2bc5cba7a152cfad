// The values a workload file describes: durations ("20us"), sizes ("4k"), and random draws
// from distributions ({"lognormal": {"median": "20us", "sigma": 0.8}}). Each is compiled once
// into a sampler (a closure over the PRNG), so drawing costs a call and a few float operations.
import type { Random } from './prng.ts';

/** Draws one value; `args` are the firing's entry arguments when a value may refer to them ("arg2"). */
export type Sampler = (rng: Random, args?: readonly number[]) => number;

/** What a bare number or a string with a suffix means where the value is expected. */
export type Unit = 'duration' | 'size' | 'count';

/** A value that cannot be used; `path` is the member it came from (the spec reader adds the location). */
export class ValueProblem extends Error {
  constructor(
    readonly at: object,
    readonly key: string | number | undefined,
    message: string,
  ) {
    super(message);
  }
}

const DURATION_UNITS: Record<string, number> = { ns: 1, us: 1e3, ms: 1e6, s: 1e9, sec: 1e9, m: 60e9, min: 60e9 };
const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1 << 20, mb: 1 << 20, mib: 1 << 20, g: 1 << 30, gb: 1 << 30, gib: 1 << 30 };

/** A scalar: a number (ns for durations, bytes for sizes) or a string with a unit suffix. */
export function scalar(value: unknown, unit: Unit, at: object, key: string | number | undefined): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string') {
    const m = /^\s*(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*([a-zA-Z]*)\s*$/.exec(value);
    if (m !== null) {
      const n = Number(m[1]);
      const suffix = m[2]!.toLowerCase();
      if (unit === 'duration') {
        const f = DURATION_UNITS[suffix === '' ? 'ns' : suffix];
        if (f !== undefined) return n * f;
      } else if (unit === 'size') {
        const f = SIZE_UNITS[suffix];
        if (f !== undefined) return n * f;
      } else if (suffix === '') return n;
    }
  }
  const expected =
    unit === 'duration'
      ? 'a duration: nanoseconds, or a number with ns, us, ms or s ("20us")'
      : unit === 'size'
        ? 'a size: bytes, or a number with k, m or g ("4k")'
        : 'a number';
  throw new ValueProblem(at, key, `expected ${expected}, found ${JSON.stringify(value)}`);
}

const DISTRIBUTIONS = ['fixed', 'uniform', 'exponential', 'lognormal', 'normal', 'choice'] as const;

/**
 * A value spec: a scalar (always that value), "argN" (the entry's argument N, where allowed),
 * or an object naming one distribution:
 *   {"fixed": v}  {"uniform": [lo, hi]}  {"exponential": mean}
 *   {"lognormal": {"median": m, "sigma": s}}  {"normal": {"mean": m, "stddev": s}}
 *   {"choice": [v1, v2, ...], "weights": [w1, w2, ...]}
 * Draws are rounded to integers (nanoseconds, bytes, argument values).
 */
export function sampler(spec: unknown, unit: Unit, at: object, key: string | number | undefined, allowArgs = false): Sampler {
  if (typeof spec === 'string' && /^arg\d$/.test(spec)) {
    if (!allowArgs) throw new ValueProblem(at, key, `"${spec}" (an entry argument) cannot be used here`);
    const n = Number(spec.slice(3));
    return (_rng, args) => args?.[n] ?? 0;
  }
  if (typeof spec === 'number' || typeof spec === 'string') {
    const v = Math.round(scalar(spec, unit, at, key));
    return () => v;
  }
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    throw new ValueProblem(at, key, `expected a value or a distribution (${DISTRIBUTIONS.join(', ')}), found ${JSON.stringify(spec)}`);
  }
  const o = spec as Record<string, unknown>;
  const names = Object.keys(o).filter((k) => k !== 'weights');
  const name = names[0];
  if (names.length !== 1 || !(DISTRIBUTIONS as readonly string[]).includes(name!)) {
    throw new ValueProblem(at, key, `expected one distribution (${DISTRIBUTIONS.join(', ')}), found ${names.length === 0 ? 'none' : names.map((n) => `"${n}"`).join(', ')}`);
  }
  if (o.weights !== undefined && name !== 'choice') throw new ValueProblem(o, 'weights', '"weights" belongs to a "choice"');
  const p = o[name!];
  switch (name) {
    case 'fixed': {
      const v = Math.round(scalar(p, unit, o, name));
      return () => v;
    }
    case 'uniform': {
      if (!Array.isArray(p) || p.length !== 2) throw new ValueProblem(o, name, 'expected [low, high]');
      const lo = scalar(p[0], unit, p, 0);
      const hi = scalar(p[1], unit, p, 1);
      if (hi < lo) throw new ValueProblem(p, 1, 'high must not be below low');
      return (rng) => Math.round(lo + (hi - lo) * rng.float());
    }
    case 'exponential': {
      const mean = positive(scalar(p, unit, o, name), o, name, 'the mean');
      return (rng) => Math.round(rng.exponential(mean));
    }
    case 'lognormal': {
      const q = object(p, o, name, ['median', 'sigma']);
      const median = positive(scalar(q.median, unit, q, 'median'), q, 'median', 'the median');
      const sigma = nonNegative(scalar(q.sigma, 'count', q, 'sigma'), q, 'sigma');
      const mu = Math.log(median);
      return (rng) => Math.round(Math.exp(mu + sigma * rng.normal()));
    }
    case 'normal': {
      const q = object(p, o, name, ['mean', 'stddev']);
      const mean = scalar(q.mean, unit, q, 'mean');
      const sd = nonNegative(scalar(q.stddev, unit, q, 'stddev'), q, 'stddev');
      // Durations and sizes cannot be negative: the tail below zero is cut at zero.
      return unit === 'count' ? (rng) => Math.round(mean + sd * rng.normal()) : (rng) => Math.max(0, Math.round(mean + sd * rng.normal()));
    }
    default: {
      if (!Array.isArray(p) || p.length === 0) throw new ValueProblem(o, name, 'expected a non-empty array of values');
      const values = p.map((v, i) => Math.round(scalar(v, unit, p, i)));
      let weights = values.map(() => 1);
      if (o.weights !== undefined) {
        const w = o.weights;
        if (!Array.isArray(w) || w.length !== values.length) throw new ValueProblem(o, 'weights', `expected ${values.length} weights, one per value`);
        weights = w.map((x, i) => nonNegative(scalar(x, 'count', w, i), w, i));
      }
      const total = weights.reduce((a, b) => a + b, 0);
      if (!(total > 0)) throw new ValueProblem(o, 'weights', 'the weights must not all be zero');
      const cumulative: number[] = [];
      let sum = 0;
      for (const w of weights) cumulative.push((sum += w / total));
      return (rng) => {
        const u = rng.float();
        for (let i = 0; i < cumulative.length - 1; i++) if (u < cumulative[i]!) return values[i]!;
        return values[values.length - 1]!;
      };
    }
  }
}

function object(p: unknown, at: object, key: string, members: readonly string[]): Record<string, unknown> {
  if (typeof p !== 'object' || p === null || Array.isArray(p)) throw new ValueProblem(at, key, `expected {${members.map((m) => `"${m}": ...`).join(', ')}}`);
  const o = p as Record<string, unknown>;
  for (const m of members) if (o[m] === undefined) throw new ValueProblem(o, undefined, `missing "${m}"`);
  for (const k of Object.keys(o)) if (!members.includes(k)) throw new ValueProblem(o, k, `unknown member "${k}" (expected ${members.map((m) => `"${m}"`).join(', ')})`);
  return o;
}

function positive(v: number, at: object, key: string | number, what: string): number {
  if (!(v > 0)) throw new ValueProblem(at, key, `${what} must be positive`);
  return v;
}

function nonNegative(v: number, at: object, key: string | number): number {
  if (!(v >= 0)) throw new ValueProblem(at, key, 'must not be negative');
  return v;
}
