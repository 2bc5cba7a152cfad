// The firing scanner (the fast path) against the reference path (JSON.parse + checkFiring) on
// many generated and mutated lines: whatever the scanner accepts, the reference accepts too,
// with equal fields; whatever the scanner gives up on, the reader still answers exactly as the
// reference does (same record, or same error text).
// Run: node --import tsx --test test/unit/trace-scan.test.ts
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TraceFiring, TraceProbe } from '../../server/src/trace/format.ts';
import { parseFiringLine, scanFiring } from '../../server/src/trace/scan.ts';
import { checkFiring, parseJson, type FiringContext } from '../../server/src/trace/validate.ts';
import { xorshift } from '../support/xorshift';
import { firingFields, memorySegments } from '../support/traceFiring';

const probes: TraceProbe[] = [
  { provider: 'dtrace', module: '', function: '', name: 'BEGIN', args: [] },
  { provider: 'syscall', module: '', function: 'read', name: 'entry', args: ['int', 'void *', 'size_t'] },
  { provider: 'test', module: '', function: '', name: 'one', args: ['int64_t'] },
];
const context: FiringContext = { file: 't.ndjson', probes, ncpus: 8 };

function plain(f: TraceFiring) {
  return { ...firingFields(f), memory: f.memory?.raw ?? null, decoded: decoded(f) };
}

/** The memory's segments, or the error decoding them gives (decoding is lazy on both paths). */
function decoded(f: TraceFiring): unknown {
  try {
    return memorySegments(f);
  } catch (error) {
    return (error as Error).message;
  }
}

type Outcome = { record: ReturnType<typeof plain> } | { error: string };

function outcome(run: () => TraceFiring | undefined): Outcome {
  try {
    const record = run();
    assert.ok(record !== undefined);
    return { record: plain(record) };
  } catch (error) {
    if (error instanceof assert.AssertionError) throw error;
    return { error: (error as Error).message };
  }
}

const { random, pick } = xorshift(0x9e3779b9);

const WORDS = [
  '0', '1', '-1', '42', '9007199254740991', '-9007199254740991', '"0"', '"7"', '"-1"', '"9007199254740992"',
  '"18446744073709551615"', '"-9223372036854775808"', '"9223372036854775808"', '"18446744073709551616"',
  '"-9223372036854775809"', '9007199254740992', '18446744073709551615', '1.0', '1.5', '1e3', '-0', '"-0"', '"01"',
  '01', '"1 "', '" 1"', '"+1"', 'null', 'true', '[]', '{}', '"x"', '4294967295', '4294967296', '2147483647',
  '2147483648', '123456789012345', '1234567890123456', '"99999999999999999999"', '"1844674407370955161"',
];
const NAMES = ['"cat"', '""', '"we\\"ird"', '"caf\\u00e9"', '"tab\\t"', '"é ✓ 𝄞"', '42', 'null', '"a\\\\b"', '"\\ud800"'];
const SPACES = ['', '', '', ' ', '\t', ' \r'];

const MEMORY_ENTRIES = [
  '"4096":"abc"', '"0":""', '"18446744073709551615":{"base64":"AQ=="}', '"18446744073709551616":"a"', '"04096":"a"',
  '"4096":{"base64":"AQID"}', '"4097":"x\\"y\\n\\u00e9\\/"', '"4097":"bad \\x escape"', '"4097":"\\u12"', '"4097":"\\ud800"',
  '"4097":"tab\tin raw"', '"4096" : { "base64" : "AQID" }', '"4096":{"base64":"AQID","x":1}', '"4096":{"bas\\u0065\\u0036\\u0034":"AQID"}',
  '"\\u0034096":"a"', '"4096":5', '"4096":null', '"4096":{"base64":""}', '"4096":{"base64":"A!=="}', '"4096":{}', '"x-a":"b"',
  '"4100":"abcdef"', '"4098":"ab"', '"4096":"a"',
];
const MEMORY = ['{}', 'null', '[]', '{"4096":"abc"', ...MEMORY_ENTRIES.map((entry) => `{${entry}}`)];

/** Mostly one of the valid forms, sometimes anything from WORDS. */
function field(...valid: string[]): string {
  return random() < 0.93 ? pick(valid) : pick(WORDS);
}

function generateFiring(): string {
  const probe = random() < 0.95 ? pick([0, 1, 2, 1]) : pick([3, -1, '1.0', '"1"']);
  const arg = () => field('0', '3', '-1', '"-1"', '4096', '140737488346112', '"18446744073709551615"', '"-9223372036854775808"', '1e3', '-9007199254740991');
  const args = probe === 0 ? [] : probe === 2 ? [arg()] : [arg(), arg(), arg()];
  if (random() < 0.03) args.pop();
  const fields = [
    String(probe),
    field('1000', '"1000"', '"18446744073709551615"', '9007199254740991', '0'),
    field('0', '7', '1.0'),
    field('501', '2147483647', '0'),
    field('501', '"18446744073709551615"', '0'),
    field('1', '0'),
    field('1000', '4294967295'),
    field('1000', '0'),
    random() < 0.95 ? pick(NAMES.slice(0, 6)) : pick(NAMES),
    field('0', '2'),
    `[${args.join(',')}]`,
  ];
  if (random() < 0.3) fields.push(random() < 0.8 ? pick(MEMORY) : `{${pick(MEMORY_ENTRIES)},${pick(MEMORY_ENTRIES)}}`);
  if (random() < 0.02) fields.splice(Math.floor(random() * fields.length), 1);
  const space = () => (random() < 0.9 ? '' : pick(SPACES));
  return `${space()}[${fields.map((f) => space() + f + space()).join(',')}]${space()}`;
}

