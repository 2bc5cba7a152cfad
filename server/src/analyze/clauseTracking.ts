// The hook through which the symbol tables tell the clause being recorded (clauseReuse.ts)
// what it looks up and creates. A module of its own, importing nothing: the tables it is
// called from are imported by everything.
import type { AggregationInfo, Variable, VariableTable } from './symbols';

export interface ClauseTracker {
  /** A lookup of `name` in a variable table (`v` what it found), or the variable it created. */
  variable(table: VariableTable, name: string, v: Variable | undefined, created: boolean): void;
  /** A lookup of an aggregation (`info` what it found), or the aggregation it created. */
  aggregation(name: string, info: AggregationInfo | undefined, created: boolean): void;
  /** The line an aggregation was created on, read for a message. */
  creationLine(info: AggregationInfo, line: number | undefined): void;
  /** Something a record cannot say (a whole table read): the clause is always checked again. */
  unrecordable(): void;
}

/** The clause being recorded, if any (only the language server's incremental compilations record). */
export const tracking: { active: ClauseTracker | undefined } = { active: undefined };

/** The aggregation named `name`, the lookup told to the clause being recorded. */
export function aggregationOf(c: { readonly aggregations: Map<string, AggregationInfo> }, name: string): AggregationInfo | undefined {
  const info = c.aggregations.get(name);
  if (tracking.active !== undefined) tracking.active.aggregation(name, info, false);
  return info;
}
