// The fast reader paths: the byte scanner (columns.ts) against the reference path on
// generated and mutated lines; exact 64-bit values through columns and records; malformed
// records found by the byte scanner with `file:line:` errors, and skip mode; the replay's
// columnar path (fields decoded only for replayed firings) against the record-at-a-time path;
// and the binary form (binary.ts, convert.ts): round trips both ways, its errors.
// Run: node --import tsx --test test/unit/trace-columns.test.ts
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { replayFirings } from '../../server/src/sources/replay';
import type { FiringSource } from '../../server/src/sources/source';
import { openTraceFile } from '../../server/src/sources/traceFile';
import { BINARY_MAGIC, TAG_FIRING } from '../../server/src/trace/binary.ts';
import { RecordColumns, scanFiringBytes } from '../../server/src/trace/columns.ts';
import { convertTrace } from '../../server/src/trace/convert.ts';
import type { TraceFiring, TraceProbe, TraceRecord } from '../../server/src/trace/format.ts';
import { openTrace, TraceFormatError } from '../../server/src/trace/index.ts';
import { checkFiring, parseJson, type FiringContext } from '../../server/src/trace/validate.ts';
import type { ProbeFiring } from '../../server/src/vm/engine';
import { firingFields, memorySegments } from '../support/traceFiring';
import { xorshift } from '../support/xorshift';

const FIXTURES = join(__dirname, '..', 'fixtures', 'traces');
const TMP = mkdtempSync(join(tmpdir(), 'trace-columns-'));
after(() => rmSync(TMP, { recursive: true, force: true }));

const probes: TraceProbe[] = [
  { provider: 'dtrace', module: '', function: '', name: 'BEGIN', args: [] },
  { provider: 'syscall', module: '', function: 'read', name: 'entry', args: ['int', 'void *', 'size_t'] },
  { provider: 'test', module: '', function: '', name: 'one', args: ['int64_t'] },
];
const context: FiringContext = { file: 't.ndjson', probes, ncpus: 8 };

function plain(f: TraceFiring) {
  let decoded: unknown;
  try {
    decoded = memorySegments(f);
  } catch (error) {
    decoded = (error as Error).message;
  }
  return { ...firingFields(f), memory: f.memory?.raw ?? null, decoded };
}

/** The byte scanner on one line (as lines.ts hands it: followed by a newline), or undefined where it gives up. */
function scanBytes(line: string, utf8 = true): TraceFiring | undefined {
  const bytes = Buffer.from(`${line}\n`, 'utf8');
  const out = new RecordColumns(bytes, context.file, 1);
  if (!scanFiringBytes(bytes, 0, bytes.length - 1, 17, context, utf8, out)) return undefined;
  assert.equal(out.count, 1);
  return out.record(0) as TraceFiring;
}

const { random, pick } = xorshift(0x2545f491);
const WORDS = [
  '0', '1', '-1', '42', '9007199254740991', '-9007199254740991', '"0"', '"7"', '"-1"', '"9007199254740992"', '"18446744073709551615"',
  '"-9223372036854775808"', '"9223372036854775808"', '"18446744073709551616"', '"-9223372036854775809"', '9007199254740992',
  '18446744073709551615', '1.0', '1e3', '-0', '"-0"', '"01"', '01', '" 1"', 'null', '[]', '"x"', '4294967295', '4294967296',
  '2147483647', '2147483648', '1234567890123456', '12345678901234567', '"99999999999999999999"',
];
const NAMES = ['"cat"', '""', '"we\\"ird"', '"caf\\u00e9"', '"é ✓ 𝄞"', '"bash"', '42', '"tab\\t"'];
const MEMORY = ['{"4096":"abc"}', '{"0":""}', '{"4096":{"base64":"AQID"}}', '{"4097":"x\\"y\\n\\u00e9\\/"}', '{}', '{"04096":"a"}', '{"4096":5}', '{"4096":{"base64":"A!=="}}', '{"4096":"a","4097":"b"}'];

function field(...valid: string[]): string {
  return random() < 0.93 ? pick(valid) : pick(WORDS);
}

