// docs/trace-format.schema.json and the reader's hand-written checks agree: on every line of
// the fixtures and on many mutated records, the schema accepts a record exactly when the
// reader's per-record checks do, apart from the rules a schema cannot state (listed in
// SEMANTIC below, and in the schema's description). The schema is checked with a small
// validator for the subset of draft 2020-12 it uses (an unknown keyword fails the test)
// and with Ajv.
// Run: node --import tsx --test test/unit/trace-schema.test.ts
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import type { TraceProbe } from '../../server/src/trace/format.ts';
import { decodeInt64, decodeUint64, decodeWord64 } from '../../server/src/trace/int64.ts';
import { checkEnd, checkExec, checkExit, checkFiring, checkHeader, isPlainObject, objectRecordType } from '../../server/src/trace/validate.ts';
import { xorshift } from '../support/xorshift';

const ROOT = join(__dirname, '..', '..');
const schema = JSON.parse(readFileSync(join(ROOT, 'docs', 'trace-format.schema.json'), 'utf8'));
const FIXTURES = join(ROOT, 'test', 'fixtures', 'traces');

// ---------------------------------------------------------------- a validator for our subset

type Schema = boolean | { [keyword: string]: unknown };
const ANNOTATIONS = new Set(['$schema', '$defs', '$comment', 'title', 'description']);
const IMPLEMENTED = new Set([
  '$ref', 'oneOf', 'type', 'const', 'minimum', 'maximum', 'pattern', 'required', 'minProperties', 'propertyNames',
  'properties', 'patternProperties', 'additionalProperties', 'prefixItems', 'items', 'minItems', 'maxItems',
]);

function resolve(ref: string): Schema {
  assert.match(ref, /^#\/\$defs\/[A-Za-z0-9]+$/, `unsupported $ref ${ref}`);
  const target = schema.$defs[ref.slice('#/$defs/'.length)];
  assert.ok(target !== undefined, `dangling $ref ${ref}`);
  return target;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    default:
      return typeOf(value) === type;
  }
}

function valid(s: Schema, value: unknown): boolean {
  if (s === true) return true;
  if (s === false) return false;
  for (const [keyword, arg] of Object.entries(s)) {
    if (ANNOTATIONS.has(keyword)) continue;
    if (!check(keyword, arg, s, value)) return false;
  }
  return true;
}

function check(keyword: string, arg: any, s: { [keyword: string]: unknown }, value: any): boolean {
  const isObject = isPlainObject(value);
  const isArray = Array.isArray(value);
  switch (keyword) {
    case '$ref':
      return valid(resolve(arg), value);
    case 'oneOf':
      return (arg as Schema[]).filter((sub) => valid(sub, value)).length === 1;
    case 'type':
      return hasType(value, arg);
    case 'const':
      return value === arg;
    case 'minimum':
      return typeof value !== 'number' || value >= arg;
    case 'maximum':
      return typeof value !== 'number' || value <= arg;
    case 'pattern':
      return typeof value !== 'string' || new RegExp(arg, 'u').test(value);
    case 'required':
      return !isObject || (arg as string[]).every((key) => Object.prototype.hasOwnProperty.call(value, key));
    case 'minProperties':
      return !isObject || Object.keys(value).length >= arg;
    case 'propertyNames':
      return !isObject || Object.keys(value).every((key) => valid(arg, key));
    case 'properties':
      return !isObject || Object.entries(arg as Record<string, Schema>).every(([key, sub]) => !(key in value) || valid(sub, value[key]));
    case 'patternProperties':
      return (
        !isObject ||
        Object.entries(arg as Record<string, Schema>).every(([pattern, sub]) =>
          Object.keys(value).every((key) => !new RegExp(pattern, 'u').test(key) || valid(sub, value[key])),
        )
      );
    case 'additionalProperties': {
      if (!isObject) return true;
      const named = Object.keys((s.properties as object | undefined) ?? {});
      const patterns = Object.keys((s.patternProperties as object | undefined) ?? {}).map((p) => new RegExp(p, 'u'));
      return Object.keys(value)
        .filter((key) => !named.includes(key) && !patterns.some((p) => p.test(key)))
        .every((key) => valid(arg, value[key]));
    }
    case 'prefixItems':
      return !isArray || (arg as Schema[]).every((sub, i) => i >= value.length || valid(sub, value[i]));
    case 'items': {
      if (!isArray) return true;
      const from = ((s.prefixItems as unknown[] | undefined) ?? []).length;
      return value.slice(from).every((item: unknown) => valid(arg, item));
    }
    case 'minItems':
      return !isArray || value.length >= arg;
    case 'maxItems':
      return !isArray || value.length <= arg;
    default:
      throw new Error(`the schema uses "${keyword}", which this test's validator does not implement`);
  }
}

