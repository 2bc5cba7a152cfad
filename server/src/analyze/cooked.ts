// What the expression checks know about a typed expression, modelled on DTrace's parse nodes:
// whether it is an integer constant, a D variable, a call or an operator, which identifier it
// stands for, whether it is of a dynamic type; and how DTrace's messages name it.
import type * as A from '../parse/ast';
import type { Compilation, Translator, TypedInfo } from './compilation';
import * as callsModule from './calls';
import * as parseTimeModule from './parseTime';
import * as printfModule from './printf';
import * as ctypeModule from './types/ctype';
import { type TypedefType } from './types/ctype';
import type { InlineInfo, Variable } from './symbols';
// Imported names bound once, here: the loader the sources run under (tsx, for the tests and
// the benchmarks) turns each use of an imported name into getter calls, and these are used for
// every clause, statement or expression. Only functions, and constants of modules that do not
// lead back to this one, are bound: they are defined before this module's body runs.
const { operandTypeName } = callsModule;
const { lineOf } = parseTimeModule;
const { STACK_TYPE, SYMADDR_TYPE, USYMADDR_TYPE } = printfModule;
const { T, resolve, typedef } = ctypeModule;

/** The type of values that are not data: aggregations, aggregating functions' results. */
export const DYNAMIC: TypedefType = typedef('<DYN>', T.void);

export type IdentKind = 'array' | 'scalar' | 'ptr' | 'func' | 'agg' | 'aggfunc' | 'actfunc' | 'xlsou' | 'xlptr' | 'symbol' | 'enum';

export const KIND_NAMES: Record<IdentKind, string> = {
  array: 'associative array',
  scalar: 'scalar',
  ptr: 'pointer',
  func: 'function',
  agg: 'aggregation',
  aggfunc: 'aggregating function',
  actfunc: 'tracing function',
  xlsou: 'translated data',
  xlptr: 'pointer to translated data',
  symbol: 'external symbol reference',
  enum: 'enumerator',
};

/** What DTrace's parse node for an expression would be, as far as its rules look at it. */
export interface Cooked extends TypedInfo {
  /** An integer constant, a string constant, a D variable, a kernel symbol, a call, an aggregation or an operator. */
  node: 'int' | 'string' | 'var' | 'sym' | 'func' | 'agg' | 'op';
  op?: string;
  ident?: { kind: IdentKind; name: string; variable?: Variable; inline?: InlineInfo };
  dynamic?: boolean;
  bitfield?: boolean;
  /** A variable referenced with a subscript (`a[k]`). */
  subscripted?: boolean;
  /** An aggregation with its tuple (`@a[k]`) or its aggregating function (`@a = count()`). */
  tuple?: boolean;
  aggfun?: boolean;
  /** A `+` whose left operand is writable: `*(a + i)` may be assigned. */
  leftWritable?: boolean;
  translator?: Translator;
}

/** A node as an argument or key: where it is and how messages name its type. */
export type Operand = Cooked & { span: A.Span; typeName: string };

export { REF, MOD, NONE } from './symbols';

export function strip(e: A.Expr): A.Expr {
  return e.k === 'paren' ? strip(e.arg) : e;
}

/** The outermost node being cooked and the line its errors report, when the caller knows better. */
let outermostLine: { span: A.Span; line: number } | undefined;

/** Sets the outermost node and its line (see CookOptions.line); returns the previous setting. */
export function setOutermostLine(next: { span: A.Span; line: number } | undefined): typeof outermostLine {
  const previous = outermostLine;
  outermostLine = next;
  return previous;
}

/** Records a DTrace error at a node and abandons the statement; the line is the node's (see lineOf). */
export function raise(c: Compilation, tag: string, span: A.Span, message: string): never {
  c.error(tag, span, message, undefined, span === outermostLine?.span ? outermostLine.line : lineOf(span));
}

/** A name or a literal: an expression without operands. */
export function isLeafExpression(e: A.Expr): boolean {
  switch (e.k) {
    case 'int':
    case 'char':
    case 'string':
    case 'float':
    case 'ident':
    case 'macro':
    case 'self':
    case 'this':
    case 'agg':
    case 'error':
      return true;
    default:
      return false;
  }
}

