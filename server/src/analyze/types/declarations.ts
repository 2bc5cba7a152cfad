// Declarations as DTrace processes them while it parses (dt_decl.c; dt_parser.c dt_node_decl,
// dt_node_inline, dt_node_probe): the specifiers build one decl (declSpec.ts), declarators
// wrap it in pointers, arrays and functions (checking array subscripts and prototypes as they
// are read), struct and enum bodies define their members and enumerators one by one, and the
// finished declaration creates a typedef, a tag or a D variable, after DTrace's checks, in
// DTrace's order and with its messages.
import type * as A from '../../parse/ast';
import type { Compilation } from '../compilation';
import { cook } from '../expressions';
import { foldConstant, constantValue } from '../parseTime';
import { BUILTIN_ARRAYS, BUILTIN_VARIABLES } from '../builtins/variables';
import { FUNCTIONS_BY_NAME } from '../builtins/functions';
import { argCompatible } from '../calls';
import { alignOf, array, ctfCompatible, isInteger, pointer, resolve, sizeOf, typedef, typeName, type CType, type EnumType, type Member, type StructType } from './ctype';
import { DeclSpec, STORAGE_CLASSES, isTypeKeyword, readAsTypeName, tokenAt, type DeclKind } from './declSpec';

/** What the parser has read of the program, for the lexer's look at the text after a name. */
export interface DeclarationContext {
  source?: string;
}

const lineAfter = (span: A.Span): number => span.end.row + 1;

function specifierContext(ctx: DeclarationContext, declarator: A.Declarator | undefined): SpecifierOptions {
  return { ...(ctx.source !== undefined ? { source: ctx.source } : {}), ...(declarator ? { declarator } : {}) };
}

function fail(c: Compilation, tag: string, span: A.Span, message: string, line = span.start.row + 1): never {
  c.error(tag, span, message, undefined, line);
}

// ---------------------------------------------------------------- specifiers

const ATTRIBUTE_WORDS = new Set(['short', 'long', 'signed', 'unsigned']);
const QUALIFIER_WORDS = new Set(['const', 'volatile', 'restrict', 'userland']);

export interface SpecifierOptions {
  /** The declaration is a `typedef` (the grammar keeps the first `typedef` apart). */
  typedefClass?: boolean;
  /** The text, for what the lexer sees around a name; without it names are read alone. */
  source?: string;
  /** What follows the specifiers: the token a misplaced identifier runs into. */
  declarator?: A.Declarator;
}

/**
 * Applies the specifiers of `specs` to a new decl, in the order the parser reads them:
 * storage classes, qualifiers, then each type specifier in text order. A name among the type
 * specifiers is a type only where DTrace's lexer reads it as one (see `lexerSeesTypeName`);
 * otherwise it is the declarator, and what follows it is a syntax error.
 */
export function applySpecifiers(c: Compilation, specs: A.DeclSpecs, options: SpecifierOptions = {}): DeclSpec {
  const spec = new DeclSpec(c, specs.span);
  if (options.typedefClass) spec.storageClass('typedef');
  for (const s of specs.storage) spec.storageClass(s);
  for (const q of specs.qualifiers) spec.attribute(q);
  const b = specs.base;
  if (!b) return spec;
  let typeNameBefore = spec.name !== undefined;
  typeSpecifier(c, spec, b);
  let previous = b;
  specs.extraSpecifiers.forEach((e, i) => {
    const seen = lexerSeesTypeName(spec, previous, typeNameBefore, e.span, options.source);
    typeNameBefore = spec.name !== undefined;
    if (e.k === 'typedefName' && !isKeyword(e.name) && (seen || !readAsTypeName(c, e.name, following(options.source, e.span)))) {
      spec.identifier(e.name, e.span);
      const next = nextToken(e, specs.extraSpecifiers[i + 1], options);
      fail(c, 'D_SYNTAX', next.span, `syntax error near "${next.text}"`);
    }
    typeSpecifier(c, spec, e);
    previous = e;
  });
  spec.lexerSeesTypeName = lexerSeesTypeName(spec, previous, typeNameBefore, options.declarator?.span, options.source);
  return spec;
}

/**
 * Whether DTrace's lexer, reading the name at `at`, has seen a type name in this declaration
 * (it then reads any name as an identifier). A tag reference (`struct pair`) is only complete
 * once the parser has read the token after it: when the name comes right after the tag, the
 * lexer reads it before the tag is applied.
 */
function lexerSeesTypeName(spec: DeclSpec, previous: A.BaseSpec, typeNameBefore: boolean, at: A.Span | undefined, source: string | undefined): boolean {
  const openTag = (previous.k === 'sou' && previous.members === undefined) || (previous.k === 'enum' && previous.enumerators === undefined);
  if (!openTag) return spec.name !== undefined;
  const adjacent = source === undefined || at === undefined || tokenAt(source, previous.span.endIndex)?.index === at.startIndex;
  return adjacent ? typeNameBefore : spec.name !== undefined;
}

/** The keywords the grammar may hand over as a name among the type specifiers (`struct s int x`). */
function isKeyword(word: string): boolean {
  return ATTRIBUTE_WORDS.has(word) || QUALIFIER_WORDS.has(word) || STORAGE_CLASSES.has(word) || isTypeKeyword(word);
}

function following(source: string | undefined, span: A.Span): string {
  return source === undefined ? '' : source.slice(span.endIndex, span.endIndex + 3);
}

