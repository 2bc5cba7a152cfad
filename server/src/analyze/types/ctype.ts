// The D type model of an LP64 target. Types are plain immutable objects; typedefs stay wrapped
// so that messages can name a type the way the user wrote it ("int64_t", "psinfo_t *"), while
// `resolve` gives the underlying type for every semantic decision.

export type CType =
  | VoidType
  | IntType
  | FloatType
  | StringType
  | PointerType
  | ArrayType
  | StructType
  | EnumType
  | FunctionType
  | TypedefType;

export interface VoidType {
  readonly kind: 'void';
}

export interface IntType {
  readonly kind: 'int';
  /** The C spelling: `char`, `unsigned short`, `long long`, `_Bool` ... */
  readonly name: string;
  readonly size: 1 | 2 | 4 | 8;
  readonly signed: boolean;
  /** Integer conversion rank (C 6.3.1.1): _Bool 0, char 1, short 2, int 3, long 4, long long 5. */
  readonly rank: number;
}

export interface FloatType {
  readonly kind: 'float';
  readonly name: 'float' | 'double' | 'long double';
  readonly size: number;
}

/** D's `string`: a by-value char array of `strsize` bytes. */
export interface StringType {
  readonly kind: 'string';
}

export interface PointerType {
  readonly kind: 'pointer';
  readonly to: CType;
  /** Declared with the `userland` qualifier or known to point into user space. */
  readonly userland?: boolean;
  readonly constTarget?: boolean;
}

export interface ArrayType {
  readonly kind: 'array';
  readonly of: CType;
  /** Element count; undefined for `[]`. */
  readonly length: number | undefined;
}

export interface Member {
  readonly name: string;
  readonly type: CType;
  /** Byte offset within the struct (0 for every union member). */
  readonly offset: number;
  /** Bit-field width, when the member is a bit-field. */
  readonly bits?: number;
}

export interface StructType {
  readonly kind: 'struct' | 'union';
  /** Tag name, or undefined for an anonymous struct. */
  readonly tag: string | undefined;
  /** Undefined while incomplete (forward declaration, or opaque kernel type). */
  members: Member[] | undefined;
  size: number;
  align: number;
}

export interface EnumType {
  readonly kind: 'enum';
  readonly tag: string | undefined;
  enumerators: Map<string, number> | undefined;
}

export interface FunctionType {
  readonly kind: 'function';
  readonly ret: CType;
  readonly params: readonly CType[];
  readonly varargs: boolean;
}

export interface TypedefType {
  readonly kind: 'typedef';
  readonly name: string;
  readonly target: CType;
}

function int(name: string, size: 1 | 2 | 4 | 8, signed: boolean, rank: number): IntType {
  return { kind: 'int', name, size, signed, rank };
}

/** The base types of the D compiler, by the names `dt_open.c` gives them on an LP64 target. */
export const T = {
  void: { kind: 'void' } as VoidType,
  bool: int('_Bool', 1, false, 0),
  char: int('char', 1, true, 1),
  schar: int('signed char', 1, true, 1),
  uchar: int('unsigned char', 1, false, 1),
  short: int('short', 2, true, 2),
  ushort: int('unsigned short', 2, false, 2),
  int: int('int', 4, true, 3),
  uint: int('unsigned int', 4, false, 3),
  long: int('long', 8, true, 4),
  ulong: int('unsigned long', 8, false, 4),
  llong: int('long long', 8, true, 5),
  ullong: int('unsigned long long', 8, false, 5),
  float: { kind: 'float', name: 'float', size: 4 } as FloatType,
  double: { kind: 'float', name: 'double', size: 8 } as FloatType,
  ldouble: { kind: 'float', name: 'long double', size: 16 } as FloatType,
  string: { kind: 'string' } as StringType,
} as const;

/**
 * A value of a type the front end cannot know (a kernel structure or symbol without type
 * information, the arguments of a probe the catalogue does not list): 64 bits that every
 * operation accepts, instead of failing a script that would compile against a real kernel.
 */
export const UNKNOWN: TypedefType = { kind: 'typedef', name: 'unknown (no kernel type information)', target: T.long };
export const isUnknown = (t: CType): boolean => {
  while (t.kind === 'typedef') {
    if (t === UNKNOWN) return true;
    t = t.target;
  }
  return false;
};

export function typedef(name: string, target: CType): TypedefType {
  return { kind: 'typedef', name, target };
}

export function pointer(to: CType, userland = false): PointerType {
  return userland ? { kind: 'pointer', to, userland } : { kind: 'pointer', to };
}

export function array(of: CType, length: number | undefined): ArrayType {
  return { kind: 'array', of, length };
}

/** Strips typedefs. */
export function resolve(t: CType): Exclude<CType, TypedefType> {
  while (t.kind === 'typedef') t = t.target;
  return t;
}

