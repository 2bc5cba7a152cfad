// How libdtrace turns an option's text into a value (dt_options.c), and the error texts it
// reports (dt_error.c). Every parser takes the text after `=`; a missing value (`-x name`) is
// handled by the option's handler because each option treats it differently.
import { asInt64, equalsIgnoreCase, strtoull } from './cNumbers';

/** dtrace_optval_t value meaning "not set" (DTRACEOPT_UNSET). */
export const DTRACEOPT_UNSET = -2n;
export const NANOSEC = 1_000_000_000n;
/** strsize is stored in an unsigned int. */
export const UINT_MAX = 0xffff_ffffn;

export type OptionErrorCode =
  | 'EDT_BADOPTNAME'
  | 'EDT_BADOPTVAL'
  | 'EDT_BADOPTCTX'
  | 'EDT_ACTIVE'
  | 'EDT_VERSINVAL'
  | 'EDT_VERSUNDEF'
  | 'EDT_VERSREDUCED'
  | 'EOVERFLOW';

/**
 * dtrace_errmsg() text for each failure. EOVERFLOW is strerror() of the host libc; this is the
 * FreeBSD wording (illumos and glibc say "Value too large for defined data type").
 */
export const OPTION_ERROR_TEXT: Readonly<Record<OptionErrorCode, string>> = {
  EDT_BADOPTNAME: 'Invalid option name',
  EDT_BADOPTVAL: 'Invalid value for specified option',
  EDT_BADOPTCTX: 'Option cannot be used from within a D program',
  EDT_ACTIVE: 'Operation illegal when tracing is active',
  EDT_VERSINVAL: 'Version is not properly formatted or is too large',
  EDT_VERSUNDEF: 'Requested version is not supported by compiler',
  EDT_VERSREDUCED: 'Requested version conflicts with earlier setting',
  EOVERFLOW: 'Value too large to be stored in data type',
};

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly code: OptionErrorCode };

export function ok<T>(value: T): Parsed<T> {
  return { ok: true, value };
}

export function fail<T>(code: OptionErrorCode): Parsed<T> {
  return { ok: false, code };
}

const SIZE_SUFFIX_SHIFT: Readonly<Record<string, bigint>> = { k: 10n, m: 20n, g: 30n, t: 40n };

/**
 * Size: an integer (decimal, 0x hex or 0 octal) with an optional k/m/g/t suffix in either case,
 * each a factor of 1024. The product wraps at 64 bits and is rejected only if it ends negative.
 */
export function parseSize(text: string): Parsed<bigint> {
  const last = text[text.length - 1]?.toLowerCase() ?? '';
  const shift = SIZE_SUFFIX_SHIFT[last];
  const n = strtoull(text);
  const value = asInt64(n.value << (shift ?? 0n));
  const endOk = shift !== undefined ? n.end === text.length - 1 : n.end === text.length;
  if (!endOk || value < 0n || n.errno !== 0) return fail('EDT_BADOPTVAL');
  return ok(value);
}

/** Time suffixes in dt_opt_rate's order; `hz` (0) marks a frequency. */
export const TIME_SUFFIXES: readonly { readonly name: string; readonly nanoseconds: bigint }[] = [
  { name: 'ns', nanoseconds: 1n },
  { name: 'nsec', nanoseconds: 1n },
  { name: 'us', nanoseconds: 1_000n },
  { name: 'usec', nanoseconds: 1_000n },
  { name: 'ms', nanoseconds: 1_000_000n },
  { name: 'msec', nanoseconds: 1_000_000n },
  { name: 's', nanoseconds: NANOSEC },
  { name: 'sec', nanoseconds: NANOSEC },
  { name: 'm', nanoseconds: NANOSEC * 60n },
  { name: 'min', nanoseconds: NANOSEC * 60n },
  { name: 'h', nanoseconds: NANOSEC * 3600n },
  { name: 'hour', nanoseconds: NANOSEC * 3600n },
  { name: 'd', nanoseconds: NANOSEC * 86400n },
  { name: 'day', nanoseconds: NANOSEC * 86400n },
  { name: 'hz', nanoseconds: 0n },
];

/**
 * Time or rate, in nanoseconds: an integer followed by a unit (any case) from TIME_SUFFIXES, or by
 * nothing, which means nanoseconds. `Nhz` is a frequency, stored as 1e9/N (0hz stays 0). Only a
 * negative number or an unknown unit is rejected: the conversion's errno is not consulted, so a
 * unit alone ("s", "hz") and the empty text are 0, and the multiplication wraps silently.
 */
export function parseRate(text: string): Parsed<bigint> {
  const n = strtoull(text);
  const rest = text.slice(n.end);
  const value = asInt64(n.value);
  const suffix = TIME_SUFFIXES.find((s) => equalsIgnoreCase(s.name, rest));
  if ((suffix === undefined && rest !== '') || value < 0n) return fail('EDT_BADOPTVAL');
  const mul = suffix?.nanoseconds ?? 1n;
  if (mul === 0n) return ok(value === 0n ? 0n : NANOSEC / value);
  return ok(asInt64(value * mul));
}