/** The token after a misplaced identifier `e`: the next type specifier, or the declarator. */
function nextToken(e: A.BaseSpec, next: A.BaseSpec | undefined, options: SpecifierOptions): { text: string; span: A.Span } {
  const at = next?.span ?? options.declarator?.span;
  const read = options.source !== undefined ? tokenAt(options.source, at?.startIndex ?? e.span.endIndex) : undefined;
  if (read) return { text: read.text, span: at ?? e.span };
  if (next) return { text: next.k === 'typedefName' ? next.name : next.k === 'sou' ? next.kind : 'enum', span: next.span };
  const d = options.declarator;
  return d ? { text: firstToken(d), span: d.span } : { text: ';', span: e.span };
}

function firstToken(d: A.Declarator): string {
  switch (d.k) {
    case 'name':
      return d.name;
    case 'pointer':
      return '*';
    case 'abstract':
      return ';';
    default:
      return firstToken(d.inner);
  }
}

/** One type specifier: a run of type words, a typedef name, a tag or a struct/enum body. */
function typeSpecifier(c: Compilation, spec: DeclSpec, b: A.BaseSpec): void {
  switch (b.k) {
    case 'words':
      for (const w of b.words) typeWord(spec, w, b.span);
      return;
    case 'typedefName':
      typeWord(spec, b.name, b.span);
      return;
    case 'sou':
      spec.specifier(b.kind, b.tag, b.span);
      spec.tagType = b.members === undefined ? tagReference(c, b.kind, b.tag, b.span) : defineStruct(c, b);
      return;
    case 'enum':
      spec.specifier('enum', b.tag, b.span);
      spec.tagType = b.enumerators === undefined ? tagReference(c, 'enum', b.tag, b.span) : defineEnum(c, b);
      return;
  }
}

/** A keyword among the specifiers does what it always does; any other name is a typedef name. */
function typeWord(spec: DeclSpec, w: string, at: A.Span): void {
  if (ATTRIBUTE_WORDS.has(w) || QUALIFIER_WORDS.has(w)) spec.attribute(w, at);
  else if (STORAGE_CLASSES.has(w)) spec.storageClass(w, at);
  else spec.specifier(isTypeKeyword(w) ? (w === 'float' || w === 'double' ? 'float' : w === 'string' ? 'typedef' : 'integer') : 'typedef', w, at);
}

function tagReference(c: Compilation, kind: 'struct' | 'union' | 'enum', tag: string | undefined, span: A.Span): CType {
  if (tag === undefined) fail(c, 'D_SYNTAX', span, `syntax error near "${kind}"`);
  return c.types.tag(kind, tag);
}

/**
 * A typedef name written where the parser still expects the type (after attributes only, or
 * read before a tag reference was complete) is a type specifier; the specifier rules then
 * decide whether it is the type or the declared name.
 */
function typedefNameAsSpecifier(c: Compilation, spec: DeclSpec, d: A.Declarator, ctx: DeclarationContext): A.Declarator {
  if (d.k !== 'name' || ctx.source === undefined || spec.lexerSeesTypeName) return d;
  if (!readAsTypeName(c, d.name, following(ctx.source, d.span))) return d;
  spec.specifier('typedef', d.name, d.span);
  return { k: 'abstract', span: d.span };
}

// ---------------------------------------------------------------- declarators

export interface Declared {
  name: string | undefined;
  nameSpan?: A.Span;
  type: CType;
  /** An associative array's key types (the type is then the element type). */
  keys?: CType[];
  /** Names given to the keys (`inline fileinfo_t fds[int fd] = ...`). */
  keyNames?: (string | undefined)[];
  /** A fixed array declared without a dimension (`int a[]`). */
  unsized?: boolean;
  /** The declarator had a scalar dimension (`[4]`). */
  sized?: boolean;
  bits?: A.Expr;
}

interface Suffix {
  node: Extract<A.Declarator, { k: 'array' } | { k: 'function' }>;
}

/** Array and function suffixes in the order the parser reads them, and the pointer count. */
function suffixes(d: A.Declarator, out: Suffix[] = []): { list: Suffix[]; pointers: number } {
  let pointers = 0;
  const walk = (x: A.Declarator): void => {
    switch (x.k) {
      case 'pointer':
        pointers++;
        walk(x.inner);
        return;
      case 'array':
      case 'function':
        walk(x.inner);
        out.push({ node: x });
        return;
      case 'bitfield':
        walk(x.inner);
        return;
      default:
        return;
    }
  };
  walk(d);
  out.sort((a, b) => a.node.span.startIndex - b.node.span.startIndex);
  return { list: out, pointers };
}

/** A key or parameter list checked as DTrace's dt_decl_prototype does. */
interface ProtoParam {
  name: string | undefined;
  type: CType | undefined;
  span: A.Span;
}

type ProtoKind = 'array' | 'function' | 'probe input' | 'probe output';

