// A clause's statements as DTrace's action descriptions (dt_cc.c's dt_action_* and
// dt_compile_agg): which DIF objects each statement makes, of which kind, with which argument
// and record size. Record sizes follow the kernel's dtrace_ecb_action_add, so that buffer use
// (and so drops) are DTrace's.
import type * as A from '../parse/ast';
import type { Cooked } from '../analyze/cooked';
import { typeName, type CType } from '../analyze/types/ctype';
import type { OptionSet } from '../analyze/options/optionSet';
import { createDifo, integerType, type Difo } from '../dif/difo';
import { makeIndexedWord, makeWord } from '../dif/encoding';
import * as op from '../dif/opcodes';
import { DIF_TYPE_STRING } from '../dif/variables';
import { FUNCTIONS_BY_NAME } from '../analyze/builtins/functions';
import { ACT, type ActionDesc, type AggregatingFunction, type AggregationDesc, type LibraryAction, type RecordType } from './program';
import { CodegenError } from './errors';
import { difType, isByRef, isSignedType } from './difType';
import { ExpressionCompiler, strip, type ExpressionContext } from './expressions';
import { ObjectBuilder } from './objectBuilder';
import { TableLimitExceeded } from './tables';

/** The program-wide tables actions add to. */
export interface ProgramTables {
  formats: string[];
  aggregations: AggregationDesc[];
  options: OptionSet;
}

/** Actions whose record can be a value: an aggregation key, a printf argument. */
const VALUE_ACTIONS = new Set(['stack', 'ustack', 'jstack', 'sym', 'func', 'mod', 'usym', 'ufunc', 'umod', 'uaddr']);

const AGG_KIND: Record<AggregatingFunction, number> = {
  count: ACT.AGG_COUNT,
  min: ACT.AGG_MIN,
  max: ACT.AGG_MAX,
  avg: ACT.AGG_AVG,
  sum: ACT.AGG_SUM,
  stddev: ACT.AGG_STDDEV,
  quantize: ACT.AGG_QUANTIZE,
  lquantize: ACT.AGG_LQUANTIZE,
  llquantize: ACT.AGG_LLQUANTIZE,
};

export class ActionCompiler {
  readonly actions: ActionDesc[] = [];
  private statementIndex = -1;

  constructor(
    private readonly x: ExpressionContext,
    private readonly tables: ProgramTables,
    private readonly lineOf: (span: A.Span) => number,
  ) {}

  // ---- DIF objects ----

  /** dt_cg + dt_as: one object computing `e`, returning its value with its type. */
  expression(e: A.Expr, rtypeOverride?: (d: Difo) => void): Difo {
    try {
      return this.object(e, rtypeOverride);
    } catch (err) {
      throw err instanceof TableLimitExceeded ? new CodegenError(err.tag, e.span, err.message, false) : err;
    }
  }

  private object(e: A.Expr, rtypeOverride?: (d: Difo) => void): Difo {
    const b = new ObjectBuilder(this.x.nregs);
    const g = new ExpressionCompiler(this.x, b);
    const info = g.info(e);
    if (info?.ident?.kind === 'xlptr') throw new CodegenError('D_CG_DYN', e.span, 'expression cannot evaluate to result of a translated pointer');
    // A translated struct (xlate<T>(x), or an inline of one) is expanded where it is generated.
    const r = g.gen(e);
    const type = g.typeOf(e);
    const d = b.finish(difType(type, this.x.strsize, info?.userPointer === true && isByRef(type)), r);
    b.free(r);
    rtypeOverride?.(d);
    return d;
  }

  /** An expression's type as the front end cooked it (the desugaring's nodes are ints). */
  private typeOf(e: A.Expr): CType {
    return new ExpressionCompiler(this.x, new ObjectBuilder(this.x.nregs)).typeOf(e);
  }

  /** dt_action_difconst: `setx value; ret` returning a 64-bit integer. */
  private constant(value: bigint): Difo {
    return createDifo({ instructions: [makeIndexedWord(op.DIF_OP_SETX, 0, 1), makeWord(op.DIF_OP_RET, 0, 0, 1)], intTable: [value], stringTable: new Uint8Array([0]), returnType: integerType(8) });
  }

