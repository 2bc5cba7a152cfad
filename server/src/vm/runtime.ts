// The consumer state inside the "kernel" (dtrace_state_t) and what happens when a probe fires
// (dtrace_probe): every enabling of the probe, in EPID order, reserves its record in the
// CPU's principal buffer, evaluates its predicate, then runs its actions; a fault abandons
// the enabling (its record is not kept) and fires dtrace:::ERROR. Activity follows the
// kernel: BEGIN runs in warm-up, exit() moves to draining (only dtrace-provider probes fire
// after that, and no further BEGIN enablings), END runs in cool-down.

import type { Probe, ProbeCatalogue } from '../analyze/catalogue/types';
import { ACT, type ActionDesc, type CompiledProgram, type Enabling } from '../codegen/program';
import { aggregationTuple, isAggregating, recordAlignment } from '../codegen/recordLayout';
import type { Difo, DifType } from '../dif/difo';
import { DTRACEFLT_ILLOP } from '../dif/faults';
import type { DifPlatform } from '../dif/platform';
import { subroutineName } from '../dif/subroutines';
import { DIF_OP_LDGS, DIF_OP_RET } from '../dif/opcodes';
import { DIF_TYPE_STRING, DIFV_KIND_ARRAY, DIF_TF_BYREF } from '../dif/variables';
import { AggregationBuffer, type Entry as AggregationEntry } from './aggregationBuffer';
import { builtinArrayValue, BuiltinStrings, builtinValue, FIRING_TEXT_VARIABLES, firingText, probeText, type BuiltinSystem, type FiringFacts } from './builtinValues';
import { dynamicChunkSize, DynamicSpace } from './dynamicSpace';
import { emulate, EmulationFault, returnsByRef, type DifMachine, type InstructionWatch, type TupleSlot } from './interpreter';
import { AddressSpace, DifFault, Scratch, type UserMemory } from './memory';
import type { BufferBytes } from './bufferBytes';
import { recordFrom } from './bufferWalk';
import { EPID_FAULT, EpidTable, FAULT_ARGS_OFFSET, FAULT_RECORD_SIZE, recordShape, type RecordShape } from './epidTable';
import { PrincipalBuffer, type BufferPolicy } from './principalBuffer';
import type { FaultReport, RecordValue } from './records';
import { loadAlignmentOf, zoneNameOf } from './platformFacts';
import { Speculations, type SpecCpuBuffer } from './speculations';
import { callSubroutine, type SubroutineContext } from './subroutines';
import { compileDifo, jitEnabled, type CompiledDif } from './jit';
import { ThreadImages } from './threadImages';
import { VariableStore } from './variables';

export interface RuntimeConfig {
  strsize: number;
  bufsize: number;
  bufpolicy: BufferPolicy;
  aggsize: number;
  dynvarsize: number;
  nspec: number;
  specsize: number;
  ncpus: number;
  destructive: boolean;
  platform: DifPlatform;
  /** The target system (flavour): what the kernel's loads check and what curthread shows. */
  flavour: string;
  /** The `cpu` option: only this CPU has buffers, so probes elsewhere do nothing. */
  onlyCpu?: number;
  /** DIF through the JIT (true) or the interpreter (false); default jitEnabled() (DTVM_JIT). */
  jit?: boolean;
}

// Read once: putRecord tests them for every record (a module namespace's getter each time otherwise).
const TF_BYREF = DIF_TF_BYREF;
const TYPE_STRING = DIF_TYPE_STRING;

/** NCPU of the largest kernels DTrace runs on. */
const MAX_CPUS = 4096;

export type Activity = 'warmup' | 'active' | 'draining' | 'cooldown';

const maskOf = (size: number): bigint => (size >= 8 ? (1n << 64n) - 1n : (1n << BigInt(size * 8)) - 1n);

export interface EnablingPlan {
  enabling: Enabling;
  align: number;
  /** Where each action's record goes in the enabling's buffer record. */
  shape: RecordShape;
  /** The buffer EPID of the enabling on each probe it has recorded for. */
  epids: Map<number, number>;
  /** Action indexes that are aggregation keys or increments (they only feed the aggregation). */
  inTuple: boolean[];
  /** The predicate's JIT translation (undefined: the interpreter runs it). */
  predicateJit?: CompiledDif | undefined;
  /** Each action's JIT translation (empty when the JIT is off). */
  actionJit: (CompiledDif | undefined)[];
  /** Per action: 1 when it is an aggregating action. */
  aggregating: Uint8Array;
  /** Per action, as an aggregation key: 0 an integer, 1 a string, 2 other bytes by reference. */
  keyKind: Uint8Array;
  /** Per action without DIF: the value it stands for (its argument, else its aggregation's id). */
  constants: bigint[];
  /**
   * Per aggregating action whose tuple is decided by one value (no key, one integer key, or
   * one string key): its slot in the aggregation buffers' caches by value; -1 otherwise.
   */
  keySlot: Int32Array;
  /**
   * No predicate, no record, only aggregations and their keys (plain expressions): fire() runs
   * it without a run object (Runtime.aggregateOnly), with the same effects in the same order.
   */
  aggregatesOnly: boolean;
  /**
   * Per action: the built-in string variable (execname, probefunc, ...) whose address is all its
   * DIF computes, when it is the one key of the next action's aggregation; 0 otherwise. Such a
   * tuple is found by the firing's text itself (aggregateOnly).
   */
  textKey: Uint16Array;
  /**
   * aggregatesOnly, and its actions are pairs of a firing-text key (textKey) and an aggregation
   * of a constant (count()): once the buffer has found every key by its text, a firing only
   * adds to entries it holds (Runtime.aggregateByText).
   */
  byTextAlone: boolean;
}

/** A probe's enablings, every one byTextAlone, flattened to their keys in EPID and action order (Runtime.aggregateByText). */
interface TextCounts {
  /** Per key: its text when it is the probe's (probefunc...), undefined for the firing's execname. */
  texts: (string | undefined)[];
  /** Per key: its aggregation's slot in the buffers' caches by text. */
  slots: Int32Array;
  /** Per key: the constant its aggregation adds (its action's value). */
  values: bigint[];
  /** Per key: its enabling's record alignment when it is the enabling's first key (its record is reserved then), else 0. */
  reserveAlign: Int32Array;
}

