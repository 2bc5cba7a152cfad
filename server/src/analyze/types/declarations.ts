// Declarations: C declaration specifiers and declarators to D types, struct/union layout,
// enums, typedefs, and D variable declarations (`int x;`, `self int y;`, `int a[string];`).
import type * as A from '../../parse/ast';
import type { Compilation } from '../compilation';
import { cook } from '../expressions';
import {
  T,
  alignOf,
  array,
  isInteger,
  pointer,
  resolve,
  sameType,
  sizeOf,
  typedef,
  typeName,
  type CType,
  type EnumType,
  type Member,
  type StructType,
} from './ctype';
import { typeFromWords } from './typeTable';

export function baseType(c: Compilation, specs: A.DeclSpecs): CType {
  const b = specs.base;
  if (!b) {
    if (specs.qualifiers.length > 0 || specs.storage.length > 0) return T.int;
    c.error('D_DECL_USELESS', specs.span, 'declaration must specify a type');
  }
  switch (b.k) {
    case 'words': {
      const t = typeFromWords(b.words);
      if (!t) c.error('D_DECL_COMBO', b.span, `invalid type combination`);
      return t;
    }
    case 'typedefName': {
      const t = c.types.typedefs.get(b.name);
      if (!t) c.error('D_TYPE_ERR', b.span, `failed to resolve type ${b.name}: Unknown type name`);
      return t;
    }
    case 'sou':
      return structType(c, b);
    case 'enum':
      return enumType(c, b);
  }
}

function structType(c: Compilation, b: Extract<A.BaseSpec, { k: 'sou' }>): CType {
  if (b.members === undefined) {
    if (!b.tag) c.error('D_DECL_USELESS', b.span, 'declaration must specify a struct tag');
    return c.types.tag(b.kind, b.tag);
  }
  let t: StructType;
  if (b.tag) {
    const existing = c.types.tag(b.kind, b.tag) as StructType;
    if (existing.members !== undefined) c.error('D_DECL_TYPERED', b.span, `type redeclared: ${b.kind} ${b.tag}`);
    t = existing;
  } else t = { kind: b.kind, tag: undefined, members: undefined, size: 0, align: 1 };
  const members: Member[] = [];
  let offset = 0;
  let align = 1;
  let bitOffset = 0;
  for (const field of b.members) {
    const base = baseType(c, field.specs);
    for (const d of field.declarators) {
      const { name, type, bits } = applyDeclarator(c, base, d);
      if (name === undefined) c.error('D_DECL_MNAME', d.span, 'member declaration requires a name');
      if (members.some((m) => m.name === name)) c.error('D_DECL_IDRED', d.span, `identifier redeclared: ${name}`);
      const size = sizeOf(type, c.settings.strsize);
      if (size === undefined) c.error('D_DECL_INCOMPLETE', d.span, `declared member '${name}' is of incomplete type ${typeName(type)}`);
      const a = alignOf(type);
      align = Math.max(align, a);
      if (bits !== undefined) {
        const unitBits = size * 8;
        if (b.kind === 'union') members.push({ name, type, offset: 0, bits });
        else {
          if (bitOffset + bits > unitBits) {
            offset += Math.ceil(bitOffset / 8);
            bitOffset = 0;
            offset = Math.ceil(offset / a) * a;
          }
          members.push({ name, type, offset, bits });
          bitOffset += bits;
        }
        continue;
      }
      if (bitOffset > 0) {
        offset += Math.ceil(bitOffset / 8);
        bitOffset = 0;
      }
      if (b.kind === 'union') {
        members.push({ name, type, offset: 0 });
        offset = Math.max(offset, size);
      } else {
        offset = Math.ceil(offset / a) * a;
        members.push({ name, type, offset });
        offset += size;
      }
    }
  }
  if (bitOffset > 0) offset += Math.ceil(bitOffset / 8);
  t.members = members;
  t.align = align;
  t.size = Math.ceil(offset / align) * align;
  return t;
}

