// The options that can remove each kind of drop, as the reference's drop table says: a drop
// kind's remedy is a bigger buffer (or, for buffers the consumer drains, draining it more
// often). Each option is searched in its natural unit: bytes for sizes, hertz for rates,
// buffers for nspec; the text is how the hint writes it after `-x name=`.
import type { OptionSet } from '../analyze/options/optionSet';
import type { DropKind } from '../vm/records';

export interface TunableOption {
  name: 'bufsize' | 'switchrate' | 'aggsize' | 'aggrate' | 'dynvarsize' | 'specsize' | 'nspec';
  /** The value in force for the run (in the search's unit), as the engine reads it. */
  current(options: OptionSet): number;
  /** The largest value worth trying. */
  maximum: number;
  /** `-x name=` text for a value. */
  text(value: number): string;
  /** Whether this option changes anything under these options (a switch rate needs switching). */
  applies?(options: OptionSet): boolean;
}

export interface DropGroup {
  /** How the hint names the drops (`this trace runs without <noun> with ...`). */
  noun: string;
  kinds: readonly DropKind[];
  /** The main remedy first; the others are offered as alternatives. */
  options: readonly TunableOption[];
}

const NANOSEC = 1e9;
/** The engine's (and the kernel's cyclic's) fastest rate. */
const MAX_RATE_HZ = 5000;
/** 64g: beyond any buffer a system would allocate per CPU. */
const MAX_SIZE = 64 * 2 ** 30;

const SUFFIXES: readonly [string, number][] = [
  ['t', 2 ** 40],
  ['g', 2 ** 30],
  ['m', 2 ** 20],
  ['k', 2 ** 10],
];

/** A byte count as `-x` takes it: the largest suffix that divides it (8m, 3584k, 2560). */
export function sizeText(bytes: number): string {
  for (const [suffix, unit] of SUFFIXES) if (bytes >= unit && bytes % unit === 0) return `${bytes / unit}${suffix}`;
  return String(bytes);
}

function sizeOption(name: 'bufsize' | 'aggsize' | 'dynvarsize' | 'specsize', fallback: number): TunableOption {
  return { name, current: (o) => o.bytes(name) ?? fallback, maximum: MAX_SIZE, text: sizeText };
}

/** A consumer rate in hertz; the engine's defaults and clamps (1 Hz, at most 5000 Hz). */
function rateOption(name: 'switchrate' | 'aggrate', applies?: (options: OptionSet) => boolean): TunableOption {
  return {
    name,
    current: (o) => {
      const ns = o.nanoseconds(name);
      const period = ns === undefined || ns <= 0 ? NANOSEC : ns;
      return Math.min(MAX_RATE_HZ, NANOSEC / period);
    },
    maximum: MAX_RATE_HZ,
    text: (hz) => `${hz}hz`,
    ...(applies !== undefined ? { applies } : {}),
  };
}

// The engine's defaults when an option is unset (dtrace(1) sets bufsize and aggsize to 4m).
const bufsize = sizeOption('bufsize', 4 << 20);
const aggsize = sizeOption('aggsize', 4 << 20);
const dynvarsize = sizeOption('dynvarsize', 1 << 20);
const specsize = sizeOption('specsize', 32 << 10);
/** Fill and ring buffers are never switched: only their size matters. */
const switchrate = rateOption('switchrate', (o) => (o.word('bufpolicy') ?? 'switch') === 'switch');
const aggrate = rateOption('aggrate');
const nspec: TunableOption = { name: 'nspec', current: (o) => o.integer('nspec') ?? 1, maximum: 1024, text: String };

/** Every drop kind the options can remove, in the order hints are printed. */
export const DROP_GROUPS: readonly DropGroup[] = [
  { noun: 'principal buffer drops', kinds: ['PRINCIPAL'], options: [bufsize, switchrate] },
  { noun: 'aggregation drops', kinds: ['AGGREGATION'], options: [aggsize, aggrate] },
  { noun: 'dynamic variable drops', kinds: ['DYNAMIC', 'DYNRINSE', 'DYNDIRTY'], options: [dynvarsize] },
  { noun: 'speculative drops', kinds: ['SPEC'], options: [specsize] },
  { noun: 'failed speculations', kinds: ['SPECBUSY', 'SPECUNAVAIL'], options: [nspec] },
];
