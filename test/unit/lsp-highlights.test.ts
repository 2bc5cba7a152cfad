// Document highlights over the real protocol: the mentions of the symbol under the cursor,
// assignments and declarations as writes, other uses as reads; clause-locals within their clause.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startLanguageServer, pos, span, type LspClient } from '../support/lspClient';

const SCRIPT = [
  'self int depth;', // 0
  'BEGIN', // 1
  '{', // 2
  '\ttotal = 0;', // 3
  '\tthis->tmp = 1;', // 4
  '\t@calls[probefunc] = count();', // 5
  '}', // 6
  'tick-1s', // 7
  '/total < 10/', // 8
  '{', // 9
  '\ttotal++;', // 10
  '\tthis->tmp = total * 2;', // 11
  '\tself->depth = this->tmp;', // 12
  '\tprinta(@calls);', // 13
  '}', // 14
  '',
].join('\n');

const LINES = SCRIPT.split('\n');
const col = (line: number, needle: string): number => {
  const at = LINES[line]!.indexOf(needle);
  assert.ok(at >= 0, `${needle} on line ${line}`);
  return at;
};
const word = (line: number, needle: string) => span(line, col(line, needle), col(line, needle) + needle.length);
const READ = 2;
const WRITE = 3;

let client: LspClient;
let uri: string;

const highlights = (line: number, character: number) =>
  client.request<{ range: ReturnType<typeof span>; kind: number }[] | null>('textDocument/documentHighlight', { textDocument: { uri }, position: pos(line, character) });

describe('document highlights over the language server protocol', () => {
  before(async () => {
    client = await startLanguageServer({ settings: { flavour: 'freebsd' } });
    uri = await client.openNew(SCRIPT);
    assert.deepEqual((await client.diagnostics(uri)).filter((d) => d.severity === 1), []);
  });
  after(() => client.stop());

  it('tells writes from reads for a global', async () => {
    assert.deepEqual(await highlights(8, col(8, 'total')), [
      { range: word(3, 'total'), kind: WRITE },
      { range: word(8, 'total'), kind: READ },
      { range: word(10, 'total'), kind: WRITE },
      { range: word(11, 'total'), kind: READ },
    ]);
  });

  it('highlights a clause-local only in its clause', async () => {
    assert.deepEqual(await highlights(12, col(12, 'tmp')), [
      { range: word(11, 'tmp'), kind: WRITE },
      { range: word(12, 'tmp'), kind: READ },
    ]);
    assert.deepEqual(await highlights(4, col(4, 'tmp')), [{ range: word(4, 'tmp'), kind: WRITE }]);
  });

  it('counts a declaration as a write', async () => {
    assert.deepEqual(await highlights(0, col(0, 'depth')), [
      { range: word(0, 'depth'), kind: WRITE },
      { range: word(12, 'depth'), kind: WRITE },
    ]);
  });

  it('highlights aggregations', async () => {
    assert.deepEqual(await highlights(13, col(13, '@calls') + 1), [
      { range: word(5, '@calls'), kind: WRITE },
      { range: word(13, '@calls'), kind: READ },
    ]);
  });

  it('has nothing on punctuation or probe descriptions', async () => {
    assert.equal(await highlights(2, 0), null);
    assert.equal(await highlights(7, 2), null);
  });
});
