// The language server's document pipeline: incremental trees from LSP content changes (UTF-16
// columns, non-ASCII text, CRLF, control lines appearing), diagnostics that never lag behind
// a newer version, settings from initializationOptions and workspace/configuration, and the
// dtrace/flavour notification.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Tree } from 'web-tree-sitter';
import { createDParser, type Parser } from '../../server/src/parse/dParser';
import { blankControlLines, scanControlLines } from '../../server/src/analyze/controlLineLexer';
import { DocumentAnalysis } from '../../server/src/lsp/documentAnalysis';
import { DEFAULT_SETTINGS, requestOf } from '../../server/src/lsp/serverSettings';
import { startLanguageServer, span, type LspClient } from '../support/lspClient';
import { xorshift } from '../support/xorshift';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dtvm } from '../support/runDtvm';
import { scriptFile } from '../support/scripts';
import { DEFAULT_FLAVOUR } from '../../server/src/analyze/flavour/flavours';

/** Every node of a tree with its kind and where it is (offsets and points), in document order. */
function nodesOf(tree: Tree): string {
  const out: string[] = [];
  const c = tree.walk();
  for (;;) {
    out.push(`${c.nodeType} ${c.startIndex}-${c.endIndex} ${c.startPosition.row}:${c.startPosition.column}-${c.endPosition.row}:${c.endPosition.column}`);
    if (c.gotoFirstChild()) continue;
    while (!c.gotoNextSibling()) if (!c.gotoParent()) return (c.delete(), out.join('\n'));
  }
}

