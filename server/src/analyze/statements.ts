// Statements of a clause body: actions (trace, printf, exit, speculate ...), aggregations
// (`@a[k] = count()`), and plain expressions; with DTrace's per-clause ordering rules for
// speculations and the destructive-action guard.
import type * as A from '../parse/ast';
import { FUNCTIONS_BY_NAME, type BuiltinFunction } from './builtins/functions';
import { checkSignature, parsePrototype } from './calls';
import type { Compilation, TypedInfo } from './compilation';
import { cook } from './expressions';
import { checkFormatArguments } from './formatArguments';
import { STACK_TYPE, SYMADDR_TYPE, USYMADDR_TYPE } from './printf';
import { T, isInteger, isScalar, isVoid, resolve, typeName, sameType, type CType } from './types/ctype';

function strip(e: A.Expr): A.Expr {
  while (e.k === 'paren') e = e.arg;
  return e;
}

export function checkStatement(c: Compilation, s: A.Stmt, onIf: (s: Extract<A.Stmt, { k: 'if' }>) => void): void {
  switch (s.k) {
    case 'empty':
    case 'error':
      return;
    case 'block':
      for (const x of s.body) checkStatement(c, x, onIf);
      return;
    case 'if':
      onIf(s);
      return;
    case 'loop':
    case 'jump':
      // Reported by the safety rules, which explain what to write instead.
      return;
    case 'expr':
      c.attempt(() => checkExpressionStatement(c, s.expr));
  }
}

export function checkExpressionStatement(c: Compilation, expr: A.Expr): void {
  const e = strip(expr);
  if (e.k === 'call') {
    const fn = strip(e.fn);
    const f = fn.k === 'ident' ? FUNCTIONS_BY_NAME.get(fn.name) : undefined;
    if (f && f.kind === 'action') {
      checkAction(c, f, e);
      return;
    }
    if (f && f.kind === 'aggregating')
      c.error('D_AGG_FUNC'.replace('D_AGG_FUNC', 'D_CG_EXPR'), e.span, `${f.name}( ) may not be called from a D expression (D program context required)`);
  }
  if (e.k === 'assign' && strip(e.left).k === 'agg') {
    checkAggregation(c, e, strip(e.left) as A.AggRef, undefined);
    return;
  }
  if (e.k === 'assign' && strip(e.left).k === 'index' && strip((strip(e.left) as A.Index).base).k === 'agg') {
    const idx = strip(e.left) as A.Index;
    checkAggregation(c, e, strip(idx.base) as A.AggRef, idx.indices);
    return;
  }
  if (e.k === 'agg') c.error('D_AGG_NULL', e.span, `expression has null effect: aggregation @${e.name === '@_' ? '' : e.name.slice(1)}`.replace('@@', '@'));
  const info = cook(c, expr);
  // Assignments and increments record nothing; any other expression statement traces its value.
  if (e.k !== 'assign' && e.k !== 'update') recordData(c, e.span, 'DIFEXPR', info);
}

/** A statement that records data (trace(), a bare expression, printf ...). */
function recordData(c: Compilation, span: A.Span, _what: string, _info?: TypedInfo): void {
  const cl = c.clause;
  if (!cl) return;
  if (cl.committed) c.error('D_DREC_COMM', span, 'data-recording actions may not follow commit( )');
  cl.recordedData = true;
}

function args(c: Compilation, e: A.Call): (TypedInfo & { span: A.Span; expr: A.Expr })[] {
  return e.args.map((a) => {
    const s = strip(a);
    if (s.k === 'agg') {
      const info: TypedInfo = { type: T.void };
      return { ...info, span: a.span, expr: a, isAgg: true } as TypedInfo & { span: A.Span; expr: A.Expr };
    }
    return { ...cook(c, a), span: a.span, expr: a };
  });
}

function protoLen(c: Compilation, f: string, span: A.Span, argc: number, expected: string): never {
  c.error('D_PROTO_LEN', span, `${f}( ) prototype mismatch: ${argc} arg${argc === 1 ? '' : 's'} passed, ${expected} expected`);
}

