// The debug runtime: a D script run over a firings source, paused between the engine's and the
// runtime's own steps (execution.ts), with breakpoints, stepping both ways, the variables of
// the paused firing and expression evaluation. Going backwards re-executes the program from
// the nearest checkpoint (checkpoints.ts) up to the earlier position: runs are deterministic,
// so the state there is exactly the state the forward run had.
import { readFileSync } from 'node:fs';
import { compileFieldMatcher, type FieldMatcher } from '../../analyze/catalogue/glob';
import type { ProviderDefinition } from '../../analyze/catalogue/types';
import { OptionSet } from '../../analyze/options/optionSet';
import type { Variable } from '../../analyze/symbols';
import { typeName } from '../../analyze/types/ctype';
import { EmulationFault } from '../../vm/interpreter';
import { createDParser, type Parser } from '../../parse/dParser';
import { DIFV_SCOPE_GLOBAL, DIFV_SCOPE_LOCAL, DIFV_SCOPE_THREAD } from '../../dif/variables';
import { allDifos } from '../../vm/runtime';
import type { Difo } from '../../dif/difo';
import { ACT, type ActionDesc, type CompiledProgram, type Enabling } from '../../codegen/program';
import { isAggregating } from '../../codegen/recordLayout';
import type { FiringSource } from '../../sources/source';
import type {
  BreakpointSpec,
  ClauseInfo,
  DebugRuntime,
  LaunchSpec,
  Location,
  ResolvedBreakpoint,
  RuntimeEvents,
  ScopeName,
  ScriptProblem,
  SourceSpot,
  StopEvent,
  ValueView,
} from './api';
import type { PanelState } from '../panelModel';
import type { FiringFacts } from '../../vm/builtinValues';
import { ClauseMap, type PlacedStep } from './clauseMap';
import { compileScript, type CompiledScript, type ScriptRequest } from './compile';
import { ExpressionCompiler } from './evaluate';
import { Cancelled, comparePositions, Execution, SideEffects, type Pause, type RunSetup } from './execution';
import { FiringTape } from './firingTape';
import { aggregationViews } from './aggregationView';
import { formatLogMessage } from './logMessage';
import { Checkpoints, DEFAULT_CHECKPOINT_INTERVAL } from './checkpoints';
import { openFirings } from './sources';
import { quoted, valueView } from './values';
import { instructionText } from '../../dif/disassembler';
import { PanelRecorder } from './panelRecorder';

interface LineBreakpoint {
  spec: BreakpointSpec;
  clause: number;
  /** Statement index, -1 for the predicate, 'clause' for the clause itself. */
  statement: number | 'clause';
  /**
   * Where in the run it was hit (its condition held), in increasing order: the hit count at a
   * position is the number of hits up to it, the same going forwards, backwards or forwards
   * again.
   */
  hitLog: Pause[];
}

interface FunctionBreakpoint {
  fields: [FieldMatcher, FieldMatcher, FieldMatcher, FieldMatcher];
}

/** Breakpoints in these clauses cannot stop: the clause runs inside the faulting firing. */
const ERROR_CLAUSE_MESSAGE = 'ERROR clauses run inside the faulting firing; the debugger cannot stop in them';

export class DtraceDebugRuntime implements DebugRuntime {
  private parser: Parser | undefined;
  private script: CompiledScript | undefined;
  private request: ScriptRequest | undefined;
  private map: ClauseMap | undefined;
  private setup: RunSetup | undefined;
  private exec: Execution | undefined;
  private events: RuntimeEvents | undefined;
  private source: FiringSource | undefined;
  private expressions: ExpressionCompiler | undefined;
  private checkpoints: Checkpoints | undefined;
  private lineBps: LineBreakpoint[] = [];
  private fnBps: FunctionBreakpoint[] = [];
  private exceptions = new Set<'fault' | 'drop'>();
  /** Output entries of the run handed to `events.output` so far (a re-execution produces the same ones again). */
  private emitted = 0;
  private pauseRequested = false;
  /** The control operation going on (continue, a step, a move): one at a time. */
  private op: Promise<void> | undefined;
  /** The operation going on is to give up at its next pause, silently: another one replaces it. */
  private preempt = false;
  /** Stepping by instruction: the object's pause, instructions run so far, the registers, the re-execution showing it. */
  private instr: { at: Pause; executed: number; pc: number; regs: bigint[]; view: Execution | undefined } | undefined;
  /** A forward run is going on (the panel says so while it updates). */
  private running = false;
  private stopped = false;
  /** stop() is ending the run: a source it closed under a pending read is not the run's failure. */
  private stopping = false;
  private readonly interrupted = new WeakSet<Execution>();
  /** The source is a live capture (a command started, a process attached). */
  private live = false;
  private endReported = false;
  /** User clauses already stopped at in the current firing (a clause breakpoint stops once per firing). */
  private clauseStops = new Set<number>();
  private lastStopFiring = -1;
  private panel = new PanelRecorder();
  /** The script's path, which the panel shows as its title. */
  private scriptPath = '';

