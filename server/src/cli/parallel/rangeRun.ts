// One worker's part of a parallel replay: the program's probe clauses (not BEGIN, END or ERROR:
// the main thread runs those, once) on the engine, over one byte range of the trace, with a
// consumer that only totals the aggregation snapshots. Everything else a consumer could be told
// (a record, a fault, a drop) makes the report irregular: the main thread then runs the trace
// in one piece instead (safety.ts says why such a program may still reach here).
import type { ProbeCatalogue } from '../../analyze/catalogue/types';
import type { OptionSet } from '../../analyze/options/optionSet';
import type { CompiledProgram } from '../../codegen/program';
import { AggregationStore } from '../../consume/aggregationStore';
import { TraceFileSource } from '../../sources/traceFile';
import { replayInput } from '../../sources/replay';
import { TraceFormatError } from '../../trace/errors.ts';
import type { TraceHeader } from '../../trace/format.ts';
import { openTraceRange } from '../../trace/reader.ts';
import { createEngine } from '../../vm/engine';
import { readBuffer } from '../../vm/bufferWalk';
import type { ConsumerSink, RecordValue } from '../../vm/records';
import type { RangeJob, RangeReport, SnapshotEdge } from './protocol';

export interface RangeRunInput {
  program: CompiledProgram;
  catalogue: ProbeCatalogue;
  options: OptionSet;
  header: TraceHeader;
  job: RangeJob;
  destructive: boolean;
}

/** The program without its dtrace provider clauses (safety.ts: an enabling never mixes them with others). */
export function probeClausesOf(program: CompiledProgram, catalogue: ProbeCatalogue): CompiledProgram {
  return { ...program, enablings: program.enablings.filter((e) => !e.probes.some((id) => catalogue.probe(id)?.provider === 'dtrace')) };
}

/** A key with its bytes copied out: a view would send its whole underlying buffer to the main thread. */
function ownKey(key: readonly RecordValue[]): RecordValue[] {
  return key.map((k) => (typeof k === 'bigint' ? k : k.slice()));
}

export async function runRange(input: RangeRunInput): Promise<RangeReport> {
  const { catalogue, options, header, job } = input;
  const program = probeClausesOf(input.program, catalogue);
  const reader = openTraceRange(job.path, header, job.range, { name: job.path });
  const source = new TraceFileSource(reader);
  const store = new AggregationStore(program.aggregations);
  let irregular: string | undefined;
  const stddev = new Set(program.aggregations.filter((a) => a.fn === 'stddev').map((a) => a.id));
  const edges: SnapshotEdge[] = [];
  const sink: ConsumerSink = {
    aggregations: (deltas) => {
      store.merge(deltas);
      if (stddev.size === 0) return;
      const parts = deltas.filter((d) => stddev.has(d.id)).map((d) => ({ cpu: d.cpu, id: d.id, key: ownKey(d.key), low: d.data[3]! }));
      if (parts.length === 0) return;
      // A regular snapshot's time is its window's; the last one (after the range) names the window it cut.
      const edge = { window: engine.snapshotTimeOf(engine.clock), parts };
      if (edges.length < 2) edges.push(edge);
      else edges[1] = edge;
    },
    buffer: (_cpu, contents) => {
      irregular ??= readBuffer(contents)[0]?.kind === 'fault' ? 'a fault' : 'a principal buffer record';
    },
    drops: (kind, _cpu, count) => {
      if (count > 0) irregular ??= `${kind} drops`;
    },
  };
  const engine = createEngine({ program, options, catalogue, sink, destructive: input.destructive, ...replayInput(source, program, catalogue, { onlyWhatTheProgramReads: true }) });
  try {
    const result = await engine.run();
    if (result.exited) irregular ??= 'exit()';
  } catch (error) {
    // The single thread will meet the same record and say where it is.
    if (!(error instanceof TraceFormatError)) throw error;
    irregular ??= 'a malformed record';
  } finally {
    await source.close();
  }
  const stats = reader.stats;
  const end = stats.end;
  return {
    ...(irregular !== undefined ? { irregular } : {}),
    aggregates: store.all().map(({ id, key, data }) => ({ id, key: ownKey(key), data })),
    buffers: engine.runtime.aggregations.map((b) => ({ cpu: b.cpu, peak: b.peak, capacity: b.capacity })),
    edges,
    // A binary range's count goes on from the records before it (their state is its start).
    firings: stats.firings - (job.range.binary?.firings ?? 0),
    events: stats.events,
    ...(end !== undefined ? { end: { timestamp: end.timestamp, firings: end.firings, events: end.events } } : {}),
  };
}
