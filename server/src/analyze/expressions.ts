// Types D expressions the way DTrace's parser "cooks" them: resolves identifiers and variables,
// applies C's promotions on an LP64 target, folds constants, and raises DTrace's error tags
// with its messages.
import type * as A from '../parse/ast';
import { BUILTIN_ARRAYS, BUILTIN_VARIABLES } from './builtins/variables';
import { FUNCTIONS_BY_NAME } from './builtins/functions';
import type { Compilation, TypedInfo } from './compilation';
import { charLiteral, integerLiteral, stringLiteral } from './literals';
import { integerConstantError } from '../parse/lexicalErrors';
import { checkSubroutineCall } from './calls';
import { resolveTypeName } from './types/declarations';
import { findTranslator } from './translators';
import {
  T,
  isArithmetic,
  isCharPointerOrArray,
  isInteger,
  isScalar,
  isString,
  isStringLike,
  isStructOrUnion,
  isVoid,
  pointer,
  resolve,
  sameType,
  sizeOf,
  typeName,
  type CType,
  type IntType,
  UNKNOWN,
  isUnknown,
} from './types/ctype';
import type { Variable } from './symbols';

const BUILTINS = new Map(BUILTIN_VARIABLES.map((v) => [v.name, v]));

export interface CookOptions {
  /** The expression is being assigned to (creates variables). */
  assignType?: CType;
}

const q = (t: CType): string => `"${typeName(t)}"`;

function strip(e: A.Expr): A.Expr {
  while (e.k === 'paren') e = e.arg;
  return e;
}

export function cook(c: Compilation, e: A.Expr): TypedInfo {
  const info = cookInner(c, e);
  c.typed.set(e, info);
  return info;
}

function cookInner(c: Compilation, e: A.Expr): TypedInfo {
  switch (e.k) {
    case 'paren':
      return { ...cook(c, e.arg) };
    case 'int': {
      const r = integerLiteral(e.text);
      if (!r.ok) c.error(r.tag, e.span, r.message);
      return { type: r.value.type, constant: r.value.value };
    }
    case 'char': {
      const r = charLiteral(e.text);
      if (!r.ok) c.error(r.tag, e.span, r.message);
      return { type: r.value.type, constant: r.value.value };
    }
    case 'string':
      return { type: T.string, stringValue: stringLiteral(e.text) };
    case 'float':
      c.error('D_SYNTAX', e.span, 'floating-point constants are not permitted');
      break;
    case 'error':
      c.error('D_SYNTAX', e.span, 'syntax error');
      break;
    case 'ident':
      return cookIdent(c, e);
    case 'macro':
      return cookMacro(c, e);
    case 'self':
    case 'this':
      return cookDynamicVar(c, e, undefined);
    case 'agg':
      c.error('D_AGG_NULL', e.span, `expression has null effect: aggregation ${e.name === '@_' ? '@' : e.name}`);
      break;
    case 'binary':
      return cookBinary(c, e);
    case 'unary':
      return cookUnary(c, e);
    case 'update': {
      const arg = cook(c, e.arg);
      requireLvalue(c, e.arg, arg, e.op, e.span);
      if (!isScalar(arg.type) || resolve(arg.type).kind === 'array')
        c.error('D_OP_SCALAR', e.span, `operator ${e.op} requires an operand of scalar type`);
      return { type: arg.type };
    }
    case 'assign':
      return cookAssign(c, e);
    case 'cond':
      return cookConditional(c, e);
    case 'comma':
      cook(c, e.left);
      return { ...cook(c, e.right), lvalue: false, writable: false };
    case 'call':
      return cookCall(c, e);
    case 'index':
      return cookIndex(c, e);
    case 'member':
      return cookMember(c, e);
    case 'sizeofType': {
      const t = resolveTypeName(c, e.type);
      const size = sizeOf(t, c.settings.strsize);
      if (size === undefined || resolve(t).kind === 'function') c.error('D_SIZEOF_TYPE', e.span, `cannot apply sizeof to an expression of type ${typeName(t)}`);
      return { type: T.ulong, constant: BigInt(size) };
    }
    case 'sizeofExpr': {
      const arg = cook(c, e.arg);
      const size = sizeOf(arg.type, c.settings.strsize);
      if (size === undefined || resolve(arg.type).kind === 'function')
        c.error('D_SIZEOF_TYPE', e.span, `cannot apply sizeof to an expression of type ${typeName(arg.type)}`);
      return { type: typedefSize(c), constant: BigInt(size) };
    }
    case 'stringof': {
      const arg = cook(c, e.arg);
      if (!isScalar(arg.type) && !isString(arg.type))
        c.error('D_STRINGOF_TYPE', e.span, `cannot apply stringof to a value of type ${typeName(arg.type)}`);
      return { type: T.string };
    }
    case 'offsetof': {
      const t = resolve(resolveTypeName(c, e.type));
      if (t.kind !== 'struct' && t.kind !== 'union')
        c.error('D_OFFSETOF_TYPE', e.span, `offsetof operand must be a struct or union type`);
      if (t.members === undefined) c.error('D_OFFSETOF_TYPE', e.span, `offsetof operand must be a struct or union type`);
      const m = t.members.find((x) => x.name === e.member);
      if (!m) c.error('D_TYPE_MEMBER', e.span, `${typeName(t)} does not contain member ${e.member}`);
      if (m.bits !== undefined) c.error('D_OFFSETOF_BITFIELD', e.span, `cannot take offset of a bit-field: ${e.member}`);
      return { type: typedefSize(c), constant: BigInt(m.offset) };
    }
    case 'xlate': {
      const out = resolveTypeName(c, e.type);
      const arg = cook(c, e.arg);
      const r = resolve(out);
      const target = r.kind === 'pointer' ? r.to : out;
      if (!isStructOrUnion(target))
        c.error('D_XLATE_SOU', e.span, `translator output type must be a struct or union`);
      const tr = findTranslator(c, target, arg.type);
      if (!tr) c.error('D_XLATE_NONE', e.span, `no translator available to translate ${typeName(arg.type)} to ${typeName(out)}`);
      return { type: out };
    }
    case 'cast':
      return cookCast(c, e);
  }
  // Unreachable: every case above returns or raises.
  return { type: T.int };
}

