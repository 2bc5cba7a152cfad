// Members, bit-fields and translators in generated code: a member load at its offset (with
// DTrace's shift-and-mask epilogue for bit-fields, and the merge before a bit-field store),
// and translated data, whose members are compiled from the translator's member expressions
// with its input bound to a register (dt_cg_node's DOT/PTR, dt_cg_xlate_expand,
// dt_cg_field_get/set).
import type * as A from '../parse/ast';
import type { Translator } from '../analyze/compilation';
import { DYNAMIC, strip } from '../analyze/cooked';
import { findTranslator } from '../analyze/translators';
import { isString, resolve, type CType, type StructType } from '../analyze/types/ctype';
import { makeIndexedWord, makeWord } from '../dif/encoding';
import * as op from '../dif/opcodes';
import { DIF_TYPE_CTF, DIFV_KIND_ARRAY, DIFV_SCOPE_GLOBAL } from '../dif/variables';
import { difType, isByRef, isScalarType, isSignedType } from './difType';
import { storeOpcode } from './opcodeChoice';
import { inlineKeyNames, translatorInputName } from './placeholders';
import type { Binding, ExpressionCompiler } from './expressions';

/** How a translated value is reached: the translator and the expression giving its input. */
export interface Translation {
  translator: Translator;
  input: A.Expr;
  /** The input is a probe argument read raw (args[] of a translated probe argument). */
  argIndex?: number;
  /** Names the input expression refers to (an inline array's keys). */
  bindings?: Binding[];
}

/** The translator and input behind a translated value, looking through inlines and args[]. */
export function translation(g: ExpressionCompiler, e: A.Expr, depth = 0): Translation | undefined {
  if (depth > 16) return undefined;
  const s = strip(e);
  const i = g.info(s);
  if (s.k === 'xlate' && i?.translator) return { translator: i.translator, input: s.arg };
  if (s.k === 'cast') return undefined;
  if ((s.k === 'ident' || s.k === 'macro') && i?.ident?.inline && i.ident.inline.value.k !== 'error' && !i.ident.inline.keys) {
    return translation(g, i.ident.inline.value, depth + 1);
  }
  const inlineArray = s.k === 'index' ? (i?.ident?.inline ?? g.info(strip(s.base))?.ident?.inline) : undefined;
  if (s.k === 'index' && inlineArray?.keys) {
    const inner = translation(g, inlineArray.value, depth + 1);
    if (!inner || inner.argIndex !== undefined) return undefined;
    const names = inlineKeyNames(g.x.c, inlineArray);
    const bindings = s.indices.map((k, n) => ({ name: names[n] ?? '', expr: k, type: inlineArray.keys?.[n] ?? g.typeOf(k) }));
    return { ...inner, bindings: [...(inner.bindings ?? []), ...bindings] };
  }
  if (s.k === 'index' && strip(s.base).k === 'ident' && (strip(s.base) as A.Ident).name === 'args' && i?.ident?.name === 'args') {
    const k = g.info(s.indices[0]!)?.constant;
    const a = k === undefined ? undefined : g.x.probeArgs?.[Number(k)];
    if (!a?.translated) return undefined;
    let native: CType;
    let out: CType;
    try {
      native = g.x.c.types.parse(a.native);
      out = g.x.c.types.parse(a.translated);
    } catch {
      return undefined;
    }
    const ro = resolve(out);
    const target = ro.kind === 'pointer' ? ro.to : out;
    const translator = findTranslator(g.x.c, target, native);
    if (!translator) return undefined;
    return { translator, input: s, argIndex: Number(k) };
  }
  return undefined;
}

/** Generates a translator's input: for args[] of a translated argument, the raw native value. */
function translationInput(g: ExpressionCompiler, t: Translation): number {
  if (t.bindings) {
    const depth = g.bindings.length;
    g.bindings.push(...t.bindings.map((b) => ({ ...b, depth })));
    try {
      return g.gen(t.input);
    } finally {
      g.bindings.length -= t.bindings.length;
    }
  }
  if (t.argIndex === undefined) return g.gen(t.input);
  const r = g.constant(BigInt(t.argIndex), t.input.span);
  g.b.code.emit(makeWord(op.DIF_OP_LDGA, op.DIF_VAR_ARGS, r, r));
  g.b.use({ name: 'args', id: op.DIF_VAR_ARGS, kind: DIFV_KIND_ARRAY, scope: DIFV_SCOPE_GLOBAL, type: difType(DYNAMIC, g.x.strsize) }, false);
  return r;
}

