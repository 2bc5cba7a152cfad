// dtrace(1)'s command line: getopt-style flags (combinable, `-qs file`), probe specifiers that
// become programs in order, and the operands that become `$1 $2 ...`.
import { FLAVOURS, isFlavour } from '../analyze/flavour/flavours';

export type ProgramSpec =
  | { kind: 'script'; path: string }
  | { kind: 'probe'; flag: 'n' | 'P' | 'm' | 'f' | 'i'; text: string };

export interface CliArguments {
  programs: ProgramSpec[];
  operands: string[];
  /** `-x name=value` and flags that set options, in command-line order. */
  settings: { flag: string; arg?: string }[];
  compileOnly: boolean;
  list: boolean;
  verbose: boolean;
  quiet: boolean;
  desugar: boolean;
  disassemble: boolean;
  cpp: boolean;
  cppArgs: string[];
  syntaxTree: boolean;
  boundedLoops: number | undefined;
  /** `--providers file.json` (ours): providers described by data, added to the catalogue. */
  providerFiles: string[];
  /** The providers those files describe, once read. */
  providers?: import('../analyze/catalogue').ProviderDefinition[];
  /** `--flavour NAME` (ours): the target system, or 'auto' to decide from each script. */
  flavour?: 'auto' | import('../analyze/flavour/flavours').Flavour;
  /** `-o file`: output appended to the file. */
  outputFile?: string;
  /** `-p pid`: the process to grab, as given (its pid becomes `$target`). */
  grab?: string;
  /** `-c command`: the command to run and trace (its pid becomes `$target`). */
  command?: string;
  /** `--trace file` (ours): replay a trace file (`-` for standard input). */
  trace?: string;
  /** `--skip-bad-records` (ours): a replay skips malformed records and counts them. */
  skipBadRecords: boolean;
  /** `--workload file` (ours): fire a synthetic workload's probes. */
  workload?: string;
  /** `--seed n` (ours): the workload generator's seed. */
  seed?: number;
  /** `--record file` (ours): copy the source's records to a trace file. */
  record?: string;
  /** `--strace-log file` (ours): replay an `strace -f -ttt -T` log (sources/strace). */
  straceLog?: string;
  /** `-O`: under a structured oformat, print the aggregations no printa() printed when tracing stops. */
  printAggregations?: boolean;
}

export const USAGE = `Usage: dtvm [-CdeFHlOqSvwZ] [-c cmd] [-D name[=def]] [-I path] [-o output] [-p pid] [-s script]
	[-U name] [-x opt[=val]] [--trace file [--skip-bad-records]] [--workload file [--seed n]]
	[--record file] [--strace-log file]

	[-P provider [[ predicate ] action ]]
	[-m [ provider: ] module [[ predicate ] action ]]
	[-f [[ provider: ] module: ] func [[ predicate ] action ]]
	[-n [[[ provider: ] module: ] func: ] name [[ predicate ] action ]]
	[-i probe-id [[ predicate ] action ]] [ args ... ]

	predicate -> '/' D-expression '/'
	   action -> '{' D-statements '}'

	-c  run specified command and exit upon its completion (traced with strace)
	-C  run cpp(1) preprocessor on script files
	-d  print the script after its if/else sugar is rewritten into clauses
	-D  define symbol when invoking preprocessor
	-e  exit after compiling request but prior to enabling probes
	-f  enable or list probes matching the specified function name
	-F  coalesce trace output by function
	-H  print included files when invoking preprocessor
	-i  enable or list probes matching the specified probe id
	-I  add include directory to preprocessor search path
	-l  list probes matching specified criteria
	-m  enable or list probes matching the specified module name
	-n  enable or list probes matching the specified probe name
	-o  set output file
	-O  print all aggregations when tracing stops (with -x oformat=json|xml|ndjson)
	-p  grab specified process-ID (attached with strace; its pid is $target)
	-P  enable or list probes matching the specified provider name
	-q  set quiet mode (only output explicitly traced data)
	-s  enable or list probes according to the specified D script
	-S  print D compiler intermediate code
	-U  undefine symbol when invoking preprocessor
	-v  set verbose mode (report stability attributes, arguments)
	-w  permit destructive actions
	-x  enable or modify compiler and tracing options
	-Z  permit probe descriptions that match zero probes
	--syntax-tree  print a summary of each script's syntax tree
	--providers file.json  add the providers a file describes to the probe catalogue
	--flavour name  target system: freebsd, illumos, macos, linux or auto (the default)
	--trace file  replay a trace file (gzip or plain; - reads standard input); with -l,
	              list the probes it offers
	--skip-bad-records  skip malformed trace records and report how many at the end
	--workload file  fire the probes of a synthetic workload
	--seed n  the workload's random seed
	--record file  write the source's records to a trace file (without a script: only record)
	--strace-log file  replay a log of strace -f -ttt -T (with --record: convert it to a trace)
	--libxo options  structured output, as -x oformat=options (json, xml, html, ndjson; pretty)

	environment: DTVM_WORKERS=n  worker threads for a --trace replay whose probe clauses only
	             aggregate (default: 2 for a plain trace of 128 MiB or more; 1: one thread)
`;

