// One cursor walk copies a tree-sitter tree into plain JavaScript objects. Every later stage
// reads these instead of web-tree-sitter nodes, because each property read of a wasm-backed node
// crosses into wasm and a typed analysis reads every node many times.
import type { Tree } from 'web-tree-sitter';

export interface Point {
  row: number;
  column: number;
}

export interface PNode {
  type: string;
  /** The field this node fills in its parent, if any. */
  field: string | null;
  named: boolean;
  start: Point;
  end: Point;
  startIndex: number;
  endIndex: number;
  isError: boolean;
  isMissing: boolean;
  children: PNode[];
}

export function plainTree(tree: Tree): PNode {
  const cursor = tree.walk();
  const make = (): PNode => ({
    type: cursor.nodeType,
    field: cursor.currentFieldName,
    named: cursor.nodeIsNamed,
    start: cursor.startPosition,
    end: cursor.endPosition,
    startIndex: cursor.startIndex,
    endIndex: cursor.endIndex,
    isError: cursor.nodeType === 'ERROR',
    isMissing: cursor.nodeIsMissing,
    children: [],
  });
  const root = make();
  const stack: PNode[] = [root];
  // Iterative pre-order walk: deep expression chains must not overflow the JS stack.
  if (cursor.gotoFirstChild()) {
    for (;;) {
      const node = make();
      stack[stack.length - 1]!.children.push(node);
      if (cursor.gotoFirstChild()) {
        stack.push(node);
        continue;
      }
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) {
          cursor.delete();
          return root;
        }
        stack.pop();
        if (stack.length === 0) {
          cursor.delete();
          return root;
        }
      }
    }
  }
  cursor.delete();
  return root;
}

export function fieldChild(node: PNode, field: string): PNode | undefined {
  for (const c of node.children) if (c.field === field) return c;
  return undefined;
}

export function fieldChildren(node: PNode, field: string): PNode[] {
  return node.children.filter((c) => c.field === field);
}

export function namedChildren(node: PNode): PNode[] {
  return node.children.filter((c) => c.named && c.type !== 'comment');
}
