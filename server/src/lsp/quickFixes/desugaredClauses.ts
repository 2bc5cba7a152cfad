// "Show desugared clauses": the clauses DTrace compiles for a script's `if`/`else` (what
// `dtvm -d` prints). A code action carries the command; executing it returns the text, which
// the VS Code client opens in a new editor (any other client receives it as the result).
import { CodeActionKind, type CodeAction } from 'vscode-languageserver';
import { desugarProgram, hasIf } from '../../desugar/ifDesugar';
import { printClauses } from '../../desugar/printD';
import type { AnalyzedDocument } from '../featureContext';

export const SHOW_DESUGARED = 'dtrace.showDesugaredClauses';

export function desugaredClausesAction(doc: AnalyzedDocument): CodeAction | undefined {
  const uses = doc.result.program.items.some((item) => item.k === 'clause' && item.body?.some(hasIf));
  if (!uses || !doc.result.analysis || doc.result.syntaxErrors.length > 0) return undefined;
  return {
    title: 'Show desugared clauses (the clauses DTrace compiles for `if`/`else`)',
    kind: CodeActionKind.Refactor,
    command: { title: 'Show desugared clauses', command: SHOW_DESUGARED, arguments: [doc.uri] },
  };
}

/** The desugared clauses of the document, as D text. */
export function desugaredText(doc: AnalyzedDocument): string {
  const clauses = doc.result.program.items.filter((item) => item.k === 'clause');
  return printClauses(desugarProgram(clauses).clauses, doc.text);
}
