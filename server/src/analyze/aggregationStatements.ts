// Aggregation statements: `@a[k] = f(x)`. Cooking checks the assignment (an aggregating
// function, the same one every time) and the keys (the first assignment fixes their types);
// generating the clause's code checks the function's arguments (scalar values, lquantize( )
// and llquantize( ) parameters that are constants and agree with earlier uses, the increment).
import type * as A from '../parse/ast';
import * as callsModule from './calls';
import type { Compilation } from './compilation';
import { aggregationOf } from './clauseTracking';
import type { ActionKind } from './actionList';
import * as actionArgumentsModule from './actionArguments';
import { type ArgNode } from './actionArguments';
import * as actionCallsModule from './actionCalls';
import { type Compile } from './actionCalls';
import * as expressionsModule from './expressions';
import { type Cooked } from './expressions';
import * as parseTimeModule from './parseTime';
import type { AggregationInfo } from './symbols';
// Imported names bound once, here: the loader the sources run under (tsx, for the tests and
// the benchmarks) turns each use of an imported name into getter calls, and these are used for
// every clause, statement or expression. Only functions, and constants of modules that do not
// lead back to this one, are bound: they are defined before this module's body runs.
const { checkSignature } = callsModule;
const { aggregationSubscript, cookArgument, createAggregation, creationLine, generate, isDynamic, isIntNode, isPositiveConstant, isScalarNode, isVoidNode, nodeTypeName, operandOf, argTypeName, strip, NOT_GENERATED } = actionArgumentsModule;
const { checkStackArguments, checkUstackArguments } = actionCallsModule;
const { cook } = expressionsModule;
const { lineOf } = parseTimeModule;

function fail(c: Compilation, tag: string, span: A.Span, message: string): never {
  return c.error(tag, span, message, undefined, lineOf(span));
}

/** `@a = ...` or `@a[k] = ...`, when the statement is an aggregation statement. */
export function aggregationTarget(e: A.Assign): A.AggRef | A.Index | undefined {
  if (e.op !== '=') return undefined;
  const left = strip(e.left);
  if (left.k === 'agg') return left;
  if (left.k === 'index' && (aggregationSubscript(left) || aggregationSubscript(left.base))) return left;
  return undefined;
}

/** DTrace's cooking of `@a[k] = f(x)` (dt_cook_op2 for `=`, then dt_cook_aggregation). */
export function cookAggregationStatement(c: Compilation, e: A.Assign, target: A.AggRef | A.Index): Compile {
  const { agg, keys } = cookTarget(c, e, target);
  const info = aggregationOf(c, agg.name)!;
  const display = agg.name;
  const call = strip(e.right);
  const rp = cook(c, e.right, NOT_GENERATED) as Cooked;
  if (call.k !== 'call' || rp.node !== 'func' || rp.ident?.kind !== 'aggfunc')
    fail(c, 'D_AGG_FUNC', e.span, `${display} must be assigned the result of an aggregating function`);
  const fn = rp.ident.name;
  if (info.fn !== undefined && info.fn !== fn)
    fail(
      c,
      'D_AGG_REDEF',
      e.span,
      `aggregation redefined: ${display}\n\t current: ${display} = ${fn}( )\n\tprevious: ${display} = ${info.fn}( ) : line ${creationLine(info) ?? lineOf(agg.span)}`,
    );
  info.fn ??= fn;
  const tuple = (keys ?? []).map((k) => cookArgument(c, k));
  checkKeys(c, info, agg, tuple);
  const ref = { span: agg.span, write: true, clause: c.clause?.index ?? -1 } as AggregationInfo['references'][number];
  if (c.file !== undefined) ref.file = c.file;
  info.references.push(ref);
  const args = call.args.map((a) => ({ expr: a, node: c.typed.get(a) as Cooked }));
  return () => compileAggregation(c, info, agg, call, args, tuple);
}