function typedefSize(c: Compilation): CType {
  return c.types.typedefs.get('size_t') ?? T.ulong;
}

// ---- identifiers and variables ----

function cookIdent(c: Compilation, e: A.Ident): TypedInfo {
  const name = e.name;
  const b = BUILTINS.get(name);
  if (b) return { type: c.types.parse(b.type), lvalue: true, writable: false, dvar: true };
  // A kernel symbol (`` `sym ``, `` mod`sym ``): without kernel type information it is an
  // untyped 64-bit value in kernel memory.
  if (name.includes('`')) return { type: UNKNOWN, lvalue: true, writable: false };
  const inline = c.inlines.get(name);
  if (inline) {
    const info: TypedInfo = { type: inline.type };
    if (inline.constant !== undefined) info.constant = inline.constant;
    return info;
  }
  const en = c.enumerators.get(name);
  if (en) return { type: en.type, constant: en.value };
  const v = c.globals.get(name);
  if (v && v.type) {
    touch(c, v, e.span, false);
    if (v.shape === 'assoc') c.error('D_ARR_BADREF', e.span, `${name}[ ] must be referenced with a tuple subscript`);
    return { type: v.type, lvalue: true, writable: true, dvar: v.shape !== 'array' };
  }
  if (FUNCTIONS_BY_NAME.has(name)) {
    const f = FUNCTIONS_BY_NAME.get(name)!;
    c.error('D_FUNC_IDKIND', e.span, `${name}( ) must be called as a function`.replace(/^(\w+)\( \) must be called as a function$/, `${f.name}( ) may not be referenced as a variable`));
  }
  if (BUILTIN_ARRAYS.has(name)) c.error('D_ARR_BADREF', e.span, `${name}[ ] must be referenced with an array subscript`);
  c.error('D_IDENT_UNDEF', e.span, `failed to resolve ${name}: Unknown variable name`);
}

function touch(c: Compilation, v: Variable, span: A.Span, write: boolean): void {
  const ref = { span, write, clause: c.clause?.index ?? -1 } as Variable['references'][number];
  if (c.file !== undefined) ref.file = c.file;
  v.references.push(ref);
}

function cookMacro(c: Compilation, e: A.MacroVar): TypedInfo {
  const m = c.macros?.resolve(e.name);
  if (!m) c.error('D_MACRO_UNDEF', e.span, `macro ${/^\$\$?\d+$/.test(e.name) ? 'argument' : 'variable'} ${e.name} is not defined`);
  if (m.kind === 'string') return { type: T.string, stringValue: m.text };
  if (m.kind === 'int') {
    const digits = m.text.replace(/^[+-]/, '');
    const problem = integerConstantError(digits, `macro argument ${e.name} `);
    if (problem) c.error(problem.tag === 'D_INT_OFLOW' && problem.message.startsWith('macro') ? 'D_MACRO_OFLOW' : problem.tag, e.span, problem.message);
    const r = integerLiteral(digits);
    if (!r.ok) c.error(r.tag, e.span, r.message);
    return { type: r.value.type, constant: m.text.startsWith('-') ? -r.value.value : r.value.value };
  }
  // An identifier operand is substituted as that identifier.
  return cookIdent(c, { k: 'ident', name: m.text, span: e.span });
}

