// The `dtrace` debug adapter: DAP requests mapped onto a DebugRuntime (server/src/debug/runtime/
// api.ts). Time is a stream of probe firings, so there is one thread ("firings") whose stack is
// firing > clause > statement. The same class runs inline in VS Code's extension host and over
// stdio (`bin/dtvm-dap`) for other DAP clients.
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import {
  Event,
  ExitedEvent,
  Handles,
  InitializedEvent,
  Logger,
  logger,
  LoggingDebugSession,
  OutputEvent,
  Scope,
  Source,
  StoppedEvent,
  TerminatedEvent,
  Thread,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type {
  BreakpointSpec,
  DebugRuntime,
  Location,
  OutputEvent as RuntimeOutput,
  ResolvedBreakpoint,
  ScopeName,
  ScriptProblem,
  SourceSpot,
  StopEvent,
  ValueView,
} from '../runtime/api';
import { checkLaunchArguments, LaunchArgumentError, type CheckedLaunch, type DTraceLaunchArguments } from './launchArguments';
import { errorText } from './errors';
import { clauseFrameName, firingFrameName, statementFrameName } from './frameNames';
import { instructionReference, parseInstructionReference } from './instructionReferences';

export type RuntimeFactory = () => DebugRuntime;

const THREAD_ID = 1;
/** Frame ids by level: the stack is rebuilt from the runtime's one location at every stop. */
const FRAME = { statement: 1, clause: 2, firing: 3 } as const;

type Handle = { scope: ScopeName } | { children: () => ValueView[] };

/** The DAP exception filters: a runtime fault (DTrace's `error on enabled probe ID ...`) and a drop. */
export const EXCEPTION_FILTERS: DebugProtocol.ExceptionBreakpointsFilter[] = [
  { filter: 'fault', label: 'Runtime faults', description: 'Stop at the statement that faults (invalid address, division by zero ...), with the fault text.', default: true },
  { filter: 'drop', label: 'Drops', description: 'Stop when data is dropped (buffer full, dynamic variable drops ...).', default: false },
];

/** The trace panel's custom event and request (client/src/tracePanel/panel.ts listens). */
export const PANEL_EVENT = 'dtrace.panel';
export const GOTO_FIRING_REQUEST = 'dtrace.gotoFiring';
/** While the script runs, the panel and inline previews refresh at most this often. */
const PANEL_INTERVAL_MS = 250;

const SCOPE_HINTS: Partial<Record<ScopeName, string>> = { Probe: 'arguments', 'Clause-local': 'locals', Registers: 'registers' };

/**
 * The library's logger queues every message (each one JSON-stringified) until someone sets a
 * level, and the inline adapter never does: set "log nothing" so a long session does not grow.
 */
function quietLogs(): void {
  logger.setup(Logger.LogLevel.Stop, false);
}

export class DTraceDebugSession extends LoggingDebugSession {
  private runtime: DebugRuntime | undefined;
  private program = '';
  private lines: string[] = [];
  private noDebug = false;
  /** A launch or attach was received (a session runs one script). */
  private launched = false;
  private ended = false;
  private lastStop: StopEvent | undefined;
  private handles = new Handles<Handle>();
  private nextBreakpointId = 1;
  private lineBreakpointIds: number[] = [];
  /** The user's breakpoints in the script, as last given to the runtime (without the stopAtLine one). */
  private lineBreakpoints: BreakpointSpec[] = [];
  /** `stopAtLine`: a one-shot breakpoint after the user's, removed once hit. */
  private stopAtLine: number | undefined;
  private stopAtLineHit = false;
  private functionBreakpointIds: number[] = [];
  private panelTimer: ReturnType<typeof setInterval> | undefined;
  private configured!: Promise<void>;
  private markConfigured!: () => void;

  constructor(private readonly createRuntime: RuntimeFactory) {
    super();
    logger.init(() => undefined, undefined, false);
    quietLogs();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
    this.configured = new Promise((done) => (this.markConfigured = done));
  }

  override start(inStream: NodeJS.ReadableStream, outStream: NodeJS.WritableStream): void {
    super.start(inStream, outStream);
    // start() gives the logger a new queue.
    quietLogs();
  }

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = {
      supportsConfigurationDoneRequest: true,
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsLogPoints: true,
      supportsFunctionBreakpoints: true,
      exceptionBreakpointFilters: EXCEPTION_FILTERS,
      supportsExceptionInfoRequest: true,
      supportsStepBack: true,
      supportsEvaluateForHovers: true,
      supportsDisassembleRequest: true,
      supportsSteppingGranularity: true,
      supportsTerminateRequest: true,
      supportsBreakpointLocationsRequest: true,
    };
    this.sendResponse(response);
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    // A client that set no breakpoint in the script never sent setBreakpoints for it.
    if (this.runtime && this.stopAtLine !== undefined && this.lineBreakpoints.length === 0) this.applyLineBreakpoints();
    this.sendResponse(response);
    this.markConfigured();
  }

  protected override async launchRequest(response: DebugProtocol.LaunchResponse, args: DebugProtocol.LaunchRequestArguments): Promise<void> {
    // One run per session (DAP: a client starts a new session to run again). A second launch
    // would replace the runtime and orphan the first run, with any process it started.
    if (this.launched) {
      this.fail(response, 3004, 'this debug session has already launched a script: start a new session to run it again');
      return;
    }
    let checked: CheckedLaunch;
    try {
      checked = checkLaunchArguments(args as DTraceLaunchArguments);
    } catch (e) {
      this.fail(response, 3001, e instanceof LaunchArgumentError ? `dtrace launch configuration: ${e.message}` : errorText(e));
      return;
    }
    this.launched = true;
    await this.startRun(response, checked);
  }

  /** `attach` is a launch whose firings come from a running process: `{ program, pid }`. */
  protected override async attachRequest(response: DebugProtocol.AttachResponse, args: DebugProtocol.AttachRequestArguments): Promise<void> {
    const a = args as DTraceLaunchArguments;
    if (a.pid === undefined) {
      this.fail(response, 3001, `dtrace attach configuration: 'pid' (the process to trace) is missing`);
      return;
    }
    await this.launchRequest(response, args);
  }

  private async startRun(response: DebugProtocol.Response, checked: CheckedLaunch): Promise<void> {
    const { spec } = checked;
    this.program = spec.program;
    this.noDebug = checked.noDebug;
    if (!checked.noDebug) this.stopAtLine = checked.stopAtLine;
    try {
      this.lines = (spec.text ?? readFileSync(spec.program, 'utf8')).split(/\r?\n/);
    } catch (e) {
      this.fail(response, 3001, `cannot read ${spec.program}: ${(e as Error).message}`);
      return;
    }
    const runtime = this.createRuntime();
    this.runtime = runtime;
    let result: { ok: boolean; problems: ScriptProblem[] };
    try {
      result = await runtime.launch(spec, {
        stopped: (e) => this.onStopped(e),
        output: (e) => this.onOutput(e),
        ended: (status) => this.onEnded(status),
      });
    } catch (e) {
      // A source that cannot start (no strace, a trace with a bad header...): say so as dtvm
      // would, release what did start.
      this.fail(response, 3003, errorText(e));
      this.runtime = undefined;
      this.ended = true;
      await runtime.stop(true).catch(() => undefined);
      this.sendEvent(new TerminatedEvent());
      return;
    }
    // Ended (disconnect, terminate) while launching: the runtime has let its source go.
    if (this.runtime !== runtime || this.ended) {
      this.fail(response, 3005, `${this.program}: the debug session ended before the script ran`, false);
      return;
    }
    for (const p of result.problems) {
      const out = new OutputEvent(`${this.problemText(p)}\n`, 'stderr') as DebugProtocol.OutputEvent;
      out.body.source = this.programSource();
      out.body.line = this.convertDebuggerLineToClient(p.line);
      out.body.column = this.convertDebuggerColumnToClient(p.column);
      this.sendEvent(out);
    }
    if (!result.ok) {
      const first = result.problems.find((p) => p.severity === 'error');
      this.fail(response, 3002, first ? this.problemText(first) : `${this.program}: the script does not compile`);
      this.runtime = undefined;
      this.ended = true;
      this.sendEvent(new TerminatedEvent());
      return;
    }
    // Breakpoints need the compiled clauses, so the client configures them only now.
    this.sendEvent(new InitializedEvent());
    await this.configured;
    // Ended (disconnect, terminate) before the client configured it: nothing is to run.
    if (this.runtime !== runtime || this.ended) {
      this.fail(response, 3005, `${this.program}: the debug session ended before the script ran`, false);
      return;
    }
    this.sendResponse(response);
    if (checked.stopOnEntry && !this.noDebug) {
      this.onStopped({ reason: 'entry' });
    } else {
      this.resume(() => runtime.continue());
    }
  }

  private problemText(p: ScriptProblem): string {
    return `${this.program}:${p.line}:${p.column}: ${p.severity}: ${p.message}`;
  }

  // ---- runtime events

  private onStopped(e: StopEvent): void {
    this.lastStop = e;
    this.handles.reset();
    const reason = e.reason === 'fault' || e.reason === 'drop' ? 'exception' : e.reason;
    const event = new StoppedEvent(reason, THREAD_ID, e.text) as DebugProtocol.StoppedEvent;
    if (e.reason === 'fault' || e.reason === 'drop') event.body.description = e.reason === 'fault' ? 'Runtime fault' : 'Drop';
    if (this.stopAtLine !== undefined && e.reason === 'breakpoint' && e.breakpoints?.includes(this.lineBreakpoints.length)) this.stopAtLineHit = true;
    const ids = e.reason === 'function breakpoint' ? this.functionBreakpointIds : this.lineBreakpointIds;
    const hit = (e.breakpoints ?? []).map((i) => ids[i]).filter((id): id is number => id !== undefined);
    if (hit.length > 0) event.body.hitBreakpointIds = hit;
    event.body.allThreadsStopped = true;
    this.stopPanelTimer();
    this.sendEvent(event);
    this.publishPanel();
  }

  private onOutput(e: RuntimeOutput): void {
    const out = new OutputEvent(e.text, e.stream) as DebugProtocol.OutputEvent;
    if (e.spot) {
      out.body.source = this.programSource();
      out.body.line = this.convertDebuggerLineToClient(e.spot.line);
      out.body.column = this.convertDebuggerColumnToClient(e.spot.column);
    }
    if (e.firing !== undefined) out.body.data = { firing: e.firing };
    this.sendEvent(out);
  }

  private onEnded(status: number): void {
    if (this.ended) return;
    this.stopPanelTimer();
    this.publishPanel();
    this.ended = true;
    this.sendEvent(new ExitedEvent(status));
    this.sendEvent(new TerminatedEvent());
  }

  /** Sends what the trace panel shows, when the runtime can tell. */
  private publishPanel(): void {
    const runtime = this.runtime;
    if (!runtime?.panelState || this.ended) return;
    const state = this.guard(() => runtime.panelState!());
    if (!(state instanceof Error)) this.sendEvent(new Event(PANEL_EVENT, state));
  }

  private stopPanelTimer(): void {
    if (this.panelTimer) clearInterval(this.panelTimer);
    this.panelTimer = undefined;
  }

  // ---- breakpoints

  private programSource(): DebugProtocol.Source {
    return new Source(basename(this.program), this.convertDebuggerPathToClient(this.program));
  }

  private isProgram(source: DebugProtocol.Source | undefined): boolean {
    if (!source?.path || !this.program) return false;
    return resolve(this.convertClientPathToDebugger(source.path)) === this.program;
  }

  private toProtocolBreakpoint(r: ResolvedBreakpoint, id: number, requested: { line?: number; column?: number }): DebugProtocol.Breakpoint {
    const bp: DebugProtocol.Breakpoint = { id, verified: r.verified };
    if (r.spot) {
      bp.source = this.programSource();
      bp.line = this.convertDebuggerLineToClient(r.spot.line);
      bp.column = this.convertDebuggerColumnToClient(r.spot.column);
      bp.endLine = this.convertDebuggerLineToClient(r.spot.endLine);
      bp.endColumn = this.convertDebuggerColumnToClient(r.spot.endColumn);
    } else if (requested.line !== undefined) {
      bp.line = requested.line;
    }
    if (r.message) bp.message = r.message;
    return bp;
  }

  protected override setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): void {
    const requested = args.breakpoints ?? (args.lines ?? []).map((line) => ({ line }) as DebugProtocol.SourceBreakpoint);
    if (!this.runtime || !this.isProgram(args.source)) {
      const message = this.runtime ? `not part of the running script ${basename(this.program)}` : 'no script is running';
      response.body = { breakpoints: requested.map((b) => ({ verified: false, line: b.line, message })) };
      this.sendResponse(response);
      return;
    }
    const specs = requested.map((b) => ({
      line: this.convertClientLineToDebugger(b.line),
      ...(b.column !== undefined ? { column: this.convertClientColumnToDebugger(b.column) } : {}),
      ...(b.condition ? { condition: b.condition } : {}),
      ...(b.hitCondition ? { hitCondition: b.hitCondition } : {}),
      ...(b.logMessage ? { logMessage: b.logMessage } : {}),
    }));
    this.lineBreakpoints = specs;
    const resolved = this.noDebug ? specs.map(() => ({ verified: false })) : this.guard(() => this.applyLineBreakpoints());
    if (resolved instanceof Error) return this.fail(response, 3010, resolved.message);
    this.lineBreakpointIds = resolved.map(() => this.nextBreakpointId++);
    response.body = { breakpoints: resolved.map((r, i) => this.toProtocolBreakpoint(r, this.lineBreakpointIds[i]!, requested[i]!)) };
    this.sendResponse(response);
  }

  /** Gives the runtime the user's breakpoints plus the pending stopAtLine one; returns the user's. */
  private applyLineBreakpoints(): ResolvedBreakpoint[] {
    const extra = this.stopAtLine !== undefined && !this.stopAtLineHit ? [{ line: this.stopAtLine }] : [];
    return this.runtime!.setBreakpoints([...this.lineBreakpoints, ...extra]).slice(0, this.lineBreakpoints.length);
  }

  protected override setFunctionBreakPointsRequest(
    response: DebugProtocol.SetFunctionBreakpointsResponse,
    args: DebugProtocol.SetFunctionBreakpointsArguments,
  ): void {
    const names = args.breakpoints.map((b) => b.name);
    if (!this.runtime) {
      response.body = { breakpoints: names.map(() => ({ verified: false, message: 'no script is running' })) };
      this.sendResponse(response);
      return;
    }
    const resolved = this.noDebug ? names.map(() => ({ verified: false })) : this.guard(() => this.runtime!.setFunctionBreakpoints(names));
    if (resolved instanceof Error) return this.fail(response, 3010, resolved.message);
    this.functionBreakpointIds = resolved.map(() => this.nextBreakpointId++);
    response.body = { breakpoints: resolved.map((r, i) => this.toProtocolBreakpoint(r, this.functionBreakpointIds[i]!, {})) };
    this.sendResponse(response);
  }

  protected override setExceptionBreakPointsRequest(
    response: DebugProtocol.SetExceptionBreakpointsResponse,
    args: DebugProtocol.SetExceptionBreakpointsArguments,
  ): void {
    const filters = args.filters.filter((f): f is 'fault' | 'drop' => f === 'fault' || f === 'drop');
    if (this.runtime && !this.noDebug) this.runtime.setExceptionBreakpoints(filters);
    this.sendResponse(response);
  }

  /** Where a breakpoint can bind: clause starts, predicates and statements on the asked lines. */
  protected override breakpointLocationsRequest(
    response: DebugProtocol.BreakpointLocationsResponse,
    args: DebugProtocol.BreakpointLocationsArguments,
  ): void {
    const breakpoints: DebugProtocol.BreakpointLocation[] = [];
    if (this.runtime && this.isProgram(args.source)) {
      const first = this.convertClientLineToDebugger(args.line);
      const last = args.endLine === undefined ? first : this.convertClientLineToDebugger(args.endLine);
      const seen = new Set<string>();
      for (const c of this.runtime.clauses()) {
        for (const spot of [c.spot, c.predicate, ...c.statements]) {
          if (!spot || spot.line < first || spot.line > last) continue;
          const key = `${spot.line}:${spot.column}`;
          if (seen.has(key)) continue;
          seen.add(key);
          breakpoints.push({ line: this.convertDebuggerLineToClient(spot.line), column: this.convertDebuggerColumnToClient(spot.column) });
        }
      }
      breakpoints.sort((a, b) => a.line - b.line || (a.column ?? 0) - (b.column ?? 0));
    }
    response.body = { breakpoints };
    this.sendResponse(response);
  }

  // ---- execution control

  /** Answers first, then runs: the client expects the response before the next stopped event. */
  private resume(run: () => Promise<void>): void {
    this.handles.reset();
    this.lastStop = undefined;
    if (this.stopAtLineHit && this.stopAtLine !== undefined) {
      this.stopAtLine = undefined;
      this.guard(() => this.applyLineBreakpoints());
    }
    if (this.runtime?.panelState && !this.panelTimer) {
      this.panelTimer = setInterval(() => this.publishPanel(), PANEL_INTERVAL_MS);
      this.panelTimer.unref?.();
    }
    run().catch((e: unknown) => {
      // The run cannot go on (a malformed record stops it as it stops dtvm: what was printed
      // stays, END does not fire): the message as dtvm prints it, and the session ends.
      this.sendEvent(new OutputEvent(`${errorText(e)}\n`, 'stderr'));
      const runtime = this.runtime;
      this.onEnded(1);
      void runtime?.stop(true).catch(() => undefined);
    });
  }

  private control(response: DebugProtocol.Response, run: (r: DebugRuntime) => Promise<void>): void {
    const runtime = this.runtime;
    if (!runtime || this.ended) return this.fail(response, 3020, 'the script is not running');
    this.sendResponse(response);
    this.resume(() => run(runtime));
  }

  private byInstruction(args: { granularity?: DebugProtocol.SteppingGranularity }): boolean {
    return args.granularity === 'instruction';
  }

  protected override continueRequest(response: DebugProtocol.ContinueResponse): void {
    response.body = { allThreadsContinued: true };
    this.control(response, (r) => r.continue());
  }

  protected override nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): void {
    this.control(response, (r) => (this.byInstruction(args) ? r.stepInstruction() : r.next()));
  }

  protected override stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): void {
    this.control(response, (r) => (this.byInstruction(args) ? r.stepInstruction() : r.stepIn()));
  }

  protected override stepOutRequest(response: DebugProtocol.StepOutResponse): void {
    this.control(response, (r) => r.stepOut());
  }

  protected override stepBackRequest(response: DebugProtocol.StepBackResponse): void {
    this.control(response, (r) => r.stepBack());
  }

  protected override reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse): void {
    this.control(response, (r) => r.reverseContinue());
  }

  /** The trace panel moves the debugger to a firing it shows, forward or back. */
  protected override customRequest(command: string, response: DebugProtocol.Response, args: unknown): void {
    if (command !== GOTO_FIRING_REQUEST) return this.fail(response, 1014, `unknown request '${command}'`, false);
    const firing = (args as { firing?: unknown } | undefined)?.firing;
    if (typeof firing !== 'number' || !Number.isInteger(firing) || firing < 0) return this.fail(response, 3070, `'firing' must be a firing index`);
    if (!this.runtime?.gotoFiring) return this.fail(response, 3070, 'this run cannot move to a firing');
    this.control(response, (r) => r.gotoFiring!(firing));
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    if (!this.runtime || this.ended) return this.fail(response, 3020, 'the script is not running');
    this.runtime.pause();
    this.sendResponse(response);
  }

  /** Like Ctrl-C on dtrace: END fires and the aggregations print, then the session ends. */
  protected override async terminateRequest(response: DebugProtocol.TerminateResponse): Promise<void> {
    const runtime = this.runtime;
    // A launch waiting for configurationDone is answered (it finds the run ended).
    this.markConfigured();
    if (runtime && !this.ended) {
      this.handles.reset();
      try {
        await runtime.stop(false);
      } catch (e) {
        this.sendEvent(new OutputEvent(`${errorText(e)}\n`, 'stderr'));
      }
    }
    this.sendResponse(response);
    this.onEnded(0);
  }

  /**
   * Leaves at once, without END. The firings source decides what happens to a live process:
   * a command the adapter started is killed, an attached process is left running.
   */
  protected override async disconnectRequest(response: DebugProtocol.DisconnectResponse): Promise<void> {
    const runtime = this.runtime;
    this.stopPanelTimer();
    this.runtime = undefined;
    this.markConfigured();
    if (runtime && !this.ended) {
      this.ended = true;
      try {
        await runtime.stop(true);
      } catch {
        // Leaving anyway: the client is gone and nobody would read the message.
      }
    }
    this.sendResponse(response);
    this.shutdown();
  }

  /** The client went away (stdin closed, SIGTERM): leave the run as disconnect would, then exit. */
  override shutdown(): void {
    const runtime = this.runtime;
    this.runtime = undefined;
    this.markConfigured();
    this.stopPanelTimer();
    if (runtime && !this.ended) {
      this.ended = true;
      void runtime.stop(true).catch(() => undefined).finally(() => super.shutdown());
      return;
    }
    super.shutdown();
  }

  // ---- inspection

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    response.body = { threads: [new Thread(THREAD_ID, 'firings')] };
    this.sendResponse(response);
  }

  private location(): Location | undefined {
    return this.ended ? undefined : this.runtime?.location();
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    const loc = this.location();
    const frames: DebugProtocol.StackFrame[] = [];
    if (loc) {
      const clause = loc.clause;
      const source = this.programSource();
      const at = (spot: SourceSpot) => ({
        source,
        line: this.convertDebuggerLineToClient(spot.line),
        column: this.convertDebuggerColumnToClient(spot.column),
        endLine: this.convertDebuggerLineToClient(spot.endLine),
        endColumn: this.convertDebuggerColumnToClient(spot.endColumn),
      });
      if (clause && loc.statement !== undefined) {
        const isPredicate = loc.statement === -1;
        const spot = loc.spot ?? (isPredicate ? clause.predicate : clause.statements[loc.statement]);
        const frame: DebugProtocol.StackFrame = {
          id: FRAME.statement,
          name: statementFrameName(this.lines, spot, isPredicate),
          ...(spot ? at(spot) : { line: 0, column: 0 }),
        };
        const ip = this.instructionAt(clause.index, loc.instruction, spot);
        if (ip !== undefined) frame.instructionPointerReference = ip;
        frames.push(frame);
      }
      if (clause) {
        const frame: DebugProtocol.StackFrame = { id: FRAME.clause, name: clauseFrameName(clause), ...at(clause.spot) };
        if (frames.length === 0) {
          const ip = this.instructionAt(clause.index, loc.instruction, undefined);
          if (ip !== undefined) frame.instructionPointerReference = ip;
        }
        frames.push(frame);
      }
      frames.push({ id: FRAME.firing, name: firingFrameName(loc.firing), line: 0, column: 0, presentationHint: clause ? 'subtle' : 'normal' });
    }
    const start = args.startFrame ?? 0;
    const count = args.levels ? args.levels : frames.length;
    response.body = { stackFrames: frames.slice(start, start + count), totalFrames: frames.length };
    this.sendResponse(response);
  }

  /** The instruction the frame is at: the runtime's when stepping by instruction, else the statement's first. */
  private instructionAt(clause: number, instruction: number | undefined, spot: SourceSpot | undefined): string | undefined {
    if (instruction !== undefined) return instructionReference(clause, instruction);
    const code = this.guard(() => this.runtime!.disassemble(clause));
    if (code instanceof Error || code.length === 0) return undefined;
    const first = spot ? code.find((i) => i.spot && i.spot.line === spot.line && i.spot.column === spot.column) : undefined;
    return instructionReference(clause, (first ?? code[0]!).address);
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse): void {
    const names = this.location() ? this.runtime!.scopes() : [];
    response.body = {
      scopes: names.map((name) => {
        const scope = new Scope(name, this.handles.create({ scope: name }), name === 'Aggregations') as DebugProtocol.Scope;
        const hint = SCOPE_HINTS[name];
        if (hint) scope.presentationHint = hint;
        return scope;
      }),
    };
    this.sendResponse(response);
  }

  private toVariable(v: ValueView): DebugProtocol.Variable {
    const variable: DebugProtocol.Variable = {
      name: v.name,
      value: v.value,
      variablesReference: v.children ? this.handles.create({ children: v.children }) : 0,
    };
    if (v.type !== undefined) variable.type = v.type;
    return variable;
  }

  protected override variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    const handle = this.location() ? this.handles.get(args.variablesReference) : undefined;
    if (!handle) {
      response.body = { variables: [] };
      this.sendResponse(response);
      return;
    }
    const views = this.guard(() => ('scope' in handle ? this.runtime!.variables(handle.scope) : handle.children()));
    if (views instanceof Error) return this.fail(response, 3030, views.message);
    const start = args.start ?? 0;
    const page = args.count ? views.slice(start, start + args.count) : views.slice(start);
    response.body = { variables: page.map((v) => this.toVariable(v)) };
    this.sendResponse(response);
  }

  protected override evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
    if (!this.location()) return this.fail(response, 3040, 'not stopped at a probe firing', args.context !== 'hover');
    const result = this.guard(() => this.runtime!.evaluate(args.expression));
    if (result instanceof Error) return this.fail(response, 3040, result.message, false);
    if (!result.ok) return this.fail(response, 3040, result.message, false);
    const v = this.toVariable(result.value);
    response.body = { result: v.value, variablesReference: v.variablesReference };
    if (v.type !== undefined) response.body.type = v.type;
    this.sendResponse(response);
  }

  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse): void {
    const stop = this.lastStop;
    if (!stop || (stop.reason !== 'fault' && stop.reason !== 'drop')) return this.fail(response, 3050, 'not stopped on a fault or a drop');
    response.body = {
      exceptionId: stop.reason,
      description: stop.text ?? (stop.reason === 'fault' ? 'runtime fault' : 'drop'),
      breakMode: 'always',
    };
    this.sendResponse(response);
  }

  protected override disassembleRequest(response: DebugProtocol.DisassembleResponse, args: DebugProtocol.DisassembleArguments): void {
    const ref = parseInstructionReference(args.memoryReference);
    if (!ref || !this.runtime) return this.fail(response, 3060, `no DIF at ${args.memoryReference}`);
    const code = this.guard(() => this.runtime!.disassemble(ref.clause));
    if (code instanceof Error) return this.fail(response, 3060, code.message);
    const source = this.programSource();
    const from = ref.address + (args.offset ?? 0) + (args.instructionOffset ?? 0);
    const instructions: DebugProtocol.DisassembledInstruction[] = [];
    for (let a = from; a < from + args.instructionCount; a++) {
      const ins = a >= 0 ? code.find((i) => i.address === a) : undefined;
      if (!ins) continue;
      const d: DebugProtocol.DisassembledInstruction = { address: instructionReference(ref.clause, ins.address), instruction: ins.text };
      if (ins.spot) {
        d.location = source;
        d.line = this.convertDebuggerLineToClient(ins.spot.line);
        d.column = this.convertDebuggerColumnToClient(ins.spot.column);
        d.endLine = this.convertDebuggerLineToClient(ins.spot.endLine);
        d.endColumn = this.convertDebuggerColumnToClient(ins.spot.endColumn);
      }
      instructions.push(d);
    }
    response.body = { instructions };
    this.sendResponse(response);
  }

  // ---- helpers

  /** Runtime calls that report a bad request by throwing become an error response, not a crash. */
  private guard<T>(f: () => T): T | Error {
    try {
      return f();
    } catch (e) {
      return e instanceof Error ? e : new Error(String(e));
    }
  }

  /** An error response whose text is taken as is (the library's own would substitute `{name}`s: D code has braces). */
  private fail(response: DebugProtocol.Response, id: number, message: string, showUser = true): void {
    response.success = false;
    response.message = message;
    response.body = { error: { id, format: message, showUser } };
    this.sendResponse(response);
  }
}
