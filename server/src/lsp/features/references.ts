// Find references: every mention of the symbol under the cursor in the document (a clause-local
// only within its clause), with or without its declaration as the client asks.
import type { Location } from 'vscode-languageserver';
import type { Feature } from '../featureContext';
import { symbolIndexOf, watchAnalyses } from '../symbols/symbolIndex';
import { NAVIGABLE, navigationTarget } from '../symbols/navigation';

export const referencesFeature: Feature = (ctx) => {
  watchAnalyses(ctx);
  ctx.connection.onReferences(async (params, token) => {
    const doc = await ctx.analysis(params.textDocument.uri, token);
    if (!doc) return null;
    const index = symbolIndexOf(doc, ctx.parser);
    const o = navigationTarget(index, index.lines.offset(params.position), false);
    // Built-ins are not navigable, but where a script uses them is worth finding.
    if (!o || !(NAVIGABLE.has(o.kind) || o.kind === 'builtin' || o.kind === 'builtinArray' || o.kind === 'function' || o.kind === 'macro')) return null;
    const out: Location[] = [];
    for (const x of index.occurrencesOf(o.key)) {
      if (!params.context.includeDeclaration && x.role === 'definition') continue;
      out.push({ uri: doc.uri, range: index.lines.range(x.start, x.end) });
    }
    return out;
  });
  return { referencesProvider: true };
};
