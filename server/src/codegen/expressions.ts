// Code for D expressions, following DTrace's code generator (dt_cg.c) idiom for idiom so that
// `-S` listings and register use match: every value in a register allocated lowest-first,
// constants through the integer table, comparisons and logical operators with forward
// branches only, loads by member size and signedness, casts as shift pairs, subroutine calls
// and associative arrays through the tuple stack. The facts about each node (type, constant,
// identifier) are the front end's (Cooked); the few untyped nodes the `if` desugaring adds are
// int64 expressions over hidden variables.
import type * as A from '../parse/ast';
import type { Compilation } from '../analyze/compilation';
import type { Cooked } from '../analyze/cooked';
import { DYNAMIC } from '../analyze/cooked';
import type { InlineInfo, Variable } from '../analyze/symbols';
import { parsePrototype } from '../analyze/calls';
import { BUILTIN_FUNCTIONS } from '../analyze/builtins/functions';
import { T, isInteger, isString, isUnknown, isVoid, promoteIntegers, resolve, type CType } from '../analyze/types/ctype';
import { makeIndexedWord, makeWord } from '../dif/encoding';
import * as op from '../dif/opcodes';
import { subroutineCode, type DifPlatform } from '../dif/subroutines';
import {
  builtinVariableByName,
  DIF_TYPE_CTF,
  DIF_TYPE_STRING,
  DIF_TF_BYREF,
  DIFV_KIND_ARRAY,
  DIFV_KIND_SCALAR,
  DIFV_SCOPE_GLOBAL,
  DIFV_SCOPE_LOCAL,
  DIFV_SCOPE_THREAD,
} from '../dif/variables';
import { CodegenError, LIBRARY_ERROR_MESSAGES } from './errors';
import { difType, isByRef, isPointerType, isScalarType, isSignedType, typeSize } from './difType';
import { inlineKeyNames } from './placeholders';
import { arithmeticOpcode, loadOpcode, storeOpcode } from './opcodeChoice';
import type { ObjectBuilder, VariableUse } from './objectBuilder';
import { fieldSet, member, memberInfo, translation, xlateExpand, xlateValue } from './members';

/** What expression code needs to know beyond the node facts. */
export interface ExpressionContext {
  c: Compilation;
  strsize: number;
  platform: DifPlatform;
  /** Argument types of the clause's probes, native and translated, for args[]. */
  probeArgs: readonly { native: string; translated?: string }[] | undefined;
  /** Ids of the hidden variables the `if` desugaring adds (`self->%error`, `this->%condition_N`). */
  hidden: HiddenVariables;
  /** Integer and tuple registers the code may use (the iregs and tregs options; 8 and 8). */
  nregs: number;
  ntregs: number;
}

/** `self->%error` and `this->%condition_N` get ids after the user's variables of their scope. */
export class HiddenVariables {
  private readonly ids = new Map<string, number>();
  private nextThread: number;
  private nextLocal: number;

  constructor(c: Compilation) {
    const max = (vs: Variable[]): number => vs.reduce((m, v) => Math.max(m, v.id + 1), 0x500);
    this.nextThread = max(c.threadLocals.all());
    this.nextLocal = max(c.clauseLocals.all());
  }

  id(scope: 'thread' | 'clause', name: string): number {
    const key = `${scope}:${name}`;
    let id = this.ids.get(key);
    if (id === undefined) {
      id = scope === 'thread' ? this.nextThread++ : this.nextLocal++;
      this.ids.set(key, id);
    }
    return id;
  }
}

/** A name visible only inside a translator member or an inline array's definition. */
export type Binding =
  | { name: string; reg: number; type: CType }
  /** A subscript, generated where the name is used, among the bindings below `depth` (where it was written). */
  | { name: string; expr: A.Expr; type: CType; depth?: number };

const SCOPE_OF: Record<string, number> = { global: DIFV_SCOPE_GLOBAL, thread: DIFV_SCOPE_THREAD, clause: DIFV_SCOPE_LOCAL };

export class ExpressionCompiler {
  /** Names bound while a translator member or an inline array's definition is generated. */
  readonly bindings: Binding[] = [];

  constructor(
    readonly x: ExpressionContext,
    readonly b: ObjectBuilder,
  ) {}

  // ---- facts ----

  info(e: A.Expr): Cooked | undefined {
    return this.x.c.typed.get(e) as Cooked | undefined;
  }

