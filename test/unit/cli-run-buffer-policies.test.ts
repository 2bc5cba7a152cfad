// What dtvm prints under each principal buffer policy with string and integer records: which
// records survive (ring), where tracing stops (fill, END's reserved room), the drops per
// switch (switch), and speculative records committed after the buffer was switched.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { dtvm } from '../support/runDtvm.ts';

// One 36-byte record per tick (header 12, int 4, string 16, char 1, rounded to 4); the exit
// clause reserves its 16 bytes at every tick, its predicate false or not, as the kernel does.
const TICKS = 'BEGIN { i = 0; } tick-1ms { printf("%d %s\\n", i, i % 2 ? "odd" : "even-longer"); trace((char)i); i++; } tick-1ms /i == 12/ { exit(0); }';

describe('dtvm buffer policies', () => {
  it('ring: only the newest records are printed, once, at the end', async () => {
    const r = await dtvm(['-q', '-x', 'bufsize=120', '-x', 'strsize=16', '-x', 'bufpolicy=ring', '-n', TICKS]);
    assert.deepEqual(r, { status: 0, stdout: '10 even-longer\n1011 odd\n11\n', stderr: '' });
  });

  it('fill: tracing stops at the first record that does not fit, and END still records', async () => {
    const r = await dtvm(['-q', '-x', 'bufsize=120', '-x', 'strsize=16', '-x', 'bufpolicy=fill', '-n', `${TICKS} END { printf("end %d\\n", i); }`]);
    // 120 bytes less END's 16: two tick records and one exit reservation fit, the third record does not
    assert.deepEqual(r, { status: 0, stdout: '0 even-longer\n01 odd\n1end 2\n\n', stderr: 'dtrace: 1 drop on CPU 0\n' });
  });

  it('switch: what does not fit between two switches is dropped and reported at the switch', async () => {
    const r = await dtvm(['-q', '-x', 'bufsize=100', '-x', 'strsize=16', '-x', 'switchrate=4ms', '-n', TICKS]);
    const lines = Array.from({ length: 12 }, (_, i) => `${i} ${i % 2 ? 'odd' : 'even-longer'}\n`);
    assert.equal(r.status, 0);
    assert.equal(r.stdout, lines.map((l, i) => (i === 0 ? l : `${i - 1}${l}`)).join('') + '11\n');
    // Four ticks per switch: two 36-byte records fit in 100 bytes, the two exit reservations after them do not.
    assert.equal(r.stderr, 'dtrace: 2 drops on CPU 0\n'.repeat(5));
  });

  it('speculative records committed after several switches come out at the commit', async () => {
    const script =
      'BEGIN { i = 0; s = speculation(); } tick-1ms /i < 3/ { speculate(s); printf("spec %d %s\\n", i, execname); } ' +
      'tick-1ms { printf("tick %d\\n", i); i++; } tick-1ms /i == 6/ { commit(s); } tick-1ms /i == 8/ { exit(0); }';
    const r = await dtvm(['-q', '-x', 'switchrate=2ms', '-n', script]);
    assert.deepEqual(r, {
      status: 0,
      stdout: 'tick 0\ntick 1\ntick 2\ntick 3\ntick 4\ntick 5\nspec 0 idle\nspec 1 idle\nspec 2 idle\ntick 6\ntick 7\n\n',
      stderr: '',
    });
  });
});
