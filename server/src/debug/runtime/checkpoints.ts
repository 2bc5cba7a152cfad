// Where going backwards starts from. Runs are deterministic, so the state at an earlier
// position is a run re-executed up to it; to keep that short, the live run leaves a checkpoint
// (a copy of its whole state: the engine with the kernel state, the consumer) at the start of
// every `every`-th firing, and going back restores the nearest checkpoint before the target
// and re-executes only from there.
//
// The copy is structural: every object reachable from the engine and the consumer is copied
// with its prototype, sharing only what never changes during a run (the compiled program, the
// probe catalogue, the firings and their facts). A run's own links to the outside (the sink
// into its consumer, its source position, its stop signal, the DIF machine) are made anew
// when a copy is restored (Engine.reattach, Execution's constructor).
import { comparePositions, Execution, type ExecutionSnapshot, type Pause, type RunSetup } from './execution';
import { deepCopy } from './structuralCopy';

/** Firings between two checkpoints of the live run. */
export const DEFAULT_CHECKPOINT_INTERVAL = 1000;
const NEAR = 8;

export class Checkpoints {
  /** By firing index, in increasing order. */
  private readonly kept: ExecutionSnapshot[] = [];
  /** Checkpoints left by going backwards, around where the user is. */
  private readonly near: ExecutionSnapshot[] = [];
  private immutable: WeakSet<object> | undefined;
  /** Bytes of copied state, estimated when each checkpoint is taken. */
  bytes = 0;

  constructor(
    private readonly setup: RunSetup,
    readonly every = DEFAULT_CHECKPOINT_INTERVAL,
  ) {}

  get count(): number {
    return this.kept.length;
  }

  /** Called at each firing's start (Execution.onFiring): keeps a checkpoint every `every` firings. */
  maybeTake(exec: Execution): void {
    const firing = exec.firingIndex;
    if (firing === 0 || firing % this.every !== 0 || exec.facts === undefined) return;
    // oformat's structured writer holds its own output function: such runs re-execute from the start.
    if ((exec.consumer as unknown as { structured?: unknown }).structured !== undefined) return;
    const last = this.kept[this.kept.length - 1];
    if (last !== undefined && last.firingIndex >= firing) return;
    const snap = this.copy(this.snapshotOf(exec));
    this.kept.push(snap);
    this.bytes += estimateBytes(snap, this.immutableSet(), exec);
  }

  /**
   * A fresh execution paused at `target` (or the first pause after it). On the way it leaves
   * checkpoints at the start of the target's firing and the one before, so that stepping back
   * again (the usual next move) re-executes one firing, not up to `every`.
   */
  async executionAt(target: Pause, cancelled?: () => boolean): Promise<Execution> {
    let from: ExecutionSnapshot | undefined;
    for (const k of [...this.kept, ...this.near]) {
      if (k.firingIndex <= target.firing && (from === undefined || k.firingIndex > from.firingIndex)) from = k;
    }
    const e = new Execution(this.setup, from === undefined ? undefined : this.copy(from));
    e.onFiring = (x) => this.maybeTake(x);
    const start = from?.firingIndex ?? 0;
    for (const firing of [target.firing - 1, target.firing]) {
      if (firing <= start || firing <= 0) continue;
      const p = await e.advanceTo({ kind: 'firing', firing, plan: -1, step: 0 }, cancelled);
      if (p?.kind === 'firing' && p.firing === firing) this.takeNear(e);
    }
    if (e.pause === undefined || comparePositions(e.pause, target) < 0) await e.advanceTo(target, cancelled);
    return e;
  }

  /** A short-lived checkpoint where the user is stepping back (the most recent NEAR are kept). */
  private takeNear(exec: Execution): void {
    if ((exec.consumer as unknown as { structured?: unknown }).structured !== undefined || exec.facts === undefined) return;
    if (this.near.some((k) => k.firingIndex === exec.firingIndex)) return;
    this.near.push(this.copy(this.snapshotOf(exec)));
    if (this.near.length > NEAR) this.near.shift();
  }

