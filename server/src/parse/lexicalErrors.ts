// Errors DTrace's lexer raises while scanning, before any checking of meaning: strings and
// character constants (scanned from the raw text, since an unterminated one derails the
// parser's own view), and integer constants (read from the tree's literal nodes).
import { movedItems, type PNode } from './plainTree';
import { detached } from './buildAst';

export interface LexicalError {
  tag: string;
  message: string;
  /** Index in the text of the offending token. */
  index: number;
  /** 0-based line DTrace reports. */
  row: number;
}

const LADDER: { name: string; signed: boolean; max: bigint }[] = [
  { name: 'int', signed: true, max: 0x7fffffffn },
  { name: 'unsigned int', signed: false, max: 0xffffffffn },
  { name: 'long', signed: true, max: 0x7fffffffffffffffn },
  { name: 'unsigned long', signed: false, max: 0xffffffffffffffffn },
  { name: 'long long', signed: true, max: 0x7fffffffffffffffn },
  { name: 'unsigned long long', signed: false, max: 0xffffffffffffffffn },
];

/**
 * DTrace's checks of an integer constant's text: a bad digit, more than 64 bits, or a value no
 * rung of the type ladder can hold. `prefix` starts the message (macro arguments say whose).
 */
export function integerConstantError(text: string, prefix = ''): { tag: string; message: string } | undefined {
  const m = /^(0[xX][0-9a-fA-F]+|[0-9]+)([uUlL]*)$/.exec(text);
  if (!m) return undefined;
  const digits = m[1]!;
  const hex = /^0[xX]/.test(digits);
  const octal = !hex && digits.length > 1 && digits.startsWith('0');
  if (octal) {
    const bad = /[89]/.exec(digits);
    if (bad) return { tag: 'D_INT_DIGIT', message: `${prefix}constant ${text} contains invalid digit ${bad[0]}` };
  }
  const value = hex ? BigInt(digits) : octal ? BigInt('0o' + digits.slice(1)) : BigInt(digits);
  if (value > 0xffffffffffffffffn) return { tag: 'D_INT_OFLOW', message: `${prefix}constant ${text} results in integer overflow` };
  const suffix = m[2]!.toLowerCase();
  const unsignedOnly = suffix.includes('u');
  const longs = (suffix.match(/l/g) ?? []).length;
  for (let i = longs === 2 ? 4 : longs === 1 ? 2 : 0; i < LADDER.length; i++) {
    const rung = LADDER[i]!;
    if (unsignedOnly && rung.signed) continue;
    if (!unsignedOnly && !hex && !octal && !rung.signed) continue;
    if (value <= rung.max) return undefined;
  }
  return { tag: 'D_INT_OFLOW', message: `integer constant 0x${value.toString(16)} cannot be represented in any built-in integral type` };
}

/**
 * The text with a string or character constant that runs into a newline mended two ways:
 * closed on its first character, and removed. A syntax error before the literal that both
 * still have is one the parser meets before the literal (DTrace reports it first); otherwise
 * the broken literal caused it.
 */
export function mendBrokenLiteral(text: string, error: LexicalError): [closed: string, removed: string] | undefined {
  if (error.tag !== 'D_STR_NL' && error.tag !== 'D_CHR_NL') return undefined;
  const quote = text[error.index]!;
  const eol = text.indexOf('\n', error.index);
  const before = text.slice(0, error.index);
  const after = eol < 0 ? '' : text.slice(eol);
  return [`${before}${quote}x${quote}${after}`, `${before}${after}`];
}

