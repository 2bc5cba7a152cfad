// Finds control lines the way DTrace's lexer does, independently of the parser: a line whose
// first non-blank character is `#`, at the start of any line outside a comment (also in the
// middle of a clause or an expression), and splits each into the tokens DTrace's control-line
// state produces: integers, "strings" (escapes decoded) and identifiers (any other run of
// non-blank characters). `#!` interpreter lines are discarded. Reference section 1.9.
import type { Span } from '../parse/ast';
import { decodeEscapes } from './literals';
import { strtoull } from './options/cNumbers';

export type ControlToken =
  | { kind: 'int'; text: string; value: bigint }
  | { kind: 'string'; text: string }
  | { kind: 'ident'; text: string };

export interface ScannedControlLine {
  /** The whole line, without its newline. */
  text: string;
  span: Span;
  tokens: ControlToken[];
  /** An error the lexer raised while reading the line (reported at the line itself). */
  error?: { tag: string; message: string };
  /**
   * The line ends the input without a newline: DTrace's lexer hits the end of input before it
   * acts on the line, so the line has no effect.
   */
  atEndOfInput: boolean;
  /** A `#!` line: discarded without effect. */
  interpreter: boolean;
}

const BLANKS = ' \t\f\v';
/** An integer constant as DTrace's lexer matches one (RGX_INT). */
const INT_TOKEN = /^([0-9]+|0[xX][0-9A-Fa-f]+)[uU]?[lL]?[lL]?$/;
/** A complete string token: escaped quotes allowed, no newline. */
const QUOTED = /"((?:[^"\\\n]|\\[^"\n]|\\")*)"/y;
/** A string that runs into the end of its line. */
const UNTERMINATED = /"(?:[^"\\\n]|\\[^"\n]|\\")*$/y;

/** Every control line of `text`, in order. */
export function scanControlLines(text: string): ScannedControlLine[] {
  const found: ScannedControlLine[] = [];
  const n = text.length;
  let row = 0;
  let i = 0;
  let lineStart = true;
  while (i < n) {
    if (lineStart) {
      lineStart = false;
      let j = i;
      while (j < n && isBlank(text.charCodeAt(j))) j++;
      if (text.charCodeAt(j) === HASH) {
        const end = text.indexOf('\n', j);
        const stop = end < 0 ? n : end;
        found.push(controlLine(text, i, stop, row, end < 0));
        if (end < 0) break;
        i = end + 1;
        row++;
        lineStart = true;
        continue;
      }
    }
    // Only newlines, comments and literals matter between control lines.
    let ch = text.charCodeAt(i);
    while (ch !== NEWLINE && ch !== SLASH && ch !== QUOTE && ch !== APOSTROPHE && i < n) ch = text.charCodeAt(++i);
    if (i >= n) break;
    if (ch === NEWLINE) {
      row++;
      i++;
      lineStart = true;
    } else if (ch === SLASH && text.charCodeAt(i + 1) === STAR) {
      // A comment hides control lines; its newlines still count.
      const close = text.indexOf('*/', i + 2);
      const stop = close < 0 ? n : close + 2;
      for (let k = text.indexOf('\n', i); k >= 0 && k < stop; k = text.indexOf('\n', k + 1)) row++;
      i = stop;
    } else if (ch === QUOTE || ch === APOSTROPHE) {
      // Literals end at their closing quote or, unterminated, at the end of the line.
      let k = i + 1;
      while (k < n && text.charCodeAt(k) !== ch && text.charCodeAt(k) !== NEWLINE) k += text.charCodeAt(k) === BACKSLASH && text.charCodeAt(k + 1) !== NEWLINE ? 2 : 1;
      i = text.charCodeAt(k) === ch ? k + 1 : k;
    } else i++;
  }
  return found;
}

const NEWLINE = 10;
const HASH = 35;
const QUOTE = 34;
const APOSTROPHE = 39;
const STAR = 42;
const SLASH = 47;
const BACKSLASH = 92;

/** The blanks DTrace's lexer allows before a control line's `#` (BLANKS). */
function isBlank(ch: number): boolean {
  return ch === 32 || ch === 9 || ch === 12 || ch === 11;
}