function generateFiring(): string {
  const probe = random() < 0.95 ? pick([0, 1, 2, 1]) : pick([3, -1, '1.0']);
  const arg = () => field('0', '3', '-1', '"-1"', '4096', '140737488346112', '"18446744073709551615"', '"-9223372036854775808"', '-9007199254740991');
  const args = probe === 0 ? [] : probe === 2 ? [arg()] : [arg(), arg(), arg()];
  if (random() < 0.03) args.pop();
  const fields = [
    String(probe),
    field('1000', '"1000"', '"18446744073709551615"', '9007199254740991', '0'),
    field('0', '7'),
    field('501', '2147483647', '0'),
    field('501', '"18446744073709551615"', '0'),
    field('1', '0'),
    field('1000', '4294967295'),
    field('1000', '0'),
    pick(NAMES),
    field('0', '2'),
    `[${args.join(',')}]`,
  ];
  if (random() < 0.2) fields.push(pick(MEMORY));
  const space = () => (random() < 0.9 ? '' : pick(['', ' ', '\t', ' \r']));
  let line = `${space()}[${fields.map((f) => space() + f + space()).join(',')}]${space()}`;
  if (random() < 0.3) {
    const at = Math.floor(random() * (line.length + 1));
    line = line.slice(0, at) + pick([',', '[', ']', '"', '-', '0', '9', '.', ' ', '\\', '{', '}', '']) + line.slice(at + 1);
  }
  return line;
}

function outcome(run: () => TraceFiring): { record: ReturnType<typeof plain> } | { error: string } {
  try {
    return { record: plain(run()) };
  } catch (error) {
    if (error instanceof assert.AssertionError) throw error;
    return { error: (error as Error).message };
  }
}

describe('byte scanner vs reference path', () => {
  it('accepts only what the reference accepts, with equal fields (args and memory decoded lazily)', () => {
    let scanned = 0;
    let valid = 0;
    for (let i = 0; i < 30000; i++) {
      const line = generateFiring();
      // (A mutation may split a surrogate pair: such text has no UTF-8 form, so no file holds it.)
      if (!line.trimStart().startsWith('[') || Buffer.from(line, 'utf8').toString('utf8') !== line) continue;
      const reference = outcome(() => checkFiring(parseJson(line) as unknown[], 17, context));
      if ('record' in reference) valid++;
      const fast = scanBytes(line);
      if (fast !== undefined) {
        scanned++;
        assert.deepEqual({ record: plain(fast) }, reference, `byte scanner accepted ${JSON.stringify(line)}`);
      }
    }
    assert.ok(valid > 5000, `${valid} valid lines`);
    assert.ok(scanned > valid / 2, `the byte scanner took ${scanned} of ${valid} valid lines`);
  });

  it('stops at the end of its line (the newline after it is not part of it)', () => {
    assert.equal(scanBytes('[1,1000,0,501,501,1,1000,1000,"cat",0,[3,4,5]'), undefined);
    assert.equal(scanBytes('[1,1000,0,501,501,1,1000,1000,"cat",0,[3,4,'), undefined);
    assert.equal(scanBytes('[1,1000,0,501,501,1,1000,1000,"cat'), undefined);
    assert.ok(scanBytes(' [1,1000,0,501,501,1,1000,1000,"cat",0,[3,4,5]] \r') !== undefined);
  });

  it('interns execname by its bytes, ASCII and UTF-8 alike', () => {
    const a = scanBytes('[1,1000,0,501,501,1,1000,1000,"café ✓",0,[3,4,5]]')!;
    const b = scanBytes('[1,1000,0,501,501,1,1000,1000,"café ✓",0,[3,4,5]]')!;
    assert.equal(a.execname, 'café ✓');
    assert.equal(b.execname, 'café ✓');
    assert.equal(scanBytes('[1,1000,0,501,501,1,1000,1000,"bash",0,[3,4,5]]')!.execname, 'bash');
    assert.equal(scanBytes('[1,1000,0,501,501,1,1000,1000,"bas",0,[3,4,5]]')!.execname, 'bas');
  });
});

const HEADER = '{"type":"header","format":"dtvm-trace","version":1,"platform":"linux-x86_64","ncpus":4,"timestamp":1000,"walltimestamp":"-9223372036854775808","probes":[{"provider":"syscall","module":"","function":"read","name":"entry","args":["int","void *","size_t"]},{"provider":"syscall","module":"","function":"read","name":"return","args":["ssize_t"]}]}';

function traceOf(name: string, lines: string[]): string {
  const path = join(TMP, name);
  writeFileSync(path, `${[HEADER, ...lines].join('\n')}\n`);
  return path;
}

