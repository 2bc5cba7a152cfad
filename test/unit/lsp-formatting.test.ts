// The D formatter: over the protocol (whole document, range, editor options, CRLF, syntax
// errors), and over every script of the corpus: formatting never changes a token or the syntax
// tree, never introduces an error, and formatting twice changes nothing.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TextEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createDParser, type Node, type Parser, type Tree } from '../../server/src/parse/dParser';
import { plainTree } from '../../server/src/parse/plainTree';
import { buildAst } from '../../server/src/parse/buildAst';
import { formatD } from '../../server/src/format/formatD';
import { startLanguageServer, span, type LspClient } from '../support/lspClient';

const MESSY = [
  '#pragma D option quiet',
  'inline int LIMIT=10;',
  'syscall::read:entry,syscall::write:entry/pid==$target&&arg2>LIMIT/{@bytes[probefunc]=sum(arg2);self->ts=timestamp;}',
  'syscall::read:return',
  '/self->ts/',
  '{',
  '    if(arg0<0){@errors[probefunc]=count();}else{@lat=quantize(timestamp-self->ts);}',
  '  self->ts=0;   // done',
  '}',
  'END{printa("%s %@d\\n",@bytes);}',
  '',
].join('\n');

const FORMATTED = [
  '#pragma D option quiet',
  'inline int LIMIT = 10;',
  '',
  'syscall::read:entry,',
  'syscall::write:entry',
  '/pid == $target && arg2 > LIMIT/',
  '{',
  '\t@bytes[probefunc] = sum(arg2);',
  '\tself->ts = timestamp;',
  '}',
  '',
  'syscall::read:return',
  '/self->ts/',
  '{',
  '\tif (arg0 < 0) {',
  '\t\t@errors[probefunc] = count();',
  '\t} else {',
  '\t\t@lat = quantize(timestamp - self->ts);',
  '\t}',
  '\tself->ts = 0; // done',
  '}',
  '',
  'END',
  '{',
  '\tprinta("%s %@d\\n", @bytes);',
  '}',
  '',
].join('\n');

const apply = (text: string, edits: TextEdit[]): string => TextDocument.applyEdits(TextDocument.create('file:///x.d', 'dtrace', 1, text), edits);
const TABS = { tabSize: 8, insertSpaces: false };

describe('formatting over the language server protocol', () => {
  let client: LspClient;
  before(async () => {
    client = await startLanguageServer();
  });
  after(() => client.stop());

  it('formats a whole document in the style of DTrace examples', async () => {
    const uri = await client.openNew(MESSY);
    const edits = await client.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri }, options: TABS });
    assert.equal(apply(MESSY, edits), FORMATTED);
    // One edit, without the unchanged first line.
    assert.equal(edits.length, 1);
    assert.deepEqual(edits[0]!.range.start, { line: 1, character: 16 });
  });

  it('changes nothing in a formatted document', async () => {
    const uri = await client.openNew(FORMATTED);
    assert.deepEqual(await client.request('textDocument/formatting', { textDocument: { uri }, options: TABS }), []);
  });

  it('indents with spaces when the editor asks for them', async () => {
    const uri = await client.openNew('BEGIN{if(x){y=1;}}\n');
    const edits = await client.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 4, insertSpaces: true } });
    assert.equal(apply('BEGIN{if(x){y=1;}}\n', edits), 'BEGIN\n{\n    if (x) {\n        y = 1;\n    }\n}\n');
  });

  it('keeps CRLF line ends', async () => {
    const text = 'BEGIN\r\n{\r\n  x=1; // one\r\n}\r\n';
    const uri = await client.openNew(text);
    const edits = await client.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri }, options: TABS });
    assert.equal(apply(text, edits), 'BEGIN\r\n{\r\n\tx = 1; // one\r\n}\r\n');
  });

  it('formats only the top-level items a range touches', async () => {
    const uri = await client.openNew(MESSY);
    // A range inside the second clause (lines 3-8).
    const edits = await client.request<TextEdit[]>('textDocument/rangeFormatting', { textDocument: { uri }, range: span(6, 4, 10), options: TABS });
    const lines = MESSY.split('\n');
    const expected = [
      ...lines.slice(0, 3),
      'syscall::read:return',
      '/self->ts/',
      '{',
      '\tif (arg0 < 0) {',
      '\t\t@errors[probefunc] = count();',
      '\t} else {',
      '\t\t@lat = quantize(timestamp - self->ts);',
      '\t}',
      '\tself->ts = 0; // done',
      '}',
      ...lines.slice(9),
    ].join('\n');
    assert.equal(apply(MESSY, edits), expected);
  });

  it('leaves a document with syntax errors alone', async () => {
    const uri = await client.openNew('BEGIN{x=(1;}\n');
    assert.deepEqual(await client.request('textDocument/formatting', { textDocument: { uri }, options: TABS }), []);
  });
});