function enumType(c: Compilation, b: Extract<A.BaseSpec, { k: 'enum' }>): CType {
  if (b.enumerators === undefined) {
    if (!b.tag) c.error('D_DECL_USELESS', b.span, 'declaration must specify an enum tag');
    return c.types.tag('enum', b.tag);
  }
  let t: EnumType;
  if (b.tag) {
    t = c.types.tag('enum', b.tag) as EnumType;
    if (t.enumerators !== undefined) c.error('D_DECL_TYPERED', b.span, `type redeclared: enum ${b.tag}`);
  } else t = { kind: 'enum', tag: undefined, enumerators: undefined };
  const values = new Map<string, number>();
  let next = 0n;
  for (const en of b.enumerators) {
    if (en.value) {
      const v = cook(c, en.value);
      if (v.constant === undefined || !isInteger(v.type)) c.error('D_DECL_ENCONST', en.span, `enumerator '${en.name}' must be assigned to an integral constant expression`);
      next = v.constant;
    }
    if (next > 0x7fffffffn || next < -0x80000000n) c.error('D_DECL_ENOFLOW', en.span, `enumerator '${en.name}' overflows INT_MAX (${0x7fffffff})`);
    if (c.enumerators.has(en.name) || c.globals.get(en.name)) c.error('D_DECL_IDRED', en.span, `identifier redeclared: ${en.name}`);
    values.set(en.name, Number(next));
    const info = { name: en.name, value: next, type: t as CType, definition: en.span } as Parameters<typeof c.enumerators.set>[1];
    if (c.file !== undefined) info.definitionFile = c.file;
    c.enumerators.set(en.name, info);
    next++;
  }
  t.enumerators = values;
  return t;
}

export interface Declared {
  name: string | undefined;
  nameSpan?: A.Span;
  type: CType;
  keys?: CType[];
  /** Names given to the keys (`inline fileinfo_t fds[int fd] = ...`). */
  keyNames?: (string | undefined)[];
  bits?: number;
}

export function applyDeclarator(c: Compilation, base: CType, d: A.Declarator): Declared {
  switch (d.k) {
    case 'name':
      return { name: d.name, nameSpan: d.span, type: base };
    case 'abstract':
      return { name: undefined, type: base };
    case 'pointer':
      return applyDeclarator(c, pointer(base), d.inner);
    case 'array': {
      if (d.keys) {
        const declared = d.keys.map((k) => applyDeclarator(c, baseType(c, k.specs), k.declarator));
        const inner = applyDeclarator(c, base, d.inner);
        return { ...inner, keys: declared.map((k) => k.type), keyNames: declared.map((k) => k.name) };
      }
      let length: number | undefined;
      if (d.size) {
        const v = cook(c, d.size);
        if (v.constant === undefined || !isInteger(v.type)) c.error('D_DECL_ARRSUB', d.size.span, 'positive integral constant expression or tuple signature expected as array declaration subscript');
        if (v.constant <= 0n) c.error('D_DECL_ARRSUB', d.size.span, 'positive integral constant expression or tuple signature expected as array declaration subscript');
        if (v.constant > 0x7fffffffn) c.error('D_DECL_ARRBIG', d.size.span, `array dimension too big: ${v.constant}`);
        length = Number(v.constant);
      }
      return applyDeclarator(c, array(base, length), d.inner);
    }
    case 'function': {
      const params = d.params.map((p) => {
        const t = baseType(c, p.specs);
        return applyDeclarator(c, t, p.declarator).type;
      });
      const onlyVoid = params.length === 1 && resolve(params[0]!).kind === 'void';
      return applyDeclarator(c, { kind: 'function', ret: base, params: onlyVoid ? [] : params, varargs: d.varargs }, d.inner);
    }
    case 'bitfield': {
      const w = cook(c, d.width);
      if (w.constant === undefined) c.error('D_DECL_BFCONST', d.width.span, 'positive integral constant expression expected as bit-field size');
      const bits = Number(w.constant);
      const r = resolve(base);
      if (r.kind !== 'int' && r.kind !== 'enum') c.error('D_DECL_BFTYPE', d.span, 'bit-field type must be a signed or unsigned integer');
      if (bits <= 0 || bits > (sizeOf(base) ?? 8) * 8) c.error('D_DECL_BFSIZE', d.width.span, `bit-field size must be between 1 and ${(sizeOf(base) ?? 8) * 8}`);
      return { ...applyDeclarator(c, base, d.inner), bits };
    }
  }
}

export function resolveTypeName(c: Compilation, t: A.TypeName): CType {
  return applyDeclarator(c, baseType(c, t.specs), t.declarator).type;
}

