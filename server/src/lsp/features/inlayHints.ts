// Inlay hints: the type D inferred for a variable that was never declared, shown once, after
// its name at its first assignment (per clause for clause-locals).
import { InlayHintKind, type InlayHint } from 'vscode-languageserver';
import type { Feature } from '../featureContext';
import { typeName } from '../../analyze/types/ctype';
import { symbolIndexOf, watchAnalyses, type SymbolIndex } from '../symbols/symbolIndex';
import { variableOf } from '../symbols/describe';

export function inlayHints(index: SymbolIndex, from = 0, to = Infinity): InlayHint[] {
  const hints: InlayHint[] = [];
  for (const [key, list] of index.byKey) {
    const first = list[0]!;
    if (first.kind !== 'global' && first.kind !== 'thread' && first.kind !== 'clause') continue;
    if (list.some((o) => o.role === 'definition')) continue;
    const at = list.find((o) => o.role === 'write');
    if (!at || at.end < from || at.start > to) continue;
    const v = variableOf(index.analysis, first);
    if (!v?.type || v.declared || v.definitionFile !== undefined) continue;
    const keys = v.shape === 'assoc' && v.keys ? `[${v.keys.map(typeName).join(', ')}]` : '';
    hints.push({
      position: index.lines.position(at.end),
      label: `: ${typeName(v.type)}`,
      kind: InlayHintKind.Type,
      paddingLeft: false,
      tooltip: `${key.startsWith('thread') ? 'self->' : key.startsWith('clause') ? 'this->' : ''}${v.name}${keys} has type ${typeName(v.type)}, from its first assignment`,
    });
  }
  return hints.sort((a, b) => a.position.line - b.position.line || a.position.character - b.position.character);
}

export const inlayHintsFeature: Feature = (ctx) => {
  watchAnalyses(ctx);
  ctx.connection.languages.inlayHint.on(async (params, token) => {
    const doc = await ctx.analysis(params.textDocument.uri, token);
    if (!doc) return null;
    const index = symbolIndexOf(doc, ctx.parser);
    return inlayHints(index, index.lines.offset(params.range.start), index.lines.offset(params.range.end));
  });
  return { inlayHintProvider: true };
};
