// Workspace symbols: the document symbols of every open D document, matched against the query
// as a case-insensitive subsequence (`rdent` finds `syscall::read:entry`).
import type { DocumentSymbol, SymbolInformation } from 'vscode-languageserver';
import type { Feature } from '../featureContext';
import { documentSymbols } from './documentSymbols';

export const workspaceSymbolsFeature: Feature = (ctx) => {
  ctx.connection.onWorkspaceSymbol(async (params, token) => {
    const out: SymbolInformation[] = [];
    for (const open of ctx.documents.all()) {
      if (token.isCancellationRequested) return null;
      if (open.languageId !== 'dtrace' && !open.uri.endsWith('.d')) continue;
      const doc = await ctx.analysis(open.uri, token);
      if (!doc) continue;
      collect(documentSymbols(doc), undefined, (s, container) => {
        if (!matches(params.query, s.name)) return;
        const info: SymbolInformation = { name: s.name, kind: s.kind, location: { uri: doc.uri, range: s.selectionRange } };
        if (container) info.containerName = container;
        out.push(info);
      });
    }
    return out;
  });
  return { workspaceSymbolProvider: true };
};

function collect(symbols: DocumentSymbol[], container: string | undefined, visit: (s: DocumentSymbol, container: string | undefined) => void): void {
  for (const s of symbols) {
    visit(s, container);
    if (s.children) collect(s.children, s.name, visit);
  }
}

export function matches(query: string, name: string): boolean {
  const q = query.toLowerCase();
  const n = name.toLowerCase();
  let at = 0;
  for (const ch of q) {
    if (ch === ' ') continue;
    at = n.indexOf(ch, at);
    if (at === -1) return false;
    at++;
  }
  return true;
}
