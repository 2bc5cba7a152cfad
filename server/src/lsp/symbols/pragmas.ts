// `#pragma D option name[=value]` lines, which the parser never sees (control lines belong to
// DTrace's lexer): where the option's name and value are, for hover and completion.
export interface PragmaOption {
  /** Columns within the line. */
  nameStart: number;
  name: string;
  /** Column where the value starts (after `=`), when there is an `=`. */
  valueStart?: number;
  value?: string;
}

const OPTION_LINE = /^(\s*#\s*pragma\s+D\s+option\s+)([A-Za-z_]\w*)?(=(\S*))?/;

/** The option on a `#pragma D option` line, or undefined for any other line. */
export function pragmaOption(line: string): PragmaOption | undefined {
  const m = OPTION_LINE.exec(line);
  if (!m) return undefined;
  const nameStart = m[1]!.length;
  const name = m[2] ?? '';
  const out: PragmaOption = { nameStart, name };
  if (m[3] !== undefined) {
    out.valueStart = nameStart + name.length + 1;
    out.value = m[4] ?? '';
  }
  return out;
}

/** Whether the line so far is `#pragma D option ` with the option name still to come. */
export function typingPragmaOption(lineBefore: string): boolean {
  return /^\s*#\s*pragma\s+D\s+option\s+[A-Za-z_]*$/.test(lineBefore);
}
