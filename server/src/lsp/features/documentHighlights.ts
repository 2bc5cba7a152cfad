// Document highlights: the other mentions of the symbol under the cursor, writes (assignments,
// declarations) told apart from reads.
import { DocumentHighlightKind, type DocumentHighlight } from 'vscode-languageserver';
import type { Feature } from '../featureContext';
import { symbolIndexOf, watchAnalyses } from '../symbols/symbolIndex';
import { NAVIGABLE, navigationTarget } from '../symbols/navigation';

export const documentHighlightsFeature: Feature = (ctx) => {
  watchAnalyses(ctx);
  ctx.connection.onDocumentHighlight(async (params, token) => {
    const doc = await ctx.analysis(params.textDocument.uri, token);
    if (!doc) return null;
    const index = symbolIndexOf(doc, ctx.parser);
    const o = navigationTarget(index, index.lines.offset(params.position), false);
    if (!o || !(NAVIGABLE.has(o.kind) || o.kind === 'builtin' || o.kind === 'builtinArray' || o.kind === 'function' || o.kind === 'macro')) return null;
    return index.occurrencesOf(o.key).map(
      (x): DocumentHighlight => ({
        range: index.lines.range(x.start, x.end),
        kind: x.role === 'read' ? DocumentHighlightKind.Read : DocumentHighlightKind.Write,
      }),
    );
  });
  return { documentHighlightProvider: true };
};
