// Probe description text -> fields, as libdtrace's dtrace_xstr2desc splits it: fields are
// taken right to left, so fewer fields mean the rightmost ones; `$` macros are expanded per
// field; a field that would not fit DTrace's fixed-size buffer is an error.
import type { ProbeDescription } from './types';

/** Which field the rightmost part of the text is: `name` for D programs and `dtrace -n`. */
export type ProbeSpecifier = 'provider' | 'module' | 'function' | 'name';

const FIELDS = ['provider', 'module', 'function', 'name'] as const;

/**
 * Buffer sizes in bytes, terminating NUL included (DTRACE_PROVNAMELEN, DTRACE_MODNAMELEN,
 * DTRACE_FUNCNAMELEN as in FreeBSD/OpenDTrace; illumos has 128, DTRACE_NAMELEN).
 */
export const PROBE_FIELD_LIMITS = { provider: 64, module: 64, function: 192, name: 64 } as const;

/** dtrace_errmsg texts of the errors splitting can raise. */
export const PDESC_REASONS = {
  overspecified: 'Overspecified probe description',
  badMacro: 'Undefined macro variable in probe description',
  tooLong: 'File name too long',
} as const;

export interface ParseProbeDescriptionOptions {
  /** Default 'name'. dtrace(1) uses 'provider' for -P, 'module' for -m, 'function' for -f. */
  spec?: ProbeSpecifier;
  /** Macro arguments: `$0` is argv[0] (the script name), `$1` the first argument ... */
  argv?: readonly string[];
  /** Named macro variables (`$pid`, `$target` ...): the integer each expands to. */
  macros?: ReadonlyMap<string, number>;
}

export interface ProbeDescriptionError {
  /** The compiler's message (tag D_PDESC_INVAL): `invalid probe description "TEXT": REASON`. */
  readonly error: string;
  readonly reason: string;
}

export function isProbeDescriptionError(
  x: ProbeDescription | ProbeDescriptionError,
): x is ProbeDescriptionError {
  return 'error' in x;
}

export function parseProbeDescription(
  text: string,
  options: ParseProbeDescriptionOptions = {},
): ProbeDescription | ProbeDescriptionError {
  const fields: Record<(typeof FIELDS)[number], string> = {
    provider: '',
    module: '',
    function: '',
    name: '',
  };
  const fail = (reason: string): ProbeDescriptionError => ({
    error: `invalid probe description "${text}": ${reason}`,
    reason,
  });
  let spec = FIELDS.indexOf(options.spec ?? 'name');

  // `end` is one past the current field; walking down, a field runs from the previous ':' (or
  // the start). As in DTrace, text before a leading ':' is never visited: ":a" is just "a".
  let end = text.length;
  do {
    let start = end;
    while (start > 0 && text[start - 1] !== ':') start--;
    const expanded = expandField(text.slice(start, end), options);
    if (typeof expanded !== 'object') return fail(PDESC_REASONS.badMacro);
    if (spec < 0) return fail(PDESC_REASONS.overspecified);
    const field = FIELDS[spec];
    if (expanded.counted >= PROBE_FIELD_LIMITS[field]) return fail(PDESC_REASONS.tooLong);
    fields[field] = expanded.value;
    spec--;
    end = start - 1;
  } while (end > 0);
  return fields;
}

interface ExpandedField {
  value: string;
  /** The bytes DTrace checks against the field size: the text before `$` plus the macro's value (not what follows a `$N`). */
  counted: number;
}

function expandField(
  field: string,
  options: ParseProbeDescriptionOptions,
): ExpandedField | 'undefined-macro' {
  const dollar = field.indexOf('$');
  if (dollar < 0) return { value: field, counted: byteLength(field) };
  const before = field.slice(0, dollar);
  // `$$name` and `$name` are the same in a probe description (but `$$` alone names "$").
  let variable = field.slice(dollar + 1);
  if (variable.length > 1 && variable[0] === '$') variable = variable.slice(1);

  if (variable.length > 0 && isDigit(variable[0])) {
    let digits = 0;
    while (digits < variable.length && isDigit(variable[digits])) digits++;
    const index = BigInt(variable.slice(0, digits));
    const argv = options.argv ?? [];
    if (index > 0x7fffffffffffffffn || index >= BigInt(argv.length)) return 'undefined-macro';
    const value = argv[Number(index)];
    return {
      value: before + value + variable.slice(digits),
      counted: byteLength(before) + byteLength(value),
    };
  }
  if (variable.length === 0) return 'undefined-macro';
  const id = options.macros?.get(variable);
  if (id === undefined) return 'undefined-macro';
  const value = String(id);
  return { value: before + value, counted: byteLength(before) + byteLength(value) };
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** `provider:module:function:name`, as dtrace_desc2str and compiler messages print a description. */
export function formatProbeDescription(desc: ProbeDescription): string {
  return `${desc.provider}:${desc.module}:${desc.function}:${desc.name}`;
}

/** The D_PDESC_ZERO message for a description that matches nothing (unless -Z). */
export function zeroMatchMessage(desc: ProbeDescription): string {
  return `probe description ${formatProbeDescription(desc)} does not match any probes`;
}
