// Recording: any probe source's records copied into a trace writer as they are read, so a live
// capture or a workload can be replayed later exactly as it ran. The copy is a tee: the
// source still feeds the replay, and the writer's backpressure paces the reading.
import { createTraceWriter, type TraceEnd, type TraceRecord, type TraceWriter } from '../trace/index.ts';
import type { FiringSource } from './source';

/** Creates the trace file (gzip when its name ends in `.gz`) with the source's header. */
export async function createRecording(path: string, source: FiringSource): Promise<TraceWriter> {
  const h = source.header;
  return createTraceWriter(
    path,
    {
      platform: h.platform,
      ncpus: h.ncpus,
      timestamp: h.timestamp,
      walltimestamp: h.walltimestamp,
      probes: h.probes,
      ...(h.source !== undefined ? { source: h.source } : {}),
      ...(h.extensions !== undefined ? { extensions: h.extensions } : {}),
    },
    { gzip: path.endsWith('.gz') },
  );
}

/**
 * The source, with every record it yields also written to `writer`; the writer is closed
 * (end record with the source's end time) when the source ends, and also when it is stopped
 * early (Ctrl-C), so what was recorded is a complete trace.
 */
export function recordingSource(source: FiringSource, writer: TraceWriter): FiringSource & { batches(): AsyncIterable<TraceRecord[]> } {
  let closed = false;
  const finish = async (end: TraceEnd | undefined): Promise<void> => {
    if (closed) return;
    closed = true;
    await writer.close(end !== undefined ? { timestamp: end.timestamp } : {});
  };
  const inner = (source as { batches?: () => AsyncIterable<TraceRecord[]> }).batches;
  async function* batches(): AsyncGenerator<TraceRecord[]> {
    let end: TraceEnd | undefined;
    try {
      const from: AsyncIterable<TraceRecord[]> = inner !== undefined ? inner.call(source) : single(source.records());
      for await (const batch of from) {
        for (const r of batch) {
          if (r.kind === 'end') end = r;
          else await writer.record(r);
        }
        yield batch;
      }
    } finally {
      await finish(end);
    }
  }
  return {
    header: source.header,
    get skipped() {
      return source.skipped;
    },
    records: () => flatten(batches()),
    batches,
    close: async () => {
      await source.close();
      await finish(undefined);
    },
  };
}

/** Reads a source to its end (recording with no script to run: the tee does the writing). */
export async function drainSource(source: FiringSource): Promise<void> {
  const batched = (source as { batches?: () => AsyncIterable<TraceRecord[]> }).batches;
  if (batched !== undefined) {
    for await (const _ of batched.call(source)) {
      // nothing to do with the records themselves
    }
  } else {
    for await (const _ of source.records()) {
      // nothing to do with the records themselves
    }
  }
}

async function* single(records: AsyncIterable<TraceRecord>): AsyncGenerator<TraceRecord[]> {
  for await (const r of records) yield [r];
}

async function* flatten(batches: AsyncIterable<TraceRecord[]>): AsyncGenerator<TraceRecord> {
  for await (const b of batches) yield* b;
}
