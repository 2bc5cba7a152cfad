// Visiting every expression and statement of a clause, for the safety rules.
import type * as A from '../parse/ast';

export function forEachStatement(stmts: A.Stmt[] | undefined, visit: (s: A.Stmt) => void): void {
  for (const s of stmts ?? []) {
    visit(s);
    if (s.k === 'block') forEachStatement(s.body, visit);
    if (s.k === 'if') {
      forEachStatement([s.then], visit);
      if (s.else) forEachStatement([s.else], visit);
    }
    if (s.k === 'loop') forEachStatement([s.body], visit);
  }
}

export function children(e: A.Expr): A.Expr[] {
  switch (e.k) {
    case 'paren': case 'unary': case 'update': case 'sizeofExpr': case 'stringof': case 'xlate': case 'cast':
      return [e.arg];
    case 'binary': case 'assign': case 'comma':
      return [e.left, e.right];
    case 'cond':
      return [e.test, e.then, e.else];
    case 'call':
      return [e.fn, ...e.args];
    case 'index':
      return [e.base, ...e.indices];
    case 'member':
      return [e.base];
    default:
      return [];
  }
}

/** Pre-order walk; `ancestors` holds the enclosing expressions, innermost last. */
export function forEachExpr(e: A.Expr, visit: (e: A.Expr, ancestors: A.Expr[]) => void, ancestors: A.Expr[] = []): void {
  visit(e, ancestors);
  ancestors.push(e);
  for (const c of children(e)) forEachExpr(c, visit, ancestors);
  ancestors.pop();
}

export function statementExprs(s: A.Stmt): A.Expr[] {
  if (s.k === 'expr') return [s.expr];
  if (s.k === 'if') return [s.test];
  if (s.k === 'loop') return [s.init, s.test, s.update].filter((x): x is A.Expr => x !== undefined);
  return [];
}

export function clauseExprs(clause: A.Clause, visit: (e: A.Expr, ancestors: A.Expr[]) => void): void {
  if (clause.predicate) forEachExpr(clause.predicate, visit);
  forEachStatement(clause.body, (s) => statementExprs(s).forEach((e) => forEachExpr(e, visit)));
}