  /** The object of a printf( ) with no arguments: `ret %r0`. */
  private zero(): Difo {
    return createDifo({ instructions: [makeWord(op.DIF_OP_RET, 0, 0, 0)], stringTable: new Uint8Array([0]), returnType: integerType(8) });
  }

  private add(kind: number, span: A.Span, fields: Partial<ActionDesc> & { record: RecordType; size: number }): ActionDesc {
    const a: ActionDesc = { kind, span, line: this.lineOf(span), statement: this.statementIndex, ...fields };
    this.actions.push(a);
    return a;
  }

  /** What a record of this object's result holds, for the consumer. */
  private recordOf(d: Difo, type: CType | undefined): RecordType {
    const t = d.returnType;
    if (t.kind === DIF_TYPE_STRING) return { k: 'string', size: t.size };
    // trace() of memory (a struct, an array) records its bytes; only print() names the type.
    if (type && isByRef(type)) return { k: 'bytes', size: t.size };
    const size = t.size as 1 | 2 | 4 | 8;
    if (![1, 2, 4, 8].includes(size)) return { k: 'bytes', size: t.size };
    const signed = type ? isSignedType(type) : true;
    return { k: 'int', size, signed };
  }

  private dataRecord(kind: number, e: A.Expr, span: A.Span, extra: Partial<ActionDesc> = {}): ActionDesc {
    const s = strip(e);
    if (s.k === 'call') {
      // stack(), sym() ... as an aggregation key record what the action records.
      const fn = strip(s.fn);
      if (fn.k === 'ident' && VALUE_ACTIONS.has(fn.name)) {
        this.action(fn.name, s, span);
        const a = this.actions[this.actions.length - 1]!;
        Object.assign(a, extra);
        return a;
      }
    }
    const d = this.expression(e);
    const type = this.typeOf(e);
    return this.add(kind, span, { difo: d, record: this.recordOf(d, type), size: recordSize(d), ...extra });
  }

  // ---- statements ----

  statement(s: A.Stmt): void {
    switch (s.k) {
      case 'block':
        s.body.forEach((x) => this.statement(x));
        return;
      case 'expr':
        this.statementIndex++;
        try {
          this.expressionStatement(s.expr, s.span);
        } catch (e) {
          // DTrace reports code generation errors at the statement being compiled.
          if (e instanceof CodegenError) throw e.at(s.span);
          throw e;
        }
        return;
      default:
        return;
    }
  }

  private expressionStatement(expr: A.Expr, span: A.Span): void {
    const e = strip(expr);
    if (e.k === 'call') {
      const fn = strip(e.fn);
      if (fn.k === 'ident' && FUNCTIONS_BY_NAME.get(fn.name)?.kind === 'action') return this.action(fn.name, e, span);
    }
    if (e.k === 'assign' && e.op === '=') {
      const left = strip(e.left);
      if (left.k === 'agg' || (left.k === 'index' && strip(left.base).k === 'agg')) return this.aggregation(e, left, span);
    }
    // A plain expression (an assignment ...): code that records nothing (dt_compile_exp).
    const d = this.expression(expr, (x) => {
      x.returnType = { ...integerType(0) };
    });
    this.add(ACT.DIFEXPR, span, { difo: d, record: { k: 'int', size: 8, signed: true }, size: 0 });
  }

