// Quick fix for "Destructive actions not allowed": `#pragma D option destructive`, the script's
// own `dtrace -w`. It goes after the pragmas at the top of the script, else before its first
// declaration or clause (after a `#!` line and the header comment).
import type { CodeAction, Diagnostic } from 'vscode-languageserver';
import { CodeActionKind } from 'vscode-languageserver';
import type { AnalyzedDocument } from '../featureContext';
import { eol } from './sourceText';

export function destructivePragmaFix(doc: AnalyzedDocument, diagnostic: Diagnostic): CodeAction | undefined {
  if (diagnostic.code !== 'D_DESTRUCTIVE') return undefined;
  const nl = eol(doc.text);
  const lines = doc.text.split(/\r?\n/);
  let line = 0;
  let lastPragma = -1;
  let firstCode = -1;
  let inComment = false;
  for (; line < lines.length; line++) {
    const l = lines[line]!.trim();
    if (inComment) {
      if (l.includes('*/')) inComment = false;
      continue;
    }
    if (l === '' || l.startsWith('//') || l.startsWith('#!')) continue;
    if (l.startsWith('/*')) {
      inComment = !l.includes('*/');
      continue;
    }
    if (/^#\s*pragma\s+D\s+option\b/.test(l)) {
      lastPragma = line;
      continue;
    }
    if (l.startsWith('#')) continue;
    firstCode = line;
    break;
  }
  const at = lastPragma >= 0 ? lastPragma + 1 : firstCode >= 0 ? firstCode : lines.length;
  const newText = `#pragma D option destructive${nl}${lastPragma < 0 && firstCode >= 0 ? nl : ''}`;
  return {
    title: 'Allow destructive actions: add `#pragma D option destructive`',
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred: true,
    edit: { changes: { [doc.uri]: [{ range: { start: { line: at, character: 0 }, end: { line: at, character: 0 } }, newText }] } },
  };
}
