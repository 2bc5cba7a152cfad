// Beyond DTrace: after a replay with drops, the smallest setting of each option that would
// have run the same firings without them, found by re-simulating the whole replay with that
// option changed and everything else as the user had it. Re-simulations print nothing (a
// counting sink); their number (and, optionally, the time they take) is capped, and a hint
// cut short says so: a value found but not refined down to the smallest round value, or no
// value at all.
import type { OptionSet } from '../analyze/options/optionSet';
import { runProgram, type EngineInput } from '../vm/engine';
import { CountingSink, type DropCounts } from './dropTally';
import { withOptionText } from './optionView';
import { smallestWorkingValue, type SearchBudget, type SearchOutcome } from './search';
import { DROP_GROUPS, type DropGroup, type TunableOption } from './tunables';

/** The firings of one more pass over the source, and how to let go of it. */
export interface ReplayPass {
  input: Pick<EngineInput, 'firings' | 'ncpus' | 'clockStart' | 'startWallTime' | 'sourceProbes'>;
  close(): Promise<void>;
}

/** The engine's input for the user's run, less what each re-simulation brings itself. */
export type RunSettings = Omit<EngineInput, 'sink' | 'options' | 'firings' | 'ncpus' | 'clockStart' | 'startWallTime' | 'sourceProbes' | 'signal' | 'realtime'>;

export interface TuningRequest {
  run: RunSettings;
  /** The user's options (after the script's pragmas). */
  options: OptionSet;
  /** Opens the source again from its start (a trace file, a seeded workload). */
  reopen(): Promise<ReplayPass>;
  /** The first run's drops. */
  drops: DropCounts;
  /** Re-simulations allowed in all (default DEFAULT_MAX_RUNS). */
  maxRuns?: number;
  /** Milliseconds after which no further re-simulation starts (default: no limit). */
  timeLimit?: number;
}

/** Enough for a size and a rate each a few doublings away from the user's values. */
export const DEFAULT_MAX_RUNS = 24;

export interface OptionFinding {
  option: TunableOption['name'];
  outcome: SearchOutcome;
  /** The option's value (as after `-x name=`) of the outcome's value or limit. */
  text?: string;
  /** How the user sets it: `-x name=text`, or `#pragma D option name=text` when the script sets it (a pragma overrides -x). */
  setting?: string;
}

export interface GroupFinding {
  group: DropGroup;
  options: OptionFinding[];
}

export interface TuningResult {
  groups: GroupFinding[];
  runs: number;
  maxRuns: number;
}

/** Searches, for each kind of drop the first run had, each option that can remove it. */
export async function findDropFreeSettings(req: TuningRequest): Promise<TuningResult> {
  const maxRuns = req.maxRuns ?? DEFAULT_MAX_RUNS;
  const budget: SearchBudget = { runs: maxRuns, ...(req.timeLimit !== undefined ? { deadline: Date.now() + req.timeLimit } : {}) };
  const groups: GroupFinding[] = [];
  for (const group of DROP_GROUPS) {
    if (!group.kinds.some((k) => (req.drops[k] ?? 0) > 0)) continue;
    const found: OptionFinding[] = [];
    for (const option of group.options) {
      if (option.applies !== undefined && !option.applies(req.options)) continue;
      const works = async (value: number): Promise<boolean> => {
        // The answer is known at the first drop of these kinds: the rest of the run is skipped.
        const stop = new AbortController();
        const sink = new CountingSink((kind) => {
          if (group.kinds.includes(kind)) stop.abort();
        });
        await resimulate(req, withOptionText(req.options, option.name, option.text(value)), sink, stop.signal);
        return sink.tally.total(group.kinds) === 0;
      };
      const outcome = await smallestWorkingValue(option.current(req.options), option.maximum, works, budget);
      const value = outcome.kind === 'found' ? outcome.value : outcome.kind === 'exhausted' ? outcome.limit : undefined;
      if (value === undefined) {
        found.push({ option: option.name, outcome });
      } else {
        const text = option.text(value);
        const setting = req.options.setByProgram(option.name) ? `#pragma D option ${option.name}=${text}` : `-x ${option.name}=${text}`;
        found.push({ option: option.name, outcome, text, setting });
      }
    }
    groups.push({ group, options: found });
  }
  return { groups, runs: maxRuns - budget.runs, maxRuns };
}

async function resimulate(req: TuningRequest, options: OptionSet, sink: CountingSink, signal: AbortSignal): Promise<void> {
  const pass = await req.reopen();
  try {
    await runProgram({ ...req.run, ...pass.input, options, sink, signal, realtime: false });
  } finally {
    await pass.close();
  }
}

const PREFIX = 'dtvm: hint: ';

/** The hint lines (each ending in a newline), or '' when there is nothing to say. `subject` names the source. */
export function hintText(result: TuningResult, subject = 'this trace'): string {
  let text = '';
  for (const { group, options } of result.groups) {
    const found = options.filter((o) => o.outcome.kind === 'found');
    if (found.length > 0) {
      const [first, ...others] = found.map((o) => o.setting!);
      const alternatives = others.length > 0 ? ` (or ${others.join(' or ')})` : '';
      const partial = found.some((o) => o.outcome.kind === 'found' && !o.outcome.minimal) ? ` (search stopped after ${result.runs} re-runs: smaller values may do)` : '';
      text += `${PREFIX}${subject} runs without ${group.noun} with ${first}${alternatives}${partial}\n`;
    } else if (options.length > 0 && options.every((o) => o.outcome.kind === 'exhausted')) {
      const tried = options.map((o) => o.setting!);
      text += `${PREFIX}${subject} has ${group.noun} even with ${tried.join(' or ')}\n`;
    } else if (options.length > 0) {
      text += `${PREFIX}no setting without ${group.noun} found in ${result.runs} re-runs\n`;
    }
  }
  return text;
}
