// Running and debugging a script on the bundled trace (fixtures/traces/reads.ndjson, named by
// the workspace setting dtrace.firingsSource in fixtures/.vscode/settings.json), the trace
// panel and the inline aggregation previews.
'use strict';
const assert = require('node:assert/strict');
const path = require('node:path');
const vscode = require('vscode');
const { fixtures, openDtrace, extensionModule, revertAll, waitFor, fixtureUri } = require('./helpers');

// What dtvm prints for reads.d on reads.ndjson: END's printa, then @sizes, printed at exit.
const HISTOGRAM =
  '\n           value  ------------- Distribution ------------- count    \n' +
  '              -1 |                                         0        \n' +
  '               0 |@@@@@@@@@@@@@                            1        \n' +
  '               1 |                                         0        \n' +
  '               2 |                                         0        \n' +
  '               4 |                                         0        \n' +
  '               8 |                                         0        \n' +
  '              16 |                                         0        \n' +
  '              32 |                                         0        \n' +
  '              64 |@@@@@@@@@@@@@                            1        \n' +
  '             128 |                                         0        \n' +
  '             256 |@@@@@@@@@@@@@                            1        \n' +
  '             512 |                                         0        \n\n';
const STDOUT = `cat      400\n\n${HISTOGRAM}`;

suite('Run', () => {
  teardown(revertAll);

  test('the Run CodeLens runs reads.d on the trace of dtrace.firingsSource', async () => {
    await extensionModule();
    const doc = await openDtrace('reads.d');
    const lenses = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', doc.uri);
    const run = lenses.find((l) => l.range.start.line === 0 && l.command.title === 'Run');
    assert.ok(run, 'a Run CodeLens on the first line');
    const result = await vscode.commands.executeCommand(run.command.command, ...run.command.arguments);
    assert.deepEqual(result, { status: 0, stdout: STDOUT, stderr: '' });
  });
});

