// How every benchmark reports: a named measurement, its baseline from the same run, the ratio
// between them, and the target.
export interface BenchResult {
  name: string;
  value: string;
  baseline: string;
  ratio: number;
  ratioLabel: string;
  /** max: the ratio at most (lower is better); min: at least (a speed-up). */
  target?: { max?: number; min?: number; absoluteMs?: number; measuredMs?: number };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function formatMs(ms: number): string {
  return ms < 1 ? `${(ms * 1000).toFixed(0)} us` : `${ms.toFixed(2)} ms`;
}

export function verdict(r: BenchResult): string {
  const t = r.target;
  if (!t) return '';
  const parts: string[] = [];
  if (t.max !== undefined) parts.push(`${r.ratio <= t.max ? 'meets' : 'MISSES'} ratio <= ${t.max}`);
  if (t.min !== undefined) parts.push(`${r.ratio >= t.min ? 'meets' : 'MISSES'} ratio >= ${t.min}`);
  if (t.absoluteMs !== undefined && t.measuredMs !== undefined) {
    parts.push(`${t.measuredMs < t.absoluteMs ? 'meets' : 'MISSES'} < ${formatMs(t.absoluteMs)}`);
  }
  return parts.join(', ');
}

/** Every section printed in this run, for bench/results.md. */
const printed: { section: string; results: BenchResult[] }[] = [];

export function printResults(section: string, results: BenchResult[]): void {
  printed.push({ section, results });
  process.stdout.write(`\n## ${section}\n`);
  for (const r of results) {
    process.stdout.write(
      `- ${r.name}\n    ${r.value}  vs  ${r.baseline}\n    ratio ${r.ratio.toFixed(2)} (${r.ratioLabel})` +
        (r.target ? `  [${verdict(r)}]` : '') + '\n',
    );
  }
}

/**
 * This run as a Markdown section: when, on what machine, and every result with its baseline,
 * ratio and verdict. bench/index.ts appends it to bench/results.md, which keeps every run.
 */
export function runSection(when: Date, machine: string): string {
  const cell = (t: string): string => t.replace(/\|/g, '\\|');
  const lines = [`## ${when.toISOString().replace(/\.\d+Z$/, 'Z')}`, '', machine, ''];
  for (const { section, results } of printed) {
    lines.push(`### ${section}`, '', '| measurement | value | baseline | ratio | target |', '|---|---|---|---|---|');
    for (const r of results) lines.push(`| ${cell(r.name)} | ${cell(r.value)} | ${cell(r.baseline)} | ${r.ratio.toFixed(2)} (${cell(r.ratioLabel)}) | ${cell(verdict(r))} |`);
    lines.push('');
  }
  return lines.join('\n');
}