const EXTREMES = [
  '[0,1000,0,1,"18446744073709551615",1,0,0,"a",0,["-9223372036854775808","18446744073709551615",-1]]',
  '[1,"9007199254740993",3,2147483647,9007199254740991,0,4294967295,4294967295,"b",2147483647,["9223372036854775807"]]',
  '[0,"18446744073709551615",1,5,"9007199254740992",1,0,0,"a",0,[-9007199254740991,9007199254740991,4095]]',
  '{"type":"end","timestamp":"18446744073709551615","firings":3,"events":0}',
];

async function records(path: string, name = 't'): Promise<TraceRecord[]> {
  const out: TraceRecord[] = [];
  for await (const r of await openTrace(path, { name })) out.push(r);
  return out;
}

describe('exact 64-bit values', () => {
  it('through the columns and through the records', async () => {
    const path = traceOf('extremes.ndjson', EXTREMES);
    const firings = (await records(path)).filter((r): r is TraceFiring => r.kind === 'firing');
    assert.deepEqual(
      firings.map((f) => [f.timestamp, f.tid, [...f.args]]),
      [
        [1000n, 18446744073709551615n, [-9223372036854775808n, 18446744073709551615n, -1n]],
        [9007199254740993n, 9007199254740991n, [9223372036854775807n]],
        [18446744073709551615n, 9007199254740992n, [-9007199254740991n, 9007199254740991n, 4095n]],
      ],
    );
    const reader = await openTrace(path);
    const seen: unknown[] = [];
    for await (const c of reader.columnBatches()) {
      for (let i = 0; i < c.count; i++) if (c.kind[i] === 0) seen.push([c.timestamp(i), c.tid(i), c.args(i)]);
    }
    assert.deepEqual(seen, firings.map((f) => [f.timestamp, f.tid, [...f.args]]));
  });
});

describe('malformed records on the byte path', () => {
  const GOOD = '[0,2000,0,501,501,1,1000,1000,"cat",0,[3,4,5]]';
  const cases: Array<[string, string, string]> = [
    ['cpu', '[0,2000,4,501,501,1,1000,1000,"cat",0,[3,4,5]]', 'field "cpu" is 4, but the header says ncpus is 4'],
    ['probe', '[2,2000,0,501,501,1,1000,1000,"cat",0,[3,4,5]]', 'field "probe" is 2, but the header declares 2 probes'],
    ['arg count', '[1,2000,0,501,501,1,1000,1000,"cat",0,[3,4]]', 'field "args" has 2 values, but probe 1 (syscall::read:return) takes 1'],
    ['rounded', '[0,9007199254740993,0,501,501,1,1000,1000,"cat",0,[3,4,5]]', 'field "timestamp" is a JSON number beyond 2^53-1, which JSON readers round: write it as a decimal string'],
    ['arg range', '[0,2000,0,501,501,1,1000,1000,"cat",0,[3,"18446744073709551616",5]]', 'arg1 must be a 64-bit integer (from -2^63 to 2^64-1)'],
    ['time order', '[0,1500,0,501,501,1,1000,1000,"cat",0,[3,4,5]]', 'field "timestamp" is 1500, earlier than the previous record\'s 2000 (records must be in time order)'],
    ['cut line', '[0,2000,0,501,501,1,1000,1000,"cat",0,[3,4', 'not valid JSON'],
  ];
  for (const [what, bad, message] of cases) {
    it(`${what}: file:line: what is wrong, and skip mode drops only that record`, async () => {
      const path = traceOf(`bad-${what.replace(/ /g, '-')}.ndjson`, [GOOD, GOOD, bad, GOOD, '{"type":"end","timestamp":3000,"firings":3,"events":0}']);
      await assert.rejects(records(path, 'bad.ndjson'), (error: unknown) => {
        assert.ok(error instanceof TraceFormatError);
        assert.equal(error.message, `bad.ndjson:4: ${message}`);
        return true;
      });
      const reader = await openTrace(path, { name: 'bad.ndjson', onError: 'skip' });
      const lines: number[] = [];
      for await (const r of reader) lines.push(r.line);
      assert.deepEqual(lines, [2, 3, 5, 6]);
      assert.equal(reader.stats.skipped, 1);
      assert.deepEqual(reader.stats.errors, [`bad.ndjson:4: ${message}`]);
      assert.equal(reader.stats.complete, true);
    });
  }

  it('a line split across chunks, and a last line without a newline', async () => {
    const text = `${[HEADER, GOOD, GOOD, '{"type":"end","timestamp":3000,"firings":2,"events":0}'].join('\n')}`;
    const bytes = Buffer.from(text);
    async function* chunks() {
      for (let i = 0; i < bytes.length; i += 7) yield bytes.subarray(i, i + 7);
    }
    const reader = await openTrace(chunks(), { name: 's' });
    const out: string[] = [];
    for await (const r of reader) out.push(`${r.kind}@${r.line}`);
    assert.deepEqual(out, ['firing@2', 'firing@3', 'end@4']);
    assert.equal(reader.stats.complete, true);
  });
});