/** The left side: `[` creates the aggregation, and refuses a second subscript. */
function cookTarget(c: Compilation, e: A.Assign, target: A.AggRef | A.Index): { agg: A.AggRef; keys: A.Expr[] | undefined } {
  if (target.k === 'agg') {
    createAggregation(c, target, lineOf(e.span));
    return { agg: target, keys: undefined };
  }
  const direct = aggregationSubscript(target);
  if (direct) {
    createAggregation(c, direct, lineOf(target.span));
    return { agg: direct, keys: target.indices };
  }
  const inner = strip(target.base) as A.Index;
  const agg = aggregationSubscript(inner)!;
  createAggregation(c, agg, lineOf(inner.span));
  return fail(c, 'D_AGG_MDIM', target.span, `improper attempt to reference ${agg.name} as a multi-dimensional array`);
}

/** The first assignment fixes the key types (no void or dynamic key); later ones must match. */
function checkKeys(c: Compilation, info: AggregationInfo, agg: A.AggRef, tuple: ArgNode[]): void {
  const line = lineOf(agg.span);
  if (info.keys) {
    checkSignature(c, { params: info.keys, varargs: -1, optargs: -1 }, { prefix: '@', name: agg.name.slice(1), suffix: '[ ]', key: true }, tuple.map(operandOf), agg.span, line, argTypeName);
    return;
  }
  tuple.forEach((k, i) => {
    if (isDynamic(k.node) || isVoidNode(k.node))
      c.error('D_KEY_TYPE', agg.span, `${nodeTypeName(k.node)} expression may not be used as aggregation index: key #${i + 1}`, undefined, line);
  });
  info.keys = tuple.map((k) => k.node.type);
}

/** A bare `@a;` or `@a[k];` records nothing: DTrace refuses it when it generates the code. */
export function compileNullAggregation(c: Compilation, e: A.Expr, node: Cooked): never {
  const s = strip(e);
  const agg = s.k === 'agg' ? s : aggregationSubscript(s);
  return fail(c, 'D_AGG_NULL', (agg ?? s).span, `expression has null effect: @${node.ident?.name ?? '_'}`);
}

/** Stack and symbol actions may be keys: they record what they would record as actions. */
const KEY_ACTIONS = new Set(['stack', 'ustack', 'jstack', 'sym', 'func', 'mod', 'usym', 'ufunc', 'umod', 'uaddr']);

function compileKey(c: Compilation, key: ArgNode): void {
  const s = strip(key.expr);
  if (s.k === 'call' && key.node.node === 'func' && key.node.ident?.kind === 'actfunc' && KEY_ACTIONS.has(key.node.ident.name)) {
    const args = s.args.map((a) => ({ expr: a, node: c.typed.get(a) as Cooked }));
    const name = key.node.ident.name;
    if (name === 'stack') checkStackArguments(c, args);
    else if (name === 'ustack' || name === 'jstack') checkUstackArguments(c, args);
    else args.forEach((a) => generate(c, a));
    return;
  }
  generate(c, key);
}

/** DTrace's code generation for an aggregation statement (dt_compile_agg). */
function compileAggregation(c: Compilation, info: AggregationInfo, agg: A.AggRef, call: A.Call, args: ArgNode[], tuple: ArgNode[]): ActionKind[] {
  const fn = info.fn!;
  const value = args[0];
  if (value && !isScalarNode(value.node)) fail(c, 'D_AGG_SCALAR', call.span, `${fn}( ) argument #1 must be of scalar type`);
  tuple.forEach((k) => compileKey(c, k));
  if (fn === 'lquantize') checkLquantize(c, info, agg, args);
  if (fn === 'llquantize') checkLlquantize(c, info, agg, args);
  // The increment's position: after the value and the parameters.
  const argmax = INCREMENT_POSITION[fn];
  const incr = argmax !== undefined ? args[argmax - 1] : undefined;
  if (incr) {
    checkIncrement(c, fn, agg, incr, argmax!, args.length);
    generate(c, incr);
  }
  if (value) generate(c, value);
  // The aggregation's id and its keys are recorded; the increment's value is not.
  const kinds: ActionKind[] = ['data'];
  for (let i = 0; i < tuple.length; i++) kinds.push('data');
  if (incr) kinds.push('void');
  kinds.push('agg');
  return kinds;
}

