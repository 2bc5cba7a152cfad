// What DTrace does to an expression while it reads the text, before any clause is checked:
// it folds integer constants as it builds the tree (so `1 + 2`, `sizeof (int)`, an enumerator
// or an integer inline are single constants, and `c ? a : b` with a constant `c` keeps only
// the branch taken), and it rejects division by a constant 0, calls of things that are not
// functions, `sizeof` of an incomplete type and bad `offsetof` operands. Those errors come
// before any type error of the program, in the order the parser builds the nodes.
import type * as A from '../parse/ast';
import * as variablesModule from './builtins/variables';
import * as functionsModule from './builtins/functions';
import { type BuiltinFunction } from './builtins/functions';
import type { Compilation } from './compilation';
import { DEFAULT_FLAVOUR } from './flavour/flavours';
import type { NodeFacts } from './nodeMemo';
import * as literalsModule from './literals';
import * as declarationsModule from './types/declarations';
import * as cookedModule from './cooked';
import * as ctypeModule from './types/ctype';
import { type CType } from './types/ctype';
// Imported names bound once, here: the loader the sources run under (tsx, for the tests and
// the benchmarks) turns each use of an imported name into getter calls, and these are used for
// every clause, statement or expression. Only functions, and constants of modules that do not
// lead back to this one, are bound: they are defined before this module's body runs.
const { BUILTIN_ARRAYS, BUILTIN_VARIABLES } = variablesModule;
const { FUNCTIONS_BY_NAME } = functionsModule;
const { charLiteral, integerLiteral, stringLiteral } = literalsModule;
const { resolveTypeName } = declarationsModule;
const { isLeafExpression } = cookedModule;
const { T, constantOf, promoteIntegers, resolve, sizeOf } = ctypeModule;

/** A constant as DTrace keeps it: 64 bits, unsigned, with the type it was given. */
export interface Folded {
  value: bigint;
  type: CType;
}

const BUILTIN_NAMES = new Set(BUILTIN_VARIABLES.map((v) => v.name));

const strip = (e: A.Expr): A.Expr => (e.k === 'paren' ? strip(e.arg) : e);

/** The line DTrace reports for a node: the parser builds it once it has read all of it. */
export function lineOf(span: A.Span): number {
  return span.end.row + 1;
}

function fail(c: Compilation, tag: string, e: A.Expr, message: string): never {
  c.error(tag, e.span, message, undefined, lineOf(e.span));
}

const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);

function isSigned(t: CType): boolean {
  const r = resolve(t);
  return r.kind === 'enum' || (r.kind === 'int' && r.signed);
}

function byteSize(t: CType): number {
  const r = resolve(t);
  return r.kind === 'int' ? r.size : r.kind === 'enum' ? 4 : 8;
}

/**
 * DTrace's integer cast of a constant: truncate to the target, or extend by the source's sign;
 * then the value is what the cast leaves in a 64-bit register at run time (the code generator's
 * shift pair: sign-extended for a signed target, zero-extended otherwise), so that folding and
 * running agree: `(unsigned)-1 >> 28` is 15 either way.
 */
function castConstant(value: bigint, from: CType, to: CType): bigint {
  const dst = byteSize(to);
  const converted = convertConstant(value, from, to);
  if (dst >= 8) return converted;
  const bits = BigInt(dst * 8);
  return isSigned(to) ? u64(BigInt.asIntN(Number(bits), converted)) : BigInt.asUintN(Number(bits), converted);
}

function convertConstant(value: bigint, from: CType, to: CType): bigint {
  const src = byteSize(from);
  const dst = byteSize(to);
  if (dst < src) {
    const n = BigInt((8 - dst) * 8);
    return u64(value << n) >> n;
  }
  if (dst > src) {
    const n = BigInt((8 - src) * 8);
    const s = BigInt((dst - src) * 8);
    const shifted = u64(value << n);
    if (isSigned(from)) return u64(BigInt.asIntN(64, shifted) >> s) >> (n - s);
    return shifted >> n;
  }
  return value;
}

/** The size DTrace gives a type for `sizeof`: 0 when unknown (void, functions, incomplete). */
export function dtraceSize(c: Compilation, t: CType): number {
  const r = resolve(t);
  if (r.kind === 'void' || r.kind === 'function') return 0;
  // The real kernel's CTF has the layout of a kernel structure our library leaves undefined: the
  // size is unknowable here, so sizeof gives a word, as it does for an opaque kernel typedef.
  if ((r.kind === 'struct' || r.kind === 'union') && r.members === undefined && c.types.isKernelTag(r.tag)) return 8;
  return sizeOf(t, c.settings.strsize) ?? 0;
}

const sizeT = (c: Compilation): CType => c.types.typedefs.get('size_t') ?? T.ulong;

