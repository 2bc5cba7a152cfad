// What the VM hands to the consumer, shaped like what DTrace's kernel hands to libdtrace:
// principal-buffer bytes per CPU (one record per ECB firing, the library ERROR enabling's
// records reporting faults among them), aggregation buffers drained every `aggrate`, drop
// counts and the exit status. bufferWalk.ts reads the bytes back as FiringData and faults.
// Aggregation totals live in the consumer (as in libdtrace): the VM only keeps what was
// aggregated since the last snapshot, which is where aggregation drops happen.

import type { EpidTable } from './epidTable';

/** A record's value: integers as unsigned 64-bit bigints (two's complement), everything else as bytes. */
export type RecordValue = bigint | Uint8Array;

/** Bytes [start, end) of a buffer: EPID words, each starting a record or padding. */
export interface ByteSpan {
  /**
   * The buffer's own storage: valid only during the sink call (the buffer records over it
   * afterwards), so whatever outlives the call copies what it keeps.
   */
  bytes: Uint8Array;
  view: DataView;
  start: number;
  end: number;
}

/** A principal buffer's bytes the consumer is to read, as the kernel hands them at a switch. */
export interface BufferContents extends ByteSpan {
  cpu: number;
  /** What each EPID stands for. */
  epids: EpidTable;
  /** walltimestamp at timestamp 0 (a record's header holds its timestamp). */
  wallStart: bigint;
}

/** One firing of one enabling, as read from a principal buffer. */
export interface FiringData {
  epid: number;
  probeId: number;
  cpu: number;
  /** Virtual time of the firing (ns), the `timestamp` variable's value. */
  timestamp: bigint;
  /** walltimestamp at the firing (ns since the epoch). */
  walltimestamp: bigint;
  /**
   * One value per action of the enabling, index for index: actions that leave nothing in the
   * principal buffer (aggregating actions, printf with no argument...) hold 0n, and so do
   * aggregation keys and increments (they go to the aggregation buffer). Integers are read at
   * the action's `size`; strings and by-reference values are `size` bytes, NUL padded, viewed
   * in the buffer's bytes (see BufferContents.bytes: copy to keep).
   */
  records: RecordValue[];
}

/** Keys and the aggregation's storage words (reference §5's layout) since the last snapshot. */
export interface AggregationDelta {
  /** CompiledProgram.aggregations id. */
  id: number;
  cpu: number;
  key: RecordValue[];
  /** count: [n]; sum: [s]; min/max: [v]; avg: [count, total]; stddev: [count, sum, sumsq-hi, sumsq-lo]; quantize: 127 buckets; lquantize/llquantize: [param, ...buckets]. */
  data: bigint[];
}

export type DropKind =
  | 'PRINCIPAL'
  | 'AGGREGATION'
  | 'DYNAMIC'
  | 'DYNRINSE'
  | 'DYNDIRTY'
  | 'SPEC'
  | 'SPECBUSY'
  | 'SPECUNAVAIL'
  | 'STKSTROVERFLOW'
  | 'DBLERROR';

/** A fault that abandoned a clause, as the library's ERROR record reports it. */
export interface FaultReport {
  epid: number;
  probeId: number;
  cpu: number;
  /** DTRACEFLT_* */
  fault: number;
  /** Index of the action whose DIF faulted (-1: the predicate); dtrace(1) prints `action #(index + 1)`. */
  action: number;
  /**
   * Byte offset of the faulting instruction in its DIF object (dtrace reports `at DIF offset K`);
   * -1 when the fault happened outside DIF (copying a by-reference result into the record),
   * where dtrace prints no offset.
   */
  difOffset: number;
  /** The faulting address or value (illegal address, bad register...). */
  value: bigint;
}

/** The consumer as the VM sees it: everything arrives in the order a real consumer would see it. */
export interface ConsumerSink {
  /**
   * A principal buffer was switched (every `switchrate`, and at the end): its bytes. Faults
   * are records there too (the library's dtrace:::ERROR enabling), in buffer order among the
   * firings. Every fault is reported (an ERROR clause of the script runs too, but does not
   * replace it); faults inside ERROR clauses are only counted (DBLERROR).
   */
  buffer(cpu: number, contents: BufferContents): void;
  /** The aggregation buffers were snapshotted (every `aggrate`, before printa/exit processing). */
  aggregations(deltas: AggregationDelta[]): void;
  /** Drops detected since the last report, per kind (cpu for PRINCIPAL/AGGREGATION, else -1). */
  drops(kind: DropKind, cpu: number, count: number): void;
}
