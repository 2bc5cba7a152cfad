// Every option libdtrace accepts through `-x name[=value]`, `#pragma D option` or setopt(): its
// class, the kind of value it takes, its default and how dtrace(1) exposes it. The set and the
// value rules are libdtrace's (dt_options.c as shipped by FreeBSD/OpenDTrace); the defaults come
// from the kernel (dtrace_state_create), libdtrace (dt_open.c) and dtrace(1) as noted.
import {
  atoiHandler,
  attributesHandler,
  environmentHandler,
  flagHandler,
  listHandler,
  rateHandler,
  runtimeHandler,
  sizeHandler,
  strsizeHandler,
  textHandler,
  valueIgnoredHandler,
  versionHandler,
  wordHandler,
  type OptionHandler,
  type OptionValue,
} from './optionHandlers';
import { DTRACEOPT_UNSET, LATEST_D_VERSION } from './optionValues';
import { oformatHandler } from './outputFormat';

/** runtime: fixed once tracing starts; dynamic: may change while tracing; compile: compiler only. */
export type OptionClass = 'runtime' | 'dynamic' | 'compile';

/**
 * size: bytes with k/m/g/t; time: an interval or rate (ns ... day, hz); bool: set/unset words;
 * int: a count; enum: one of `words`; string: free text; none: a switch that takes no value.
 */
export type OptionValueKind = 'size' | 'time' | 'bool' | 'int' | 'enum' | 'string' | 'none';

export const SIZE_OPTIONS = ['aggsize', 'bufsize', 'dynvarsize', 'jstackstrsize', 'specsize', 'strsize'] as const;
export const TIME_OPTIONS = ['aggrate', 'cleanrate', 'statusrate', 'switchrate'] as const;
export const BOOL_OPTIONS = [
  'agghist',
  'aggpack',
  'aggsortkey',
  'aggsortrev',
  'aggzoom',
  'destructive',
  'flowindent',
  'grabanon',
  'quiet',
  'rawbytes',
  'temporal',
] as const;
export const INT_OPTIONS = [
  'aggsortkeypos',
  'aggsortpos',
  'cpu',
  'iregs',
  'jstackframes',
  'nspec',
  'pgmax',
  'stackframes',
  'stackindent',
  'tree',
  'tregs',
  'ustackframes',
] as const;
export const ENUM_OPTIONS = ['bufpolicy', 'bufresize', 'encoding', 'evaltime', 'late', 'linkmode', 'linktype', 'stdc'] as const;
export const TEXT_OPTIONS = [
  'amin',
  'cpppath',
  'ctypes',
  'dtypes',
  'ldpath',
  'objcopypath',
  'oformat',
  'syslibdir',
  'version',
] as const;
export const LIST_OPTIONS = ['define', 'incdir', 'libdir', 'setenv', 'undef', 'unsetenv'] as const;
export const SWITCH_OPTIONS = [
  'aggpercpu',
  'argref',
  'core',
  'cpp',
  'cpphdrs',
  'debug',
  'defaultargs',
  'droptags',
  'empty',
  'errtags',
  'kdefs',
  'knodefs',
  'lazyload',
  'nolibs',
  'pspec',
  'strip',
  'udefs',
  'unodefs',
  'verbose',
  'zdefs',
] as const;

export type SizeOptionName = (typeof SIZE_OPTIONS)[number];
export type TimeOptionName = (typeof TIME_OPTIONS)[number];
export type BoolOptionName = (typeof BOOL_OPTIONS)[number];
export type IntOptionName = (typeof INT_OPTIONS)[number];
export type EnumOptionName = (typeof ENUM_OPTIONS)[number];
export type TextOptionName = (typeof TEXT_OPTIONS)[number];
export type ListOptionName = (typeof LIST_OPTIONS)[number];
export type SwitchOptionName = (typeof SWITCH_OPTIONS)[number];
export type OptionName =
  | SizeOptionName
  | TimeOptionName
  | BoolOptionName
  | IntOptionName
  | EnumOptionName
  | TextOptionName
  | ListOptionName
  | SwitchOptionName;

