// Checking an argument list against a signature, as DTrace does for built-in functions
// (`printf( )`), associative arrays (`a[ ]`) and aggregations (`@a[ ]`): count first, then each
// typed parameter in order; `@` accepts any type, `[T]` is optional, `...` takes the rest.
import type * as A from '../parse/ast';
import type { BuiltinFunction } from './builtins/functions';
import type { Compilation, TypedInfo } from './compilation';
import { cook, assignable } from './expressions';
import { T, isInteger, isStringLike, isUnknown, pointer, resolve, typeName, type CType } from './types/ctype';

export interface Signature {
  /** undefined = `@` (any type). */
  params: (CType | undefined)[];
  /** Index of `...`, or -1. */
  varargs: number;
  /** Index of the first optional parameter, or -1. */
  optargs: number;
}

export interface ParsedPrototype extends Signature {
  /** 'stack' and '_symaddr'/'_usymaddr' are DTrace's special action returns. */
  ret: CType | 'stack' | 'symaddr' | 'usymaddr';
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
  };
  parts.forEach((p, i) => {
    if (p === '@' || p === '...') {
      sig.params.push(undefined);
      if (p === '...') sig.varargs = i;
      return;
    }
    if (p.startsWith('[')) {
      if (sig.optargs === -1) sig.optargs = i;
      p = p.slice(1, -1);
    }
    sig.params.push(c.types.parse(p));
  });
  cache.set(proto, sig);
  return sig;
}

/** DTrace's argument compatibility: integers with integers, strings with char pointers ... */
export function argCompatible(proto: CType, arg: CType, constant: bigint | undefined): boolean {
  if (isUnknown(proto) || isUnknown(arg)) return true;
  if (isInteger(proto) && isInteger(arg)) return true;
  if (isStringLike(proto) && isStringLike(arg)) return true;
  const p = resolve(proto);
  if (p.kind === 'pointer' && isInteger(arg) && constant === undefined) return false;
  return assignable(proto, arg, constant);
}

export function checkSignature(
  c: Compilation,
  sig: Signature,
  display: { prefix: string; name: string; suffix: string; key: boolean },
  args: { type: CType; constant?: bigint | undefined; span: A.Span }[],
  span: A.Span,
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
    );
  for (let i = 0; i < arglimit && i < args.length; i++) {
    const p = sig.params[i];
    if (p === undefined) continue;
    const a = args[i]!;
    if (!argCompatible(p, a.type, a.constant)) {
      const kind = display.key ? 'key' : 'argument';
      c.error(
        'D_PROTO_ARG',
        span,
        `${head} ${kind} #${i + 1} is incompatible with prototype:\n\tprototype: ${typeName(p)}\n\t${kind.padStart(9)}: ${typeName(a.type)}`,
      );
    }
  }
}

/** A subroutine call inside an expression: arguments, prototype, destructive check. */
export function checkSubroutineCall(c: Compilation, f: BuiltinFunction, e: A.Call): TypedInfo {
  const args = e.args.map((a) => ({ ...cook(c, a), span: a.span }));
  const sig = parsePrototype(c, f.prototype);
  checkSignature(c, sig, { prefix: '', name: f.name, suffix: '( )', key: false }, args, e.span);
  if (f.destructive && !c.settings.destructive) c.error('D_ACT_SPEC'.replace('D_ACT_SPEC', 'D_UNKNOWN'), e.span, 'Destructive actions not allowed');
  const ret = sig.ret;
  const type = typeof ret === 'string' ? T.long : ret;
  const info: TypedInfo = { type };
  if (f.name === 'copyin' || f.name === 'alloca') info.type = pointer(T.void);
  return info;
}
