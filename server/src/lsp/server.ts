// The D language server: bin/dtrace-language-server (--stdio) and the VS Code extension's server.
// One document store, one parser, one incremental analysis per document (documentAnalysis.ts);
// each LSP feature lives in its own file under features/ and is listed in features/index.ts.
import {
  createConnection,
  DidChangeConfigurationNotification,
  LSPErrorCodes,
  MessageType,
  ShowMessageNotification,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type ServerCapabilities,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createDParser } from '../parse/dParser';
import { DocumentAnalysis } from './documentAnalysis';
import type { AnalyzedDocument, FeatureContext, ServerSettings } from './featureContext';
import { DEFAULT_SETTINGS, normalizeSettings, requestOf } from './serverSettings';
import { flavourNotice, FLAVOUR_NOTIFICATION } from './flavourNotice';
import { FEATURES } from './features';
import { containHandlers, thrownText } from './containment';

// A request cancelled while it still waits in the queue (a burst of hovers while typing) is
// answered RequestCancelled at once, without running its handler.
const connection = createConnection(ProposedFeatures.all, {
  cancelUndispatched: (message) => ({ jsonrpc: '2.0', id: (message as { id?: number | string }).id ?? null, error: { code: LSPErrorCodes.RequestCancelled, message: 'cancelled before it ran' } }),
});

let analysis: DocumentAnalysis | undefined;
// Content changes reach the trees as they reach the documents: TextDocuments applies them
// through these two functions, which also hand them to the analysis.
const documents = new TextDocuments<TextDocument>({
  create(uri, languageId, version, content) {
    analysis?.open(uri, version, content);
    return TextDocument.create(uri, languageId, version, content);
  },
  update(document, changes, version) {
    const before = document.getText();
    const updated = TextDocument.update(document, changes, version);
    analysis?.change(document.uri, version, before, changes, updated.getText());
    return updated;
  },
});

/** Settings per document: from workspace/configuration when the client has it, else initializationOptions. */
let initialSettings: ServerSettings = DEFAULT_SETTINGS;
let pullConfiguration = false;
const settingsByUri = new Map<string, ServerSettings>();
const settingsPending = new Map<string, Promise<void>>();
const reportedProblems = new Set<string>();
const settingsListeners: Array<() => void> = [];
const analyzedListeners: Array<(doc: AnalyzedDocument) => void> = [];
let registerConfiguration = false;

const SETTINGS_TIMEOUT_MS = 2000;

function settingsOf(uri: string): ServerSettings {
  return settingsByUri.get(uri) ?? initialSettings;
}

function fetchSettings(uri: string): Promise<void> {
  if (!pullConfiguration || settingsByUri.has(uri)) return Promise.resolve();
  let pending: Promise<void> | undefined = settingsPending.get(uri);
  if (!pending) {
    // A client that never answers must not hold the document's diagnostics back.
    const answer = Promise.race([
      connection.workspace.getConfiguration({ scopeUri: uri, section: 'dtrace' }) as Promise<unknown>,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer')), SETTINGS_TIMEOUT_MS).unref()),
    ]);
    pending = answer
      .then(
        (raw: unknown) => {
          // null: the client has no such section; the initialization options stand.
          settingsByUri.set(uri, raw === null || raw === undefined ? initialSettings : normalizeSettings(raw));
        },
        () => void settingsByUri.set(uri, initialSettings),
      )
      .finally(() => settingsPending.delete(uri));
    settingsPending.set(uri, pending);
  }
  return pending;
}

connection.onInitialize(async (params) => {
  const parser = await createDParser();
  initialSettings = normalizeSettings(params.initializationOptions);
  pullConfiguration = params.capabilities.workspace?.configuration === true;
  registerConfiguration = pullConfiguration && params.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true;
  const docs = new DocumentAnalysis(parser, settingsOf, (settings) => {
    const { request, problems } = requestOf(settings);
    for (const p of problems) {
      if (reportedProblems.has(p.message)) continue;
      reportedProblems.add(p.message);
      void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: p.message });
    }
    return request;
  });
  analysis = docs;
  const lastFlavour = new Map<string, string>();
  const log = (message: string): void => connection.console.error(message);
  const ctx: FeatureContext = {
    // Every handler a feature registers is contained: a throw fails its request and is logged.
    connection: containHandlers(connection, log),
    documents,
    parser,
    async analysis(uri, token) {
      await fetchSettings(uri);
      const doc = documents.get(uri);
      if (!doc || token?.isCancellationRequested) return undefined;
      if (!docs.has(uri)) docs.open(uri, doc.version, doc.getText());
      const got = docs.analysis(uri);
      if (!got) return undefined;
      if (got.fresh) {
        for (const listener of analyzedListeners) listener(got.doc);
        const notice = flavourNotice(got.doc);
        const key = `${notice.flavour}/${notice.reason}`;
        if (lastFlavour.get(uri) !== key) {
          lastFlavour.set(uri, key);
          void connection.sendNotification(FLAVOUR_NOTIFICATION, notice);
        }
      }
      return got.doc satisfies AnalyzedDocument;
    },
    settings: settingsOf,
    onSettingsChanged: (listener) => void settingsListeners.push(listener),
    onAnalyzed: (listener) => void analyzedListeners.push(listener),
    log,
  };
  documents.onDidClose((e) => {
    docs.close(e.document.uri);
    settingsByUri.delete(e.document.uri);
    lastFlavour.delete(e.document.uri);
  });
  connection.onDidChangeConfiguration((change) => {
    settingsByUri.clear();
    reportedProblems.clear();
    // A client that pushes settings (no workspace/configuration) sends them here.
    if (!pullConfiguration && change.settings && typeof change.settings === 'object' && 'dtrace' in change.settings) initialSettings = normalizeSettings(change.settings);
    docs.invalidate();
    for (const listener of settingsListeners) listener();
  });
  connection.onShutdown(() => docs.dispose());
  const capabilities: ServerCapabilities = { textDocumentSync: TextDocumentSyncKind.Incremental };
  for (const feature of FEATURES) Object.assign(capabilities, feature(ctx));
  return { capabilities, serverInfo: { name: 'dtrace-language-server', version: '0.1.0' } };
});

connection.onInitialized(() => {
  if (registerConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'dtrace' }).catch(() => undefined);
});

// A failed promise in a handler is that handler's failure, never the end of the server.
process.on('unhandledRejection', (reason) => connection.console.error(`unhandled: ${thrownText(reason)}`));

documents.listen(connection);
connection.listen();
