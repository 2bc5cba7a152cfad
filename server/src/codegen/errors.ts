// The code generator's own errors: DTrace's few compile errors that only code generation finds
// (out of registers, out of tuple registers, a translated pointer as a result), each with the
// node it is about so that the faces can print file:line:column. DTrace reports some of them
// as library errors, without a line (EDT_NOTUPREG): `located` is false for those.
import type { Span } from '../parse/ast';

/** DTrace's library errors (EDT_*) that code generation raises; dtrace(1) prints them without a line. */
export const LIBRARY_ERROR_MESSAGES = {
  EDT_NOTUPREG: 'Insufficient tuple registers to generate code',
  EDT_INT2BIG: 'Integer constant table limit exceeded',
  EDT_STR2BIG: 'String constant table limit exceeded',
} as const;

export class CodegenError extends Error {
  /** Found while generating a predicate (dtrace(1) names the region for `-n` programs). */
  inPredicate = false;

  constructor(
    /** DTrace's error tag (D_NOREG, D_CG_DYN ...) or library error name (EDT_NOTUPREG). */
    readonly tag: string,
    readonly span: Span,
    message: string,
    readonly located = true,
  ) {
    super(message);
    this.name = 'CodegenError';
  }

  /** The same error, placed at the statement or predicate that was being compiled. */
  at(span: Span): CodegenError {
    const e = new CodegenError(this.tag, span, this.message, this.located);
    e.inPredicate = this.inPredicate;
    return e;
  }
}