function checkAction(c: Compilation, f: BuiltinFunction, e: A.Call): void {
  const cl = c.clause;
  const name = f.name;
  if (f.destructive && !c.settings.destructive) c.record('error', 'DTVM_DESTRUCTIVE', e.span, 'Destructive actions not allowed');
  // Ordering rules of speculations (reference 4.2), checked before the arguments like DTrace.
  if (cl) {
    if (name === 'speculate') {
      if (cl.speculated) c.error('D_SPEC_SPEC', e.span, 'speculation( ) may only be specified once per clause'.replace('speculation( )', 'speculate( )'));
      if (cl.committed) c.error('D_SPEC_COMM', e.span, 'speculate( ) may not follow commit( )');
      if (cl.recordedData) c.error('D_SPEC_DREC', e.span, 'speculate( ) may not follow data-recording actions');
    } else if (name === 'commit') {
      if (cl.committed) c.error('D_COMM_COMM', e.span, 'commit( ) may only be specified once per clause');
      if (cl.recordedData) c.error('D_COMM_DREC', e.span, 'commit( ) may not follow data-recording actions');
    } else if (name === 'exit' && cl.speculated) c.error('D_EXIT_SPEC', e.span, 'exit( ) may not follow speculate( )');
    else if (f.destructive && cl.speculated) c.error('D_ACT_SPEC', e.span, 'destructive actions may not follow speculate( )');
    if (f.recordsData && cl.committed) c.error('D_DREC_COMM', e.span, 'data-recording actions may not follow commit( )');
  }
  const a = args(c, e);
  switch (name) {
    case 'trace':
    case 'print': {
      if (a.length !== 1) protoLen(c, name, e.span, a.length, '1');
      const x = a[0]!;
      const tag = name === 'trace' ? 'D_TRACE' : 'D_PRINT';
      if ((x as { isAgg?: boolean }).isAgg) c.error(`${tag}_AGG`, e.span, `${name}( ) may not be applied to an aggregation`);
      if (isVoid(x.type)) c.error(`${tag}_VOID`, e.span, `${name}( ) may not be applied to a void expression`);
      break;
    }
    case 'printf':
    case 'printa':
    case 'system':
    case 'freopen':
      checkFormatArguments(c, name, e, a);
      break;
    case 'tracemem': {
      if (a.length < 2 || a.length > 3) protoLen(c, name, e.span, a.length, a.length < 2 ? 'at least 2' : 'no more than 3');
      const addr = a[0]!;
      if (!isScalar(addr.type))
        c.error('D_TRACEMEM_ADDR', e.span, `tracemem( ) argument #1 is incompatible with prototype:\n\tprototype: pointer or integer\n\t argument: ${typeName(addr.type)}`);
      const size = a[1]!;
      if (size.constant === undefined || !isInteger(size.type) || size.constant <= 0n)
        c.error('D_TRACEMEM_SIZE', e.span, 'tracemem( ) argument #2 must be a non-zero positive integral constant expression');
      if (a[2] && !isInteger(a[2].type))
        c.error('D_TRACEMEM_DYNSIZE', e.span, 'tracemem( ) argument #3 must be an integral expression');
      break;
    }
    case 'stack':
    case 'ustack':
    case 'jstack': {
      const max = name === 'stack' ? 1 : 2;
      if (a.length > max) protoLen(c, name, e.span, a.length, `no more than ${max}`);
      a.forEach((x, i) => {
        if (x.constant === undefined || !isInteger(x.type) || x.constant <= 0n) {
          const tag = name === 'stack' ? 'D_STACK_SIZE' : i === 0 ? 'D_USTACK_FRAMES' : 'D_USTACK_STRSIZE';
          const what = i === 0 ? 'frames' : 'string size';
          c.error(tag, e.span, name === 'stack' ? 'stack( ) size must be a non-zero positive integral constant expression' : `${name}( ) argument #${i + 1} (${what}) must be a non-zero positive integral constant expression`);
        }
      });
      break;
    }
    case 'clear':
    case 'denormalize':
    case 'normalize':
    case 'trunc': {
      const tag = name === 'denormalize' ? 'D_NORMALIZE' : `D_${name.toUpperCase()}`;
      const want = name === 'normalize' ? 2 : name === 'trunc' ? undefined : 1;
      if (want !== undefined ? a.length !== want : a.length < 1 || a.length > 2)
        c.error(`${tag}_PROTO`, e.span, want !== undefined ? `${name}( ) prototype mismatch: ${a.length} args passed, ${want} expected` : `${name}( ) prototype mismatch: ${a.length} args passed, ${a.length < 1 ? 'at least 1' : 'no more than 2'} expected`);
      const agg = strip(a[0]!.expr);
      if (agg.k !== 'agg')
        c.error(`${tag}_AGGARG`, e.span, `${name}( ) argument #1 is incompatible with prototype:\n\tprototype: aggregation\n\t argument: ${typeName(a[0]!.type)}`);
      if (!c.aggregations.get(agg.name)?.fn) c.error(`${tag}_AGGBAD`, e.span, `undefined aggregation: ${agg.name === '@_' ? '@' : agg.name}`.replace('@@', '@'));
      if (a[1] && !isScalar(a[1].type)) c.error(`${tag}_SCALAR`, e.span, `${name}( ) argument #2 must be of scalar type`);
      break;
    }
    default: {
      const sig = parsePrototype(c, f.prototype);
      checkSignature(c, sig, { prefix: '', name, suffix: '( )', key: false }, a, e.span);
      if (name === 'speculate' && cl) cl.speculated = true;
      if (name === 'commit' && cl) cl.committed = true;
      if (name === 'setopt') {
        const opt = strip(e.args[0]!);
        if (opt.k !== 'string') c.error('D_PROTO_ARG', e.span, 'setopt( ) argument #1 must be a string constant');
      }
    }
  }
  if (f.recordsData) recordData(c, e.span, name);
}

