// Inputs the fuzzer (test/fuzz/fuzz.ts) found, each replayed by (target, seed, index) and as
// the smallest script showing the same bug, with what a user sees now.
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { runOne } from '../fuzz/fuzz.ts';
import { dtvm } from '../support/runDtvm.ts';
import { startLanguageServer, span, type LspClient } from '../support/lspClient.ts';

const dir = mkdtempSync(join(tmpdir(), 'fuzz-regressions-'));
const script = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

it('script seed=20261127 index=123: a 1 MB line inside a predicate is rejected at once (it took minutes)', { timeout: 10_000 }, async () => {
  assert.equal(await runOne('script', 20261127, 123), undefined);
  const path = script('long-predicate.d', `syscall::read:entry\n/pid == 'a${'x'.repeat(1 << 20)}'/\n{\n}\n`);
  const r = await dtvm(['-q', '-s', path]);
  assert.deepEqual([r.status, r.stderr], [1, `dtrace: failed to compile script ${path}: line 2: character constant is too long\n`]);
});

it('script seed=20261127 index=371: 2,500 nested parentheses with a missing token no longer corrupt web-tree-sitter', { timeout: 20_000 }, async () => {
  assert.equal(await runOne('script', 20261127, 371), undefined);
  // The same process parses on afterwards (the corruption showed up in later parses).
  const path = script('after.d', 'BEGIN { x = ; }\n');
  const r = await dtvm(['-q', '-s', path]);
  assert.deepEqual([r.status, r.stderr], [1, `dtrace: failed to compile script ${path}: line 1: syntax error near ";"\n`]);
});

it('nesting deeper than 1000 levels is a located error, not a stack overflow', async () => {
  for (const [name, body] of [
    ['sum', `${'1 + '.repeat(3000)}1`],
    ['parens', `${'('.repeat(5000)}1${')'.repeat(5000)}`],
    ['unary', `${'- '.repeat(3000)}1`],
  ] as const) {
    const path = script(`${name}.d`, `BEGIN\n{\n\tx = ${body};\n}\n`);
    const r = await dtvm(['-q', '-s', path]);
    assert.deepEqual([r.status, r.stderr], [1, `dtrace: failed to compile script ${path}: line 3: nesting too deep: more than 1000 levels\n`], name);
  }
  // Just under the limit still compiles and runs, on the JIT and on the interpreter.
  const path = script('deep-ok.d', `BEGIN { x = ${'1+'.repeat(990)}1; printf("%d\\n", x); exit(0); }\n`);
  assert.equal((await dtvm(['-q', '-s', path])).stdout, '991\n\n');
});

it('script seed=20261127 index=2977: a FreeBSD-only subroutine elsewhere is an undefined function (it was an internal error)', async () => {
  assert.equal(await runOne('script', 20261127, 2977), undefined);
  const program = 'BEGIN { x = sx_shared_held(0); exit(0); }';
  const illumos = await dtvm(['--flavour', 'illumos', '-q', '-n', program]);
  assert.deepEqual([illumos.status, illumos.stderr], [1, 'dtrace: invalid probe specifier BEGIN { x = sx_shared_held(0); exit(0); }: in action list: undefined function name: sx_shared_held\n']);
  const freebsd = await dtvm(['--flavour', 'freebsd', '-q', '-n', program]);
  assert.equal(freebsd.status, 0, freebsd.stderr);
});

it('script seed=20261127 index=17930: a DIF object whose strings pass 64 KB gets DTrace\'s library error (it was a RangeError)', async () => {
  assert.equal(await runOne('script', 20261127, 17930), undefined);
  const strings = Array.from({ length: 9 }, (_, i) => `x == ${i} ? "${String.fromCharCode(97 + i).repeat(9000)}" :`).join(' ');
  const path = script('strings.d', `BEGIN { x = 1; y = ${strings} "z"; trace(y); exit(0); }\n`);
  const r = await dtvm(['-q', '-s', path]);
  assert.deepEqual([r.status, r.stderr], [1, `dtrace: failed to compile script ${path}: String constant table limit exceeded\n`]);
});