/** `self->x`, `this->x`, with optional keys for associative thread-local arrays. */
function cookDynamicVar(c: Compilation, e: A.SelfVar | A.ThisVar, keys: A.Expr[] | undefined, assignType?: CType): TypedInfo {
  const table = e.k === 'self' ? c.threadLocals : c.clauseLocals;
  const prefix = e.k === 'self' ? 'self->' : 'this->';
  let v = table.get(e.name);
  if (keys && e.k === 'this') c.error('D_ARR_LOCAL', e.span, `local variables may not be used as associative arrays: ${prefix}${e.name}`);
  const keyTypes = keys?.map((k) => cookKey(c, k));
  if (!v || v.type === undefined) {
    if (assignType === undefined) {
      c.error('D_IDENT_UNDEF', e.span, `failed to resolve ${prefix}${e.name}: Unknown variable name`);
    }
    v ??= table.create(e.name, keys ? 'assoc' : 'scalar');
    v.type = assignType;
    if (keyTypes) v.keys = keyTypes;
    v.shape = keys ? 'assoc' : 'scalar';
    v.definition ??= e.span;
    if (c.file !== undefined) v.definitionFile ??= c.file;
  } else {
    checkKeys(c, v, keyTypes, keys, e.span, prefix + e.name);
  }
  touch(c, v, e.span, assignType !== undefined);
  if (e.k === 'this' && c.clause) {
    if (assignType !== undefined) c.clause.assignedLocals.add(e.name);
  }
  return { type: v.type!, lvalue: true, writable: true, dvar: true };
}

function cookKey(c: Compilation, k: A.Expr): CType {
  const t = cook(c, k).type;
  const r = resolve(t);
  if (r.kind === 'void' || r.kind === 'function' || r.kind === 'struct' || r.kind === 'union')
    c.error('D_KEY_TYPE', k.span, `invalid key #1 for associative array: type ${typeName(t)} is not a valid key type`);
  return t;
}

function checkKeys(c: Compilation, v: Variable, keyTypes: CType[] | undefined, keys: A.Expr[] | undefined, span: A.Span, display: string): void {
  if (v.shape === 'assoc' && !keyTypes) c.error('D_ARR_BADREF', span, `${display}[ ] must be referenced with a tuple subscript`);
  if (v.shape === 'scalar' && keyTypes) c.error('D_IDENT_BADREF', span, `${display} cannot be used as an associative array`);
  if (!keyTypes || !v.keys) return;
  if (keyTypes.length !== v.keys.length)
    c.error(
      'D_ARR_BADREF',
      span,
      `${display}[ ] prototype mismatch: ${keyTypes.length} arg${keyTypes.length === 1 ? '' : 's'} passed, ${v.keys.length} expected`,
    );
  keyTypes.forEach((t, i) => {
    if (!keyCompatible(v.keys![i]!, t))
      c.error(
        'D_ARR_BADREF',
        keys![i]!.span,
        `${display}[ ] argument #${i + 1} is incompatible with prototype:\n\tprototype: ${typeName(v.keys![i]!)}\n\t argument: ${typeName(t)}`,
      );
  });
}

function keyCompatible(proto: CType, arg: CType): boolean {
  if (isInteger(proto) && isInteger(arg)) return true;
  if (isStringLike(proto) && isStringLike(arg)) return true;
  return assignable(proto, arg, undefined);
}

// ---- operators ----

function promote(a: CType, b: CType): CType {
  const x = resolve(a);
  const y = resolve(b);
  if (x.kind === 'float' || y.kind === 'float') return x.kind === 'float' ? a : b;
  const ix = integerPromote(x.kind === 'enum' ? T.int : (x as IntType));
  const iy = integerPromote(y.kind === 'enum' ? T.int : (y as IntType));
  if (ix.signed === iy.signed) return ix.rank >= iy.rank ? ix : iy;
  const [u, s] = ix.signed ? [iy, ix] : [ix, iy];
  if (u.rank >= s.rank) return u;
  if (s.size > u.size) return s;
  // Same size, signed has higher rank: the unsigned version of the signed type.
  return s.rank === 5 ? T.ullong : T.ulong;
}

function integerPromote(t: IntType): IntType {
  return t.rank < 3 ? T.int : t;
}

const ARITH_OPS = new Set(['*', '/']);
const INT_OPS = new Set(['%', '<<', '>>', '&', '|', '^']);
const LOGICAL_OPS = new Set(['&&', '||', '^^']);
const RELATIONAL_OPS = new Set(['<', '<=', '>', '>=']);
const EQUALITY_OPS = new Set(['==', '!=']);

