// Publishes syntax and front-end diagnostics for every version of an open document.
import type { Feature } from '../featureContext';
import { syntaxDiagnostics } from './syntaxDiagnostics';
import { semanticDiagnosticsOf } from './semanticDiagnostics';

export const diagnosticsFeature: Feature = (ctx) => {
  const publish = async (uri: string): Promise<void> => {
    const doc = await ctx.analysis(uri);
    if (!doc) return;
    const diagnostics = [...syntaxDiagnostics(doc.tree), ...semanticDiagnosticsOf(doc)];
    void ctx.connection.sendDiagnostics({ uri, version: doc.version, diagnostics });
  };
  // Fires on open too, so opening a document publishes once.
  ctx.documents.onDidChangeContent((e) => {
    publish(e.document.uri).catch((err) => ctx.log(`diagnostics: ${String(err)}`));
  });
  ctx.documents.onDidClose((e) => void ctx.connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] }));
  return {};
};