/** How many operands an expression has; `child` gives each, left to right (no array made). */
export function childCount(e: A.Expr): number {
  switch (e.k) {
    case 'paren':
    case 'unary':
    case 'update':
    case 'sizeofExpr':
    case 'stringof':
    case 'cast':
    case 'xlate':
    case 'member':
      return 1;
    case 'binary':
    case 'assign':
    case 'comma':
      return 2;
    case 'cond':
      return 3;
    case 'call':
      return 1 + e.args.length;
    case 'index':
      return 1 + e.indices.length;
    default:
      return 0;
  }
}

/** The operand at `i` (below `childCount(e)`), in the order of `children`. */
export function child(e: A.Expr, i: number): A.Expr {
  switch (e.k) {
    case 'paren':
    case 'unary':
    case 'update':
    case 'sizeofExpr':
    case 'stringof':
    case 'cast':
    case 'xlate':
      return e.arg;
    case 'member':
      return e.base;
    case 'binary':
    case 'assign':
    case 'comma':
      return i === 0 ? e.left : e.right;
    case 'cond':
      return i === 0 ? e.test : i === 1 ? e.then : e.else;
    case 'call':
      return i === 0 ? e.fn : e.args[i - 1]!;
    case 'index':
      return i === 0 ? e.base : e.indices[i - 1]!;
    default:
      throw new Error(`${e.k} has no operands`);
  }
}

// ---- names, as DTrace's messages print them ----

/** A value of a dynamic type (an aggregation, translated data, a variable with no value type yet). */
export function isDynamic(x: Cooked): boolean {
  return x.dynamic === true || x.type === DYNAMIC;
}

/** A type's name in a message: dynamic values are named by what they are. */
export function nodeTypeName(x: Cooked): string {
  if (isDynamic(x) && x.ident) return KIND_NAMES[x.ident.kind];
  return operandTypeName(x);
}

export function operand(x: Cooked, span: A.Span): Operand {
  return { ...x, span, typeName: nodeTypeName(x) };
}

/** A string as DTrace prints it back in messages, with C escapes. */
export function escapeString(s: string): string {
  const simple: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\t': '\\t', '\r': '\\r', '\f': '\\f', '\v': '\\v', '\b': '\\b', '\x07': '\\a' };
  let out = '';
  for (const ch of s) {
    const code = ch.charCodeAt(0);
    out += simple[ch] ?? (code < 0x20 || code >= 0x7f ? `\\${code.toString(8).padStart(3, '0')}` : ch);
  }
  return out;
}

/** How DTrace names an expression (dt_node_name). */
export function nodeName(x: Cooked): string {
  switch (x.node) {
    case 'int':
      return `integer constant 0x${BigInt.asUintN(64, x.constant ?? 0n).toString(16)}`;
    case 'string':
      return `string constant "${escapeString(x.stringValue ?? '')}"`;
    case 'var':
    case 'func':
    case 'agg': {
      const id = x.ident!;
      const suffix = id.kind === 'func' || id.kind === 'aggfunc' || id.kind === 'actfunc' ? '( )' : '';
      return `${KIND_NAMES[id.kind]} ${id.kind === 'agg' ? '@' : ''}${id.name}${suffix}`;
    }
    case 'sym':
      return `symbol ${x.ident?.name ?? ''}`;
    case 'op':
      return `operator ${x.op ?? ''}`;
  }
}

export function isActionCall(x: Cooked): boolean {
  return x.node === 'func' && x.ident?.kind === 'actfunc';
}

/** void, but not a dynamic value, a stack or a symbol address (which DTrace types as void too). */
export function isVoidValue(x: Cooked): boolean {
  if (isDynamic(x) || x.type === STACK_TYPE || x.type === SYMADDR_TYPE || x.type === USYMADDR_TYPE) return false;
  return resolve(x.type).kind === 'void';
}
