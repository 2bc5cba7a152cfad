// The user's options with one value replaced, for a re-simulation. The value is given as the
// text a user would write after `-x name=` and parsed by libdtrace's own rules, so a hint's
// text means exactly what was simulated.
import { OptionSet } from '../analyze/options/optionSet';
import type { OptionValue } from '../analyze/options/optionHandlers';

/** The stored value `-x name=text` gives, or an error naming the option. */
export function parsedOptionValue(name: string, text: string): OptionValue {
  const scratch = new OptionSet();
  const r = scratch.set(name, text);
  if (!r.ok) throw new Error(`option ${name}=${text}: ${r.reason}`);
  return scratch.get(name)!;
}

/**
 * A read-only view of `options` where `name` reads as `-x name=text` would set it. The user's
 * set is not touched (its other values, set later, still show through).
 */
export function withOptionText(options: OptionSet, name: string, text: string): OptionSet {
  const value = parsedOptionValue(name, text);
  const view = Object.create(options) as OptionSet;
  // Every typed reader (bytes, nanoseconds, integer...) goes through get().
  view.get = (n: string) => (n === name ? value : options.get(n));
  return view;
}