function textCountsOf(plans: readonly EnablingPlan[], probe: Probe): TextCounts {
  const texts: (string | undefined)[] = [];
  const slots: number[] = [];
  const values: bigint[] = [];
  const reserveAlign: number[] = [];
  for (const plan of plans) {
    for (let i = 0; i < plan.textKey.length; i += 2) {
      texts.push(probeText(plan.textKey[i]!, probe));
      slots.push(plan.keySlot[i + 1]!);
      values.push(plan.constants[i + 1]!);
      reserveAlign.push(i === 0 ? plan.align : 0);
    }
  }
  return { texts, slots: Int32Array.from(slots), values, reserveAlign: Int32Array.from(reserveAlign) };
}

/** One enabling in progress for one firing: what its actions have recorded so far. */
export class EnablingRun {
  values: bigint[] = NO_VALUES;
  /** The buffer EPID of this enabling on this firing's probe. */
  epid = 0;
  /** Where the record is being written: the principal buffer, or after speculate() its speculation's. */
  out: BufferBytes | undefined;
  /** The record's offset in `out`. */
  base = 0;
  /** Index of the next action to run (actions.length once none is left). */
  next = 0;
  /** How it went: still running, predicate false, faulted, record dropped (speculation, exit), done. */
  outcome: 'running' | 'false' | 'fault' | 'discarded' | 'done' = 'running';
  /** The fault that ended it (undefined for a fault in an ERROR enabling: a double error). */
  fault: FaultReport | undefined;
  spec: { id: number; offs: number } | undefined;
  committed = false;
  discardRecord = false;
  /** The exit() status this enabling records; it counts once the record is kept. */
  exitStatus: bigint | undefined;
  /** tracemem()'s dynamic size: how much of the next TRACEMEM record is copied. */
  tracememSize = -1;
  /** The values array this run object reuses from enabling to enabling (runPredicate). */
  ownValues: bigint[] | undefined;

  constructor(
    public plan: EnablingPlan,
    public f: FiringFacts,
    /** Where its record is reserved in the CPU's principal buffer. */
    public offs: number,
    public strtok: { addr: bigint; limit: bigint },
  ) {}

  /** Makes a spent run (fire()'s, reused per nesting level) a fresh one. */
  reset(plan: EnablingPlan, f: FiringFacts, offs: number, strtok: { addr: bigint; limit: bigint }): this {
    this.plan = plan;
    this.f = f;
    this.offs = offs;
    this.strtok = strtok;
    this.values = NO_VALUES;
    this.epid = 0;
    this.out = undefined;
    this.base = 0;
    this.next = 0;
    this.outcome = 'running';
    this.fault = undefined;
    this.spec = undefined;
    this.committed = false;
    this.discardRecord = false;
    this.exitStatus = undefined;
    this.tracememSize = -1;
    return this;
  }
}

/** `reuse` zeroed when it has length n, else a new array of n zeros. */
function zeroed(reuse: bigint[] | undefined, n: number): bigint[] {
  const out = reuse !== undefined && reuse.length === n ? reuse : new Array<bigint>(n);
  for (let k = 0; k < n; k++) out[k] = 0n;
  return out;
}

/** Runtime.aggregate's scratch: an aggregation tuple's identity bytes (used and dropped within one call). */
let keyIdent: Uint8Array = new Uint8Array(1024);
let keyView = new DataView(keyIdent.buffer);

function growIdent(size: number): Uint8Array {
  const next = new Uint8Array(Math.max(size, keyIdent.length * 2));
  next.set(keyIdent);
  keyIdent = next;
  keyView = new DataView(next.buffer);
  return next;
}
const NO_VALUES: bigint[] = [];

export class Runtime {
  readonly space: AddressSpace;
  readonly scratch: Scratch;
  readonly vars: VariableStore;
  readonly dynamic: DynamicSpace;
  readonly principal: PrincipalBuffer[];
  readonly aggregations: AggregationBuffer[];
  readonly specs: Speculations;
  /** What the EPIDs in the buffers stand for (the consumer reads records by them). */
  readonly epids = new EpidTable();
  readonly strings: BuiltinStrings;
  /** curthread's kernel images, one per thread context met. */
  readonly threads: ThreadImages;
  activity: Activity = 'warmup';
  exitStatus: bigint | undefined;
  dblErrors = 0;
  readonly beginId: number | undefined;
  readonly endId: number | undefined;
  readonly errorId: number | undefined;
  private readonly byProbe = new Map<number, EnablingPlan[]>();
  /** plansOf()'s last probe and its plans (byProbe is complete once the constructor returns). */
  private lastProbe = -1;
  private lastPlans: EnablingPlan[] | undefined;
  /** Probes whose every enabling is byTextAlone, as aggregateByText walks them; lastProbe's. */
  private readonly textCounts = new Map<number, TextCounts>();
  private lastTextCounts: TextCounts | undefined;
  /** aggregateByText's entries found, reused from firing to firing. */
  private readonly textHits: AggregationEntry[] = [];
  private machine: FiringMachine;
  private readonly endReserve: number;
  private readonly stringTables = new Map<Difo, bigint>();
  private readonly spareRuns: EnablingRun[] = [];
  private readonly spareStrtoks: { addr: bigint; limit: bigint }[] = [];
  /** Sees every instruction of the predicates and actions run (the debugger steps by instruction with it); off in normal runs. */
  watch: InstructionWatch | undefined;
  private fireDepth = 0;