function mutate(line: string): string {
  const at = Math.floor(random() * (line.length + 1));
  switch (Math.floor(random() * 3)) {
    case 0:
      return line.slice(0, at) + line.slice(at + 1);
    case 1:
      return line.slice(0, at) + pick([',', '[', ']', '"', '-', '0', '9', '.', 'e', ' ', '\\', '{', '}']) + line.slice(at);
    default:
      return line.slice(0, at) + pick(['0', '"', ',', '5']) + line.slice(at + 1);
  }
}

describe('firing scanner vs reference path', () => {
  it('agree on generated and mutated lines', () => {
    let scanned = 0;
    let scannedWithMemory = 0;
    let valid = 0;
    let total = 0;
    for (let i = 0; i < 40000; i++) {
      let line = generateFiring();
      if (random() < 0.3) line = mutate(line);
      if (random() < 0.1) line = mutate(mutate(line));
      if (!line.trimStart().startsWith('[')) continue;
      total++;
      const reference = outcome(() => checkFiring(parseJson(line) as unknown[], 17, context));
      const fast = scanFiring(line, 17, context);
      if (fast !== undefined) {
        scanned++;
        if (fast.memory !== null) scannedWithMemory++;
        assert.deepEqual({ record: plain(fast) }, reference, `scanner accepted ${JSON.stringify(line)}`);
      }
      assert.deepEqual(outcome(() => parseFiringLine(line, 17, context)), reference, `reader on ${JSON.stringify(line)}`);
      if ('record' in reference) valid++;
    }
    // The generator must exercise both paths.
    assert.ok(total > 30000, `${total} lines`);
    assert.ok(valid > 2000, `${valid} valid lines`);
    // (Escapes, fractions, exponents and memory maps send many valid lines the reference way.)
    assert.ok(scanned > valid / 5, `the scanner took ${scanned} of ${valid} valid lines`);
    assert.ok(scannedWithMemory > 500, `the scanner took ${scannedWithMemory} lines with memory`);
  });

  it('takes the common form itself, memory included, and leaves unusual spellings to the reference path', () => {
    const common = '[1,1000,0,501,501,1,1000,1000,"cat",0,[3,"18446744073709551615",-1]]';
    assert.ok(scanFiring(common, 1, context) !== undefined);
    assert.ok(scanFiring(' [ 1 , 1000 , 0 , 501 , 501 , 1 , 1000 , 1000 , "cat" , 0 , [ 3 , 4 , 5 ] ] \r', 1, context) !== undefined);
    const withMemory = scanFiring('[1,1000,0,501,501,1,1000,1000,"cat",0,[3,4,5],{"1":"a\\n","9":{"base64":"AQID"}}]', 1, context);
    assert.deepEqual(withMemory?.memory?.raw, { '1': 'a\n', '9': { base64: 'AQID' } });
    assert.equal(scanFiring('[1,1000,0,501,501,1,1000,1000,"cat",0,[3,4,5],{"\\u0031":"a"}]', 1, context), undefined);
    assert.equal(scanFiring('[1,1000,0,501,501,1,1000,1000,"c\\"at",0,[3,4,5]]', 1, context), undefined);
  });

  it('builds 64-bit values only when read, and the same ones each time', () => {
    const f = scanFiring('[1,"9007199254740993",0,501,"18446744073709551615",1,1000,1000,"cat",0,["-9223372036854775808",-1,"18446744073709551615"]]', 1, context)!;
    assert.equal(f.timestamp, 9007199254740993n);
    assert.equal(f.tid, 18446744073709551615n);
    assert.deepEqual(f.args, [-9223372036854775808n, -1n, 18446744073709551615n]);
    assert.equal(f.args, f.args);
    assert.equal(f.kind, 'firing');
    assert.equal(f.memory, null);
    const shown = JSON.parse(JSON.stringify(f, (_k, v) => (typeof v === 'bigint' ? String(v) : v)));
    assert.deepEqual(shown, { kind: 'firing', line: 1, probe: 1, timestamp: '9007199254740993', cpu: 0, pid: 501, tid: '18446744073709551615', ppid: 1, uid: 1000, gid: 1000, execname: 'cat', errno: 0, args: ['-9223372036854775808', '-1', '18446744073709551615'], memory: null });
  });
});