/** Stack and symbol actions may be aggregation keys (`@[ustack()] = count()`). */
const KEY_ACTIONS = new Set(['stack', 'ustack', 'jstack', 'sym', 'func', 'mod', 'usym', 'ufunc', 'umod', 'uaddr']);

function aggregationKey(c: Compilation, k: A.Expr): TypedInfo {
  const e = strip(k);
  if (e.k === 'call') {
    const fn = strip(e.fn);
    const f = fn.k === 'ident' ? FUNCTIONS_BY_NAME.get(fn.name) : undefined;
    if (f && KEY_ACTIONS.has(f.name)) {
      const a = args(c, e);
      const sig = parsePrototype(c, f.prototype);
      checkSignature(c, sig, { prefix: '', name: f.name, suffix: '( )', key: false }, a, e.span);
      const type = sig.ret === 'stack' ? STACK_TYPE : sig.ret === 'symaddr' ? SYMADDR_TYPE : USYMADDR_TYPE;
      const info: TypedInfo = { type };
      c.typed.set(k, info);
      return info;
    }
  }
  return cook(c, k);
}

const AGG_PARAMS: Record<string, number> = { lquantize: 3, llquantize: 4 };

function checkAggregation(c: Compilation, e: A.Assign, agg: A.AggRef, keys: A.Expr[] | undefined): void {
  const cl = c.clause;
  const display = agg.name === '@_' ? '@' : agg.name;
  if (e.op !== '=') c.error('D_AGG_FUNC', e.span, `${display} must be assigned the result of an aggregating function`.replace('@@', '@'));
  const rhs = strip(e.right);
  const fn = rhs.k === 'call' ? strip(rhs.fn) : undefined;
  const f = fn && fn.k === 'ident' ? FUNCTIONS_BY_NAME.get(fn.name) : undefined;
  if (!f || f.kind !== 'aggregating' || rhs.k !== 'call')
    c.error('D_AGG_FUNC', e.span, `${display} must be assigned the result of an aggregating function`.replace('@@', '@'));
  if (cl?.speculated) c.error('D_AGG_SPEC', e.span, 'aggregating actions may not follow speculate( )');
  if (cl?.committed) c.error('D_AGG_COMM', e.span, 'aggregating actions may not follow commit( )');
  let info = c.aggregations.get(agg.name);
  if (!info) {
    info = { name: agg.name, fn: undefined, keys: undefined, definition: agg.span, references: [] };
    c.aggregations.set(agg.name, info);
  }
  info.references.push({ span: agg.span, write: true, clause: cl?.index ?? -1 });
  const keyInfo = (keys ?? []).map((k) => ({ ...aggregationKey(c, k), span: k.span }));
  keyInfo.forEach((k, i) => {
    const r = resolve(k.type);
    if (k.type === STACK_TYPE || k.type === SYMADDR_TYPE || k.type === USYMADDR_TYPE) return;
    if (r.kind === 'void' || r.kind === 'function')
      c.error('D_KEY_TYPE', e.span, `${typeName(k.type)} expression may not be used as aggregation index: key #${i + 1}`);
  });
  const a = rhs.args.map((x) => ({ ...cook(c, x), span: x.span }));
  if (info.keys) {
    checkSignature(c, { params: info.keys, varargs: -1, optargs: -1 }, { prefix: '@', name: display.slice(1), suffix: '[ ]', key: true }, keyInfo, e.span);
  }
  if (info.fn && info.fn !== f.name)
    c.error('D_AGG_REDEF', e.span, `${display} redefined: ${display} was previously assigned the result of ${info.fn}( )`.replace('@@', '@'));
  // Arguments of the aggregating function.
  const name = f.name;
  const argc = a.length;
  const need = name === 'count' ? [0, 0] : name === 'quantize' ? [1, 2] : name === 'lquantize' ? [3, 5] : name === 'llquantize' ? [5, 6] : [1, 1];
  if (argc < need[0]! || argc > need[1]!) {
    const tag = name === 'quantize' ? 'D_QUANT_PROTO' : name === 'lquantize' ? 'D_PROTO_LEN' : 'D_PROTO_LEN';
    const sig = parsePrototype(c, f.prototype);
    if (tag === 'D_QUANT_PROTO') c.error(tag, e.span, `quantize( ) prototype mismatch: ${argc} args passed, ${argc < 1 ? 'at least 1' : 'no more than 2'} expected`);
    checkSignature(c, sig, { prefix: '', name, suffix: '( )', key: false }, a, e.span);
    c.error('D_PROTO_LEN', e.span, `${name}( ) prototype mismatch: ${argc} arg${argc === 1 ? ' ' : 's '}passed, ${need[1]} expected`);
  }
  if (argc > 0 && !isScalar(a[0]!.type)) c.error('D_AGG_SCALAR', e.span, `${name}( ) argument #1 must be of scalar type`);
  let params: bigint[] | undefined;
  if (name === 'lquantize') params = lquantizeParams(c, e, a);
  if (name === 'llquantize') params = llquantizeParams(c, e, a);
  const incrIndex = name === 'quantize' ? 1 : name === 'lquantize' ? (argc === 5 ? 4 : -1) : name === 'llquantize' ? 5 : -1;
  if (incrIndex >= 0 && a[incrIndex] && !isScalar(a[incrIndex]!.type)) c.error('D_AGG_SCALAR', e.span, `${name}( ) argument #${incrIndex + 1} must be of scalar type`);
  if (params && info.params && AGG_PARAMS[name]) {
    const labels = name === 'lquantize' ? ['BASE', 'LIM', 'STEP'] : ['FACTOR', 'LOW', 'HIGH', 'NSTEP'];
    const words = name === 'lquantize' ? ['lower bound', 'upper bound', 'step'] : ['factor', 'lower magnitude', 'upper magnitude', 'steps per magnitude'];
    params.forEach((p, i) => {
      if (info!.params![i] !== p) {
        const tag = name === 'lquantize' ? `D_LQUANT_MATCH${labels[i]}` : `D_LLQUANT_${labels[i]}MATCH`;
        c.error(tag, e.span, `${name}( ) ${words[i]} (argument #${i + 2}) doesn't match previous declaration: expected ${info!.params![i]}, found ${p}`);
      }
    });
  }
  if (!info.keys) info.keys = keyInfo.map((k) => k.type);
  info.fn ??= f.name;
  if (params) info.params ??= params;
}

