// tree-sitter-d is a normal grammar package: its Node binding builds against the `tree-sitter`
// npm package and parses exactly as the wasm build the language server uses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDParser } from '../../server/src/parse/dParser';

const repo = join(__dirname, '..', '..');
const grammarDir = join(repo, 'tree-sitter-d');

function nodeGyp(): string {
  const npmDir = join(process.execPath, '..', '..', 'lib', 'node_modules', 'npm');
  const bundled = join(npmDir, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  if (existsSync(bundled)) return bundled;
  throw new Error(`node-gyp not found at ${bundled}`);
}

test('the Node binding builds and parses like the wasm grammar', async () => {
  // Build against the system's Node headers when they are installed, never by download.
  const headers = ['/usr/include/node/node.h'].find(existsSync);
  const args = [nodeGyp(), 'rebuild', ...(headers ? ['--nodedir=/usr'] : [])];
  const build = spawnSync(process.execPath, args, { cwd: grammarDir, encoding: 'utf8' });
  assert.equal(build.status, 0, `node-gyp failed:\n${build.stdout}\n${build.stderr}`);

  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const NativeParser = require('tree-sitter') as new () => {
    setLanguage(l: unknown): void;
    parse(s: string): { rootNode: { toString(): string; hasError: boolean } };
  };
  const native = new NativeParser();
  native.setLanguage(require(grammarDir));
  const wasm = await createDParser();

  const samples = [join(repo, 'examples'), join(repo, 'test', 'fixtures', 'scripts', 'common')]
    .flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith('.d')).map((f) => join(dir, f)));
  assert.ok(samples.length >= 5);
  for (const file of samples) {
    const text = readFileSync(file, 'utf8');
    const fromNative = native.parse(text).rootNode.toString();
    const fromWasm = wasm.parse(text)!.rootNode.toString();
    assert.equal(fromNative, fromWasm, `native and wasm trees differ for ${file}`);
  }
});
