// The real-world bar: every valid D script of our corpus parses with no ERROR or MISSING node.
// The few listed in test/fixtures/scripts/CPP_ONLY are valid only after cpp expands their
// macros; they must parse once the system's cpp has run, as `dtrace -C` would run it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
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

const cppOnly = new Set(
  readFileSync(join(root, 'CPP_ONLY'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => line.split(/\s+/)[0]!),
);

// What each system's `dtrace -C` predefines, by the corpus folder the script is in.
const PLATFORM_MACROS: Record<string, string[]> = {
  illumos: ['-D__sun', '-D__SVR4', '-D__unix'],
  freebsd: ['-D__FreeBSD__', '-D__unix'],
  macos: ['-D__APPLE__', '-D__x86_64__'],
  common: [],
};

// dtrace -C discards `#!` lines itself; cpp would reject them. Blank them to keep line numbers.
function preprocess(name: string, file: string): string {
  const text = readFileSync(file, 'utf8').replace(/^[ \t]*#!.*$/gm, '');
  const flavour = name.split(/[\\/]/)[0]!;
  const run = spawnSync('cpp', ['-P', '-nostdinc', '-undef', ...(PLATFORM_MACROS[flavour] ?? [])], { input: text, encoding: 'utf8' });
  assert.equal(run.status, 0, `cpp failed on ${file}: ${run.stderr}`);
  return run.stdout;
}

test('every valid script of the corpus parses without syntax errors', async () => {
  const parser = await createDParser();
  const files = scripts(root);
  assert.ok(files.length >= 300, `expected a corpus of at least 300 scripts, found ${files.length}`);
  const failures: string[] = [];
  for (const file of files) {
    const name = relative(root, file);
    const text = cppOnly.has(name) ? preprocess(name, file) : readFileSync(file, 'utf8');
    const tree = parser.parse(text);
    assert.ok(tree);
    for (const e of findSyntaxErrors(tree).slice(0, 3)) {
      failures.push(`${name}${cppOnly.has(name) ? ' (after cpp)' : ''}:${e.range.start.row + 1}:${e.range.start.column + 1}: ${e.message}`);
    }
    tree.delete();
  }
  assert.deepEqual(failures, [], `syntax errors in valid scripts:\n${failures.join('\n')}`);
});

test('the scripts listed in CPP_ONLY exist and really need cpp', async () => {
  const parser = await createDParser();
  for (const name of cppOnly) {
    const tree = parser.parse(readFileSync(join(root, name), 'utf8'));
    assert.ok(tree);
    assert.ok(findSyntaxErrors(tree).length > 0, `${name} parses without cpp: remove it from CPP_ONLY`);
    tree.delete();
  }
});
