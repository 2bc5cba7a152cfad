// Probe sources from strace (issue 5): a live capture of a command or a running process, and
// the import of an existing `strace -f -ttt -T` log. Both speak the trace format's records.
export { openStraceCapture, StraceUnavailableError, CaptureStartError, type CaptureOptions, type StraceCapture } from './capture.ts';
export { importStraceLog, type ImportOptions, type StraceLogSource } from './importLog.ts';
export { StraceConverter, StraceLogError, type ConverterOptions, type KnownProcess } from './converter.ts';
