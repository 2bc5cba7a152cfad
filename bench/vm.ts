// VM throughput: probe firings per second through the whole engine (predicate, actions,
// variables, aggregation and principal buffers, consumer hand-off), each against a plain
// JavaScript function doing the same work on the same synthesized events in the same run.
import { compileProgram } from '../server/src/analyze/frontEnd';
import { OptionSet } from '../server/src/analyze/options/optionSet';
import { generateProgram } from '../server/src/codegen';
import { desugarProgram } from '../server/src/desugar/ifDesugar';
import { createDParser } from '../server/src/parse/dParser';
import { runProgram, type ProbeFiring } from '../server/src/vm/engine';
import type { ConsumerSink } from '../server/src/vm/records';
import { quantizeBucket } from '../server/src/vm/aggregate';
import { median, type BenchResult } from './report';

/** Rounds of each measurement; the median is reported (the machine may be busy). */
const ROUNDS = 5;

const EVENTS = 100_000;
const EXECNAMES = ['bash', 'ls', 'sshd', 'node', 'postgres', 'nginx', 'cron', 'vim', 'make', 'cc'];

function events(probeId: number): ProbeFiring[] {
  let seed = 12345;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  return Array.from({ length: EVENTS }, (_, i) => ({
    probeId,
    timestamp: BigInt(i) * 10_000n,
    cpu: 0,
    pid: 1000 + rand(50),
    tid: 2000 + rand(100),
    execname: EXECNAMES[rand(EXECNAMES.length)]!,
    args: [BigInt(rand(40)), BigInt(rand(1 << 20))],
  }));
}

async function* iterate(list: ProbeFiring[]): AsyncIterable<ProbeFiring> {
  for (const f of list) yield f;
}

const nullSink: ConsumerSink = { buffer() {}, aggregations() {}, drops() {} };

async function vmRate(source: string): Promise<{ rate: number; probeId: number; list: ProbeFiring[] }> {
  const rates: number[] = [];
  let last: { rate: number; probeId: number; list: ProbeFiring[] } | undefined;
  for (let k = 0; k < ROUNDS; k++) {
    last = await vmRateOnce(source);
    rates.push(last.rate);
  }
  return { ...last!, rate: median(rates) };
}

async function vmRateOnce(source: string): Promise<{ rate: number; probeId: number; list: ProbeFiring[] }> {
  const parser = await createDParser();
  const options = new OptionSet();
  const providers = [{ name: 'bench', probes: [{ module: 'm', function: 'f', name: 'fire' }] }];
  const result = compileProgram(parser, { text: source, programName: 'bench.d', options, providers, flavour: 'illumos' });
  const analysis = result.analysis;
  const error = analysis?.diagnostics.find((d) => d.severity === 'error');
  if (analysis === undefined || error !== undefined) throw new Error(`bench script does not compile: ${error?.message ?? result.firstError?.message}`);
  const program = generateProgram(result, desugarProgram(analysis.clauses.map((x) => x.clause)).clauses, options);
  const probeId = result.catalogue.match({ provider: 'bench', module: '', function: '', name: 'fire' })[0]!.id;
  const list = events(probeId);
  const t = performance.now();
  await runProgram({ program, options, catalogue: result.catalogue, sink: nullSink, firings: iterate(list), destructive: false, startWallTime: 0n });
  return { rate: EVENTS / ((performance.now() - t) / 1000), probeId, list };
}

async function jsRate(list: ProbeFiring[], work: (f: ProbeFiring) => void): Promise<number> {
  const rates: number[] = [];
  for (let k = 0; k < ROUNDS; k++) {
    const t = performance.now();
    // The same async delivery the engine gets, so the ratio measures the VM, not the iterator.
    for await (const f of iterate(list)) work(f);
    rates.push(EVENTS / ((performance.now() - t) / 1000));
  }
  return median(rates);
}

function result(name: string, vm: number, js: number): BenchResult {
  const fmt = (n: number): string => `${Math.round(n).toLocaleString('en-US')} firings/s`;
  return { name, value: `VM ${fmt(vm)}`, baseline: `plain JS ${fmt(js)}`, ratio: js / vm, ratioLabel: 'plain JS / VM, lower is better' };
}

export async function benchVm(): Promise<BenchResult[]> {
  const count = await vmRate('bench:::fire { @[execname] = count(); }');
  const counts = new Map<string, number>();
  const countJs = await jsRate(count.list, (f) => counts.set(f.execname, (counts.get(f.execname) ?? 0) + 1));

  const mixed = await vmRate('bench:::fire /arg0 > 10/ { self->n++; @q = quantize(arg1); printf("%d %s %d\\n", arg1, execname, self->n); }');
  const perThread = new Map<number, number>();
  const buckets = new Array<number>(127).fill(0);
  // The VM records printf's arguments for the consumer to format later; so does the baseline.
  const out: [bigint, string, number][] = [];
  const mixedJs = await jsRate(mixed.list, (f) => {
    if (f.args[0]! <= 10n) return;
    const n = (perThread.get(f.tid) ?? 0) + 1;
    perThread.set(f.tid, n);
    buckets[quantizeBucket(f.args[1]!)]!++;
    out.push([f.args[1]!, f.execname, n]);
    if (out.length > 4096) out.length = 0;
  });
  return [
    result('@[execname] = count()', count.rate, countJs),
    result('predicate + thread-local + quantize + printf', mixed.rate, mixedJs),
  ];
}
