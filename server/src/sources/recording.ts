// Recording: any probe source's records copied into a trace writer as they are read, so a live
// capture or a workload can be replayed later exactly as it ran. The copy is a tee: the
// source still feeds the replay, and the writer's backpressure paces the reading.
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { createTraceWriter, headerInputOf, type TraceEnd, type TraceRecord, type TraceWriter } from '../trace/index.ts';
import type { FiringSource } from './source';

/** A trace being recorded: written under a temporary name, given its own once it is kept. */
export interface Recording {
  writer: TraceWriter;
  /** Gives the trace its name (replacing a file of that name). */
  keep(): Promise<void>;
  /** Removes it: nothing was recorded (the run stopped before reading the source). */
  discard(): Promise<void>;
}

/**
 * Creates the trace file (gzip when its name ends in `.gz`) with the source's header, under a
 * temporary name beside `path`: a run that fails before it records anything (a script that
 * does not compile) leaves a file of that name as it was.
 */
export async function createRecording(path: string, source: FiringSource): Promise<Recording> {
  const partial = join(dirname(path), `.${basename(path)}.${process.pid}.partial`);
  const writer = await createTraceWriter(partial, headerInputOf(source.header), { gzip: path.endsWith('.gz') });
  return {
    writer,
    keep: () => rename(partial, path),
    discard: () => rm(partial, { force: true }),
  };
}

/**
 * The source, with every record it yields also written to `writer`. The writer gets its end
 * record (with the source's end time) when the source ends, and also when the source is
 * stopped early (Ctrl-C), so what was recorded up to then is a complete trace; when the source
 * fails (a malformed record, a capture that broke), the copy ends without one and reads as
 * truncated.
 */
export function recordingSource(source: FiringSource, recording: Recording): FiringSource & { batches(): AsyncIterable<TraceRecord[]> } {
  const writer = recording.writer;
  let read = false;
  let closed = false;
  let finished: Promise<void> | undefined;
  // Whoever ends the copy first decides how; everyone after waits for the same close.
  const finish = (end: TraceEnd | undefined, failed = false): Promise<void> => {
    closed = true;
    if (!read) finished ??= writer.abandon().then(() => recording.discard());
    else finished ??= (failed ? writer.abandon() : writer.close(end !== undefined ? { timestamp: end.timestamp } : {})).then(() => recording.keep());
    return finished;
  };
  async function* batches(): AsyncGenerator<TraceRecord[]> {
    read = true;
    let end: TraceEnd | undefined;
    let failed = false;
    try {
      const from: AsyncIterable<TraceRecord[]> = source.batches !== undefined ? source.batches() : single(source.records());
      for await (const batch of from) {
        for (const r of batch) {
          // Stopped (close()) while this batch was being copied: the trace ended there.
          if (closed) return;
          if (r.kind === 'end') end = r;
          else await writer.record(r);
        }
        yield batch;
      }
    } catch (e) {
      failed = true;
      throw e;
    } finally {
      await finish(end, failed);
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
  if (source.batches !== undefined) {
    for await (const _ of source.batches()) {
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