describe('incremental trees from content changes', () => {
  let parser: Parser;
  before(async () => {
    parser = await createDParser();
  });

  const analysisOf = () => new DocumentAnalysis(parser, () => DEFAULT_SETTINGS, (s) => requestOf(s).request);

  it('match a fresh parse after random edits over non-ASCII text, CRLF and control lines', () => {
    const start = [
      '#pragma D option quiet\r\n',
      'BEGIN\r\n{\r\n\tx = "é€😀";\r\n\ty = 2;\r\n}\n',
      'syscall::read:entry\n/execname == "ünï"/\n{\n\t@[probefunc] = count();\n}\n',
    ].join('');
    const pieces = ['é', '😀', ' ', '\n', '\r\n', ';', '(', ')', '#', 'x', '"', '/', '{', '}', 'trace(1);', '#pragma D option flowindent\n', '\u2028'];
    const next = xorshift(7).random;
    const docs = analysisOf();
    let doc = TextDocument.create('file:///t.d', 'dtrace', 1, start);
    docs.open(doc.uri, 1, start);
    for (let i = 0; i < 300; i++) {
      const text = doc.getText();
      const a = Math.floor(next() * (text.length + 1));
      const b = Math.min(text.length, a + Math.floor(next() * 4));
      // Never split a surrogate pair: no editor does.
      const safe = (k: number) => (k > 0 && k < text.length && /[\uDC00-\uDFFF]/.test(text[k]!) ? k - 1 : k);
      const [s, e] = [safe(a), safe(b)];
      const changes: TextDocumentContentChangeEvent[] = [
        { range: { start: doc.positionAt(s), end: doc.positionAt(Math.max(s, e)) }, text: pieces[Math.floor(next() * pieces.length)]! },
      ];
      // Sometimes two changes in one notification, the second in the text the first made.
      if (next() < 0.3) changes.push({ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: ' ' });
      const before = doc.getText();
      doc = TextDocument.update(doc, changes, doc.version + 1);
      docs.change(doc.uri, doc.version, before, changes, doc.getText());
      if (i % 3 !== 0) continue;
      const got = docs.analysis(doc.uri)!;
      const fresh = parser.parse(doc.getText())!;
      assert.equal(nodesOf(got.doc.tree), nodesOf(fresh), `edit ${i}: ${JSON.stringify(changes)}`);
      assert.equal(got.doc.version, doc.version);
      fresh.delete();
      // The tree the front end compiled took the same edits: every node where a parse of the blanked text puts it.
      const blanked = blankControlLines(doc.getText(), scanControlLines(doc.getText()));
      const freshBlank = parser.parse(blanked)!;
      assert.equal(nodesOf(docs.compiledTree(doc.uri)!), nodesOf(freshBlank), `edit ${i} (blanked): ${JSON.stringify(changes)}`);
      freshBlank.delete();
    }
    docs.dispose();
  });

  it('keep the compiled tree of a text with control lines in place when typing away from them', () => {
    // Edits that cannot touch a control line: the blanked text's tree takes the same edits
    // (documentAnalysis blankTreeOf) instead of a diff of the whole text; its nodes must be
    // where a parse of the blanked text puts them.
    const clause = (k: number): string => `syscall::read:entry\n/pid == ${k}/\n{\n\tx = ${k};\n\ty = x * 2;\n}\n`;
    const start = '#pragma D option quiet\n' + Array.from({ length: 12 }, (_, k) => clause(k)).join('') + '#define N 4\nEND\n{\n\ttrace(N);\n}\n';
    const pieces = ['1', 'x', ' ', ';', '\n', '\tz = 3;\n', ' + 1', '()', ''];
    const next = xorshift(11).random;
    const docs = analysisOf();
    let doc = TextDocument.create('file:///typing.d', 'dtrace', 1, start);
    docs.open(doc.uri, 1, start);
    for (let i = 0; i < 200; i++) {
      const text = doc.getText();
      // Inside a clause body, after its first tab: never on a control line.
      const bodies = [...text.matchAll(/\{\n\t/g)].map((m) => m.index! + 3);
      const at = bodies[Math.floor(next() * bodies.length)]! + Math.floor(next() * 3);
      const changes: TextDocumentContentChangeEvent[] = [
        { range: { start: doc.positionAt(at), end: doc.positionAt(at + Math.floor(next() * 2)) }, text: pieces[Math.floor(next() * pieces.length)]! },
      ];
      const before = doc.getText();
      doc = TextDocument.update(doc, changes, doc.version + 1);
      docs.change(doc.uri, doc.version, before, changes, doc.getText());
      if (next() < 0.5) continue;
      docs.analysis(doc.uri);
      const blanked = blankControlLines(doc.getText(), scanControlLines(doc.getText()));
      const fresh = parser.parse(blanked)!;
      assert.equal(nodesOf(docs.compiledTree(doc.uri)!), nodesOf(fresh), `edit ${i}: ${JSON.stringify(changes)}`);
      fresh.delete();
    }
    docs.dispose();
  });

  it('re-analyzes when asked after a change, and not otherwise', () => {
    const docs = analysisOf();
    docs.open('file:///u.d', 1, 'BEGIN { x = 1; }\n');
    const first = docs.analysis('file:///u.d')!;
    assert.equal(first.fresh, true);
    assert.equal(docs.analysis('file:///u.d')!.fresh, false);
    docs.change('file:///u.d', 2, 'BEGIN { x = 1; }\n', [{ text: 'BEGIN { x = 2; }\n' }], 'BEGIN { x = 2; }\n');
    const second = docs.analysis('file:///u.d')!;
    assert.equal(second.fresh, true);
    assert.equal(second.doc.version, 2);
    assert.equal(second.doc.text, 'BEGIN { x = 2; }\n');
    docs.dispose();
  });

  it('parse afresh when the changes do not make the text the client sends', () => {
    const docs = analysisOf();
    const uri = 'file:///odd.d';
    const before = 'BEGIN { x = 1; }\nEND { y = 2; }\n';
    docs.open(uri, 1, before);
    docs.analysis(uri)!.doc.tree;
    // The change says `1` became `5`; the text also differs where no change says (same length).
    const after = 'BEGIN { x = 5; }\nEND { y + 2; }\n';
    docs.change(uri, 2, before, [{ range: { start: { line: 0, character: 12 }, end: { line: 0, character: 13 } }, text: '5' }], after);
    const got = docs.analysis(uri)!.doc;
    const fresh = parser.parse(after)!;
    assert.equal(got.text, after);
    assert.equal(got.tree.rootNode.toString(), fresh.rootNode.toString());
    fresh.delete();
    docs.dispose();
  });

  it("parse the text's tree when a feature reads it: an analysis read after newer edits has its own text's", () => {
    // With a control line the front end compiles the blanked text's tree; the text's waits.
    const docs = analysisOf();
    const uri = 'file:///lazy.d';
    const texts = ['#pragma D option quiet\nBEGIN { x = 1; }\n'];
    for (let i = 2; i <= 6; i++) texts.push(texts[i - 2]!.replace(/x = \d+/, `x = ${i}`) + (i % 2 === 0 ? '#define N 3\n' : ''));
    docs.open(uri, 1, texts[0]!);
    const analyses = [docs.analysis(uri)!.doc];
    for (let v = 2; v <= texts.length; v++) {
      docs.change(uri, v, texts[v - 2]!, [{ text: texts[v - 1]! }], texts[v - 1]!);
      analyses.push(docs.analysis(uri)!.doc);
    }
    // The oldest first: each is read after the document moved on, the last one current.
    for (const doc of [analyses[1]!, analyses[0]!, analyses[4]!, analyses[5]!]) {
      const fresh = parser.parse(doc.text)!;
      assert.equal(doc.tree.rootNode.toString(), fresh.rootNode.toString(), `version ${doc.version}`);
      assert.equal(doc.tree.rootNode.text, doc.text);
      fresh.delete();
    }
    docs.dispose();
  });
});

describe('diagnostics over the protocol', () => {
  let client: LspClient;
  before(async () => {
    client = await startLanguageServer();
  });
  after(() => client.stop());

  it('place errors after non-ASCII text in UTF-16 columns, and follow incremental edits', async () => {
    const uri = await client.openNew('BEGIN\n{\n\tx = "é€😀"; y = (2;\n}\n');
    const d = await client.diagnostics(uri, 1);
    // The `;` after `(2` is at UTF-16 column 19 (😀 is two code units; 18 UTF-8 bytes would be 24).
    assert.deepEqual(d.map((x) => [x.message, x.range]), [['expected `)`', span(2, 19, 19)]]);
    await client.change(uri, 2, [{ range: span(2, 19, 19), text: ')' }]);
    assert.deepEqual(await client.diagnostics(uri, 2), []);
    await client.change(uri, 3, [{ range: span(2, 7, 8), text: '' }]);
    assert.deepEqual(await client.diagnostics(uri, 3), []);
    await client.change(uri, 4, [{ range: span(2, 18, 19), text: '' }]);
    assert.deepEqual((await client.diagnostics(uri, 4)).map((x) => [x.message, x.range]), [['expected `)`', span(2, 18, 18)]]);
  });

  it('never publish a version older than one already published, and end on the last version', async () => {
    const uri = await client.openNew('BEGIN\n{\n\tx = 1; \n}\n');
    await client.diagnostics(uri, 1);
    // 60 edits sent at once: typing `y = x + 1;` then deleting it, over and over.
    let version = 1;
    const typed = 'y = (x + 1;';
    for (let round = 0; round < 6; round++) {
      for (let i = 0; i < typed.length - 1; i++) await client.change(uri, ++version, [{ range: span(2, 8 + i, 8 + i), text: typed[i]! }]);
      await client.change(uri, ++version, [{ range: span(2, 8, 8 + typed.length - 1), text: '' }]);
    }
    await client.change(uri, ++version, [{ range: span(2, 8, 8), text: 'z = (2;' }]);
    const last = await client.diagnostics(uri, version);
    assert.deepEqual(last.map((x) => [x.message, x.range]), [['expected `)`', span(2, 14, 14)]]);
    const versions = client.published.filter((p) => p.uri === uri).map((p) => p.version!);
    for (let i = 1; i < versions.length; i++) assert.ok(versions[i]! > versions[i - 1]!, `published ${versions.join(',')}`);
    assert.equal(versions.at(-1), version);
  });

  it('report the lexical errors DTrace stops at, which the grammar accepts, as the command line does', async () => {
    const octal = await client.openNew('BEGIN\n{\n\tx = 08;\n}\n');
    assert.deepEqual(
      (await client.diagnostics(octal, 1)).map((x) => [x.code, x.message, x.range]),
      [['D_INT_DIGIT', 'constant 08 contains invalid digit 8', span(2, 5, 7)]],
    );
    const float = await client.openNew('BEGIN\n{\n\tx = 1.5;\n}\n');
    assert.deepEqual(
      (await client.diagnostics(float, 1)).map((x) => [x.code, x.message, x.range]),
      [['D_SYNTAX', 'floating-point constants are not permitted', span(2, 5, 8)]],
    );
    const cli = await dtvm(['-e', '-s', scriptFile('BEGIN\n{\n\tx = 08;\n}\n')]);
    assert.match(cli.stderr, /line 3: constant 08 contains invalid digit 8\n$/);
  });

  it('sends dtrace/flavour after analysing a document', async () => {
    const uri = await client.openNew('BEGIN\n{\n}\n');
    const notice = await client.notification<{ uri: string; flavour: string; reason: string }>('dtrace/flavour', (p) => p.uri === uri);
    assert.deepEqual(notice, { uri, flavour: DEFAULT_FLAVOUR, reason: 'default' });
  });
});

describe('settings', () => {
  const script = 'BEGIN\n{\n\ttrace($1);\n}\n';

  it('take macro arguments and a flavour from initializationOptions', async () => {
    const client = await startLanguageServer({ initializationOptions: { dtrace: { macroArguments: ['42'], flavour: 'freebsd' } }, capabilities: {} });
    try {
      const uri = await client.openNew(script);
      assert.deepEqual(await client.diagnostics(uri, 1), []);
      const notice = await client.notification<{ uri: string; flavour: string; reason: string }>('dtrace/flavour', (p) => p.uri === uri);
      assert.deepEqual(notice, { uri, flavour: 'freebsd', reason: 'setting' });
    } finally {
      await client.stop();
    }
  });

  it('come from workspace/configuration and are re-read when they change', async () => {
    const client = await startLanguageServer({ settings: {} });
    try {
      const uri = await client.openNew(script);
      const missing = await client.diagnostics(uri, 1);
      assert.deepEqual(missing.map((x) => [x.code, x.message, x.range]), [['D_MACRO_UNDEF', 'macro argument $1 is not defined', span(2, 7, 9)]]);
      await client.changeSettings({ macroArguments: ['7'] });
      assert.deepEqual(await client.diagnostics(uri), []);
      // Options as `-x` sets them: destructive actions allowed. (Unused macro arguments are
      // an error, as on dtrace's command line.)
      await client.changeSettings({});
      await client.diagnostics(uri);
      const stop = await client.openNew('BEGIN\n{\n\tstop();\n}\n');
      assert.deepEqual((await client.diagnostics(stop, 1)).map((x) => x.code), ['D_DESTRUCTIVE']);
      await client.changeSettings({ options: { destructive: true } });
      assert.deepEqual(await client.diagnostics(stop), []);
      // A provider file adds its probes, with typed arguments.
      const probes = await client.openNew('myprov::read:entry\n{\n\ttrace(args[0] + 1);\n}\n');
      assert.deepEqual((await client.diagnostics(probes, 1)).map((x) => [x.code, x.severity]), [['D_PDESC_ZERO', 2]]);
      const file = join(mkdtempSync(join(tmpdir(), 'dtrace-providers-')), 'myprov.json');
      writeFileSync(file, JSON.stringify({ providers: [{ name: 'myprov', probes: [{ module: '', function: 'read', name: 'entry', args: ['int'] }] }] }));
      await client.changeSettings({ providerFiles: [file] });
      assert.deepEqual(await client.diagnostics(probes), []);
      await client.changeSettings({ options: { nosuchoption: 'x' } });
      const message = await client.notification<{ type: number; message: string }>('window/showMessage', (p) => p.message.includes('nosuchoption'));
      assert.deepEqual(message, { type: 2, message: 'dtrace.options: nosuchoption=x: Invalid option name' });
    } finally {
      await client.stop();
    }
  });
});
