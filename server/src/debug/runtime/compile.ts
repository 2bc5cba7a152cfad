// What dtvm does between reading a script and running it, as one engine-side function the
// debugger calls: front end, `if` desugaring, code generation. It stops where dtvm stops
// (analyze/stoppingError.ts). Problems come back placed in the script (1-based line and
// column), never thrown.
import type { ProviderDefinition } from '../../analyze/catalogue/types';
import { compileProgram, type FrontEndResult } from '../../analyze/frontEnd';
import type { Flavour } from '../../analyze/flavour/flavours';
import { applyCliOption } from '../../analyze/options/optionMessages';
import { OptionSet } from '../../analyze/options/optionSet';
import { stoppingError } from '../../analyze/stoppingError';
import { CodegenError, generateProgram } from '../../codegen/index';
import type { CompiledProgram } from '../../codegen/program';
import { desugarProgram, type DesugaredClause } from '../../desugar/ifDesugar';
import type { Parser } from '../../parse/dParser';
import type { ScriptProblem } from './api';

export interface ScriptRequest {
  text: string;
  /** `$0` and the name in messages. */
  programName: string;
  /** `-x name=value` settings in order. */
  settings?: readonly string[];
  /** $1.. */
  macroArguments?: readonly string[];
  flavour?: string;
  providers?: readonly ProviderDefinition[];
  /** `$target`: the pid of the command started or the process attached. */
  target?: number;
  /** An option set to start from (the settings are applied to it). */
  options?: OptionSet;
}

export interface CompiledScript {
  result: FrontEndResult;
  clauses: readonly DesugaredClause[];
  program: CompiledProgram;
  options: OptionSet;
  /** Warnings (errors stop the compilation). */
  problems: ScriptProblem[];
}

export type CompileOutcome = { ok: true; script: CompiledScript } | { ok: false; problems: ScriptProblem[] };

/** Compiles a script as dtvm would run it: the first error stops it, as in dtrace(1). */
export function compileScript(parser: Parser, req: ScriptRequest): CompileOutcome {
  const options = req.options ?? new OptionSet();
  for (const s of req.settings ?? []) {
    const r = applyCliOption(options, s, 'dtrace');
    if (!r.ok) return { ok: false, problems: [{ severity: 'error', code: 'D_OPT', message: r.message, line: 1, column: 1 }] };
  }
  const result = compileProgram(parser, {
    text: req.text,
    programName: req.programName,
    options,
    operands: [...(req.macroArguments ?? [])],
    providers: [...(req.providers ?? [])],
    ...(req.target !== undefined ? { target: req.target } : {}),
    ...(req.flavour !== undefined && req.flavour !== 'auto' ? { flavour: req.flavour as Flavour } : {}),
  });
  const stop = stoppingError(result, req.text);
  if (stop !== undefined) {
    // An error in a D library file stops the script too; it is not placed in the script.
    const message = stop.library !== undefined ? `"${stop.library}", line ${stop.line}: ${stop.message}` : stop.message;
    return { ok: false, problems: [problemAt(stop.code, message, stop.library !== undefined ? { row: 0, column: 0 } : stop.start)] };
  }
  const analysis = result.analysis!;
  const diagnostics = analysis.diagnostics;
  const clauses = desugarProgram(analysis.clauses.map((x) => x.clause)).clauses;
  let program: CompiledProgram;
  try {
    program = generateProgram(result, clauses, options);
  } catch (e) {
    if (!(e instanceof CodegenError)) throw e;
    const span = (e as { span?: { start: { row: number; column: number } } }).span;
    return { ok: false, problems: [problemAt('D_CODEGEN', e.message, span?.start ?? { row: 0, column: 0 })] };
  }
  const problems = diagnostics
    .filter((d) => d.severity === 'warning' && d.file === undefined)
    .map((d) => ({ ...problemAt(d.code, d.message, d.span.start), severity: 'warning' as const }));
  return { ok: true, script: { result, clauses, program, options, problems } };
}

function problemAt(code: string, message: string, start: { row: number; column: number }): ScriptProblem {
  return { severity: 'error', code, message, line: start.row + 1, column: start.column + 1 };
}
