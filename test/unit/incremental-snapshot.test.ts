// The D library files read once (analyze/librarySnapshot.ts): compilations that start from the
// same snapshot must not see each other's effects — names, types completed, variables typed
// and referenced, facts about library nodes — and each must equal a compilation that reads
// the libraries itself.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createDParser, type Parser } from '../../server/src/parse/dParser';
import { compileProgram, type FrontEndResult } from '../../server/src/analyze/frontEnd';
import { IncrementalState } from '../../server/src/analyze/incremental';
import { OptionSet } from '../../server/src/analyze/options/optionSet';

/** Everything a face reads of a compilation, as text. */
function observable(r: FrontEndResult): string {
  return JSON.stringify({
    program: r.program,
    firstError: r.firstError,
    flavour: r.flavour,
    diagnostics: r.analysis?.diagnostics.map((d) => ({ ...d, located: r.analysis!.locate(d) })),
  });
}

// A completes a kernel struct the FreeBSD library only points to, types and references
// globals, thread-locals and aggregations, and reads library inlines and enumerators.
const A = [
  'struct pmap { int pm_x; };',
  'BEGIN',
  '{',
  '\ttrace(((struct pmap *)0)->pm_x);',
  '\tx = EPERM;',
  '\tself->t = VREG;',
  '\t@a[DTRACEFLT_BADADDR] = count();',
  '}',
  '',
].join('\n');
// B reads what A defined: in a compilation of its own, each use is an error.
const B = ['BEGIN', '{', '\ttrace(((struct pmap *)0)->pm_x);', '}', 'BEGIN { trace(x); }', 'BEGIN { y = x + 1; }', 'BEGIN { printa(@a); }', ''].join('\n');
// C gives A's names other types.
const C = ['BEGIN', '{', '\tx = "text";', '\tself->t = 1;', '\t@a = sum(EPERM);', '}', ''].join('\n');

describe('compilations from one library snapshot', () => {
  let parser: Parser;
  before(async () => {
    parser = await createDParser();
  });

  const compile = (text: string, incremental?: IncrementalState): FrontEndResult =>
    compileProgram(parser, { text, programName: 'x.d', options: new OptionSet(), flavour: 'freebsd', lenientProviders: true, ...(incremental ? { incremental } : { reuseLibraries: false }) });

  it('equal compilations that read the libraries themselves, in any order', () => {
    const expected = new Map([A, B, C].map((t) => [t, observable(compile(t))]));
    // B's uses of A's names are errors, in a compilation of its own.
    const b = compile(B).analysis!.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
    assert.deepEqual(b, [
      'operator -> cannot be applied to a forward declaration: no struct pmap definition is available',
      'failed to resolve x: Unknown variable name',
      'failed to resolve x: Unknown variable name',
      'failed to resolve @a: Unknown variable name',
    ]);
    for (const order of [[A, B, C, A, B], [C, A, C, B, A, B], [B, A, A, C, B]]) {
      for (const text of order) assert.equal(observable(compile(text, new IncrementalState())), expected.get(text), text);
    }
  });

  it('leave the shared library types as they were, even when a script completes one', () => {
    const before = compile(A, new IncrementalState()).analysis!.compilation;
    const after = compile(B, new IncrementalState()).analysis!.compilation;
    assert.notEqual(before.types, after.types);
    const completed = before.types.tags.get('struct pmap')!;
    assert.equal(completed.kind === 'struct' && completed.members?.map((m) => m.name).join(), 'pm_x');
    const forward = after.types.tags.get('struct pmap')!;
    assert.equal(forward.kind === 'struct' && forward.members, undefined);
    assert.equal(after.globals.get('x'), undefined);
    assert.equal(after.aggregations.get('a'), undefined);
    // A's thread-local and the library inline it read are as a fresh compilation has them.
    const c = compile(C, new IncrementalState()).analysis!.compilation;
    assert.equal(c.threadLocals.get('t')?.references.length, 1);
    assert.equal(c.globals.get('x')?.type?.kind, 'string');
  });
});