  /** The type of an expression; the desugaring's untyped nodes are ints. */
  typeOf(e: A.Expr): CType {
    const i = this.info(e);
    if (i) return i.type;
    const s = strip(e);
    if (s !== e) return this.typeOf(s);
    return T.int;
  }

  size(t: CType): number {
    return typeSize(t, this.x.strsize);
  }

  fail(tag: string, span: A.Span, message: string): never {
    throw new CodegenError(tag, span, message);
  }

  // ---- the dispatcher (dt_cg_node) ----

  /** Generates `e`; returns the register holding its value (an address for by-reference values). */
  gen(e: A.Expr, ref = false): number {
    const i = this.info(e);
    if (i && i.node === 'int' && i.constant !== undefined && e.k !== 'assign' && e.k !== 'update') return this.constant(i.constant, e.span);
    if (i && i.node === 'string' && i.stringValue !== undefined) return this.string(i.stringValue, e.span);
    if (i && i.op === 'sizeof' && i.constant !== undefined) return this.constant(i.constant, e.span);
    switch (e.k) {
      case 'paren':
        return this.gen(e.arg, ref);
      case 'int':
      case 'char':
        return this.constant(literalValue(e.text), e.span);
      case 'string':
        return this.string(i?.stringValue ?? e.text.slice(1, -1), e.span);
      case 'ident':
      case 'macro':
        return this.identifier(e, i, ref);
      case 'self':
      case 'this':
        return this.scalarVariable(e, i);
      case 'binary':
        return this.binary(e);
      case 'unary':
        return this.unary(e, ref);
      case 'update':
        return this.update(e);
      case 'assign':
        return this.assign(e);
      case 'cond':
        return this.ternary(e, ref);
      case 'comma': {
        this.b.free(this.gen(e.left));
        return this.gen(e.right, ref);
      }
      case 'call':
        return this.call(e);
      case 'index':
        return this.index(e, ref);
      case 'member':
        return member(this, e, ref);
      case 'stringof':
        return this.gen(e.arg);
      case 'xlate':
        return xlateValue(this, e);
      case 'cast': {
        const r = this.gen(e.arg);
        this.typecast(r, this.typeOf(e.arg), this.typeOf(e), e.span);
        return r;
      }
      case 'sizeofExpr':
      case 'sizeofType':
      case 'offsetof':
        if (i?.constant !== undefined) return this.constant(i.constant, e.span);
        break;
      case 'agg':
      case 'float':
      case 'error':
        break;
    }
    throw new CodegenError('D_UNKNOWN', e.span, `internal error -- cannot generate code for ${e.k} expression`);
  }

  constant(value: bigint, span: A.Span): number {
    const r = this.b.alloc(span);
    this.b.setx(r, value);
    return r;
  }

  private string(text: string, span: A.Span): number {
    const r = this.b.alloc(span);
    this.b.sets(r, text);
    return r;
  }

  // ---- identifiers and variables ----

  private identifier(e: A.Ident | A.MacroVar, i: Cooked | undefined, ref: boolean): number {
    const id = i?.ident;
    if (i?.node === 'sym') {
      // A kernel symbol: we have no kernel, so its address is unknown (0) and reading it faults.
      const r = this.b.alloc(e.span);
      this.b.setx(r, 0n);
      if (!ref && !isByRef(i.type)) this.b.r(this.load(i.type, false), r, 0, r);
      return r;
    }
    if (id?.inline) return this.inline(e, id.inline, ref);
    if (id?.variable) return this.scalarVariable(e, i);
    const name = id?.name ?? e.name;
    const builtin = builtinVariableByName(name);
    if (!builtin || builtin.kind !== DIFV_KIND_SCALAR) this.fail('D_UNKNOWN', e.span, `internal error -- ${name} has no DIF variable`);
    const r = this.b.alloc(e.span);
    this.b.variable(op.DIF_OP_LDGS, { name, id: builtin.id, kind: DIFV_KIND_SCALAR, scope: DIFV_SCOPE_GLOBAL, type: difType(i?.type ?? T.long, this.x.strsize) }, r, false);
    return r;
  }

  /** An inline is its definition, generated here and cast to the inline's type (dt_cg_inline). */
  private inline(e: A.Expr, inline: InlineInfo, ref: boolean): number {
    if (inline.value.k === 'error') return this.bound(e, inline.name);
    const r = this.gen(inline.value, ref);
    this.typecast(r, this.typeOf(inline.value), inline.type, e.span);
    return r;
  }

