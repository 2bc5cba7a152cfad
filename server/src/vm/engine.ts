// The VM's entry point: runs a compiled program against a virtual clock, as dtrace(1) and the
// kernel would together. BEGIN fires first at time 0; then probe firings (in timestamp order)
// interleave with tick-N (one CPU) and profile-N (every CPU) and with the consumer's work:
// every switchrate the principal buffers are switched to the sink, every aggrate the
// aggregation buffers are snapshotted, every statusrate the dynamic/speculative/error drop
// counts are reported, and every cleanrate the cleaner frees dynamic variables and finishes
// speculations. exit() stops every probe but the dtrace provider's; END then fires and the
// final state drains. A Ctrl-C (`signal`) also leads to END.
//
// With no firings source and nothing periodic enabled there is nothing to do but wait, which
// is what dtrace(1) does: the engine then waits for `signal` (it never spins), and ends at
// once when no signal was given.

import type { Probe, ProbeCatalogue } from '../analyze/catalogue/types';
import { parseProfileProbeName } from '../analyze/catalogue/profile-provider';
import type { OptionSet } from '../analyze/options/optionSet';
import type { CompiledProgram } from '../codegen/program';
import { DEFAULT_PLATFORM, type DifPlatform } from '../dif/platform';
import { verifyDifo } from '../dif/verifier';
import { VariableState } from '../dif/variable-state';
import { DIF_OP_LDGA, DIF_OP_LDGS } from '../dif/opcodes';
import { DIF_VAR_ARG0, DIF_VAR_ARG9 } from '../dif/variables';
import { ArgumentImages } from './argumentImages';
import type { FiringFacts } from './builtinValues';
import type { UserMemory } from './memory';
import type { BufferPolicy } from './principalBuffer';
import type { ByteSpan, ConsumerSink, DropKind } from './records';
import { allDifos, Runtime, type RuntimeConfig } from './runtime';

/** Providers whose recorded arguments may stand for kernel structures (argumentImages.ts). */
export const KERNEL_ARG_PROVIDERS = new Set(['io', 'sched', 'proc']);

export interface ProbeFiring {
  probeId: number;
  timestamp: bigint;
  cpu: number;
  pid: number;
  tid: number;
  ppid?: number;
  uid?: number;
  gid?: number;
  execname: string;
  errno?: number;
  args: bigint[];
  /** The process's command line, when the source knows it (exec events): psargs, execargs. */
  argv?: readonly string[];
  /** The user memory the firing's pointers refer to (copyin and friends read it). */
  userMemory?: UserMemory;
  /** A process's parent as the source knows it (progenyof beyond ppid). */
  parentOf?: (pid: number) => number | undefined;
}

/**
 * A firings iterator that can hand out the firings it already holds without a promise (a
 * replay's decoded batch, an in-memory list): the engine takes those synchronously and awaits
 * next() only when nextSync() has none at hand. Never used for a live source.
 */
export interface SyncFiringIterator extends AsyncIterator<ProbeFiring> {
  /** The next firing when it is at hand now; undefined: ask next() (the source may have to wait, or be done). */
  nextSync(): ProbeFiring | undefined;
  /**
   * How many of nextSync()'s next `max` firings the source knows to be in time order (each at or
   * after the one before) and at or before `limit`, so that the engine need not compare each
   * one's time with its next timer (the source knows its order: a trace reader checked it, a
   * generator made it so). 0 when it does not know. Absent: never known.
   */
  inOrderThrough?(limit: bigint, max: number): number;
}

/**
 * In-memory firings as a source the engine takes without an await per firing (benches, tests).
 * `inOrder`: the caller vouches that the list is in time order, as a trace reader that checked
 * it does (inOrderThrough); a list out of order must not say so.
 */
export function firingsOf(list: readonly ProbeFiring[], order?: { inOrder: boolean }): AsyncIterable<ProbeFiring> {
  let i = 0;
  const it: SyncFiringIterator & AsyncIterable<ProbeFiring> = {
    nextSync: () => (i < list.length ? list[i++] : undefined),
    inOrderThrough: (limit, max) => {
      if (order?.inOrder !== true) return 0;
      // The first firing after `limit`, by halves among the next `max`: a few comparisons, in
      // firings about to be read anyway.
      let lo = i;
      let hi = Math.min(list.length, i + max);
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (list[mid]!.timestamp <= limit) lo = mid + 1;
        else hi = mid;
      }
      return lo - i;
    },
    next: () => Promise.resolve(i < list.length ? { done: false, value: list[i++]! } : { done: true, value: undefined }),
    return: () => {
      i = list.length;
      return Promise.resolve({ done: true, value: undefined });
    },
    [Symbol.asyncIterator]: () => it,
  };
  return it;
}

/** Who the consumer is: BEGIN, END and ERROR-from-them run in its context. */
export interface ConsumerProcess {
  pid: number;
  tid: number;
  ppid: number;
  uid: number;
  gid: number;
  execname: string;
  /** dtrace(1)'s command line (curpsinfo->pr_psargs, execargs); default: just its name. */
  args?: readonly string[];
  /** Its working directory (macOS's `cwd`); default: this process's. */
  cwd?: string;
}

