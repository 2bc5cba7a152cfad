// Open-world providers: their probes exist in the real system but cannot be listed completely
// (every kernel function for fbt, every function and instruction of a process for pid, the
// probes an application built in for USDT). A well-formed description of one is accepted: an
// exact one creates its probe on demand (untyped unless we know the function), a glob matches
// the probes we know and may match more we do not.
import { isGlob, globMatch } from './glob';
import { attribute, type ProviderAttributes } from './stability';
import type { ProbeArg, ProbeDescription, ProbeTemplate, ProviderDefinition, ProviderFamily } from './types';

/** A kernel function fbt traces, typed when we know its prototype. */
export interface TypedFunction {
  readonly module: string;
  readonly function: string;
  readonly args: readonly string[];
  readonly return?: string;
}

/** fbt_attr: the provider and names are Evolving, modules and functions private to the kernel build. */
export const FBT_PROVIDER_ATTRIBUTES: ProviderAttributes = {
  provider: attribute('Evolving', 'Evolving', 'Common'),
  module: attribute('Private', 'Private', 'Unknown'),
  function: attribute('Private', 'Private', 'ISA'),
  name: attribute('Evolving', 'Evolving', 'Common'),
  args: attribute('Private', 'Private', 'ISA'),
};

/** The pid provider's attributes (fasttrap's pid_attr). */
export const PID_PROVIDER_ATTRIBUTES: ProviderAttributes = {
  provider: attribute('Evolving', 'Evolving', 'ISA'),
  module: attribute('Private', 'Private', 'Unknown'),
  function: attribute('Private', 'Private', 'Unknown'),
  name: attribute('Evolving', 'Evolving', 'ISA'),
  args: attribute('Private', 'Private', 'Unknown'),
};

const FBT_NAMES = ['entry', 'return'] as const;

/** The names of an exact or glob name field among `names` (all of them when it is empty). */
function namesFor(field: string, names: readonly string[]): string[] {
  if (field === '') return [...names];
  if (isGlob(field)) return names.filter((n) => globMatch(n, field) > 0);
  return names.includes(field) ? [field] : [];
}

/**
 * fbt's probes for a function: `entry` with the function's arguments; `return` with the
 * offset of the returning instruction (`int`) and the return value.
 */
function fbtProbes(f: TypedFunction): ProbeTemplate[] {
  const entryArgs: ProbeArg[] = f.args.map((native) => ({ native }));
  const returnArgs: ProbeArg[] = [{ native: 'int' }];
  if (f.return !== undefined && f.return !== 'void') returnArgs.push({ native: f.return });
  return [
    { module: f.module, function: f.function, name: 'entry', args: entryArgs },
    { module: f.module, function: f.function, name: 'return', args: returnArgs },
  ];
}

/**
 * fbt: the typed functions are listed (`dtrace -l` shows them); any other function named
 * exactly gets its entry and return probes on demand, with untyped arguments, in the module
 * the description names or the kernel's own.
 */
export function fbtProvider(functions: readonly TypedFunction[], kernelModule: string): ProviderDefinition {
  const known = new Set(functions.map((f) => f.function));
  return {
    name: 'fbt',
    attributes: FBT_PROVIDER_ATTRIBUTES,
    probes: functions.flatMap(fbtProbes),
    provide(desc, context) {
      if (desc.provider !== 'fbt' || desc.function === '' || isGlob(desc.function) || isGlob(desc.module)) return [];
      if (known.has(desc.function) && (desc.module === '' || context.probes.some((p) => p.function === desc.function && p.module === desc.module))) return [];
      const module = desc.module === '' ? kernelModule : desc.module;
      return namesFor(desc.name, FBT_NAMES)
        .filter((name) => context.find(module, desc.function, name) === undefined)
        .map((name) => ({ module, function: desc.function, name, untypedArgs: true }));
    },
    mayHaveUnlisted: (desc) => namesFor(desc.name, FBT_NAMES).length > 0,
  };
}

/**
 * A kernel provider whose probes we cannot list (illumos `sdt`, FreeBSD `kinst`): any exact
 * description creates its probe, untyped; the listed probes, when the flavour's data has some,
 * keep their types.
 */
export function openKernelProvider(name: string, listed?: ProviderDefinition): ProviderDefinition {
  return {
    ...(listed ?? {}),
    name,
    provide(desc, context) {
      if (desc.provider !== name || desc.name === '' || [desc.module, desc.function, desc.name].some(isGlob)) return [];
      if (context.probes.some((p) => p.name === desc.name && (desc.module === '' || p.module === desc.module) && (desc.function === '' || p.function === desc.function))) return [];
      return [{ module: desc.module, function: desc.function, name: desc.name, untypedArgs: true }];
    },
    mayHaveUnlisted: () => true,
  };
}

/** pid probe names: entry, return, or an instruction offset in hexadecimal. */
const PID_NAME = /^(entry|return|[0-9a-fA-F]+)$/;

/**
 * Process providers, created when a description names one: `pid<N>` (function boundary and
 * instruction probes of process N) and USDT providers `<name><N>` (the probes process N's
 * program defines). Names a flavour's closed catalogue uses are never process providers.
 */
export function processProviderFamily(closedNames: ReadonlySet<string>): ProviderFamily {
  const closedPrefix = (prefix: string) => [...closedNames].some((n) => n.startsWith(prefix));
  return {
    create(name) {
      if (closedNames.has(name)) return undefined;
      const m = /^([A-Za-z_][A-Za-z0-9_.-]*?)([0-9]+)$/.exec(name);
      if (!m) return undefined;
      const pid = m[1] === 'pid';
      const accepts = (desc: ProbeDescription) => (pid ? desc.name === '' || isGlob(desc.name) || PID_NAME.test(desc.name) : true);
      return {
        name,
        ...(pid ? { attributes: PID_PROVIDER_ATTRIBUTES } : {}),
        provide(desc, context) {
          if (desc.provider !== name || desc.name === '' || [desc.module, desc.function, desc.name].some(isGlob)) return [];
          // A pid probe is in a function; a USDT probe may leave module and function open.
          if ((pid && desc.function === '') || !accepts(desc)) return [];
          if (context.find(desc.module, desc.function, desc.name) !== undefined) return [];
          return [{ module: desc.module, function: desc.function, name: desc.name, untypedArgs: true }];
        },
        mayHaveUnlisted: accepts,
      };
    },
    // `ruby*`, `pid*`: a name followed by a `*`, naming no closed provider.
    mayMatchGlob(pattern) {
      const m = /^([A-Za-z_][A-Za-z0-9_.-]*)\*$/.exec(pattern);
      return m !== null && !closedPrefix(m[1]!);
    },
  };
}
