// Refactoring: a clause whose whole body is one `if` without `else` becomes a clause with that
// condition as (part of) its predicate: `p /a/ { if (b) { S } }` → `p /a && b/ { S }`. The two
// are the same program: the statements run exactly when both conditions hold, and nothing else
// runs; DTrace no longer has to desugar the `if` into extra clauses.
import { CodeActionKind, type CodeAction, type Range } from 'vscode-languageserver';
import type { AnalyzedDocument } from '../featureContext';
import { andOperand, bodyContent, clauseAt, deeper, eol, indentAt, losesComments, reindent } from './sourceText';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Parser } from '../../parse/dParser';

export function ifToPredicateAction(doc: AnalyzedDocument, range: Range, parser: Parser): CodeAction | undefined {
  const lines = TextDocument.create(doc.uri, 'dtrace', doc.version, doc.text);
  const at = lines.offsetAt(range.start);
  const clause = clauseAt(doc.result.program, at);
  if (!clause?.body || clause.body.length !== 1) return undefined;
  const s = clause.body[0]!;
  if (s.k !== 'if' || s.else) return undefined;
  // Offered where the `if` is (its keyword and condition).
  if (at < s.span.startIndex || at > s.test.span.endIndex + 1) return undefined;
  const text = doc.text;
  const content = bodyContent(text, s.then);
  const nl = eol(text);
  const clauseIndent = indentAt(text, clause.span.startIndex);
  const inner = deeper(text, clauseIndent);
  const body = content ? reindent(text, content, content, indentAt(text, content.startIndex), inner) : [];
  // The parentheses `if` needs are not the predicate's.
  const test = s.test.k === 'paren' ? s.test.arg : s.test;
  const predicate = clause.predicate ? `${andOperand(clause.predicate, text)} && ${andOperand(test, text)}` : text.slice(test.span.startIndex, test.span.endIndex);
  const first = clause.descriptions[0]!.span;
  const last = clause.descriptions[clause.descriptions.length - 1]!.span;
  const kept: typeof first[] = [{ ...first, endIndex: last.endIndex, end: last.end }];
  if (content) kept.push(content);
  if (losesComments(doc.tree, text, first.startIndex, clause.span.endIndex, kept)) return undefined;
  const head = text.slice(first.startIndex, last.endIndex);
  const rewritten = [head, `${clauseIndent}/${predicate}/`, `${clauseIndent}{`, ...body, `${clauseIndent}}`].join(nl);
  // The predicate must read back as one predicate (a `/` in the condition could end it early).
  const result = text.slice(0, first.startIndex) + rewritten + text.slice(clause.span.endIndex);
  const predicateAt = first.startIndex + head.length + nl.length + clauseIndent.length;
  if (!readsBack(parser, result, predicateAt, `/${predicate}/`)) return undefined;
  return {
    title: 'Rewrite the `if` as the clause\'s predicate',
    kind: CodeActionKind.RefactorRewrite,
    edit: {
      changes: {
        [doc.uri]: [{ range: { start: lines.positionAt(first.startIndex), end: lines.positionAt(clause.span.endIndex) }, newText: rewritten }],
      },
    },
  };
}

/** Whether `text` parses without errors and has the predicate `expected` at `index`. */
function readsBack(parser: Parser, text: string, index: number, expected: string): boolean {
  const tree = parser.parse(text);
  if (!tree) return false;
  try {
    if (tree.rootNode.hasError) return false;
    let n = tree.rootNode.descendantForIndex(index);
    while (n && n.type !== 'predicate') n = n.parent;
    return n !== null && n.startIndex === index && n.text === expected;
  } finally {
    tree.delete();
  }
}
