// Ending a debug session in every state it can be in: the adapter (the real DTraceDebugSession
// over the real runtime, in this process behind a socket, as VS Code runs it inline) is told to
// disconnect, to terminate, or to restart (the adapter has no restart request: a client
// terminates with `restart: true`, disconnects and launches a new session) while
//   - running a long synthetic workload,
//   - stopped at a breakpoint,
//   - going backwards (a reverse-continue over tens of thousands of firings),
//   - running a live capture of `sleep 30` the adapter started,
//   - stopped at a breakpoint in that capture,
//   - running a live capture of a process it attached to.
// After each: the adapter answered within a few seconds; no process is left (no strace, no
// `sleep 30`; the attached process runs on, no longer traced); a terminate ran END (its
// aggregations printed) and a disconnect did not; and a new session in the same process runs
// a reference script to the same output as the first session did (no state the sessions
// share was corrupted), and for a restart the same configuration runs again. A second launch
// on a session that already runs one is refused (it would orphan the first run's processes).
// DAP_LIFECYCLE_ROUNDS=n repeats the whole matrix n times.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { createRuntime } from '../../server/src/debug/adapter/runtimeFactory';
import { outputOf, startAdapter, type AdapterHarness } from '../support/debugAdapter';
import { allProcesses, procStat as stat } from '../support/processes';

const ROUNDS = Number(process.env.DAP_LIFECYCLE_ROUNDS ?? 1);
const dir = mkdtempSync(join(tmpdir(), 'dtvm-dap-lifecycle-'));

// ---- inputs

const WORKLOAD = join(dir, 'forever.json');
writeFileSync(
  WORKLOAD,
  JSON.stringify({
    workload: 1,
    flavour: 'illumos',
    ncpus: 2,
    duration: '3600s',
    seed: 5,
    processes: [
      { execname: 'cat', pid: 500, ppid: 1, think: { fixed: '10us' }, syscalls: [{ name: 'read', rate: 1, args: [3, 'pointer', 4096], returns: 'arg2', latency: { fixed: '5us' } }] },
      { execname: 'sh', pid: 400, ppid: 1, think: { fixed: '20us' }, syscalls: [{ name: 'write', rate: 1, args: [1, 'pointer', 10], returns: 'arg2', latency: { fixed: '3us' } }] },
    ],
  }),
);
// Line numbers matter: breakpoints go on lines 3 and 8.
const COUNTS = join(dir, 'counts.d');
writeFileSync(COUNTS, ['BEGIN', '{', '\tn = 0;', '}', '', 'syscall::read:entry', '{', '\tn++;', '\t@reads[execname] = count();', '}', '', 'END', '{', '\tprintf("END ran after %d reads\\n", n);', '}', ''].join('\n'));
const SLEEPS = join(dir, 'sleeps.d');
writeFileSync(SLEEPS, ['syscall::nanosleep:entry,syscall::clock_nanosleep:entry', '{', '\t@sleeps[pid] = count();', '}', '', 'END', '{', '\tprintf("END ran\\n");', '}', ''].join('\n'));
const ATTACH = join(dir, 'attach.d');
writeFileSync(ATTACH, ['syscall:::entry', '{', '\t@calls[probefunc] = count();', '}', '', 'END', '{', '\tprintf("END ran\\n");', '}', ''].join('\n'));
// The reference run every new session must reproduce: BEGIN, ticks on the virtual clock, exit().
const REFERENCE = join(dir, 'reference.d');
writeFileSync(REFERENCE, ['#pragma D option quiet', 'tick-1s', '{', '\t@t["tick"] = count();', '\ttrace(++k);', '}', 'tick-5s', '{', '\texit(3);', '}', ''].join('\n'));

// ---- processes

/** Live (not zombie) descendants of this process, as `pid comm`. */
function descendants(root = process.pid): string[] {
  const all = allProcesses();
  const out: string[] = [];
  const walk = (parent: number): void => {
    for (const x of all) {
      if (x.st.ppid !== parent) continue;
      if (x.st.state !== 'Z' && x.st.state !== 'X') out.push(`${x.pid} ${x.st.comm}`);
      walk(x.pid);
    }
  };
  walk(root);
  return out.sort();
}