function cookBinary(c: Compilation, e: A.Binary): TypedInfo {
  const l = cook(c, e.left);
  const r = cook(c, e.right);
  const op = e.op;
  if (isUnknown(l.type) || isUnknown(r.type)) {
    const other = isUnknown(l.type) ? r.type : l.type;
    return { type: RELATIONAL_OPS.has(op) || EQUALITY_OPS.has(op) || LOGICAL_OPS.has(op) ? T.int : isUnknown(other) || !isArithmetic(other) ? UNKNOWN : UNKNOWN };
  }
  if (LOGICAL_OPS.has(op)) {
    if (!isScalar(l.type) || !isScalar(r.type)) c.error('D_OP_SCALAR', e.span, `operator ${op} requires operands of scalar type`);
    return fold(op, l, r, T.int);
  }
  if (ARITH_OPS.has(op)) {
    if (!isArithmetic(l.type) || !isArithmetic(r.type)) c.error('D_OP_ARITH', e.span, `operator ${op} requires operands of arithmetic type`);
    checkDivZero(c, op, r, e);
    return fold(op, l, r, promote(l.type, r.type));
  }
  if (INT_OPS.has(op)) {
    if (!isInteger(l.type) || !isInteger(r.type)) c.error('D_OP_INT', e.span, `operator ${op} requires operands of integral type`);
    checkDivZero(c, op, r, e);
    const t = op === '<<' || op === '>>' ? integerPromote(resolveInt(l.type)) : promote(l.type, r.type);
    return fold(op, l, r, t);
  }
  if (op === '+' || op === '-') {
    if (isArithmetic(l.type) && isArithmetic(r.type)) return fold(op, l, r, promote(l.type, r.type));
    const lp = pointerLike(l.type);
    const rp = pointerLike(r.type);
    if (lp && isInteger(r.type)) return { type: decay(l.type), ...(l.userPointer ? { userPointer: true } : {}) };
    if (op === '+' && rp && isInteger(l.type)) return { type: decay(r.type) };
    if (op === '-' && lp && rp && sameType(pointee(l.type), pointee(r.type))) return { type: c.types.typedefs.get('ptrdiff_t') ?? T.long };
    c.error('D_OP_INCOMPAT', e.span, `operands have incompatible types: ${q(l.type)} ${op} ${q(r.type)}`);
  }
  if (RELATIONAL_OPS.has(op) || EQUALITY_OPS.has(op)) {
    if (isArithmetic(l.type) && isArithmetic(r.type)) return fold(op, l, r, T.int);
    if (isStringLike(l.type) && isStringLike(r.type) && (isString(l.type) || isString(r.type))) return { type: T.int };
    if (pointerLike(l.type) && pointerLike(r.type) && pointersCompatible(l.type, r.type)) return { type: T.int };
    // A pointer (or string) compares with an integer only when that integer is the constant 0.
    if ((pointerLike(l.type) || isString(l.type)) && isInteger(r.type) && r.constant === 0n) return { type: T.int };
    if (isInteger(l.type) && l.constant === 0n && (pointerLike(r.type) || isString(r.type))) return { type: T.int };
    c.error('D_OP_INCOMPAT', e.span, `operands have incompatible types: ${q(l.type)} ${op} ${q(r.type)}`);
  }
  c.error('D_UNKNOWN', e.span, `unknown operator ${op}`);
}

function resolveInt(t: CType): IntType {
  const r = resolve(t);
  return r.kind === 'int' ? r : T.int;
}

function checkDivZero(c: Compilation, op: string, r: TypedInfo, e: A.Binary): void {
  if ((op === '/' || op === '%') && r.constant === 0n) c.error('D_DIV_ZERO', e.span, 'expression contains division by zero');
}

function pointerLike(t: CType): boolean {
  const k = resolve(t).kind;
  return k === 'pointer' || k === 'array';
}

function pointee(t: CType): CType {
  const r = resolve(t);
  return r.kind === 'pointer' ? r.to : r.kind === 'array' ? r.of : T.void;
}

function decay(t: CType): CType {
  const r = resolve(t);
  return r.kind === 'array' ? pointer(r.of) : t;
}

function pointersCompatible(a: CType, b: CType): boolean {
  const x = resolve(pointee(a));
  const y = resolve(pointee(b));
  return x.kind === 'void' || y.kind === 'void' || sameType(x, y);
}

