// Parallel replay (the performance issue's "use both cores"): a 100-million-firing trace in the
// binary form replayed by the bundled command line (dist/dtvm.js, a child process per run) on
// one thread (DTVM_WORKERS=1) and with two worker threads (DTVM_WORKERS=2), in the same run;
// the ratio is one thread's time over two workers'. Both runs must print the same bytes.
//
// The trace is written once (about 2.4 GB, a minute or two) into .cache/bench/ and reused.
// BENCH_QUICK=1 uses 10 million firings instead (development); BENCH_PARALLEL=0 leaves the
// case out.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { BinaryTraceWriter } from '../server/src/trace/binary.ts';
import type { TraceFiring } from '../server/src/trace/format.ts';
import { headerJson } from '../server/src/trace/writer.ts';
import type { BenchResult } from './report';

const ROOT = join(__dirname, '..');
const CACHE = join(ROOT, '.cache', 'bench');
const SCRIPT = 'syscall:::entry { @c[execname] = count(); @q[probefunc] = quantize(arg2); }';
const EXECNAMES = ['bash', 'ls', 'sshd', 'node', 'postgres', 'nginx', 'cron', 'vim', 'make', 'cc'];
const SYSCALLS = ['read', 'write', 'openat', 'close'];

/**
 * Writes (once) a binary trace of `firings` firings on 2 CPUs: syscall entries, each followed by
 * its return (which the script does not enable, so a replay passes over half the firings).
 */
export async function binaryTrace(firings: number): Promise<string> {
  mkdirSync(CACHE, { recursive: true });
  const path = join(CACHE, `parallel-${firings}.dtb`);
  if (existsSync(path)) return path;
  const probes = SYSCALLS.flatMap((f) => [
    { provider: 'syscall', module: '', function: f, name: 'entry', args: ['int', 'void *', 'size_t'] },
    { provider: 'syscall', module: '', function: f, name: 'return', args: ['int', 'ssize_t'] },
  ]);
  const start = 1_000_000_000_000n;
  const { json, header } = headerJson({ platform: 'linux-x86_64', ncpus: 2, timestamp: start, walltimestamp: 1_700_000_000_000_000_000n, probes, source: 'bench/parallel.ts' });
  const partial = `${path}.partial`;
  const w = await BinaryTraceWriter.create(partial, header, json);
  let seed = 12345;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return (seed >>> 8) % n;
  };
  let t = start;
  let line = 1;
  const argsOf = (a: number, b: number, c?: number): bigint[] => (c === undefined ? [BigInt(a), BigInt(b)] : [BigInt(a), BigInt(b), BigInt(c)]);
  for (let count = 0; count < firings; count += 2) {
    const call = rand(SYSCALLS.length);
    const pid = 1000 + rand(200);
    const who = { cpu: pid & 1, pid, tid: BigInt(pid * 10 + rand(4)), ppid: 1, uid: 1000, gid: 1000, execname: EXECNAMES[pid % EXECNAMES.length]!, errno: 0, memory: null };
    t += BigInt(500 + rand(1000));
    const entry: TraceFiring = { kind: 'firing', line: ++line, probe: call * 2, timestamp: t, ...who, args: argsOf(rand(64), 0x7f0000000000 + rand(1 << 20) * 16, rand(1 << 17)) };
    await w.record(entry);
    t += BigInt(200 + rand(2000));
    await w.record({ kind: 'firing', line: ++line, probe: call * 2 + 1, timestamp: t, ...who, args: argsOf(rand(64), rand(4097)) });
  }
  await w.close({ timestamp: t + 1000n });
  renameSync(partial, path);
  return path;
}

/**
 * CPU seconds (user + system) of this process's waited-for children, from /proc (Linux: fields
 * cutime and cstime, in USER_HZ = 100 ticks a second); undefined elsewhere.
 */
function childCpuSeconds(): number | undefined {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /, '').split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return undefined;
  }
}

/** One replay by the bundled command line in a child process: its wall time, CPU time and output. */
function replay(path: string, workers: number): { seconds: number; cpu: number | undefined; stdout: string } {
  const cpuBefore = childCpuSeconds();
  const t = performance.now();
  const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'dtvm.js'), '-q', '-n', SCRIPT, '--trace', path], {
    encoding: 'utf8',
    env: { ...process.env, DTVM_WORKERS: String(workers) },
    maxBuffer: 16 << 20,
  });
  const seconds = (performance.now() - t) / 1000;
  const cpuAfter = childCpuSeconds();
  if (r.status !== 0) throw new Error(`replay with ${workers} worker(s) failed (${r.status}): ${r.stderr}`);
  return { seconds, cpu: cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined, stdout: r.stdout };
}

export async function benchParallel(): Promise<BenchResult[]> {
  if (process.env.BENCH_PARALLEL === '0') return [];
  if (!existsSync(join(ROOT, 'dist', 'dtvm.js'))) throw new Error('bench/parallel.ts needs dist/dtvm.js (npm run build)');
  const firings = process.env.BENCH_QUICK === '1' ? 10_000_000 : 100_000_000;
  const generating = performance.now();
  const path = await binaryTrace(firings);
  const generated = (performance.now() - generating) / 1000;
  // One thread first, then two workers: each reads the file with the page cache as warm as the other.
  // The load average says how much else ran meanwhile (another job's threads take CPUs too).
  const load = loadavg()[0]!;
  const one = replay(path, 1);
  const two = replay(path, 2);
  if (one.stdout !== two.stdout) throw new Error('the parallel replay printed something else than the single thread');
  const rate = (seconds: number): string => `${Math.round(firings / seconds).toLocaleString('en-US')} firings/s`;
  const size = `${(statSync(path).size / 2 ** 30).toFixed(2)} GB`;
  const cpu = (r: { cpu: number | undefined }): string => (r.cpu !== undefined ? `, ${r.cpu.toFixed(1)} CPU s` : '');
  return [
    {
      name: `replay of ${firings.toLocaleString('en-US')} firings (binary form, ${size}${generated > 1 ? `, written in ${generated.toFixed(0)} s` : ''}) by dist/dtvm.js: ${SCRIPT} (1 thread ${one.seconds.toFixed(1)} s${cpu(one)}; 2 workers ${two.seconds.toFixed(1)} s${cpu(two)}; load average ${load.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after)`,
      value: `2 workers ${rate(two.seconds)}`,
      baseline: `1 thread ${rate(one.seconds)}`,
      ratio: one.seconds / two.seconds,
      ratioLabel: '1-thread time / 2-worker time, higher is better',
      target: { min: 1.7 },
    },
  ];
}