  constructor(
    readonly program: CompiledProgram,
    readonly catalogue: ProbeCatalogue,
    readonly config: RuntimeConfig,
  ) {
    this.space = new AddressSpace(loadAlignmentOf(config.flavour));
    this.scratch = new Scratch(this.space);
    this.strings = new BuiltinStrings(this.space);
    this.threads = new ThreadImages(this.space, program.kernel);
    const types = variableTypes(program);
    const difos = allDifos(program);
    const valueSize = (scope: number, id: number): number => {
      const t = types.get(VariableStore.typeKey(scope, id));
      if (t === undefined || (t.flags & DIF_TF_BYREF) === 0) return 8;
      return t.kind === DIF_TYPE_STRING && t.size === 0 ? config.strsize : t.size;
    };
    this.dynamic = new DynamicSpace(config.dynvarsize, dynamicChunkSize(difos, valueSize, config.strsize));
    this.vars = new VariableStore(this.space, types, this.dynamic, config.strsize);
    const idOf = (name: string): number | undefined =>
      catalogue.match({ provider: 'dtrace', module: '', function: '', name })[0]?.id;
    this.beginId = idOf('BEGIN');
    this.endId = idOf('END');
    this.errorId = idOf('ERROR');
    // Fill buffers keep room for every END enabling's record (dtrace_state_go's dts_reserve).
    const endReserve = program.enablings
      .filter((e) => this.endId !== undefined && e.probes.includes(this.endId))
      .reduce((n, e) => n + ((e.recordSize + 7) & ~7), 0);
    this.endReserve = endReserve;
    this.principal = [];
    this.aggregations = [];
    this.addCpus(config.ncpus);
    this.specs = new Speculations(config.nspec, config.specsize);
    this.machine = new FiringMachine(this);
    const jit = config.jit ?? jitEnabled();
    const slots = { next: 0 };
    for (const e of [...program.enablings].sort((a, b) => a.epid - b.epid)) {
      const plan = planOf(e, jit, slots);
      for (const p of e.probes) {
        let list = this.byProbe.get(p);
        if (list === undefined) this.byProbe.set(p, (list = []));
        list.push(plan);
      }
    }
    for (const [p, plans] of this.byProbe) {
      const probe = catalogue.probe(p);
      if (probe !== undefined && plans.every((plan) => plan.byTextAlone)) this.textCounts.set(p, textCountsOf(plans, probe));
    }
  }

  /**
   * Makes sure CPUs 0..n-1 have their buffers (a trace may name CPUs beyond the count it was
   * started with). Returns false for a CPU number no machine has.
   */
  addCpus(n: number): boolean {
    if (!Number.isInteger(n) || n < 1 || n > MAX_CPUS) return false;
    while (this.principal.length < n) {
      const cpu = this.principal.length;
      this.principal.push(new PrincipalBuffer(this.config.bufsize, this.config.bufpolicy, this.endReserve));
      this.aggregations.push(new AggregationBuffer(cpu, this.config.aggsize));
    }
    return true;
  }

  /** A fill-policy buffer filled up: tracing stops (dtrace(1) sees DTRACE_STATUS_FILLED). */
  get filled(): boolean {
    // Only a fill buffer ever fills (asked after every firing).
    if (this.config.bufpolicy !== 'fill') return false;
    const principal = this.principal;
    for (let cpu = 0; cpu < principal.length; cpu++) if (principal[cpu]!.full) return true;
    return false;
  }

  /** Whether the probe has at least one enabling (firing it may do something). */
  enables(probeId: number): boolean {
    return (probeId === this.lastProbe ? this.lastPlans : this.plansOf(probeId)) !== undefined;
  }

  /** A probe's plans; firings of one probe come in runs, so the last probe's are kept at hand. */
  private plansOf(probeId: number): EnablingPlan[] | undefined {
    if (probeId === this.lastProbe) return this.lastPlans;
    this.lastProbe = probeId;
    this.lastTextCounts = this.textCounts.get(probeId);
    return (this.lastPlans = this.byProbe.get(probeId));
  }

  /** Whether every enabling of the probe aggregates by the firing's text alone: aggregateByText may fire it. */
  aggregatesByText(probeId: number): boolean {
    if (probeId !== this.lastProbe) this.plansOf(probeId);
    return this.lastTextCounts !== undefined;
  }

  /** Probe ids with at least one enabling. */
  enabledProbes(): number[] {
    return [...this.byProbe.keys()];
  }

  stringTable(difo: Difo): bigint {
    let addr = this.stringTables.get(difo);
    if (addr === undefined) {
      addr = AddressSpace.address(this.space.map('strtab', difo.stringTable, false));
      this.stringTables.set(difo, addr);
    }
    return addr;
  }

  /** dtrace_probe(): runs every enabling of the probe for one firing. */
  fire(f: FiringFacts): void {
    const plans = this.plansFor(f);
    if (plans === undefined) return;
    // One run object and strtok state per nesting level (a fault fires ERROR from inside an
    // enabling), reused from firing to firing.
    const depth = this.fireDepth++;
    let strtok = this.spareStrtoks[depth];
    if (strtok === undefined) this.spareStrtoks[depth] = strtok = { addr: 0n, limit: 0n };
    else {
      strtok.addr = 0n;
      strtok.limit = 0n;
    }
    const spare = (this.spareRuns[depth] ??= new EnablingRun(plans[0]!, f, 0, strtok));
    for (const plan of plans) {
      if (this.activity !== 'active' && !this.mayRun(plan, f)) continue;
      if (plan.aggregatesOnly && this.watch === undefined) {
        this.aggregateOnly(plan, f, strtok, spare);
        continue;
      }
      const run = this.beginEnabling(plan, f, strtok, spare);
      if (run === undefined || !this.runPredicate(run)) continue;
      const n = plan.enabling.actions.length;
      while (run.next < n) this.runAction(run);
      this.endEnabling(run);
    }
    this.fireDepth--;
  }

