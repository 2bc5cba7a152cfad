// dtvm's behaviour, callable in-process: parses arguments and prints in dtrace(1)'s exact
// forms; the front end does the rest. `dtvm.ts` is the process entry point.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { createDParser, type Parser } from '../parse/dParser';
import { summarizeTree } from '../parse/treeSummary';
import { compileProgram, type FrontEndResult } from '../analyze/frontEnd';
import { formatProbeList, type Probe } from '../analyze/catalogue';
import { OptionSet } from '../analyze/options/optionSet';
import { applyCliFlag, applyCliOption } from '../analyze/options/optionMessages';
import { desugarProgram } from '../desugar/ifDesugar';
import { printClauses } from '../desugar/printD';
import { parseArguments, probeProgramText, USAGE, type ProgramSpec } from './arguments';
import { formatCompileError, type Location } from './compileErrors';
import { preprocess, type LineMap } from './preprocess';
import { stabilityReport } from './stability';

export interface Io {
  out(s: string): void;
  err(s: string): void;
}

let out: (s: string) => void = (s) => process.stdout.write(s);
let err: (s: string) => void = (s) => process.stderr.write(s);

/** Runs dtvm with these arguments; returns the exit status. Tests call it in-process. */
export async function runDtvm(argv: string[], io?: Io): Promise<number> {
  if (io) {
    out = io.out;
    err = io.err;
  }
  return main(argv);
}

async function main(argv: string[]): Promise<number> {
  const args = parseArguments(argv);
  if ('usage' in args) {
    err(`dtvm: ${args.usage}\n${USAGE}`);
    return 2;
  }
  const options = new OptionSet();
  for (const s of args.settings) {
    const r = s.flag === '-x' ? applyCliOption(options, s.arg!, 'dtvm') : applyCliFlag(options, s.flag, s.arg, 'dtvm');
    if (r && !r.ok) {
      err(`${r.message}\n`);
      return r.exitStatus;
    }
  }
  if (args.programs.length === 0 && !args.list) {
    err(`dtvm: no probe specifier or script given\n${USAGE}`);
    return 2;
  }
  const parser = await createDParser();
  if (args.programs.length === 0 && args.list) {
    const { catalogue } = compileProgram(parser, { text: '', programName: '', options, commandLine: true, noLibraries: true });
    out(formatProbeList(catalogue.match({ provider: '', module: '', function: '', name: '' }), args.verbose));
    return 0;
  }
  let matched = 0;
  const listed: Probe[] = [];
  for (const spec of args.programs) {
    const r = compileOne(parser, spec, args, options);
    if (typeof r === 'number') return r;
    if (args.syntaxTree) continue;
    const { result, label } = r;
    const analysis = result.analysis!;
    if (args.desugar) out(printClauses(desugarProgram(analysis.clauses.map((x) => x.clause)).clauses, r.text));
    const desugared = desugarProgram(analysis.clauses.map((x) => x.clause));
    for (const d of desugared.clauses) {
      const origin = analysis.clauses.find((x) => x.clause === d.origin);
      if (d.descriptions[0]?.text === 'dtrace:::ERROR' && d.origin !== undefined && !d.origin.descriptions.some((x) => x.text === 'dtrace:::ERROR')) {
        matched += result.catalogue.match({ provider: 'dtrace', module: '', function: '', name: 'ERROR' }).length;
        continue;
      }
      matched += origin?.probes.length ?? 0;
    }
    for (const c of analysis.clauses) for (const p of c.probes) if (!listed.some((x) => x.id === p.id)) listed.push(p as unknown as Probe);
    if (args.verbose && !args.list) err(stabilityReport(label));
  }
  if (args.syntaxTree) return 0;
  if (args.list) {
    out(formatProbeList(listed.sort((a, b) => a.id - b.id), args.verbose));
    return 0;
  }
  if (args.compileOnly) return 0;
  if (!args.quiet && !options.flag('quiet')) {
    const first = args.programs[0]!;
    const what = first.kind === 'script' && args.programs.length === 1 ? `script '${first.path}'` : 'description';
    err(`dtvm: ${what} matched ${matched} probe${matched === 1 ? '' : 's'}\n`.replace(/^dtvm: /, 'dtrace: '));
  }
  return 0;
}

function compileOne(
  parser: Parser,
  spec: ProgramSpec,
  args: Exclude<ReturnType<typeof parseArguments>, { usage: string }>,
  options: OptionSet,
): { result: FrontEndResult; label: string; text: string } | number {
  let text: string;
  let lineMap: LineMap | undefined;
  const label = spec.kind === 'script' ? spec.path : spec.text;
  if (spec.kind === 'script') {
    try {
      text = readFileSync(spec.path, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      err(`dtrace: failed to open ${spec.path}: ${code === 'ENOENT' ? 'No such file or directory' : code === 'EISDIR' ? 'Is a directory' : code === 'EACCES' ? 'Permission denied' : String(e)}\n`);
      return 1;
    }
    if (args.cpp || options.flag('cpp')) {
      const p = preprocess(text, spec.path, args.cppArgs);
      if ('error' in p) {
        err(`dtrace: failed to compile script ${spec.path}: ${p.error}\n`);
        return 1;
      }
      text = p.text;
      lineMap = p.lineMap;
    }
  } else text = probeProgramText(spec.flag, spec.text);
  if (args.syntaxTree) {
    const tree = parser.parse(text)!;
    out(summarizeTree(tree, basename(label)));
    tree.delete();
  }
  const result = compileProgram(parser, {
    text,
    programName: label,
    options,
    operands: args.operands,
    commandLine: spec.kind === 'probe',
    ...(args.boundedLoops !== undefined ? { boundedLoops: args.boundedLoops } : {}),
  });
  const location: Location = spec.kind === 'script' ? { kind: 'script', path: spec.path, lineMap } : { kind: 'probe', text: spec.text };
  const first = result.analysis?.diagnostics.find((d) => d.severity === 'error');
  if (!first && result.firstError) {
    const f = result.firstError;
    err(formatCompileError(location, { code: f.tag, message: f.message, row: f.row, inPredicate: false }, options.flag('errtags')) + '\n');
    return 1;
  }
  if (first) {
    if (first.code === 'DTVM_DESTRUCTIVE') {
      err('dtrace: could not enable tracing: Destructive actions not allowed\n');
      return 1;
    }
    const inPredicate = result.analysis!.clauses.some((c) => c.clause.predicate && within(first.span, c.clause.predicate.span));
    err(
      formatCompileError(
        location,
        { code: first.code, message: first.message, row: (first.line ?? first.span.start.row + 1) - 1, inPredicate, ...(first.file ? { file: first.file } : {}) },
        options.flag('errtags'),
      ) + '\n',
    );
    return 1;
  }
  return { result, label, text };
}

function within(a: { startIndex: number; endIndex: number }, b: { startIndex: number; endIndex: number }): boolean {
  return a.startIndex >= b.startIndex && a.endIndex <= b.endIndex;
}