  private snapshotOf(exec: Execution): ExecutionSnapshot {
    return {
      engine: exec.engine,
      consumer: exec.consumer,
      firingIndex: exec.firingIndex,
      phase: exec.phase,
      facts: exec.facts!,
      plans: exec.plans,
      position: exec.cursor?.position ?? 0,
      output: exec.output.slice(),
      counts: exec.counts,
      recent: exec.recent.slice(),
    };
  }

  /** A copy whose mutable state is its own (the run's links to the outside are shared, to be replaced). */
  private copy(s: ExecutionSnapshot): ExecutionSnapshot {
    const immutable = this.immutableSet();
    const engine = s.engine as unknown as { input: unknown; iterator: unknown; pending: unknown; rt: { machine: unknown } };
    const outside = new Set<unknown>([engine.input, engine.iterator, engine.pending, engine.rt.machine, s.facts, (s.consumer as unknown as { opts: unknown }).opts]);
    const memo = new Map<object, unknown>();
    const copy = (v: unknown): unknown => deepCopy(v, memo, (o) => immutable.has(o) || outside.has(o));
    const consumer = copy(s.consumer) as ExecutionSnapshot['consumer'];
    // The consumer's options may change (setopt): its own copy, with the output functions to replace.
    const opts = (s.consumer as unknown as { opts: Record<string, unknown> }).opts;
    (consumer as unknown as { opts: unknown }).opts = { ...opts, options: copy(opts['options']) };
    return {
      engine: copy(s.engine) as ExecutionSnapshot['engine'],
      consumer,
      firingIndex: s.firingIndex,
      phase: s.phase,
      facts: s.facts,
      plans: copy(s.plans) as ExecutionSnapshot['plans'],
      position: s.position,
      output: s.output,
      counts: copy(s.counts) as ExecutionSnapshot['counts'],
      recent: s.recent,
    };
  }

  /** Everything reachable from the program and the catalogue: shared by every copy. */
  private immutableSet(): WeakSet<object> {
    if (this.immutable === undefined) {
      const set = new WeakSet<object>();
      const stack: unknown[] = [this.setup.program, this.setup.catalogue];
      while (stack.length > 0) {
        const v = stack.pop();
        if (typeof v !== 'object' || v === null || set.has(v)) continue;
        set.add(v);
        if (ArrayBuffer.isView(v)) continue;
        if (v instanceof Map) for (const [k, x] of v) stack.push(k, x);
        else if (v instanceof Set) for (const x of v) stack.push(x);
        else for (const k of Object.keys(v)) stack.push((v as Record<string, unknown>)[k]);
      }
      this.immutable = set;
    }
    return this.immutable;
  }
}

/** Rough bytes of a checkpoint's own state (typed arrays by length, other values by count). */
function estimateBytes(s: ExecutionSnapshot, immutable: WeakSet<object>, _exec: Execution): number {
  const seen = new Set<object>();
  let bytes = 0;
  const stack: unknown[] = [s.engine, s.consumer, s.counts];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v !== 'object' || v === null || seen.has(v) || immutable.has(v)) continue;
    seen.add(v);
    if (ArrayBuffer.isView(v)) {
      bytes += v.byteLength + 64;
      continue;
    }
    if (v instanceof Map) {
      bytes += 64 + v.size * 48;
      for (const [k, x] of v) stack.push(k, x);
    } else if (v instanceof Set) {
      bytes += 64 + v.size * 24;
      for (const x of v) stack.push(x);
    } else {
      const keys = Object.keys(v);
      bytes += 32 + keys.length * 16;
      for (const k of keys) {
        const x = (v as Record<string, unknown>)[k];
        if (typeof x === 'bigint') bytes += 16;
        else if (typeof x === 'string') bytes += 16 + x.length;
        else stack.push(x);
      }
    }
  }
  return bytes;
}
