// Macro variables: `$0`, `$1..$N` (the operands after the script), `$$N` (always strings) and
// the process macros (`$pid`, `$target` ...). Reference section 1.8.
import type { MacroVar } from '../parse/ast';
import { integerConstantError } from '../parse/lexicalErrors';
import type { Compilation } from './compilation';
export interface MacroValue {
  kind: 'int' | 'ident' | 'string';
  text: string;
}

export interface MacroSettings {
  /** `$0`: the script's name as given. */
  program: string;
  operands: string[];
  defaultargs: boolean;
  process: Record<string, number>;
}

const PROCESS_MACROS = ['egid', 'euid', 'gid', 'pid', 'pgid', 'ppid', 'projid', 'sid', 'taskid', 'target', 'uid'];

export function processMacros(target = 0): Record<string, number> {
  const values: Record<string, number> = {};
  const p = process;
  values.pid = p.pid;
  values.ppid = p.ppid;
  values.uid = p.getuid?.() ?? 0;
  values.euid = p.geteuid?.() ?? 0;
  values.gid = p.getgid?.() ?? 0;
  values.egid = p.getegid?.() ?? 0;
  values.pgid = p.pid;
  values.sid = p.pid;
  values.projid = 0;
  values.taskid = 0;
  values.target = target;
  for (const m of PROCESS_MACROS) values[m] ??= 0;
  return values;
}

export class MacroTable {
  /** Which `$N` the program referenced (for "extraneous argument"). */
  readonly referenced = new Set<number>();

  constructor(readonly settings: MacroSettings) {}

  /** `name` as written: `$1`, `$$1`, `$target`, `$$target`. */
  resolve(name: string): MacroValue | undefined {
    const stringForm = name.startsWith('$$');
    const key = name.slice(stringForm ? 2 : 1);
    let text: string | undefined;
    if (/^\d+$/.test(key)) {
      const n = Number(key);
      if (n === 0) text = this.settings.program;
      else {
        this.referenced.add(n);
        text = this.settings.operands[n - 1];
        if (text === undefined && this.settings.defaultargs) text = stringForm ? '' : '0';
      }
    } else if (key in this.settings.process) text = String(this.settings.process[key]);
    if (text === undefined) return undefined;
    if (stringForm) return { kind: 'string', text };
    return classify(text);
  }

  /** Operands no `$N` referred to, as `[text, N]`. */
  unused(): [string, number][] {
    return this.settings.operands.map((t, i) => [t, i + 1] as [string, number]).filter(([, n]) => !this.referenced.has(n));
  }
}

/** How `$N` text is substituted: an integer, an identifier, or else a string. */
export function classify(text: string): MacroValue {
  if (/^[+-]?(0[xX][0-9a-fA-F]+|\d+)[uUlL]*$/.test(text)) return { kind: 'int', text };
  if (/^[A-Za-z_`][A-Za-z0-9_`]*$/.test(text)) return { kind: 'ident', text };
  const unquoted = text.length >= 2 && text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1) : text;
  return { kind: 'string', text: unquoted };
}

/**
 * The operands a probe description refers to (`$N` or `$$N`, the first `$` of a field):
 * DTrace marks them used while it splits the description.
 */
export function descriptionOperands(text: string): number[] {
  const used: number[] = [];
  for (const field of text.split(':')) {
    const m = /^[^$]*\$\$?(\d+)/.exec(field);
    if (m) used.push(Number(m[1]));
  }
  return used;
}

/**
 * A description's text with its macros replaced, field by field as DTrace expands them (only
 * the first `$` of a field; a named macro runs to the end of the field).
 */
export function expandDescriptionText(text: string, argv: readonly string[], process: Record<string, number>): string {
  return text
    .split(':')
    .map((field) => {
      const dollar = field.indexOf('$');
      if (dollar < 0) return field;
      let rest = field.slice(dollar + 1);
      if (rest.length > 1 && rest[0] === '$') rest = rest.slice(1);
      const digits = /^\d+/.exec(rest);
      if (digits) return field.slice(0, dollar) + (argv[Number(digits[0])] ?? '') + rest.slice(digits[0].length);
      return field.slice(0, dollar) + String(process[rest] ?? '');
    })
    .join(':');
}

/**
 * What DTrace's lexer checks when it substitutes a macro in a clause, before any clause is
 * checked: the macro is defined, and an integer operand fits a constant.
 */
export function checkMacroReference(c: Compilation, e: MacroVar): void {
  const m = c.macros?.resolve(e.name);
  if (!m) c.error('D_MACRO_UNDEF', e.span, `macro ${/^\$\$?\d+$/.test(e.name) ? 'argument' : 'variable'} ${e.name} is not defined`);
  if (m.kind !== 'int') return;
  const problem = integerConstantError(m.text.replace(/^[+-]/, ''), `macro argument ${e.name} `);
  if (!problem) return;
  c.error(problem.tag === 'D_INT_OFLOW' && problem.message.startsWith('macro') ? 'D_MACRO_OFLOW' : problem.tag, e.span, problem.message);
}
