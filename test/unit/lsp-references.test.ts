// Find references over the real protocol: every mention of a global across clauses (predicates
// included), a thread-local with and without its declaration, a clause-local only within its
// clause, aggregations, inlines, typedefs, translators' uses, and built-ins.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startLanguageServer, pos, span, type LspClient } from '../support/lspClient';

const SCRIPT = [
  'inline int LIMIT = 10;', // 0
  'typedef struct pair { int a; int b; } pair_t;', // 1
  'typedef struct info { int i_a; } info_t;', // 2
  'translator info_t < pair_t *P > { i_a = P->a + P->b; };', // 3
  'self int depth;', // 4
  'BEGIN', // 5
  '{', // 6
  '\ttotal = 0;', // 7
  '\tself->depth = 1;', // 8
  '\tthis->tmp = LIMIT;', // 9
  '\t@calls[probefunc] = count();', // 10
  '\tp = (pair_t *)alloca(sizeof (pair_t));', // 11
  '\tv = xlate <info_t *>(p)->i_a;', // 12
  '}', // 13
  'tick-1s', // 14
  '/total < LIMIT/', // 15
  '{', // 16
  '\ttotal++;', // 17
  '\tthis->tmp = total * 2;', // 18
  '\tself->depth = this->tmp;', // 19
  '\tprinta(@calls);', // 20
  '\tw = xlate <info_t *>(p)->i_a + probefunc[0];', // 21
  '}', // 22
  'this int scratch;', // 23
  'END { this->scratch = 1; }', // 24
  'ERROR { trace(this->scratch); }', // 25
  '',
].join('\n');

const LINES = SCRIPT.split('\n');
const col = (line: number, needle: string, nth = 1): number => {
  let at = -1;
  for (let i = 0; i < nth; i++) at = LINES[line]!.indexOf(needle, at + 1);
  assert.ok(at >= 0, `${needle} on line ${line}`);
  return at;
};
const word = (line: number, needle: string, nth = 1) => span(line, col(line, needle, nth), col(line, needle, nth) + needle.length);

let client: LspClient;
let uri: string;

async function references(line: number, character: number, includeDeclaration = true): Promise<ReturnType<typeof span>[] | null> {
  const found = await client.request<{ uri: string; range: ReturnType<typeof span> }[] | null>('textDocument/references', {
    textDocument: { uri },
    position: pos(line, character),
    context: { includeDeclaration },
  });
  if (!found) return null;
  for (const f of found) assert.equal(f.uri, uri);
  return found.map((f) => f.range);
}

describe('find references over the language server protocol', () => {
  before(async () => {
    client = await startLanguageServer({ settings: { flavour: 'freebsd' } });
    uri = await client.openNew(SCRIPT);
    assert.deepEqual((await client.diagnostics(uri)).filter((d) => d.severity === 1), []);
  });
  after(() => client.stop());

  it('finds a global in every clause and predicate', async () => {
    const expected = [word(7, 'total'), word(15, 'total'), word(17, 'total'), word(18, 'total')];
    assert.deepEqual(await references(17, col(17, 'total')), expected);
    assert.deepEqual(await references(15, col(15, 'total') + 5), expected, 'with the cursor just after the name');
  });

  it('finds a thread-local, with or without its declaration', async () => {
    assert.deepEqual(await references(8, col(8, 'depth')), [word(4, 'depth'), word(8, 'depth'), word(19, 'depth')]);
    assert.deepEqual(await references(8, col(8, 'depth'), false), [word(8, 'depth'), word(19, 'depth')]);
  });

  it('keeps a clause-local to its own clause', async () => {
    assert.deepEqual(await references(19, col(19, 'tmp')), [word(18, 'tmp'), word(19, 'tmp')]);
    assert.deepEqual(await references(9, col(9, 'tmp')), [word(9, 'tmp')]);
  });

  it('shares a clause-local declared at the top level between clauses', async () => {
    assert.deepEqual(await references(25, col(25, 'scratch')), [word(23, 'scratch'), word(24, 'scratch'), word(25, 'scratch')]);
  });

  it('finds aggregations, inlines and typedefs', async () => {
    assert.deepEqual(await references(20, col(20, '@calls')), [word(10, '@calls'), word(20, '@calls')]);
    assert.deepEqual(await references(0, col(0, 'LIMIT')), [word(0, 'LIMIT'), word(9, 'LIMIT'), word(15, 'LIMIT')]);
    assert.deepEqual(await references(1, col(1, 'pair_t')), [word(1, 'pair_t'), word(3, 'pair_t'), word(11, 'pair_t'), word(11, 'pair_t', 2)]);
  });

  it("finds a translator parameter within its translator", async () => {
    assert.deepEqual(await references(3, col(3, 'P ')), [span(3, col(3, 'P '), col(3, 'P ') + 1), span(3, col(3, 'P->a'), col(3, 'P->a') + 1), span(3, col(3, 'P->b'), col(3, 'P->b') + 1)]);
  });

  it('finds the uses of built-ins', async () => {
    assert.deepEqual(await references(10, col(10, 'probefunc')), [word(10, 'probefunc'), word(21, 'probefunc')]);
  });

  it('finds nothing for probe descriptions and members', async () => {
    assert.equal(await references(14, 1), null);
    assert.equal(await references(12, col(12, 'i_a')), null);
  });
});
