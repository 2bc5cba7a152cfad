// Errors of the trace format. Checks throw RecordProblem (just "what is wrong"); the reader,
// which knows where it is, turns it into a TraceFormatError whose message is
// `file:line: what is wrong`, the form compilers use so editors can jump to it.

/** A record (or a field of one) breaks the format; the message says what, not where. */
export class RecordProblem extends Error {
  override readonly name = 'RecordProblem';
}

/** A trace that cannot be read: `message` is `file:line: reason`. */
export class TraceFormatError extends Error {
  override readonly name = 'TraceFormatError';
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
  }
}

/** The writer was handed a record the format cannot carry; `message` names the record. */
export class TraceWriteError extends Error {
  override readonly name = 'TraceWriteError';
}

export function problem(message: string): never {
  throw new RecordProblem(message);
}
