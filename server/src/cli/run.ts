// dtvm's behaviour, callable in-process: parses arguments and prints in dtrace(1)'s exact
// forms; the front end does the rest. `dtvm.ts` is the process entry point.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { createDParser, type Parser } from '../parse/dParser';
import { summarizeTree } from '../parse/treeSummary';
import { findSyntaxErrors } from '../parse/syntaxErrors';
import { chooseFlavourOf, compileProgram, countEnabledProbes, type FrontEndResult } from '../analyze/frontEnd';
import { formatProbeList, type Probe } from '../analyze/catalogue';
import { OptionSet } from '../analyze/options/optionSet';
import { applyCliFlag, applyCliOption } from '../analyze/options/optionMessages';
import { desugarProgram } from '../desugar/ifDesugar';
import { printClauses } from '../desugar/printD';
import { DTVM_FLAGS, DTVM_OPTIONS_WITH_VALUE, parseArguments, probeProgramText, probeSpecName, USAGE, type CliArguments, type ProgramSpec } from './arguments';
import { formatCompileError, type Location } from './compileErrors';
import { preprocess, type LineMap } from './preprocess';
import { stabilityReport } from './stability';
import { disassemblyReport } from './disassembly';
import { executeProgram, preparePrograms, type CompiledSpec, type RangeWork } from './execute';
import { flavourConflict, readProviderFiles } from '../sources/open';
import { openSource, skipReport, unknownCallsReport, type OpenedSource } from './sources';
import { errnoText } from '../consume/messages';
import { catalogueIdsOf, traceProviders } from '../sources/replay';
import { drainSource } from '../sources/recording';
import { TraceFormatError } from '../trace/errors.ts';
import { isFlavour } from '../analyze/flavour/flavours';
import { stoppingError } from '../analyze/stoppingError';

export interface Io {
  out(s: string): void;
  err(s: string): void;
}

let out: (s: string) => void = (s) => process.stdout.write(s);
let err: (s: string) => void = (s) => process.stderr.write(s);
/** The real command line (not an in-process call with its own Io): it may take Ctrl-C. */
let processIo = true;
/** In a parallel replay's worker thread: its range of the trace (cli/parallel/). */
let rangeWork: RangeWork | undefined;

/** Runs dtvm with these arguments; returns the exit status. Tests call it in-process. */
export async function runDtvm(argv: string[], io?: Io, work?: RangeWork): Promise<number> {
  if (io) {
    out = io.out;
    err = io.err;
    processIo = false;
  }
  rangeWork = work;
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
    const r = s.flag === '-x' ? applyCliOption(options, s.arg!, 'dtrace') : applyCliFlag(options, s.flag, s.arg, 'dtrace');
    if (r && !r.ok) {
      err(`${r.message}\n`);
      return r.exitStatus;
    }
  }
  if (args.programs.length === 0 && !args.list && args.record === undefined) {
    err(`dtvm: no probe specifier or script given\n${USAGE}`);
    return 2;
  }
  const read = readProviderFiles(args.providerFiles);
  if ('error' in read) {
    err(read.error);
    return read.status;
  }
  args.providers = read.providers;
  // -p with -e or -l only gives $target its value; otherwise it attaches (sources.ts).
  let target: number | undefined;
  if (args.grab !== undefined) {
    if (!/^[0-9]+$/.test(args.grab) || Number(args.grab) > 0x7fffffff) {
      err(`dtrace: failed to grab pid ${args.grab}: No such process\n`);
      return 1;
    }
    target = Number(args.grab);
  }
  const opened = await openSource(args);
  if (opened !== undefined && 'error' in opened) {
    err(opened.error);
    return opened.status;
  }
  try {
    return await withSource(args, options, opened, target, argv);
  } catch (e) {
    // A malformed record stops the run as a failing consumer stops dtrace(1): what was already
    // printed stays, END does not fire and nothing else prints.
    if (e instanceof TraceFormatError) {
      err(`${e.message}\n`);
      return 1;
    }
    throw e;
  } finally {
    await opened?.source.close();
  }
}

async function withSource(args: CliArguments, options: OptionSet, opened: OpenedSource | undefined, grabbed: number | undefined, argv: string[]): Promise<number> {
  // A parser holds wasm memory that is not garbage collected: runs made in one process (the
  // tests, the fuzzer) must not leak one per run.
  const parser = await createDParser();
  try {
    return await withParser(parser, args, options, opened, grabbed, argv);
  } finally {
    parser.delete();
  }
}

