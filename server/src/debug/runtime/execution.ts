// One deterministic run of a compiled program for the debugger: the engine's own steps (BEGIN,
// the source's firings and the timers on the virtual clock, END) and, inside a firing, the
// runtime's own steps (enabling by enabling, the predicate, action by action), with a pause
// point between any two of them. Nothing here decides what an action does: it calls the same
// Runtime/Engine methods runProgram does, so a run paused nowhere is a dtvm run.
//
// Every pause point has a position (firing, enabling, step) that increases along the run, so
// the same program over the same firings reaches the same position in the same state: going
// back is running a fresh Execution up to an earlier position.
import { appendFileSync, closeSync, openSync } from 'node:fs';
import type { ProbeCatalogue } from '../../analyze/catalogue/types';
import type { OptionSet } from '../../analyze/options/optionSet';
import type { CompiledProgram, Enabling } from '../../codegen/program';
import { Consumer, type ConsumerFiles } from '../../consume/consumer';
import { runCommand, type CommandResult } from '../../consume/systemCommand';
import { dropMessage, faultText } from '../../consume/messages';
import type { FiringFacts } from '../../vm/builtinValues';
import { createEngine, DONE, PULL, SLEEP, type ConsumerProcess, type Engine, type ProbeFiring } from '../../vm/engine';
import { readInto } from '../../vm/bufferWalk';
import type { AggregationDelta, BufferContents, ConsumerSink, DropKind, FaultReport, FiringData } from '../../vm/records';
import type { EnablingPlan, EnablingRun, Runtime } from '../../vm/runtime';
import type { FiringTape } from './firingTape';
import { structuralCopy } from './structuralCopy';
import type { SourceSpot } from './api';

export interface RunSetup {
  program: CompiledProgram;
  catalogue: ProbeCatalogue;
  options: OptionSet;
  destructive: boolean;
  tape: FiringTape;
  ncpus: number;
  clockStart?: bigint;
  startWallTime: bigint;
  sourceProbes?: ReadonlySet<number>;
  consumer: Partial<ConsumerProcess>;
  /** The run's side effects outside the VM, done once per firing for every execution of the session. */
  effects: SideEffects;
  /**
   * The statement whose records the consumer prints (`action` given: the one whose action
   * faulted): the debug console links the output there. Undefined: no one statement.
   */
  outputSpot?: (epid: number, action?: number) => SourceSpot | undefined;
}

/**
 * What a run does outside itself (system()'s commands; freopen(), ftruncate() and redirected
 * output's files), done the first time an execution reaches it. Runs are deterministic, so the
 * k-th effect of firing i is the same in every execution of the session: a re-execution
 * (stepping back, a reverse scan, an instruction view) replays what the first one did (a
 * command's output) and touches nothing.
 */
export class SideEffects {
  private readonly byFiring = new Map<number, unknown[]>();
  /** Effects done (not replayed), for tests. */
  performed = 0;

  once<T>(firing: number, k: number, perform: () => T): T {
    let done = this.byFiring.get(firing);
    if (done === undefined) this.byFiring.set(firing, (done = []));
    if (k < done.length) return done[k] as T;
    this.performed++;
    const r = perform();
    done.push(r);
    return r;
  }
}

/** Which part of the run a firing belongs to: BEGIN, the source's and the timers' firings, END. */
export type RunPhase = 'begin' | 'loop' | 'end';

/** Where a run is paused. Positions compare as (firing, plan, step). */
export interface Pause {
  /** `busy`: no stop, just a return from a long stretch of firings run whole. */
  kind: 'firing' | 'predicate' | 'action' | 'fault' | 'drop' | 'end' | 'busy';
  firing: number;
  /** Index of the enabling among the firing's plans (-1 at the firing's start, PAST_PLANS after them). */
  plan: number;
  /** -2: before the predicate; -1: the predicate faulted; 2i: before action i; 2i+1: action i faulted. */
  step: number;
}

