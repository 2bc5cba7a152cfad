// Running compiled programs, as dtrace(1) does after its notices: code generation, the kernel's
// checks at enabling (every DIF object verified, destructive actions refused without -w), the
// VM on its virtual clock feeding the consumer, Ctrl-C ending the run (END still fires and
// aggregations still print; a second Ctrl-C skips them), `-o file` as the output, and exit()'s
// status as dtvm's.
import { setMaxListeners } from 'node:events';
import { appendFileSync, closeSync, openSync } from 'node:fs';
import type { ProbeCatalogue } from '../analyze/catalogue/types';
import type { FrontEndResult } from '../analyze/frontEnd';
import type { OptionSet } from '../analyze/options/optionSet';
import { CodegenError, generateProgram } from '../codegen/index';
import { mergePrograms } from '../codegen/mergePrograms';
import type { CompiledProgram } from '../codegen/program';
import { Consumer } from '../consume/consumer';
import { errnoText } from '../consume/messages';
import type { DesugaredClause } from '../desugar/ifDesugar';
import { EngineError, runProgram } from '../vm/engine';
import { ProcessingAborted } from '../consume/processingAborted';
import { type Location } from './compileErrors';
import { codegenErrorText } from './disassembly';
import { processExitNotice, skipReport, unknownCallsReport, type OpenedSource } from './sources';
import { replayInput } from '../sources/replay';
import { countingDrops, dropHintsAfterRun } from '../tuning';
import { mergedFirings, replayInParallel } from './parallel/replay';
import { runRange } from './parallel/rangeRun';
import type { RangeJob, RangeReport } from './parallel/protocol';

export interface CompiledSpec {
  result: FrontEndResult;
  clauses: readonly DesugaredClause[];
  location: Location;
}

export interface ExecuteRequest {
  options: OptionSet;
  /** `-o file`: dtrace appends its output there. */
  outputFile?: string;
  /** Whether the process may catch SIGINT/SIGTERM (only the real command line). */
  handleSignals?: boolean;
  /** Let virtual time run no faster than real time (an interactive run). */
  realtime?: boolean;
  /** Stops the run as Ctrl-C does (tests). */
  signal?: AbortSignal;
  /** dtrace's own command line (argv[0] first): curpsinfo->pr_psargs in BEGIN/END. */
  commandLine?: readonly string[];
  /** Where the probe firings come from (a trace, a capture, a workload); none: BEGIN, END and ticks only. */
  source?: OpenedSource;
  /** `-O`: under a structured oformat, print every aggregation printa() did not when tracing stops. */
  printAggregations?: boolean;
  /** dtvm's own arguments: a parallel replay's workers compile the program again from them. */
  dtvmArgs?: readonly string[];
  /** This is a parallel replay's worker: replay only the job's range, report instead of printing. */
  rangeWork?: RangeWork;
  out(s: string): void;
  err(s: string): void;
}

/** A worker's range to replay (cli/parallel/) and where its report goes. */
export interface RangeWork {
  job: RangeJob;
  report(r: RangeReport): void;
}

export interface PreparedRun {
  program: CompiledProgram;
  catalogue: ProbeCatalogue;
}

/**
 * Code generation for every program (dtrace compiles everything before it enables anything):
 * the program to run, or the exit status after a compile error.
 */
export function preparePrograms(specs: readonly CompiledSpec[], options: OptionSet, err: (s: string) => void): PreparedRun | number {
  const programs: CompiledProgram[] = [];
  for (const spec of specs) {
    try {
      programs.push(generateProgram(spec.result, spec.clauses, options));
    } catch (e) {
      if (!(e instanceof CodegenError)) throw e;
      err(codegenErrorText(e, spec.result, spec.location, options) + '\n');
      return 1;
    }
  }
  return { program: programs.length === 1 ? programs[0]! : mergePrograms(programs), catalogue: specs[0]!.result.catalogue };
}