export const isInteger = (t: CType): boolean => {
  const r = resolve(t);
  return r.kind === 'int' || r.kind === 'enum';
};
export const isArithmetic = (t: CType): boolean => {
  const r = resolve(t);
  return r.kind === 'int' || r.kind === 'enum' || r.kind === 'float';
};
export const isPointer = (t: CType): boolean => resolve(t).kind === 'pointer';
/** Scalar in DTrace's sense: integers, pointers (and arrays, which decay), not strings or structs. */
export const isScalar = (t: CType): boolean => {
  const r = resolve(t);
  return r.kind === 'int' || r.kind === 'enum' || r.kind === 'pointer' || r.kind === 'float' || r.kind === 'array';
};
export const isString = (t: CType): boolean => resolve(t).kind === 'string';
export const isVoid = (t: CType): boolean => resolve(t).kind === 'void';
export const isStructOrUnion = (t: CType): boolean => {
  const k = resolve(t).kind;
  return k === 'struct' || k === 'union';
};
/** `char *`, `const char *` or `char[N]`: what D accepts where a string is expected. */
export function isCharPointerOrArray(t: CType): boolean {
  const r = resolve(t);
  if (r.kind !== 'pointer' && r.kind !== 'array') return false;
  const e = resolve(r.kind === 'pointer' ? r.to : r.of);
  return e.kind === 'int' && e.size === 1;
}
/** Anything a string-taking parameter accepts. */
export const isStringLike = (t: CType): boolean => isString(t) || isCharPointerOrArray(t);

export function sizeOf(t: CType, strsize = 256): number | undefined {
  const r = resolve(t);
  switch (r.kind) {
    case 'void':
      return 1;
    case 'int':
    case 'float':
      return r.size;
    case 'string':
      return strsize;
    case 'pointer':
      return 8;
    case 'array': {
      if (r.length === undefined) return undefined;
      const e = sizeOf(r.of, strsize);
      return e === undefined ? undefined : e * r.length;
    }
    case 'struct':
    case 'union':
      return r.members === undefined ? undefined : r.size;
    case 'enum':
      return 4;
    case 'function':
      return undefined;
  }
}

export function alignOf(t: CType): number {
  const r = resolve(t);
  switch (r.kind) {
    case 'int':
      return r.size;
    case 'float':
      return Math.min(r.size, 16);
    case 'pointer':
      return 8;
    case 'array':
      return alignOf(r.of);
    case 'struct':
    case 'union':
      return r.align;
    case 'enum':
      return 4;
    default:
      return 1;
  }
}

/**
 * A type's name as DTrace prints it in messages: `int`, `char *`, `string`, `struct foo`,
 * `int64_t`, `int [10]`, `int (*)(int)`.
 */
export function typeName(t: CType): string {
  return declarationText(t, '').trim();
}

function declarationText(t: CType, inner: string): string {
  switch (t.kind) {
    case 'void':
      return join('void', inner);
    case 'int':
    case 'float':
      return join(t.name, inner);
    case 'string':
      return join('string', inner);
    case 'typedef':
      return join(t.name, inner);
    case 'struct':
    case 'union':
      return join(`${t.kind} ${t.tag ?? '(anon)'}`, inner);
    case 'enum':
      return join(`enum ${t.tag ?? '(anon)'}`, inner);
    case 'pointer': {
      const to = t.to.kind === 'array' || t.to.kind === 'function' ? `(*${inner})` : `*${inner}`;
      return declarationText(t.to, to);
    }
    case 'array':
      return declarationText(t.of, `${inner === '' ? ' ' : inner}[${t.length ?? ''}]`);
    case 'function': {
      const params = t.params.map(typeName);
      if (t.varargs) params.push('...');
      return declarationText(t.ret, `${inner}(${params.length === 0 ? 'void' : params.join(', ')})`);
    }
  }
}

function join(base: string, inner: string): string {
  if (inner === '') return base;
  return inner.startsWith('[') || inner.startsWith(' [') ? `${base}${inner.startsWith(' ') ? inner : ' ' + inner}` : `${base} ${inner}`;
}

/** Two types are the same type (typedefs see-through, struct identity by object). */
export function sameType(a: CType, b: CType): boolean {
  const x = resolve(a);
  const y = resolve(b);
  if (x === y) return true;
  if (x.kind !== y.kind) return false;
  switch (x.kind) {
    case 'int': {
      const yi = y as IntType;
      return x.size === yi.size && x.signed === yi.signed && (x.rank === yi.rank || (x.size === 8 && yi.size === 8));
    }
    case 'float':
      return x.name === (y as FloatType).name;
    case 'void':
    case 'string':
      return true;
    case 'pointer':
      return sameType(x.to, (y as PointerType).to);
    case 'array':
      return x.length === (y as ArrayType).length && sameType(x.of, (y as ArrayType).of);
    case 'struct':
    case 'union':
    case 'enum':
      return x.tag !== undefined && x.tag === (y as StructType | EnumType).tag;
    case 'function': {
      const yf = y as FunctionType;
      return (
        x.varargs === yf.varargs &&
        x.params.length === yf.params.length &&
        sameType(x.ret, yf.ret) &&
        x.params.every((p, i) => sameType(p, yf.params[i]!))
      );
    }
  }
}

