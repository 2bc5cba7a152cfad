// What every probe source gives the engine: a trace file being replayed, a live capture with
// strace, a synthetic workload. They all speak the trace format's records (docs/trace-format.md),
// so a live capture can be recorded by copying its records into a trace writer, and a replay,
// a capture and a workload reach the VM through the same path (sources/replay.ts).
import type { TraceHeader, TraceRecord } from '../trace/index.ts';

export interface FiringSource {
  /** The platform, CPU count, start times and the probes the source can fire (firings name them by index). */
  readonly header: TraceHeader;
  /** Firings and process events in time order; an end record last when the source has one. */
  records(): AsyncIterable<TraceRecord>;
  /**
   * The same records in the batches the source reads them in (a trace file's decoded chunks):
   * consumers that can take a batch at a time skip one promise per record. Optional.
   */
  batches?(): AsyncIterable<TraceRecord[]>;
  /** Stops the source: closes the file, detaches from or ends the captured process. Idempotent. */
  close(): Promise<void>;
  /** Malformed records skipped so far (only when the user asked to skip them). */
  readonly skipped?: number;
}
