// Reading as a stream: gzip told by its magic bytes, any chunking of the input (down to single
// bytes, splitting UTF-8 sequences), CRLF and a missing final newline, sources released when
// iteration stops early, and bounded memory on a 200k-record trace (heap sampled after forced
// collections while iterating, compared with the trace's size). Reports throughput.
// Run: node --import tsx --test test/unit/trace-streaming.test.ts
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';
import { createTraceWriter, openTrace, type TraceRecord, type TraceSource } from '../../server/src/trace/index.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const FIXTURES = join(__dirname, '..', 'fixtures', 'traces');
const tmp = mkdtempSync(join(tmpdir(), 'trace-streaming-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function summary(records: TraceRecord[]): string[] {
  return records.map((r) =>
    r.kind === 'firing' ? `${r.line} ${r.probe} ${r.timestamp} ${r.execname} ${r.args.join(',')}` : `${r.line} ${r.kind} ${r.timestamp}`,
  );
}

async function readAll(source: TraceSource): Promise<TraceRecord[]> {
  const records: TraceRecord[] = [];
  for await (const record of await openTrace(source, { name: 't' })) records.push(record);
  return records;
}

async function* chunked(bytes: Uint8Array, sizes: () => number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; ) {
    const size = Math.max(1, sizes());
    yield bytes.slice(at, at + size);
    at += size;
  }
}

describe('input forms', () => {
  const plainBytes = readFileSync(join(FIXTURES, 'tiny.ndjson'));
  const gzipBytes = readFileSync(join(FIXTURES, 'tiny-compressed.ndjson'));
  let expected: string[];
  before(async () => {
    expected = summary(await readAll(join(FIXTURES, 'tiny.ndjson')));
  });

  it('tells gzip by its magic bytes, whatever the name', async () => {
    const misnamed = join(tmp, 'plain-text.gz');
    writeFileSync(misnamed, plainBytes);
    assert.deepEqual(summary(await readAll(misnamed)), expected);
    assert.deepEqual(summary(await readAll(join(FIXTURES, 'tiny-compressed.ndjson'))), expected);
  });

  it('reads Node streams, async iterables of bytes and of strings', async () => {
    assert.deepEqual(summary(await readAll(createReadStream(join(FIXTURES, 'tiny-compressed.ndjson')))), expected);
    assert.deepEqual(summary(await readAll(createReadStream(join(FIXTURES, 'tiny.ndjson'), { highWaterMark: 16 }))), expected);
    const strings = async function* () {
      yield* plainBytes.toString('utf8').match(/[\s\S]{1,33}/g)!;
    };
    assert.deepEqual(summary(await readAll(strings())), expected);
  });

  it('gives the same records for any chunking, down to single bytes and split UTF-8', async () => {
    let seed = 7;
    const random = (max: number) => () => (seed = (seed * 48271) % 2147483647) % max;
    for (const bytes of [plainBytes, gzipBytes]) {
      assert.deepEqual(summary(await readAll(chunked(bytes, () => 1))), expected);
      for (const max of [2, 3, 7, 64, 1000]) assert.deepEqual(summary(await readAll(chunked(bytes, random(max)))), expected);
    }
    const single = chunked(gzipSync(plainBytes), () => 1);
    assert.deepEqual(summary(await readAll(single)), expected);
  });

  it('accepts CRLF line ends and a last line without a newline', async () => {
    const crlf = plainBytes.toString('utf8').replace(/\n/g, '\r\n');
    assert.deepEqual(summary(await readAll(chunked(Buffer.from(crlf), () => 50))), expected);
    const unterminated = plainBytes.subarray(0, plainBytes.length - 1);
    assert.equal(unterminated[unterminated.length - 1], 0x7d);
    assert.deepEqual(summary(await readAll(chunked(unterminated, () => 50))), expected);
    assert.deepEqual(summary(await readAll(chunked(gzipSync(unterminated), () => 50))), expected);
  });

  it('releases the source when iteration stops early', async () => {
    let released = false;
    const source: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]() {
        const inner = chunked(plainBytes, () => 100);
        return {
          next: () => inner.next(),
          return: async () => {
            released = true;
            return inner.return(undefined);
          },
        };
      },
    };
    const reader = await openTrace(source);
    for await (const record of reader) if (record.line === 3) break;
    assert.equal(released, true);
    await assert.rejects(
      (async () => {
        for await (const _ of reader) void _;
      })(),
      { message: 'trace reader: the records can be iterated only once' },
    );
  });
});

