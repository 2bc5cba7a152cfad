// Checking an argument list against a signature, as DTrace does for built-in functions
// (`printf( )`), associative arrays (`a[ ]`) and aggregations (`@a[ ]`): count first, then each
// typed parameter in order; `@` accepts any type, `[T]` is optional, `...` takes the rest. And
// the compatibility rules those checks, assignments and `?:` share.
import type * as A from '../parse/ast';
import type { BuiltinFunction } from './builtins/functions';
import type { Compilation } from './compilation';
import * as printfModule from './printf';
import * as ctypeModule from './types/ctype';
import { type CType } from './types/ctype';
// Imported names bound once, here: the loader the sources run under (tsx, for the tests and
// the benchmarks) turns each use of an imported name into getter calls, and these are used for
// every clause, statement or expression. Only functions, and constants of modules that do not
// lead back to this one, are bound: they are defined before this module's body runs.
const { STACK_TYPE, SYMADDR_TYPE, USYMADDR_TYPE } = printfModule;
const { T, ctfCompatible, dtIsInteger, dtIsStrcompat, isUnknown, resolve, typeName } = ctypeModule;

export interface Signature {
  /** undefined = `@` (any type). */
  params: (CType | undefined)[];
  /** Index of `...`, or -1. */
  varargs: number;
  /** Index of the first optional parameter, or -1. */
  optargs: number;
  /** How messages name each parameter's type, when it differs from its type's name (`const char *`). */
  names?: (string | undefined)[];
}

export interface ParsedPrototype extends Signature {
  /** 'stack' and '_symaddr'/'_usymaddr' are DTrace's special action returns. */
  ret: CType | 'stack' | 'symaddr' | 'usymaddr';
}

/**
 * What the compatibility rules need to know of an expression besides its type: whether it is
 * the integer constant 0 (which converts to any pointer), a userland address, or of a dynamic
 * type (an aggregation, translated data), which is compatible with nothing.
 */
export interface Operand {
  type: CType;
  /** Set only for an integer constant (DTrace's INT node). */
  constant?: bigint | undefined;
  userPointer?: boolean | undefined;
  dynamic?: boolean | undefined;
}

const protoCache = new WeakMap<Compilation, Map<string, ParsedPrototype>>();

export function parsePrototype(c: Compilation, proto: string): ParsedPrototype {
  let cache = protoCache.get(c);
  if (!cache) protoCache.set(c, (cache = new Map()));
  const hit = cache.get(proto);
  if (hit) return hit;
  const open = proto.indexOf('(');
  const retText = proto.slice(0, open).trim();
  const inner = proto.slice(open + 1, proto.lastIndexOf(')')).trim();
  const parts = inner === '' ? [] : inner.split(',').map((p) => p.trim());
  const sig: ParsedPrototype = {
    ret: retText === 'stack' ? 'stack' : retText === '_symaddr' ? 'symaddr' : retText === '_usymaddr' ? 'usymaddr' : c.types.parse(retText),
    params: [],
    varargs: -1,
    optargs: -1,
    names: [],
  };
  parts.forEach((p, i) => {
    if (p === '@' || p === '...') {
      sig.params.push(undefined);
      sig.names!.push(undefined);
      if (p === '...') sig.varargs = i;
      return;
    }
    if (p.startsWith('[')) {
      if (sig.optargs === -1) sig.optargs = i;
      p = p.slice(1, -1);
    }
    sig.params.push(c.types.parse(p));
    // The type model has no qualifiers; DTrace's messages keep them (`const char *`).
    sig.names!.push(/\bconst\b/.test(p) ? p : undefined);
  });
  cache.set(proto, sig);
  return sig;
}

/** The type a built-in's prototype returns: its own type for stacks and symbol addresses. */
export function returnType(sig: ParsedPrototype): CType {
  switch (sig.ret) {
    case 'stack':
      return STACK_TYPE;
    case 'symaddr':
      return SYMADDR_TYPE;
    case 'usymaddr':
      return USYMADDR_TYPE;
    default:
      return sig.ret;
  }
}

/** The referenced type of a pointer or array (a string is an array of char). */
function referenced(t: CType): CType | undefined {
  const r = resolve(t);
  if (r.kind === 'pointer') return r.to;
  if (r.kind === 'array') return r.of;
  if (r.kind === 'string') return T.char;
  return undefined;
}

/**
 * Pointer compatibility (K&R A7.9-10, relaxed for void pointers): two pointers (or arrays) to
 * compatible types, or to void on either side, or a pointer and the integer constant 0, both
 * kernel or both userland. Returns the more specific of the two types, or undefined.
 */
