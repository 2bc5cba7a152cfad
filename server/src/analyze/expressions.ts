// Types D expressions the way DTrace's parser "cooks" them (dt_cook_*): applies DTrace's
// conversions (no promotion to int: the wider operand wins), checks each operator in DTrace's
// order of checks and raises its error tags with its messages. Constants are folded
// beforehand, as DTrace's parser does (parseTime.ts); identifiers, variables and subscripts
// are resolved in identifiers.ts; calls of actions and aggregating functions inside an
// expression are rejected afterwards, as DTrace's code generator does.
import type * as A from '../parse/ast';
import type { Compilation, Translator, TypedInfo } from './compilation';
import type { NodeFacts } from './nodeMemo';
import * as literalsModule from './literals';
import * as callsModule from './calls';
import * as cookedModule from './cooked';
import { DYNAMIC, KIND_NAMES, type Cooked, type IdentKind } from './cooked';
import * as symbolsModule from './symbols';
import * as identifiersModule from './identifiers';
import { kernelStructs, userlandVariables } from './identifiers';
import * as parseTimeModule from './parseTime';
import { type Folded } from './parseTime';
import * as declarationsModule from './types/declarations';
import * as translatorsModule from './translators';
import * as ctypeModule from './types/ctype';
import { type CType } from './types/ctype';
// Imported names bound once, here: the loader the sources run under (tsx, for the tests and
// the benchmarks) turns each use of an imported name into getter calls, and these are used for
// every clause, statement or expression. Only functions, and constants of modules that do not
// lead back to this one, are bound: they are defined before this module's body runs.
const { charLiteral, integerLiteral, stringLiteral } = literalsModule;
const { checkBuiltinCall, operandsCompatible, pointerCompatible } = callsModule;
const { child, childCount, isLeafExpression, isActionCall, isDynamic, nodeTypeName, setOutermostLine, strip } = cookedModule;
const { aggregation, aggregationNode, cookIdentifier, cookIndex, cookLocalOrThreadVariable, cookMacro, globalKind, kernelType, lookupGlobal, markKernelType, markUse, resolveGlobal, unreferenced, useVariable } = identifiersModule;
const { checkParseTime, constantValue, dtraceSize, foldConstant, functionDesignator, isBitField, lineOf } = parseTimeModule;
const { resolveTypeName } = declarationsModule;
const { findTranslator } = translatorsModule;
const { T, UNKNOWN, ctfCompatible, dtIsArith, dtIsInteger, dtIsPointer, dtIsScalar, dtIsStrcompat, dtIsVfptr, elementOf, isString, isStructOrUnion, isUnknown, pointer, promoteIntegers, resolve, resolvedTypeName, typeName } = ctypeModule;
const { REF, MOD, NONE } = symbolsModule;
const raise: typeof cookedModule.raise = cookedModule.raise;

// The node model is shared with the action and aggregation checks.
export { DYNAMIC, isDynamic, isVoidValue, nodeName, nodeTypeName, type Cooked } from './cooked';

export interface CookOptions {
  /**
   * Reject calls of actions and aggregating functions left in the expression (DTrace's code
   * generator does, after the clause is checked); default true. A caller that must check the
   * result first (a predicate must be scalar) passes false and calls `checkCodegen` itself.
   */
  codegen?: boolean;
  /**
   * The line of the token after the expression. When the parser needs that token to build the
   * outermost operator, that operator's errors report its line: a predicate's operator is built
   * once the lexer has looked past the closing `/`, so it gets the line of the `{` after it.
   */
  line?: number;
}

// ---- entry point ----

/** Nested calls (an array size in a cast's type name) are parts of the outermost expression. */
let depth = 0;

/**
 * Types an expression as DTrace does, raising its first error: the errors its parser finds
 * while reading come first, then the checks of each node, children first.
 */
export function cook(c: Compilation, e: A.Expr, options: CookOptions = {}): TypedInfo {
  const outermost = depth === 0;
  if (outermost) checkParseTime(c, e);
  const lookahead = options.line !== undefined && endsWithOperand(e);
  const saved = outermost ? setOutermostLine(lookahead ? { span: e.span, line: options.line! } : undefined) : undefined;
  depth++;
  let info: Cooked;
  try {
    info = cookNode(c, e, REF);
    if (outermost && options.codegen !== false) checkCodegen(c, e);
  } finally {
    depth--;
    if (outermost) setOutermostLine(saved);
  }
  return info;
}

/**
 * Whether the parser needs the token after an expression to build its node: it does when the
 * expression ends with an operand that a postfix operator could still extend (`a == b`, `!x`,
 * `(int)x`), not when it ends with a token that closes it (`f(x)`, `a[i]`, `s.m`, `x++`, a name).
 */
