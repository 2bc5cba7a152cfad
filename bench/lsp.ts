// The language server on generated 5,000- and 20,000-line scripts, driven over stdio like an editor does
// (test/support/lspClient.ts): didOpen to diagnostics; didChange to the new diagnostics over
// 500 edits as typing makes them (digits changed in place, blanks and whole lines inserted and
// deleted); hover and completion latency; the server's memory. Each against
// a bare tree-sitter parse of the same text in this process (a full parse for didOpen, an
// incremental re-parse after the same one-character edit for the rest), in the same run.
import { readFileSync } from 'node:fs';
import { Edit, type Tree } from 'web-tree-sitter';
import { createDParser } from '../server/src/parse/dParser';
import { startLanguageServer, type LspClient } from '../test/support/lspClient';
import { generateAnalyzable } from './analyze';
import { formatMs, median, printResults, type BenchResult } from './report';

const LINES = 5_000;
/** The second issue's size: the same targets on a 20,000-line script. */
const LARGE_LINES = 20_000;
const EDITS = 500;
const SMALL_LINES = 300;
const SMALL_EDITS = 200;
const REQUESTS = 200;
const KINDS = ['digit', 'character', 'line'] as const;

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

/** The positions of the digits the edits toggle: `+ N;` of the `self->depth_K + N` lines. */
export function editSites(text: string): { index: number; line: number; character: number }[] {
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

/**
 * The edits, as typing makes them: in every eight, four digits changed in place, a blank typed
 * into a line and deleted again, a whole line inserted and deleted again (every row after it
 * moves, and back). Each insertion is undone by the next edit, so the sites stay where they are.
 */
type EditKind = 'digit' | 'character' | 'line';

interface BenchEdit {
  kind: EditKind;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  text: string;
  /** The text after the edit. */
  after: string;
}

const INSERTED_LINE = '\tcnt_0 = cnt_0 + 1;\n';

export function* editSequence(text: string, sites: ReturnType<typeof editSites>, count: number): Generator<BenchEdit> {
  let current = text;
  for (let i = 0; i < count; i++) {
    const s = sites[(i * 37) % sites.length]!;
    const phase = i % 8;
    let edit: Omit<BenchEdit, 'after'>;
    let next: string;
    if (phase < 4) {
      const digit = toggled(current[s.index]!);
      next = current.slice(0, s.index) + digit + current.slice(s.index + 1);
      edit = { kind: 'digit', range: { start: { line: s.line, character: s.character }, end: { line: s.line, character: s.character + 1 } }, text: digit };
    } else if (phase === 4 || phase === 5) {
      // A blank before the digit (`+  N;`), then deleted.
      const at = { line: s.line, character: s.character - 1 };
      const index = s.index - 1;
      if (phase === 4) {
        next = current.slice(0, index) + ' ' + current.slice(index);
        edit = { kind: 'character', range: { start: at, end: at }, text: ' ' };
      } else {
        const prev = sites[((i - 1) * 37) % sites.length]!;
        const was = { line: prev.line, character: prev.character - 1 };
        next = current.slice(0, prev.index - 1) + current.slice(prev.index);
        edit = { kind: 'character', range: { start: was, end: { line: was.line, character: was.character + 1 } }, text: '' };
      }
    } else {
      // A statement line before the site's line, then deleted.
      const lineStart = s.index - s.character;
      if (phase === 6) {
        next = current.slice(0, lineStart) + INSERTED_LINE + current.slice(lineStart);
        edit = { kind: 'line', range: { start: { line: s.line, character: 0 }, end: { line: s.line, character: 0 } }, text: INSERTED_LINE };
      } else {
        const prev = sites[((i - 1) * 37) % sites.length]!;
        const prevStart = prev.index - prev.character;
        next = current.slice(0, prevStart) + current.slice(prevStart + INSERTED_LINE.length);
        edit = { kind: 'line', range: { start: { line: prev.line, character: 0 }, end: { line: prev.line + 1, character: 0 } }, text: '' };
      }
    }
    current = next;
    yield { ...edit, after: current };
  }
}

/** The text after the first `count` edits of `timeEdits`. */
function applyEdits(text: string, sites: ReturnType<typeof editSites>, count: number): string {
  let current = text;
  for (const e of editSequence(text, sites, count)) current = e.after;
  return current;
}

const toggled = (digit: string): string => (digit === '9' ? '0' : String(Number(digit) + 1));

/** Milliseconds from each didChange to the diagnostics of its version, by kind of edit. */
async function timeEdits(client: LspClient, uri: string, text: string, sites: ReturnType<typeof editSites>, count: number): Promise<Record<EditKind | 'all', number[]>> {
  let version = 1;
  const times: Record<EditKind | 'all', number[]> = { all: [], digit: [], character: [], line: [] };
  for (const e of editSequence(text, sites, count)) {
    const t0 = performance.now();
    await client.change(uri, ++version, [{ range: e.range, text: e.text }]);
    await client.diagnostics(uri, version, 60_000);
    const ms = performance.now() - t0;
    times.all.push(ms);
    times[e.kind].push(ms);
  }
  return times;
}

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

/** The sizes measured: the issue's 5,000 lines (with a usual-size script for scale), and 20,000. */
export async function benchLsp(sizes: readonly number[] = [LINES, LARGE_LINES]): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  // Each size in a server of its own: its memory is that document's.
  for (const lines of sizes) results.push(...(await benchScript(lines, lines === LINES)));
  return results;
}

