// TextMate grammar tests: runs vscode-tmgrammar-test over the annotated fixtures in
// test/textmate/ (one per feature area) and checks the grammar file itself.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';

const root = join(__dirname, '..', '..');
const grammarPath = join(root, 'syntaxes', 'dtrace.tmLanguage.json');
const fixtureDir = join(root, 'test', 'textmate');
const configPath = join(fixtureDir, 'tmgrammar-test.config.json');
const runner = join(root, 'node_modules', '.bin', 'vscode-tmgrammar-test');
const FIXTURE_SUFFIX = '.test.d';
const MIN_ASSERTIONS = 150;

/** Fixture files, as paths relative to the repository root. */
function fixtures(dir = fixtureDir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? fixtures(join(dir, e.name))
      : e.name.endsWith(FIXTURE_SUFFIX)
        ? [relative(root, join(dir, e.name))]
        : [],
  );
}

/** Assertion lines of a fixture: `//` followed by `^` carets or a `<-` left arrow. */
function assertionLines(text: string): string[] {
  return text.split(/\r?\n/).filter((l) => /^\/\/\s*(\^|<~*-)/.test(l));
}

/** Runs vscode-tmgrammar-test on fixture globs/paths; the tool exits 0 only if every assertion holds. */
function runTmGrammarTest(cwd: string, ...testcases: string[]) {
  const r = spawnSync(
    process.execPath,
    [runner, '--compact', '--config', configPath, '--grammar', grammarPath, ...testcases],
    { cwd, encoding: 'utf8', timeout: 60_000 },
  );
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  const why = r.error ? `${r.error.message}\n` : r.signal ? `killed by ${r.signal} (timeout?)\n` : '';
  return { status: r.status, output: why + output };
}

type Rule = { [key: string]: unknown };

/** Every rule object reachable from the grammar (patterns, repository entries, captures). */
function* rules(node: unknown): Generator<Rule> {
  if (Array.isArray(node)) {
    for (const n of node) yield* rules(n);
  } else if (node && typeof node === 'object') {
    yield node as Rule;
    for (const v of Object.values(node)) yield* rules(v);
  }
}

describe('TextMate grammar (syntaxes/dtrace.tmLanguage.json)', () => {
  const grammar = JSON.parse(readFileSync(grammarPath, 'utf8')) as {
    scopeName: string;
    repository: Record<string, unknown>;
  };

  it('has scopeName source.dtrace and resolves every #include', () => {
    assert.equal(grammar.scopeName, 'source.dtrace');
    const missing = new Set<string>();
    for (const rule of rules(grammar)) {
      const inc = rule.include;
      if (typeof inc === 'string' && inc.startsWith('#') && !(inc.slice(1) in grammar.repository)) {
        missing.add(inc);
      }
    }
    assert.deepEqual([...missing], [], 'includes without a repository entry');
  });

  it('keeps its regular expressions in the syntax Oniguruma and JavaScript share', () => {
    // vscode-oniguruma does not report a pattern it cannot compile (the scanner silently
    // matches the empty string), so a typo in a rarely reached rule would go unnoticed.
    // Every pattern must also compile as a JavaScript RegExp, which catches such typos and
    // keeps the grammar usable by JavaScript-regex TextMate engines.
    const bad: string[] = [];
    let count = 0;
    for (const rule of rules(grammar)) {
      for (const key of ['match', 'begin', 'end', 'while']) {
        const source = rule[key];
        if (typeof source !== 'string') continue;
        count++;
        try {
          new RegExp(source);
        } catch (e) {
          bad.push(`${key}: ${source}: ${(e as Error).message}`);
        }
      }
    }
    assert.ok(count > 100, `only ${count} regular expressions found`);
    assert.deepEqual(bad, []);
  });

  it(`has fixtures for every feature area with at least ${MIN_ASSERTIONS} assertions`, () => {
    const files = fixtures();
    assert.ok(files.length >= 10, `only ${files.length} fixtures in test/textmate`);
    let total = 0;
    for (const file of files) {
      const text = readFileSync(join(root, file), 'utf8');
      assert.match(text.split('\n')[0], /^\/\/ SYNTAX TEST "source\.dtrace"/, `${file}: header line`);
      const lines = assertionLines(text);
      // vscode-tmgrammar-test's assertion parser backtracks exponentially on a second " - "
      // (exclusions go after a single "-"), which would hang the run instead of failing it
      for (const l of lines) assert.ok(l.split(' - ').length <= 2, `${file}: more than one " - " in: ${l}`);
      const n = lines.length;
      assert.ok(n >= 10, `${file}: only ${n} assertions`);
      total += n;
    }
    assert.ok(total >= MIN_ASSERTIONS, `only ${total} assertions in all`);
  });

  it('passes every assertion in test/textmate/**/*.test.d', () => {
    const files = fixtures();
    const { status, output } = runTmGrammarTest(root, `test/textmate/**/*${FIXTURE_SUFFIX}`);
    assert.equal(status, 0, `vscode-tmgrammar-test failed:\n${output}`);
    for (const file of files) {
      assert.ok(output.includes(file), `fixture ${file} was not run:\n${output}`);
    }
  });

  it('fails when an assertion is wrong (the harness really checks)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dtrace-tmgrammar-'));
    try {
      const source = join(fixtureDir, 'probe-descriptions.test.d');
      const broken = join(dir, 'broken.test.d');
      cpSync(source, broken);
      const text = readFileSync(broken, 'utf8');
      const wrong = text.replace(/entity\.name\.tag\.probe-name\.dtrace/, 'keyword.control.reserved.dtrace');
      assert.notEqual(wrong, text);
      writeFileSync(broken, wrong);
      const { status, output } = runTmGrammarTest(dir, 'broken.test.d');
      assert.notEqual(status, 0, `a wrong assertion went unnoticed:\n${output}`);
      assert.match(output, /keyword\.control\.reserved\.dtrace/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
