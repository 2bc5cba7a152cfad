// npm run bench: every performance number the issues name, each as a ratio against a baseline
// measured in the same run.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { printResults, runSection, type BenchResult } from './report';
import { SECTIONS } from './section';

const RESULTS = join(__dirname, 'results.md');

/** A section run in a process of its own (bench/section.ts says why). */
function runIsolated(name: string): BenchResult[] {
  const dir = mkdtempSync(join(tmpdir(), 'bench-'));
  const out = join(dir, 'results.json');
  try {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, 'section.ts'), name, out], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`the ${name} section failed (${r.status ?? r.signal})`);
    const results = JSON.parse(readFileSync(out, 'utf8')) as (Omit<BenchResult, 'ratio'> & { ratio: number | 'NaN' })[];
    return results.map((x) => ({ ...x, ratio: x.ratio === 'NaN' ? NaN : x.ratio }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const machine = `node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ${process.platform} ${process.arch}`;
  const started = new Date();
  process.stdout.write(`# dtrace-d benchmarks\n${machine}\n`);
  // BENCH_ONLY=lsp,jit: those sections alone (trial runs).
  const only = process.env.BENCH_ONLY?.split(',');
  for (const [name, section] of Object.entries(SECTIONS)) if (only === undefined || only.includes(name)) printResults(section.title, runIsolated(name));
  // Every run is kept (BENCH_RECORD=0 skips it, for trial runs).
  if (process.env.BENCH_RECORD !== '0') {
    if (!existsSync(RESULTS)) writeFileSync(RESULTS, '# Benchmark results\n\nOne section per `npm run bench` run, newest last, with the machine it ran on.\n\n');
    appendFileSync(RESULTS, `${runSection(started, machine)}\n`);
    process.stdout.write(`\nrecorded in ${RESULTS}\n`);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
