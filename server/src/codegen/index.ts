// The code generator's entry point: a checked program's (desugared) clauses to DTrace's
// enablings, one per clause, each with its predicate object, its actions and the size of
// what one firing records in the principal buffer.
import type { FrontEndResult } from '../analyze/frontEnd';
import type { OptionSet } from '../analyze/options/optionSet';
import type { DesugaredClause } from '../desugar/ifDesugar';
import { VariableState } from '../dif/variable-state';
import { DEFAULT_PLATFORM, type DifPlatform } from '../dif/platform';
import { DIF_DIR_NREGS, DIF_DTR_NREGS } from '../dif/opcodes';
import { lineOf } from '../analyze/parseTime';
import type * as A from '../parse/ast';
import { ACT, type CompiledProgram, type Enabling } from './program';
import { ActionCompiler, type ProgramTables } from './actions';
import { CodegenError } from './errors';
import type { Difo } from '../dif/difo';
import { ExpressionCompiler, HiddenVariables, type ExpressionContext } from './expressions';
import { ObjectBuilder } from './objectBuilder';
import { TableLimitExceeded } from './tables';
import { difType } from './difType';
import { layoutEnabling } from './recordLayout';
import { kernelTypesOf } from './kernelTypes';

export { CodegenError } from './errors';

export interface GenerateOptions {
  /** Subroutine numbering; illumos by default. */
  platform?: DifPlatform;
}

export function generateProgram(result: FrontEndResult, clauses: readonly DesugaredClause[], options: OptionSet, extra: GenerateOptions = {}): CompiledProgram {
  const analysis = result.analysis;
  if (!analysis) throw new Error('generateProgram needs an analysed program');
  const c = analysis.compilation;
  const strsize = options.bytes('strsize') ?? 256;
  const platform = extra.platform ?? platformOf(result);
  const hidden = new HiddenVariables(c);
  const nregs = options.integer('iregs') ?? DIF_DIR_NREGS;
  const ntregs = options.integer('tregs') ?? DIF_DTR_NREGS;
  const tables: ProgramTables = { formats: [], aggregations: [], options };
  const enablings: Enabling[] = [];
  let nextEpid = 1;
  const errorProbes = (): number[] => result.catalogue.match({ provider: 'dtrace', module: '', function: '', name: 'ERROR' }).map((p) => p.id);

  clauses.forEach((d, index) => {
    const origin = analysis.clauses.find((x) => x.clause === d.origin);
    const probes = d.addedErrorClause ? errorProbes() : (origin?.probes.map((p) => p.id) ?? []);
    const probeArgs = d.addedErrorClause ? undefined : origin?.probes[0]?.args;
    const x: ExpressionContext = { c, strsize, platform, probeArgs, hidden, nregs, ntregs };
    // One ECB per probe; a clause matching nothing (-Z) still gets a number of its own.
    const epids = probes.map(() => nextEpid++);
    const enabling: Enabling = {
      epid: epids[0] ?? nextEpid++,
      epids,
      clause: index,
      originSpan: d.origin.span,
      probes,
      actions: [],
      recordSize: 0,
      speculative: false,
    };
    if (d.predicate) enabling.predicate = predicate(x, d.predicate);
    const actions = new ActionCompiler(x, tables, (span) => lineOf(span));
    for (const s of d.body ?? []) actions.statement(s);
    enabling.actions = actions.actions;
    enabling.speculative = enabling.actions.some((a) => a.kind === ACT.SPECULATE);
    enabling.recordSize = layoutEnabling(enabling.actions);
    enablings.push(enabling);
  });
  const kernel = kernelTypesOf(result, c.types);
  return { enablings, aggregations: tables.aggregations, formats: tables.formats, variables: new VariableState(), platform, flavour: result.flavour.name, ...(kernel ? { kernel } : {}) };
}

/** A predicate is an object whose result is tested for non-zero. */
function predicate(x: ExpressionContext, e: A.Expr): Difo {
  const b = new ObjectBuilder(x.nregs);
  const g = new ExpressionCompiler(x, b);
  try {
    const r = g.gen(e);
    return b.finish(difType(g.typeOf(e), x.strsize), r);
  } catch (caught) {
    const err = caught instanceof TableLimitExceeded ? new CodegenError(caught.tag, e.span, caught.message, false) : caught;
    if (!(err instanceof CodegenError)) throw err;
    const placed = err.at(e.span);
    placed.inPredicate = true;
    throw placed;
  }
}


/** The DIF lineage of the script's target system: FreeBSD numbers its subroutines its own way. */
function platformOf(result: FrontEndResult): DifPlatform {
  return result.flavour?.name === 'freebsd' ? 'freebsd' : DEFAULT_PLATFORM;
}