export interface EngineInput {
  program: CompiledProgram;
  options: OptionSet;
  catalogue: ProbeCatalogue;
  sink: ConsumerSink;
  firings?: AsyncIterable<ProbeFiring>;
  ncpus?: number;
  destructive: boolean;
  startWallTime?: bigint;
  /** Stop request (Ctrl-C): END still runs. */
  signal?: AbortSignal;
  /**
   * The firings happen now, on this machine, stamped with the epoch clock (a live capture):
   * while none arrives, periodic probes and the consumer's passes run by the wall clock, and a
   * stop request ends the wait. The caller closes the source after the run, which ends a read
   * still in flight.
   */
  live?: boolean;
  /**
   * Virtual time when tracing starts (default 0): BEGIN fires then and periodic probes count
   * from it. A replay starts at its trace's start so that `timestamp` reads recorded values.
   */
  clockStart?: bigint;
  /** Probes the firings source fires itself (a recorded profile-N): the engine's timers leave them alone. */
  sourceProbes?: ReadonlySet<number>;
  /** Let virtual time advance no faster than real time (a live-looking run with no trace). */
  realtime?: boolean;
  /** The consumer process (default: this process, named "dtrace"). */
  consumer?: Partial<ConsumerProcess>;
  /** Subroutine numbering (default illumos). */
  platform?: DifPlatform;
  /** The target system (default: the program's, else illumos): load checks, curthread's image. */
  flavour?: string;
  /**
   * The process whose idle threads tick-N/profile-N interrupt when there is no trace (default
   * the target system's, `idleContextOf(flavour)`: illumos' `sched`, pid 0, ...).
   */
  idle?: { pid: number; execname: string | ((cpu: number) => string) };
  /** Run DIF translated to JavaScript (true) or in the interpreter (false); default: DTVM_JIT, else the JIT (vm/jit/mode.ts). */
  jit?: boolean;
}

/** The idle threads' process on each target system (what a profile interrupt of an idle CPU sees). */
export function idleContextOf(flavour: string): { pid: number; execname: string | ((cpu: number) => string) } {
  switch (flavour) {
    case 'freebsd':
      return { pid: 11, execname: 'idle' };
    case 'macos':
      return { pid: 0, execname: 'kernel_task' };
    case 'linux':
      return { pid: 0, execname: (cpu) => `swapper/${cpu}` };
    default:
      return { pid: 0, execname: 'sched' };
  }
}

export interface EngineResult {
  exited: boolean;
  /** virtual ns when the run ended */
  endTime: bigint;
  /** exit()'s status when the program called it. */
  exitStatus?: bigint;
}

/** A program the kernel would refuse to enable. */
export class EngineError extends Error {}

const NANOSEC = 1_000_000_000n;
/** 5000 Hz: the shortest period of any timer the engine runs. */
const MIN_PERIOD = NANOSEC / 5000n;
/** How many events run between two looks at the wall clock for a return to the event loop. */
const EVENTS_PER_YIELD = 2048;
/**
 * Milliseconds of running between two returns to the event loop (so Ctrl-C gets through): often
 * enough to feel immediate, rarely enough that a fast run does not spend its time there.
 */
const YIELD_MS = 10;

interface Timer {
  next: bigint;
  period: bigint;
  kind: 'probe' | 'work' | 'clean';
  probeId?: number;
  everyCpu?: boolean;
}

function optionNs(options: OptionSet, name: 'switchrate' | 'aggrate' | 'statusrate' | 'cleanrate', fallback: bigint): bigint {
  const v = options.nanoseconds(name);
  return v === undefined || v <= 0 ? fallback : BigInt(Math.round(v));
}

function configOf(input: EngineInput): RuntimeConfig {
  const o = input.options;
  const policy = (o.word('bufpolicy') ?? 'switch') as BufferPolicy;
  const onlyCpu = o.integer('cpu');
  return {
    strsize: o.bytes('strsize') ?? 256,
    bufsize: o.bytes('bufsize') ?? 4 << 20,
    bufpolicy: policy === 'fill' || policy === 'ring' ? policy : 'switch',
    aggsize: o.bytes('aggsize') ?? 4 << 20,
    dynvarsize: o.bytes('dynvarsize') ?? 1 << 20,
    nspec: o.integer('nspec') ?? 1,
    specsize: o.bytes('specsize') ?? 32 << 10,
    ncpus: Math.max(1, input.ncpus ?? 1),
    destructive: input.destructive,
    platform: input.platform ?? (input.program as { platform?: DifPlatform }).platform ?? DEFAULT_PLATFORM,
    flavour: input.flavour ?? input.program.flavour ?? input.program.kernel?.flavour ?? 'illumos',
    ...(onlyCpu !== undefined && onlyCpu >= 0 ? { onlyCpu } : {}),
    ...(input.jit !== undefined ? { jit: input.jit } : {}),
  };
}

/** Destructive action classes: PROC_DESTRUCTIVE (stop, raise, system, freopen) and KERNEL_DESTRUCTIVE (breakpoint, panic, chill). */
function isDestructiveKind(kind: number): boolean {
  const cls = kind & 0xff00;
  return cls === 0x0200 || cls === 0x0500;
}

