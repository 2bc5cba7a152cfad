// The main thread's side of a parallel replay (`dtvm ... --trace FILE`): when safety.ts allows
// it and the trace can be cut (trace/split.ts), each worker thread replays one byte range of the
// file through the probe clauses and reports its aggregation totals (rangeRun.ts). Only if every
// worker's run was clean and the pieces fit together is the result used: the main thread then
// runs BEGIN, its consumer receives the workers' totals as one more aggregation snapshot when
// the trace ends (before END, as the single thread's last snapshot is), the clock moves to the
// end record, and END and the output follow exactly as they would have.
//
// Otherwise (any irregular report, a worker that failed, a Ctrl-C meanwhile) nothing has been
// printed yet: the caller runs the trace in one piece, which prints what a single thread prints,
// errors included, because it is the single thread.
//
// How many workers: DTVM_WORKERS=N (1: never parallel; N >= 2: N workers whenever it is safe,
// whatever the trace's size), else 2 on a machine with 2 CPUs or more for a trace of at least
// PARALLEL_MIN_BYTES (below that, starting workers, each compiling the program again, costs
// more than it saves: a 66 MB NDJSON replay took 0.77 s on two workers and 0.73 s on one, a
// 240 MB binary one 3.95 s against 6.20 s).
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ProbeCatalogue } from '../../analyze/catalogue/types';
import type { OptionSet } from '../../analyze/options/optionSet';
import type { CompiledProgram } from '../../codegen/program';
import type { OpenedSource } from '../../sources/open';
import { CLOCK_ONLY_PROBE } from '../../sources/replay';
import { splitTrace } from '../../trace/split.ts';
import type { ProbeFiring, SyncFiringIterator } from '../../vm/engine';
import type { AggregationDelta } from '../../vm/records';
import type { RangeAggregate, RangeJob, RangeReport } from './protocol';
import { parallelSafety } from './safety';
import { RANGE_JOB, type WorkerMessage } from './workerThread';

/** Smallest trace (bytes) replayed in parallel unless DTVM_WORKERS asks for it. */
export const PARALLEL_MIN_BYTES = 128 << 20;

export interface ReplayPlan {
  /** 1: the single thread. */
  workers: number;
  reason: string;
}

/** Which path a replay of this program and source takes (before cutting the file). */
export function replayPlan(program: CompiledProgram, catalogue: ProbeCatalogue, options: OptionSet, opened: OpenedSource, env: NodeJS.ProcessEnv = process.env): ReplayPlan {
  const asked = env.DTVM_WORKERS !== undefined && /^[0-9]+$/.test(env.DTVM_WORKERS) ? Number(env.DTVM_WORKERS) : undefined;
  if (asked !== undefined && asked <= 1) return { workers: 1, reason: 'DTVM_WORKERS=1' };
  if (opened.kind !== 'trace' || opened.path === undefined) return { workers: 1, reason: 'not a trace file' };
  if (opened.skipBadRecords) return { workers: 1, reason: '--skip-bad-records' };
  if (opened.source !== opened.trace) return { workers: 1, reason: '--record' };
  const safety = parallelSafety(program, catalogue, options);
  if (!safety.safe) return { workers: 1, reason: safety.reason };
  if (asked !== undefined) return { workers: asked, reason: 'DTVM_WORKERS' };
  if (availableParallelism() < 2) return { workers: 1, reason: 'one CPU' };
  let size = 0;
  try {
    size = statSync(opened.path).size;
  } catch {
    return { workers: 1, reason: 'not a regular file' };
  }
  if (size < PARALLEL_MIN_BYTES) return { workers: 1, reason: 'a small trace' };
  return { workers: 2, reason: 'a large trace' };
}

/** What the last replay in this process did (tests look): 'single: why', 'parallel', or 'fallback: why'. */
export let lastReplayPath = 'single';

/** The workers' merged result: their aggregation totals and when the trace ended. */
export interface ParallelResult {
  deltas: AggregationDelta[];
  endTime: bigint;
}