function endsWithOperand(e: A.Expr): boolean {
  switch (e.k) {
    case 'binary':
    case 'assign':
    case 'cond':
    case 'comma':
    case 'unary':
    case 'cast':
    case 'sizeofExpr':
    case 'stringof':
      return true;
    case 'update':
      return e.prefix;
    default:
      return false;
  }
}

/**
 * DTrace's code generator refuses calls of actions and aggregating functions inside an
 * expression (`x = stack()`, `trace(count())`): they only make sense as statements.
 */
export function checkCodegen(c: Compilation, e: A.Expr): void {
  // A name or a literal calls nothing.
  if (isLeafExpression(e)) return;
  const info = c.typed.get(e) as Cooked | undefined;
  if (!info) return;
  for (let i = 0, n = childCount(e); i < n; i++) checkCodegen(c, child(e, i));
  checkCodegenNode(c, e, info);
}

/** checkCodegen's check of one node, once its operands passed theirs. */
export function checkCodegenNode(c: Compilation, e: A.Expr, info: Cooked): void {
  const kind = info.node === 'func' ? info.ident?.kind : undefined;
  if (e.k === 'call' && (kind === 'actfunc' || kind === 'aggfunc'))
    raise(c, 'D_CG_EXPR', e.span, `${KIND_NAMES[kind]} ${info.ident!.name}( ) may not be called from a D expression (D program context required)`);
}

/** Cooks a sub-expression used as `flags` says (read, modified, or neither) and records its type. */
export function cookNode(c: Compilation, e: A.Expr, flags: number): Cooked {
  const facts = c.factsFor(e);
  const info = cookInner(c, e, flags, facts);
  facts.typed = info;
  return info;
}

/** Dispatches on the expression; a folded constant needs no checks. */
function cookInner(c: Compilation, e: A.Expr, flags: number, facts: NodeFacts): Cooked {
  const folded = foldConstant(c, e, facts);
  if (folded) return constantNode(c, e, folded);
  switch (e.k) {
    case 'paren':
      return { ...cookNode(c, e.arg, flags) };
    case 'int': {
      const r = integerLiteral(e.text);
      if (!r.ok) raise(c, r.tag, e.span, r.message);
      break;
    }
    case 'char': {
      const r = charLiteral(e.text);
      if (!r.ok) raise(c, r.tag, e.span, r.message);
      break;
    }
    case 'string':
      return { type: T.string, node: 'string', stringValue: stringValue(e.text) };
    case 'float':
      raise(c, 'D_SYNTAX', e.span, 'floating-point constants are not permitted');
    case 'error':
      raise(c, 'D_SYNTAX', e.span, 'syntax error');
    case 'ident':
      return cookIdentifier(c, e, flags);
    case 'macro':
      return cookMacro(c, e, flags);
    case 'self':
    case 'this':
      return cookLocalOrThreadVariable(c, e, flags);
    case 'agg':
      return aggregationNode(c, e);
    case 'binary':
      return cookBinary(c, e);
    case 'unary':
      return cookUnary(c, e);
    case 'update':
      return cookUpdate(c, e);
    case 'assign':
      return cookAssign(c, e);
    case 'cond':
      return cookConditional(c, e, flags);
    case 'comma':
      return cookComma(c, e);
    case 'call':
      return cookCall(c, e);
    case 'index':
      return cookIndex(c, e, flags);
    case 'member':
      return cookMember(c, e);
    case 'sizeofType':
    case 'offsetof':
      // Folded unless erroneous, and the errors are found while reading.
      checkParseTime(c, e);
      break;
    case 'sizeofExpr':
      return cookSizeof(c, e);
    case 'stringof':
      return cookStringof(c, e);
    case 'xlate':
      return cookXlate(c, e);
    case 'cast':
      return cookCast(c, e);
  }
  return { type: T.int, node: 'op' };
}

/** stringLiteral's values by text (it depends on nothing else): formats repeat from clause to clause. */
const stringValues = new Map<string, string>();

function stringValue(text: string): string {
  let value = stringValues.get(text);
  if (value === undefined) {
    value = stringLiteral(text);
    if (stringValues.size >= 4096) stringValues.clear();
    stringValues.set(text, value);
  }
  return value;
}

/** The node of a folded constant. */
function constantNode(c: Compilation, e: A.Expr, f: Folded): Cooked {
  // The parts of a folded expression are typed too, for the editor and the safety rules.
  for (let i = 0, n = childCount(e); i < n; i++) {
    const part = child(e, i);
    const g = foldConstant(c, part);
    if (g) c.typed.set(part, constantNode(c, part, g));
  }
  return { type: f.type, constant: constantValue(f), node: 'int' };
}

