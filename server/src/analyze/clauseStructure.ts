// The shape of a probe clause as DTrace's lexer and grammar see it, read straight from the
// text: used where our parser gave up, to find the error DTrace reports instead of a plain
// syntax error. A clause is a comma-separated list of descriptions, then an optional
// `/ predicate /` and a `{ body }`. The `/` that closes a predicate is the one followed by the
// end of input, `;`, `{` or `/`; unbalanced parentheses or brackets before it are an error.

export interface ClauseStructureError {
  tag: string;
  message: string;
  /** 0-based row DTrace reports. */
  row: number;
  index: number;
}

/** A probe description token: DTrace's RGX_PSPEC, plus numeric probe ids. */
const PSPEC_START = /[-$:a-zA-Z_.?*\\[\]!0-9]/;
const PSPEC_CHAR = /[-$:0-9a-zA-Z_.`?*\\[\]!]/;

class Cursor {
  index: number;
  constructor(
    readonly text: string,
    start: number,
  ) {
    this.index = start;
  }

  // Rows are counted forward from the last one asked for: the scan only moves forward, so
  // counting from the start each time would make a long line quadratic (a fuzzed 1 MB
  // predicate took minutes).
  private rowFrom = 0;
  private rowCount = 0;

  rowAt(index: number): number {
    if (index < this.rowFrom) {
      this.rowFrom = 0;
      this.rowCount = 0;
    }
    const end = Math.min(index, this.text.length);
    for (let i = this.rowFrom; i < end; i++) if (this.text.charCodeAt(i) === 10) this.rowCount++;
    this.rowFrom = Math.max(this.rowFrom, end);
    return this.rowCount;
  }

  get row(): number {
    return this.rowAt(this.index);
  }

  peek(): string | undefined {
    return this.text[this.index];
  }

  /** Skips blanks, newlines, comments and control lines. */
  skipBlanks(): void {
    for (;;) {
      const ch = this.text[this.index];
      if (ch === undefined) return;
      if (/\s/.test(ch)) this.index++;
      else if (ch === '/' && this.text[this.index + 1] === '*') {
        const end = this.text.indexOf('*/', this.index + 2);
        this.index = end < 0 ? this.text.length : end + 2;
      } else if (ch === '#' && this.atLineStart()) {
        const end = this.text.indexOf('\n', this.index);
        this.index = end < 0 ? this.text.length : end;
      } else return;
    }
  }

  private atLineStart(): boolean {
    for (let i = this.index - 1; i >= 0; i--) {
      const ch = this.text[i]!;
      if (ch === '\n') return true;
      if (!' \t\f\v'.includes(ch)) return false;
    }
    return true;
  }
}

export interface DescriptionToken {
  text: string;
  index: number;
  row: number;
}

/**
 * The first structural error of the clause starting at `start`, with each description handed
 * to `onDescription` as the parser builds it (which may raise its own error first); undefined
 * when the text at `start` is not a clause or the clause is well formed.
 */
export function clauseStructureError(text: string, start: number, onDescription: (d: DescriptionToken) => void): ClauseStructureError | undefined {
  const at = new Cursor(text, start);
  const descriptions: DescriptionToken[] = [];
  for (;;) {
    at.skipBlanks();
    const from = at.index;
    if (!PSPEC_START.test(at.peek() ?? '')) return undefined;
    while (PSPEC_CHAR.test(at.peek() ?? '')) at.index++;
    const d = { text: text.slice(from, at.index), index: from, row: at.rowAt(from) };
    descriptions.push(d);
    onDescription(d);
    at.skipBlanks();
    if (at.peek() !== ',') break;
    at.index++;
  }
  const first = descriptions[0]!;
  const next = at.peek();
  if (next === '{') return undefined;
  if (next !== '/') {
    return { tag: 'D_SYNTAX', message: 'expected predicate and/or actions following probe description', row: first.row, index: at.index };
  }
  at.index++;
  return predicateError(at);
}

/** Reads a predicate up to the `/` that closes it, then expects the body. */
function predicateError(at: Cursor): ClauseStructureError | undefined {
  let parens = 0;
  let brackets = 0;
  let lastIndex: number | undefined;
  for (;;) {
    at.skipBlanks();
    const ch = at.peek();
    if (ch === undefined) return undefined;
    if (ch === '/') {
      const slash = at.index;
      at.index++;
      at.skipBlanks();
      const after = at.peek();
      if (after !== undefined && after !== ';' && after !== '{' && after !== '/') continue; // division
      const row = at.row;
      if (parens !== 0) return { tag: 'D_SYNTAX', message: 'closing ) expected in predicate before /', row, index: slash };
      if (brackets !== 0) return { tag: 'D_SYNTAX', message: 'closing ] expected in predicate before /', row, index: slash };
      if (after === '{') return undefined;
      return {
        tag: 'D_SYNTAX',
        message: 'expected actions { } following probe description and predicate',
        row: lastIndex === undefined ? row : at.rowAt(lastIndex),
        index: at.index,
      };
    }
    lastIndex = at.index;
    if (ch === '"' || ch === "'") {
      let end = at.index + 1;
      while (end < at.text.length && at.text[end] !== ch && at.text[end] !== '\n') end++;
      at.index = Math.min(end + 1, at.text.length);
      continue;
    }
    if (ch === '(') parens++;
    else if (ch === ')') parens--;
    else if (ch === '[') brackets++;
    else if (ch === ']') brackets--;
    at.index++;
  }
}
