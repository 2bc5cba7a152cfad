// A human-readable summary of a D syntax tree: one line per top-level item (clauses with their
// probe descriptions and statement counts, declarations, control lines), then totals.
import type { Node, Tree } from 'web-tree-sitter';

export function summarizeTree(tree: Tree, fileName: string): string {
  const root = tree.rootNode;
  const lines: string[] = [];
  const counts = new Map<string, number>();
  for (const item of root.namedChildren) {
    if (!item) continue;
    counts.set(item.type, (counts.get(item.type) ?? 0) + 1);
    lines.push(`${String(item.startPosition.row + 1).padStart(5)}  ${describe(item)}`);
  }
  const total = [...counts.entries()].map(([k, v]) => `${v} ${k}${v === 1 ? '' : 's'}`).join(', ');
  return [
    `${fileName}: ${root.endPosition.row + (root.endPosition.column > 0 ? 1 : 0)} lines, ${total || 'empty'}`,
    ...lines,
  ].join('\n') + '\n';
}

function describe(item: Node): string {
  switch (item.type) {
    case 'probe_clause': {
      const descs = item.childForFieldName('descriptions')?.namedChildren.map((d) => d?.text ?? '') ?? [];
      const pred = item.childForFieldName('predicate');
      const body = item.childForFieldName('body');
      const statements = body ? countStatements(body) : 0;
      const parts = [`clause ${descs.join(', ')}`];
      if (pred) parts.push(`predicate ${oneLine(pred.text)}`);
      parts.push(`${statements} statement${statements === 1 ? '' : 's'}`);
      return parts.join('  ');
    }
    case 'interpreter_line':
      return `interpreter ${item.text}`;
    default:
      return `${item.type.replace(/_/g, ' ')}  ${oneLine(item.text)}`;
  }
}

// Statements at any depth, `if` bodies included; blocks and `else` are containers only.
function countStatements(node: Node): number {
  let n = 0;
  for (const child of node.namedChildren) {
    if (!child) continue;
    if (child.type.endsWith('_statement') && child.type !== 'compound_statement') n += 1;
    if (CONTAINERS.has(child.type)) n += countStatements(child);
  }
  return n;
}

const CONTAINERS = new Set(['if_statement', 'compound_statement', 'else_clause']);

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 60 ? `${flat.slice(0, 57)}...` : flat;
}
