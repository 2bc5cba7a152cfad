// Formatting of a whole document or of the top-level items a range touches, with the D
// formatter (server/src/format/formatD.ts). A text with syntax errors is left alone (no edits):
// the formatter only moves white space between tokens it is sure of. The edit is the smallest
// one (common prefix and suffix kept), so the cursor and markers outside it stay put.
import type { FormattingOptions, Range, TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { formatD } from '../../format/formatD';
import type { AnalyzedDocument, Feature } from '../featureContext';

export const formattingFeature: Feature = (ctx) => {
  ctx.connection.onDocumentFormatting(async (params, token) => {
    const doc = await ctx.analysis(params.textDocument.uri, token);
    return doc ? formatDocument(doc, params.options) : null;
  });
  ctx.connection.onDocumentRangeFormatting(async (params, token) => {
    const doc = await ctx.analysis(params.textDocument.uri, token);
    return doc ? formatRange(doc, params.range, params.options) : null;
  });
  return { documentFormattingProvider: true, documentRangeFormattingProvider: true };
};

const indentOf = (options: FormattingOptions): string => (options.insertSpaces ? ' '.repeat(Math.max(1, options.tabSize)) : '\t');

export function formatDocument(doc: AnalyzedDocument, options: FormattingOptions): TextEdit[] {
  const formatted = formatD(doc.tree, doc.text, { indent: indentOf(options) });
  if (!formatted) return [];
  return minimalEdit(TextDocument.create(doc.uri, 'dtrace', doc.version, doc.text), 0, doc.text.length, formatted.text);
}

export function formatRange(doc: AnalyzedDocument, range: Range, options: FormattingOptions): TextEdit[] {
  const formatted = formatD(doc.tree, doc.text, { indent: indentOf(options) });
  if (!formatted) return [];
  const lines = TextDocument.create(doc.uri, 'dtrace', doc.version, doc.text);
  const from = lines.offsetAt(range.start);
  const to = lines.offsetAt(range.end);
  // The top-level items the range touches, formatted whole.
  const touched = formatted.items.filter((item) => item.input[1] >= from && item.input[0] <= Math.max(from, to - 1));
  if (touched.length === 0) return [];
  const first = touched[0]!;
  const last = touched[touched.length - 1]!;
  return minimalEdit(lines, first.input[0], last.input[1], formatted.text.slice(first.output[0], last.output[1]));
}

/** The one edit that turns `text[start, end)` into `replacement`, without its unchanged ends. */
function minimalEdit(doc: TextDocument, start: number, end: number, replacement: string): TextEdit[] {
  const text = doc.getText();
  let s = 0;
  const max = Math.min(end - start, replacement.length);
  while (s < max && text.charCodeAt(start + s) === replacement.charCodeAt(s)) s++;
  let e = 0;
  while (e < max - s && text.charCodeAt(end - 1 - e) === replacement.charCodeAt(replacement.length - 1 - e)) e++;
  if (s === end - start && s === replacement.length) return [];
  return [{ range: { start: doc.positionAt(start + s), end: doc.positionAt(end - e) }, newText: replacement.slice(s, replacement.length - e) }];
}