/** One translator member, with the translator's input bound to `input`. */
function translatedMember(g: ExpressionCompiler, t: Translator, member: string, input: number, resultType: CType, span: A.Span): number {
  const m = t.members.get(member);
  if (!m) g.fail('D_XLATE_NOCONV', span, `translator does not define conversion for member: ${member}`);
  const name = translatorInputName(g.x.c, t);
  const pushed = name !== undefined ? 1 : 0;
  if (name !== undefined) g.bindings.push({ name, reg: input, type: t.input });
  try {
    const r = g.gen(m.value);
    g.typecast(r, g.typeOf(m.value), resultType, span);
    return r;
  } finally {
    g.bindings.length -= pushed;
  }
}

/** dt_cg_xlate_expand: the whole translated struct, member by member, in alloca'd memory. */
export function xlateExpand(g: ExpressionCompiler, t: Translation, span: A.Span): number {
  const input = translationInput(g, t);
  const out = resolve(t.translator.output) as StructType;
  const dreg = g.b.alloc(span);
  g.b.setx(dreg, BigInt(out.size));
  g.b.emitWord(makeWord(op.DIF_OP_FLUSHTS, 0, 0, 0));
  g.b.emitWord(makeWord(op.DIF_OP_PUSHTV, DIF_TYPE_CTF, 0, dreg));
  g.b.emitWord(makeIndexedWord(op.DIF_OP_CALL, op.DIF_SUBR_ALLOCA, dreg));
  for (const m of out.members ?? []) {
    const tm = t.translator.members.get(m.name);
    if (!tm) continue;
    const name = translatorInputName(g.x.c, t.translator);
    if (name !== undefined) g.bindings.push({ name, reg: input, type: t.translator.input });
    let treg: number;
    try {
      treg = g.gen(tm.value);
    } finally {
      if (name !== undefined) g.bindings.length -= 1;
    }
    const reg = g.b.alloc(span);
    g.b.setx(reg, BigInt(m.offset));
    g.b.r(op.DIF_OP_ADD, dreg, reg, reg);
    const vt = g.typeOf(tm.value);
    const size = g.size(vt);
    if (isScalarType(vt)) {
      const opcode = storeOpcode(size);
      g.b.r(opcode, treg, 0, reg);
    } else if (isString(vt)) {
      const sz = g.b.alloc(span);
      g.b.setx(sz, BigInt(size));
      g.b.r(op.DIF_OP_COPYS, treg, sz, reg);
      g.b.free(sz);
    } else {
      const sz = g.b.alloc(span);
      g.b.setx(sz, BigInt(size));
      g.b.emitWord(makeWord(op.DIF_OP_FLUSHTS, 0, 0, 0));
      g.b.emitWord(makeWord(op.DIF_OP_PUSHTV, DIF_TYPE_CTF, 0, treg));
      g.b.emitWord(makeWord(op.DIF_OP_PUSHTV, DIF_TYPE_CTF, 0, reg));
      g.b.emitWord(makeWord(op.DIF_OP_PUSHTV, DIF_TYPE_CTF, 0, sz));
      g.b.emitWord(makeIndexedWord(op.DIF_OP_CALL, op.DIF_SUBR_BCOPY, sz));
      g.b.free(sz);
    }
    g.b.free(reg);
    g.b.free(treg);
  }
  g.b.free(input);
  return dreg;
}

/** `xlate<T>(x)` used whole: the struct (by reference), or for `xlate<T *>` the input itself. */
export function xlateValue(g: ExpressionCompiler, e: A.Xlate): number {
  const i = g.info(e);
  if (i?.ident?.kind === 'xlsou' && i.translator) return xlateExpand(g, { translator: i.translator, input: e.arg }, e.span);
  return g.gen(e.arg);
}

