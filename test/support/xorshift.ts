// A deterministic random source for generated test inputs, so a failure can be replayed.

export interface SeededRandom {
  /** A number in [0, 1). */
  random(): number;
  /** One of the items, uniformly. */
  pick<T>(items: readonly T[]): T;
}

/** xorshift32 from the given seed. */
export function xorshift(seed: number): SeededRandom {
  let state = seed >>> 0 || 1;
  const random = (): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x100000000;
  };
  return { random, pick: (items) => items[Math.floor(random() * items.length)]! };
}