function tracerPid(pid: number): number | undefined {
  try {
    return Number(/^TracerPid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
  } catch {
    return undefined;
  }
}

async function until(what: string, holds: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!holds()) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** What this process had running before any session (tsx's esbuild service). */
const BASELINE = new Set(descendants());

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- sessions

/** initialize, launch (or attach), breakpoints, configurationDone: the session is running or stopped. */
async function launch(args: Record<string, unknown>, breakpoints: DebugProtocol.SourceBreakpoint[] = [], request: 'launch' | 'attach' = 'launch'): Promise<AdapterHarness> {
  const h = await startAdapter(createRuntime);
  try {
    await h.client.initializeRequest();
    const started = request === 'launch' ? h.client.launchRequest(args as DebugProtocol.LaunchRequestArguments) : h.client.attachRequest(args as DebugProtocol.AttachRequestArguments);
    await h.take('initialized', 20_000);
    if (breakpoints.length > 0) await h.client.setBreakpointsRequest({ source: { path: args.program as string }, breakpoints });
    await h.client.configurationDoneRequest();
    await started;
    return h;
  } catch (e) {
    await h.close();
    throw e;
  }
}

/** A new session runs the reference script to its end: what it printed and its exit status. */
async function reference(): Promise<string> {
  const h = await launch({ program: REFERENCE });
  try {
    const exited = await h.take('exited', 20_000);
    await h.take('terminated');
    return `${outputOf(h.events, 'stdout')}|status ${exited.body.exitCode}`;
  } finally {
    await h.close();
  }
}

type Action = 'disconnect' | 'terminate' | 'restart';

interface State {
  name: string;
  /** Starts a session and brings it to the state. */
  enter(): Promise<{ h: AdapterHarness; args: Record<string, unknown>; request: 'launch' | 'attach'; breakpoints: DebugProtocol.SourceBreakpoint[] }>;
  /** Processes that must be gone after the session (pids), and one that must live on, untraced. */
  watched?(): { gone: number[]; lives?: number };
  /** A terminate runs END: this text is in stdout. */
  endText: string;
  /** Checks a relaunch (restart) of the same configuration got going. */
  relaunched(h: AdapterHarness): Promise<void>;
}

let attachTarget: ChildProcess | undefined;
let sleepPid: number | undefined;

async function stoppedEvent(h: AdapterHarness, timeoutMs = 20_000): Promise<DebugProtocol.StoppedEvent['body']> {
  return (await h.take('stopped', timeoutMs)).body as DebugProtocol.StoppedEvent['body'];
}

/** The `sleep 30` a command capture started (a descendant of this process). */
function findSleep(): number | undefined {
  const line = descendants().find((l) => l.endsWith(' sleep'));
  return line === undefined ? undefined : Number(line.split(' ')[0]);
}

const STATES: State[] = [
  {
    name: 'running a long workload',
    async enter() {
      const args = { program: COUNTS, workload: WORKLOAD };
      const h = await launch(args);
      await delay(300);
      assert.equal(h.events.filter((e) => e.event === 'stopped' || e.event === 'terminated').length, 0, 'still running');
      return { h, args, request: 'launch', breakpoints: [] };
    },
    endText: 'END ran after',
    async relaunched(h) {
      await delay(200);
      assert.equal(h.events.filter((e) => e.event === 'terminated').length, 0);
    },
  },
  {
    name: 'stopped at a breakpoint',
    async enter() {
      const args = { program: COUNTS, workload: WORKLOAD };
      const breakpoints = [{ line: 8, hitCondition: '>= 2000' }];
      const h = await launch(args, breakpoints);
      assert.equal((await stoppedEvent(h)).reason, 'breakpoint');
      return { h, args, request: 'launch', breakpoints };
    },
    endText: 'END ran after',
    async relaunched(h) {
      assert.equal((await stoppedEvent(h)).reason, 'breakpoint');
      const frames = (await h.client.stackTraceRequest({ threadId: 1 })).body.stackFrames;
      assert.equal(frames[0]!.line, 8);
    },
  },
  {
    name: 'going backwards',
    async enter() {
      const args = { program: COUNTS, workload: WORKLOAD };
      const h = await launch(args);
      await delay(1000);
      await h.client.pauseRequest({ threadId: 1 });
      assert.equal((await stoppedEvent(h)).reason, 'pause');
      // Back to BEGIN: every firing since is re-run by the scan.
      await h.client.setBreakpointsRequest({ source: { path: COUNTS }, breakpoints: [{ line: 3 }] });
      await h.client.reverseContinueRequest({ threadId: 1 });
      await delay(20);
      assert.equal(h.events.filter((e) => e.event === 'stopped').length, 1, 'the reverse-continue is still going');
      return { h, args, request: 'launch', breakpoints: [] };
    },
    endText: 'END ran after',
    async relaunched(h) {
      await delay(200);
      assert.equal(h.events.filter((e) => e.event === 'terminated').length, 0);
    },
  },
  {
    name: 'running a live capture of a command',
    async enter() {
      const args = { program: SLEEPS, command: '/bin/sleep 30' };
      const h = await launch(args);
      await until('sleep runs', () => (sleepPid = findSleep()) !== undefined);
      await until('sleep is traced', () => (tracerPid(sleepPid!) ?? 0) !== 0);
      return { h, args, request: 'launch', breakpoints: [] };
    },
    watched: () => ({ gone: [sleepPid!] }),
    endText: 'END ran',
    async relaunched() {
      let pid: number | undefined;
      await until('the new sleep runs', () => (pid = findSleep()) !== undefined && pid !== sleepPid);
      sleepPid = pid;
    },
  },
  {
    name: 'stopped at a breakpoint in a live capture of a command',
    async enter() {
      const args = { program: SLEEPS, command: '/bin/sleep 30' };
      const breakpoints = [{ line: 3 }];
      const h = await launch(args, breakpoints);
      assert.equal((await stoppedEvent(h)).reason, 'breakpoint');
      sleepPid = findSleep();
      assert.ok(sleepPid !== undefined, descendants().join('\n'));
      return { h, args, request: 'launch', breakpoints };
    },
    watched: () => ({ gone: [sleepPid!] }),
    endText: 'END ran',
    async relaunched(h) {
      assert.equal((await stoppedEvent(h)).reason, 'breakpoint');
      sleepPid = findSleep();
    },
  },
  {
    name: 'running a live capture of an attached process',
    async enter() {
      attachTarget ??= spawn('/bin/sh', ['-c', 'while :; do sleep 0.05; done'], { stdio: 'ignore' });
      const pid = attachTarget.pid!;
      const args = { program: ATTACH, pid };
      const h = await launch(args, [], 'attach');
      await until('the shell is traced', () => (tracerPid(pid) ?? 0) !== 0);
      return { h, args, request: 'attach', breakpoints: [] };
    },
    watched: () => ({ gone: [], lives: attachTarget!.pid! }),
    endText: 'END ran',
    async relaunched() {
      await until('the shell is traced again', () => (tracerPid(attachTarget!.pid!) ?? 0) !== 0);
    },
  },
];

/** Ends the session as `action` says; returns how long the adapter took to answer. */
async function end(h: AdapterHarness, action: Action): Promise<number> {
  const t = Date.now();
  if (action === 'disconnect') {
    await h.client.disconnectRequest({});
  } else {
    await h.client.terminateRequest(action === 'restart' ? { restart: true } : {});
    await h.take('terminated', 20_000);
    // The adapter still answers after the run ended.
    assert.deepEqual((await h.client.threadsRequest()).body.threads.map((x) => x.name), ['firings']);
    assert.deepEqual((await h.client.stackTraceRequest({ threadId: 1 })).body.stackFrames, []);
    await assert.rejects(h.client.evaluateRequest({ expression: '1 + 1', context: 'watch' }), /not stopped at a probe firing/);
    await assert.rejects(h.client.continueRequest({ threadId: 1 }), /not running/);
    await h.client.setBreakpointsRequest({ source: { path: COUNTS }, breakpoints: [{ line: 8 }] });
    await h.client.disconnectRequest(action === 'restart' ? { restart: true } : {});
  }
  return Date.now() - t;
}

/** Everything this process started is gone, but the attached process (if any). */
async function noneLeft(keep: number | undefined): Promise<void> {
  const allowed = (l: string): boolean => {
    if (BASELINE.has(l)) return true;
    const pid = Number(l.split(' ')[0]);
    if (pid === keep) return true;
    // The attached shell's own `sleep 0.05` children.
    return keep !== undefined && stat(pid)?.ppid === keep;
  };
  await until(`no process is left (${descendants().join(', ')})`, () => descendants().every(allowed), 8000);
}

test('ending a debug session in every state leaves no process and no corrupted state', { timeout: 60_000 + ROUNDS * 120_000 }, async () => {
  const expected = await reference();
  assert.match(expected, /\|status 3$/);
  const timings: string[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const state of STATES) {
        for (const action of ['disconnect', 'terminate', 'restart'] as const) {
          const what = `${state.name}, ${action}`;
          const { h, args, request, breakpoints } = await state.enter();
          let ms: number;
          const watched = state.watched?.();
          try {
            ms = await end(h, action);
          } finally {
            await h.close();
          }
          timings.push(`${what}: ${ms} ms`);
          assert.ok(ms < 8000, `${what}: the adapter took ${ms} ms to answer`);
          const stdout = outputOf(h.events, 'stdout');
          const exited = h.events.filter((e) => e.event === 'exited');
          if (action === 'disconnect') {
            assert.deepEqual(exited, [], `${what}: a disconnect does not run END`);
            assert.ok(!stdout.includes(state.endText), `${what}: END ran on disconnect`);
          } else {
            assert.equal(exited.length, 1, `${what}: one exited event`);
            assert.ok(stdout.includes(state.endText), `${what}: END did not run:\n${stdout.slice(-500)}`);
          }
          for (const pid of watched?.gone ?? []) await until(`${what}: pid ${pid} is gone`, () => [undefined, 'Z', 'X'].includes(stat(pid)?.state));
          if (watched?.lives !== undefined) {
            const pid = watched.lives;
            await until(`${what}: pid ${pid} is no longer traced`, () => tracerPid(pid) === 0);
            assert.ok(!'TtZX'.includes(stat(pid)?.state ?? 'X'), `${what}: the attached process is ${stat(pid)?.state}`);
          }
          await noneLeft(watched?.lives);
          // A new session in the same process is unaffected.
          assert.equal(await reference(), expected, `${what}: a new session's output`);
          if (action === 'restart') {
            // The same configuration again, as a client's restart does.
            const again = await launch(args, breakpoints, request);
            try {
              await state.relaunched(again);
            } finally {
              await again.client.disconnectRequest({});
              await again.close();
            }
            for (const pid of state.watched?.().gone ?? []) await until(`${what}: relaunched pid ${pid} is gone`, () => [undefined, 'Z', 'X'].includes(stat(pid)?.state));
            await noneLeft(watched?.lives);
          }
        }
      }
      // The next round's states start with no process of this one's.
      if (attachTarget !== undefined) {
        const shell = attachTarget;
        attachTarget = undefined;
        const gone = new Promise((r) => shell.once('exit', r));
        shell.kill('SIGKILL');
        await gone;
        await noneLeft(undefined);
      }
    }
  } finally {
    attachTarget?.kill('SIGKILL');
    const s = findSleep();
    if (s !== undefined) process.kill(s, 'SIGKILL');
    console.log(`# ${timings.join('; ')}`);
  }
});

