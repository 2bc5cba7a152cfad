// The language server's incremental analysis (reused tree copies, ASTs, library state...)
// against a fresh compile: after every one of hundreds of random small edits to realistic
// scripts, the document's analysis must equal what compiling its text from scratch gives —
// the AST with every span, the syntax and lexical errors, every diagnostic, the flavour.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { createDParser, type Parser, type Tree } from '../../server/src/parse/dParser';
import { DocumentAnalysis } from '../../server/src/lsp/documentAnalysis';
import { DEFAULT_SETTINGS, requestOf } from '../../server/src/lsp/serverSettings';
import { compileProgram, type FrontEndResult } from '../../server/src/analyze/frontEnd';
import { generateAnalyzable } from '../../bench/analyze';
import { xorshift, type SeededRandom } from '../support/xorshift';

const SCRIPTS = join(__dirname, '..', 'fixtures', 'scripts');

function scripts(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...scripts(path));
    else if (name.endsWith('.d')) out.push(path);
  }
  return out;
}

/** Everything a face reads of a compilation, as text (spans included). */
function observable(r: FrontEndResult): string {
  return JSON.stringify({
    program: r.program,
    syntaxErrors: r.syntaxErrors,
    firstError: r.firstError,
    flavour: r.flavour,
    diagnostics: r.analysis?.diagnostics.map((d) => ({ ...d, located: r.analysis!.locate(d) })),
    clauses: r.analysis?.clauses.map((c) => ({ descriptions: c.descriptions, probes: c.probes.length })),
  });
}

/** Small edits as typing makes them: a character in, a few out, one replaced. */
const PIECES = ['a', '1', '9', ' ', '\n', ';', '}', '{', '(', ')', '"', '/', '*', '#', '@', '->', 'x = 1;', '\t'];

function randomChange(doc: TextDocument, rnd: SeededRandom): TextDocumentContentChangeEvent {
  const text = doc.getText();
  // Half the time a digit changed in place (the text around keeps its positions).
  const digits = [...text.matchAll(/[0-9]/g)];
  if (digits.length > 0 && rnd.random() < 0.5) {
    const at = rnd.pick(digits).index;
    return { range: { start: doc.positionAt(at), end: doc.positionAt(at + 1) }, text: rnd.pick(['0', '3', '7']) };
  }
  const at = Math.floor(rnd.random() * (text.length + 1));
  const kind = rnd.random();
  const removed = kind < 0.4 ? 0 : Math.min(text.length - at, 1 + Math.floor(rnd.random() * 3));
  const inserted = kind >= 0.4 && kind < 0.6 ? '' : rnd.pick(PIECES);
  return { range: { start: doc.positionAt(at), end: doc.positionAt(at + removed) }, text: inserted };
}

/** The change that undoes `change` (applied to `before`, giving `after`). */
function undo(before: string, after: TextDocument, change: TextDocumentContentChangeEvent): TextDocumentContentChangeEvent {
  if (!('range' in change)) throw new Error('full-text change');
  const start = after.offsetAt(change.range.start);
  const doc = TextDocument.create('file:///b.d', 'dtrace', 0, before);
  const removed = before.slice(start, doc.offsetAt(change.range.end));
  return { range: { start: change.range.start, end: after.positionAt(start + change.text.length) }, text: removed };
}

describe('incremental analysis equals a fresh compile', () => {
  let parser: Parser;
  before(async () => {
    parser = await createDParser();
  });

  // The same syntax tree, compiled with nothing reused. (tree-sitter's incremental re-parse
  // may recover from a syntax error differently than a parse from scratch: that is the
  // parser's business, not what this test is about.)
  const fresh = (text: string, uri: string, tree: Tree): string =>
    observable(compileProgram(parser, { ...requestOf(DEFAULT_SETTINGS).request, text, programName: uri, tree, reuseLibraries: false }));

  /** Applies `edits` random edits (each followed by its undo half the time), comparing after each. */
  function run(uri: string, start: string, rnd: SeededRandom, edits: number): number {
    const docs = new DocumentAnalysis(parser, () => DEFAULT_SETTINGS, (s) => requestOf(s).request);
    let doc = TextDocument.create(uri, 'dtrace', 1, start);
    docs.open(uri, 1, start);
    let compared = 0;
    const check = (what: string): void => {
      const got = docs.analysis(uri)!;
      assert.equal(got.doc.version, doc.version);
      const incremental = observable(got.doc.result);
      const expected = fresh(doc.getText(), uri, docs.compiledTree(uri)!);
      if (incremental !== expected) {
        let k = 0;
        while (incremental[k] === expected[k]) k++;
        assert.fail(`${uri}: ${what}: differs at ${k}:\n  incremental ${incremental.slice(k - 200, k + 200)}\n  fresh       ${expected.slice(k - 200, k + 200)}`);
      }
      compared++;
    };
    check('opened');
    const apply = (change: TextDocumentContentChangeEvent): void => {
      const before = doc.getText();
      doc = TextDocument.update(doc, [change], doc.version + 1);
      docs.change(uri, doc.version, before, [change], doc.getText());
    };
    for (let i = 0; i < edits; i++) {
      const before = doc.getText();
      const change = randomChange(doc, rnd);
      apply(change);
      check(`edit ${i} ${JSON.stringify(change)}`);
      if (rnd.random() < 0.5) {
        apply(undo(before, doc, change));
        assert.equal(doc.getText(), before);
        check(`undo of edit ${i}`);
      }
    }
    docs.dispose();
    return compared;
  }

  it('does not reuse an item whose index and row stay but whose column moves', () => {
    const docs = new DocumentAnalysis(parser, () => DEFAULT_SETTINGS, (s) => requestOf(s).request);
    const uri = 'file:///columns.d';
    const before = 'BEGIN { x = 1; }\n  \nEND { y = 2; }\n';
    docs.open(uri, 1, before);
    docs.analysis(uri);
    // `  \n` becomes `\n  `: END keeps its index and its row, but its column is 2.
    const after = 'BEGIN { x = 1; }\n\n  END { y = 2; }\n';
    docs.change(uri, 2, before, [{ range: { start: { line: 0, character: 16 }, end: { line: 2, character: 0 } }, text: '\n\n  ' }], after);
    const got = docs.analysis(uri)!.doc.result;
    const end = got.program.items[1]!;
    assert.deepEqual([end.span.start, end.span.startIndex], [{ row: 2, column: 2 }, 20]);
    assert.equal(observable(got), fresh(after, uri, docs.compiledTree(uri)!));
    docs.dispose();
  });

  it('over the realistic scripts of test/fixtures/scripts', () => {
    const rnd = xorshift(11);
    const all = scripts(SCRIPTS);
    let compared = 0;
    // Every tenth script, a dozen edits each (and undos): several hundred comparisons.
    for (let i = 0; i < all.length; i += 10) compared += run(`file://${all[i]}`, readFileSync(all[i]!, 'utf8'), rnd, 12);
    assert.ok(compared > 400, `only ${compared} comparisons`);
  });

  it('over a generated script of a thousand lines, digits changed in place and random edits', () => {
    const rnd = xorshift(5);
    run('file:///generated.d', generateAnalyzable(1000), rnd, 40);
  });
});
