// Identifiers as DTrace resolves them while cooking (dt_xcook_ident, dt_cook_var): built-in
// variables, inlines, enumerators and D variables, which the first assignment, `++` or
// subscript creates; subscripts, which make associative arrays (their first use fixes the key
// types) or index memory (`x[i]` is `*(x + i)`); and args[] and uregs[].
import type * as A from '../parse/ast';
import * as variablesModule from './builtins/variables';
import * as functionsModule from './builtins/functions';
import { type BuiltinFunction } from './builtins/functions';
import type { Compilation } from './compilation';
import * as callsModule from './calls';
import * as cookedModule from './cooked';
import { KIND_NAMES, DYNAMIC, type Cooked, type IdentKind, type Operand } from './cooked';
import * as expressionsModule from './expressions';
import * as literalsModule from './literals';
import * as lexicalErrorsModule from '../parse/lexicalErrors';
import * as parseTimeModule from './parseTime';
import * as ctypeModule from './types/ctype';
import { type CType, type StructType } from './types/ctype';
import * as symbolsModule from './symbols';
import type { EnumeratorInfo, InlineInfo, Variable } from './symbols';
import { aggregationOf } from './clauseTracking';
// Imported names bound once, here: the loader the sources run under (tsx, for the tests and
// the benchmarks) turns each use of an imported name into getter calls, and these are used for
// every clause, statement or expression. Only functions, and constants of modules that do not
// lead back to this one, are bound: they are defined before this module's body runs.
const { BUILTIN_ARRAYS, BUILTIN_VARIABLES } = variablesModule;
const { FUNCTIONS_BY_NAME } = functionsModule;
const { checkSignature } = callsModule;
const { nodeName, nodeTypeName, isDynamic, isVoidValue, operand, strip } = cookedModule;
const { additive, cookNode, dereference } = expressionsModule;
const { integerLiteral } = literalsModule;
const { integerConstantError } = lexicalErrorsModule;
const { foldConstant, lineOf } = parseTimeModule;
const { T, UNKNOWN, resolve, typeName } = ctypeModule;
const { REF, MOD, NONE } = symbolsModule;
const raise: typeof cookedModule.raise = cookedModule.raise;

const BUILTINS = new Map(BUILTIN_VARIABLES.map((v) => [v.name, v]));

// ---- variables: created on first use, "unreferenced" until read, written or declared ----

const variableFlags = new WeakMap<Variable, number>();
export const userlandVariables = new WeakSet<Variable>();

/** A variable this program created but has not yet read, written or declared: it has no type yet. */
export function unreferenced(v: Variable): boolean {
  return !v.declared && ((variableFlags.get(v) ?? 0) & (REF | MOD)) === 0;
}

/** The read and write flags of a variable (a clause's record keeps them). */
export function variableFlagsOf(v: Variable): number {
  return variableFlags.get(v) ?? 0;
}

/** Sets a variable's flags and whether it points into user space (a clause's record replayed). */
export function restoreVariableFlags(v: Variable, flags: number, userland: boolean): void {
  if (flags === 0) variableFlags.delete(v);
  else variableFlags.set(v, flags);
  if (userland) userlandVariables.add(v);
  else userlandVariables.delete(v);
}

/** Records a read or a write of a variable: it is no longer unreferenced, and the editor sees the reference. */
export function markUse(c: Compilation, v: Variable, flags: number, span: A.Span): void {
  if (flags === NONE) return;
  const known = variableFlags.get(v) ?? 0;
  if ((known | flags) !== known) variableFlags.set(v, known | flags);
  const ref = { span, write: (flags & MOD) !== 0, clause: c.clause?.index ?? -1 } as Variable['references'][number];
  if (c.file !== undefined) ref.file = c.file;
  v.references.push(ref);
}

/** A D variable created by its first use (an assignment, `++`, a subscript, `self->x`). */
function createVariable(c: Compilation, table: Compilation['globals'], name: string, shape: Variable['shape'], span: A.Span): Variable {
  const v = table.create(name, shape);
  v.definition = span;
  if (c.file !== undefined) v.definitionFile = c.file;
  v.definitionUnit = c.unit;
  return v;
}

const prefixOf = (v: Variable): string => (v.scope === 'thread' ? 'self->' : v.scope === 'clause' ? 'this->' : '');

// ---- kernel types: incomplete structs we have no definition of are not the user's fault ----

export const kernelStructs = new WeakSet<StructType>();

/**
 * Remembers the incomplete structs reachable from a type that comes from the kernel (a
 * built-in variable, a probe argument, a function's result, a library definition): without
 * the kernel's type information their members are unknown, not missing.
 */
