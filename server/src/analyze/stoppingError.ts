// Where a compilation stops for a face that runs the script (dtvm, the debugger): dtrace(1)
// stops at its first error, so both faces must agree on which one that is. The front end's
// error diagnostics hold only what DTrace reports before its first bad token, so the first of
// them comes before the lexical or syntax error. Destructive actions compile: dtrace(1) refuses
// them when it enables them (and not with -e), so they never stop a compilation here.
import { spanWithin } from '../parse/ast';
import type { FrontEndResult } from './frontEnd';

export interface StoppingError {
  code: string;
  message: string;
  /** 0-based row of the line DTrace reports (before `#line` directives renumber it). */
  row: number;
  /** The line number DTrace prints (`#line` applied) and the file when it is not the script. */
  line: number;
  file?: string;
  /** dtrace -n's messages say whether the error is in the predicate or the action list. */
  inPredicate: boolean;
  /** Where the error starts (0-based), for a face that points at it. */
  start: { row: number; column: number };
  /** The D library file the error is in (`start` is then in that file, not in the script). */
  library?: string;
}

export function stoppingError(result: FrontEndResult, text: string): StoppingError | undefined {
  const analysis = result.analysis;
  const first = analysis?.diagnostics.find((d) => d.severity === 'error' && d.code !== 'DTVM_DESTRUCTIVE');
  if (analysis !== undefined && first !== undefined) {
    const at = analysis.locate(first);
    const inPredicate = analysis.clauses.some((c) => c.clause.predicate !== undefined && spanWithin(first.span, c.clause.predicate.span));
    return {
      code: first.code,
      message: first.message,
      row: (first.line ?? first.span.start.row + 1) - 1,
      line: at.line,
      ...(at.file !== undefined ? { file: at.file } : {}),
      inPredicate,
      start: { row: first.span.start.row, column: first.span.start.column },
      ...(first.file !== undefined ? { library: first.file } : {}),
    };
  }
  const f = result.firstError;
  if (f === undefined) return undefined;
  const at = result.lines.at(f.row);
  const before = text.slice(0, Math.max(0, f.index));
  const startRow = before.split('\n').length - 1;
  return {
    code: f.tag,
    message: f.message,
    row: f.row,
    line: at.line,
    ...(at.file !== undefined ? { file: at.file } : {}),
    inPredicate: false,
    start: { row: startRow, column: before.length - (before.lastIndexOf('\n') + 1) },
  };
}
