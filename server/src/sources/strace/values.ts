// The values strace prints between a system call's parentheses, and what each becomes as a
// 64-bit argument: numbers and known constants their value, NULL zero, string literals and
// string arrays bytes to record as user memory, and decoded structures (`{st_mode=...}`,
// `[{fd=3, ...}]`, `~[RTMIN]`) an address whose contents we do not have (strace printed the
// contents instead of the pointer).
import { constantValue, parseIntegerLiteral } from './constants.ts';
import { readStringLiteral } from './stringLiteral.ts';

export type StraceValue =
  | { readonly kind: 'number'; readonly value: bigint }
  | { readonly kind: 'string'; readonly bytes: Uint8Array; readonly truncated: boolean }
  /** `["ls", "-l"]`: an array of strings (argv, envp with -v), recorded as a NULL-ended pointer array. */
  | { readonly kind: 'array'; readonly items: readonly Extract<StraceValue, { kind: 'string' }>[] }
  /** A decoded structure, sigset or array of structures: a pointer to memory we do not have. */
  | { readonly kind: 'structure' }
  /** Something we cannot turn into a number (an unknown constant, `makedev(...)`). */
  | { readonly kind: 'unknown'; readonly text: string };

export interface ArgumentList {
  /** The text of each argument, comments removed, trimmed. */
  readonly args: string[];
  /** Index just after the closing parenthesis, or -1 when the list is not closed on this line. */
  readonly end: number;
}

const OPEN = '([{';
const CLOSE = ')]}';

/**
 * Splits the arguments starting at `start` (just after `name(`, or after `resumed>`) at
 * top-level commas, up to the closing parenthesis. String literals and comments are skipped
 * as units, so commas and brackets inside them do not count.
 */
export function splitArguments(text: string, start: number): ArgumentList {
  const args: string[] = [];
  let depth = 0;
  let current = '';
  let i = start;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      const literal = readStringLiteral(text, i);
      const end = literal === undefined ? text.length : literal.end;
      current += text.slice(i, end);
      i = end;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? text.length : close + 2;
      continue;
    }
    if (c === '<' && i > start && /[0-9]/.test(text[i - 1]!) && text[i + 1] !== '<') {
      // -y/-Y decorations (`3</etc/passwd>`, `42<cat>`) may hold any character of a path.
      const close = text.indexOf('>', i + 1);
      const end = close < 0 ? text.length : close + 1;
      current += text.slice(i, end);
      i = end;
      continue;
    }
    if (OPEN.includes(c)) depth++;
    else if (CLOSE.includes(c)) {
      if (depth === 0) {
        if (c === ')') {
          pushArgument(args, current);
          return { args, end: i + 1 };
        }
      } else depth--;
    } else if (c === ',' && depth === 0) {
      args.push(current.trim());
      current = '';
      i++;
      continue;
    }
    current += c;
    i++;
  }
  pushArgument(args, current);
  return { args, end: -1 };
}

// `f()` has no arguments, and `f(a, ` (cut by <unfinished ...>) ends with a complete one.
function pushArgument(args: string[], text: string): void {
  const trimmed = text.trim();
  if (trimmed !== '') args.push(trimmed);
}

/** What one printed argument stands for. */
export function parseValue(raw: string): StraceValue {
  let text = raw.trim();
  // clone(child_stack=NULL, flags=...) and clone3's structure fields name their values.
  const named = /^[a-z_][a-z0-9_]*=(?!=)/.exec(text);
  if (named !== null) text = text.slice(named[0].length).trim();
  // An in/out argument printed as `before => after`: what the call left is what we keep.
  const arrow = text.lastIndexOf(' => ');
  if (arrow >= 0 && !text.startsWith('"')) text = text.slice(arrow + 4).trim();
  if (text === '') return { kind: 'unknown', text: raw };
  const first = text[0]!;
  if (first === '"') {
    const literal = readStringLiteral(text, 0);
    if (literal === undefined) return { kind: 'unknown', text: raw };
    return { kind: 'string', bytes: literal.bytes, truncated: literal.truncated };
  }
  if (first === '[') return arrayValue(text);
  if (first === '{' || text.startsWith('~[') || first === '@') return { kind: 'structure' };
  if (text === 'NULL') return { kind: 'number', value: 0n };
  const value = integerExpression(text);
  return value === undefined ? { kind: 'unknown', text } : { kind: 'number', value };
}

function arrayValue(text: string): StraceValue {
  if (!text.endsWith(']')) return { kind: 'structure' };
  const inner = splitArguments(text.slice(1, -1) + ')', 0).args;
  const items: Extract<StraceValue, { kind: 'string' }>[] = [];
  for (const item of inner) {
    if (item === '...') break; // strace left out the rest
    const value = parseValue(item);
    // Only string arrays are pointer arrays; `[3, 4]` (pipe's int[2]), `[]` and sigsets are other memory.
    if (value.kind !== 'string') return { kind: 'structure' };
    items.push(value);
  }
  return items.length === 0 ? { kind: 'structure' } : { kind: 'array', items };
}

/**
 * `0x80000`, `-100`, `0644`, `O_RDONLY|O_CLOEXEC`, `S_IFREG|0644`, `1<<20`, `3</etc/passwd>`
 * (a descriptor decorated by -y), `13743<cat>` (a pid decorated by -Y).
 */
export function integerExpression(text: string): bigint | undefined {
  const decorated = /^(-?[0-9][0-9a-fA-FxX]*)<.*>$/s.exec(text);
  if (decorated !== null) return parseIntegerLiteral(decorated[1]!);
  let result = 0n;
  for (const part of text.split('|')) {
    const term = integerTerm(part.trim());
    if (term === undefined) return undefined;
    result |= term;
  }
  return result;
}

function integerTerm(text: string): bigint | undefined {
  const literal = parseIntegerLiteral(text);
  if (literal !== undefined) return literal;
  const shift = /^(\w+)\s*<<\s*(\w+)$/.exec(text);
  if (shift !== null) {
    const a = integerTerm(shift[1]!);
    const b = integerTerm(shift[2]!);
    return a === undefined || b === undefined ? undefined : a << b;
  }
  if (/^[A-Za-z_][A-Za-z0-9_+]*$/.test(text)) return constantValue(text);
  return undefined;
}
