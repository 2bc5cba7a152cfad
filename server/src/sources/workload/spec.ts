// The workload file (docs/workloads.md): read, checked and compiled into samplers. Every
// mistake is reported as `file:line:column: what is wrong`, at the value that is wrong.
import { parseProfileProbeName } from '../../analyze/catalogue/profile-provider.ts';
import { FLAVOURS, isFlavour, type Flavour } from '../../analyze/flavour/flavours.ts';
import { JsonSyntaxError, parseLocatedJson, type LocatedJson } from './jsonLocations.ts';
import { flavourProbes, type FlavourProbes } from './probes.ts';
import { sampler, scalar, ValueProblem, wordSampler, type Sampler, type WordSampler } from './values.ts';

/** The one version of the workload file format. */
export const WORKLOAD_FORMAT_VERSION = 1;

export class WorkloadError extends Error {
  override readonly name = 'WorkloadError';
}

export interface DeviceSpec {
  /** Driver name ("sd", "ada", "disk"). */
  readonly name: string;
  readonly instance: number;
  readonly major: number;
  readonly minor: number;
}

export type ArgSpec =
  | { readonly kind: 'value'; readonly sample: WordSampler }
  /** A user-space buffer address (distinct per thread, stable across calls). */
  | { readonly kind: 'pointer' }
  /** A user-space string, one of `texts`, recorded as the firing's memory so copyinstr() reads it. */
  | { readonly kind: 'string'; readonly texts: readonly string[]; readonly pick: Sampler };

export interface IoSpec {
  readonly probability: number;
  /** Index into WorkloadSpec.devices. */
  readonly device: number;
  readonly size: Sampler;
  readonly latency: Sampler;
  readonly write: boolean;
  /** The files the requests belong to (fileinfo_t's fi_pathname); none: unknown. */
  readonly file?: { readonly texts: readonly string[]; readonly pick: Sampler };
}

export interface SyscallSpec {
  readonly name: string;
  /** Calls per second of one thread (the weight of this call among the thread's calls). */
  readonly rate: number;
  readonly latency: Sampler;
  readonly args: readonly ArgSpec[];
  /** The return value (default 0). */
  readonly returns: WordSampler;
  readonly errors?: { readonly probability: number; readonly errno: number };
  /** Probability that the call sleeps for its latency (leaves the CPU). */
  readonly blocks: number;
  readonly io?: IoSpec;
}

export interface ProcessSpec {
  readonly execname: string;
  readonly count: number;
  readonly threads: number;
  readonly pid?: number;
  readonly ppid: number;
  readonly uid: number;
  readonly gid: number;
  readonly argv?: readonly string[];
  /** CPU time between two calls; default exponential with mean 1 / (sum of the rates). */
  readonly think: Sampler;
  readonly syscalls: readonly SyscallSpec[];
}

export interface WorkloadSpec {
  readonly file: string;
  readonly flavour: Flavour;
  readonly ncpus: number;
  /** ns */
  readonly duration: number;
  readonly seed: number;
  /** ns a thread runs before a waiting one gets the CPU. */
  readonly quantum: number;
  readonly timestamp: bigint;
  readonly walltimestamp: bigint;
  readonly devices: readonly DeviceSpec[];
  /** profile-N and tick-N probes the workload fires itself, in the context of what runs on the CPU. */
  readonly profile: readonly { readonly name: string; readonly interval: number; readonly everyCpu: boolean }[];
  readonly processes: readonly ProcessSpec[];
}

const TOP_KEYS = ['workload', 'description', 'flavour', 'ncpus', 'duration', 'seed', 'quantum', 'start', 'devices', 'profile', 'processes'];
const PROCESS_KEYS = ['execname', 'count', 'threads', 'pid', 'ppid', 'uid', 'gid', 'argv', 'think', 'syscalls'];
const SYSCALL_KEYS = ['name', 'rate', 'latency', 'args', 'returns', 'errors', 'blocks', 'io'];
const IO_KEYS = ['probability', 'device', 'size', 'latency', 'write', 'file'];
const DEVICE_KEYS = ['name', 'instance', 'major', 'minor'];

/** Limits that keep a typo from asking for a machine no one has. */
const MAX_CPUS = 1024;
const MAX_THREADS = 100_000;

