// The contract between the debug runtime (server/src/debug/runtime/) and the faces that drive
// it: the debug adapter (server/src/debug/adapter/), which also carries the trace panel's
// events and requests (panelState, gotoFiring). The runtime
// knows nothing about DAP; the adapter knows nothing about the VM's internals (the split of
// vscode-mock-debug). Positions are 1-based lines and columns of the script as the user wrote it.

import type { PanelState } from '../panelModel';

/** Where to take probe firings from (the same sources as dtvm's command line). */
export type FiringsSourceSpec =
  | { kind: 'trace'; file: string }
  | { kind: 'workload'; file: string; seed?: number }
  | { kind: 'command'; command: string }
  | { kind: 'attach'; pid: number }
  | { kind: 'none' };

export interface LaunchSpec {
  /** The .d file. */
  program: string;
  /** The script text (the editor's unsaved text); read from `program` when absent. */
  text?: string;
  source: FiringsSourceSpec;
  /** `-x name=value` settings in order (`quiet`, `bufsize=8m`...). */
  options?: readonly string[];
  destructive?: boolean;
  /** $1.. macro arguments. */
  macroArguments?: readonly string[];
  /** The flavour asked for; one that contradicts the source's system is refused (as dtvm --flavour). */
  flavour?: string;
  /** Provider files (dtvm --providers). */
  providerFiles?: readonly string[];
  /** Firings between two checkpoints kept for going backwards (default 1000): memory against step-back time. */
  checkpointInterval?: number;
}

/** A compile error or warning, placed in the script. */
export interface ScriptProblem {
  severity: 'error' | 'warning';
  code: string;
  message: string;
  line: number;
  column: number;
}

export interface SourceSpot {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** A clause of the script: a stack frame's middle level, a breakpoint target. */
export interface ClauseInfo {
  /** 0-based, in script order (before if-desugaring: the clause the user wrote). */
  index: number;
  /** The probe descriptions as written, joined by `,`. */
  probes: string;
  spot: SourceSpot;
  predicate?: SourceSpot;
  /** Statement spots inside the clause, in order. */
  statements: readonly SourceSpot[];
}

export interface BreakpointSpec {
  line: number;
  column?: number;
  /** A D expression evaluated in the firing's context: stop when non-zero. */
  condition?: string;
  /** Stop on the Nth hit and after (`>= N`), or `% N`, `== N` as VS Code's hit-condition text. */
  hitCondition?: string;
  /** A logpoint: the arguments of a D printf(), e.g. `"fd=%d", arg0`; printed instead of stopping. */
  logMessage?: string;
}

export interface ResolvedBreakpoint {
  verified: boolean;
  /** Where it actually binds (the clause or statement start). */
  spot?: SourceSpot;
  /** Why it could not bind (not inside a clause, bad condition: the compile error text). */
  message?: string;
}

export type StopReason = 'entry' | 'breakpoint' | 'step' | 'fault' | 'drop' | 'pause' | 'function breakpoint' | 'goto';

export interface StopEvent {
  reason: StopReason;
  /** The fault or drop text, as dtrace prints it, for `fault`/`drop`. */
  text?: string;
  /** Breakpoint ids (indexes of the last setBreakpoints list) that caused it. */
  breakpoints?: number[];
}

/** One probe firing as the stack shows it (outermost frame). */
export interface FiringInfo {
  /** 0-based position in the run (BEGIN is firing 0). */
  index: number;
  probe: string; // provider:module:function:name
  timestamp: bigint;
  cpu: number;
  pid: number;
  tid: bigint;
  execname: string;
}

export interface Location {
  firing: FiringInfo;
  /** Clause being run, undefined between firings. */
  clause?: ClauseInfo;
  /** Statement within the clause (-1: the predicate). */
  statement?: number;
  spot?: SourceSpot;
  /** DIF instruction address when stepping by instruction. */
  instruction?: number;
}

/** A value to show: scalars as text, compound values as children fetched on demand. */
export interface ValueView {
  name: string;
  value: string;
  type?: string;
  /** Children (struct members, aggregation keys, histogram buckets); absent for scalars. */
  children?: () => ValueView[];
}

export type ScopeName = 'Probe' | 'Clause-local' | 'Thread-local' | 'Globals' | 'Aggregations' | 'Registers';

export interface OutputEvent {
  text: string;
  /** Which firing produced it (undefined for the consumer's own lines, e.g. aggregations at the end). */
  firing?: number;
  stream: 'stdout' | 'stderr';
  /** The statement that produced it (printf, trace, printa...), when known: the debug console links the line there. */
  spot?: SourceSpot;
}

export interface RuntimeEvents {
  stopped(e: StopEvent): void;
  output(e: OutputEvent): void;
  /** The run ended (exit(), end of firings, stop()); `status` is dtvm's exit status. */
  ended(status: number): void;
}

export interface DebugRuntime {
  /** Compiles the script (problems are returned, not thrown) and prepares the source; does not run. */
  launch(spec: LaunchSpec, events: RuntimeEvents): Promise<{ ok: boolean; problems: ScriptProblem[] }>;
  clauses(): readonly ClauseInfo[];
  setBreakpoints(bps: readonly BreakpointSpec[]): ResolvedBreakpoint[];
  /** Probe-description breakpoints (`syscall::read:*`): stop at firings of matching probes. */
  setFunctionBreakpoints(descriptions: readonly string[]): ResolvedBreakpoint[];
  setExceptionBreakpoints(filters: readonly ('fault' | 'drop')[]): void;
  /** Runs until a breakpoint, a stop condition or the end. `stopOnEntry` makes launch stop before BEGIN. */
  continue(): Promise<void>;
  /** Next statement; then next clause of the same firing; then the next firing. */
  next(): Promise<void>;
  /** Into the firing's clauses (from between firings), else like next. */
  stepIn(): Promise<void>;
  /** To the start of the next firing. */
  stepOut(): Promise<void>;
  stepBack(): Promise<void>;
  reverseContinue(): Promise<void>;
  /** One DIF instruction. */
  stepInstruction(): Promise<void>;
  pause(): void;
  location(): Location | undefined;
  scopes(): ScopeName[];
  variables(scope: ScopeName): ValueView[];
  /** Evaluates a D expression in the current firing's context without changing any state. */
  evaluate(expression: string): { ok: true; value: ValueView } | { ok: false; message: string };
  /** The clause's DIF, one line per instruction, for the disassembly view. */
  disassemble(clause: number): { address: number; text: string; spot?: SourceSpot }[];
  /** Ends the run: END fires and aggregations print (as Ctrl-C does), unless `abandon`. */
  stop(abandon?: boolean): Promise<void>;
  /**
   * What the trace panel and inline previews show now (sent as the custom DAP event
   * `dtrace.panel` after every stop and, while running, at most every 250 ms; the custom
   * request `dtrace.gotoFiring` {firing} moves the debugger there, forward or back).
   */
  panelState?(): PanelState;
  gotoFiring?(firing: number): Promise<void>;
}
