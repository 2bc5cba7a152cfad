// A thread-local that is set but never assigned 0 stays allocated for the life of the thread:
// with many threads it exhausts dynvarsize and causes "dynamic variable drops".
import type * as A from '../parse/ast';
import type { Compilation } from '../analyze/compilation';
import { clauseExpressions } from './walk';

export function checkThreadLocalLeaks(c: Compilation, clauses: A.Clause[]): void {
  const set = new Map<string, A.Span>();
  const freed = new Set<string>();
  for (const clause of clauses) {
    const assigned = assignmentsOf(clause);
    for (let i = 0; i < assigned.freed.length; i++) freed.add(assigned.freed[i]!);
    for (let i = 0; i < assigned.set.length; i++) {
      const name = assigned.set[i]!;
      if (!set.has(name)) set.set(name, assigned.spans[i]!);
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

/**
 * The thread-locals a clause sets (each with its first assignment) and frees, as lists: the
 * editor merges every clause's after each edit.
 */
interface ClauseAssignments {
  set: string[];
  spans: A.Span[];
  freed: string[];
}

/**
 * Per clause, made once: a clause is immutable (an edit that only moves it keeps the object and
 * moves its spans in place), and the editor checks the same clauses after every edit.
 */
const assignmentsByClause = new WeakMap<A.Clause, ClauseAssignments>();

function assignmentsOf(clause: A.Clause): ClauseAssignments {
  let found = assignmentsByClause.get(clause);
  if (found !== undefined) return found;
  found = { set: [], spans: [], freed: [] };
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
    if (r.k === 'int' && /^0+[uUlL]*$/.test(r.text)) found.freed.push(l.name);
    else if (!found.set.includes(l.name)) {
      found.set.push(l.name);
      found.spans.push(l.span);
    }
  }
  assignmentsByClause.set(clause, found);
  return found;
}
