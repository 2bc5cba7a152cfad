// The adapter's DAP mapping, checked against a small scripted DebugRuntime: capabilities,
// launch errors, stack frames, handles, breakpoint ids, exception info, disassembly, output and
// the end of a session. What the runtime computes (variables, stepping, faults of a real
// script over a real trace) is proven end to end in debug-adapter-replay.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type {
  BreakpointSpec,
  ClauseInfo,
  DebugRuntime,
  FiringInfo,
  LaunchSpec,
  Location,
  OutputEvent,
  ResolvedBreakpoint,
  RuntimeEvents,
  ScopeName,
  ScriptProblem,
  ValueView,
} from '../../server/src/debug/runtime/api';
import type { PanelState } from '../../server/src/debug/panelModel';
import { logger } from '@vscode/debugadapter';
import { outputOf, startAdapter } from '../support/debugAdapter';

const SCRIPT = ['syscall::read:entry', '/pid == 100/', '{', '\t@n[execname] = count();', '\tprintf("%d\\n", arg0);', '}', ''].join('\n');

const dir = mkdtempSync(join(tmpdir(), 'dtvm-dap-'));
const program = join(dir, 'reads.d');
writeFileSync(program, SCRIPT);
const trace = join(dir, 'reads.ndjson');
writeFileSync(trace, '');

const clause: ClauseInfo = {
  index: 0,
  probes: 'syscall::read:entry',
  spot: { line: 1, column: 1, endLine: 6, endColumn: 2 },
  predicate: { line: 2, column: 2, endLine: 2, endColumn: 12 },
  statements: [
    { line: 4, column: 2, endLine: 4, endColumn: 26 },
    { line: 5, column: 2, endLine: 5, endColumn: 23 },
  ],
};

function firing(index: number, probe: string): FiringInfo {
  return { index, probe, timestamp: 1000n + BigInt(index), cpu: 0, pid: 100, tid: 101n, execname: 'cat' };
}

interface Step {
  loc: Location;
  output?: string;
  fault?: string;
}

const STEPS: Step[] = [
  { loc: { firing: firing(1, 'syscall::read:entry'), clause, statement: -1, spot: clause.predicate! } },
  { loc: { firing: firing(1, 'syscall::read:entry'), clause, statement: 0, spot: clause.statements[0]! } },
  { loc: { firing: firing(1, 'syscall::read:entry'), clause, statement: 1, spot: clause.statements[1]! }, output: '3\n' },
  { loc: { firing: firing(2, 'syscall::read:entry'), clause, statement: 1, spot: clause.statements[1]! }, fault: 'dtrace: error on enabled probe ID 1 (ID 5: syscall::read:entry): invalid address (0x0) in action #2 at DIF offset 4' },
];

/** Walks a fixed list of locations; records what the adapter asked of it. */
class ScriptedRuntime implements DebugRuntime {
  calls: string[] = [];
  spec: LaunchSpec | undefined;
  private events!: RuntimeEvents;
  private pos = -1;
  private lines: number[] = [];
  private faults = false;

  constructor(private readonly problems: ScriptProblem[] = []) {}