  private action(name: string, call: A.Call, span: A.Span): void {
    const args = call.args;
    const arg = (n: number): A.Expr => args[n]!;
    switch (name) {
      case 'trace':
        this.dataRecord(ACT.DIFEXPR, arg(0), span);
        return;
      case 'print': {
        const a = this.dataRecord(ACT.DIFEXPR, arg(0), span);
        const type = this.typeOf(arg(0));
        a.record = { k: 'bytes', size: a.size, ctype: typeName(type) };
        a.printType = type;
        return;
      }
      case 'printf':
        return this.printfLike(ACT.PRINTF, call, span);
      case 'system':
        return this.printfLike(ACT.SYSTEM, call, span);
      case 'freopen':
        return this.printfLike(ACT.FREOPEN, call, span);
      case 'printa':
        return this.printa(call, span);
      case 'exit': {
        const d = this.expression(arg(0), (x) => {
          x.returnType = { ...x.returnType, size: 4 };
        });
        this.add(ACT.EXIT, span, { difo: d, record: { k: 'int', size: 4, signed: true }, size: 4 });
        return;
      }
      case 'stack': {
        const frames = args.length > 0 ? this.constantArg(arg(0)) : (this.tables.options.integer('stackframes') ?? 20);
        this.add(ACT.STACK, span, { arg: BigInt(frames), record: { k: 'stack', frames, user: false }, size: frames * 8 });
        return;
      }
      case 'ustack':
      case 'jstack': {
        const jstack = name === 'jstack';
        const frames = args.length > 0 ? this.constantArg(arg(0)) : jstack ? (this.tables.options.integer('jstackframes') ?? 50) : (this.tables.options.integer('ustackframes') ?? 20);
        const strsize = args.length > 1 ? this.constantArg(arg(1)) : jstack ? (this.tables.options.bytes('jstackstrsize') ?? 512) : 0;
        const size = Math.ceil(((frames + 1) * 8 + strsize) / 8) * 8;
        this.add(jstack ? ACT.JSTACK : ACT.USTACK, span, {
          // DTRACE_USTACK_ARG: the string space in the high 32 bits, the frames in the low.
          arg: (BigInt(strsize) << 32n) | BigInt(frames),
          record: { k: 'stack', frames, user: true, ...(strsize ? { strsize } : {}) },
          size,
        });
        return;
      }
      case 'sym':
      case 'func':
      case 'mod': {
        const kind = name === 'mod' ? ACT.MOD : ACT.SYM;
        const d = this.expression(arg(0));
        this.add(kind, span, { difo: d, record: { k: 'symbol', user: false, what: name === 'mod' ? 'mod' : 'sym' }, size: 8 });
        return;
      }
      case 'usym':
      case 'ufunc':
      case 'umod':
      case 'uaddr': {
        const kind = name === 'umod' ? ACT.UMOD : name === 'uaddr' ? ACT.UADDR : ACT.USYM;
        const d = this.expression(arg(0));
        this.add(kind, span, { difo: d, record: { k: 'symbol', user: true, what: name === 'umod' ? 'mod' : name === 'uaddr' ? 'addr' : 'sym' }, size: 16 });
        return;
      }
      case 'tracemem': {
        const n = this.constantArg(arg(1));
        if (args.length > 2) {
          const dyn = this.expression(arg(2));
          this.add(ACT.TRACEMEM_DYNSIZE, span, { difo: dyn, record: this.recordOf(dyn, undefined), size: recordSize(dyn) });
        }
        const d = this.expression(arg(0), (x) => {
          x.returnType = { ...x.returnType, flags: x.returnType.flags | 1, size: n };
        });
        this.add(ACT.TRACEMEM, span, { difo: d, arg: BigInt(n), record: { k: 'bytes', size: n }, size: n });
        return;
      }
      case 'speculate':
      case 'commit':
      case 'discard': {
        const kind = name === 'speculate' ? ACT.SPECULATE : name === 'commit' ? ACT.COMMIT : ACT.DISCARD;
        this.add(kind, span, { difo: this.expression(arg(0)), record: { k: 'int', size: 8, signed: true }, size: 0 });
        return;
      }
      case 'raise':
      case 'chill': {
        const kind = name === 'raise' ? ACT.RAISE : ACT.CHILL;
        this.add(kind, span, { difo: this.expression(arg(0)), record: { k: 'int', size: 8, signed: true }, size: 0 });
        return;
      }
      case 'stop':
      case 'breakpoint':
      case 'panic': {
        const kind = name === 'stop' ? ACT.STOP : name === 'breakpoint' ? ACT.BREAKPOINT : ACT.PANIC;
        this.add(kind, span, { record: { k: 'int', size: 8, signed: true }, size: 0 });
        return;
      }
      case 'clear':
      case 'denormalize':
        this.libraryAggregation(name, arg(0), span);
        return;
      case 'normalize':
      case 'trunc': {
        this.libraryAggregation(name, arg(0), span);
        const d = args.length > 1 ? this.expression(arg(1)) : this.constant(0n);
        this.add(ACT.LIBACT, span, { library: name, difo: d, record: { k: 'int', size: 8, signed: true }, size: recordSize(d) });
        return;
      }
      case 'setopt': {
        for (const a of args) {
          const d = this.expression(a);
          this.add(ACT.LIBACT, span, { library: 'setopt', difo: d, record: this.recordOf(d, undefined), size: recordSize(d) });
        }
        if (args.length === 1) {
          // dt_action_setopt records the missing value as the integer 0: a record of 8 bytes
          // or less is the toggle value "1" to the consumer, never a string.
          const d = this.constant(0n);
          this.add(ACT.LIBACT, span, { library: 'setopt', difo: d, record: { k: 'int', size: 8, signed: true }, size: 8 });
        }
        return;
      }
      case 'ftruncate': {
        const d = this.constant(0n);
        this.add(ACT.LIBACT, span, { library: 'ftruncate', difo: d, record: { k: 'int', size: 8, signed: true }, size: 8 });
        return;
      }
      case 'printm': {
        const d = this.expression(arg(1));
        const n = this.constantArg(arg(0));
        this.add(ACT.PRINTM, span, { difo: d, arg: BigInt(n), record: { k: 'bytes', size: n }, size: recordSize(d) });
        return;
      }
      default:
        throw new CodegenError('D_UNKNOWN', span, `internal error -- no code for action ${name}( )`);
    }
  }

