// Front-end diagnostics (types, DTrace's error tags, safety warnings) for an open document: the
// same analysis the command line runs, published with exact ranges, the tag as the code, and
// related locations (for example the `if` a desugared condition came from).
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { AnalyzedDocument } from '../featureContext';
import { rangeOfSpan } from '../symbols/lineIndex';

/** The front-end diagnostics of an analyzed document (none when syntax errors stopped it). */
export function semanticDiagnosticsOf(doc: AnalyzedDocument): Diagnostic[] {
  if (doc.result.syntaxErrors.length > 0 || !doc.result.analysis) return [];
  return toLsp(doc.result.analysis.diagnostics, doc.uri);
}

function toLsp(diagnostics: readonly import('../../analyze/diagnostics').Diagnostic[], uri: string): Diagnostic[] {
  return diagnostics
    .filter((d) => d.file === undefined)
    .map((d) => {
      const out: Diagnostic = {
        range: rangeOfSpan(d.span),
        severity: d.severity === 'error' ? DiagnosticSeverity.Error : d.severity === 'warning' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information,
        code: d.code === 'DTVM_DESTRUCTIVE' ? 'D_DESTRUCTIVE' : d.code,
        source: 'dtrace',
        message: d.detail ? `${d.message}\n${d.detail}` : d.message,
      };
      if (d.related) out.relatedInformation = d.related.map((r) => ({ location: { uri, range: rangeOfSpan(r.span) }, message: r.message }));
      return out;
    });
}
