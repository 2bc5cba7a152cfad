// The type of the expression before a `->` or `.` the user just typed, read from the text (the
// tree is broken there) and typed with the analysis's tables: built-in and D variables,
// inlines, `args[N]` of the clause's probes, casts, then the members, subscripts and
// dereferences after them.
import type { Compilation } from '../../analyze/compilation';
import { BUILTIN_VARIABLES } from '../../analyze/builtins/variables';
import { elementOf, resolve, type CType, type Member } from '../../analyze/types/ctype';
import { clauseProbes } from './describe';
import type { SymbolIndex } from './symbolIndex';

const BUILTINS = new Map(BUILTIN_VARIABLES.map((v) => [v.name, v.type]));

/** The text of the postfix expression that ends at `end` (`args[0]->pr_psargs`, `((struct s *)p)`). */
export function postfixBefore(text: string, end: number): string {
  let j = end;
  for (;;) {
    while (j > 0 && (text[j - 1] === ' ' || text[j - 1] === '\t')) j--;
    const ch = text[j - 1];
    if (ch === ']' || ch === ')') {
      const open = ch === ']' ? '[' : '(';
      let depth = 0;
      let k = j - 1;
      for (; k >= 0; k--) {
        if (text[k] === ch) depth++;
        else if (text[k] === open && --depth === 0) break;
      }
      if (k < 0) return '';
      j = k;
      // A parenthesised expression may stand alone; a subscript or call needs its base.
      if (open === '(' && !/[A-Za-z0-9_\]\)]/.test(text.slice(0, j).trimEnd().slice(-1))) return text.slice(j, end);
      continue;
    }
    let k = j;
    while (k > 0 && /[A-Za-z0-9_`]/.test(text[k - 1]!)) k--;
    if (k === j) return text.slice(j, end);
    j = k;
    const before = text.slice(0, j).trimEnd();
    if (before.endsWith('->')) {
      j = before.length - 2;
      continue;
    }
    if (before.endsWith('.') && !/[0-9]\.$/.test(before)) {
      j = before.length - 1;
      continue;
    }
    return text.slice(j, end);
  }
}

/** The type of a postfix expression's text, or undefined when it cannot be told. */
export function typeOfText(index: SymbolIndex, c: Compilation, expr: string, clause: number): CType | undefined {
  const tokens = expr.match(/->|\.|\[|\]|\(|\)|\*|[A-Za-z_`][A-Za-z0-9_`]*|\d+|\S/g) ?? [];
  let i = 0;
  const peek = (): string | undefined => tokens[i];
  let t: CType | undefined;
  const first = tokens[i++];
  if (first === undefined) return undefined;
  if (first === '(') {
    // `(T *)x` or `(expr)`: a cast when the parenthesis holds a type.
    const close = matching(tokens, i - 1);
    if (close < 0) return undefined;
    const inner = tokens.slice(i, close).join(' ');
    i = close + 1;
    const castType = looksLikeType(c, inner) ? c.types.parse(inner.replace(/ \* /g, ' *')) : undefined;
    if (castType) t = castType;
    else t = typeOfText(index, c, tokens.slice(1, close).join(' '), clause);
    if (castType && i < tokens.length && !['->', '.', '['].includes(tokens[i]!)) {
      // The cast applies to what follows; what follows is only a name or a parenthesis.
      i = tokens.length;
    }
  } else if (first === '*') {
    // `*p`: what the rest points to (a postfix expression binds tighter than `*`).
    const inner = typeOfText(index, c, tokens.slice(1).join(' '), clause);
    return inner ? elementOf(inner) : undefined;
  } else if (first === 'self' || first === 'this') {
    if (tokens[i] !== '->') return undefined;
    const name = tokens[i + 1];
    i += 2;
    const v = name ? (first === 'self' ? c.threadLocals : c.clauseLocals).get(name) : undefined;
    t = v?.type;
    if (v?.shape === 'assoc' && peek() === '[') i = skipSubscript(tokens, i);
  } else if (first === 'args' && peek() === '[') {
    const n = Number(tokens[i + 1]);
    i = skipSubscript(tokens, i);
    const probe = clauseProbes(index, clause)?.[0];
    const arg = probe?.args[n];
    if (arg) t = c.types.parse(arg.translated ?? arg.native);
  } else if (/^[A-Za-z_]/.test(first)) {
    const inline = c.inlines.get(first);
    const builtin = BUILTINS.get(first);
    const v = c.globals.get(first);
    if (inline) t = inline.type;
    else if (builtin) t = c.types.parse(builtin);
    else if (v) {
      t = v.type;
      if (v.shape === 'assoc' && peek() === '[') i = skipSubscript(tokens, i);
    }
  }
  while (t && i < tokens.length) {
    const tok = tokens[i++]!;
    if (tok === '->' || tok === '.') {
      const name = tokens[i++];
      const members = membersOf(t, tok === '->');
      t = members?.find((m) => m.name === name)?.type;
    } else if (tok === '[') {
      i = skipSubscript(tokens, i - 1);
      t = elementOf(t);
    } else return undefined;
  }
  return t;
}

/** The members reachable with `->` (through one pointer) or `.` from a value of type `t`. */
export function membersOf(t: CType, arrow: boolean): Member[] | undefined {
  let r = resolve(t);
  if (arrow) {
    if (r.kind !== 'pointer') return undefined;
    r = resolve(r.to);
  }
  return r.kind === 'struct' || r.kind === 'union' ? r.members : undefined;
}

function matching(tokens: string[], open: number): number {
  let depth = 0;
  for (let k = open; k < tokens.length; k++) {
    if (tokens[k] === '(') depth++;
    else if (tokens[k] === ')' && --depth === 0) return k;
  }
  return -1;
}

function skipSubscript(tokens: string[], open: number): number {
  let depth = 0;
  for (let k = open; k < tokens.length; k++) {
    if (tokens[k] === '[') depth++;
    else if (tokens[k] === ']' && --depth === 0) return k + 1;
  }
  return tokens.length;
}

function looksLikeType(c: Compilation, text: string): boolean {
  const words = text.split(/\s+/).filter((w) => w !== '*' && w !== '');
  if (words.length === 0) return false;
  const head = words[0]!;
  if (/^(struct|union|enum|const|volatile|unsigned|signed|char|short|int|long|void|string|float|double|userland)$/.test(head)) return true;
  return c.types.typedefs.has(head) && text.includes('*') ? true : c.types.isDTypedef(head);
}