  async launch(spec: LaunchSpec, events: RuntimeEvents) {
    this.spec = spec;
    this.events = events;
    return { ok: !this.problems.some((p) => p.severity === 'error'), problems: this.problems };
  }
  clauses() {
    return [clause];
  }
  setBreakpoints(bps: readonly BreakpointSpec[]): ResolvedBreakpoint[] {
    this.calls.push(`setBreakpoints(${bps.map((b) => b.line).join(',')})`);
    this.lines = bps.map((b) => b.line);
    return bps.map((b) => {
      const spot = [clause.predicate!, ...clause.statements].find((s) => s.line === b.line);
      return spot ? { verified: true, spot } : { verified: false, message: `line ${b.line} is not inside a clause` };
    });
  }
  setFunctionBreakpoints(d: readonly string[]) {
    return d.map(() => ({ verified: true }));
  }
  setExceptionBreakpoints(filters: readonly ('fault' | 'drop')[]) {
    this.faults = filters.includes('fault');
  }
  private emitThrough(to: number) {
    for (let i = this.pos + 1; i <= to && i < STEPS.length; i++) {
      const out = STEPS[i]!.output;
      if (out) this.events.output({ text: out, firing: STEPS[i]!.loc.firing.index, stream: 'stdout', spot: STEPS[i]!.loc.spot! } as OutputEvent);
    }
  }
  private end() {
    this.emitThrough(STEPS.length - 1);
    this.pos = STEPS.length;
    this.events.output({ text: '\n  cat    2\n', stream: 'stdout' });
    this.events.ended(0);
  }
  async continue() {
    this.calls.push('continue');
    for (let i = this.pos + 1; i < STEPS.length; i++) {
      const s = STEPS[i]!;
      const bp = this.lines.indexOf(s.loc.spot!.line);
      if (s.fault && this.faults) {
        this.emitThrough(i);
        this.pos = i;
        this.events.stopped({ reason: 'fault', text: s.fault });
        return;
      }
      if (bp >= 0) {
        this.emitThrough(i);
        this.pos = i;
        this.events.stopped({ reason: 'breakpoint', breakpoints: [bp] });
        return;
      }
    }
    this.end();
  }
  async next() {
    this.calls.push('next');
    if (this.pos + 1 >= STEPS.length) return this.end();
    this.emitThrough(this.pos + 1);
    this.pos++;
    this.events.stopped({ reason: 'step' });
  }
  async stepIn() {
    this.calls.push('stepIn');
    return this.next();
  }
  async stepOut() {
    this.calls.push('stepOut');
    return this.next();
  }
  async stepBack() {
    this.calls.push('stepBack');
    this.pos = Math.max(0, this.pos - 1);
    this.events.stopped({ reason: 'step' });
  }
  async reverseContinue() {
    this.calls.push('reverseContinue');
    return this.stepBack();
  }
  async stepInstruction() {
    this.calls.push('stepInstruction');
    this.events.stopped({ reason: 'step' });
  }
  pause() {
    this.calls.push('pause');
  }
  location(): Location | undefined {
    if (this.pos < 0) return { firing: firing(0, 'dtrace:::BEGIN') };
    return STEPS[this.pos]?.loc;
  }
  scopes(): ScopeName[] {
    return ['Probe', 'Globals', 'Aggregations'];
  }
  variables(scope: ScopeName): ValueView[] {
    const f = this.location()!.firing;
    if (scope === 'Probe') return [{ name: 'pid', value: String(f.pid), type: 'pid_t' }, { name: 'execname', value: `"${f.execname}"`, type: 'string' }];
    if (scope === 'Aggregations') {
      return [{ name: '@n', value: '1 key', type: 'count()', children: () => [{ name: '["cat"]', value: String(this.pos >= 1 ? 1 : 0) }] }];
    }
    return [];
  }
  evaluate(expression: string) {
    if (expression === 'pid + 1') return { ok: true as const, value: { name: expression, value: '101', type: 'int' } };
    return { ok: false as const, message: `in expression: syntax error near "${expression}"` };
  }
  disassemble(c: number) {
    assert.equal(c, 0);
    return [
      { address: 0, text: '00: 29010601    ldgs DT_VAR(262), %r1', spot: clause.predicate! },
      { address: 1, text: '01: 25000002    setx DT_INTEGER[0], %r2', spot: clause.predicate! },
      { address: 2, text: '02: 27000001    ret  %r1', spot: clause.statements[0]! },
    ];
  }
  panelState(): PanelState {
    return { script: program, running: false, current: this.location()?.firing.index, clauses: [], events: [], totalEvents: 2, output: [], aggregations: [] };
  }
  async gotoFiring(firing: number) {
    this.calls.push(`gotoFiring(${firing})`);
    this.pos = STEPS.findIndex((s) => s.loc.firing.index === firing);
    this.events.stopped({ reason: 'goto' });
  }
  async stop(abandon?: boolean) {
    this.calls.push(abandon ? 'stop(abandon)' : 'stop');
    if (!abandon) this.end();
  }
}

