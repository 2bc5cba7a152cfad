// "Did you mean": the nearest description that does match, for a description of a closed
// catalogue that matches nothing (a misspelt system call, an unknown sched probe).
import { isGlob, globMatch } from './glob';
import type { Probe, ProbeCatalogue, ProbeDescription } from './types';

/** Edit distance with transpositions (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[(i - 1) * cols + j]! + 1, d[i * cols + j - 1]! + 1, d[(i - 1) * cols + j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[(i - 2) * cols + j - 2]! + 1);
      d[i * cols + j] = v;
    }
  }
  return d[rows * cols - 1]!;
}

/** The candidate nearest to `word`, if it is near enough to be a slip (about a third of it). */
export function nearest(word: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(1, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    if (c === '' || Math.abs(c.length - word.length) > limit) continue;
    const d = c.toLowerCase() === word.toLowerCase() ? 0.5 : editDistance(word, c);
    if (d < bestDistance || (d === bestDistance && best !== undefined && c < best)) {
      best = c;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

const FIELDS = ['module', 'function', 'name'] as const;

const fits = (value: string, field: string): boolean => field === '' || (isGlob(field) ? globMatch(value, field) > 0 : value === field);

/**
 * A description like `desc` that matches some probe: the provider and then each exactly given
 * field that matches nothing replaced by the nearest value that does. Undefined when no field
 * is near enough.
 */
export function suggestDescription(catalogue: ProbeCatalogue, desc: ProbeDescription): ProbeDescription | undefined {
  if (!catalogue.providerProbes) return undefined;
  let provider = desc.provider;
  if (provider === '' || isGlob(provider)) return undefined;
  if (!catalogue.providers().includes(provider)) {
    const near = nearest(provider, catalogue.providers());
    if (near === undefined) return undefined;
    provider = near;
  }
  let probes: readonly Probe[] = catalogue.providerProbes(provider);
  // An open provider takes any function, but only its own names (fbt: entry, return).
  if (provider === desc.provider && desc.name !== '' && !isGlob(desc.name) && catalogue.mayHaveUnlisted) {
    const name = nearest(desc.name, new Set(probes.map((p) => p.name)));
    if (name !== undefined && name !== desc.name && catalogue.mayHaveUnlisted({ ...desc, name })) return { ...desc, name };
  }
  const fixed: { -readonly [K in keyof ProbeDescription]: string } = { ...desc, provider };
  let changed = provider !== desc.provider;
  for (const field of FIELDS) {
    const value = fixed[field];
    let kept = probes.filter((p) => fits(p[field], value));
    if (kept.length === 0) {
      if (value === '' || isGlob(value)) return undefined;
      const near = nearest(value, new Set(probes.map((p) => p[field])));
      if (near === undefined) return undefined;
      fixed[field] = near;
      changed = true;
      kept = probes.filter((p) => p[field] === near);
    }
    probes = kept;
  }
  return changed && probes.length > 0 ? fixed : undefined;
}

export function descriptionString(d: ProbeDescription): string {
  return `${d.provider}:${d.module}:${d.function}:${d.name}`;
}
