// Drop-free tuning hints (beyond DTrace): what the command line calls after a replay.
export { dropHintsAfterRun, DEFAULT_TIME_LIMIT_MS, type AfterRunRequest } from './afterRun';
export { countingDrops, CountingSink, DropTally, type DropCounts } from './dropTally';
export { DEFAULT_MAX_RUNS, findDropFreeSettings, hintText, type ReplayPass, type RunSettings, type TuningRequest, type TuningResult } from './dropHints';
export { replayPasses } from './replayPasses';
export { sizeText } from './tunables';