/**
 * The value of `e` if DTrace's parser folds it into an integer constant, else undefined. Never
 * raises an error for a well-formed expression (type names are resolved as the parser would).
 */
export function foldConstant(c: Compilation, e: A.Expr, facts?: NodeFacts): Folded | undefined {
  // Variables, calls, subscripts, members, assignments... never fold: nothing to remember.
  if (!FOLDABLE.has(e.k)) return undefined;
  facts ??= c.factsFor(e);
  if (facts.folded !== undefined) return facts.folded ?? undefined;
  const r = fold(c, e);
  facts.folded = r ?? null;
  return r;
}

/** integerLiteral's values by text (it depends on nothing else): programs repeat their constants. */
const integerValues = new Map<string, Folded | null>();

function integerValue(text: string): Folded | undefined {
  let value = integerValues.get(text);
  if (value === undefined) {
    const r = integerLiteral(text);
    value = r.ok ? r.value : null;
    if (integerValues.size >= 4096) integerValues.clear();
    integerValues.set(text, value);
  }
  return value ?? undefined;
}

/** The expressions `fold` may fold. */
const FOLDABLE: ReadonlySet<A.Expr['k']> = new Set(['paren', 'int', 'char', 'ident', 'macro', 'unary', 'binary', 'cast', 'cond', 'sizeofType', 'sizeofExpr', 'offsetof']);

function fold(c: Compilation, e: A.Expr): Folded | undefined {
  switch (e.k) {
    case 'paren':
      return foldConstant(c, e.arg);
    case 'int':
      return integerValue(e.text);
    case 'char': {
      const r = charLiteral(e.text);
      return r.ok ? r.value : undefined;
    }
    case 'ident':
      return foldIdentifier(c, e.name, e.span);
    case 'macro': {
      const m = c.macros?.resolve(e.name);
      if (!m) return undefined;
      if (m.kind === 'ident') return foldIdentifier(c, m.text, e.span);
      if (m.kind !== 'int') return undefined;
      const r = integerLiteral(m.text.replace(/^[+-]/, ''));
      if (!r.ok) return undefined;
      return m.text.startsWith('-') ? negate(r.value) : r.value;
    }
    case 'unary': {
      if (e.op === '*' || e.op === '&') return undefined;
      const x = foldConstant(c, e.arg);
      if (!x) return undefined;
      if (e.op === '-') return negate(x);
      if (e.op === '~') return { value: u64(~x.value), type: x.type };
      if (e.op === '!') return { value: x.value === 0n ? 1n : 0n, type: x.type };
      return x;
    }
    case 'binary':
      return foldBinary(c, e);
    case 'cast': {
      const x = foldConstant(c, e.arg);
      if (!x) return undefined;
      const to = resolveTypeName(c, e.type);
      const r = resolve(to);
      if (r.kind !== 'int' && r.kind !== 'enum') return undefined;
      return { value: castConstant(x.value, x.type, to), type: to };
    }
    case 'cond': {
      const test = foldConstant(c, e.test);
      if (!test) return undefined;
      return foldConstant(c, test.value !== 0n ? e.then : e.else);
    }
    case 'sizeofType': {
      const size = dtraceSize(c, resolveTypeName(c, e.type));
      return size === 0 ? undefined : { value: BigInt(size), type: sizeT(c) };
    }
    case 'sizeofExpr': {
      const named = typeOperand(c, e);
      if (named) {
        const size = dtraceSize(c, named);
        return size === 0 ? undefined : { value: BigInt(size), type: sizeT(c) };
      }
      const arg = strip(e.arg);
      if (arg.k !== 'string') return undefined;
      return { value: BigInt(stringLiteral(arg.text).length + 1), type: sizeT(c) };
    }
    case 'offsetof': {
      const t = resolve(resolveTypeName(c, e.type));
      if ((t.kind !== 'struct' && t.kind !== 'union') || !t.members) return undefined;
      const m = t.members.find((x) => x.name === e.member);
      return m ? { value: BigInt(m.offset), type: T.int } : undefined;
    }
    default:
      return undefined;
  }
}

function negate(x: Folded): Folded {
  let value = u64(-x.value);
  if (!isSigned(x.type)) value &= (1n << BigInt(byteSize(x.type) * 8)) - 1n;
  return { value, type: x.type };
}

/**
 * Whether a definition had been read when the parser reached `at`: DTrace reads the text once,
 * so a name defined further down is still unknown there. Libraries are read before the script.
 */
export function definedBefore(c: Compilation, definition: A.Span | undefined, file: string | undefined, at: A.Span): boolean {
  if (!definition || file !== c.file) return true;
  return definition.endIndex <= at.startIndex;
}

/**
 * `sizeof (name)` where the name is a type and not an identifier: DTrace's lexer reads a name
 * that is no variable but a typedef as a type name.
 */
