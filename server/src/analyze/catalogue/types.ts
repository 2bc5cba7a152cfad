// The probe catalogue's data model: what a probe description asks for, what a probe is, and
// how providers contribute probes to a catalogue.
import type { ProviderAttributes } from './stability';

/** `provider:module:function:name`; an empty field matches anything. */
export interface ProbeDescription {
  readonly provider: string;
  readonly module: string;
  readonly function: string;
  readonly name: string;
}

/**
 * One probe argument's D type, as text ('int', 'struct proc *', 'psinfo_t *'): the native type
 * the provider passes and, when a translator applies, the type `args[i]` has in D.
 */
export interface ProbeArg {
  readonly native: string;
  readonly translated?: string;
}

export interface Probe {
  readonly id: number;
  readonly provider: string;
  readonly module: string;
  readonly function: string;
  readonly name: string;
  /** `args[]` types; empty when the provider describes none (dtrace, profile). */
  readonly args: readonly ProbeArg[];
  /** The provider's stability attributes, which `dtrace -lv` reports. */
  readonly attributes?: ProviderAttributes;
  /**
   * An open-world probe whose argument types nobody told us (an fbt probe of a kernel function
   * we have no prototype for, a pid or USDT probe): `args[N]` is accepted for any N, untyped.
   */
  readonly untypedArgs?: boolean;
}

/** A probe a provider asks the catalogue to create; the catalogue gives it its id. */
export interface ProbeTemplate {
  readonly module: string;
  readonly function: string;
  readonly name: string;
  readonly args?: readonly ProbeArg[];
  readonly untypedArgs?: boolean;
}

/** What a provider may look at when asked to provide probes. */
export interface ProvideContext {
  /** This provider's probes so far, in id order. */
  readonly probes: readonly Probe[];
  /** This provider's probe with exactly these fields, if it has one. */
  find(module: string, func: string, name: string): Probe | undefined;
}

export interface ProviderDefinition {
  readonly name: string;
  readonly attributes?: ProviderAttributes;
  /** Probes that exist as soon as the provider is registered (what `dtrace -l` lists), in order. */
  readonly probes?: readonly ProbeTemplate[];
  /**
   * DTrace's dtps_provide: every description is offered to every provider before probes are
   * matched against it, whatever its provider field says; the provider returns the probes to
   * create now (they get fresh ids, after every existing probe).
   */
  provide?(desc: ProbeDescription, context: ProvideContext): readonly ProbeTemplate[];
  /**
   * An open-world provider (fbt, pid, USDT): its probes cannot all be listed, so a description
   * naming it that matches no probe we know may still match probes of the real system. Says
   * whether `desc` (whose provider field names this provider) is such a description.
   */
  mayHaveUnlisted?(desc: ProbeDescription): boolean;
}

/**
 * Providers that come into existence when a description names them, as DTrace's process
 * providers do (`pid123`, `myapp123` for USDT): a family creates the provider of a given name.
 */
export interface ProviderFamily {
  /** The provider this family would create for this exact name, or undefined. */
  create(name: string): ProviderDefinition | undefined;
  /** Whether a provider glob (`ruby*`) may name providers of this family. */
  mayMatchGlob?(pattern: string): boolean;
}

export interface ProbeListing {
  /** The matching probes in id order, up to the point where the listing stopped. */
  readonly probes: readonly Probe[];
  /**
   * Set when the kernel would have refused the listing part way: a glob needed more than
   * DTrace's recursion limit ('Probe description has too many globbing characters').
   */
  readonly error?: string;
}

export interface ProbeCatalogue {
  /**
   * The probes a clause with this description enables, in id order, after letting providers
   * create probes for it. Probes whose glob match hits DTrace's recursion limit are skipped,
   * as the kernel's enabling does.
   */
  match(desc: ProbeDescription): Probe[];
  /** `dtrace -l` semantics: like `match`, but stops with an error at the recursion limit; no description lists every probe. */
  list(desc?: ProbeDescription): ProbeListing;
  /** Provider names in registration order. */
  providers(): string[];
  providerAttributes(provider: string): ProviderAttributes | undefined;
  probe(id: number): Probe | undefined;
  /** Number of probes that exist now. */
  readonly size: number;
  /** A provider's probes so far, in id order (empty for an unknown provider). */
  providerProbes?(provider: string): readonly Probe[];
  /**
   * The description names an open-world provider (or a provider glob of an open family) and
   * may match probes of the real system that no catalogue lists.
   */
  mayHaveUnlisted?(desc: ProbeDescription): boolean;
}
