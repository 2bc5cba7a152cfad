// bin/dtvm: a dtrace(1)-compatible command line over the embedded engine.
// This first face parses scripts; compile-side options arrive with the front end.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { createDParser } from '../parse/dParser';
import { findSyntaxErrors } from '../parse/syntaxErrors';
import { summarizeTree } from '../parse/treeSummary';

const USAGE = `Usage: dtvm [-s script] [--syntax-tree] script.d

\t-s  compile the specified D program source file
\t--syntax-tree  print a summary of the script's syntax tree and exit
`;

interface Options {
  scripts: string[];
  syntaxTree: boolean;
}

function parseArgs(argv: string[]): Options | string {
  const options: Options = { scripts: [], syntaxTree: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--syntax-tree') options.syntaxTree = true;
    else if (arg === '-s') {
      const file = argv[++i];
      if (file === undefined) return "option requires an argument -- 's'";
      options.scripts.push(file);
    } else if (arg.startsWith('-s') && arg.length > 2) options.scripts.push(arg.slice(2));
    else if (arg.startsWith('-')) return `illegal option -- ${arg.replace(/^-+/, '')}`;
    else options.scripts.push(arg);
  }
  if (options.scripts.length === 0) return 'no script specified';
  return options;
}

async function main(argv: string[]): Promise<number> {
  const parsed = parseArgs(argv);
  if (typeof parsed === 'string') {
    process.stderr.write(`dtvm: ${parsed}\n${USAGE}`);
    return 2;
  }
  const parser = await createDParser();
  let status = 0;
  for (const script of parsed.scripts) {
    let text: string;
    try {
      text = readFileSync(script, 'utf8');
    } catch (e) {
      process.stderr.write(`dtrace: failed to open ${script}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : String(e)}\n`);
      status = 1;
      continue;
    }
    const tree = parser.parse(text);
    if (!tree) throw new Error('tree-sitter returned no tree');
    const errors = findSyntaxErrors(tree);
    if (parsed.syntaxTree) process.stdout.write(summarizeTree(tree, basename(script)));
    if (errors.length > 0) {
      const first = errors[0]!;
      process.stderr.write(`dtrace: failed to compile script ${script}: line ${first.dtraceRow + 1}: ${first.dtraceMessage}\n`);
      status = 1;
    }
    tree.delete();
  }
  return status;
}

main(process.argv.slice(2)).then(
  (status) => process.exit(status),
  (e: unknown) => {
    process.stderr.write(`dtvm: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(70);
  },
);