function checkPrototype(c: Compilation, params: ProtoParam[], formal: ProtoParam[], kind: ProtoKind, flags: { varargs?: boolean; void?: boolean; anon?: boolean }): void {
  const form = params !== formal;
  let voids = 0;
  params.forEach((p, index) => {
    const i = index + 1;
    if (p.type === undefined) {
      if (!flags.varargs) fail(c, 'D_DECL_PROTO_VARARGS', p.span, `${kind} prototype may not use a variable-length argument list`);
      return;
    }
    const isVoid = resolve(p.type).kind === 'void';
    voids += isVoid ? 1 : 0;
    if (isVoid && !flags.void)
      fail(c, 'D_DECL_PROTO_TYPE', p.span, `${kind} prototype may not use parameter of type ${typeName(p.type)}: ${p.name ?? '(anonymous)'}, parameter #${i}`);
    if (isVoid && p.name !== undefined) fail(c, 'D_DECL_PROTO_NAME', p.span, `void parameter may not have a name: ${p.name}`);
    if (p.name !== undefined) {
      const earlier = (form ? formal : formal.slice(0, index)).some((f) => f.name === p.name);
      if (earlier !== form) fail(c, 'D_DECL_PROTO_FORM', p.span, `parameter is ${form ? 'not' : 'already'} declared in ${kind} prototype: ${p.name}, parameter #${i}`);
    }
    if (p.name === undefined && !isVoid && !flags.anon) fail(c, 'D_DECL_PROTO_NAME', p.span, `parameter declaration requires a name: parameter #${i}`);
  });
  if (voids !== 0 && params.length > 1) fail(c, 'D_DECL_PROTO_VOID', params[0]!.span, 'void must be sole parameter');
}

/**
 * One parameter (an array key or a function parameter): its own declaration, whose storage
 * class may only be `register`.
 */
function parameter(c: Compilation, p: A.Param | A.TypeName, ctx: DeclarationContext): ProtoParam {
  const { specs, declarator } = normalizeParameter(p);
  const spec = applySpecifiers(c, specs, specifierContext(ctx, declarator));
  if (spec.storage !== undefined && spec.storage !== 'register')
    fail(c, 'D_DECL_PARMCLASS', p.span, 'inappropriate storage class for function or associative array parameter');
  const d = declare1(c, spec, declarator, ctx);
  return { name: d.name, type: d.keys ? undefined : d.type, span: p.span };
}

/**
 * The grammar reads a storage class in a parameter (`int a[auto int]`) as a type name followed
 * by the parameter's name: put the class back in front of the type.
 */
function normalizeParameter(p: A.Param | A.TypeName): { specs: A.DeclSpecs; declarator: A.Declarator } {
  const b = p.specs.base;
  const d = p.declarator;
  if (b?.k === 'typedefName' && STORAGE_CLASSES.has(b.name) && d.k === 'name') {
    const base: A.BaseSpec = isTypeKeyword(d.name) ? { k: 'words', words: [d.name], span: d.span } : { k: 'typedefName', name: d.name, span: d.span };
    return { specs: { ...p.specs, storage: [...p.specs.storage, b.name], base }, declarator: { k: 'abstract', span: d.span } };
  }
  return { specs: p.specs, declarator: d };
}

/** The decl's base type, then the declarator applied to it, with the checks made on the way. */
function declare1(c: Compilation, spec: DeclSpec, d: A.Declarator, ctx: DeclarationContext): Declared {
  const { list, pointers } = suffixes(d);
  if (pointers > 0) spec.top();
  const base = spec.type();
  const name = declaratorName(d);
  if (name !== undefined && spec.ident !== undefined) fail(c, 'D_DECL_IDENT', d.span, 'old-style declaration or incorrect type specified');
  const result: Declared = { name: name?.name ?? spec.ident, type: base };
  if (name) result.nameSpan = name.span;
  let previousArray = false;
  for (const { node } of list) {
    if (node.k === 'array') {
      if (previousArray && node.keys) fail(c, 'D_DECL_DYNOBJ', node.span, 'cannot declare array of associative arrays');
      if (!previousArray && pointers === 0 && spec.name === 'void' && spec.kind === 'integer')
        fail(c, 'D_DECL_VOIDOBJ', node.span, 'cannot declare array of void');
      if (node.size) arrayDimension(c, node.size);
      else if (node.keys || node.varargs) {
        const keys = (node.keys ?? []).map((k) => parameter(c, k, ctx));
        if (node.varargs) keys.push({ name: undefined, type: undefined, span: node.span });
        checkPrototype(c, keys, keys, 'array', { anon: true });
      }
      previousArray = true;
    } else {
      const params = node.params.map((p) => parameter(c, p, ctx));
      if (node.varargs) params.push({ name: undefined, type: undefined, span: node.span });
      checkPrototype(c, params, params, 'function', { varargs: true, void: true, anon: true });
      previousArray = false;
    }
  }
  const shaped = shape(c, base, d);
  return { ...shaped, name: result.name, ...(result.nameSpan ? { nameSpan: result.nameSpan } : {}) };
}

function declaratorName(d: A.Declarator): { name: string; span: A.Span } | undefined {
  switch (d.k) {
    case 'name':
      return { name: d.name, span: d.span };
    case 'abstract':
      return undefined;
    default:
      return declaratorName(d.inner);
  }
}

/** `[N]`: a positive integer constant no larger than UINT_MAX. */
function arrayDimension(c: Compilation, size: A.Expr): number {
  cook(c, size);
  const f = foldConstant(c, size);
  const v = f ? constantValue(f) : undefined;
  if (v === undefined || v <= 0n)
    fail(c, 'D_DECL_ARRSUB', size.span, 'positive integral constant expression or tuple signature expected as array declaration subscript');
  if (v > 0xffffffffn) fail(c, 'D_DECL_ARRBIG', size.span, 'array dimension too big');
  return Number(v);
}