export interface OptionSpec {
  readonly name: OptionName;
  readonly class: OptionClass;
  readonly kind: OptionValueKind;
  /** The accepted words of an enum option. */
  readonly words?: readonly string[];
  /** The value in force when nobody set the option (kernel or libdtrace default). */
  readonly initial: OptionValue;
  /** The value text dtrace(1) sets before reading its own arguments, if any. */
  readonly commandDefault?: string;
  /** The default as a user would write it, for hover text. */
  readonly defaultText: string;
  readonly description: string;
  /** The dtrace(1) flag with the same effect (`-b` takes the value as its argument). */
  readonly flag?: string;
  /** Options that write another option's state (unsetenv edits the setenv list). */
  readonly storage?: OptionName;
  /** Setting this option switches the named one off (kdefs/knodefs, udefs/unodefs). */
  readonly opposite?: SwitchOptionName;
  /** Present only in this port of libdtrace. */
  readonly platform?: 'FreeBSD';
  readonly handler: OptionHandler;
}

const num = (value: bigint): OptionValue => ({ kind: 'number', value });
const UNSET = num(DTRACEOPT_UNSET);
const word = (value: string | undefined): OptionValue => ({ kind: 'word', value });
const text = (value: string | undefined): OptionValue => ({ kind: 'text', value });
const EMPTY_LIST: OptionValue = { kind: 'list', values: [] };
const OFF: OptionValue = { kind: 'flag', on: false };
const ON: OptionValue = { kind: 'flag', on: true };
const SECOND = 1_000_000_000n;

type Base = Omit<OptionSpec, 'name' | 'class' | 'kind' | 'handler' | 'initial'> & { initial?: OptionValue };

function size(name: SizeOptionName, cls: OptionClass, initial: bigint, rest: Base): OptionSpec {
  const handler = name === 'strsize' ? strsizeHandler() : sizeHandler();
  return { name, class: cls, kind: 'size', handler, ...rest, initial: num(initial) };
}

function time(name: TimeOptionName, cls: OptionClass, initial: bigint, rest: Base): OptionSpec {
  return { name, class: cls, kind: 'time', handler: rateHandler(), ...rest, initial: num(initial) };
}

function bool(name: BoolOptionName, cls: OptionClass, rest: Base): OptionSpec {
  return { name, class: cls, kind: 'bool', handler: runtimeHandler(), initial: UNSET, ...rest };
}

function count(name: IntOptionName, cls: OptionClass, initial: bigint, rest: Base): OptionSpec {
  return { name, class: cls, kind: 'int', handler: runtimeHandler(), ...rest, initial: num(initial) };
}

function compileCount(name: IntOptionName, minimum: number, initial: bigint, rest: Base): OptionSpec {
  return { name, class: 'compile', kind: 'int', handler: atoiHandler(minimum), ...rest, initial: num(initial) };
}

function choice(
  name: EnumOptionName,
  cls: OptionClass,
  words: readonly string[],
  initial: string | undefined,
  rest: Base & { ignoreCase?: boolean; rejectInProgram?: boolean },
): OptionSpec {
  const { ignoreCase, rejectInProgram, ...spec } = rest;
  return {
    name,
    class: cls,
    kind: 'enum',
    words,
    handler: wordHandler(words, { ignoreCase, rejectInProgram }),
    ...spec,
    initial: word(initial),
  };
}

function switchOption(name: SwitchOptionName, rest: Base & { rejectInProgram?: boolean; ignoresValue?: boolean }): OptionSpec {
  const { rejectInProgram, ignoresValue, ...spec } = rest;
  const handler = ignoresValue ? valueIgnoredHandler() : flagHandler({ rejectInProgram });
  return { name, class: 'compile', kind: 'none', handler, initial: OFF, ...spec };
}

function textOption(name: TextOptionName, cls: OptionClass, initial: string | undefined, rest: Base & { handler?: OptionHandler; rejectInProgram?: boolean }): OptionSpec {
  const { handler, rejectInProgram, ...spec } = rest;
  return {
    name,
    class: cls,
    kind: 'string',
    handler: handler ?? textHandler({ rejectInProgram }),
    ...spec,
    initial: text(initial),
  };
}

function listOption(name: ListOptionName, rest: Base & { handler?: OptionHandler; rejectInProgram?: boolean }): OptionSpec {
  const { handler, rejectInProgram, ...spec } = rest;
  return {
    name,
    class: 'compile',
    kind: 'string',
    handler: handler ?? listHandler({ rejectInProgram }),
    initial: EMPTY_LIST,
    ...spec,
  };
}