  private bound(e: A.Expr, name: string): number {
    for (let k = this.bindings.length - 1; k >= 0; k--) {
      const b = this.bindings[k]!;
      if (b.name !== name) continue;
      if ('reg' in b) {
        const r = this.b.alloc(e.span);
        this.b.r(op.DIF_OP_MOV, b.reg, 0, r);
        return r;
      }
      // `inline string t[int type] = u[type & 7]` inside `inline string u[int type]`: the
      // subscript's own `type` is the outer one.
      const hidden = this.bindings.splice(b.depth ?? k);
      try {
        const r = this.gen(b.expr);
        this.typecast(r, this.typeOf(b.expr), b.type, e.span);
        return r;
      } finally {
        this.bindings.push(...hidden);
      }
    }
    this.fail('D_UNKNOWN', e.span, `internal error -- ${name} is not bound here`);
  }

  /** The variable-table entry of a D variable (user or hidden). */
  variableUse(e: A.Expr, i: Cooked | undefined): VariableUse {
    const v = i?.ident?.variable;
    if (v) {
      const kind = v.shape === 'assoc' ? DIFV_KIND_ARRAY : DIFV_KIND_SCALAR;
      return { name: v.name, id: v.id, kind, scope: SCOPE_OF[v.scope]!, type: difType(v.type ?? DYNAMIC, this.x.strsize) };
    }
    if ((e.k === 'self' || e.k === 'this') && e.name.startsWith('%')) {
      const scope = e.k === 'self' ? 'thread' : 'clause';
      return { name: e.name, id: this.x.hidden.id(scope, e.name), kind: DIFV_KIND_SCALAR, scope: SCOPE_OF[scope]!, type: difType(T.int, this.x.strsize) };
    }
    this.fail('D_UNKNOWN', e.span, 'internal error -- not a D variable');
  }

  private scalarVariable(e: A.Expr, i: Cooked | undefined): number {
    const v = this.variableUse(e, i);
    const r = this.b.alloc(e.span);
    const opcode = v.scope === DIFV_SCOPE_LOCAL ? op.DIF_OP_LDLS : v.scope === DIFV_SCOPE_THREAD ? op.DIF_OP_LDTS : op.DIF_OP_LDGS;
    this.b.variable(opcode, v, r, false);
    return r;
  }

  private storeVariable(v: VariableUse, reg: number): void {
    const array = v.kind === DIFV_KIND_ARRAY;
    const opcode = array
      ? v.scope === DIFV_SCOPE_THREAD
        ? op.DIF_OP_STTAA
        : op.DIF_OP_STGAA
      : v.scope === DIFV_SCOPE_LOCAL
        ? op.DIF_OP_STLS
        : v.scope === DIFV_SCOPE_THREAD
          ? op.DIF_OP_STTS
          : op.DIF_OP_STGS;
    this.b.variable(opcode, v, reg, true);
  }

  // ---- operators ----

  private binary(e: A.Binary): number {
    switch (e.op) {
      case '&&':
        return this.logicalAnd(e);
      case '||':
        return this.logicalOr(e);
      case '^^':
        return this.logicalXor(e);
      case '==':
        return this.compare(e, op.DIF_OP_BE);
      case '!=':
        return this.compare(e, op.DIF_OP_BNE);
      case '<':
        return this.compare(e, this.compareSigned(e) ? op.DIF_OP_BL : op.DIF_OP_BLU);
      case '<=':
        return this.compare(e, this.compareSigned(e) ? op.DIF_OP_BLE : op.DIF_OP_BLEU);
      case '>':
        return this.compare(e, this.compareSigned(e) ? op.DIF_OP_BG : op.DIF_OP_BGU);
      case '>=':
        return this.compare(e, this.compareSigned(e) ? op.DIF_OP_BGE : op.DIF_OP_BGEU);
      default:
        return this.arithmetic(e, e.left, e.right, arithmeticOpcode(e.op, isSignedType(this.typeOf(e))));
    }
  }