export function markKernelType(t: CType, seen?: Set<CType>): void {
  // Through typedefs, pointers and arrays to what they name, remembering nothing: most types
  // (integers, strings) end there, and only a struct's members can lead back to the struct.
  let steps = 0;
  while ((t.kind === 'typedef' || t.kind === 'pointer' || t.kind === 'array') && steps++ < 64)
    t = t.kind === 'typedef' ? t.target : t.kind === 'pointer' ? t.to : t.of;
  if (t.kind !== 'struct' && t.kind !== 'union' && t.kind !== 'typedef' && t.kind !== 'pointer' && t.kind !== 'array') return;
  seen ??= new Set<CType>();
  if (seen.has(t)) return;
  seen.add(t);
  switch (t.kind) {
    case 'typedef':
      return markKernelType(t.target, seen);
    case 'pointer':
      return markKernelType(t.to, seen);
    case 'array':
      return markKernelType(t.of, seen);
    case 'struct':
    case 'union':
      if (t.members === undefined) kernelStructs.add(t);
      else for (const m of t.members) markKernelType(m.type, seen);
      return;
  }
}

/** A type that comes from the kernel, its incomplete structs remembered as such. */
export function kernelType(t: CType): CType {
  markKernelType(t);
  return t;
}

// ---- identifiers ----

type GlobalIdent =
  | { kind: 'scope'; name: string }
  | { kind: 'inline'; inline: InlineInfo }
  | { kind: 'builtin'; name: string; type: string }
  | { kind: 'builtinArray'; name: string }
  | { kind: 'function'; f: BuiltinFunction }
  | { kind: 'enum'; info: EnumeratorInfo }
  | { kind: 'variable'; v: Variable };

/** DTrace's global identifiers: inlines, built-in variables and functions, enumerators, D variables. */
export function lookupGlobal(c: Compilation, name: string): GlobalIdent | undefined {
  // `self` and `this` are DTrace's magic pointers, only meaningful before `->`.
  if (name === 'self' || name === 'this') return { kind: 'scope', name };
  const inline = c.inlines.get(name);
  if (inline) return { kind: 'inline', inline };
  const b = BUILTINS.get(name);
  if (b) return { kind: 'builtin', name, type: c.types.builtinVariableTypes.get(name) ?? b.type };
  if (BUILTIN_ARRAYS.has(name)) return { kind: 'builtinArray', name };
  const f = FUNCTIONS_BY_NAME.get(name);
  if (f) return { kind: 'function', f };
  const info = c.enumerators.get(name);
  if (info) return { kind: 'enum', info };
  const v = c.globals.get(name);
  if (v) return { kind: 'variable', v };
  return undefined;
}

/** The kind of identifier DTrace would have for a global name. */
export function globalKind(g: GlobalIdent): IdentKind {
  switch (g.kind) {
    case 'scope':
      return 'ptr';
    case 'inline':
      return g.inline.keys ? 'array' : 'scalar';
    case 'builtin':
      return 'scalar';
    case 'builtinArray':
      return 'array';
    case 'function':
      return g.f.kind === 'action' ? 'actfunc' : g.f.kind === 'aggregating' ? 'aggfunc' : 'func';
    case 'enum':
      return 'enum';
    case 'variable':
      return g.v.shape === 'assoc' ? 'array' : 'scalar';
  }
}

/** The node of a D variable; an associative array has no value type until subscripted. */
function variableNode(v: Variable): Cooked {
  const kind: IdentKind = v.shape === 'assoc' ? 'array' : 'scalar';
  const node: Cooked = { node: 'var', ident: { kind, name: v.name, variable: v }, type: kind === 'array' ? DYNAMIC : (v.type ?? DYNAMIC), lvalue: true, writable: true, dvar: true };
  if (userlandVariables.has(v)) node.userPointer = true;
  if (v.definitionFile !== undefined && v.type) markKernelType(v.type);
  return node;
}

/** The node of a global identifier, before its use is checked (dt_xcook_ident). */
function globalNode(c: Compilation, g: GlobalIdent): Cooked {
  const kind = globalKind(g);
  switch (g.kind) {
    case 'variable':
      return variableNode(g.v);
    case 'inline': {
      const type = kind === 'array' ? DYNAMIC : g.inline.type;
      if (g.inline.definitionFile !== undefined) markKernelType(g.inline.type);
      return { node: 'var', ident: { kind, name: g.inline.name, inline: g.inline }, type, lvalue: true, writable: false, dvar: true };
    }
    case 'builtin':
      return { node: 'var', ident: { kind, name: g.name }, type: kernelType(builtinType(c, g.type)), lvalue: true, writable: false, dvar: true };
    case 'builtinArray':
    case 'scope':
      return { node: 'var', ident: { kind, name: g.name }, type: DYNAMIC, lvalue: true, writable: false, dvar: true };
    case 'function':
      return { node: 'var', ident: { kind, name: g.f.name }, type: DYNAMIC, lvalue: true, writable: false };
    case 'enum':
      return { node: 'int', type: g.info.type, constant: g.info.value };
  }
}