describe('a 200k-record trace', () => {
  const RECORDS = 200_000;
  const plainPath = join(tmp, 'big.ndjson');
  const gzipPath = join(tmp, 'big-gz.ndjson');
  const names = ['bash', 'sshd', 'node', 'postgres', 'nginx'];

  before(async () => {
    const probes = ['read', 'write', 'pread', 'close', 'mmap'].flatMap((f) => [
      { provider: 'syscall', module: '', function: f, name: 'entry', args: ['int', 'void *', 'size_t'] },
      { provider: 'syscall', module: '', function: f, name: 'return', args: ['int64_t', 'int64_t'] },
    ]);
    probes.push({ provider: 'syscall', module: '', function: 'openat', name: 'entry', args: ['int', 'char *', 'int', 'mode_t'] });
    const paths = ['/usr/lib/x86_64-linux-gnu/libc.so.6', '/etc/ld.so.cache', '/proc/self/status', '/var/lib/postgresql/15/main/base/16384/2619'];
    for (const [path, gzip] of [
      [plainPath, false],
      [gzipPath, true],
    ] as const) {
      const writer = await createTraceWriter(path, { platform: 'linux-x86_64', ncpus: 8, timestamp: 5_000_000_000n, walltimestamp: 1_718_000_000_000_000_000n, probes }, { gzip });
      let ts = 5_000_000_000n;
      for (let i = 0; i < RECORDS; i++) {
        ts += BigInt(100 + (i % 997));
        const pid = 1000 + (i % 50);
        const firing = { timestamp: ts, cpu: i % 8, pid, tid: pid + 100000, ppid: 1, uid: 1000, gid: 1000, execname: names[i % 5]!, errno: i % 13 === 0 ? 2 : 0 };
        if (i % 8 === 0) {
          // One firing in 8 carries user memory (a path), so both read paths are measured.
          const address = 140737488355328n - BigInt(i % 512) * 64n;
          await writer.firing({ ...firing, probe: 10, args: [-100, address, 0, 0], memory: [[address, paths[i % 4]!]] });
          continue;
        }
        const probe = (i * 7) % 10;
        const args = probe % 2 === 0 ? [i % 64, 140737488346112n + BigInt(i % 4096) * 4096n, 4096] : [i % 13 === 0 ? -1 : 4096, i % 13 === 0 ? 2 : 0];
        await writer.firing({ ...firing, probe, args });
      }
      await writer.close();
    }
  });

  /** Iterates, forcing a collection every 20k firings; returns the heap growth over the start at each of those points. */
  async function heapWhileReading(path: string, keep: boolean): Promise<number[]> {
    const kept: TraceRecord[] = [];
    gc();
    const baseline = process.memoryUsage().heapUsed;
    const growth: number[] = [];
    let firings = 0;
    const reader = await openTrace(path);
    for await (const record of reader) {
      if (keep) kept.push(record);
      if (record.kind === 'firing' && ++firings % 20_000 === 0) {
        gc();
        growth.push(process.memoryUsage().heapUsed - baseline);
      }
    }
    assert.equal(firings, RECORDS);
    assert.equal(reader.stats.complete, true);
    assert.equal(kept.length, keep ? RECORDS + 1 : 0);
    return growth;
  }

  const BOUND = 6 * 1024 * 1024;
  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

  for (const [label, path] of [
    ['plain', plainPath],
    ['gzip', gzipPath],
  ] as const) {
    it(`reads the ${label} trace in bounded memory`, async (t) => {
      const size = statSync(plainPath).size;
      const growth = await heapWhileReading(path, false);
      t.diagnostic(`trace ${mb(size)} uncompressed, ${mb(statSync(path).size)} on disk; heap growth while reading: ${growth.map(mb).join(', ')}`);
      assert.ok(size > 2 * BOUND, 'the trace is much larger than the bound');
      assert.ok(Math.max(...growth) < BOUND, `the heap grew by ${mb(Math.max(...growth))}`);
    });
  }

  it('(control) the same measurement does see records that are kept', async () => {
    const growth = await heapWhileReading(plainPath, true);
    assert.ok(Math.max(...growth) > 4 * BOUND, `keeping every record grew the heap by only ${mb(Math.max(...growth))}`);
  });

  it('reports throughput (records/s) and the mawk baseline', (t) => {
    // Measured in a child process: the test runner tracks every promise (async hooks), which
    // makes per-record awaits many times dearer here than in a replay.
    const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', THROUGHPUT_SCRIPT, plainPath, gzipPath, String(RECORDS)], {
      cwd: join(__dirname, '..', '..'),
      encoding: 'utf8',
    });
    assert.equal(child.status, 0, child.stderr);
    const rates = JSON.parse(child.stdout) as Record<string, number>;
    t.diagnostic(`firings/s (best of 3, counting per execname): ${JSON.stringify(rates)}`);
    const mawkArgs = ['-F,', '{ n[$9]++ } END { for (k in n) print k, n[k] }', plainPath];
    if (spawnSync('mawk', mawkArgs).status === 0) {
      let best = Infinity;
      for (let round = 0; round < 3; round++) {
        const start = process.hrtime.bigint();
        spawnSync('mawk', mawkArgs);
        best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9);
      }
      const mawkRate = Math.round(RECORDS / best);
      t.diagnostic(`mawk counting execname: ${mawkRate} lines/s; batches() takes ${(mawkRate / rates.batches!).toFixed(2)}x mawk's time, records() ${(mawkRate / rates.records!).toFixed(2)}x`);
    }
    // A floor far below what any machine does, to catch a pathological regression only.
    assert.ok(rates.records! > 50_000, `${rates.records} records/s`);
  });
});

const THROUGHPUT_SCRIPT = `
const { openTrace } = require('./server/src/trace/index.ts');
const [plainPath, gzipPath, records] = process.argv.slice(1);
async function measure(path, how) {
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    const start = process.hrtime.bigint();
    const counts = new Map();
    const reader = await openTrace(path);
    const count = (r) => {
      if (r.kind === 'firing') counts.set(r.execname, (counts.get(r.execname) ?? 0) + (how === 'args' ? r.args.length + Number(r.timestamp & 1n) : 1));
    };
    if (how === 'batches') for await (const batch of reader.batches()) batch.forEach(count);
    else for await (const record of reader) count(record);
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9);
  }
  return Math.round(Number(records) / best);
}
(async () => {
  const rates = {
    records: await measure(plainPath, 'records'),
    batches: await measure(plainPath, 'batches'),
    recordsReadingArgs: await measure(plainPath, 'args'),
    gzipRecords: await measure(gzipPath, 'records'),
  };
  process.stdout.write(JSON.stringify(rates));
})();
`;
