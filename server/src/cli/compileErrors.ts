// Compile errors in dtrace(1)'s exact form (reference section 9):
//   dtrace: failed to compile script x.d: [D_TAG] line N: message
//   dtrace: invalid probe specifier BEGIN { x }: [D_TAG] in action list: message
import type { LineMap } from './preprocess';

export type Location =
  | { kind: 'script'; path: string; lineMap: LineMap | undefined }
  | { kind: 'probe'; text: string };

export interface CompileError {
  code: string;
  message: string;
  /** 0-based row in the compiled text. */
  row: number;
  /** The line DTrace prints, when `#line` directives renumbered the text. */
  line?: number;
  inPredicate: boolean;
  /** A D library file the error is in. */
  file?: string;
}

export function formatCompileError(where: Location, e: CompileError, errtags: boolean): string {
  const tag = errtags ? `[${e.code}] ` : '';
  if (where.kind === 'probe') {
    const region = e.code === 'D_PDESC_ZERO' || e.code === 'D_PDESC_INVAL' || e.code === 'D_SYNTAX' ? '' : `in ${e.inPredicate ? 'predicate' : 'action list'}: `;
    return `dtrace: invalid probe specifier ${where.text}: ${tag}${region}${e.message}`;
  }
  let place: string;
  const line = e.line ?? e.row + 1;
  if (e.file !== undefined) place = `"${e.file}", line ${line}: `;
  else {
    const mapped = where.lineMap?.(e.row);
    place = mapped && mapped.file !== where.path ? `"${mapped.file}", line ${mapped.line}: ` : `line ${mapped ? mapped.line : line}: `;
  }
  return `dtrace: failed to compile script ${where.path}: ${tag}${place}${e.message}`;
}
