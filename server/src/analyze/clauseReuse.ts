// Per-clause reuse of the front end's checks between compilations of one document (the
// language server compiles after every edit, and an edit changes one clause).
//
// Checking a clause body is a function of the clause (its text, where it is), what reading the
// whole text left (declarations, inlines, types, control lines: the same when the `readKey`
// is), the clause's probes, and the variables and aggregations it looks up, which the clauses
// before it create and type. So each clause checked is recorded: what it looked up and how it
// found it (through the tables' tracking hook, clauseTracking.ts), what it changed (variables
// and aggregations created, typed, referenced), its diagnostics and the facts it left on its
// expressions, positions relative to its own start. The next compilation replays the record
// instead of checking the clause again when the clause is the same text (the same AST item,
// which buildAst keeps when an edit only moves it) and every lookup finds the same thing; it
// checks it otherwise. A clause whose effects reach outside itself (a diagnostic about another
// place, a whole table read) is not recorded, so it is always checked.
//
// Reading a clause (pass 1: its parse-time checks) is replayed too when it reported nothing the
// last time and stands after the same declarations and control lines: only the facts it left
// on its expressions are put back. The lookups of a clause are not compared again while every
// clause before it replayed the same records in the same order (the tables are then as they
// were), which is the case for all the clauses before an edit.
import type * as A from '../parse/ast';
import type { ClauseState, Compilation, DeferredFacts, TypedInfo } from './compilation';
import type { NodeFacts } from './nodeMemo';
import type { Diagnostic } from './diagnostics';
import type { Folded } from './parseTime';
import { aggregationOf, tracking, type ClauseTracker } from './clauseTracking';
import { creationLine, setCreationLine } from './actionArguments';
import { restoreVariableFlags, userlandVariables, variableFlagsOf } from './identifiers';
import type { AggregationInfo, Variable, VariableTable } from './symbols';
import type { CType } from './types/ctype';
import { clauseExpressions } from '../safety/walk';

/**
 * A span of the clause: the index of the expression whose span it is (the same object the
 * compilation would use), or its place relative to the clause's start (index and row offsets,
 * columns as they are).
 */
type RecordedSpan = number | readonly [start: number, end: number, startRow: number, startColumn: number, endRow: number, endColumn: number];

interface RecordedReference {
  span: RecordedSpan;
  write: boolean;
}

type Reference = Variable['references'][number];

/**
 * The references a replay made, kept for the next replay of the same item at the same place
 * and clause index: the same (immutable) records serve again, the allocation of thousands per
 * edit saved.
 */
interface MadeReferences {
  clause: A.Clause;
  index: number;
  base: number;
  baseRow: number;
  references: Reference[];
}

const GLOBAL = 0;
const THREAD = 1;
const CLAUSE = 2;
const AGGREGATION = 3;
const CREATION_LINE = 4;
type ReadKind = typeof GLOBAL | typeof THREAD | typeof CLAUSE | typeof AGGREGATION | typeof CREATION_LINE;

/** One lookup and what it found: every field of it a check may read (undefined: nothing). */
interface Read {
  kind: ReadKind;
  name: string;
  variable: VariableSeen | undefined;
  aggregation: AggregationSeen | undefined;
  /** The creation line read (CREATION_LINE), as a string ('undefined' for none). */
  line: string;
}

interface VariableSeen {
  shape: Variable['shape'];
  /** The type object, and its key (another compilation's object of the same key is the same type). */
  type: CType | undefined;
  typeKey: string;
  /** Key type lists are never changed in place (a change assigns a new list). */
  keys: CType[] | undefined;
  declared: boolean;
  flags: number;
  userland: boolean;
  unit: number | undefined;
  file: string | undefined;
  binding: string | undefined;
}

interface AggregationSeen {
  fn: string | undefined;
  keys: CType[] | undefined;
  /** A copy: the aggregation's list may change after. */
  params: bigint[] | undefined;
}

interface VariableEffect {
  table: typeof GLOBAL | typeof THREAD | typeof CLAUSE;
  name: string;
  created: boolean;
  /** Where it was created (created ones only). */
  definition: RecordedSpan | undefined;
  definitionUnit: number | undefined;
  /** What the clause changed (every field of one it created); the rest it only read. */
  setShape: boolean;
  shape: Variable['shape'];
  setType: boolean;
  type: CType | undefined;
  setKeys: boolean;
  keys: CType[] | undefined;
  setFlags: boolean;
  flags: number;
  userland: boolean;
  references: RecordedReference[];
  made?: MadeReferences;
}

interface AggregationEffect {
  name: string;
  created: boolean;
  definition: RecordedSpan | undefined;
  /** The line it was created on, relative to the clause's first row (created ones only). */
  creationRow: number | undefined;
  setFn: boolean;
  fn: string | undefined;
  setKeys: boolean;
  keys: CType[] | undefined;
  setParams: boolean;
  params: bigint[] | undefined;
  references: RecordedReference[];
  made?: MadeReferences;
}