  /** Pointer arithmetic scales the integer operand by the element size (dt_cg_arithmetic_op). */
  private arithmetic(e: A.Expr, left: A.Expr, right: A.Expr, opcode: number, leftReg?: number): number {
    const isPtrOp = opcode === op.DIF_OP_ADD || opcode === op.DIF_OP_SUB;
    const lt = this.typeOf(left);
    const rt = this.typeOf(right);
    const lPtr = isPointerType(lt);
    const rPtr = isPointerType(rt);
    const ptrDiff = lPtr && rPtr;
    const scaled = isPtrOp && !ptrDiff;
    const resultType = this.typeOf(e);
    const l = leftReg ?? this.gen(left);
    if (scaled && rPtr) this.scale(resultType, op.DIF_OP_MUL, l, e.span);
    const r = this.gen(right);
    if (scaled && lPtr) this.scale(resultType, op.DIF_OP_MUL, r, e.span);
    this.b.r(opcode, l, r, l);
    this.b.free(r);
    if (ptrDiff) this.scale(rt, op.DIF_OP_UDIV, l, e.span);
    return l;
  }

  /** dt_cg_ptrsize: multiply or divide by the pointed-to size, unless it is 1. */
  private scale(pointerType: CType, opcode: number, reg: number, span: A.Span): void {
    const r = resolve(pointerType);
    const element = r.kind === 'pointer' ? r.to : r.kind === 'array' ? r.of : r.kind === 'string' ? T.char : undefined;
    const size = element === undefined ? 1 : this.size(element) || 1;
    if (size === 1) return;
    const s = this.b.alloc(span);
    this.b.setx(s, BigInt(size));
    this.b.r(opcode, reg, s, reg);
    this.b.free(s);
  }

  /** Strings compare signed; non-arithmetic operands unsigned; else the promoted type decides. */
  private compareSigned(e: A.Binary): boolean {
    const lt = this.typeOf(e.left);
    const rt = this.typeOf(e.right);
    if (isString(lt) || isString(rt)) return true;
    if (!isInteger(lt) || !isInteger(rt)) return false;
    return isSignedType(promoteIntegers(lt, rt));
  }

  private compare(e: A.Binary, branch: number): number {
    const lblTrue = this.b.code.label();
    const lblPost = this.b.code.label();
    const l = this.gen(e.left);
    const r = this.gen(e.right);
    const strings = isString(this.typeOf(e.left)) || isString(this.typeOf(e.right));
    this.b.r(strings ? op.DIF_OP_SCMP : op.DIF_OP_CMP, l, r, 0);
    this.b.free(r);
    this.b.code.branch(branch, lblTrue);
    this.b.r(op.DIF_OP_MOV, 0, 0, l);
    this.b.code.branch(op.DIF_OP_BA, lblPost);
    this.b.setx(l, 1n, lblTrue);
    this.b.nop(lblPost);
    return l;
  }

  private logicalAnd(e: A.Binary): number {
    const lblFalse = this.b.code.label();
    const lblPost = this.b.code.label();
    const l = this.gen(e.left);
    this.b.r(op.DIF_OP_TST, l, 0, 0);
    this.b.free(l);
    this.b.code.branch(op.DIF_OP_BE, lblFalse);
    const r = this.gen(e.right);
    this.b.r(op.DIF_OP_TST, r, 0, 0);
    this.b.code.branch(op.DIF_OP_BE, lblFalse);
    this.b.setx(r, 1n);
    this.b.code.branch(op.DIF_OP_BA, lblPost);
    this.b.r(op.DIF_OP_MOV, 0, 0, r, lblFalse);
    this.b.nop(lblPost);
    return r;
  }

  private logicalOr(e: A.Binary): number {
    const lblTrue = this.b.code.label();
    const lblFalse = this.b.code.label();
    const lblPost = this.b.code.label();
    const l = this.gen(e.left);
    this.b.r(op.DIF_OP_TST, l, 0, 0);
    this.b.free(l);
    this.b.code.branch(op.DIF_OP_BNE, lblTrue);
    const r = this.gen(e.right);
    this.b.r(op.DIF_OP_TST, r, 0, 0);
    this.b.code.branch(op.DIF_OP_BE, lblFalse);
    this.b.setx(r, 1n, lblTrue);
    this.b.code.branch(op.DIF_OP_BA, lblPost);
    this.b.r(op.DIF_OP_MOV, 0, 0, r, lblFalse);
    this.b.nop(lblPost);
    return r;
  }