/** The declared type (C's inside-out reading of the declarator), without further checks. */
function shape(c: Compilation, base: CType, d: A.Declarator): Omit<Declared, 'name' | 'nameSpan'> {
  switch (d.k) {
    case 'name':
    case 'abstract':
      return { type: base };
    case 'pointer':
      return shape(c, pointer(base, d.qualifiers.includes('userland')), d.inner);
    case 'bitfield':
      return { ...shape(c, base, d.inner), bits: d.width };
    case 'array': {
      if (d.keys) {
        const keys = d.keys.map((k) => {
          const { specs, declarator } = normalizeParameter(k);
          const spec = new DeclSpecProbe(c, specs).spec;
          const r = shape(c, spec.type(), declarator);
          return { type: r.type, name: declaratorName(declarator)?.name };
        });
        const inner = shape(c, base, d.inner);
        return { ...inner, keys: keys.map((k) => k.type), keyNames: keys.map((k) => k.name) };
      }
      const folded = d.size ? foldConstant(c, d.size) : undefined;
      const length = folded ? Number(constantValue(folded)) : undefined;
      const inner = shape(c, array(base, length), d.inner);
      return d.size ? { ...inner, sized: true } : { ...inner, unsized: true };
    }
    case 'function': {
      const params = d.params.map((p) => {
        const { specs, declarator } = normalizeParameter(p);
        return shape(c, new DeclSpecProbe(c, specs).spec.type(), declarator).type;
      });
      const onlyVoid = params.length === 1 && resolve(params[0]!).kind === 'void';
      return shape(c, { kind: 'function', ret: base, params: onlyVoid ? [] : params, varargs: d.varargs }, d.inner);
    }
  }
}

/** Specifiers re-applied for their type alone, once their checks have passed. */
class DeclSpecProbe {
  readonly spec: DeclSpec;
  constructor(c: Compilation, specs: A.DeclSpecs) {
    this.spec = applySpecifiers(c, specs);
  }
}

/** A type name in an expression (cast, sizeof, offsetof, xlate) or a translator. */
export function resolveTypeName(c: Compilation, t: A.TypeName): CType {
  const spec = applySpecifiers(c, t.specs, { declarator: t.declarator });
  return declare1(c, spec, t.declarator, {}).type;
}

/** The base type of a parameter's specifiers (translator inputs). */
export function baseType(c: Compilation, specs: A.DeclSpecs): CType {
  return applySpecifiers(c, specs).type();
}

export function applyDeclarator(c: Compilation, base: CType, d: A.Declarator): Declared {
  const r = shape(c, base, d);
  const name = declaratorName(d);
  return { ...r, name: name?.name, ...(name ? { nameSpan: name.span } : {}) };
}

// ---------------------------------------------------------------- struct, union, enum

/** Bytes a type occupies for DTrace's member checks: void, functions and incomplete types have none. */
function ctfSize(c: Compilation, t: CType): number {
  const r = resolve(t);
  if (r.kind === 'void' || r.kind === 'function') return 0;
  return sizeOf(t, c.settings.strsize) ?? 0;
}

/** A struct, union or enum tag with no definition yet: libctf names every one `struct X`. */
function isForward(t: CType): boolean {
  const r = resolve(t);
  return (r.kind === 'struct' || r.kind === 'union') ? r.members === undefined : r.kind === 'enum' ? r.enumerators === undefined : false;
}

function incompleteName(t: CType): string {
  const r = resolve(t);
  if (t.kind !== 'typedef' && isForward(t) && (r.kind === 'struct' || r.kind === 'union' || r.kind === 'enum')) return `struct ${r.tag ?? '(anon)'}`;
  return typeName(t);
}

function defineStruct(c: Compilation, b: Extract<A.BaseSpec, { k: 'sou' }>): CType {
  let t: StructType;
  if (b.tag !== undefined) {
    const existing = c.types.tags.get(`${b.kind} ${b.tag}`) as StructType | undefined;
    if (existing && existing.members !== undefined) fail(c, 'D_DECL_TYPERED', b.span, `type redeclared: ${b.kind} ${b.tag}`);
    t = c.types.tag(b.kind, b.tag) as StructType;
  } else t = { kind: b.kind, tag: undefined, members: undefined, size: 0, align: 1 };
  const layout = new Layout(b.kind === 'union');
  for (const field of b.members ?? []) {
    const spec = applySpecifiers(c, field.specs, field.declarators[0] ? { declarator: field.declarators[0] } : {});
    for (const d of field.declarators) member(c, t, spec, field, d, layout);
    if (field.declarators.length === 0) spec.top();
  }
  t.members = layout.members;
  t.align = layout.align;
  t.size = layout.size();
  return t;
}

/** dt_decl_member: one member, checked and laid out. */
function member(c: Compilation, parent: StructType, spec: DeclSpec, field: A.FieldDecl, d: A.Declarator, layout: Layout): void {
  const at = field.span;
  const line = lineAfter(at);
  const m = declare1(c, spec, d, {});
  const name = m.name;
  const idname = name ?? '(anon)';
  if (name !== undefined && name.includes('`')) fail(c, 'D_DECL_SCOPE', at, `D scoping operator may not be used in a member name (${name})`, line);
  if (m.keys) fail(c, 'D_DECL_DYNOBJ', at, `cannot have dynamic member: ${name}`, line);
  const r = resolve(m.type);
  const size = ctfSize(c, m.type);
  if (isForward(m.type) || ((r.kind === 'struct' || r.kind === 'union') && size === 0))
    fail(c, 'D_DECL_INCOMPLETE', at, `incomplete struct/union/enum ${incompleteName(m.type)}: ${name}`, line);
  if (size === 0 && !(parent.kind === 'struct' && r.kind === 'array')) fail(c, 'D_DECL_VOIDOBJ', at, `cannot have void member: ${name}`, line);
  let bits: number | undefined;
  if (m.bits) {
    cook(c, m.bits);
    const f = foldConstant(c, m.bits);
    const v = f ? constantValue(f) : undefined;
    if (name === undefined && v === 0n) {
      layout.flush();
      return;
    }
    if (v === undefined || v <= 0n) fail(c, 'D_DECL_BFCONST', at, 'positive integral constant expression expected as bit-field size', line);
    if (r.kind !== 'int') fail(c, 'D_DECL_BFTYPE', at, `invalid type for bit-field: ${idname}`, line);
    if (v > BigInt(r.size * 8)) fail(c, 'D_DECL_BFSIZE', at, `bit-field too big for type: ${idname}`, line);
    bits = Number(v);
  }
  if (name !== undefined && layout.members.some((x) => x.name === name))
    fail(c, 'D_UNKNOWN', at, `failed to define member '${name}': Duplicate member or variable name`, line);
  layout.add(name ?? '', m.type, size, alignOf(m.type), bits);
}