interface RecordedDiagnostic {
  d: Diagnostic;
  span: RecordedSpan;
  related: RecordedSpan[];
  /** `line` relative to the clause's first row. */
  line: number | undefined;
}

interface ClauseRecord {
  /** How many other items and control lines come before the clause, its unit, its probes and args[] types (ClauseState). */
  state: StateKey;
  reads: Read[];
  /** Some read is of a line (CREATION_LINE). */
  readsLines: boolean;
  /** The last line of the text, when a diagnostic named it (D_PRED_SCALAR). */
  endLine: number | undefined;
  variables: VariableEffect[];
  aggregations: AggregationEffect[];
  diagnostics: RecordedDiagnostic[];
  /** The facts on the clause's expressions: their indexes in clauseExpressions(clause).exprs. */
  facts: RecordedFacts[];
  /** Replayed on the same item, the facts are written when first read (Compilation.deferFacts). */
  deferred: DeferredFacts | undefined;
}

interface RecordedFacts {
  expr: number;
  /** The record on the expression (the same object while the clause is the same AST item). */
  kept: NodeFacts | undefined;
  typed: TypedInfo | undefined;
  folded: Folded | null | undefined;
  parseChecked: boolean;
  /** A typed fact that names a variable or holds a span is made again for each compilation (relinkTyped). */
  relink: Relink | undefined;
}

/** What a typed fact holds that is the compilation's: its variable (by table and name), its span. */
interface Relink {
  variable: { table: typeof GLOBAL | typeof THREAD | typeof CLAUSE; name: string } | undefined;
  span: RecordedSpan | undefined;
}

/** What reading a clause left when it reported nothing: the facts its parse-time checks put on its expressions. */
interface ReadingRecord {
  itemsBefore: number;
  facts: { expr: number; folded: Folded | null | undefined; parseChecked: boolean }[];
}

/**
 * Records of the clauses of the last compilation that checked its clauses, by clause: the same
 * AST item (unchanged, or moved by the edit: buildAst keeps the object), or else (once a second
 * clause is a new object: after a text with syntax errors every item is new) a clause of the
 * same text at the same column, whose AST is the same.
 */
class ClauseRecords<T> {
  private records = new Map<A.Clause, T>();
  private source = '';
  private next = new Map<A.Clause, T>();
  private byText: Map<string, T> | undefined;
  private misses = 0;

  get(clause: A.Clause, source: string): T | undefined {
    const record = this.records.get(clause);
    if (record !== undefined || this.records.size === 0 || ++this.misses < 2) return record;
    if (this.byText === undefined) {
      this.byText = new Map();
      for (const [c, r] of this.records) this.byText.set(textKey(c, this.source), r);
    }
    return this.byText.get(textKey(clause, source));
  }

  /** Whether the record is the clause's own (not one of the same text's). */
  has(clause: A.Clause): boolean {
    return this.records.has(clause);
  }

  /** The record of a clause for the next compilation. */
  keep(clause: A.Clause, record: T): void {
    this.next.set(clause, record);
  }

  /** The compilation of `source` is over: what it kept is what the next one finds. */
  commit(source: string): void {
    this.records = this.next;
    this.source = source;
    this.next = new Map();
    this.byText = undefined;
    this.misses = 0;
  }

  /** A compilation starts (after one that stopped: what it kept is dropped). */
  restart(): void {
    this.next = new Map();
    this.byText = undefined;
    this.misses = 0;
  }

  clear(): void {
    this.records.clear();
    this.restart();
  }
}

/** The share of its deferred facts a compilation writes when its clauses are checked (see ClauseReuse.sweep). */
const SWEEP_SHARE = 16;

/** What one document's compilations keep from one to the next (held by IncrementalState). */
export class ClauseReuse {
  /** What checking and reading each clause did in the last compilation, and what it read the text as. */
  private readonly records = new ClauseRecords<ClauseRecord>();
  private readonly readings = new ClauseRecords<ReadingRecord>();
  private readKey = '';
  private source = '';
  /** Clauses whose reading was replayed and whose facts are not put back yet (see end). */
  private readonly unrestored = new Map<A.Clause, ReadingRecord>();
  /**
   * The records the last compilation applied, in order (undefined: a clause it checked without
   * a record), and this one's so far. While this one applies the same records in the same
   * order, the tables are as they were then, so the lookups of the next are not compared again.
   */
  private order: (ClauseRecord | undefined)[] = [];
  private nextOrder: (ClauseRecord | undefined)[] = [];
  private samePrefix = true;
  /**
   * The facts the last compilation deferred (Compilation.deferFacts): dropped when the next
   * starts, which replaces it (their writes hold the compilation; records outlive it).
   */
  private deferred: DeferredFacts[] = [];
  /**
   * Where the next compilation starts writing a share of its deferred facts. Facts never read
   * stay those of the compilation that last wrote them, whose variables they name: writing a
   * sixteenth of them after each compilation, in turn, lets go of any compilation older than
   * sixteen (an edit costs a sixteenth of writing them all).
   */
  private sweep = 0;
  /** Clauses replayed and checked in the last compilation (for tests and measurements). */
  replayed = 0;
  checked = 0;

