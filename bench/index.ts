// npm run bench: every performance number the issues name, each as a ratio against a baseline
// measured in the same run.
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { benchParse } from './parse';
import { benchAnalyze } from './analyze';
import { benchCatalogue } from './catalogue';
import { printResults, runSection } from './report';
import { benchVm } from './vm';
import { benchLsp } from './lsp';
import { benchReplay } from './replay';
import { benchParallel } from './parallel';
import { benchDebug } from './debug';
import { benchJit } from './jit';

const RESULTS = join(__dirname, 'results.md');

async function main(): Promise<void> {
  const machine = `node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ${process.platform} ${process.arch}`;
  const started = new Date();
  process.stdout.write(`# dtrace-d benchmarks\n${machine}\n`);
  printResults('Parsing (tree-sitter-d vs tree-sitter-c)', await benchParse());
  printResults('Front end (analysis vs parsing)', await benchAnalyze());
  printResults('Probe catalogue', benchCatalogue());
  printResults('DIF virtual machine (firings per second)', await benchVm());
  printResults('DIF JIT (firings per second: interpreter, JIT, hand-written JavaScript)', await benchJit());
  printResults('Language server (5,000- and 20,000-line scripts over stdio)', await benchLsp());
  printResults('Trace replay (firings per second vs mawk)', await benchReplay());
  printResults('Parallel replay (worker threads: 1 thread vs 2 workers)', await benchParallel());
  printResults('Debugger (stepping and stepping back)', await benchDebug());
  // Every run is kept (BENCH_RECORD=0 skips it, for trial runs).
  if (process.env.BENCH_RECORD !== '0') {
    if (!existsSync(RESULTS)) writeFileSync(RESULTS, '# Benchmark results\n\nOne section per `npm run bench` run, newest last, with the machine it ran on.\n\n');
    appendFileSync(RESULTS, `${runSection(started, machine)}\n`);
    process.stdout.write(`\nrecorded in ${RESULTS}\n`);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
