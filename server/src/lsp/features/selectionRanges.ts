// Selection ranges: from the token at the cursor outward through every enclosing syntax node
// (expression, statement, block, clause body, clause), skipping nodes with the same extent.
import type { Position, Range, SelectionRange } from 'vscode-languageserver';
import type { Node, Tree } from '../../parse/dParser';
import type { Feature } from '../featureContext';
import { MAX_TREE_DEPTH } from '../../parse/plainTree';

export const selectionRangesFeature: Feature = (ctx) => {
  ctx.connection.onSelectionRanges(async (params, token) => {
    const doc = await ctx.analysis(params.textDocument.uri, token);
    return doc ? params.positions.map((p) => selectionRange(doc.tree, p)) : null;
  });
  return { selectionRangeProvider: true };
};

const rangeOf = (n: Node): Range => ({
  start: { line: n.startPosition.row, character: n.startPosition.column },
  end: { line: n.endPosition.row, character: n.endPosition.column },
});

export function selectionRange(tree: Tree, position: Position): SelectionRange {
  const point = { row: position.line, column: position.character };
  const chain: Node[] = [];
  // At most the innermost MAX_TREE_DEPTH levels: each `parent` walks down from the root, so a
  // 20,000-deep chain (which the front end rejects anyway) took minutes, and the server waited.
  let levels = 0;
  for (let n: Node | null = tree.rootNode.descendantForPosition(point); n && levels < MAX_TREE_DEPTH; n = n.parent, levels++) {
    const prev = chain[chain.length - 1];
    if (prev && prev.startIndex === n.startIndex && prev.endIndex === n.endIndex) continue;
    chain.push(n);
  }
  let parent: SelectionRange | undefined;
  for (let i = chain.length - 1; i >= 0; i--) parent = parent ? { range: rangeOf(chain[i]!), parent } : { range: rangeOf(chain[i]!) };
  return parent!;
}
