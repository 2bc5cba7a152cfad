// Go to definition: a variable's declaration or first assignment, an aggregation's first
// assignment, an inline's, typedef's, tag's or enumerator's definition (in the D library files
// when they come from there), the translators an `xlate` uses.
import type { Feature } from '../featureContext';
import { symbolIndexOf, watchAnalyses } from '../symbols/symbolIndex';
import { NAVIGABLE, definitionLocations, navigationTarget } from '../symbols/navigation';

export const definitionFeature: Feature = (ctx) => {
  watchAnalyses(ctx);
  ctx.connection.onDefinition(async (params, token) => {
    const doc = await ctx.analysis(params.textDocument.uri, token);
    if (!doc) return null;
    const index = symbolIndexOf(doc, ctx.parser);
    const o = navigationTarget(index, index.lines.offset(params.position), true);
    if (!o || !NAVIGABLE.has(o.kind)) return null;
    const locations = definitionLocations(index, o);
    return locations.length > 0 ? locations : null;
  });
  return { definitionProvider: true };
};
