// Macro variables: `$0`, `$1..$N` (the operands after the script), `$$N` (always strings) and
// the process macros (`$pid`, `$target` ...). Reference section 1.8.
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