export function parseWorkload(text: string, file: string): WorkloadSpec {
  let json: LocatedJson;
  try {
    json = parseLocatedJson(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) throw new WorkloadError(`${file}:${e.location.line}:${e.location.column}: ${e.reason}`);
    throw e;
  }
  const fail = (at: object, key: string | number | undefined, message: string): never => {
    const l = json.at(at, key);
    throw new WorkloadError(`${file}:${l.line}:${l.column}: ${message}`);
  };
  try {
    return readTop(json.value, file, fail);
  } catch (e) {
    if (e instanceof ValueProblem) return fail(e.at, e.key, e.message);
    throw e;
  }
}

type Fail = (at: object, key: string | number | undefined, message: string) => never;

/** The target system, for what only it can tell: its system calls and their arguments, whether it has an io provider. */
interface Target {
  readonly flavour: Flavour;
  readonly probes: FlavourProbes;
}

function readTop(value: unknown, file: string, fail: Fail): WorkloadSpec {
  const root = asObject(value, {}, undefined, fail, 'the workload');
  checkKeys(root, TOP_KEYS, fail);
  if (root.workload !== WORKLOAD_FORMAT_VERSION) {
    if (root.workload === undefined) fail(root, undefined, `missing "workload": ${WORKLOAD_FORMAT_VERSION} (the format version)`);
    fail(root, 'workload', `unsupported workload format version ${JSON.stringify(root.workload)} (this dtvm reads version ${WORKLOAD_FORMAT_VERSION})`);
  }
  const flavourName = root.flavour ?? 'illumos';
  if (typeof flavourName !== 'string' || !isFlavour(flavourName)) fail(root, 'flavour', `"flavour" must be one of ${FLAVOURS.join(', ')}`);
  const flavour = flavourName as Flavour;
  const target: Target = { flavour, probes: flavourProbes(flavour) };
  const ncpus = integer(root, 'ncpus', 1, 1, MAX_CPUS, fail);
  const duration = scalar(root.duration ?? '1s', 'duration', root, 'duration');
  if (!(duration > 0)) fail(root, 'duration', '"duration" must be positive');
  const seed = integer(root, 'seed', 1, 0, Number.MAX_SAFE_INTEGER, fail);
  const quantum = scalar(root.quantum ?? '10ms', 'duration', root, 'quantum');
  if (!(quantum >= 1000)) fail(root, 'quantum', '"quantum" must be at least 1us');

  let timestamp = 1_000_000_000n;
  let walltimestamp = 1_700_000_000_000_000_000n;
  if (root.start !== undefined) {
    const start = asObject(root.start, root, 'start', fail, '"start"');
    checkKeys(start, ['timestamp', 'walltimestamp'], fail);
    if (start.timestamp !== undefined) timestamp = bigintOf(start, 'timestamp', fail);
    if (start.walltimestamp !== undefined) walltimestamp = bigintOf(start, 'walltimestamp', fail);
  }

  const devices: DeviceSpec[] = [];
  if (root.devices !== undefined) {
    const list = asArray(root.devices, root, 'devices', fail);
    list.forEach((d, i) => {
      const o = asObject(d, list, i, fail, 'a device');
      checkKeys(o, DEVICE_KEYS, fail);
      const name = text(o, 'name', fail);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) fail(o, 'name', 'a device name is a driver name: letters, digits and _ ("sd", "ada")');
      const instance = integer(o, 'instance', 0, 0, 0xffff, fail);
      devices.push({ name, instance, major: integer(o, 'major', 1, 0, 0xff, fail), minor: integer(o, 'minor', instance * 64, 0, 0xffffff, fail) });
    });
  }
  const statnames = devices.map((d) => `${d.name}${d.instance}`);

  const profile: WorkloadSpec['profile'][number][] = [];
  if (root.profile !== undefined) {
    const list = asArray(root.profile, root, 'profile', fail);
    list.forEach((n, i) => {
      const parsed = typeof n === 'string' ? parseProfileProbeName(n) : undefined;
      if (parsed === undefined) fail(list, i, 'expected a profile provider probe name: "profile-997", "profile-10ms", "tick-1s"');
      if (profile.some((p) => p.name === n)) fail(list, i, `"${n as string}" is listed twice`);
      profile.push({ name: n as string, interval: Number(parsed!.intervalNs), everyCpu: parsed!.kind === 'profile' });
    });
  }

  const procList = asArray(root.processes, root, 'processes', fail);
  if (procList.length === 0) fail(root, 'processes', '"processes" must list at least one process');
  let threads = 0;
  const processes = procList.map((p, i) => {
    const o = asObject(p, procList, i, fail, 'a process');
    checkKeys(o, PROCESS_KEYS, fail);
    const proc = readProcess(o, statnames, target, fail);
    threads += proc.count * proc.threads;
    if (threads > MAX_THREADS) fail(o, 'threads', `the workload has more than ${MAX_THREADS} threads`);
    return proc;
  });
  return { file, flavour, ncpus, duration: Math.round(duration), seed, quantum: Math.round(quantum), timestamp, walltimestamp, devices, profile, processes };
}