  async launch(spec: LaunchSpec, events: RuntimeEvents): Promise<{ ok: boolean; problems: ScriptProblem[] }> {
    this.events = events;
    const text = spec.text ?? readFileSync(spec.program, 'utf8');
    this.scriptPath = spec.program;
    this.parser ??= await createDParser();
    const options = new OptionSet();
    const settings = [...(spec.options ?? [])];
    if (spec.destructive === true) settings.push('destructive');
    const opened = await openFirings(spec.source, spec.flavour, spec.providerFiles ?? []);
    this.source = opened.source;
    // stop() came while the source was opening (the client left during the launch): the
    // command started, the process attached are let go now, not left running.
    if (this.stopped) {
      await this.closeSource();
      return { ok: false, problems: [] };
    }
    this.live = spec.source.kind === 'command' || spec.source.kind === 'attach';
    const providers: ProviderDefinition[] = opened.providers;
    const flavour: string | undefined = opened.flavour ?? spec.flavour;
    this.request = {
      text,
      programName: spec.program,
      settings,
      ...(spec.macroArguments !== undefined ? { macroArguments: spec.macroArguments } : {}),
      ...(flavour !== undefined ? { flavour } : {}),
      providers,
      ...(opened.target !== undefined ? { target: opened.target } : {}),
      options,
    };
    const compiled = compileScript(this.parser, this.request);
    if (!compiled.ok) {
      await this.source?.close();
      return { ok: false, problems: compiled.problems };
    }
    const script = (this.script = compiled.script);
    // The expression compiler starts from fresh options each time (the settings re-applied).
    const { options: _used, ...rest } = this.request;
    this.expressions = new ExpressionCompiler(this.parser, rest);
    this.map = new ClauseMap(
      script.result.analysis!.clauses.map((c) => c.clause),
      script.clauses,
      script.program,
    );
    const replay = opened.input(script.program, script.result.catalogue);
    const tape = new FiringTape(replay?.firings[Symbol.asyncIterator]());
    this.setup = {
      program: script.program,
      catalogue: script.result.catalogue,
      options: script.options,
      destructive: script.options.flag('destructive'),
      tape,
      ncpus: replay?.ncpus ?? 1,
      ...(replay?.clockStart !== undefined ? { clockStart: replay.clockStart } : {}),
      startWallTime: replay?.startWallTime ?? BigInt(Date.now()) * 1_000_000n,
      ...(replay?.sourceProbes !== undefined ? { sourceProbes: replay.sourceProbes } : {}),
      consumer: { pid: process.pid, ppid: process.ppid, execname: 'dtrace' },
      effects: new SideEffects(),
      outputSpot: outputSpots(script.program, this.map),
    };
    this.panel.reset(this.map.clauses, this.map);
    this.checkpoints = new Checkpoints(this.setup, spec.checkpointInterval ?? DEFAULT_CHECKPOINT_INTERVAL);
    this.exec = new Execution(this.setup);
    this.exec.onFiring = (x) => this.checkpoints?.maybeTake(x);
    // Stopped before anything ran: at BEGIN's start (or the first firing's).
    await this.exec.advance();
    this.afterMove(this.exec);
    return { ok: true, problems: script.problems };
  }

  clauses(): readonly ClauseInfo[] {
    return this.map?.clauses ?? [];
  }

  setBreakpoints(bps: readonly BreakpointSpec[]): ResolvedBreakpoint[] {
    const map = this.map;
    // The client sends every breakpoint of the file again when one changes: those unchanged keep their hits.
    const before = new Map(this.lineBps.map((b) => [breakpointKey(b.spec), b.hitLog]));
    this.lineBps = [];
    this.bpProbes = undefined;
    return bps.map((spec) => {
      const bound = map?.bindLine(spec.line, spec.column);
      if (map === undefined || bound === undefined) {
        this.lineBps.push({ spec, clause: -1, statement: 'clause', hitLog: [] });
        return { verified: false, message: 'not inside a clause' };
      }
      const problem = this.isErrorClause(bound.clause) ? ERROR_CLAUSE_MESSAGE : this.checkBreakpointExpressions(spec, bound.clause);
      if (problem !== undefined) {
        // Not verified, so not bound either: the editor shows it hollow, and it never stops.
        this.lineBps.push({ spec, clause: -1, statement: 'clause', hitLog: [] });
        return { verified: false, spot: bound.spot, message: problem };
      }
      this.lineBps.push({ spec, clause: bound.clause, statement: bound.statement, hitLog: before.get(breakpointKey(spec)) ?? [] });
      return { verified: true, spot: bound.spot };
    });
  }

  /** Every probe of the clause is dtrace:::ERROR (its firings happen inside another firing's fault). */
  private isErrorClause(clause: number): boolean {
    const { program, result } = this.script!;
    let any = false;
    for (const e of program.enablings) {
      if (this.map!.places(e).clause !== clause) continue;
      for (const id of e.probes) {
        const p = result.catalogue.probe(id);
        if (p === undefined || p.provider !== 'dtrace' || p.name !== 'ERROR') return false;
        any = true;
      }
    }
    return any;
  }

  /** Compiles a breakpoint's condition and log message against each probe of its clause (so errors show at once). */
  private checkBreakpointExpressions(spec: BreakpointSpec, clause: number): string | undefined {
    const probe = this.clauseProbe(clause);
    if (probe === undefined) return undefined;
    if (spec.condition !== undefined && spec.condition.trim() !== '') {
      const c = this.expressions!.compile(spec.condition, probe);
      if ('message' in c) return `condition: ${c.message}`;
    }
    if (spec.logMessage !== undefined) {
      const r = formatLogMessage(this.expressions!, spec.logMessage, probe, undefined);
      if ('message' in r) return `log message: ${r.message}`;
    }
    return undefined;
  }

  /** A probe some enabling of the clause is attached to, as provider:module:function:name. */
  private clauseProbe(clause: number): string | undefined {
    const { program, result } = this.script!;
    for (const e of program.enablings) {
      if (this.map!.places(e).clause !== clause) continue;
      const p = result.catalogue.probe(e.probes[0]!);
      if (p !== undefined) return `${p.provider}:${p.module}:${p.function}:${p.name}`;
    }
    return undefined;
  }

  setFunctionBreakpoints(descriptions: readonly string[]): ResolvedBreakpoint[] {
    this.fnBps = [];
    return descriptions.map((d) => {
      const parts = d.trim().split(':');
      if (parts.length > 4 || d.trim() === '') return { verified: false, message: `invalid probe description "${d}"` };
      while (parts.length < 4) parts.unshift('');
      this.fnBps.push({ fields: parts.map((p) => compileFieldMatcher(p)) as FunctionBreakpoint['fields'] });
      return { verified: true };
    });
  }

  setExceptionBreakpoints(filters: readonly ('fault' | 'drop')[]): void {
    this.exceptions = new Set(filters);
  }

  // ---- running forward

  continue(): Promise<void> {
    return this.exclusive(() => this.forward(() => undefined, true));
  }

