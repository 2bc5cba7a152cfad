// The syntax tree of each open document, kept in step with the document's version.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Parser, Tree } from '../parse/dParser';

export class DocumentTrees {
  private readonly trees = new Map<string, { version: number; tree: Tree }>();

  constructor(private readonly parser: Parser) {}

  update(doc: TextDocument): Tree {
    const known = this.trees.get(doc.uri);
    if (known && known.version === doc.version) return known.tree;
    const tree = this.parser.parse(doc.getText());
    if (!tree) throw new Error(`tree-sitter returned no tree for ${doc.uri}`);
    known?.tree.delete();
    this.trees.set(doc.uri, { version: doc.version, tree });
    return tree;
  }

  forget(uri: string): void {
    this.trees.get(uri)?.tree.delete();
    this.trees.delete(uri);
  }
}