async function launched(runtime: ScriptedRuntime, args: Record<string, unknown>, breakpoints: number[] = []) {
  const h = await startAdapter(() => runtime);
  await h.client.initializeRequest();
  const launch = h.client.launchRequest({ program, trace, ...args } as DebugProtocol.LaunchRequestArguments);
  await h.take('initialized');
  if (breakpoints.length > 0) {
    await h.client.setBreakpointsRequest({ source: { path: program }, breakpoints: breakpoints.map((line) => ({ line })) });
  }
  await h.client.setExceptionBreakpointsRequest({ filters: ['fault'] });
  await h.client.configurationDoneRequest();
  await launch;
  return h;
}

test('initialize announces what the dtrace adapter supports', { timeout: 20000 }, async () => {
  const h = await startAdapter(() => new ScriptedRuntime());
  try {
    const r = await h.client.initializeRequest();
    const caps = r.body!;
    for (const c of [
      'supportsConfigurationDoneRequest',
      'supportsConditionalBreakpoints',
      'supportsHitConditionalBreakpoints',
      'supportsLogPoints',
      'supportsFunctionBreakpoints',
      'supportsStepBack',
      'supportsEvaluateForHovers',
      'supportsDisassembleRequest',
      'supportsSteppingGranularity',
      'supportsTerminateRequest',
      'supportsExceptionInfoRequest',
      'supportsBreakpointLocationsRequest',
    ] as const) {
      assert.equal(caps[c], true, c);
    }
    assert.deepEqual(caps.exceptionBreakpointFilters!.map((f) => [f.filter, f.label, f.default]), [
      ['fault', 'Runtime faults', true],
      ['drop', 'Drops', false],
    ]);
  } finally {
    await h.close();
  }
});

test('a bad launch configuration is refused with the attribute named', { timeout: 20000 }, async () => {
  const h = await startAdapter(() => new ScriptedRuntime());
  try {
    await h.client.initializeRequest();
    await assert.rejects(h.client.launchRequest({ program, trace, command: 'ls' } as DebugProtocol.LaunchRequestArguments), {
      message: `dtrace launch configuration: give one firings source, not 'trace' and 'command'`,
    });
    await assert.rejects(h.client.launchRequest({ trace } as DebugProtocol.LaunchRequestArguments), {
      message: `dtrace launch configuration: 'program' (the .d file to run) is missing`,
    });
    await assert.rejects(h.client.launchRequest({ program, trace: 'missing.ndjson' } as DebugProtocol.LaunchRequestArguments), {
      message: `dtrace launch configuration: trace '${join(dir, 'missing.ndjson')}' does not exist`,
    });
  } finally {
    await h.close();
  }
});

test('launch passes the source, options and macro arguments to the runtime', { timeout: 20000 }, async () => {
  const runtime = new ScriptedRuntime();
  const h = await launched(runtime, { trace: 'reads.ndjson', options: { bufsize: '8m', flowindent: true }, quiet: true, macroArguments: ['100', 7], flavour: 'linux', stopOnEntry: true });
  try {
    assert.deepEqual(runtime.spec, {
      program,
      source: { kind: 'trace', file: trace },
      options: ['bufsize=8m', 'flowindent', 'quiet'],
      macroArguments: ['100', '7'],
      flavour: 'linux',
    });
  } finally {
    await h.close();
  }
});

test('compile errors come back as output at the script position and as the launch error', { timeout: 20000 }, async () => {
  const runtime = new ScriptedRuntime([
    { severity: 'warning', code: 'W_UNUSED', message: 'unused variable x', line: 4, column: 2 },
    { severity: 'error', code: 'D_SYNTAX', message: 'syntax error near "}"', line: 6, column: 1 },
  ]);
  const h = await startAdapter(() => runtime);
  try {
    await h.client.initializeRequest();
    await assert.rejects(h.client.launchRequest({ program, trace } as DebugProtocol.LaunchRequestArguments), {
      message: `${program}:6:1: error: syntax error near "}"`,
    });
    await h.take('terminated');
    const outputs = h.events.filter((e) => e.event === 'output').map((e) => [e.body.category, e.body.output, e.body.line, e.body.column, e.body.source?.path]);
    assert.deepEqual(outputs, [
      ['stderr', `${program}:4:2: warning: unused variable x\n`, 4, 2, program],
      ['stderr', `${program}:6:1: error: syntax error near "}"\n`, 6, 1, program],
    ]);
  } finally {
    await h.close();
  }
});

