// Every script of the real-world corpus opens as DTrace under content detection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { detectLanguage } from '../../client/src/languageDetection';

const root = join(__dirname, '..', 'fixtures', 'scripts');

function scripts(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return scripts(path);
    return name.endsWith('.d') ? [path] : [];
  });
}

test('every corpus script is detected as DTrace', () => {
  const files = scripts(root);
  assert.ok(files.length >= 300);
  const misses = files
    .map((file) => ({ file: relative(root, file), detection: detectLanguage(readFileSync(file, 'utf8')) }))
    .filter(({ detection }) => detection.verdict !== 'dtrace')
    .map(({ file, detection }) => `${file}: ${detection.reason}`);
  assert.deepEqual(misses, []);
});