test('a second launch on a session that runs a script is refused, and the first run is not orphaned', { timeout: 30_000 }, async () => {
  const h = await launch({ program: SLEEPS, command: '/bin/sleep 30' });
  let pid: number | undefined;
  try {
    await until('sleep runs', () => (pid = findSleep()) !== undefined);
    await assert.rejects(h.client.launchRequest({ program: SLEEPS, command: '/bin/sleep 30' } as DebugProtocol.LaunchRequestArguments), /already/);
    assert.deepEqual(descendants().filter((l) => l.endsWith(' sleep')).length, 1, descendants().join('\n'));
    await h.client.disconnectRequest({});
    await until(`pid ${pid} is gone`, () => [undefined, 'Z', 'X'].includes(stat(pid!)?.state));
    await noneLeft(undefined);
  } finally {
    await h.close();
    if (pid !== undefined && stat(pid) !== undefined) process.kill(pid, 'SIGKILL');
  }
});

test('ending a session while it launches, or before configurationDone, answers the launch and leaves no process', { timeout: 60_000 }, async () => {
  for (const [when, action] of [
    ['launching', 'disconnect'],
    ['launching', 'terminate'],
    ['configuring', 'disconnect'],
    ['configuring', 'terminate'],
  ] as const) {
    const h = await startAdapter(createRuntime);
    let pid: number | undefined;
    try {
      await h.client.initializeRequest();
      const launched = h.client.launchRequest({ program: SLEEPS, command: '/bin/sleep 30' } as DebugProtocol.LaunchRequestArguments).then(
        () => 'answered',
        (e: Error) => `failed: ${e.message}`,
      );
      if (when === 'configuring') {
        await h.take('initialized', 20_000);
        await until('sleep runs', () => (pid = findSleep()) !== undefined);
      } else {
        // strace is starting the command: the launch has not finished.
        await until('sleep runs', () => (pid = findSleep()) !== undefined);
        assert.equal(h.events.filter((e) => e.event === 'initialized').length, 0, 'still launching');
      }
      // The client gives up before configuring (the user stopped a session still starting).
      if (action === 'disconnect') await h.client.disconnectRequest({});
      else {
        await h.client.terminateRequest({});
        await h.take('terminated', 20_000);
      }
      const answer = await Promise.race([launched, delay(5000).then(() => 'no answer')]);
      assert.notEqual(answer, 'no answer', `${when}, ${action}: the launch request was never answered`);
      await until(`${when}, ${action}: pid ${pid} is gone`, () => [undefined, 'Z', 'X'].includes(stat(pid!)?.state));
      await noneLeft(undefined);
      // Nothing ran after the session ended: no stop, no output from a run that went on.
      assert.deepEqual(h.events.filter((e) => e.event === 'stopped'), [], action);
    } finally {
      await h.close();
      if (pid !== undefined && stat(pid) !== undefined) process.kill(pid, 'SIGKILL');
    }
  }
});

