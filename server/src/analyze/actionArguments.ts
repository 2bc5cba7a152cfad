// The arguments of actions and aggregations as DTrace's checks see them: each is cooked like
// any expression, then judged by the node it became (an integer constant, an aggregation, a
// translated pointer ...). And the code generator's own refusals, which come after those
// checks: calls of actions inside an expression, a translated pointer as a result.
import type * as A from '../parse/ast';
import * as functionsModule from './builtins/functions';
import * as callsModule from './calls';
import { type Operand } from './calls';
import type { Compilation } from './compilation';
import type { AggregationInfo } from './symbols';
import { aggregationOf, tracking } from './clauseTracking';
import * as expressionsModule from './expressions';
import { type Cooked, type CookOptions } from './expressions';
import * as cookedModule from './cooked';
import * as parseTimeModule from './parseTime';
import * as printfModule from './printf';
import * as ctypeModule from './types/ctype';
// Imported names bound once, here: the loader the sources run under (tsx, for the tests and
// the benchmarks) turns each use of an imported name into getter calls, and these are used for
// every clause, statement or expression. Only functions, and constants of modules that do not
// lead back to this one, are bound: they are defined before this module's body runs.
const { FUNCTIONS_BY_NAME } = functionsModule;
const { operandTypeName } = callsModule;
const { DYNAMIC, checkCodegenNode, cook } = expressionsModule;
const { child, childCount, isLeafExpression } = cookedModule;
const { lineOf } = parseTimeModule;
const { STACK_TYPE, SYMADDR_TYPE, USYMADDR_TYPE } = printfModule;
const { dtIsInteger, dtIsPointer, dtIsScalar, isString, resolve } = ctypeModule;

export interface ArgNode {
  expr: A.Expr;
  node: Cooked;
}

export const strip = cookedModule.strip;

/** `@a[k]` (not `@a[k][j]`, which is an error of its own). */
export function aggregationSubscript(e: A.Expr): A.AggRef | undefined {
  const s = strip(e);
  if (s.k !== 'index') return undefined;
  const base = strip(s.base);
  return base.k === 'agg' ? base : undefined;
}

/** The line each aggregation was created on (DTrace's D_AGG_REDEF names it). */
const creationLines = new WeakMap<AggregationInfo, number>();

/** The aggregation named `agg`, created (unassigned) if it does not exist yet. */
export function createAggregation(c: Compilation, agg: A.AggRef, line: number): AggregationInfo {
  let info = aggregationOf(c, agg.name);
  if (!info) {
    info = { name: agg.name, fn: undefined, keys: undefined, definition: agg.span, references: [] };
    c.aggregations.set(agg.name, info);
    if (tracking.active !== undefined) tracking.active.aggregation(agg.name, info, true);
  }
  if (!creationLines.has(info)) creationLines.set(info, line);
  return info;
}

export function creationLine(info: AggregationInfo): number | undefined {
  const line = creationLines.get(info);
  if (tracking.active !== undefined) tracking.active.creationLine(info, line);
  return line;
}

/** Sets the line an aggregation was created on (a clause's record replayed). */
export function setCreationLine(info: AggregationInfo, line: number | undefined): void {
  if (line === undefined) creationLines.delete(info);
  else creationLines.set(info, line);
}

/**
 * Subscripting an aggregation that does not exist yet creates it, unassigned: actions that
 * take one then report it as undefined (DTrace's `[` creates the name before checking it).
 */
export function referenceAggregation(c: Compilation, subscript: A.Index): void {
  const agg = aggregationSubscript(subscript);
  if (agg) createAggregation(c, agg, lineOf(subscript.span));
}

/** Cooking that leaves code generation's checks to `generate` (see CookOptions.codegen). */
export const NOT_GENERATED: Readonly<CookOptions> = { codegen: false };

/** An argument cooked as DTrace cooks an argument list: in order, each as a value. */
export function cookArgument(c: Compilation, e: A.Expr): ArgNode {
  referenceSubscripts(c, e);
  return { expr: e, node: cook(c, e, NOT_GENERATED) as Cooked };
}

/** `@a[k]` and `@a[1][2]` (whose inner subscript creates `@a` before the outer is refused). */
export function referenceSubscripts(c: Compilation, e: A.Expr): void {
  const s = strip(e);
  if (s.k !== 'index') return;
  const inner = strip(s.base);
  referenceAggregation(c, inner.k === 'index' ? inner : s);
}

export const isDynamic = (x: Cooked): boolean => x.dynamic === true || x.type === DYNAMIC;

const KIND_NAMES: Record<string, string> = {
  array: 'associative array',
  scalar: 'scalar',
  func: 'function',
  agg: 'aggregation',
  aggfunc: 'aggregating function',
  actfunc: 'tracing function',
  xlsou: 'translated data',
  xlptr: 'pointer to translated data',
  symbol: 'external symbol reference',
  enum: 'enumerator',
};