function constArg(c: Compilation, e: A.Assign, a: { constant?: bigint | undefined; type: CType }[], i: number, tag: string, message: string): bigint {
  const x = a[i];
  if (!x || x.constant === undefined || !isInteger(x.type)) c.error(tag, e.span, message);
  return x.constant;
}

function lquantizeParams(c: Compilation, e: A.Assign, a: { constant?: bigint | undefined; type: CType }[]): bigint[] {
  const base = constArg(c, e, a, 1, 'D_LQUANT_BASETYPE', 'lquantize( ) argument #2 must be an integer constant');
  if (base < -0x80000000n || base > 0x7fffffffn) c.error('D_LQUANT_BASEVAL', e.span, `lquantize( ) argument #2 must be a 32-bit quantity`);
  const limit = constArg(c, e, a, 2, 'D_LQUANT_LIMTYPE', 'lquantize( ) argument #3 must be an integer constant');
  if (limit < -0x80000000n || limit > 0x7fffffffn) c.error('D_LQUANT_LIMVAL', e.span, `lquantize( ) argument #3 must be a 32-bit quantity`);
  if (limit <= base) c.error('D_LQUANT_MISMATCH', e.span, `lquantize( ) base (argument #2) must be less than limit (argument #3)`);
  let step = 1n;
  if (a.length >= 4) {
    step = constArg(c, e, a, 3, 'D_LQUANT_STEPTYPE', 'lquantize( ) argument #4 must be an integer constant');
    if (step <= 0n || step > 0xffffn) c.error('D_LQUANT_STEPVAL', e.span, `lquantize( ) argument #4 must be a non-zero positive integer`);
  }
  const levels = (limit - base) / step;
  if (levels > 0xffffn) c.error('D_LQUANT_STEPLARGE', e.span, `lquantize( ) step (argument #4) too small: results in ${levels} levels (maximum ${0xffff} levels)`);
  if (levels === 0n) c.error('D_LQUANT_STEPSMALL', e.span, `lquantize( ) step (argument #4) too large: lower bound (argument #2) and upper bound (argument #3) must be at least one step apart`);
  return [base, limit, step];
}

