// The DIF-to-JavaScript compiler (issue 9): probe firings per second through the whole engine
// with the DIF interpreter and with the JIT, each against a hand-written JavaScript function
// doing the same work on the same in-memory firings in the same run.
//   @[execname] = count()                       target: >= 20 M firings/s, within 2x of JS
//   predicate + self->ts + quantize + printf    target: within 3x of JS
// Run alone: node --import tsx bench/jit.ts
import { compileProgram } from '../server/src/analyze/frontEnd';
import { OptionSet } from '../server/src/analyze/options/optionSet';
import { generateProgram } from '../server/src/codegen';
import type { CompiledProgram } from '../server/src/codegen/program';
import { desugarProgram } from '../server/src/desugar/ifDesugar';
import { createDParser } from '../server/src/parse/dParser';
import { quantizeBucket } from '../server/src/vm/aggregate';
import { firingsOf, runProgram, type ProbeFiring, type SyncFiringIterator } from '../server/src/vm/engine';
import { emulate, type DifMachine } from '../server/src/vm/interpreter';
import { compileDifo, setJitMode, translateDifo } from '../server/src/vm/jit';
import type { ConsumerSink } from '../server/src/vm/records';
import type { ProbeCatalogue } from '../server/src/analyze/catalogue/types';
import { median, printResults, type BenchResult } from './report';

const ROUNDS = 7;
const EVENTS = 200_000;
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

/**
 * The in-memory firings as the engine gets them: a source whose firings are at hand (engine.ts
 * firingsOf, like a replay's decoded batch) and known to be in time order (events() makes them
 * so, as a trace reader checks its records are).
 */
const iterate = (list: ProbeFiring[]): AsyncIterable<ProbeFiring> => firingsOf(list, { inOrder: true });

const nullSink: ConsumerSink = { buffer() {}, aggregations() {}, drops() {} };

interface Compiled {
  program: CompiledProgram;
  options: OptionSet;
  catalogue: ProbeCatalogue;
  list: ProbeFiring[];
}

async function compile(source: string): Promise<Compiled> {
  const parser = await createDParser();
  const options = new OptionSet();
  const providers = [{ name: 'bench', probes: [{ module: 'm', function: 'f', name: 'fire' }, { module: 'm', function: 'f', name: 'done' }] }];
  const result = compileProgram(parser, { text: source, programName: 'bench.d', options, providers, flavour: 'illumos' });
  const analysis = result.analysis;
  const error = analysis?.diagnostics.find((d) => d.severity === 'error');
  if (analysis === undefined || error !== undefined) throw new Error(`bench script does not compile: ${error?.message ?? result.firstError?.message}`);
  const program = generateProgram(result, desugarProgram(analysis.clauses.map((x) => x.clause)).clauses, options);
  const probeId = result.catalogue.match({ provider: 'bench', module: '', function: '', name: 'fire' })[0]!.id;
  return { program, options, catalogue: result.catalogue, list: events(probeId) };
}

/** Interpreter and JIT rates, measured in alternating rounds so that neither gets the other's warm-up or a quieter moment. */
async function vmRates(c: Compiled): Promise<{ interp: number; jit: number }> {
  const rates = { interp: [] as number[], jit: [] as number[] };
  try {
    for (let k = 0; k < ROUNDS; k++) {
      for (const jit of [false, true]) {
        setJitMode(jit);
        const t = performance.now();
        await runProgram({ program: c.program, options: c.options, catalogue: c.catalogue, sink: nullSink, firings: iterate(c.list), destructive: false, startWallTime: 0n });
        rates[jit ? 'jit' : 'interp'].push(EVENTS / ((performance.now() - t) / 1000));
      }
    }
  } finally {
    setJitMode(undefined);
  }
  return { interp: median(rates.interp), jit: median(rates.jit) };
}

async function jsRate(list: ProbeFiring[], work: (f: ProbeFiring) => void): Promise<number> {
  const rates: number[] = [];
  for (let k = 0; k < ROUNDS; k++) {
    const t = performance.now();
    // The same delivery the engine gets (firings at hand taken without a promise, else
    // awaited), so the ratio measures the VM, not the iterator.
    const it = iterate(list)[Symbol.asyncIterator]() as SyncFiringIterator;
    for (;;) {
      let f = it.nextSync();
      if (f === undefined) {
        const r = await it.next();
        if (r.done === true) break;
        f = r.value;
      }
      work(f);
    }
    rates.push(EVENTS / ((performance.now() - t) / 1000));
  }
  return median(rates);
}

const fmt = (n: number): string => `${Math.round(n).toLocaleString('en-US')} firings/s`;

function results(name: string, interp: number, jit: number, js: number, max: number): BenchResult[] {
  return [
    { name: `${name}: JIT`, value: `JIT ${fmt(jit)}`, baseline: `hand-written JS ${fmt(js)}`, ratio: js / jit, ratioLabel: 'JS / JIT, lower is better', target: { max } },
    { name: `${name}: interpreter`, value: `interpreter ${fmt(interp)}`, baseline: `hand-written JS ${fmt(js)}`, ratio: js / interp, ratioLabel: 'JS / interpreter, lower is better' },
    { name: `${name}: JIT speed-up`, value: `JIT ${fmt(jit)}`, baseline: `interpreter ${fmt(interp)}`, ratio: jit / interp, ratioLabel: 'JIT / interpreter, higher is better' },
  ];
}

/**
 * DIF alone, no engine around it: an arithmetic-heavy action (64-bit multiply, shifts, signed
 * division and remainder, a comparison) run on a stub machine whose built-ins (arg0, arg1)
 * change every call; the hand-written function does the same BigInt arithmetic.
 */