/** Member offsets: bit-fields share a storage unit while they fit. */
class Layout {
  readonly members: Member[] = [];
  align = 1;
  private offset = 0;
  private bitOffset = 0;

  constructor(private readonly union: boolean) {}

  flush(): void {
    if (this.bitOffset > 0) {
      this.offset += Math.ceil(this.bitOffset / 8);
      this.bitOffset = 0;
    }
  }

  add(name: string, type: CType, size: number, align: number, bits: number | undefined): void {
    this.align = Math.max(this.align, align);
    if (this.union) {
      this.members.push(bits === undefined ? { name, type, offset: 0 } : { name, type, offset: 0, bits });
      this.offset = Math.max(this.offset, bits === undefined ? size : Math.ceil(bits / 8));
      return;
    }
    if (bits !== undefined) {
      if (this.bitOffset + bits > size * 8) {
        this.flush();
        this.offset = Math.ceil(this.offset / align) * align;
      }
      this.members.push({ name, type, offset: this.offset, bits });
      this.bitOffset += bits;
      return;
    }
    this.flush();
    this.offset = Math.ceil(this.offset / align) * align;
    this.members.push({ name, type, offset: this.offset });
    this.offset += size;
  }

  size(): number {
    this.flush();
    return Math.ceil(this.offset / this.align) * this.align;
  }
}

function defineEnum(c: Compilation, b: Extract<A.BaseSpec, { k: 'enum' }>): CType {
  let t: EnumType;
  if (b.tag !== undefined) {
    const existing = c.types.tags.get(`enum ${b.tag}`) as EnumType | undefined;
    if (existing && existing.enumerators !== undefined && existing.enumerators.size > 0) fail(c, 'D_DECL_TYPERED', b.span, `type redeclared: enum ${b.tag}`);
    t = c.types.tag('enum', b.tag) as EnumType;
  } else t = { kind: 'enum', tag: undefined, enumerators: undefined };
  const values = new Map<string, number>();
  t.enumerators = values;
  let value = -1n;
  for (const en of b.enumerators ?? []) value = enumerator(c, t, en, value);
  return t;
}

/** dt_decl_enumerator: the value, then the enumerator becomes a global identifier. */
function enumerator(c: Compilation, t: EnumType, en: A.Enumerator, previous: bigint): bigint {
  const line = lineAfter(en.span);
  let value = previous + 1n;
  if (en.name.includes('`')) fail(c, 'D_DECL_SCOPE', en.span, `D scoping operator may not be used in an enumerator name (${en.name})`, line);
  if (en.value) {
    // A name of this enum's own enumerators is taken as it is, without evaluating.
    const own = en.value.k === 'ident' ? t.enumerators!.get(en.value.name) : undefined;
    if (own !== undefined) value = BigInt(own);
    else {
      cook(c, en.value);
      const f = foldConstant(c, en.value);
      if (!f) fail(c, 'D_DECL_ENCONST', en.span, `enumerator '${en.name}' must be assigned to an integral constant expression`, line);
      const v = BigInt.asIntN(64, f.value);
      if (v > 0x7fffffffn || v < -0x80000000n) fail(c, 'D_DECL_ENOFLOW', en.span, `enumerator '${en.name}' value overflows INT_MAX (2147483647)`, line);
      value = v;
    }
  }
  t.enumerators!.set(en.name, Number(value));
  if (globalIdentifier(c, en.name)) fail(c, 'D_DECL_IDRED', en.span, `identifier redeclared: ${en.name}`, line);
  const info = { name: en.name, value, type: t as CType, definition: en.span } as Parameters<typeof c.enumerators.set>[1];
  if (c.file !== undefined) info.definitionFile = c.file;
  info.definitionUnit = c.unit;
  c.enumerators.set(en.name, info);
  return value;
}

// ---------------------------------------------------------------- global identifiers

interface GlobalIdentifier {
  /** dt_idkind_name of the identifier's kind. */
  kind: string;
  /** Defined by the compiler itself (DTrace's generation 0). */
  builtin: boolean;
  inline: boolean;
  type?: CType;
  keys?: CType[];
}