  /**
   * One control operation at a time: a new one (a step, a move from the trace panel) makes the
   * one going on give up at its next pause, silently, waits for it, then runs.
   */
  private async exclusive(run: () => Promise<void>): Promise<void> {
    while (this.op !== undefined) {
      this.preempt = true;
      await this.op;
    }
    if (this.stopped) return;
    this.preempt = false;
    // A pause asked of an operation that ended by itself is not for this one.
    this.pauseRequested = false;
    const op = run().catch((e: unknown) => {
      if (!(e instanceof Cancelled)) throw e;
      // A move backwards given up: the run is where it was; a pause says so.
      if (this.pauseRequested && !this.preempt && !this.stopped) {
        this.pauseRequested = false;
        this.report({ reason: 'pause' });
      }
    });
    const settled = op.catch(() => undefined);
    this.op = settled;
    try {
      await op;
    } finally {
      if (this.op === settled) this.op = undefined;
    }
  }

  /** A move backwards is to give up (asked again after each turn of the event loop). */
  private readonly cancelled = (): boolean => this.preempt || this.stopped || this.pauseRequested;

  /** Whether anything could stop in this firing (else a continue runs it whole). */
  private mayStopIn(f: FiringFacts): boolean {
    if (this.exceptions.size > 0) return true;
    const probe = f.probe;
    if (this.fnBps.some((b) => b.fields[0].match(probe.provider) && b.fields[1].match(probe.module) && b.fields[2].match(probe.function) && b.fields[3].match(probe.name))) return true;
    return this.breakpointProbes().has(probe.id);
  }

  private bpProbes: Set<number> | undefined;

  /** Probes with an enabling in a clause that has a line breakpoint. */
  private breakpointProbes(): Set<number> {
    if (this.bpProbes === undefined) {
      const clauses = new Set(this.lineBps.map((b) => b.clause));
      this.bpProbes = new Set();
      for (const e of this.script?.program.enablings ?? []) {
        const c = this.map!.places(e).clause;
        if (c !== undefined && clauses.has(c)) for (const id of e.probes) this.bpProbes.add(id);
      }
    }
    return this.bpProbes;
  }

  next(): Promise<void> {
    return this.exclusive(() => this.doNext());
  }

  private doNext(): Promise<void> {
    const from = this.exec?.pause;
    const fromPlace = from && this.placeOf(this.exec!, from);
    return this.forward((p, exec) => {
      if (from === undefined) return 'step';
      if (from.kind === 'firing') return p.kind === 'firing' || p.kind === 'end' ? 'step' : undefined;
      if (!this.isStop(exec, p)) return undefined;
      if (p.kind !== 'action' && p.kind !== 'predicate') return 'step';
      const place = this.placeOf(exec, p);
      if (place === undefined) return undefined;
      return fromPlace === undefined || p.firing !== from.firing || place.clause !== fromPlace.clause || place.statement !== fromPlace.statement ? 'step' : undefined;
    });
  }

  stepIn(): Promise<void> {
    return this.exclusive(() => {
      if (this.exec?.pause?.kind !== 'firing') return this.doNext();
      return this.forward((p, exec) => (this.isStop(exec, p) ? 'step' : undefined));
    });
  }

  stepOut(): Promise<void> {
    return this.exclusive(() => this.forward((p) => (p.kind === 'firing' || p.kind === 'end' ? 'step' : undefined)));
  }

  /**
   * One DIF instruction. The run itself stays at the predicate or action: what the view shows
   * is a re-execution of it up to the instruction (the instruction's watch stops it there), so
   * the next step of any kind continues from an untouched state.
   */
  stepInstruction(): Promise<void> {
    return this.exclusive(() => this.doStepInstruction());
  }

  private async doStepInstruction(): Promise<void> {
    const exec = this.exec;
    if (exec === undefined || this.stopped) return;
    const at = this.instr?.at ?? exec.pause;
    const difo = at === undefined ? undefined : this.difoAt(exec, at);
    if (at === undefined || difo === undefined) {
      await this.forward((p) => (p.kind === 'action' || p.kind === 'predicate' || p.kind === 'firing' || p.kind === 'end' ? 'step' : undefined));
      this.startInstructions();
      return;
    }
    const executed = this.instr === undefined ? 0 : this.instr.executed + 1;
    if (executed === 0) {
      this.instr = { at, executed: 0, pc: 0, regs: [0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n], view: undefined };
      this.report({ reason: 'step' });
      return;
    }
    const view = await this.checkpoints!.executionAt(at, this.cancelled);
    const stop = runInstructions(view, at, executed);
    if (stop === undefined) {
      // The object ran to its end: on to the next pause, at its first instruction.
      this.instr = undefined;
      await this.forward((p) => (p.kind === 'action' || p.kind === 'predicate' || p.kind === 'firing' || p.kind === 'end' ? 'step' : undefined));
      this.startInstructions();
      return;
    }
    this.instr = { at, executed, pc: stop.pc, regs: stop.regs, view };
    this.report({ reason: 'step' });
  }

  /** After an instruction step moved the run: at a DIF object's first instruction, if it has one. */
  private startInstructions(): void {
    const exec = this.exec;
    const p = exec?.pause;
    this.instr = p !== undefined && exec !== undefined && this.difoAt(exec, p) !== undefined ? { at: p, executed: 0, pc: 0, regs: [0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n], view: undefined } : undefined;
  }

  /** The DIF object a predicate or action pause runs next. */
  private difoAt(exec: Execution, p: Pause): Difo | undefined {
    const e = exec.plans?.[p.plan]?.enabling;
    if (e === undefined) return undefined;
    if (p.kind === 'predicate') return e.predicate;
    if (p.kind === 'action') return e.actions[p.step >> 1]?.difo;
    return undefined;
  }

  /** The execution whose state the user sees: mid-object when stepping by instruction. */
  private viewed(): Execution | undefined {
    return this.instr?.view ?? this.exec;
  }

