// Re-running a replayable source for the tuning search: each pass opens the source afresh and
// turns it into firings the way the user's run did (sources/replay.ts).
import type { ProbeCatalogue } from '../analyze/catalogue/types';
import type { CompiledProgram } from '../codegen/program';
import { replayInput, type ReplayOptions } from '../sources/replay';
import type { FiringSource } from '../sources/source';
import type { ReplayPass } from './dropHints';

/** Passes over the sources `open` gives (a trace file opened again, a workload regenerated). */
export function replayPasses(open: () => Promise<FiringSource>, program: CompiledProgram, catalogue: ProbeCatalogue, options: ReplayOptions = {}): () => Promise<ReplayPass> {
  return async () => {
    const source = await open();
    const { firings, ncpus, clockStart, startWallTime, sourceProbes } = replayInput(source, program, catalogue, { onlyWhatTheProgramReads: true, ...options });
    return { input: { firings, ncpus, clockStart, startWallTime, sourceProbes }, close: () => source.close() };
  };
}
