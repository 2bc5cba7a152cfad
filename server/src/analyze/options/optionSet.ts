// The options in force for one compilation: defaults plus whatever `-x`, `#pragma D option` or the
// dtrace(1) flags set, with libdtrace's acceptance rules and error texts.
import type { OptionValue, SetContext } from './optionHandlers';
import {
  OPTIONS,
  optionSpec,
  type BoolOptionName,
  type EnumOptionName,
  type IntOptionName,
  type ListOptionName,
  type OptionName,
  type OptionSpec,
  type SizeOptionName,
  type SwitchOptionName,
  type TextOptionName,
  type TimeOptionName,
} from './optionTable';
import { DTRACEOPT_UNSET, OPTION_ERROR_TEXT, type OptionErrorCode } from './optionValues';

export type { SetContext } from './optionHandlers';

export type SetResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: string; readonly code: OptionErrorCode };

export interface OptionSetInit {
  /**
   * Apply what dtrace(1) sets before reading its arguments (bufsize=4m, aggsize=4m,
   * temporal=yes). Default true; false gives a bare libdtrace handle.
   */
  readonly commandDefaults?: boolean;
}

function failure(code: OptionErrorCode): SetResult {
  return { ok: false, reason: OPTION_ERROR_TEXT[code], code };
}

export class OptionSet {
  private readonly values = new Map<string, OptionValue>();
  private readonly explicit = new Set<string>();
  /** Options a `#pragma D option` set (it overrides `-x`: the program is compiled after). */
  private readonly byProgram = new Set<string>();

  constructor(init: OptionSetInit = {}) {
    for (const spec of OPTIONS) {
      if (spec.storage === undefined) this.values.set(spec.name, spec.initial);
    }
    if (init.commandDefaults ?? true) {
      for (const spec of OPTIONS) {
        if (spec.commandDefault === undefined) continue;
        const r = spec.handler(spec.commandDefault, {}, this.stored(spec));
        if (r.ok) this.values.set(spec.name, r.value);
      }
    }
  }

  /**
   * dtrace_setopt(): `value` is the text after `=`, undefined when there was none. On failure
   * nothing changes and `reason` is libdtrace's message.
   */
  set(name: string, value: string | undefined, ctx: SetContext = {}): SetResult {
    const spec = optionSpec(name);
    if (spec === undefined) return failure('EDT_BADOPTNAME');
    if (spec.class === 'runtime' && ctx.tracing) return failure('EDT_ACTIVE');
    const r = spec.handler(value, ctx, this.stored(spec));
    if (!r.ok) return failure(r.code);
    this.values.set(spec.storage ?? spec.name, r.value);
    if (spec.opposite !== undefined) this.values.set(spec.opposite, { kind: 'flag', on: false });
    this.explicit.add(spec.name);
    if (ctx.fromProgram === true) this.byProgram.add(spec.name);
    return { ok: true };
  }

  /** True once a `set` of this option succeeded (dtrace(1)'s own defaults do not count). */
  explicitlySet(name: string): boolean {
    return this.explicit.has(name);
  }

  /** True when a `#pragma D option` in the program set this option. */
  setByProgram(name: string): boolean {
    return this.byProgram.has(name);
  }

  /** The stored state, or undefined for an unknown name. */
  get(name: string): OptionValue | undefined {
    const spec = optionSpec(name);
    return spec === undefined ? undefined : this.stored(spec);
  }

  /** The dtrace_optval_t as libdtrace holds it (DTRACEOPT_UNSET = -2) for number-valued options. */
  raw(name: SizeOptionName | TimeOptionName | BoolOptionName | IntOptionName): bigint {
    return this.number(name);
  }

  /** Bytes, or undefined when unset. */
  bytes(name: SizeOptionName): number | undefined {
    return this.numberOrUndefined(name);
  }

  /** Nanoseconds (a rate is already converted to its period), or undefined when unset. */
  nanoseconds(name: TimeOptionName): number | undefined {
    return this.numberOrUndefined(name);
  }

  integer(name: IntOptionName): number | undefined {
    return this.numberOrUndefined(name);
  }

  /** Whether a boolean option is set (any value but unset: `quiet=0` is set) or a switch is on. */
  flag(name: BoolOptionName | SwitchOptionName): boolean {
    const v = this.get(name);
    if (v?.kind === 'flag') return v.on;
    if (v?.kind === 'number') return v.value !== DTRACEOPT_UNSET;
    throw new TypeError(`option ${name} is not a flag`);
  }

  word(name: EnumOptionName): string | undefined {
    const v = this.get(name);
    if (v?.kind !== 'word') throw new TypeError(`option ${name} is not an enum`);
    return v.value;
  }

  text(name: TextOptionName): string | undefined {
    const v = this.get(name);
    if (v?.kind !== 'text') throw new TypeError(`option ${name} is not text`);
    return v.value;
  }

  list(name: ListOptionName): readonly string[] {
    const v = this.get(name);
    if (v?.kind !== 'list') throw new TypeError(`option ${name} is not a list`);
    return v.values;
  }

  /** Names of the options set explicitly, in table order. */
  explicitNames(): OptionName[] {
    return OPTIONS.filter((o) => this.explicit.has(o.name)).map((o) => o.name);
  }

  private stored(spec: OptionSpec): OptionValue {
    return this.values.get(spec.storage ?? spec.name) ?? spec.initial;
  }

  private number(name: string): bigint {
    const v = this.get(name);
    if (v?.kind !== 'number') throw new TypeError(`option ${name} is not numeric`);
    return v.value;
  }

  private numberOrUndefined(name: string): number | undefined {
    const n = this.number(name);
    return n === DTRACEOPT_UNSET ? undefined : Number(n);
  }
}
