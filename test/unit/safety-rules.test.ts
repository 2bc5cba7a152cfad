// Safety rules beyond DTrace: each with a script that triggers it and one that does not. Loops
// keep DTrace's verdict (a syntax error) and explain why and what to write instead.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createDParser, type Parser } from '../../server/src/parse/dParser';
import { compileProgram } from '../../server/src/analyze/frontEnd';
import { OptionSet } from '../../server/src/analyze/options/optionSet';
import { dtvm } from '../support/runDtvm';
import { scriptFile } from '../support/scripts';

let parser: Parser;
before(async () => {
  parser = await createDParser();
});

function findings(text: string, code: string, boundedLoops?: number): { line: number; message: string; detail?: string; severity: string }[] {
  const options = new OptionSet();
  // syscall probes are not in the built-in catalogue yet: -Z lets their clauses be checked.
  options.set('zdefs', undefined);
  const r = compileProgram(parser, { text, programName: 't.d', options, ...(boundedLoops ? { boundedLoops } : {}) });
  assert.ok(r.analysis, `did not analyze: ${r.firstError?.message}`);
  return r.analysis.diagnostics
    .filter((d) => d.code === code)
    .map((d) => ({ line: d.span.start.row + 1, message: d.message, severity: d.severity, ...(d.detail ? { detail: d.detail } : {}) }));
}

describe('loops', () => {
  it('keeps DTrace\'s syntax error for a loop on the command line', async () => {
    const file = scriptFile('BEGIN\n{\n\tfor (i = 0; i < 3; i++) {\n\t\ttrace(i);\n\t}\n}\n');
    const r = await dtvm(['-e', '-x', 'errtags', '-s', file]);
    assert.equal(r.stderr, `dtrace: failed to compile script ${file}: [D_SYNTAX] line 3: syntax error near "for"\n`);
  });

  it('explains why D has no loops and what to write instead', () => {
    const [f] = findings('BEGIN\n{\n\twhile (x) { x--; }\n}\n', 'D_SYNTAX');
    assert.equal(f?.message, 'syntax error near "while"');
    assert.match(f?.detail ?? '', /^D has no loops: a probe may fire in any kernel context.*Unroll the loop.*`tick-N`/);
  });

  it('accepts a for loop with a constant bound behind -x boundedloops, and rejects an unbounded one', async () => {
    assert.deepEqual(findings('BEGIN\n{\n\tfor (i = 0; i < 4; i++) { trace(i); }\n}\n', 'D_SYNTAX', 16), []);
    const [big] = findings('BEGIN\n{\n\tfor (i = 0; i < 100; i++) { trace(i); }\n}\n', 'D_SYNTAX', 16);
    assert.equal(big?.detail, 'This loop runs 100 times, more than the bounded-loop limit of 16 (-x boundedloops).');
    const [unbounded] = findings('BEGIN\n{\n\tn = 3;\n\tfor (i = 0; i < n; i++) { trace(i); }\n}\n', 'D_SYNTAX', 16);
    assert.equal(unbounded?.detail, 'A bounded loop needs the form `for (i = A; i < B; i++)` with constant A and B: the bounds are not compile-time constants.');
    const ok = await dtvm(['-e', '-x', 'boundedloops=8', '-s', scriptFile('BEGIN\n{\n\tfor (i = 0; i < 8; i++) { trace(i); }\n}\n')]);
    assert.equal(ok.stderr, '');
  });

  it('explains break, return and switch', () => {
    const [f] = findings('BEGIN\n{\n\treturn;\n}\n', 'D_SYNTAX');
    assert.equal(f?.message, 'syntax error near "return"');
    assert.match(f?.detail ?? '', /runs from top to bottom/);
  });
});

describe('thread-local leaks', () => {
  it('warns about a thread-local that is set and never freed', () => {
    assert.deepEqual(findings('tick-1s\n{\n\tself->ts = timestamp;\n}\n', 'DTVM_TLS_LEAK').map((f) => f.line), [3]);
  });
  it('is quiet when the thread-local is assigned 0 somewhere', () => {
    assert.deepEqual(findings('tick-1s\n{\n\tself->ts = timestamp;\n}\ntick-2s\n/self->ts/\n{\n\tself->ts = 0;\n}\n', 'DTVM_TLS_LEAK'), []);
  });
});

