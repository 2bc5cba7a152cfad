// Quick fix for a `for` loop over a constant range (safety rule loops: D has no loops): the loop
// written out, `init; body; update; body; update; ...`, which is exactly what the loop does
// when its body leaves the loop variable alone. Offered only then, for literal bounds, and for
// at most MAX_ITERATIONS iterations.
import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver';
import type * as A from '../../parse/ast';
import type { AnalyzedDocument } from '../featureContext';
import { bodyContent, eol, forEachStatementIn, indentAt, losesComments, reindent, sameSpan } from './sourceText';
import { forEachExpr, statementExprs } from '../../safety/walk';
import { integerLiteral } from '../../analyze/literals';

const MAX_ITERATIONS = 64;

export function unrollLoopFix(doc: AnalyzedDocument, diagnostic: Diagnostic): CodeAction | undefined {
  if (diagnostic.code !== 'D_SYNTAX' || !diagnostic.message.startsWith('syntax error near "for"')) return undefined;
  const loop = findLoop(doc.result.program, diagnostic);
  if (!loop) return undefined;
  const text = doc.text;
  const src = (e: A.Expr | A.Stmt): string => text.slice(e.span.startIndex, e.span.endIndex);
  const count = iterations(loop, src);
  if (count === undefined || count > MAX_ITERATIONS) return undefined;
  const statements = loop.body.k === 'block' ? loop.body.body : [loop.body];
  let nested = false;
  forEachStatementIn(statements, (s) => {
    if (s.k === 'loop' || s.k === 'jump') nested = true;
  });
  if (nested) return undefined;
  const variable = src((loop.init as A.Assign).left);
  if (assigns(statements, variable, src)) return undefined;
  const content = bodyContent(text, loop.body);
  const kept = content ? [content] : [];
  if (losesComments(doc.tree, text, loop.span.startIndex, loop.span.endIndex, kept)) return undefined;
  const nl = eol(text);
  const indent = indentAt(text, loop.span.startIndex);
  const body = content ? reindent(text, content, content, indentAt(text, content.startIndex), indent) : [];
  const out: string[] = [`${src(loop.init!)};`];
  for (let i = 0; i < count; i++) out.push(...body, `${indent}${src(loop.update!)};`);
  return {
    title: `Unroll the loop (${count} iteration${count === 1 ? '' : 's'})`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred: true,
    edit: { changes: { [doc.uri]: [{ range: diagnostic.range, newText: out.join(nl) }] } },
  };
}

function findLoop(program: A.Program, diagnostic: Diagnostic): Extract<A.Stmt, { k: 'loop' }> | undefined {
  for (const item of program.items) {
    if (item.k !== 'clause' || !item.body) continue;
    let found: Extract<A.Stmt, { k: 'loop' }> | undefined;
    forEachStatementIn(item.body, (s) => {
      if (s.k === 'loop' && s.keyword === 'for' && sameSpan(s.span, diagnostic.range)) found = s;
    });
    if (found) return found;
  }
  return undefined;
}

/** How many times `for (v = A; v < B; v++)` (or `<=`, `!=`, `v += K`) runs, for literal A, B, K. */
function iterations(loop: Extract<A.Stmt, { k: 'loop' }>, src: (e: A.Expr) => string): number | undefined {
  const { init, test, update } = loop;
  if (!init || init.k !== 'assign' || init.op !== '=' || !test || test.k !== 'binary' || !update) return undefined;
  const v = src(init.left);
  if (!isVariable(init.left) || src(test.left) !== v) return undefined;
  const start = literal(init.right);
  const end = literal(test.right);
  let step: bigint | undefined;
  if (update.k === 'update' && update.op === '++' && src(update.arg) === v) step = 1n;
  else if (update.k === 'assign' && update.op === '+=' && src(update.left) === v) step = literal(update.right);
  if (start === undefined || end === undefined || step === undefined || step <= 0n) return undefined;
  let n: bigint;
  if (test.op === '<') n = end > start ? (end - start + step - 1n) / step : 0n;
  else if (test.op === '<=') n = end >= start ? (end - start) / step + 1n : 0n;
  else if (test.op === '!=') {
    if (end < start || (end - start) % step !== 0n) return undefined;
    n = (end - start) / step;
  } else return undefined;
  return n > BigInt(MAX_ITERATIONS) ? MAX_ITERATIONS + 1 : Number(n);
}

const isVariable = (e: A.Expr): boolean => e.k === 'ident' || e.k === 'self' || e.k === 'this';

function literal(e: A.Expr): bigint | undefined {
  if (e.k !== 'int') return undefined;
  const r = integerLiteral(e.text);
  return r.ok ? r.value.value : undefined;
}

/** Whether a statement assigns `variable` (any assignment operator, `++` or `--`). */
function assigns(statements: A.Stmt[], variable: string, src: (e: A.Expr) => string): boolean {
  let found = false;
  forEachStatementIn(statements, (s) => {
    for (const root of statementExprs(s))
      forEachExpr(root, (e) => {
        const target = e.k === 'assign' ? e.left : e.k === 'update' ? e.arg : undefined;
        if (target && src(target) === variable) found = true;
      });
  });
  return found;
}
