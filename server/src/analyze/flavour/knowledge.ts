// What each flavour's data says exists, indexed for deciding which flavour a script is for:
// provider names, modules, and the functions and names of each provider's probes.
import { allFlavourData, flavourData, type FlavourData } from './flavourData';
import { FLAVOURS, FLAVOUR_TRAITS, type Flavour } from './flavours';

export interface FlavourKnowledge {
  readonly flavour: Flavour;
  /** Closed providers the flavour's data lists. */
  readonly providers: ReadonlySet<string>;
  /** Modules of its probes and kernel functions. */
  readonly modules: ReadonlySet<string>;
  /** Per provider: its probes' functions and names. */
  readonly functions: ReadonlyMap<string, ReadonlySet<string>>;
  readonly names: ReadonlyMap<string, ReadonlySet<string>>;
  /** Kernel functions with known prototypes (fbt). */
  readonly kernelFunctions: ReadonlySet<string>;
  /** Every identifier the flavour's own D library files use (members, constants, inlines). */
  readonly libraryWords: ReadonlySet<string>;
}

const cache = new Map<Flavour, FlavourKnowledge>();

export function knowledgeOf(flavour: Flavour): FlavourKnowledge {
  let k = cache.get(flavour);
  if (!k) cache.set(flavour, (k = index(flavourData(flavour))));
  return k;
}

export function allKnowledge(): FlavourKnowledge[] {
  return FLAVOURS.map(knowledgeOf);
}

/** Every provider name some flavour's closed catalogue has (never a process provider). */
export function closedProviderNames(): ReadonlySet<string> {
  const names = new Set<string>(['dtrace', 'profile']);
  for (const d of allFlavourData()) for (const p of d.providers) names.add(p.name);
  return names;
}

/** The flavours whose closed catalogue has this provider. */
export function flavoursWithProvider(name: string): Flavour[] {
  return allKnowledge()
    .filter((k) => k.providers.has(name) || FLAVOUR_TRAITS[k.flavour].openProviders.includes(name))
    .map((k) => k.flavour);
}

function index(data: FlavourData): FlavourKnowledge {
  const providers = new Set<string>();
  const modules = new Set<string>();
  const functions = new Map<string, Set<string>>();
  const names = new Map<string, Set<string>>();
  const add = (m: Map<string, Set<string>>, key: string, value: string) => {
    let s = m.get(key);
    if (!s) m.set(key, (s = new Set()));
    s.add(value);
  };
  for (const p of data.providers) {
    providers.add(p.name);
    for (const t of p.probes ?? []) {
      if (t.module !== '') modules.add(t.module);
      add(functions, p.name, t.function);
      add(names, p.name, t.name);
    }
  }
  const kernelFunctions = new Set<string>();
  for (const f of data.kernelFunctions) {
    kernelFunctions.add(f.function);
    if (f.module !== '') modules.add(f.module);
  }
  const libraryWords = new Set<string>();
  for (const f of data.libraries) {
    // The common files say nothing about the flavour.
    if (!f.file.includes(`flavours`)) continue;
    for (const m of f.text.replace(/\/\*[\s\S]*?\*\//g, ' ').matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) libraryWords.add(m[0]);
  }
  return { flavour: data.flavour, providers, modules, functions, names, kernelFunctions, libraryWords };
}