const INCREMENT_POSITION: Record<string, number> = { quantize: 2, lquantize: 5, llquantize: 6 };

/** The optional last argument adds that much instead of 1: a scalar, and nothing after it. */
function checkIncrement(c: Compilation, fn: string, agg: A.AggRef, incr: ArgNode, argmax: number, argc: number): void {
  if (!isScalarNode(incr.node)) fail(c, 'D_PROTO_ARG', agg.span, `${fn}( ) increment value (argument #${argmax}) must be of scalar type`);
  if (argc > argmax) fail(c, 'D_PROTO_LEN', incr.expr.span, `${fn}( ) prototype mismatch: ${argc} args passed, at most ${argmax} expected`);
}

const INT32_MIN = -0x80000000n;
const INT32_MAX = 0x7fffffffn;
const UINT16_MAX = 0xffffn;

/**
 * lquantize(x, base, limit[, step[, incr]]): 32-bit constant bounds, base below limit, a
 * 16-bit positive step giving 1 to 65535 levels; the same levels as earlier uses.
 */
function checkLquantize(c: Compilation, info: AggregationInfo, agg: A.AggRef, args: ArgNode[]): void {
  const [, arg1, arg2, arg3] = args as [ArgNode, ArgNode, ArgNode, ArgNode | undefined];
  if (!isIntNode(arg1.node)) fail(c, 'D_LQUANT_BASETYPE', arg1.expr.span, 'lquantize( ) argument #1 must be an integer constant');
  const base = BigInt.asIntN(64, arg1.node.constant!);
  if (base < INT32_MIN || base > INT32_MAX) fail(c, 'D_LQUANT_BASEVAL', arg1.expr.span, 'lquantize( ) argument #1 must be a 32-bit quantity');
  if (!isIntNode(arg2.node)) fail(c, 'D_LQUANT_LIMTYPE', arg2.expr.span, 'lquantize( ) argument #2 must be an integer constant');
  const limit = BigInt.asIntN(64, arg2.node.constant!);
  if (limit < INT32_MIN || limit > INT32_MAX) fail(c, 'D_LQUANT_LIMVAL', arg2.expr.span, 'lquantize( ) argument #2 must be a 32-bit quantity');
  if (limit < base) fail(c, 'D_LQUANT_MISMATCH', agg.span, 'lquantize( ) base (argument #1) must be less than limit (argument #2)');
  let step = 1n;
  if (arg3) {
    if (!isPositiveConstant(arg3.node)) fail(c, 'D_LQUANT_STEPTYPE', arg3.expr.span, 'lquantize( ) argument #3 must be a non-zero positive integer constant');
    step = BigInt.asUintN(64, arg3.node.constant!);
    if (step > UINT16_MAX) fail(c, 'D_LQUANT_STEPVAL', arg3.expr.span, 'lquantize( ) argument #3 must be a 16-bit quantity');
  }
  const levels = (limit - base) / step;
  if (levels === 0n) fail(c, 'D_LQUANT_STEPLARGE', agg.span, 'lquantize( ) step (argument #3) too large: must have at least one quantization level');
  if (levels > UINT16_MAX)
    fail(c, 'D_LQUANT_STEPSMALL', agg.span, 'lquantize( ) step (argument #3) too small: number of quantization levels must be a 16-bit quantity');
  const previous = info.params;
  if (!previous) {
    info.params = [base, levels, step];
    return;
  }
  const [obase, olevels, ostep] = previous as [bigint, bigint, bigint];
  if (obase !== base)
    fail(c, 'D_LQUANT_MATCHBASE', agg.span, `lquantize( ) base (argument #1) doesn't match previous declaration: expected ${obase}, found ${base}`);
  if (olevels * ostep !== levels * step)
    fail(c, 'D_LQUANT_MATCHLIM', agg.span, `lquantize( ) limit (argument #2) doesn't match previous declaration: expected ${obase + olevels * ostep}, found ${base + levels * step}`);
  if (ostep !== step) fail(c, 'D_LQUANT_MATCHSTEP', agg.span, `lquantize( ) step (argument #3) doesn't match previous declaration: expected ${ostep}, found ${step}`);
}

