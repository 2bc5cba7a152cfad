// What a face that compiles one document over and over (the language server, after each edit)
// keeps between compilations, so that each reuses what the edit cannot have changed. The
// face holds one per document and hands it back with every request; only the front end reads
// or writes what is inside. Each compilation made with it replaces the one before, which the
// face must no longer read: the new one takes over the node facts the old one kept on the
// AST nodes they share (Compilation.lineage).
import type { PNode } from '../parse/plainTree';
import type { ScannedControlLine } from './controlLineLexer';
import { ClauseReuse } from './clauseReuse';

export class IncrementalState {
  /**
   * Names the compilations made with this state (Compilation.lineage). A token of its own: the
   * facts they leave on shared nodes (the D libraries') must not keep this state alive.
   */
  readonly lineage: object = {};
  /** The plain copy of the last tree: its unchanged top-level items are reused (plainTree.ts). */
  plain: PNode | undefined;
  /** What the last compilation recorded of each clause it checked (clauseReuse.ts). */
  readonly clauses = new ClauseReuse();
  /**
   * A text, its control lines and the same text with them blanked (the face may have made
   * them already).
   */
  blanked: { text: string; blank: string; controls?: readonly ScannedControlLine[] } | undefined;
}
