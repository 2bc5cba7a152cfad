// The front-end conformance corpus (test/fixtures/frontend/**): each script states DTrace's
// verdict in its header (`expect: ok` or `expect: D_TAG line N: message`), and dtvm -e must
// print exactly that.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { dtvm } from '../support/runDtvm';
import { readHeader } from '../support/corpusHeader';

const ROOT = join(__dirname, '..', 'fixtures', 'frontend');

function files(dir: string): string[] {
  let out: string[] = [];
  for (const e of readdirSync(dir).sort()) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out = out.concat(files(p));
    else if (e.endsWith('.d')) out.push(p);
  }
  return out;
}

const cases = (() => {
  try {
    return files(ROOT);
  } catch {
    return [];
  }
})();

describe('front-end conformance corpus', () => {
  it('has cases', () => assert.ok(cases.length > 0, `no cases under ${ROOT}`));
  for (const file of cases) {
    const name = relative(ROOT, file);
    it(name, async () => {
      const h = readHeader(readFileSync(file, 'utf8'));
      assert.ok(h.expect !== '', `${name}: no expect: line in the header`);
      const r = await dtvm(['-e', '-x', 'errtags', ...h.args, '-s', file, ...h.operands]);
      if (h.expect === 'ok') {
        assert.equal(r.stderr, '', `${name} should compile`);
        assert.equal(r.status, 0);
        return;
      }
      const m = /^(D_[A-Z0-9_]+|DTVM_[A-Z_]+)\s+(.*)$/.exec(h.expect);
      assert.ok(m, `${name}: malformed expect: ${h.expect}`);
      const message = m[2]!.replace(/\\n/g, '\n').replace(/\\t/g, '\t');
      assert.equal(r.stderr, `dtrace: failed to compile script ${file}: [${m[1]}] ${message}\n`);
      assert.equal(r.status, 1);
    });
  }
});
