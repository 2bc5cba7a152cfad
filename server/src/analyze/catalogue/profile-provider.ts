// The `profile` provider (illumos/FreeBSD profile.c): 13 probes exist from the start, and any
// `profile-N` / `tick-N` named in a description's name field is created on demand, whatever
// the description's other fields say (the kernel offers every description to every provider).
//
// Name rules: the `profile-` or `tick-` prefix, decimal digits, then an optional unit compared
// without case: ns nsec us usec ms msec s sec m min h hour d day (an interval) or hz (a rate);
// no unit means hz. N must not be 0 and the interval must be at least 200 us (5000 Hz). Globs
// never create probes: a metacharacter is not a digit and no unit contains one. Module and
// function are empty; the provider describes no argument types (arg0 is the kernel PC, arg1
// the user PC, and for profile-* arg2 is how late the firing is, in ns).
import { attribute, type ProviderAttributes } from './stability';
import type { ProbeTemplate, ProviderDefinition } from './types';

export type ProfileKind = 'profile' | 'tick';

const NANOSEC = 1_000_000_000n;

/** profile_interval_min: NANOSEC / 5000. */
export const PROFILE_MIN_INTERVAL_NS = NANOSEC / 5000n;

/** PROFILE_MAX_DEFAULT: the provider stops creating probes once it has this many. */
export const PROFILE_MAX_PROBES = 1000;

/** The probes `dtrace -l -P profile` lists before any were requested. */
export const PROFILE_DEFAULT_RATES = [97, 199, 499, 997, 1999, 4001, 4999] as const;
export const TICK_DEFAULT_RATES = [1, 10, 100, 500, 1000, 5000] as const;

const UNITS: ReadonlyMap<string, bigint> = new Map([
  ['ns', 1n],
  ['nsec', 1n],
  ['us', 1_000n],
  ['usec', 1_000n],
  ['ms', 1_000_000n],
  ['msec', 1_000_000n],
  ['s', NANOSEC],
  ['sec', NANOSEC],
  ['m', NANOSEC * 60n],
  ['min', NANOSEC * 60n],
  ['h', NANOSEC * 3600n],
  ['hour', NANOSEC * 3600n],
  ['d', NANOSEC * 86400n],
  ['day', NANOSEC * 86400n],
  ['hz', 0n],
]);

/** FreeBSD's profile_attr (illumos differs for module, function and args). */
export const PROFILE_PROVIDER_ATTRIBUTES: ProviderAttributes = {
  provider: attribute('Evolving', 'Evolving', 'Common'),
  module: attribute('Private', 'Private', 'Unknown'),
  function: attribute('Private', 'Private', 'ISA'),
  name: attribute('Evolving', 'Evolving', 'Common'),
  args: attribute('Private', 'Private', 'ISA'),
};

export interface ProfileProbeName {
  readonly kind: ProfileKind;
  /** Firing interval in nanoseconds. */
  readonly intervalNs: bigint;
}

/**
 * What the provider makes of a probe name: undefined when it would not create that probe
 * (wrong shape, N = 0, or an interval under 200 us). Arithmetic wraps like the kernel's int64.
 */
export function parseProfileProbeName(name: string): ProfileProbeName | undefined {
  const kind: ProfileKind | undefined = name.startsWith('profile-')
    ? 'profile'
    : name.startsWith('tick-')
      ? 'tick'
      : undefined;
  if (kind === undefined) return undefined;
  const body = name.slice(kind.length + 1);
  let unitStart = body.length;
  while (unitStart > 0 && !isDigit(body[unitStart - 1])) unitStart--;
  const digits = body.slice(0, unitStart);
  const unit = body.slice(unitStart);
  if (digits === '' || ![...digits].every(isDigit)) return undefined;

  let value = 0n;
  let weight = 1n;
  for (let i = digits.length - 1; i >= 0; i--) {
    value = BigInt.asIntN(64, value + BigInt(digits.charCodeAt(i) - 48) * weight);
    weight = BigInt.asIntN(64, weight * 10n);
  }
  if (value === 0n) return undefined;
  const multiplier = unit === '' ? 0n : UNITS.get(unit.toLowerCase());
  if (multiplier === undefined) return undefined;
  const intervalNs = multiplier === 0n ? NANOSEC / value : BigInt.asIntN(64, value * multiplier);
  if (intervalNs < PROFILE_MIN_INTERVAL_NS) return undefined;
  return { kind, intervalNs };
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

export interface ProfileProviderOptions {
  /** profile-max-probes; default 1000. */
  maxProbes?: number;
}

export function profileProvider(options: ProfileProviderOptions = {}): ProviderDefinition {
  const max = options.maxProbes ?? PROFILE_MAX_PROBES;
  const probe = (name: string): ProbeTemplate => ({ module: '', function: '', name });
  const defaults = [
    ...PROFILE_DEFAULT_RATES.map((r) => probe(`profile-${r}`)),
    ...TICK_DEFAULT_RATES.map((r) => probe(`tick-${r}`)),
  ].slice(0, max);
  return {
    name: 'profile',
    attributes: PROFILE_PROVIDER_ATTRIBUTES,
    probes: defaults,
    provide(desc, context) {
      if (parseProfileProbeName(desc.name) === undefined) return [];
      // The kernel looks the name up with module and function unspecified.
      if (context.probes.some((p) => p.name === desc.name)) return [];
      if (context.probes.length >= max) return [];
      return [probe(desc.name)];
    },
  };
}
