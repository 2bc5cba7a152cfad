// Hover: what the name under the cursor is, its type and where it comes from; built-ins with
// their signature and documentation; probe descriptions with the probes they match; options
// of `#pragma D option` with their values and defaults; macro variables with their value.
import type { Hover } from 'vscode-languageserver';
import type { Feature, FeatureContext } from '../featureContext';
import { symbolIndexOf, watchAnalyses, type SymbolIndex } from '../symbols/symbolIndex';
import { pragmaOption } from '../symbols/pragmas';
import * as D from '../symbols/describe';

export const hoverFeature: Feature = (ctx) => {
  watchAnalyses(ctx);
  ctx.connection.onHover(async (params, token) => {
    const doc = await ctx.analysis(params.textDocument.uri, token);
    if (!doc) return null;
    const index = symbolIndexOf(doc, ctx.parser);
    return hoverAt(ctx, index, index.lines.offset(params.position));
  });
  return { hoverProvider: true };
};

export function hoverAt(ctx: FeatureContext, index: SymbolIndex, offset: number): Hover | null {
  const line = index.lines.lineAt(offset);
  const option = pragmaOption(line.text);
  if (option) {
    const col = offset - line.start;
    if (col < option.nameStart || col > option.nameStart + option.name.length) return null;
    const text = D.describeOption(option.name);
    if (!text) return null;
    return markdown(text, index, line.start + option.nameStart, line.start + option.nameStart + option.name.length);
  }
  const found = index.at(offset);
  // On the `self` or `this` of `self->x`: the variable.
  if (found.length === 0) {
    const name = prefixedName(index.doc.text, offset);
    if (name !== undefined) found.push(...index.at(name).filter((o) => o.kind === 'thread' || o.kind === 'clause'));
  }
  // On the type of an `xlate`, the translator it applies is what the user asks about.
  const xlate = found.find((o) => o.kind === 'translator' && o.role === 'read');
  if (xlate) return markdown(D.describeTranslator(index, xlate.key), index, xlate.start, xlate.end);
  for (const o of found) {
    let text: string | undefined;
    switch (o.kind) {
      case 'global':
      case 'thread':
      case 'clause':
        text = D.describeVariable(index, o);
        break;
      case 'aggregation':
        text = D.describeAggregation(index, o);
        break;
      case 'inline':
        text = D.describeInline(index, o);
        break;
      case 'typedef':
        text = D.describeTypedef(index, o.name);
        break;
      case 'tag':
        text = D.describeTag(index, o.name);
        break;
      case 'enumerator':
        text = D.describeEnumerator(index, o.name);
        break;
      case 'builtin':
        text = D.describeBuiltinVariable(o.name);
        break;
      case 'builtinArray':
        if (o.name === 'args') {
          const n = /^\s*\[\s*(\d+)\s*\]/.exec(index.doc.text.slice(o.end, o.end + 16));
          text = D.describeArgs(index, o.clause, n ? Number(n[1]) : undefined);
        } else text = D.describeBuiltinVariable(o.name);
        break;
      case 'function':
        text = D.describeFunction(o.name);
        break;
      case 'macro':
        text = D.describeMacro(index, o.name, ctx.settings(index.doc.uri).macroArguments);
        break;
      case 'member':
        text = D.describeMember(index, o);
        break;
      case 'translator':
        text = D.describeTranslator(index, o.key);
        break;
      case 'param':
        text = `${D.code(o.name)}\n\nParameter.`;
        break;
      case 'probeProvider':
      case 'probeModule':
      case 'probeFunction':
      case 'probeName':
        text = o.description ? D.describeDescription(o.description, index.doc.result.catalogue) : undefined;
        if (text && o.description) return markdown(text, index, o.description.span.startIndex, o.description.span.endIndex);
        break;
    }
    if (text) return markdown(text, index, o.start, o.end);
  }
  return null;
}

/** Where the variable's name starts when `offset` is on the `self`/`this` (or `->`) before it. */
function prefixedName(text: string, offset: number): number | undefined {
  let start = offset;
  while (start > 0 && /[A-Za-z_>-]/.test(text[start - 1]!)) start--;
  const m = /^(self|this)\s*->\s*/.exec(text.slice(start, start + 32));
  return m && offset <= start + m[0].length ? start + m[0].length : undefined;
}

function markdown(value: string, index: SymbolIndex, start: number, end: number): Hover {
  return { contents: { kind: 'markdown', value }, range: index.lines.range(start, end) };
}