  /** A compilation of `source` starts reading it; `readKey` says what it reads besides the clauses. */
  begin(readKey: string, source: string): void {
    for (const d of this.deferred) {
      d.owner = 0;
      d.write = undefined;
    }
    this.deferred = [];
    if (readKey !== this.readKey) {
      this.records.clear();
      this.readings.clear();
      this.order = [];
    } else {
      this.records.restart();
      this.readings.restart();
    }
    this.readKey = readKey;
    this.source = source;
    this.unrestored.clear();
    this.nextOrder = [];
    this.samePrefix = true;
    this.replayed = 0;
    this.checked = 0;
  }

  /** Its clauses are checked: what it recorded is what the next compilation reuses. */
  end(c: Compilation): void {
    const n = this.deferred.length;
    for (let k = 0; k < Math.ceil(n / SWEEP_SHARE); k++) c.settleDeferred(this.deferred[(this.sweep + k) % n]!);
    this.sweep = n === 0 ? 0 : (this.sweep + Math.ceil(n / SWEEP_SHARE)) % n;
    // A clause whose reading was replayed but that was not checked (its probes failed): its facts too.
    for (const [clause, reading] of this.unrestored) restoreReading(c, clause, reading);
    this.unrestored.clear();
    this.records.commit(this.source);
    this.readings.commit(this.source);
    this.order = this.nextOrder;
    this.nextOrder = [];
  }

  /**
   * A compilation that did not check its clauses (a syntax error stopped it): the records of
   * the one before stay for the next (which compares what it read the text as, as always).
   */
  forget(): void {
    this.replayed = 0;
    this.checked = 0;
  }

  /** Whether reading the clause can be the last compilation's: it reported nothing, and stands after the same items. */
  readingReplayable(clause: A.Clause, itemsBefore: number): boolean {
    const reading = this.readings.get(clause, this.source);
    if (reading === undefined || reading.itemsBefore !== itemsBefore) return false;
    this.readings.keep(clause, reading);
    this.unrestored.set(clause, reading);
    return true;
  }

  /** Reading the clause reported nothing: records the facts it left. */
  recordReading(c: Compilation, clause: A.Clause, itemsBefore: number): void {
    const exprs = clauseExpressions(clause).exprs;
    const facts: ReadingRecord['facts'] = [];
    for (let i = 0; i < exprs.length; i++) {
      const f = c.facts(exprs[i]!);
      if (f !== undefined) facts.push({ expr: i, folded: f.folded, parseChecked: f.parseChecked });
    }
    this.readings.keep(clause, { itemsBefore, facts });
  }

  /**
   * Checks a clause body (`check`), or replays the record of the same clause from the last
   * compilation when everything it looked up is the same.
   */
  checkClause(c: Compilation, clause: A.Clause, state: ClauseState, endLine: number, itemsBefore: number, readingReplayed: boolean, check: () => void): void {
    const reading = readingReplayed ? this.unrestored.get(clause) : undefined;
    if (reading !== undefined) this.unrestored.delete(clause);
    const record = this.records.get(clause, this.source);
    const key: ClausePlace = { itemsBefore, unit: c.unit, state };
    const trusted = this.samePrefix && record !== undefined && this.order[this.nextOrder.length] === record;
    if (record !== undefined && replayable(c, record, key, endLine, trusted)) {
      this.nextOrder.push(record);
      const sameItem = this.records.has(clause);
      if (replay(c, record, clause, state, sameItem)) this.deferred.push(record.deferred!);
      // Another item of the same text: the records on its nodes are not those of the record.
      this.records.keep(clause, sameItem ? record : onItem(c, record, clause));
      this.replayed++;
      return;
    }
    if (reading !== undefined) restoreReading(c, clause, reading);
    const prefix = this.samePrefix;
    // The record this clause's place had last time: when the clause left the tables as that
    // one did, the clauses after it find them as they were (the clause typed in, usually).
    const previous = prefix ? this.order[this.nextOrder.length] : undefined;
    this.samePrefix = false;
    this.checked++;
    const recorder = new Recorder(c, clause);
    const mark = c.diagnostics.length;
    const outer = tracking.active;
    tracking.active = recorder;
    try {
      check();
    } finally {
      tracking.active = outer;
    }
    const made = recorder.finish(key, c.diagnostics.slice(mark), endLine);
    if (made !== undefined) this.records.keep(clause, made);
    if (made !== undefined && previous !== undefined && sameTableEffects(made, previous)) this.samePrefix = true;
    this.nextOrder.push(made);
  }
}

/**
 * Whether two records leave the variable and aggregation tables the same: what later clauses'
 * lookups find (references, diagnostics and facts are the clause's own). Creation lines are
 * compared by every record that reads one, trusted or not.
 */
