// The D language server: bin/dtrace-language-server (--stdio) and the VS Code extension's server.
// One document store, one parser; each LSP feature lives in its own file under features/ and is
// listed in features/index.ts.
import { createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind, type ServerCapabilities } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createDParser } from '../parse/dParser';
import { compileProgram } from '../analyze/frontEnd';
import { OptionSet } from '../analyze/options/optionSet';
import { DocumentTrees } from './documentTrees';
import type { AnalyzedDocument, FeatureContext, ServerSettings } from './featureContext';
import { FEATURES } from './features';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);

const DEFAULT_SETTINGS: ServerSettings = { flavour: 'auto', options: {}, macroArguments: [], includePaths: [], providerFiles: [] };

connection.onInitialize(async () => {
  const parser = await createDParser();
  const trees = new DocumentTrees(parser);
  const analyzed = new Map<string, AnalyzedDocument>();
  const ctx: FeatureContext = {
    connection,
    documents,
    parser,
    async analysis(uri) {
      const doc = documents.get(uri);
      if (!doc) return undefined;
      const known = analyzed.get(uri);
      if (known && known.version === doc.version) return known;
      const text = doc.getText();
      const tree = trees.update(doc);
      const result = compileProgram(parser, { text, programName: uri, options: new OptionSet(), lenientProviders: true });
      const fresh: AnalyzedDocument = { uri, version: doc.version, text, tree, result };
      analyzed.set(uri, fresh);
      return fresh;
    },
    settings: () => DEFAULT_SETTINGS,
    log: (message) => connection.console.error(message),
  };
  documents.onDidClose((e) => {
    trees.forget(e.document.uri);
    analyzed.delete(e.document.uri);
  });
  const capabilities: ServerCapabilities = { textDocumentSync: TextDocumentSyncKind.Incremental };
  for (const feature of FEATURES) Object.assign(capabilities, feature(ctx));
  return { capabilities, serverInfo: { name: 'dtrace-language-server', version: '0.1.0' } };
});

documents.listen(connection);
connection.listen();
