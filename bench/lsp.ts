// The language server on a generated 5,000-line script, driven over stdio like an editor does
// (test/support/lspClient.ts): didOpen to diagnostics; one-character didChange to the new
// diagnostics over 500 edits; hover and completion latency; the server's memory. Each against
// a bare tree-sitter parse of the same text in this process (a full parse for didOpen, an
// incremental re-parse after the same one-character edit for the rest), in the same run.
import { readFileSync } from 'node:fs';
import { Edit, type Tree } from 'web-tree-sitter';
import { createDParser } from '../server/src/parse/dParser';
import { startLanguageServer, type LspClient } from '../test/support/lspClient';
import { generateAnalyzable } from './analyze';
import { formatMs, median, printResults, type BenchResult } from './report';

const LINES = 5_000;
const EDITS = 500;
const SMALL_LINES = 300;
const SMALL_EDITS = 200;
const REQUESTS = 200;

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

/** The positions of the digits the edits toggle: `+ N;` of the `self->depth_K + N` lines. */
function editSites(text: string): { index: number; line: number; character: number }[] {
  const sites: { index: number; line: number; character: number }[] = [];
  const lines = text.split('\n');
  let offset = 0;
  lines.forEach((l, line) => {
    const m = /^\tself->depth_\d+ = self->depth_\d+ \+ (\d);$/.exec(l);
    if (m) sites.push({ index: offset + l.length - 2, line, character: l.length - 2 });
    offset += l.length + 1;
  });
  return sites;
}

/** Median times of a full parse and of an incremental re-parse after toggling one digit. */
async function bareParse(text: string, sites: ReturnType<typeof editSites>): Promise<{ full: number; incremental: number }> {
  const parser = await createDParser();
  const full: number[] = [];
  for (let i = 0; i < 11; i++) {
    const t0 = performance.now();
    parser.parse(text)!.delete();
    full.push(performance.now() - t0);
  }
  let current = text;
  let tree = parser.parse(current) as Tree;
  const incremental: number[] = [];
  for (let i = 0; i < 200; i++) {
    const s = sites[(i * 37) % sites.length]!;
    const next = current.slice(0, s.index) + toggled(current[s.index]!) + current.slice(s.index + 1);
    const t0 = performance.now();
    const point = { row: s.line, column: s.character };
    const after = { row: s.line, column: s.character + 1 };
    tree.edit(new Edit({ startIndex: s.index, oldEndIndex: s.index + 1, newEndIndex: s.index + 1, startPosition: point, oldEndPosition: after, newEndPosition: after }));
    const fresh = parser.parse(next, tree) as Tree;
    incremental.push(performance.now() - t0);
    tree.delete();
    tree = fresh;
    current = next;
  }
  tree.delete();
  return { full: median(full), incremental: median(incremental) };
}

/** The text after the first `count` toggles of `timeEdits`. */
function applyEdits(text: string, sites: ReturnType<typeof editSites>, count: number): string {
  let current = text;
  for (let i = 0; i < count; i++) {
    const s = sites[(i * 37) % sites.length]!;
    current = current.slice(0, s.index) + toggled(current[s.index]!) + current.slice(s.index + 1);
  }
  return current;
}

const toggled = (digit: string): string => (digit === '9' ? '0' : String(Number(digit) + 1));

/** Milliseconds from each one-digit didChange to the diagnostics of its version. */
async function timeEdits(client: LspClient, uri: string, text: string, sites: ReturnType<typeof editSites>, count: number): Promise<number[]> {
  let current = text;
  let version = 1;
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const s = sites[(i * 37) % sites.length]!;
    const digit = toggled(current[s.index]!);
    current = current.slice(0, s.index) + digit + current.slice(s.index + 1);
    const t0 = performance.now();
    await client.change(uri, ++version, [{ range: { start: { line: s.line, character: s.character }, end: { line: s.line, character: s.character + 1 } }, text: digit }]);
    await client.diagnostics(uri, version, 60_000);
    times.push(performance.now() - t0);
  }
  return times;
}

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