export const OPTIONS: readonly OptionSpec[] = [
  // Run-time options: fixed once tracing starts.
  size('aggsize', 'runtime', DTRACEOPT_UNSET, {
    commandDefault: '4m',
    defaultText: '4m (set by dtrace(1); 12m on i386)',
    description: 'Size of the aggregation buffer on each CPU.',
  }),
  size('bufsize', 'runtime', DTRACEOPT_UNSET, {
    commandDefault: '4m',
    defaultText: '4m (set by dtrace(1); 12m on i386)',
    description: 'Size of the principal trace buffer on each CPU.',
    flag: '-b',
  }),
  choice('bufpolicy', 'runtime', ['ring', 'fill', 'switch'], 'switch', {
    defaultText: 'switch',
    description:
      'What happens when a principal buffer fills: switch (swap buffers with the consumer, drop on overflow), fill (stop tracing on that CPU), ring (overwrite the oldest records).',
  }),
  choice('bufresize', 'runtime', ['auto', 'manual'], 'auto', {
    defaultText: 'auto',
    description: 'Whether buffers that cannot be allocated are halved until they fit (auto) or fail the enabling (manual).',
  }),
  time('cleanrate', 'runtime', 9_900_990n, {
    defaultText: '101hz',
    description: 'How often freed dynamic variables are reclaimed; kept between 5000hz and once a minute.',
  }),
  count('cpu', 'runtime', -1n, {
    defaultText: 'all CPUs',
    description: 'Trace only on the CPU with this number.',
  }),
  bool('destructive', 'runtime', {
    defaultText: 'unset',
    description: 'Allow destructive actions (stop(), raise(), panic(), copyout() ...).',
    flag: '-w',
  }),
  size('dynvarsize', 'runtime', 1n << 20n, {
    defaultText: '1m',
    description: 'Space for dynamic variables: associative array elements and thread-local variables.',
  }),
  bool('grabanon', 'runtime', {
    defaultText: 'unset',
    description: 'Claim the anonymous tracing state left by a boot-time enabling.',
    flag: '-a',
  }),
  count('jstackframes', 'runtime', 50n, {
    defaultText: '50',
    description: 'Default number of frames recorded by jstack().',
  }),
  size('jstackstrsize', 'runtime', 512n, {
    defaultText: '512',
    description: 'Default space for the frame strings recorded by jstack().',
  }),
  count('nspec', 'runtime', 1n, {
    defaultText: '1',
    description: 'Number of speculation buffers.',
  }),
  size('specsize', 'runtime', 32n << 10n, {
    defaultText: '32k',
    description: 'Size of each speculation buffer.',
  }),
  count('stackframes', 'runtime', 20n, {
    defaultText: '20',
    description: 'Default number of frames recorded by stack().',
  }),
  time('statusrate', 'runtime', SECOND, {
    defaultText: '1hz',
    description: 'How often the consumer polls for status (drops, errors, exit); at most every 10 seconds.',
  }),
  size('strsize', 'runtime', 256n, {
    defaultText: '256',
    description: 'Size of the D string type, and so of every string value and string variable.',
  }),
  count('ustackframes', 'runtime', 20n, {
    defaultText: '20',
    description: 'Default number of frames recorded by ustack().',
  }),
  bool('temporal', 'runtime', {
    commandDefault: 'yes',
    defaultText: 'set (by dtrace(1))',
    description: 'Print records from all CPUs in time order instead of buffer by buffer.',
  }),

  // Dynamic run-time options: may change while tracing, e.g. with setopt().
  bool('agghist', 'dynamic', {
    defaultText: 'unset',
    description: 'Print aggregations as histograms, even non-quantized ones.',
  }),
  bool('aggpack', 'dynamic', {
    defaultText: 'unset',
    description: 'Print quantized aggregations in a compact, horizontal format.',
  }),
  time('aggrate', 'dynamic', SECOND, {
    defaultText: '1hz',
    description: 'How often the consumer reads aggregation buffers.',
  }),
  bool('aggsortkey', 'dynamic', {
    defaultText: 'unset',
    description: 'Sort aggregation output by key rather than by value.',
  }),
  count('aggsortkeypos', 'dynamic', DTRACEOPT_UNSET, {
    defaultText: 'unset (first key)',
    description: 'Which key of a tuple to sort aggregation output by.',
  }),
  count('aggsortpos', 'dynamic', DTRACEOPT_UNSET, {
    defaultText: 'unset (first aggregation)',
    description: 'Which aggregation of a printa() group to sort by.',
  }),
  bool('aggsortrev', 'dynamic', {
    defaultText: 'unset',
    description: 'Reverse the sort order of aggregation output.',
  }),
  bool('aggzoom', 'dynamic', {
    defaultText: 'unset',
    description: 'Scale histogram bars to the largest bucket instead of the total.',
  }),
  bool('flowindent', 'dynamic', {
    defaultText: 'unset',
    description: 'Indent output on function entry, outdent on return, marking -> and <-.',
    flag: '-F',
  }),
  bool('quiet', 'dynamic', {
    defaultText: 'unset',
    description: 'Print only explicitly traced data: no probe headers, no notices.',
    flag: '-q',
  }),
  bool('rawbytes', 'dynamic', {
    defaultText: 'unset',
    description: 'Print traced memory as hexadecimal bytes even when it looks like text.',
  }),
  count('stackindent', 'dynamic', 14n, {
    defaultText: '14',
    description: 'Number of spaces printed before each stack frame.',
  }),
  time('switchrate', 'dynamic', SECOND, {
    defaultText: '1hz',
    description: 'How often the consumer switches (drains) the principal buffers.',
  }),
  textOption('oformat', 'compile', undefined, {
    handler: oformatHandler(),
    defaultText: 'unset (plain text)',
    description: 'Structured output through libxo: json, xml, html or text, optionally with libxo flags (pretty, indent=N, underscores); dtvm adds ndjson, one JSON object per line.',
    platform: 'FreeBSD',
  }),

  // Compile-time options.
  switchOption('aggpercpu', {
    defaultText: 'unset',
    description: 'Also report each aggregation per CPU.',
  }),
  textOption('amin', 'compile', undefined, {
    handler: attributesHandler(),
    defaultText: 'unset',
    description: 'Minimum stability (Name/Data/Class) the program may use; anything less stable is an error.',
  }),
  switchOption('argref', {
    defaultText: 'unset',
    description: 'Allow references to probe arguments beyond those the probe declares.',
  }),
  switchOption('core', {
    defaultText: 'unset',
    description: 'Make libdtrace dump core when the process exits (debugging aid).',
  }),
  switchOption('cpp', {
    defaultText: 'unset',
    description: 'Run the C preprocessor over the program first.',
    flag: '-C',
  }),
  switchOption('cpphdrs', {
    rejectInProgram: true,
    defaultText: 'unset',
    description: 'Have the preprocessor print the names of included files.',
    flag: '-H',
  }),
  textOption('cpppath', 'compile', 'cpp', {
    rejectInProgram: true,
    defaultText: 'cpp',
    description: 'The C preprocessor to run.',
  }),
  textOption('ctypes', 'compile', undefined, {
    defaultText: 'unset',
    description: 'Write the CTF of the C types the program defines to this file.',
  }),
  switchOption('debug', {
    defaultText: 'unset',
    description: 'Print libdtrace debugging messages.',
  }),
  switchOption('defaultargs', {
    defaultText: 'unset',
    description: 'Let unset macro arguments default to 0 (and $$n to the empty string).',
  }),
  listOption('define', {
    rejectInProgram: true,
    defaultText: 'none',
    description: 'Define a preprocessor macro (name or name=value).',
    flag: '-D',
  }),
  switchOption('droptags', {
    ignoresValue: true,
    defaultText: 'unset',
    description: 'Prefix drop reports with their [DTRACEDROP_...] tag.',
  }),
  textOption('dtypes', 'compile', undefined, {
    defaultText: 'unset',
    description: 'Write the CTF of the D types the program defines to this file.',
  }),
  switchOption('empty', {
    defaultText: 'unset',
    description: 'Accept an empty program.',
  }),
  choice('encoding', 'compile', ['ascii', 'utf8'], undefined, {
    defaultText: 'from the locale',
    description: 'Character encoding used when printing strings.',
  }),
  switchOption('errtags', {
    defaultText: 'unset',
    description: 'Prefix compiler errors with their [D_...] tag.',
  }),
  choice('evaltime', 'compile', ['exec', 'preinit', 'postinit', 'main'], 'postinit', {
    defaultText: 'postinit (preinit on illumos)',
    description: 'When a process started with -c is stopped so that its pid probes can be created.',
  }),
  listOption('incdir', {
    rejectInProgram: true,
    defaultText: 'none',
    description: 'Add a directory to the preprocessor include path.',
    flag: '-I',
  }),
  compileCount('iregs', 1, 8n, {
    defaultText: '8',
    description: 'Number of DIF integer registers the code generator may use.',
  }),
  switchOption('kdefs', {
    opposite: 'knodefs',
    initial: ON,
    defaultText: 'set',
    description: 'Require kernel symbols to be defined at compile time.',
  }),
  switchOption('knodefs', {
    opposite: 'kdefs',
    defaultText: 'unset',
    description: 'Allow undefined kernel symbols (left as relocations).',
  }),
  choice('late', 'compile', ['dynamic', 'static'], 'static', {
    defaultText: 'static',
    description: 'Whether translators are applied at compile time (static) or at run time (dynamic).',
  }),
  switchOption('lazyload', {
    ignoresValue: true,
    defaultText: 'unset',
    description: 'Load USDT probes lazily, when the process registers them.',
  }),
  textOption('ldpath', 'compile', 'ld', {
    rejectInProgram: true,
    defaultText: 'ld',
    description: 'The linker run by -G.',
  }),
  listOption('libdir', {
    defaultText: 'none',
    description: 'Add a directory to search for D library files.',
    flag: '-L',
  }),
  choice('linkmode', 'compile', ['kernel', 'primary', 'dynamic', 'static'], 'kernel', {
    defaultText: 'kernel (primary with -A, dynamic with -G)',
    description: 'How kernel symbol references are resolved.',
  }),
  choice('linktype', 'compile', ['elf', 'dof'], 'elf', {
    ignoreCase: true,
    defaultText: 'elf',
    description: 'Output format of -G: an ELF object or raw DOF.',
  }),
  switchOption('nolibs', {
    defaultText: 'unset',
    description: 'Do not load the D library files.',
  }),
  textOption('objcopypath', 'compile', 'objcopy', {
    rejectInProgram: true,
    defaultText: 'objcopy',
    description: 'The objcopy run by -G.',
    platform: 'FreeBSD',
  }),
  compileCount('pgmax', 0, 8n, {
    defaultText: '8',
    description: 'Maximum number of process handles libdtrace keeps cached.',
  }),
  switchOption('pspec', {
    defaultText: 'unset',
    description: 'Read a name ending in * in an ambiguous clause heading as a probe description, not a type.',
  }),
  listOption('setenv', {
    handler: environmentHandler(true),
    defaultText: 'inherited environment',
    description: 'Set an environment variable (NAME=value) for the command run by -c.',
  }),
  choice('stdc', 'compile', ['a', 'c', 's', 't'], 'a', {
    rejectInProgram: true,
    defaultText: 'a',
    description: 'ISO C conformance mode of the preprocessor.',
    flag: '-X',
  }),
  switchOption('strip', {
    defaultText: 'unset',
    description: 'Leave out the debugging information of the program DOF.',
  }),
  textOption('syslibdir', 'compile', '/usr/lib/dtrace', {
    defaultText: '/usr/lib/dtrace',
    description: 'The system directory of D library files.',
  }),
  compileCount('tree', 1, 0n, {
    defaultText: 'unset',
    description: 'Bit mask of parse-tree dumps printed during compilation (debugging aid).',
  }),
  compileCount('tregs', 1, 8n, {
    defaultText: '8',
    description: 'Number of DIF tuple registers the code generator may use.',
  }),
  switchOption('udefs', {
    opposite: 'unodefs',
    initial: ON,
    defaultText: 'set',
    description: 'Require user symbols to be defined at compile time.',
  }),
  listOption('undef', {
    rejectInProgram: true,
    defaultText: 'none',
    description: 'Undefine a preprocessor macro.',
    flag: '-U',
  }),
  switchOption('unodefs', {
    opposite: 'udefs',
    defaultText: 'unset (set by -G)',
    description: 'Allow undefined user symbols (left as relocations).',
  }),
  listOption('unsetenv', {
    handler: environmentHandler(false),
    storage: 'setenv',
    defaultText: 'none',
    description: 'Remove an environment variable for the command run by -c.',
  }),
  switchOption('verbose', {
    defaultText: 'unset',
    description: 'Print the DIF generated for each clause.',
    flag: '-S',
  }),
  textOption('version', 'compile', LATEST_D_VERSION, {
    handler: versionHandler(),
    defaultText: LATEST_D_VERSION,
    description: 'Compile as this D API version: identifiers bound to later versions are hidden.',
  }),
  switchOption('zdefs', {
    defaultText: 'unset (set by -G, -h and -l)',
    description: 'Accept probe descriptions that match no probes.',
    flag: '-Z',
  }),
];

export const OPTION_BY_NAME: ReadonlyMap<string, OptionSpec> = new Map(OPTIONS.map((o) => [o.name, o]));

export function optionSpec(name: string): OptionSpec | undefined {
  return OPTION_BY_NAME.get(name);
}

/** dtrace(1) flags that set an option, and the option each sets. */
export const FLAG_OPTIONS: ReadonlyMap<string, OptionName> = new Map(
  OPTIONS.filter((o) => o.flag !== undefined).map((o) => [o.flag!, o.name]),
);