suite('Debug', () => {
  /** @type {vscode.DebugSession} */
  let session;
  let mod;
  const messages = []; // what the adapter sent, but the panel's state events
  let seen = 0; // messages[0..seen) are consumed
  let terminated;
  const reads = fixtureUri('reads.d');
  const disposables = [];

  /** The next event named `name` after those already consumed. */
  async function nextEvent(name, timeoutMs = 15_000) {
    return waitFor(`the ${name} event`, () => {
      for (let i = seen; i < messages.length; i++) {
        if (messages[i].event === name) {
          seen = i + 1;
          return messages[i];
        }
      }
      return undefined;
    }, timeoutMs);
  }

  const threadId = 1;
  async function frames() {
    const { stackFrames } = await session.customRequest('stackTrace', { threadId });
    return stackFrames.map((f) => [f.name, f.line, f.column, f.source ? path.basename(f.source.path) : null]);
  }
  async function scopes() {
    const { stackFrames } = await session.customRequest('stackTrace', { threadId });
    const result = {};
    for (const scope of (await session.customRequest('scopes', { frameId: stackFrames[0].id })).scopes) {
      const { variables } = await session.customRequest('variables', { variablesReference: scope.variablesReference });
      result[scope.name] = Object.fromEntries(variables.map((v) => [v.name, v.value]));
    }
    return result;
  }
  async function step(command, reason = 'step') {
    await session.customRequest(command, { threadId });
    assert.equal((await nextEvent('stopped')).body.reason, reason);
  }
  /** The trace panel's state once it shows firing `n` as the current one. */
  const panelAt = (n) => waitFor(`the trace panel at firing ${n}`, () => mod.tracePanel.state?.current === n && mod.tracePanel.state);

  suiteSetup(async () => {
    mod = await extensionModule();
    disposables.push(
      vscode.debug.registerDebugAdapterTrackerFactory('dtrace', {
        createDebugAdapterTracker: () => ({
          onDidSendMessage: (m) => {
            if (m.type === 'event' && m.event !== 'dtrace.panel') messages.push(m);
          },
        }),
      }),
    );
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
  });

  suiteTeardown(async () => {
    if (session && !terminated) await vscode.debug.stopDebugging(session);
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    for (const d of disposables) d.dispose();
    await revertAll();
  });

  test('a breakpoint on a clause stops at the first firing whose predicate passes', async () => {
    await openDtrace('reads.d');
    // On `syscall::read:return` (line 9): firing #2 is cat's read returning 100 bytes.
    vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(reads, new vscode.Position(8, 0)))]);
    const started = new Promise((resolve) => {
      const d = vscode.debug.onDidStartDebugSession((s) => (d.dispose(), resolve(s)));
    });
    terminated = undefined;
    disposables.push(vscode.debug.onDidTerminateDebugSession((s) => s === session && (terminated = s)));
    assert.equal(
      await vscode.debug.startDebugging(vscode.workspace.workspaceFolders[0], {
        type: 'dtrace',
        request: 'launch',
        name: 'e2e: reads.d',
        program: reads.fsPath,
        trace: path.join(fixtures, 'traces', 'reads.ndjson'),
      }),
      true,
    );
    session = await started;
    assert.equal(session.type, 'dtrace');
    const stopped = await nextEvent('stopped');
    assert.deepEqual(stopped.body, { reason: 'breakpoint', threadId: 1, hitBreakpointIds: [1], allThreadsStopped: true });
    assert.deepEqual(await session.customRequest('threads'), { threads: [{ id: 1, name: 'firings' }] });
    assert.deepEqual(await frames(), [
      ['@bytes[execname] = sum(arg0);', 12, 2, 'reads.d'],
      ['clause 2: syscall::read:return', 9, 1, 'reads.d'],
      ['#2 syscall:linux:read:return  ts=5000002000 cpu=1 pid=501 tid=501 cat', 0, 0, null],
    ]);
  });

  test('variables: probe, self-> and aggregations', async () => {
    const s = await scopes();
    assert.deepEqual(Object.keys(s), ['Probe', 'Clause-local', 'Thread-local', 'Globals', 'Aggregations']);
    assert.deepEqual(
      [s.Probe.probefunc, s.Probe.probename, s.Probe.arg0, s.Probe.pid, s.Probe.execname, s.Probe.timestamp],
      ['"read"', '"return"', '100', '501', '"cat"', '5000002000'],
    );
    assert.deepEqual(s['Thread-local'], { 'self->fd': '3' });
    assert.deepEqual(s.Aggregations, { '@bytes': 'sum() [0 keys]', '@sizes': 'quantize() [0 keys]' });
  });

  test('evaluate: D expressions in the firing, and a refused assignment', async () => {
    const { stackFrames } = await session.customRequest('stackTrace', { threadId });
    const evaluate = (expression) => session.customRequest('evaluate', { expression, frameId: stackFrames[0].id, context: 'watch' });
    assert.deepEqual(await evaluate('self->fd'), { result: '3', variablesReference: 0, type: 'int64_t' });
    assert.deepEqual(await evaluate('arg0 * 2'), { result: '200', variablesReference: 0, type: 'int64_t' });
    assert.deepEqual(await evaluate('execname'), { result: '"cat"', variablesReference: 0, type: 'string' });
    await assert.rejects(evaluate('self->fd = 1'), /the expression changes state \(an assignment\)/);
  });

  test('step over, then step back: statements, the next firing, and the state restored', async () => {
    await step('next');
    assert.deepEqual((await frames())[0], ['@sizes = quantize(arg0);', 13, 2, 'reads.d']);
    assert.equal((await scopes()).Aggregations['@bytes'], 'sum() [1 key]');
    await step('next');
    assert.deepEqual((await frames())[0], ['self->fd = 0;', 14, 2, 'reads.d']);
    await step('next');
    // Past the clause's last statement: the next firing, sh's read(2) entry.
    assert.deepEqual(await frames(), [['#3 syscall:linux:read:entry  ts=5000003000 cpu=0 pid=502 tid=502 sh', 0, 0, null]]);
    let s = await scopes();
    assert.deepEqual([s.Probe.execname, s.Probe.arg0], ['"sh"', '0']);
    await step('stepBack');
    assert.deepEqual(await frames(), [
      ['self->fd = 0;', 14, 2, 'reads.d'],
      ['clause 2: syscall::read:return', 9, 1, 'reads.d'],
      ['#2 syscall:linux:read:return  ts=5000002000 cpu=1 pid=501 tid=501 cat', 0, 0, null],
    ]);
    s = await scopes();
    assert.deepEqual(s['Thread-local'], { 'self->fd': '3' });
    assert.deepEqual(s.Aggregations, { '@bytes': 'sum() [1 key]', '@sizes': 'quantize() [1 key]' });
  });

  test('continue: the breakpoint again at firing #6 (sh\'s read fails the predicate)', async () => {
    await step('continue', 'breakpoint');
    assert.deepEqual((await frames())[2], ['#6 syscall:linux:read:return  ts=5000006000 cpu=1 pid=501 tid=501 cat', 0, 0, null]);
    const s = await scopes();
    assert.equal(s.Probe.arg0, '300');
    const bytes = (await session.customRequest('variables', { variablesReference: await aggregationReference('@bytes') })).variables;
    assert.deepEqual(bytes.map((v) => [v.name, v.value]), [['[cat]', '100']]);
  });

  async function aggregationReference(name) {
    const { stackFrames } = await session.customRequest('stackTrace', { threadId });
    const aggregations = (await session.customRequest('scopes', { frameId: stackFrames[0].id })).scopes.find((x) => x.name === 'Aggregations');
    const { variables } = await session.customRequest('variables', { variablesReference: aggregations.variablesReference });
    return variables.find((v) => v.name === name).variablesReference;
  }

  test('the trace panel opens and shows the clauses, the firings and the histogram', async () => {
    await vscode.commands.executeCommand('dtrace.showTracePanel');
    await waitFor('the DTrace Trace tab', () => vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.label === 'DTrace Trace')));
    const state = await panelAt(6);
    assert.deepEqual(
      state.clauses.map((c) => [c.probes, c.line, c.fired, c.passed, c.faults, c.drops]),
      [
        ['syscall::read:entry', 4, 3, 3, 0, 0],
        ['syscall::read:return', 9, 2, 1, 0, 0],
        ['END', 17, 0, 0, 0, 0],
      ],
    );
    // Firing #0 is BEGIN (its pid is the run's own); then the trace's firings up to the current one.
    assert.equal(state.events[0].probe, 'dtrace:::BEGIN');
    assert.deepEqual(
      state.events.slice(1).map((e) => [e.index, e.timestamp, e.probe, e.pid, e.execname, e.outcomes.join(' ')]),
      [
        [1, '5000001000', 'syscall:linux:read:entry', 501, 'cat', 'passed none none'],
        [2, '5000002000', 'syscall:linux:read:return', 501, 'cat', 'none passed none'],
        [3, '5000003000', 'syscall:linux:read:entry', 502, 'sh', 'passed none none'],
        [4, '5000004000', 'syscall:linux:read:return', 502, 'sh', 'none false none'],
        [5, '5000005000', 'syscall:linux:read:entry', 501, 'cat', 'passed none none'],
      ],
    );
    assert.equal(state.totalEvents, 7);
    const [bytes, sizes] = state.aggregations;
    assert.deepEqual([bytes.name, bytes.func, bytes.line, bytes.rows], ['@bytes', 'sum', 12, [{ keys: ['cat'], value: '100' }]]);
    assert.deepEqual([sizes.name, sizes.func, sizes.line, sizes.rows.length, sizes.rows[0].value], ['@sizes', 'quantize', 13, 1, '1 value']);
    assert.deepEqual(sizes.rows[0].buckets.filter((b) => b.count > 0), [{ label: '64', count: 1 }]);
  });

  test('inline previews follow the aggregation statements', async () => {
    await openDtrace('reads.d');
    const shown = await waitFor('the previews of reads.d', () => {
      const v = mod.aggregationPreviews.shown.get(reads.fsPath);
      return v && v[0] && v[0].text === '@bytes: cat 100' ? v : undefined;
    });
    assert.deepEqual(shown, [
      { line: 12, text: '@bytes: cat 100' },
      { line: 13, text: '@sizes: ▕█▏' },
    ]);
  });

  test('the session ends cleanly: END runs, its output arrives, exit status 0', async () => {
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    await session.customRequest('continue', { threadId });
    const outputs = [];
    for (;;) {
      const m = await waitFor('output, exited or terminated', () => messages.slice(seen).find((x) => ['output', 'exited', 'terminated'].includes(x.event)));
      seen = messages.indexOf(m) + 1;
      if (m.event !== 'output') {
        assert.deepEqual([m.event, m.body], ['exited', { exitCode: 0 }]);
        break;
      }
      if (m.body.category === 'stdout') outputs.push(m.body.output);
    }
    await nextEvent('terminated');
    assert.equal(outputs.join(''), STDOUT);
    await waitFor('the session to end', () => terminated);
    const state = await waitFor('the panel to show the run ended', () => mod.tracePanel.state?.running === false && mod.tracePanel.state);
    assert.equal(state.current, undefined);
    assert.equal(state.output.map((o) => o.text).join(''), STDOUT);
    assert.deepEqual(mod.aggregationPreviews.shown.get(reads.fsPath), [
      { line: 12, text: '@bytes: cat 400' },
      { line: 13, text: '@sizes: ▕█      █ █▏' },
    ]);
  });
});
