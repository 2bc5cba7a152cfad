// A catalogue composed of providers. Probes get ids in creation order (1, 2, 3 ...), so every
// list kept here is in id order without sorting, which is the order the kernel reports
// matches in.
import { ForkableIndex, ForkableList } from './forkableIndex';
import { isGlob, type GlobResult } from './glob';
import { PROBE_FIELD_LIMITS } from './probe-description';
import { compileProbeKey, type ProbeKey } from './probe-key';
import { PRIVATE_PROVIDER_ATTRIBUTES, type ProviderAttributes } from './stability';
import type {
  Probe,
  ProbeCatalogue,
  ProbeDescription,
  ProbeListing,
  ProbeTemplate,
  ProvideContext,
  ProviderDefinition,
  ProviderFamily,
} from './types';

/** dtrace_errmsg(EDT_BADPGLOB): the kernel refused a glob that recursed too deep. */
export const GLOB_TOO_DEEP = 'Probe description has too many globbing characters';

interface Registered {
  readonly definition: ProviderDefinition;
  readonly attributes: ProviderAttributes;
  readonly probes: Probe[];
  readonly byFields: Map<string, Probe>;
}

export class ComposedCatalogue implements ProbeCatalogue {
  private all = new ForkableList();
  private registered = new Map<string, Registered>();
  private byProvider = new ForkableIndex();
  private byModule = new ForkableIndex();
  private byFunction = new ForkableIndex();
  private byName = new ForkableIndex();
  private readonly families: ProviderFamily[] = [];
  /**
   * The providers' entries this catalogue made since it was last forked: the others it shares
   * with a fork (or the one it was forked from) and copies before adding a probe to.
   */
  private ownedEntries = new WeakSet<Registered>();

  constructor(providers: readonly ProviderDefinition[] = [], families: readonly ProviderFamily[] = []) {
    for (const p of providers) this.add(p);
    this.families.push(...families);
  }

  /** Registers a provider and creates its listed probes. Throws on a bad or duplicate name. */
  add(definition: ProviderDefinition): this {
    const problem = providerNameProblem(definition.name);
    if (problem !== undefined) throw new Error(problem);
    if (this.registered.has(definition.name)) {
      throw new Error(`provider ${definition.name} is already in the catalogue`);
    }
    const entry = registeredEntry(definition, definition.attributes ?? PRIVATE_PROVIDER_ATTRIBUTES, [], new Map());
    this.registered.set(definition.name, entry);
    this.ownedEntries.add(entry);
    for (const t of definition.probes ?? []) this.create(entry, t);
    return this;
  }

  /**
   * An independent catalogue with the same providers and probes (the same ids): probes created
   * on demand afterwards belong to one of the two only. Building a flavour's catalogue costs
   * milliseconds; forking it, a small fraction of that.
   */
  fork(): ComposedCatalogue {
    const copy = new ComposedCatalogue([], this.families);
    copy.all = this.all.fork();
    copy.registered = new Map(this.registered);
    copy.byProvider = this.byProvider.fork();
    copy.byModule = this.byModule.fork();
    copy.byFunction = this.byFunction.fork();
    copy.byName = this.byName.fork();
    // From now on both share every provider's entry: neither may add to one in place.
    this.ownedEntries = new WeakSet();
    return copy;
  }

  match(desc: ProbeDescription): Probe[] {
    this.provide(desc);
    return this.scan(compileProbeKey(desc), false).probes;
  }

  list(desc?: ProbeDescription): ProbeListing {
    if (desc === undefined) return { probes: this.all.all().slice() };
    this.provide(desc);
    return this.scan(compileProbeKey(desc), true);
  }

  providers(): string[] {
    return [...this.registered.keys()];
  }

  providerProbes(provider: string): readonly Probe[] {
    return this.registered.get(provider)?.probes ?? [];
  }

  mayHaveUnlisted(desc: ProbeDescription): boolean {
    if (desc.provider === '') return false;
    if (isGlob(desc.provider)) return this.families.some((f) => f.mayMatchGlob?.(desc.provider) === true);
    this.familyProvider(desc.provider);
    return this.registered.get(desc.provider)?.definition.mayHaveUnlisted?.(desc) === true;
  }

  providerAttributes(provider: string): ProviderAttributes | undefined {
    return this.registered.get(provider)?.attributes;
  }

  probe(id: number): Probe | undefined {
    return Number.isInteger(id) && id >= 1 ? this.all.at(id) : undefined;
  }

  get size(): number {
    return this.all.length;
  }

  /** A process provider (`pid123`) is created by the first description that names it. */
  private familyProvider(name: string): void {
    if (this.registered.has(name) || isGlob(name) || name === '') return;
    for (const f of this.families) {
      const definition = f.create(name);
      if (definition === undefined) continue;
      this.add(definition);
      return;
    }
  }

