// Drop hints through the real command line: after dtrace's own drop report, on stderr, for a
// replayed trace file; never when the run had no drops or DTVM_HINTS=0.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createTraceWriter } from '../../server/src/trace';
import { dtvm } from '../support/runDtvm';

const dir = mkdtempSync(join(tmpdir(), 'dtvm-tuning-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const trace = join(dir, 'reads.ndjson.gz');

// 128 read(2) entries in one second, 1/128 s apart, on one CPU, arg0 = 0 ... 127.
before(async () => {
  const w = await createTraceWriter(
    trace,
    {
      platform: 'illumos-amd64',
      ncpus: 1,
      timestamp: 5_000_000_000,
      walltimestamp: 1_700_000_000_000_000_000n,
      probes: [{ provider: 'syscall', module: '', function: 'read', name: 'entry', args: ['int', 'void *', 'size_t'] }],
    },
    { gzip: true },
  );
  for (let i = 0; i < 128; i++) {
    await w.firing({ probe: 0, timestamp: 5_000_000_000 + i * 7_812_500, cpu: 0, pid: 100, tid: 1, ppid: 1, uid: 0, gid: 0, execname: 'cat', args: [i, 0, 0] });
  }
  await w.close({ timestamp: 6_000_000_000 });
});

const PRINT = 'syscall::read:entry { printf("%d\\n", arg0); }';
/** The 42 records of 24 bytes a 1k buffer holds (arg0 0 ... 41), and the blank line at exit. */
const FIRST_42 = Array.from({ length: 42 }, (_, i) => `${i}\n`).join('') + '\n';
const ALL = Array.from({ length: 128 }, (_, i) => `${i}\n`).join('') + '\n';

describe('dtvm --trace with drops', () => {
  test('prints the hint after the drop report', async () => {
    const r = await dtvm(['-q', '-x', 'bufsize=1k', '-n', PRINT, '--trace', trace]);
    assert.equal(r.status, 0);
    assert.equal(r.stdout, FIRST_42);
    assert.equal(r.stderr, 'dtrace: 86 drops on CPU 0\ndtvm: hint: this trace runs without principal buffer drops with -x bufsize=3k (or -x switchrate=4hz)\n');
  });

  test('the hinted settings do run without drops', async () => {
    for (const x of ['bufsize=3k', 'switchrate=4hz']) {
      const r = await dtvm(['-q', '-x', 'bufsize=1k', '-x', x, '-n', PRINT, '--trace', trace]);
      assert.deepEqual([r.status, r.stdout, r.stderr], [0, ALL, ''], x);
    }
  });

  test('DTVM_HINTS=0 leaves dtrace\'s report alone', async () => {
    process.env.DTVM_HINTS = '0';
    try {
      const r = await dtvm(['-q', '-x', 'bufsize=1k', '-n', PRINT, '--trace', trace]);
      assert.equal(r.stderr, 'dtrace: 86 drops on CPU 0\n');
    } finally {
      delete process.env.DTVM_HINTS;
    }
  });

  test('aggregation drops with droptags: the tag stays on dtrace\'s line only', async () => {
    // 128 keys; aggsize=4k holds 74 (see tuning-hints.test.ts), 8k 148, 6k 111, 7k 130: the
    // hint is 7k. aggrate: 2hz snapshots after at most 65 keys.
    const r = await dtvm(['-q', '-x', 'aggsize=4k', '-x', 'droptags', '-n', 'syscall::read:entry { @[arg0] = count(); }', '--trace', trace]);
    assert.equal(r.stderr.split('\n')[0], 'dtrace: [DTRACEDROP_AGGREGATION] 54 aggregation drops on CPU 0');
    assert.equal(r.stderr.split('\n').slice(1).join('\n'), 'dtvm: hint: this trace runs without aggregation drops with -x aggsize=7k (or -x aggrate=2hz)\n');
  });
});

describe('dtvm --trace with a script that sets the option', () => {
  test('the hint is a pragma: it would override -x', async () => {
    const script = join(dir, 'small.d');
    writeFileSync(script, `#pragma D option bufsize=1k\n${PRINT}\n`);
    const r = await dtvm(['-q', '-s', script, '--trace', trace]);
    assert.equal(r.stderr, 'dtrace: 86 drops on CPU 0\ndtvm: hint: this trace runs without principal buffer drops with #pragma D option bufsize=3k (or -x switchrate=4hz)\n');
    // Indeed -x does not help:
    assert.equal((await dtvm(['-q', '-x', 'bufsize=3k', '-s', script, '--trace', trace])).stderr.split('\n')[0], 'dtrace: 86 drops on CPU 0');
  });
});

describe('dtvm --trace without drops', () => {
  test('no hint and no re-run', async () => {
    const r = await dtvm(['-q', '-n', PRINT, '--trace', trace]);
    assert.equal(r.stdout, ALL);
    assert.equal(r.stderr, '');
  });
});

describe('dtvm --workload with drops', () => {
  // drops.json: getpid every 10 us on one CPU. A 100 ms switch interval sees 10000 entries of
  // 24 bytes (240000 bytes): bufsize doubles from 4k to 256k (128k fails), and 192k and 224k
  // (229376 bytes) fail between. switchrate doubles from 10hz: 512hz puts 196 entries in a
  // 1953125 ns interval (4k holds 170), 1024hz 98; between, 768hz (131) and 640hz (157) pass.
  const args = ['--workload', 'test/fixtures/workloads/drops.json', '-q', '-x', 'bufsize=4k', '-x', 'switchrate=10hz', '-n', 'syscall::getpid:entry { trace(arg0); }'];
  test('names the workload and the settings', async () => {
    const r = await dtvm(args);
    assert.equal(r.stderr, 'dtrace: 9830 drops on CPU 0\n'.repeat(10) + 'dtvm: hint: this workload runs without principal buffer drops with -x bufsize=256k (or -x switchrate=640hz)\n');
  });

  test('which do run it without drops', async () => {
    for (const x of ['bufsize=256k', 'switchrate=640hz']) {
      const r = await dtvm([...args, '-x', x]);
      assert.deepEqual([r.status, r.stderr], [0, ''], x);
    }
  });
});