  /**
   * fire() for a firing of a probe that aggregatesByText, from the only facts that decide what
   * it does, when it does nothing but add to entries the buffer already found by their text:
   * no facts object, no DIF, the same effects. false: nothing was done, fire() it.
   */
  aggregateByText(probe: Probe, cpu: number, execname: string): boolean {
    if (this.activity !== 'active' || this.watch !== undefined) return false;
    const plans = this.plansAt(probe.id, cpu);
    // plansAt made the probe lastProbe.
    const counts = this.lastTextCounts;
    if (counts === undefined) return false;
    if (plans === undefined) return true;
    const buffer = this.aggregations[cpu]!;
    if (counts.texts.length === 1) {
      // One enabling with one key, the usual case: kept small enough to be inlined where it is called.
      const hit = buffer.cachedText(counts.slots[0]!, counts.texts[0] ?? execname, this.space.generation);
      if (hit === undefined) return false;
      if (this.principal[cpu]!.reserve(0, counts.reserveAlign[0]!, probe.id === this.endId) !== undefined) buffer.aggregateEntry(hit, counts.values[0]!, 1n);
      return true;
    }
    return this.aggregateKeysByText(probe, cpu, execname, counts, buffer);
  }

  /** aggregateByText for several keys: every one is looked up before anything is added, so that a miss leaves the firing to fire(). */
  private aggregateKeysByText(probe: Probe, cpu: number, execname: string, counts: TextCounts, buffer: AggregationBuffer): boolean {
    const generation = this.space.generation;
    const { texts, slots, values, reserveAlign } = counts;
    const hits = this.textHits;
    const n = texts.length;
    for (let k = 0; k < n; k++) {
      const hit = buffer.cachedText(slots[k]!, texts[k] ?? execname, generation);
      if (hit === undefined) return false;
      hits[k] = hit;
    }
    const principal = this.principal[cpu]!;
    const end = probe.id === this.endId;
    let kept = false;
    for (let k = 0; k < n; k++) {
      // As aggregateOnly: each enabling reserves its (empty) record first; when the buffer is
      // full the drop is counted and the enabling adds nothing.
      const align = reserveAlign[k]!;
      if (align !== 0) kept = principal.reserve(0, align, end) !== undefined;
      if (kept) buffer.aggregateEntry(hits[k]!, values[k]!, 1n);
    }
    return true;
  }

  /**
   * An enabling that only aggregates, as beginEnabling, runPredicate, runAction and endEnabling
   * would run it (nothing to pause at: the debugger takes those steps itself), without their
   * run object and per-action dispatch. `spare` lends its values array.
   */
  private aggregateOnly(plan: EnablingPlan, f: FiringFacts, strtok: { addr: bigint; limit: bigint }, spare: EnablingRun): void {
    const e = plan.enabling;
    const buf = this.principal[f.cpu]!;
    // recordSize is 0: the reservation only counts a drop when the buffer is full.
    const offs = buf.reserve(0, plan.align, f.probe.id === this.endId);
    if (offs === undefined) return;
    this.scratch.reset(buf.spaceAfter(offs));
    const machine = this.machine;
    machine.enter(f, e.epid, strtok);
    const actions = e.actions;
    const n = actions.length;
    const values = (spare.ownValues = zeroed(spare.ownValues, n));
    const jits = plan.actionJit;
    const textKey = plan.textKey;
    let text: string | undefined;
    let i = 0;
    try {
      for (; i < n; i++) {
        const tk = textKey[i]!;
        if (tk !== 0) {
          // A key the buffer found by this text since the last unmapping of a built-in string:
          // the key's DIF would only look up the address of a string already mapped.
          text = firingText(tk, f)!;
          const buffer = this.aggregations[f.cpu]!;
          const hit = buffer.cachedText(plan.keySlot[i + 1]!, text, this.space.generation);
          if (hit !== undefined) {
            const act = actions[++i]!;
            const jit = jits[i];
            const v = (values[i] = jit !== undefined ? jit(machine) : act.difo !== undefined ? emulate(act.difo, machine) : plan.constants[i]!);
            buffer.aggregateEntry(hit, v, 1n);
            text = undefined;
            continue;
          }
        }
        const act = actions[i]!;
        const jit = jits[i];
        values[i] = jit !== undefined ? jit(machine) : act.difo !== undefined ? emulate(act.difo, machine) : plan.constants[i]!;
        if (plan.aggregating[i] === 1) {
          const entry = this.aggregate(act, i, values, f.cpu, plan);
          if (text !== undefined && entry !== undefined) this.aggregations[f.cpu]!.rememberText(plan.keySlot[i]!, text, this.space.generation, entry);
          text = undefined;
        }
      }
    } catch (err) {
      let fault: EmulationFault;
      if (err instanceof EmulationFault) fault = err;
      else if (err instanceof DifFault) fault = new EmulationFault(err.fault, err.value, -1);
      else throw err;
      this.error(plan, f, i, fault);
    }
  }

  // The steps of one firing, in the order fire() takes them. The debugger takes the same steps
  // one at a time (pausing between actions), so what an action does has one code path.

  /** The enablings this firing runs, in EPID order (undefined: none), after the per-firing housekeeping. */
  plansFor(f: FiringFacts): readonly EnablingPlan[] | undefined {
    return this.plansAt(f.probe.id, f.cpu);
  }

  private plansAt(probeId: number, cpu: number): readonly EnablingPlan[] | undefined {
    const plans = probeId === this.lastProbe ? this.lastPlans : this.plansOf(probeId);
    if (plans === undefined) return undefined;
    if (this.config.onlyCpu !== undefined && cpu !== this.config.onlyCpu) return undefined;
    if (probeId !== this.errorId) {
      this.strings.trim();
      this.threads.trimIfFull();
    }
    return plans;
  }

  /** Whether the state's activity lets the enabling run now (an exit() earlier in the same firing counts). */
  mayRun(_plan: EnablingPlan, f: FiringFacts): boolean {
    if (this.activity === 'active') return true;
    if (f.probe.provider !== 'dtrace') return false;
    if (f.probe.id === this.beginId && this.activity !== 'warmup') return false;
    return !(this.activity === 'cooldown' && f.probe.id !== this.endId && f.probe.id !== this.errorId);
  }