function rowAt(index: number, lineStarts: number[]): number {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid]! <= index) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The first lexical error of the program, in text order. */
export function findLexicalError(root: PNode, text: string): LexicalError | undefined {
  // Made when an error is found (most texts have none); newlines found natively: the editor
  // finds the errors of a long text after every edit.
  let lineStarts: number[] | undefined;
  const found: LexicalError[] = [];
  /** Where `add` puts what it finds: the text's list, or a top-level node's. */
  let out = found;
  const add = (tag: string, message: string, index: number): void => {
    if (lineStarts === undefined) {
      lineStarts = [0];
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
    }
    // Kept with a reused tree item (itemErrors): a message must not hold the text it quotes from.
    out.push({ tag, message: detached(message), index, row: rowAt(index, lineStarts) });
  };
  scanQuoted(text, add);
  const visit = (n: PNode): void => {
    const numericDescription = n.type === 'probe_description' && /^[0-9]/.test(text.slice(n.startIndex, n.endIndex));
    if (n.type === 'integer_literal' || n.type === 'probe_id' || numericDescription) {
      const e = integerConstantError(text.slice(n.startIndex, n.endIndex));
      if (e) add(e.tag, e.message, n.startIndex);
      return;
    }
    if (n.type === 'float_literal') {
      add('D_SYNTAX', 'floating-point constants are not permitted', n.startIndex);
      return;
    }
    for (const c of n.children) visit(c);
  };
  // A top-level node an incremental tree copy reused (plainTree.ts) is the same text at the
  // same place: so are its errors.
  for (const item of root.children) {
    let errors = itemErrors.get(item) ?? movedErrors(item);
    if (errors === undefined) {
      out = [];
      visit(item);
      itemErrors.set(item, (errors = out));
    }
    found.push(...errors);
  }
  found.sort((a, b) => a.index - b.index);
  return found[0];
}

/** The integer and floating-point literal errors of each top-level node of the trees seen so far. */
const itemErrors = new WeakMap<PNode, LexicalError[]>();

/** The errors of a top-level node copied from an earlier item an edit moved: those of the earlier one, moved. */
function movedErrors(item: PNode): LexicalError[] | undefined {
  const moved = movedItems.get(item);
  const before = moved && itemErrors.get(moved.from);
  if (!moved || !before) return undefined;
  const errors = before.map((e) => ({ ...e, index: e.index + moved.delta, row: e.row + moved.rows }));
  itemErrors.set(item, errors);
  itemErrors.delete(moved.from);
  return errors;
}

/** Strings and character constants, found by scanning the raw text (comments skipped). */
function scanQuoted(text: string, add: (tag: string, message: string, index: number) => void): void {
  let i = 0;
  const n = text.length;
  // Only these characters start anything the scan acts on: the rest is skipped natively.
  const interesting = /["'/#]/g;
  while (i < n) {
    // test(), not exec(): no match object for each of a long text's slashes and quotes.
    interesting.lastIndex = i;
    if (!interesting.test(text)) break;
    i = interesting.lastIndex - 1;
    const ch = text[i]!;
    // `#ident` lines carry free text, where a lone quote means nothing.
    if (ch === '#' && (i === 0 || text[i - 1] === '\n') && /^#\s*(ident|pragma\s+ident)\b/.test(text.slice(i, i + 40))) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? n : end + 1;
      continue;
    }
    if (ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
      continue;
    }
    if (ch !== '"' && ch !== "'") {
      i++;
      continue;
    }
    const start = i;
    let j = i + 1;
    let newline = false;
    let bytes = 0;
    while (j < n && text[j] !== ch) {
      if (text[j] === '\n') {
        newline = true;
        break;
      }
      if (text[j] === '\\' && j + 1 < n && text[j + 1] !== '\n') {
        j += 2;
        bytes++;
        continue;
      }
      if (text[j] === '\\' && text[j + 1] === '\n') {
        newline = true;
        break;
      }
      j++;
      bytes++;
    }
    if (ch === '"') {
      if (newline || j >= n) add('D_STR_NL', 'newline encountered in string literal', start);
    } else {
      if (newline || j >= n) add('D_CHR_NL', 'newline encountered in character constant', start);
      else if (bytes === 0) add('D_CHR_NULL', 'empty character constant', start);
      else if (decodedLength(text.slice(start + 1, j)) > 8) add('D_CHR_OFLOW', 'character constant is too long', start);
    }
    i = newline ? text.indexOf('\n', j) + 1 || n : j + 1;
  }
}

function decodedLength(body: string): number {
  let count = 0;
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '\\') {
      const e = body[i + 1];
      if (e !== undefined && /[0-7]/.test(e)) {
        let k = i + 1;
        while (k < i + 4 && /[0-7]/.test(body[k] ?? '')) k++;
        i = k - 1;
      } else if (e === 'x') {
        let k = i + 2;
        while (/[0-9a-fA-F]/.test(body[k] ?? '')) k++;
        i = k - 1;
      } else i++;
    }
    count++;
  }
  return count;
}