/** The kernel verifies every DIF object before enabling anything (dtrace_difo_validate). */
function verifyProgram(program: CompiledProgram, config: RuntimeConfig): void {
  if (!config.destructive && program.enablings.some((e) => e.actions.some((a) => isDestructiveKind(a.kind)))) {
    throw new EngineError('Destructive actions not allowed');
  }
  const state = new VariableState();
  for (const d of allDifos(program)) {
    const r = verifyDifo(d, { platform: config.platform, strsize: config.strsize, state });
    if (!r.ok) throw new EngineError(`DIF program content is invalid: ${r.error?.message ?? 'rejected'}`);
    if (d.destructive && !config.destructive) throw new EngineError('Destructive actions not allowed');
  }
}

export async function runProgram(input: EngineInput): Promise<EngineResult> {
  return createEngine(input).run();
}

/** An engine ready to run (the kernel's checks passed): run() it, or drive it step by step (the debugger). */
export function createEngine(input: EngineInput): Engine {
  const config = configOf(input);
  verifyProgram(input.program, config);
  return new Engine(input, config);
}

/** What Engine.take() asks of its caller instead of a firing. */
export const PULL: unique symbol = Symbol('pull');
export const SLEEP: unique symbol = Symbol('sleep');
export const DONE: unique symbol = Symbol('done');

export class Engine {
  private readonly rt: Runtime;
  /** Native structures behind recorded io requests (argumentImages.ts). */
  private readonly argImages: ArgumentImages;
  private sink: ConsumerSink;
  private readonly consumer: ConsumerProcess;
  private readonly startWall: bigint;
  private readonly switchrate: bigint;
  private readonly aggrate: bigint;
  private readonly statusrate: bigint;
  /** dtrace_work()'s period: the shortest of switchrate, aggrate and statusrate. */
  private readonly workPeriod: bigint;
  private readonly cleanrate: bigint;
  private lastSwitch = 0n;
  private lastAgg = 0n;
  private lastStatus = 0n;
  private now = 0n;
  private events = 0;
  private readonly reported = { DYNAMIC: 0, DYNDIRTY: 0, SPEC: 0, SPECBUSY: 0, SPECUNAVAIL: 0, DBLERROR: 0 };
  private readonly realStart = Date.now();
  private readonly ncpus: number;
  private timerList: Timer[] = [];
  /** The timer due first (the first in the list on a tie): kept as timers move, so an event compares one time, not every timer's. */
  private nextTimer: Timer | undefined;
  private probeTimers = false;
  private iterator: AsyncIterator<ProbeFiring> | undefined;
  /** A live source's read that a timer or a stop overtook: the next pull takes its result. */
  private inflight: Promise<IteratorResult<ProbeFiring>> | undefined;
  private sourceDone = true;
  private pending: ProbeFiring | undefined;
  /** The profile tick being delivered CPU by CPU. */
  private cursor: { timer: Timer; cpu: number; end: number } | undefined;
  /** A firing or timer has been taken since tracing started (a full buffer stops tracing after it). */
  private eventTaken = false;
  private wakeAt = 0n;
  private slept = -1n;
  /** take() asked for a pull: the next take() continues the same event. */
  private pulled = false;
  private exited = false;
  private readonly illumos: boolean;
  /** Thread keys of illumos threads whose pid and tid do not pack into one exact number. */
  private readonly otherThreadKeys = new Map<string, number>();
  /**
   * Whether firings need their kernel argument images (argumentImages.ts): some DIF object reads
   * args[] or arg0..arg9. The step API (the debugger, whose expressions may read them) always
   * builds them; run() leaves them out for a program that never reads an argument.
   */
  private argImagesNeeded = true;
  /** run()'s source when it hands out firings without a promise (take() pulls from it itself); never a live one. */
  private syncSource: SyncFiringIterator | undefined;
  /**
   * run() fires each firing and keeps nothing of it, so take() builds no facts for a probe no
   * enabling uses (half of a syscall trace's firings for an entry-only script): firing them does
   * nothing; nor for one the runtime aggregates by the firing's text alone (aggregateByText).
   * The step API (the debugger) gets every firing.
   */
  private factsOnlyWhenEnabled = false;

  constructor(
    private input: EngineInput,
    config: RuntimeConfig,
  ) {
    this.rt = new Runtime(input.program, input.catalogue, config);
    this.argImages = new ArgumentImages(this.rt.space, input.program.kernel);
    this.ncpus = config.ncpus;
    this.illumos = config.flavour === 'illumos';
    this.sink = input.sink;
    this.startWall = input.startWallTime ?? BigInt(Date.now()) * 1_000_000n;
    this.consumer = {
      pid: input.consumer?.pid ?? process.pid,
      // illumos numbers a process's LWPs from 1: dtrace(1)'s main thread is LWP 1. Elsewhere
      // the main thread's id is (Linux) or stands for (FreeBSD, macOS: global ids) the pid.
      tid: input.consumer?.tid ?? (config.flavour === 'illumos' ? 1 : (input.consumer?.pid ?? process.pid)),
      ppid: input.consumer?.ppid ?? process.ppid,
      uid: input.consumer?.uid ?? (typeof process.getuid === 'function' ? process.getuid() : 0),
      gid: input.consumer?.gid ?? (typeof process.getgid === 'function' ? process.getgid() : 0),
      execname: input.consumer?.execname ?? 'dtrace',
      args: input.consumer?.args ?? [input.consumer?.execname ?? 'dtrace'],
      cwd: input.consumer?.cwd ?? process.cwd(),
    };
    // The consumer cannot usefully wake more often than the kernel's fastest cyclic (5000 Hz);
    // the bound also keeps a tiny rate from stalling virtual time. cleanrate is clamped by the
    // kernel to [5000 Hz, once a minute], statusrate to at most 10 s.
    const atLeast = (v: bigint): bigint => (v < MIN_PERIOD ? MIN_PERIOD : v);
    this.switchrate = atLeast(optionNs(input.options, 'switchrate', NANOSEC));
    this.aggrate = atLeast(optionNs(input.options, 'aggrate', NANOSEC));
    const status = atLeast(optionNs(input.options, 'statusrate', NANOSEC));
    this.statusrate = status > 10n * NANOSEC ? 10n * NANOSEC : status;
    this.workPeriod = [this.switchrate, this.aggrate, this.statusrate].reduce((a, b) => (a < b ? a : b));
    const clean = atLeast(optionNs(input.options, 'cleanrate', 9_900_990n));
    this.cleanrate = clean > 60n * NANOSEC ? 60n * NANOSEC : clean;
    this.now = this.lastSwitch = this.lastAgg = this.lastStatus = input.clockStart ?? 0n;
  }