  /** Reserves the enabling's record; undefined when the buffer has no room (the drop is counted). */
  beginEnabling(plan: EnablingPlan, f: FiringFacts, strtok: { addr: bigint; limit: bigint }, reuse?: EnablingRun): EnablingRun | undefined {
    const e = plan.enabling;
    const buf = this.principal[f.cpu]!;
    const offs = buf.reserve(e.recordSize, plan.align, f.probe.id === this.endId);
    if (offs === undefined) return undefined;
    this.scratch.reset(buf.spaceAfter(offs + e.recordSize));
    this.machine.enter(f, e.epid, strtok);
    const run = reuse !== undefined ? reuse.reset(plan, f, offs, strtok) : new EnablingRun(plan, f, offs, strtok);
    buf.data.ensure(offs + e.recordSize);
    run.out = buf.data;
    run.base = offs;
    run.epid = this.epidOf(plan, f.probe.id);
    return run;
  }

  /** The buffer EPID of an enabling on a probe. */
  private epidOf(plan: EnablingPlan, probeId: number): number {
    let epid = plan.epids.get(probeId);
    if (epid === undefined) plan.epids.set(probeId, (epid = this.epids.assign(plan.enabling, plan.shape, probeId)));
    return epid;
  }

  /** Points the DIF machine back at a paused enabling (something else may have run DIF meanwhile). */
  resumeEnabling(run: EnablingRun): void {
    this.machine.enter(run.f, run.plan.enabling.epid, run.strtok);
  }

  /**
   * Gives a copy of this runtime (the debugger's checkpoints copy the whole state between two
   * firings) a DIF machine of its own: the copied one would still point at the original.
   */
  renewMachine(): void {
    this.machine = new FiringMachine(this);
  }

  /**
   * Runs a DIF object in a firing's context outside any enabling (the debugger's watch and
   * breakpoint conditions): the scratch it allocates is given back. Throws EmulationFault.
   */
  evaluate(difo: Difo, f: FiringFacts, epid: number, strtok: { addr: bigint; limit: bigint } = { addr: 0n, limit: 0n }): bigint {
    const mark = this.scratch.mark;
    this.machine.enter(f, epid, { ...strtok });
    try {
      return emulate(difo, this.machine);
    } finally {
      this.scratch.rewind(mark);
    }
  }

  /** Evaluates the predicate: false ends the enabling (predicate false, or a fault reported). */
  runPredicate(run: EnablingRun): boolean {
    const e = run.plan.enabling;
    if (e.predicate !== undefined) {
      try {
        const jit = this.watch === undefined ? run.plan.predicateJit : undefined;
        if ((jit !== undefined ? jit(this.machine) : emulate(e.predicate, this.machine, this.watch)) === 0n) {
          run.outcome = 'false';
          return false;
        }
      } catch (err) {
        if (err instanceof EmulationFault) {
          run.fault = this.error(run.plan, run.f, -1, err);
          run.outcome = 'fault';
          return false;
        }
        throw err;
      }
    }
    // The values only live while the enabling runs: the run's own array is reused (the records
    // are written into the buffer as the actions run).
    run.values = zeroed(run.ownValues, e.actions.length);
    run.ownValues = run.values;
    return true;
  }

  /** Runs the enabling's next action (run.next); a fault or a dropped record ends the enabling. */
  runAction(run: EnablingRun): void {
    const plan = run.plan;
    const e = plan.enabling;
    const f = run.f;
    const values = run.values;
    const i = run.next++;
    const act = e.actions[i]!;
    const needed = e.recordSize;
    try {
      const jit = this.watch === undefined ? plan.actionJit[i] : undefined;
      const v =
        jit !== undefined
          ? jit(this.machine)
          : act.difo !== undefined
            ? emulate(act.difo, this.machine, this.watch)
            : plan.constants[i]!;
      values[i] = v;
      if (plan.aggregating[i] === 1) {
        this.aggregate(act, i, values, f.cpu, plan);
        return;
      }
      switch (act.kind) {
        case ACT.SPECULATE: {
          const id = Number(BigInt.asUintN(32, v));
          const got = this.specs.reserve(id, f.cpu, needed, plan.align);
          if (got === undefined || got === false) {
            run.discardRecord = true;
            run.next = e.actions.length;
            break;
          }
          run.spec = { id, offs: got };
          run.out = this.specs.bytesOf(id, f.cpu);
          run.base = got;
          this.putRecord(run, i, act, v);
          break;
        }
        case ACT.COMMIT: {
          this.putRecord(run, i, act, v);
          if (!run.committed && needed > 0) this.keep(run);
          run.committed = true;
          const id = Number(BigInt.asUintN(32, v));
          // The enabling's records are already kept when the bad ID faults.
          if (!this.specs.validId(id)) throw new DifFault(DTRACEFLT_ILLOP);
          this.commitSpeculation(id, f.cpu);
          break;
        }
        case ACT.TRACEMEM_DYNSIZE:
          this.putRecord(run, i, act, v);
          run.tracememSize = Number(BigInt.asUintN(32, v));
          break;
        case ACT.TRACEMEM: {
          const at = this.recordAt(run, i);
          if (at < 0) {
            // Records nothing.
          } else if (run.tracememSize >= 0 && run.tracememSize < act.size) {
            // Only the dynamic size is copied; the rest of the record stays zero.
            const out = run.out!;
            this.space.readInto(v, run.tracememSize, out.bytes, at);
            out.clear(at + run.tracememSize, at + act.size);
          } else {
            this.putRecord(run, i, act, v);
          }
          run.tracememSize = -1;
          break;
        }
        case ACT.PRINTM: {
          // The DIF result is a memref ([address, length]); the record holds the length,
          // then the bytes. Too long for the record: the kernel drops the enabling's record.
          const addr = this.space.load(v, 8, false);
          const len = this.space.load(v + 8n, 8, false);
          if (len + 8n > BigInt(act.size)) {
            run.discardRecord = true;
            run.next = e.actions.length;
            break;
          }
          const at = this.recordAt(run, i);
          if (at < 0) break;
          const out = run.out!;
          out.putInteger(at, 8, len);
          this.space.readInto(addr, Number(len), out.bytes, at + 8);
          out.clear(at + 8 + Number(len), at + act.size);
          break;
        }
        case ACT.STACK:
        case ACT.USTACK:
        case ACT.JSTACK: {
          // No kernel or process image is replayed: every stack is empty (a zero pc ends
          // it); a user stack starts with the pid.
          const at = this.recordAt(run, i);
          if (at < 0) break;
          const out = run.out!;
          out.clear(at, at + act.size);
          if (act.kind !== ACT.STACK && act.size >= 8) out.putInteger(at, 8, BigInt(f.pid));
          break;
        }
        case ACT.USYM:
        case ACT.UMOD:
        case ACT.UADDR: {
          // [pid, pc], as the kernel stores them for the consumer's symbol lookup.
          const at = this.recordAt(run, i);
          if (at < 0) break;
          const out = run.out!;
          out.clear(at, at + act.size);
          out.putInteger(at, 8, BigInt(f.pid));
          out.putInteger(at + 8, 8, v);
          break;
        }
        case ACT.DISCARD: {
          this.putRecord(run, i, act, v);
          const id = Number(BigInt.asUintN(32, v));
          if (!this.specs.validId(id)) throw new DifFault(DTRACEFLT_ILLOP);
          this.specs.discard(id, f.cpu);
          break;
        }
        case ACT.EXIT:
          if (this.activity === 'active' || this.activity === 'warmup') {
            this.activity = 'draining';
          } else if (this.activity !== 'cooldown') {
            // Another exit() already moved the state to draining: the kernel drops this
            // enabling's whole record.
            run.discardRecord = true;
            run.next = e.actions.length;
            break;
          }
          run.exitStatus = v;
          this.putRecord(run, i, act, v);
          break;
        default:
          // Aggregation keys are recorded when their aggregation is reached (recordAt is -1).
          this.putRecord(run, i, act, v);
          break;
      }
    } catch (err) {
      let fault: EmulationFault;
      if (err instanceof EmulationFault) fault = err;
      // Copying a by-reference result into the record faults outside any DIF instruction:
      // the kernel reports no DIF offset for it.
      else if (err instanceof DifFault) fault = new EmulationFault(err.fault, err.value, -1);
      else throw err;
      run.next = e.actions.length;
      run.outcome = 'fault';
      run.fault = this.error(plan, f, i, fault);
    }
  }

