// The committed generated grammar files (parser.c, grammar.json, node-types.json and the wasm)
// are exactly what grammar.js and scanner.c generate: CI fails on a stale grammar.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

test('tree-sitter-d generated files are current', () => {
  const script = join(__dirname, '..', '..', 'scripts', 'grammar.sh');
  const run = spawnSync('bash', [script, '--check'], { encoding: 'utf8' });
  assert.equal(run.status, 0, `${run.stdout}${run.stderr}`);
  assert.match(run.stdout, /generated files are current/);
});