// ---------------------------------------------------------------- the reader's verdict

/** What a schema cannot say: cross-record and cross-field rules, and decoded-byte rules. */
const SEMANTIC = [/is declared twice/, /overlaps the bytes recorded/, /run past the end of the address space/, /lone surrogate/];

/** The reader's per-record checks, in a context where every probe index exists with as many args as the record has. */
function readerVerdict(value: unknown): { ok: true } | { ok: false; message: string; semantic: boolean } {
  try {
    if (Array.isArray(value)) {
      const count = Array.isArray(value[10]) ? value[10].length : 0;
      const probe: TraceProbe = { provider: 'p', module: '', function: '', name: 'n', args: new Array(count).fill('int64_t') };
      const probes = new Proxy([] as TraceProbe[], {
        get: (target, key) => (typeof key === 'string' && /^[0-9]+$/.test(key) ? probe : key === 'length' ? Number.MAX_SAFE_INTEGER : Reflect.get(target, key)),
      });
      checkFiring(value, 1, { file: 's', probes, ncpus: 2147483647 }).memory?.segments();
    } else if (isPlainObject(value)) {
      const type = objectRecordType(value);
      if (type === 'header') checkHeader(value);
      else if (type === 'exec') checkExec(value, 1);
      else if (type === 'exit') checkExit(value, 1);
      else checkEnd(value, 1);
    } else {
      return { ok: false, message: 'not a record', semantic: false };
    }
    return { ok: true };
  } catch (error) {
    const message = (error as Error).message;
    return { ok: false, message, semantic: SEMANTIC.some((pattern) => pattern.test(message)) };
  }
}

function assertAgree(value: unknown): boolean {
  const bySchema = valid(schema, value);
  const byReader = readerVerdict(value);
  const text = JSON.stringify(value);
  if (byReader.ok) assert.ok(bySchema, `the reader accepts but the schema refuses ${text}`);
  else if (!byReader.semantic) assert.ok(!bySchema, `the schema accepts but the reader refuses (${byReader.message}): ${text}`);
  return bySchema;
}

// ---------------------------------------------------------------- samples

function fixtureValues(): unknown[] {
  const values: unknown[] = [];
  const add = (bytes: Buffer) => {
    const raw = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
    for (const line of raw.toString('utf8').split('\n')) {
      try {
        values.push(JSON.parse(line));
      } catch {
        // not JSON: nothing for a schema to say
      }
    }
  };
  for (const dir of [FIXTURES, join(FIXTURES, 'malformed')]) {
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ndjson'))) {
      if (file === 'truncated-gzip.ndjson') continue;
      add(readFileSync(join(dir, file)));
    }
  }
  return values;
}

const { random, pick } = xorshift(20240611);

const INTERESTING: unknown[] = [
  0, -1, 1, 1.5, -0, 1e3, 2 ** 31, 2 ** 31 - 1, 2 ** 32, 2 ** 32 - 1, -(2 ** 31), -(2 ** 31) - 1, 2 ** 53, 2 ** 53 - 1, -(2 ** 53 - 1), 1e300,
  '0', '1', '-1', '01', '-0', '', 'x', ' ', ' int', 'int ', 'char *', 'a:b', 'linux-x86_64', 'Linux-x86', 'dtvm-trace',
  '18446744073709551615', '18446744073709551616', '-9223372036854775808', '-9223372036854775809', '9223372036854775807', '9223372036854775808',
  '9007199254740992', 'header', 'exec', 'exit', 'end', null, true, false, [], {}, [1], ['int'], [''], { '4096': 'a' },
  { base64: 'AQID' }, { '4096': { base64: 'AQID' } }, { '4096': { base64: '' } }, { '1': 'ab', '2': 'x' }, { '0x10': 'a' },
  { '4096': 'a\ud800' }, { '18446744073709551615': { base64: 'AQ==' } }, { '18446744073709551614': 'ab' },
  { provider: 'p', module: '', function: '', name: 'n', args: [] },
];

function mutate(value: unknown, depth = 0): unknown {
  if (Array.isArray(value)) {
    const copy = [...value];
    const roll = random();
    if (roll < 0.1) copy.pop();
    else if (roll < 0.15) copy.push(pick(INTERESTING));
    else if (copy.length > 0) {
      const i = Math.floor(random() * copy.length);
      copy[i] = depth < 2 && random() < 0.4 ? mutate(copy[i], depth + 1) : pick(INTERESTING);
    }
    return copy;
  }
  if (isPlainObject(value)) {
    const copy: Record<string, unknown> = { ...value };
    const keys = Object.keys(copy);
    const roll = random();
    if (roll < 0.12 && keys.length > 0) delete copy[pick(keys)];
    else if (roll < 0.2) copy[pick(['x-extra', 'extra', 'type', '4096', 'base64', 'args', '18446744073709551616'])] = pick(INTERESTING);
    else if (keys.length > 0) {
      const key = pick(keys);
      copy[key] = depth < 2 && random() < 0.4 ? mutate(copy[key], depth + 1) : pick(INTERESTING);
    }
    return copy;
  }
  return pick(INTERESTING);
}

