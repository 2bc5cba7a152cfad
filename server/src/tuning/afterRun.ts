// What the command line calls after a run from a replayable source: the hint lines when the
// run had drops, else nothing. A re-simulation that fails (a source that cannot be opened
// again, say) costs the user the hint, never the run's own output or status.
import type { ProbeCatalogue } from '../analyze/catalogue/types';
import type { OptionSet } from '../analyze/options/optionSet';
import type { CompiledProgram } from '../codegen/program';
import type { ReplayOptions } from '../sources/replay';
import type { FiringSource } from '../sources/source';
import { DEFAULT_MAX_RUNS, findDropFreeSettings, hintText, type RunSettings } from './dropHints';
import type { DropTally } from './dropTally';
import { replayPasses } from './replayPasses';

/** A minute of re-simulation at most: a hint is not worth more waiting than that. */
export const DEFAULT_TIME_LIMIT_MS = 60_000;

export interface AfterRunRequest {
  /** The user's run's drops (countingDrops around its consumer). */
  drops: DropTally;
  /** Opens the source again from its start; undefined when it cannot be (standard input, a live capture). */
  reopen: (() => Promise<FiringSource>) | undefined;
  program: CompiledProgram;
  catalogue: ProbeCatalogue;
  options: OptionSet;
  /** The rest of the user's run (destructive, consumer identity...). */
  run?: Omit<RunSettings, 'program' | 'catalogue'>;
  replayOptions?: ReplayOptions;
  maxRuns?: number;
  timeLimit?: number;
  /** How the hint names the source (default `this trace`). */
  subject?: string;
}

/** The hint lines for stderr ('' when the run had no drops or its source cannot be replayed). */
export async function dropHintsAfterRun(req: AfterRunRequest): Promise<string> {
  if (!req.drops.any || req.reopen === undefined) return '';
  try {
    const result = await findDropFreeSettings({
      run: { destructive: false, ...req.run, program: req.program, catalogue: req.catalogue },
      options: req.options,
      reopen: replayPasses(req.reopen, req.program, req.catalogue, req.replayOptions),
      drops: req.drops.counts,
      maxRuns: req.maxRuns ?? DEFAULT_MAX_RUNS,
      timeLimit: req.timeLimit ?? DEFAULT_TIME_LIMIT_MS,
    });
    return hintText(result, req.subject);
  } catch (e) {
    return `dtvm: hint: none: re-running ${req.subject ?? 'this trace'} failed: ${e instanceof Error ? e.message : String(e)}\n`;
  }
}
