// Hostile shapes of input parse without a hang: the external scanner looks ahead past its
// tokens, and a look that is not bounded turns parsing quadratic (a 0.3 MB line of `foo*x`
// once took 150 s). Each input must parse well within a fixed budget; this guards against
// hangs, it does not measure speed (npm run bench does).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDParser } from '../../server/src/parse/dParser';

const BUDGET_MS = 10_000;

const INPUTS: Record<string, string> = {
  'deeply nested parentheses': 'BEGIN { x = ' + '('.repeat(50_000) + '1' + ')'.repeat(50_000) + '; }',
  'unclosed parentheses': 'BEGIN { x = ' + '('.repeat(50_000) + '1; }',
  'a 1 MB string on one line': 'BEGIN { x = "' + 'a'.repeat(1_000_000) + '"; }',
  'int*x with no semicolon, then a long line': 'int*x ' + 'a '.repeat(200_000),
  'a long line of foo*x': 'foo*x '.repeat(50_000),
  'a long line of words': 'BEGIN '.repeat(100_000),
  '100,000 null directives': '#\n'.repeat(100_000),
  '50,000 pragmas': '#pragma D option quiet\n'.repeat(50_000),
  '100,000 clauses': 'BEGIN {}\n'.repeat(100_000),
  'a 50,000-description list': 'syscall::read:entry,'.repeat(50_000) + 'END {}',
  '5,000 nested ifs': 'BEGIN {' + 'if (x) {'.repeat(5_000) + '}'.repeat(5_000) + '}',
  '20,000 unclosed bodies': 'BEGIN {\n'.repeat(20_000),
  'a line of 200,000 stars': '*'.repeat(200_000),
  'a 1 MB comment after a probe name': 'BEGIN /*' + ' '.repeat(1_000_000) + '*/ {}',
  'a long string of escapes each followed by #': 'BEGIN { x = "' + '\\n#'.repeat(160_000) + '"; }',
  'control lines inside a long predicate': 'BEGIN /' + 'x +\n#line 1\n'.repeat(20_000) + 'y/ {}',
};

for (const [name, text] of Object.entries(INPUTS)) {
  test(`parses ${name} within ${BUDGET_MS / 1000} s`, async () => {
    const parser = await createDParser();
    const started = Date.now();
    const tree = parser.parse(text);
    const elapsed = Date.now() - started;
    assert.ok(tree);
    tree.delete();
    assert.ok(elapsed < BUDGET_MS, `took ${elapsed} ms`);
  });
}
