// What the call stack shows: the firing (probe and where/when it fired), the clause, and the
// statement as the user wrote it. Pure text functions over the runtime's Location, so the
// names are the same in VS Code, nvim-dap and the tests.
import type { ClauseInfo, FiringInfo, SourceSpot } from '../runtime/api';

export function firingFrameName(f: FiringInfo): string {
  return `#${f.index} ${f.probe}  ts=${f.timestamp} cpu=${f.cpu} pid=${f.pid} tid=${f.tid} ${f.execname}`.trimEnd();
}

export function clauseFrameName(c: ClauseInfo): string {
  return `clause ${c.index + 1}: ${c.probes}`;
}

const MAX_NAME = 60;

/** The statement's first source line, trimmed; the predicate is shown between its slashes. */
export function statementFrameName(lines: readonly string[], spot: SourceSpot | undefined, isPredicate: boolean): string {
  if (!spot) return isPredicate ? 'predicate' : 'statement';
  const first = lines[spot.line - 1] ?? '';
  const end = spot.endLine === spot.line ? spot.endColumn - 1 : first.length;
  let text = first.slice(spot.column - 1, Math.max(end, spot.column - 1)).trim();
  if (spot.endLine !== spot.line) text += ' …';
  if (text.length > MAX_NAME) text = `${text.slice(0, MAX_NAME - 1)}…`;
  if (text === '') text = isPredicate ? 'predicate' : 'statement';
  return isPredicate ? `/${text.replace(/^\/|\/$/g, '')}/` : text;
}
