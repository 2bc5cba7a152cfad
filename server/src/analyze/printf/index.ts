// printf/printa format strings: the conversion dictionary, the scanner and the argument checks.
export { CONVERSIONS, conversionTable, type ArgumentKind, type ConversionSpec } from './conversions';
export {
  formatValue,
  isFormatError,
  parseFormat,
  type ConversionFlags,
  type FormatConversion,
  type FormatDirective,
  type FormatError,
  type FormatLiteral,
} from './parse';
export {
  AGGREGATION_VALUE_TYPE,
  COUNT_VALUE_TYPE,
  STACK_TYPE,
  SYMADDR_TYPE,
  USYMADDR_TYPE,
  acceptsArgument,
  argumentTypeName,
  isIntegerArgument,
  type AcceptOptions,
  type PrintfArgument,
} from './argument-types';
export { checkFormat, type FormatCheckContext, type FormatProblem, type PrintfAction } from './check';