async function benchScript(size: number, withSmall: boolean): Promise<BenchResult[]> {
  const text = generateAnalyzable(size);
  const sites = editSites(text);
  const bare = await bareParse(text, sites);
  // BENCH_SERVER_ARGS: node flags for the server process (`--cpu-prof --cpu-prof-dir=DIR` to profile it).
  const serverArgs = process.env.BENCH_SERVER_ARGS?.split(' ').filter((a) => a !== '') ?? [];
  const client = await startLanguageServer({ nodeArgs: serverArgs });
  const label = size === LINES ? '' : ` (${size}-line script)`;
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
    const results: BenchResult[] = [
      {
        name: `didOpen of a ${size}-line script to its diagnostics`,
        value: formatMs(openMs),
        baseline: `a full tree-sitter parse ${formatMs(bare.full)}`,
        ratio: openMs / bare.full,
        ratioLabel: 'open / parse',
      },
      {
        name: `didChange (typing: digits, blanks, whole lines in and out) to new diagnostics, ${EDITS} edits${label}`,
        value: `p50 ${formatMs(percentile(editMs.all, 50))}, p95 ${formatMs(percentile(editMs.all, 95))}; p95 by kind: ${KINDS.map((k) => `${k} ${formatMs(percentile(editMs[k], 95))}`).join(', ')}`,
        baseline: `an incremental re-parse ${formatMs(bare.incremental)}`,
        ratio: percentile(editMs.all, 95) / bare.incremental,
        ratioLabel: 'p95 / re-parse',
        target: { absoluteMs: 15, measuredMs: percentile(editMs.all, 95) },
      },
    ];
    if (withSmall) {
      // A script of a usual size (a few hundred lines), for scale.
      const small = generateAnalyzable(SMALL_LINES);
      const smallSites = editSites(small);
      const smallUri = await client.open('file:///bench/small.d', small);
      await client.diagnostics(smallUri, 1, 60_000);
      const smallMs = await timeEdits(client, smallUri, small, smallSites, SMALL_EDITS);
      const smallBare = await bareParse(small, smallSites);
      await client.close(smallUri);
      results.push({
        name: `the same for a ${SMALL_LINES}-line script, ${SMALL_EDITS} edits`,
        value: `p50 ${formatMs(percentile(smallMs.all, 50))}, p95 ${formatMs(percentile(smallMs.all, 95))}`,
        baseline: `an incremental re-parse ${formatMs(smallBare.incremental)}`,
        ratio: percentile(smallMs.all, 95) / smallBare.incremental,
        ratioLabel: 'p95 / re-parse',
        target: { absoluteMs: 15, measuredMs: percentile(smallMs.all, 95) },
      });
    }

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

    for (const [name, times] of [['hover', hoverMs], ['completion', completionMs]] as const) {
      if (!times) {
        results.push({ name: `${name} latency${label}`, value: 'pending (the server has no provider yet)', baseline: '-', ratio: NaN, ratioLabel: '-' });
        continue;
      }
      results.push({
        name: `${name} latency, ${REQUESTS} requests${label}`,
        value: `p50 ${formatMs(percentile(times, 50))}, p95 ${formatMs(percentile(times, 95))}`,
        baseline: `an incremental re-parse ${formatMs(bare.incremental)}`,
        ratio: percentile(times, 95) / bare.incremental,
        ratioLabel: 'p95 / re-parse',
        target: { absoluteMs: 5, measuredMs: percentile(times, 95) },
      });
    }
    results.push({
      name: `server memory (resident) with the script open${label}`,
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

// `node --import tsx bench/lsp.ts [LINES...]`: this part alone (after `node scripts/build.mjs`),
// for the sizes given (default 5,000 and 20,000 lines).
if (process.argv[1] !== undefined && /bench[\\/]lsp\.ts$/.test(process.argv[1])) {
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  void benchLsp(sizes.length > 0 ? sizes : undefined).then((results) => printResults('Language server (5,000- and 20,000-line scripts over stdio)', results));
}