  private constantArg(e: A.Expr): number {
    const i = this.x.c.typed.get(e) as Cooked | undefined;
    return Number(i?.constant ?? 0n);
  }

  /** printf( ), system( ), freopen( ): the format, then one record per argument (dt_action_printflike). */
  private printfLike(kind: number, call: A.Call, span: A.Span): void {
    const fmt = this.x.c.typed.get(call.args[0]!) as Cooked | undefined;
    const format = this.tables.formats.push(fmt?.stringValue ?? '') - 1;
    const rest = call.args.slice(1);
    if (rest.length === 0) {
      const d = this.zero();
      this.add(kind, span, { difo: d, format, record: { k: 'int', size: 8, signed: true }, size: 8 });
      return;
    }
    rest.forEach((a, n) => this.dataRecord(kind, a, a.span, n === 0 ? { format } : {}));
  }

  /** printa([format,] @a ...): one record per aggregation, its id (dt_action_printa). */
  private printa(call: A.Call, span: A.Span): void {
    let format: number | undefined;
    for (const a of call.args) {
      const i = this.x.c.typed.get(a) as Cooked | undefined;
      if (i?.node === 'string') {
        format = this.tables.formats.push(i.stringValue ?? '') - 1;
        continue;
      }
      const id = this.aggregationId(a);
      const d = this.constant(BigInt(id));
      this.add(ACT.PRINTA, span, { difo: d, aggregation: id - 1, ...(format !== undefined ? { format } : {}), record: { k: 'int', size: 8, signed: true }, size: 8 });
      format = undefined;
    }
  }

  private libraryAggregation(name: LibraryAction, agg: A.Expr, span: A.Span): void {
    const id = this.aggregationId(agg);
    this.add(ACT.LIBACT, span, { library: name, difo: this.constant(BigInt(id)), aggregation: id - 1, record: { k: 'int', size: 8, signed: true }, size: 8 });
  }

  /** The 1-based id of the aggregation an expression names. */
  private aggregationId(e: A.Expr): number {
    const i = this.x.c.typed.get(e) as Cooked | undefined;
    const s = strip(e);
    const name = i?.ident?.name ?? (s.k === 'agg' ? s.name.replace(/^@/, '') : '_');
    return this.aggregationDesc(name === '' ? '_' : name, undefined, []).id;
  }

  aggregationDesc(name: string, fn: AggregatingFunction | undefined, keys: RecordType[]): AggregationDesc {
    let a = this.tables.aggregations.find((x) => x.name === name);
    if (!a) {
      const info = this.x.c.aggregations.get(`@${name}`) ?? this.x.c.aggregations.get(name);
      const f = (fn ?? (info?.fn as AggregatingFunction | undefined) ?? 'count') as AggregatingFunction;
      a = { id: this.tables.aggregations.length + 1, name, fn: f, keys };
      this.tables.aggregations.push(a);
    }
    return a;
  }

