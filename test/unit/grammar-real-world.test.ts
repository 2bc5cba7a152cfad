// The real-world bar: every valid D script of our corpus parses with no ERROR or MISSING node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createDParser } from '../../server/src/parse/dParser';
import { findSyntaxErrors } from '../../server/src/parse/syntaxErrors';

const root = join(__dirname, '..', 'fixtures', 'scripts');

function scripts(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return scripts(path);
    return name.endsWith('.d') ? [path] : [];
  });
}

test('every valid script of the corpus parses without syntax errors', async () => {
  const parser = await createDParser();
  const files = scripts(root);
  assert.ok(files.length >= 100, `expected a corpus of at least 100 scripts, found ${files.length}`);
  const failures: string[] = [];
  for (const file of files) {
    const tree = parser.parse(readFileSync(file, 'utf8'));
    assert.ok(tree);
    for (const e of findSyntaxErrors(tree).slice(0, 3)) {
      failures.push(`${relative(root, file)}:${e.range.start.row + 1}:${e.range.start.column + 1}: ${e.message}`);
    }
    tree.delete();
  }
  assert.deepEqual(failures, [], `syntax errors in valid scripts:\n${failures.join('\n')}`);
});
