// Drives the language server's DocumentAnalysis through a sequence of edits, each undone half
// the time, calling `check` after every version: the incremental-analysis tests compare what
// it holds with a compilation made from scratch.
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver';
import type { DocumentAnalysis } from '../../server/src/lsp/documentAnalysis';
import type { SeededRandom } from './xorshift';

/** The change that undoes `change` (applied to `before`, giving `after`). */
export function undoOf(before: string, after: TextDocument, change: TextDocumentContentChangeEvent): TextDocumentContentChangeEvent {
  if (!('range' in change)) throw new Error('full-text change');
  const start = after.offsetAt(change.range.start);
  const doc = TextDocument.create('file:///b.d', 'dtrace', 0, before);
  return { range: { start: change.range.start, end: after.positionAt(start + change.text.length) }, text: before.slice(start, doc.offsetAt(change.range.end)) };
}

export interface EditReplay {
  docs: DocumentAnalysis;
  uri: string;
  start: string;
  /** The next change, or undefined to stop early. */
  next(doc: TextDocument, i: number): TextDocumentContentChangeEvent | undefined;
  edits: number;
  /** Undoes each edit half the time when given. */
  rnd?: SeededRandom;
  /** Called for the opened text and after every change, with the document as it now is. */
  check(what: string, doc: TextDocument): void;
}

export function replayEdits(r: EditReplay): void {
  let doc = TextDocument.create(r.uri, 'dtrace', 1, r.start);
  r.docs.open(r.uri, 1, r.start);
  r.check('opened', doc);
  const apply = (change: TextDocumentContentChangeEvent): void => {
    const before = doc.getText();
    doc = TextDocument.update(doc, [change], doc.version + 1);
    r.docs.change(r.uri, doc.version, before, [change], doc.getText());
  };
  for (let i = 0; i < r.edits; i++) {
    const before = doc.getText();
    const change = r.next(doc, i);
    if (change === undefined) break;
    apply(change);
    r.check(`edit ${i} ${JSON.stringify(change)}`, doc);
    if (r.rnd !== undefined && r.rnd.random() < 0.5) {
      apply(undoOf(before, doc, change));
      assert.equal(doc.getText(), before);
      r.check(`undo of edit ${i}`, doc);
    }
  }
}