function llquantizeParams(c: Compilation, e: A.Assign, a: { constant?: bigint | undefined; type: CType }[]): bigint[] {
  const names = ['FACTOR', 'LOW', 'HIGH', 'NSTEP'];
  const vals = [1, 2, 3, 4].map((i, j) => {
    const v = constArg(c, e, a, i, `D_LLQUANT_${names[j]}TYPE`, `llquantize( ) argument #${i + 1} must be an integer constant`);
    if (v < 0n || v > 0xffffn) c.error(`D_LLQUANT_${names[j]}VAL`, e.span, `llquantize( ) argument #${i + 1} must be an unsigned 16-bit quantity`);
    return v;
  });
  const [factor, low, high, nsteps] = vals as [bigint, bigint, bigint, bigint];
  if (factor < 2n) c.error('D_LLQUANT_FACTORSMALL', e.span, 'llquantize( ) argument #2 (factor) must be two or more');
  if (low > high) c.error('D_LLQUANT_MAGRANGE', e.span, 'llquantize( ) argument #3 (low magnitude) must be less than or equal to argument #4 (high magnitude)');
  if (nsteps < factor) c.error('D_LLQUANT_FACTORNSTEPS', e.span, 'llquantize( ) argument #5 (steps per magnitude) must be greater than or equal to argument #2 (factor)');
  if (factor % nsteps !== 0n && nsteps % factor !== 0n)
    c.error('D_LLQUANT_FACTOREVEN', e.span, 'llquantize( ) argument #2 (factor) must evenly divide argument #5 (steps per magnitude)');
  let v = 1n;
  for (let i = 0n; i <= high; i++) {
    v *= factor;
    if (v > 0xffffffffffffffffn) c.error('D_LLQUANT_MAGTOOBIG', e.span, `llquantize( ) argument #2 (factor) raised to power of argument #4 (high magnitude) overflows 64-bits`);
  }
  return vals;
}

export { sameType };