export function typeOperand(c: Compilation, e: A.SizeofExpr): CType | undefined {
  const arg = strip(e.arg);
  if (arg.k !== 'ident' || identifierKind(c, arg.name, arg.span) !== undefined || FUNCTIONS_BY_NAME.has(arg.name)) return undefined;
  const t = c.types.typedefs.get(arg.name);
  if (!t || c.globals.get(arg.name) || c.threadLocals.get(arg.name)) return undefined;
  return t;
}

/** An enumerator or an inline whose value is an integer constant, known at this point, is that constant. */
function foldIdentifier(c: Compilation, name: string, at: A.Span): Folded | undefined {
  const inline = c.inlines.get(name);
  if (inline) {
    if (!definedBefore(c, inline.definition, inline.definitionFile, at)) return undefined;
    if (inline.constant === undefined || inline.keys) return undefined;
    // The constant keeps the type of the inline's value, not of its declaration.
    return foldConstant(c, inline.value) ?? { value: u64(inline.constant), type: inline.type };
  }
  const en = c.enumerators.get(name);
  if (en && definedBefore(c, en.definition, en.definitionFile, at)) return { value: u64(en.value), type: en.type };
  return undefined;
}

function foldBinary(c: Compilation, e: A.Binary): Folded | undefined {
  const l = foldConstant(c, e.left);
  if (!l) return undefined;
  const r = foldConstant(c, e.right);
  if (!r) return undefined;
  const a = l.value;
  const b = r.value;
  switch (e.op) {
    case '||':
      return truth(a !== 0n || b !== 0n);
    case '^^':
      return truth((a !== 0n) !== (b !== 0n));
    case '&&':
      return truth(a !== 0n && b !== 0n);
    case '|':
      return { value: a | b, type: promoteIntegers(l.type, r.type) };
    case '^':
      return { value: a ^ b, type: promoteIntegers(l.type, r.type) };
    case '&':
      return { value: a & b, type: promoteIntegers(l.type, r.type) };
    case '==':
      return truth(a === b);
    case '!=':
      return truth(a !== b);
    case '<':
    case '<=':
    case '>':
    case '>=':
      return truth(isSigned(promoteIntegers(l.type, r.type)) ? compare(e.op, BigInt.asIntN(64, a), BigInt.asIntN(64, b)) : compare(e.op, a, b));
    case '<<':
      return { value: b >= 64n ? 0n : u64(a << b), type: l.type };
    case '>>':
      // DTrace shifts its unsigned 64-bit copy of the value, whatever the type's sign.
      return { value: b >= 64n ? 0n : a >> b, type: l.type };
    case '+':
      return { value: u64(a + b), type: promoteIntegers(l.type, r.type) };
    case '-':
      return { value: u64(a - b), type: promoteIntegers(l.type, r.type) };
    case '*':
      return { value: u64(a * b), type: promoteIntegers(l.type, r.type) };
    case '/':
    case '%': {
      if (b === 0n) return undefined;
      const t = promoteIntegers(l.type, r.type);
      const [x, y] = isSigned(t) ? [BigInt.asIntN(64, a), BigInt.asIntN(64, b)] : [a, b];
      return { value: u64(e.op === '/' ? x / y : x % y), type: t };
    }
    default:
      return undefined;
  }
}

/** A comparison's or a logical operator's result: the int 1 or 0. */
function truth(v: boolean): Folded {
  return { value: v ? 1n : 0n, type: T.int };
}

function compare(op: '<' | '<=' | '>' | '>=', x: bigint, y: bigint): boolean {
  return op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y;
}

/** A folded constant as the rest of the front end shows it (signed for a signed type). */
export function constantValue(f: Folded): bigint {
  return constantOf(f.value, f.type);
}

// ---- errors found while reading ----

/**
 * Raises the first error DTrace's parser would find in `e`, in the order it builds the nodes
 * (children first, left to right). Checking the same expression again is free.
 */
export function checkParseTime(c: Compilation, e: A.Expr): void {
  // A name or a literal has nothing to check (and nothing worth remembering).
  if (isLeafExpression(e)) return;
  const facts = c.factsFor(e);
  if (facts.parseChecked) return;
  visit(c, e);
  facts.parseChecked = true;
}

