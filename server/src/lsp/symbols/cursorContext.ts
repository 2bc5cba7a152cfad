// Where the cursor is, read from the text alone (while the user types the tree is broken): in
// a comment, a string, a control line, a clause heading (probe descriptions, top-level
// declarations), a predicate or a clause body; and, for signature help, the calls it is inside.
// One forward scan from the start of the top-level item around the cursor.

export type Region = 'comment' | 'string' | 'char' | 'control' | 'heading' | 'predicate' | 'body';

export interface OpenCall {
  /** Offset of the `(`. */
  open: number;
  /** The identifier just before the `(`, if any. */
  name: string | undefined;
  /** Commas seen at this call's own depth: the index of the argument the cursor is in. */
  argument: number;
}

export interface CursorContext {
  region: Region;
  /** Calls whose `(` is open at the cursor, innermost last. */
  calls: OpenCall[];
  /** Offset where the string or comment the cursor is in starts. */
  tokenStart: number;
  /** Where the top-level item the cursor is in starts (after the last `;` or `}` at the top level). */
  itemStart: number;
}

export function cursorContext(text: string, offset: number, scanFrom: number): CursorContext {
  let region: Region = 'heading';
  let depth = 0; // braces
  // The predicate of the clause being scanned is open (between its `/`s, before the body).
  let inPredicate = false;
  const calls: OpenCall[] = [];
  const brackets: string[] = []; // '(' or '[' in expressions
  let tokenStart = scanFrom;
  let itemStart = scanFrom;
  let lineStart = true;
  let i = scanFrom;
  for (; i < offset; i++) {
    const ch = text[i]!;
    switch (region) {
      case 'comment':
        if (ch === '*' && text[i + 1] === '/') {
          if (i + 1 >= offset) return { region, calls, tokenStart, itemStart };
          i++;
          region = depth > 0 ? 'body' : brackets.length > 0 || inPredicate ? 'predicate' : 'heading';
        }
        continue;
      case 'string':
      case 'char':
        if (ch === '\\') i++;
        else if ((region === 'string' && ch === '"') || (region === 'char' && ch === "'")) region = depth > 0 ? 'body' : inPredicate ? 'predicate' : 'heading';
        else if (ch === '\n') region = depth > 0 ? 'body' : inPredicate ? 'predicate' : 'heading';
        continue;
      case 'control':
        if (ch === '\n') {
          region = depth > 0 ? 'body' : inPredicate ? 'predicate' : 'heading';
          lineStart = true;
        }
        continue;
    }
    if (ch === '\n') {
      lineStart = true;
      continue;
    }
    if (lineStart && ch === '#' && depth === 0) {
      region = 'control';
      tokenStart = i;
      lineStart = false;
      continue;
    }
    if (ch !== ' ' && ch !== '\t' && ch !== '\r') lineStart = false;
    if (ch === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      if (end < 0 || end >= offset) return { region: 'comment', calls, tokenStart: i, itemStart };
      i = end - 1;
      continue;
    }
    if (ch === '/' && text[i + 1] === '*') {
      region = 'comment';
      tokenStart = i;
      i++;
      continue;
    }
    if (ch === '"' || ch === "'") {
      region = ch === '"' ? 'string' : 'char';
      tokenStart = i;
      continue;
    }
    switch (ch) {
      case '/':
        if (region === 'heading') {
          region = 'predicate';
          inPredicate = true;
        }
        break;
      case '{':
        depth++;
        region = 'body';
        inPredicate = false;
        break;
      case '}':
        if (depth > 0) depth--;
        if (depth === 0) {
          region = 'heading';
          calls.length = 0;
          brackets.length = 0;
          itemStart = i + 1;
        }
        break;
      case ';':
        if (depth === 0) {
          region = 'heading';
          inPredicate = false;
          itemStart = i + 1;
        }
        break;
      case '(':
        brackets.push('(');
        calls.push({ open: i, name: nameBefore(text, i), argument: 0 });
        break;
      case '[':
        brackets.push('[');
        break;
      case ')':
        if (brackets.lastIndexOf('(') >= 0) {
          while (brackets.length > 0 && brackets.pop() !== '(');
          calls.pop();
        }
        break;
      case ']':
        if (brackets[brackets.length - 1] === '[') brackets.pop();
        break;
      case ',':
        if (brackets[brackets.length - 1] === '(') calls[calls.length - 1]!.argument++;
        break;
    }
  }
  return { region, calls, tokenStart, itemStart };
}

function nameBefore(text: string, open: number): string | undefined {
  let j = open - 1;
  while (j >= 0 && (text[j] === ' ' || text[j] === '\t')) j--;
  const name = wordBefore(text, j + 1);
  return /^[A-Za-z_]\w*$/.test(name) ? name : undefined;
}

/** The identifier characters just before `offset` (what the user is typing). */
export function wordBefore(text: string, offset: number): string {
  let j = offset;
  while (j > 0 && /[A-Za-z0-9_]/.test(text[j - 1]!)) j--;
  return text.slice(j, offset);
}