// ---- operators ----

const RELATIONAL = new Set(['<', '<=', '>', '>=', '==', '!=']);

/** The binary operators other than assignment and `,`, each with its operand rule. */
function cookBinary(c: Compilation, e: A.Binary): Cooked {
  const l = cookNode(c, e.left, REF);
  const op = e.op;
  if (RELATIONAL.has(op)) return compare(c, e, l, enumTagOrOperand(c, e, l));
  const r = cookNode(c, e.right, REF);
  if (op === '+' || op === '-') return additive(c, e.span, op, l, r);
  if (isUnknown(l.type) || isUnknown(r.type)) {
    const logical = op === '&&' || op === '||' || op === '^^';
    return { type: logical ? T.int : UNKNOWN, node: 'op', op };
  }
  switch (op) {
    case '&':
    case '^':
    case '|':
    case '%':
    case '<<':
    case '>>':
      if (!dtIsInteger(l.type) || !dtIsInteger(r.type)) raise(c, 'D_OP_INT', e.span, `operator ${op} requires operands of integral type`);
      return { type: op === '<<' || op === '>>' ? l.type : promoteIntegers(l.type, r.type), node: 'op', op };
    case '*':
    case '/':
      if (!dtIsArith(l.type) || !dtIsArith(r.type)) raise(c, 'D_OP_ARITH', e.span, `operator ${op} requires operands of arithmetic type`);
      return { type: promoteIntegers(l.type, r.type), node: 'op', op };
    case '&&':
    case '^^':
    case '||':
      if (!dtIsScalar(l.type) || !dtIsScalar(r.type)) raise(c, 'D_OP_SCALAR', e.span, `operator ${op} requires operands of scalar type`);
      return { type: T.int, node: 'op', op };
    default:
      raise(c, 'D_UNKNOWN', e.span, `invalid binary op ${op}`);
  }
}

/**
 * Compared with an enum, a name is read as one of its enumerators (`state == RUNNING`). An
 * enumerator that was not yet declared where the comparison was read is also a global name,
 * which DTrace calls ambiguous.
 */
function enumTagOrOperand(c: Compilation, e: A.Binary, l: Cooked): Cooked {
  const right = strip(e.right);
  const en = resolve(l.type);
  if (en.kind === 'enum' && !isDynamic(l) && right.k === 'ident' && !right.name.includes('`') && en.enumerators?.has(right.name) && !foldConstant(c, right)) {
    const g = lookupGlobal(c, right.name);
    if (g)
      raise(c, 'D_IDENT_AMBIG', e.span, `ambiguous use of operator ${e.op}: ${right.name} is both a ${nodeTypeName(l)} enum tag and a global ${KIND_NAMES[globalKind(g)]}`);
    const tag: Cooked = { type: l.type, constant: BigInt(en.enumerators.get(right.name)!), node: 'int' };
    c.typed.set(e.right, tag);
    return tag;
  }
  return cookNode(c, e.right, REF);
}

/** K&R A7.9-10, relaxed: derived strings compare as strings, void pointers with any pointer. */
function compare(c: Compilation, e: A.Binary, l: Cooked, r: Cooked): Cooked {
  const ok =
    isUnknown(l.type) ||
    isUnknown(r.type) ||
    ctfCompatible(l.type, r.type) ||
    (dtIsInteger(l.type) && dtIsInteger(r.type)) ||
    (dtIsStrcompat(l.type) && dtIsStrcompat(r.type) && (isString(l.type) || isString(r.type))) ||
    pointerCompatible(l, r) !== undefined;
  if (!ok) raise(c, 'D_OP_INCOMPAT', e.span, `operands have incompatible types: "${nodeTypeName(l)}" ${e.op} "${nodeTypeName(r)}"`);
  return { type: T.int, node: 'op', op: e.op };
}

/** K&R A7.7: integers, a pointer (or string) and an integer, or the difference of two pointers. */
export function additive(c: Compilation, span: A.Span, op: '+' | '-', l: Cooked, r: Cooked): Cooked {
  if (isUnknown(l.type) || isUnknown(r.type)) {
    const known = isUnknown(l.type) ? r : l;
    return additiveNode(op, l, isPointerOperand(known) ? known.type : UNKNOWN, l.userPointer);
  }
  if (isIntegerOperand(l) && isIntegerOperand(r)) return additiveNode(op, l, promoteIntegers(l.type, r.type));
  if (isPointerOperand(l) && isIntegerOperand(r)) return additiveNode(op, l, l.type, l.userPointer);
  if (isIntegerOperand(l) && isPointerOperand(r) && op === '+') return additiveNode(op, l, r.type, r.userPointer);
  if (isPointerOperand(l) && isPointerOperand(r) && op === '-' && pointerCompatible(l, r) !== undefined)
    return additiveNode(op, l, c.types.typedefs.get('ptrdiff_t') ?? T.long);
  raise(c, 'D_OP_INCOMPAT', span, `operands have incompatible types: "${nodeTypeName(l)}" ${op} "${nodeTypeName(r)}"`);
}

