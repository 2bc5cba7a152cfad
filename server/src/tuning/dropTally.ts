// Which drops a run had, read from what the VM hands the consumer: a sink that only counts
// (the re-simulations, which must print nothing) and a pass-through that counts on the way to
// the real consumer (the user's run, whose output is unchanged).
import type { AggregationDelta, BufferContents, ConsumerSink, DropKind } from '../vm/records';

export type DropCounts = Partial<Record<DropKind, number>>;

/** Drop counts by kind, summed over CPUs and reports. */
export class DropTally {
  readonly counts: DropCounts = {};

  add(kind: DropKind, count: number): void {
    this.counts[kind] = (this.counts[kind] ?? 0) + count;
  }

  /** Drops of any of these kinds. */
  total(kinds: readonly DropKind[]): number {
    let n = 0;
    for (const k of kinds) n += this.counts[k] ?? 0;
    return n;
  }

  get any(): boolean {
    return Object.values(this.counts).some((n) => n > 0);
  }
}

/** A consumer that keeps nothing but the drop counts. */
export class CountingSink implements ConsumerSink {
  readonly tally = new DropTally();

  /** @param onDrop told of every drop report (a re-simulation stops at the first that matters). */
  constructor(private readonly onDrop?: (kind: DropKind) => void) {}

  buffer(_cpu: number, _contents: BufferContents): void {}
  aggregations(_deltas: AggregationDelta[]): void {}
  drops(kind: DropKind, _cpu: number, count: number): void {
    this.tally.add(kind, count);
    this.onDrop?.(kind);
  }
}

/** `sink` unchanged, with its drops also counted in the returned tally. */
export function countingDrops(sink: ConsumerSink): { sink: ConsumerSink; tally: DropTally } {
  const tally = new DropTally();
  return {
    tally,
    sink: {
      buffer: (cpu, contents) => sink.buffer(cpu, contents),
      aggregations: (deltas) => sink.aggregations(deltas),
      drops: (kind, cpu, count) => {
        tally.add(kind, count);
        sink.drops(kind, cpu, count);
      },
    },
  };
}