/** Runs a prepared program to the end; returns dtvm's exit status. */
export async function executeProgram(prepared: PreparedRun, req: ExecuteRequest): Promise<number> {
  const { options, err } = req;
  const { program, catalogue } = prepared;
  if (req.rangeWork !== undefined && req.source !== undefined) {
    const header = req.source.source.header;
    req.rangeWork.report(await runRange({ program, catalogue, options, header, job: req.rangeWork.job, destructive: options.flag('destructive') }));
    return 0;
  }

  let out = req.out;
  if (req.outputFile !== undefined) {
    const file = req.outputFile;
    try {
      closeSync(openSync(file, 'a'));
    } catch (e) {
      err(`dtrace: failed to open output file '${file}': ${errnoText(e)}\n`);
      return 1;
    }
    // Synchronous appends: the file is complete however the run ends.
    out = (s) => appendFileSync(file, s);
  }

  const destructive = options.flag('destructive');
  const consumer = new Consumer(program, {
    ...(req.source !== undefined ? { startWallTime: req.source.source.header.walltimestamp } : {}),
    options,
    quiet: options.flag('quiet'),
    flowindent: options.flag('flowindent'),
    destructive,
    out,
    err,
    terminal: req.out,
    ...(req.outputFile !== undefined ? { outputFile: req.outputFile } : {}),
    ...(req.printAggregations ? { printAggregations: true } : {}),
    describeProbe: (id) => {
      const p = catalogue.probe(id);
      return p && { provider: p.provider, module: p.module, function: p.function, name: p.name };
    },
  });

  // The source was read to its end (not cut short by exit() or Ctrl-C): skip mode's completeness warning applies.
  let readToEnd = false;
  const stop = new AbortController();
  // The engine listens on the signal once per wait; that is not a leak.
  setMaxListeners(0, stop.signal);
  let interrupts = 0;
  const onInterrupt = (): void => {
    interrupts++;
    if (interrupts === 1) {
      consumer.interrupted();
      stop.abort();
    }
  };
  req.signal?.addEventListener('abort', onInterrupt, { once: true });
  // A reader that went away (`dtvm ... | head`) ends dtvm as SIGPIPE ends dtrace.
  const onPipeError = (e: NodeJS.ErrnoException): void => {
    if (e.code === 'EPIPE') process.exit(141);
  };
  // A run that waits for Ctrl-C (nothing left that could fire, as `dtrace -n BEGIN` waits) has
  // nothing else holding the event loop open: signal listeners do not, and without this node
  // would quietly exit 0 there, before END fired and the aggregations printed.
  let keepAlive: NodeJS.Timeout | undefined;
  if (req.handleSignals) {
    process.on('SIGINT', onInterrupt);
    process.on('SIGTERM', onInterrupt);
    process.stdout.on('error', onPipeError);
    keepAlive = setInterval(() => {}, 1 << 30);
  }
  // The listeners stay until everything is printed: a signal with no listener kills node
  // outright, and a second Ctrl-C while the aggregations print must not cut them short
  // (dtrace(1) keeps its handler to the end).
  let ran = false;
  const release = (): void => {
    if (req.handleSignals) {
      // Ignored from here to the exit: with no listener at all, a second Ctrl-C arriving
      // after the output but before node exits would kill dtvm (status lost).
      process.on('SIGINT', ignoreSignal);
      process.on('SIGTERM', ignoreSignal);
      process.off('SIGINT', onInterrupt);
      process.off('SIGTERM', onInterrupt);
      process.stdout.off('error', onPipeError);
    }
  };
  if (destructive && !options.flag('quiet')) err('dtrace: allowing destructive actions\n');
  // Which drops the run had, for the tuning hints (the consumer's output is unchanged).
  const counted = countingDrops(consumer);
  try {
    // Without a way to stop it (an in-process call with no signal), a run that would wait for
    // Ctrl-C ends at once instead.
    const stoppable = req.handleSignals === true || req.signal !== undefined;
    const opened = req.source;
    // dtrace(1)'s notice when the -c or -p process is gone (tracing then stops).
    const onSourceEnd = (): void => {
      readToEnd = true;
      if ((opened!.kind === 'command' || opened!.kind === 'attach') && !options.flag('quiet')) err(processExitNotice(opened!));
    };
    // A trace whose firings only aggregate may be replayed by worker threads first (nothing is
    // printed before BEGIN, which runs here); undefined: this thread replays it.
    const parallel =
      opened !== undefined && req.dtvmArgs !== undefined
        ? await replayInParallel({ program, catalogue, options, opened, argv: req.dtvmArgs, ...(stoppable ? { signal: stop.signal } : {}) })
        : undefined;
    const replay =
      opened === undefined
        ? {}
        : parallel !== undefined
          ? replayInput(opened.source, program, catalogue, {
              firings: mergedFirings(parallel, (deltas) => counted.sink.aggregations(deltas), onSourceEnd, () => opened.source.close()),
            })
          : replayInput(opened.source, program, catalogue, {
              skipBadMemory: (e) => opened.trace?.skipLate(e, opened.skipBadRecords) === true,
              onSourceEnd,
              onlyWhatTheProgramReads: true,
            });
    await runProgram({
      program,
      options,
      catalogue,
      sink: counted.sink,
      destructive,
      ...replay,
      ...(req.commandLine ? { consumer: { args: req.commandLine } } : {}),
      ...(stoppable ? { signal: stop.signal } : {}),
      realtime: req.realtime === true,
      ...(opened !== undefined && (opened.kind === 'command' || opened.kind === 'attach') ? { live: true } : {}),
    });
    ran = true;
  } catch (e) {
    if (e instanceof ProcessingAborted) return aborted(e);
    if (!(e instanceof EngineError)) throw e;
    err(`dtrace: could not enable tracing: ${e.message}\n`);
    return 1;
  } finally {
    if (keepAlive !== undefined) clearInterval(keepAlive);
    if (!ran) release();
  }
  try {
    return await finishRun();
  } catch (e) {
    if (e instanceof ProcessingAborted) return aborted(e);
    throw e;
  } finally {
    release();
  }
  function aborted(e: ProcessingAborted): number {
    err(`${e.report}\n`);
    return 1;
  }
  async function finishRun(): Promise<number> {
    consumer.finish(interrupts > 1);
    if (req.source !== undefined) err(skipReport(req.source, readToEnd) + unknownCallsReport(req.source));
    // Beyond DTrace: after drops in a replayable run, the settings that would have avoided them
    // (found by re-simulating; DTVM_HINTS=0 turns this off).
    const reopen = req.source?.reopen;
    if (reopen !== undefined && interrupts === 0 && process.env.DTVM_HINTS !== '0') {
      const skipMode = req.source!.skipBadRecords;
      err(
        await dropHintsAfterRun({
          drops: counted.tally,
          reopen,
          program,
          catalogue,
          options,
          run: { destructive, ...(req.commandLine ? { consumer: { args: req.commandLine } } : {}) },
          replayOptions: { skipBadMemory: () => skipMode },
          subject: req.source!.kind === 'workload' ? 'this workload' : 'this trace',
        }),
      );
    }
    // exit(n) gives the process status n, as the system truncates it.
    return (consumer.exitStatus ?? 0) & 0xff;
  }
}

function ignoreSignal(): void {}