test('bin/dtvm-dap: a client that goes away (stdin closed, or SIGTERM) mid live capture leaves no process', { timeout: 60_000 }, async () => {
  const bin = join(__dirname, '..', '..', 'bin', 'dtvm-dap');
  for (const how of ['stdin closed', 'SIGTERM'] as const) {
    const child = spawn(process.execPath, [bin], { stdio: ['pipe', 'pipe', 'pipe'] });
    let seq = 1;
    let buffer = '';
    const seen: { type: string; event?: string; command?: string }[] = [];
    child.stdout!.on('data', (d: Buffer) => {
      buffer += d.toString();
      for (;;) {
        const m = /^Content-Length: (\d+)\r\n\r\n/.exec(buffer);
        if (!m || buffer.length < m[0].length + Number(m[1])) break;
        seen.push(JSON.parse(buffer.slice(m[0].length, m[0].length + Number(m[1]))));
        buffer = buffer.slice(m[0].length + Number(m[1]));
      }
    });
    const send = (command: string, args: unknown): void => {
      const body = JSON.stringify({ seq: seq++, type: 'request', command, arguments: args });
      child.stdin!.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    };
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    let pid: number | undefined;
    try {
      send('initialize', { adapterID: 'dtrace', linesStartAt1: true, columnsStartAt1: true });
      send('launch', { program: SLEEPS, command: '/bin/sleep 30' });
      await until('initialized', () => seen.some((m) => m.event === 'initialized'), 20_000);
      send('configurationDone', {});
      await until('launched', () => seen.some((m) => m.command === 'launch'), 20_000);
      await until('sleep runs under the adapter', () => (pid = Number(descendants(child.pid!).find((l) => l.endsWith(' sleep'))?.split(' ')[0]) || undefined) !== undefined);
      if (how === 'stdin closed') child.stdin!.end();
      else child.kill('SIGTERM');
      await Promise.race([exited, delay(8000).then(() => assert.fail(`${how}: the adapter did not exit`))]);
      await until(`${how}: pid ${pid} is gone`, () => [undefined, 'Z', 'X'].includes(stat(pid!)?.state));
      await noneLeft(undefined);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      if (pid !== undefined && stat(pid) !== undefined && stat(pid)!.state !== 'Z') process.kill(pid, 'SIGKILL');
    }
  }
});
