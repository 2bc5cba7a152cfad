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
import { compileProgram } from '../../server/src/analyze/frontEnd';
import { generateAnalyzable } from '../../bench/analyze';
import { editSequence, editSites } from '../../bench/lsp';
import { xorshift, type SeededRandom } from '../support/xorshift';
import { observable } from '../support/compilationObservable';
import { replayEdits } from '../support/editReplay';

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

/** Small edits as typing makes them: a character in, a few out, one replaced. */
const PIECES = ['a', '1', '9', ' ', '\n', ';', '}', '{', '(', ')', '"', '/', '*', '#', '@', '->', 'x = 1;', '\t'];

/** Whole lines as typing inserts them: a statement, a blank line, a declaration, a clause. */
const LINES = ['\tx = 1;\n', '\n', 'int g;\n', 'BEGIN { y = 2; }\n', '\tself->d = self->d + 1;\n', '#pragma D option quiet\n', '/* c */\n'];

function randomChange(doc: TextDocument, rnd: SeededRandom): TextDocumentContentChangeEvent {
  const text = doc.getText();
  // A tenth of the time a whole line inserted or deleted: every row after it moves.
  if (rnd.random() < 0.1) {
    const line = Math.floor(rnd.random() * doc.lineCount);
    const start = { line, character: 0 };
    if (rnd.random() < 0.5 || doc.lineCount < 2) return { range: { start, end: start }, text: rnd.pick(LINES) };
    return { range: { start, end: { line: line + 1, character: 0 } }, text: '' };
  }
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
    return replay(uri, start, (doc) => randomChange(doc, rnd), edits, rnd);
  }

  /**
   * Applies the changes `next` makes (each followed by its undo half the time when `rnd` is
   * given), comparing the incremental analysis with a fresh one after each.
   */
  function replay(uri: string, start: string, next: (doc: TextDocument, i: number) => TextDocumentContentChangeEvent | undefined, edits: number, rnd?: SeededRandom): number {
    const docs = new DocumentAnalysis(parser, () => DEFAULT_SETTINGS, (s) => requestOf(s).request);
    let compared = 0;
    const check = (what: string, doc: TextDocument): void => {
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
    replayEdits({ docs, uri, start, next, edits, ...(rnd !== undefined ? { rnd } : {}), check });
    docs.dispose();
    return compared;
  }

  it('compares variables with their ids and types, aggregations and the facts of each node', () => {
    const text = 'BEGIN { x = 1; self->t = timestamp; @n[probefunc] = count(); }\nEND /x > 0/ { y = x + 2; }\n';
    const seen = JSON.parse(fresh(text, 'file:///seen.d', parser.parse(text)!)) as {
      variables: { name: string; id: number; type: string; references: { clause: number; write: boolean }[] }[][];
      aggregations: { name: string; fn: string; keys: string[] }[];
      facts: { path: string; typed?: { type: string; constant?: string } }[];
    };
    const mine = (vs: (typeof seen.variables)[number]) => vs.filter((v) => v.references.length > 0 && ['x', 'y', 't'].includes(v.name));
    assert.deepEqual(
      seen.variables.map(mine).map((vs) => vs.map((v) => [v.name, v.id, v.type, v.references.map((r) => [r.clause, r.write])])),
      [
        [
          ['x', seen.variables[0]!.find((v) => v.name === 'x')!.id, 'int', [[0, true], [1, false], [1, false]]],
          ['y', seen.variables[0]!.find((v) => v.name === 'x')!.id + 1, 'int', [[1, true]]],
        ],
        [['t', 0x500, 'uint64_t', [[0, true]]]],
        [],
      ],
    );
    assert.deepEqual(seen.aggregations.filter((a) => a.name === '@n').map((a) => [a.fn, a.keys]), [['count', ['string']]]);
    const constants = seen.facts.filter((f) => f.typed?.constant !== undefined).map((f) => f.typed!.constant);
    assert.deepEqual(constants, ['1n', '0n', '2n']);
  });

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

  it('copies the items an inserted or deleted line moves, at their new places', () => {
    const docs = new DocumentAnalysis(parser, () => DEFAULT_SETTINGS, (s) => requestOf(s).request);
    const uri = 'file:///moved.d';
    let text = 'int g;\nBEGIN { x = 1; }\n\ntick-1s /x > 0/ { @n[probefunc] = count(); y = x + 2; }\n\nEND { printa(@n); }\n';
    docs.open(uri, 1, text);
    docs.analysis(uri);
    const edits: [{ line: number; character: number }, { line: number; character: number }, string][] = [
      [{ line: 1, character: 0 }, { line: 1, character: 0 }, 'int h;\n'],
      [{ line: 0, character: 0 }, { line: 1, character: 0 }, ''],
      [{ line: 2, character: 0 }, { line: 2, character: 0 }, '  '],
      [{ line: 0, character: 0 }, { line: 0, character: 0 }, 'BEGIN { z = 3; }\n'],
    ];
    let version = 1;
    for (const [start, end, inserted] of edits) {
      const doc = TextDocument.create(uri, 'dtrace', version, text);
      const after = TextDocument.applyEdits(doc, [{ range: { start, end }, newText: inserted }]);
      docs.change(uri, ++version, text, [{ range: { start, end }, text: inserted }], after);
      text = after;
      const got = docs.analysis(uri)!.doc.result;
      assert.equal(observable(got), fresh(text, uri, docs.compiledTree(uri)!), JSON.stringify(inserted));
      const last = got.program.items[got.program.items.length - 1]!;
      assert.equal(text.slice(last.span.startIndex, last.span.endIndex), 'END { printa(@n); }');
    }
    docs.dispose();
  });

  it('moves the lexical errors of the items an inserted line moves', () => {
    const docs = new DocumentAnalysis(parser, () => DEFAULT_SETTINGS, (s) => requestOf(s).request);
    const uri = 'file:///lexical.d';
    let text = 'BEGIN { x = 1; }\n\nEND { y = 2.5; z = 0x1ffffffffffffffff; }\n';
    docs.open(uri, 1, text);
    assert.equal(docs.analysis(uri)!.doc.result.firstError?.row, 2);
    for (const [version, inserted] of [[2, '\n'], [3, 'int g;\n\n']] as const) {
      const after = inserted + text;
      docs.change(uri, version, text, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: inserted }], after);
      text = after;
      const got = docs.analysis(uri)!.doc.result;
      assert.equal(observable(got), fresh(text, uri, docs.compiledTree(uri)!));
      assert.equal(got.firstError?.index, text.indexOf('2.5'));
    }
    docs.dispose();
  });

  it("keeps each document's node facts its own: another document's compilations do not disturb them", () => {
    const docs = new DocumentAnalysis(parser, () => DEFAULT_SETTINGS, (s) => requestOf(s).request);
    const a = 'file:///a.d';
    const b = 'file:///b.d';
    const textA = 'BEGIN { self->p = curthread; x = errno + NULL; }\nsyscall::read:entry { @r[execname] = sum(arg2); }\n';
    const textB = 'BEGIN { y = curthread->td_tid; z = EINVAL; }\nEND { trace(y); }\n';
    docs.open(a, 1, textA);
    docs.open(b, 1, textB);
    const first = docs.analysis(a)!.doc.result;
    const expectedA = fresh(textA, a, docs.compiledTree(a)!);
    assert.equal(observable(first), expectedA);
    // B's compilations share the D libraries' nodes with A's.
    for (let v = 2; v < 5; v++) {
      const next = textB.replace('EINVAL', v % 2 ? 'EINVAL' : 'ENOENT');
      docs.change(b, v, docs.analysis(b)!.doc.text, [{ text: next }], next);
      assert.equal(observable(docs.analysis(b)!.doc.result), fresh(next, b, docs.compiledTree(b)!));
    }
    // A compilation with nothing reused, of A's own tree, reads the same nodes too.
    fresh(textA, a, docs.compiledTree(a)!);
    assert.equal(observable(docs.analysis(a)!.doc.result), expectedA);
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

  it("over the benchmark's edits: digits in place, blanks and whole lines typed and deleted", () => {
    const text = generateAnalyzable(600);
    const changes = [...editSequence(text, editSites(text), 96)];
    const compared = replay('file:///bench.d', text, (_doc, i) => changes[i] && { range: changes[i]!.range, text: changes[i]!.text }, changes.length);
    assert.equal(compared, 97);
  });

  it('over edits that change what later clauses see: declarations, inlines, pragmas, clauses in and out', () => {
    const start = generateAnalyzable(300);
    // Each edit replaces the first occurrence of a text (and is undone half the time).
    const edits: [string, string][] = [
      ['inline int LIMIT = 100;', 'inline int LIMIT = 0;'],
      ['inline int LIMIT = 100;', 'inline long LIMIT = 1 << 40;'],
      ['inline int LIMIT = 100;', 'inline string LIMIT = "x";'],
      ['struct stats { int count;', 'struct stats { char *count;'],
      ['struct stats { int count;', 'struct stats { int counted;'],
      ['struct stats st;', 'struct stats st; int cnt_1;'],
      ['struct stats st;', 'struct stats st; string cnt_2;'],
      ['struct stats st;', 'struct stats st;\nself string depth_1;'],
      ['#pragma D option quiet', '#pragma D option quiet\n#pragma D option destructive'],
      ['#pragma D option quiet', '#pragma D option defaultargs'],
      ['#pragma D option quiet', '#pragma D option zdefs'],
      ['BEGIN\n{', 'BEGIN\n{\n\tcnt_3 = "s";'],
      ['BEGIN\n{', 'BEGIN\n{\n\t@calls_1[1] = count();'],
      ['BEGIN\n{', 'BEGIN\n{\n\tthis->delta = "x";'],
      ['BEGIN\n{', 'BEGIN\n{\n\tself->depth_2 = (char)1;'],
      ['\ntick-1ms\n', '\ntick-1ms\n{ cnt_0 = 2; }\n\ntick-1ms\n'],
      ['\ntick-2ms\n', '\nBEGIN { @lat_0 = count(); }\ntick-2ms\n'],
      ['\ntick-2ms\n', '\nsyscall::read:entry /arg0 == 0/ { self->depth_1 = arg2; }\ntick-2ms\n'],
    ];
    const rnd = xorshift(17);
    const compared = replay(
      'file:///later.d',
      start,
      (doc, i) => {
        const [from, to] = edits[i % edits.length]!;
        const text = doc.getText();
        const at = text.indexOf(from);
        if (at < 0) return { range: { start: doc.positionAt(0), end: doc.positionAt(0) }, text: '\n' };
        return { range: { start: doc.positionAt(at), end: doc.positionAt(at + from.length) }, text: to };
      },
      edits.length * 2,
      rnd,
    );
    assert.ok(compared > edits.length * 2, `only ${compared} comparisons`);
  });

  it('over a generated script of a thousand lines, digits changed in place and random edits', () => {
    const rnd = xorshift(5);
    run('file:///generated.d', generateAnalyzable(1000), rnd, 40);
  });
});