  private provide(desc: ProbeDescription): void {
    this.familyProvider(desc.provider);
    for (const entry of this.registered.values()) {
      const provide = entry.definition.provide;
      if (provide === undefined) continue;
      const name = entry.definition.name;
      for (const t of provide.call(entry.definition, desc, this.contextOf(name))) this.create(this.registered.get(name)!, t);
    }
  }

  /** Each provider's context in this catalogue, made once (provide runs for every description). */
  private contexts: Map<string, ProvideContext> | undefined;

  /**
   * A provider's probes in this catalogue, the ones it just made too: through its entry of the
   * moment (shared with a fork, or its own once it added one).
   */
  private contextOf(name: string): ProvideContext {
    let context = this.contexts?.get(name);
    if (context !== undefined) return context;
    const entry = (): Registered => this.registered.get(name)!;
    context = {
      get probes() {
        return entry().probes;
      },
      find: (module, func, name) => entry().byFields.get(fieldsKey(module, func, name)),
    };
    (this.contexts ??= new Map()).set(name, context);
    return context;
  }

  private create(current: Registered, t: ProbeTemplate): Probe {
    let entry = current;
    if (!this.ownedEntries.has(entry)) {
      // The first probe this catalogue adds to a provider it shares: the provider's lists become its own.
      entry = registeredEntry(entry.definition, entry.attributes, entry.probes.slice(), new Map(entry.byFields));
      this.registered.set(entry.definition.name, entry);
      this.ownedEntries.add(entry);
    }
    const probe: Probe = Object.freeze({
      id: this.all.length + 1,
      provider: entry.definition.name,
      module: t.module,
      function: t.function,
      name: t.name,
      args: Object.freeze((t.args ?? []).map((a) => Object.freeze({ ...a }))),
      attributes: entry.attributes,
      ...(t.untypedArgs ? { untypedArgs: true } : {}),
    });
    this.all.push(probe);
    entry.probes.push(probe);
    entry.byFields.set(fieldsKey(probe.module, probe.function, probe.name), probe);
    this.byProvider.add(probe.provider, probe);
    this.byModule.add(probe.module, probe);
    this.byFunction.add(probe.function, probe);
    this.byName.add(probe.name, probe);
    return probe;
  }

  /**
   * Walks the candidates in id order. `stopAtLimit` is the listing ioctl, which fails at the
   * first probe whose match hits the recursion limit; enabling just skips such probes.
   */
  private scan(key: ProbeKey, stopAtLimit: boolean): { probes: Probe[]; error?: string } {
    const found: Probe[] = [];
    const providerResults = new Map<string, GlobResult>();
    for (const probe of this.candidates(key)) {
      let r = providerResults.get(probe.provider);
      if (r === undefined) {
        r = key.provider.match(probe.provider);
        providerResults.set(probe.provider, r);
      }
      if (r > 0) r = key.module.match(probe.module);
      if (r > 0) r = key.function.match(probe.function);
      if (r > 0) r = key.name.match(probe.name);
      if (r > 0) found.push(probe);
      else if (r < 0 && stopAtLimit) return { probes: found, error: GLOB_TOO_DEEP };
    }
    return { probes: found };
  }

  /**
   * The probes that can match: the shortest index list of an exactly given field. Only when no
   * field can hit the recursion limit, since skipping a probe must not skip its error.
   */
  private candidates(key: ProbeKey): readonly Probe[] {
    if (key.canHitDepthLimit) return this.all.all();
    let best: readonly Probe[] | undefined;
    const consider = (index: ForkableIndex, kind: string, pattern: string) => {
      if (kind !== 'exact') return;
      const list = index.get(pattern) ?? [];
      if (list.length < (best ?? this.all).length) best = list;
    };
    consider(this.byProvider, key.provider.kind, key.provider.pattern);
    consider(this.byModule, key.module.kind, key.module.pattern);
    consider(this.byFunction, key.function.kind, key.function.pattern);
    consider(this.byName, key.name.kind, key.name.pattern);
    return best ?? this.all.all();
  }
}

function fieldsKey(module: string, func: string, name: string): string {
  return `${module}\0${func}\0${name}`;
}

function registeredEntry(definition: ProviderDefinition, attributes: ProviderAttributes, probes: Probe[], byFields: Map<string, Probe>): Registered {
  return {
    definition,
    attributes,
    probes,
    byFields,
  };
}

/**
 * Why the kernel would refuse to register a provider of this name (its console message), or
 * undefined: the name must start with a letter, `-`, `_` or `.` and go on with those, digits
 * and backquotes (dtrace_badname). It must also fit a description's provider field, which the
 * kernel leaves to chance.
 */
export function providerNameProblem(name: string): string | undefined {
  if (!/^[A-Za-z_.-][A-Za-z0-9_.`-]*$/.test(name)) {
    return `failed to register provider '${name}': invalid provider name`;
  }
  if (Buffer.byteLength(name, 'utf8') >= PROBE_FIELD_LIMITS.provider) {
    return `provider name may not exceed ${PROBE_FIELD_LIMITS.provider - 1} characters: ${name}`;
  }
  return undefined;
}