export function pointerCompatible(l: Operand, r: Operand): CType | undefined {
  if (l.dynamic || r.dynamic) return undefined;
  const lInt = dtIsInteger(l.type);
  const rInt = dtIsInteger(r.type);
  if (lInt && rInt) return undefined;
  if (lInt && l.constant !== 0n) return undefined;
  if (rInt && r.constant !== 0n) return undefined;
  if (!lInt && !rInt && !!l.userPointer !== !!r.userPointer) return undefined;
  const lbase = lInt ? r.type : l.type;
  const rbase = rInt ? l.type : r.type;
  const lref = referenced(lbase);
  const rref = referenced(rbase);
  if (lref === undefined || rref === undefined) return undefined;
  const lVoid = resolve(lref).kind === 'void';
  const rVoid = resolve(rref).kind === 'void';
  if (!lVoid && !rVoid && !ctfCompatible(lref, rref)) return undefined;
  return rVoid ? lbase : rbase;
}

/**
 * Argument (and assignment) compatibility, K&R A7.3.2 and A7.17 as DTrace applies them:
 * integers with integers, strings with char pointers and arrays, stacks with stacks,
 * structs, unions and functions by CTF compatibility, anything else as pointers.
 */
export function operandsCompatible(l: Operand, r: Operand): boolean {
  if (isUnknown(l.type) || isUnknown(r.type)) return true;
  if (l.dynamic || r.dynamic) return false;
  if (dtIsInteger(l.type) && dtIsInteger(r.type)) return true;
  if (dtIsStrcompat(l.type) && dtIsStrcompat(r.type)) return true;
  for (const special of [STACK_TYPE, SYMADDR_TYPE, USYMADDR_TYPE]) if (l.type === special && r.type === special) return true;
  switch (resolve(l.type).kind) {
    case 'function':
    case 'struct':
    case 'union':
      return ctfCompatible(l.type, r.type);
    default:
      return pointerCompatible(l, r) !== undefined;
  }
}

/** DTrace's argument compatibility of a value of type `arg` (the constant 0 when `constant` is 0n). */
export function argCompatible(proto: CType, arg: CType, constant: bigint | undefined): boolean {
  return operandsCompatible({ type: proto }, { type: arg, constant });
}

/** A type as DTrace names it in messages: userland addresses say so. */
export function operandTypeName(x: Operand & { typeName?: string }): string {
  if (x.typeName !== undefined) return x.typeName;
  return `${x.userPointer ? 'userland ' : ''}${typeName(x.type)}`;
}

/**
 * `nameOf` names an argument's type in messages (only made when one is reported): by default
 * its `typeName`, else its type's name.
 */
export function checkSignature<T extends Operand & { typeName?: string }>(
  c: Compilation,
  sig: Signature,
  display: { prefix: string; name: string; suffix: string; key: boolean },
  args: readonly T[],
  span: A.Span,
  line?: number,
  nameOf: (a: T) => string = operandTypeName,
): void {
  const argc = args.length;
  let mismatch: boolean;
  let arglimit: number;
  if (sig.varargs >= 0) {
    mismatch = argc < sig.varargs;
    arglimit = sig.varargs;
  } else if (sig.optargs >= 0) {
    mismatch = argc < sig.optargs || argc > sig.params.length;
    arglimit = argc;
  } else {
    mismatch = argc !== sig.params.length;
    arglimit = sig.params.length;
  }
  const word = display.key ? 'key' : 'arg';
  const head = `${display.prefix}${display.name}${display.suffix}`;
  if (mismatch)
    c.error(
      'D_PROTO_LEN',
      span,
      `${head} prototype mismatch: ${argc} ${word}${argc === 1 ? ' ' : 's '}passed, ${sig.optargs >= 0 ? 'at least ' : ''}${sig.optargs >= 0 ? sig.optargs : arglimit} expected`,
      undefined,
      line,
    );
  for (let i = 0; i < arglimit && i < args.length; i++) {
    const p = sig.params[i];
    if (p === undefined) continue;
    const a = args[i]!;
    if (!operandsCompatible({ type: p }, a)) {
      const kind = display.key ? 'key' : 'argument';
      c.error(
        'D_PROTO_ARG',
        span,
        `${head} ${kind} #${i + 1} is incompatible with prototype:\n\tprototype: ${sig.names?.[i] ?? typeName(p)}\n\t${kind.padStart(9)}: ${nameOf(a)}`,
        undefined,
        line,
      );
    }
  }
}

/**
 * A call of a built-in function inside an expression, its arguments already cooked: the
 * prototype check, then its result type. Aggregating functions have no value (their result
 * is dynamic); actions return what their prototype says (void, a stack, a symbol address).
 */
export function checkBuiltinCall<T extends Operand & { typeName?: string }>(
  c: Compilation,
  f: BuiltinFunction,
  args: readonly T[],
  span: A.Span,
  line?: number,
  nameOf: (a: T) => string = operandTypeName,
): CType | undefined {
  const sig = parsePrototype(c, f.prototype);
  checkSignature(c, sig, { prefix: '', name: f.name, suffix: '( )', key: false }, args, span, line, nameOf);
  // Destructive subroutines compile; the kernel refuses them when the program is enabled. The
  // record lets the command line (and the editor) say so.
  if (f.kind === 'subroutine' && f.destructive && !c.settings.destructive) c.record('error', 'DTVM_DESTRUCTIVE', span, 'Destructive actions not allowed');
  return f.kind === 'aggregating' ? undefined : returnType(sig);
}
