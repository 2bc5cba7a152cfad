// Parse throughput of tree-sitter-d on a generated 10,000-line D script, against tree-sitter's
// own C grammar (tree-sitter-c from npm) on a C file of the same size, in the same run and the
// same runtime (web-tree-sitter). Also an incremental re-parse after a one-character edit.
import { join } from 'node:path';
import { Edit, Language, Parser, type Tree } from 'web-tree-sitter';
import { loadDLanguage } from '../server/src/parse/dParser';
import { generateC, generateD } from './generate';
import { formatMs, median, type BenchResult } from './report';

const LINES = 10_000;

function timeFullParse(parser: Parser, text: string, runs: number): number[] {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const tree = parser.parse(text);
    times.push(performance.now() - t0);
    tree?.delete();
  }
  return times;
}

// Replaces one character in the middle of the text (a digit, so the tree keeps its shape, as
// when a user edits a number) and re-parses with the old tree.
function timeIncremental(parser: Parser, text: string, runs: number): number[] {
  const at = text.indexOf('0', Math.floor(text.length / 2));
  const times: number[] = [];
  let current = text;
  let tree = parser.parse(current) as Tree;
  for (let i = 0; i < runs; i++) {
    const next = current.slice(0, at) + (current[at] === '0' ? '1' : '0') + current.slice(at + 1);
    const before = current.slice(0, at);
    const row = before.split('\n').length - 1;
    const column = at - (before.lastIndexOf('\n') + 1);
    const t0 = performance.now();
    tree.edit(new Edit({
      startIndex: at, oldEndIndex: at + 1, newEndIndex: at + 1,
      startPosition: { row, column }, oldEndPosition: { row, column: column + 1 }, newEndPosition: { row, column: column + 1 },
    }));
    const newTree = parser.parse(next, tree) as Tree;
    times.push(performance.now() - t0);
    tree.delete();
    tree = newTree;
    current = next;
  }
  tree.delete();
  return times;
}

export async function benchParse(): Promise<BenchResult[]> {
  const dLanguage = await loadDLanguage();
  const cLanguage = await Language.load(join(__dirname, '..', 'node_modules', 'tree-sitter-c', 'tree-sitter-c.wasm'));
  const dParser = new Parser();
  dParser.setLanguage(dLanguage);
  const cParser = new Parser();
  cParser.setLanguage(cLanguage);
  const dText = generateD(LINES);
  const cText = generateC(LINES);

  const check = dParser.parse(dText);
  if (!check || check.rootNode.hasError) throw new Error('bench: the generated D script does not parse cleanly');
  check.delete();

  timeFullParse(dParser, dText, 3);
  timeFullParse(cParser, cText, 3);
  const dFull = median(timeFullParse(dParser, dText, 15));
  const cFull = median(timeFullParse(cParser, cText, 15));
  const dIncr = median(timeIncremental(dParser, dText, 200));
  const cIncr = median(timeIncremental(cParser, cText, 200));
  const mb = (s: string): number => Buffer.byteLength(s) / 1e6;
  return [
    {
      name: `full parse, ${LINES} lines (D ${Buffer.byteLength(dText)} B, C ${Buffer.byteLength(cText)} B)`,
      value: `${formatMs(dFull)} (${(mb(dText) / (dFull / 1000)).toFixed(1)} MB/s)`,
      baseline: `tree-sitter-c ${formatMs(cFull)} (${(mb(cText) / (cFull / 1000)).toFixed(1)} MB/s)`,
      ratio: dFull / mb(dText) / (cFull / mb(cText)),
      ratioLabel: 'D time per byte / C time per byte',
      target: { max: 1.5 },
    },
    {
      name: 'incremental re-parse after a one-character edit (median of 200)',
      value: formatMs(dIncr),
      baseline: `tree-sitter-c ${formatMs(cIncr)}`,
      ratio: dIncr / cIncr,
      ratioLabel: 'D / C',
      target: { absoluteMs: 1, measuredMs: dIncr },
    },
  ];
}
