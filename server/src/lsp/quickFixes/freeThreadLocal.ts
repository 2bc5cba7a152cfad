// Quick fix for a thread-local never freed (safety rule threadLocalLeak): `self->x = 0;` at the
// end of the matching `return` clause (`p:m:f:entry` pairs with `p:m:f:return`), or a new
// return clause after the entry clause when the script has none.
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver';
import type * as A from '../../parse/ast';
import type { AnalyzedDocument } from '../featureContext';
import { clauseAt, deeper, eol, indentAt } from './sourceText';
import { TextDocument } from 'vscode-languageserver-textdocument';

export function freeThreadLocalFix(doc: AnalyzedDocument, diagnostic: Diagnostic): CodeAction | undefined {
  if (diagnostic.code !== 'DTVM_TLS_LEAK') return undefined;
  const lines = TextDocument.create(doc.uri, 'dtrace', doc.version, doc.text);
  const at = lines.offsetAt(diagnostic.range.start);
  const name = /^self->([A-Za-z_][A-Za-z0-9_]*)/.exec(doc.text.slice(at))?.[1];
  const clause = clauseAt(doc.result.program, at);
  if (!name || !clause || !clause.body) return undefined;
  // Every description of the entry clause must name an entry probe.
  const returns = clause.descriptions.map((d) => returnOf(d.text));
  if (returns.some((r) => r === undefined)) return undefined;
  const wanted = new Set(returns as string[]);
  const nl = eol(doc.text);
  const free = `self->${name} = 0;`;
  const matching = doc.result.program.items.find(
    (item): item is A.Clause => item.k === 'clause' && item.body !== undefined && item.bodySpan !== undefined && item.descriptions.some((d) => wanted.has(normalize(d.text))),
  );
  let edit: TextEdit;
  if (matching) {
    // Before the closing brace, one level inside the clause.
    const close = matching.bodySpan!.endIndex - 1;
    const indent = deeper(doc.text, indentAt(doc.text, matching.span.startIndex));
    const lineStart = doc.text.lastIndexOf('\n', close - 1) + 1;
    const braceAlone = doc.text.slice(lineStart, close).trim() === '';
    const pos = lines.positionAt(braceAlone ? lineStart : close);
    const spaced = /\s/.test(doc.text[close - 1] ?? '');
    edit = { range: { start: pos, end: pos }, newText: braceAlone ? `${indent}${free}${nl}` : `${spaced ? '' : ' '}${free} ` };
    return {
      title: `Free self->${name} at the end of the matching return clause (${matching.descriptions.map((d) => d.text).join(', ')})`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      isPreferred: true,
      edit: { changes: { [doc.uri]: [edit] } },
    };
  }
  const pos = lines.positionAt(clause.span.endIndex);
  const descriptions = returns.join(`,${nl}`);
  edit = { range: { start: pos, end: pos }, newText: `${nl}${nl}${descriptions}${nl}/self->${name}/${nl}{${nl}\t${free}${nl}}` };
  return {
    title: `Free self->${name} in a new return clause (${returns.join(', ')})`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred: true,
    edit: { changes: { [doc.uri]: [edit] } },
  };
}

const normalize = (text: string): string => text.replace(/\s+/g, '');

/** `p:m:f:entry` → `p:m:f:return`; undefined for any other description. */
function returnOf(text: string): string | undefined {
  const d = normalize(text);
  const fields = d.split(':');
  if (fields.length !== 4 || fields[3] !== 'entry') return undefined;
  return [...fields.slice(0, 3), 'return'].join(':');
}
