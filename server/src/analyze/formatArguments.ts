// printf-family actions: the format (a string constant) and its arguments, checked by the
// printf module; printa's aggregation arguments.
import type * as A from '../parse/ast';
import type { Compilation, TypedInfo } from './compilation';
import { checkFormat } from './printf';
import { typeName } from './types/ctype';

type Arg = TypedInfo & { span: A.Span; expr: A.Expr; isAgg?: boolean };

function strip(e: A.Expr): A.Expr {
  while (e.k === 'paren') e = e.arg;
  return e;
}

export function checkFormatArguments(c: Compilation, name: string, e: A.Call, args: Arg[]): void {
  if (name === 'printa') {
    const first = args[0];
    const hasFormat = first !== undefined && strip(first.expr).k === 'string';
    const argr = hasFormat ? 2 : 1;
    if (args.length < argr) c.error('D_PRINTA_PROTO', e.span, `printa( ) prototype mismatch: ${args.length} args passed, ${argr} expected`);
    args.slice(hasFormat ? 1 : 0).forEach((a) => {
      const s = strip(a.expr);
      if (s.k !== 'agg')
        c.error('D_PRINTA_AGGARG', e.span, `printa( ) argument #${argr} is incompatible with prototype:\n\tprototype: aggregation\n\t argument: ${typeName(a.type)}`);
      if (!c.aggregations.get(s.name)?.fn) c.error('D_PRINTA_AGGBAD', e.span, `undefined aggregation: ${s.name === '@_' ? '@' : s.name}`.replace('@@', '@'));
    });
    if (hasFormat) runFormatCheck(c, name, e, strip(first.expr) as A.StringLit, args.slice(1));
    return;
  }
  if (args.length < 1) c.error('D_PROTO_LEN', e.span, `${name}( ) prototype mismatch: 0 args passed, 1 expected`);
  const fmt = strip(args[0]!.expr);
  if (fmt.k !== 'string') c.error('D_PRINTF_ARG_FMT', e.span, `${name}( ) argument #1 must be a format string`);
  runFormatCheck(c, name, e, fmt, args.slice(1));
}

function runFormatCheck(c: Compilation, name: string, e: A.Call, fmt: A.StringLit, rest: Arg[]): void {
  const text = c.typed.get(fmt)?.stringValue ?? fmt.text.slice(1, -1);
  let args = rest.map((r) => ({ type: r.type, isAggregation: r.isAgg === true, ...(r.userPointer ? { userland: true } : {}) }));
  let aggregatingFunction: string | undefined;
  if (name === 'printa') {
    // printa's format is checked against the keys of its (first) aggregation.
    const agg = strip(rest[0]!.expr) as A.AggRef;
    const info = c.aggregations.get(agg.name);
    aggregatingFunction = info?.fn;
    args = (info?.keys ?? []).map((type) => ({ type, isAggregation: false }));
  }
  const problems = checkFormat(text, args, { action: name, ...(aggregatingFunction ? { aggregatingFunction } : {}) });
  const first = problems[0];
  if (first) c.error(first.tag, e.span, first.message);
}
