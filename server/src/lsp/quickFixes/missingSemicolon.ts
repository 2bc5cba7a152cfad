// Quick fix for a missing `;`. Where the parser itself expected one ("expected `;`"), it goes
// there. Otherwise a forgotten `;` at the end of a line usually derails the parser a little
// later ("unexpected `y`"): the end of the error's line and of the line before are tried, and
// the fix is offered only where inserting `;` leaves the whole text without a syntax error.
import { CodeActionKind, type CodeAction, type Diagnostic, type Position } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Parser } from '../../parse/dParser';
import type { AnalyzedDocument } from '../featureContext';
import { diffEdit } from '../documentAnalysis';

export function missingSemicolonFix(doc: AnalyzedDocument, diagnostic: Diagnostic, parser: Parser): CodeAction | undefined {
  if (diagnostic.code !== 'D_SYNTAX') return undefined;
  const at = diagnostic.message === 'expected `;`' ? diagnostic.range.start : verifiedLineEnd(doc, diagnostic, parser);
  if (!at) return undefined;
  return {
    title: 'Insert the missing `;`',
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred: true,
    edit: { changes: { [doc.uri]: [{ range: { start: at, end: at }, newText: ';' }] } },
  };
}

function verifiedLineEnd(doc: AnalyzedDocument, diagnostic: Diagnostic, parser: Parser): Position | undefined {
  const lines = TextDocument.create(doc.uri, 'dtrace', doc.version, doc.text);
  const row = diagnostic.range.start.line;
  for (const line of [row, row - 1]) {
    if (line < 0) continue;
    const start = lines.offsetAt({ line, character: 0 });
    const end = lines.offsetAt({ line: line + 1, character: 0 });
    const content = doc.text.slice(start, end).replace(/\r?\n$/, '');
    const code = content.trimEnd();
    // A line ending in a comment, a brace or a `;` does not want one.
    if (code === '' || /[;{}]$|\*\/$|\/\/|^\s*#/.test(code)) continue;
    const offset = start + code.length;
    const fixed = doc.text.slice(0, offset) + ';' + doc.text.slice(offset);
    const edited = doc.tree.copy();
    const edit = diffEdit(doc.text, fixed);
    if (edit) edited.edit(edit);
    const tree = parser.parse(fixed, edited);
    edited.delete();
    const clean = tree ? !tree.rootNode.hasError : false;
    tree?.delete();
    if (clean) return lines.positionAt(offset);
  }
  return undefined;
}
