// Publishes syntax and front-end diagnostics for the latest version of each open document.
//
// A change schedules one analysis; changes that arrive before it runs are folded into it (the
// timer restarts), and a result whose version is no longer the document's is never published,
// so the diagnostics a client holds never belong to an older version than one it has seen.
// The wait adapts to the writer: none when the previous change came longer ago than an
// analysis of the document takes (each pause gets fresh diagnostics at once), else as long as
// an analysis takes, at most 100 ms (typing faster than the server can analyze costs one
// analysis per pause, not one per character).
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { AnalyzedDocument, Feature } from '../featureContext';
import { lexicalDiagnostics, syntaxDiagnostics } from './syntaxDiagnostics';
import { semanticDiagnosticsOf } from './semanticDiagnostics';

const MAX_DELAY_MS = 100;

export const diagnosticsFeature: Feature = (ctx) => {
  /** The publication scheduled per document, cancelled by calling it. */
  const scheduled = new Map<string, () => void>();
  const lastMs = new Map<string, number>();
  const lastChange = new Map<string, number>();
  /** The analysis last published per document: the same one is not sent twice. */
  const published = new Map<string, AnalyzedDocument>();

  const publish = async (uri: string): Promise<void> => {
    const started = performance.now();
    const doc = await ctx.analysis(uri);
    const current = ctx.documents.get(uri);
    if (!doc || !current || current.version !== doc.version || published.get(uri) === doc) return;
    published.set(uri, doc);
    lastMs.set(uri, performance.now() - started);
    const diagnostics = [...syntaxDiagnostics(doc.result.syntaxErrors), ...lexicalDiagnostics(doc.result.firstError, doc.result.syntaxErrors, doc.text), ...semanticDiagnosticsOf(doc)];
    void ctx.connection.sendDiagnostics({ uri, version: doc.version, diagnostics });
  };

  /**
   * The analysis of the latest version threw: say so in place of its diagnostics, for that
   * version (the ones the client holds are an older version's, and would stay as if current).
   */
  const failed = (uri: string, err: unknown): void => {
    ctx.log(`diagnostics of ${uri} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    const current = ctx.documents.get(uri);
    if (!current) return;
    published.delete(uri);
    const message = `dtrace-language-server could not analyze this version of the document (an internal error, logged in the server's output): ${err instanceof Error ? err.message : String(err)}`;
    const diagnostic: Diagnostic = { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: DiagnosticSeverity.Error, source: 'dtrace', message };
    void ctx.connection.sendDiagnostics({ uri, version: current.version, diagnostics: [diagnostic] });
  };

  const cancel = (uri: string): void => {
    scheduled.get(uri)?.();
    scheduled.delete(uri);
  };

  const schedule = (uri: string): void => {
    cancel(uri);
    const took = lastMs.get(uri) ?? 0;
    const now = performance.now();
    const since = now - (lastChange.get(uri) ?? -Infinity);
    lastChange.set(uri, now);
    const delay = since > took ? 0 : Math.min(MAX_DELAY_MS, took);
    const run = (): void => {
      scheduled.delete(uri);
      publish(uri).catch((err: unknown) => failed(uri, err));
    };
    // No wait is the next turn of the event loop: a timer waits a millisecond at least.
    if (delay === 0) {
      const immediate = setImmediate(run);
      scheduled.set(uri, () => clearImmediate(immediate));
    } else {
      const timer = setTimeout(run, delay);
      scheduled.set(uri, () => clearTimeout(timer));
    }
  };

  // Fires on open too, so opening a document publishes once.
  ctx.documents.onDidChangeContent((e) => schedule(e.document.uri));
  ctx.documents.onDidClose((e) => {
    cancel(e.document.uri);
    lastMs.delete(e.document.uri);
    lastChange.delete(e.document.uri);
    published.delete(e.document.uri);
    void ctx.connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });
  ctx.onSettingsChanged?.(() => {
    for (const doc of ctx.documents.all()) schedule(doc.uri);
  });
  return {};
};