async function withParser(parser: Parser, args: CliArguments, options: OptionSet, opened: OpenedSource | undefined, grabbed: number | undefined, argv: string[]): Promise<number> {
  const providers = args.providers ?? [];
  const target = opened?.target ?? grabbed;
  if (opened !== undefined) {
    // The source's system decides the flavour; a different --flavour is a mistake.
    const header = opened.source.header;
    const of = flavourConflict(opened, args.flavour);
    if (of !== undefined) {
      err(`dtvm: --flavour ${args.flavour} does not match ${of}\n`);
      return 2;
    }
    const flavour = opened.flavour ?? (args.flavour !== undefined && isFlavour(args.flavour) ? args.flavour : chooseFlavourOf(parser, args.programs.map(programText), { ...args, ...(target !== undefined ? { target } : {}) }).name);
    args.flavour = flavour;
    args.providers = traceProviders(header, flavour, providers, opened.trace?.file ?? args.trace ?? args.workload ?? args.straceLog ?? (args.command !== undefined ? `-c '${args.command}'` : `-p ${args.grab}`));
    if (args.programs.length === 0 && args.record !== undefined && !args.list) {
      // Only recording: the source's tee writes every record it reads. Ctrl-C (or SIGTERM)
      // stops the source (a -c command is killed, a -p process left running) and the trace
      // ends there, complete.
      let stopping: Promise<void> | undefined;
      const stop = (): void => {
        stopping ??= opened.source.close();
      };
      if (processIo) {
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      }
      try {
        await drainSource(opened.source);
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        await stopping;
      }
      err(skipReport(opened, stopping === undefined) + unknownCallsReport(opened));
      return 0;
    }
  }
  if (args.programs.length === 0 && args.list) {
    const { catalogue } = compileProgram(parser, { text: '', programName: '', options, commandLine: true, noLibraries: true, providers: args.providers ?? [], ...(args.flavour ? { flavour: args.flavour } : {}) });
    // `dtrace -l` alone lists every probe (an all-empty description would not match BEGIN);
    // with a source, every probe it offers.
    if (opened !== undefined) {
      const ids = [...new Set(catalogueIdsOf(opened.source.header, catalogue))].filter((id) => id !== 0).sort((a, b) => a - b);
      out(formatProbeList(ids.map((id) => catalogue.probe(id)!), args.verbose));
    } else out(formatProbeList(catalogue.list().probes, args.verbose));
    return 0;
  }
  // Programs compiled together enable probes of one catalogue: one flavour, chosen from all.
  if (args.programs.length > 1 && (args.flavour ?? 'auto') === 'auto')
    args.flavour = chooseFlavourOf(parser, args.programs.map(programText), { ...args, ...(target !== undefined ? { target } : {}) }).name;
  const listed: Probe[] = [];
  const notices: string[] = [];
  const compiled: CompiledSpec[] = [];
  let previous: FrontEndResult | undefined;
  for (const spec of args.programs) {
    const r = compileOne(parser, spec, args, options, previous?.analysis, target);
    if (r === -1) continue; // --syntax-tree printed it
    if (typeof r === 'number') return r;
    const { result, label } = r;
    previous = result;
    const analysis = result.analysis!;
    const desugared = desugarProgram(analysis.clauses.map((x) => x.clause));
    if (args.desugar) out(printClauses(desugared.clauses, r.text));
    if (args.disassemble) {
      const shown = disassemblyReport(result, desugared.clauses, options, r.location);
      err(shown.text);
      if (shown.status !== 0) return shown.status;
    }
    compiled.push({ result, clauses: desugared.clauses, location: r.location });
    const matched = countEnabledProbes(result, desugared.clauses);
    for (const c of analysis.clauses) for (const p of c.probes) if (!listed.some((x) => x.id === p.id)) listed.push(p as unknown as Probe);
    if (args.verbose && !args.list) err(stabilityReport(label));
    const name = spec.kind === 'script' ? `script '${spec.path}'` : `description '${probeSpecName(spec.text)}'`;
    notices.push(`dtrace: ${name} matched ${matched} probe${matched === 1 ? '' : 's'}\n`);
  }
  if (args.syntaxTree) return 0;
  if (args.list) {
    // With a source, the world is what it offers: only its probes are listed.
    const offered = opened === undefined || previous === undefined ? undefined : new Set(catalogueIdsOf(opened.source.header, previous.catalogue));
    out(formatProbeList(listed.filter((p) => offered === undefined || offered.has(p.id)).sort((a, b) => a.id - b.id), args.verbose));
    return 0;
  }
  if (args.compileOnly) return 0;
  // -d only shows the rewritten clauses; everything else runs (execute.ts).
  const prepared = args.desugar || compiled.length === 0 ? undefined : preparePrograms(compiled, options, err);
  if (typeof prepared === 'number') return prepared;
  if (!args.quiet && !options.flag('quiet')) notices.forEach(err);
  if (!prepared) return 0;
  const realtime = processIo && process.env.DTVM_REALTIME !== '0' && (process.env.DTVM_REALTIME === '1' || process.stdout.isTTY === true);
  return executeProgram(prepared, {
    options,
    out,
    err,
    handleSignals: processIo,
    // A recorded source carries its own time; only a run with nothing to replay paces itself.
    realtime: realtime && (opened === undefined || !opened.replayable),
    commandLine: dtraceCommandLine(argv),
    ...(args.outputFile !== undefined ? { outputFile: args.outputFile } : {}),
    ...(opened !== undefined ? { source: opened } : {}),
    ...(args.printAggregations ? { printAggregations: true } : {}),
    dtvmArgs: argv,
    ...(rangeWork !== undefined ? { rangeWork } : {}),
  });
}