function readProcess(o: Record<string, unknown>, statnames: readonly string[], target: Target, fail: Fail): ProcessSpec {
  const execname = text(o, 'execname', fail);
  if (execname.length > 255) fail(o, 'execname', 'an execname is at most 255 bytes');
  const list = asArray(o.syscalls, o, 'syscalls', fail);
  if (list.length === 0) fail(o, 'syscalls', '"syscalls" must list at least one system call');
  const syscalls = list.map((s, i) => {
    const so = asObject(s, list, i, fail, 'a system call');
    checkKeys(so, SYSCALL_KEYS, fail);
    return readSyscall(so, statnames, target, fail);
  });
  const totalRate = syscalls.reduce((a, s) => a + s.rate, 0);
  const mean = 1e9 / totalRate;
  const think = o.think !== undefined ? sampler(o.think, 'duration', o, 'think') : (rng: import('./prng.ts').Random) => Math.round(rng.exponential(mean));
  let argv: string[] | undefined;
  if (o.argv !== undefined) {
    const a = asArray(o.argv, o, 'argv', fail);
    argv = a.map((x, i) => (typeof x === 'string' ? x : fail(a, i, 'argv holds strings')));
  }
  return {
    execname,
    count: integer(o, 'count', 1, 1, MAX_THREADS, fail),
    threads: integer(o, 'threads', 1, 1, MAX_THREADS, fail),
    ...(o.pid !== undefined ? { pid: integer(o, 'pid', 0, 1, 0x7fffffff, fail) } : {}),
    ppid: integer(o, 'ppid', 1, 0, 0x7fffffff, fail),
    uid: integer(o, 'uid', 0, 0, 0x7fffffff, fail),
    gid: integer(o, 'gid', 0, 0, 0x7fffffff, fail),
    ...(argv !== undefined ? { argv } : {}),
    think,
    syscalls,
  };
}

function readSyscall(o: Record<string, unknown>, statnames: readonly string[], target: Target, fail: Fail): SyscallSpec {
  const name = text(o, 'name', fail);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) fail(o, 'name', `"${name}" is not a system call name`);
  const entry = target.probes.find('syscall', name, 'entry');
  if (entry === undefined || target.probes.find('syscall', name, 'return') === undefined) fail(o, 'name', `"${name}" is not a system call of ${target.flavour}`);
  // A call the catalogue types takes that many arguments; an untyped one (illumos) as many as the file gives.
  const typedArgs = entry!.args !== undefined && entry!.args.length > 0 ? entry!.args.length : undefined;
  const rate = scalar(o.rate ?? fail(o, undefined, `missing "rate" (calls per second of each thread)`), 'count', o, 'rate');
  if (!(rate > 0)) fail(o, 'rate', '"rate" must be positive');
  const latency = sampler(o.latency ?? '1us', 'duration', o, 'latency');
  const args: ArgSpec[] = [];
  if (o.args !== undefined) {
    const list = asArray(o.args, o, 'args', fail);
    if (typedArgs !== undefined && list.length > typedArgs) {
      fail(list, typedArgs, `${name}() takes ${typedArgs} argument${typedArgs === 1 ? '' : 's'} on ${target.flavour}; the workload gives ${list.length}`);
    }
    if (list.length > 8) fail(list, 8, 'a system call takes at most 8 arguments');
    list.forEach((a, i) => args.push(readArg(a, list, i, fail)));
  }
  const returns: WordSampler = o.returns !== undefined ? wordSampler(o.returns, o, 'returns', true) : () => 0n;
  let errors: SyscallSpec['errors'];
  if (o.errors !== undefined) {
    const e = asObject(o.errors, o, 'errors', fail, '"errors"');
    checkKeys(e, ['probability', 'errno'], fail);
    errors = { probability: probability(e, 'probability', fail), errno: integer(e, 'errno', 0, 1, 4095, fail) };
    if (e.errno === undefined) fail(e, undefined, 'missing "errno" (the error number failing calls set)');
  }
  const blocks = o.blocks === undefined ? 0 : probability(o, 'blocks', fail);
  let io: IoSpec | undefined;
  if (o.io !== undefined) {
    if (!target.probes.hasProvider('io') || target.probes.find('io', undefined, 'start') === undefined || target.probes.find('io', undefined, 'done') === undefined) {
      fail(o, 'io', `${target.flavour} has no io provider; remove "io" or choose another flavour`);
    }
    const q = asObject(o.io, o, 'io', fail, '"io"');
    checkKeys(q, IO_KEYS, fail);
    const dev = text(q, 'device', fail);
    const device = statnames.indexOf(dev);
    if (device < 0) fail(q, 'device', statnames.length === 0 ? `no "devices" are declared (add {"name": "${dev.replace(/\d+$/, '')}", "instance": 0})` : `"${dev}" is not a declared device (${statnames.join(', ')})`);
    if (q.write !== undefined && typeof q.write !== 'boolean') fail(q, 'write', '"write" is true or false');
    io = {
      probability: q.probability === undefined ? 1 : probability(q, 'probability', fail),
      device,
      size: sampler(q.size ?? '4k', 'size', q, 'size', true),
      latency: sampler(q.latency ?? '100us', 'duration', q, 'latency'),
      write: q.write === true,
      ...(q.file !== undefined ? { file: readStrings(q.file, q, 'file', fail) } : {}),
    };
  }
  return { name, rate, latency, args, returns, ...(errors !== undefined ? { errors } : {}), blocks, ...(io !== undefined ? { io } : {}) };
}

