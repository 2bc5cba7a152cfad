// The safety rules beyond DTrace's own checks, one module per rule.
import type * as A from '../parse/ast';
import type { Compilation } from '../analyze/compilation';
import { checkArrayBounds } from './arrayBounds';
import { checkClauseLocalReads } from './clauseLocalUnset';
import { checkLoops } from './loops';
import { checkSpeculations } from './speculationLeak';
import { checkThreadLocalLeaks } from './threadLocalLeak';
import { checkUnboundedSizes } from './unboundedSize';
import { checkUserPointerDerefs } from './userPointerDeref';

export function runSafetyRules(c: Compilation, program: A.Program, clauses: { clause: A.Clause; descriptions: string[] }[], source?: string): void {
  const all = program.items.filter((i): i is A.Clause => i.k === 'clause');
  for (const clause of all) checkLoops(c, clause);
  const text = (e: A.Expr): string => (source ?? '').slice(e.span.startIndex, e.span.endIndex);
  checkThreadLocalLeaks(c, all);
  checkClauseLocalReads(c, clauses);
  checkUnboundedSizes(c, all);
  checkArrayBounds(c, all, text);
  checkSpeculations(c, all);
  checkUserPointerDerefs(c, clauses, text);
}
