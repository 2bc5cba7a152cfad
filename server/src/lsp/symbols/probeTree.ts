// The probes of a catalogue as a tree, provider → module → function → names, for completing
// a probe description field by field. Built once per catalogue (and again when it grows).
import type { ProbeCatalogue } from '../../analyze/catalogue';

export type Modules = Map<string, Map<string, Set<string>>>;

export interface ProbeTree {
  size: number;
  providers: Map<string, Modules>;
}

const probeTrees = new WeakMap<ProbeCatalogue, ProbeTree>();

/** provider → module → function → names, from every probe the catalogue lists. */
export function probeTree(catalogue: ProbeCatalogue): ProbeTree {
  const known = probeTrees.get(catalogue);
  if (known && known.size === catalogue.size) return known;
  const providers: ProbeTree['providers'] = new Map();
  for (const name of catalogue.providers()) providers.set(name, new Map());
  for (const p of catalogue.list().probes) {
    let modules = providers.get(p.provider);
    if (!modules) providers.set(p.provider, (modules = new Map()));
    let functions = modules.get(p.module);
    if (!functions) modules.set(p.module, (functions = new Map()));
    let names = functions.get(p.function);
    if (!names) functions.set(p.function, (names = new Set()));
    names.add(p.name);
  }
  const tree = { size: catalogue.size, providers };
  probeTrees.set(catalogue, tree);
  return tree;
}

export function countProbes(modules: Modules): number {
  let n = 0;
  for (const functions of modules.values()) for (const names of functions.values()) n += names.size;
  return n;
}
