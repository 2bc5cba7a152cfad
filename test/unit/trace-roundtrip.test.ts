// Writer -> reader round trips: every field of every record kind, extreme 64-bit values
// (beyond 2^53, -1, -2^63, 2^64-1) exactly, user memory byte for byte, gzip or not, file or
// stream; and copying a trace through reader and writer is lossless and idempotent.
// Run: node --import tsx --test test/unit/trace-roundtrip.test.ts
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import {
  asInt64,
  asUint64,
  createTraceWriter,
  openTrace,
  type FiringInput,
  type HeaderInput,
  type TraceFiring,
  type TraceRecord,
} from '../../server/src/trace/index.ts';
import { firingFields, memorySegments } from '../support/traceFiring';

const FIXTURES = join(__dirname, '..', 'fixtures', 'traces');
const tmp = mkdtempSync(join(tmpdir(), 'trace-roundtrip-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const U64_MAX = (1n << 64n) - 1n;
const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** A record's fields as plain data (scanned firings compute some lazily; memory as its on-disk map). */
function plain(record: TraceRecord): Record<string, unknown> {
  if (record.kind !== 'firing') return { ...record };
  return { ...firingFields(record), memory: memorySegments(record) };
}

async function readAll(source: Parameters<typeof openTrace>[0]) {
  const reader = await openTrace(source);
  const records: TraceRecord[] = [];
  for await (const record of reader) records.push(record);
  return { reader, records };
}

const header: HeaderInput = {
  platform: 'illumos-amd64',
  ncpus: 64,
  timestamp: 0n,
  walltimestamp: I64_MIN,
  source: 'round-trip test',
  extensions: { 'x-recorder': { version: '0.1', flags: ['a'] } },
  probes: [
    { provider: 'dtrace', module: '', function: '', name: 'BEGIN', args: [] },
    {
      provider: 'test',
      module: 'mod.so.1',
      function: 'all_the_words',
      name: 'probe-name',
      args: ['int64_t', 'uint64_t', 'uint64_t', 'int64_t', 'uint64_t', 'uint64_t', 'int64_t', 'int64_t', 'char *', 'struct stat *'],
    },
    { provider: 'syscall', module: '', function: 'openat', name: 'entry', args: ['int', 'char *', 'int', 'mode_t'] },
  ],
};

const EXTREMES = [I64_MIN, I64_MAX, U64_MAX, -1n, 1n << 53n, SAFE, -SAFE, -(1n << 53n), 0n, 1n << 63n];
const binary = new Uint8Array(256).map((_, i) => 255 - i);
const firings: FiringInput[] = [
  { probe: 0, timestamp: 0n, cpu: 0, pid: 0, tid: 0n, ppid: 0, uid: 0, gid: 0, execname: '', args: [] },
  {
    probe: 1,
    timestamp: SAFE,
    cpu: 63,
    pid: 2147483647,
    tid: U64_MAX,
    ppid: 2147483647,
    uid: 4294967295,
    gid: 4294967295,
    execname: 'naïve "quoted" \\ tab\t nl\n \u0001 ✓ 𝄞',
    errno: 2147483647,
    args: EXTREMES,
    memory: new Map<bigint, Uint8Array | string>([
      [0n, 'at address zero'],
      [U64_MAX, new Uint8Array([0x7f])], // the very last byte of the address space
      [4096n, binary],
      [4096n + 256n, new Uint8Array([1, 2, 0])], // adjacent to the previous segment
      [8192n, new Uint8Array([0x68, 0x69, 0])], // "hi\0" is stored as the text "hi"
      [9000n, new Uint8Array([0x68, 0, 0x69, 0])], // an inner NUL: base64
      [10000n, new Uint8Array([0xef, 0xbb, 0xbf, 0x41, 0])], // a BOM survives
      [11000n, 'é ✓ 𝄞'],
    ]),
  },
  { probe: 1, timestamp: SAFE + 1n, cpu: 1, pid: 7, tid: SAFE + 1n, ppid: 1, uid: 0, gid: 0, execname: 'x', args: EXTREMES.map((v) => -v).map((v) => (v < I64_MIN || v > U64_MAX ? 0n : v)) },
  { probe: 2, timestamp: 1n << 62n, cpu: 2, pid: 7, tid: 7, ppid: 1, uid: 1, gid: 1, execname: 'x', errno: 13, args: [-100, 140737488355328n, 0, 0o644] },
];

async function writeSample(destination: string | NodeJS.WritableStream, gzip: boolean) {
  const writer = await createTraceWriter(destination, header, { gzip });
  await writer.firing(firings[0]!);
  await writer.exec({ timestamp: 5n, pid: 7, ppid: 1, uid: 1000, gid: 1000, execname: 'ls', argv: ['ls', '-l', '', 'ünïcode'] });
  await writer.firing(firings[1]!);
  await writer.firing(firings[2]!);
  await writer.exit({ timestamp: SAFE + 2n, pid: 7, status: -2147483648 });
  await writer.firing(firings[3]!);
  await writer.close({ timestamp: U64_MAX });
}

function checkSample(records: TraceRecord[]) {
  assert.deepEqual(
    records.map((r) => `${r.kind}@${r.line}`),
    ['firing@2', 'exec@3', 'firing@4', 'firing@5', 'exit@6', 'firing@7', 'end@8'],
  );
  const got = records.filter((r): r is TraceFiring => r.kind === 'firing');
  firings.forEach((input, i) => {
    const f = got[i]!;
    assert.equal(f.probe, input.probe);
    assert.equal(f.timestamp, BigInt(input.timestamp));
    assert.equal(f.cpu, input.cpu);
    assert.equal(f.pid, input.pid);
    assert.equal(f.tid, BigInt(input.tid));
    assert.equal(f.ppid, input.ppid);
    assert.equal(f.uid, input.uid);
    assert.equal(f.gid, input.gid);
    assert.equal(f.execname, input.execname);
    assert.equal(f.errno, input.errno ?? 0);
    assert.deepEqual(f.args, input.args.map((v) => BigInt(v)), `firing ${i} args`);
  });
  assert.deepEqual(records[1], { kind: 'exec', line: 3, timestamp: 5n, pid: 7, ppid: 1, uid: 1000, gid: 1000, execname: 'ls', argv: ['ls', '-l', '', 'ünïcode'] });
  assert.deepEqual(records[4], { kind: 'exit', line: 6, timestamp: SAFE + 2n, pid: 7, status: -2147483648 });
  assert.deepEqual(records[6], { kind: 'end', line: 8, timestamp: U64_MAX, firings: 4, events: 2 });

  const memory = got[1]!.memory!;
  const input = firings[1]!.memory as Map<bigint, Uint8Array | string>;
  assert.deepEqual(
    memory.segments().map((s) => s.address),
    [...input.keys()].sort((a, b) => (a < b ? -1 : 1)),
  );
  for (const [address, bytes] of input) {
    const expected = typeof bytes === 'string' ? Buffer.concat([Buffer.from(bytes), Buffer.from([0])]) : Buffer.from(bytes);
    assert.deepEqual(Buffer.from(memory.read(address, expected.length)!), expected, `memory at ${address}`);
  }
  assert.equal(memory.read(U64_MAX, 1)![0], 0x7f);
  assert.deepEqual(Buffer.from(memory.read(4096n + 250n, 9)!), Buffer.from([5, 4, 3, 2, 1, 0, 1, 2, 0]), 'a read across adjacent segments');
  assert.equal(Buffer.from(memory.readCString(0n, 256)!).toString(), 'at address zero');
  assert.equal(Buffer.from(memory.readCString(11000n, 256)!).toString(), 'é ✓ 𝄞');
  for (const f of got) if (f !== got[1]) assert.equal(f.memory, null);
}

describe('round trip', () => {
  for (const gzip of [false, true]) {
    it(`through a file${gzip ? ', gzip' : ''}: every field exactly`, async () => {
      const path = join(tmp, `sample${gzip ? '.gz' : ''}.ndjson`);
      await writeSample(path, gzip);
      const bytes = readFileSync(path);
      assert.equal(bytes[0] === 0x1f && bytes[1] === 0x8b, gzip, 'gzip magic');
      const { reader, records } = await readAll(path);
      assert.deepEqual(reader.header, {
        format: 'dtvm-trace',
        version: 1,
        platform: 'illumos-amd64',
        ncpus: 64,
        timestamp: 0n,
        walltimestamp: I64_MIN,
        probes: header.probes,
        source: 'round-trip test',
        extensions: { 'x-recorder': { version: '0.1', flags: ['a'] } },
      });
      checkSample(records);
      assert.equal(reader.stats.complete, true);
    });
  }

  it('through streams (writer into a PassThrough, reader from it)', async () => {
    const pipe = new PassThrough();
    const [, { records }] = await Promise.all([writeSample(pipe, true), readAll(pipe)]);
    checkSample(records);
  });

  it('writes numbers when exact and decimal strings beyond 2^53-1', async () => {
    const path = join(tmp, 'encoding.ndjson');
    await writeSample(path, false);
    const lines = readFileSync(path, 'utf8').split('\n');
    assert.match(lines[0]!, /"timestamp":0,"walltimestamp":"-9223372036854775808"/);
    assert.equal(
      lines[3],
      '[1,9007199254740991,63,2147483647,"18446744073709551615",2147483647,4294967295,4294967295,' +
        '"naïve \\"quoted\\" \\\\ tab\\t nl\\n \\u0001 ✓ 𝄞",2147483647,' +
        '["-9223372036854775808","9223372036854775807","18446744073709551615",-1,"9007199254740992",9007199254740991,-9007199254740991,"-9007199254740992",0,"9223372036854775808"],' +
        '{"0":"at address zero","4096":{"base64":"' +
        Buffer.from(binary).toString('base64') +
        '"},"4352":"\\u0001\\u0002","8192":"hi","9000":{"base64":"aABpAA=="},"10000":"\ufeffA","11000":"é ✓ 𝄞","18446744073709551615":{"base64":"fw=="}}]',
    );
    assert.equal(lines[7], '{"type":"end","timestamp":"18446744073709551615","firings":4,"events":2}');
    assert.equal(lines[8], '');
  });

  it('keeps -1 and 2^64-1 apart as written, while asInt64/asUint64 give both readings', async () => {
    const { records } = await readAll(join(FIXTURES, 'int64-extremes.ndjson'));
    const [a, b] = records as TraceFiring[];
    assert.deepEqual(a!.args, [
      -1n,
      U64_MAX,
      I64_MIN,
      I64_MAX,
      1n << 63n,
      SAFE,
      -SAFE,
      SAFE + 1n,
      -SAFE - 2n,
      0n,
    ]);
    assert.equal(a!.timestamp, 18446744073709550000n);
    assert.equal(a!.tid, U64_MAX);
    assert.deepEqual(b!.args.slice(0, 3), [-1n, 1n, 0n]);
    assert.equal(asUint64(a!.args[0]!), U64_MAX);
    assert.equal(asInt64(a!.args[1]!), -1n);
    assert.equal(asInt64(a!.args[4]!), I64_MIN);
  });
});

describe('copying a trace', () => {
  for (const fixture of ['tiny.ndjson', 'tiny-compressed.ndjson', 'int64-extremes.ndjson', 'user-memory.ndjson']) {
    it(`${fixture}: records survive, and a copy of the copy is byte-identical`, async () => {
      const copy = async (from: string, to: string) => {
        const reader = await openTrace(from);
        const { format: _f, version: _v, ...rest } = reader.header;
        const writer = await createTraceWriter(to, rest);
        let end: bigint | undefined;
        for await (const record of reader) {
          if (record.kind === 'end') end = record.timestamp;
          else await writer.record(record);
        }
        await writer.close({ timestamp: end! });
      };
      const first = join(tmp, `copy1-${fixture}`);
      const second = join(tmp, `copy2-${fixture}`);
      await copy(join(FIXTURES, fixture), first);
      await copy(first, second);
      assert.deepEqual(readFileSync(second), readFileSync(first));
      const original = await readAll(join(FIXTURES, fixture));
      const copied = await readAll(first);
      assert.deepEqual(copied.reader.header, original.reader.header);
      assert.deepEqual(copied.records.map(plain), original.records.map(plain));
    });
  }

  it('the gzip fixture holds the same records as the plain one (detected by content, not name)', async () => {
    const raw = readFileSync(join(FIXTURES, 'tiny-compressed.ndjson'));
    assert.deepEqual(gunzipSync(raw), readFileSync(join(FIXTURES, 'tiny.ndjson')));
    const plainOne = await readAll(join(FIXTURES, 'tiny.ndjson'));
    const gzipped = await readAll(join(FIXTURES, 'tiny-compressed.ndjson'));
    assert.deepEqual(gzipped.records.map(plain), plainOne.records.map(plain));
    assert.equal(plainOne.records.length, 11);
    assert.deepEqual(plainOne.reader.header.extensions, { 'x-note': 'extension keys are kept in header.extensions' });
    const odd = plainOne.records.filter((r): r is TraceFiring => r.kind === 'firing' && r.pid === 77);
    assert.deepEqual(
      odd.map((f) => [f.execname, f.errno, f.args]),
      [
        ['we"ird é', 0, [0n, 4096n, 1n]],
        ['we"ird é', 4, [0n, -1n]],
      ],
    );
  });
});

describe('docs/trace-format.md', () => {
  it('its example trace ("At a glance") reads as described', async () => {
    const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'trace-format.md'), 'utf8');
    const example = /## At a glance\n\n```\n([\s\S]*?)```/.exec(doc)![1]!;
    const reader = await openTrace((async function* () {
      yield example;
    })());
    const records: TraceRecord[] = [];
    for await (const record of reader) records.push(record);
    assert.equal(reader.stats.complete, true);
    assert.deepEqual(records.map((r) => r.kind), ['exec', 'firing', 'firing', 'firing', 'exit', 'end']);
    const open = records[1] as TraceFiring;
    assert.equal(reader.header.probes[open.probe]!.function, 'openat');
    assert.equal(Buffer.from(open.memory!.readCString(open.args[1]!, 256)!).toString(), '/etc/passwd');
  });
});