export async function benchLsp(): Promise<BenchResult[]> {
  const text = generateAnalyzable(LINES);
  const sites = editSites(text);
  const bare = await bareParse(text, sites);
  const client = await startLanguageServer();
  try {
    const uri = 'file:///bench/lsp.d';
    const idleRss = rssOf(client.process.pid!);
    // Warm the server (libraries, JIT) on another document first, as an editor session would be.
    const warm = await client.open('file:///bench/warm.d', text);
    await client.diagnostics(warm, 1, 60_000);
    await client.close(warm);

    const opened = performance.now();
    await client.open(uri, text);
    const first = await client.diagnostics(uri, 1, 60_000);
    const openMs = performance.now() - opened;
    if (first.some((d) => d.severity === 1)) throw new Error(`bench: the generated script has errors: ${first[0]!.message}`);

    const editMs = await timeEdits(client, uri, text, sites, EDITS);
    const current = applyEdits(text, sites, EDITS);
    // A script of a usual size (a few hundred lines), for scale.
    const small = generateAnalyzable(SMALL_LINES);
    const smallSites = editSites(small);
    const smallUri = await client.open('file:///bench/small.d', small);
    await client.diagnostics(smallUri, 1, 60_000);
    const smallMs = await timeEdits(client, smallUri, small, smallSites, SMALL_EDITS);
    const smallBare = await bareParse(small, smallSites);

    const caps = client.initializeResult.capabilities;
    const timeRequests = async (method: string, params: (i: number) => unknown): Promise<number[]> => {
      const times: number[] = [];
      for (let i = 0; i < REQUESTS; i++) {
        const t0 = performance.now();
        await client.request(method, params(i));
        times.push(performance.now() - t0);
      }
      return times;
    };
    // Hover on `timestamp` and completion after `self->`, in clauses across the file.
    const lines = current.split('\n');
    const timestampLines = lines.flatMap((l, n) => (l.startsWith('\tthis->delta = timestamp') ? [n] : []));
    const hoverMs = caps.hoverProvider
      ? await timeRequests('textDocument/hover', (i) => ({ textDocument: { uri }, position: { line: timestampLines[(i * 13) % timestampLines.length]!, character: 17 } }))
      : undefined;
    const completionMs = caps.completionProvider
      ? await timeRequests('textDocument/completion', (i) => ({ textDocument: { uri }, position: { line: sites[(i * 13) % sites.length]!.line, character: 7 } }))
      : undefined;
    const rss = rssOf(client.process.pid!);

    const results: BenchResult[] = [
      {
        name: `didOpen of a ${LINES}-line script to its diagnostics`,
        value: formatMs(openMs),
        baseline: `a full tree-sitter parse ${formatMs(bare.full)}`,
        ratio: openMs / bare.full,
        ratioLabel: 'open / parse',
      },
      {
        name: `one-character didChange to new diagnostics, ${EDITS} edits`,
        value: `p50 ${formatMs(percentile(editMs, 50))}, p95 ${formatMs(percentile(editMs, 95))}`,
        baseline: `an incremental re-parse ${formatMs(bare.incremental)}`,
        ratio: percentile(editMs, 95) / bare.incremental,
        ratioLabel: 'p95 / re-parse',
        target: { absoluteMs: 15, measuredMs: percentile(editMs, 95) },
      },
      {
        name: `the same for a ${SMALL_LINES}-line script, ${SMALL_EDITS} edits`,
        value: `p50 ${formatMs(percentile(smallMs, 50))}, p95 ${formatMs(percentile(smallMs, 95))}`,
        baseline: `an incremental re-parse ${formatMs(smallBare.incremental)}`,
        ratio: percentile(smallMs, 95) / smallBare.incremental,
        ratioLabel: 'p95 / re-parse',
        target: { absoluteMs: 15, measuredMs: percentile(smallMs, 95) },
      },
    ];
    for (const [name, times] of [['hover', hoverMs], ['completion', completionMs]] as const) {
      if (!times) {
        results.push({ name: `${name} latency`, value: 'pending (the server has no provider yet)', baseline: '-', ratio: NaN, ratioLabel: '-' });
        continue;
      }
      results.push({
        name: `${name} latency, ${REQUESTS} requests`,
        value: `p50 ${formatMs(percentile(times, 50))}, p95 ${formatMs(percentile(times, 95))}`,
        baseline: `an incremental re-parse ${formatMs(bare.incremental)}`,
        ratio: percentile(times, 95) / bare.incremental,
        ratioLabel: 'p95 / re-parse',
        target: { absoluteMs: 5, measuredMs: percentile(times, 95) },
      });
    }
    results.push({
      name: 'server memory (resident) with the script open',
      value: `${(rss / 2 ** 20).toFixed(1)} MiB (${((rss - idleRss) / 2 ** 20).toFixed(1)} MiB more than before any document was opened)`,
      baseline: `the script's text ${(Buffer.byteLength(text) / 2 ** 20).toFixed(2)} MiB`,
      ratio: (rss - idleRss) / Buffer.byteLength(text),
      ratioLabel: 'growth / text size',
    });
    return results;
  } finally {
    await client.stop();
  }
}

// `node --import tsx bench/lsp.ts`: this part alone (after `node scripts/build.mjs`).
if (process.argv[1] !== undefined && /bench[\\/]lsp\.ts$/.test(process.argv[1])) {
  void benchLsp().then((results) => printResults('Language server (5,000-line script over stdio)', results));
}