/** Folds integer constants with 64-bit wrap-around, keeping the result type's signedness. */
function fold(op: string, l: TypedInfo, r: TypedInfo, type: CType): TypedInfo {
  if (l.constant === undefined || r.constant === undefined || !isInteger(type)) return { type };
  const a = l.constant;
  const b = r.constant;
  let v: bigint;
  switch (op) {
    case '+': v = a + b; break;
    case '-': v = a - b; break;
    case '*': v = a * b; break;
    case '/': if (b === 0n) return { type }; v = a / b; break;
    case '%': if (b === 0n) return { type }; v = a % b; break;
    case '<<': v = a << (b & 63n); break;
    case '>>': v = a >> (b & 63n); break;
    case '&': v = a & b; break;
    case '|': v = a | b; break;
    case '^': v = a ^ b; break;
    case '&&': v = a !== 0n && b !== 0n ? 1n : 0n; break;
    case '||': v = a !== 0n || b !== 0n ? 1n : 0n; break;
    case '^^': v = (a !== 0n) !== (b !== 0n) ? 1n : 0n; break;
    case '<': v = a < b ? 1n : 0n; break;
    case '<=': v = a <= b ? 1n : 0n; break;
    case '>': v = a > b ? 1n : 0n; break;
    case '>=': v = a >= b ? 1n : 0n; break;
    case '==': v = a === b ? 1n : 0n; break;
    case '!=': v = a !== b ? 1n : 0n; break;
    default: return { type };
  }
  return { type, constant: wrap(v, type) };
}

function wrap(v: bigint, t: CType): bigint {
  const r = resolve(t);
  const bits = BigInt((r.kind === 'int' ? r.size : 4) * 8);
  const signed = r.kind === 'int' ? r.signed : true;
  return signed ? BigInt.asIntN(Number(bits), v) : BigInt.asUintN(Number(bits), v);
}

function cookUnary(c: Compilation, e: A.Unary): TypedInfo {
  const arg = cook(c, e.arg);
  switch (e.op) {
    case '!':
      if (!isScalar(arg.type)) c.error('D_OP_SCALAR', e.span, `operator ! requires an operand of scalar type`);
      return arg.constant !== undefined ? { type: T.int, constant: arg.constant === 0n ? 1n : 0n } : { type: T.int };
    case '~': {
      if (!isInteger(arg.type)) c.error('D_OP_INT', e.span, `operator ~ requires an operand of integral type`);
      const t = integerPromote(resolveInt(arg.type));
      return arg.constant !== undefined ? { type: t, constant: wrap(~arg.constant, t) } : { type: t };
    }
    case '+':
    case '-': {
      if (!isArithmetic(arg.type)) c.error('D_OP_ARITH', e.span, `operator ${e.op} requires an operand of arithmetic type`);
      const t = resolve(arg.type).kind === 'float' ? arg.type : integerPromote(resolveInt(arg.type));
      if (arg.constant === undefined) return { type: t };
      return { type: t, constant: e.op === '-' ? wrap(-arg.constant, t) : arg.constant };
    }
    case '*': {
      if (isUnknown(arg.type)) return { type: UNKNOWN, lvalue: true, writable: true };
      const r = resolve(arg.type);
      if (r.kind !== 'pointer' && r.kind !== 'array') c.error('D_DEREF_NONPTR', e.span, `cannot dereference non-pointer type`);
      const to = r.kind === 'pointer' ? r.to : r.of;
      if (isVoid(to)) c.error('D_DEREF_VOID', e.span, `cannot dereference pointer to void`);
      if (resolve(to).kind === 'function') c.error('D_DEREF_FUNC', e.span, `cannot dereference pointer to function`);
      return { type: to, lvalue: true, writable: true };
    }
    case '&': {
      if (arg.dvar) c.error('D_ADDROF_VAR', e.span, `cannot take address of dynamic variable`);
      if (!arg.lvalue) c.error('D_ADDROF_LVAL', e.span, `unacceptable operand for unary & operator`);
      return { type: pointer(arg.type) };
    }
  }
}

function requireLvalue(c: Compilation, target: A.Expr, info: TypedInfo, op: string, span: A.Span): void {
  if (!info.lvalue) c.error('D_OP_LVAL', span, `operator ${op} requires modifiable lvalue as an operand`);
  if (!info.writable) {
    const t = strip(target);
    c.error('D_OP_WRITE', span, `operator ${op} can only be applied to a writable variable`.replace('writable variable', t.k === 'ident' ? 'writable variable' : 'writable variable'));
  }
}