/** A node's type as DTrace's messages name it: a dynamic value is named by what it is. */
export function nodeTypeName(x: Cooked): string {
  if (isDynamic(x) && x.ident) return KIND_NAMES[x.ident.kind] ?? 'dynamic';
  return operandTypeName(x);
}

/** What the signature checks need of a node (an INT node is the only constant they honour). */
export function operandOf(a: ArgNode): ArgOperand {
  const x = a.node;
  const op: ArgOperand = { type: x.type, span: a.expr.span, node: x };
  if (x.node === 'int') op.constant = x.constant;
  if (x.userPointer) op.userPointer = true;
  if (isDynamic(x)) op.dynamic = true;
  return op;
}

export type ArgOperand = Operand & { span: A.Span; node: Cooked };

/** How messages name an argument's type (checkSignature's nameOf for operandOf's operands). */
export function argTypeName(op: ArgOperand): string {
  return nodeTypeName(op.node);
}

// ---- DTrace's node predicates (dt_node_is_*) ----

export const isIntegerNode = (x: Cooked): boolean => !isDynamic(x) && dtIsInteger(x.type);
export const isScalarNode = (x: Cooked): boolean => !isDynamic(x) && dtIsScalar(x.type);
/** A pointer or array; a D string is passed by reference but is not a pointer. */
export const isPointerNode = (x: Cooked): boolean => !isDynamic(x) && !isString(x.type) && dtIsPointer(x.type);
export const isIntNode = (x: Cooked): boolean => x.node === 'int' && x.constant !== undefined;
/** A non-zero integer constant, positive when its type is signed (dt_node_is_posconst). */
export const isPositiveConstant = (x: Cooked): boolean => isIntNode(x) && x.constant! > 0n;
export const isAggregationNode = (x: Cooked): boolean => x.node === 'agg';

/** void, but not a dynamic value, a stack or a symbol address (which DTrace types as void too). */
export function isVoidNode(x: Cooked): boolean {
  if (isDynamic(x) || x.type === STACK_TYPE || x.type === SYMADDR_TYPE || x.type === USYMADDR_TYPE) return false;
  return resolve(x.type).kind === 'void';
}

/** The value is a pointer to translated data, directly or through inlines (dt_node_resolve). */
export function isTranslatedPointer(c: Compilation, x: Cooked | undefined, depth = 0): boolean {
  if (!x || depth > 16) return false;
  if (x.ident?.kind === 'xlptr') return true;
  const inline = x.ident?.inline;
  return inline !== undefined && isTranslatedPointer(c, c.typed.get(inline.value) as Cooked | undefined, depth + 1);
}

/** The name of the aggregation a node stands for, as messages print it (`@a`, `@_`). */
export function aggregationName(x: Cooked): string {
  return `@${x.ident?.name ?? '_'}`;
}

// ---- code generation ----

/**
 * DTrace's code generation for one expression: it refuses a translated pointer as a result
 * and calls of actions and aggregating functions inside. Returns whether the code calls a
 * destructive subroutine (copyout( ), copyoutstr( )).
 */
export function generate(c: Compilation, a: ArgNode): boolean {
  if (isTranslatedPointer(c, a.node))
    c.error('D_CG_DYN', a.expr.span, 'expression cannot evaluate to result of a translated pointer', undefined, lineOf(a.expr.span));
  return generateExpression(c, a.expr, true);
}

/**
 * checkCodegen's walk (over the cooked nodes, operands first) and the search for a call of a
 * destructive subroutine (over every node) in one walk.
 */
function generateExpression(c: Compilation, e: A.Expr, cooked: boolean): boolean {
  // A name or a literal calls nothing.
  if (isLeafExpression(e)) return false;
  const info = cooked ? (c.typed.get(e) as Cooked | undefined) : undefined;
  let destructive = false;
  for (let i = 0, n = childCount(e); i < n; i++) if (generateExpression(c, child(e, i), info !== undefined)) destructive = true;
  if (info) checkCodegenNode(c, e, info);
  if (e.k === 'call') {
    const fn = strip(e.fn);
    const f = fn.k === 'ident' ? FUNCTIONS_BY_NAME.get(fn.name) : undefined;
    if (f?.kind === 'subroutine' && f.destructive) destructive = true;
  }
  return destructive;
}

/** Records that the program needs destructive actions enabled (dtrace -w). */
export function noteDestructive(c: Compilation, span: A.Span): void {
  // DTrace refuses the program when it enables it, not when it compiles it.
  if (!c.settings.destructive) c.record('error', 'DTVM_DESTRUCTIVE', span, 'Destructive actions not allowed');
}