function visit(c: Compilation, e: A.Expr): void {
  switch (e.k) {
    case 'paren':
    case 'unary':
    case 'update':
    case 'stringof':
      checkParseTime(c, e.arg);
      return;
    case 'sizeofExpr': {
      const named = typeOperand(c, e);
      if (named && dtraceSize(c, named) === 0) fail(c, 'D_SIZEOF_TYPE', e, 'cannot apply sizeof to an operand of unknown size');
      if (!named) checkParseTime(c, e.arg);
      return;
    }
    case 'binary':
      checkParseTime(c, e.left);
      checkParseTime(c, e.right);
      if ((e.op === '/' || e.op === '%') && isZero(c, e.right)) fail(c, 'D_DIV_ZERO', e, 'expression contains division by zero');
      return;
    case 'assign':
      checkParseTime(c, e.left);
      checkParseTime(c, e.right);
      if ((e.op === '/=' || e.op === '%=') && isZero(c, e.right)) fail(c, 'D_DIV_ZERO', e, 'expression contains division by zero');
      return;
    case 'comma':
      checkParseTime(c, e.left);
      checkParseTime(c, e.right);
      return;
    case 'cond':
      checkParseTime(c, e.test);
      checkParseTime(c, e.then);
      checkParseTime(c, e.else);
      return;
    case 'call':
      checkParseTime(c, e.fn);
      for (const a of e.args) checkParseTime(c, a);
      functionDesignator(c, e);
      return;
    case 'index':
      checkParseTime(c, e.base);
      for (const i of e.indices) checkParseTime(c, i);
      return;
    case 'member':
      checkParseTime(c, e.base);
      return;
    case 'cast':
    case 'xlate':
      resolveTypeName(c, e.type);
      checkParseTime(c, e.arg);
      return;
    case 'sizeofType':
      if (dtraceSize(c, resolveTypeName(c, e.type)) === 0) fail(c, 'D_SIZEOF_TYPE', e, 'cannot apply sizeof to an operand of unknown size');
      return;
    case 'offsetof':
      checkOffsetof(c, e);
      return;
    default:
      return;
  }
}

function isZero(c: Compilation, e: A.Expr): boolean {
  return foldConstant(c, e)?.value === 0n;
}

function checkOffsetof(c: Compilation, e: A.Offsetof): void {
  const t = resolve(resolveTypeName(c, e.type));
  if ((t.kind !== 'struct' && t.kind !== 'union') || !t.members)
    fail(c, 'D_OFFSETOF_TYPE', e, 'offsetof operand must be a struct or union type');
  const m = t.members.find((x) => x.name === e.member);
  if (!m) fail(c, 'D_UNKNOWN', e, `failed to determine offset of ${e.member}: Member name not found`);
  if (isBitField(m.bits)) fail(c, 'D_OFFSETOF_BITFIELD', e, `cannot take offset of a bit-field: ${e.member}`);
}

/**
 * A member is a bit-field for DTrace when its width is not a whole power-of-two number of
 * bytes (`int x : 8` is a plain char-sized integer).
 */
export function isBitField(bits: number | undefined): boolean {
  if (bits === undefined) return false;
  const bytes = bits / 8;
  return !(bytes === 1 || bytes === 2 || bytes === 4 || bytes === 8);
}

/**
 * What a name denotes while the parser reads it: only what was declared above it; D variables
 * created by assignment do not exist yet.
 */
function identifierKind(c: Compilation, name: string, at: A.Span): string | undefined {
  const inline = c.inlines.get(name);
  if (inline && definedBefore(c, inline.definition, inline.definitionFile, at)) return inline.keys ? 'associative array' : 'scalar';
  if (BUILTIN_NAMES.has(name)) return 'scalar';
  if (BUILTIN_ARRAYS.has(name)) return 'associative array';
  const en = c.enumerators.get(name);
  if (en && definedBefore(c, en.definition, en.definitionFile, at)) return 'enumerator';
  const v = c.globals.get(name);
  if (v && v.declared && definedBefore(c, v.definition, v.definitionFile, at)) return v.shape === 'assoc' ? 'associative array' : 'scalar';
  return undefined;
}

/**
 * The built-in function a call names, or DTrace's error: the designator must be a plain name
 * (not a constant, member, subscript or call), known, and a function.
 */
export function functionDesignator(c: Compilation, e: A.Call): BuiltinFunction {
  const fn = strip(e.fn);
  let name: string | undefined;
  if (fn.k === 'ident' || fn.k === 'agg') name = fn.name;
  else if (fn.k === 'macro') {
    const m = c.macros?.resolve(fn.name);
    if (m && m.kind === 'ident') name = m.text;
  }
  if (name === undefined || foldConstant(c, fn) !== undefined) fail(c, 'D_FUNC_IDENT', e, 'function designator is not of function type');
  const f = FUNCTIONS_BY_NAME.get(name);
  if (f && (f.only === undefined || f.only.includes(c.settings.flavour ?? DEFAULT_FLAVOUR))) return f;
  const kind = identifierKind(c, name, fn.span);
  if (kind === undefined) fail(c, 'D_FUNC_UNDEF', e, `undefined function name: ${name}`);
  fail(c, 'D_FUNC_IDKIND', e, `${kind} '${name}' may not be referenced as a function`);
}
