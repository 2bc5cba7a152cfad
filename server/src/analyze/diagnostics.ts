// What the front end reports. DTrace stops at its first error; we record every error we can
// still trust (the first is what the command line prints) plus warnings of our own.
import type { Span } from '../parse/ast';

export type Severity = 'error' | 'warning' | 'information';

export interface Related {
  span: Span;
  file?: string;
  message: string;
}

export interface Diagnostic {
  severity: Severity;
  /** DTrace's tag (D_OP_INCOMPAT ...) or, for checks beyond DTrace, one of ours (DTVM_...). */
  code: string;
  message: string;
  span: Span;
  /** The file the span is in, when not the script itself (a D library file). */
  file?: string;
  /**
   * The line DTrace would print (1-based), when it differs from the span's start line: DTrace
   * reports where its parser was when it built the node, usually the node's last line.
   */
  line?: number;
  related?: Related[];
  /** More explanation for the editor (why, and what to write instead); the CLI prints only `message`. */
  detail?: string;
}

/** Thrown to abandon the statement (or declaration) an error makes meaningless. */
export class Abandon extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

export function dtraceLine(d: Diagnostic): number {
  return d.line ?? d.span.start.row + 1;
}
