// Signature help over the real protocol: the signature of the subroutine, action or
// aggregating function whose parentheses hold the cursor, its parameters and the active one
// (commas inside strings and nested calls do not count; `...` takes the rest), nested calls,
// and text still being typed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startLanguageServer, pos, type LspClient } from '../support/lspClient';
import { FUNCTION_DOCS } from '../../server/src/analyze/builtins/docs';

const SCRIPT = [
  'BEGIN', // 0
  '{', // 1
  '\tx = substr("hello", 1, 2);', // 2
  '\tprintf("%d, %s\\n", 1, strjoin("a", "b"));', // 3
  '\t@q = lquantize(timestamp, 0, 100, 10);', // 4
  '\ty = (x == "a") ? 1 : 2;', // 5
  '\ttrace(strlen(', // 6
].join('\n');

const LINES = SCRIPT.split('\n');
const col = (line: number, needle: string): number => {
  const at = LINES[line]!.indexOf(needle);
  assert.ok(at >= 0, `${needle} on line ${line}`);
  return at;
};

type Help = {
  signatures: { label: string; documentation: { kind: string; value: string }; parameters: { label: [number, number] }[]; activeParameter: number }[];
  activeSignature: number;
  activeParameter: number;
} | null;

let client: LspClient;
let uri: string;

const help = (line: number, character: number) => client.request<Help>('textDocument/signatureHelp', { textDocument: { uri }, position: pos(line, character) });

/** The signature's label, its parameters as text, and the active parameter. */
async function shown(line: number, character: number): Promise<{ label: string; parameters: string[]; active: number } | null> {
  const h = await help(line, character);
  if (!h) return null;
  assert.equal(h.signatures.length, 1);
  const s = h.signatures[0]!;
  assert.equal(h.activeParameter, s.activeParameter);
  return { label: s.label, parameters: s.parameters.map((p) => s.label.slice(p.label[0], p.label[1])), active: h.activeParameter };
}

describe('signature help over the language server protocol', () => {
  before(async () => {
    client = await startLanguageServer({ settings: { flavour: 'freebsd' } });
    assert.deepEqual(client.initializeResult.capabilities.signatureHelpProvider, { triggerCharacters: ['(', ','], retriggerCharacters: [','] });
    uri = await client.openNew(SCRIPT);
  });
  after(() => client.stop());

  it('shows a subroutine with its parameters and moves the active one at each comma', async () => {
    const substr = { label: 'string substr(const char *s, int index, [int length])', parameters: ['const char *s', 'int index', '[int length]'] };
    assert.deepEqual(await shown(2, col(2, '"hello"')), { ...substr, active: 0 });
    assert.deepEqual(await shown(2, col(2, '1,')), { ...substr, active: 1 });
    assert.deepEqual(await shown(2, col(2, '2)')), { ...substr, active: 2 });
  });

  it('documents the function', async () => {
    const h = await help(2, col(2, '"hello"'));
    assert.deepEqual(h?.signatures[0]?.documentation, { kind: 'markdown', value: `Subroutine, not destructive.\n\n${FUNCTION_DOCS.substr!.doc}` });
  });

  it('ignores commas in strings and gives the rest of the arguments to ...', async () => {
    const printf = { label: 'void printf(const char *format, ...)', parameters: ['const char *format', '...'] };
    assert.deepEqual(await shown(3, col(3, '%s')), { ...printf, active: 0 });
    assert.deepEqual(await shown(3, col(3, '1,')), { ...printf, active: 1 });
    assert.deepEqual(await shown(3, col(3, 'strjoin')), { ...printf, active: 1 });
  });

  it('shows the innermost call', async () => {
    assert.deepEqual(await shown(3, col(3, '"b"')), {
      label: 'string strjoin(const char *s1, const char *s2)',
      parameters: ['const char *s1', 'const char *s2'],
      active: 1,
    });
  });

  it('shows aggregating functions with their optional parameters', async () => {
    assert.deepEqual(await shown(4, col(4, '10)')), {
      label: 'lquantize(int64_t value, int low, int high, [int step], [int64_t increment])',
      parameters: ['int64_t value', 'int low', 'int high', '[int step]', '[int64_t increment]'],
      active: 3,
    });
  });

  it('works on text still being typed', async () => {
    assert.deepEqual(await shown(6, LINES[6]!.length), { label: 'size_t strlen(const char *s)', parameters: ['const char *s'], active: 0 });
  });

  it('has no help outside calls or inside plain parentheses', async () => {
    assert.equal(await help(2, 2), null);
    assert.equal(await help(5, col(5, '"a"')), null);
  });
});