const builtinTypes = new WeakMap<Compilation, Map<string, { type: CType; typedef: CType | undefined }>>();

/**
 * A built-in variable's type, from its text. A one-word text (`uint64_t`, `string`) is parsed
 * once per compilation: its type is the typedef of that name, which is looked up again each
 * time, or a type of C's words, which no typedef changes.
 */
function builtinType(c: Compilation, text: string): CType {
  if (!/^\w+$/.test(text)) return c.types.parse(text);
  let cache = builtinTypes.get(c);
  if (!cache) builtinTypes.set(c, (cache = new Map()));
  const typedef = c.types.typedefs.get(text);
  const hit = cache.get(text);
  if (hit && hit.typedef === typedef) return hit.type;
  const type = c.types.parse(text);
  cache.set(text, { type, typedef: c.types.typedefs.get(text) });
  return type;
}

/**
 * Resolves a global name used as `expected` (dt_xcook_ident): a known name of another kind is
 * an error; an unknown one is created when the context may create variables (assignment,
 * `++`, `[ ]`), is a kernel symbol when it has a backquote, and is undefined otherwise.
 */
export function resolveGlobal(c: Compilation, e: A.Ident, expected: 'scalar' | 'array', create: boolean): Cooked {
  const g = lookupGlobal(c, e.name);
  if (g) {
    const kind = globalKind(g);
    if (kind !== expected) raise(c, 'D_IDENT_BADREF', e.span, `${KIND_NAMES[kind]} '${e.name}' may not be referenced as ${KIND_NAMES[expected]}`);
    return globalNode(c, g);
  }
  // A kernel symbol: without kernel type information, an untyped 64-bit value in kernel memory.
  if (e.name.includes('`')) return { node: 'sym', ident: { kind: 'symbol', name: e.name }, type: UNKNOWN, lvalue: true, writable: false };
  if (create) return variableNode(createVariable(c, c.globals, e.name, expected === 'array' ? 'assoc' : 'scalar', e.span));
  raise(c, 'D_IDENT_UNDEF', e.span, `failed to resolve ${e.name}: Unknown variable name`);
}

/** A variable used without a subscript (dt_cook_var): reading one that has no value yet is an error. */
export function useVariable(c: Compilation, node: Cooked, flags: number, span: A.Span): Cooked {
  const id = node.ident;
  const v = id?.variable;
  if (!v) return node;
  if ((flags & REF) !== 0 && unreferenced(v)) raise(c, 'D_VAR_UNDEF', span, `${prefixOf(v)}${v.name} has not yet been declared or assigned`);
  if (id.kind === 'array' && flags !== NONE) {
    // An associative array used bare is a reference with no keys.
    checkKeys(c, node, [], span, span);
    node.type = v.type ?? DYNAMIC;
  }
  markUse(c, v, flags, span);
  return node;
}

/** A name read as a value. */
export function cookIdentifier(c: Compilation, e: A.Ident, flags: number): Cooked {
  return useVariable(c, resolveGlobal(c, e, 'scalar', false), flags, e.span);
}

/** `$1`, `$target`...: an integer or string constant, or the identifier the operand names. */
export function cookMacro(c: Compilation, e: A.MacroVar, flags: number): Cooked {
  const m = c.macros?.resolve(e.name);
  if (!m) raise(c, 'D_MACRO_UNDEF', e.span, `macro ${/^\$\$?\d+$/.test(e.name) ? 'argument' : 'variable'} ${e.name} is not defined`);
  if (m.kind === 'string') return { type: T.string, node: 'string', stringValue: m.text };
  if (m.kind === 'int') {
    const digits = m.text.replace(/^[+-]/, '');
    const problem = integerConstantError(digits, `macro argument ${e.name} `);
    if (problem) raise(c, problem.tag === 'D_INT_OFLOW' && problem.message.startsWith('macro') ? 'D_MACRO_OFLOW' : problem.tag, e.span, problem.message);
    const r = integerLiteral(digits);
    if (!r.ok) raise(c, r.tag, e.span, r.message);
    return { type: r.value.type, constant: m.text.startsWith('-') ? -r.value.value : r.value.value, node: 'int' };
  }
  // An identifier operand is substituted as that identifier.
  return cookIdentifier(c, { k: 'ident', name: m.text, span: e.span }, flags);
}