export interface ParallelRequest {
  program: CompiledProgram;
  catalogue: ProbeCatalogue;
  options: OptionSet;
  opened: OpenedSource;
  /** dtvm's arguments (each worker compiles the same program from them). */
  argv: readonly string[];
  signal?: AbortSignal;
}

/** Replays the trace in worker threads; undefined when the single thread must do it (nothing was printed). */
export async function replayInParallel(req: ParallelRequest): Promise<ParallelResult | undefined> {
  lastReplayPath = 'single';
  const plan = replayPlan(req.program, req.catalogue, req.options, req.opened);
  if (plan.workers < 2) {
    lastReplayPath = `single: ${plan.reason}`;
    return undefined;
  }
  const path = req.opened.path!;
  const ranges = await splitTrace(path, req.opened.source.header, plan.workers);
  if (ranges === undefined) return fallback('the trace cannot be cut');
  const jobs: RangeJob[] = ranges.map((range) => ({ argv: [...req.argv], path, range }));
  const messages = await runWorkers(jobs, req.signal);
  if (messages === undefined) return fallback('interrupted');
  const reports: RangeReport[] = [];
  for (const m of messages) {
    if ('failed' in m) return fallback(`a worker failed: ${m.failed}`);
    if (m.report.irregular !== undefined) return fallback(m.report.irregular);
    reports.push(m.report);
  }
  const problem = mergeProblem(reports);
  if (problem !== undefined) return fallback(problem);
  lastReplayPath = 'parallel';
  const deltas: AggregationDelta[] = [];
  for (const r of reports) for (const a of r.aggregates) deltas.push({ id: a.id, cpu: 0, key: a.key, data: a.data });
  deltas.push(...stddevCarries(reports));
  return { deltas, endTime: reports.at(-1)!.end!.timestamp };
}

function fallback(why: string): undefined {
  lastReplayPath = `fallback: ${why}`;
  return undefined;
}

/**
 * Why the reports do not add up to the single thread's run; undefined when they do. The end
 * record only in the last range, with the counts of all ranges. And no aggregation drop the
 * single thread would have had: each worker's buffers are snapshotted at the same virtual times
 * as the single thread's (same clock start and rates), so the keys one CPU's buffer held
 * between two snapshots are at most the union of the workers' for that interval, whose bytes
 * are at most the sum of each worker's peak; when that sum fits, nothing dropped.
 */
function mergeProblem(reports: readonly RangeReport[]): string | undefined {
  const last = reports.at(-1)!;
  if (reports.slice(0, -1).some((r) => r.end !== undefined)) return 'an end record before the last range';
  if (last.end === undefined) return 'no end record';
  const firings = reports.reduce((n, r) => n + r.firings, 0);
  const events = reports.reduce((n, r) => n + r.events, 0);
  if (firings !== last.end.firings || events !== last.end.events) return 'the end record counts differ';
  const used = new Map<number, number>();
  let capacity = Infinity;
  for (const r of reports) {
    for (const b of r.buffers) {
      used.set(b.cpu, (used.get(b.cpu) ?? 0) + b.peak);
      capacity = Math.min(capacity, b.capacity);
    }
  }
  for (const [cpu, bytes] of used) if (bytes > 0 && bytes > capacity) return `aggregation keys might not have fit CPU ${cpu}'s buffer`;
  return undefined;
}

/**
 * The carries stddev()'s sum of squares needs where workers shared a snapshot window. In one
 * buffer, a window's squares add up as one 128-bit number per CPU and key; the consumer then
 * adds the windows' high and low words each on its own (as libdtrace does). Split between
 * workers, the window arrives as two deltas whose low words no longer carry into the high
 * word: the carry the one buffer would have made is added here, as one more delta.
 */