  /** Where the instruction being stepped is in the clause's disassembly (disassemble()'s addresses). */
  private instructionAddress(exec: Execution, p: Pause, pc: number): number | undefined {
    const e = exec.plans?.[p.plan]?.enabling;
    if (e === undefined) return undefined;
    const clause = this.map!.places(e).clause;
    const target = p.kind === 'predicate' ? e.predicate : e.actions[p.step >> 1]?.difo;
    let address = 0;
    for (const en of this.script!.program.enablings) {
      if (this.map!.places(en).clause !== clause) continue;
      for (const d of [en.predicate, ...en.actions.map((a) => a.difo)]) {
        if (d === undefined) continue;
        if (en === e && d === target) return address + pc;
        address += d.instructions.length;
      }
    }
    return undefined;
  }

  pause(): void {
    if (this.op !== undefined) this.pauseRequested = true;
  }

  /** Runs until `stopWhen` or a breakpoint; `unpausedFirings`: firings nothing could stop in run whole. */
  private async forward(stopWhen: (p: Pause, exec: Execution) => 'step' | undefined, unpausedFirings = false, target?: number): Promise<void> {
    const exec = this.exec;
    if (exec === undefined || this.stopped) return;
    this.instr = undefined;
    if (unpausedFirings) exec.wants = (f, index) => index === target || this.mayStopIn(f);
    this.running = true;
    try {
      await this.forwardLoop(exec, stopWhen);
    } finally {
      exec.wants = undefined;
      this.running = false;
    }
  }

  private async forwardLoop(exec: Execution, stopWhen: (p: Pause, exec: Execution) => 'step' | undefined): Promise<void> {
    for (;;) {
      let p: Pause | undefined;
      try {
        p = await exec.advance();
      } catch (e) {
        // A source closed under a pending read by stop(): not the run's failure.
        if (this.stopped || this.stopping) return;
        // What was printed before the failure is shown, as dtvm shows it.
        this.emitOutput(exec);
        throw e;
      }
      // Abandoned (disconnect) while waiting for a firing: nothing more runs or prints. (advance()
      // gives the event loop a turn now and then: a stop, another operation may have come.)
      if (this.stopped || this.exec !== exec) return;
      this.afterMove(exec);
      if (p === undefined || p.kind === 'end') {
        this.reportEnd(exec);
        return;
      }
      const hit = this.breakpointStop(exec, p, true);
      if (hit !== undefined) return this.report(hit);
      if (stopWhen(p, exec) === 'step') return this.report({ reason: 'step' });
      // Replaced by another operation: it reports where the run ends up.
      if (this.preempt) return;
      if (this.pauseRequested) {
        this.pauseRequested = false;
        return this.report({ reason: 'pause' });
      }
    }
  }

  private report(e: StopEvent): void {
    // Stopped from here on: what the client asks for in answer to the event (the trace panel's
    // state) must say so, though forward() only unwinds afterwards.
    this.running = false;
    this.events?.stopped(e);
  }

  /** Output made since the last move, the panel's record of the firing; checkpoints as the run goes. */
  private afterMove(exec: Execution): void {
    this.emitOutput(exec);
    const p = exec.pause;
    if (p !== undefined && p.firing !== this.lastStopFiring) {
      this.lastStopFiring = p.firing;
      this.clauseStops.clear();
    }
  }

  private emitOutput(exec: Execution): void {
    const out = exec.output;
    for (let k = this.emitted; k < out.length; k++) this.events?.output(out[k]!);
    if (out.length > this.emitted) this.emitted = out.length;
  }

  private reportEnd(exec: Execution): void {
    if (this.endReported) return;
    this.endReported = true;
    this.events?.ended((exec.consumer.exitStatus ?? 0) & 0xff);
  }

  // ---- where a pause is, and which pauses are stops

  private placeOf(exec: Execution, p: Pause): PlacedStep | undefined {
    const plan = exec.plans?.[p.plan];
    if (plan === undefined) return undefined;
    const places = this.map!.places(plan.enabling);
    if (p.kind === 'predicate' || (p.kind === 'fault' && p.step === -1)) return places.predicate;
    if (p.kind === 'action' || p.kind === 'fault') return places.actions[p.step >> 1];
    return undefined;
  }

  /** Pauses stepping may stop at: firings, the user's predicates, the first action of each statement, faults, drops. */
  private isStop(exec: Execution, p: Pause): boolean {
    switch (p.kind) {
      case 'firing':
      case 'fault':
      case 'drop':
      case 'end':
        return true;
      case 'busy':
        return false;
      case 'predicate':
        return this.placeOf(exec, p) !== undefined;
      case 'action': {
        const place = this.placeOf(exec, p);
        if (place === undefined) return false;
        const i = p.step >> 1;
        if (i === 0) return true;
        const prev = this.map!.places(exec.plans![p.plan]!.enabling).actions[i - 1];
        return prev === undefined || prev.statement !== place.statement;
      }
    }
  }

