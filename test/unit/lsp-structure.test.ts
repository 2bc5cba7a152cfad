// Structure features over the real protocol: document symbols (clauses named by their probe
// descriptions, declarations, inlines, translators, providers), workspace symbols across open
// documents, folding ranges and selection ranges, with exact names and ranges.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DocumentSymbol, FoldingRange, SelectionRange, SymbolInformation } from 'vscode-languageserver-protocol';
import { startLanguageServer, span, type LspClient } from '../support/lspClient';

const SYMBOLS = [
  '#pragma D option quiet',
  'typedef unsigned long long counter_t;',
  'struct stats { int count; char name[16]; } st;',
  'enum color { RED, GREEN = 2 };',
  'int x, *y[4];',
  'inline int LIMIT = 100 * 2;',
  'translator struct stats < int z > { count = z; name = "n"; };',
  'provider myapp { probe start(int, char *); };',
  'syscall::read:entry,',
  'syscall::write:entry',
  '/execname == "ls" &&',
  ' pid > 0/',
  '{',
  '\tx = 1;',
  '}',
  'BEGIN { }',
  '',
].join('\n');

const FOLDING = [
  '#!/usr/sbin/dtrace -s',
  '#pragma D option quiet',
  '#pragma D option switchrate=10hz',
  '',
  '/*',
  ' * Counts reads.',
  ' */',
  'struct stats {',
  '\tint count;',
  '\tchar name[16];',
  '};',
  '',
  '// first',
  '// second',
  'syscall::read:entry',
  '/execname == "ls"/',
  '{',
  '\tif (arg2 > 0) {',
  '\t\t@[probefunc] = count();',
  '\t} else {',
  '\t\ttrace(1);',
  '\t}',
  '}',
  '',
  'END { printa(@); }',
  '',
].join('\n');

/** A symbol reduced to name, kind, detail, ranges and children, for exact comparison. */
type Outline = [string, number, string | undefined, ReturnType<typeof span>, ReturnType<typeof span>, Outline[]?];
const outline = (symbols: DocumentSymbol[]): Outline[] =>
  symbols.map((s) => {
    const o: Outline = [s.name, s.kind, s.detail, s.range as ReturnType<typeof span>, s.selectionRange as ReturnType<typeof span>];
    if (s.children) o.push(outline(s.children));
    return o;
  });

describe('structure features over the language server protocol', () => {
  let client: LspClient;
  before(async () => {
    client = await startLanguageServer();
  });
  after(() => client.stop());

  it('advertises the capabilities', () => {
    const caps = client.initializeResult.capabilities;
    assert.equal(caps.documentSymbolProvider, true);
    assert.equal(caps.workspaceSymbolProvider, true);
    assert.equal(caps.foldingRangeProvider, true);
    assert.equal(caps.selectionRangeProvider, true);
  });

  it('outlines clauses, declarations, inlines, translators and providers', async () => {
    const uri = await client.openNew(SYMBOLS);
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.deepEqual(outline(symbols), [
      ['counter_t', 5, 'typedef unsigned long long', span(1, 0, 37), span(1, 27, 36)],
      ['struct stats', 23, undefined, span(2, 0, 42), span(2, 0, 42), [
        ['count', 8, 'int', span(2, 15, 25), span(2, 19, 24)],
        ['name', 8, 'char [16]', span(2, 26, 40), span(2, 31, 35)],
      ]],
      ['st', 13, 'struct stats', span(2, 0, 46), span(2, 43, 45)],
      ['enum color', 10, undefined, span(3, 0, 29), span(3, 0, 29), [
        ['RED', 22, undefined, span(3, 13, 16), span(3, 13, 16)],
        ['GREEN', 22, undefined, span(3, 18, 27), span(3, 18, 23)],
      ]],
      ['x', 13, 'int', span(4, 4, 5), span(4, 4, 5)],
      ['y', 13, 'int *[4]', span(4, 7, 12), span(4, 8, 9)],
      ['LIMIT', 14, 'inline int = 100 * 2', span(5, 0, 27), span(5, 11, 16)],
      ['translator struct stats < int z >', 11, undefined, span(6, 0, 61), span(6, 11, 23), [
        ['count', 8, 'z', span(6, 36, 46), span(6, 36, 41)],
        ['name', 8, '"n"', span(6, 47, 58), span(6, 47, 51)],
      ]],
      ['provider myapp', 2, undefined, span(7, 0, 45), span(7, 9, 14), [
        ['start', 24, 'probe start(int, char *)', span(7, 17, 42), span(7, 23, 28)],
      ]],
      ['syscall::read:entry, syscall::write:entry', 24, '/execname == "ls" && pid > 0/', span(8, 0, 1, 14), span(8, 0, 20, 9)],
      ['BEGIN', 24, undefined, span(15, 0, 9), span(15, 0, 5)],
    ]);
  });

  it('finds symbols of every open document by a subsequence of their names', async () => {
    const a = await client.open('file:///ws/a.d', 'syscall::read:entry { }\ninline int LIMIT = 1;\n');
    const b = await client.open('file:///ws/b.d', 'syscall::read:return { }\nstruct rec { int limit; };\n');
    const found = await client.request<SymbolInformation[]>('workspace/symbol', { query: 'rdent' });
    assert.deepEqual(
      found.filter((s) => s.location.uri.startsWith('file:///ws/')).map((s) => [s.name, s.kind, s.location.uri, s.location.range]),
      [['syscall::read:entry', 24, a, span(0, 0, 19)]],
    );
    const limits = await client.request<SymbolInformation[]>('workspace/symbol', { query: 'LIMIT' });
    assert.deepEqual(
      limits.filter((s) => s.location.uri.startsWith('file:///ws/')).map((s) => [s.name, s.kind, s.location.uri, s.location.range, s.containerName]),
      [
        ['LIMIT', 14, a, span(1, 11, 16), undefined],
        ['limit', 8, b, span(1, 17, 22), 'struct rec'],
      ],
    );
  });

  it('folds clauses, blocks, struct bodies, comments and runs of control lines', async () => {
    const uri = await client.openNew(FOLDING);
    const ranges = await client.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri } });
    assert.deepEqual(ranges, [
      { startLine: 0, endLine: 2, kind: 'imports' },
      { startLine: 4, endLine: 6, kind: 'comment' },
      { startLine: 7, endLine: 9 },
      { startLine: 12, endLine: 13, kind: 'comment' },
      { startLine: 14, endLine: 21 },
      { startLine: 16, endLine: 21 },
      { startLine: 17, endLine: 18 },
      { startLine: 19, endLine: 20 },
    ]);
  });

  it('widens a selection from a name through its expression, statement, block and clause', async () => {
    const uri = await client.openNew(FOLDING);
    const [sel] = await client.request<SelectionRange[]>('textDocument/selectionRange', { textDocument: { uri }, positions: [{ line: 18, character: 5 }] });
    const chain: unknown[] = [];
    for (let s: SelectionRange | undefined = sel; s; s = s.parent) chain.push(s.range);
    assert.deepEqual(chain, [
      span(18, 4, 13), // probefunc
      span(18, 3, 14), // [probefunc]
      span(18, 2, 14), // @[probefunc]
      span(18, 2, 24), // @[probefunc] = count()
      span(18, 2, 25), // the statement
      span(17, 15, 2, 19), // { ... } of the if
      span(17, 1, 2, 21), // the if statement
      span(16, 0, 1, 22), // the clause body
      span(14, 0, 1, 22), // the clause
      span(0, 0, 0, 25), // the file
    ]);
  });
});