export const PAST_PLANS = 1 << 30;
/** A run going on returns (a `busy` pause) and gives the event loop a turn at least this often (ms). */
const TURN_MS = 16;
/** Firings run whole between two looks at the clock. */
const CLOCK_EVERY = 32;
let lastTurn = performance.now();

/** Gives the event loop a turn when the last one is TURN_MS ago (timers, I/O, pause and stop requests get through). */
export async function takeTurn(): Promise<boolean> {
  if (performance.now() - lastTurn < TURN_MS) return false;
  await new Promise<void>((r) => setImmediate(r));
  lastTurn = performance.now();
  return true;
}
/** Firings the trace panel's events table keeps. */
const RECENT = 200;

export function comparePositions(a: Pause, b: Pause): number {
  return a.firing - b.firing || a.plan - b.plan || a.step - b.step;
}

/** A run's state at a firing's start, owned by whoever restores it (checkpoints.ts makes them). */
export interface ExecutionSnapshot {
  engine: Engine;
  consumer: Consumer;
  firingIndex: number;
  /** The firing's part of the run: restored END resumes after END, not with the source's firings. */
  phase: RunPhase;
  facts: FiringFacts;
  plans: readonly EnablingPlan[] | undefined;
  position: number;
  output: readonly ProducedOutput[];
  counts: ReadonlyMap<Enabling, { fired: number; passed: number; faults: number; drops: number }>;
  recent: readonly { index: number; facts: FiringFacts; outcomes: Map<Enabling, string> }[];
}

export interface ProducedOutput {
  text: string;
  stream: 'stdout' | 'stderr';
  firing: number | undefined;
  /** The statement that printed it, when one did. */
  spot?: SourceSpot;
}

/** Thrown when a re-execution is given up (the user asked for something else). */
export class Cancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

const NODE_FILES: ConsumerFiles = {
  touch: (path) => closeSync(openSync(path, 'a')),
  append: (path, text) => appendFileSync(path, text),
  truncate: (path) => closeSync(openSync(path, 'w')),
};

export class Execution {
  readonly engine: Engine;
  readonly rt: Runtime;
  readonly consumer: Consumer;
  /** Index of the firing in progress or last run (-1 before BEGIN). */
  firingIndex = -1;
  phase: RunPhase = 'begin';
  facts: FiringFacts | undefined;
  plans: readonly EnablingPlan[] | undefined;
  run: EnablingRun | undefined;
  pause: Pause | undefined;
  ended = false;
  /** The fault or drop text of the last fault/drop pause. */
  stopText: string | undefined;
  /** Output produced since the caller last took it. */
  output: ProducedOutput[] = [];
  /** Outcome of each enabling of the current firing (by plan index). */
  outcomes: (EnablingRun['outcome'] | 'drop' | undefined)[] = [];
  /** Firings before this index run whole, without pausing (re-execution up to a position). */
  skipUntil = 0;
  /** Which firings to pause in (default all): the others run whole, as before skipUntil. */
  wants: ((f: FiringFacts, index: number) => boolean) | undefined;
  /** Called at every firing's start (after its housekeeping), paused in or not: checkpoints. */
  onFiring: ((exec: Execution) => void) | undefined;
  private unpaused = 0;
  private lastBusy = performance.now();
  /** The firing whose side effects are being counted, and how many it has had. */
  private effectFiring = -2;
  private effectCount = 0;
  /** The statement whose records the consumer is printing now. */
  private printing: SourceSpot | undefined;
  /** Drop texts of the current firing's consumer pass. */
  private drops: string[] = [];
  private droptags = false;
  private readonly steps: AsyncGenerator<Pause>;
  private readonly abort = new AbortController();
  private readonly probeName: (id: number) => { provider: string; module: string; function: string; name: string } | undefined;

  /** The source's position (undefined: no source). */
  readonly cursor: (AsyncIterable<ProbeFiring> & { position: number }) | undefined;