/** Assignment compatibility of DTrace's argument/assignment rule. */
export function assignable(to: CType, from: CType, fromConstant: bigint | undefined): boolean {
  if (isUnknown(to) || isUnknown(from)) return true;
  if (isArithmetic(to) && isArithmetic(from)) return true;
  if (isStringLike(to) && isStringLike(from)) return true;
  const rt = resolve(to);
  if (rt.kind === 'pointer') {
    if (pointerLike(from)) return pointersCompatible(to, from);
    if (isInteger(from) && fromConstant === 0n) return true;
    return false;
  }
  if (isInteger(to) && pointerLike(from)) return false;
  return sameType(to, from);
}

function cookAssign(c: Compilation, e: A.Assign): TypedInfo {
  const target = strip(e.left);
  // The right-hand side first: it decides the type of a variable created by this assignment.
  const r = cook(c, e.right);
  if (target.k === 'agg') c.error('D_AGG_FUNC', e.span, `@${target.name.slice(1)} must be assigned the result of an aggregating function`.replace('@@', '@'));
  if (isVoid(r.type)) c.error('D_OP_VOID', e.right.span, `operator ${e.op} cannot be applied to a void expression`);
  const created = createOnAssign(c, target, r.type, e.op);
  const l = created ?? cook(c, e.left);
  if (created) c.typed.set(e.left, l);
  requireLvalue(c, e.left, l, e.op, e.span);
  if (e.op === '=') {
    // Assigning 0 to a dynamic variable frees it, whatever its type (`self->path = 0`).
    if (l.dvar && r.constant === 0n && isInteger(r.type)) return { type: l.type };
    if (!assignable(l.type, r.type, r.constant))
      c.error('D_OP_INCOMPAT', e.span, `operands have incompatible types: ${q(l.type)} ${e.op} ${q(r.type)}`);
  } else {
    const op = e.op.slice(0, -1);
    if ((op === '+' || op === '-') && pointerLike(l.type) && isInteger(r.type)) return { type: l.type };
    if (INT_OPS.has(op) && (!isInteger(l.type) || !isInteger(r.type))) c.error('D_OP_INT', e.span, `operator ${e.op} requires operands of integral type`);
    if (!isArithmetic(l.type) || !isArithmetic(r.type)) c.error('D_OP_ARITH', e.span, `operator ${e.op} requires operands of arithmetic type`);
  }
  return { type: l.type };
}

/**
 * Creates (or fixes the type of) a D variable on its first assignment; returns its info, or
 * undefined when the target is not a new variable.
 */
function createOnAssign(c: Compilation, target: A.Expr, type: CType, op: string): TypedInfo | undefined {
  const varType = resolve(type).kind === 'array' && !isCharPointerOrArray(type) ? type : isCharPointerOrArray(type) && resolve(type).kind === 'array' ? T.string : type;
  if (target.k === 'ident') {
    if (BUILTINS.has(target.name) || c.inlines.has(target.name) || c.enumerators.has(target.name) || FUNCTIONS_BY_NAME.has(target.name)) return undefined;
    let v = c.globals.get(target.name);
    if (v && v.type) return undefined;
    if (op !== '=') c.error('D_IDENT_UNDEF', target.span, `failed to resolve ${target.name}: Unknown variable name`);
    v ??= c.globals.create(target.name, 'scalar');
    v.type = varType;
    v.definition = target.span;
    if (c.file !== undefined) v.definitionFile = c.file;
    touch(c, v, target.span, true);
    return { type: varType, lvalue: true, writable: true, dvar: true };
  }
  if (target.k === 'self' || target.k === 'this') {
    const table = target.k === 'self' ? c.threadLocals : c.clauseLocals;
    const v = table.get(target.name);
    if (v && v.type) return undefined;
    if (op !== '=') c.error('D_IDENT_UNDEF', target.span, `failed to resolve ${target.k}->${target.name}: Unknown variable name`);
    return cookDynamicVar(c, target, undefined, varType);
  }
  if (target.k === 'index') {
    const base = strip(target.base);
    if (base.k === 'ident') {
      if (BUILTINS.has(base.name) || BUILTIN_ARRAYS.has(base.name) || c.inlines.has(base.name)) return undefined;
      const v = c.globals.get(base.name);
      if (v && v.type) return undefined;
      const keys = target.indices.map((k) => cookKey(c, k));
      const nv = v ?? c.globals.create(base.name, 'assoc');
      nv.shape = 'assoc';
      nv.type = varType;
      nv.keys = keys;
      nv.definition = base.span;
      if (c.file !== undefined) nv.definitionFile = c.file;
      touch(c, nv, base.span, true);
      return { type: varType, lvalue: true, writable: true, dvar: true };
    }
    if (base.k === 'self' || base.k === 'this') {
      const table = base.k === 'self' ? c.threadLocals : c.clauseLocals;
      const v = table.get(base.name);
      if (v && v.type) return undefined;
      return cookDynamicVar(c, base, target.indices, varType);
    }
  }
  return undefined;
}