  private logicalXor(e: A.Binary): number {
    const lblNext = this.b.code.label();
    const lblTail = this.b.code.label();
    const l = this.gen(e.left);
    this.b.r(op.DIF_OP_TST, l, 0, 0);
    this.b.code.branch(op.DIF_OP_BE, lblNext);
    this.b.setx(l, 1n);
    this.b.nop(lblNext);
    const r = this.gen(e.right);
    this.b.r(op.DIF_OP_TST, r, 0, 0);
    this.b.code.branch(op.DIF_OP_BE, lblTail);
    this.b.setx(r, 1n);
    this.b.r(op.DIF_OP_XOR, l, r, l, lblTail);
    this.b.free(r);
    return l;
  }

  private logicalNot(e: A.Unary): number {
    const lblZero = this.b.code.label();
    const lblPost = this.b.code.label();
    const r = this.gen(e.arg);
    this.b.r(op.DIF_OP_TST, r, 0, 0);
    this.b.code.branch(op.DIF_OP_BE, lblZero);
    this.b.r(op.DIF_OP_MOV, 0, 0, r);
    this.b.code.branch(op.DIF_OP_BA, lblPost);
    this.b.setx(r, 1n, lblZero);
    this.b.nop(lblPost);
    return r;
  }

  /** `?:`: both branches end in the same register; the `then` branch's move is patched in. */
  private ternary(e: A.Conditional, ref: boolean): number {
    const test = this.info(e.test);
    if (test?.constant !== undefined && test.node === 'int') return this.gen(test.constant !== 0n ? e.then : e.else, ref);
    const lblFalse = this.b.code.label();
    const lblPost = this.b.code.label();
    const t = this.gen(e.test);
    this.b.r(op.DIF_OP_TST, t, 0, 0);
    this.b.free(t);
    this.b.code.branch(op.DIF_OP_BE, lblFalse);
    const a = this.gen(e.then);
    const move = this.b.r(op.DIF_OP_MOV, a, 0, 0);
    this.b.free(a);
    this.b.code.branch(op.DIF_OP_BA, lblPost);
    this.b.nop(lblFalse);
    const r = this.gen(e.else);
    this.b.code.patch(move, makeWord(op.DIF_OP_MOV, a, 0, r));
    this.b.nop(lblPost);
    return r;
  }

  private unary(e: A.Unary, ref: boolean): number {
    switch (e.op) {
      case '!':
        return this.logicalNot(e);
      case '+':
        return this.gen(e.arg);
      case '-': {
        const r = this.gen(e.arg);
        this.b.r(op.DIF_OP_SUB, 0, r, r);
        return r;
      }
      case '~': {
        const r = this.gen(e.arg);
        this.b.r(op.DIF_OP_NOT, r, 0, r);
        return r;
      }
      case '&':
        return this.gen(e.arg, true);
      case '*':
        return this.dereference(e, e.arg, ref);
    }
  }

  private dereference(e: A.Expr, pointer: A.Expr, ref: boolean): number {
    const pi = this.info(pointer);
    if (pi?.ident?.kind === 'xlptr' || translation(this, pointer)) {
      // `*xlate<T *>(p)`: the translated struct, built in scratch memory.
      const t = translation(this, pointer)!;
      return xlateExpand(this, t, e.span);
    }
    const r = this.gen(pointer);
    const type = this.typeOf(e);
    if (!ref && !isByRef(type) && !isVoid(type)) this.b.r(this.load(type, pi?.userPointer === true), r, 0, r);
    return r;
  }

  /** The load opcode for a value of this type (dt_cg_load), from user space when `user`. */
  load(type: CType, user: boolean, bits?: number): number {
    let size = bits !== undefined ? clp2(Math.ceil(bits / 8)) : this.size(type);
    if (isUnknown(type) || ![1, 2, 4, 8].includes(size)) size = 8;
    return loadOpcode(size as 1 | 2 | 4 | 8, isSignedType(type), user);
  }

