// A speculation that is speculated into but never committed or discarded keeps its buffer busy
// until it times out: later speculation() calls fail ("failed speculations").
import type * as A from '../parse/ast';
import type { Compilation } from '../analyze/compilation';
import { clauseExpressions } from './walk';

export function checkSpeculations(c: Compilation, clauses: A.Clause[]): void {
  let first: A.Span | undefined;
  let ended = false;
  for (const clause of clauses) {
    const calls = speculationCallsOf(clause);
    first ??= calls.speculation;
    ended ||= calls.ends;
  }
  if (first && !ended)
    c.warn('DTVM_SPEC_LEAK', first, 'this speculation is never committed or discarded: its buffer stays busy and later speculation( ) calls fail');
}

interface SpeculationCalls {
  /** The first `speculation()` call's span. */
  speculation: A.Span | undefined;
  /** A `commit()` or `discard()` call. */
  ends: boolean;
}

/** Per clause item, like clauseExpressions: the editor asks after every edit, for every clause. */
const callsCache = new WeakMap<A.Clause, SpeculationCalls>();

function speculationCallsOf(clause: A.Clause): SpeculationCalls {
  let found = callsCache.get(clause);
  if (found !== undefined) return found;
  found = { speculation: undefined, ends: false };
  const { exprs, calls } = clauseExpressions(clause);
  for (const at of calls) {
    const e = exprs[at] as A.Call;
    if (e.fn.k !== 'ident') continue;
    if (e.fn.name === 'speculation') found.speculation ??= e.span;
    if (e.fn.name === 'commit' || e.fn.name === 'discard') found.ends = true;
  }
  callsCache.set(clause, found);
  return found;
}