export function memberInfo(g: ExpressionCompiler, e: A.Member): { offset: number; bits?: number; bitOffset: number; type: CType } | undefined {
  let t = g.typeOf(e.base);
  let r = resolve(t);
  if (e.arrow) {
    if (r.kind !== 'pointer') return undefined;
    t = r.to;
    r = resolve(t);
  }
  if ((r.kind !== 'struct' && r.kind !== 'union') || !r.members) return undefined;
  const idx = r.members.findIndex((m) => m.name === e.name);
  if (idx < 0) return undefined;
  const m = r.members[idx]!;
  let bitOffset = 0;
  if (m.bits !== undefined) {
    for (let k = 0; k < idx; k++) {
      const p = r.members[k]!;
      if (p.bits !== undefined && p.offset === m.offset) bitOffset += p.bits;
    }
  }
  return { offset: m.offset, ...(m.bits !== undefined ? { bits: m.bits } : {}), bitOffset, type: m.type };
}

export function member(g: ExpressionCompiler, e: A.Member, ref: boolean): number {
  const translated = translation(g, e.base);
  if (translated) {
    const input = translationInput(g, translated);
    const r = translatedMember(g, translated.translator, e.name, input, g.typeOf(e), e.span);
    g.b.free(input);
    return r;
  }
  const m = memberInfo(g, e);
  const l = g.gen(e.base);
  if (!m) {
    // No type information (an unknown kernel type): the member is an untyped 64-bit word.
    if (!ref) g.b.r(op.DIF_OP_LDX, l, 0, l);
    return l;
  }
  if (m.offset !== 0) {
    const s = g.b.alloc(e.span);
    g.b.setx(s, BigInt(m.offset));
    g.b.r(op.DIF_OP_ADD, l, s, l);
    g.b.free(s);
  }
  const type = g.typeOf(e);
  if (!ref && !isByRef(type)) {
    const user = g.info(e.base)?.userPointer === true;
    g.b.r(g.load(type, user, m.bits), l, 0, l);
    if (m.bits !== undefined) fieldGet(g, l, m, type, e.span);
  }
  return l;
}

/** dt_cg_field_get: the bit-field's bits moved down and masked or sign-extended (little-endian). */
function fieldGet(g: ExpressionCompiler, reg: number, m: { bits?: number; bitOffset: number }, type: CType, span: A.Span): void {
  const bits = m.bits!;
  const r2 = g.b.alloc(span);
  if (isSignedType(type)) {
    const shift = m.bitOffset + bits;
    g.b.setx(r2, BigInt(64 - shift));
    g.b.r(op.DIF_OP_SLL, reg, r2, reg);
    g.b.setx(r2, BigInt(64 - bits));
    g.b.r(op.DIF_OP_SRA, reg, r2, reg);
  } else {
    g.b.setx(r2, BigInt(m.bitOffset));
    g.b.r(op.DIF_OP_SRL, reg, r2, reg);
    g.b.setx(r2, (1n << BigInt(bits)) - 1n);
    g.b.r(op.DIF_OP_AND, reg, r2, reg);
  }
  g.b.free(r2);
}

/** dt_cg_field_set: the containing word with the field's bits replaced; returns its register. */
export function fieldSet(g: ExpressionCompiler, value: number, address: number, m: { bits?: number; bitOffset: number }, type: CType, span: A.Span): number {
  const bits = m.bits!;
  const r1 = g.b.alloc(span);
  const r2 = g.b.alloc(span);
  const r3 = g.b.alloc(span);
  const fmask = (1n << BigInt(bits)) - 1n;
  const cmask = ~(fmask << BigInt(m.bitOffset));
  g.b.r(g.load(type, false, bits), address, 0, r1);
  g.b.setx(r2, cmask);
  g.b.r(op.DIF_OP_AND, r1, r2, r1);
  g.b.setx(r2, fmask);
  g.b.r(op.DIF_OP_AND, value, r2, r2);
  g.b.setx(r3, BigInt(m.bitOffset));
  g.b.r(op.DIF_OP_SLL, r2, r3, r2);
  g.b.r(op.DIF_OP_OR, r1, r2, r1);
  g.b.free(r3);
  g.b.free(r2);
  return r1;
}
