// A thread-local that is set but never assigned 0 stays allocated for the life of the thread:
// with many threads it exhausts dynvarsize and causes "dynamic variable drops".
import type * as A from '../parse/ast';
import type { Compilation } from '../analyze/compilation';
import { clauseExpressions } from './walk';

export function checkThreadLocalLeaks(c: Compilation, clauses: A.Clause[]): void {
  const set = new Map<string, A.Span>();
  const freed = new Set<string>();
  for (const clause of clauses) {
    const { exprs, assignments } = clauseExpressions(clause);
    for (const at of assignments) {
      const e = exprs[at] as A.Assign;
      if (e.op !== '=') continue;
      let l = e.left;
      while (l.k === 'paren') l = l.arg;
      if (l.k === 'index') l = l.base;
      if (l.k !== 'self') continue;
      let r = e.right;
      while (r.k === 'paren') r = r.arg;
      if (r.k === 'int' && /^0+[uUlL]*$/.test(r.text)) freed.add(l.name);
      else if (!set.has(l.name)) set.set(l.name, l.span);
    }
  }
  for (const [name, span] of set)
    if (!freed.has(name))
      c.warn(
        'DTVM_TLS_LEAK',
        span,
        `self->${name} is set but never freed: assign 0 to it when the thread is done with it (for example in the matching return probe), or it holds dynamic variable space until the thread exits and may cause dynamic variable drops`,
      );
}
