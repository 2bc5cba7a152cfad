// Folding ranges from the syntax tree of the text as written: clauses (from their probe
// descriptions to the line before the closing brace, which stays visible), blocks, struct,
// union, enum, translator and provider bodies, block comments and runs of line comments, and
// runs of control lines (`#pragma`, `#include` ...).
import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver';
import type { Node, Tree } from '../../parse/dParser';
import type { Feature } from '../featureContext';

export const foldingFeature: Feature = (ctx) => {
  ctx.connection.onFoldingRanges(async (params, token) => {
    const doc = await ctx.analysis(params.textDocument.uri, token);
    return doc ? foldingRanges(doc.tree) : null;
  });
  return { foldingRangeProvider: true };
};

/** Nodes whose body folds, keeping the line of their closing brace. */
const BRACED = new Set([
  'probe_clause',
  'clause_body',
  'compound_statement',
  'field_declaration_list',
  'enumerator_list',
  'translator_definition',
  'provider_definition',
]);

const CONTROL = new Set([
  'interpreter_line',
  'pragma_directive',
  'preproc_include',
  'preproc_def',
  'preproc_function_def',
  'preproc_call',
  'preproc_undef',
  'line_directive',
  'error_directive',
  'ident_directive',
  'null_directive',
  'preproc_directive',
]);

export function foldingRanges(tree: Tree): FoldingRange[] {
  const out: FoldingRange[] = [];
  const seen = new Set<string>();
  const add = (startLine: number, endLine: number, kind?: FoldingRangeKind): void => {
    if (endLine <= startLine) return;
    const key = `${startLine}:${endLine}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(kind ? { startLine, endLine, kind } : { startLine, endLine });
  };
  // Runs of line comments or control lines, as [first row, last row].
  let run: { kind: FoldingRangeKind; first: number; last: number } | undefined;
  const endRun = (): void => {
    if (run) add(run.first, run.last, run.kind);
    run = undefined;
  };
  /** Folds what `node` starts; false when its children need no visit. */
  const visit = (node: Node): boolean => {
    const type = node.type;
    const start = node.startPosition.row;
    const end = node.endPosition.row;
    if (type === 'comment') {
      if (node.text.startsWith('/*')) add(start, end, FoldingRangeKind.Comment);
      else {
        if (run && (run.kind !== FoldingRangeKind.Comment || run.last + 1 !== start)) endRun();
        run ??= { kind: FoldingRangeKind.Comment, first: start, last: start };
        run.last = start;
        return false;
      }
    } else if (CONTROL.has(type)) {
      // A control line node ends at the start of the next line.
      const last = node.endPosition.column === 0 && end > start ? end - 1 : end;
      if (run && (run.kind !== FoldingRangeKind.Imports || run.last + 1 !== start)) endRun();
      run ??= { kind: FoldingRangeKind.Imports, first: start, last: last };
      run.last = last;
      return false;
    }
    endRun();
    if (BRACED.has(type)) {
      let closing = node.lastChild;
      while (closing && closing.childCount > 0) closing = closing.lastChild;
      // Without a closing brace (being typed), fold to the node's end.
      add(start, closing?.type === '}' && !closing.isMissing ? end - 1 : end);
    }
    return true;
  };
  // A cursor walk in pre-order, not a recursion: a deeply nested text must not overflow the stack.
  const cursor = tree.walk();
  try {
    let more = cursor.gotoFirstChild();
    while (more) {
      if (visit(cursor.currentNode) && cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent() || cursor.currentDepth === 0) {
          more = false;
          break;
        }
      }
    }
  } finally {
    cursor.delete();
  }
  endRun();
  return out.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
}