  /**
   * A cast or an argument promotion (dt_cg_typecast): narrowing or a change of signedness
   * shifts the value's bits to the top and back down, arithmetically for a signed result.
   */
  typecast(reg: number, from: CType, to: CType, span: A.Span): void {
    if (!isScalarType(to) || !isScalarType(from)) return;
    const srcsize = this.size(from);
    const dstsize = this.size(to);
    const srcSigned = isSignedType(from);
    const dstSigned = isSignedType(to);
    if (dstsize === srcsize && srcSigned === dstSigned) return;
    if (dstsize > srcsize && !srcSigned) return;
    if (dstsize < srcsize || dstsize === srcsize) {
      if (dstsize === 8) return;
    }
    const rg = this.b.alloc(span);
    if (dstsize > srcsize) {
      const n = 64 - srcsize * 8;
      const s = (dstsize - srcsize) * 8;
      this.b.setx(rg, BigInt(n));
      this.b.r(op.DIF_OP_SLL, reg, rg, reg);
      if (dstSigned || n === s) {
        this.b.r(op.DIF_OP_SRA, reg, rg, reg);
      } else {
        this.b.setx(rg, BigInt(s));
        this.b.r(op.DIF_OP_SRA, reg, rg, reg);
        this.b.setx(rg, BigInt(n - s));
        this.b.r(op.DIF_OP_SRL, reg, rg, reg);
      }
    } else {
      const n = 64 - dstsize * 8;
      this.b.setx(rg, BigInt(n));
      this.b.r(op.DIF_OP_SLL, reg, rg, reg);
      this.b.r(dstSigned ? op.DIF_OP_SRA : op.DIF_OP_SRL, reg, rg, reg);
    }
    this.b.free(rg);
  }

  // ---- assignment, ++ and -- ----

  private assign(e: A.Assign): number {
    let r: number;
    if (e.op === '=') {
      // A translated struct on the right is built in scratch memory by gen (dt_cg_asgn_op).
      r = this.gen(e.right);
    } else {
      const binop = e.op.slice(0, -1);
      r = this.arithmetic(e, e.left, e.right, arithmeticOpcode(binop, isSignedType(this.typeOf(e))));
    }
    this.storeTo(e.left, r, e.span);
    return r;
  }

  /** Stores `reg` (the new value) into what `target` names: a variable, an array element or memory. */
  private storeTo(target: A.Expr, reg: number, span: A.Span): void {
    const t = strip(target);
    const i = this.info(t);
    const v = i?.ident?.variable;
    const hidden = (t.k === 'self' || t.k === 'this') && t.name.startsWith('%');
    if (t.k === 'index' && v && v.shape === 'assoc' && i?.node === 'var') {
      this.argList(t.indices, v.keys, span);
      this.storeVariable(this.variableUse(t, i), reg);
      return;
    }
    if ((i?.node === 'var' && v) || hidden) {
      this.storeVariable(this.variableUse(t, i), reg);
      return;
    }
    // Memory: generate the target's address and store to it (dt_cg_store).
    const address = this.gen(target, true);
    this.store(reg, address, t, span);
    this.b.free(address);
  }

  private store(value: number, address: number, target: A.Expr, span: A.Span): void {
    const type = this.typeOf(target);
    const stripped = strip(target);
    const member = stripped.k === 'member' ? memberInfo(this, stripped) : undefined;
    if (isByRef(type)) {
      const s = this.b.alloc(span);
      this.b.setx(s, BigInt(this.size(type)));
      this.b.r(op.DIF_OP_COPYS, value, s, address);
      this.b.free(s);
      return;
    }
    let reg = value;
    let size = this.size(type);
    if (member?.bits !== undefined) {
      size = clp2(Math.ceil(member.bits / 8));
      reg = fieldSet(this, value, address, member, type, span);
    }
    const opcode = storeOpcode(size);
    this.b.r(opcode, reg, 0, address);
    if (reg !== value) this.b.free(reg);
  }

  private update(e: A.Update): number {
    const t = strip(e.arg);
    const type = this.typeOf(e);
    let step = 1;
    const r0 = resolve(type);
    if (r0.kind === 'pointer') step = this.size(r0.to) || 1;
    const opcode = e.op === '++' ? op.DIF_OP_ADD : op.DIF_OP_SUB;
    const i = this.info(t);
    const isVar = (i?.node === 'var' && i.ident?.variable !== undefined) || ((t.k === 'self' || t.k === 'this') && t.name.startsWith('%'));
    // An array element is stored back with the tuple its load left on the stack (dt_cg_prearith_op).
    const store = (reg: number): void => {
      if (t.k === 'index' && i?.ident?.variable?.shape === 'assoc') this.storeVariable(this.variableUse(t, i), reg);
      else this.storeTo(t, reg, e.span);
    };
    const r = this.gen(e.arg);
    if (e.prefix) {
      const s = this.b.alloc(e.span);
      this.b.setx(s, BigInt(step));
      this.b.r(opcode, r, s, r);
      this.b.free(s);
      if (isVar) store(r);
      else {
        const address = this.gen(e.arg, true);
        this.store(r, address, t, e.span);
        this.b.free(address);
      }
      return r;
    }
    const n = this.b.alloc(e.span);
    this.b.setx(n, BigInt(step));
    this.b.r(opcode, r, n, n);
    if (isVar) store(n);
    else {
      const address = this.gen(e.arg, true);
      this.store(n, address, t, e.span);
      this.b.free(address);
    }
    this.b.free(n);
    return r;
  }