/** `self->x`, `this->x`: created by their first mention, checked when read (DT_TOK_PTR). */
export function cookLocalOrThreadVariable(c: Compilation, e: A.SelfVar | A.ThisVar, flags: number): Cooked {
  const table = e.k === 'self' ? c.threadLocals : c.clauseLocals;
  const v = table.get(e.name) ?? createVariable(c, table, e.name, 'scalar', e.span);
  const node = variableNode(v);
  return flags === NONE ? node : useVariable(c, node, flags, e.span);
}

/** `@a` read as a value (only some actions take one): it must exist. */
export function aggregationNode(c: Compilation, e: A.AggRef): Cooked {
  if (aggregationOf(c, e.name) === undefined) raise(c, 'D_IDENT_UNDEF', e.span, `failed to resolve ${e.name}: Unknown variable name`);
  return aggregation(e.name);
}

/** The node of an aggregation: dynamic, named without its `@`. */
export function aggregation(name: string): Cooked {
  return { node: 'agg', type: DYNAMIC, dynamic: true, ident: { kind: 'agg', name: name.slice(1) }, lvalue: true, writable: true };
}

// ---- subscripts: associative arrays, or *(a + i) ----

/**
 * `x[...]` (DT_TOK_LBRAC): an aggregation's tuple, an associative array (a new global or
 * thread-local variable becomes one), args[] or uregs[], or else `*(x + i)`.
 */
export function cookIndex(c: Compilation, e: A.Index, flags: number): Cooked {
  const base = strip(e.base);
  let lp: Cooked;
  if (base.k === 'agg') {
    // An aggregation's tuple is checked where the aggregation is assigned.
    lp = aggregation(base.name);
    c.typed.set(base, lp);
  } else if (base.k === 'ident' && !foldConstant(c, base)) {
    if (base.name === 'args' && lookupGlobal(c, base.name)?.kind === 'builtinArray') return cookArgs(c, e);
    if (base.name === 'uregs' && lookupGlobal(c, base.name)?.kind === 'builtinArray') return cookRegs(c, e);
    const g = lookupGlobal(c, base.name);
    lp = !g || (g.kind === 'variable' && unreferenced(g.v)) ? resolveGlobal(c, base, 'array', true) : globalNode(c, g);
    c.typed.set(base, lp);
  } else {
    lp = cookNode(c, e.base, NONE);
  }
  if (lp.node === 'agg') {
    if (lp.tuple) raise(c, 'D_AGG_MDIM', e.span, `improper attempt to reference @${lp.ident!.name} as a multi-dimensional array`);
    return { ...lp, tuple: true };
  }
  const v = lp.ident?.variable;
  const associative = lp.node === 'var' && (lp.ident!.kind === 'array' ? !lp.subscripted : v !== undefined && unreferenced(v));
  if (!associative) return cookSubscript(c, e, lp);
  if (lp.ident!.kind === 'scalar' && v) {
    // A self-> or this-> variable just created by this mention becomes an associative array.
    if (v.scope === 'clause') raise(c, 'D_ARR_LOCAL', e.span, `local variables may not be used as associative arrays: ${v.name}`);
    if (v.scope === 'thread') {
      v.shape = 'assoc';
      lp.ident!.kind = 'array';
    }
  }
  if (lp.ident!.kind !== 'array') raise(c, 'D_IDENT_BADREF', e.span, `${KIND_NAMES[lp.ident!.kind]} '${lp.ident!.name}' may not be referenced as ${KIND_NAMES.array}`);
  return cookAssociative(c, e, lp, flags);
}

/** `x[i]` on anything but an associative array is `*(x + i)`; a tuple is meaningless there. */
function cookSubscript(c: Compilation, e: A.Index, lp: Cooked): Cooked {
  if (lp.ident?.variable) markUse(c, lp.ident.variable, REF, e.base.span);
  const rp = cookNode(c, e.indices[0]!, REF);
  const sum = additive(c, e.span, '+', lp, rp);
  if (e.indices.length > 1) raise(c, 'D_ARR_BADREF', e.span, `cannot access ${nodeName(lp)} as an associative array`);
  return dereference(c, e.span, sum);
}

