// What a printf argument is, as the format checks see it, and the tests DTrace applies to it.
// The special D types `stack`, `_symaddr` and `_usymaddr` are typedefs of void in DTrace's D
// container, told apart by identity; here by their typedef name.
import { T, resolve, sizeOf, typeName, typedef, type CType, type TypedefType, isUnknown } from '../types/ctype';
import type { ArgumentKind, ConversionSpec } from './conversions';

export interface PrintfArgument {
  readonly type: CType;
  /** The argument is an aggregation (`@a`): it fits no conversion and is named "aggregation". */
  readonly isAggregation?: boolean;
  /**
   * The expression is known to live in user space; its type is then named "userland <type>".
   * Defaults to the `userland` mark of a pointer type.
   */
  readonly userland?: boolean;
  /** How DTrace names a value of no C type (translated data, an associative array ...). */
  readonly typeName?: string;
}

/** The type of stack(), ustack() and jstack() results. */
export const STACK_TYPE: TypedefType = typedef('stack', T.void);
/** The type of sym(), func() and mod() results. */
export const SYMADDR_TYPE: TypedefType = typedef('_symaddr', T.void);
/** The type of usym(), ufunc(), umod() and uaddr() results. */
export const USYMADDR_TYPE: TypedefType = typedef('_usymaddr', T.void);

/** int64_t (every aggregating function but count()) and uint64_t (count()), as `%@` sees them. */
export const AGGREGATION_VALUE_TYPE: TypedefType = typedef('int64_t', T.long);
export const COUNT_VALUE_TYPE: TypedefType = typedef('uint64_t', T.ulong);

/** sizeof (wchar_t) on every DTrace target. */
const WCHAR_SIZE = 4;

const isIntrinsic = (t: CType, name: string): boolean => t.kind === 'typedef' && t.name === name && resolve(t).kind === 'void';

/** The argument's type as DTrace names it in messages. */
export function argumentTypeName(arg: PrintfArgument): string {
  if (arg.isAggregation) return 'aggregation';
  if (arg.typeName !== undefined) return arg.typeName;
  const r = resolve(arg.type);
  const userland = arg.userland ?? (r.kind === 'pointer' && r.userland === true);
  return (userland ? 'userland ' : '') + typeName(arg.type);
}

/** An integer or enum (never void, string or an intrinsic typedef of void). */
export function isIntegerArgument(arg: PrintfArgument): boolean {
  if (arg.isAggregation) return false;
  const k = resolve(arg.type).kind;
  return k === 'int' || k === 'enum';
}

function isPointerArgument(t: CType): boolean {
  const k = resolve(t).kind;
  return k === 'pointer' || k === 'array';
}

function resolvedIntName(t: CType): string | undefined {
  const r = resolve(t);
  return r.kind === 'int' ? r.name : undefined;
}

function isArrayOfIntegers(t: CType, size: number): boolean {
  const r = resolve(t);
  if (r.kind !== 'array') return false;
  const e = resolve(r.of);
  return e.kind === 'int' && e.size === size;
}

function declaredAs64BitTypedef(t: CType): boolean {
  for (let u = t; u.kind === 'typedef'; u = u.target) {
    if (u.name === 'int64_t' || u.name === 'uint64_t') return true;
  }
  return false;
}

/**
 * DTrace compares these types as CTF does (ctf_type_compat): integers by their encoding, that
 * is width, signedness and the char/bool flags, so `%llu` takes an `unsigned long` (`uint64_t`)
 * and `%lu` refuses an `unsigned int`.
 */
function exactMatch(t: CType, wanted: string): boolean {
  const r = resolve(t);
  if (r.kind === 'float') return r.name === wanted;
  if (r.kind !== 'int') return false;
  const w = intEncoding(wanted);
  return w !== undefined && w.bits === r.size * 8 && w.signed === r.signed && w.flag === intFlag(r.name);
}

function intFlag(name: string): string {
  return /char$/.test(name) ? 'char' : name === '_Bool' ? 'bool' : '';
}

function intEncoding(name: string): { bits: number; signed: boolean; flag: string } | undefined {
  const unsigned = name.startsWith('unsigned');
  const base = name.replace(/^(un)?signed\s*/, '') || 'int';
  const bits: Record<string, number> = { char: 8, short: 16, int: 32, long: 64, 'long long': 64, _Bool: 8 };
  const b = bits[base];
  if (b === undefined) return undefined;
  return { bits: b, signed: !unsigned && base !== '_Bool', flag: intFlag(base) };
}

export interface AcceptOptions {
  /** A target process exists (-p/-c), so %A also takes plain addresses. */
  readonly hasTarget?: boolean;
}

/** Whether a conversion accepts the argument, by DTrace's check for its kind. */
export function acceptsArgument(spec: ConversionSpec, arg: PrintfArgument, options: AcceptOptions = {}): boolean {
  if (arg.isAggregation || arg.typeName !== undefined) return false;
  const t = arg.type;
  if (isUnknown(t)) return true;
  const kind: ArgumentKind = spec.accepts;
  switch (kind) {
    case 'integer':
      return isIntegerArgument(arg);
    case 'small-integer':
      return isIntegerArgument(arg) && (sizeOf(t) ?? 0) <= 4;
    case 'floating':
      return resolve(t).kind === 'float';
    case 'exact':
      return exactMatch(t, spec.exactType!);
    case 'any-short': {
      const n = resolvedIntName(t);
      return n === 'short' || n === 'signed short' || n === 'unsigned short';
    }
    case 'any-long': {
      const n = resolvedIntName(t);
      return n === 'long' || n === 'signed long' || n === 'unsigned long';
    }
    case 'any-long-long': {
      const n = resolvedIntName(t);
      return n === 'long long' || n === 'signed long long' || n === 'unsigned long long' || declaredAs64BitTypedef(t);
    }
    case 'pointer-or-integer':
      return isPointerArgument(t) || isIntegerArgument(arg);
    case 'kernel-address':
      return isPointerArgument(t) || isIntegerArgument(arg) || isIntrinsic(t, '_symaddr');
    case 'user-address':
      if (isIntrinsic(t, '_usymaddr')) return true;
      return options.hasTarget === true && (isPointerArgument(t) || isIntegerArgument(arg));
    case 'string':
      return resolve(t).kind === 'string' || isArrayOfIntegers(t, 1);
    case 'wide-string':
      return isArrayOfIntegers(t, WCHAR_SIZE);
    case 'stack':
      return isIntrinsic(t, 'stack');
    case 'time':
      return isIntegerArgument(arg) && sizeOf(t) === 8;
    case 'none':
      return false;
  }
}