  /** Probes by id as firings name them (a catalogue's ids never change, nor its probes). */
  private readonly probesById: (Probe | undefined)[] = [];

  private probeOf(id: number): Probe | undefined {
    return this.probesById[id] ?? (this.probesById[id] = this.input.catalogue.probe(id));
  }

  private facts(
    probeId: number,
    cpu: number,
    timestamp: bigint,
    who: Omit<ProbeFiring, 'probeId' | 'timestamp' | 'cpu' | 'args'> & { argv?: readonly string[]; cwd?: string; kernelThread?: boolean },
    args: readonly bigint[],
  ): FiringFacts | undefined {
    const probe = this.probeOf(probeId);
    if (probe === undefined) return undefined;
    const f: FiringFacts = {
      probe,
      cpu,
      timestamp,
      wallStart: this.startWall,
      pid: who.pid,
      tid: who.tid,
      ppid: who.ppid ?? 0,
      uid: who.uid ?? 0,
      gid: who.gid ?? 0,
      execname: who.execname,
      errno: who.errno ?? 0,
      // Kernel structure images only for a program that reads its arguments (building them is
      // most of an io firing's cost otherwise).
      args: who.userMemory !== undefined && this.argImagesNeeded && KERNEL_ARG_PROVIDERS.has(probe.provider) ? this.argImages.argsFor(probe, args, who.userMemory) : args,
    };
    // The optional facts are assigned, not spread: this runs once per firing.
    if (who.argv !== undefined) f.argv = who.argv;
    if (who.cwd !== undefined) f.cwd = who.cwd;
    if (who.kernelThread === true) f.kernelThread = true;
    // illumos numbers LWPs per process (every main thread is tid 1): thread-local variables
    // belong to the thread, so their key must tell processes apart, as the kernel's does.
    if (this.illumos && who.kernelThread !== true) f.threadKey = this.threadKeyOf(who.pid, who.tid);
    if (who.userMemory !== undefined) f.userMemory = who.userMemory;
    if (who.parentOf !== undefined) f.parentOf = who.parentOf;
    return f;
  }

  /**
   * An illumos thread's key for thread-local variables: exact and collision-free. A pid below
   * 2^21 and a tid below 2^32 pack into pid * 2^32 + tid (< 2^53, every such pair its own
   * number); any other pair gets a number of its own, below the idle CPUs' keys (-1 - cpu).
   */
  private threadKeyOf(pid: number, tid: number): number {
    // The same test as 0 <= pid < 2^21 and 0 <= tid < 2^32, both integers (asked for every firing).
    if ((pid & 0x1fffff) === pid && tid >>> 0 === tid) return pid * 0x100000000 + tid;
    return this.otherThreadKeyOf(pid, tid);
  }

  /** threadKeyOf for a pair that does not pack (apart, so that the usual case is inlined where it is asked). */
  private otherThreadKeyOf(pid: number, tid: number): number {
    const name = `${pid}:${tid}`;
    let key = this.otherThreadKeys.get(name);
    if (key === undefined) this.otherThreadKeys.set(name, (key = -0x10000 - this.otherThreadKeys.size));
    return key;
  }

  private consumerFiring(probeId: number | undefined): FiringFacts | undefined {
    if (probeId === undefined) return undefined;
    // With the cpu option, the kernel fires BEGIN and END on that CPU.
    const cpu = this.rt.config.onlyCpu ?? 0;
    this.rt.addCpus(cpu + 1);
    const { args: argv, ...who } = this.consumer;
    return this.facts(probeId, cpu, this.now, { ...who, ...(argv !== undefined ? { argv } : {}) }, []);
  }

  private timers(): Timer[] {
    const timers: Timer[] = [];
    const start = this.now;
    for (const id of this.rt.enabledProbes()) {
      const probe = this.input.catalogue.probe(id);
      if (probe?.provider !== 'profile' || this.input.sourceProbes?.has(id)) continue;
      const parsed = parseProfileProbeName(probe.name);
      if (parsed === undefined) continue;
      timers.push({ next: start + parsed.intervalNs, period: parsed.intervalNs, kind: 'probe', probeId: id, everyCpu: parsed.kind === 'profile' });
    }
    timers.push({ next: start + this.workPeriod, period: this.workPeriod, kind: 'work' });
    timers.push({ next: start + this.cleanrate, period: this.cleanrate, kind: 'clean' });
    return timers;
  }

