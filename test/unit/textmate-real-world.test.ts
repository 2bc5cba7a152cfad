// The TextMate grammar on the real-world corpus: no token of a valid script is scoped
// `invalid`, and every probe clause's first description gets the probe-description scope.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as vsctm from 'vscode-textmate';
import * as oniguruma from 'vscode-oniguruma';
import { createDParser } from '../../server/src/parse/dParser';

const repo = join(__dirname, '..', '..');
const root = join(repo, 'test', 'fixtures', 'scripts');

function scripts(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return scripts(path);
    return name.endsWith('.d') ? [path] : [];
  });
}

async function loadGrammar(): Promise<vsctm.IGrammar> {
  const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async () => {
      const path = join(repo, 'syntaxes', 'dtrace.tmLanguage.json');
      return vsctm.parseRawGrammar(readFileSync(path, 'utf8'), path);
    },
  });
  const grammar = await registry.loadGrammar('source.dtrace');
  assert.ok(grammar);
  return grammar;
}

test('valid scripts have no invalid tokens, and their probe descriptions are scoped', async () => {
  const grammar = await loadGrammar();
  const parser = await createDParser();
  const files = scripts(root);
  assert.ok(files.length >= 300);
  const problems: string[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n');
    const scopesAt = new Map<string, string[]>();
    let state = vsctm.INITIAL;
    lines.forEach((line, row) => {
      const result = grammar.tokenizeLine(line, state);
      for (const token of result.tokens) {
        scopesAt.set(`${row}:${token.startIndex}`, token.scopes);
        const invalid = token.scopes.filter((s) => s.includes('invalid'));
        if (invalid.length > 0) {
          problems.push(`${relative(root, file)}:${row + 1}:${token.startIndex + 1}: ${JSON.stringify(line.slice(token.startIndex, token.endIndex))} is ${invalid.join(' ')}`);
        }
      }
      state = result.ruleStack;
    });
    // The tree-sitter grammar says where the clauses are; TextMate must agree on their start.
    const tree = parser.parse(text);
    assert.ok(tree);
    for (const clause of tree.rootNode.namedChildren) {
      if (clause?.type !== 'probe_clause') continue;
      const first = clause.childForFieldName('descriptions')?.namedChild(0);
      if (!first || first.childForFieldName('macro') || first.childForFieldName('id')) continue;
      const scopes = scopesAt.get(`${first.startPosition.row}:${first.startPosition.column}`) ?? [];
      if (!scopes.some((s) => s.startsWith('meta.probe-description'))) {
        problems.push(`${relative(root, file)}:${first.startPosition.row + 1}: ${first.text} is not scoped as a probe description (${scopes.join(' ')})`);
      }
    }
    tree.delete();
  }
  assert.deepEqual(problems.slice(0, 40), [], `${problems.length} problems`);
});