// ---------------------------------------------------------------- tests

/** The schema compiled by Ajv, an independent draft 2020-12 implementation. */
function compileWithAjv(): (value: unknown) => boolean {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Ajv2020 = require('ajv/dist/2020').default as new (options: object) => { compile(s: object): (v: unknown) => boolean };
  return new Ajv2020({ strict: true, strictTuples: false }).compile(schema);
}

describe('JSON Schema', () => {
  it('is draft 2020-12 and uses only keywords this validator implements', () => {
    assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
    const used = new Set<string>();
    const walk = (s: unknown): void => {
      if (typeof s !== 'object' || s === null) return;
      for (const [keyword, arg] of Object.entries(s)) {
        used.add(keyword);
        if (keyword === 'properties' || keyword === 'patternProperties' || keyword === '$defs') Object.values(arg as object).forEach(walk);
        else if (keyword === 'oneOf' || keyword === 'prefixItems') (arg as unknown[]).forEach(walk);
        else if (keyword === 'items' || keyword === 'additionalProperties' || keyword === 'propertyNames') walk(arg);
      }
    };
    walk(schema);
    const unknown = [...used].filter((k) => !ANNOTATIONS.has(k) && !IMPLEMENTED.has(k));
    assert.deepEqual(unknown, []);
  });

  it('its decimal-string patterns accept exactly the values the reader accepts', () => {
    const uint64 = new RegExp(schema.$defs.uint64.oneOf[1].pattern, 'u');
    const int64 = new RegExp(schema.$defs.int64.oneOf[1].pattern, 'u');
    const word64 = new RegExp(schema.$defs.word64.oneOf[1].pattern, 'u');
    const address = new RegExp(schema.$defs.memory.propertyNames.pattern, 'u');
    const samples = ['0', '-0', '00', '1', '-1', '18446744073709551615', '18446744073709551616', '9223372036854775807', '9223372036854775808', '-9223372036854775808', '-9223372036854775809', '99999999999999999999'];
    for (let i = 0; i < 20000; i++) {
      const length = 1 + Math.floor(random() * 21);
      let digits = '';
      for (let d = 0; d < length; d++) digits += String(Math.floor(random() * 10));
      if (random() < 0.5) digits = digits.replace(/^0+(?=.)/, '');
      if (random() < 0.3) digits = pick(['18446744073709551', '92233720368547758', '1844674407370955161', '922337203685477580']) + digits.slice(0, 3);
      samples.push(digits, `-${digits}`);
    }
    for (const text of samples) {
      assert.equal(uint64.test(text), decodeUint64(text) !== undefined, `uint64 "${text}"`);
      assert.equal(address.test(text), decodeUint64(text) !== undefined, `address "${text}"`);
      assert.equal(int64.test(text), decodeInt64(text) !== undefined, `int64 "${text}"`);
      assert.equal(word64.test(text), decodeWord64(text) !== undefined, `word64 "${text}"`);
    }
  });

  it('accepts every record of the valid fixtures', () => {
    for (const file of ['tiny.ndjson', 'tiny-compressed.ndjson', 'int64-extremes.ndjson', 'user-memory.ndjson']) {
      let bytes = readFileSync(join(FIXTURES, file));
      if (bytes[0] === 0x1f) bytes = gunzipSync(bytes);
      for (const line of bytes.toString('utf8').trim().split('\n')) assert.ok(valid(schema, JSON.parse(line)), `${file}: ${line}`);
    }
  });

  it('agrees with the reader on every line of every fixture and on many mutated records', () => {
    const base = fixtureValues();
    let accepted = 0;
    let refused = 0;
    const ajv = compileWithAjv();
    const all: unknown[] = [...base];
    for (let i = 0; i < 30000; i++) {
      let value = pick(base);
      for (let n = 1 + Math.floor(random() * 2); n > 0; n--) value = mutate(value);
      all.push(value);
    }
    for (const value of all) {
      const ok = assertAgree(value);
      if (ok) accepted++;
      else refused++;
      assert.equal(ajv(value), ok, `Ajv and this validator differ on ${JSON.stringify(value)}`);
    }
    assert.ok(accepted > 2000 && refused > 2000, `accepted ${accepted}, refused ${refused}`);
  });

  it('is a valid draft 2020-12 schema (Ajv compiles it in strict mode)', () => {
    assert.doesNotThrow(compileWithAjv);
  });
});
