// Replay throughput (issues 5 and 9): firings per second from a trace file through the real
// command line path (trace reader, replay, VM, consumer) for a simple counting script, against
// mawk counting the same field (execname, the 9th of each firing's array) of the same NDJSON file
// in the same run; the same records in the binary form (converted once from the NDJSON file by
// server/src/trace/convert.ts) against the same mawk baseline; and the peak memory of replaying a 1 GB trace, measured as the maximum resident
// set of a child process (generating the file the first time takes about a minute, each
// replay of it about 45 s; BENCH_BIG=0 leaves it out). Both replays must count what mawk counts.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runDtvm } from '../server/src/cli/run';
import { createTraceWriter } from '../server/src/trace';
import { convertTrace } from '../server/src/trace/convert.ts';
import { median, type BenchResult } from './report';

const CACHE = join(__dirname, '..', '.cache', 'bench');
/** Sized so that one replay takes a few seconds on a small machine. */
const FIRINGS = 1_000_000;
const ROUNDS = 3;
const BIG_BYTES = 1 << 30;
const SCRIPT = 'syscall:::entry { @[execname] = count(); }';

const EXECNAMES = ['bash', 'ls', 'sshd', 'node', 'postgres', 'nginx', 'cron', 'vim', 'make', 'cc'];
const SYSCALLS = ['read', 'write', 'openat', 'close'];

/**
 * Writes (once; later runs reuse the file) a trace of syscall entries and returns, each followed
 * by its return, until `firings` firings or `bytes` bytes. Half the firings are returns, which
 * the script does not enable: replay must pass over them cheaply.
 */
async function traceFile(name: string, limit: { firings?: number; bytes?: number }): Promise<string> {
  mkdirSync(CACHE, { recursive: true });
  const path = join(CACHE, name);
  if (existsSync(path)) return path;
  const probes = SYSCALLS.flatMap((f) => [
    { provider: 'syscall', module: '', function: f, name: 'entry', args: ['int', 'void *', 'size_t'] },
    { provider: 'syscall', module: '', function: f, name: 'return', args: ['int', 'ssize_t'] },
  ]);
  const partial = `${path}.partial`;
  const start = 1_000_000_000_000n;
  const w = await createTraceWriter(partial, { platform: 'linux-x86_64', ncpus: 2, timestamp: start, walltimestamp: 1_700_000_000_000_000_000n, probes, source: 'bench/replay.ts' });
  let seed = 12345;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  let t = start;
  let count = 0;
  // A line is about 70 bytes: the byte limit is checked on the file as it grows.
  const maxFirings = limit.firings ?? Math.ceil((limit.bytes ?? 0) / 50);
  while (count < maxFirings) {
    const call = rand(SYSCALLS.length);
    const pid = 1000 + rand(200);
    const execname = EXECNAMES[pid % EXECNAMES.length]!;
    const who = { cpu: pid & 1, pid, tid: pid * 10 + rand(4), ppid: 1, uid: 1000, gid: 1000, execname };
    t += BigInt(500 + rand(1000));
    await w.firing({ probe: call * 2, timestamp: t, ...who, args: [rand(64), 0x7f0000000000 + rand(1 << 20) * 16, 4096] });
    t += BigInt(200 + rand(2000));
    await w.firing({ probe: call * 2 + 1, timestamp: t, ...who, args: [rand(64), rand(4097)] });
    count += 2;
    if (limit.bytes !== undefined && count % 100_000 === 0 && statSync(partial).size >= limit.bytes) break;
  }
  await w.close({ timestamp: t + 1000n });
  renameSync(partial, path);
  return path;
}

/** execname -> count as the replay printed it (`  name   N` lines). */
function parseAggregation(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^\s+(\S+)\s+(\d+)$/.exec(line);
    if (m) out.set(m[1]!, Number(m[2]));
  }
  return out;
}

async function replayOnce(path: string): Promise<{ seconds: number; counts: Map<string, number> }> {
  let stdout = '';
  let stderr = '';
  const t = performance.now();
  const status = await runDtvm(['-q', '-n', SCRIPT, '--trace', path], { out: (s) => (stdout += s), err: (s) => (stderr += s) });
  const seconds = (performance.now() - t) / 1000;
  if (status !== 0) throw new Error(`replay failed (${status}): ${stderr}`);
  return { seconds, counts: parseAggregation(stdout) };
}