function stddevCarries(reports: readonly RangeReport[]): AggregationDelta[] {
  const sums = new Map<string, { id: number; cpu: number; key: RangeAggregate['key']; low: bigint; parts: number }>();
  for (const r of reports) {
    for (const edge of r.edges) {
      // A worker's first and last snapshot may be one window's (then it is one snapshot).
      if (edge !== r.edges[0] && edge.window === r.edges[0]!.window) continue;
      for (const p of edge.parts) {
        const name = `${edge.window}|${p.cpu}|${p.id}|${keyText(p.key)}`;
        const sum = sums.get(name);
        if (sum === undefined) sums.set(name, { id: p.id, cpu: p.cpu, key: p.key, low: p.low, parts: 1 });
        else {
          sum.low += p.low;
          sum.parts++;
        }
      }
    }
  }
  const out: AggregationDelta[] = [];
  for (const s of sums.values()) {
    const carry = s.low >> 64n;
    if (s.parts > 1 && carry > 0n) out.push({ id: s.id, cpu: s.cpu, key: s.key, data: [0n, 0n, carry, 0n] });
  }
  return out;
}

function keyText(key: RangeAggregate['key']): string {
  return key.map((k) => (typeof k === 'bigint' ? `i${k.toString(16)}` : `b${Buffer.from(k).toString('hex')}`)).join(',');
}

/**
 * What a worker thread starts: the bundle itself (dist/dtvm.js), or, running from the sources
 * (tsx: tests, benches), cli/dtvm.ts through tsx's CommonJS hook (a worker does not inherit
 * the loader hooks of the thread that made it).
 */
function workerEntry(): { code: string; eval: boolean } {
  if (__filename.endsWith('.ts')) return { code: `require('tsx/cjs'); require(${JSON.stringify(join(__dirname, '..', 'dtvm.ts'))});`, eval: true };
  return { code: __filename, eval: false };
}

/** Every job's message, in job order; undefined when stopped first (the workers are terminated). */
async function runWorkers(jobs: readonly RangeJob[], signal: AbortSignal | undefined): Promise<WorkerMessage[] | undefined> {
  const entry = workerEntry();
  const workers = jobs.map((job) => new Worker(entry.code, { eval: entry.eval, workerData: { [RANGE_JOB]: job }, execArgv: [], stdout: true, stderr: true }));
  const results = workers.map(
    (w) =>
      new Promise<WorkerMessage>((resolve) => {
        let got: WorkerMessage | undefined;
        w.once('message', (m: WorkerMessage) => (got = m));
        w.once('error', (e) => resolve({ failed: e instanceof Error ? e.message : String(e) }));
        w.once('exit', (code) => resolve(got ?? { failed: `the worker exited with code ${code}` }));
      }),
  );
  let onAbort: (() => void) | undefined;
  const stopped = new Promise<undefined>((resolve) => {
    if (signal === undefined) return;
    onAbort = () => resolve(undefined);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([Promise.all(results), stopped]);
  } finally {
    if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort);
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/**
 * The firings the main thread's engine replays instead of the trace: only the end record's time
 * (the clock moves there, every periodic pass of the consumer runs on the way, as in the single
 * thread), then, as the trace ends, the workers' totals as one more snapshot.
 */
export function mergedFirings(result: ParallelResult, deliver: (deltas: AggregationDelta[]) => void, onSourceEnd: () => void, close: () => Promise<void>): AsyncIterable<ProbeFiring> {
  let step = 0;
  const clock: ProbeFiring = { probeId: CLOCK_ONLY_PROBE, timestamp: result.endTime, cpu: 0, pid: 0, tid: 0, execname: '', args: [] };
  const it: SyncFiringIterator & AsyncIterable<ProbeFiring> = {
    nextSync: () => (step === 0 ? (step++, clock) : undefined),
    next: async () => {
      if (step === 0) {
        step++;
        return { done: false, value: clock };
      }
      if (step === 1) {
        step++;
        if (result.deltas.length > 0) deliver(result.deltas);
        onSourceEnd();
      }
      return { done: true, value: undefined };
    },
    return: async () => {
      step = 2;
      await close();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]: () => it,
  };
  return it;
}