function additiveNode(op: '+' | '-', l: Cooked, type: CType, userPointer?: boolean): Cooked {
  const n: Cooked = { type, node: 'op', op };
  if (userPointer) n.userPointer = true;
  if (op === '+' && l.writable) n.leftWritable = true;
  return n;
}

const isPointerOperand = (x: Cooked): boolean => !isDynamic(x) && (isString(x.type) || (dtIsPointer(x.type) && !dtIsVfptr(x.type)));
const isIntegerOperand = (x: Cooked): boolean => !isDynamic(x) && dtIsInteger(x.type);

/** `* & + - ~ !` (constant operands were folded). */
function cookUnary(c: Compilation, e: A.Unary): Cooked {
  const x = cookNode(c, e.arg, REF);
  switch (e.op) {
    case '*':
      return dereference(c, e.span, x);
    case '&':
      return addressOf(c, e, x);
    case '+':
    case '-':
      if (!dtIsArith(x.type) || isDynamic(x)) raise(c, 'D_OP_ARITH', e.span, `operator ${e.op} requires an operand of arithmetic type`);
      return { type: x.type, node: 'op', op: e.op };
    case '~':
      if (!dtIsInteger(x.type) || isDynamic(x)) raise(c, 'D_OP_INT', e.span, `operator ~ requires an operand of integral type`);
      return { type: x.type, node: 'op', op: e.op };
    case '!':
      if (!dtIsScalar(x.type) || isDynamic(x)) raise(c, 'D_OP_SCALAR', e.span, `operator ! requires an operand of scalar type`);
      return { type: T.int, node: 'op', op: e.op };
  }
}

/** `*p`, and the `*` of `x[i]`: what it points to, an lvalue unless it is an array. */
export function dereference(c: Compilation, span: A.Span, x: Cooked): Cooked {
  if (isUnknown(x.type)) return { type: UNKNOWN, node: 'op', op: '*', lvalue: true, writable: true };
  if (x.ident?.kind === 'xlptr' && x.translator) {
    // `*xlate<T *>(p)` is the translated struct itself.
    return { type: x.translator.output, node: 'op', op: '*', ident: { kind: 'xlsou', name: x.ident.name }, translator: x.translator };
  }
  const to = isDynamic(x) ? undefined : elementOf(x.type);
  if (to === undefined) raise(c, 'D_DEREF_NONPTR', span, 'cannot dereference non-pointer type');
  const r = resolve(to);
  if (r.kind === 'void') raise(c, 'D_DEREF_VOID', span, 'cannot dereference pointer to void');
  if (r.kind === 'function') raise(c, 'D_DEREF_FUNC', span, 'cannot dereference pointer to function');
  const node: Cooked = { type: to, node: 'op', op: '*', lvalue: r.kind !== 'array' || isString(to) };
  // Writable through a writable variable, or through `a + i` with `a` writable (`a[i] = v`).
  if (x.writable || x.leftWritable) node.writable = true;
  if (x.userPointer && (r.kind === 'pointer' || isReference(to))) node.userPointer = true;
  return node;
}

/** Types DTrace passes by reference: structs, unions, arrays, functions. */
function isReference(t: CType): boolean {
  const k = resolve(t).kind;
  return k === 'struct' || k === 'union' || k === 'array' || k === 'function' || k === 'string';
}

/** `&x`: of memory only, not of a D variable, a dynamic value or a bit-field. */
function addressOf(c: Compilation, e: A.Unary, x: Cooked): Cooked {
  if (x.node === 'var' || x.node === 'agg') raise(c, 'D_ADDROF_VAR', e.span, 'cannot take address of dynamic variable');
  if (isDynamic(x)) raise(c, 'D_ADDROF_VAR', e.span, 'cannot take address of dynamic object');
  if (!x.lvalue) raise(c, 'D_ADDROF_LVAL', e.span, 'unacceptable operand for unary & operator');
  if (x.bitfield) raise(c, 'D_ADDROF_BITFIELD', e.span, 'cannot take address of bit-field');
  const node: Cooked = { type: isUnknown(x.type) ? UNKNOWN : pointer(x.type), node: 'op', op: '&' };
  if (x.userPointer) node.userPointer = true;
  return node;
}

