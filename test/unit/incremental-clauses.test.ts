// The language server's per-clause reuse (server/src/analyze/clauseReuse.ts): a clause whose
// text and lookups are unchanged is replayed from the last compilation instead of checked
// again. After each of hundreds of random edits aimed at what later clauses read (a variable's
// type, declarations in and out, errors in and out, `if`s, inlines, pragmas, macros), the
// incremental analysis must equal a compilation of the same text from scratch: every
// diagnostic, every variable and aggregation with its references, the facts on every node, and
// what hover shows for every symbol; and most clauses must have been replayed.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { createDParser, type Parser } from '../../server/src/parse/dParser';
import { DocumentAnalysis } from '../../server/src/lsp/documentAnalysis';
import { DEFAULT_SETTINGS, requestOf } from '../../server/src/lsp/serverSettings';
import { compileProgram } from '../../server/src/analyze/frontEnd';
import type { AnalyzedDocument } from '../../server/src/lsp/featureContext';
import { SymbolIndex } from '../../server/src/lsp/symbols/symbolIndex';
import { libraryIndex } from '../../server/src/lsp/symbols/library';
import { describeAggregation, describeMember, describeVariable } from '../../server/src/lsp/symbols/describe';
import { generateAnalyzable } from '../../bench/analyze';
import { editSequence, editSites } from '../../bench/lsp';
import { observable } from '../support/compilationObservable';
import { replayEdits } from '../support/editReplay';
import { xorshift, type SeededRandom } from '../support/xorshift';

const FIXTURES = join(__dirname, '..', 'fixtures', 'scripts');

/** Variables typed by their first assignment and read by later clauses, aggregations, an inline, a struct. */
const FLOWS = `#pragma D option quiet
inline int LIMIT = 10;
struct pair { int a; uint64_t b; };
struct pair pr;
int declared_g;

BEGIN
{
	x = 1;
	s = "str";
	self->t = timestamp;
	@counts[probefunc] = count();
}

syscall::read:entry
/x > 0/
{
	self->fd = arg0;
	this->n = x + LIMIT;
	y = s;
	pr.a = 3;
}

syscall::read:return
/self->fd/
{
	@bytes[execname] = sum(arg0);
	self->fd = 0;
	z = y;
	declared_g = x;
}

tick-1s
{
	if (x > 2) {
		x = x + 1;
	} else {
		w = pr.b;
	}
	printf("%d %s\\n", x, s);
}

profile-97
/self->t/
{
	@lat = quantize(timestamp - self->t);
	this->n = 2;
}

tick-5s
{
	k[x, s] = 1;
	trace(k[1, "a"]);
}

END
{
	printa(@counts);
	printa(@bytes);
	trace(z);
	trace(w);
}
`;

