// Loads the D grammar (tree-sitter-d.wasm) into web-tree-sitter. Every face of the engine (the
// command line, the language server, the debugger, tests and benchmarks) parses through here.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Language, Parser } from 'web-tree-sitter';

export type { Node, Tree, Edit, Point } from 'web-tree-sitter';
export { Parser, Language };

let loading: Promise<Language> | undefined;

/**
 * Finds a wasm asset beside the bundle (dist/) or, when running from sources, where the repo
 * keeps it (never dist/, whose copy may be older than a regenerated grammar).
 */
export function findAsset(name: string): string {
  const repo = join(__dirname, '..', '..', '..');
  const candidates = [
    join(__dirname, name),
    join(repo, 'tree-sitter-d', name),
    join(repo, 'node_modules', 'web-tree-sitter', name),
  ];
  for (const c of candidates) if (existsSync(c)) return c;
  throw new Error(`cannot find ${name} (looked in ${candidates.map(dirname).join(', ')})`);
}

/** The D language, loaded once per process. */
export function loadDLanguage(): Promise<Language> {
  loading ??= (async () => {
    const runtime = findAsset('web-tree-sitter.wasm');
    await Parser.init({ locateFile: () => runtime });
    return Language.load(findAsset('tree-sitter-d.wasm'));
  })();
  return loading;
}

/** A parser already set to D. Parsers are cheap; trees from one may be edited and re-parsed. */
export async function createDParser(): Promise<Parser> {
  const language = await loadDLanguage();
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}