// ---- DTrace's own type predicates (dt_node_is_*), which differ from C's in places ----

/** An integer or enum (DTrace's dt_node_is_integer; void is not one). */
export const dtIsInteger = isInteger;

/** DTrace's arithmetic types: integers and enums (it has no floating-point arithmetic). */
export function dtIsArith(t: CType): boolean {
  const r = resolve(t);
  return r.kind === 'int' || r.kind === 'enum';
}

/** DTrace's scalars: integers, enums and pointers; not arrays, strings, structs or floats. */
export function dtIsScalar(t: CType): boolean {
  const r = resolve(t);
  return r.kind === 'int' || r.kind === 'enum' || r.kind === 'pointer';
}

/** Pointers and arrays; a D string is passed by reference but is not a pointer. */
export function dtIsPointer(t: CType): boolean {
  const r = resolve(t);
  return r.kind === 'pointer' || r.kind === 'array';
}

/** `char` or `signed char`: the element type D promotes to a string (unsigned char is not). */
function isPlainChar(t: CType): boolean {
  const r = resolve(t);
  return r.kind === 'int' && r.size === 1 && r.signed && r.rank === 1;
}

/** A string, or a pointer to or array of char: what D accepts where a string is expected. */
export function dtIsStrcompat(t: CType): boolean {
  const r = resolve(t);
  if (r.kind === 'string') return true;
  if (r.kind === 'pointer') return isPlainChar(r.to);
  if (r.kind === 'array') return isPlainChar(r.of);
  return false;
}

/** A pointer to void or to a function: it has no element size, so no pointer arithmetic. */
export function dtIsVfptr(t: CType): boolean {
  const r = resolve(t);
  if (r.kind !== 'pointer') return false;
  const to = resolve(r.to);
  return to.kind === 'void' || to.kind === 'function';
}

/** What `*x` or `x[i]` reads: a string is an array of char. */
export function elementOf(t: CType): CType | undefined {
  const r = resolve(t);
  if (r.kind === 'pointer') return r.to;
  if (r.kind === 'array') return r.of;
  if (r.kind === 'string') return T.char;
  return undefined;
}

/**
 * The name DTrace gives a type once typedefs are stripped, as its messages print it: a D
 * string is the array of `strsize` chars it stands for.
 */
export function resolvedTypeName(t: CType, strsize: number): string {
  const r = resolve(t);
  return r.kind === 'string' ? `char [${strsize}]` : typeName(r);
}

/**
 * Compatibility in the sense of CTF's type comparison: the same kind and name once typedefs
 * are stripped, then the same encoding, the same referenced type, the same element count, or
 * the same size. Unlike `sameType`, `long` and `long long` differ, and so do `uint64_t *`
 * and `unsigned long *`.
 */
export function ctfCompatible(a: CType, b: CType): boolean {
  if (a === b) return true;
  const x = resolve(a);
  const y = resolve(b);
  if (x === y) return true;
  if (x.kind !== y.kind || typeName(x) !== typeName(y)) return false;
  switch (x.kind) {
    case 'int':
    case 'float':
    case 'void':
    case 'string':
    case 'enum':
      return true;
    case 'pointer':
      return ctfCompatible(x.to, (y as PointerType).to);
    case 'array':
      return x.length === (y as ArrayType).length && ctfCompatible(x.of, (y as ArrayType).of);
    case 'struct':
    case 'union':
      return x.size === (y as StructType).size;
    case 'function':
      return false;
  }
}

/**
 * DTrace's "usual arithmetic conversions" of two integer operands: enums count as int; the
 * operand with more bits wins, unsigned over signed at equal width; between two different
 * types of equal width and signedness (long and long long) the higher C rank wins. The
 * winner keeps its typedef name (`uint64_t + int` is `uint64_t`). No promotion to int:
 * `char + char` is `char`.
 */
export function promoteIntegers(a: CType, b: CType): CType {
  const x = resolve(a);
  const y = resolve(b);
  const l = x.kind === 'enum' ? T.int : (x as IntType);
  const r = y.kind === 'enum' ? T.int : (y as IntType);
  const lt = x.kind === 'enum' ? T.int : a;
  const rt = y.kind === 'enum' ? T.int : b;
  const lrank = l.size * 8 + (l.signed ? 0 : 1);
  const rrank = r.size * 8 + (r.signed ? 0 : 1);
  if (lrank !== rrank) return lrank > rrank ? lt : rt;
  return r.rank > l.rank ? rt : lt;
}

/**
 * A 64-bit constant as the front end shows it: two's complement read as signed for a signed
 * type, unsigned otherwise (DTrace keeps every constant in a uint64_t).
 */
export function constantOf(value: bigint, t: CType): bigint {
  const r = resolve(t);
  const signed = r.kind === 'enum' || (r.kind === 'int' && r.signed);
  return signed ? BigInt.asIntN(64, value) : BigInt.asUintN(64, value);
}