  /**
   * A run from the start, or (`from`) from a checkpoint: a copy of another run's state taken
   * at a firing's start, which this run owns from now on.
   */
  constructor(
    readonly setup: RunSetup,
    from?: ExecutionSnapshot,
  ) {
    const { program, catalogue, options } = setup;
    this.probeName = (id) => {
      const p = catalogue.probe(id);
      return p && { provider: p.provider, module: p.module, function: p.function, name: p.name };
    };
    const emit = (stream: 'stdout' | 'stderr') => (text: string) => {
      if (text === '') return;
      const spot = this.printing;
      this.output.push({ text, stream, firing: this.ended ? undefined : this.firingIndex >= 0 ? this.firingIndex : undefined, ...(spot !== undefined ? { spot } : {}) });
    };
    const effect = <T>(perform: () => T): T => {
      if (this.effectFiring !== this.firingIndex) {
        this.effectFiring = this.firingIndex;
        this.effectCount = 0;
      }
      return setup.effects.once(this.firingIndex, this.effectCount++, perform);
    };
    // A file operation's failure is part of what it did: replayed as the same throw.
    const fileEffect = (perform: () => void): void => {
      const r = effect(() => {
        try {
          perform();
          return undefined;
        } catch (e) {
          return { error: e };
        }
      });
      if (r !== undefined) throw r.error;
    };
    const files: ConsumerFiles = {
      touch: (path) => fileEffect(() => NODE_FILES.touch(path)),
      append: (path, text) => fileEffect(() => NODE_FILES.append(path, text)),
      truncate: (path) => fileEffect(() => NODE_FILES.truncate(path)),
    };
    const runCommandOnce = (command: string): CommandResult => effect(() => runCommand(command));
    const consumerOptions = {
      // setopt() changes the consumer's options: each run has its own.
      options: structuralCopy(options),
      quiet: options.flag('quiet'),
      flowindent: options.flag('flowindent'),
      destructive: setup.destructive,
      out: emit('stdout'),
      err: emit('stderr'),
      describeProbe: this.probeName,
      runCommand: runCommandOnce,
      files,
    };
    if (from !== undefined) {
      this.consumer = from.consumer;
      const opts = (this.consumer as unknown as { opts: typeof consumerOptions }).opts;
      opts.out = consumerOptions.out;
      opts.err = consumerOptions.err;
      opts.runCommand = runCommandOnce;
      opts.files = files;
    } else {
      this.consumer = new Consumer(program, consumerOptions);
    }
    const consumer = this.consumer;
    const droptags = options.flag('droptags');
    this.droptags = droptags;
    const spotOf = setup.outputSpot;
    // Each enabling's records on their own, so what the consumer prints for them is known to
    // come from that clause (under flowindent a record's indent depends on the next one).
    const oneByOne = spotOf !== undefined && !options.flag('flowindent');
    const firings = (run: FiringData[]): void => {
      if (!oneByOne) return consumer.firings(run);
      try {
        for (const f of run) {
          this.printing = spotOf(f.epid);
          consumer.firings([f]);
        }
      } finally {
        this.printing = undefined;
      }
    };
    const fault = (report: FaultReport): void => {
      this.printing = spotOf?.(report.epid, report.action);
      try {
        consumer.fault(report);
      } finally {
        this.printing = undefined;
      }
    };
    const sink: ConsumerSink = {
      buffer: (_cpu: number, contents: BufferContents) => readInto(contents, { firings, fault }),
      aggregations: (deltas: AggregationDelta[]) => consumer.aggregations(deltas),
      drops: (kind: DropKind, cpu: number, count: number) => {
        this.drops.push(dropMessage(kind, cpu, count, droptags).trimEnd());
        consumer.drops(kind, cpu, count);
      },
    };
    this.cursor = setup.tape.hasSource ? setup.tape.cursor(from?.position ?? 0) : undefined;
    if (from !== undefined) {
      this.engine = from.engine;
      this.engine.reattach(sink, this.cursor, this.abort.signal);
      this.firingIndex = from.firingIndex - 1;
      this.phase = from.phase;
      this.output = from.output.slice();
      for (const [e, c] of from.counts) this.counts.set(e, { ...c });
      this.recent.push(...from.recent);
    } else {
      this.engine = createEngine({
        program,
        options,
        catalogue,
        sink,
        ...(this.cursor !== undefined ? { firings: this.cursor } : {}),
        signal: this.abort.signal,
        ncpus: setup.ncpus,
        destructive: setup.destructive,
        startWallTime: setup.startWallTime,
        ...(setup.clockStart !== undefined ? { clockStart: setup.clockStart } : {}),
        ...(setup.sourceProbes !== undefined ? { sourceProbes: setup.sourceProbes } : {}),
        consumer: setup.consumer,
      });
    }
    this.rt = this.engine.runtime;
    this.steps = this.walk(from);
  }

