// The trace file format (docs/trace-format.md): what the rest of the engine imports.

export * from './format.ts';
export { TraceFormatError, TraceWriteError } from './errors.ts';
export { asInt64, asUint64, decodeInt64, decodeUint64, decodeWord64, encodeInt64, I64_MAX, I64_MIN, U64_MAX } from './int64.ts';
export { TraceMemory, type MemorySegment, type MemoryValue } from './memory.ts';
export { openTrace, TraceReader, type ReadOptions, type TraceSource, type TraceStats } from './reader.ts';
export {
  createTraceWriter,
  TraceWriter,
  headerInputOf,
  type ExecInput,
  type ExitInput,
  type FiringInput,
  type HeaderInput,
  type Int64Input,
  type MemoryInput,
  type WriteOptions,
} from './writer.ts';
export { RecordColumns } from './columns.ts';
export { BinaryTraceWriter, BINARY_MAGIC, BINARY_VERSION, isBinaryTrace } from './binary.ts';
export { convertTrace, type ConvertOptions, type ConvertResult, type TraceForm } from './convert.ts';