const LLQUANTIZE_PARAMETERS = [
  { word: 'factor', tag: 'FACTOR' },
  { word: 'low magnitude', tag: 'LOW' },
  { word: 'high magnitude', tag: 'HIGH' },
  { word: 'linear steps per magnitude', tag: 'NSTEP' },
];

/**
 * llquantize(x, factor, low, high, nsteps[, incr]): unsigned 16-bit constants; factor of 2 or
 * more dividing nsteps, which divides a power of factor; low below high; factor^(high+1)
 * within 64 bits; the same parameters as earlier uses.
 */
function checkLlquantize(c: Compilation, info: AggregationInfo, agg: A.AggRef, args: ArgNode[]): void {
  const values = LLQUANTIZE_PARAMETERS.map((p, i) => {
    const a = args[i + 1]!;
    if (!isIntNode(a.node)) fail(c, `D_LLQUANT_${p.tag}TYPE`, a.expr.span, `llquantize( ) argument #${i + 1} (${p.word}) must be an integer constant`);
    const v = BigInt.asUintN(64, a.node.constant!);
    if (v > UINT16_MAX) fail(c, `D_LLQUANT_${p.tag}VAL`, a.expr.span, `llquantize( ) argument #${i + 1} (${p.word}) must be an unsigned 16-bit quantity`);
    return v;
  });
  const [factor, low, high, nsteps] = values as [bigint, bigint, bigint, bigint];
  if (factor < 2n) fail(c, 'D_LLQUANT_FACTORSMALL', agg.span, 'llquantize( ) factor (argument #1) must be two or more');
  if (low >= high) fail(c, 'D_LLQUANT_MAGRANGE', agg.span, 'llquantize( ) high magnitude (argument #3) must be greater than low magnitude (argument #2)');
  if (nsteps < factor)
    fail(c, 'D_LLQUANT_FACTORNSTEPS', agg.span, 'llquantize( ) factor (argument #1) must be less than or equal to the number of linear steps per magnitude (argument #4)');
  let v = factor;
  while (v < nsteps) v *= factor;
  if (nsteps % factor !== 0n || v % nsteps !== 0n)
    fail(
      c,
      'D_LLQUANT_FACTOREVEN',
      agg.span,
      'llquantize( ) factor (argument #1) must evenly divide the number of steps per magnitude (argument #4), and the number of steps per magnitude must evenly divide a power of the factor',
    );
  // DTrace multiplies in 64 bits and watches the product stop growing.
  let order = 1n;
  for (let i = 0n; i <= high + 1n; i++) {
    const next = BigInt.asUintN(64, order * factor);
    if (next <= order)
      fail(c, 'D_LLQUANT_MAGTOOBIG', agg.span, `llquantize( ) factor (${factor}) raised to power of high magnitude (${high}) plus 1 overflows 64-bits`);
    order = next;
  }
  const previous = info.params;
  if (!previous) {
    info.params = values;
    return;
  }
  const i = values.findIndex((x, j) => x !== previous[j]);
  if (i >= 0) {
    const p = LLQUANTIZE_PARAMETERS[i]!;
    fail(c, `D_LLQUANT_${p.tag}MATCH`, agg.span, `llquantize( ) ${p.word} (argument #${i + 1}) doesn't match previous declaration: expected ${previous[i]}, found ${values[i]}`);
  }
}