function sameTableEffects(a: ClauseRecord, b: ClauseRecord): boolean {
  if (a.variables.length !== b.variables.length || a.aggregations.length !== b.aggregations.length) return false;
  for (let i = 0; i < a.variables.length; i++) {
    const x = a.variables[i]!;
    const y = b.variables[i]!;
    if (x.table !== y.table || x.name !== y.name || x.created !== y.created || x.definitionUnit !== y.definitionUnit) return false;
    if (x.setShape !== y.setShape || (x.setShape && x.shape !== y.shape)) return false;
    if (x.setType !== y.setType || (x.setType && x.type !== y.type && typeKey(x.type) !== typeKey(y.type))) return false;
    if (x.setKeys !== y.setKeys || (x.setKeys && !sameKeys(x.keys, y.keys))) return false;
    if (x.setFlags !== y.setFlags || (x.setFlags && (x.flags !== y.flags || x.userland !== y.userland))) return false;
  }
  for (let i = 0; i < a.aggregations.length; i++) {
    const x = a.aggregations[i]!;
    const y = b.aggregations[i]!;
    if (x.name !== y.name || x.created !== y.created) return false;
    if (x.setFn !== y.setFn || (x.setFn && x.fn !== y.fn)) return false;
    if (x.setKeys !== y.setKeys || (x.setKeys && !sameKeys(x.keys, y.keys))) return false;
    if (x.setParams !== y.setParams || (x.setParams && !sameParams(x.params, y.params))) return false;
  }
  return true;
}

/** The record, its facts' records those on the nodes of `clause` (replayed on it). */
function onItem(c: Compilation, record: ClauseRecord, clause: A.Clause): ClauseRecord {
  const exprs = clauseExpressions(clause).exprs;
  const facts = record.facts.map((f) => ({ ...f, kept: c.factsOnNode(exprs[f.expr]!) }));
  return { ...record, facts, deferred: c.deferrable(facts.map((f) => f.kept)) };
}

/** The facts reading a clause left, put back (its parse-time checks were not run again). */
function restoreReading(c: Compilation, clause: A.Clause, reading: ReadingRecord): void {
  const exprs = clauseExpressions(clause).exprs;
  for (const r of reading.facts) {
    const f = c.factsFor(exprs[r.expr]!);
    f.folded = r.folded;
    f.parseChecked = r.parseChecked;
  }
}

const textKey = (clause: A.Clause, source: string): string => `${clause.span.start.column}:${source.slice(clause.span.startIndex, clause.span.endIndex)}`;

// ---- recording ----

interface Touched {
  created: boolean;
  referencesBefore: number;
  /** The fields as the clause found them. */
  before: Record<string, unknown>;
}

const scopeKind = (scope: VariableTable['scope']): typeof GLOBAL | typeof THREAD | typeof CLAUSE => (scope === 'global' ? GLOBAL : scope === 'thread' ? THREAD : CLAUSE);

class Recorder implements ClauseTracker {
  private readonly reads: Read[] = [];
  private readonly seen = new Set<string>();
  private readonly variables = new Map<Variable, Touched>();
  private readonly aggregationsTouched = new Map<AggregationInfo, Touched>();
  private ok = true;
  private readonly base: number;
  private readonly baseRow: number;
  /** The clause's expressions by their span (a span recorded as the expression's). */
  private spans: Map<A.Span, number> | undefined;

  constructor(
    private readonly c: Compilation,
    private readonly clause: A.Clause,
  ) {
    this.base = clause.span.startIndex;
    this.baseRow = clause.span.start.row;
  }

  private first(kind: ReadKind, name: string): boolean {
    const key = `${kind}${name}`;
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    return true;
  }

  variable(table: VariableTable, name: string, v: Variable | undefined, created: boolean): void {
    const kind = scopeKind(table.scope);
    if (this.first(kind, name)) this.reads.push({ kind, name, variable: created ? undefined : variableSeen(v), aggregation: undefined, line: '' });
    if (v !== undefined && !this.variables.has(v))
      this.variables.set(v, {
        created,
        referencesBefore: created ? 0 : v.references.length,
        before: created ? {} : { shape: v.shape, type: v.type, keys: v.keys, flags: variableFlagsOf(v), userland: userlandVariables.has(v) },
      });
  }

  aggregation(name: string, info: AggregationInfo | undefined, created: boolean): void {
    if (this.first(AGGREGATION, name)) this.reads.push({ kind: AGGREGATION, name, variable: undefined, aggregation: created ? undefined : aggregationSeen(info), line: '' });
    if (info !== undefined && !this.aggregationsTouched.has(info))
      this.aggregationsTouched.set(info, { created, referencesBefore: created ? 0 : info.references.length, before: created ? {} : { fn: info.fn, keys: info.keys, params: info.params } });
  }

  creationLine(info: AggregationInfo, line: number | undefined): void {
    if (this.first(CREATION_LINE, info.name)) this.reads.push({ kind: CREATION_LINE, name: info.name, variable: undefined, aggregation: undefined, line: String(line) });
  }

  unrecordable(): void {
    this.ok = false;
  }