  /** `@a[k...] = f(v, ...)`: one record per key, then the aggregating action (dt_compile_agg). */
  private aggregation(e: A.Assign, target: A.AggRef | A.Index, span: A.Span): void {
    const aggRef = (target.k === 'agg' ? target : strip(target.base)) as A.AggRef;
    const name = aggRef.name.replace(/^@/, '') || '_';
    const call = strip(e.right) as A.Call;
    const fnExpr = strip(call.fn);
    const fn = (fnExpr.k === 'ident' ? fnExpr.name : 'count') as AggregatingFunction;
    const keys = target.k === 'index' ? target.indices : [];
    const keyRecords: RecordType[] = [];
    for (const k of keys) {
      const a = this.dataRecord(ACT.DIFEXPR, k, k.span);
      keyRecords.push(a.record);
    }
    const desc = this.aggregationDesc(name, fn, keyRecords);
    if (desc.keys.length === 0 && keyRecords.length > 0) desc.keys = keyRecords;
    const args = call.args;
    let param: bigint | undefined;
    let incr: A.Expr | undefined;
    let storage = 8;
    const cint = (n: number): bigint => {
      const i = this.x.c.typed.get(args[n]!) as Cooked | undefined;
      return i?.constant ?? 0n;
    };
    switch (fn) {
      case 'avg':
        storage = 16;
        break;
      case 'stddev':
        storage = 32;
        break;
      case 'quantize':
        storage = 127 * 8;
        incr = args[1];
        break;
      case 'lquantize': {
        const low = cint(1);
        const high = cint(2);
        const step = args.length > 3 ? cint(3) : 1n;
        const levels = (high - low) / (step === 0n ? 1n : step);
        param = ((step & 0xffffn) << 48n) | ((levels & 0xffffn) << 32n) | (BigInt.asUintN(32, low) & 0xffffffffn);
        storage = Number(levels) * 8 + 24;
        incr = args[4];
        break;
      }
      case 'llquantize': {
        const factor = cint(1);
        const low = cint(2);
        const high = cint(3);
        const nsteps = cint(4);
        param = ((factor & 0xffffn) << 48n) | ((low & 0xffffn) << 32n) | ((high & 0xffffn) << 16n) | (nsteps & 0xffffn);
        storage = (llquantizeLastBucket(factor, low, high, nsteps) + 2) * 8;
        incr = args[5];
        break;
      }
      default:
        break;
    }
    if (param !== undefined) desc.param = param;
    const hasIncrement = incr !== undefined;
    if (incr) this.dataRecord(ACT.DIFEXPR, incr, incr.span);
    // count() has no argument, so no object: the kernel adds one (dt_compile_agg).
    const value = args.length > 0 ? this.expression(args[0]!) : undefined;
    this.add(AGG_KIND[fn], span, {
      ...(value ? { difo: value } : {}),
      aggregation: desc.id - 1,
      keys: keyRecords.length,
      ...(param !== undefined ? { arg: param } : {}),
      ...(hasIncrement ? { increment: true } : {}),
      record: { k: 'bytes', size: storage },
      size: storage,
    });
  }
}

/** The bytes an object's result takes in a record (dtrace_ecb_action_add). */
export function recordSize(d: Difo): number {
  return d.returnType.size;
}

/**
 * The index of llquantize( )'s last bucket: where INT64_MAX lands. Below factor^low is bucket
 * 0; each order of magnitude adds min(factor^(order+1), nsteps) buckets less the ones the
 * previous magnitude already covers; a magnitude that would overflow 64 bits ends the count.
 */
export function llquantizeLastBucket(factor: bigint, low: bigint, high: bigint, nsteps: bigint): number {
  const INT64_MAX = (1n << 63n) - 1n;
  if (factor < 2n || nsteps < 1n) return 1;
  let value = INT64_MAX;
  let current = factor ** low;
  let last = current;
  let base = 1n;
  current *= factor;
  for (let order = low; order <= high; order++) {
    const nbuckets = current > nsteps ? nsteps : current;
    const next = current * factor;
    if (next > INT64_MAX) value = current - 1n;
    if (value < current) return Number(base + (value - last) / (current / nbuckets));
    base += nbuckets - nbuckets / factor;
    last = current;
    current = next;
  }
  return Number(base);
}