/** `++`/`--`: a new global variable may be created here, as an int64_t. */
function cookUpdate(c: Compilation, e: A.Update): Cooked {
  const target = strip(e.arg);
  let x: Cooked;
  if (target.k === 'ident' && !foldConstant(c, target)) {
    x = resolveGlobal(c, target, 'scalar', true);
    c.typed.set(target, x);
  } else x = cookNode(c, e.arg, NONE);
  const v = x.node === 'var' ? x.ident?.variable : undefined;
  if (v && unreferenced(v)) {
    v.type = c.types.typedefs.get('int64_t') ?? T.long;
    x.type = v.type;
  }
  if (v) markUse(c, v, REF | MOD, e.arg.span);
  if (!isUnknown(x.type)) {
    if (!dtIsScalar(x.type) || isDynamic(x)) raise(c, 'D_OP_SCALAR', e.span, `operator ${e.op} requires operand of scalar type`);
    if (dtIsVfptr(x.type)) raise(c, 'D_OP_VFPTR', e.span, `operator ${e.op} requires an operand of known size`);
  }
  if (!x.lvalue) raise(c, 'D_OP_LVAL', e.span, `operator ${e.op} requires modifiable lvalue as an operand`);
  if (!x.writable) raise(c, 'D_OP_WRITE', e.span, `operator ${e.op} can only be applied to a writable variable`);
  const node: Cooked = { type: x.type, node: 'op', op: e.op };
  if (x.userPointer) node.userPointer = true;
  return node;
}

// ---- assignment ----

/** `=` and the compound assignments, which read the variable first (it must have a value). */
function cookAssign(c: Compilation, e: A.Assign): Cooked {
  const target = strip(e.left);
  if (e.op === '=' && (target.k === 'agg' || (target.k === 'index' && strip(target.base).k === 'agg'))) return assignAggregation(c, e, target);
  const creates = target.k === 'ident' && !foldConstant(c, target);
  if (e.op === '=') {
    // The left side first: it may create the variable the right side is then stored in.
    let lp: Cooked;
    if (creates) {
      lp = resolveGlobal(c, target, 'scalar', true);
      c.typed.set(target, lp);
    } else lp = cookNode(c, e.left, NONE);
    const rp = cookNode(c, e.right, REF);
    if (lp.node === 'agg') return reassignAggregation(c, e, lp, rp);
    return assignValue(c, e, lp, rp);
  }
  let lp: Cooked;
  if (creates) {
    lp = useVariable(c, resolveGlobal(c, target, 'scalar', true), REF | MOD, target.span);
    c.typed.set(target, lp);
  } else lp = cookNode(c, e.left, REF | MOD);
  const rp = cookNode(c, e.right, REF | MOD);
  const op = e.op;
  if (!isUnknown(lp.type) && !isUnknown(rp.type)) {
    if (op === '+=' || op === '-=') {
      if (isString(lp.type) || isString(rp.type)) incompatibleOperands(c, e, lp, rp);
      if (!dtIsInteger(lp.type) || !dtIsInteger(rp.type) || isDynamic(lp) || isDynamic(rp)) {
        if (!dtIsPointer(lp.type) || dtIsVfptr(lp.type) || isDynamic(lp))
          raise(c, 'D_OP_VFPTR', e.span, `operator ${op} requires left-hand scalar operand of known size`);
        if (!dtIsInteger(rp.type) && pointerCompatible(lp, rp) === undefined) incompatibleOperands(c, e, lp, rp);
      }
    } else if (op === '*=' || op === '/=') {
      if (!dtIsArith(lp.type) || !dtIsArith(rp.type) || isDynamic(lp) || isDynamic(rp))
        raise(c, 'D_OP_ARITH', e.span, `operator ${op} requires operands of arithmetic type`);
    } else if (!dtIsInteger(lp.type) || !dtIsInteger(rp.type) || isDynamic(lp) || isDynamic(rp)) {
      raise(c, 'D_OP_INT', e.span, `operator ${op} requires operands of integral type`);
    }
  }
  return assignCommon(c, e, lp);
}

function incompatibleOperands(c: Compilation, e: A.Assign, lp: Cooked, rp: Cooked): never {
  raise(c, 'D_OP_INCOMPAT', e.span, `operands have incompatible types: "${nodeTypeName(lp)}" ${e.op} "${nodeTypeName(rp)}"`);
}

