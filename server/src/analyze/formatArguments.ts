// printf( ), system( ), freopen( ) and printa( ) once DTrace generates the clause's code: the
// format must be a string constant, is parsed, and its conversions are checked against the
// arguments (printa( ): against the keys of its first aggregation, `%@` taking the value);
// printa( )'s other arguments are aggregations with the same keys as the first.
import type * as A from '../parse/ast';
import { aggregationOf } from './clauseTracking';
import type { DifPlatform } from '../dif/platform';
import * as callsModule from './calls';
import type { Compilation } from './compilation';
import type { ActionKind, ClauseActions } from './actionList';
import * as actionArgumentsModule from './actionArguments';
import { type ArgNode } from './actionArguments';
import * as actionCallsModule from './actionCalls';
import * as parseTimeModule from './parseTime';
import * as printfModule from './printf';
import { type PrintfArgument } from './printf';
import type { AggregationInfo } from './symbols';
import * as ctypeModule from './types/ctype';
// Imported names bound once, here: the loader the sources run under (tsx, for the tests and
// the benchmarks) turns each use of an imported name into getter calls, and these are used for
// every clause, statement or expression. Only functions, and constants of modules that do not
// lead back to this one, are bound: they are defined before this module's body runs.
const { operandsCompatible } = callsModule;
const { aggregationName, generate, isAggregationNode, isDynamic, nodeTypeName } = actionArgumentsModule;
const { checkAssigned } = actionCallsModule;
const { lineOf } = parseTimeModule;
const { checkFormat } = printfModule;
const { typeName } = ctypeModule;

/**
 * The front end knows the conversions of DTrace's BSD lineage (%I, %P) as well as illumos's:
 * the D it accepts is the union of the platforms'.
 */
const FORMAT_PLATFORM: DifPlatform = 'opendtrace';

function printfArgument(x: ArgNode): PrintfArgument {
  const a: { type: PrintfArgument['type']; isAggregation?: boolean; userland?: boolean; typeName?: string } = { type: x.node.type };
  if (isAggregationNode(x.node)) a.isAggregation = true;
  else if (isDynamic(x.node)) a.typeName = nodeTypeName(x.node);
  if (x.node.userPointer) a.userland = true;
  return a;
}

/** Reports the first problem DTrace would: at the line it has set for the format's checks. */
function reportFormat(c: Compilation, call: A.Call, line: number, problems: ReturnType<typeof checkFormat>): void {
  const first = problems[0];
  if (first) c.error(first.tag, call.span, first.message, undefined, line);
}

/** printf( ), system( ) and freopen( ) (dt_action_printflike). */
export function compilePrintfLike(c: Compilation, name: 'printf' | 'system' | 'freopen', call: A.Call, args: ArgNode[], list: ClauseActions): ActionKind[] {
  const [format, ...rest] = args as [ArgNode, ...ArgNode[]];
  const line = lineOf(call.span);
  list.lineno = line;
  const fmt = format.node.node === 'string' ? (format.node.stringValue ?? '') : printfArgument(format);
  reportFormat(c, call, line, checkFormat(fmt, rest.map(printfArgument), { action: name, platform: FORMAT_PLATFORM, hasTarget: c.settings.hasTarget === true }));
  rest.forEach((a) => generate(c, a));
  const kind: ActionKind = name === 'printf' ? 'data' : 'destructive';
  const kinds: ActionKind[] = [kind];
  for (let i = 1; i < rest.length; i++) kinds.push(kind);
  return kinds;
}

/** printa([format, ] @a[, @b ...]) (dt_action_printa). */
export function compilePrinta(c: Compilation, call: A.Call, args: ArgNode[], list: ClauseActions): ActionKind[] {
  const line = lineOf(call.span);
  const hasFormat = args[0]!.node.node === 'string';
  let format = hasFormat ? (args[0]!.node.stringValue ?? '') : undefined;
  let argr = hasFormat ? 2 : 1;
  if (args.length < argr) c.error('D_PRINTA_PROTO', call.span, `printa( ) prototype mismatch: ${args.length} args passed, ${argr} expected`, undefined, line);
  let first: { name: string; info: AggregationInfo } | undefined;
  const aggregations = args.slice(hasFormat ? 1 : 0);
  for (const a of aggregations) {
    if (!isAggregationNode(a.node))
      c.error(
        'D_PRINTA_AGGARG',
        call.span,
        `printa( ) argument #${argr} is incompatible with prototype:\n\tprototype: aggregation\n\t argument: ${nodeTypeName(a.node)}`,
        undefined,
        line,
      );
    checkAssigned(c, 'D_PRINTA_AGGBAD', a, call.span);
    const name = aggregationName(a.node);
    const info = aggregationOf(c, name)!;
    if (first) checkSameKeys(c, call, list.lineno || line, first, { name, info });
    else first = { name, info };
    if (format !== undefined) {
      list.lineno = line;
      const keys = (info.keys ?? []).map((type) => ({ type }));
      reportFormat(c, call, line, checkFormat(format, keys, { action: 'printa', aggregatingFunction: info.fn!, platform: FORMAT_PLATFORM, hasTarget: c.settings.hasTarget === true }));
      format = undefined;
    }
    argr++;
  }
  return aggregations.map((): ActionKind => 'data');
}

/** The aggregations printa( ) prints together are joined by key: the keys must agree (dt_printa_validate). */
function checkSameKeys(c: Compilation, call: A.Call, line: number, l: { name: string; info: AggregationInfo }, r: { name: string; info: AggregationInfo }): void {
  const lkeys = l.info.keys ?? [];
  const rkeys = r.info.keys ?? [];
  const keys = (n: number): string => `${n} key${n === 1 ? '' : 's'}`;
  if (lkeys.length !== rkeys.length)
    c.error(
      'D_PRINTA_AGGKEY',
      call.span,
      `printa( ): ${l.name} and ${r.name} do not have matching key signatures: ${l.name} has ${keys(lkeys.length)}, ${r.name} has ${keys(rkeys.length)}`,
      undefined,
      line,
    );
  lkeys.forEach((lt, i) => {
    const rt = rkeys[i]!;
    if (operandsCompatible({ type: lt }, { type: rt })) return;
    const ln = l.name.slice(1).padStart(9);
    const rn = r.name.slice(1).padStart(9);
    c.error(
      'D_PRINTA_AGGPROTO',
      call.span,
      `printa( ): ${r.name}[ ] key #${i + 1} is incompatible with ${l.name}:\n${ln} key #${i + 1}: ${typeName(lt)}\n${rn} key #${i + 1}: ${typeName(rt)}`,
      undefined,
      line,
    );
  });
}