  /**
   * The breakpoint stop at this pause, if any. `live` counts hits and prints logpoints (a
   * forward run); a scan for reverse-continue only asks whether it would stop.
   */
  private breakpointStop(exec: Execution, p: Pause, live: boolean): StopEvent | undefined {
    if (p.kind === 'fault') return this.exceptions.has('fault') ? { reason: 'fault', text: exec.stopText ?? '' } : undefined;
    if (p.kind === 'drop') return this.exceptions.has('drop') ? { reason: 'drop', text: exec.stopText ?? '' } : undefined;
    if (p.kind === 'firing') {
      const probe = exec.facts?.probe;
      if (probe === undefined) return undefined;
      const hits = this.fnBps.flatMap((b, i) => (b.fields[0].match(probe.provider) && b.fields[1].match(probe.module) && b.fields[2].match(probe.function) && b.fields[3].match(probe.name) ? [i] : []));
      return hits.length > 0 ? { reason: 'function breakpoint', breakpoints: hits } : undefined;
    }
    if (p.kind !== 'predicate' && p.kind !== 'action') return undefined;
    if (!this.isStop(exec, p)) return undefined;
    const place = this.placeOf(exec, p)!;
    const hits: number[] = [];
    const clauseFirst = p.kind === 'action' && !this.clauseStops.has(place.clause);
    this.lineBps.forEach((b, i) => {
      if (b.clause !== place.clause) return;
      const matches = b.statement === 'clause' ? clauseFirst : b.statement === place.statement && (b.statement !== -1 || p.kind === 'predicate');
      if (!matches) return;
      if (!this.conditionHolds(exec, b.spec)) return;
      // The hit count here: the hits before this position, and this one.
      const log = b.hitLog;
      let before = log.length;
      while (before > 0 && comparePositions(log[before - 1]!, p) >= 0) before--;
      if (live && (before === log.length || comparePositions(log[before]!, p) !== 0)) log.splice(before, 0, { ...p });
      if (!hitConditionHolds(b.spec.hitCondition, before + 1)) return;
      if (b.spec.logMessage !== undefined) {
        if (live) this.log(exec, b.spec.logMessage, place);
        return;
      }
      hits.push(i);
    });
    if (p.kind === 'action' && live) this.clauseStops.add(place.clause);
    return hits.length > 0 ? { reason: 'breakpoint', breakpoints: hits } : undefined;
  }

  private conditionHolds(exec: Execution, spec: BreakpointSpec): boolean {
    if (spec.condition === undefined || spec.condition.trim() === '') return true;
    const r = this.evaluateIn(exec, spec.condition);
    // A condition that cannot be evaluated stops (the user sees why in the watch).
    return !r.ok || r.raw !== 0n;
  }

  private log(exec: Execution, message: string, place: PlacedStep): void {
    const probe = probeText(exec);
    if (probe === undefined) return;
    const r = formatLogMessage(this.expressions!, message, probe, {
      run: (difo) => this.runDifo(exec, difo),
      readString: (addr, max) => exec.rt.space.readString(addr, max),
      options: this.script!.options,
    });
    const text = 'text' in r ? r.text : `${r.message}\n`;
    this.events?.output({ text: text.endsWith('\n') ? text : `${text}\n`, stream: 'stdout', firing: exec.firingIndex, spot: place.spot });
  }

  // ---- going backwards

  stepBack(): Promise<void> {
    return this.exclusive(() => this.doStepBack());
  }

  private async doStepBack(): Promise<void> {
    const exec = this.exec;
    const cur = exec?.pause;
    if (exec === undefined || cur === undefined) return;
    // The stop before this one: scan this firing (and the one before when at a firing's start).
    const from = cur.kind === 'firing' || cur.kind === 'end' ? Math.max(0, cur.firing - 1) : cur.firing;
    let target: Pause | undefined;
    await this.scan(from, cur, (p, e) => {
      if (this.isStop(e, p)) target = { ...p };
    });
    await this.moveTo(target ?? { kind: 'firing', firing: 0, plan: -1, step: 0 });
    this.report({ reason: 'step' });
  }

  reverseContinue(): Promise<void> {
    return this.exclusive(() => this.doReverseContinue());
  }

  private async doReverseContinue(): Promise<void> {
    const exec = this.exec;
    const cur = exec?.pause;
    if (exec === undefined || cur === undefined) return;
    let target: { pause: Pause; stop: StopEvent } | undefined;
    const saved = this.clauseStops;
    let firing = -1;
    const each = (p: Pause, e: Execution): void => {
      if (p.firing !== firing) {
        firing = p.firing;
        this.clauseStops = new Set();
      }
      const stop = this.breakpointStop(e, p, false);
      if (p.kind === 'action') {
        const place = this.placeOf(e, p);
        if (place !== undefined && this.isStop(e, p)) this.clauseStops.add(place.clause);
      }
      if (stop !== undefined) target = { pause: { ...p }, stop };
    };
    // Backwards one checkpoint interval at a time (each scan starts at a checkpoint), running
    // whole the firings no breakpoint could stop in; the last hit of the latest interval wins.
    const every = this.checkpoints!.every;
    let until: Pause = cur;
    try {
      for (let k = Math.floor(cur.firing / every); k >= 0 && target === undefined; k--) {
        firing = -1;
        await this.scan(k * every, until, each, true);
        until = { kind: 'firing', firing: k * every, plan: -1, step: 0 };
      }
    } finally {
      this.clauseStops = saved;
    }
    if (target === undefined) {
      await this.moveTo({ kind: 'firing', firing: 0, plan: -1, step: 0 });
      this.report({ reason: 'entry' });
      return;
    }
    await this.moveTo(target.pause);
    this.report(target.stop);
  }

  gotoFiring(firing: number): Promise<void> {
    return this.exclusive(() => this.doGotoFiring(firing));
  }

  private async doGotoFiring(firing: number): Promise<void> {
    const cur = this.exec?.pause;
    if (cur === undefined) return;
    const target: Pause = { kind: 'firing', firing: Math.max(0, firing), plan: -1, step: 0 };
    if (comparePositions(target, cur) > 0) {
      await this.forward((p) => (p.kind !== 'busy' && comparePositions(p, target) >= 0 ? 'step' : undefined), true, target.firing);
      return;
    }
    await this.moveTo(target);
    this.report({ reason: 'goto' });
  }

  /** Runs a fresh execution over [from firing, before `until`), calling `each` at every pause. */
  private async scan(from: number, until: Pause, each: (p: Pause, exec: Execution) => void, onlyWhereStops = false): Promise<void> {
    const e = await this.checkpoints!.executionAt({ kind: 'firing', firing: from, plan: -1, step: 0 }, this.cancelled);
    if (onlyWhereStops) e.wants = (f) => this.mayStopIn(f);
    let p = e.pause;
    while (p !== undefined && comparePositions(p, until) < 0) {
      if (p.kind !== 'busy') each(p, e);
      p = await e.advance();
      if (this.cancelled()) throw new Cancelled();
    }
  }