test('stop on entry shows the BEGIN firing; stepping builds firing > clause > statement frames', { timeout: 20000 }, async () => {
  const runtime = new ScriptedRuntime();
  const h = await launched(runtime, { stopOnEntry: true });
  try {
    const entry = await h.take('stopped');
    assert.equal(entry.body.reason, 'entry');
    assert.equal(entry.body.threadId, 1);
    assert.deepEqual((await h.client.threadsRequest()).body.threads, [{ id: 1, name: 'firings' }]);
    let st = await h.client.stackTraceRequest({ threadId: 1 });
    assert.deepEqual(st.body.stackFrames.map((f) => [f.name, f.line]), [['#0 dtrace:::BEGIN  ts=1000 cpu=0 pid=100 tid=101 cat', 0]]);

    await h.client.nextRequest({ threadId: 1 });
    assert.equal((await h.take('stopped')).body.reason, 'step');
    st = await h.client.stackTraceRequest({ threadId: 1 });
    assert.deepEqual(
      st.body.stackFrames.map((f) => [f.name, f.source?.path, f.line, f.column, f.endLine, f.endColumn]),
      [
        ['/pid == 100/', program, 2, 2, 2, 12],
        ['clause 1: syscall::read:entry', program, 1, 1, 6, 2],
        ['#1 syscall::read:entry  ts=1001 cpu=0 pid=100 tid=101 cat', undefined, 0, 0, undefined, undefined],
      ],
    );
    assert.equal(st.body.stackFrames[0]!.instructionPointerReference, '0x00000000');

    await h.client.nextRequest({ threadId: 1 });
    await h.take('stopped');
    st = await h.client.stackTraceRequest({ threadId: 1 });
    assert.deepEqual(st.body.stackFrames.map((f) => f.name).slice(0, 1), ['@n[execname] = count();']);
    assert.equal(st.body.stackFrames[0]!.instructionPointerReference, '0x00000002');

    await h.client.stepBackRequest({ threadId: 1 });
    await h.take('stopped');
    st = await h.client.stackTraceRequest({ threadId: 1 });
    assert.equal(st.body.stackFrames[0]!.line, 2);
    await h.client.stepInRequest({ threadId: 1, granularity: 'instruction' });
    await h.take('stopped');
    await h.client.stepOutRequest({ threadId: 1 });
    await h.take('stopped');
    await h.client.reverseContinueRequest({ threadId: 1 });
    await h.take('stopped');
    assert.deepEqual(runtime.calls, ['next', 'next', 'stepBack', 'stepInstruction', 'stepOut', 'next', 'reverseContinue', 'stepBack']);
  } finally {
    await h.close();
  }
});

test('breakpoints bind where the runtime says and stops name their ids', { timeout: 20000 }, async () => {
  const runtime = new ScriptedRuntime();
  const h = await startAdapter(() => runtime);
  try {
    await h.client.initializeRequest();
    const launch = h.client.launchRequest({ program, trace } as DebugProtocol.LaunchRequestArguments);
    await h.take('initialized');
    const set = await h.client.setBreakpointsRequest({ source: { path: program }, breakpoints: [{ line: 3 }, { line: 5, condition: 'arg0 > 2' }] });
    assert.deepEqual(
      set.body.breakpoints.map((b) => [b.verified, b.line, b.column, b.message]),
      [
        [false, 3, undefined, 'line 3 is not inside a clause'],
        [true, 5, 2, undefined],
      ],
    );
    const other = await h.client.setBreakpointsRequest({ source: { path: join(dir, 'other.d') }, breakpoints: [{ line: 1 }] });
    assert.deepEqual(other.body.breakpoints.map((b) => [b.verified, b.message]), [[false, 'not part of the running script reads.d']]);
    const locations = await h.client.customRequest('breakpointLocations', { source: { path: program }, line: 1, endLine: 6 });
    assert.deepEqual(locations.body.breakpoints, [
      { line: 1, column: 1 },
      { line: 2, column: 2 },
      { line: 4, column: 2 },
      { line: 5, column: 2 },
    ]);
    await h.client.configurationDoneRequest();
    await launch;
    const stop = await h.take('stopped');
    assert.equal(stop.body.reason, 'breakpoint');
    assert.deepEqual(stop.body.hitBreakpointIds, [set.body.breakpoints[1]!.id]);
    assert.equal(outputOf(h.events, 'stdout'), '3\n');
  } finally {
    await h.close();
  }
});

