// The values a workload file describes: durations ("20us"), sizes ("4k"), and random draws
// from distributions ({"lognormal": {"median": "20us", "sigma": 0.8}}). Each is compiled once
// into a sampler (a closure over the PRNG), so drawing costs a call and a few float operations.
// Argument and return values are 64-bit words, drawn as bigints: an integer written in the file
// ("18446744073709551615") is that value exactly, as in a trace (docs/trace-format.md).
import type { Random } from './prng.ts';

/** Draws one value; `args` are the firing's entry arguments when a value may refer to them ("arg2"). */
export type Sampler = (rng: Random, args?: readonly bigint[]) => number;

/** Draws a 64-bit argument or return value (a word: -2^63 … 2^64-1), exactly. */
export type WordSampler = (rng: Random, args?: readonly bigint[]) => bigint;

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
    const n = m === null ? NaN : Number(m[1]);
    if (m !== null && Number.isFinite(n)) {
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
  throw new ValueProblem(at, key, `expected ${expectedOf(unit)}, found ${JSON.stringify(value)}`);
}

function expectedOf(unit: Unit): string {
  return unit === 'duration'
    ? 'a duration: nanoseconds, or a number with ns, us, ms or s ("20us")'
    : unit === 'size'
      ? 'a size: bytes, or a number with k, m or g ("4k")'
      : 'a number';
}

const WORD_MIN = -(1n << 63n);
const WORD_MAX = (1n << 64n) - 1n;
const WORD_RANGE = 'a 64-bit integer (from -2^63 to 2^64-1)';
const BIG_SIZE_UNITS: Record<string, bigint> = Object.fromEntries(Object.entries(SIZE_UNITS).map(([k, v]) => [k, BigInt(v)]));

/**
 * A 64-bit argument or return value, exactly: a JSON number that is a safe integer, or a
 * string holding an integer, optionally with a size unit ("18446744073709551615", "-1",
 * "4k", "1.5k"). A JSON number beyond 2^53-1 has already been rounded by the JSON reader (as
 * in a trace, it must be written as a decimal string); a value that is not a whole number or
 * does not fit in 64 bits is refused.
 */
export function word(value: unknown, at: object, key: string | number | undefined): bigint {
  let v: bigint | undefined;
  if (typeof value === 'number' && Number.isFinite(value)) {
    if (Number.isSafeInteger(value)) v = BigInt(value);
    else if (Number.isInteger(value)) throw new ValueProblem(at, key, 'a JSON number beyond 2^53-1, which JSON readers round: write it as a decimal string');
    else throw new ValueProblem(at, key, `expected an integer, found ${JSON.stringify(value)}`);
  } else if (typeof value === 'string') {
    const m = /^\s*(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?\s*([a-zA-Z]*)\s*$/.exec(value);
    const factor = m === null ? undefined : BIG_SIZE_UNITS[m[5]!.toLowerCase()];
    if (m === null || factor === undefined) throw new ValueProblem(at, key, `expected ${WORD_RANGE} or a size ("4k"), found ${JSON.stringify(value)}`);
    // digits × 10^(exponent - decimals) × unit, exactly.
    const digits = BigInt(m[2]! + (m[3] ?? '')) * factor;
    const exponent = Number(m[4] ?? '0') - (m[3]?.length ?? 0);
    if (digits === 0n) v = 0n;
    else if (exponent >= 0) v = exponent > 40 ? WORD_MAX + 1n : digits * 10n ** BigInt(exponent);
    else {
      const divisor = -exponent > 400 ? 0n : 10n ** BigInt(-exponent);
      if (divisor === 0n || digits % divisor !== 0n) throw new ValueProblem(at, key, `expected an integer, found ${JSON.stringify(value)}`);
      v = digits / divisor;
    }
    if (m[1] === '-') v = -v;
  } else throw new ValueProblem(at, key, `expected ${WORD_RANGE} or a size ("4k"), found ${JSON.stringify(value)}`);
  if (v < WORD_MIN || v > WORD_MAX) throw new ValueProblem(at, key, `expected ${WORD_RANGE}, found ${JSON.stringify(value)}`);
  return v;
}

/** A computed draw (a double) as a word: rounded, and kept within 64 bits. */
function wordOfDraw(d: number): bigint {
  if (!(d > -9223372036854775808)) return Number.isNaN(d) ? 0n : WORD_MIN;
  if (d >= 18446744073709551616) return WORD_MAX;
  return BigInt(Math.round(d));
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
    return (_rng, args) => Number(args?.[n] ?? 0n);
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
      return choice(o, p.map((v, i) => Math.round(scalar(v, unit, p, i))));
    }
  }
}

/**
 * An argument or return value spec: as `sampler`'s, drawn as a 64-bit word. Scalars, "fixed"
 * and "choice" values are exact (`word`); the computed distributions (uniform, exponential,
 * lognormal, normal) draw doubles, exact to 2^53, rounded and kept within 64 bits.
 */
export function wordSampler(spec: unknown, at: object, key: string | number | undefined, allowArgs = false): WordSampler {
  if (typeof spec === 'string' && /^arg\d$/.test(spec)) {
    if (!allowArgs) throw new ValueProblem(at, key, `"${spec}" (an entry argument) cannot be used here`);
    const n = Number(spec.slice(3));
    return (_rng, args) => args?.[n] ?? 0n;
  }
  if (typeof spec === 'number' || typeof spec === 'string') {
    const v = word(spec, at, key);
    return () => v;
  }
  if (typeof spec === 'object' && spec !== null && !Array.isArray(spec)) {
    const o = spec as Record<string, unknown>;
    const names = Object.keys(o).filter((k) => k !== 'weights');
    if (names.length === 1 && o.weights === undefined && names[0] === 'fixed') {
      const v = word(o.fixed, o, 'fixed');
      return () => v;
    }
    if (names.length === 1 && names[0] === 'choice') {
      const p = o.choice;
      if (!Array.isArray(p) || p.length === 0) throw new ValueProblem(o, 'choice', 'expected a non-empty array of values');
      return choice(o, p.map((v, i) => word(v, p, i)));
    }
  }
  const draw = sampler(spec, 'size', at, key);
  return (rng) => wordOfDraw(draw(rng));
}

/** One of `values`, with the probabilities of `o.weights` (default: equal). */
function choice<T>(o: Record<string, unknown>, values: readonly T[]): (rng: Random) => T {
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
