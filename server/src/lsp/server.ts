// The D language server: bin/dtrace-language-server (--stdio) and the VS Code extension's server.
// One document store, one parser; each LSP feature lives in its own file under features/.
import { createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createDParser } from '../parse/dParser';
import { DocumentTrees } from './documentTrees';
import { syntaxDiagnostics } from './features/syntaxDiagnostics';
import { semanticDiagnostics } from './features/semanticDiagnostics';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);

connection.onInitialize(async () => {
  const parser = await createDParser();
  const trees = new DocumentTrees(parser);
  const publish = (doc: TextDocument): void => {
    const tree = trees.update(doc);
    const text = doc.getText();
    const diagnostics = [...syntaxDiagnostics(tree), ...semanticDiagnostics(parser, tree, text, doc.uri)];
    void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
  };
  // Fires on open too, so opening a document publishes once.
  documents.onDidChangeContent((e) => publish(e.document));
  documents.onDidClose((e) => {
    trees.forget(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });
  return {
    capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental },
    serverInfo: { name: 'dtrace-language-server', version: '0.1.0' },
  };
});

documents.listen(connection);
connection.listen();
