// Setting options from the two places users write them, with the exact failure texts:
// `#pragma D option name[=value]` (dt_pragma.c: D_PRAGMA_MALFORM / D_PRAGMA_OPTSET) and
// `dtrace -x name[=value]` or an option flag such as `-b 8m` (cmd/dtrace/dtrace.c).
import type { OptionSet } from './optionSet';
import { FLAG_OPTIONS } from './optionTable';

/** The name dtrace(1) prints before its messages (basename of argv[0]). */
export const DTRACE_PROGRAM = 'dtrace';
/** dtrace(1) exit status after failing to set an option (E_ERROR). */
export const DTRACE_EXIT_ERROR = 1;

/** Split `name=value` at the first `=`; without `=` the value is undefined (not empty). */
export function splitOptionArgument(arg: string): { name: string; value: string | undefined } {
  const eq = arg.indexOf('=');
  return eq < 0 ? { name: arg, value: undefined } : { name: arg.slice(0, eq), value: arg.slice(eq + 1) };
}

// ---------------------------------------------------------------- #pragma D option

/** A word of a control line as the D lexer classifies it in that context. */
export interface PragmaWord {
  readonly kind: 'ident' | 'string' | 'int';
  /** For strings, the text between the quotes, escapes untouched. */
  readonly text: string;
}

const PRAGMA_INT = /^(?:[0-9]+|0[xX][0-9A-Fa-f]+)[uU]?[lL]?[lL]?$/;

/**
 * Classify one raw word: `"..."` is a string, a whole integer constant is an int, anything else is
 * an identifier (control-line identifiers are any run of characters other than blanks and `"`).
 */
export function classifyPragmaWord(raw: string): PragmaWord {
  if (raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"')) return { kind: 'string', text: raw.slice(1, -1) };
  if (PRAGMA_INT.test(raw)) return { kind: 'int', text: raw };
  return { kind: 'ident', text: raw };
}

export type PragmaTokens =
  | { readonly ok: true; readonly words: readonly PragmaWord[] }
  | { readonly ok: false; readonly code: 'D_STR_NL'; readonly message: string };

/**
 * Split the rest of a control line into words the way the D lexer does: blanks (space, tab,
 * form feed, vertical tab) separate, a `"` starts a string that must close on the same line.
 */
export function tokenizePragmaArguments(line: string): PragmaTokens {
  const words: PragmaWord[] = [];
  let i = 0;
  while (i < line.length && line[i] !== '\n') {
    const ch = line[i]!;
    if (ch === ' ' || ch === '\t' || ch === '\f' || ch === '\v') {
      i++;
      continue;
    }
    if (ch === '"') {
      let j = i + 1;
      while (j < line.length && line[j] !== '"' && line[j] !== '\n') j += line[j] === '\\' && line[j + 1] !== '\n' ? 2 : 1;
      if (line[j] !== '"') return { ok: false, code: 'D_STR_NL', message: 'newline encountered in string literal' };
      words.push({ kind: 'string', text: line.slice(i + 1, j) });
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < line.length && !' \t\f\v\n"'.includes(line[j]!)) j++;
    words.push(classifyPragmaWord(line.slice(i, j)));
    i = j;
  }
  return { ok: true, words };
}

export type PragmaOptionWords =
  | { readonly ok: true; readonly name: string; readonly value: string | undefined }
  | { readonly ok: false; readonly code: 'D_PRAGMA_MALFORM'; readonly message: string };

/**
 * The words after `#pragma D option`: exactly one identifier `name` or `name=value`. A missing or
 * non-identifier first word is malformed; any further word is superfluous.
 */
export function checkPragmaOptionWords(words: readonly (string | PragmaWord)[]): PragmaOptionWords {
  const list = words.map((w) => (typeof w === 'string' ? classifyPragmaWord(w) : w));
  const first = list[0];
  if (first === undefined || first.kind !== 'ident') {
    return { ok: false, code: 'D_PRAGMA_MALFORM', message: 'malformed #pragma option <option>=<val>' };
  }
  if (list.length > 1) {
    return { ok: false, code: 'D_PRAGMA_MALFORM', message: 'superfluous arguments specified for #pragma option' };
  }
  return { ok: true, ...splitOptionArgument(first.text) };
}

/** D_PRAGMA_OPTSET text; the `to '...'` part appears only when the pragma had an `=`. */
export function pragmaOptionFailure(name: string, value: string | undefined, reason: string): string {
  return value === undefined
    ? `failed to set option '${name}': ${reason}`
    : `failed to set option '${name}' to '${value}': ${reason}`;
}

export type PragmaOptionResult =
  | { readonly ok: true; readonly name: string; readonly value: string | undefined }
  | { readonly ok: false; readonly code: 'D_PRAGMA_MALFORM' | 'D_PRAGMA_OPTSET'; readonly message: string };

/** Apply one `#pragma D option` line's words to `options`, as from inside the program. */
export function applyPragmaOption(
  options: OptionSet,
  words: readonly (string | PragmaWord)[],
  ctx: { tracing?: boolean } = {},
): PragmaOptionResult {
  const checked = checkPragmaOptionWords(words);
  if (!checked.ok) return checked;
  const r = options.set(checked.name, checked.value, { fromProgram: true, tracing: ctx.tracing });
  if (!r.ok) {
    return { ok: false, code: 'D_PRAGMA_OPTSET', message: pragmaOptionFailure(checked.name, checked.value, r.reason) };
  }
  return checked;
}

// ---------------------------------------------------------------- dtrace(1) command line

/** What dtrace(1) prints when `-x arg` fails: only the name, never the value, is echoed. */
export function cliOptionFailure(name: string, reason: string, program = DTRACE_PROGRAM): string {
  return `${program}: failed to set -x ${name}: ${reason}`;
}

/**
 * What dtrace(1) prints when an option flag fails: `-b 4q`, `-D NAME`, `-X z` echo their
 * argument, the argument-less flags (`-q`, `-w` ...) print only the flag.
 */
export function cliFlagFailure(flag: string, arg: string | undefined, reason: string, program = DTRACE_PROGRAM): string {
  return arg === undefined ? `${program}: failed to set ${flag}: ${reason}` : `${program}: failed to set ${flag} ${arg}: ${reason}`;
}

export type CliOptionResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly message: string; readonly exitStatus: typeof DTRACE_EXIT_ERROR };

/** `dtrace -x arg`. */
export function applyCliOption(options: OptionSet, arg: string, program = DTRACE_PROGRAM): CliOptionResult {
  const { name, value } = splitOptionArgument(arg);
  const r = options.set(name, value);
  return r.ok ? r : { ok: false, message: cliOptionFailure(name, r.reason, program), exitStatus: DTRACE_EXIT_ERROR };
}

/**
 * A dtrace(1) flag that sets an option (`-b 8m`, `-q`, `-D X=1` ...); `arg` is the flag's argument
 * for flags that take one. Returns undefined for a flag that sets no option.
 */
export function applyCliFlag(
  options: OptionSet,
  flag: string,
  arg?: string,
  program = DTRACE_PROGRAM,
): CliOptionResult | undefined {
  const name = FLAG_OPTIONS.get(flag);
  if (name === undefined) return undefined;
  const r = options.set(name, arg);
  return r.ok ? r : { ok: false, message: cliFlagFailure(flag, arg, r.reason, program), exitStatus: DTRACE_EXIT_ERROR };
}