  /** Keeps the enabling's record (principal or speculative buffer) unless it faulted or was dropped. */
  endEnabling(run: EnablingRun): void {
    if (run.outcome !== 'running') return;
    run.outcome = run.discardRecord ? 'discarded' : 'done';
    const e = run.plan.enabling;
    const needed = e.recordSize;
    if (run.committed || run.discardRecord || needed === 0) return;
    if (run.exitStatus !== undefined) this.exitStatus = run.exitStatus;
    if (run.spec !== undefined) {
      run.out!.putHeader(run.base, run.epid, run.f.timestamp);
      this.specs.record(run.spec.id, run.f.cpu, run.spec.offs, needed);
      return;
    }
    this.keep(run);
  }

  /** The enabling's record, written as its actions ran, becomes part of the principal buffer. */
  private keep(run: EnablingRun): void {
    const buf = this.principal[run.f.cpu]!;
    buf.data.putHeader(run.offs, run.epid, run.f.timestamp);
    buf.commit(run.offs, run.plan.enabling.recordSize);
  }

  /** Where action i's record goes in the run's buffer, -1 when it leaves none. */
  private recordAt(run: EnablingRun, i: number): number {
    const at = run.plan.shape.offsets[i]!;
    return at < 0 || run.out === undefined ? -1 : run.base + at;
  }

  /**
   * Writes a data-recording action's record: the integer truncated to the record's size, or
   * the bytes its by-reference value points at (a string NUL-padded).
   */
  private putRecord(run: EnablingRun, i: number, act: ActionDesc, v: bigint): void {
    const at = this.recordAt(run, i);
    if (at < 0) return;
    const out = run.out!;
    const difo = act.difo;
    if (difo !== undefined && (difo.returnType.flags & TF_BYREF) !== 0) {
      if (difo.returnType.kind === TYPE_STRING) this.space.readStringInto(v, out.bytes, at, act.size);
      else this.space.readInto(v, act.size, out.bytes, at);
      return;
    }
    out.putInteger(at, act.size, v);
  }

  /** An aggregation key's record: the integer truncated to its size, or its bytes. */
  private recordValue(act: ActionDesc, v: bigint): RecordValue {
    const difo = act.difo;
    if (difo !== undefined && (difo.returnType.flags & TF_BYREF) !== 0) {
      const size = act.size > 0 ? act.size : difo.returnType.size;
      if (difo.returnType.kind !== TYPE_STRING) return this.space.read(v, size);
      const out = new Uint8Array(size);
      this.space.readStringInto(v, out, 0, size);
      return out;
    }
    if (act.size > 0) return v & maskOf(act.size);
    // A statement like `x = 1;` records nothing; an action without DIF keeps its argument.
    return difo !== undefined ? 0n : v;
  }