/** A program's text as written (a script not read here is left to compileOne to report). */
function programText(spec: ProgramSpec): string {
  if (spec.kind === 'probe') return probeProgramText(spec.flag, spec.text);
  try {
    return readFileSync(spec.path, 'utf8');
  } catch {
    return '';
  }
}

function compileOne(
  parser: Parser,
  spec: ProgramSpec,
  args: Exclude<ReturnType<typeof parseArguments>, { usage: string }>,
  options: OptionSet,
  previous?: FrontEndResult['analysis'],
  target?: number,
): { result: FrontEndResult; label: string; text: string; location: Location } | number {
  let text: string;
  let lineMap: LineMap | undefined;
  const label = spec.kind === 'script' ? spec.path : spec.text;
  if (spec.kind === 'script') {
    try {
      text = readFileSync(spec.path, 'utf8');
    } catch (e) {
      err(`dtrace: failed to open ${spec.path}: ${errnoText(e)}\n`);
      return 1;
    }
    if (args.cpp || options.flag('cpp')) {
      const p = preprocess(text, spec.path, args.cppArgs, args.flavour);
      if ('error' in p) {
        err(`dtrace: failed to compile script ${spec.path}: ${p.error}\n`);
        return 1;
      }
      text = p.text;
      lineMap = p.lineMap;
    }
  } else text = probeProgramText(spec.flag, spec.text);
  if (args.syntaxTree) {
    // A look at the syntax only: the summary, and DTrace's message for a syntax error.
    const tree = parser.parse(text)!;
    out(summarizeTree(tree, basename(label)));
    const syntax = findSyntaxErrors(tree)[0];
    tree.delete();
    if (!syntax) return -1;
    err(formatCompileError({ kind: 'script', path: label, lineMap }, { code: 'D_SYNTAX', message: syntax.dtraceMessage, row: syntax.dtraceRow, inPredicate: false }, options.flag('errtags')) + '\n');
    return 1;
  }
  const result = compileProgram(parser, {
    text,
    programName: label,
    options,
    operands: args.operands,
    commandLine: spec.kind === 'probe',
    providers: args.providers ?? [],
    ...(args.flavour ? { flavour: args.flavour } : {}),
    ...(args.boundedLoops !== undefined ? { boundedLoops: args.boundedLoops } : {}),
    ...(previous ? { continueFrom: previous } : {}),
    ...(target !== undefined ? { target } : {}),
  });
  const location: Location = spec.kind === 'script' ? { kind: 'script', path: spec.path, lineMap } : { kind: 'probe', text: spec.text };
  const stop = stoppingError(result, text);
  if (stop !== undefined) {
    const placed = { row: stop.row, line: stop.line, ...(stop.file !== undefined ? { file: stop.file } : {}) };
    err(formatCompileError(location, { code: stop.code, message: stop.message, ...placed, inPredicate: stop.inPredicate }, options.flag('errtags')) + '\n');
    return 1;
  }
  // Destructive actions compile; dtrace(1) fails when it enables them (not with -e).
  if (result.analysis?.diagnostics.some((d) => d.code === 'DTVM_DESTRUCTIVE') && !args.compileOnly && !args.list) {
    err('dtrace: could not enable tracing: Destructive actions not allowed\n');
    return 1;
  }
  return { result, label, text, location };
}


/** The command line the modelled dtrace(1) was started with: dtvm's own options left out. */
function dtraceCommandLine(argv: readonly string[]): string[] {
  const out = ['dtrace'];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const arg = argv[i]!;
    if (DTVM_OPTIONS_WITH_VALUE.includes(arg)) i++;
    else if (!DTVM_FLAGS.includes(arg) && !DTVM_OPTIONS_WITH_VALUE.some((o) => arg.startsWith(`${o}=`))) out.push(arg);
  }
  return out;
}