  /** Makes the run be at `target` (earlier than now): a fresh execution from the nearest checkpoint. */
  private async moveTo(target: Pause): Promise<void> {
    const e = await this.checkpoints!.executionAt(target, this.cancelled);
    this.instr = undefined;
    this.exec = e;
    this.endReported = e.ended && this.endReported;
    this.lastStopFiring = -1;
    this.afterMove(e);
    this.clauseStops.clear();
  }

  // ---- what the user sees at a stop

  location(): Location | undefined {
    const exec = this.exec;
    const p = exec?.pause;
    const f = exec?.facts;
    if (exec === undefined || p === undefined || f === undefined) return undefined;
    const firing = {
      index: p.firing,
      probe: `${f.probe.provider}:${f.probe.module}:${f.probe.function}:${f.probe.name}`,
      timestamp: f.timestamp,
      cpu: f.cpu,
      pid: f.pid,
      tid: BigInt(f.tid),
      execname: f.execname,
    };
    const place = this.placeOf(exec, p);
    if (place === undefined) return { firing };
    const instruction = this.instr !== undefined ? this.instructionAddress(exec, p, this.instr.pc) : undefined;
    return { firing, clause: this.map!.clauses[place.clause]!, statement: place.statement, spot: place.spot, ...(instruction !== undefined ? { instruction } : {}) };
  }

  scopes(): ScopeName[] {
    const p = this.exec?.pause;
    if (p === undefined || this.exec?.facts === undefined) return ['Globals', 'Aggregations'];
    if (p.kind === 'firing') return ['Probe', 'Thread-local', 'Globals', 'Aggregations'];
    return this.instr !== undefined ? ['Probe', 'Clause-local', 'Thread-local', 'Globals', 'Aggregations', 'Registers'] : ['Probe', 'Clause-local', 'Thread-local', 'Globals', 'Aggregations'];
  }

  variables(scope: ScopeName): ValueView[] {
    const exec = this.viewed();
    if (exec === undefined) return [];
    switch (scope) {
      case 'Probe':
        return this.probeVariables(exec);
      case 'Clause-local':
        return this.userVariables(exec, 'clause');
      case 'Thread-local':
        return this.userVariables(exec, 'thread');
      case 'Globals':
        return this.userVariables(exec, 'global');
      case 'Aggregations':
        return aggregationViews(exec, this.script!.program);
      case 'Registers': {
        const instr = this.instr;
        if (instr === undefined) return [];
        return [
          { name: 'pc', value: String(instr.pc), type: 'uint_t' },
          ...instr.regs.map((r, i) => ({ name: `%r${i}`, value: `${BigInt.asIntN(64, r)} (0x${BigInt.asUintN(64, r).toString(16)})`, type: 'uint64_t' })),
        ];
      }
    }
  }

  private probeVariables(exec: Execution): ValueView[] {
    const f = exec.facts;
    if (f === undefined) return [];
    const strsize = exec.rt.config.strsize;
    const types = this.script!.result.analysis!.compilation.types;
    const args: ValueView[] = f.args.map((raw, i) => {
      const typeText = f.probe.args[i]?.native;
      let type;
      try {
        type = typeText !== undefined ? types.parse(typeText) : undefined;
      } catch {
        type = undefined;
      }
      const view = valueView(exec.rt, `args[${i}]`, type, raw, strsize, f.userMemory);
      // The type as the probe declares it (`dtrace -lv`): the type model keeps no const or userland.
      return typeText !== undefined && type !== undefined ? { ...view, type: typeText } : view;
    });
    const out: ValueView[] = [
      { name: 'probeprov', value: quoted(Buffer.from(f.probe.provider)), type: 'string' },
      { name: 'probemod', value: quoted(Buffer.from(f.probe.module)), type: 'string' },
      { name: 'probefunc', value: quoted(Buffer.from(f.probe.function)), type: 'string' },
      { name: 'probename', value: quoted(Buffer.from(f.probe.name)), type: 'string' },
      { name: 'args', value: `[${args.length}]`, children: () => args },
      ...f.args.map((a, i) => ({ name: `arg${i}`, value: BigInt.asIntN(64, a).toString(), type: 'int64_t' })),
      { name: 'pid', value: String(f.pid), type: 'pid_t' },
      { name: 'ppid', value: String(f.ppid), type: 'pid_t' },
      { name: 'tid', value: String(f.tid), type: 'id_t' },
      { name: 'uid', value: String(f.uid), type: 'uid_t' },
      { name: 'gid', value: String(f.gid), type: 'gid_t' },
      { name: 'execname', value: quoted(Buffer.from(f.execname)), type: 'string' },
      { name: 'cpu', value: String(f.cpu), type: 'processorid_t' },
      { name: 'timestamp', value: f.timestamp.toString(), type: 'uint64_t' },
      { name: 'walltimestamp', value: (f.wallStart + f.timestamp).toString(), type: 'int64_t' },
      { name: 'errno', value: String(f.errno), type: 'int' },
    ];
    const plan = exec.plans?.[exec.pause?.plan ?? -1];
    if (plan !== undefined && exec.pause?.kind !== 'firing') out.push({ name: 'epid', value: String(plan.enabling.epid), type: 'uint_t' });
    return out;
  }

