// What a face that compiles one document over and over (the language server, after each edit)
// keeps between compilations, so that each reuses what the edit cannot have changed. The
// face holds one per document and hands it back with every request; only the front end reads
// or writes what is inside.
import type { PNode } from '../parse/plainTree';

export class IncrementalState {
  /** The plain copy of the last tree: its unchanged top-level items are reused (plainTree.ts). */
  plain: PNode | undefined;
  /** A text and the same text with its control lines blanked (the face may have made it already). */
  blanked: { text: string; blank: string } | undefined;
}
