// npm run bench: every performance number the issues name, each as a ratio against a baseline
// measured in the same run.
import { cpus } from 'node:os';
import { benchParse } from './parse';
import { benchAnalyze } from './analyze';
import { benchCatalogue } from './catalogue';
import { printResults } from './report';
import { benchVm } from './vm';
import { benchLsp } from './lsp';
import { benchReplay } from './replay';
import { benchDebug } from './debug';

async function main(): Promise<void> {
  process.stdout.write(`# dtrace-d benchmarks\nnode ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}\n`);
  printResults('Parsing (tree-sitter-d vs tree-sitter-c)', await benchParse());
  printResults('Front end (analysis vs parsing)', await benchAnalyze());
  printResults('Probe catalogue', benchCatalogue());
  printResults('DIF virtual machine (firings per second)', await benchVm());
  printResults('Language server (5,000-line script over stdio)', await benchLsp());
  printResults('Trace replay (firings per second vs mawk)', await benchReplay());
  printResults('Debugger (stepping and stepping back)', await benchDebug());
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
