// `if`/`else` desugaring: the clauses DTrace would compile (printed by `dtvm -d`), the probe
// count they enable, DTrace's ordering consequences, and errors in the user's words.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dtvm } from '../support/runDtvm';
import { scriptFile } from '../support/scripts';

describe('if/else desugaring', () => {
  it('prints the sub-clauses DTrace compiles, with the ERROR clause and hidden variables', async () => {
    const file = scriptFile('BEGIN\n/pid != 0/\n{\n\tx = 1;\n\tif (x > 0) {\n\t\ttrace(x);\n\t} else {\n\t\ttrace(0);\n\t}\n\ty = 2;\n}\n');
    const r = await dtvm(['-d', '-e', '-s', file]);
    assert.equal(r.stderr, '');
    assert.equal(
      r.stdout,
      [
        'dtrace:::ERROR\n{\n\tself->%error = 1;\n}\n',
        'BEGIN\n{\n\tself->%error = 0;\n}\n',
        'BEGIN\n/!self->%error/\n{\n\tthis->%condition_1 = (1 && (pid != 0));\n}\n',
        'BEGIN\n/!self->%error && this->%condition_1/\n{\n\tx = 1;\n}\n',
        'BEGIN\n/!self->%error/\n{\n\tthis->%condition_2 = (this->%condition_1 && (x > 0));\n}\n',
        'BEGIN\n/!self->%error && this->%condition_2/\n{\n\ttrace(x);\n}\n',
        'BEGIN\n/!self->%error/\n{\n\tthis->%condition_3 = (this->%condition_1 && !this->%condition_2);\n}\n',
        'BEGIN\n/!self->%error && this->%condition_3/\n{\n\ttrace(0);\n}\n',
        'BEGIN\n/!self->%error && this->%condition_1/\n{\n\ty = 2;\n}\n',
      ].join('\n'),
    );
  });

  it('leaves a clause without if untouched, predicate and all', async () => {
    const r = await dtvm(['-d', '-e', '-s', scriptFile('BEGIN\n/1/\n{\n\ttrace(1);\n}\n')]);
    assert.equal(r.stdout, 'BEGIN\n/1/\n{\n\ttrace(1);\n}\n');
  });

  it('counts every sub-clause and the added ERROR clause in "matched N probes"', async () => {
    const r = await dtvm(['-s', scriptFile('BEGIN\n{\n\tif (1) { trace(1); }\n}\nEND\n{\n\ttrace(2);\n}\n', 'count.d')]);
    // ERROR + `self->%error = 0` + the condition + the body: 4 enablings of BEGIN/ERROR, + END.
    assert.match(r.stderr, /^dtrace: script '.*count\.d' matched 5 probes\n$/);
    assert.equal(r.status, 0);
  });

  it('checks a sugared clause predicate first, so it cannot read what the body creates', async () => {
    const plain = await dtvm(['-e', '-s', scriptFile('BEGIN\n/x == 0/\n{\n\tx = 1;\n}\n')]);
    assert.equal(plain.status, 0, plain.stderr);
    const file = scriptFile('BEGIN\n/x == 0/\n{\n\tx = 1;\n\tif (x) { trace(x); }\n}\n');
    const sugared = await dtvm(['-e', '-x', 'errtags', '-s', file]);
    assert.equal(sugared.stderr, `dtrace: failed to compile script ${file}: [D_IDENT_UNDEF] line 2: failed to resolve x: Unknown variable name\n`);
  });

  it('says what is wrong with a condition in the user\'s words, never naming %condition', async () => {
    const file = scriptFile('BEGIN\n{\n\tif (execname) {\n\t\ttrace(1);\n\t}\n}\n');
    const r = await dtvm(['-e', '-x', 'errtags', '-s', file]);
    assert.equal(r.stderr, `dtrace: failed to compile script ${file}: [D_OP_SCALAR] line 3: condition of this \`if\` must be scalar, but it is a string\n`);
    assert.doesNotMatch(r.stderr, /%condition/);
  });

  it('restarts the speculation ordering rules in every sub-clause', async () => {
    const text = 'BEGIN\n{\n\tself->s = speculation();\n\tif (self->s) {\n\t\tspeculate(self->s);\n\t\ttrace(1);\n\t} else {\n\t\tcommit(self->s);\n\t}\n\tself->s = 0;\n}\n';
    const r = await dtvm(['-e', '-s', scriptFile(text)]);
    assert.equal(r.stderr, '');
    assert.equal(r.status, 0);
  });
});