  private userVariables(exec: Execution, scope: 'global' | 'thread' | 'clause'): ValueView[] {
    const c = this.script!.result.analysis!.compilation;
    const f = exec.facts;
    const table = scope === 'global' ? c.globals : scope === 'thread' ? c.threadLocals : c.clauseLocals;
    const difScope = scope === 'global' ? DIFV_SCOPE_GLOBAL : scope === 'thread' ? DIFV_SCOPE_THREAD : DIFV_SCOPE_LOCAL;
    // Only variables the running code uses (clause-locals: those of the paused clause).
    const plan = exec.plans?.[exec.pause?.plan ?? -1];
    const difos = scope === 'clause' ? (plan === undefined ? [] : [plan.enabling.predicate, ...plan.enabling.actions.map((a) => a.difo)].filter((d) => d !== undefined)) : allDifos(this.script!.program);
    const used = new Set<number>();
    for (const d of difos) for (const v of d.variables) if (v.scope === difScope) used.add(v.id);
    if ((scope === 'thread' || scope === 'clause') && f === undefined) return [];
    const thread = f === undefined ? 0 : (f.threadKey ?? f.tid);
    const strsize = exec.rt.config.strsize;
    const vars = exec.rt.vars;
    const out: ValueView[] = [];
    for (const v of table.all().filter((x: Variable) => used.has(x.id) && !x.name.startsWith('%')).sort((a: Variable, b: Variable) => a.id - b.id)) {
      const prefix = scope === 'thread' ? 'self->' : scope === 'clause' ? 'this->' : '';
      if (v.shape === 'assoc') {
        const entries = vars.assocEntries(difScope, v.id, thread);
        out.push({
          name: `${prefix}${v.name}`,
          value: `[${entries.length} element${entries.length === 1 ? '' : 's'}]`,
          type: v.type === undefined ? undefined : `${typeNameOf(v)}[${(v.keys ?? []).map((k) => typeNameOfType(k)).join(', ')}]`,
          children: () =>
            entries.map((en) => {
              const key = en.tuple.map((k, i) => (typeof k === 'bigint' ? keyIntText(k, v.keys?.[i]) : quoted(trimNul(k)))).join(', ');
              return valueView(exec.rt, `[${key}]`, v.type, en.value, strsize);
            }),
        });
        continue;
      }
      let raw: bigint;
      try {
        raw = scope === 'global' ? vars.loadGlobal(v.id) : scope === 'thread' ? vars.loadThread(v.id, thread) : vars.loadLocal(v.id, f!.cpu);
      } catch {
        continue;
      }
      out.push(valueView(exec.rt, `${prefix}${v.name}`, v.type, raw, strsize));
    }
    return out;
  }

  evaluate(expression: string): { ok: true; value: ValueView } | { ok: false; message: string } {
    const exec = this.viewed();
    if (exec === undefined) return { ok: false, message: 'not running' };
    const r = this.evaluateIn(exec, expression);
    if (!r.ok) return r;
    return { ok: true, value: r.view };
  }

  private evaluateIn(exec: Execution, expression: string): { ok: true; raw: bigint; view: ValueView } | { ok: false; message: string } {
    const probe = probeText(exec);
    if (probe === undefined) return { ok: false, message: 'not stopped at a probe firing' };
    const compiled = this.expressions!.compile(expression, probe);
    if ('message' in compiled) return { ok: false, message: compiled.message };
    const raw = this.runDifo(exec, compiled.difo);
    if (typeof raw !== 'bigint') return { ok: false, message: raw.message };
    return { ok: true, raw, view: valueView(exec.rt, expression, compiled.type, raw, exec.rt.config.strsize, exec.facts?.userMemory) };
  }

