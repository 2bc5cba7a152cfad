// The front end's entry point: analyzes a parsed D program (after the D library files) in
// DTrace's order: top to bottom; in a clause, its actions before its predicate (unless the
// clause uses `if`, whose desugaring checks the predicate first).
import type * as A from '../parse/ast';
import { Compilation, type ClauseState, type CompilationSettings, type ProbeInfo, type ProbeMatcher } from './compilation';
import { checkControlLine, type PragmaHost } from './controlLines';
import type { Diagnostic } from './diagnostics';
import { cook } from './expressions';
import { MacroTable, type MacroSettings } from './macros';
import type { OptionSet } from './options/optionSet';
import { checkExpressionStatement, checkStatement } from './statements';
import { declare, defineInline } from './types/declarations';
import { defineTranslator } from './translators';
import { isScalar, isString, typeName, resolve, type CType } from './types/ctype';
import { runSafetyRules } from '../safety/rules';
import { hasIf } from '../desugar/ifDesugar';

export interface SourceUnit {
  program: A.Program;
  /** Shown in diagnostics for library files; undefined for the user's script. */
  file?: string;
}

export interface ClauseResult {
  clause: A.Clause;
  probes: ProbeInfo[];
  /** One entry per description: the text after macro expansion. */
  descriptions: string[];
}

export interface AnalyzeInput {
  program: A.Program;
  /** The script's text (safety messages quote it). */
  source?: string;
  libraries: SourceUnit[];
  settings: CompilationSettings;
  macros: MacroSettings;
  probes: ProbeMatcher;
  pragmas: PragmaHost;
  options: OptionSet;
  /** Parses `p:m:f:n` into fields, or returns DTrace's reason it is malformed. */
  parseDescription(text: string): { provider: string; module: string; function: string; name: string } | { error: string };
  /**
   * The editor: a description naming a provider the catalogue does not have is a warning (its
   * probes are unknown, not absent), not D_PDESC_ZERO.
   */
  lenientProviders?: boolean;
  knownProvider?(name: string): boolean;
  /** The program came from `-n`/`-P`...: clauses need neither predicate nor body. */
  commandLine?: boolean;
}

export interface Analysis {
  compilation: Compilation;
  clauses: ClauseResult[];
  /** Errors first in DTrace's order, then warnings. */
  diagnostics: Diagnostic[];
}

export function analyze(input: AnalyzeInput): Analysis {
  const c = new Compilation(input.settings, input.probes);
  c.macros = new MacroTable(input.macros);
  for (const lib of input.libraries) {
    c.file = lib.file;
    for (const item of lib.program.items) topLevel(c, item, input, undefined);
  }
  c.file = undefined;
  // Library problems are ours, not the user's: keep them but never let them block the script.
  const libraryDiagnostics = c.diagnostics.splice(0).map((d) => ({ ...d, severity: 'warning' as const }));
  const clauses: ClauseResult[] = [];
  let sawContent = false;
  for (const item of input.program.items) {
    if (item.k !== 'control') sawContent = true;
    topLevel(c, item, input, clauses);
  }
  if (!sawContent && c.diagnostics.length === 0) {
    c.record('error', 'D_EMPTY', input.program.span, 'empty D program translation unit');
  }
  if (!input.settings.argref && c.diagnostics.every((d) => d.severity !== 'error')) {
    const unused = c.macros.unused()[0];
    if (unused) c.record('error', 'D_MACRO_UNUSED', input.program.span, `extraneous argument '${unused[0]}' ($${unused[1]} is not referenced)`);
  }
  runSafetyRules(c, input.program, clauses, input.source);
  const errors = c.diagnostics.filter((d) => d.severity === 'error');
  const others = c.diagnostics.filter((d) => d.severity !== 'error');
  return { compilation: c, clauses, diagnostics: [...errors, ...others, ...libraryDiagnostics] };
}

function topLevel(c: Compilation, item: A.TopLevel, input: AnalyzeInput, clauses: ClauseResult[] | undefined): void {
  switch (item.k) {
    case 'control':
      c.attempt(() => checkControlLine(c, item, input.pragmas, input.options));
      return;
    case 'declaration':
      c.attempt(() => declare(c, item));
      return;
    case 'inline':
      c.attempt(() => defineInline(c, item));
      return;
    case 'translator':
      c.attempt(() => defineTranslator(c, item));
      return;
    case 'provider':
      return;
    case 'clause':
      if (clauses) checkClause(c, item, input, clauses);
  }
}

function expandMacros(c: Compilation, text: string, span: A.Span): string {
  return text.replace(/\$\$?[A-Za-z0-9_]+/g, (m) => {
    const v = c.macros?.resolve(m);
    if (!v) c.error('D_MACRO_UNDEF', span, `macro argument ${m} is not defined`.replace(/^macro argument (\$\$?[A-Za-z_]\w*)/, 'macro variable $1'));
    return v.text;
  });
}

