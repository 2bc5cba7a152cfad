// copyin(), copyinstr(), alloca() and tracemem() with a size the compiler cannot bound: a bad
// value exhausts scratch space (a "noscratch" fault) or copies far more than intended.
import type * as A from '../parse/ast';
import type { Compilation } from '../analyze/compilation';
import { clauseExpressions } from './walk';

const SIZE_ARGUMENT: Record<string, number> = { copyin: 1, copyinstr: 1, alloca: 0, tracemem: 1 };

export function checkUnboundedSizes(c: Compilation, clauses: A.Clause[]): void {
  for (const clause of clauses) {
    for (const e of sizedCallsOf(clause)) {
      const size = e.args[SIZE_ARGUMENT[(e.fn as A.Ident).name]!]!;
      if (c.typed.get(size)?.constant !== undefined) continue;
      let s = size;
      while (s.k === 'paren') s = s.arg;
      if (s.k === 'cond') continue; // a `x < N ? x : N` guard bounds it
      c.warn('DTVM_UNBOUNDED_SIZE', size.span, `the size passed to ${(e.fn as A.Ident).name}( ) is not bounded: clamp it (for example \`n > 1024 ? 1024 : n\`) so a bad value cannot exhaust scratch space`);
    }
  }
}

/**
 * A clause's calls that take a size, per clause made once: a clause is immutable (an edit that
 * only moves it keeps the object), and the editor checks the same clauses after every edit.
 */
const sizedCalls = new WeakMap<A.Clause, A.Call[]>();

function sizedCallsOf(clause: A.Clause): A.Call[] {
  let found = sizedCalls.get(clause);
  if (found !== undefined) return found;
  found = [];
  const { exprs, calls } = clauseExpressions(clause);
  for (const at of calls) {
    const e = exprs[at] as A.Call;
    if (e.fn.k !== 'ident') continue;
    const i = SIZE_ARGUMENT[e.fn.name];
    if (i !== undefined && e.args[i]) found.push(e);
  }
  sizedCalls.set(clause, found);
  return found;
}