  /** The record of the clause just checked, if everything it did is inside it. */
  finish(place: ClausePlace, diagnostics: Diagnostic[], endLine: number): ClauseRecord | undefined {
    if (!this.ok) return undefined;
    const clause = this.clause;
    const exprs = clauseExpressions(clause).exprs;
    this.spans = new Map();
    for (let i = 0; i < exprs.length; i++) if (!this.spans.has(exprs[i]!.span)) this.spans.set(exprs[i]!.span, i);
    let usedEndLine = false;
    const recorded: RecordedDiagnostic[] = [];
    for (const d of diagnostics) {
      if (d.file !== undefined) return undefined;
      const span = this.span(d.span);
      if (span === undefined) return undefined;
      const related: RecordedSpan[] = [];
      for (const r of d.related ?? []) {
        const rel = r.file === undefined ? this.span(r.span) : undefined;
        if (rel === undefined) return undefined;
        related.push(rel);
      }
      let line: number | undefined;
      if (d.line !== undefined) {
        // A line inside the clause moves with it; the text's last line is a lookup of its own.
        if (d.line - 1 >= clause.span.start.row && d.line - 1 <= clause.span.end.row + 1) line = d.line - 1 - this.baseRow;
        else if (d.line === endLine && d.code === 'D_PRED_SCALAR') usedEndLine = true;
        else return undefined;
      }
      recorded.push({ d, span, related, line });
    }
    const variables: VariableEffect[] = [];
    for (const [v, t] of this.variables) {
      if (v.definitionFile !== undefined) return undefined;
      const references = this.references(v.references, t.referencesBefore);
      if (references === undefined) return undefined;
      const definition = t.created && v.definition !== undefined ? this.span(v.definition) : undefined;
      if (t.created && v.definition !== undefined && definition === undefined) return undefined;
      const flags = variableFlagsOf(v);
      const userland = userlandVariables.has(v);
      variables.push({
        table: scopeKind(v.scope),
        name: v.name,
        created: t.created,
        definition,
        definitionUnit: v.definitionUnit,
        setShape: t.created || v.shape !== t.before.shape,
        shape: v.shape,
        setType: t.created || v.type !== t.before.type,
        type: v.type,
        setKeys: t.created || v.keys !== t.before.keys,
        keys: v.keys,
        setFlags: t.created || flags !== t.before.flags || userland !== t.before.userland,
        flags,
        userland,
        references,
      });
    }
    const aggregations: AggregationEffect[] = [];
    for (const [info, t] of this.aggregationsTouched) {
      const references = this.references(info.references, t.referencesBefore);
      if (references === undefined) return undefined;
      let definition: RecordedSpan | undefined;
      let creationRow: number | undefined;
      if (t.created) {
        definition = info.definition !== undefined ? this.span(info.definition) : undefined;
        if (info.definition !== undefined && definition === undefined) return undefined;
        const line = creationLineUntracked(info);
        if (line !== undefined) {
          if (line - 1 < clause.span.start.row || line - 1 > clause.span.end.row + 1) return undefined;
          creationRow = line - 1 - this.baseRow;
        }
      }
      aggregations.push({
        name: info.name,
        created: t.created,
        definition,
        creationRow,
        setFn: t.created || info.fn !== t.before.fn,
        fn: info.fn,
        setKeys: t.created || info.keys !== t.before.keys,
        keys: info.keys,
        setParams: t.created || info.params !== t.before.params,
        params: info.params,
        references,
      });
    }
    const facts: RecordedFacts[] = [];
    for (let i = 0; i < exprs.length; i++) {
      // Every record of facts this compilation made (an empty one too: it exists as in a check).
      const f = this.c.facts(exprs[i]!);
      if (f === undefined) continue;
      const t = f.typed as (TypedInfo & { ident?: { variable?: Variable }; span?: A.Span }) | undefined;
      let relink: Relink | undefined;
      if (t !== undefined && (t.ident?.variable !== undefined || t.span !== undefined)) {
        const v = t.ident?.variable;
        const span = t.span !== undefined ? this.span(t.span) : undefined;
        if (t.span !== undefined && span === undefined) return undefined;
        relink = { variable: v && { table: v.scope === 'global' ? GLOBAL : v.scope === 'thread' ? THREAD : CLAUSE, name: v.name }, span };
      }
      // Without its variable: a record outlives its compilation, whose variables (and their
      // references to every clause) it must not keep alive.
      const typed = relink?.variable !== undefined ? ({ ...t, ident: { ...t!.ident!, variable: undefined } } as TypedInfo) : t;
      facts.push({ expr: i, kept: this.c.factsOnNode(exprs[i]!), typed, folded: f.folded, parseChecked: f.parseChecked, relink });
    }
    // Facts on a node the expression list does not have (none known) could not be replayed.
    let withFacts = 0;
    eachNode(clause, (node) => {
      const f = this.c.facts(node);
      if (f !== undefined) withFacts++;
    });
    if (withFacts !== facts.length) return undefined;
    const deferred = this.c.deferrable(facts.map((f) => f.kept));
    return { state: stateKey(place), reads: this.reads, readsLines: this.reads.some((r) => r.kind === CREATION_LINE), endLine: usedEndLine ? endLine : undefined, variables, aggregations, diagnostics: recorded, facts, deferred };
  }

