// Reading and rewriting the user's text for quick fixes: spans to LSP ranges, the indentation of
// a line, statements re-indented to a new depth.
import type { Range } from 'vscode-languageserver';
import type * as A from '../../parse/ast';
import type { Tree } from '../../parse/dParser';
import { pointOf } from '../documentAnalysis';

export const sameSpan = (a: A.Span, r: Range): boolean =>
  a.start.row === r.start.line && a.start.column === r.start.character && a.end.row === r.end.line && a.end.column === r.end.character;

/** The blanks at the start of the line `index` is on. */
export function indentAt(text: string, index: number): string {
  const start = text.lastIndexOf('\n', index - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start, index + 1))![0].slice(0, Math.max(0, index - start));
}

/** The indentation one level deeper than `indent`, in the file's style. */
export function deeper(text: string, indent: string): string {
  return indent + (/^\t| {1,8}/m.exec(text.match(/^([ \t]+)\S/m)?.[1] ?? '\t')?.[0] ?? '\t');
}

/**
 * The text of statements `first`..`last` (inclusive), moved from indentation `from` to `to`:
 * each line loses `from` (when it starts with it) and gains `to`.
 */
export function reindent(text: string, first: A.Span, last: A.Span, from: string, to: string): string[] {
  const lines = text.slice(first.startIndex, last.endIndex).split('\n');
  return lines.map((line, i) => {
    if (i === 0) return to + line;
    const trimmed = line.replace(/\r$/, '');
    if (trimmed.trim() === '') return '';
    return to + (trimmed.startsWith(from) ? trimmed.slice(from.length) : trimmed.trimStart());
  });
}

/** The line break the file uses. */
export const eol = (text: string): string => (/\r\n/.test(text) ? '\r\n' : '\n');

/** The clause whose span contains `index`. */
export function clauseAt(program: A.Program, index: number): A.Clause | undefined {
  for (const item of program.items) if (item.k === 'clause' && item.span.startIndex <= index && index <= item.span.endIndex) return item;
  return undefined;
}

/** Every statement of a clause body, depth first, with the list it is in. */
export function forEachStatementIn(body: A.Stmt[], visit: (s: A.Stmt, list: A.Stmt[]) => void): void {
  for (const s of body) {
    visit(s, body);
    if (s.k === 'block') forEachStatementIn(s.body, visit);
    else if (s.k === 'if') {
      forEachStatementIn([s.then], visit);
      if (s.else) forEachStatementIn([s.else], visit);
    } else if (s.k === 'loop') forEachStatementIn([s.body], visit);
  }
}

/** An expression as an operand of `&&`: parenthesised unless it binds at least as tightly. */
export function andOperand(e: A.Expr, text: string): string {
  const src = text.slice(e.span.startIndex, e.span.endIndex);
  const loose = e.k === 'assign' || e.k === 'cond' || e.k === 'comma' || (e.k === 'binary' && (e.op === '||' || e.op === '^^'));
  return loose ? `(${src})` : src;
}

/**
 * Whether a comment lies in `[start, end)` outside every kept span: a rewrite that rebuilds the
 * text around the kept parts would lose it (such rewrites are then not offered).
 */
export function losesComments(tree: Tree, text: string, start: number, end: number, kept: A.Span[]): boolean {
  for (const c of tree.rootNode.descendantsOfType('comment', pointOf(text, start), pointOf(text, end))) {
    if (c.startIndex < start || c.endIndex > end) continue;
    if (!kept.some((k) => k.startIndex <= c.startIndex && c.endIndex <= k.endIndex)) return true;
  }
  return false;
}

/**
 * What a body keeps when its braces go: for a block, everything between its braces (comments
 * too) without the surrounding blank lines; for a single statement, the statement. Undefined
 * for an empty block.
 */
export function bodyContent(text: string, body: A.Stmt): A.Span | undefined {
  if (body.k !== 'block') return body.span;
  let start = body.span.startIndex + 1;
  let end = body.span.endIndex - 1;
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  if (start >= end) return undefined;
  return { start: pointOf(text, start), end: pointOf(text, end), startIndex: start, endIndex: end };
}
