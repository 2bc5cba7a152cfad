// An editor session compiles a document after every edit; each compilation replaces the one
// before. Whatever the next one reuses (clause records, facts left on AST nodes, deferred facts
// nobody read) must not keep the old compilations alive: over hundreds of edits, only a bounded
// number of them may still be reachable, or the server's heap grows with every keystroke.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createDParser, type Parser } from '../../server/src/parse/dParser';
import { DocumentAnalysis } from '../../server/src/lsp/documentAnalysis';
import { DEFAULT_SETTINGS, requestOf } from '../../server/src/lsp/serverSettings';
import { generateAnalyzable } from '../../bench/analyze';
import { editSequence, editSites } from '../../bench/lsp';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let parser: Parser;
before(async () => {
  parser = await createDParser();
});

describe('old compilations of an edited document', () => {
  it('are let go: a bounded number stays reachable however many edits are made', async () => {
    const docs = new DocumentAnalysis(parser, () => DEFAULT_SETTINGS, (s) => requestOf(s).request);
    const uri = 'file:///retention.d';
    const text = generateAnalyzable(1500);
    docs.open(uri, 1, text);
    docs.analysis(uri);
    const compilations: WeakRef<object>[] = [];
    const variables: WeakRef<object>[] = [];
    let current = text;
    let version = 1;
    // The benchmark's edits (digits, blanks, whole lines), diagnostics only: nothing reads the facts.
    for (const e of editSequence(text, editSites(text), 240)) {
      docs.change(uri, ++version, current, [{ range: e.range, text: e.text }], e.after);
      current = e.after;
      // The compilation and one of its variables (facts left on the nodes name variables).
      const c = docs.analysis(uri)!.doc.result.analysis!.compilation;
      compilations.push(new WeakRef(c));
      variables.push(new WeakRef(c.globals.get('st')!));
    }
    // Finalization is asynchronous: collect, let the weak references clear, collect again.
    for (let k = 0; k < 3; k++) {
      gc();
      await new Promise((r) => setImmediate(r));
    }
    const alive = (refs: WeakRef<object>[]): number => refs.filter((w) => w.deref() !== undefined).length;
    // The compilations' objects go at once; their variables, which facts nobody read still name,
    // within the sixteen compilations clauseReuse takes to write every deferred fact again.
    assert.ok(alive(compilations) <= 2, `${alive(compilations)} of ${compilations.length} compilations are still reachable`);
    assert.ok(alive(variables) <= 20, `${alive(variables)} of ${variables.length} compilations' variables are still reachable`);
    docs.dispose();
  });
});