function readArg(a: unknown, list: unknown[], i: number, fail: Fail): ArgSpec {
  if (a === 'pointer') return { kind: 'pointer' };
  if (typeof a === 'object' && a !== null && !Array.isArray(a) && 'string' in a) return { kind: 'string', ...readStrings(a, list, i, fail) };
  return { kind: 'value', sample: wordSampler(a, list, i) };
}

/** `"text"`, or `{"string": ["a", "b"], "weights": [...]}`: strings, and a sampler of their indexes. */
function readStrings(v: unknown, at: object, key: string | number, fail: Fail): { texts: string[]; pick: Sampler } {
  if (typeof v === 'string') return { texts: [v], pick: () => 0 };
  const o = asObject(v, at, key, fail, 'strings ({"string": [...]})');
  checkKeys(o, ['string', 'weights'], fail);
  const texts = typeof o.string === 'string' ? [o.string] : asArray(o.string, o, 'string', fail);
  if (texts.length === 0) fail(o, 'string', 'expected at least one string');
  const strings = texts.map((t, k) => (typeof t === 'string' && t.length < 4096 ? t : fail(texts, k, 'expected a string shorter than 4096 bytes')));
  const indexes = strings.map((_, k) => k);
  const pick = sampler(o.weights !== undefined ? { choice: indexes, weights: o.weights } : { choice: indexes }, 'count', o, 'string');
  return { texts: strings, pick };
}

function asObject(v: unknown, at: object, key: string | number | undefined, fail: Fail, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(at, key, `${what} must be a JSON object`);
  return v as Record<string, unknown>;
}

function asArray(v: unknown, at: Record<string, unknown>, key: string, fail: Fail): unknown[] {
  if (v === undefined) return fail(at, undefined, `missing "${key}"`);
  if (!Array.isArray(v)) return fail(at, key, `"${key}" must be an array`);
  return v;
}

function checkKeys(o: Record<string, unknown>, allowed: readonly string[], fail: Fail): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) fail(o, k, `unknown member "${k}" (expected one of ${allowed.map((x) => `"${x}"`).join(', ')})`);
}

function text(o: Record<string, unknown>, key: string, fail: Fail): string {
  const v = o[key];
  if (v === undefined) return fail(o, undefined, `missing "${key}"`);
  if (typeof v !== 'string' || v === '') return fail(o, key, `"${key}" must be a non-empty string`);
  return v;
}

function integer(o: Record<string, unknown>, key: string, fallback: number, min: number, max: number, fail: Fail): number {
  const v = o[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) return fail(o, key, `"${key}" must be an integer from ${min} to ${max}`);
  return v;
}

function probability(o: Record<string, unknown>, key: string, fail: Fail): number {
  const v = o[key];
  if (typeof v !== 'number' || !(v >= 0 && v <= 1)) return fail(o, key, `"${key}" must be a probability from 0 to 1`);
  return v;
}

function bigintOf(o: Record<string, unknown>, key: string, fail: Fail): bigint {
  const v = o[key];
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  if (typeof v === 'string' && /^(0|[1-9]\d{0,19})$/.test(v) && BigInt(v) < 1n << 63n) return BigInt(v);
  return fail(o, key, `"${key}" must be a non-negative integer in nanoseconds (a decimal string beyond 2^53)`);
}
