// bin/dtvm as a user runs it: DTrace's message form and exit statuses for syntax errors,
// and the syntax-tree summary that `npm start` prints.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repo = join(__dirname, '..', '..');
const dtvm = (...args: string[]) => spawnSync(process.execPath, [join(repo, 'bin', 'dtvm'), ...args], { encoding: 'utf8' });

function script(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'dtvm-')), 'x.d');
  writeFileSync(file, text);
  return file;
}

test('a syntax error is reported in DTrace form with exit status 1', () => {
  const file = script('syscall::read:entry\n{\n\tx = 1;\n\ty = (2;\n}\n');
  const run = dtvm('-s', file);
  assert.equal(run.status, 1);
  assert.equal(run.stdout, '');
  assert.equal(run.stderr, `dtrace: failed to compile script ${file}: line 4: syntax error near ";"\n`);
});

test('an error at the end of the input says so', () => {
  const file = script('BEGIN\n{\n\ttrace(1);\n');
  const run = dtvm('-s', file);
  assert.equal(run.status, 1);
  assert.equal(run.stderr, `dtrace: failed to compile script ${file}: line 4: syntax error near end of input\n`);
});

test('a valid script compiles silently with exit status 0', () => {
  const run = dtvm('-e', '-s', script('BEGIN\n{\n\ttrace(timestamp);\n\texit(0);\n}\n'));
  assert.equal(run.status, 0);
  assert.equal(run.stderr, '');
  assert.equal(run.stdout, '');
});

test('a missing script file is an error naming it', () => {
  const run = dtvm('-s', '/nonexistent/x.d');
  assert.equal(run.status, 1);
  assert.equal(run.stderr, 'dtrace: failed to open /nonexistent/x.d: No such file or directory\n');
});

test('an unknown option is a usage error with exit status 2, reported like getopt(3)', () => {
  const run = dtvm('-k', 'x.d');
  assert.equal(run.status, 2);
  assert.match(run.stderr, /^dtvm: illegal option -- k\nUsage: dtvm /);
  // A long option is read as the flags `-`, `-n` ...: getopt rejects its first character.
  assert.match(dtvm('--no-such-option').stderr, /^dtvm: illegal option -- -\n/);
});

test('--syntax-tree prints one line per top-level item', () => {
  const file = script('#pragma D option quiet\nint x;\nBEGIN /x == 0/ { x = 1; trace(x); }\n');
  const run = dtvm('--syntax-tree', file);
  assert.equal(run.status, 0);
  assert.equal(
    run.stdout,
    'x.d: 3 lines, 1 pragma_directive, 1 declaration, 1 probe_clause\n' +
      '    1  pragma directive  #pragma D option quiet\n' +
      '    2  declaration  int x;\n' +
      '    3  clause BEGIN  predicate /x == 0/  2 statements\n',
  );
});
