// dtvm running scripts that need no kernel (BEGIN/END/ERROR/tick probes), compared byte for
// byte with what dtrace(1) prints: every test/fixtures/run/NAME.d runs with the arguments its
// first-line comment gives (`args: ...`, operands after `--`) and must print NAME.out on
// stdout, NAME.err on stderr and exit with the comment's `status: N` (default 0).
// Run: node --import tsx --test test/unit/cli-run-scripts.test.ts
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { dtvm } from '../support/runDtvm.ts';

const DIR = 'test/fixtures/run';

interface RunFixture {
  name: string;
  args: string[];
  status: number;
}

/** The script's command line and status from its `/* args: ...; status: N *\/` first line. */
function fixture(name: string): RunFixture {
  const text = readFileSync(join(DIR, `${name}.d`), 'utf8');
  const header = /^\/\*(.*)\*\//.exec(text.split('\n')[0] ?? '')?.[1] ?? '';
  const field = (key: string): string | undefined => new RegExp(`${key}:\\s*([^;]*)`).exec(header)?.[1]?.trim();
  const words = (field('args') ?? '').split(/\s+/).filter((w) => w !== '');
  const dash = words.indexOf('--');
  const flags = dash < 0 ? words : words.slice(0, dash);
  const operands = dash < 0 ? [] : words.slice(dash + 1);
  return { name, args: [...flags, '-s', join(DIR, `${name}.d`), ...operands], status: Number(field('status') ?? 0) };
}

const names = readdirSync(DIR)
  .filter((f) => f.endsWith('.d'))
  .map((f) => f.slice(0, -2))
  .sort();

describe('dtvm runs scripts as dtrace(1) does', () => {
  for (const name of names) {
    it(name, async () => {
      const f = fixture(name);
      const saved = process.env.TZ;
      process.env.TZ = 'UTC';
      try {
        const r = await dtvm(f.args);
        const expectedErr = existsSync(join(DIR, `${name}.err`)) ? readFileSync(join(DIR, `${name}.err`), 'utf8') : '';
        assert.equal(r.stdout, readFileSync(join(DIR, `${name}.out`), 'utf8'), 'stdout');
        assert.equal(r.stderr, expectedErr, 'stderr');
        assert.equal(r.status, f.status, 'status');
      } finally {
        if (saved === undefined) delete process.env.TZ;
        else process.env.TZ = saved;
      }
    });
  }
  it('has many scripts', () => {
    assert.ok(names.length >= 100, `${names.length} scripts`);
  });
});