/** `x = v`: a variable without a type takes the value's; then K&R A7.17's compatibility. */
function assignValue(c: Compilation, e: A.Assign, lp: Cooked, rp: Cooked): Cooked {
  const translated = rp.ident?.kind === 'xlsou' && rp.translator ? rp.translator.output : undefined;
  const valueType = translated ?? rp.type;
  const v = lp.node === 'var' ? lp.ident?.variable : undefined;
  if (v && unreferenced(v)) {
    v.type = valueType;
    lp.type = valueType;
    if (rp.userPointer) {
      userlandVariables.add(v);
      lp.userPointer = true;
    }
  }
  if (v) markUse(c, v, MOD, e.left.span);
  if (!isString(lp.type) && !isDynamic(lp)) {
    const k = resolve(lp.type).kind;
    if (k === 'array' || k === 'function') raise(c, 'D_OP_ARRFUN', e.span, `operator = may not be applied to operand of type "${nodeTypeName(lp)}"`);
  }
  const ok = (translated !== undefined && ctfCompatible(lp.type, translated)) || operandsCompatible(lp, rp);
  if (!ok) raise(c, 'D_OP_INCOMPAT', e.span, `operands have incompatible types: "${nodeTypeName(lp)}" = "${nodeTypeName(rp)}"`);
  return assignCommon(c, e, lp);
}

/** What every assignment needs of its left side: an lvalue that may be written. */
function assignCommon(c: Compilation, e: A.Assign, lp: Cooked): Cooked {
  if (!lp.lvalue) raise(c, 'D_OP_LVAL', e.span, `operator ${e.op} requires modifiable lvalue as an operand`);
  if (!lp.writable) raise(c, 'D_OP_WRITE', e.span, `operator ${e.op} can only be applied to a writable variable`);
  const node: Cooked = { type: lp.type, node: 'op', op: e.op };
  if (lp.userPointer) node.userPointer = true;
  return node;
}

/**
 * `@a = f()` inside an expression (the statement form is an aggregation statement): the
 * value must come from an aggregating function, and the result is the aggregation.
 */
function assignAggregation(c: Compilation, e: A.Assign, target: A.AggRef | A.Index): Cooked {
  const name = target.k === 'agg' ? target.name : (strip(target.base) as A.AggRef).name;
  if (target.k === 'index') for (const k of target.indices) cookNode(c, k, REF);
  const rp = cookNode(c, e.right, REF);
  return reassignAggregation(c, e, { ...aggregation(name), tuple: target.k === 'index' }, rp);
}

/** An aggregation is assigned once per statement, and only an aggregating function's result. */
function reassignAggregation(c: Compilation, e: A.Assign, lp: Cooked, rp: Cooked): Cooked {
  if (rp.node !== 'func' || rp.ident?.kind !== 'aggfunc') raise(c, 'D_AGG_FUNC', e.span, `@${lp.ident!.name} must be assigned the result of an aggregating function`);
  // (@a = count()) = count(): the result of an aggregation assignment is not an lvalue.
  if (lp.aggfun) raise(c, 'D_OP_LVAL', e.span, 'operator = requires modifiable lvalue as an operand');
  return { ...lp, aggfun: true };
}

// ---- ?: and , ----

/** `?:` (K&R A7.16): a scalar condition, no dynamic or action operands, compatible branches. */
function cookConditional(c: Compilation, e: A.Conditional, flags: number): Cooked {
  // A constant condition is folded while reading: only the branch taken exists.
  const test = foldConstant(c, e.test);
  if (test) {
    c.typed.set(e.test, constantNode(c, e.test, test));
    return { ...cookNode(c, test.value !== 0n ? e.then : e.else, flags) };
  }
  const t = cookNode(c, e.test, REF);
  const a = cookNode(c, e.then, REF);
  const b = cookNode(c, e.else, REF);
  if (!dtIsScalar(t.type) || isDynamic(t)) raise(c, 'D_OP_SCALAR', e.span, 'operator ?: expression must be of scalar type');
  if (isDynamic(a) || isDynamic(b)) raise(c, 'D_OP_DYN', e.span, 'operator ?: operands cannot be of dynamic type');
  let type: CType;
  if (isUnknown(a.type) || isUnknown(b.type)) type = isUnknown(a.type) ? b.type : a.type;
  else if (ctfCompatible(a.type, b.type)) type = a.type;
  else if (dtIsInteger(a.type) && dtIsInteger(b.type)) type = promoteIntegers(a.type, b.type);
  else if (dtIsStrcompat(a.type) && dtIsStrcompat(b.type) && (isString(a.type) || isString(b.type))) type = T.string;
  else {
    const p = pointerCompatible(a, b);
    if (p === undefined) raise(c, 'D_OP_INCOMPAT', e.span, 'operator ?: operands must have compatible types');
    type = p;
  }
  if (isActionCall(a) || isActionCall(b)) raise(c, 'D_OP_ACT', e.span, 'action cannot be used in a conditional context');
  return { type, node: 'op', op: '?:' };
}