describe('clause-locals read before they are set', () => {
  it('warns when this-> is read before any assignment in the firing', () => {
    const [f] = findings('BEGIN\n{\n\ttrace(this->x);\n\tthis->x = 1;\n}\n', 'DTVM_LOCAL_UNSET');
    assert.deepEqual(f && { line: f.line, message: f.message }, {
      line: 3,
      message: 'this->x is read before it is assigned in this probe firing: clause-local variables start every firing undefined',
    });
  });
  it('is quiet when an earlier clause for the same probe assigned it, or it is assigned first', () => {
    assert.deepEqual(findings('BEGIN\n{\n\tthis->x = 1;\n}\nBEGIN\n{\n\ttrace(this->x);\n}\n', 'DTVM_LOCAL_UNSET'), []);
    assert.deepEqual(findings('BEGIN\n{\n\tthis->x = 1;\n\tthis->x = this->x + 1;\n}\n', 'DTVM_LOCAL_UNSET'), []);
  });
});

describe('unbounded sizes', () => {
  it('warns about an alloca/copyin size the compiler cannot bound', () => {
    assert.deepEqual(findings('BEGIN\n{\n\tn = 10;\n\tthis->p = alloca(n);\n}\n', 'DTVM_UNBOUNDED_SIZE').map((f) => f.line), [4]);
  });
  it('is quiet for constants and clamped sizes', () => {
    assert.deepEqual(findings('BEGIN\n{\n\tn = 10;\n\tthis->p = alloca(16);\n\tthis->q = alloca(n > 64 ? 64 : n);\n}\n', 'DTVM_UNBOUNDED_SIZE'), []);
  });
});

describe('fixed-size array bounds', () => {
  it('warns about a constant index past the end and an unguarded variable index', () => {
    const text = 'int a[4];\nBEGIN\n{\n\ti = 2;\n\ttrace(a[7]);\n\ttrace(a[i]);\n}\n';
    assert.deepEqual(findings(text, 'DTVM_ARRAY_BOUNDS').map((f) => `${f.line}: ${f.message}`), [
      "5: index 7 is outside the array's 4 elements",
      "6: index i is not provably within the array's 4 elements: guard it with the predicate or `?:`",
    ]);
  });
  it('is quiet when the predicate or a ?: guards the index', () => {
    const text = 'int a[4];\nBEGIN\n{\n\ti = 1;\n}\nBEGIN\n/i < 4/\n{\n\ttrace(a[i]);\n}\nEND\n{\n\ttrace(i < 4 ? a[i] : 0);\n}\n';
    assert.deepEqual(findings(text, 'DTVM_ARRAY_BOUNDS'), []);
  });
});

describe('speculations never committed or discarded', () => {
  it('warns when a speculation is never ended', () => {
    assert.deepEqual(findings('BEGIN\n{\n\tself->s = speculation();\n\tspeculate(self->s);\n\ttrace(1);\n}\n', 'DTVM_SPEC_LEAK').map((f) => f.line), [3]);
  });
  it('is quiet when some clause commits or discards', () => {
    assert.deepEqual(findings('BEGIN\n{\n\tself->s = speculation();\n}\nEND\n{\n\tdiscard(self->s);\n}\n', 'DTVM_SPEC_LEAK'), []);
  });
});

describe('user-space pointers dereferenced in probe context', () => {
  it('warns when a system-call argument is dereferenced without copyin', () => {
    const text = 'syscall::open:entry\n{\n\tthis->path = (char *)arg0;\n\ttrace(stringof(this->path));\n\ttrace(*(int *)arg1);\n}\n';
    assert.deepEqual(findings(text, 'DTVM_USER_DEREF').map((f) => `${f.line}: ${f.message}`), [
      '4: this->path is an address in the traced process, but this reads kernel memory at that address: copy it in first, e.g. copyinstr(this->path)',
      '5: (int *)arg1 is an address in the traced process, but this reads kernel memory at that address: copy it in first, e.g. copyin((int *)arg1, sizeof (...))',
    ]);
  });
  it('is quiet with copyinstr, and for kernel probes', () => {
    assert.deepEqual(findings('syscall::open:entry\n{\n\ttrace(copyinstr(arg0));\n}\n', 'DTVM_USER_DEREF'), []);
    assert.deepEqual(findings('fbt::vn_open:entry\n{\n\ttrace(*(int *)arg1);\n}\n', 'DTVM_USER_DEREF'), []);
  });
});