/** A name in DTrace's global identifier table: built-ins, globals, inlines, enumerators. */
function globalIdentifier(c: Compilation, name: string): GlobalIdentifier | undefined {
  const f = FUNCTIONS_BY_NAME.get(name);
  if (f) return { kind: f.kind === 'action' ? 'tracing function' : f.kind === 'aggregating' ? 'aggregating function' : 'function', builtin: true, inline: false };
  if (BUILTIN_ARRAYS.has(name)) return { kind: 'associative array', builtin: true, inline: false };
  const b = BUILTIN_VARIABLES.find((v) => v.name === name);
  if (b) return { kind: 'scalar', builtin: true, inline: false, type: c.types.parse(b.type) };
  const i = c.inlines.get(name);
  if (i) return { kind: i.keys ? 'associative array' : 'scalar', builtin: false, inline: true, type: i.type, ...(i.keys ? { keys: i.keys } : {}) };
  const e = c.enumerators.get(name);
  if (e) return { kind: 'enumerator', builtin: false, inline: false, type: e.type };
  const v = c.globals.get(name);
  if (v && v.type !== undefined) return { kind: v.shape === 'assoc' ? 'associative array' : 'scalar', builtin: false, inline: false, type: v.type, ...(v.keys ? { keys: v.keys } : {}) };
  return undefined;
}

// ---------------------------------------------------------------- declarations

/** A top-level declaration: typedef, tag definition, or D variable declaration(s). */
export function declare(c: Compilation, d: A.Declaration, ctx: DeclarationContext = {}): void {
  const spec = applySpecifiers(c, d.specs, { typedefClass: d.typedef, ...specifierContext(ctx, d.declarators[0]) });
  const declarators = d.declarators.map((x, i) => (i === 0 ? typedefNameAsSpecifier(c, spec, x, ctx) : x));
  const line = lineAfter(d.span);
  if (declarators.length === 0 || (declarators.length === 1 && declaratorName(declarators[0]!) === undefined && spec.ident === undefined)) {
    if (declarators.length === 1) declare1(c, spec, declarators[0]!, ctx);
    spec.top();
    if (spec.kind !== 'struct' && spec.kind !== 'union' && spec.kind !== 'enum') fail(c, 'D_DECL_USELESS', d.span, 'useless declaration', line);
    return;
  }
  for (const x of declarators) {
    const r = declare1(c, spec, x, ctx);
    if (r.name === undefined) fail(c, 'D_DECL_USELESS', d.span, 'useless declaration', line);
    declareName(c, spec.storage, r, d.span, line);
    spec.ident = undefined;
  }
}

/** dt_node_decl: what a declared name becomes, by storage class. */
function declareName(c: Compilation, storage: string | undefined, r: Declared, span: A.Span, line: number): void {
  const name = r.name!;
  const at = r.nameSpan ?? span;
  if (name.includes('`')) fail(c, 'D_DECL_SCOPE', at, `D scoping operator may not be used in a declaration name (${name})`, line);
  let cls = storage;
  if (resolve(r.type).kind === 'function' && r.keys === undefined && (cls === undefined || cls === 'static')) cls = 'extern';
  switch (cls) {
    case 'auto':
    case 'register':
    case 'static':
      fail(c, 'D_DECL_BADCLASS', at, 'specified storage class not appropriate in D', line);
    case 'extern':
      return; // A kernel symbol: nothing to create without the kernel's type information.
    case 'typedef':
      if (globalIdentifier(c, name)) fail(c, 'D_DECL_IDRED', at, `global variable identifier redeclared: ${name}`, line);
      if (c.types.isDTypedef(name)) fail(c, 'D_DECL_IDRED', at, `typedef redeclared: ${name}`, line);
      c.types.typedefs.set(name, typedef(name, r.type));
      return;
    default:
      declareVariable(c, cls, name, r, at, line);
  }
}

function declareVariable(c: Compilation, storage: string | undefined, name: string, r: Declared, at: A.Span, line: number): void {
  const table = storage === 'self' ? c.threadLocals : storage === 'this' ? c.clauseLocals : c.globals;
  if (r.unsized && !r.keys) fail(c, 'D_DECL_ARRNULL', at, `array declaration requires array dimension or tuple signature: ${name}`, line);
  const previous = storage === undefined ? globalIdentifier(c, name) : existingLocal(table, name);
  if (previous?.builtin) fail(c, 'D_DECL_IDRED', at, `built-in identifier redeclared: ${name}`, line);
  if (c.types.isDTypedef(name)) fail(c, 'D_DECL_IDRED', at, `typedef identifier redeclared: ${name}`, line);
  const assoc = r.keys !== undefined;
  if (assoc && storage === 'this') fail(c, 'D_DECL_LOCASSC', at, `associative arrays may not be declared as local variables: ${name}`, line);
  const kind = assoc ? 'associative array' : 'scalar';
  if (previous) {
    if (previous.kind !== kind || previous.type === undefined || !ctfCompatible(r.type, previous.type))
      fail(c, 'D_DECL_IDRED', at, `identifier redeclared: ${name}\n\t current: ${kind} ${typeName(r.type)}\n\tprevious: ${previous.kind} ${previous.type ? typeName(previous.type) : ''}`, line);
    if (assoc) {
      const old = previous.keys ?? [];
      r.keys!.forEach((k, i) => {
        if (i < old.length && !ctfCompatible(k, old[i]!))
          fail(c, 'D_DECL_IDRED', at, `identifier redeclared: ${name}\n\t current: ${kind}, key #${i + 1} of type ${typeName(k)}\n\tprevious: ${previous.kind}, key #${i + 1} of type ${typeName(old[i]!)}`, line);
      });
      if (old.length !== r.keys!.length)
        fail(c, 'D_DECL_IDRED', at, `identifier redeclared: ${name}\n\t current: ${kind} of ${typeName(r.type)}, tuple length ${r.keys!.length}\n\tprevious: ${previous.kind} of ${typeName(previous.type!)}, tuple length ${old.length}`, line);
    }
    return;
  }
  const t = resolve(r.type);
  if (t.kind === 'void') fail(c, 'D_DECL_VOIDOBJ', at, `cannot have void object: ${name}`, line);
  if (isForward(r.type) || ((t.kind === 'struct' || t.kind === 'union') && ctfSize(c, r.type) === 0))
    fail(c, 'D_DECL_INCOMPLETE', at, `incomplete struct/union/enum ${incompleteName(r.type)}: ${name}`, line);
  const v = table.create(name, assoc ? 'assoc' : t.kind === 'array' ? 'array' : 'scalar');
  v.type = r.type;
  v.declared = true;
  if (r.keys) v.keys = r.keys;
  v.definition = at;
  if (c.file !== undefined) v.definitionFile = c.file;
  v.definitionUnit = c.unit;
}