/** The trace's source with only `records()`: the replay's record-at-a-time (eager) path. */
async function eagerSource(path: string): Promise<FiringSource> {
  const reader = await openTrace(path);
  return { header: reader.header, records: () => reader.records(), close: () => reader.close() };
}

function firingView(f: ProbeFiring): unknown {
  const memory = f.userMemory as { segments?: () => readonly { address: bigint; bytes: Uint8Array }[] } | undefined;
  return {
    ...f,
    parentOf: typeof f.parentOf,
    userMemory: memory?.segments?.().map((s) => [s.address, Buffer.from(s.bytes).toString('hex')]) ?? (f.userMemory === undefined ? null : 'other'),
  };
}

async function replayed(source: FiringSource, replay: number[]): Promise<unknown[]> {
  const ids = new Int32Array(source.header.probes.length).map((_, i) => 100 + i);
  const marks = new Uint8Array(source.header.probes.length);
  for (const i of replay) marks[i] = 1;
  const out: unknown[] = [];
  for await (const f of replayFirings(source, ids, marks)) out.push(firingView(f));
  return out;
}

describe('replay: columns (lazy) vs records (eager)', () => {
  const traces = readdirSync(FIXTURES).filter((f) => f.endsWith('.ndjson'));
  for (const file of traces) {
    it(`${file}: the same firings, fields, args and memory`, async () => {
      const path = join(FIXTURES, file);
      const header = (await openTrace(path)).header;
      const all = header.probes.map((_, i) => i);
      const half = all.filter((i) => i % 2 === 0);
      for (const replay of [all, half]) {
        const lazy = await replayed(await openTraceFile(path), replay);
        const eager = await replayed(await eagerSource(path), replay);
        assert.deepEqual(lazy, eager);
      }
      // The binary form replays the same firings too.
      const binary = join(TMP, `${file}.dtb`);
      await convertTrace(path, binary);
      assert.deepEqual(await replayed(await openTraceFile(binary), all), await replayed(await eagerSource(path), all));
    });
  }
});

