// Malformed traces: every fixture under test/fixtures/traces/malformed/ fails with exactly the
// `file:line: what is wrong` text listed in its expected-errors.json; skip mode counts and
// drops bad records instead; the writer refuses what the reader would refuse.
// Run: node --import tsx --test test/unit/trace-errors.test.ts
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { createTraceWriter, openTrace, TraceFormatError, TraceWriteError, type HeaderInput, type TraceRecord } from '../../server/src/trace/index.ts';

const DIR = join(__dirname, '..', 'fixtures', 'traces', 'malformed');
const EXPECTED: Record<string, string> = JSON.parse(readFileSync(join(DIR, 'expected-errors.json'), 'utf8'));

/** Reads a whole trace, decoding every firing's memory the way a replay reading it would. */
async function readAll(path: string, name: string, skip = false) {
  const reader = await openTrace(path, { name, onError: skip ? 'skip' : 'throw' });
  const records: TraceRecord[] = [];
  for await (const record of reader) {
    if (record.kind === 'firing') record.memory?.segments();
    records.push(record);
  }
  return { reader, records };
}

describe('malformed traces', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.ndjson'));

  it('every fixture has an expected error, and every expected error a fixture', () => {
    assert.deepEqual([...files].sort(), Object.keys(EXPECTED).sort());
  });

  for (const file of files) {
    it(`${file}: ${EXPECTED[file]?.slice(file.length + 1)}`, async () => {
      await assert.rejects(readAll(join(DIR, file), file), (error: unknown) => {
        assert.ok(error instanceof TraceFormatError, `not a TraceFormatError: ${String(error)}`);
        assert.equal(error.message, EXPECTED[file]);
        assert.equal(`${error.file}:${error.line}: ${error.reason}`, error.message);
        return true;
      });
    });
  }

  it('uses the path as given when no name is passed', async () => {
    const path = join(DIR, 'cpu-negative.ndjson');
    await assert.rejects(readAll(path, path), { message: `${path}:3: field "cpu" must be a non-negative integer` });
    await assert.rejects(
      (async () => {
        for await (const _ of await openTrace(path)) void _;
      })(),
      { message: `${path}:3: field "cpu" must be a non-negative integer` },
    );
  });
});

describe('skip mode', () => {
  it('drops bad records, counts them, keeps their messages and still reports the end count mismatch', async () => {
    const { reader, records } = await readAll(join(DIR, 'several-bad.ndjson'), 'several-bad.ndjson', true);
    assert.deepEqual(
      records.map((r) => `${r.kind}@${r.line}`),
      ['firing@2', 'firing@3', 'firing@5', 'firing@7', 'firing@9', 'end@10'],
    );
    assert.equal(reader.stats.skipped, 3);
    assert.equal(reader.stats.firings, 5);
    assert.equal(reader.stats.complete, false);
    assert.deepEqual(reader.stats.errors, [
      'several-bad.ndjson:4: field "args" has 1 value, but probe 1 (syscall::read:entry) takes 3',
      'several-bad.ndjson:6: not valid JSON',
      'several-bad.ndjson:8: field "cpu" is 9, but the header says ncpus is 4',
      'several-bad.ndjson:10: the end record counts 7 firings, but the trace has 5 (3 bad records were skipped)',
    ]);
  });

  it('reads what precedes a cut gzip stream, and notes the cut', async () => {
    const { reader, records } = await readAll(join(DIR, 'truncated-gzip.ndjson'), 't.ndjson', true);
    assert.equal(records.length, 1164); // lines 2..1165
    assert.equal(reader.stats.skipped, 0);
    assert.equal(reader.stats.complete, false);
    assert.deepEqual(reader.stats.errors, ['t.ndjson:1166: the gzip data is corrupt or truncated (unexpected end of file)']);
  });

  it('skips lines that are not UTF-8 and keeps counting lines', async () => {
    const { reader, records } = await readAll(join(DIR, 'invalid-utf8.ndjson'), 'u.ndjson', true);
    assert.deepEqual(
      records.map((r) => r.line),
      [2, 4],
    );
    assert.equal(reader.stats.skipped, 1);
    assert.deepEqual(reader.stats.errors, [
      'u.ndjson:3: line is not valid UTF-8',
      'u.ndjson:4: the end record counts 2 firings, but the trace has 1 (1 bad record was skipped)',
    ]);
  });

  it('skips an over-long line without buffering it, then goes on', async () => {
    const header = readFileSync(join(DIR, 'several-bad.ndjson'), 'utf8').split('\n')[0]!;
    const good = '[0,1000,0,4242,4242,1,0,0,"dtrace",0,[]]';
    const long = `[0,1000,0,4242,4242,1,0,0,"${'x'.repeat(5000)}",0,[]]`;
    const text = [header, good, long, good, '{"type":"end","timestamp":1000,"firings":3,"events":0}'].join('\n') + '\n';
    const chunks = async function* () {
      for (let i = 0; i < text.length; i += 700) yield Buffer.from(text.slice(i, i + 700));
    };
    const reader = await openTrace(chunks(), { name: 'long.ndjson', onError: 'skip', maxLineBytes: 1000 });
    const lines: number[] = [];
    for await (const record of reader) lines.push(record.line);
    assert.deepEqual(lines, [2, 4, 5]);
    assert.equal(reader.stats.errors[0], 'long.ndjson:3: line is longer than 1000 bytes');
    await assert.rejects(
      (async () => {
        for await (const _ of await openTrace(chunks(), { name: 'long.ndjson', maxLineBytes: 1000 })) void _;
      })(),
      { message: 'long.ndjson:3: line is longer than 1000 bytes' },
    );
  });

  it('keeps at most maxReportedErrors messages but counts every skipped record', async () => {
    const reader = await openTrace(join(DIR, 'several-bad.ndjson'), { onError: 'skip', maxReportedErrors: 1 });
    for await (const _ of reader) void _;
    assert.equal(reader.stats.skipped, 3);
    assert.equal(reader.stats.errors.length, 1);
  });

  it('still refuses a trace whose header is bad', async () => {
    await assert.rejects(readAll(join(DIR, 'version-2.ndjson'), 'v.ndjson', true), {
      message: 'v.ndjson:1: unsupported format version 2 (this reader reads version 1)',
    });
  });
});