function cookConditional(c: Compilation, e: A.Conditional): TypedInfo {
  const test = cook(c, e.test);
  if (!isScalar(test.type)) c.error('D_OP_SCALAR', e.test.span, `operator ?: test expression must be of scalar type`);
  const a = cook(c, e.then);
  const b = cook(c, e.else);
  if (isArithmetic(a.type) && isArithmetic(b.type)) {
    const t = promote(a.type, b.type);
    if (test.constant !== undefined) {
      const chosen = test.constant !== 0n ? a : b;
      return chosen.constant !== undefined ? { type: t, constant: chosen.constant } : { type: t };
    }
    return { type: t };
  }
  if (isStringLike(a.type) && isStringLike(b.type)) return { type: isString(a.type) ? a.type : b.type };
  if (pointerLike(a.type) && pointerLike(b.type) && pointersCompatible(a.type, b.type)) return { type: a.type };
  if (pointerLike(a.type) && b.constant === 0n) return { type: a.type };
  if (pointerLike(b.type) && a.constant === 0n) return { type: b.type };
  if (sameType(a.type, b.type)) return { type: a.type };
  c.error('D_OP_INCOMPAT', e.span, `operator ?: operands must have compatible types`);
}

function cookCall(c: Compilation, e: A.Call): TypedInfo {
  const fn = strip(e.fn);
  if (fn.k !== 'ident') c.error('D_FUNC_IDENT', e.fn.span, `function designator is not of function type`);
  const f = FUNCTIONS_BY_NAME.get(fn.name);
  if (!f) {
    if (BUILTINS.has(fn.name) || c.globals.get(fn.name) || c.inlines.has(fn.name))
      c.error('D_FUNC_IDKIND', e.fn.span, `${fn.name} is not a function`);
    c.error('D_FUNC_UNDEF', e.fn.span, `undefined function name: ${fn.name}`);
  }
  if (f.kind === 'action') c.error('D_ACT_SPEC'.replace('D_ACT_SPEC', 'D_CG_EXPR'), e.span, `${f.name}( ) may not be called from a D expression (D program context required)`);
  if (f.kind === 'aggregating') c.error('D_CG_EXPR', e.span, `${f.name}( ) may not be called from a D expression (D program context required)`);
  return checkSubroutineCall(c, f, e);
}

function cookIndex(c: Compilation, e: A.Index): TypedInfo {
  const base = strip(e.base);
  if (base.k === 'ident' && base.name === 'args') return cookArgs(c, e);
  if (base.k === 'ident' && base.name === 'uregs') {
    if (e.indices.length !== 1)
      c.error('D_PROTO_LEN', e.span, `uregs[ ] prototype mismatch: ${e.indices.length} arg${e.indices.length === 1 ? ' ' : 's '}passed, 1 expected`);
    const idx = cook(c, e.indices[0]!);
    if (idx.constant === undefined)
      c.error('D_PROTO_ARG', e.span, `uregs[ ] argument #1 is incompatible with prototype:\n\tprototype: integer constant\n\t argument: ${typeName(idx.type)}`);
    if (idx.constant < 0n) c.error('D_REGS_IDX', e.span, `index ${idx.constant} is out of range for array uregs`);
    return { type: c.types.typedefs.get('uint64_t')!, lvalue: true, writable: false, dvar: true };
  }
  if (base.k === 'self' || base.k === 'this') {
    const v = (base.k === 'self' ? c.threadLocals : c.clauseLocals).get(base.name);
    // A scalar pointer or array variable is indexed like memory, not as an associative array.
    const existing = v?.type && v.shape !== 'assoc' ? resolve(v.type).kind : undefined;
    if (existing !== 'pointer' && existing !== 'array') return cookDynamicVar(c, base, e.indices);
  }
  if (base.k === 'ident') {
    const v = c.globals.get(base.name);
    const inline = c.inlines.get(base.name);
    if (inline && inline.keys) {
      e.indices.forEach((k) => cook(c, k));
      return { type: inline.type };
    }
    if (v && v.shape === 'assoc' && v.type) {
      const keyTypes = e.indices.map((k) => cookKey(c, k));
      checkKeys(c, v, keyTypes, e.indices, e.span, base.name);
      touch(c, v, base.span, false);
      return { type: v.type, lvalue: true, writable: true, dvar: true };
    }
    if (!v && !BUILTINS.has(base.name) && !inline && !c.enumerators.has(base.name) && !base.name.includes('`'))
      c.error('D_IDENT_UNDEF', base.span, `failed to resolve ${base.name}: Unknown variable name`);
  }
  const b = cook(c, e.base);
  if (isUnknown(b.type)) {
    e.indices.forEach((i) => cook(c, i));
    return { type: UNKNOWN, lvalue: true, writable: true };
  }
  const r = resolve(b.type);
  if (r.kind !== 'pointer' && r.kind !== 'array') {
    if (e.indices.length > 1) c.error('D_ARR_BADREF', e.span, `cannot apply tuple subscript to a non-associative array`);
    c.error('D_OP_ARRFUN'.replace('D_OP_ARRFUN', 'D_OP_PTR'), e.span, `operator [ ] requires operands of pointer and integral type`);
  }
  if (e.indices.length > 1) c.error('D_ARR_BADREF', e.span, `cannot apply tuple subscript to a non-associative array`);
  const idx = cook(c, e.indices[0]!);
  if (!isInteger(idx.type)) c.error('D_OP_INT', e.span, `operator [ ] requires an integral index`);
  const elem = r.kind === 'pointer' ? r.to : r.of;
  if (isVoid(elem)) c.error('D_DEREF_VOID', e.span, `cannot dereference pointer to void`);
  const info: TypedInfo = { type: elem, lvalue: true, writable: true };
  if (b.userPointer) info.userPointer = true;
  return info;
}