  /** Aggregates action i's value under its tuple; returns the key's entry (undefined: dropped). */
  private aggregate(act: ActionDesc, i: number, values: bigint[], cpu: number, plan: EnablingPlan): AggregationEntry | undefined {
    const e = plan.enabling;
    const keyKind = plan.keyKind;
    const desc = this.program.aggregations[act.aggregation ?? -1];
    if (desc === undefined) return undefined;
    const inc = act.increment === true ? 1 : 0;
    const first = i - inc - (act.keys ?? 0);
    const incr = inc === 1 ? values[i - 1]! : 1n;
    const buffer = this.aggregations[cpu]!;
    // A tuple decided by one value the buffer has seen since its last snapshot: no bytes to
    // read, encode or hash. A string key's address only decides it when its bytes never change.
    const slot = plan.keySlot[i]!;
    let byValue: bigint | undefined;
    if (slot >= 0) {
      const v = first < i - inc ? values[first]! : 0n;
      const hit = buffer.cached(slot, v, this.space.generation);
      if (hit !== undefined) {
        buffer.aggregateEntry(hit, values[i]!, incr);
        return hit;
      }
      if (first === i - inc || keyKind[first] === 0 || this.space.fixedAt(v)) byValue = v;
    }
    // The tuple's identity is encoded straight from memory into one reused byte buffer and
    // hashed; the padded key records the consumer gets are only built for a key the buffer has
    // not seen since the last snapshot.
    let ident = keyIdent;
    let at = 0;
    let keyBytes = 0;
    for (let k = first; k < i - inc; k++) {
      const ka = e.actions[k]!;
      const v = values[k]!;
      keyBytes += ka.size;
      const kind = keyKind[k];
      if (kind !== 0) {
        const bytes = kind === 1 ? this.space.readString(v, Math.max(0, ka.size - 1)) : this.space.read(v, ka.size);
        const n = bytes.length;
        if (at + 5 + n > ident.length) ident = growIdent(at + 5 + n);
        ident[at] = 1;
        ident[at + 1] = n & 0xff;
        ident[at + 2] = (n >>> 8) & 0xff;
        ident[at + 3] = (n >>> 16) & 0xff;
        ident[at + 4] = n >>> 24;
        // Short keys (names, paths) copy faster byte by byte than through set().
        if (n > 64) ident.set(bytes, at + 5);
        else for (let b = 0; b < n; b++) ident[at + 5 + b] = bytes[b]!;
        at += 5 + n;
      } else {
        if (at + 9 > ident.length) ident = growIdent(at + 9);
        ident[at] = 2;
        keyView.setBigUint64(at + 1, BigInt.asUintN(64, ka.size > 0 ? v & maskOf(ka.size) : v), true);
        at += 9;
      }
    }
    // FNV-1a over the identity, seeded with the aggregation's id.
    let hash = (0x811c9dc5 ^ desc.id) >>> 0;
    for (let k = 0; k < at; k++) hash = Math.imul(hash ^ ident[k]!, 0x01000193);
    let entry = buffer.update(desc, hash, ident, at, values[i]!, incr);
    if (entry === undefined) {
      const key: RecordValue[] = [];
      for (let k = first; k < i - inc; k++) key.push(this.recordValue(e.actions[k]!, values[k]!));
      entry = buffer.insert(desc, hash, ident, at, key, keyBytes, values[i]!, incr);
    }
    if (byValue !== undefined && entry !== undefined) buffer.remember(slot, byValue, this.space.generation, entry);
    return entry;
  }

  private commitSpeculation(id: number, cpu: number): void {
    const part = this.specs.commit(id, cpu);
    if (part !== undefined) this.deliverSpeculative(cpu, part);
  }

  /** Copies committed speculative records into a CPU's principal buffer (all or nothing). */
  deliverSpeculative(cpu: number, part: SpecCpuBuffer): void {
    if (part.records === 0) return;
    const buf = this.principal[cpu]!;
    const base = buf.reserve(part.used, 8);
    if (base === undefined) return;
    buf.data.ensure(base + part.used);
    const from = part.data;
    buf.data.bytes.set(from.bytes.subarray(0, part.used), base);
    // Record by record, as the ring policy keeps track of each.
    for (let at = recordFrom(from.view, 0, part.used); at < part.used; at = recordFrom(from.view, at, part.used)) {
      const size = this.epids.recordSize(from.view.getUint32(at, true));
      buf.commit(base + at, size);
      at += size;
    }
  }

  /** A fault abandoned an enabling: fire dtrace:::ERROR, then the library's error record. */
  private error(plan: EnablingPlan, f: FiringFacts, action: number, fault: EmulationFault): FaultReport | undefined {
    const e = plan.enabling;
    if (f.probe.id === this.errorId) {
      this.dblErrors++;
      return undefined;
    }
    const report: FaultReport = {
      epid: e.epid,
      probeId: f.probe.id,
      cpu: f.cpu,
      fault: fault.fault,
      action,
      difOffset: fault.offset,
      value: fault.value,
    };
    const errorProbe = this.errorId === undefined ? undefined : this.catalogue.probe(this.errorId);
    if (errorProbe !== undefined) {
      this.fire({
        ...f,
        probe: errorProbe,
        args: [0n, BigInt(e.epid), BigInt(action + 1), BigInt.asUintN(64, BigInt(fault.offset)), BigInt(fault.fault), fault.value],
      });
    }
    const buf = this.principal[f.cpu]!;
    const offs = buf.reserve(FAULT_RECORD_SIZE, 8);
    if (offs !== undefined) {
      const out = buf.data;
      out.ensure(offs + FAULT_RECORD_SIZE);
      out.putHeader(offs, EPID_FAULT, f.timestamp);
      out.clear(offs + 12, offs + FAULT_ARGS_OFFSET);
      const args = [BigInt(this.epidOf(plan, f.probe.id)), BigInt(action + 1), BigInt.asUintN(64, BigInt(fault.offset)), BigInt(fault.fault), fault.value];
      args.forEach((v, k) => out.putInteger(offs + FAULT_ARGS_OFFSET + 8 * k, 8, v));
      buf.commit(offs, FAULT_RECORD_SIZE);
    }
    return report;
  }
}

/**
 * The emulator's view of the firing in progress. One instance is reused for every enabling
 * (`enter` points it at the firing), so running DIF allocates no closures.
 */
class FiringMachine implements DifMachine, SubroutineContext {
  readonly space: AddressSpace;
  readonly scratch: Scratch;
  readonly vars: VariableStore;
  readonly strsize: number;
  cpu = 0;
  thread = 0;
  pid = 0;
  ppid = 0;
  timestamp = 0n;
  userMemory: UserMemory | undefined;
  parentOf: ((pid: number) => number | undefined) | undefined;
  private facts!: FiringFacts;
  private epid = 0;
  private tok = { addr: 0n, limit: 0n };

