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

/**
 * Every expression of a clause in pre-order (predicate first, then the statements in
 * forEachStatement's order), and the positions of the kinds of expressions (and statements)
 * the rules look for: computed once per clause, so that each rule loops over a few positions
 * rather than every expression.
 */
export interface ClauseExpressions {
  exprs: A.Expr[];
  /** Positions of the whole expressions (those of statements and the predicate). */
  wholes: number[];
  calls: number[];
  assignments: number[];
  /** Subscripts with one index whose base is not an aggregation: those that may index an array. */
  arraySubscripts: number[];
  /** `this->x` references. */
  clauseLocals: number[];
  macros: number[];
  /** Loops and jumps, in forEachStatement's order. */
  loopsAndJumps: A.Stmt[];
}

const clauseCache = new WeakMap<A.Clause, ClauseExpressions>();

export function clauseExpressions(clause: A.Clause): ClauseExpressions {
  const cached = clauseCache.get(clause);
  if (cached) return cached;
  const flat: ClauseExpressions = { exprs: [], wholes: [], calls: [], assignments: [], arraySubscripts: [], clauseLocals: [], macros: [], loopsAndJumps: [] };
  if (clause.predicate) addWhole(flat, clause.predicate);
  if (clause.body) for (const s of clause.body) addStatement(flat, s);
  clauseCache.set(clause, flat);
  return flat;
}

function addStatement(flat: ClauseExpressions, s: A.Stmt): void {
  switch (s.k) {
    case 'expr':
      addWhole(flat, s.expr);
      return;
    case 'block':
      for (const x of s.body) addStatement(flat, x);
      return;
    case 'if':
      addWhole(flat, s.test);
      addStatement(flat, s.then);
      if (s.else) addStatement(flat, s.else);
      return;
    case 'loop':
      flat.loopsAndJumps.push(s);
      if (s.init) addWhole(flat, s.init);
      if (s.test) addWhole(flat, s.test);
      if (s.update) addWhole(flat, s.update);
      addStatement(flat, s.body);
      return;
    case 'jump':
      flat.loopsAndJumps.push(s);
      return;
    default:
      return;
  }
}

function addWhole(flat: ClauseExpressions, e: A.Expr): void {
  flat.wholes.push(flat.exprs.length);
  addExpr(flat, e);
}

/** Pre-order, operands left to right (as `children` lists them). */
function addExpr(flat: ClauseExpressions, e: A.Expr): void {
  const at = flat.exprs.length;
  flat.exprs.push(e);
  switch (e.k) {
    case 'paren':
    case 'unary':
    case 'update':
    case 'sizeofExpr':
    case 'stringof':
    case 'xlate':
    case 'cast':
      addExpr(flat, e.arg);
      return;
    case 'assign':
      flat.assignments.push(at);
      addExpr(flat, e.left);
      addExpr(flat, e.right);
      return;
    case 'binary':
    case 'comma':
      addExpr(flat, e.left);
      addExpr(flat, e.right);
      return;
    case 'cond':
      addExpr(flat, e.test);
      addExpr(flat, e.then);
      addExpr(flat, e.else);
      return;
    case 'call':
      flat.calls.push(at);
      addExpr(flat, e.fn);
      for (const a of e.args) addExpr(flat, a);
      return;
    case 'index':
      if (e.indices.length === 1 && e.base.k !== 'agg') flat.arraySubscripts.push(at);
      addExpr(flat, e.base);
      for (const i of e.indices) addExpr(flat, i);
      return;
    case 'member':
      addExpr(flat, e.base);
      return;
    case 'this':
      flat.clauseLocals.push(at);
      return;
    case 'macro':
      flat.macros.push(at);
      return;
    default:
      return;
  }
}

/** The enclosing expression of each of clauseExpressions' expressions (undefined for a whole one). */
export function clauseParents(clause: A.Clause): (A.Expr | undefined)[] {
  const parents: (A.Expr | undefined)[] = [];
  const add = (e: A.Expr, parent: A.Expr | undefined): void => {
    parents.push(parent);
    for (const x of children(e)) add(x, e);
  };
  const { exprs, wholes } = clauseExpressions(clause);
  for (const w of wholes) add(exprs[w]!, undefined);
  return parents;
}

/** How many expressions the subtree of `e` holds (itself included). */
export function subtreeSize(e: A.Expr): number {
  let n = 1;
  for (const x of children(e)) n += subtreeSize(x);
  return n;
}
