// The state of one compilation: options, type namespaces, symbol tables, the probe catalogue,
// diagnostics, and the facts about the clause being checked. Every checking module takes it.
import type { Flavour } from './flavour/flavours';
import type { Expr, Span } from '../parse/ast';
import type { NodeFacts } from './nodeMemo';
import { Abandon, type Diagnostic, type Related } from './diagnostics';
import {
  VariableTable,
  type AggregationInfo,
  type EnumeratorInfo,
  type InlineInfo,
} from './symbols';
import { T, type CType } from './types/ctype';
import { TypeTable } from './types/typeTable';
import type { MacroTable } from './macros';

/** What the front end needs of a probe: its name and typed arguments. */
export interface ProbeInfo {
  id: number;
  provider: string;
  module: string;
  function: string;
  name: string;
  args: { native: string; translated?: string }[];
  /** An open-world probe without known argument types: args[N] is accepted, untyped. */
  untypedArgs?: boolean;
}

export interface ProbeMatcher {
  /** Probes matching `provider:module:function:name` (globs allowed; '' matches anything). */
  match(desc: { provider: string; module: string; function: string; name: string }): ProbeInfo[];
}

export interface Translator {
  output: CType;
  input: CType;
  members: Map<string, { value: Expr; type: CType | undefined }>;
  span: Span;
  file?: string;
}

/** What has happened so far in the clause being checked (speculation ordering rules). */
export interface ClauseState {
  index: number;
  probes: readonly ProbeInfo[];
  /** The first description as written after macro expansion (DTrace's messages quote it). */
  description: string;
  /** Argument types of args[] for this clause, when every probe agrees. */
  argTypes: CType[] | undefined;
  argsProblem?: { tag: string; message: string };
  /** The probe is open-world and its argument types are unknown: any args[N] is untyped. */
  untypedArgs?: boolean;
  speculated: boolean;
  committed: boolean;
  recordedData: boolean;
}

export interface TypedInfo {
  type: CType;
  constant?: bigint;
  lvalue?: boolean;
  writable?: boolean;
  /** A D variable (not memory): `&` cannot apply. */
  dvar?: boolean;
  /** Points into user space (a user address, not dereferenceable without copyin). */
  userPointer?: boolean;
  /** A string literal's decoded text. */
  stringValue?: string;
}

export interface CompilationSettings {
  destructive: boolean;
  zdefs: boolean;
  strsize: number;
  defaultargs: boolean;
  argref: boolean;
  /** Accept `for` loops with constant bounds (unrolled), up to this many iterations; 0 = off. */
  boundedLoops: number;
  /** A process was grabbed (`-p`): `$target` names it and `%A` takes plain user addresses. */
  hasTarget?: boolean;
  /** The target system, where some subroutines exist only on one (builtins/functions.ts). */
  flavour?: Flavour;
}

/** The type of every cooked expression, kept on the expression nodes (see nodeMemo.ts). */
export class TypedExpressions {
  constructor(private readonly c: Compilation) {}

  get(e: Expr): TypedInfo | undefined {
    return this.c.facts(e)?.typed;
  }

  set(e: Expr, info: TypedInfo): this {
    this.c.factsFor(e).typed = info;
    return this;
  }

  has(e: Expr): boolean {
    return this.c.facts(e)?.typed !== undefined;
  }
}

/** Node facts kept on a node: whose they are. */
interface KeptFacts extends NodeFacts {
  owner: number;
  lineage: object | undefined;
  /**
   * Inherited facts (Compilation.inheritFacts) known to have nothing for this node: a later
   * compilation of the lineage that inherits the same ones need not look again.
   */
  notInherited: ReadonlyMap<object, NodeFacts> | undefined;
  /** The replayed clause whose facts these are, when they may be written only once read (see deferFacts). */
  deferred?: DeferredFacts;
}

/**
 * A replayed clause's facts (clauseReuse.ts) not yet written to its nodes: `write` writes them
 * all when the compilation `owner` first reads one, so that an edit costs nothing for the
 * facts of the clauses nobody looks at (most of a long document's).
 */
export interface DeferredFacts {
  owner: number;
  write: (() => void) | undefined;
}

const FACTS = Symbol('facts');

interface FactsHolder {
  [FACTS]?: KeptFacts;
}

let compilations = 0;