  private readonly system: BuiltinSystem;

  constructor(private readonly rt: Runtime) {
    this.system = { curthread: (f) => rt.threads.address(f), zoneName: zoneNameOf(rt.config.flavour) };
    this.space = rt.space;
    this.scratch = rt.scratch;
    this.vars = rt.vars;
    this.strsize = rt.config.strsize;
  }

  enter(f: FiringFacts, epid: number, strtok: { addr: bigint; limit: bigint }): void {
    this.facts = f;
    this.epid = epid;
    this.tok = strtok;
    this.cpu = f.cpu;
    this.thread = f.threadKey ?? f.tid;
    this.pid = f.pid;
    this.ppid = f.ppid;
    this.userMemory = f.userMemory;
    this.parentOf = f.parentOf;
    this.timestamp = f.timestamp;
  }

  get strtok(): { addr: bigint; limit: bigint } {
    return this.tok;
  }

  set strtok(v: { addr: bigint; limit: bigint }) {
    this.tok.addr = v.addr;
    this.tok.limit = v.limit;
  }

  stringTable(difo: Difo): bigint {
    return this.rt.stringTable(difo);
  }

  builtin(id: number): bigint {
    return builtinValue(id, this.facts, this.epid, this.rt.strings, this.system);
  }

  builtinArray(id: number, index: bigint): bigint {
    return builtinArrayValue(id, index, this.facts);
  }

  call(code: number, args: readonly TupleSlot[]): bigint {
    return callSubroutine(this, code, args);
  }

  speculation(): number {
    return this.rt.specs.allocate();
  }

  nameOf(code: number): string {
    return subroutineName(code, this.rt.config.platform);
  }
}


/** `slots.next` numbers the aggregating actions whose tuple one value decides, program-wide. */
function planOf(e: Enabling, jit: boolean, slots: { next: number }): EnablingPlan {
  const inTuple = aggregationTuple(e.actions);
  let align = 4;
  e.actions.forEach((a, j) => {
    if (isAggregating(a.kind) || inTuple[j] || a.size === 0) return;
    align = Math.max(align, recordAlignment(a.size));
  });
  const aggregating = Uint8Array.from(e.actions, (a) => (isAggregating(a.kind) ? 1 : 0));
  const keyKind = Uint8Array.from(e.actions, (a) => {
    const d = a.difo;
    if (d === undefined || !returnsByRef(d)) return 0;
    return d.returnType.kind === DIF_TYPE_STRING ? 1 : 2;
  });
  const constants = e.actions.map((a) => a.arg ?? BigInt(a.aggregation ?? 0));
  const keySlot = Int32Array.from(e.actions, (a, j) => {
    if (aggregating[j] !== 1) return -1;
    const keys = a.keys ?? 0;
    const first = j - (a.increment === true ? 1 : 0) - keys;
    return keys === 0 || (keys === 1 && keyKind[first] !== 2) ? slots.next++ : -1;
  });
  // A key's DIF skipped on a hit (compiled code's shortcut): the interpreter, the reference,
  // runs every object.
  const textKey = Uint16Array.from(e.actions, (a, j) => {
    const agg = e.actions[j + 1];
    if (!jit || agg === undefined || keySlot[j + 1]! < 0 || agg.keys !== 1 || agg.increment === true) return 0;
    return loadsBuiltinText(a.difo);
  });
  const aggregatesOnly =
    e.predicate === undefined && e.recordSize === 0 && e.actions.length > 0 && e.actions.every((a, j) => aggregating[j] === 1 || (inTuple[j] === true && a.kind === ACT.DIFEXPR));
  const shape = recordShape(e);
  const byTextAlone = aggregatesOnly && e.actions.length % 2 === 0 && e.actions.every((a, j) => (j % 2 === 0 ? textKey[j] !== 0 : a.difo === undefined));
  if (!jit) return { enabling: e, align, shape, epids: new Map(), inTuple, predicateJit: undefined, actionJit: [], aggregating, keyKind, constants, keySlot, aggregatesOnly, textKey, byTextAlone };
  return {
    enabling: e,
    align,
    shape,
    epids: new Map(),
    inTuple,
    aggregating,
    keyKind,
    constants,
    keySlot,
    aggregatesOnly,
    textKey,
    byTextAlone,
    predicateJit: e.predicate !== undefined ? compileDifo(e.predicate) : undefined,
    actionJit: e.actions.map((a) => (a.difo !== undefined ? compileDifo(a.difo) : undefined)),
  };
}

const OP_LDGS = DIF_OP_LDGS;
const OP_RET = DIF_OP_RET;

/** The variable when the object is just `ldgs <text variable>, %rN; ret %rN`, else 0. */
function loadsBuiltinText(difo: Difo | undefined): number {
  const text = difo?.instructions;
  if (text === undefined || text.length !== 2) return 0;
  const [load, ret] = [text[0]!, text[1]!];
  const rd = load & 0xff;
  const id = (load >>> 8) & 0xffff;
  if (load >>> 24 !== OP_LDGS || ret >>> 24 !== OP_RET || (ret & 0xff) !== rd || rd === 0 || !FIRING_TEXT_VARIABLES.has(id)) return 0;
  return id;
}


/** Every DIF object of the program (predicates and actions). */
export function allDifos(program: CompiledProgram): Difo[] {
  const out: Difo[] = [];
  for (const e of program.enablings) {
    if (e.predicate) out.push(e.predicate);
    for (const a of e.actions) if (a.difo) out.push(a.difo);
  }
  return out;
}

/** User variables' types from every object's variable table (first definition wins). */
function variableTypes(program: CompiledProgram): Map<number, DifType> {
  const types = new Map<number, DifType>();
  for (const d of allDifos(program)) {
    for (const v of d.variables) {
      if (v.kind === DIFV_KIND_ARRAY && v.id < 0x100) continue;
      const key = VariableStore.typeKey(v.scope, v.id);
      if (!types.has(key)) types.set(key, v.type);
    }
  }
  return types;
}