test('scopes, expandable aggregations and evaluate', { timeout: 20000 }, async () => {
  const runtime = new ScriptedRuntime();
  const h = await launched(runtime, {}, [4]);
  try {
    await h.take('stopped');
    const scopes = await h.client.scopesRequest({ frameId: 1 });
    assert.deepEqual(scopes.body.scopes.map((s) => [s.name, s.presentationHint, s.expensive]), [
      ['Probe', 'arguments', false],
      ['Globals', undefined, false],
      ['Aggregations', undefined, true],
    ]);
    const probe = await h.client.variablesRequest({ variablesReference: scopes.body.scopes[0]!.variablesReference });
    assert.deepEqual(probe.body.variables.map((v) => [v.name, v.value, v.type, v.variablesReference]), [
      ['pid', '100', 'pid_t', 0],
      ['execname', '"cat"', 'string', 0],
    ]);
    const aggs = await h.client.variablesRequest({ variablesReference: scopes.body.scopes[2]!.variablesReference });
    const n = aggs.body.variables[0]!;
    assert.deepEqual([n.name, n.value, n.type], ['@n', '1 key', 'count()']);
    assert.notEqual(n.variablesReference, 0);
    const rows = await h.client.variablesRequest({ variablesReference: n.variablesReference });
    assert.deepEqual(rows.body.variables.map((v) => [v.name, v.value]), [['["cat"]', '1']]);

    const ok = await h.client.evaluateRequest({ expression: 'pid + 1', context: 'watch', frameId: 1 });
    assert.deepEqual([ok.body.result, ok.body.type, ok.body.variablesReference], ['101', 'int', 0]);
    await assert.rejects(h.client.evaluateRequest({ expression: 'pid +', context: 'repl', frameId: 1 }), { message: 'in expression: syntax error near "pid +"' });
  } finally {
    await h.close();
  }
});

test('a fault stops as an exception with the fault text', { timeout: 20000 }, async () => {
  const runtime = new ScriptedRuntime();
  const h = await launched(runtime, {});
  try {
    const stop = await h.take('stopped');
    assert.deepEqual([stop.body.reason, stop.body.description, stop.body.text], ['exception', 'Runtime fault', STEPS[3]!.fault]);
    const info = await h.client.exceptionInfoRequest({ threadId: 1 });
    assert.deepEqual(info.body, { exceptionId: 'fault', description: STEPS[3]!.fault, breakMode: 'always' });
    const st = await h.client.stackTraceRequest({ threadId: 1 });
    assert.deepEqual(st.body.stackFrames.map((f) => [f.name, f.line]).slice(0, 2), [
      ['printf("%d\\n", arg0);', 5],
      ['clause 1: syscall::read:entry', 1],
    ]);
  } finally {
    await h.close();
  }
});

test('disassembly of the current clause, with source lines', { timeout: 20000 }, async () => {
  const runtime = new ScriptedRuntime();
  const h = await launched(runtime, {}, [2]);
  try {
    await h.take('stopped');
    const st = await h.client.stackTraceRequest({ threadId: 1 });
    const ref = st.body.stackFrames[0]!.instructionPointerReference!;
    const d = await h.client.disassembleRequest({ memoryReference: ref, instructionOffset: -2, instructionCount: 6 });
    assert.deepEqual(d.body!.instructions.map((i) => [i.address, i.instruction, i.line]), [
      ['0x00000000', '00: 29010601    ldgs DT_VAR(262), %r1', 2],
      ['0x00000001', '01: 25000002    setx DT_INTEGER[0], %r2', 2],
      ['0x00000002', '02: 27000001    ret  %r1', 4],
    ]);
  } finally {
    await h.close();
  }
});

