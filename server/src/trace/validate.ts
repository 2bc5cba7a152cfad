// Hand-written checks of single records, on values produced by JSON.parse. They are the
// reader's run-time validation (no schema library: a schema interpreter is far slower than a
// few typeof tests) and are kept in agreement with docs/trace-format.schema.json by
// test/unit/trace-schema.test.ts. Rules that span records (time order, the end counts, the
// header coming first) live in the reader.
//
// Each check throws RecordProblem with the text after `file:line: `; docs/trace-format.md
// lists the messages.

import { problem, RecordProblem } from './errors.ts';
import {
  EXTENSION_KEY_PREFIX,
  FIRING_MAX_LENGTH,
  FIRING_MIN_LENGTH,
  probeDescription,
  TRACE_FORMAT_NAME,
  TRACE_FORMAT_VERSION,
  type TraceEnd,
  type TraceExec,
  type TraceExit,
  type TraceFiring,
  type TraceHeader,
  type TraceProbe,
} from './format.ts';
import { decodeInt64, decodeUint64, decodeWord64, isRoundedInteger } from './int64.ts';
import { checkMemoryShape, TraceMemory } from './memory.ts';

/** What a firing is checked against: the header's probes and CPU count. */
export interface FiringContext {
  readonly file: string;
  readonly probes: readonly TraceProbe[];
  readonly ncpus: number;
}

const INT32_MAX = 0x7fffffff;
const UINT32_MAX = 0xffffffff;
const PLATFORM = /^[a-z0-9_]+-[a-z0-9_]+$/;

/** JSON.parse with a stable message: V8's own wording differs between versions. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return problem(/^[\t\r ]*$/.test(text) ? 'empty line' : 'not valid JSON');
  }
}

// ---------------------------------------------------------------- fields

const ROUNDED = 'is a JSON number beyond 2^53-1, which JSON readers round: write it as a decimal string';

export function uint64Field(name: string, value: unknown): bigint {
  const big = decodeUint64(value);
  if (big !== undefined) return big;
  if (isRoundedInteger(value)) problem(`field "${name}" ${ROUNDED}`);
  return problem(`field "${name}" must be an unsigned 64-bit integer`);
}

function int64Field(name: string, value: unknown): bigint {
  const big = decodeInt64(value);
  if (big !== undefined) return big;
  if (isRoundedInteger(value)) problem(`field "${name}" ${ROUNDED}`);
  return problem(`field "${name}" must be a signed 64-bit integer`);
}

function argValue(index: number, value: unknown): bigint {
  const big = decodeWord64(value);
  if (big !== undefined) return big;
  if (isRoundedInteger(value)) problem(`arg${index} ${ROUNDED}`);
  return problem(`arg${index} must be a 64-bit integer (from -2^63 to 2^64-1)`);
}

function pidField(name: string, value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= INT32_MAX) return value;
  return problem(`field "${name}" must be a non-negative 32-bit integer`);
}

function uint32Field(name: string, value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= UINT32_MAX) return value;
  return problem(`field "${name}" must be an unsigned 32-bit integer`);
}

function int32Field(name: string, value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= -INT32_MAX - 1 && value <= INT32_MAX) return value;
  return problem(`field "${name}" must be a 32-bit integer`);
}

function countField(name: string, value: unknown): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  return problem(`field "${name}" must be a non-negative integer`);
}

function stringField(name: string, value: unknown): string {
  if (typeof value === 'string') return value;
  return problem(`field "${name}" must be a string`);
}

function stringArrayField(name: string, value: unknown): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    problem(`field "${name}" must be an array of strings`);
  }
  return value as string[];
}

// ---------------------------------------------------------------- firings

/** Checks a parsed firing array and builds the record (its memory is shape-checked, not decoded). */
export function checkFiring(value: readonly unknown[], line: number, context: FiringContext): TraceFiring {
  if (value.length < FIRING_MIN_LENGTH || value.length > FIRING_MAX_LENGTH) {
    problem(`a firing must be an array of ${FIRING_MIN_LENGTH} or ${FIRING_MAX_LENGTH} elements, found ${value.length}`);
  }
  const probeIndex = value[0];
  if (typeof probeIndex !== 'number' || !Number.isSafeInteger(probeIndex) || probeIndex < 0) {
    problem('field "probe" must be a non-negative integer');
  }
  const probe = context.probes[probeIndex];
  if (probe === undefined) {
    problem(`field "probe" is ${probeIndex}, but the header declares ${context.probes.length} probe${context.probes.length === 1 ? '' : 's'}`);
  }
  const timestamp = uint64Field('timestamp', value[1]);
  const cpu = value[2];
  if (typeof cpu !== 'number' || !Number.isInteger(cpu) || cpu < 0) problem('field "cpu" must be a non-negative integer');
  if (cpu >= context.ncpus) problem(`field "cpu" is ${cpu}, but the header says ncpus is ${context.ncpus}`);
  const pid = pidField('pid', value[3]);
  const tid = uint64Field('tid', value[4]);
  const ppid = pidField('ppid', value[5]);
  const uid = uint32Field('uid', value[6]);
  const gid = uint32Field('gid', value[7]);
  const execname = stringField('execname', value[8]);
  const errno = pidField('errno', value[9]);
  const rawArgs = value[10];
  if (!Array.isArray(rawArgs)) problem('field "args" must be an array of 64-bit integers');
  if (rawArgs.length !== probe.args.length) {
    problem(
      `field "args" has ${rawArgs.length} value${rawArgs.length === 1 ? '' : 's'}, but probe ${probeIndex} (${probeDescription(probe)}) takes ${probe.args.length}`,
    );
  }
  const args = new Array<bigint>(rawArgs.length);
  for (let i = 0; i < rawArgs.length; i++) args[i] = argValue(i, rawArgs[i]);
  const memory = value.length === FIRING_MAX_LENGTH ? new TraceMemory(checkMemoryShape(value[11]), context.file, line) : null;
  return { kind: 'firing', line, probe: probeIndex, timestamp, cpu, pid, tid, ppid, uid, gid, execname, errno, args, memory };
}

