// The incremental plain copy (server/src/parse/plainTree.ts) does not copy the subtree of a
// top-level item an edit only moved until someone reads it (MovedNode): after chains of moves,
// with some subtrees read in between and others never, every node read from the incremental
// copy must be what a copy of the same tree made from scratch holds.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Edit } from 'web-tree-sitter';
import { createDParser, type Parser, type Tree } from '../../server/src/parse/dParser';
import { forgetMovedItems, plainTree, type PNode } from '../../server/src/parse/plainTree';
import { buildAst } from '../../server/src/parse/buildAst';
import { findLexicalError } from '../../server/src/parse/lexicalErrors';
import { generateAnalyzable } from '../../bench/analyze';
import { offsetOf, pointOf } from '../../server/src/lsp/documentAnalysis';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { xorshift } from '../support/xorshift';

/** Every node's fields, in pre-order (reading a moved item's children makes them). */
function dump(node: PNode, out: unknown[] = []): unknown[] {
  out.push([node.type, node.field, node.named, node.isMissing, node.isError, node.startIndex, node.endIndex, node.start, node.end, node.children.length]);
  for (const c of node.children) dump(c, out);
  return out;
}

describe('moved items of the incremental plain copy', () => {
  let parser: Parser;
  before(async () => {
    parser = await createDParser();
  });

  it('equal a fresh copy after chains of inserted and deleted text, read or not in between', () => {
    const rnd = xorshift(3);
    let text = generateAnalyzable(400);
    let tree = parser.parse(text) as Tree;
    let plain = plainTree(tree, text);
    let ast = buildAst(plain, text);
    findLexicalError(plain, text);
    forgetMovedItems(plain);
    const pieces = ['\n', ' ', '\tx = 1;\n', 'int g;\n', '  \n\n', '/* c */'];
    let compared = 0;
    for (let step = 0; step < 60; step++) {
      // Insert a piece at the start of a random line, or delete the last piece inserted.
      const lines = text.split('\n');
      const line = Math.floor(rnd.random() * lines.length);
      const at = lines.slice(0, line).reduce((n, l) => n + l.length + 1, 0);
      const piece = rnd.pick(pieces);
      const deleting = step % 3 === 2 && text.length > piece.length && text.slice(at, at + piece.length) === piece;
      const next = deleting ? text.slice(0, at) + text.slice(at + piece.length) : text.slice(0, at) + piece + text.slice(at);
      const start = pointOf(text, at);
      const oldEnd = deleting ? pointOf(text, at + piece.length) : start;
      const newEnd = deleting ? start : pointOf(next, at + piece.length);
      tree.edit(new Edit({ startIndex: at, oldEndIndex: deleting ? at + piece.length : at, newEndIndex: deleting ? at : at + piece.length, startPosition: start, oldEndPosition: oldEnd, newEndPosition: newEnd }));
      const fresh = parser.parse(next, tree) as Tree;
      tree.delete();
      tree = fresh;
      text = next;
      plain = plainTree(tree, text, plain);
      ast = buildAst(plain, text);
      findLexicalError(plain, text);
      forgetMovedItems(plain);
      // Read some items' subtrees now (they are made), leave the others to be moved again unread.
      const expected = plainTree(tree, text);
      const read = plain.children.filter((_, i) => (i + step) % 3 === 0);
      for (const item of read) {
        const i = plain.children.indexOf(item);
        assert.deepEqual(dump(item), dump(expected.children[i]!), `step ${step}: item ${i}`);
        compared++;
      }
      // The AST made from the moved items is the fresh one.
      assert.deepEqual(JSON.stringify(ast), JSON.stringify(buildAst(expected, text)), `step ${step}: AST`);
    }
    // At the end every node, whatever its history.
    assert.deepEqual(dump(plain), dump(plainTree(tree, text)));
    tree.delete();
    assert.ok(compared > 300, `only ${compared} items compared`);
  });
});

describe('offsetOf (documentAnalysis.ts), the offset of each LSP position of a change', () => {
  it('is what the document itself computes, with and without `\\r` line breaks', () => {
    const rnd = xorshift(7);
    let compared = 0;
    for (let t = 0; t < 300; t++) {
      const text = Array.from({ length: Math.floor(rnd.random() * 12) }, () => rnd.pick(['a', 'bc', '\n', '\n', '\r\n', '\r', ' '])).join('');
      const doc = TextDocument.create('file:///o.d', 'dtrace', 1, text);
      for (let line = 0; line < doc.lineCount; line++)
        for (let character = 0; character < 5; character++) {
          assert.equal(offsetOf(text, line, character), doc.offsetAt({ line, character }), `${JSON.stringify(text)} ${line}:${character}`);
          compared++;
        }
    }
    assert.ok(compared > 1000);
  });
});