let client: LspClient | undefined;
after(() => client?.stop());

it('the language server shows the nesting error where the limit is crossed, and recovers', { timeout: 30_000 }, async () => {
  client = await startLanguageServer();
  const deep = `BEGIN\n{\n\tx = ${'('.repeat(1200)}1${')'.repeat(1200)};\n}\n`;
  const uri = await client.openNew(deep);
  const d = await client.diagnostics(uri, 1);
  assert.deepEqual(
    d.map((x) => [x.range, x.message]),
    [[span(2, 1000, 1001), 'nesting too deep: more than 1000 levels']], // the 996th parenthesis: the clause and statement are levels too
  );
  await client.replace(uri, 2, 'BEGIN\n{\n\tx = (1);\n}\n');
  assert.deepEqual(await client.diagnostics(uri, 2), []);
});

it('every editor feature answers at once on a document 20,000 levels deep (selection ranges took minutes, folding and formatting overflowed the stack)', { timeout: 30_000 }, async () => {
  client ??= await startLanguageServer();
  const uri = await client.openNew(`BEGIN\n{\n\tx = ${'1+'.repeat(20000)}1;\n}\n`);
  assert.deepEqual((await client.diagnostics(uri, 1)).map((d) => d.message), ['nesting too deep: more than 1000 levels']);
  const doc = { textDocument: { uri } };
  const at = { line: 2, character: 30000 };
  assert.deepEqual(await client.request('textDocument/foldingRange', doc), [{ startLine: 0, endLine: 2 }, { startLine: 1, endLine: 2 }]);
  assert.deepEqual(await client.request('textDocument/formatting', { ...doc, options: { tabSize: 8, insertSpaces: false } }), []);
  let levels = 0;
  for (let r = (await client.request<{ range: unknown; parent?: unknown }[]>('textDocument/selectionRange', { ...doc, positions: [at] }))[0]; r; r = r.parent as typeof r) levels++;
  assert.equal(levels, 1000);
  assert.deepEqual(await client.request('textDocument/semanticTokens/full', doc), { data: [] });
  assert.deepEqual(await client.request('textDocument/documentSymbol', doc), []);
  assert.equal(await client.request('textDocument/hover', { ...doc, position: at }), null);
});

it('script seed=7 index=1747: a printf width too wide to print aborts processing as dtrace does, after what was printed', { timeout: 20_000 }, async () => {
  assert.equal(await runOne('script', 7, 1747), undefined);
  const aborted = 'dtrace: processing aborted: Value too large for defined data type\n';
  for (const [name, format] of [
    ['literal', `"%${'9'.repeat(30)}d|\\n", 1`], // it was "internal error: Invalid count value: Infinity"
    ['dynamic', '"%*d|\\n", 2000000000, 1'], // "internal error: Invalid string length"
    ['precision', '"%.*d|\\n", 2000000000, 1'],
  ] as const) {
    const path = script(`wide-${name}.d`, `BEGIN\n{\n\tprintf("a\\n");\n\tprintf(${format});\n\tprintf("b\\n");\n}\nEND\n{\n\tprintf("end\\n");\n}\n`);
    const r = await dtvm(['-q', '-s', path]);
    assert.deepEqual([r.status, r.stdout, r.stderr], [1, 'a\n', aborted], name);
  }
  // Widths that can be printed still are.
  const path = script('wide-ok.d', 'BEGIN\n{\n\tprintf("%*d|%-5s|%.3d\\n", 12, 7, "x", 5);\n\texit(0);\n}\n');
  assert.deepEqual(await dtvm(['-q', '-s', path]), { status: 0, stdout: '           7|x    |005\n\n', stderr: '' });
});
