// Rename over the real protocol: globals across clauses, thread-locals, clause-locals within
// their clause, aggregations (the `@` stays), inlines, typedefs, tags; the prefix a user may
// type (`self->`, `this->`, `@`) is accepted. Refused with a clear message where the program
// would change meaning: built-ins, library names, probe descriptions, macros, invalid
// identifiers, keywords, and names already taken.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startLanguageServer, pos, span, type LspClient } from '../support/lspClient';

const SCRIPT = [
  'inline int LIMIT = 10;', // 0
  'typedef struct pair { int a; int b; } pair_t;', // 1
  'self int depth;', // 2
  'BEGIN', // 3
  '{', // 4
  '\ttotal = 0;', // 5
  '\tself->depth = 1;', // 6
  '\tthis->tmp = LIMIT;', // 7
  '\t@calls[probefunc] = count();', // 8
  '\tp = (pair_t *)alloca(sizeof (struct pair));', // 9
  '\tself->other = 2;', // 10
  '}', // 11
  'tick-1s', // 12
  '/total < LIMIT/', // 13
  '{', // 14
  '\ttotal++;', // 15
  '\tthis->tmp = total * 2;', // 16
  '\tthis->spare = $1;', // 17
  '\tself->depth = this->tmp + this->spare;', // 18
  '\tprinta(@calls);', // 19
  '\tx = DTRACEFLT_UNKNOWN + execname[0];', // 20
  '}', // 21
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

type Edit = { range: ReturnType<typeof span>; newText: string };

async function rename(line: number, character: number, newName: string): Promise<Edit[]> {
  const r = await client.request<{ changes: Record<string, Edit[]> }>('textDocument/rename', { textDocument: { uri }, position: pos(line, character), newName });
  assert.deepEqual(Object.keys(r.changes), [uri]);
  return r.changes[uri]!;
}

async function refused(line: number, character: number, newName: string): Promise<string> {
  try {
    await client.request('textDocument/rename', { textDocument: { uri }, position: pos(line, character), newName });
  } catch (e) {
    return (e as Error).message;
  }
  assert.fail(`renaming to ${newName} was not refused`);
}

const edits = (newText: string, ...ranges: ReturnType<typeof span>[]): Edit[] => ranges.map((range) => ({ range, newText }));

describe('rename over the language server protocol', () => {
  before(async () => {
    client = await startLanguageServer({ settings: { flavour: 'freebsd', macroArguments: ['1'] } });
    uri = await client.openNew(SCRIPT);
    assert.deepEqual((await client.diagnostics(uri)).filter((d) => d.severity === 1), []);
  });
  after(() => client.stop());

  it('prepares a rename with the range and text of the name (an aggregation without its @)', async () => {
    assert.deepEqual(await client.request('textDocument/prepareRename', { textDocument: { uri }, position: pos(15, col(15, 'total')) }), {
      range: word(15, 'total'),
      placeholder: 'total',
    });
    assert.deepEqual(await client.request('textDocument/prepareRename', { textDocument: { uri }, position: pos(19, col(19, '@calls')) }), {
      range: word(19, 'calls'),
      placeholder: 'calls',
    });
  });

  it('renames a global in every clause and predicate', async () => {
    assert.deepEqual(await rename(15, col(15, 'total'), 'grand'), edits('grand', word(5, 'total'), word(13, 'total'), word(15, 'total'), word(16, 'total')));
  });

  it('renames a thread-local with its declaration, accepting a self-> prefix', async () => {
    assert.deepEqual(await rename(18, col(18, 'depth'), 'self->level'), edits('level', word(2, 'depth'), word(6, 'depth'), word(18, 'depth')));
  });

  it('renames a clause-local in its own clause only', async () => {
    assert.deepEqual(await rename(18, col(18, 'tmp'), 'this->twice'), edits('twice', word(16, 'tmp'), word(18, 'tmp')));
    assert.deepEqual(await rename(7, col(7, 'tmp'), 'spare'), edits('spare', word(7, 'tmp')), 'spare is used in another clause only');
  });

  it('renames an aggregation, keeping its @', async () => {
    assert.deepEqual(await rename(8, col(8, '@calls') + 2, '@hits'), edits('hits', word(8, 'calls'), word(19, 'calls')));
  });

  it('renames inlines, typedefs and tags', async () => {
    assert.deepEqual(await rename(0, col(0, 'LIMIT'), 'MAX'), edits('MAX', word(0, 'LIMIT'), word(7, 'LIMIT'), word(13, 'LIMIT')));
    assert.deepEqual(await rename(9, col(9, 'pair_t'), 'couple_t'), edits('couple_t', word(1, 'pair_t'), word(9, 'pair_t')));
    assert.deepEqual(await rename(9, col(9, 'pair)'), 'couple'), edits('couple', word(1, 'pair'), word(9, 'pair', 2)));
  });

  it('returns no edits when the name does not change', async () => {
    assert.deepEqual(await rename(5, col(5, 'total'), 'total'), []);
  });

  it('refuses to rename built-ins, library names, probe descriptions and macros', async () => {
    assert.match(await refused(8, col(8, 'probefunc'), 'pf'), /`probefunc` is a built-in variable: it cannot be renamed\./);
    assert.match(await refused(8, col(8, 'count'), 'tally'), /`count` is a built-in aggregating function: it cannot be renamed\./);
    assert.match(await refused(19, col(19, 'printa'), 'p'), /`printa` is a built-in action: it cannot be renamed\./);
    assert.match(await refused(20, col(20, 'DTRACEFLT_UNKNOWN'), 'UNKNOWN'), /`DTRACEFLT_UNKNOWN` is defined in the D library file unistd\.d: it cannot be renamed here\./);
    assert.match(await refused(12, 2, 'tick-2s'), /Probe descriptions name probes of the system: they cannot be renamed\./);
    assert.match(await refused(17, col(17, '$1'), 'arg'), /`\$1` is a macro variable: it cannot be renamed\./);
    assert.match(await refused(11, 0, 'x'), /There is no symbol to rename here\./);
  });

  it('refuses invalid identifiers and keywords', async () => {
    assert.match(await refused(5, col(5, 'total'), '1st'), /`1st` is not a valid D identifier\./);
    assert.match(await refused(5, col(5, 'total'), 'my-total'), /`my-total` is not a valid D identifier\./);
    assert.match(await refused(5, col(5, 'total'), 'int'), /`int` is a D keyword\./);
  });

  it('refuses names that are already taken', async () => {
    assert.match(await refused(5, col(5, 'total'), 'execname'), /Cannot rename global variable `total` to `execname`: execname is a built-in variable\./);
    assert.match(await refused(5, col(5, 'total'), 'LIMIT'), /Cannot rename global variable `total` to `LIMIT`: LIMIT is already an inline\./);
    assert.match(await refused(5, col(5, 'total'), 'x'), /Cannot rename global variable `total` to `x`: x is already a global variable\./);
    assert.match(await refused(5, col(5, 'total'), 'pair_t'), /Cannot rename global variable `total` to `pair_t`: pair_t is already a type name\./);
    assert.match(await refused(5, col(5, 'total'), 'strlen'), /Cannot rename global variable `total` to `strlen`: strlen is a built-in subroutine\./);
    assert.match(await refused(6, col(6, 'depth'), 'other'), /Cannot rename thread-local variable `self->depth` to `other`: thread-local variable self->other already exists\./);
    assert.match(await refused(16, col(16, 'tmp'), 'spare'), /Cannot rename clause-local variable `this->tmp` to `spare`: clause-local variable this->spare already exists in this clause\./);
    assert.match(await refused(0, col(0, 'LIMIT'), 'total'), /Cannot rename inline `LIMIT` to `total`: total is already a global variable\./);
  });
});