  // ---- calls and the tuple stack ----

  private call(e: A.Call): number {
    const fn = strip(e.fn);
    const name = fn.k === 'ident' ? fn.name : '';
    const code = subroutineCode(name, this.x.platform);
    if (code === undefined) this.fail('D_UNKNOWN', e.span, `internal error -- ${name}( ) is not a DIF subroutine`);
    const proto = builtinPrototype(this.x.c, name);
    this.argList(e.args, proto, e.span);
    const r = this.b.alloc(e.span);
    this.b.emitWord(makeIndexedWord(op.DIF_OP_CALL, code, r));
    return r;
  }

  /** dt_cg_arglist: every argument first, then flushts and one push per argument. */
  argList(args: readonly A.Expr[], formals: readonly (CType | undefined)[] | undefined, span: A.Span): void {
    const regs = args.map((a) => this.gen(a));
    this.b.emitWord(makeWord(op.DIF_OP_FLUSHTS, 0, 0, 0));
    args.forEach((a, k) => {
      const type = this.typeOf(a);
      const formal = formals?.[k];
      if (formal) this.typecast(regs[k]!, type, formal, a.span);
      const dt = difType(type, this.x.strsize);
      let sizeReg = 0;
      let opcode = op.DIF_OP_PUSHTV;
      if (dt.flags & DIF_TF_BYREF) {
        opcode = op.DIF_OP_PUSHTR;
        if (dt.size !== 0) {
          sizeReg = this.b.alloc(a.span);
          this.b.setx(sizeReg, BigInt(dt.size));
        }
      }
      this.b.emitWord(makeWord(opcode, dt.kind === DIF_TYPE_STRING ? DIF_TYPE_STRING : DIF_TYPE_CTF, sizeReg, regs[k]!));
      this.b.free(regs[k]!);
      if (sizeReg !== 0) this.b.free(sizeReg);
    });
    if (args.length > this.x.ntregs) throw new CodegenError('EDT_NOTUPREG', span, LIBRARY_ERROR_MESSAGES.EDT_NOTUPREG, false);
  }

  // ---- subscripts ----

  private index(e: A.Index, ref: boolean): number {
    const base = strip(e.base);
    const i = this.info(e);
    const bi = this.info(base);
    if (base.k === 'ident' && (base.name === 'args' || base.name === 'uregs') && i?.ident?.name === base.name && !i.ident.variable) {
      return this.builtinArray(e, base.name === 'args' ? op.DIF_VAR_ARGS : op.DIF_VAR_UREGS, i);
    }
    const v = i?.ident?.variable ?? bi?.ident?.variable;
    if (v && v.shape === 'assoc') return this.associative(e, i, v);
    const inline = i?.ident?.inline ?? bi?.ident?.inline;
    if (inline && inline.keys) return this.inlineArray(e, inline, ref);
    // x[i] is *(x + i).
    return this.pointerIndex(e, ref);
  }

  private builtinArray(e: A.Index, id: number, i: Cooked): number {
    const k = this.info(e.indices[0]!);
    const r = this.constant(k?.constant ?? 0n, e.span);
    const name = id === op.DIF_VAR_ARGS ? 'args' : 'uregs';
    this.b.code.emit(makeWord(op.DIF_OP_LDGA, id, r, r));
    this.b.use({ name, id, kind: DIFV_KIND_ARRAY, scope: DIFV_SCOPE_GLOBAL, type: difType(id === op.DIF_VAR_ARGS ? DYNAMIC : i.type, this.x.strsize) }, false);
    // The kernel hands args[] over as raw 64-bit values: narrow to the argument's type.
    if (id !== op.DIF_VAR_ARGS || !isScalarType(i.type) || isUnknown(i.type)) return r;
    const size = this.size(this.argNativeType(e) ?? i.type);
    if (size === 8 || size === 0) return r;
    const s = this.b.alloc(e.span);
    this.b.setx(s, BigInt(64 - size * 8));
    this.b.r(op.DIF_OP_SLL, r, s, r);
    this.b.r(isSignedType(this.argNativeType(e) ?? i.type) ? op.DIF_OP_SRA : op.DIF_OP_SRL, r, s, r);
    this.b.free(s);
    return r;
  }