function checkClause(c: Compilation, clause: A.Clause, input: AnalyzeInput, clauses: ClauseResult[]): void {
  const probes: ProbeInfo[] = [];
  const descriptions: string[] = [];
  const ok = c.attempt(() => {
    for (const d of clause.descriptions) {
      const text = expandMacros(c, d.text, d.span);
      descriptions.push(text);
      if (d.id !== undefined) continue;
      const desc = input.parseDescription(text);
      if ('error' in desc) c.error('D_PDESC_INVAL', d.span, desc.error);
      const matched = input.probes.match(desc);
      if (matched.length === 0 && !input.settings.zdefs && input.lenientProviders && !input.knownProvider?.(desc.provider)) {
        c.warn(
          'D_PDESC_ZERO',
          d.span,
          `probe description ${desc.provider}:${desc.module}:${desc.function}:${desc.name} does not match any probes: provider ${desc.provider || '(any)'} is not in the probe catalogue, so its probes and argument types are unknown here`,
        );
        continue;
      }
      if (matched.length === 0 && !input.settings.zdefs)
        c.error('D_PDESC_ZERO', d.span, `probe description ${desc.provider}:${desc.module}:${desc.function}:${desc.name} does not match any probes`);
      probes.push(...matched);
    }
  });
  if (!ok) return;
  const state: ClauseState = {
    index: clauses.length,
    probes,
    description: descriptionText(descriptions[0] ?? ''),
    argTypes: undefined,
    speculated: false,
    committed: false,
    recordedData: false,
    assignedLocals: new Set(),
  };
  argTypesFor(c, state, descriptions);
  c.clause = state;
  clauses.push({ clause, probes, descriptions });
  try {
    if (!input.commandLine) {
      if (!clause.body && !clause.predicate) {
        c.attempt(() => c.error('D_SYNTAX', clause.span, 'expected predicate and/or actions following probe description'));
        return;
      }
      if (!clause.body) {
        c.attempt(() => c.error('D_SYNTAX', clause.span, 'expected actions { } following probe description and predicate'));
        return;
      }
    }
    const sugared = clause.body !== undefined && clause.body.some(hasIf);
    const checkPredicate = (): void => {
      if (!clause.predicate) return;
      const p = clause.predicate;
      c.attempt(() => {
        const t = cook(c, p).type;
        if (!isScalar(t)) {
          if (sugared) c.error('D_OP_SCALAR', p.span, `the predicate must be scalar, but it is ${article(t)}`);
          c.error('D_PRED_SCALAR', p.span, 'predicate result must be of scalar type');
        }
      });
    };
    if (sugared) checkPredicate();
    // Each run of statements between `if`s becomes a clause of its own, so the per-clause
    // ordering rules (speculate, commit) start afresh at every boundary.
    const boundary = (): void => {
      state.speculated = false;
      state.committed = false;
      state.recordedData = false;
    };
    const onIf = (s: Extract<A.Stmt, { k: 'if' }>): void => {
      boundary();
      c.attempt(() => {
        const t = cook(c, s.test).type;
        if (!isScalar(t))
          c.error('D_OP_SCALAR', s.test.span, `condition of this \`if\` must be scalar, but it is ${article(t)}`, [
            { span: s.span, message: 'desugared from this `if`: DTrace rewrites it into clauses predicated on the condition' },
          ]);
      });
      checkStatement(c, s.then, onIf);
      boundary();
      if (s.else) checkStatement(c, s.else, onIf);
      boundary();
    };
    for (const s of clause.body ?? []) checkStatement(c, s, onIf);
    if (!sugared) checkPredicate();
  } finally {
    c.clause = undefined;
  }
}

/** A description as DTrace prints it: always four fields. */
function descriptionText(text: string): string {
  const parts = text.split(':');
  while (parts.length < 4) parts.unshift('');
  return parts.join(':');
}

function article(t: CType): string {
  const r = resolve(t);
  if (isString(t)) return 'a string';
  if (r.kind === 'struct' || r.kind === 'union') return `a ${typeName(t)} (a ${r.kind}, not a scalar)`;
  if (r.kind === 'void') return 'void';
  return `of type ${typeName(t)}`;
}

/** args[] types, when every probe the clause enables agrees on them. */
function argTypesFor(c: Compilation, state: ClauseState, descriptions: string[]): void {
  const first = state.probes[0];
  if (!first) {
    state.argTypes = [];
    return;
  }
  const sig = (p: ProbeInfo): string => p.args.map((a) => a.translated ?? a.native).join(',');
  const s0 = sig(first);
  if (state.probes.some((p) => sig(p) !== s0)) {
    state.argsProblem = {
      tag: 'D_ARGS_MULTI',
      message: `args[ ] may not be referenced because probe description ${descriptions[0] ?? ''} matches an unstable set of probes`,
    };
    return;
  }
  state.argTypes = first.args.map((a) => c.types.parse(a.translated ?? a.native));
}

export { checkExpressionStatement };