  async run(): Promise<EngineResult> {
    const rt = this.rt;
    this.argImagesNeeded = readsArguments(this.input.program);
    const begin = this.beginFiring();
    if (begin !== undefined) rt.fire(begin);
    this.started();
    // A source holding firings at hand (a replay's decoded batch) gives them without a promise
    // each; a live source is waited for firing by firing (timers run by the wall clock meanwhile).
    const it = this.input.live === true ? undefined : (this.iterator as Partial<SyncFiringIterator> | undefined);
    if (typeof it?.nextSync === 'function') this.syncSource = it as SyncFiringIterator;
    this.factsOnlyWhenEnabled = true;
    let yielded = performance.now();
    for (;;) {
      const atHand = this.fireAtHand(EVENTS_PER_YIELD - (this.events % EVENTS_PER_YIELD));
      if (atHand > 0) this.events += atHand;
      else {
        const ev = this.take();
        if (ev === DONE) break;
        if (ev === PULL) {
          await this.pull();
          continue;
        }
        if (ev === SLEEP) {
          await this.sleepUntil(this.wakeAt);
          this.slept = this.wakeAt;
          continue;
        }
        if (ev !== null) rt.fire(ev);
        this.events++;
      }
      if (this.events % EVENTS_PER_YIELD === 0 && performance.now() - yielded >= YIELD_MS) {
        await new Promise<void>((r) => setImmediate(r));
        yielded = performance.now();
      }
    }
    await this.idleWait();
    const end = await this.endFiring();
    if (end !== undefined) rt.fire(end);
    return this.finished();
  }

  // The run in steps, as run() takes them; the debugger takes the same steps and runs each
  // firing's enablings one action at a time (Runtime.plansFor and friends).

  /** BEGIN's firing (in the consumer's context), or undefined when BEGIN is not enabled. */
  beginFiring(): FiringFacts | undefined {
    return this.consumerFiring(this.rt.beginId);
  }

  /** After BEGIN: tracing becomes active and the consumer makes its first pass (dtrace(1) consumes right after dtrace_go()). */
  started(): void {
    if (this.rt.activity === 'warmup') this.rt.activity = 'active';
    this.work(true);
    this.timerList = this.timers();
    this.nextTimer = firstDue(this.timerList);
    this.probeTimers = this.timerList.some((t) => t.kind === 'probe');
    this.iterator = this.input.firings?.[Symbol.asyncIterator]();
    this.sourceDone = this.iterator === undefined;
  }

  /** Reads the source's next firing into `pending` (take() asked for it with PULL). */
  async pull(): Promise<void> {
    if (this.sourceDone || this.pending !== undefined || this.iterator === undefined) return;
    const next = this.inflight ?? this.iterator.next();
    let r: IteratorResult<ProbeFiring>;
    if (this.input.live === true) {
      this.inflight = next;
      const got = await this.liveWait(next);
      // A timer fell due by the wall clock, or tracing was stopped: take() goes on without it.
      if (got === undefined) return;
      this.inflight = undefined;
      r = got;
    } else r = await next;
    if (r.done) this.sourceDone = true;
    else this.pending = r.value;
  }