function existingLocal(table: Compilation['globals'], name: string): GlobalIdentifier | undefined {
  const v = table.get(name);
  if (!v || v.type === undefined) return undefined;
  return { kind: v.shape === 'assoc' ? 'associative array' : 'scalar', builtin: false, inline: false, type: v.type, ...(v.keys ? { keys: v.keys } : {}) };
}

// ---------------------------------------------------------------- inlines

export function defineInline(c: Compilation, d: A.InlineDef, ctx: DeclarationContext = {}): void {
  const line = lineAfter(d.span);
  const spec = applySpecifiers(c, d.specs, specifierContext(ctx, d.declarator));
  const r = declare1(c, spec, d.declarator, ctx);
  if (spec.storage !== undefined) fail(c, 'D_DECL_BADCLASS', d.span, 'specified storage class not appropriate for inline declaration', line);
  const name = r.name;
  if (name === undefined) fail(c, 'D_DECL_USELESS', d.span, 'inline declaration requires a name', line);
  const previous = globalIdentifier(c, name);
  if (previous)
    fail(c, 'D_DECL_IDRED', d.span, `identifier redefined: ${name}\n\t current: inline definition\n\tprevious: ${previous.kind} ${previous.inline ? 'inline' : ''}`, line);
  if (r.unsized && !r.keys) fail(c, 'D_DECL_ARRNULL', d.span, `inline declaration requires array tuple signature: ${name}`, line);
  if (r.sized) fail(c, 'D_DECL_ARRNULL', d.span, `inline declaration cannot be of scalar array type: ${name}`, line);
  const type = r.type;
  if (resolve(type).kind === 'void') fail(c, 'D_DECL_VOIDOBJ', d.span, `cannot declare void inline: ${name}`, line);
  if (isForward(type)) fail(c, 'D_DECL_INCOMPLETE', d.span, `incomplete struct/union/enum ${incompleteName(type)}: ${name}`, line);
  // An inline array's key names are visible in its definition, like parameters.
  const keys = r.keys;
  const params = (r.keyNames ?? []).map((n, i) => [n, keys![i]!] as const).filter((p): p is readonly [string, CType] => p[0] !== undefined);
  for (const [n, t] of params) c.inlines.set(n, { name: n, type: t, value: { k: 'error', span: d.span }, definition: d.span });
  let v;
  try {
    v = cook(c, d.value);
  } finally {
    for (const [n] of params) c.inlines.delete(n);
  }
  const info = { name, type, value: d.value, definition: r.nameSpan ?? d.span } as Parameters<typeof c.inlines.set>[1];
  if (!keys) {
    const ok = (isInteger(type) && isInteger(v.type)) || argCompatible(type, v.type, v.constant);
    if (!ok) c.error('D_OP_INCOMPAT', d.span, `inline ${name} definition uses incompatible types: "${typeName(type)}" = "${typeName(v.type)}"`, undefined, line);
  } else info.keys = keys;
  if (v.constant !== undefined && isInteger(type)) info.constant = v.constant;
  if (c.file !== undefined) info.definitionFile = c.file;
  info.definitionUnit = c.unit;
  c.inlines.set(name, info);
}

// ---------------------------------------------------------------- providers

/** dt_node_probe: a provider's probe prototypes, input then output. */
export function defineProvider(c: Compilation, p: A.ProviderDef): void {
  c.definedProviders.add(p.name);
  for (const probe of p.probes) {
    const inputs = probe.params.map((x) => parameter(c, x, {}));
    if (probe.varargs) inputs.push({ name: undefined, type: undefined, span: probe.span });
    checkPrototype(c, inputs, inputs, 'probe input', { void: true, anon: true });
    const outputs = (probe.xlated ?? []).map((x) => parameter(c, x, {}));
    if (probe.xlated) checkPrototype(c, outputs, inputs, 'probe output', { void: true });
  }
}

// ---------------------------------------------------------------- text the parser rejected

export interface RawToken {
  text: string;
  span: A.Span;
}

/**
 * A declaration the parser could not read (`int char x = 5;`, `long myint count = 1;`): DTrace
 * applies its specifiers one by one, so a contradiction among them, a misplaced name or an
 * array prototype with `...` is reported before the syntax error further on is reached.
 */