  /** Runs to the next pause point; undefined once the run has ended. */
  async advance(): Promise<Pause | undefined> {
    if (this.ended && this.pause?.kind === 'end') return undefined;
    const r = await this.steps.next();
    this.pause = r.done ? undefined : r.value;
    // Between two pauses, the event loop gets its turn now and then (the caller re-checks
    // whether it was asked to stop).
    await takeTurn();
    return this.pause;
  }

  /**
   * Re-executes up to `target` (a position this program reaches over these firings);
   * `cancelled`, asked after each turn of the event loop, gives up (undefined).
   */
  async advanceTo(target: Pause, cancelled?: () => boolean): Promise<Pause | undefined> {
    this.skipUntil = target.firing;
    try {
      for (;;) {
        const p = await this.advance();
        if (p === undefined || comparePositions(p, target) >= 0) return p;
        if (cancelled?.() === true) throw new Cancelled();
      }
    } finally {
      this.skipUntil = 0;
    }
  }

  /** How each enabling fared so far: fired (its probe fired while it could run), passed, faults, drops. */
  readonly counts = new Map<Enabling, { fired: number; passed: number; faults: number; drops: number }>();
  /** The last RECENT firings: their facts and each enabling's outcome. */
  readonly recent: { index: number; facts: FiringFacts; outcomes: Map<Enabling, string> }[] = [];

  private count(f: FiringFacts, index: number): void {
    const plans = this.plans;
    const outcomes = new Map<Enabling, string>();
    plans?.forEach((plan, p) => {
      const o = this.outcomes[p];
      if (o === undefined) return;
      const e = plan.enabling;
      let c = this.counts.get(e);
      if (c === undefined) this.counts.set(e, (c = { fired: 0, passed: 0, faults: 0, drops: 0 }));
      c.fired++;
      if (o === 'done' || o === 'discarded') c.passed++;
      else if (o === 'fault') c.faults++;
      else if (o === 'drop') c.drops++;
      outcomes.set(e, o);
    });
    this.recent.push({ index, facts: f, outcomes });
    if (this.recent.length > RECENT) this.recent.shift();
  }

  /** Tracing stops at the next event, as Ctrl-C stops it: END then fires. */
  requestStop(): void {
    this.abort.abort();
  }

  faultTextOf(report: FaultReport | undefined): string {
    if (report === undefined) return 'dtrace: error in an ERROR enabling (double error)';
    return `dtrace: ${faultText(report, this.probeName(report.probeId)).trimEnd()}`;
  }

  private async *walk(from?: ExecutionSnapshot): AsyncGenerator<Pause> {
    const engine = this.engine;
    if (from !== undefined) {
      // The checkpoint was taken at this firing's start: its housekeeping is done. The run
      // goes on from the part it was in (after END: only the last consumer pass).
      yield* this.firing(from.facts, from.plans);
      if (from.phase === 'begin') engine.started();
    } else {
      const begin = engine.beginFiring();
      if (begin !== undefined) yield* this.firing(begin);
      engine.started();
    }
    if (this.phase !== 'end') {
      this.phase = 'loop';
      for (;;) {
        const ev = engine.take();
        if (ev === DONE) break;
        if (ev === PULL) {
          await engine.pull();
          continue;
        }
        // The debugger's engine runs on the virtual clock only (never `realtime`): it never sleeps.
        if (ev === SLEEP) throw new Error('dtvm-dap: the debugger runs on the virtual clock; the engine asked to sleep');
        if (ev === null) continue;
        yield* this.firing(ev);
      }
      this.phase = 'end';
      const end = await engine.endFiring();
      if (end !== undefined) yield* this.firing(end);
    }
    engine.finished();
    this.ended = true;
    this.consumer.finish(false);
    this.facts = undefined;
    this.plans = undefined;
    yield { kind: 'end', firing: this.firingIndex + 1, plan: -1, step: 0 };
  }

