// Code actions: quick fixes where the fix is certain (allow destructive actions, free a leaked
// thread-local, unroll a constant loop, insert a missing `;`), rewriting a clause's lone `if`
// into its predicate, and showing the clauses DTrace compiles for `if`/`else`. Fixes are
// computed from the analysis of the current version (not from the client's copy of the
// diagnostics), for the diagnostics that touch the requested range.
import { CodeActionKind, type CodeAction, type Range } from 'vscode-languageserver';
import type { Feature } from '../featureContext';
import { lexicalDiagnostics, syntaxDiagnostics } from './syntaxDiagnostics';
import { semanticDiagnosticsOf } from './semanticDiagnostics';
import { destructivePragmaFix } from '../quickFixes/destructivePragma';
import { freeThreadLocalFix } from '../quickFixes/freeThreadLocal';
import { unrollLoopFix } from '../quickFixes/unrollLoop';
import { missingSemicolonFix } from '../quickFixes/missingSemicolon';
import { ifToPredicateAction } from '../quickFixes/ifToPredicate';
import { desugaredClausesAction, desugaredText, SHOW_DESUGARED } from '../quickFixes/desugaredClauses';

const FIXES = [destructivePragmaFix, freeThreadLocalFix, unrollLoopFix, missingSemicolonFix];

export const codeActionsFeature: Feature = (ctx) => {
  ctx.connection.onCodeAction(async (params, token) => {
    const doc = await ctx.analysis(params.textDocument.uri, token);
    if (!doc) return null;
    const only = params.context.only;
    const wanted = (kind: string): boolean => !only || only.some((k) => kind === k || kind.startsWith(`${k}.`));
    const actions: CodeAction[] = [];
    if (wanted(CodeActionKind.QuickFix)) {
      const diagnostics = [...syntaxDiagnostics(doc.result.syntaxErrors), ...lexicalDiagnostics(doc.result.firstError, doc.result.syntaxErrors, doc.text), ...semanticDiagnosticsOf(doc)].filter((d) => touches(d.range, params.range));
      for (const d of diagnostics) {
        for (const fix of FIXES) {
          const action = fix(doc, d, ctx.parser);
          if (action) actions.push(action);
        }
      }
    }
    if (wanted(CodeActionKind.RefactorRewrite)) {
      const rewrite = ifToPredicateAction(doc, params.range, ctx.parser);
      if (rewrite) actions.push(rewrite);
    }
    if (wanted(CodeActionKind.Refactor)) {
      const show = desugaredClausesAction(doc);
      if (show) actions.push(show);
    }
    return actions;
  });
  ctx.connection.onExecuteCommand(async (params) => {
    if (params.command !== SHOW_DESUGARED) return null;
    const uri = params.arguments?.[0];
    if (typeof uri !== 'string') return null;
    const doc = await ctx.analysis(uri);
    return doc ? { text: desugaredText(doc) } : null;
  });
  return {
    codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite, CodeActionKind.Refactor] },
    executeCommandProvider: { commands: [SHOW_DESUGARED] },
  };
};

/** Whether a diagnostic's range meets the requested range (an empty range at its edge counts). */
function touches(a: Range, b: Range): boolean {
  const before = (x: Range['start'], y: Range['start']) => x.line < y.line || (x.line === y.line && x.character < y.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}