export class Compilation {
  readonly types = new TypeTable();
  readonly globals = new VariableTable('global');
  readonly threadLocals = new VariableTable('thread');
  readonly clauseLocals = new VariableTable('clause');
  readonly aggregations = new Map<string, AggregationInfo>();
  readonly inlines = new Map<string, InlineInfo>();
  readonly enumerators = new Map<string, EnumeratorInfo>();
  readonly translators: Translator[] = [];
  /** Providers `provider X { ... };` defined so far: pragmas may name them like known ones. */
  readonly definedProviders = new Set<string>();
  readonly diagnostics: Diagnostic[] = [];
  /** The type of every expression the analyzer cooked, for later stages and editor features. */
  readonly typed = new TypedExpressions(this);
  /** The file being compiled (undefined = the user's script). */
  file: string | undefined;
  /** Counts the units compiled (each library file, each program): DTrace's handle generation. */
  unit = 0;
  clause: ClauseState | undefined;
  macros: MacroTable | undefined;

  constructor(
    public settings: CompilationSettings,
    /** Replaced when a later program of the same command line continues this compilation. */
    public probes: ProbeMatcher,
  ) {
    // DTrace's one hard-wired definition: `inline long NULL = 0;`.
    const span = { start: { row: 0, column: 0 }, end: { row: 0, column: 0 }, startIndex: 0, endIndex: 0 };
    this.inlines.set('NULL', { name: 'NULL', type: T.long, value: { k: 'int', text: '0', span }, constant: 0n, definition: span });
  }

  /** Tells compilations apart (node facts kept on the nodes name their compilation). */
  private id = ++compilations;
  /**
   * The compilations of one document in an editor, each replacing the one before (the face's
   * IncrementalState): such a compilation keeps its node facts on the nodes themselves, taking
   * them over from the earlier compilations of its lineage, which are no longer read (see
   * factsFor). Undefined: facts only in this compilation's maps.
   */
  lineage: object | undefined;

  /**
   * What this compilation found out about each AST node it analyzed that it does not keep on
   * the node: a library's AST is analyzed by every compilation and outlives them.
   */
  private nodeFacts = new Map<object, NodeFacts>();
  /**
   * The facts of the compilation this one was forked from (librarySnapshot.ts), frozen and
   * shared rather than copied into `nodeFacts` at every fork: copied on write.
   */
  private inheritedFacts: ReadonlyMap<object, NodeFacts> | undefined;

  /** Starts this compilation's node facts from `from`'s, which must no longer change. */
  inheritFacts(from: Compilation): void {
    if (from.inheritedFacts !== undefined || from.lineage !== undefined) throw new Error('inheritFacts: the origin must keep all its facts in its map');
    this.id = ++compilations;
    this.inheritedFacts = from.nodeFacts;
    this.nodeFacts = new Map();
  }

  /** Every node fact record this compilation owns (the inherited ones excepted), to freeze them. */
  ownFacts(): IterableIterator<NodeFacts> {
    if (this.lineage !== undefined) throw new Error('ownFacts: facts kept on the nodes');
    return this.nodeFacts.values();
  }

  /** Records an error and abandons the current statement or declaration. */
  error(tag: string, span: Span, message: string, related?: Related[], line?: number): never {
    throw new Abandon(this.record('error', tag, span, message, related, line));
  }

  warn(code: string, span: Span, message: string, related?: Related[]): void {
    this.record('warning', code, span, message, related);
  }

  record(severity: Diagnostic['severity'], code: string, span: Span, message: string, related?: Related[], line?: number): Diagnostic {
    const d: Diagnostic = { severity, code, message, span };
    if (this.file !== undefined) d.file = this.file;
    if (related && related.length > 0) d.related = related;
    if (line !== undefined) d.line = line;
    this.diagnostics.push(d);
    return d;
  }

  /** The facts this compilation recorded for an AST node, if any. */
  facts(node: object): NodeFacts | undefined {
    const kept = this.keptOn(node);
    if (kept !== undefined) {
      if (kept.owner === this.id) return kept;
      // An earlier compilation's of this lineage: this one has none in its map (it would have
      // taken the record over), and the inherited ones were looked in already.
      if (kept.lineage === this.lineage && this.lineage !== undefined && kept.owner < this.id && kept.notInherited === this.inheritedFacts && kept.notInherited !== undefined) return undefined;
    }
    return this.nodeFacts.get(node) ?? this.inheritedFacts?.get(node);
  }