/** An associative array reference: the first one fixes the key types, later ones are checked against them. */
function cookAssociative(c: Compilation, e: A.Index, lp: Cooked, flags: number): Cooked {
  const v = lp.ident!.variable;
  if (v && (flags & REF) !== 0 && unreferenced(v))
    raise(c, 'D_VAR_UNDEF', e.base.span, `${prefixOf(v)}${v.name} has not yet been declared or assigned`);
  const keys = e.indices.map((k) => operand(cookNode(c, k, REF), k.span));
  const node: Cooked = { ...lp, subscripted: true };
  checkKeys(c, node, keys, e.span, e.base.span);
  node.type = v ? (v.type ?? DYNAMIC) : (lp.ident!.inline?.type ?? DYNAMIC);
  if (v) markUse(c, v, flags, e.base.span);
  return node;
}

/** The keys of a first reference define the array's signature; later references must match it. */
function checkKeys(c: Compilation, node: Cooked, keys: Operand[], span: A.Span, nameSpan: A.Span): void {
  const id = node.ident!;
  const v = id.variable;
  const signature = v ? v.keys : id.inline?.keys;
  if (signature !== undefined) {
    checkSignature(c, { params: signature, varargs: -1, optargs: -1 }, { prefix: '', name: id.name, suffix: '[ ]', key: true }, keys, span, lineOf(nameSpan));
    return;
  }
  keys.forEach((k, i) => {
    if (isDynamic(k) || isVoidValue(k))
      raise(c, 'D_KEY_TYPE', k.span, `${nodeTypeName(k)} expression may not be used as ${KIND_NAMES.array} index: key #${i + 1}`);
  });
  if (v) v.keys = keys.map((k) => k.type);
}

/** `args[n]`: an integer constant within the probe's arguments (dt_idcook_args). */
function cookArgs(c: Compilation, e: A.Index): Cooked {
  const idx = e.indices.map((k) => cookNode(c, k, REF));
  if (idx.length !== 1)
    raise(c, 'D_PROTO_LEN', e.span, `args[ ] prototype mismatch: ${idx.length} arg${idx.length === 1 ? ' ' : 's '}passed, 1 expected`);
  const i = idx[0]!;
  if (i.node !== 'int')
    raise(c, 'D_PROTO_ARG', e.span, `args[ ] argument #1 is incompatible with prototype:\n\tprototype: integer constant\n\t argument: ${typeName(i.type)}`);
  const clause = c.clause;
  if (!clause) raise(c, 'D_ARGS_NONE', e.span, `args[ ] may not be referenced outside of a probe clause`);
  if (clause.argsProblem) raise(c, clause.argsProblem.tag, e.span, clause.argsProblem.message);
  const n = BigInt.asUintN(64, i.constant!);
  const node: Cooked = { node: 'var', ident: { kind: 'array', name: 'args' }, subscripted: true, type: UNKNOWN, lvalue: true, writable: false, dvar: true };
  // With -Z a description may match nothing yet: its arguments are unknown, not absent.
  if (clause.probes.length === 0 || clause.untypedArgs) return node;
  const types = clause.argTypes ?? [];
  if (n >= BigInt(types.length)) raise(c, 'D_ARGS_IDX', e.span, `index ${BigInt.asIntN(64, n)} is out of range for ${clause.description} args[ ]`);
  node.type = kernelType(types[Number(n)]!);
  return node;
}

/** `uregs[n]`: an integer constant register index (dt_idcook_regs). */
function cookRegs(c: Compilation, e: A.Index): Cooked {
  const idx = e.indices.map((k) => cookNode(c, k, REF));
  if (idx.length !== 1)
    raise(c, 'D_PROTO_LEN', e.span, `uregs[ ] prototype mismatch: ${idx.length} arg${idx.length === 1 ? ' ' : 's '}passed, 1 expected`);
  const i = idx[0]!;
  if (i.node !== 'int')
    raise(c, 'D_PROTO_ARG', e.span, `uregs[ ] argument #1 is incompatible with prototype:\n\tprototype: integer constant\n\t argument: ${typeName(i.type)}`);
  if (i.constant! < 0n && dtIsSigned(i.type)) raise(c, 'D_REGS_IDX', e.span, `index ${i.constant} is out of range for array uregs`);
  return { node: 'var', ident: { kind: 'array', name: 'uregs' }, subscripted: true, type: c.types.typedefs.get('uint64_t')!, lvalue: true, writable: false, dvar: true };
}

/** Signed for DTrace: a signed integer or an enum. */
function dtIsSigned(t: CType): boolean {
  const r = resolve(t);
  return r.kind === 'enum' || (r.kind === 'int' && r.signed);
}