  private references(all: readonly { span: A.Span; write: boolean; file?: string }[], from: number): RecordedReference[] | undefined {
    const out: RecordedReference[] = [];
    for (let i = from; i < all.length; i++) {
      const r = all[i]!;
      const span = r.file === undefined ? this.span(r.span) : undefined;
      if (span === undefined) return undefined;
      out.push({ span, write: r.write });
    }
    return out;
  }

  /** The span as a record keeps it, when it is inside the clause. */
  private span(s: A.Span): RecordedSpan | undefined {
    const expr = this.spans!.get(s);
    if (expr !== undefined) return expr;
    const clause = this.clause.span;
    if (s.startIndex < clause.startIndex || s.endIndex > clause.endIndex) return undefined;
    return [s.startIndex - this.base, s.endIndex - this.base, s.start.row - this.baseRow, s.start.column, s.end.row - this.baseRow, s.end.column];
  }
}

function creationLineUntracked(info: AggregationInfo): number | undefined {
  const outer = tracking.active;
  tracking.active = undefined;
  try {
    return creationLine(info);
  } finally {
    tracking.active = outer;
  }
}

// ---- replaying ----

function tableOf(c: Compilation, kind: ReadKind): VariableTable {
  return kind === GLOBAL ? c.globals : kind === THREAD ? c.threadLocals : c.clauseLocals;
}

/**
 * Whether the record holds for the clause now: the same probes, and every lookup the same
 * (`trusted`: the tables are those the record was last applied to, as the same records were
 * applied before it in the same order).
 */
function replayable(c: Compilation, record: ClauseRecord, key: ClausePlace, endLine: number, trusted: boolean): boolean {
  if (!sameState(record.state, key)) return false;
  if (record.endLine !== undefined && record.endLine !== endLine) return false;
  // A line read (an aggregation's creation line) depends on where the other clause is now: always compared.
  if (!trusted || record.readsLines) for (const r of record.reads) {
    if (r.kind === AGGREGATION) {
      if (!sameAggregation(c.aggregations.get(r.name), r.aggregation)) return false;
    } else if (r.kind === CREATION_LINE) {
      const info = c.aggregations.get(r.name);
      if (String(info === undefined ? undefined : creationLineUntracked(info)) !== r.line) return false;
    } else if (!sameVariable(tableOf(c, r.kind).get(r.name), r.variable)) return false;
  }
  // Types written into the tables must be this compilation's (a struct is the same object).
  for (const v of record.variables) if ((v.setType && !portable(c, v.type)) || (v.setKeys && v.keys !== undefined && !v.keys.every((t) => portable(c, t)))) return false;
  for (const a of record.aggregations) if (a.setKeys && a.keys !== undefined && !a.keys.every((t) => portable(c, t))) return false;
  return true;
}

/** A recorded span where the clause is now (an expression's own span object, when it is one). */
function spanAt(s: RecordedSpan, exprs: readonly A.Expr[], base: number, baseRow: number): A.Span {
  if (typeof s === 'number') return exprs[s]!.span;
  return { start: { row: s[2] + baseRow, column: s[3] }, end: { row: s[4] + baseRow, column: s[5] }, startIndex: s[0] + base, endIndex: s[1] + base };
}

/** Replays the record; whether its facts were deferred (written when first read). */
function replay(c: Compilation, record: ClauseRecord, clause: A.Clause, state: ClauseState, sameItem: boolean): boolean {
  const base = clause.span.startIndex;
  const baseRow = clause.span.start.row;
  const exprs = clauseExpressions(clause).exprs;
  for (const e of record.variables) {
    const table = tableOf(c, e.table);
    let v: Variable;
    if (e.created) {
      v = table.create(e.name, e.shape);
      if (e.definition !== undefined) v.definition = spanAt(e.definition, exprs, base, baseRow);
      if (e.definitionUnit !== undefined) v.definitionUnit = e.definitionUnit;
    } else v = table.get(e.name)!;
    if (e.setShape) v.shape = e.shape;
    if (e.setType) v.type = e.type;
    if (e.setKeys) {
      if (e.keys !== undefined) v.keys = e.keys;
      else delete v.keys;
    }
    if (e.setFlags) restoreVariableFlags(v, e.flags, e.userland);
    for (const r of referencesOf(e, clause, state.index, exprs, base, baseRow)) v.references.push(r);
  }
  for (const e of record.aggregations) {
    let info: AggregationInfo;
    if (e.created) {
      info = { name: e.name, fn: undefined, keys: undefined, definition: e.definition !== undefined ? spanAt(e.definition, exprs, base, baseRow) : undefined, references: [] };
      c.aggregations.set(e.name, info);
      setCreationLine(info, e.creationRow !== undefined ? e.creationRow + baseRow + 1 : undefined);
    } else info = aggregationOf(c, e.name)!;
    if (e.setFn) info.fn = e.fn;
    if (e.setKeys) info.keys = e.keys;
    if (e.setParams) {
      if (e.params !== undefined) info.params = e.params;
      else delete info.params;
    }
    for (const r of referencesOf(e, clause, state.index, exprs, base, baseRow)) info.references.push(r);
  }
  for (const r of record.diagnostics) {
    const d: Diagnostic = { ...r.d, span: spanAt(r.span, exprs, base, baseRow) };
    if (r.d.related) d.related = r.d.related.map((x, i) => ({ ...x, span: spanAt(r.related[i]!, exprs, base, baseRow) }));
    if (r.line !== undefined) d.line = r.line + baseRow + 1;
    c.diagnostics.push(d);
  }
  if (sameItem && record.deferred !== undefined) {
    c.deferFacts(record.deferred, () => replayFacts(c, record, true, exprs, base, baseRow));
    return true;
  }
  replayFacts(c, record, sameItem, exprs, base, baseRow);
  return false;
}

