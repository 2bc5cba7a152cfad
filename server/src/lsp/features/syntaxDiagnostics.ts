// Syntax errors as LSP diagnostics, with the tight ranges of the ERROR/MISSING nodes.
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { Tree } from '../../parse/dParser';
import { findSyntaxErrors } from '../../parse/syntaxErrors';

export function syntaxDiagnostics(tree: Tree): Diagnostic[] {
  return findSyntaxErrors(tree).map((e) => ({
    range: {
      start: { line: e.range.start.row, character: e.range.start.column },
      end: { line: e.range.end.row, character: e.range.end.column },
    },
    severity: DiagnosticSeverity.Error,
    code: 'D_SYNTAX',
    source: 'dtrace',
    message: e.message,
  }));
}
