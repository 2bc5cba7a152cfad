// A speculation that is speculated into but never committed or discarded keeps its buffer busy
// until it times out: later speculation() calls fail ("failed speculations").
import type * as A from '../parse/ast';
import type { Compilation } from '../analyze/compilation';
import { clauseExprs } from './walk';

export function checkSpeculations(c: Compilation, clauses: A.Clause[]): void {
  let first: A.Span | undefined;
  let ended = false;
  for (const clause of clauses)
    clauseExprs(clause, (e) => {
      if (e.k !== 'call' || e.fn.k !== 'ident') return;
      if (e.fn.name === 'speculation') first ??= e.span;
      if (e.fn.name === 'commit' || e.fn.name === 'discard') ended = true;
    });
  if (first && !ended)
    c.warn('DTVM_SPEC_LEAK', first, 'this speculation is never committed or discarded: its buffer stays busy and later speculation( ) calls fail');
}
