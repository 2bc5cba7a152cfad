// Checks a printf-like action's format against its arguments with the D compiler's rules and
// messages (tags D_PRINTF_*, D_SYNTAX, D_FREOPEN_INVALID, D_PRINTA_AGGARG). DTrace stops at the
// first problem; we go on where the rest can still be judged, and the first problem we return
// is always the one DTrace reports.
import { DEFAULT_PLATFORM, type DifPlatform } from '../../dif/platform';
import {
  AGGREGATION_VALUE_TYPE,
  COUNT_VALUE_TYPE,
  acceptsArgument,
  argumentTypeName,
  isIntegerArgument,
  type PrintfArgument,
} from './argument-types';
import { withoutLastNewline } from './message';
import { formatValue, isFormatError, parseFormat, type FormatConversion } from './parse';

export type PrintfAction = 'printf' | 'printa' | 'system' | 'freopen' | (string & {});

export interface FormatCheckContext {
  /** The action's name as DTrace prints it; `printa` formats take `%@` and no exact count. */
  readonly action: PrintfAction;
  /** The number DTrace gives args[0] in messages; 2 for every action (the format is #1). */
  readonly firstArgumentNumber?: number;
  /**
   * printa only: the aggregating function of the first aggregation (`count`, `sum`, ...).
   * `%@` then takes uint64_t for count() and int64_t for everything else.
   */
  readonly aggregatingFunction?: string;
  /** A target process exists (dtrace -p/-c), so `%A` accepts plain addresses. */
  readonly hasTarget?: boolean;
  readonly platform?: DifPlatform;
}

export interface FormatProblem {
  readonly tag: string;
  /** DTrace's message, without location and without the trailing newline. */
  readonly message: string;
  /** Index into `args` of the argument at fault (for printa, into the first aggregation's keys). */
  readonly argIndex?: number;
  /** The conversion at fault, as offsets into the format's value; end exclusive. */
  readonly formatOffset?: [number, number];
}

/** freopen() restores stdout when given "", which the compiler turns into this name. */
const FREOPEN_RESTORE = '.';

/**
 * Checks one printf-like call.
 * @param fmt the format string's value, or the first argument when it is not a string constant
 * @param args the arguments after the format (printa: the key types of its first aggregation)
 */
export function checkFormat(
  fmt: string | PrintfArgument,
  args: readonly PrintfArgument[],
  context: FormatCheckContext,
): FormatProblem[] {
  const func = context.action;
  const aggregating = func === 'printa';
  const first = context.firstArgumentNumber ?? 2;
  const problems: FormatProblem[] = [];
  const report = (tag: string, text: string, where: { argIndex?: number; formatOffset?: [number, number] } = {}) =>
    problems.push({ tag, message: withoutLastNewline(text), ...where });

  if (typeof fmt !== 'string') {
    if (aggregating) {
      // printa's first argument is then its first aggregation.
      if (!fmt.isAggregation) {
        report(
          'D_PRINTA_AGGARG',
          `${func}( ) argument #1 is incompatible with prototype:\n\tprototype: aggregation\n\t argument: ${argumentTypeName(fmt)}\n`,
        );
      }
    } else {
      report(
        'D_PRINTF_ARG_FMT',
        `${func}( ) argument #1 is incompatible with prototype:\n\tprototype: string constant\n\t argument: ${argumentTypeName(fmt)}\n`,
      );
    }
    return problems;
  }

  let format = formatValue(fmt);
  if (func === 'freopen') {
    if (format === FREOPEN_RESTORE) {
      report('D_FREOPEN_INVALID', `${func}( ) argument #1 cannot be "${FREOPEN_RESTORE}"\n`, { formatOffset: [0, format.length] });
    }
    if (format === '') format = FREOPEN_RESTORE;
  }

  const parsed = parseFormat(format, context.platform ?? DEFAULT_PLATFORM);
  if (isFormatError(parsed)) {
    report(parsed.tag, parsed.message, { formatOffset: parsed.formatOffset });
    return problems;
  }

  if (format === '') report('D_PRINTF_FMT_EMPTY', `${func}( ) format string is empty\n`, { formatOffset: [0, 0] });

  const aggregationValue: PrintfArgument = {
    type: context.aggregatingFunction === 'count' ? COUNT_VALUE_TYPE : AGGREGATION_VALUE_TYPE,
  };
  let j = 0;
  for (const d of parsed) {
    if (d.kind !== 'conversion' || d.spec.accepts === 'none') continue;
    const at = { formatOffset: [d.start, d.end] as [number, number] };

    let missing = false;
    for (const star of dynamicArguments(d)) {
      if (j >= args.length) {
        report(
          'D_PRINTF_DYN_PROTO',
          `${func}( ) prototype mismatch: conversion #${d.number} (%${d.name}) is missing a corresponding "${star}" argument\n`,
          at,
        );
        missing = true;
        break;
      }
      const arg = args[j]!;
      if (!isIntegerArgument(arg)) {
        report(
          'D_PRINTF_DYN_TYPE',
          `${func}( ) argument #${j + first} is incompatible with conversion #${d.number} prototype:\n` +
            `\tconversion: % ${star} ${d.name}\n\t prototype: int\n\t  argument: ${argumentTypeName(arg)}\n`,
          { argIndex: j, ...at },
        );
      }
      j++;
    }
    if (missing) continue;

    let value: PrintfArgument;
    let valueName: string;
    let argIndex: number | undefined;
    if (d.flags.aggregation) {
      if (!aggregating) {
        report('D_PRINTF_AGG_CONV', `%@ conversion requires an aggregation and is not for use with ${func}( )\n`, at);
        continue;
      }
      value = aggregationValue;
      valueName = 'aggregating action';
    } else if (j >= args.length) {
      report(
        'D_PRINTF_ARG_PROTO',
        `${func}( ) prototype mismatch: conversion #${d.number} (%${d.name}) is missing a corresponding value argument\n`,
        at,
      );
      continue;
    } else {
      value = args[j]!;
      valueName = `argument #${j + first}`;
      argIndex = j++;
    }

    if (!acceptsArgument(d.spec, value, { hasTarget: context.hasTarget })) {
      report(
        'D_PRINTF_ARG_TYPE',
        `${func}( ) ${valueName} is incompatible with conversion #${d.number} prototype:\n` +
          `\tconversion: %${d.name}\n\t prototype: ${d.spec.prototype}\n\t  argument: ${argumentTypeName(value)}\n`,
        argIndex === undefined ? at : { argIndex, ...at },
      );
    }
  }

  if (!aggregating && j < args.length) {
    report('D_PRINTF_ARG_EXTRA', `${func}( ) prototype mismatch: only ${j} arguments required by this format string\n`, {
      argIndex: j,
    });
  }
  return problems;
}

/** The `*` arguments a conversion takes, in the order DTrace consumes them. */
function dynamicArguments(d: FormatConversion): string[] {
  const stars: string[] = [];
  if (d.dynamicWidth) stars.push('*');
  if (d.dynamicPrecision) stars.push('.*');
  return stars;
}