  /** A live source's next firing, or undefined once the next timer is due or a stop is asked. */
  private liveWait(next: Promise<IteratorResult<ProbeFiring>>): Promise<IteratorResult<ProbeFiring> | undefined> {
    const signal = this.input.signal;
    if (signal?.aborted) return Promise.resolve(undefined);
    let due: bigint | undefined;
    for (const t of this.timerList) if (due === undefined || t.next < due) due = t.next;
    const epochNs = BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));
    if (due !== undefined && due <= epochNs) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const timer = due === undefined ? undefined : setTimeout(() => finish(undefined), Number((due - epochNs) / 1_000_000n) + 1);
      const onAbort = (): void => finish(undefined);
      const finish = (r: IteratorResult<ProbeFiring> | undefined): void => {
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve(r);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      next.then(finish, () => {
        // The source failed: the pull fails with its error.
        this.inflight = undefined;
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve(next);
      });
    });
  }

  /**
   * Advances the virtual clock to the next event and returns the firing it makes (null: the
   * event fired nothing, e.g. the consumer's work), or what the caller must do first: PULL
   * (await pull()), SLEEP (realtime: await sleepUntil(wakeAt)), DONE (tracing stopped).
   */
  take(): FiringFacts | null | typeof PULL | typeof SLEEP | typeof DONE {
    const rt = this.rt;
    const cursor = this.cursor;
    if (cursor !== undefined) {
      // A profile-N tick interrupts every CPU in turn (while tracing is still active).
      while (cursor.cpu < cursor.end && rt.activity === 'active') {
        const cpu = cursor.cpu++;
        // Profile interrupts land in whatever runs on the CPU; with no trace, the idle thread.
        // arg0/arg1: the interrupted kernel and user PCs (unknown here); profile's arg2: lateness.
        const args = cursor.timer.everyCpu ? [0n, 0n, 0n] : [0n, 0n];
        const idle = this.input.idle ?? idleContextOf(rt.config.flavour);
        const execname = typeof idle.execname === 'string' ? idle.execname : idle.execname(cpu);
        const f = this.facts(cursor.timer.probeId!, cpu, this.now, { pid: idle.pid, tid: 0, execname, kernelThread: true }, args);
        // Each CPU's idle thread, at interrupt level: negative keys never meet a real tid.
        if (f !== undefined) return { ...f, threadKey: -1 - cpu };
      }
      this.cursor = undefined;
    }
    if (this.pulled) {
      // Back from the pull this check asked for: the checks below were made for this event
      // (a live source's wait also ends when tracing is stopped).
      this.pulled = false;
      if (this.inflight !== undefined && this.input.signal?.aborted) return DONE;
    } else {
      if (this.eventTaken && rt.filled) return DONE;
      if (rt.activity !== 'active' || this.input.signal?.aborted) return DONE;
      if (!this.sourceDone && this.pending === undefined) {
        // run()'s source with firings at hand: the pull needs no await (and the checks above
        // were made for this event, as after a PULL).
        const f = this.syncSource?.nextSync();
        if (f !== undefined) this.pending = f;
        else {
          this.pulled = true;
          return PULL;
        }
      }
    }
    if (this.sourceDone && this.pending === undefined) {
      // A replay ends with its trace; with no trace, only periodic probes can make progress.
      if (this.iterator !== undefined || !this.probeTimers) return DONE;
    }
    const timer = this.nextTimer;
    const pending = this.pending;
    const useFiring = pending !== undefined && (timer === undefined || pending.timestamp <= timer.next);
    const at = useFiring ? pending.timestamp : timer!.next;
    if (at > this.now) {
      if (this.input.realtime && this.slept < at) {
        this.wakeAt = at;
        return SLEEP;
      }
      this.now = at;
    }
    this.eventTaken = true;
    if (useFiring) {
      this.pending = undefined;
      // A live firing that a wall-clock timer overtook keeps the time it happened at.
      return this.factsOf(pending, this.input.live === true && pending.timestamp < this.now ? pending.timestamp : this.now);
    }
    const t = timer!;
    t.next += t.period;
    this.nextTimer = firstDue(this.timerList);
    if (t.kind !== 'probe') {
      this.tick(t);
      return null;
    }
    // tick-N interrupts one CPU: the traced one when the cpu option names it.
    const only = rt.config.onlyCpu;
    const first = t.everyCpu || only === undefined ? 0 : only;
    const end = t.everyCpu ? this.ncpus : first + 1;
    if (!t.everyCpu) rt.addCpus(end);
    this.cursor = { timer: t, cpu: first, end };
    return this.take();
  }

  /** What a source's firing fires with, happening at `when` (null: nothing to fire, or fired without facts by the runtime). */
  private factsOf(pending: ProbeFiring, when: bigint): FiringFacts | null {
    const rt = this.rt;
    if (this.factsOnlyWhenEnabled && (pending.userMemory === undefined || !this.argImagesNeeded)) {
      const byText = rt.aggregatesByText(pending.probeId);
      if (byText || !rt.enables(pending.probeId)) {
        // What facts() and ensureCpu() leave behind for a firing fired without them (argument
        // images, which take addresses, are never built here): a thread key, the CPU's buffers.
        const probe = this.probeOf(pending.probeId);
        if (probe === undefined) return null;
        if (this.illumos) this.threadKeyOf(pending.pid, pending.tid);
        if (!this.ensureCpu(pending.cpu) || !byText || rt.aggregateByText(probe, pending.cpu, pending.execname)) return null;
      }
    }
    const f = this.facts(pending.probeId, pending.cpu, when, pending, pending.args);
    return f !== undefined && this.ensureCpu(pending.cpu) ? f : null;
  }

  /**
   * run()'s firings at hand before the next timer, as take() and run() would take and fire them
   * one by one, without their per-event checks of what cannot change between two firings: at
   * most `budget` events (run() returns to the event loop after it). How many it took; take()
   * goes on from where it stopped (a firing after the timer is left pending).
   */
  private fireAtHand(budget: number): number {
    const rt = this.rt;
    const src = this.syncSource;
    if (src === undefined || this.cursor !== undefined || this.pulled || this.sourceDone || this.input.realtime === true) return 0;
    if (rt.activity !== 'active' || this.input.signal?.aborted || (this.eventTaken && rt.filled)) return 0;
    // Every timer is due after now (take() runs one as soon as a firing is later): firings up
    // to it, the one due at its time included, come first.
    const due = this.nextTimer?.next;
    const fill = rt.config.bufpolicy === 'fill';
    // Firings the source knows to be in order up to the timer (asked when first needed): their
    // times are not compared with it, and once one is at or after the clock, each one after it
    // is the clock.
    let inOrder = -1;
    let caughtUp = false;
    let n = 0;
    while (n < budget) {
      let p = this.pending;
      let known = false;
      if (p === undefined) {
        if (inOrder < 0) inOrder = due !== undefined && src.inOrderThrough !== undefined ? src.inOrderThrough(due, budget - n) : 0;
        p = src.nextSync();
        if (p === undefined) break;
        if (inOrder > 0) {
          inOrder--;
          known = true;
        }
      } else this.pending = undefined;
      const at = p.timestamp;
      if (known) {
        if (caughtUp) this.now = at;
        else if (at >= this.now) {
          this.now = at;
          caughtUp = true;
        }
      } else {
        if (due !== undefined && at > due) {
          this.pending = p;
          break;
        }
        if (at > this.now) this.now = at;
      }
      this.eventTaken = true;
      const f = this.factsOf(p, this.now);
      if (f !== null) rt.fire(f);
      n++;
      if (rt.activity !== 'active' || (fill && rt.filled)) break;
    }
    return n;
  }

  /** Nothing can ever fire (no source, nothing periodic) and a stop signal exists: wait for it like dtrace(1). */
  private async idleWait(): Promise<void> {
    const rt = this.rt;
    const signal = this.input.signal;
    const exited = rt.activity === 'draining';
    if (exited || rt.filled || signal === undefined || signal.aborted || !this.sourceDone || this.iterator !== undefined || this.probeTimers) return;
    await new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      else signal.addEventListener('abort', () => resolve(), { once: true });
    });
  }

  /** dtrace_stop(): the source closes, the state moves to cool-down; END's firing (undefined when not enabled). */
  async endFiring(): Promise<FiringFacts | undefined> {
    this.exited = this.rt.activity === 'draining';
    if (this.inflight !== undefined) {
      // A live read is still waiting: return() would wait behind it. Closing the source (the
      // caller's part) ends it; its result no longer matters.
      this.inflight.catch(() => undefined);
      this.inflight = undefined;
    } else await this.iterator?.return?.();
    this.rt.activity = 'cooldown';
    return this.consumerFiring(this.rt.endId);
  }

  /** The last consumer pass after END. */
  finished(): EngineResult {
    this.finish();
    const rt = this.rt;
    return { exited: this.exited, endTime: this.now, ...(rt.exitStatus !== undefined ? { exitStatus: rt.exitStatus } : {}) };
  }

  /**
   * A consumer pass now (status, aggregation snapshot, buffer switch): the debugger makes one
   * after every firing so that output and drops show up at the firing that caused them.
   */
  consumerPass(): { kind: DropKind; cpu: number; count: number }[] {
    // What the consumer would see if it looked now, without switching any buffer: records and
    // aggregations keep their space until the next real switch (switchrate, aggrate), and drops
    // are reported when dtvm reports them, so the debugger's run fills, drops and prints
    // exactly as dtvm's does. The drops that happened since the last look are returned (the
    // debugger stops on them).
    const deltas = [];
    for (const agg of this.rt.aggregations) for (const d of agg.takeChanged()) deltas.push(d);
    if (deltas.length > 0) this.sink.aggregations(deltas);
    if (this.rt.config.bufpolicy === 'switch') this.rt.principal.forEach((buf, cpu) => this.deliver(cpu, buf.takeNew()));
    return this.newDrops();
  }

  /** Drops not yet reported, as last seen by newDrops(): key `kind:cpu`. */
  private seenDrops = new Map<string, number>();

  /** Drops that happened since the last call (counted, not yet reported to the consumer). */
  private newDrops(): { kind: DropKind; cpu: number; count: number }[] {
    const rt = this.rt;
    const pending: { kind: DropKind; cpu: number; count: number }[] = [];
    rt.principal.forEach((buf, cpu) => pending.push({ kind: 'PRINCIPAL', cpu, count: buf.drops }));
    for (const agg of rt.aggregations) pending.push({ kind: 'AGGREGATION', cpu: agg.cpu, count: agg.drops });
    const status = this.statusCounts();
    for (const kind of Object.keys(status) as (keyof typeof status)[]) pending.push({ kind, cpu: -1, count: status[kind] - this.reported[kind] });
    const fresh: { kind: DropKind; cpu: number; count: number }[] = [];
    for (const p of pending) {
      const key = `${p.kind}:${p.cpu}`;
      const before = this.seenDrops.get(key) ?? 0;
      const added = p.count - before;
      if (added > 0) fresh.push({ ...p, count: added });
      this.seenDrops.set(key, p.count);
    }
    return fresh;
  }

  /**
   * Makes a copy of this engine (a debugger checkpoint, copied between two firings) a run of its
   * own: its own consumer, the source from the same position, its own stop signal.
   */
  reattach(sink: ConsumerSink, firings: AsyncIterable<ProbeFiring> | undefined, signal: AbortSignal): void {
    this.input = { ...this.input, sink, ...(firings !== undefined ? { firings } : {}), signal };
    this.sink = sink;
    if (this.iterator !== undefined) this.iterator = firings?.[Symbol.asyncIterator]();
    this.rt.renewMachine();
  }

  /**
   * When the consumer's aggregation snapshot that takes what a firing at `t` aggregates
   * happens: the first pass at or after `t` (a firing goes before a pass due at its time) that
   * snapshots (aggrate since the last). A parallel replay's workers name by it the snapshot
   * windows they share (cli/parallel/).
   */
  snapshotTimeOf(t: bigint): bigint {
    // Passes come every workPeriod from the clock's start; a snapshot takes the first pass
    // aggrate or more after the last, so snapshots are `step` apart (a closed form: this is
    // asked at every snapshot of a long replay).
    const period = this.workPeriod;
    const step = ((this.aggrate + period - 1n) / period) * period;
    const start = this.input.clockStart ?? 0n;
    const windows = t <= start ? 1n : (t - start + step - 1n) / step;
    return start + (windows < 1n ? 1n : windows) * step;
  }

  /** Virtual time now. */
  get clock(): bigint {
    return this.now;
  }

  /** The runtime (kernel state) the engine drives. */
  get runtime(): Runtime {
    return this.rt;
  }

  private ensureCpu(cpu: number): boolean {
    // Asked for every firing: most CPUs have their buffers already.
    return (cpu >>> 0 === cpu && cpu < this.rt.principal.length) || this.rt.addCpus(cpu + 1);
  }

  private async sleepUntil(at: bigint): Promise<void> {
    const due = this.realStart + Number((at - (this.input.clockStart ?? 0n)) / 1_000_000n);
    const wait = due - Date.now();
    if (wait <= 0) return;
    const signal = this.input.signal;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, wait);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  private tick(t: Timer): void {
    switch (t.kind) {
      case 'probe':
        return; // take() fires them one CPU at a time
      case 'work':
        this.work(false);
        return;
      case 'clean':
        this.rt.dynamic.clean();
        this.rt.specs.clean((cpu, part) => this.rt.deliverSpeculative(cpu, part));
        return;
    }
  }

  /** One pass of dtrace_work(): status, aggregation snapshot, buffer switch. */
  private work(force: boolean): void {
    if (force || this.now - this.lastStatus >= this.statusrate) {
      this.lastStatus = this.now;
      this.reportStatus();
    }
    if (force || this.now - this.lastAgg >= this.aggrate) {
      this.lastAgg = this.now;
      this.snapshotAggregations();
    }
    if (force || this.now - this.lastSwitch >= this.switchrate) {
      this.lastSwitch = this.now;
      // Ring and fill buffers are never switched: the consumer reads them once, at the end.
      if (this.rt.config.bufpolicy === 'switch') this.switchBuffers();
    }
  }

  /** The status drop counters (dynamic variables, speculations, double errors) so far. */
  private statusCounts(): Record<keyof Engine['reported'], number> {
    const rt = this.rt;
    return {
      DYNAMIC: rt.vars.drops.DYNAMIC,
      DYNDIRTY: rt.vars.drops.DYNDIRTY,
      SPEC: rt.specs.drops.SPEC,
      SPECBUSY: rt.specs.drops.SPECBUSY,
      SPECUNAVAIL: rt.specs.drops.SPECUNAVAIL,
      DBLERROR: rt.dblErrors,
    };
  }

  private reportStatus(): void {
    const counts = this.statusCounts();
    for (const kind of Object.keys(counts) as (keyof typeof counts)[]) {
      const delta = counts[kind] - this.reported[kind];
      if (delta > 0) this.sink.drops(kind, -1, delta);
      this.reported[kind] = counts[kind];
      this.seenDrops.delete(`${kind}:-1`);
    }
  }

  private snapshotAggregations(): void {
    const deltas = [];
    for (const agg of this.rt.aggregations) {
      if (agg.drops > 0) {
        this.sink.drops('AGGREGATION', agg.cpu, agg.drops);
        agg.drops = 0;
      }
      this.seenDrops.delete(`AGGREGATION:${agg.cpu}`);
      // A loop, not push(...): a buffer may hold more keys than a call takes arguments.
      for (const d of agg.take()) deltas.push(d);
    }
    if (deltas.length > 0) this.sink.aggregations(deltas);
  }

  private switchBuffers(): void {
    this.rt.principal.forEach((buf, cpu) => {
      if (buf.drops > 0) {
        this.sink.drops('PRINCIPAL', cpu, buf.drops);
        buf.drops = 0;
      }
      this.seenDrops.delete(`PRINCIPAL:${cpu}`);
      this.deliver(cpu, buf.take());
    });
  }

  /** Hands a CPU's buffer bytes to the sink, if it recorded anything. */
  private deliver(cpu: number, span: ByteSpan): void {
    if (span.end > span.start) this.sink.buffer(cpu, { ...span, cpu, epids: this.rt.epids, wallStart: this.startWall });
  }

  private finish(): void {
    this.reportStatus();
    this.snapshotAggregations();
    this.switchBuffers();
  }
}

