// Statements of a clause body: action calls (trace, printf, exit, speculate ...), aggregation
// statements (`@a[k] = count()`) and plain expressions. DTrace checks a clause in two passes:
// it cooks every statement (and the predicate), then generates each statement's code, where
// the actions check their arguments and the order of the clause's actions is checked.
//
// The driver says when a clause starts (`beginClauseActions`) and when DTrace would generate
// its code (`compileClauseActions`, after the predicate and wherever an `if` splits the
// clause). Without that, each statement's code is generated right after it is cooked.
import type * as A from '../parse/ast';
import * as functionsModule from './builtins/functions';
import type { ClauseState, Compilation } from './compilation';
import * as actionListModule from './actionList';
import { type ClauseActions } from './actionList';
import { Abandon } from './diagnostics';
import * as actionArgumentsModule from './actionArguments';
import { type ArgNode } from './actionArguments';
import * as actionCallsModule from './actionCalls';
import { type Compile } from './actionCalls';
import * as aggregationStatementsModule from './aggregationStatements';
import * as expressionsModule from './expressions';
import { type Cooked } from './expressions';
import * as parseTimeModule from './parseTime';
// Imported names bound once, here: the loader the sources run under (tsx, for the tests and
// the benchmarks) turns each use of an imported name into getter calls, and these are used for
// every clause, statement or expression. Only functions, and constants of modules that do not
// lead back to this one, are bound: they are defined before this module's body runs.
const { FUNCTIONS_BY_NAME } = functionsModule;
const { appendActions, sameOrdering, writeOrderingFlags } = actionListModule;
const { generate, noteDestructive, referenceSubscripts, strip, NOT_GENERATED } = actionArgumentsModule;
const { cookActionCall } = actionCallsModule;
const { aggregationTarget, cookAggregationStatement } = aggregationStatementsModule;
const { cook } = expressionsModule;
const { checkParseTime, lineOf } = parseTimeModule;
const compileNullAggregation: typeof aggregationStatementsModule.compileNullAggregation = aggregationStatementsModule.compileNullAggregation;

type IfStatement = Extract<A.Stmt, { k: 'if' }>;

export function checkStatement(c: Compilation, s: A.Stmt, ifs: { onIf(s: IfStatement): void }): void {
  switch (s.k) {
    case 'empty':
    case 'error':
      return;
    case 'block':
      for (const x of s.body) checkStatement(c, x, ifs);
      return;
    case 'if':
      ifs.onIf(s);
      return;
    case 'loop':
    case 'jump':
      // Reported by the safety rules, which explain what to write instead.
      return;
    case 'expr':
      checkExpressionStatement(c, s.expr, s.span);
  }
}

/** One statement: cooked now, its code generated now or when the driver says. */
export function checkExpressionStatement(c: Compilation, expr: A.Expr, span: A.Span = expr.span): void {
  let compile: Compile;
  try {
    compile = cookStatement(c, expr);
  } catch (e) {
    if (e instanceof Abandon) return;
    throw e;
  }
  const step: Step = { compile, span };
  const pending = deferred.get(c);
  if (pending) pending.steps.push(step);
  else generateStatement(c, step);
}

/** A cooked statement whose code is still to be generated. */
interface Step {
  compile: Compile;
  span: A.Span;
}

/** Generates a statement's code: its actions join the clause's list (an error abandons only it). */
function generateStatement(c: Compilation, step: Step): void {
  try {
    const list = currentList(c);
    const kinds = step.compile(list);
    appendActions(c, list, kinds, step.span, lineOf(step.span));
    if (c.clause) writeOrderingFlags(c.clause, list);
    if (kinds.includes('destructive')) noteDestructive(c, step.span);
  } catch (e) {
    if (!(e instanceof Abandon)) throw e;
  }
}

/** DTrace's cooking of a statement; returns what generating its code will check. */
function cookStatement(c: Compilation, expr: A.Expr): Compile {
  // What DTrace finds while it reads the statement comes first.
  checkParseTime(c, expr);
  const e = strip(expr);
  if (e.k === 'call') {
    const fn = strip(e.fn);
    const f = fn.k === 'ident' ? FUNCTIONS_BY_NAME.get(fn.name) : undefined;
    if (f?.kind === 'action') return cookActionCall(c, f, e);
  }
  if (e.k === 'assign') {
    const target = aggregationTarget(e);
    if (target) return cookAggregationStatement(c, e, target);
  }
  referenceSubscripts(c, e);
  const a: ArgNode = { expr, node: cook(c, expr, NOT_GENERATED) as Cooked };
  return () => {
    if (a.node.node === 'agg') compileNullAggregation(c, expr, a.node);
    return [generate(c, a) ? 'destructive' : 'void'];
  };
}

// ---- the two passes of a clause ----

interface Deferred {
  steps: Step[];
  descriptionLine: number;
}

const deferred = new WeakMap<Compilation, Deferred>();
const lists = new WeakMap<ClauseState, ClauseActions>();

/**
 * A clause starts: its statements are cooked from now on, their code generated when
 * `compileClauseActions` is called. Checking the clause again (DTrace retries a clause with
 * its predicate first) starts over.
 */
export function beginClauseActions(c: Compilation, clause: A.Clause): void {
  const first = clause.descriptions[0];
  deferred.set(c, { steps: [], descriptionLine: first ? lineOf(first.span) : lineOf(clause.span) });
  if (c.clause) lists.delete(c.clause);
}

/**
 * Generates the code of the statements cooked since the clause began or since the last call,
 * in order; the statements cooked after this call belong to a new clause (as those after an
 * `if` do once DTrace has desugared it).
 */
export function compileClauseActions(c: Compilation): void {
  const d = deferred.get(c);
  if (!d) return;
  const steps = d.steps;
  d.steps = [];
  for (const step of steps) generateStatement(c, step);
  if (c.clause) lists.delete(c.clause);
}

/** The clause is done: statements are compiled as they are cooked again. */
export function endClauseActions(c: Compilation): void {
  compileClauseActions(c);
  deferred.delete(c);
}

/**
 * The action list of the clause being compiled. Without the driver's calls, a list ends where
 * the driver clears the clause's ordering flags (where an `if` splits the clause).
 */
function currentList(c: Compilation): ClauseActions {
  const state = c.clause;
  const line = deferred.get(c)?.descriptionLine ?? 0;
  if (!state) return { kinds: [], lineno: line };
  const entry = lists.get(state);
  if (entry && sameOrdering(entry, state)) return entry;
  const list: ClauseActions = { kinds: [], lineno: line };
  lists.set(state, list);
  return list;
}