  /** The node's facts for this compilation, created empty on first use. */
  factsFor(node: object): NodeFacts {
    const kept = this.keptOn(node);
    if (kept !== undefined && kept.owner === this.id) return kept;
    // An earlier compilation's record of this lineage: this one has none in its map (see
    // facts()), nor inherited ones when they were looked in already.
    const earlier = kept !== undefined && this.lineage !== undefined && kept.lineage === this.lineage && kept.owner < this.id;
    if (!earlier) {
      const facts = this.nodeFacts.get(node);
      if (facts !== undefined) return facts;
    }
    const inherited = earlier && kept.notInherited === this.inheritedFacts && kept.notInherited !== undefined ? undefined : this.inheritedFacts?.get(node);
    // On the node (one property read away, where a map of many thousands of nodes misses the
    // cache), unless another live compilation keeps its facts there.
    const onNode = this.lineage !== undefined && (kept === undefined || (kept.lineage === this.lineage && kept.owner < this.id));
    if (onNode && kept !== undefined) {
      // An earlier compilation of the lineage's record, which nothing reads any more: reused.
      kept.owner = this.id;
      kept.typed = inherited?.typed;
      kept.folded = inherited?.folded;
      kept.parseChecked = inherited?.parseChecked ?? false;
      kept.notInherited = inherited === undefined ? this.inheritedFacts : undefined;
      return kept;
    }
    // Shared with the compilation this one was forked from: copied on write.
    const fresh: KeptFacts = {
      typed: inherited?.typed,
      folded: inherited?.folded,
      parseChecked: inherited?.parseChecked ?? false,
      owner: this.id,
      lineage: this.lineage,
      notInherited: inherited === undefined ? this.inheritedFacts : undefined,
    };
    if (onNode) (node as FactsHolder)[FACTS] = fresh;
    else this.nodeFacts.set(node, fresh);
    return fresh;
  }

  /** The facts this compilation keeps on the node itself (not in its map), if any. */
  factsOnNode(node: object): NodeFacts | undefined {
    const kept = this.keptOn(node);
    return kept !== undefined && kept.owner === this.id ? kept : undefined;
  }

  /**
   * The records a replayed clause writes its facts to (those factsOnNode gave), made to write
   * them when first read: undefined when one of them is not on a node.
   */
  deferrable(records: readonly (NodeFacts | undefined)[]): DeferredFacts | undefined {
    if (this.lineage === undefined || records.some((r) => r === undefined)) return undefined;
    const deferred: DeferredFacts = { owner: 0, write: undefined };
    for (const r of records) (r as KeptFacts).deferred = deferred;
    return deferred;
  }

  /** Writes the facts `deferred` holds when this compilation first reads one of them. */
  deferFacts(deferred: DeferredFacts, write: () => void): void {
    deferred.owner = this.id;
    deferred.write = write;
  }

  /** Writes deferred facts now, if they are this compilation's and not written yet. */
  settleDeferred(deferred: DeferredFacts): void {
    if (deferred.owner !== this.id) return;
    const write = deferred.write;
    deferred.owner = 0;
    deferred.write = undefined;
    write?.();
  }

  /**
   * The facts kept on a node, this compilation's deferred ones among them written first (they
   * replace what reading the clause wrote there in this compilation, as the replay did when it
   * was not deferred).
   */
  private keptOn(node: object): KeptFacts | undefined {
    const kept = (node as FactsHolder)[FACTS];
    if (kept?.deferred !== undefined) this.settleDeferred(kept.deferred);
    return kept;
  }

  /**
   * Makes `record`, the facts an earlier compilation of this lineage kept on a node (what
   * facts() returned to it), this compilation's with the given content: a clause's record
   * replayed (clauseReuse.ts) without looking the node up. False when it cannot be (another
   * lineage's, or inherited facts differ): the caller goes through factsFor.
   */
  adoptFacts(record: NodeFacts, typed: TypedInfo | undefined, folded: NodeFacts['folded'], parseChecked: boolean): boolean {
    const kept = record as KeptFacts;
    if (this.lineage === undefined || kept.lineage !== this.lineage || kept.owner > this.id) return false;
    if (kept.owner !== this.id && (kept.notInherited !== this.inheritedFacts || kept.notInherited === undefined)) return false;
    kept.owner = this.id;
    kept.typed = typed;
    kept.folded = folded;
    kept.parseChecked = parseChecked;
    return true;
  }

  /** Runs a checking step; an error inside abandons only that step. */
  attempt(step: () => void): boolean {
    try {
      step();
      return true;
    } catch (e) {
      if (e instanceof Abandon) return false;
      throw e;
    }
  }
}