async function difOnly(): Promise<BenchResult[]> {
  const expr = '((arg0 * 2654435761) ^ (arg1 >> 3)) + ((int64_t)arg0 / 7) * (arg1 | 0x55) - (arg0 % 13) + (arg1 > arg0 ? arg1 << 5 : arg0 << 7)';
  const c = await compile(`bench:::fire { trace(${expr}); }`);
  const difo = c.program.enablings[0]!.actions.find((a) => a.difo !== undefined)!.difo!;
  // arg0 and arg1 of the current run, computed once per run by the driver for every contender.
  let arg0 = 0n;
  let arg1 = 0n;
  const machine = {
    builtin: (id: number): bigint => (id === 0x106 ? arg0 : arg1),
  } as unknown as DifMachine;
  const N = 300_000;
  const rate = (run: () => bigint): number => {
    const rates: number[] = [];
    let sink = 0n;
    for (let k = 0; k < ROUNDS; k++) {
      const t = performance.now();
      for (let n = 0; n < N; n++) {
        const i = BigInt(n);
        arg0 = BigInt.asUintN(64, i * 0x9e3779b97f4a7c15n);
        arg1 = i + 17n;
        sink ^= run();
      }
      rates.push(N / ((performance.now() - t) / 1000));
    }
    if (sink === -1n) process.stdout.write('');
    return median(rates);
  };
  const jit = compileDifo(difo)!;
  // arg0 and arg1 are int64_t: >>, /, %, > are signed, as the D compiler emits them; written
  // the way a person keeping exact 64-bit results would (wrap after every operation).
  const hand = (): bigint => {
    const a0 = BigInt.asIntN(64, arg0);
    const a1 = BigInt.asIntN(64, arg1);
    const t1 = BigInt.asIntN(64, a0 * 2654435761n) ^ (a1 >> 3n);
    const t2 = BigInt.asIntN(64, (a0 / 7n) * (a1 | 0x55n));
    const t3 = a1 > a0 ? BigInt.asIntN(64, a1 << 5n) : BigInt.asIntN(64, a0 << 7n);
    return BigInt.asUintN(64, BigInt.asIntN(64, BigInt.asIntN(64, t1 + t2) - (a0 % 13n)) + t3);
  };
  const check = (): void => {
    arg0 = BigInt.asUintN(64, 12345n * 0x9e3779b97f4a7c15n);
    arg1 = 12345n + 17n;
    const want = hand();
    const got = [jit(machine), emulate(difo, machine)];
    if (process.env.JIT_BENCH_DUMP) process.stdout.write(translateDifo(difo) + '\n');
    if (got[0] !== want || got[1] !== want) throw new Error(`DIF-only bench: JIT ${got[0]}, interpreter ${got[1]} and JS ${want} disagree`);
  };
  check();
  const js = rate(hand);
  const interp = rate(() => emulate(difo, machine));
  const fast = rate(() => jit(machine));
  const f = (n: number): string => `${Math.round(n).toLocaleString('en-US')} runs/s`;
  return [
    { name: 'DIF only (64-bit arithmetic object): JIT', value: `JIT ${f(fast)}`, baseline: `hand-written BigInt JS ${f(js)}`, ratio: js / fast, ratioLabel: 'JS / JIT, lower is better' },
    { name: 'DIF only (64-bit arithmetic object): JIT speed-up', value: `JIT ${f(fast)}`, baseline: `interpreter ${f(interp)}`, ratio: fast / interp, ratioLabel: 'JIT / interpreter, higher is better' },
  ];
}

export async function benchJit(): Promise<BenchResult[]> {
  const count = await compile('bench:::fire { @[execname] = count(); }');
  const counts = new Map<string, number>();
  const countJs = await jsRate(count.list, (f) => counts.set(f.execname, (counts.get(f.execname) ?? 0) + 1));
  const { interp: countInterp, jit: countJit } = await vmRates(count);

  const realistic = await compile(
    'bench:::fire /arg0 > 10/ { self->ts = timestamp; } ' +
      'bench:::fire /self->ts/ { @lat = quantize(timestamp - self->ts + arg1); printf("%d %s %d\\n", arg1, execname, timestamp - self->ts); self->ts = 0; }',
  );
  const started = new Map<number, bigint>();
  const buckets = new Array<number>(127).fill(0);
  // The VM records printf's arguments for the consumer to format later; so does the baseline.
  const out: [bigint, string, bigint][] = [];
  const realisticJs = await jsRate(realistic.list, (f) => {
    if (f.args[0]! > 10n) started.set(f.tid, f.timestamp);
    const ts = started.get(f.tid) ?? 0n;
    if (ts === 0n) return;
    const lat = f.timestamp - ts;
    buckets[quantizeBucket(lat + f.args[1]!)]!++;
    out.push([f.args[1]!, f.execname, lat]);
    if (out.length > 4096) out.length = 0;
    started.set(f.tid, 0n);
  });
  const { interp: realisticInterp, jit: realisticJit } = await vmRates(realistic);
  return [
    ...results('@[execname] = count()', countInterp, countJit, countJs, 2),
    ...results('predicate + self->ts + quantize(latency) + printf', realisticInterp, realisticJit, realisticJs, 3),
    ...(await difOnly()),
  ];
}

if (typeof require !== 'undefined' && require.main === module) {
  benchJit()
    .then((r) => printResults('DIF JIT (firings per second)', r))
    .catch((e: unknown) => {
      process.stderr.write(`bench: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exit(1);
    });
}