// ---------------------------------------------------------------- object records

/**
 * Unknown keys (other than `x-...`) first, since a misspelt key also makes a required one
 * missing and the misspelling is the more useful report; then missing keys in spec order.
 */
function checkKeys(record: object, required: readonly string[], optional: readonly string[] = []): void {
  for (const key in record) {
    if (!required.includes(key) && !optional.includes(key) && !key.startsWith(EXTENSION_KEY_PREFIX)) {
      problem(`unknown field "${key}"`);
    }
  }
  for (const key of required) {
    if (!(key in record)) problem(`missing field "${key}"`);
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const HEADER_KEYS = ['type', 'format', 'version', 'platform', 'ncpus', 'timestamp', 'walltimestamp', 'probes'] as const;
const PROBE_KEYS = ['provider', 'module', 'function', 'name', 'args'] as const;

export function checkHeader(record: Record<string, unknown>): TraceHeader {
  // Identity first: a file that is not ours, or a newer version, should say so rather than
  // complain about fields it does not know.
  if (record.format !== TRACE_FORMAT_NAME) problem(`field "format" must be "${TRACE_FORMAT_NAME}"`);
  const version = record.version;
  if (typeof version !== 'number' || !Number.isInteger(version)) problem('field "version" must be an integer');
  if (version !== TRACE_FORMAT_VERSION) {
    problem(`unsupported format version ${version} (this reader reads version ${TRACE_FORMAT_VERSION})`);
  }
  checkKeys(record, HEADER_KEYS, ['source']);
  const platform = record.platform;
  if (typeof platform !== 'string' || !PLATFORM.test(platform)) {
    problem('field "platform" must be "<os>-<arch>" in lower case, e.g. "linux-x86_64"');
  }
  const ncpus = record.ncpus;
  if (typeof ncpus !== 'number' || !Number.isInteger(ncpus) || ncpus < 1 || ncpus > INT32_MAX) {
    problem('field "ncpus" must be a positive 32-bit integer');
  }
  const timestamp = uint64Field('timestamp', record.timestamp);
  const walltimestamp = int64Field('walltimestamp', record.walltimestamp);
  if (!Array.isArray(record.probes)) problem('field "probes" must be an array');
  const probes = record.probes.map(checkProbe);
  const seen = new Map<string, number>();
  probes.forEach((probe, index) => {
    const description = probeDescription(probe);
    const first = seen.get(description);
    if (first !== undefined) problem(`probe ${index} (${description}) is declared twice (also probe ${first})`);
    seen.set(description, index);
  });
  let source: string | undefined;
  if ('source' in record) source = stringField('source', record.source);
  let extensions: Record<string, unknown> | undefined;
  for (const key in record) {
    if (key.startsWith(EXTENSION_KEY_PREFIX)) (extensions ??= {})[key] = record[key];
  }
  return {
    format: TRACE_FORMAT_NAME,
    version: TRACE_FORMAT_VERSION,
    platform,
    ncpus,
    timestamp,
    walltimestamp,
    probes,
    ...(source !== undefined ? { source } : {}),
    ...(extensions !== undefined ? { extensions } : {}),
  };
}

function checkProbe(value: unknown, index: number): TraceProbe {
  try {
    if (!isPlainObject(value)) problem('must be an object');
    checkKeys(value, PROBE_KEYS);
    const part = (key: 'provider' | 'module' | 'function' | 'name', nonEmpty: boolean): string => {
      const text = value[key];
      if (typeof text !== 'string' || (nonEmpty && text === '') || text.includes(':')) {
        problem(`field "${key}" must be a ${nonEmpty ? 'non-empty ' : ''}string without ":"`);
      }
      return text;
    };
    const provider = part('provider', true);
    const module = part('module', false);
    const func = part('function', false);
    const name = part('name', true);
    const args = value.args;
    if (!Array.isArray(args)) problem('field "args" must be an array of D type names');
    args.forEach((type: unknown, i) => {
      if (typeof type !== 'string' || type === '' || type.trim() !== type) {
        problem(`args[${i}] must be a D type name (a non-empty string without surrounding spaces)`);
      }
    });
    return { provider, module, function: func, name, args: args as string[] };
  } catch (error) {
    if (error instanceof RecordProblem) problem(`probe ${index}: ${error.message}`);
    throw error;
  }
}

const EXEC_KEYS = ['type', 'timestamp', 'pid', 'ppid', 'uid', 'gid', 'execname', 'argv'] as const;
const EXIT_KEYS = ['type', 'timestamp', 'pid', 'status'] as const;
const END_KEYS = ['type', 'timestamp', 'firings', 'events'] as const;

export function checkExec(record: Record<string, unknown>, line: number): TraceExec {
  checkKeys(record, EXEC_KEYS);
  return {
    kind: 'exec',
    line,
    timestamp: uint64Field('timestamp', record.timestamp),
    pid: pidField('pid', record.pid),
    ppid: pidField('ppid', record.ppid),
    uid: uint32Field('uid', record.uid),
    gid: uint32Field('gid', record.gid),
    execname: stringField('execname', record.execname),
    argv: stringArrayField('argv', record.argv),
  };
}

export function checkExit(record: Record<string, unknown>, line: number): TraceExit {
  checkKeys(record, EXIT_KEYS);
  return {
    kind: 'exit',
    line,
    timestamp: uint64Field('timestamp', record.timestamp),
    pid: pidField('pid', record.pid),
    status: int32Field('status', record.status),
  };
}

export function checkEnd(record: Record<string, unknown>, line: number): TraceEnd {
  checkKeys(record, END_KEYS);
  return {
    kind: 'end',
    line,
    timestamp: uint64Field('timestamp', record.timestamp),
    firings: countField('firings', record.firings),
    events: countField('events', record.events),
  };
}

/** The record type of a parsed object, or a problem when "type" is missing or unknown. */
export function objectRecordType(record: Record<string, unknown>): 'header' | 'exec' | 'exit' | 'end' {
  const type = record.type;
  if (!('type' in record)) problem('missing field "type"');
  if (type === 'header' || type === 'exec' || type === 'exit' || type === 'end') return type;
  return problem('field "type" must be "header", "exec", "exit" or "end"');
}