/**
 * dtvm's own long options (dtrace(1) has none of them), which the modelled dtrace's command
 * line (`curpsinfo->pr_psargs`) leaves out. `--libxo` is FreeBSD dtrace's and stays.
 */
export const DTVM_OPTIONS_WITH_VALUE: readonly string[] = ['--flavour', '--trace', '--workload', '--seed', '--record', '--strace-log', '--providers'];
export const DTVM_FLAGS: readonly string[] = ['--syntax-tree', '--skip-bad-records'];

/** Flags without an argument, and those with one. */
const NO_ARG = new Set('CdeFGhHlOqSvVwZaA'.split(''));
const WITH_ARG = new Set('bcDfiIL:mnoPpsUxX'.replace(':', '').split(''));

export function parseArguments(argv: string[]): CliArguments | { usage: string } {
  const a: CliArguments = {
    programs: [],
    operands: [],
    settings: [],
    compileOnly: false,
    list: false,
    verbose: false,
    quiet: false,
    desugar: false,
    disassemble: false,
    cpp: false,
    cppArgs: [],
    syntaxTree: false,
    boundedLoops: undefined,
    providerFiles: [],
    skipBadRecords: false,
  };
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      i++;
      break;
    }
    if (arg === '--syntax-tree') {
      a.syntaxTree = true;
      continue;
    }
    if (arg === '--flavour' || arg.startsWith('--flavour=')) {
      const name = arg === '--flavour' ? argv[++i] : arg.slice('--flavour='.length);
      if (name === undefined) return { usage: 'option requires an argument -- flavour' };
      if (name !== 'auto' && !isFlavour(name)) return { usage: `unknown flavour -- ${name} (expected ${FLAVOURS.join(', ')} or auto)` };
      a.flavour = name;
      continue;
    }
    if (arg === '--skip-bad-records') {
      a.skipBadRecords = true;
      continue;
    }
    if (arg === '--libxo' || arg.startsWith('--libxo=')) {
      // FreeBSD's --libxo: the same as -x oformat=<options>.
      const value = arg === '--libxo' ? argv[++i] : arg.slice('--libxo='.length);
      if (value === undefined) return { usage: 'option requires an argument -- libxo' };
      a.settings.push({ flag: '-x', arg: `oformat=${value}` });
      continue;
    }
    const long = /^--(trace|workload|seed|record|strace-log)(?:=([\s\S]*))?$/.exec(arg);
    if (long) {
      const name = long[1]!;
      const value = long[2] ?? argv[++i];
      if (value === undefined) return { usage: `option requires an argument -- ${name}` };
      if (name === 'trace') a.trace = value;
      else if (name === 'workload') a.workload = value;
      else if (name === 'record') a.record = value;
      else if (name === 'strace-log') a.straceLog = value;
      else {
        if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(Number(value))) return { usage: `invalid seed -- ${value} (expected a non-negative integer)` };
        a.seed = Number(value);
      }
      continue;
    }
    if (arg === '--providers') {
      const file = argv[++i];
      if (file === undefined) return { usage: 'option requires an argument -- providers' };
      a.providerFiles.push(file);
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') {
      // Scripts run through `#!` and plain `dtvm file.d` both name the script first.
      if (a.programs.length === 0 && arg.endsWith('.d')) {
        a.programs.push({ kind: 'script', path: arg });
        continue;
      }
      break;
    }
    for (let j = 1; j < arg.length; j++) {
      const f = arg[j]!;
      if (NO_ARG.has(f)) {
        switch (f) {
          case 'C': a.cpp = true; break;
          case 'd': a.desugar = true; break;
          case 'e': a.compileOnly = true; break;
          case 'l': a.list = true; break;
          case 'q': a.quiet = true; a.settings.push({ flag: '-q' }); break;
          case 'S': a.disassemble = true; break;
          case 'v': a.verbose = true; break;
          case 'w': a.settings.push({ flag: '-w' }); break;
          case 'Z': a.settings.push({ flag: '-Z' }); break;
          case 'O': a.printAggregations = true; break;
          case 'F': a.settings.push({ flag: '-F' }); break;
          case 'H': a.cppArgs.push('-H'); break;
          default: return { usage: `illegal option -- ${f}` };
        }
        continue;
      }
      if (!WITH_ARG.has(f)) return { usage: `illegal option -- ${f}` };
      let value = arg.slice(j + 1);
      if (value === '') {
        const next = argv[++i];
        if (next === undefined) return { usage: `option requires an argument -- ${f}` };
        value = next;
      }
      switch (f) {
        case 's': a.programs.push({ kind: 'script', path: value }); break;
        case 'n': case 'P': case 'm': case 'f': case 'i': a.programs.push({ kind: 'probe', flag: f, text: value }); break;
        case 'x': {
          const bounded = /^boundedloops(?:=(\d+))?$/.exec(value);
          if (bounded) a.boundedLoops = Number(bounded[1] ?? 64);
          else a.settings.push({ flag: '-x', arg: value });
          break;
        }
        case 'D': a.cppArgs.push(`-D${value}`); break;
        case 'U': a.cppArgs.push(`-U${value}`); break;
        case 'I': a.cppArgs.push(`-I${value}`); break;
        case 'b': a.settings.push({ flag: '-b', arg: value }); break;
        case 'X': a.settings.push({ flag: '-X', arg: value }); break;
        case 'o': a.outputFile = value; break;
        case 'p': a.grab = value; break;
        case 'c': a.command = value; break;
        default: return { usage: `option -${f} is not supported by dtvm yet` };
      }
      break;
    }
  }
  a.operands.push(...argv.slice(i));
  return a;
}

/** The full `provider:module:function:name` text a `-P/-m/-f/-n` specifier stands for. */
export function probeProgramText(flag: 'n' | 'P' | 'm' | 'f' | 'i', text: string): string {
  const m = /^([^/{]*?)\s*((?:\/|\{)[\s\S]*)?$/.exec(text);
  const spec = (m?.[1] ?? text).trim();
  const rest = m?.[2] ?? '';
  const parts = spec.split(':');
  const pad = (fieldsAfter: number): string => {
    // The given fields end at this position; fill the missing fields around them.
    const total = 4;
    const before = Math.max(0, total - fieldsAfter - parts.length);
    return [...Array(before).fill(''), ...parts, ...Array(fieldsAfter).fill('')].join(':');
  };
  let full = spec;
  if (flag === 'P') full = pad(3);
  else if (flag === 'm') full = pad(2);
  else if (flag === 'f') full = pad(1);
  // A bare description enables the default action, which an empty body means in a program.
  return rest ? `${full} ${rest}` : `${full} {}`;
}

/** The name dtrace(1) gives a `-n` program in its notices: the text before any predicate or action. */
export function probeSpecName(text: string): string {
  const cut = text.search(/[/{]/);
  return cut < 0 ? text : text.slice(0, cut);
}