/** `,`: neither side may be dynamic or an action; the value is the right side's. */
function cookComma(c: Compilation, e: A.Comma): Cooked {
  const l = cookNode(c, e.left, REF);
  const r = cookNode(c, e.right, REF);
  if (isDynamic(l) || isDynamic(r)) raise(c, 'D_OP_DYN', e.span, 'operator , operands cannot be of dynamic type');
  if (isActionCall(l) || isActionCall(r)) raise(c, 'D_OP_ACT', e.span, 'operator , operands cannot be actions');
  const node: Cooked = { type: r.type, node: 'op', op: ',' };
  if (r.userPointer) node.userPointer = true;
  if (r.stringValue !== undefined) node.stringValue = r.stringValue;
  return node;
}

// ---- calls ----

/** A call of a built-in function: its arguments, then its prototype (dt_idcook_func). */
function cookCall(c: Compilation, e: A.Call): Cooked {
  const f = functionDesignator(c, e);
  const fn = strip(e.fn);
  const args: Cooked[] = [];
  for (const a of e.args) args.push(cookNode(c, a, REF));
  const ret = checkBuiltinCall(c, f, args, e.span, lineOf(e.span), nodeTypeName);
  const kind: IdentKind = f.kind === 'action' ? 'actfunc' : f.kind === 'aggregating' ? 'aggfunc' : 'func';
  const node: Cooked = { node: 'func', ident: { kind, name: f.name }, type: ret === undefined ? DYNAMIC : kernelType(ret) };
  if (ret === undefined) node.dynamic = true;
  c.typed.set(fn, { node: 'var', ident: { kind, name: f.name }, type: DYNAMIC } as Cooked);
  return node;
}

// ---- members ----

/** `s.m` and `p->m`, through a translator when the left side is translated data. */
function cookMember(c: Compilation, e: A.Member): Cooked {
  const op = e.arrow ? '->' : '.';
  const lp = cookNode(c, e.base, REF);
  // A member name that is also an integer inline or an enumerator was read as that constant.
  if (foldConstant(c, { k: 'ident', name: e.name, span: e.nameSpan })) raise(c, 'D_OP_IDENT', e.span, `operator ${op} must be followed by an identifier`);
  if (isUnknown(lp.type)) return { type: UNKNOWN, node: 'op', op, lvalue: true, writable: true };
  let t: CType;
  const translated = lp.translator && (lp.ident?.kind === 'xlsou' || lp.ident?.kind === 'xlptr');
  if (translated) {
    if (!lp.translator!.members.has(e.name)) raise(c, 'D_XLATE_NOCONV', e.span, `translator does not define conversion for member: ${e.name}`);
    t = lp.ident!.kind === 'xlptr' ? pointer(lp.translator!.output) : lp.translator!.output;
  } else t = lp.type;
  const uref = lp.userPointer === true;
  let r = resolve(t);
  if (e.arrow) {
    if (r.kind !== 'pointer' || (isDynamic(lp) && !translated)) raise(c, 'D_OP_PTR', e.span, `operator -> must be applied to a pointer`);
    t = r.to;
    r = resolve(t);
  }
  // A pointer to a kernel type we know nothing about (`vnode_t *` without the library's vnode_t).
  if (isUnknown(t)) return { type: UNKNOWN, node: 'op', op, lvalue: true, writable: true };
  if ((r.kind === 'struct' || r.kind === 'union') && r.members === undefined) {
    // A kernel type we have no definition of: accept the access, of unknown type.
    if (kernelStructs.has(r) || c.types.isKernelTag(r.tag)) return { type: UNKNOWN, node: 'op', op, lvalue: true, writable: true };
    raise(c, 'D_OP_INCOMPLETE', e.span, `operator ${op} cannot be applied to a forward declaration: no ${r.kind} ${r.tag ?? '(anon)'} definition is available`);
  }
  if (r.kind !== 'struct' && r.kind !== 'union') {
    const name = isDynamic(lp) && !translated ? nodeTypeName(lp) : resolvedTypeName(t, c.settings.strsize);
    if (e.arrow) raise(c, 'D_OP_SOU', e.span, `operator -> cannot be applied to pointer to type "${name}"; must be applied to a struct or union pointer`);
    raise(c, 'D_OP_SOU', e.span, `operator . cannot be applied to type "${name}"; must be applied to a struct or union`);
  }
  const m = r.members!.find((x) => x.name === e.name);
  if (!m) raise(c, 'D_TYPE_MEMBER', e.nameSpan, `${e.name} is not a member of ${typeName(r)}`);
  const mk = resolve(m.type).kind;
  const notArray = mk !== 'array' || isString(m.type);
  const node: Cooked = { type: m.type, node: 'op', op, lvalue: e.arrow ? notArray : lp.lvalue === true && notArray };
  if (lp.writable) node.writable = true;
  if (isBitField(m.bits)) node.bitfield = true;
  if (uref && (mk === 'pointer' || isReference(m.type))) node.userPointer = true;
  if (kernelStructs.has(r) || lp.ident?.variable?.definitionFile !== undefined) markKernelType(m.type);
  return node;
}