  /** Runs an expression's DIF in the paused firing's context (the enabling's EPID when in one). */
  private runDifo(exec: Execution, difo: Parameters<Execution['rt']['evaluate']>[0]): bigint | { message: string } {
    const f = exec.facts!;
    const plan = exec.plans?.[exec.pause?.plan ?? -1];
    try {
      return exec.rt.evaluate(difo, f, plan?.enabling.epid ?? 0, exec.run?.strtok);
    } catch (e) {
      if (e instanceof EmulationFault) return { message: exec.faultTextOf({ epid: plan?.enabling.epid ?? 0, probeId: f.probe.id, cpu: f.cpu, fault: e.fault, action: 0, difOffset: e.offset, value: e.value }).replace(/ in action #1.*$/, '') };
      throw e;
    }
  }

  disassemble(clause: number): { address: number; text: string; spot?: SourceSpot }[] {
    const out: { address: number; text: string; spot?: SourceSpot }[] = [];
    const program = this.script?.program;
    if (program === undefined) return out;
    let address = 0;
    const platform = program.platform;
    for (const e of program.enablings) {
      const places = this.map!.places(e);
      if (places.clause !== clause) continue;
      const objects = [...(e.predicate ? [{ difo: e.predicate, spot: places.predicate?.spot, what: 'predicate' }] : []), ...e.actions.map((a, i) => ({ difo: a.difo, spot: places.actions[i]?.spot, what: `action #${i + 1}` }))];
      for (const o of objects) {
        if (o.difo === undefined) continue;
        o.difo.instructions.forEach((word, k) => {
          const text = `${String(k).padStart(2, '0')}: ${(word >>> 0).toString(16).padStart(8, '0')}    ${instructionText(word, o.difo, platform ? { platform } : {})}`;
          out.push({ address: address++, text: `EPID ${e.epid} ${o.what} ${text}`, ...(o.spot ? { spot: o.spot } : {}) });
        });
      }
    }
    return out;
  }

  async stop(abandon = false): Promise<void> {
    if (this.stopped) return;
    if (abandon) {
      // Leaving at once: the operation going on gives up; a read it waits for ends with the source.
      this.stopped = true;
      await this.closeSource();
      return;
    }
    // As Ctrl-C: tracing stops at the next event (the operation going on ends at its next
    // pause), END fires, the last consumer pass prints the aggregations.
    const interrupt = (e: Execution | undefined): void => {
      if (e === undefined || e.ended || this.interrupted.has(e)) return;
      this.interrupted.add(e);
      e.consumer.interrupted();
      e.requestStop();
    };
    interrupt(this.exec);
    this.stopping = true;
    // A live capture's next firing can take as long as the command lives: Ctrl-C does not wait
    // for it. Closing the source ends the read (the firings read so far stay on the tape).
    const closed = this.live ? this.closeSource() : undefined;
    while (this.op !== undefined) {
      this.preempt = true;
      await this.op;
    }
    if (this.stopped) return;
    const exec = this.exec;
    if (exec !== undefined && !exec.ended) {
      interrupt(exec);
      for (;;) {
        let p: Pause | undefined;
        try {
          p = await exec.advance();
        } catch (e) {
          // The live source closed under a read: the run ends where it is.
          if (!this.live) throw e;
          p = undefined;
        }
        this.afterMove(exec);
        if (p === undefined || p.kind === 'end') break;
      }
      this.reportEnd(exec);
    }
    this.stopped = true;
    await (closed ?? this.closeSource());
  }

  /** Closes the source (a read waiting for it ends), then the tape. */
  private async closeSource(): Promise<void> {
    const tapeClosed = this.setup?.tape.close();
    await this.source?.close();
    await tapeClosed;
  }

  panelState(): PanelState {
    const exec = this.exec;
    return { ...this.panel.state(this.scriptPath, exec, this.script?.program, exec?.output ?? []), running: this.running };
  }

  /** Memory the backward stepping keeps (checkpoints and the kept firings), for the bench. */
  backwardCost(): { checkpoints: number; checkpointBytes: number; firings: number; firingBytes: number } {
    const tape = this.setup?.tape;
    return { checkpoints: this.checkpoints?.count ?? 0, checkpointBytes: this.checkpoints?.bytes ?? 0, firings: tape?.length ?? 0, firingBytes: tape?.bytes ?? 0 };
  }
}

/** Actions the consumer prints (trace() is a DIFEXPR that records a value; an assignment records nothing). */
const PRINTING = new Set<number>([ACT.PRINTF, ACT.PRINTA, ACT.PRINTM, ACT.PRINTT, ACT.TRACEMEM, ACT.SYSTEM, ACT.STACK, ACT.USTACK, ACT.JSTACK, ACT.SYM, ACT.MOD, ACT.USYM, ACT.UMOD, ACT.UADDR]);

function prints(a: ActionDesc): boolean {
  return PRINTING.has(a.kind) || (a.kind === ACT.DIFEXPR && a.size > 0);
}

/**
 * Where the consumer's text for an enabling's records comes from: the one statement of its
 * clause that prints (printf, trace, printa ...); none when several do. A fault's text goes to
 * the statement whose action faulted (the predicate: -1).
 */
function outputSpots(program: CompiledProgram, map: ClauseMap): (epid: number, action?: number) => SourceSpot | undefined {
  const byEpid = new Map<number, Enabling>();
  for (const e of program.enablings) for (const id of e.epids ?? [e.epid]) byEpid.set(id, e);
  const printing = new Map<Enabling, SourceSpot | undefined>();
  return (epid, action) => {
    const e = byEpid.get(epid);
    if (e === undefined) return undefined;
    const places = map.places(e);
    if (action !== undefined) return action < 0 ? places.predicate?.spot : places.actions[action]?.spot;
    if (!printing.has(e)) {
      const aggregating = new Set<number>();
      e.actions.forEach((a, i) => {
        const place = places.actions[i];
        if (place !== undefined && isAggregating(a.kind)) aggregating.add(place.statement);
      });
      const statements = new Map<number, SourceSpot>();
      e.actions.forEach((a, i) => {
        const place = places.actions[i];
        if (place === undefined || !prints(a) || aggregating.has(place.statement)) return;
        if (!statements.has(place.statement)) statements.set(place.statement, place.spot);
      });
      printing.set(e, statements.size === 1 ? [...statements.values()][0] : undefined);
    }
    return printing.get(e);
  };
}

/** Thrown by the watch to stop a DIF object mid-way. */
const INSTRUCTION_STOP = Symbol('instruction stop');

/**
 * Runs the predicate or action `at` pauses before, in `exec` (which is at `at`), stopping
 * before its instruction number `count` (counting executed instructions, not addresses):
 * where it stopped and the registers then, or undefined when the object finished first.
 * `exec` is left mid-object: a view only, never run further.
 */
function runInstructions(exec: Execution, at: Pause, count: number): { pc: number; regs: bigint[] } | undefined {
  const run = exec.run;
  if (run === undefined) return undefined;
  let seen = 0;
  let stop: { pc: number; regs: bigint[] } | undefined;
  exec.rt.watch = (pc, regs) => {
    if (seen++ === count) {
      stop = { pc, regs: [...regs] };
      throw INSTRUCTION_STOP;
    }
  };
  try {
    exec.rt.resumeEnabling(run);
    if (at.kind === 'predicate') exec.rt.runPredicate(run);
    else exec.rt.runAction(run);
  } catch (e) {
    if (e !== INSTRUCTION_STOP) throw e;
  } finally {
    exec.rt.watch = undefined;
  }
  return stop;
}

function probeText(exec: Execution): string | undefined {
  const p = exec.facts?.probe;
  return p && `${p.provider}:${p.module}:${p.function}:${p.name}`;
}

/** What makes a breakpoint the same one when the client sends the list again. */
function breakpointKey(spec: BreakpointSpec): string {
  return JSON.stringify([spec.line, spec.column ?? 0, spec.condition ?? '', spec.hitCondition ?? '', spec.logMessage ?? '']);
}

function hitConditionHolds(cond: string | undefined, hits: number): boolean {
  if (cond === undefined || cond.trim() === '') return true;
  const m = /^\s*(>=|==|%|>|<=|<)?\s*(\d+)\s*$/.exec(cond);
  if (!m) return true;
  const n = Number(m[2]);
  switch (m[1]) {
    case '==':
      return hits === n;
    case '%':
      return n > 0 && hits % n === 0;
    case '>':
      return hits > n;
    case '<':
      return hits < n;
    case '<=':
      return hits <= n;
    default:
      return hits >= n;
  }
}

function trimNul(b: Uint8Array): Uint8Array {
  const z = b.indexOf(0);
  return z < 0 ? b : b.subarray(0, z);
}

function typeNameOf(v: Variable): string {
  return v.type === undefined ? '' : typeName(v.type);
}

function typeNameOfType(t: NonNullable<Variable['type']>): string {
  return typeName(t);
}

function keyIntText(k: bigint, type: Variable['type'] | undefined): string {
  const size = type?.kind === 'int' ? type.size : 8;
  const signed = type?.kind === 'int' ? type.signed : true;
  return (signed ? BigInt.asIntN(size * 8, k) : BigInt.asUintN(size * 8, k)).toString();
}
