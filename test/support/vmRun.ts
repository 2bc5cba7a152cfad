// Runs D source or hand-built programs through the VM with a sink that records everything the
// consumer would receive, in order, so tests can assert exact records, drops and faults.
import { compileProgram } from '../../server/src/analyze/frontEnd';
import { OptionSet } from '../../server/src/analyze/options/optionSet';
import { generateProgram } from '../../server/src/codegen';
import type { CompiledProgram } from '../../server/src/codegen/program';
import { desugarProgram } from '../../server/src/desugar/ifDesugar';
import { createDParser, type Parser } from '../../server/src/parse/dParser';
import { runProgram, type EngineInput, type EngineResult, type ProbeFiring } from '../../server/src/vm/engine';
import { readInto } from '../../server/src/vm/bufferWalk';
import type { AggregationDelta, BufferContents, ConsumerSink, DropKind, FaultReport, FiringData } from '../../server/src/vm/records';
import type { ProbeCatalogue } from '../../server/src/analyze/catalogue/types';
import type { Flavour } from '../../server/src/analyze/flavour/flavours';

export type SinkEvent =
  | { k: 'buffer'; cpu: number; firings: FiringData[] }
  | { k: 'aggregations'; deltas: AggregationDelta[] }
  | { k: 'drops'; kind: DropKind; cpu: number; count: number }
  | { k: 'fault'; report: FaultReport };

export class RecordingSink implements ConsumerSink {
  readonly events: SinkEvent[] = [];
  /** The buffer read as the consumer reads it, its byte values copied (the buffer's bytes are reused). */
  buffer(cpu: number, contents: BufferContents): void {
    readInto(contents, {
      firings: (run) => this.events.push({ k: 'buffer', cpu, firings: run.map((f) => ({ ...f, records: f.records.map((v) => (typeof v === 'bigint' ? v : v.slice())) })) }),
      fault: (report) => this.events.push({ k: 'fault', report }),
    });
  }
  aggregations(deltas: AggregationDelta[]): void {
    this.events.push({ k: 'aggregations', deltas });
  }
  /** Every firing delivered, in order. */
  firings(): FiringData[] {
    return this.events.flatMap((e) => (e.k === 'buffer' ? e.firings : []));
  }
  faults(): FaultReport[] {
    return this.events.flatMap((e) => (e.k === 'fault' ? [e.report] : []));
  }
  drops(): { kind: DropKind; cpu: number; count: number }[];
  drops(kind: DropKind, cpu: number, count: number): void;
  drops(kind?: DropKind, cpu?: number, count?: number): void | { kind: DropKind; cpu: number; count: number }[] {
    if (kind !== undefined) {
      this.events.push({ k: 'drops', kind, cpu: cpu!, count: count! });
      return;
    }
    return this.events.flatMap((e) => (e.k === 'drops' ? [{ kind: e.kind, cpu: e.cpu, count: e.count }] : []));
  }
  /** Aggregation totals per (id, key) summed over every snapshot, like a consumer keeps them. */
  aggregateTotals(): Map<string, bigint[]> {
    const totals = new Map<string, bigint[]>();
    for (const e of this.events) {
      if (e.k !== 'aggregations') continue;
      for (const d of e.deltas) {
        const key = `${d.id}:${d.key.map((k) => (typeof k === 'bigint' ? k.toString() : text(k))).join(',')}`;
        totals.set(key, d.data);
      }
    }
    return totals;
  }
}

/** The bytes of a string record up to its NUL. */
export function text(bytes: Uint8Array | bigint): string {
  if (typeof bytes === 'bigint') return bytes.toString();
  const end = bytes.indexOf(0);
  return new TextDecoder().decode(end >= 0 ? bytes.subarray(0, end) : bytes);
}

let parser: Promise<Parser> | undefined;

export interface Compiled {
  program: CompiledProgram;
  catalogue: ProbeCatalogue;
  options: OptionSet;
}

/** Compiles D text as `dtrace -s` would (library files loaded, illumos flavour unless given). */
export async function compileD(source: string, xopts: Record<string, string> = {}, flavour: Flavour = 'illumos'): Promise<Compiled> {
  parser ??= createDParser();
  const p = await parser;
  const options = new OptionSet();
  for (const [k, v] of Object.entries(xopts)) {
    const r = options.set(k, v);
    if (!r.ok) throw new Error(`option ${k}: ${r.reason}`);
  }
  const result = compileProgram(p, { text: source, programName: 'test.d', options, flavour });
  const analysis = result.analysis;
  if (analysis === undefined) throw new Error(`syntax error: ${result.firstError?.message}`);
  const error = analysis.diagnostics.find((d) => d.severity === 'error');
  if (error !== undefined) throw new Error(`compile error: ${error.code} ${error.message}`);
  const { clauses } = desugarProgram(analysis.clauses.map((x) => x.clause));
  const program = generateProgram(result, clauses, options);
  return { program, catalogue: result.catalogue, options };
}

export interface VmRun {
  sink: RecordingSink;
  result: EngineResult;
  compiled: Compiled;
}

export async function* firingsOf(list: ProbeFiring[]): AsyncIterable<ProbeFiring> {
  for (const f of list) yield f;
}

/** Compiles and runs D text with a fixed wall clock and consumer identity. */
export async function runD(
  source: string,
  opts: { x?: Record<string, string>; firings?: ProbeFiring[]; engine?: Partial<EngineInput>; flavour?: Flavour } = {},
): Promise<VmRun> {
  return runCompiled(await compileD(source, opts.x, opts.flavour), opts);
}

/** Runs what compileD made (firings that need its probe ids), as runD does. */
export async function runCompiled(compiled: Compiled, opts: { firings?: ProbeFiring[]; engine?: Partial<EngineInput> } = {}): Promise<VmRun> {
  const sink = new RecordingSink();
  const result = await runProgram({
    program: compiled.program,
    options: compiled.options,
    catalogue: compiled.catalogue,
    sink,
    destructive: false,
    startWallTime: 1_700_000_000_000_000_000n,
    consumer: { pid: 4242, tid: 4242, ppid: 1, uid: 0, gid: 0, execname: 'dtrace' },
    ...(opts.firings ? { firings: firingsOf(opts.firings) } : {}),
    ...opts.engine,
  });
  return { sink, result, compiled };
}
