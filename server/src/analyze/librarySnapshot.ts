// The D library files of a flavour, read once: the state of a compilation that has read them
// (types, inlines, enumerators, translators, what it found out about their nodes) is kept, and
// each compilation of a script starts from a fork of it instead of reading them again.
//
// A script changes that state as it is compiled: it adds names, pragmas bind library inlines
// to versions, variables collect references, nodes collect facts. A fork therefore copies
// every table, and every record in it a script may change (node facts, many and rarely
// written, are shared frozen and copied on write); what it shares (types, the library ASTs,
// translators) a script cannot change — except an incomplete struct, union or enum (a
// kernel type the libraries only point to), which a script may complete in place: such a
// compilation is undone and made again without the snapshot (see restoreIncomplete).
import { Compilation, TypedExpressions } from './compilation';
import { VariableTable } from './symbols';
import { TypeTable } from './types/typeTable';
import type { EnumType, StructType } from './types/ctype';

/** A compilation that has read the D library files and nothing else. */
export interface LibrarySnapshot {
  readonly state: Compilation;
  /** The library files' own diagnostics (ours, not the user's: reported as warnings). */
  readonly diagnostics: Compilation['diagnostics'];
  /** The incomplete structs, unions and enums it shares, each with its fields as they are. */
  readonly incomplete: readonly { type: StructType | EnumType; fields: Record<string, unknown> }[];
}

/** The fields whose map values are records a compilation changes in place: copied one by one. */
const CHANGING_RECORDS = new Set(['inlines', 'enumerators', 'aggregations', 'vars', 'retired']);

/**
 * The facts about library nodes are many and rarely written by a script: they are frozen in
 * the snapshot and shared, not copied (Compilation.inheritFacts), and Compilation.factsFor
 * copies one before it is written.
 */
const SHARED_FIELDS = new Set(['nodeFacts']);

const isIncomplete = (t: StructType | EnumType): boolean => (t.kind === 'enum' ? t.enumerators === undefined : t.members === undefined);

/**
 * After a compilation from `snapshot`: whether it completed a struct, union or enum the
 * snapshot shares. If so, the shared types are put back as they were (the compilation must be
 * made again without the snapshot: its types are now wrong for it, and it is the caller's).
 */
export function restoreIncomplete(snapshot: LibrarySnapshot): boolean {
  let changed = false;
  for (const { type, fields } of snapshot.incomplete) {
    if (isIncomplete(type)) continue;
    changed = true;
    for (const k of Object.keys(type)) if (!(k in fields)) delete (type as unknown as Record<string, unknown>)[k];
    Object.assign(type, fields);
  }
  return changed;
}

/** A compilation that starts where `snapshot` is, and whose changes only it sees. */
export function forkLibraries(snapshot: LibrarySnapshot): Compilation {
  const from = snapshot.state;
  const copies = new Map<object, object>([[from, Object.create(Object.getPrototypeOf(from) as object) as object]]);
  const fork = copies.get(from) as Compilation;
  copyFields(from, fork, copies);
  fork.inheritFacts(from);
  return fork;
}

/** Copies `from`'s own fields onto `to`: tables copied, owned objects forked, the rest shared. */
function copyFields(from: object, to: object, copies: Map<object, object>): void {
  for (const [name, value] of Object.entries(from)) (to as Record<string, unknown>)[name] = SHARED_FIELDS.has(name) ? undefined : forkValue(name, value, copies);
}

function forkValue(name: string, value: unknown, copies: Map<object, object>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const done = copies.get(value);
  if (done !== undefined) return done;
  const records = CHANGING_RECORDS.has(name);
  let copy: object;
  if (value instanceof Map) {
    if (!records) copy = new Map(value as Map<unknown, unknown>);
    else {
      const m = new Map<unknown, unknown>();
      for (const [k, v] of value as Map<unknown, unknown>) m.set(k, record(v));
      copy = m;
    }
  } else if (value instanceof Set) copy = new Set(value as Set<unknown>);
  else if (Array.isArray(value)) copy = records ? value.map(record) : value.slice();
  else if (owned(value)) {
    copy = Object.create(Object.getPrototypeOf(value) as object) as object;
    copies.set(value, copy);
    copyFields(value, copy, copies);
    return copy;
  } else return value;
  copies.set(value, copy);
  return copy;
}

/**
 * The compilation's own helper objects (variable tables, the type table, the typed-expression
 * view): instances of the analyzer's classes that are not types or AST nodes. Plain records,
 * types (plain objects) and library data (frozen or shared) are not owned.
 */
function owned(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto !== null && proto !== Object.prototype && OWNED_CLASSES.has((proto as { constructor: unknown }).constructor);
}

const OWNED_CLASSES = new Set<unknown>([Compilation, TypedExpressions, VariableTable, TypeTable]);

/** A record (variable, inline, node facts...): a copy, with its lists copied too. */
function record(v: unknown): unknown {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
  const copy: Record<string, unknown> = { ...(v as Record<string, unknown>) };
  for (const k in copy) {
    const x = copy[k];
    if (Array.isArray(x)) copy[k] = x.slice();
  }
  return copy;
}

/** Snapshots by flavour and settings; null: the libraries' state is not shared. */
const snapshots = new Map<string, LibrarySnapshot | null>();

/**
 * D variables and aggregations have facts kept outside their records (weak maps keyed by the
 * record, in identifiers.ts and actionArguments.ts) that a fork's copies would not have: a
 * library state with any (our libraries define none) is not shared.
 */
function shareable(c: Compilation): boolean {
  return c.globals.all().length + c.threadLocals.all().length + c.clauseLocals.all().length + c.aggregations.size === 0;
}

/**
 * The snapshot for `key` (what the library reading depends on: flavour, settings, options),
 * made by `read` the first time: it compiles an empty program after the libraries.
 */
export function librarySnapshot(key: string, read: () => { compilation: Compilation; diagnostics: Compilation['diagnostics'] }): LibrarySnapshot | undefined {
  let s = snapshots.get(key);
  if (s === undefined) {
    const { compilation, diagnostics } = read();
    for (const facts of compilation.ownFacts()) Object.freeze(facts);
    const incomplete = [...compilation.types.tags.values()].filter(isIncomplete).map((type) => ({ type, fields: { ...type } as Record<string, unknown> }));
    s = shareable(compilation) ? { state: compilation, diagnostics, incomplete } : null;
    // Settings come in few combinations; a bound keeps a long session from collecting them.
    if (snapshots.size >= 16) snapshots.clear();
    snapshots.set(key, s);
  }
  return s ?? undefined;
}