  private argNativeType(e: A.Index): CType | undefined {
    const k = this.info(e.indices[0]!)?.constant;
    const a = k === undefined ? undefined : this.x.probeArgs?.[Number(k)];
    if (!a?.translated) return undefined;
    try {
      return this.x.c.types.parse(a.native);
    } catch {
      return undefined;
    }
  }

  private associative(e: A.Index, i: Cooked | undefined, v: Variable): number {
    this.argList(e.indices, v.keys, e.span);
    const r = this.b.alloc(e.span);
    const use = this.variableUse(e, { ...(i ?? { type: DYNAMIC, node: 'var' }), ident: { kind: 'array', name: v.name, variable: v } } as Cooked);
    const load = v.scope === 'thread' ? op.DIF_OP_LDTAA : op.DIF_OP_LDGAA;
    this.b.variable(load, use, r, false);
    const type = v.type ?? DYNAMIC;
    if (isByRef(type)) {
      // A by-reference element may not exist yet: fault it in with zeroed scratch memory.
      const label = this.b.code.label();
      this.b.r(op.DIF_OP_TST, r, 0, 0);
      this.b.code.branch(op.DIF_OP_BNE, label);
      this.b.setx(r, BigInt(this.size(type)));
      this.b.r(op.DIF_OP_ALLOCS, r, 0, r);
      this.b.variable(v.scope === 'thread' ? op.DIF_OP_STTAA : op.DIF_OP_STGAA, use, r, true);
      this.b.variable(load, use, r, false);
      this.b.nop(label);
    }
    return r;
  }

  /** `fds[fd]`: the inline's definition with its key names bound to the subscripts. */
  private inlineArray(e: A.Index, inline: InlineInfo, ref: boolean): number {
    const names = inlineKeyNames(this.x.c, inline);
    const depth = this.bindings.length;
    const pushed = e.indices.map((k, n) => ({ name: names[n] ?? '', expr: k, type: inline.keys?.[n] ?? this.typeOf(k), depth }));
    this.bindings.push(...pushed);
    try {
      const r = this.gen(inline.value, ref);
      this.typecast(r, this.typeOf(inline.value), inline.type, e.span);
      return r;
    } finally {
      this.bindings.length -= pushed.length;
    }
  }

  private pointerIndex(e: A.Index, ref: boolean): number {
    const baseType = this.typeOf(e.base);
    const l = this.gen(e.base);
    const r = this.gen(e.indices[0]!);
    this.scale(baseType, op.DIF_OP_MUL, r, e.span);
    this.b.r(op.DIF_OP_ADD, l, r, l);
    this.b.free(r);
    const type = this.typeOf(e);
    if (!ref && !isByRef(type)) this.b.r(this.load(type, this.info(e.base)?.userPointer === true), l, 0, l);
    return l;
  }

}

// ---- helpers ----

export function strip(e: A.Expr): A.Expr {
  return e.k === 'paren' ? strip(e.arg) : e;
}

function clp2(x: number): number {
  let p = 1;
  while (p < x) p *= 2;
  return p;
}

/** The value of an integer or character literal the front end did not fold (the desugaring's). */
function literalValue(text: string): bigint {
  const t = text.replace(/[uUlL]+$/, '');
  if (t.startsWith("'")) return BigInt(t.charCodeAt(1));
  if (/^0[xX]/.test(t)) return BigInt(t);
  if (/^0[0-7]+$/.test(t)) return BigInt(`0o${t.slice(1)}`);
  return BigInt(t);
}

/** The formal parameter types of a subroutine, to which its arguments are promoted. */
function builtinPrototype(c: Compilation, name: string): readonly (CType | undefined)[] | undefined {
  const proto = SUBROUTINE_PROTOTYPES.get(name);
  return proto === undefined ? undefined : parsePrototype(c, proto).params;
}

const SUBROUTINE_PROTOTYPES = new Map(BUILTIN_FUNCTIONS.filter((f) => f.kind === 'subroutine').map((f) => [f.name, f.prototype]));