describe('writer refusals', () => {
  const header: HeaderInput = {
    platform: 'linux-x86_64',
    ncpus: 2,
    timestamp: 100n,
    walltimestamp: 0n,
    probes: [{ provider: 'syscall', module: '', function: 'read', name: 'entry', args: ['int', 'void *', 'size_t'] }],
  };
  const firing = { probe: 0, timestamp: 200n, cpu: 0, pid: 1, tid: 1n, ppid: 0, uid: 0, gid: 0, execname: 'init', args: [0n, 0n, 0n] };

  async function writer() {
    const sink = new PassThrough();
    sink.resume();
    return createTraceWriter(sink, header);
  }

  it('refuses a bad header before creating anything', async () => {
    await assert.rejects(createTraceWriter(new PassThrough(), { ...header, platform: 'Linux x86' }), {
      name: 'TraceWriteError',
      message: 'cannot write the header: field "platform" must be "<os>-<arch>" in lower case, e.g. "linux-x86_64"',
    });
    await assert.rejects(createTraceWriter(new PassThrough(), { ...header, extensions: { note: 1 } }), {
      message: 'cannot write the header: extension key "note" must start with "x-"',
    });
  });

  const cases: [string, object, string][] = [
    ['a number beyond 2^53-1', { timestamp: 2 ** 60 }, 'field "timestamp" is a number beyond 2^53-1, so it is already rounded: pass a bigint'],
    ['an argument number beyond 2^53-1', { args: [0, 2 ** 64, 0] }, 'arg1 is a number beyond 2^53-1, so it is already rounded: pass a bigint'],
    ['a fractional timestamp', { timestamp: 1.5 }, 'field "timestamp" must be an unsigned 64-bit integer'],
    ['a fraction', { pid: 1.5 }, 'field "pid" must be a non-negative 32-bit integer'],
    ['a value above 2^64-1', { args: [0n, 1n << 64n, 0n] }, 'arg1 must be a 64-bit integer (from -2^63 to 2^64-1)'],
    ['a value below -2^63', { args: [-(1n << 63n) - 1n, 0n, 0n] }, 'arg0 must be a 64-bit integer (from -2^63 to 2^64-1)'],
    ['too few args', { args: [1n] }, 'field "args" has 1 value, but probe 0 (syscall::read:entry) takes 3'],
    ['a cpu beyond ncpus', { cpu: 2 }, 'field "cpu" is 2, but the header says ncpus is 2'],
    ['an undeclared probe', { probe: 1 }, 'field "probe" is 1, but the header declares 1 probe'],
    ['time going backwards', { timestamp: 99n }, 'field "timestamp" is 99, earlier than the previous record\'s 100 (records must be in time order)'],
    ['overlapping memory', { memory: new Map([[10n, 'abcdef'], [12n, 'x']]) }, 'memory at address 12: overlaps the bytes recorded at a lower address'],
    ['empty memory bytes', { memory: [[10n, new Uint8Array(0)]] }, 'memory at address 10 is empty'],
    ['a negative address', { memory: [[-1n, 'x']] }, 'memory address -1 must be an integer from 0 to 2^64-1'],
    ['text with a lone surrogate', { memory: [[10n, 'a\ud800b']] }, 'memory at address 10: the text contains a lone surrogate, which has no UTF-8 form (use base64)'],
  ];
  for (const [what, change, message] of cases) {
    it(`refuses ${what}`, async () => {
      const w = await writer();
      await assert.rejects(w.firing({ ...firing, ...change }), (error: unknown) => {
        assert.ok(error instanceof TraceWriteError);
        assert.equal(error.message, `cannot write a firing as line 2: ${message}`);
        return true;
      });
      // The refused record was not written: the writer goes on from the same line.
      await w.firing(firing);
      assert.equal(w.firings, 1);
      await w.close();
    });
  }

  it('refuses an end timestamp before the last record, and writing after close', async () => {
    const w = await writer();
    await w.firing(firing);
    await assert.rejects(w.close({ timestamp: 150n }), {
      message: 'cannot write the end record as line 3: field "timestamp" is 150, earlier than the previous record\'s 200 (records must be in time order)',
    });
    await w.close();
    await assert.rejects(w.firing(firing), { message: 'the trace writer is closed' });
    await assert.rejects(w.close(), { message: 'the trace writer is already closed' });
  });
});

describe('sources that cannot be read', () => {
  it('passes on the system error for a missing file', async () => {
    await assert.rejects(openTrace(join(DIR, 'no-such-file.ndjson')), { code: 'ENOENT' });
  });
});