describe('formatting the corpus of realistic scripts', () => {
  let parser: Parser;
  before(async () => {
    parser = await createDParser();
  });

  /** Leaves and whole literals and comments (trailing blanks aside), in order. */
  const tokens = (n: Node, out: string[] = []): string[] => {
    if (n.childCount === 0 || n.type === 'string_literal' || n.type === 'comment') out.push(`${n.type} ${n.text.replace(/[ \t\r]+$/gm, '').trimEnd()}`);
    else for (let c = n.firstChild; c; c = c.nextSibling) tokens(c, out);
    return out;
  };

  /** The AST without positions: what the later stages read. */
  const ast = (tree: Tree, text: string): string =>
    JSON.stringify(buildAst(plainTree(tree, text), text), (key, value: unknown) => (key === 'span' || key.endsWith('Span') ? undefined : value));

  /** Formats every `.d` file under `root`; returns the files refused and how many changed. */
  const formatCorpus = (root: string): { checked: number; changed: number; refused: string[] } => {
    let checked = 0;
    let changed = 0;
    const refused: string[] = [];
    const visit = (dir: string): void => {
      for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
        const file = dir ? `${dir}/${entry.name}` : entry.name;
        if (entry.isDirectory()) visit(file);
        if (!entry.isFile() || !entry.name.endsWith('.d')) continue;
        const text = readFileSync(join(root, file), 'utf8');
        const tree = parser.parse(text)!;
        const once = formatD(tree, text);
        if (!once) {
          assert.equal(tree.rootNode.hasError, true, `${file}: refused without a syntax error`);
          refused.push(file);
          tree.delete();
          continue;
        }
        const again = parser.parse(once.text)!;
        assert.equal(again.rootNode.hasError, false, `${file}: the formatted text has a syntax error`);
        assert.deepEqual(tokens(again.rootNode), tokens(tree.rootNode), `${file}: tokens changed`);
        assert.equal(again.rootNode.toString(), tree.rootNode.toString(), `${file}: the syntax tree changed`);
        assert.equal(ast(again, once.text), ast(tree, text), `${file}: the AST changed`);
        assert.equal(once.text.replace(/\s+/g, ''), text.replace(/\s+/g, ''), `${file}: characters other than white space changed`);
        assert.equal(formatD(again, once.text)?.text, once.text, `${file}: formatting twice changes it`);
        checked++;
        if (once.text !== text) changed++;
        tree.delete();
        again.delete();
      }
    };
    visit('');
    return { checked, changed, refused };
  };

  it('never changes a token, the tree or the AST of a realistic script, and is stable', () => {
    const root = join(__dirname, '..', 'fixtures', 'scripts');
    const cppOnly = readFileSync(join(root, 'CPP_ONLY'), 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split(/\s+/)[0]!);
    const { checked, changed, refused } = formatCorpus(root);
    // Only the scripts that are D after cpp has run are refused (they do not parse as written).
    assert.deepEqual(refused.sort(), cppOnly.sort());
    // The corpus had 354 scripts when this test was written; it only grows.
    assert.ok(checked + refused.length >= 354, `${checked + refused.length} scripts`);
    // The corpus is mostly in DTrace's style already; the rest (one-line clauses, odd layouts) changes.
    assert.ok(changed > 50 && changed < checked, `${changed} of ${checked} changed`);
  });

  it('never changes a token, the tree or the AST of the front-end conformance corpus', () => {
    // Odd and wrong programs on purpose: every one that parses is formatted and checked.
    const { checked } = formatCorpus(join(__dirname, '..', 'fixtures', 'frontend'));
    assert.ok(checked > 1000, `${checked} formatted`);
  });
});
