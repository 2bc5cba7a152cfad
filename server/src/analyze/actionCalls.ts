// A statement that calls an action (`trace(x);`, `printf(...)`, `exit(0)` ...): its arguments
// are cooked and checked against the action's prototype with the rest of the clause; then,
// when DTrace generates the clause's code, each action checks its arguments its own way
// (dt_action_*) and adds its actions to the clause.
import type * as A from '../parse/ast';
import type { BuiltinFunction } from './builtins/functions';
import * as callsModule from './calls';
import type { Compilation } from './compilation';
import { aggregationOf } from './clauseTracking';
import type { ActionKind, ClauseActions } from './actionList';
import * as actionArgumentsModule from './actionArguments';
import { type ArgNode } from './actionArguments';
import * as formatArgumentsModule from './formatArguments';
import * as parseTimeModule from './parseTime';
// Imported names bound once, here: the loader the sources run under (tsx, for the tests and
// the benchmarks) turns each use of an imported name into getter calls, and these are used for
// every clause, statement or expression. Only functions, and constants of modules that do not
// lead back to this one, are bound: they are defined before this module's body runs.
const { checkSignature, parsePrototype } = callsModule;
const { aggregationName, cookArgument, generate, isAggregationNode, isIntNode, isIntegerNode, isPointerNode, isPositiveConstant, isScalarNode, isTranslatedPointer, isVoidNode, nodeTypeName, operandOf, argTypeName } = actionArgumentsModule;
const { compilePrinta, compilePrintfLike } = formatArgumentsModule;
const { lineOf } = parseTimeModule;

/** What DTrace does with the statement once it generates the clause's code. */
export type Compile = (list: ClauseActions) => ActionKind[];

/** The cooking of an action call statement (its prototype check included). */
export function cookActionCall(c: Compilation, f: BuiltinFunction, call: A.Call): Compile {
  const args = call.args.map((a) => cookArgument(c, a));
  const sig = parsePrototype(c, f.prototype);
  checkSignature(c, sig, { prefix: '', name: f.name, suffix: '( )', key: false }, args.map(operandOf), call.span, lineOf(call.span), argTypeName);
  return (list) => compileAction(c, f, call, args, list);
}

function compileAction(c: Compilation, f: BuiltinFunction, call: A.Call, args: ArgNode[], list: ClauseActions): ActionKind[] {
  switch (f.name) {
    case 'trace':
    case 'print':
      checkTraced(c, f.name, args[0]!);
      // An expression that calls copyout( ) makes its action destructive.
      return [args[0] && generate(c, args[0]) ? 'destructive' : 'data'];
    case 'printf':
    case 'system':
    case 'freopen':
      return compilePrintfLike(c, f.name, call, args, list);
    case 'printa':
      return compilePrinta(c, call, args, list);
    case 'tracemem':
      return compileTracemem(c, args);
    case 'stack':
      checkStackArguments(c, args);
      return ['data'];
    case 'ustack':
    case 'jstack':
      checkUstackArguments(c, args);
      return ['data'];
    case 'clear':
    case 'normalize':
    case 'denormalize':
    case 'trunc':
      return compileAggregationControl(c, f.name, call, args);
    case 'printm':
      checkPrintm(c, args);
      generate(c, args[1]!);
      return ['data'];
    case 'exit':
      generate(c, args[0]!);
      return ['exit'];
    case 'speculate':
    case 'commit':
    case 'discard':
      generate(c, args[0]!);
      return [f.name];
    case 'setopt':
      args.forEach((a) => generate(c, a));
      return ['data', 'data'];
    case 'ftruncate':
      return ['data'];
    default:
      // sym( ), func( ), mod( ), usym( ) ...; and the destructive ones.
      args.forEach((a) => generate(c, a));
      return [f.destructive ? 'destructive' : 'data'];
  }
}

function fail(c: Compilation, tag: string, at: A.Expr | A.Span, message: string): never {
  const span = 'span' in at ? at.span : at;
  return c.error(tag, span, message, undefined, lineOf(span));
}

/** trace( ) and print( ) record a value: not void, not a translated pointer, not an aggregation. */
function checkTraced(c: Compilation, name: 'trace' | 'print', a: ArgNode): void {
  const tag = name === 'trace' ? 'D_TRACE' : 'D_PRINT';
  if (isVoidNode(a.node)) fail(c, `${tag}_VOID`, a.expr, `${name}( ) may not be applied to a void expression`);
  if (isTranslatedPointer(c, a.node)) fail(c, `${tag}_DYN`, a.expr, `${name}( ) may not be applied to a translated pointer`);
  if (isAggregationNode(a.node))
    fail(c, `${tag}_AGG`, a.expr, `${name}( ) may not be applied to an aggregation${name === 'print' ? ' -- did you mean printa()?' : ''}`);
}

