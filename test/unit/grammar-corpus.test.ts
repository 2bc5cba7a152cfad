// Runs tree-sitter-d's own test suite with the tree-sitter CLI: the corpus (test/corpus/*.txt,
// expected syntax trees) and the highlight tests (test/highlight/*, assertion comments checked
// against queries/highlights.scm and queries/locals.scm).
//
// The CLI is ../shared/tools/tree-sitter beside the repository; TREE_SITTER overrides it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const repoRoot = join(__dirname, '..', '..');
const grammarDir = join(repoRoot, 'tree-sitter-d');
const corpusDir = join(grammarDir, 'test', 'corpus');
const cli = process.env.TREE_SITTER ?? join(repoRoot, '..', 'shared', 'tools', 'tree-sitter');

const MIN_CORPUS_CASES = 200;

/** Runs `tree-sitter test [args]` in tree-sitter-d/ and returns its exit status and output. */
function treeSitterTest(args: string[]): { status: number | null; output: string } {
  assert.ok(existsSync(cli), `tree-sitter CLI not found at ${cli} (set TREE_SITTER to its path)`);
  const run = spawnSync(cli, ['test', ...args], {
    cwd: grammarDir,
    encoding: 'utf8',
    timeout: 5 * 60_000,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1' },
  });
  if (run.error) throw run.error;
  // The CLI colours its report whatever NO_COLOR says; keep the failure message readable.
  const output = `${run.stdout}${run.stderr}`.replace(/\x1b\[[0-9;]*m/g, '');
  return { status: run.status, output };
}

/** The names of the cases of one corpus file (a case starts with a `===` / name / `===` header). */
function corpusCases(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^(={3,})\r?\n(.*)\r?\n\1\r?$/gm)].map((m) => m[2]!.trim());
}

test('the corpus has at least 200 cases, with unique names', () => {
  const files = readdirSync(corpusDir).filter((f) => f.endsWith('.txt'));
  assert.ok(files.length > 0, `no corpus files in ${corpusDir}`);
  const names = files.flatMap((f) => corpusCases(join(corpusDir, f)));
  assert.ok(names.length >= MIN_CORPUS_CASES, `expected at least ${MIN_CORPUS_CASES} corpus cases, found ${names.length}`);
  const duplicates = names.filter((n, i) => names.indexOf(n) !== i);
  assert.deepEqual(duplicates, [], 'corpus case names must be unique (tree-sitter test -f selects by name)');
});

test('tree-sitter test: every corpus and highlight test passes', () => {
  const { status, output } = treeSitterTest([]);
  assert.equal(status, 0, `tree-sitter test failed:\n${output}`);
});

// A failing corpus stops the CLI before it reaches the highlight tests, so they also run on their
// own: a `--include` pattern that no corpus case name matches leaves only them.
test('tree-sitter test: the highlight tests pass on their own', () => {
  const { status, output } = treeSitterTest(['--include', '^$']);
  assert.match(output, /syntax highlighting:/, `the CLI ran no highlight tests:\n${output}`);
  assert.equal(status, 0, `tree-sitter highlight tests failed:\n${output}`);
});