/** Characters an edit must not remove or insert for the control lines to stay as they were. */
const STRUCTURAL = /[#/*"'\\\r]/;

/**
 * The control lines of the text `before` becomes when [start, oldEnd) is replaced by
 * `inserted`, made from those of `before` (`lines`) when the edit cannot change which lines are
 * control lines or what they say: undefined when it might (scan the new text). An editor's
 * edits are mostly such (typing in a statement, whole statement lines in and out), and
 * scanning a long text after each costs more than the rest of reading it.
 */
export function controlLinesAfterEdit(before: string, lines: readonly ScannedControlLine[], start: number, oldEnd: number, inserted: string): ScannedControlLine[] | undefined {
  const removed = before.slice(start, oldEnd);
  // No comment, literal, escape or `#` made or unmade, by the text or with its neighbours.
  if (STRUCTURAL.test(removed) || STRUCTURAL.test(inserted)) return undefined;
  const previous = before.charCodeAt(start - 1);
  const next = before.charCodeAt(oldEnd);
  if (previous === SLASH || previous === STAR || previous === BACKSLASH || next === SLASH || next === STAR) return undefined;
  const removedRows = countNewlines(removed);
  const insertedRows = countNewlines(inserted);
  // Lines start where they did: newlines only as whole lines, in or out at a line's start.
  if (removedRows + insertedRows > 0) {
    if (start > 0 && previous !== NEWLINE) return undefined;
    if ((removed !== '' && !removed.endsWith('\n')) || (inserted !== '' && !inserted.endsWith('\n'))) return undefined;
  }
  // Only a line with a `#` is or can become a control line (blanks before it typed or deleted).
  const lineStart = before.lastIndexOf('\n', start - 1) + 1;
  const lineEnd = before.indexOf('\n', oldEnd);
  const hash = before.indexOf('#', lineStart);
  if (hash >= 0 && (lineEnd < 0 || hash < lineEnd)) return undefined;
  // Nothing in, at or right after a control line (its text, or whether it is one, would change).
  for (const l of lines) if (start <= l.span.endIndex + 1 && oldEnd >= l.span.startIndex) return undefined;
  const delta = inserted.length - removed.length;
  const rows = insertedRows - removedRows;
  if (delta === 0 && rows === 0) return [...lines];
  return lines.map((l) => {
    if (l.span.startIndex < oldEnd) return l;
    const { start: from, end: to } = l.span;
    return { ...l, span: { start: { row: from.row + rows, column: from.column }, end: { row: to.row + rows, column: to.column }, startIndex: l.span.startIndex + delta, endIndex: l.span.endIndex + delta } };
  });
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** `text` with every control line replaced by blanks, so that the parser never sees them. */
export function blankControlLines(text: string, lines: readonly ScannedControlLine[]): string {
  if (lines.length === 0) return text;
  let out = '';
  let from = 0;
  for (const l of lines) {
    out += text.slice(from, l.span.startIndex) + ' '.repeat(l.span.endIndex - l.span.startIndex);
    from = l.span.endIndex;
  }
  return out + text.slice(from);
}

function controlLine(text: string, start: number, stop: number, row: number, atEndOfInput: boolean): ScannedControlLine {
  // A CR before the newline (a file saved with CRLF line ends) is not part of the line.
  const end = stop > start && text[stop - 1] === '\r' ? stop - 1 : stop;
  const line = text.slice(start, end);
  const span: Span = {
    start: { row, column: 0 },
    end: { row, column: end - start },
    startIndex: start,
    endIndex: end,
  };
  const hash = line.indexOf('#');
  const interpreter = line[hash + 1] === '!';
  const scanned: ScannedControlLine = { text: line, span, tokens: [], atEndOfInput, interpreter };
  if (!interpreter) tokenize(line, hash + 1, scanned);
  return scanned;
}

function tokenize(line: string, from: number, out: ScannedControlLine): void {
  let i = from;
  while (i < line.length) {
    const ch = line[i]!;
    if (BLANKS.includes(ch)) {
      i++;
      continue;
    }
    if (ch === '"') {
      QUOTED.lastIndex = i;
      const m = QUOTED.exec(line);
      if (m) {
        out.tokens.push({ kind: 'string', text: Buffer.from(decodeEscapes(m[1]!)).toString('latin1') });
        i = QUOTED.lastIndex;
        continue;
      }
      UNTERMINATED.lastIndex = i;
      out.error = UNTERMINATED.test(line)
        ? { tag: 'D_STR_NL', message: 'newline encountered in string literal' }
        : { tag: 'D_SYNTAX', message: 'syntax error near """' };
      return;
    }
    let j = i;
    while (j < line.length && !BLANKS.includes(line[j]!) && line[j] !== '"') j++;
    const word = line.slice(i, j);
    i = j;
    if (!INT_TOKEN.test(word)) {
      out.tokens.push({ kind: 'ident', text: word });
      continue;
    }
    const n = strtoull(word);
    if (n.errno === 'ERANGE') {
      out.error = { tag: 'D_INT_OFLOW', message: `constant ${word} results in integer overflow` };
      return;
    }
    const rest = word.slice(n.end);
    if (rest !== '' && !'uUlL'.includes(rest[0]!)) {
      out.error = { tag: 'D_INT_DIGIT', message: `constant ${word} contains invalid digit ${rest[0]}` };
      return;
    }
    out.tokens.push({ kind: 'int', text: word, value: n.value });
  }
}