test('output goes to the debug console linked to its statement; the end reports the exit status', { timeout: 20000 }, async () => {
  const runtime = new ScriptedRuntime();
  const h = await launched(runtime, { noDebug: true });
  try {
    assert.equal((await h.take('exited')).body.exitCode, 0);
    await h.take('terminated');
    const outputs = h.events.filter((e) => e.event === 'output').map((e) => [e.body.category, e.body.output, e.body.line, e.body.data]);
    assert.deepEqual(outputs, [
      ['stdout', '3\n', 5, { firing: 1 }],
      ['stdout', '\n  cat    2\n', undefined, undefined],
    ]);
    assert.deepEqual(runtime.calls, ['continue']);
  } finally {
    await h.close();
  }
});

test('terminate ends the run like Ctrl-C; disconnect abandons it', { timeout: 20000 }, async () => {
  const a = new ScriptedRuntime();
  let h = await launched(a, { stopOnEntry: true });
  try {
    await h.take('stopped');
    await h.client.terminateRequest({});
    assert.equal((await h.take('exited')).body.exitCode, 0);
    await h.take('terminated');
    assert.deepEqual(a.calls, ['stop']);
    assert.match(outputOf(h.events, 'stdout'), /cat {4}2/);
  } finally {
    await h.close();
  }
  const b = new ScriptedRuntime();
  h = await launched(b, { stopOnEntry: true });
  try {
    await h.take('stopped');
    await h.client.disconnectRequest({});
    assert.deepEqual(b.calls, ['stop(abandon)']);
  } finally {
    await h.close();
  }
});

test('the library logger keeps no queue of messages in a long session', { timeout: 20000 }, async () => {
  const h = await launched(new ScriptedRuntime(), { stopOnEntry: true });
  try {
    await h.take('stopped');
    for (let i = 0; i < 5; i++) await h.client.threadsRequest();
    // The queue holds every message until a level is set; the adapter sets "log nothing".
    assert.equal((logger as unknown as { _pendingLogQ: unknown[] | null })._pendingLogQ, null);
  } finally {
    await h.close();
  }
});

test('stopAtLine stops once at the first firing that runs that line', { timeout: 20000 }, async () => {
  const runtime = new ScriptedRuntime();
  const h = await launched(runtime, { stopAtLine: 5 }, [4]);
  try {
    let stop = await h.take('stopped');
    assert.deepEqual([stop.body.reason, stop.body.hitBreakpointIds], ['breakpoint', [1]]);
    await h.client.continueRequest({ threadId: 1 });
    stop = await h.take('stopped');
    assert.deepEqual([stop.body.reason, stop.body.hitBreakpointIds], ['breakpoint', undefined]);
    assert.equal((await h.client.stackTraceRequest({ threadId: 1 })).body.stackFrames[0]!.line, 5);
    await h.client.continueRequest({ threadId: 1 });
    stop = await h.take('stopped');
    assert.equal(stop.body.reason, 'exception');
    // The user's breakpoint plus the one-shot, then the user's alone once it was hit.
    assert.deepEqual(runtime.calls, ['setBreakpoints(4,5)', 'continue', 'continue', 'setBreakpoints(4)', 'continue']);
  } finally {
    await h.close();
  }
});

test('the trace panel gets the runtime state at each stop and can move the debugger to a firing', { timeout: 20000 }, async () => {
  const runtime = new ScriptedRuntime();
  const h = await launched(runtime, { stopOnEntry: true });
  try {
    await h.take('stopped');
    assert.deepEqual((await h.take('dtrace.panel')).body.current, 0);
    await h.client.customRequest('dtrace.gotoFiring', { firing: 2 });
    assert.equal((await h.take('stopped')).body.reason, 'goto');
    assert.deepEqual((await h.take('dtrace.panel')).body.current, 2);
    await assert.rejects(h.client.customRequest('dtrace.gotoFiring', { firing: -1 }), { message: `'firing' must be a firing index` });
    assert.deepEqual(runtime.calls, ['gotoFiring(2)']);
  } finally {
    await h.close();
  }
});