function cookArgs(c: Compilation, e: A.Index): TypedInfo {
  if (e.indices.length !== 1)
    c.error('D_PROTO_LEN', e.span, `args[ ] prototype mismatch: ${e.indices.length} arg${e.indices.length === 1 ? ' ' : 's '}passed, 1 expected`);
  const idx = cook(c, e.indices[0]!);
  if (idx.constant === undefined || !isInteger(idx.type))
    c.error('D_PROTO_ARG', e.span, `args[ ] argument #1 is incompatible with prototype:\n\tprototype: integer constant\n\t argument: ${typeName(idx.type)}`);
  const clause = c.clause;
  if (!clause) c.error('D_ARGS_NONE', e.span, `args[ ] may not be referenced outside of a probe clause`);
  if (clause.argsProblem) c.error(clause.argsProblem.tag, e.span, clause.argsProblem.message);
  const n = idx.constant;
  // With -Z a description may match nothing yet: its arguments are unknown, not absent.
  if (clause.probes.length === 0) return { type: UNKNOWN, lvalue: true, writable: false, dvar: true };
  const types = clause.argTypes ?? [];
  if (n < 0n || n >= BigInt(types.length))
    c.error('D_ARGS_IDX', e.span, `index ${n} is out of range for ${clause.description} args[ ]`);
  return { type: types[Number(n)]!, lvalue: true, writable: false, dvar: true };
}

function cookMember(c: Compilation, e: A.Member): TypedInfo {
  const base = cook(c, e.base);
  if (isUnknown(base.type)) return { type: UNKNOWN, lvalue: true, writable: true };
  let t = resolve(base.type);
  if (e.arrow) {
    if (t.kind !== 'pointer') c.error('D_OP_PTR', e.span, `operator -> must be applied to a pointer`);
    t = resolve(t.to);
  }
  if (t.kind !== 'struct' && t.kind !== 'union')
    c.error('D_OP_SOU', e.span, `operator ${e.arrow ? '->' : '.'} cannot be applied to a forward declaration: no struct/union definition is available`.replace(/cannot be applied.*/, e.arrow ? 'must be applied to a pointer to a struct or union' : 'can only be applied to a struct or union'));
  if (t.members === undefined) {
    // A kernel type we have no definition of: accept the access, of unknown type.
    return { type: UNKNOWN, lvalue: true, writable: true };
  }
  const m = t.members.find((x) => x.name === e.name);
  if (!m) c.error('D_TYPE_MEMBER', e.nameSpan, `${typeName(t)} does not contain member ${e.name}`);
  const info: TypedInfo = { type: m.type, lvalue: true, writable: base.writable !== false || e.arrow };
  if (base.userPointer) info.userPointer = true;
  return info;
}

function cookCast(c: Compilation, e: A.Cast): TypedInfo {
  const to = resolveTypeName(c, e.type);
  const arg = cook(c, e.arg);
  const rt = resolve(to);
  if (rt.kind === 'void') return { type: to };
  if (isScalar(to) && (isScalar(arg.type) || (rt.kind === 'pointer' && isString(arg.type)))) {
    if (arg.constant !== undefined && isInteger(to)) return { type: to, constant: wrap(arg.constant, to) };
    return { type: to };
  }
  if (isString(to) && isStringLike(arg.type)) return { type: to };
  if (sameType(to, arg.type)) return { type: to };
  c.error('D_CAST_INVAL', e.span, `invalid cast expression: "${typeName(arg.type)}" to "${typeName(to)}"`);
}