  private *firing(f: FiringFacts, plans?: readonly EnablingPlan[]): Generator<Pause> {
    const index = ++this.firingIndex;
    const skipping = index < this.skipUntil;
    if (!skipping && (this.wants === undefined || this.wants(f, index))) {
      yield* this.firingSteps(f, index, plans);
      return;
    }
    // Before the target of a re-execution, or a firing nothing could stop in: the same steps,
    // without pausing (but a run that goes on returns now and then, so it can be paused and
    // the event loop gets its turn).
    const steps = this.firingSteps(f, index, plans);
    while (!steps.next().done);
    if (++this.unpaused % CLOCK_EVERY === 0) {
      const now = performance.now();
      if (now - this.lastBusy >= TURN_MS) {
        this.lastBusy = now;
        yield { kind: 'busy', firing: index, plan: PAST_PLANS, step: 1 };
      }
    }
  }

  private *firingSteps(f: FiringFacts, index: number, given: readonly EnablingPlan[] | undefined): Generator<Pause> {
    const rt = this.rt;
    this.facts = f;
    this.run = undefined;
    const plans = (this.plans = given ?? rt.plansFor(f));
    this.outcomes = [];
    this.onFiring?.(this);
    // A firing no enabling runs for (BEGIN or END without clauses) is no stop.
    if (plans !== undefined) yield { kind: 'firing', firing: index, plan: -1, step: 0 };
    if (plans !== undefined) {
      const strtok = { addr: 0n, limit: 0n };
      for (let p = 0; p < plans.length; p++) {
        const plan = plans[p]!;
        if (!rt.mayRun(plan, f)) continue;
        const run = rt.beginEnabling(plan, f, strtok);
        if (run === undefined) {
          this.outcomes[p] = 'drop';
          continue;
        }
        this.run = run;
        if (plan.enabling.predicate !== undefined) {
          yield { kind: 'predicate', firing: index, plan: p, step: -2 };
          rt.resumeEnabling(run);
        }
        if (!rt.runPredicate(run)) {
          this.outcomes[p] = run.outcome;
          if (run.outcome === 'fault') {
            this.stopText = this.faultTextOf(run.fault);
            yield { kind: 'fault', firing: index, plan: p, step: -1 };
          }
          continue;
        }
        const n = plan.enabling.actions.length;
        while (run.next < n) {
          const i = run.next;
          yield { kind: 'action', firing: index, plan: p, step: 2 * i };
          rt.resumeEnabling(run);
          rt.runAction(run);
          if (run.outcome === 'fault') {
            this.outcomes[p] = 'fault';
            this.stopText = this.faultTextOf(run.fault);
            yield { kind: 'fault', firing: index, plan: p, step: 2 * i + 1 };
          }
        }
        rt.endEnabling(run);
        this.outcomes[p] = run.outcome;
      }
    }
    this.run = undefined;
    this.count(f, index);
    this.drops.length = 0;
    // Drops the consumer reported at a real switch during this firing, and those that happened
    // and will be reported at the next one: either way this firing's records were dropped.
    for (const d of this.engine.consumerPass()) this.drops.push(dropMessage(d.kind, d.cpu, d.count, this.droptags).trimEnd());
    if (this.drops.length > 0) {
      this.stopText = this.drops.join('\n');
      yield { kind: 'drop', firing: index, plan: PAST_PLANS, step: 0 };
    }
  }
}
