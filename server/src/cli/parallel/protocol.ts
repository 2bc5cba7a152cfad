// What the main thread and a replay worker say to each other (structured-cloned: bigints and
// byte arrays cross as they are).
import type { TraceRange } from '../../trace/reader.ts';
import type { RecordValue } from '../../vm/records';

/** A worker's job: dtvm's own arguments (it compiles the same program) and its range of the trace. */
export interface RangeJob {
  /** dtvm's arguments, as the main thread got them. */
  argv: string[];
  /** The trace file (a path: a worker opens it itself). */
  path: string;
  range: TraceRange;
}

/** One aggregation key's total over a worker's range. */
export interface RangeAggregate {
  id: number;
  key: RecordValue[];
  data: bigint[];
}

/**
 * stddev()'s low sum-of-squares words of one snapshot (per CPU and key): the consumer adds
 * snapshots word by word without a carry, so a snapshot window that two workers share must get
 * the carry one buffer would have made (replay.ts).
 */
export interface SnapshotEdge {
  /** The window's snapshot time in the single thread's run (Engine.snapshotTimeOf). */
  window: bigint;
  parts: { cpu: number; id: number; key: RecordValue[]; low: bigint }[];
}

/** What a worker found in its range. */
export interface RangeReport {
  /** Why merging would not be exact (a fault, a drop, a record, a malformed record); undefined when it is. */
  irregular?: string;
  aggregates: RangeAggregate[];
  /** Per CPU: the most its aggregation buffer held at a snapshot, and what it may hold. */
  buffers: { cpu: number; peak: number; capacity: number }[];
  /** The range's firing and process-event records. */
  firings: number;
  events: number;
  /** The first and the last snapshot with stddev() data (none without stddev()). */
  edges: SnapshotEdge[];
  /** The end record, when the range holds it. */
  end?: { timestamp: bigint; firings: number; events: number };
}