function mawkOnce(path: string): { seconds: number; counts: Map<string, number> } {
  const t = performance.now();
  // Firing lines are JSON arrays; field 9 is the quoted execname; the probe index (field 1) says entry (even) or return.
  const r = spawnSync('mawk', ['-F,', '/^\\[/ && substr($1, 2) % 2 == 0 { c[$9]++ } END { for (k in c) print k, c[k] }', path], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const seconds = (performance.now() - t) / 1000;
  if (r.status !== 0) throw new Error(`mawk failed: ${r.stderr || r.error?.message}`);
  const counts = new Map<string, number>();
  for (const line of r.stdout.trim().split('\n')) {
    const [name, n] = line.split(' ');
    counts.set(JSON.parse(name!) as string, Number(n));
  }
  return { seconds, counts };
}

function sameCounts(a: Map<string, number>, b: Map<string, number>): boolean {
  return a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
}

/**
 * The peak resident set of dtvm replaying `path` in a fresh process: the bundled command line
 * (`npm run bench` builds it first), else the sources through tsx (whose compiler adds to it).
 */
function peakMemory(path: string): { maxRssMb: number; seconds: number; bundled: boolean; counts: Map<string, number> } {
  const root = join(__dirname, '..');
  const bundle = join(root, 'dist', 'dtvm.js');
  const bundled = existsSync(bundle);
  const report = join(CACHE, 'peak.json');
  const entry = bundled ? [bundle] : ['--import', 'tsx', join(root, 'server', 'src', 'cli', 'dtvm.ts')];
  const r = spawnSync(process.execPath, ['--require', join(__dirname, 'peakRss.cjs'), ...entry, '-q', '-n', SCRIPT, '--trace', path], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, BENCH_PEAK_FILE: report },
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`peak-memory replay failed (${r.status}): ${r.stderr}`);
  const m = JSON.parse(readFileSync(report, 'utf8')) as { maxRss: number; seconds: number };
  return { maxRssMb: m.maxRss / 1024, seconds: m.seconds, bundled, counts: parseAggregation(r.stdout) };
}

/** The binary form of an NDJSON trace (converted once; later runs reuse it). */
async function binaryFile(ndjson: string): Promise<string> {
  const path = ndjson.replace(/\.ndjson$/, '.dtb');
  if (existsSync(path)) return path;
  await convertTrace(ndjson, `${path}.partial`, { to: 'binary' });
  renameSync(`${path}.partial`, path);
  return path;
}

export async function benchReplay(): Promise<BenchResult[]> {
  // These cases measure one thread, as they always have (and the peak memory of one): the
  // parallel replay has its own case (bench/parallel.ts).
  const workers = process.env.DTVM_WORKERS;
  process.env.DTVM_WORKERS = '1';
  try {
    return await replayCases();
  } finally {
    if (workers === undefined) delete process.env.DTVM_WORKERS;
    else process.env.DTVM_WORKERS = workers;
  }
}

async function replayCases(): Promise<BenchResult[]> {
  const path = await traceFile(`replay-${FIRINGS}.ndjson`, { firings: FIRINGS });
  const binary = await binaryFile(path);
  // The same command on a trace with no firings: compiling and starting, to take out of the rate.
  const empty = await traceFile('replay-0.ndjson', { firings: 0 });
  const startup: number[] = [];
  const dtvm: number[] = [];
  const dtvmBinary: number[] = [];
  const awk: number[] = [];
  for (let k = 0; k < ROUNDS; k++) {
    startup.push((await replayOnce(empty)).seconds);
    const r = await replayOnce(path);
    const rb = await replayOnce(binary);
    const m = mawkOnce(path);
    if (!sameCounts(r.counts, m.counts)) throw new Error('replay and mawk counted differently');
    if (!sameCounts(rb.counts, m.counts)) throw new Error('replay of the binary form and mawk counted differently');
    dtvm.push(r.seconds);
    dtvmBinary.push(rb.seconds);
    awk.push(m.seconds);
  }
  const fmt = (seconds: number): string => `${Math.round(FIRINGS / seconds).toLocaleString('en-US')} firings/s`;
  const start = median(startup);
  const replay = Math.max(1e-6, median(dtvm) - start);
  const replayBinary = Math.max(1e-6, median(dtvmBinary) - start);
  const mb = (file: string): string => `${(statSync(file).size / 2 ** 20).toFixed(0)} MB`;
  const results: BenchResult[] = [
    {
      name: `replay of ${FIRINGS.toLocaleString('en-US')} firings (NDJSON, ${mb(path)}): ${SCRIPT} (start-up, ${(start * 1000).toFixed(0)} ms, not counted)`,
      value: `dtvm ${fmt(replay)}`,
      baseline: `mawk ${fmt(median(awk))}`,
      ratio: replay / median(awk),
      ratioLabel: 'dtvm time / mawk time, lower is better',
    },
    {
      name: `replay of the same firings in the binary form (${mb(binary)}), against mawk on the NDJSON file`,
      value: `dtvm ${fmt(replayBinary)}`,
      baseline: `mawk ${fmt(median(awk))}`,
      ratio: replayBinary / median(awk),
      ratioLabel: 'dtvm time / mawk time, lower is better',
    },
  ];
  if (process.env.BENCH_BIG !== '0') {
    const big = await traceFile('replay-1g.ndjson', { bytes: BIG_BYTES });
    const size = statSync(big).size;
    const mem = peakMemory(big);
    const m = mawkOnce(big);
    if (!sameCounts(mem.counts, m.counts)) throw new Error('the 1 GB replay and mawk counted differently');
    results.push({
      name: `peak memory replaying ${(size / 2 ** 30).toFixed(2)} GB with ${mem.bundled ? 'dist/dtvm.js' : 'tsx'} (${mem.seconds.toFixed(0)} s; mawk ${m.seconds.toFixed(0)} s)`,
      value: `max RSS ${mem.maxRssMb.toFixed(0)} MB`,
      baseline: `file ${(size / 2 ** 20).toFixed(0)} MB`,
      ratio: (mem.maxRssMb * 2 ** 20) / size,
      ratioLabel: 'max RSS / file size, lower is better',
    });
  }
  return results;
}
