// Completion over the real protocol, in each context: probe descriptions field by field (from
// a provider file, so the catalogue is the test's), built-ins, subroutines and actions as
// snippets, `self->`/`this->` variables in use, aggregation names, struct members after `->`
// and `.` (typed args[N], casts, variables), `#pragma D option` names and values, printf
// conversions and macro variables; while the user types (the text does not parse, types come
// from the last version that compiled); nothing in comments.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLanguageServer, pos, span, type LspClient } from '../support/lspClient';

const PROVIDERS = {
  providers: [
    {
      name: 'demo',
      probes: [
        { module: 'kmod', function: 'demo_read', name: 'entry', args: ['int', 'char *'] },
        { module: 'kmod', function: 'demo_read', name: 'return', args: ['int'] },
        { module: 'kmod', function: 'demo_write', name: 'entry', args: ['struct demo *'] },
        { module: 'umod', function: 'u_open', name: 'start' },
      ],
    },
  ],
};

const BASE = [
  'struct demo { int d_x; char *d_name; };', // 0
  'demo:kmod:demo_write:entry', // 1
  '{', // 2
  '\tself->ts = timestamp;', // 3
  '\tself->fd = (int)arg0;', // 4
  '\tthis->len = args[0]->d_x;', // 5
  '\t@bytes[execname] = sum(this->len);', // 6
  '\tgcount = 1;', // 7
  '\tp = args[0];', // 8
  '}', // 9
  'BEGIN', // 10
  '{', // 11
  '\tthis->other = 1;', // 12
  '\t@starts = count();', // 13
  '}', // 14
  '',
].join('\n');

type Item = {
  label: string;
  kind: number;
  detail?: string;
  sortText?: string;
  insertTextFormat?: number;
  filterText?: string;
  textEdit: { range: ReturnType<typeof span>; newText: string };
};

let client: LspClient;
let version = 1;
let uri: string;

async function completeIn(text: string, line: number, character?: number): Promise<Item[]> {
  await client.replace(uri, ++version, text);
  const lines = text.split('\n');
  const r = await client.request<{ isIncomplete: boolean; items: Item[] }>('textDocument/completion', {
    textDocument: { uri },
    position: pos(line, character ?? lines[line]!.length),
  });
  assert.equal(r.isIncomplete, false);
  return r.items;
}

/** BASE with `insert` as a new line before line `before`; the cursor at its end. */
async function typing(insert: string, before = 9): Promise<Item[]> {
  const lines = BASE.split('\n');
  lines.splice(before, 0, insert);
  return completeIn(lines.join('\n'), before);
}

const labels = (items: Item[]): string[] => items.map((i) => i.label).sort();
const find = (items: Item[], label: string): Item => {
  const i = items.find((x) => x.label === label);
  assert.ok(i, `no item ${label} among ${labels(items).join(' ')}`);
  return i;
};

