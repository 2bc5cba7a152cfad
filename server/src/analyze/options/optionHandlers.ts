// What setting one option does, per libdtrace handler (dt_options.c dt_opt_*): which values it
// takes, what a missing value means, and which check fails first when several would.
import { atoi, equalsIgnoreCase } from './cNumbers';
import {
  DTRACEOPT_UNSET,
  UINT_MAX,
  fail,
  ok,
  parseAttributes,
  parseRate,
  parseRuntime,
  parseSize,
  parseVersion,
  versionText,
  type Parsed,
} from './optionValues';

/** The stored state of one option. */
export type OptionValue =
  /** A dt_options[] slot or an integer setting; DTRACEOPT_UNSET (-2) means not set. */
  | { readonly kind: 'number'; readonly value: bigint }
  /** One word of a fixed set; undefined when nothing is chosen (encoding: from the locale). */
  | { readonly kind: 'word'; readonly value: string | undefined }
  | { readonly kind: 'text'; readonly value: string | undefined }
  /** Options that accumulate (define, incdir, libdir, setenv ...). */
  | { readonly kind: 'list'; readonly values: readonly string[] }
  /** Compile-time switches that take no value. */
  | { readonly kind: 'flag'; readonly on: boolean };

export interface SetContext {
  /** Set by `#pragma D option` inside a program being compiled (libdtrace: dt_pcb != NULL). */
  readonly fromProgram?: boolean;
  /** Tracing has started (run-time options are then frozen). */
  readonly tracing?: boolean;
}

/** `value` is the text after `=`, undefined when there was no `=`. */
export type OptionHandler = (value: string | undefined, ctx: SetContext, current: OptionValue) => Parsed<OptionValue>;

const number = (value: bigint): OptionValue => ({ kind: 'number', value });

/** dt_opt_size: a missing value is 0. */
export function sizeHandler(): OptionHandler {
  return (value) => {
    if (value === undefined) return ok(number(0n));
    const r = parseSize(value);
    return r.ok ? ok(number(r.value)) : r;
  };
}

/** dt_opt_strsize: a size that must also fit the unsigned int of the D string type. */
export function strsizeHandler(): OptionHandler {
  const size = sizeHandler();
  return (value, ctx, current) => {
    const r = size(value, ctx, current);
    if (r.ok && r.value.kind === 'number' && r.value.value > UINT_MAX) return fail('EOVERFLOW');
    return r;
  };
}

/** dt_opt_rate: a missing value is 0. */
export function rateHandler(): OptionHandler {
  return (value) => {
    if (value === undefined) return ok(number(0n));
    const r = parseRate(value);
    return r.ok ? ok(number(r.value)) : r;
  };
}

/** dt_opt_runtime (booleans and counts): a missing value stores 0, which counts as set. */
export function runtimeHandler(): OptionHandler {
  return (value) => {
    if (value === undefined) return ok(number(0n));
    const r = parseRuntime(value);
    return r.ok ? ok(number(r.value)) : r;
  };
}

/** A choice among fixed words (bufpolicy, linkmode ...); a value is required. */
export function wordHandler(
  words: readonly string[],
  opts: { ignoreCase?: boolean; rejectInProgram?: boolean } = {},
): OptionHandler {
  return (value, ctx) => {
    if (value === undefined) return fail('EDT_BADOPTVAL');
    if (opts.rejectInProgram && ctx.fromProgram) return fail('EDT_BADOPTCTX');
    const found = words.find((w) => (opts.ignoreCase ? equalsIgnoreCase(w, value) : w === value));
    return found === undefined ? fail('EDT_BADOPTVAL') : ok({ kind: 'word', value: found });
  };
}

/** A switch: giving it any value (even empty) is an error. */
export function flagHandler(opts: { rejectInProgram?: boolean } = {}): OptionHandler {
  return (value, ctx) => {
    if (value !== undefined) return fail('EDT_BADOPTVAL');
    if (opts.rejectInProgram && ctx.fromProgram) return fail('EDT_BADOPTCTX');
    return ok({ kind: 'flag', on: true });
  };
}

/** droptags and lazyload switch on whatever value they are given. */
export function valueIgnoredHandler(): OptionHandler {
  return () => ok({ kind: 'flag', on: true });
}

/** Integers read with atoi (iregs, tregs, tree, pgmax): trailing junk ignored, then range-checked. */
export function atoiHandler(minimum: number): OptionHandler {
  return (value) => {
    if (value === undefined) return fail('EDT_BADOPTVAL');
    const n = atoi(value);
    return n < minimum ? fail('EDT_BADOPTVAL') : ok(number(BigInt(n)));
  };
}

/** A required text value (paths, file names); some cannot be changed from a D program. */
export function textHandler(opts: { rejectInProgram?: boolean } = {}): OptionHandler {
  return (value, ctx) => {
    if (value === undefined) return fail('EDT_BADOPTVAL');
    if (opts.rejectInProgram && ctx.fromProgram) return fail('EDT_BADOPTCTX');
    return ok({ kind: 'text', value });
  };
}

/** A required value appended to a list (define, undef, incdir, libdir). */
export function listHandler(opts: { rejectInProgram?: boolean } = {}): OptionHandler {
  return (value, ctx, current) => {
    if (value === undefined) return fail('EDT_BADOPTVAL');
    if (opts.rejectInProgram && ctx.fromProgram) return fail('EDT_BADOPTCTX');
    const before = current.kind === 'list' ? current.values : [];
    return ok({ kind: 'list', values: [...before, value] });
  };
}

/**
 * setenv NAME=VALUE / unsetenv NAME, kept as one list of assignments for the traced command. Both
 * refuse a D program before looking at the value; unsetenv refuses `=`. An existing entry is
 * dropped when its name is a prefix of the new text (libdtrace compares only the old name's length).
 */
export function environmentHandler(setting: boolean): OptionHandler {
  return (value, ctx, current) => {
    if (ctx.fromProgram) return fail('EDT_BADOPTCTX');
    if (value === undefined) return fail('EDT_BADOPTVAL');
    if (!setting && value.includes('=')) return fail('EDT_BADOPTVAL');
    const before = current.kind === 'list' ? current.values : [];
    const kept = before.filter((entry) => {
      const eq = entry.indexOf('=');
      return !value.startsWith(eq < 0 ? entry : entry.slice(0, eq));
    });
    return ok({ kind: 'list', values: setting ? [...kept, value] : kept });
  };
}

/** amin: stability attributes; stored canonical (`Stable/Stable/Common`). */
export function attributesHandler(): OptionHandler {
  return (value) => {
    if (value === undefined) return fail('EDT_BADOPTVAL');
    const r = parseAttributes(value);
    return r.ok ? ok({ kind: 'text', value: r.value }) : r;
  };
}

/** version: a defined D version no newer than the one already in force (versions only go down). */
export function versionHandler(): OptionHandler {
  return (value, _ctx, current) => {
    if (value === undefined) return fail('EDT_BADOPTVAL');
    const r = parseVersion(value);
    if (!r.ok) return r;
    const now = current.kind === 'text' && current.value !== undefined ? parseVersion(current.value) : undefined;
    if (now?.ok && r.value > now.value) return fail('EDT_VERSREDUCED');
    return ok({ kind: 'text', value: versionText(r.value) });
  };
}

export const UNSET_NUMBER: OptionValue = number(DTRACEOPT_UNSET);
