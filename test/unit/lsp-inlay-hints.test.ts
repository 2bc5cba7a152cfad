// Inlay hints over the real protocol: the type D inferred for each variable that was never
// declared, after its name at its first assignment (clause-locals once per clause); none for
// declared variables or later assignments; only those in the requested range.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startLanguageServer, pos, type LspClient } from '../support/lspClient';

const SCRIPT = [
  'self int depth;', // 0
  'BEGIN', // 1
  '{', // 2
  '\ttotal = 0;', // 3
  '\tname = execname;', // 4
  '\tself->start = timestamp;', // 5
  '\tself->depth = 1;', // 6
  '\tthis->n = (uint32_t)arg0;', // 7
  '\tcounts[execname, pid] = 1;', // 8
  '\ttotal = 2;', // 9
  '}', // 10
  'END', // 11
  '{', // 12
  '\tthis->n = 3;', // 13
  '}', // 14
  '',
].join('\n');

const LINES = SCRIPT.split('\n');
const after_ = (line: number, name: string) => pos(line, LINES[line]!.indexOf(name) + name.length);

type Hint = { position: { line: number; character: number }; label: string; kind: number; paddingLeft: boolean; tooltip: string };

let client: LspClient;
let uri: string;

const hints = (fromLine: number, toLine: number) =>
  client.request<Hint[]>('textDocument/inlayHint', { textDocument: { uri }, range: { start: pos(fromLine, 0), end: pos(toLine, 0) } });

const hint = (line: number, name: string, type: string, tooltip: string): Hint => ({ position: after_(line, name), label: `: ${type}`, kind: 1, paddingLeft: false, tooltip });

describe('inlay hints over the language server protocol', () => {
  before(async () => {
    client = await startLanguageServer({ settings: { flavour: 'freebsd' } });
    assert.equal(client.initializeResult.capabilities.inlayHintProvider, true);
    uri = await client.openNew(SCRIPT);
    assert.deepEqual((await client.diagnostics(uri)).filter((d) => d.severity === 1), []);
  });
  after(() => client.stop());

  it('shows the inferred type of each implicitly typed variable at its first assignment', async () => {
    assert.deepEqual(await hints(0, 15), [
      hint(3, 'total', 'int', 'total has type int, from its first assignment'),
      hint(4, 'name', 'string', 'name has type string, from its first assignment'),
      hint(5, 'start', 'uint64_t', 'self->start has type uint64_t, from its first assignment'),
      hint(7, 'n', 'uint32_t', 'this->n has type uint32_t, from its first assignment'),
      hint(8, 'counts', 'int', 'counts[string, pid_t] has type int, from its first assignment'),
      hint(13, 'n', 'uint32_t', 'this->n has type uint32_t, from its first assignment'),
    ]);
  });

  it('answers for the requested range only', async () => {
    assert.deepEqual(await hints(5, 8), [
      hint(5, 'start', 'uint64_t', 'self->start has type uint64_t, from its first assignment'),
      hint(7, 'n', 'uint32_t', 'this->n has type uint32_t, from its first assignment'),
    ]);
    assert.deepEqual(await hints(9, 12), []);
  });
});
