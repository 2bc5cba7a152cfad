// `if`/`else` to predicated clauses, exactly as DTrace's compiler rewrites them (reference
// section 2): conditions in hidden clause-locals `this->%condition_N`, a thread-local
// `self->%error` that a fault sets (through an added `dtrace:::ERROR` clause) so that the
// remaining sub-clauses of that firing are skipped.
import type * as A from '../parse/ast';

export function hasIf(s: A.Stmt): boolean {
  if (s.k === 'if') return true;
  if (s.k === 'block') return s.body.some(hasIf);
  return false;
}

export interface DesugaredClause extends A.Clause {
  /** The user's clause this one came from. */
  origin: A.Clause;
  /** The `if` whose condition this clause computes, if any. */
  conditionOf?: Extract<A.Stmt, { k: 'if' }>;
  /** The `dtrace:::ERROR { self->%error = 1; }` clause the sugar adds. */
  addedErrorClause?: true;
}

export interface DesugaredProgram {
  clauses: DesugaredClause[];
  /** `dtrace:::ERROR { self->%error = 1; }` was added (any clause used `if`). */
  addedErrorClause: boolean;
}

const selfError = (span: A.Span): A.Expr => ({ k: 'self', name: '%error', nameSpan: span, span });
const cond = (n: number, span: A.Span): A.Expr => ({ k: 'this', name: `%condition_${n}`, nameSpan: span, span });
const int = (v: string, span: A.Span): A.Expr => ({ k: 'int', text: v, span });
const not = (e: A.Expr, span: A.Span): A.Expr => ({ k: 'unary', op: '!', arg: e, span });
const and = (l: A.Expr, r: A.Expr, span: A.Span): A.Expr => ({ k: 'binary', op: '&&', left: l, right: r, opSpan: span, span });
const assign = (l: A.Expr, r: A.Expr, span: A.Span): A.Stmt => ({ k: 'expr', expr: { k: 'assign', op: '=', left: l, right: r, span }, span });
const paren = (e: A.Expr): A.Expr => ({ k: 'paren', arg: e, span: e.span });

export function desugarProgram(clauses: A.Clause[]): DesugaredProgram {
  const out: DesugaredClause[] = [];
  let addedErrorClause = false;
  for (const clause of clauses) {
    const parts = desugarClause(clause);
    if (parts.length > 1 && !addedErrorClause) {
      addedErrorClause = true;
      const span = clause.span;
      out.unshift({
        k: 'clause',
        descriptions: [{ text: 'dtrace:::ERROR', span }],
        body: [assign(selfError(span), int('1', span), span)],
        span,
        origin: clause,
        addedErrorClause: true,
      });
    }
    out.push(...parts);
  }
  return { clauses: out, addedErrorClause };
}

export function desugarClause(clause: A.Clause): DesugaredClause[] {
  if (!clause.body || !clause.body.some(hasIf)) return [{ ...clause, origin: clause }];
  const out: DesugaredClause[] = [];
  const span = clause.span;
  let count = 0;
  const emit = (predicate: A.Expr | undefined, body: A.Stmt[], conditionOf?: Extract<A.Stmt, { k: 'if' }>): void => {
    const c: DesugaredClause = { k: 'clause', descriptions: clause.descriptions, body, span, origin: clause };
    if (predicate) c.predicate = predicate;
    if (conditionOf) c.conditionOf = conditionOf;
    out.push(c);
  };
  const guard = (current: number): A.Expr | undefined => {
    if (current > 0) return and(not(selfError(span), span), cond(current, span), span);
    return count > 0 ? not(selfError(span), span) : undefined;
  };
  const base = (current: number): A.Expr => (current > 0 ? cond(current, span) : int('1', span));
  let current = 0;
  if (clause.predicate) {
    current = ++count;
    emit(not(selfError(span), span), [assign(cond(current, span), paren(and(int('1', span), paren(clause.predicate), span)), span)]);
  }
  const process = (stmts: A.Stmt[], cur: number): void => {
    let run: A.Stmt[] = [];
    const flush = (): void => {
      if (run.length === 0) return;
      emit(guard(cur), run);
      run = [];
    };
    const visit = (s: A.Stmt): void => {
      if (s.k === 'block') {
        s.body.forEach(visit);
        return;
      }
      if (s.k !== 'if') {
        run.push(s);
        return;
      }
      flush();
      const n = ++count;
      emit(not(selfError(span), span), [assign(cond(n, s.span), paren(and(base(cur), s.test.k === 'paren' ? s.test : paren(s.test), s.span)), s.span)], s);
      process([s.then], n);
      if (s.else) {
        const m = ++count;
        emit(not(selfError(span), span), [assign(cond(m, s.span), paren(and(base(cur), not(cond(n, s.span), s.span), s.span)), s.span)], s);
        process([s.else], m);
      }
    };
    stmts.forEach(visit);
    flush();
  };
  process(clause.body, current);
  if (clause.body.length === 0 && current > 0) emit(guard(current), []);
  if (count > 0) out.unshift({ k: 'clause', descriptions: clause.descriptions, body: [assign(selfError(span), int('0', span), span)], span, origin: clause });
  return out;
}