function compileTracemem(c: Compilation, args: ArgNode[]): ActionKind[] {
  const [addr, max, size] = args as [ArgNode, ArgNode, ArgNode | undefined];
  if (!isIntegerNode(addr.node) && !isPointerNode(addr.node))
    fail(c, 'D_TRACEMEM_ADDR', addr.expr, `tracemem( ) argument #1 is incompatible with prototype:\n\tprototype: pointer or integer\n\t argument: ${nodeTypeName(addr.node)}`);
  if (!isPositiveConstant(max.node))
    fail(c, 'D_TRACEMEM_SIZE', max.expr, 'tracemem( ) argument #2 must be a non-zero positive integral constant expression');
  const kinds: ActionKind[] = ['data'];
  if (size) {
    if (args.length > 3) fail(c, 'D_TRACEMEM_ARGS', size.expr, 'tracemem ( ) prototype mismatch: expected at most 3 args');
    if (!isScalarNode(size.node)) fail(c, 'D_TRACEMEM_DYNSIZE', size.expr, 'tracemem ( ) dynamic size (argument #3) must be of scalar type');
    generate(c, size);
    kinds.push('data');
  }
  generate(c, addr);
  return kinds;
}

/** stack( )'s optional frame count, as an action or as an aggregation key. */
export function checkStackArguments(c: Compilation, args: ArgNode[]): void {
  const arg0 = args[0];
  if (!arg0) return;
  if (args.length > 1) fail(c, 'D_STACK_PROTO', arg0.expr, 'stack( ) prototype mismatch: too many arguments');
  if (!isPositiveConstant(arg0.node)) fail(c, 'D_STACK_SIZE', arg0.expr, 'stack( ) size must be a non-zero positive integral constant expression');
}

/** ustack( ) and jstack( ): frames, then string space (DTrace's messages say ustack for both). */
export function checkUstackArguments(c: Compilation, args: ArgNode[]): void {
  const [arg0, arg1] = args;
  if (arg0 && !isPositiveConstant(arg0.node))
    fail(c, 'D_USTACK_FRAMES', arg0.expr, 'ustack( ) argument #1 must be a non-zero positive integer constant');
  if (!arg1) return;
  if (!isIntNode(arg1.node) || arg1.node.constant! < 0n)
    fail(c, 'D_USTACK_STRSIZE', arg1.expr, 'ustack( ) argument #2 must be a positive integer constant');
  if (args.length > 2) fail(c, 'D_USTACK_PROTO', arg1.expr, 'ustack( ) prototype mismatch: too many arguments');
}

function checkPrintm(c: Compilation, args: ArgNode[]): void {
  const [size, addr] = args as [ArgNode, ArgNode];
  if (!isPositiveConstant(size.node))
    fail(c, 'D_PRINTM_SIZE', size.expr, 'printm( ) argument #1 must be a non-zero positive integral constant expression');
  if (!isPointerNode(addr.node))
    fail(c, 'D_PRINTM_ADDR', addr.expr, `printm( ) argument #2 is incompatible with prototype:\n\tprototype: pointer\n\t argument: ${nodeTypeName(addr.node)}`);
}

/**
 * clear( ), normalize( ), denormalize( ) and trunc( ) take an aggregation that something
 * assigns; normalize( )'s factor and trunc( )'s count must be scalars.
 */
function compileAggregationControl(c: Compilation, name: 'clear' | 'normalize' | 'denormalize' | 'trunc', call: A.Call, args: ArgNode[]): ActionKind[] {
  const tag = name === 'denormalize' ? 'D_NORMALIZE' : `D_${name.toUpperCase()}`;
  const argc = args.length;
  const at = call.span;
  switch (name) {
    case 'clear':
      if (argc !== 1) fail(c, `${tag}_PROTO`, at, `${name}( ) prototype mismatch: ${argc} args passed, 1 expected`);
      break;
    case 'normalize':
    case 'denormalize': {
      const want = name === 'denormalize' ? 1 : 2;
      if (argc !== want) fail(c, `${tag}_PROTO`, at, `${name}( ) prototype mismatch: ${argc} args passed, ${want} expected`);
      break;
    }
    case 'trunc':
      if (argc < 1 || argc > 2)
        fail(c, `${tag}_PROTO`, at, `${name}( ) prototype mismatch: ${argc} args passed, ${argc < 1 ? 'at least 1' : 'no more than 2'} expected`);
      break;
  }
  const agg = args[0]!;
  if (!isAggregationNode(agg.node))
    fail(c, `${tag}_AGGARG`, at, `${name}( ) argument #1 is incompatible with prototype:\n\tprototype: aggregation\n\t argument: ${nodeTypeName(agg.node)}`);
  const second = args[1];
  if (second && name !== 'clear' && !isScalarNode(second.node)) fail(c, `${tag}_SCALAR`, at, `${name}( ) argument #2 must be of scalar type`);
  checkAssigned(c, `${tag}_AGGBAD`, agg, at);
  if (name === 'clear' || name === 'denormalize') return ['data'];
  if (second) generate(c, second);
  return ['data', 'data'];
}

/** An aggregation named only by reference, never assigned, is undefined to the actions that take one. */
export function checkAssigned(c: Compilation, tag: string, agg: ArgNode, at: A.Span): void {
  const name = aggregationName(agg.node);
  if (aggregationOf(c, name)?.fn === undefined) fail(c, tag, at, `undefined aggregation: ${name}`);
}
