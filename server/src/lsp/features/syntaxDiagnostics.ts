// Syntax errors as LSP diagnostics, with the tight ranges of the ERROR/MISSING nodes (found by
// the front end in the tree it compiled, so the editor and the command line agree).
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { SyntaxError } from '../../parse/syntaxErrors';
import { pointOf } from '../documentAnalysis';
import { rangeOfSpan } from '../symbols/lineIndex';

export function syntaxDiagnostics(errors: readonly SyntaxError[]): Diagnostic[] {
  return errors.map((e) => ({
    range: rangeOfSpan(e.range),
    severity: DiagnosticSeverity.Error,
    code: 'D_SYNTAX',
    source: 'dtrace',
    message: e.message,
  }));
}

/**
 * The lexical error DTrace stops at (`08`, `1.5`, a bad escape), which tree-sitter's grammar
 * accepts: on the offending token, with DTrace's tag and message, as the command line prints it.
 */
export function lexicalDiagnostics(
  firstError: { tag: string; message: string; index: number } | undefined,
  syntaxErrors: readonly SyntaxError[],
  text: string,
): Diagnostic[] {
  // A syntax error is already shown (in the editor's words) where it is DTrace's first error.
  if (!firstError || (firstError.tag === 'D_SYNTAX' && syntaxErrors.some((e) => e.index === firstError.index))) return [];
  const start = pointOf(text, firstError.index);
  const rest = text.slice(firstError.index);
  const token = /^[\w.]+/.exec(rest)?.[0] ?? (/^[^\r\n]*/.exec(rest)?.[0] ?? '').trimEnd();
  return [
    {
      range: { start: { line: start.row, character: start.column }, end: { line: start.row, character: start.column + Math.max(1, token.length) } },
      severity: DiagnosticSeverity.Error,
      code: firstError.tag,
      source: 'dtrace',
      message: firstError.message,
    },
  ];
}
