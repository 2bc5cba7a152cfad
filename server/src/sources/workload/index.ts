// Synthetic workloads (docs/workloads.md): a small JSON file describes a machine's load and a
// seeded simulation turns it into probe firings, in the trace format's records, produced
// lazily in batches so tens of millions of firings need no more memory than one batch.
import { readFile } from 'node:fs/promises';
import type { TraceRecord } from '../../trace/index.ts';
import type { FiringSource } from '../source.ts';
import { WorkloadSimulation } from './simulation.ts';
import { parseWorkload, WorkloadError, type WorkloadSpec } from './spec.ts';

export { WorkloadError, parseWorkload, type WorkloadSpec } from './spec.ts';
export { WorkloadSimulation } from './simulation.ts';

export interface WorkloadOptions {
  /** Overrides the file's seed (default: the file's "seed", else 1). */
  seed?: number;
  /** Records per batch (default 4096). */
  batch?: number;
}

/** The workload file could not be read (missing, a directory, no permission): `cause` is the system's error. */
export class WorkloadOpenError extends Error {
  override readonly name = 'WorkloadOpenError';
  constructor(
    readonly file: string,
    override readonly cause: unknown,
  ) {
    super(`${file}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/** Opens a workload file as a probe source; a file that cannot be read or is wrong throws WorkloadError (`file:line:column: ...`). */
export async function openWorkload(file: string, options: WorkloadOptions = {}): Promise<FiringSource> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    // The face that opened it says so in its own words (dtvm: failed to open workload ...).
    throw new WorkloadOpenError(file, e);
  }
  return workloadSource(parseWorkload(text, file), options);
}

/** A probe source for an already read workload. */
export function workloadSource(spec: WorkloadSpec, options: WorkloadOptions = {}): FiringSource & { batches(): AsyncIterable<TraceRecord[]> } {
  const seed = options.seed ?? spec.seed;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new WorkloadError(`invalid seed ${seed}: a non-negative integer`);
  const sim = new WorkloadSimulation(spec, seed);
  const batch = options.batch ?? 4096;
  let closed = false;
  return {
    header: sim.header,
    async *records(): AsyncGenerator<TraceRecord> {
      while (!closed) {
        const records = sim.next(batch);
        if (records.length === 0) return;
        for (const r of records) {
          if (closed) return;
          yield r;
        }
      }
    },
    /** One array of records per batch: replay's hot loop takes them without a generator step per record. */
    async *batches(): AsyncGenerator<TraceRecord[]> {
      while (!closed) {
        const records = sim.next(batch);
        if (records.length === 0) return;
        yield records;
      }
    },
    close(): Promise<void> {
      closed = true;
      return Promise.resolve();
    },
  };
}
