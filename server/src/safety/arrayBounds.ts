// Indexes into fixed-size arrays that are not provably in bounds: constants past the end, and
// variable indexes not guarded by a `?:` or the clause's predicate.
import type * as A from '../parse/ast';
import type { Compilation } from '../analyze/compilation';
import { resolve } from '../analyze/types/ctype';
import { forEachExpr, forEachStatement, statementExprs } from './walk';

export function checkArrayBounds(c: Compilation, clauses: A.Clause[], source: (e: A.Expr) => string): void {
  for (const clause of clauses) {
    const predicate = clause.predicate ? source(clause.predicate) : '';
    const visit = (e: A.Expr): void =>
      forEachExpr(e, (x, ancestors) => {
        if (x.k !== 'index' || x.indices.length !== 1) return;
        const base = c.typed.get(x.base);
        if (!base) return;
        const t = resolve(base.type);
        if (t.kind !== 'array' || t.length === undefined) return;
        const idx = x.indices[0]!;
        const k = c.typed.get(idx)?.constant;
        if (k !== undefined) {
          if (k < 0n || k >= BigInt(t.length))
            c.warn('DTVM_ARRAY_BOUNDS', idx.span, `index ${k} is outside the array's ${t.length} elements`);
          return;
        }
        const text = source(idx);
        const guarded = ancestors.some((a) => a.k === 'cond' && source(a.test).includes(text)) || predicate.includes(text);
        if (!guarded)
          c.warn('DTVM_ARRAY_BOUNDS', idx.span, `index ${text} is not provably within the array's ${t.length} elements: guard it with the predicate or \`?:\``);
      });
    if (clause.predicate) visit(clause.predicate);
    forEachStatement(clause.body, (s) => statementExprs(s).forEach(visit));
  }
}
