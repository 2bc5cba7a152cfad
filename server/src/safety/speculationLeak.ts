// A speculation that is speculated into but never committed or discarded keeps its buffer busy
// until it times out: later speculation() calls fail ("failed speculations").
import type * as A from '../parse/ast';
import type { Compilation } from '../analyze/compilation';
import { clauseExpressions } from './walk';

export function checkSpeculations(c: Compilation, clauses: A.Clause[]): void {
  let first: A.Span | undefined;
  let ended = false;
  for (const clause of clauses) {
    const { exprs, calls } = clauseExpressions(clause);
    for (const at of calls) {
      const e = exprs[at] as A.Call;
      if (e.fn.k !== 'ident') continue;
      if (e.fn.name === 'speculation') first ??= e.span;
      if (e.fn.name === 'commit' || e.fn.name === 'discard') ended = true;
    }
  }
  if (first && !ended)
    c.warn('DTVM_SPEC_LEAK', first, 'this speculation is never committed or discarded: its buffer stays busy and later speculation( ) calls fail');
}