/** A top-level declaration: typedef, tag definition, or D variable declaration(s). */
export function declare(c: Compilation, d: A.Declaration): void {
  const storage = d.specs.storage;
  for (const s of storage)
    if (s === 'auto' || s === 'register' || s === 'static') c.error('D_DECL_BADCLASS', d.specs.span, 'specified storage class not appropriate in D');
  if (storage.length > 1) c.error('D_DECL_CLASS', d.specs.span, 'more than one storage class specified');
  const base = baseType(c, d.specs);
  if (d.declarators.length === 0) {
    const b = d.specs.base;
    if (b && (b.k === 'sou' || b.k === 'enum') && (b.tag || ('members' in b && b.members) || ('enumerators' in b && b.enumerators))) return;
    c.error('D_DECL_USELESS', d.span, 'useless declaration');
  }
  for (const decl of d.declarators) {
    const { name, type, keys, nameSpan } = applyDeclarator(c, base, decl);
    if (name === undefined) continue;
    const span = nameSpan ?? decl.span;
    if (d.typedef) {
      const old = c.types.typedefs.get(name);
      if (old && !sameType(old, type)) c.error('D_DECL_TYPERED', span, `type redeclared: ${name}`);
      if (!old) c.types.typedefs.set(name, typedef(name, type));
      continue;
    }
    declareVariable(c, storage[0], name, type, keys, span);
  }
}

function declareVariable(c: Compilation, storage: string | undefined, name: string, type: CType, keys: CType[] | undefined, span: A.Span): void {
  if (resolve(type).kind === 'void') c.error('D_DECL_VOIDOBJ', span, `cannot have void object: ${name}`);
  if (storage === 'extern') return; // A kernel symbol declaration: nothing to create without CTF.
  const r = resolve(type);
  if (r.kind === 'function') return; // A prototype declares nothing in D.
  if (keys === undefined && r.kind === 'array' && r.length === undefined && storage !== 'self' && storage !== 'this')
    c.error('D_DECL_ARRNULL', span, 'array declaration requires array dimension or tuple signature');
  const table = storage === 'self' ? c.threadLocals : storage === 'this' ? c.clauseLocals : c.globals;
  if (storage === 'this' && keys) c.error('D_DECL_LOCASSC', span, `associative arrays may not be declared as local variables: ${name}`);
  const existing = table.get(name);
  if (existing && existing.declared) {
    if (existing.type && sameType(existing.type, type)) return;
    c.error('D_DECL_IDRED', span, `identifier redeclared: ${name}`);
  }
  if (!existing && table === c.globals && (c.enumerators.has(name) || c.inlines.has(name))) c.error('D_DECL_IDRED', span, `identifier redeclared: ${name}`);
  const v = existing ?? table.create(name, keys ? 'assoc' : r.kind === 'array' ? 'array' : 'scalar');
  v.type = type;
  v.declared = true;
  if (keys) {
    v.keys = keys;
    v.shape = 'assoc';
  }
  v.definition = span;
  if (c.file !== undefined) v.definitionFile = c.file;
}

export function defineInline(c: Compilation, d: A.InlineDef): void {
  const base = baseType(c, d.specs);
  const { name, type, keys, keyNames, nameSpan } = applyDeclarator(c, base, d.declarator);
  if (name === undefined) c.error('D_DECL_USELESS', d.span, 'inline declaration requires a name');
  if (c.inlines.has(name) || c.globals.get(name) || c.enumerators.has(name)) c.error('D_DECL_IDRED', nameSpan ?? d.span, `identifier redeclared: ${name}`);
  // An inline array's key names are visible in its definition, like parameters.
  const params = (keyNames ?? []).map((n, i) => [n, keys![i]!] as const).filter((p): p is readonly [string, CType] => p[0] !== undefined);
  for (const [n, t] of params) c.inlines.set(n, { name: n, type: t, value: { k: 'error', span: d.span }, definition: d.span });
  let v;
  try {
    v = cook(c, d.value);
  } finally {
    for (const [n] of params) c.inlines.delete(n);
  }
  const info = { name, type, value: d.value, definition: nameSpan ?? d.span } as Parameters<typeof c.inlines.set>[1];
  if (!keys) {
    const ok = (isInteger(type) && isInteger(v.type)) || argCompat(type, v.type, v.constant);
    if (!ok) c.error('D_OP_INCOMPAT', d.span, `inline ${name} definition uses incompatible types: "${typeName(type)}" = "${typeName(v.type)}"`);
  } else info.keys = keys;
  if (v.constant !== undefined && isInteger(type)) info.constant = v.constant;
  if (c.file !== undefined) info.definitionFile = c.file;
  c.inlines.set(name, info);
}

import { argCompatible as argCompat } from '../calls';
