// Syntax errors from a tree-sitter tree: one per ERROR or MISSING node, with a tight range and
// two texts: DTrace's own form (`syntax error near "}"`) for the command line, and a precise
// one for the editor ("expected `;`").
import type { Node, Tree, TreeCursor } from 'web-tree-sitter';

export interface SourceRange {
  start: { row: number; column: number };
  end: { row: number; column: number };
}

export interface SyntaxError {
  range: SourceRange;
  /** What the editor shows. */
  message: string;
  /** What DTrace's compiler prints after `line N: `. */
  dtraceMessage: string;
  /** The 0-based line DTrace reports: the offending token's, or the end of input's. */
  dtraceRow: number;
  /** Text index of the token DTrace stops at (orders syntax errors against lexical ones). */
  index: number;
}

const MAX_ERRORS = 100;

// Every step goes through a tree cursor: web-tree-sitter's Node navigation (`parent`,
// `nextSibling`) recursed in wasm and corrupted its memory on a fuzzed script nesting 2,500
// parentheses, and a JS recursion would overflow the stack too.
export function findSyntaxErrors(tree: Tree): SyntaxError[] {
  const errors: SyntaxError[] = [];
  if (!tree.rootNode.hasError) return errors;
  const cursor = tree.walk();
  try {
    for (;;) {
      if (errors.length >= MAX_ERRORS) break;
      let descend = false;
      if (cursor.nodeIsMissing) errors.push(missingError(cursor, tree));
      else {
        const node = cursor.currentNode;
        if (node.isError) errors.push(unexpectedError(node, cursor, tree));
        else descend = node.hasError;
      }
      if (descend && cursor.gotoFirstChild()) continue;
      if (!nextInPreOrder(cursor)) break;
    }
  } finally {
    cursor.delete();
  }
  return errors;
}

/** Moves to the next node after the cursor's subtree; false at the end of the tree. */
function nextInPreOrder(cursor: TreeCursor): boolean {
  while (!cursor.gotoNextSibling()) if (!cursor.gotoParent()) return false;
  return true;
}

function missingError(at: TreeCursor, tree: Tree): SyntaxError {
  const node = at.currentNode;
  const what = node.type;
  const shown = /^[a-z_]+$/.test(what) ? what.replace(/_/g, ' ') : `\`${what}\``;
  const next = nextToken(at);
  return {
    range: rangeOf(node),
    message: `expected ${shown}`,
    dtraceMessage: next ? `syntax error near "${truncate(next.text)}"` : 'syntax error near end of input',
    dtraceRow: next ? next.startPosition.row : tree.rootNode.endPosition.row,
    index: next ? next.startIndex : node.startIndex,
  };
}

// The token after a node: where DTrace's parser, which never inserts tokens, stops.
function nextToken(at: TreeCursor): Node | null {
  const c = at.copy();
  try {
    if (!nextInPreOrder(c)) return null;
    while (c.gotoFirstChild());
    return c.currentNode;
  } finally {
    c.delete();
  }
}

// An ERROR node holds the tokens the parser skipped; the first of them is where DTrace's
// parser would have stopped, so the range is that token, not the whole region.
function unexpectedError(node: Node, at: TreeCursor, tree: Tree): SyntaxError {
  const first = firstLeaf(at);
  const text = first.text;
  const range = node.startPosition.row === node.endPosition.row && node.text.length <= 40 ? rangeOf(node) : rangeOf(first);
  const near = text.length > 0 ? `syntax error near "${truncate(text)}"` : 'syntax error near end of input';
  const message = text.length > 0 ? `unexpected \`${truncate(text)}\`` : 'unexpected end of input';
  return { range, message, dtraceMessage: near, dtraceRow: text.length > 0 ? first.startPosition.row : tree.rootNode.endPosition.row, index: first.startIndex };
}

function firstLeaf(at: TreeCursor): Node {
  const c = at.copy();
  try {
    while (c.gotoFirstChild());
    return c.currentNode;
  } finally {
    c.delete();
  }
}

function truncate(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 30 ? line.slice(0, 30) : line;
}

function rangeOf(node: Node): SourceRange {
  return {
    start: { row: node.startPosition.row, column: node.startPosition.column },
    end: { row: node.endPosition.row, column: node.endPosition.column },
  };
}
