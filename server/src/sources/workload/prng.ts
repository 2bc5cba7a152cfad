// The workload's random numbers: xoshiro128** (32-bit state words, so every step is a handful
// of int32 operations with no BigInt), seeded through splitmix32 as its authors recommend.
// Determinism is the point: the same seed gives the same stream on every machine and Node
// version, so a workload run with --seed N is a reproducible test input.

const TWO_POW_32 = 4294967296;

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  /** The second value of the last Box–Muller pair, not yet used. */
  private spareNormal: number | undefined;

  /** @param seed any safe integer (its high and low 32 bits both count) */
  constructor(seed: number) {
    let s = (seed >>> 0) ^ Math.floor(seed / TWO_POW_32) * 0x9e3779b9;
    const next = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    // An all-zero state would stay zero forever.
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
  }

  /** A uniform 32-bit unsigned integer. */
  uint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** Uniform in [0, 1), 32 bits of resolution. */
  float(): number {
    return this.uint32() / TWO_POW_32;
  }

  /** Uniform in (0, 1]: safe under a logarithm. */
  positiveFloat(): number {
    return (this.uint32() + 1) / TWO_POW_32;
  }

  /** An integer in [0, n) (n up to 2^32). */
  below(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** Exponentially distributed with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(this.positiveFloat());
  }

  /** Standard normal (Box–Muller; the pair's second value serves the next call). */
  normal(): number {
    const spare = this.spareNormal;
    if (spare !== undefined) {
      this.spareNormal = undefined;
      return spare;
    }
    const r = Math.sqrt(-2 * Math.log(this.positiveFloat()));
    const theta = 2 * Math.PI * this.float();
    this.spareNormal = r * Math.sin(theta);
    return r * Math.cos(theta);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