function replayFacts(c: Compilation, record: ClauseRecord, sameItem: boolean, exprs: readonly A.Expr[], base: number, baseRow: number): void {
  for (const r of record.facts) {
    const typed = r.typed !== undefined && r.relink !== undefined ? relinkTyped(c, r.typed, r.relink, exprs, base, baseRow) : r.typed;
    // The record on the node itself, when the clause is the AST item it was recorded on.
    if (sameItem && r.kept !== undefined && c.adoptFacts(r.kept, typed, r.folded, r.parseChecked)) continue;
    const f = c.factsFor(exprs[r.expr]!);
    f.typed = typed;
    f.folded = r.folded;
    f.parseChecked = r.parseChecked;
  }
}

/** The references an effect adds, where the clause is now (those of the last replay when nothing moved). */
function referencesOf(e: VariableEffect | AggregationEffect, clause: A.Clause, index: number, exprs: readonly A.Expr[], base: number, baseRow: number): Reference[] {
  const made = e.made;
  // Spans that are expressions' own move with the item (buildAst moves a kept item's spans in place).
  if (made !== undefined && made.clause === clause && made.index === index && ((made.base === base && made.baseRow === baseRow) || e.references.every(onExpression))) return made.references;
  const references = e.references.map((r): Reference => ({ span: spanAt(r.span, exprs, base, baseRow), write: r.write, clause: index }));
  if (references.length > 0) e.made = { clause, index, base, baseRow, references };
  return references;
}

const onExpression = (r: RecordedReference): boolean => typeof r.span === 'number';

/** A typed fact made this compilation's: its variable this compilation's, its span where the clause is now. */
function relinkTyped(c: Compilation, typed: TypedInfo, relink: Relink, exprs: readonly A.Expr[], base: number, baseRow: number): TypedInfo {
  const copy = { ...typed } as TypedInfo & { ident?: { variable?: Variable }; span?: A.Span };
  if (relink.variable !== undefined) copy.ident = { ...copy.ident!, variable: tableOf(c, relink.variable.table).get(relink.variable.name)! };
  if (relink.span !== undefined) copy.span = spanAt(relink.span, exprs, base, baseRow);
  return copy;
}

// ---- what a lookup found, as a string ----

function variableSeen(v: Variable | undefined): VariableSeen | undefined {
  if (v === undefined) return undefined;
  return {
    shape: v.shape,
    type: v.type,
    typeKey: typeKey(v.type),
    keys: v.keys,
    declared: v.declared,
    flags: variableFlagsOf(v),
    userland: userlandVariables.has(v),
    unit: v.definitionUnit,
    file: v.definitionFile,
    binding: v.binding,
  };
}

function sameVariable(v: Variable | undefined, seen: VariableSeen | undefined): boolean {
  if (v === undefined || seen === undefined) return v === undefined && seen === undefined;
  return (
    v.shape === seen.shape &&
    v.declared === seen.declared &&
    v.definitionUnit === seen.unit &&
    v.definitionFile === seen.file &&
    v.binding === seen.binding &&
    (v.type === seen.type || typeKey(v.type) === seen.typeKey) &&
    sameKeys(v.keys, seen.keys) &&
    variableFlagsOf(v) === seen.flags &&
    userlandVariables.has(v) === seen.userland
  );
}

function aggregationSeen(info: AggregationInfo | undefined): AggregationSeen | undefined {
  if (info === undefined) return undefined;
  return { fn: info.fn, keys: info.keys, params: info.params?.slice() };
}

function sameAggregation(info: AggregationInfo | undefined, seen: AggregationSeen | undefined): boolean {
  if (info === undefined || seen === undefined) return info === undefined && seen === undefined;
  return info.fn === seen.fn && sameKeys(info.keys, seen.keys) && sameParams(info.params, seen.params);
}

/** Key types told apart as typeKey tells them apart (compared as they are asked for: after every edit, for every clause). */
function sameKeys(keys: readonly CType[] | undefined, seen: readonly CType[] | undefined): boolean {
  if (keys === seen) return true;
  if (keys === undefined || seen === undefined || keys.length !== seen.length) return false;
  for (let i = 0; i < keys.length; i++) if (keys[i] !== seen[i] && typeKey(keys[i]) !== typeKey(seen[i])) return false;
  return true;
}