/** Replacements aimed at what later clauses read: [where (a pattern), what to put there]. */
const SEMANTIC: [RegExp, string | ((m: string) => string)][] = [
  // A variable's type, as its first assignment fixes it.
  [/x = 1;/g, 'x = "one";'],
  [/s = "str";/g, 's = 2;'],
  [/self->t = timestamp;/g, 'self->t = execname;'],
  [/cnt_(\d+) = 0;/g, 'cnt_$1 = "zero";'],
  [/self->depth_(\d+) = 0;/g, 'self->depth_$1 = (char)0;'],
  [/this->delta = timestamp/g, 'this->delta = (int)timestamp'],
  // Aggregations: another function, other keys.
  [/count\(\)/g, 'sum(1)'],
  [/@counts\[probefunc\]/g, '@counts[probefunc, pid]'],
  [/@calls_(\d+)\[probename, cpu\]/g, '@calls_$1[cpu]'],
  [/quantize\(/g, 'lquantize('],
  // Declarations in and out.
  [/^BEGIN$/gm, 'int x;\nBEGIN'],
  [/^tick-1s$/gm, 'string y;\ntick-1s'],
  [/^tick-(\d+)ms$/gm, 'self int depth_1;\ntick-$1ms'],
  [/^int declared_g;\n/gm, ''],
  [/^struct pair pr;\n/gm, ''],
  // Errors in and out.
  [/x \+ LIMIT/g, 'x + "a"'],
  [/\ty = s;/g, '\ty = s;\n\ttrace(undefined_name);'],
  [/printa\(@counts\)/g, 'printa(@nothing)'],
  [/cnt_(\d+) < LIMIT/g, 'cnt_$1 < "LIMIT"'],
  [/\tst\.count\+\+;/g, '\tst.nothing++;'],
  // `if`s.
  [/\tz = y;/g, '\tif (x) { z = y; } else { z = "no"; }'],
  [/\tst\.total \+= this->delta;/g, '\tif (this->delta > 0) { st.total += this->delta; }'],
  [/\tif \(x > 2\) \{/g, '\tif (s) {'],
  // Inlines and types.
  [/inline int LIMIT = \d+;/g, 'inline string LIMIT = "q";'],
  [/inline int LIMIT = (\d+);/g, 'inline int LIMIT = $1;\ninline int OTHER = 2;'],
  [/struct pair \{ int a;/g, 'struct pair { char *a;'],
  [/struct stats \{ int count;/g, 'struct stats { string count;'],
  // Pragmas.
  [/^#pragma D option quiet$/gm, '#pragma D option quiet\n#pragma D option defaultargs'],
  [/^#pragma D option quiet$/gm, '#pragma D option zdefs'],
  [/^(END|BEGIN)$/gm, '#pragma D option destructive\n$1'],
  // Macros.
  [/= 1;/g, '= $1;'],
  [/LIMIT/g, '$target'],
  [/"str"/g, '$$1'],
  // Clauses in and out.
  [/^END$/gm, 'BEGIN { x = "late"; @lat = count(); }\nEND'],
  [/^tick-5s$/gm, 'syscall::write:entry /x/ { self->fd = "s"; }\ntick-5s'],
];

/** Small edits as typing makes them. */
const PIECES = ['a', '1', ' ', '\n', ';', '}', '{', '"', 'x', '->', '@'];

function randomChange(doc: TextDocument, rnd: SeededRandom): TextDocumentContentChangeEvent {
  const text = doc.getText();
  if (rnd.random() < 0.75) {
    // A semantic edit at one of the places its pattern matches.
    for (let tries = 0; tries < 8; tries++) {
      const [pattern, replacement] = rnd.pick(SEMANTIC);
      const matches = [...text.matchAll(pattern)];
      if (matches.length === 0) continue;
      const m = rnd.pick(matches);
      const replaced = m[0].replace(new RegExp(pattern.source, pattern.flags.replace('g', '')), replacement as string);
      return { range: { start: doc.positionAt(m.index!), end: doc.positionAt(m.index! + m[0].length) }, text: replaced };
    }
  }
  // Otherwise a character or a few typed or deleted anywhere.
  const at = Math.floor(rnd.random() * (text.length + 1));
  const removed = rnd.random() < 0.5 ? 0 : Math.min(text.length - at, 1 + Math.floor(rnd.random() * 2));
  return { range: { start: doc.positionAt(at), end: doc.positionAt(at + removed) }, text: removed > 0 && rnd.random() < 0.5 ? '' : rnd.pick(PIECES) };
}

describe('per-clause reuse equals a fresh compile', () => {
  let parser: Parser;
  before(async () => {
    parser = await createDParser();
  });

  /** What hover shows for every variable, aggregation and member occurrence. */
  function hovers(doc: AnalyzedDocument): string {
    const flavour = doc.result.flavour.name;
    const index = new SymbolIndex(doc, doc.result.firstError ? undefined : doc.result.analysis, libraryIndex(parser, flavour));
    const out: string[] = [];
    for (const o of index.occurrences) {
      const where = `${o.start}:${o.kind}:${o.key}:${o.role}`;
      if (o.kind === 'global' || o.kind === 'thread' || o.kind === 'clause') out.push(`${where} ${describeVariable(index, o)}`);
      else if (o.kind === 'aggregation') out.push(`${where} ${describeAggregation(index, o)}`);
      else if (o.kind === 'member') out.push(`${where} ${describeMember(index, o) ?? ''}`);
      else out.push(where);
    }
    return out.join('\n');
  }

  function assertSame(what: string, got: string, expected: string): void {
    if (got === expected) return;
    let k = 0;
    while (got[k] === expected[k]) k++;
    assert.fail(`${what}: differs at ${k}:\n  incremental ${got.slice(k - 200, k + 200)}\n  fresh       ${expected.slice(k - 200, k + 200)}`);
  }

  /** Random edits (each undone half the time), comparing after each; the clauses replayed and checked. */
  function run(uri: string, start: string, seed: number, edits: number): { compared: number; replayed: number; checked: number } {
    const rnd = xorshift(seed);
    const docs = new DocumentAnalysis(parser, () => DEFAULT_SETTINGS, (s) => requestOf(s).request);
    const totals = { compared: 0, replayed: 0, checked: 0 };
    const check = (what: string, doc: TextDocument): void => {
      const got = docs.analysis(uri)!.doc;
      assert.equal(got.version, doc.version);
      const text = doc.getText();
      const tree = docs.compiledTree(uri)!;
      const result = compileProgram(parser, { ...requestOf(DEFAULT_SETTINGS).request, text, programName: uri, tree, reuseLibraries: false });
      assertSame(`${uri}: ${what}`, observable(got.result), observable(result));
      const fresh: AnalyzedDocument = { uri, version: got.version, text, tree: got.tree, result };
      assertSame(`${uri}: hovers after ${what}`, hovers(got), hovers(fresh));
      const reuse = docs.reuseOf(uri);
      if (reuse) {
        totals.replayed += reuse.replayed;
        totals.checked += reuse.checked;
      }
      totals.compared++;
    };
    replayEdits({ docs, uri, start, next: (doc) => randomChange(doc, rnd), edits, rnd, check });
    docs.dispose();
    return totals;
  }

  it('over a script whose clauses type variables that later clauses read', () => {
    const got = run('file:///flows.d', FLOWS, 3, 150);
    assert.ok(got.compared > 150, `only ${got.compared} comparisons`);
    assert.ok(got.replayed > 0, 'no clause was replayed');
  });

  it('over the generated benchmark script', () => {
    const got = run('file:///generated.d', generateAnalyzable(400), 7, 80);
    assert.ok(got.replayed > got.checked, `replayed ${got.replayed}, checked ${got.checked}`);
  });

  it("checks only the edited clause over the benchmark's edits", () => {
    const text = generateAnalyzable(400);
    const docs = new DocumentAnalysis(parser, () => DEFAULT_SETTINGS, (s) => requestOf(s).request);
    const uri = 'file:///typing.d';
    docs.open(uri, 1, text);
    docs.analysis(uri);
    let version = 1;
    let before = text;
    for (const e of editSequence(text, editSites(text), 64)) {
      docs.change(uri, ++version, before, [{ range: e.range, text: e.text }], e.after);
      before = e.after;
      docs.analysis(uri);
      const reuse = docs.reuseOf(uri)!;
      // The edit is inside one clause, and changes no variable's type: the others are replayed.
      assert.equal(reuse.checked, 1, `${e.kind} edit: ${JSON.stringify(reuse)}`);
      assert.ok(reuse.replayed > 15, `${e.kind} edit: ${JSON.stringify(reuse)}`);
    }
    docs.dispose();
  });

  for (const [name, seed] of [['common/rt_mysql_queries.d', 11], ['common/decls.d', 13], ['common/clause_locals.d', 17], ['common/malloc_sizes.d', 19]] as const) {
    it(`over ${name}`, (t) => {
      let text: string;
      try {
        text = readFileSync(join(FIXTURES, name), 'utf8');
      } catch {
        t.skip(`no fixture ${name}`);
        return;
      }
      run(`file:///${name}`, text, seed, 40);
    });
  }
});
