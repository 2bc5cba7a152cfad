// Front-end analysis of a generated 5,000-line D script from scratch (copying the tree, building
// the AST, typing, safety rules), against parsing the same text, in the same run.
import { createDParser, type Tree } from '../server/src/parse/dParser';
import type { Program } from '../server/src/parse/ast';
import { plainTree } from '../server/src/parse/plainTree';
import { buildAst } from '../server/src/parse/buildAst';
import { analyzeProgram, loadLibraries } from '../server/src/analyze/frontEnd';
import { createStandardCatalogue } from '../server/src/analyze/catalogue';
import { OptionSet } from '../server/src/analyze/options/optionSet';
import { formatMs, median, type BenchResult } from './report';

const LINES = 5_000;

/** A valid script of about `lines` lines: declarations, clauses with variables, aggregations, if. */
export function generateAnalyzable(lines: number): string {
  const out: string[] = ['#pragma D option quiet', 'struct stats { int count; uint64_t total; char name[16]; };', 'inline int LIMIT = 100;', 'struct stats st;', ''];
  // Variables a sugared clause's predicate reads must exist before it (DTrace checks it first).
  out.push('BEGIN', '{');
  for (let k = 0; k < 97; k++) out.push(`\tcnt_${k} = 0;`);
  for (let k = 0; k < 13; k++) out.push(`\tself->depth_${k} = 0;`);
  out.push('}', '');
  let i = 0;
  while (out.length < lines) {
    const n = i++;
    out.push(
      `tick-${(n % 50) + 1}ms`,
      `/cnt_${n % 97} < LIMIT && self->depth_${n % 13} >= 0/`,
      '{',
      `\tcnt_${n % 97} = cnt_${n % 97} + 1;`,
      `\tself->depth_${n % 13} = self->depth_${n % 13} + ${n % 7};`,
      `\tthis->delta = timestamp - walltimestamp / ${(n % 9) + 1};`,
      `\tst.count++;`,
      `\tst.total += this->delta;`,
      `\t@calls_${n % 31}[probename, cpu] = count();`,
      `\t@lat_${n % 17} = quantize(this->delta);`,
      `\t@lin_${n % 11} = lquantize(this->delta % 100, 0, 100, 10);`,
      `\tif (this->delta > ${n * 3}) {`,
      `\t\tprintf("%s %d %d\\n", probename, cnt_${n % 97}, this->delta);`,
      `\t} else {`,
      `\t\t@slow_${n % 5}[execname] = sum(this->delta);`,
      `\t}`,
      `\tself->depth_${n % 13} = 0;`,
      '}',
      '',
    );
  }
  out.push('END', '{', '\tprinta(@calls_0);', '}', '');
  return out.join('\n');
}

export async function benchAnalyze(): Promise<BenchResult[]> {
  const parser = await createDParser();
  const text = generateAnalyzable(LINES);
  const options = new OptionSet();
  loadLibraries(parser);
  // The tree copy is dropped once the AST is built (as the front end does): keeping it in a
  // variable here would make the analysis pay for it in garbage collection.
  const copyAndBuild = (tree: Tree): { program: Program; copied: number } => {
    const copy = plainTree(tree, text);
    const copied = performance.now();
    return { program: buildAst(copy, text), copied };
  };
  const analyzeOnce = (): { parseMs: number; analyzeMs: number; copyMs: number; astMs: number; errors: number } => {
    const t0 = performance.now();
    const tree = parser.parse(text)!;
    const t1 = performance.now();
    const { program, copied } = copyAndBuild(tree);
    const built = performance.now();
    const analysis = analyzeProgram(parser, program, { text, programName: 'bench.d', options }, createStandardCatalogue());
    const t2 = performance.now();
    tree.delete();
    const errors = analysis.diagnostics.filter((d) => d.severity === 'error').length;
    return { parseMs: t1 - t0, analyzeMs: t2 - t1, copyMs: copied - t1, astMs: built - copied, errors };
  };
  const first = analyzeOnce();
  if (first.errors > 0) throw new Error(`bench: the generated script has ${first.errors} front-end errors`);
  for (let i = 0; i < 3; i++) analyzeOnce();
  const runs = Array.from({ length: 11 }, analyzeOnce);
  const parse = median(runs.map((r) => r.parseMs));
  const analyze = median(runs.map((r) => r.analyzeMs));
  // Medians of each part (they need not add up to the median of the whole).
  const copy = median(runs.map((r) => r.copyMs));
  const ast = median(runs.map((r) => r.astMs));
  const rest = median(runs.map((r) => r.analyzeMs - r.copyMs - r.astMs));
  return [
    {
      name: `analysis of a ${text.split('\n').length}-line script from scratch (tree copy, AST, types, safety rules)`,
      value: `${formatMs(analyze)} (tree copy ${formatMs(copy)}, AST ${formatMs(ast)}, analysis ${formatMs(rest)})`,
      baseline: `parsing it ${formatMs(parse)}`,
      ratio: analyze / parse,
      ratioLabel: 'analysis / parse',
      target: { max: 3 },
    },
  ];
}
