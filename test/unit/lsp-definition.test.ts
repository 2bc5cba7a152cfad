// Go to definition over the real protocol: globals (first assignment), thread-locals (their
// declaration), clause-locals (the first assignment in their own clause), aggregations,
// inlines, typedefs, translators (from an `xlate`), translator parameters, and names the D
// library files define (the location is in the library file).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startLanguageServer, pos, span, type LspClient } from '../support/lspClient';

const NAVIGATION_SCRIPT = [
  '#pragma D option quiet', // 0
  'inline int LIMIT = 10;', // 1
  'typedef struct pair { int a; int b; } pair_t;', // 2
  'typedef struct info { int i_a; } info_t;', // 3
  'translator info_t < pair_t *P > { i_a = P->a + P->b; };', // 4
  'self int depth;', // 5
  'BEGIN', // 6
  '{', // 7
  '\ttotal = 0;', // 8
  '\tself->depth = 1;', // 9
  '\tthis->tmp = LIMIT;', // 10
  '\t@calls[probefunc] = count();', // 11
  '\tp = (pair_t *)alloca(sizeof (pair_t));', // 12
  '\tv = xlate <info_t *>(p)->i_a;', // 13
  '}', // 14
  'tick-1s', // 15
  '/total < LIMIT/', // 16
  '{', // 17
  '\ttotal++;', // 18
  '\tthis->tmp = total * 2;', // 19
  '\tself->depth = this->tmp;', // 20
  '\tprinta(@calls);', // 21
  '\tx = DTRACEFLT_UNKNOWN;', // 22
  '}', // 23
  '',
].join('\n');

const LINES = NAVIGATION_SCRIPT.split('\n');
const col = (line: number, needle: string, nth = 1): number => {
  let at = -1;
  for (let i = 0; i < nth; i++) at = LINES[line]!.indexOf(needle, at + 1);
  assert.ok(at >= 0, `${needle} on line ${line}`);
  return at;
};
const word = (line: number, needle: string, nth = 1) => span(line, col(line, needle, nth), col(line, needle, nth) + needle.length);

type Location = { uri: string; range: ReturnType<typeof span> };

let client: LspClient;
let uri: string;

const definition = (line: number, character: number) =>
  client.request<Location[] | null>('textDocument/definition', { textDocument: { uri }, position: pos(line, character) });

describe('go to definition over the language server protocol', () => {
  before(async () => {
    client = await startLanguageServer({ settings: { flavour: 'freebsd' } });
    uri = await client.openNew(NAVIGATION_SCRIPT);
    assert.deepEqual((await client.diagnostics(uri)).filter((d) => d.severity === 1), []);
  });
  after(() => client.stop());

  it('goes from a global to its first assignment', async () => {
    assert.deepEqual(await definition(18, col(18, 'total') + 2), [{ uri, range: word(8, 'total') }]);
    assert.deepEqual(await definition(16, col(16, 'total')), [{ uri, range: word(8, 'total') }], 'from the predicate');
  });

  it('goes from a thread-local to its declaration', async () => {
    assert.deepEqual(await definition(20, col(20, 'depth') + 1), [{ uri, range: word(5, 'depth') }]);
  });

  it("goes from a clause-local to the first assignment in its own clause, not another clause's", async () => {
    assert.deepEqual(await definition(20, col(20, 'tmp') + 1), [{ uri, range: word(19, 'tmp') }]);
    assert.deepEqual(await definition(10, col(10, 'tmp')), [{ uri, range: word(10, 'tmp') }]);
  });

  it('goes from an aggregation to its first assignment', async () => {
    assert.deepEqual(await definition(21, col(21, '@calls') + 3), [{ uri, range: word(11, '@calls') }]);
  });

  it('goes to inlines, typedefs and tags', async () => {
    assert.deepEqual(await definition(16, col(16, 'LIMIT') + 1), [{ uri, range: word(1, 'LIMIT') }]);
    assert.deepEqual(await definition(12, col(12, 'pair_t', 2)), [{ uri, range: word(2, 'pair_t') }], 'inside sizeof');
    assert.deepEqual(await definition(4, col(4, 'pair_t')), [{ uri, range: word(2, 'pair_t') }], 'in a translator heading');
  });

  it('goes from an xlate to the translator it uses, and from a parameter to its declaration', async () => {
    assert.deepEqual(await definition(13, col(13, 'info_t') + 1), [{ uri, range: word(4, 'info_t') }]);
    assert.deepEqual(await definition(4, col(4, 'P->a')), [{ uri, range: span(4, col(4, 'P '), col(4, 'P ') + 1) }]);
  });

  it('goes into the D library file that defines a name', async () => {
    const [loc] = (await definition(22, col(22, 'DTRACEFLT_UNKNOWN') + 4)) ?? [];
    const file = join(__dirname, '..', '..', 'dist', 'lib', 'dtrace', 'unistd.d');
    assert.equal(loc?.uri, pathToFileURL(file).toString());
    const lines = readFileSync(file, 'utf8').split('\n');
    const line = lines.findIndex((l) => /\bDTRACEFLT_UNKNOWN\b/.test(l) && /inline/.test(l));
    const start = lines[line]!.indexOf('DTRACEFLT_UNKNOWN');
    assert.deepEqual(loc?.range, span(line, start, start + 'DTRACEFLT_UNKNOWN'.length));
  });

  it('has no definition for built-ins, probe descriptions and members', async () => {
    assert.equal(await definition(11, col(11, 'probefunc') + 1), null);
    assert.equal(await definition(11, col(11, 'count')), null);
    assert.equal(await definition(15, 2), null);
    assert.equal(await definition(13, col(13, 'i_a')), null);
  });
});