export function checkDeclarationTokens(c: Compilation, tokens: readonly RawToken[]): void {
  const first = tokens[0];
  if (!first) return;
  const spec = new DeclSpec(c, first.span);
  let declarator = false;
  let pendingTag: { kind: DeclKind; tag: string; span: A.Span } | undefined;
  const settleTag = (): void => {
    if (!pendingTag) return;
    spec.specifier(pendingTag.kind, pendingTag.tag, pendingTag.span);
    pendingTag = undefined;
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const w = t.text;
    // After the declared name the parser expects a declarator suffix or the end: a name, a
    // keyword or `*` there is a syntax error.
    if (declarator && (w === '*' || /^[A-Za-z_`]/.test(w))) fail(c, 'D_SYNTAX', t.span, `syntax error near "${w}"`);
    if (STORAGE_CLASSES.has(w)) {
      settleTag();
      spec.storageClass(w, t.span);
    } else if (ATTRIBUTE_WORDS.has(w) || QUALIFIER_WORDS.has(w)) {
      settleTag();
      spec.attribute(w, t.span);
    } else if (isTypeKeyword(w)) {
      settleTag();
      spec.specifier(w === 'float' || w === 'double' ? 'float' : w === 'string' ? 'typedef' : 'integer', w, t.span);
    } else if (w === 'struct' || w === 'union' || w === 'enum') {
      settleTag();
      const tag = tokens[i + 1];
      if (!tag || !/^[A-Za-z_]/.test(tag.text) || tokens[i + 2]?.text === '{') return;
      // The tag is known only once the parser has read the token after it.
      pendingTag = { kind: w, tag: tag.text, span: t.span };
      i++;
    } else if (/^[A-Za-z_`][A-Za-z0-9_`]*$/.test(w)) {
      const typeName = (spec.name === undefined || pendingTag !== undefined) && readAsTypeName(c, w, tokens[i + 1]?.text ?? '');
      settleTag();
      if (typeName) spec.specifier('typedef', w, t.span);
      else {
        spec.identifier(w, t.span);
        declarator = true;
      }
    } else if (w === '*') {
      settleTag();
      spec.top(t.span);
    } else if (w === '[') {
      settleTag();
      let depth = 0;
      for (let j = i; j < tokens.length; j++) {
        const x = tokens[j]!.text;
        if (x === '[' || x === '(') depth++;
        if (x === ']' || x === ')') depth--;
        if (depth === 1 && x === '...') fail(c, 'D_DECL_PROTO_VARARGS', tokens[j]!.span, 'array prototype may not use a variable-length argument list');
        if (depth === 0) break;
      }
      return;
    } else if (w === ';') {
      settleTag();
      spec.top(t.span);
      if (spec.ident === undefined && spec.kind !== 'struct' && spec.kind !== 'union' && spec.kind !== 'enum')
        fail(c, 'D_DECL_USELESS', t.span, 'useless declaration');
      return;
    } else return;
  }
}

const DECLARATION_START = /^(typedef|self|this|extern|static|auto|register|short|long|signed|unsigned|const|volatile|restrict|userland|char|int|void|float|double|string|struct|union|enum)$/;

/**
 * The tokens of the top-level statement (up to its `;`) around `index`, when the statement is
 * a declaration: what DTrace's lexer would hand its parser, comments and control lines aside.
 */
export function declarationTokensAt(c: Compilation, source: string, index: number): RawToken[] | undefined {
  const tokens = topLevelTokens(source);
  const start = statementStart(tokens, index);
  const statement: RawToken[] = [];
  for (let i = start; i < tokens.length; i++) {
    statement.push(tokens[i]!);
    if (tokens[i]!.text === ';') break;
  }
  const head = statement[0]?.text ?? '';
  if (!DECLARATION_START.test(head) && !c.types.typedefs.has(head)) return undefined;
  return statement;
}

/** Where the top-level statement (a declaration or a clause) around `index` starts in `source`. */
export function statementStartAt(source: string, index: number): number | undefined {
  const tokens = topLevelTokens(source);
  return tokens[statementStart(tokens, index)]?.span.startIndex;
}

function statementStart(tokens: readonly RawToken[], index: number): number {
  let start = 0;
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.span.startIndex > index) break;
    if (t.text === '{' || t.text === '(' || t.text === '[') depth++;
    else if (t.text === '}' || t.text === ')' || t.text === ']') depth = Math.max(0, depth - 1);
    if (depth === 0 && (t.text === ';' || t.text === '}') && t.span.startIndex < index) start = i + 1;
  }
  return start;
}

/** Tokens of D text: names, numbers, strings, `...` and single punctuation; no comments or control lines. */
function topLevelTokens(source: string): RawToken[] {
  const out: RawToken[] = [];
  const re = /\/\*[\s\S]*?(?:\*\/|(?![\s\S]))|^[ \t\f\v]*#.*$|"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?|\.\.\.|[A-Za-z_`][A-Za-z0-9_`]*|[0-9][A-Za-z0-9_.]*|[ \t\f\v\r]+|\n|./gm;
  let row = 0;
  let lineStart = 0;
  for (let m = re.exec(source); m; m = re.exec(source)) {
    const text = m[0];
    const start = m.index;
    if (!/^(\s|\/\*|#|[ \t\f\v]+#)/.test(text) && text !== '') {
      const span: A.Span = {
        start: { row, column: start - lineStart },
        end: { row, column: start - lineStart + text.length },
        startIndex: start,
        endIndex: start + text.length,
      };
      out.push({ text, span });
    }
    for (let k = 0; k < text.length; k++) {
      if (text.charCodeAt(k) === 10) {
        row++;
        lineStart = start + k + 1;
      }
    }
    if (text === '') re.lastIndex++;
  }
  return out;
}
