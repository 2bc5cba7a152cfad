// One section of `npm run bench` in a process of its own (bench/index.ts starts one per
// section): each measures from a fresh heap, not after whatever the sections before it left
// behind (a heap grown by the VM benchmarks made the language server's client pause for its
// collections in the middle of the latency it timed). The results go back as JSON in a file.
import { writeFileSync } from 'node:fs';
import { benchParse } from './parse';
import { benchAnalyze } from './analyze';
import { benchCatalogue } from './catalogue';
import { benchVm } from './vm';
import { benchLsp } from './lsp';
import { benchReplay } from './replay';
import { benchParallel } from './parallel';
import { benchDebug } from './debug';
import { benchJit } from './jit';
import type { BenchResult } from './report';

export const SECTIONS: Record<string, { title: string; run: () => BenchResult[] | Promise<BenchResult[]> }> = {
  parse: { title: 'Parsing (tree-sitter-d vs tree-sitter-c)', run: benchParse },
  analyze: { title: 'Front end (analysis vs parsing)', run: benchAnalyze },
  catalogue: { title: 'Probe catalogue', run: benchCatalogue },
  vm: { title: 'DIF virtual machine (firings per second)', run: benchVm },
  jit: { title: 'DIF JIT (firings per second: interpreter, JIT, hand-written JavaScript)', run: benchJit },
  lsp: { title: 'Language server (5,000- and 20,000-line scripts over stdio)', run: () => benchLsp() },
  replay: { title: 'Trace replay (firings per second vs mawk)', run: benchReplay },
  parallel: { title: 'Parallel replay (worker threads: 1 thread vs 2 workers)', run: benchParallel },
  debug: { title: 'Debugger (stepping and stepping back)', run: benchDebug },
};

// `node --import tsx bench/section.ts NAME OUT.json`
if (process.argv[1] !== undefined && /bench[\\/]section\.ts$/.test(process.argv[1])) {
  const [name, out] = process.argv.slice(2);
  const section = SECTIONS[name ?? ''];
  if (section === undefined || out === undefined) {
    process.stderr.write(`usage: bench/section.ts (${Object.keys(SECTIONS).join('|')}) OUT.json\n`);
    process.exit(2);
  }
  void Promise.resolve(section.run())
    .then((results) => writeFileSync(out, JSON.stringify(results.map((r) => ({ ...r, ratio: Number.isNaN(r.ratio) ? 'NaN' : r.ratio })))))
    .catch((e: unknown) => {
      process.stderr.write(`bench ${name}: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exit(1);
    });
}
