// Semantic tokens over the real protocol, decoded back to (line, column, length, type,
// modifiers) with the legend the server declares: the four probe-description fields, built-in
// variables and functions (actions, aggregating and destructive ones marked), thread-locals vs
// clause-locals vs globals, aggregations, inlines, macro variables, types; and a range request.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startLanguageServer, type LspClient } from '../support/lspClient';

const SCRIPT = [
  'inline int LIMIT = 10;', // 0
  'self int depth;', // 1
  'syscall:freebsd:read:entry, BEGIN', // 2
  '/pid == $target/', // 3
  '{', // 4
  '\tself->depth = LIMIT;', // 5
  '\tthis->n = (uint32_t)arg0;', // 6
  '\ttotal = this->n + self->depth;', // 7
  '\t@hits[probefunc] = count();', // 8
  '\tstop();', // 9
  '}', // 10
  'struct pair { int a; int b; };', // 11
  'typedef enum color { RED, GREEN } color_t;', // 12
  'translator struct pair < color_t *C > { a = *C; b = RED; };', // 13
  'END { p = (struct pair *)0; q = p->a; }', // 14
  '',
].join('\n');

const LINES = SCRIPT.split('\n');
type Token = [line: number, column: number, length: number, type: string, modifiers: string];

/** A token for the `nth` `text` on a line. */
const t = (line: number, text: string, type: string, modifiers = '', nth = 1): Token => {
  let at = -1;
  for (let i = 0; i < nth; i++) at = LINES[line]!.indexOf(text, at + 1);
  assert.ok(at >= 0, `${text} on line ${line}`);
  return [line, at, text.length, type, modifiers];
};

/** A token of `length` characters at `skip` into the first `context` on a line (for short names). */
const within = (line: number, context: string, skip: number, length: number, type: string, modifiers = ''): Token => {
  const at = LINES[line]!.indexOf(context);
  assert.ok(at >= 0, `${context} on line ${line}`);
  return [line, at + skip, length, type, modifiers];
};

let client: LspClient;
let uri: string;
let legend: { tokenTypes: string[]; tokenModifiers: string[] };

function decode(data: number[]): Token[] {
  const out: Token[] = [];
  let line = 0;
  let column = 0;
  for (let i = 0; i < data.length; i += 5) {
    const [dl, dc, length, type, mods] = data.slice(i, i + 5) as [number, number, number, number, number];
    line += dl;
    column = dl === 0 ? column + dc : dc;
    const modifiers = legend.tokenModifiers.filter((_, b) => (mods & (1 << b)) !== 0).join(' ');
    out.push([line, column, length, legend.tokenTypes[type]!, modifiers]);
  }
  return out;
}

describe('semantic tokens over the language server protocol', () => {
  before(async () => {
    client = await startLanguageServer({ settings: { flavour: 'freebsd' } });
    const provider = client.initializeResult.capabilities.semanticTokensProvider as { legend: typeof legend; full: boolean; range: boolean };
    legend = provider.legend;
    assert.equal(provider.full, true);
    assert.equal(provider.range, true);
    uri = await client.openNew(SCRIPT);
  });
  after(() => client.stop());

  it('declares a legend of standard token types', () => {
    assert.deepEqual(legend.tokenTypes, ['namespace', 'class', 'function', 'event', 'variable', 'property', 'parameter', 'type', 'struct', 'enum', 'enumMember', 'macro']);
  });

  it('gives every name of the script its token', async () => {
    const { data } = await client.request<{ data: number[] }>('textDocument/semanticTokens/full', { textDocument: { uri } });
    assert.deepEqual(decode(data), [
      t(0, 'LIMIT', 'variable', 'declaration readonly'),
      t(1, 'depth', 'variable', 'declaration threadLocal'),
      t(2, 'syscall', 'namespace'),
      t(2, 'freebsd', 'class'),
      t(2, 'read', 'function'),
      t(2, 'entry', 'event'),
      t(2, 'BEGIN', 'event'),
      t(3, 'pid', 'variable', 'readonly defaultLibrary'),
      t(3, '$target', 'macro'),
      t(5, 'depth', 'variable', 'modification threadLocal'),
      t(5, 'LIMIT', 'variable', 'readonly'),
      t(6, 'n', 'variable', 'modification clauseLocal'),
      t(6, 'uint32_t', 'type'),
      t(6, 'arg0', 'variable', 'readonly defaultLibrary'),
      t(7, 'total', 'variable', 'modification global'),
      t(7, 'n', 'variable', 'clauseLocal'),
      t(7, 'depth', 'variable', 'threadLocal'),
      t(8, '@hits', 'variable', 'modification aggregation'),
      t(8, 'probefunc', 'variable', 'readonly defaultLibrary'),
      t(8, 'count', 'function', 'defaultLibrary aggregation'),
      t(9, 'stop', 'function', 'defaultLibrary action destructive'),
      t(11, 'pair', 'struct', 'declaration'),
      within(11, 'int a;', 4, 1, 'property', 'declaration'),
      within(11, 'int b;', 4, 1, 'property', 'declaration'),
      t(12, 'color', 'enum', 'declaration'),
      t(12, 'RED', 'enumMember', 'declaration'),
      t(12, 'GREEN', 'enumMember', 'declaration'),
      t(12, 'color_t', 'type', 'declaration'),
      t(13, 'pair', 'struct'),
      t(13, 'color_t', 'type'),
      within(13, '*C >', 1, 1, 'parameter', 'declaration'),
      within(13, '{ a =', 2, 1, 'property', 'declaration'),
      within(13, '*C;', 1, 1, 'parameter'),
      within(13, 'b =', 0, 1, 'property', 'declaration'),
      t(13, 'RED', 'enumMember'),
      t(14, 'END', 'event'),
      within(14, 'p =', 0, 1, 'variable', 'modification global'),
      t(14, 'pair', 'struct'),
      within(14, 'q =', 0, 1, 'variable', 'modification global'),
      within(14, 'p->a', 0, 1, 'variable', 'global'),
      within(14, 'p->a', 3, 1, 'property'),
    ]);
  });

  it('answers a range request with the tokens in the range only', async () => {
    const { data } = await client.request<{ data: number[] }>('textDocument/semanticTokens/range', {
      textDocument: { uri },
      range: { start: { line: 7, character: 0 }, end: { line: 8, character: 0 } },
    });
    assert.deepEqual(decode(data), [t(7, 'total', 'variable', 'modification global'), t(7, 'n', 'variable', 'clauseLocal'), t(7, 'depth', 'variable', 'threadLocal')]);
  });

  it('keeps tokens for what still parses while the text is broken', async () => {
    await client.replace(uri, 2, SCRIPT.replace('\tstop();', '\tstop(;'));
    const { data } = await client.request<{ data: number[] }>('textDocument/semanticTokens/full', { textDocument: { uri } });
    const tokens = decode(data);
    assert.deepEqual(tokens.slice(0, 3), [t(0, 'LIMIT', 'variable', 'declaration readonly'), t(1, 'depth', 'variable', 'declaration threadLocal'), t(2, 'syscall', 'namespace')]);
    assert.ok(tokens.some((x) => x[3] === 'variable' && x[4] === 'modification aggregation'));
  });
});