describe('binary form', () => {
  const traces = readdirSync(FIXTURES).filter((f) => f.endsWith('.ndjson'));
  for (const file of traces) {
    it(`${file}: NDJSON -> binary -> NDJSON gives the same records, and the same bytes for a canonical trace`, async () => {
      const path = join(FIXTURES, file);
      const binary = join(TMP, `${file}.rt.dtb`);
      const back = join(TMP, `${file}.rt.ndjson`);
      const there = await convertTrace(path, binary);
      assert.deepEqual([there.from, there.to], ['ndjson', 'binary']);
      assert.ok(readFileSync(binary).subarray(0, 8).equals(Buffer.from(BINARY_MAGIC)));
      const again = await convertTrace(binary, back);
      assert.deepEqual([again.from, again.to], ['binary', 'ndjson']);
      const view = (rs: TraceRecord[]) => rs.map((r) => (r.kind === 'firing' ? plain(r) : r));
      assert.deepEqual(view(await records(binary)), view(await records(path)));
      assert.deepEqual(view(await records(back)), view(await records(path)));
      // Converting the NDJSON written by our own writer again is byte-identical.
      const binary2 = join(TMP, `${file}.rt2.dtb`);
      const back2 = join(TMP, `${file}.rt2.ndjson`);
      await convertTrace(back, binary2);
      await convertTrace(binary2, back2);
      assert.equal(readFileSync(back2, 'utf8'), readFileSync(back, 'utf8'));
      assert.ok(readFileSync(binary2).equals(readFileSync(binary)));
    });
  }

  it('exact 64-bit values, gzip-compressed too', async () => {
    const path = traceOf('extremes2.ndjson', EXTREMES);
    const binary = join(TMP, 'extremes.dtb');
    await convertTrace(path, binary);
    const gz = join(TMP, 'extremes.dtb.gz');
    writeFileSync(gz, gzipSync(readFileSync(binary)));
    const view = (rs: TraceRecord[]) => rs.map((r) => (r.kind === 'firing' ? plain(r) : r));
    assert.deepEqual(view(await records(gz)), view(await records(path)));
    // Read in tiny chunks: records continue across chunks.
    const bytes = readFileSync(binary);
    async function* chunks() {
      for (let i = 0; i < bytes.length; i += 5) yield bytes.subarray(i, i + 5);
    }
    const out: TraceRecord[] = [];
    for await (const r of await openTrace(chunks(), { name: 'x' })) out.push(r);
    assert.deepEqual(view(out), view(await records(path)));
  });

  it('is much smaller than NDJSON', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 2000; i++) lines.push(`[${i % 2},${2000 + i * 700},${i % 4},${1000 + (i % 50)},${10000 + (i % 50)},1,1000,1000,"${['bash', 'node', 'cc'][i % 3]}",0,[${i % 2 === 0 ? `${i % 64},${140737488355000 + i * 16},4096` : `${i * 3}`}]]`);
    const path = traceOf('size.ndjson', [...lines, `{"type":"end","timestamp":${2000 + 2000 * 700},"firings":2000,"events":0}`]);
    const binary = join(TMP, 'size.dtb');
    await convertTrace(path, binary);
    assert.ok(readFileSync(binary).length * 2.5 < readFileSync(path).length, `${readFileSync(binary).length} vs ${readFileSync(path).length}`);
  });

  it('errors are file:record: what is wrong (the record number is the NDJSON line number)', async () => {
    const path = traceOf('forbinary.ndjson', [
      '[0,2000,0,501,501,1,1000,1000,"cat",0,[3,4,5]]',
      '[1,2100,1,501,501,1,1000,1000,"cat",0,[3]]',
      '{"type":"end","timestamp":3000,"firings":2,"events":0}',
    ]);
    const binary = join(TMP, 'forbinary.dtb');
    await convertTrace(path, binary);
    const bytes = readFileSync(binary);
    const headerEnd = 16 + bytes.readUInt32LE(12);
    // Records: string "cat" (not a record), firing (record 2), firing (record 3), end (record 4).
    // A firing: tag, body length, probe, timestamp delta (1000: two bytes), cpu, ...
    const firstFiring = headerEnd + 2 + 3; // the string definition: tag, length 3, "cat"
    assert.equal(bytes[firstFiring], TAG_FIRING);
    const cases: Array<[string, Buffer, string]> = [
      ['truncated', bytes.subarray(0, bytes.length - 3), 'b.dtb:4: the trace ends inside a record (it is truncated)'],
      ['no end', bytes.subarray(0, bytes.length - (bytes.length - firstFiring) + 0), 'b.dtb:1: the trace ends without an end record (it is truncated)'],
      ['cpu', patch(bytes, firstFiring + 5, 9), 'b.dtb:2: field "cpu" is 9, but the header says ncpus is 4'],
      ['tag', patch(bytes, firstFiring, 0x7f), 'b.dtb:2: unknown record tag 0x7f'],
      ['version', patch(bytes, 8, 2), 'b.dtb:1: unsupported binary format version 2 (this reader reads version 1)'],
      ['header', bytes.subarray(0, 20), 'b.dtb:1: the trace ends inside its header (it is truncated)'],
    ];
    for (const [what, data, message] of cases) {
      const file = join(TMP, `bad-${what}.dtb`);
      writeFileSync(file, data);
      await assert.rejects(records(file, 'b.dtb'), `${what}: no error`);
      await assert.rejects(records(file, 'b.dtb'), (error: unknown) => {
        assert.ok(error instanceof TraceFormatError, `${what}: ${String(error)}`);
        void 0;
        assert.equal(error.message, message, what);
        return true;
      });
    }
    // Skip mode steps over a bad firing by its length.
    const file = join(TMP, 'bad-skip.dtb');
    writeFileSync(file, patch(bytes, firstFiring + 5, 9));
    const reader = await openTrace(file, { name: 'b.dtb', onError: 'skip' });
    const lines: string[] = [];
    for await (const r of reader) lines.push(`${r.kind}@${r.line}`);
    assert.deepEqual(lines, ['firing@3', 'end@4']);
    assert.equal(reader.stats.skipped, 1);
    assert.deepEqual(reader.stats.errors.slice(0, 1), ['b.dtb:2: field "cpu" is 9, but the header says ncpus is 4']);
  });
});

function patch(bytes: Buffer, at: number, value: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[at] = value;
  return copy;
}