/** No parameters and an empty list are the same (as the list joined was). */
function sameParams(params: readonly bigint[] | undefined, seen: readonly bigint[] | undefined): boolean {
  const a = params ?? [];
  const b = seen ?? [];
  return a.length === b.length && a.every((p, i) => p === b[i]);
}

/** Where a clause is checked: how many other items and control lines come before it, its unit, its ClauseState. */
interface ClausePlace {
  itemsBefore: number;
  unit: number;
  state: ClauseState;
}

/** What a record keeps of its clause's place (compared field by field: a string made per clause per edit was garbage). */
interface StateKey {
  itemsBefore: number;
  unit: number;
  description: string;
  probes: number[];
  args: string;
  problem: string;
  untyped: boolean;
}

function stateKey(place: ClausePlace): StateKey {
  const state = place.state;
  return {
    itemsBefore: place.itemsBefore,
    unit: place.unit,
    description: state.description,
    probes: state.probes.map((p) => p.id),
    args: argsKey(state),
    problem: problemKey(state),
    untyped: state.untypedArgs === true,
  };
}

function sameState(k: StateKey, place: ClausePlace): boolean {
  const state = place.state;
  if (k.itemsBefore !== place.itemsBefore || k.unit !== place.unit || k.description !== state.description || k.untyped !== (state.untypedArgs === true)) return false;
  const probes = state.probes;
  if (probes.length !== k.probes.length) return false;
  for (let i = 0; i < probes.length; i++) if (probes[i]!.id !== k.probes[i]) return false;
  return k.args === argsKey(state) && k.problem === problemKey(state);
}

const argsKey = (state: ClauseState): string => (state.argTypes === undefined ? '?' : state.argTypes.length === 0 ? '' : state.argTypes.map(typeKey).join(','));

const problemKey = (state: ClauseState): string => (state.argsProblem === undefined ? '' : `${state.argsProblem.tag}:${state.argsProblem.message}`);

/** Types are immutable (a struct is named by its tag only): each one's key is made once. */
const typeKeys = new WeakMap<CType, string>();

/** Types told apart as the checks tell them apart (a struct by its tag: the declarations are the same). */
function typeKey(t: CType | undefined): string {
  if (t === undefined) return '?';
  let key = typeKeys.get(t);
  if (key === undefined) typeKeys.set(t, (key = makeTypeKey(t)));
  return key;
}

const anonymous = new WeakMap<object, number>();
let anonymousCount = 0;

function makeTypeKey(t: CType): string {
  switch (t.kind) {
    case 'void':
      return 'v';
    case 'int':
      return `i${t.name}/${t.size}${t.signed ? 's' : 'u'}`;
    case 'float':
      return `f${t.name}`;
    case 'string':
      return 's';
    case 'pointer':
      return `p${t.userland === true ? 'u' : ''}${t.constTarget === true ? 'c' : ''}(${typeKey(t.to)})`;
    case 'array':
      return `a${t.length}(${typeKey(t.of)})`;
    case 'struct':
    case 'union':
    case 'enum': {
      if (t.tag !== undefined) return `${t.kind} ${t.tag}`;
      // An anonymous one is itself only (another compilation's never matches).
      let n = anonymous.get(t);
      if (n === undefined) anonymous.set(t, (n = ++anonymousCount));
      return `${t.kind} #${n}`;
    }
    case 'function':
      return `fn(${typeKey(t.ret)};${t.params.map(typeKey).join(',')}${t.varargs ? ';...' : ''})`;
    case 'typedef':
      return `t${t.name}=${typeKey(t.target)}`;
  }
}

/** Whether every struct, union, enum and typedef in `t` is the one this compilation knows by that name. */
function portable(c: Compilation, t: CType | undefined): boolean {
  if (t === undefined) return true;
  switch (t.kind) {
    case 'pointer':
      return portable(c, t.to);
    case 'array':
      return portable(c, t.of);
    case 'function':
      return portable(c, t.ret) && t.params.every((p) => portable(c, p));
    case 'struct':
    case 'union':
    case 'enum':
      return t.tag !== undefined && c.types.tags.get(`${t.kind} ${t.tag}`) === t;
    case 'typedef':
      return c.types.typedefs.get(t.name) === t;
    default:
      return true;
  }
}

/** Every node of a clause's predicate and body (what may carry facts). */
function eachNode(clause: A.Clause, visit: (node: object) => void): void {
  if (clause.predicate) walk(clause.predicate, visit);
  if (clause.body) walk(clause.body, visit);
}

function walk(v: unknown, visit: (node: object) => void): void {
  if (typeof v !== 'object' || v === null) return;
  if (Array.isArray(v)) {
    for (const x of v) walk(x, visit);
    return;
  }
  const o = v as Record<string, unknown>;
  // A span (its points are not nodes).
  if (typeof o.startIndex === 'number') return;
  visit(o);
  for (const k in o) {
    const x = o[k];
    if (typeof x === 'object' && x !== null) walk(x, visit);
  }
}
