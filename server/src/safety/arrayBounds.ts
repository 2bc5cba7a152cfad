// Indexes into fixed-size arrays that are not provably in bounds: constants past the end, and
// variable indexes not guarded by a `?:` or the clause's predicate.
import type * as A from '../parse/ast';
import type { Compilation } from '../analyze/compilation';
import { resolve } from '../analyze/types/ctype';
import { clauseExpressions, clauseParents } from './walk';

export function checkArrayBounds(c: Compilation, clauses: A.Clause[], source: (e: A.Expr) => string): void {
  for (const clause of clauses) {
    let predicate: string | undefined;
    let parentOf: Map<A.Expr, A.Expr | undefined> | undefined;
    // An aggregation's keys are never an array's index (and reading their facts costs an edit the most).
    const { exprs, arraySubscripts } = clauseExpressions(clause);
    for (const at of arraySubscripts) {
      const x = exprs[at] as A.Index;
      const base = c.typed.get(x.base);
      if (!base) continue;
      const t = resolve(base.type);
      if (t.kind !== 'array' || t.length === undefined) continue;
      const idx = x.indices[0]!;
      const k = c.typed.get(idx)?.constant;
      if (k !== undefined) {
        if (k < 0n || k >= BigInt(t.length)) c.warn('DTVM_ARRAY_BOUNDS', idx.span, `index ${k} is outside the array's ${t.length} elements`);
        continue;
      }
      const text = source(idx);
      if (!parentOf) {
        const parents = clauseParents(clause);
        parentOf = new Map(exprs.map((e, i) => [e, parents[i]]));
      }
      predicate ??= clause.predicate ? source(clause.predicate) : '';
      let guarded = predicate.includes(text);
      for (let a = parentOf.get(x); a && !guarded; a = parentOf.get(a)) if (a.k === 'cond' && source(a.test).includes(text)) guarded = true;
      if (!guarded)
        c.warn('DTVM_ARRAY_BOUNDS', idx.span, `index ${text} is not provably within the array's ${t.length} elements: guard it with the predicate or \`?:\``);
    }
  }
}