describe('completion over the language server protocol', () => {
  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lsp-completion-'));
    const file = join(dir, 'demo.json');
    writeFileSync(file, JSON.stringify(PROVIDERS));
    client = await startLanguageServer({ settings: { flavour: 'freebsd', providerFiles: [file] } });
    assert.deepEqual(client.initializeResult.capabilities.completionProvider, { triggerCharacters: ['>', '.', '@', ':', '$', '%', '='], resolveProvider: false });
    uri = await client.openNew(BASE);
    assert.deepEqual((await client.diagnostics(uri)).filter((d) => d.severity === 1), [], 'the base script compiles');
  });
  after(() => client.stop());

  describe('probe descriptions, field by field', () => {
    it('offers providers and the probe names written alone', async () => {
      const items = await completeIn(`${BASE}de`, 15);
      const demo = find(items, 'demo');
      assert.deepEqual(demo, { label: 'demo', kind: 9, detail: 'provider (4 probes)', sortText: '1demo', textEdit: { range: span(15, 0, 2), newText: 'demo' } });
      for (const name of ['dtrace', 'profile', 'BEGIN', 'END', 'ERROR', 'tick-1']) find(items, name);
      assert.equal(find(items, 'BEGIN').detail, 'dtrace probe');
    });

    it('offers the modules of the provider', async () => {
      const items = await completeIn(`${BASE}demo:`, 15);
      assert.deepEqual(labels(items), ['kmod', 'umod']);
      assert.deepEqual(find(items, 'kmod').textEdit, { range: span(15, 5, 5), newText: 'kmod' });
    });

    it('offers the functions of the module, or of every module when it is empty', async () => {
      assert.deepEqual(labels(await completeIn(`${BASE}demo:kmod:demo_`, 15)), ['demo_read', 'demo_write']);
      assert.deepEqual(find(await completeIn(`${BASE}demo:kmod:demo_`, 15), 'demo_read').textEdit, { range: span(15, 10, 15), newText: 'demo_read' });
      assert.deepEqual(labels(await completeIn(`${BASE}demo::`, 15)), ['demo_read', 'demo_write', 'u_open']);
    });

    it('offers the names of the function', async () => {
      assert.deepEqual(labels(await completeIn(`${BASE}demo:kmod:demo_read:`, 15)), ['entry', 'return']);
      assert.deepEqual(labels(await completeIn(`${BASE}demo:::`, 15)), ['entry', 'return', 'start']);
    });

    it('completes the second description of a list', async () => {
      assert.deepEqual(labels(await completeIn(`${BASE}demo:kmod:demo_read:entry,\ndemo:umod:`, 16)), ['u_open']);
    });
  });

  describe('expressions', () => {
    it('offers built-ins, the script\'s variables, and subroutines and actions as snippets', async () => {
      const items = await typing('\tx = ');
      for (const name of ['execname', 'timestamp', 'args', 'gcount', 'p', 'NULL', 'self', 'sizeof']) find(items, name);
      assert.deepEqual(find(items, 'copyinstr').textEdit, { range: span(9, 5, 5), newText: 'copyinstr(${1:addr})' });
      assert.equal(find(items, 'copyinstr').insertTextFormat, 2);
      assert.equal(find(items, 'copyinstr').detail, 'string copyinstr(uintptr_t addr, [size_t maxlen])');
      assert.equal(find(items, 'rand').textEdit.newText, 'rand()');
      assert.equal(find(items, 'printf').textEdit.newText, 'printf(${1:format})');
      assert.equal(find(items, 'lquantize').textEdit.newText, 'lquantize(${1:value}, ${2:low}, ${3:high})');
      assert.equal(find(items, 'gcount').detail, 'int');
    });

    it('replaces the word being typed', async () => {
      const items = await typing('\tx = exec');
      assert.deepEqual(find(items, 'execname').textEdit, { range: span(9, 5, 9), newText: 'execname' });
    });

    it('offers the thread-locals in use after self->, typed from the last version that compiled', async () => {
      const items = await typing('\ty = self->');
      assert.deepEqual(labels(items), ['fd', 'ts']);
      assert.deepEqual(find(items, 'ts'), { label: 'ts', kind: 5, detail: 'uint64_t', sortText: '0ts', textEdit: { range: span(9, 11, 11), newText: 'ts' } });
    });

    it("offers the clause's own clause-locals first after this->", async () => {
      const items = await typing('\ty = this->');
      assert.deepEqual(labels(items), ['len', 'other']);
      assert.equal(find(items, 'len').sortText, '0len');
      assert.equal(find(items, 'other').sortText, '1other');
    });

    it('offers aggregation names after @', async () => {
      const items = await typing('\t@');
      assert.deepEqual(labels(items), ['@bytes', '@starts']);
      assert.deepEqual(find(items, '@bytes'), { label: '@bytes', kind: 6, detail: '@bytes[string] = sum(value)', textEdit: { range: span(9, 1, 2), newText: '@bytes' } });
    });

    it('offers the members of a typed args[N] after ->', async () => {
      const items = await typing('\tq = args[0]->');
      assert.deepEqual(items.map((i) => [i.label, i.detail, i.kind]), [['d_x', 'int', 5], ['d_name', 'char *', 5]]);
      assert.deepEqual(find(items, 'd_name').textEdit, { range: span(9, 14, 14), newText: 'd_name' });
    });

    it('offers members after a variable, a cast or a dereference', async () => {
      assert.deepEqual(labels(await typing('\tq = p->d')), ['d_name', 'd_x']);
      assert.deepEqual(labels(await typing('\tq = ((struct demo *)arg0)->')), ['d_name', 'd_x']);
      assert.deepEqual(labels(await typing('\tq = (*p).')), ['d_name', 'd_x']);
      assert.deepEqual(await typing('\tq = gcount->'), [], 'an int has no members');
    });

    it('offers type names where a cast may start', async () => {
      const items = await typing('\tq = (uint');
      assert.deepEqual(find(items, 'uint64_t'), { label: 'uint64_t', kind: 25, detail: 'type', sortText: '6uint64_t', textEdit: { range: span(9, 6, 10), newText: 'uint64_t' } });
      find(items, 'unsigned');
      assert.equal((await typing('\tq = uint')).some((i) => i.label === 'uint64_t'), false, 'not after =');
    });

    it('offers macro variables after $', async () => {
      const items = await typing('\tq = $');
      for (const name of ['$1', '$9', '$target', '$pid']) find(items, name);
      assert.deepEqual(find(items, '$target').textEdit, { range: span(9, 5, 6), newText: '$target' });
    });

    it('completes the value of a top-level inline as an expression, not a probe description', async () => {
      const items = await completeIn(`${BASE}inline uint64_t NOW = time`, 15);
      assert.deepEqual(find(items, 'timestamp').textEdit, { range: span(15, 22, 26), newText: 'timestamp' });
      assert.equal(items.some((i) => i.label === 'dtrace'), false);
    });

    it('offers nothing in a comment', async () => {
      assert.deepEqual(await typing('\t/* self->'), []);
      assert.deepEqual(await typing('\t// exec'), []);
    });
  });

  describe('#pragma D option', () => {
    it('offers option names with their documentation', async () => {
      const items = await completeIn(`#pragma D option buf\n${BASE}`, 0);
      for (const name of ['bufsize', 'bufpolicy', 'bufresize', 'quiet', 'strsize']) find(items, name);
      assert.deepEqual(find(items, 'bufsize').textEdit, { range: span(0, 17, 20), newText: 'bufsize' });
      assert.equal(find(items, 'bufsize').detail, `size option, default 4m (set by dtrace(1); 12m on i386)`);
    });

    it('offers the values an option takes', async () => {
      assert.deepEqual(labels(await completeIn(`#pragma D option bufpolicy=\n${BASE}`, 0)), ['fill', 'ring', 'switch']);
      assert.deepEqual(
        (await completeIn(`#pragma D option strsize=1\n${BASE}`, 0)).map((i) => i.label),
        ['256', '1k', '64k', '1m', '4m', '16m', '64m'],
      );
      assert.deepEqual(find(await completeIn(`#pragma D option strsize=1\n${BASE}`, 0), '1k').textEdit, { range: span(0, 25, 26), newText: '1k' });
    });

    it('offers the pragma words after #pragma D', async () => {
      assert.deepEqual(labels(await completeIn(`#pragma D \n${BASE}`, 0)), ['attributes', 'binding', 'depends_on', 'option']);
    });
  });

  describe('printf conversions', () => {
    it('offers conversions after % in a format string', async () => {
      const items = await typing('\tprintf("%s: %');
      const d = find(items, '%d');
      assert.deepEqual(d.textEdit, { range: span(9, 14, 14), newText: 'd' });
      assert.equal(d.detail, 'char, short, int, long, or long long');
      for (const name of ['%s', '%x', '%Y', '%k', '%%', '%lld']) find(items, name);
    });

    it('keeps flags and width, and completes a size prefix', async () => {
      const items = await typing('\tprintf("%-8ll');
      assert.deepEqual(labels(items), ['%-8lld', '%-8lli', '%-8llo', '%-8llu', '%-8llx', '%-8llX'].sort());
      assert.deepEqual(find(items, '%-8lld').textEdit, { range: span(9, 12, 14), newText: 'lld' });
    });

    it('offers %@ in printa and nothing in other strings', async () => {
      find(await typing('\tprinta("%s %'), '%@d');
      assert.deepEqual(await typing('\ttrace("%'), []);
      assert.deepEqual(await typing('\tprintf("%d", "%'), []);
    });
  });

  describe('robustness', () => {
    it('answers hover, completion and signature help at every position of a real script, and while each line is typed', async () => {
      const text = readFileSync(join(__dirname, '..', '..', 'examples', 'syscall-count.d'), 'utf8');
      const lines = text.split('\n');
      await client.replace(uri, ++version, text);
      for (let line = 0; line < lines.length; line++)
        for (let character = 0; character <= lines[line]!.length; character += 3) {
          const position = pos(line, character);
          await client.request('textDocument/hover', { textDocument: { uri }, position });
          await client.request('textDocument/completion', { textDocument: { uri }, position });
          await client.request('textDocument/signatureHelp', { textDocument: { uri }, position });
        }
      // Typing: the text up to the middle of each line, the cursor there.
      for (let line = 0; line < lines.length; line++) {
        const half = Math.floor(lines[line]!.length / 2);
        const typed = [...lines.slice(0, line), lines[line]!.slice(0, half)].join('\n');
        await client.replace(uri, ++version, typed);
        const r = await client.request<{ items: unknown[] }>('textDocument/completion', { textDocument: { uri }, position: pos(line, half) });
        assert.ok(Array.isArray(r.items));
      }
    });
  });
});
