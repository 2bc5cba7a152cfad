// The clauses as the user wrote them, and where each enabling's predicate and actions sit in
// them. `if` desugaring splits a clause into several (each with a synthetic predicate); the
// desugared clauses keep their origin, and every action keeps the span of the statement or
// argument it came from, so the stack, the breakpoints and the stepping speak of the user's
// clauses and statements.
import type { CompiledProgram, Enabling } from '../../codegen/program';
import type { DesugaredClause } from '../../desugar/ifDesugar';
import type * as A from '../../parse/ast';
import { spanWithin } from '../../parse/ast';
import type { ClauseInfo, SourceSpot } from './api';

/** Where one pause point of an enabling is, in the user's script. */
export interface PlacedStep {
  clause: number;
  /** Statement index in ClauseInfo.statements (-1: the predicate). */
  statement: number;
  spot: SourceSpot;
}

export interface EnablingPlaces {
  /** The user's clause (undefined for the clause the `if` sugar adds). */
  clause: number | undefined;
  predicate: PlacedStep | undefined;
  /** One per action. */
  actions: (PlacedStep | undefined)[];
}

export function spotOf(span: A.Span): SourceSpot {
  return { line: span.start.row + 1, column: span.start.column + 1, endLine: span.end.row + 1, endColumn: span.end.column + 1 };
}

/** Statements in source order, an `if` before the statements it guards. */
function statementsOf(body: readonly A.Stmt[] | undefined): A.Stmt[] {
  const out: A.Stmt[] = [];
  const visit = (s: A.Stmt): void => {
    switch (s.k) {
      case 'block':
        s.body.forEach(visit);
        return;
      case 'if':
        out.push(s);
        visit(s.then);
        if (s.else) visit(s.else);
        return;
      case 'empty':
        return;
      default:
        out.push(s);
    }
  };
  (body ?? []).forEach(visit);
  return out;
}

export class ClauseMap {
  readonly clauses: ClauseInfo[] = [];
  private readonly statementSpans: A.Span[][] = [];
  private readonly predicateSpans: (A.Span | undefined)[] = [];
  private readonly byEnabling = new Map<Enabling, EnablingPlaces>();

  constructor(userClauses: readonly A.Clause[], desugared: readonly DesugaredClause[], program: CompiledProgram) {
    const index = new Map<A.Clause, number>();
    userClauses.forEach((c, i) => {
      index.set(c, i);
      const statements = statementsOf(c.body);
      // An `if` is a stop of its own at its condition, not across its whole body.
      const spans = statements.map((s) => (s.k === 'if' ? s.test.span : s.span));
      this.statementSpans.push(spans);
      this.predicateSpans.push(c.predicate?.span);
      this.clauses.push({
        index: i,
        probes: c.descriptions.map((d) => d.text).join(','),
        spot: spotOf(c.span),
        ...(c.predicate ? { predicate: spotOf(c.predicate.span) } : {}),
        statements: spans.map(spotOf),
      });
    });
    for (const e of program.enablings) {
      const d = desugared[e.clause];
      const clause = d === undefined || d.addedErrorClause ? undefined : index.get(d.origin);
      this.byEnabling.set(e, {
        clause,
        predicate: clause === undefined || d?.predicate === undefined ? undefined : this.place(clause, d.predicate.span, true),
        actions: e.actions.map((a) => (clause === undefined ? undefined : this.place(clause, a.span, false))),
      });
    }
  }

  places(e: Enabling): EnablingPlaces {
    return this.byEnabling.get(e) ?? { clause: undefined, predicate: undefined, actions: [] };
  }

  /** The statement (or the predicate) of a clause that holds this span, innermost first. */
  private place(clause: number, span: A.Span, isPredicate: boolean): PlacedStep | undefined {
    const pred = this.predicateSpans[clause];
    if (pred !== undefined && spanWithin(span, pred)) return { clause, statement: -1, spot: spotOf(pred) };
    // The `if` sugar's own predicates are not the user's: stepping does not stop at them.
    if (isPredicate) return undefined;
    const spans = this.statementSpans[clause]!;
    let best = -1;
    for (let i = 0; i < spans.length; i++) {
      if (spanWithin(span, spans[i]!) && (best < 0 || spanWithin(spans[i]!, spans[best]!))) best = i;
    }
    if (best < 0) {
      // A span the statements do not hold (a synthetic predicate of the `if` sugar over the
      // whole clause): the nearest statement that starts inside it.
      for (let i = 0; i < spans.length; i++) if (spans[i]!.startIndex >= span.startIndex && spans[i]!.startIndex <= span.endIndex) return { clause, statement: i, spot: spotOf(spans[i]!) };
      return spans.length === 0 ? undefined : { clause, statement: spans.length - 1, spot: spotOf(spans[spans.length - 1]!) };
    }
    return { clause, statement: best, spot: spotOf(spans[best]!) };
  }

  /**
   * The clause, predicate or statement a breakpoint on this line binds to; with a column (an
   * inline breakpoint), the statement of the line at that column.
   */
  bindLine(line: number, column?: number): { clause: number; statement: number | 'clause'; spot: SourceSpot } | undefined {
    for (const c of this.clauses) {
      if (line < c.spot.line || line > c.spot.endLine) continue;
      const s = statementAt(c.statements, line, column);
      if (s >= 0) return { clause: c.index, statement: s, spot: c.statements[s]! };
      if (c.predicate !== undefined && line >= c.predicate.line && line <= c.predicate.endLine) return { clause: c.index, statement: -1, spot: c.predicate };
      // The probe description lines and anything else in the clause: the clause itself.
      const firstInner = Math.min(c.predicate?.line ?? Infinity, c.statements[0]?.line ?? Infinity);
      if (line < firstInner || c.statements.length === 0) return { clause: c.index, statement: 'clause', spot: c.spot };
      // A line between statements: the next statement.
      const next = c.statements.findIndex((st) => st.line > line);
      if (next >= 0) return { clause: c.index, statement: next, spot: c.statements[next]! };
      return undefined;
    }
    return undefined;
  }
}

/**
 * The statement starting on `line` a breakpoint there binds to: the first, or with a column the
 * innermost one holding it, else the first starting after it, else the last starting before.
 */
function statementAt(statements: readonly SourceSpot[], line: number, column: number | undefined): number {
  const on = statements.flatMap((st, i) => (st.line === line ? [i] : []));
  if (on.length === 0) return -1;
  if (column === undefined) return on[0]!;
  const holds = (st: SourceSpot): boolean => column >= st.column && (st.endLine > line || column < st.endColumn);
  let best = -1;
  for (const i of on) if (holds(statements[i]!)) best = i; // later holders are inner (source order)
  if (best >= 0) return best;
  const after = on.find((i) => statements[i]!.column >= column);
  return after ?? on[on.length - 1]!;
}
