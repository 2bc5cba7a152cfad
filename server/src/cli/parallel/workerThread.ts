// A replay worker thread's entry (cli/dtvm.ts starts it when it is not the main thread): dtvm
// again with the main thread's arguments, so the program and its catalogue are compiled the
// same way (probe ids, aggregation ids, DIF), but run over one range of the trace only
// (execute.ts hands the run to rangeRun.ts). Its output is discarded; the report is the result.
import { parentPort, workerData } from 'node:worker_threads';
import { runDtvm } from '../run';
import type { RangeJob, RangeReport } from './protocol';

/** What a worker posts: its report, or why it has none (the main thread then runs the trace itself). */
export type WorkerMessage = { report: RangeReport } | { failed: string };

/** The workerData key that makes dtvm.ts a worker. */
export const RANGE_JOB = 'dtvmRangeJob';

export function isRangeWorker(): boolean {
  return parentPort !== null && (workerData as Record<string, unknown> | null)?.[RANGE_JOB] !== undefined;
}

export async function rangeWorkerMain(): Promise<void> {
  const job = (workerData as Record<string, RangeJob>)[RANGE_JOB]!;
  let report: RangeReport | undefined;
  let said = '';
  let message: WorkerMessage;
  try {
    const status = await runDtvm(job.argv, { out: () => {}, err: (s) => (said += s) }, { job, report: (r) => (report = r) });
    message = report !== undefined ? { report } : { failed: `dtvm ended with status ${status}: ${said.trim()}` };
  } catch (error) {
    message = { failed: error instanceof Error ? error.message : String(error) };
  }
  parentPort!.postMessage(message);
}
