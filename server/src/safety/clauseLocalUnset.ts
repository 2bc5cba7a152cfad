// `this->` variables start every probe firing undefined: reading one before any clause of the
// firing assigned it reads garbage from an earlier firing.
import type * as A from '../parse/ast';
import type { Compilation } from '../analyze/compilation';
import { forEachExpr, forEachStatement, statementExprs } from './walk';

export function checkClauseLocalReads(c: Compilation, clauses: { clause: A.Clause; descriptions: string[] }[]): void {
  // Clause-locals assigned by earlier clauses, per probe description (a firing runs every
  // clause that matches it, in program order).
  const assignedBefore = new Map<string, Set<string>>();
  for (const { clause, descriptions } of clauses) {
    const assigned = new Set<string>();
    for (const d of descriptions) for (const n of assignedBefore.get(d) ?? []) assigned.add(n);
    const visit = (e: A.Expr): void =>
      forEachExpr(e, (x, ancestors) => {
        if (x.k !== 'this') return;
        const parent = ancestors[ancestors.length - 1];
        if (parent && parent.k === 'assign' && parent.left === x) {
          if (parent.op === '=') {
            // The right-hand side is evaluated first.
            visit(parent.right);
            assigned.add(x.name);
          }
          return;
        }
        if (!assigned.has(x.name))
          c.warn('DTVM_LOCAL_UNSET', x.span, `this->${x.name} is read before it is assigned in this probe firing: clause-local variables start every firing undefined`);
      });
    if (clause.predicate) visit(clause.predicate);
    forEachStatement(clause.body, (s) => statementExprs(s).forEach((e) => visitTop(e)));
    function visitTop(e: A.Expr): void {
      if (e.k === 'assign' && e.left.k === 'this' && e.op === '=') {
        visit(e.right);
        assigned.add(e.left.name);
        return;
      }
      visit(e);
    }
    for (const d of descriptions) {
      const s = assignedBefore.get(d) ?? new Set<string>();
      for (const n of assigned) s.add(n);
      assignedBefore.set(d, s);
    }
  }
}