/** The timer due first; the earliest in the list among those due at the same time. */
function firstDue(timers: readonly Timer[]): Timer | undefined {
  let timer: Timer | undefined;
  for (const t of timers) if (timer === undefined || t.next < timer.next) timer = t;
  return timer;
}

/** Whether any DIF object of the program reads a probe argument (args[], arg0..arg9). */
export function readsArguments(program: CompiledProgram): boolean {
  let reads = argumentReaders.get(program);
  if (reads === undefined) argumentReaders.set(program, (reads = scanForArguments(program)));
  return reads;
}

/** readsArguments' answers: a replay asks before the engine runs, and the engine asks again. */
const argumentReaders = new WeakMap<CompiledProgram, boolean>();

function scanForArguments(program: CompiledProgram): boolean {
  for (const d of allDifos(program)) {
    const text = d.instructions;
    for (let i = 0; i < text.length; i++) {
      const w = text[i]!;
      const op = w >>> 24;
      // ldga reads a built-in array: args[] is the one with arguments; any other is taken as one too.
      if (op === DIF_OP_LDGA) return true;
      if (op === DIF_OP_LDGS) {
        const id = (w >>> 8) & 0xffff;
        if (id >= DIF_VAR_ARG0 && id <= DIF_VAR_ARG9) return true;
      }
    }
  }
  return false;
}