// ---- sizeof, stringof, xlate, casts ----

/** `sizeof x` (sizeof of a type or a string constant is folded while reading). */
function cookSizeof(c: Compilation, e: A.SizeofExpr): Cooked {
  const x = cookNode(c, e.arg, REF);
  if (x.bitfield) raise(c, 'D_SIZEOF_BITFIELD', e.span, 'cannot apply sizeof to a bit-field');
  const size = isUnknown(x.type) ? 8 : isDynamic(x) ? 0 : dtraceSize(c, x.type);
  if (size === 0) raise(c, 'D_SIZEOF_TYPE', e.span, 'cannot apply sizeof to an operand of unknown size');
  // Not a constant for DTrace's rules (only sizeof of a type or a string is), but its value is known.
  return { type: c.types.typedefs.get('size_t') ?? T.ulong, node: 'op', op: 'sizeof', constant: BigInt(size) };
}

/** `stringof x`: of a scalar, a pointer or a string. */
function cookStringof(c: Compilation, e: A.Stringof): Cooked {
  const x = cookNode(c, e.arg, REF);
  const ok = !isDynamic(x) && (dtIsScalar(x.type) || dtIsPointer(x.type) || dtIsStrcompat(x.type));
  if (!ok) raise(c, 'D_STRINGOF_TYPE', e.span, `cannot apply stringof to a value of type ${nodeTypeName(x)}`);
  const node: Cooked = { type: T.string, node: 'op', op: 'stringof' };
  if (x.userPointer) node.userPointer = true;
  return node;
}

/** `xlate<T>(x)`: translated data, typed by the translator's output. */
function cookXlate(c: Compilation, e: A.Xlate): Cooked {
  const out = resolveTypeName(c, e.type);
  const x = cookNode(c, e.arg, REF);
  const r = resolve(out);
  const toPointer = r.kind === 'pointer';
  const target = toPointer ? r.to : out;
  const tr = isStructOrUnion(target) && !isDynamic(x) ? translatorFor(c, target, x) : undefined;
  if (!tr) raise(c, 'D_XLATE_NONE', e.span, `cannot translate from "${nodeTypeName(x)}" to "${typeName(out)}"`);
  return { type: out, node: 'op', op: 'xlate', dynamic: true, ident: { kind: toPointer ? 'xlptr' : 'xlsou', name: typeName(target) }, translator: tr };
}

/** The translator to `output` for a value: one from its exact type, else one it is compatible with (0 with a pointer). */
function translatorFor(c: Compilation, output: CType, x: Cooked): Translator | undefined {
  const exact = findTranslator(c, output, x.type);
  if (exact) return exact;
  const out = resolve(output);
  return c.translators.find((t) => (resolve(t.output) === out || ctfCompatible(t.output, output)) && operandsCompatible({ type: t.input }, x));
}

/** K&R A7.5: the same type, between scalars, arrays to pointers, anything to void; scalars to strings. */
function cookCast(c: Compilation, e: A.Cast): Cooked {
  const to = resolveTypeName(c, e.type);
  const x = cookNode(c, e.arg, REF);
  const lk = resolve(to).kind;
  const rk = resolve(x.type).kind;
  const dyn = isDynamic(x);
  const ok =
    isUnknown(x.type) ||
    (!dyn && ctfCompatible(to, x.type)) ||
    (dtIsScalar(to) && !dyn && (dtIsScalar(x.type) || rk === 'function')) ||
    lk === 'void' ||
    (lk === 'pointer' && !dyn && dtIsPointer(x.type)) ||
    (isString(to) && !dyn && (dtIsScalar(x.type) || dtIsPointer(x.type) || dtIsStrcompat(x.type)));
  if (!ok) raise(c, 'D_CAST_INVAL', e.span, `invalid cast expression: "${nodeTypeName(x)}" to "${typeName(to)}"`);
  const node: Cooked = { type: to, node: 'op', op: 'cast' };
  // A pointer cast may be written through: *(int *)p = 1.
  if (lk === 'pointer') node.writable = true;
  return node;
}

