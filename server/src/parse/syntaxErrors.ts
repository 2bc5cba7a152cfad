// Syntax errors from a tree-sitter tree: one per ERROR or MISSING node, with a tight range and
// two texts: DTrace's own form (`syntax error near "}"`) for the command line, and a precise
// one for the editor ("expected `;`").
import type { Node, Tree } from 'web-tree-sitter';

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

export function findSyntaxErrors(tree: Tree): SyntaxError[] {
  const errors: SyntaxError[] = [];
  if (!tree.rootNode.hasError) return errors;
  const visit = (node: Node): void => {
    if (errors.length >= MAX_ERRORS) return;
    if (node.isMissing) {
      errors.push(missingError(node));
      return;
    }
    if (node.isError) {
      errors.push(unexpectedError(node));
      return;
    }
    if (!node.hasError) return;
    for (const child of node.children) if (child) visit(child);
  };
  visit(tree.rootNode);
  return errors;
}

function missingError(node: Node): SyntaxError {
  const what = node.type;
  const shown = /^[a-z_]+$/.test(what) ? what.replace(/_/g, ' ') : `\`${what}\``;
  const next = nextToken(node);
  return {
    range: rangeOf(node),
    message: `expected ${shown}`,
    dtraceMessage: next ? `syntax error near "${truncate(next.text)}"` : 'syntax error near end of input',
    dtraceRow: next ? next.startPosition.row : endOfInput(node).row,
    index: next ? next.startIndex : node.startIndex,
  };
}

// The token after a node: where DTrace's parser, which never inserts tokens, stops.
function nextToken(node: Node): Node | null {
  for (let n: Node | null = node; n; n = n.parent) {
    const sibling = n.nextSibling;
    if (sibling) return firstLeaf(sibling);
  }
  return null;
}

// An ERROR node holds the tokens the parser skipped; the first of them is where DTrace's
// parser would have stopped, so the range is that token, not the whole region.
function unexpectedError(node: Node): SyntaxError {
  const first = firstLeaf(node);
  const text = first.text;
  const range = node.startPosition.row === node.endPosition.row && node.text.length <= 40 ? rangeOf(node) : rangeOf(first);
  const near = text.length > 0 ? `syntax error near "${truncate(text)}"` : 'syntax error near end of input';
  const message = text.length > 0 ? `unexpected \`${truncate(text)}\`` : 'unexpected end of input';
  return { range, message, dtraceMessage: near, dtraceRow: text.length > 0 ? first.startPosition.row : endOfInput(node).row, index: first.startIndex };
}

function endOfInput(node: Node): { row: number } {
  let root = node;
  while (root.parent) root = root.parent;
  return root.endPosition;
}

function firstLeaf(node: Node): Node {
  let n = node;
  while (n.childCount > 0) {
    const c = n.child(0);
    if (!c) break;
    n = c;
  }
  return n;
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
