// The symbol index of one analyzed document version: every occurrence sorted by position (a
// request finds what is under the cursor by binary search), grouped by symbol, with the
// analysis that types them. Built once per version and cached; when the text does not compile
// (the user is typing), the types come from the document's last analysis that did.
import type { Parser } from '../../parse/dParser';
import type * as A from '../../parse/ast';
import type { Analysis } from '../../analyze/program';
import { BUILTIN_ARRAYS, BUILTIN_VARIABLES } from '../../analyze/builtins/variables';
import { FUNCTIONS_BY_NAME } from '../../analyze/builtins/functions';
import type { AnalyzedDocument, FeatureContext } from '../featureContext';
import { LineIndex } from './lineIndex';
import { libraryIndex, type LibraryIndex } from './library';
import { OccurrenceCollector, declaratorName, type NameResolver, type Occurrence } from './occurrences';

const BUILTIN_NAMES = new Set(BUILTIN_VARIABLES.map((v) => v.name));

export class SymbolIndex {
  /** Sorted by start offset. */
  readonly occurrences: Occurrence[];
  readonly byKey = new Map<string, Occurrence[]>();
  readonly lines: LineIndex;
  /** Clause items of the program, in order (an occurrence's `clause` indexes this). */
  readonly clauses: A.Clause[];

  constructor(
    readonly doc: AnalyzedDocument,
    /** The analysis of this version, or else of the last version that compiled. */
    readonly analysis: Analysis | undefined,
    readonly library: LibraryIndex,
  ) {
    this.lines = new LineIndex(doc.text);
    const program = doc.result.program;
    this.clauses = program.items.filter((i): i is A.Clause => i.k === 'clause');
    const collector = new OccurrenceCollector(doc.text, resolverFor(program, analysis, library)).program(program);
    this.occurrences = collector.occurrences.sort((a, b) => a.start - b.start);
    for (const o of this.occurrences) {
      const list = this.byKey.get(o.key);
      if (list) list.push(o);
      else this.byKey.set(o.key, [o]);
    }
  }

  /** Whether the types come from this very version of the text. */
  get current(): boolean {
    return this.analysis !== undefined && this.analysis === this.doc.result.analysis;
  }

  /** The occurrences under `offset` (a cursor just after a name is on it); translators last. */
  at(offset: number): Occurrence[] {
    const list = this.occurrences;
    let lo = 0;
    let hi = list.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.start <= offset) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    const out: Occurrence[] = [];
    for (let i = found; i >= 0 && i > found - 4; i--) {
      const o = list[i]!;
      if (o.start <= offset && offset <= o.end) out.push(o);
    }
    return out.sort((a, b) => Number(a.kind === 'translator') - Number(b.kind === 'translator') || b.start - a.start);
  }

  /** The occurrence under `offset` that names a symbol (not a translator behind its type name). */
  symbolAt(offset: number): Occurrence | undefined {
    return this.at(offset)[0];
  }

  /** Every occurrence of the symbol. */
  occurrencesOf(key: string): Occurrence[] {
    return this.byKey.get(key) ?? [];
  }

  /** Where a symbol is defined in this text: its declaration, else its first assignment, else its first mention. */
  definitionOf(key: string): Occurrence | undefined {
    const list = this.byKey.get(key);
    if (!list || list.length === 0) return undefined;
    return list.find((o) => o.role === 'definition') ?? list.find((o) => o.role === 'write') ?? list[0];
  }

  /**
   * Where to start reading the text to know the cursor's context: the start of the last
   * top-level item at the start of a line before it (the text there is at the top level).
   */
  scanStart(offset: number): number {
    const items = this.doc.result.program.items;
    let lo = 0;
    let hi = items.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (items[mid]!.span.startIndex <= offset) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    for (let i = found; i >= 0; i--) {
      const item = items[i]!;
      if (item.k !== 'control' && item.span.start.column === 0) return item.span.startIndex;
    }
    return 0;
  }

  /** The clause containing `offset`, if any (index among the clauses). */
  clauseAt(offset: number): number {
    let lo = 0;
    let hi = this.clauses.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const c = this.clauses[mid]!;
      if (offset < c.span.startIndex) hi = mid - 1;
      else if (offset > c.span.endIndex) lo = mid + 1;
      else return mid;
    }
    return -1;
  }
}

function resolverFor(program: A.Program, analysis: Analysis | undefined, library: LibraryIndex): NameResolver {
  const inlines = new Set<string>(['NULL']);
  const enumerators = new Set<string>();
  for (const item of program.items) {
    if (item.k === 'inline') {
      const n = declaratorName(item.declarator);
      if (n) inlines.add(n.name);
    } else if (item.k === 'declaration') {
      const base = item.specs.base;
      if (base?.k === 'enum') for (const e of base.enumerators ?? []) enumerators.add(e.name);
    }
  }
  const c = analysis?.compilation;
  return {
    identifier(name) {
      if (inlines.has(name) || library.inlines.has(name) || c?.inlines.has(name)) return 'inline';
      if (BUILTIN_NAMES.has(name)) return 'builtin';
      if (BUILTIN_ARRAYS.has(name)) return 'builtinArray';
      if (FUNCTIONS_BY_NAME.has(name)) return 'function';
      if (enumerators.has(name) || library.enumerators.has(name) || c?.enumerators.has(name)) return 'enumerator';
      return 'global';
    },
  };
}

const indexes = new WeakMap<AnalyzedDocument, SymbolIndex>();
/** Per document, its last analysis without errors in the script: the best source of types while it is broken. */
const lastClean = new Map<string, Analysis>();

function clean(a: Analysis | undefined): boolean {
  return a !== undefined && !a.diagnostics.some((d) => d.severity === 'error' && d.file === undefined);
}

/** Remembers a document's analysis if it is clean (called for every analysis the server makes). */
export function rememberAnalysis(doc: AnalyzedDocument): void {
  const current = doc.result.firstError ? undefined : doc.result.analysis;
  if (clean(current)) lastClean.set(doc.uri, current!);
}

const watched = new WeakSet<FeatureContext>();

/** Follows the server's analyses (for the last clean one) and closed documents; once per server. */
export function watchAnalyses(ctx: FeatureContext): void {
  if (watched.has(ctx)) return;
  watched.add(ctx);
  ctx.onAnalyzed?.(rememberAnalysis);
  ctx.documents.onDidClose((e) => forgetDocument(e.document.uri));
}

/** The symbol index of a document version, built on first use. */
export function symbolIndexOf(doc: AnalyzedDocument, parser: Parser): SymbolIndex {
  let index = indexes.get(doc);
  if (index) return index;
  rememberAnalysis(doc);
  const current = doc.result.firstError ? undefined : doc.result.analysis;
  // Types by name: this version's when it compiles, else the last version's that did.
  const analysis = clean(current) ? current : (lastClean.get(doc.uri) ?? doc.result.analysis);
  index = new SymbolIndex(doc, analysis, libraryIndex(parser, doc.result.flavour.name));
  indexes.set(doc, index);
  return index;
}

/** Forgets a closed document's last clean analysis. */
export function forgetDocument(uri: string): void {
  lastClean.delete(uri);
}
