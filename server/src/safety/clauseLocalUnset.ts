// `this->` variables start every probe firing undefined: reading one before any clause of the
// firing assigned it reads garbage from an earlier firing.
import type * as A from '../parse/ast';
import type { Compilation } from '../analyze/compilation';
import { clauseExpressions, subtreeSize } from './walk';

export function checkClauseLocalReads(c: Compilation, clauses: { clause: A.Clause; descriptions: string[] }[]): void {
  // Clause-locals assigned by earlier clauses, per probe description (a firing runs every
  // clause that matches it, in program order).
  const assignedBefore = new Map<string, Set<string>>();
  for (const { clause, descriptions } of clauses) {
    const own = localsOf(clause);
    if (own.reads.length === 0 && descriptions.length === 1) {
      // Nothing to check, and what it assigns joins its one description's (the usual clause: no set copied).
      const d = descriptions[0]!;
      let s = assignedBefore.get(d);
      if (s === undefined) assignedBefore.set(d, (s = new Set()));
      for (const n of own.assigned) s.add(n);
      continue;
    }
    const assigned = new Set<string>();
    for (const d of descriptions) for (const n of assignedBefore.get(d) ?? []) assigned.add(n);
    for (const read of own.reads)
      if (!assigned.has(read.name))
        c.warn('DTVM_LOCAL_UNSET', read.span, `this->${read.name} is read before it is assigned in this probe firing: clause-local variables start every firing undefined`);
    for (const n of own.assigned) assigned.add(n);
    for (const d of descriptions) {
      const s = assignedBefore.get(d) ?? new Set<string>();
      for (const n of assigned) s.add(n);
      assignedBefore.set(d, s);
    }
  }
}

/** A clause's reads of clause-locals it has not assigned before them, and those it assigns. */
interface ClauseLocals {
  reads: { name: string; span: A.Span }[];
  assigned: string[];
}

/**
 * Per clause, made once: a clause is immutable (an edit that only moves it keeps the object and
 * moves its spans in place), and the editor checks the same clauses after every edit.
 */
const localsByClause = new WeakMap<A.Clause, ClauseLocals>();

function localsOf(clause: A.Clause): ClauseLocals {
  let found = localsByClause.get(clause);
  if (found !== undefined) return found;
  found = { reads: [], assigned: [] };
  const assigned = new Set<string>();
  // Pre-order visits an assignment before its operands, but the right-hand side runs first:
  // the target counts as assigned from the first expression after the right-hand side.
  const pending: { target: string; from: number }[] = [];
  const { exprs, clauseLocals } = clauseExpressions(clause);
  for (const at of clauseLocals) {
    for (let k = pending.length - 1; k >= 0; k--)
      if (pending[k]!.from <= at) {
        assigned.add(pending[k]!.target);
        pending.splice(k, 1);
      }
    const x = exprs[at] as A.ThisVar;
    // `this->x = v`: the assignment comes right before its left operand x (pre-order), and v
    // right after it (x has no operands).
    const parent = at > 0 ? exprs[at - 1] : undefined;
    if (parent && parent.k === 'assign' && parent.left === x) {
      if (parent.op === '=') pending.push({ target: x.name, from: at + 1 + subtreeSize(parent.right) });
    } else if (!assigned.has(x.name)) found.reads.push({ name: x.name, span: x.span });
  }
  for (const p of pending) assigned.add(p.target);
  found.assigned = [...assigned];
  localsByClause.set(clause, found);
  return found;
}