/** The word pairs a boolean option accepts (dt_opt_runtime), matched in any case. */
export const BOOL_WORDS: readonly (readonly [positive: string, negative: string])[] = [
  ['yes', 'no'],
  ['enable', 'disable'],
  ['enabled', 'disabled'],
  ['true', 'false'],
  ['on', 'off'],
  ['set', 'unset'],
];

/**
 * Boolean/integer run-time options: a positive word is 1, a negative word or the empty text is
 * unset, anything else must be a whole non-negative integer (base by prefix, surrounding junk
 * rejected). Note that "0" is a value, so `quiet=0` turns quiet on.
 */
export function parseRuntime(text: string): Parsed<bigint> {
  if (text === '') return ok(DTRACEOPT_UNSET);
  for (const [positive, negative] of BOOL_WORDS) {
    if (equalsIgnoreCase(positive, text)) return ok(1n);
    if (equalsIgnoreCase(negative, text)) return ok(DTRACEOPT_UNSET);
  }
  const n = strtoull(text);
  const value = asInt64(n.value);
  if (n.end !== text.length || n.errno !== 0 || value < 0n) return fail('EDT_BADOPTVAL');
  return ok(value);
}

// One list of DTrace's stability names and dependency classes, kept with the attributes.
export { STABILITIES as STABILITY_NAMES, DEPENDENCY_CLASSES as CLASS_NAMES } from '../catalogue/stability';
import { STABILITIES as STABILITY_NAMES, DEPENDENCY_CLASSES as CLASS_NAMES } from '../catalogue/stability';

/**
 * Stability attributes `name[/data[/class]]` (dtrace_str2attr): names in any case, omitted trailing
 * parts default to the maximum (Standard/Standard/Common), empty text is allowed. Returns the
 * canonical `Name/Data/Class`.
 */
export function parseAttributes(text: string): Parsed<string> {
  const parts = [STABILITY_NAMES[7], STABILITY_NAMES[7], CLASS_NAMES[5]] as string[];
  let rest: string | undefined = text;
  for (let index = 0; index < 3; index++) {
    if (rest === undefined || rest === '') return ok(parts.join('/'));
    const slash: number = rest.indexOf('/');
    const part: string = slash < 0 ? rest : rest.slice(0, slash);
    rest = slash < 0 ? undefined : rest.slice(slash + 1);
    const names: readonly string[] = index < 2 ? STABILITY_NAMES : CLASS_NAMES;
    const found = names.find((n) => equalsIgnoreCase(n, part));
    if (found === undefined) return fail('EDT_BADOPTVAL');
    parts[index] = found;
  }
  if (rest !== undefined && rest !== '') return fail('EDT_BADOPTVAL');
  return ok(parts.join('/'));
}

/** D API versions the compiler defines (dt_open.c _dtrace_versions), oldest first. */
export const D_VERSIONS = [
  '1.0',
  '1.1',
  '1.2',
  '1.2.1',
  '1.2.2',
  '1.3',
  '1.4',
  '1.4.1',
  '1.5',
  '1.6',
  '1.6.1',
  '1.6.2',
  '1.6.3',
  '1.7',
  '1.7.1',
  '1.8',
  '1.8.1',
  '1.9',
  '1.9.1',
  '1.10',
  '1.11',
  '1.12',
  '1.12.1',
  '1.13',
] as const;
export const LATEST_D_VERSION = '1.13';

/** DT_VERSION_NUMBER encoding, so versions compare as numbers. */
export function versionNumber(major: number, minor: number, micro: number): number {
  return (major & 0xff) * 0x100_0000 + (minor & 0xfff) * 0x1000 + (micro & 0xfff);
}

/** Canonical text of an encoded version: `M.m`, or `M.m.u` when u is not 0. */
export function versionText(encoded: number): string {
  const major = Math.floor(encoded / 0x1000000);
  const minor = Math.floor(encoded / 0x1000) & 0xfff;
  const micro = encoded & 0xfff;
  return micro === 0 ? `${major}.${minor}` : `${major}.${minor}.${micro}`;
}

const DEFINED_VERSIONS = new Set(
  D_VERSIONS.map((v) => {
    const [a = 0, b = 0, c = 0] = v.split('.').map(Number);
    return versionNumber(a, b, c);
  }),
);

/**
 * `version=X[.Y[.Z]]` (dt_version_str2num + dt_version_defined): digits and at most two dots, parts
 * within 255/4095/4095, else EDT_VERSINVAL; a well-formed version the compiler does not define is
 * EDT_VERSUNDEF. Missing parts are 0, so "1" and "1." mean 1.0.
 */
export function parseVersion(text: string): Parsed<number> {
  const n = [0, 0, 0];
  let index = 0;
  for (const ch of text) {
    if (ch >= '0' && ch <= '9') n[index] = n[index]! * 10 + (ch.charCodeAt(0) - 48);
    else if (ch !== '.' || index++ >= 2) return fail('EDT_VERSINVAL');
  }
  if (n[0]! > 0xff || n[1]! > 0xfff || n[2]! > 0xfff) return fail('EDT_VERSINVAL');
  const encoded = versionNumber(n[0]!, n[1]!, n[2]!);
  if (!DEFINED_VERSIONS.has(encoded)) return fail('EDT_VERSUNDEF');
  return ok(encoded);
}
