// Replay: a probe source's records (docs/trace-format.md) turned into the engine's probe
// firings. Every source (a trace file, a live strace capture, a synthetic workload) reaches the
// VM through here, so they share one meaning of each record:
//
// - the header's probes are matched to the catalogue's (provider:module:function:name; an empty
//   module in the trace matches the one probe of that provider, function and name), and the
//   probes the catalogue lacks are added to it, typed by the header (`traceProviders`);
// - a firing whose probe no clause enables is passed over before anything is built for it;
// - firings of the dtrace provider are not replayed: the VM fires BEGIN, END and ERROR itself;
// - the clock is the trace's: the engine starts at the header's timestamp, so D's `timestamp`
//   reads the recorded values, and the end record's timestamp is when END fires;
// - exec and exit events keep a table of live processes (parent, command line) that gives
//   psargs/execargs and progenyof() their answers; it forgets a process when it exits.
import type { ProbeArg, ProbeCatalogue, ProbeTemplate, ProviderDefinition } from '../analyze/catalogue/types';
import { providerNameProblem } from '../analyze/catalogue/catalogue';
import { flavourCatalogue } from '../analyze/frontEnd';
import type { Flavour } from '../analyze/flavour/flavours';
import type { CompiledProgram } from '../codegen/program';
import { TraceFormatError } from '../trace/errors.ts';
import { COLUMN_FIRING, type RecordColumns } from '../trace/columns.ts';
import { probeDescription, type TraceFiring, type TraceHeader, type TraceMemory, type TraceProbe, type TraceRecord } from '../trace/index.ts';
import { readsArguments, type ProbeFiring, type SyncFiringIterator } from '../vm/engine';
import { WithCommandLine } from '../vm/threadImages';
import type { FiringSource } from './source';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** The flavour a trace's platform (`<os>-<arch>`) was recorded on, when we model that system. */
export function flavourOfPlatform(platform: string): Flavour | undefined {
  const os = platform.slice(0, platform.indexOf('-'));
  switch (os) {
    case 'linux':
      return 'linux';
    case 'freebsd':
      return 'freebsd';
    case 'illumos':
    case 'solaris':
      return 'illumos';
    case 'macos':
    case 'darwin':
      return 'macos';
    default:
      return undefined;
  }
}

/** Providers the VM's code provides (never replaced by a trace's declarations). */
const BUILT_IN_PROVIDERS = new Set(['dtrace', 'profile']);

/**
 * The providers to give the front end (its `providers` option) so that every probe the trace
 * declares is in the catalogue: `extra` (the user's provider files) unchanged when the
 * flavour's catalogue already has every probe, else with the missing probes appended to their
 * provider (a flavour's provider of that name is copied with its probes and attributes first).
 * Built-in providers (dtrace, profile) are left alone: a probe they lack never fires. A new
 * provider whose name DTrace would refuse is the header's error (`file:1: ...`).
 */
export function traceProviders(header: TraceHeader, flavour: Flavour, extra: readonly ProviderDefinition[] = [], file = '<trace>'): ProviderDefinition[] {
  const base = flavourCatalogue(flavour, extra);
  const missing = new Map<string, TraceProbe[]>();
  for (const [index, probe] of header.probes.entries()) {
    if (BUILT_IN_PROVIDERS.has(probe.provider) || catalogueProbeOf(base, probe) !== undefined) continue;
    const problem = base.providers().includes(probe.provider) ? undefined : providerNameProblem(probe.provider);
    if (problem !== undefined) throw new TraceFormatError(file, 1, `probe ${index} (${probeDescription(probe)}): ${problem}`);
    let list = missing.get(probe.provider);
    if (list === undefined) missing.set(probe.provider, (list = []));
    list.push(probe);
  }
  if (missing.size === 0) return [...extra];
  const out = extra.filter((p) => !missing.has(p.name));
  for (const [name, probes] of missing) {
    const added: ProbeTemplate[] = probes.map((p) => ({ module: p.module, function: p.function, name: p.name, args: p.args.map((t): ProbeArg => ({ native: t })) }));
    const existing: ProbeTemplate[] = (base.providerProbes?.(name) ?? []).map((p) => ({
      module: p.module,
      function: p.function,
      name: p.name,
      args: p.args,
      ...(p.untypedArgs === true ? { untypedArgs: true } : {}),
    }));
    const attributes = base.providerAttributes(name);
    out.push({ name, ...(attributes !== undefined ? { attributes } : {}), probes: [...existing, ...added] });
  }
  return out;
}

/**
 * The catalogue's probe for a trace's probe: the one with the same four fields, else (a trace
 * that left the module empty) the only probe of that provider, function and name.
 */
export function catalogueProbeOf(catalogue: ProbeCatalogue, probe: TraceProbe): number | undefined {
  const matches = catalogue.match({ provider: probe.provider, module: probe.module, function: probe.function, name: probe.name });
  for (const m of matches) {
    if (m.provider === probe.provider && m.module === probe.module && m.function === probe.function && m.name === probe.name) return m.id;
  }
  if (probe.module !== '' || probe.function === '' || probe.name === '') return undefined;
  const same = matches.filter((m) => m.provider === probe.provider && m.function === probe.function && m.name === probe.name);
  return same.length === 1 ? same[0]!.id : undefined;
}

/** Catalogue ids of the header's probes, by index (0 where the catalogue has none). */
export function catalogueIdsOf(header: TraceHeader, catalogue: ProbeCatalogue): Int32Array {
  const ids = new Int32Array(header.probes.length);
  header.probes.forEach((p, i) => {
    ids[i] = catalogueProbeOf(catalogue, p) ?? 0;
  });
  return ids;
}

/** Probe ids some enabling of the program is attached to. */
export function enabledProbeIds(program: CompiledProgram): Set<number> {
  const ids = new Set<number>();
  for (const e of program.enablings) for (const p of e.probes) ids.add(p);
  return ids;
}

/** What the engine needs to run a program against a source (EngineInput's fields). */
export interface ReplayInput {
  firings: AsyncIterable<ProbeFiring>;
  ncpus: number;
  /** The engine's clock starts at the trace's start. */
  clockStart: bigint;
  /** So that walltimestamp = header walltimestamp + (timestamp - header timestamp). */
  startWallTime: bigint;
  /** Probes the source fires itself (recorded profile-N) that the engine must not also tick. */
  sourceProbes: ReadonlySet<number>;
}

/** Everything `runProgram` needs from a source, for a program compiled against `catalogue`. */
export function replayInput(source: FiringSource, program: CompiledProgram, catalogue: ProbeCatalogue, options: ReplayOptions = {}): ReplayInput {
  const header = source.header;
  const ids = catalogueIdsOf(header, catalogue);
  const enabled = enabledProbeIds(program);
  const sourceProbes = new Set<number>();
  // A probe is replayed when it is enabled and is not one the VM fires itself.
  const replayed = new Uint8Array(ids.length);
  ids.forEach((id, i) => {
    const provider = header.probes[i]!.provider;
    if (provider === 'profile' && id !== 0) sourceProbes.add(id);
    if (id !== 0 && enabled.has(id) && provider !== 'dtrace') replayed[i] = 1;
  });
  return {
    firings: options.firings ?? replayFirings(source, ids, replayed, options, options.onlyWhatTheProgramReads === true && !readsArguments(program)),
    ncpus: header.ncpus,
    clockStart: header.timestamp,
    startWallTime: header.walltimestamp - header.timestamp,
    sourceProbes,
  };
}

export interface ReplayOptions {
  /**
   * A firing's user memory turned out malformed (it is decoded when the firing is replayed):
   * return true to skip the firing (skip mode counts it), false to stop with the error.
   */
  skipBadMemory?: (error: Error) => boolean;
  /** The source ran out of records by itself (not stopped by the engine): a -c command exited. */
  onSourceEnd?: () => void;
  /** Firings from elsewhere (a parallel replay's merged totals): the header still sets the clock and the CPUs. */
  firings?: AsyncIterable<ProbeFiring>;
  /**
   * The firings go to a run that reads only what its program reads (dtvm): when no DIF object
   * reads a probe argument, none is decoded (a fifth of a counting replay). The debugger, which
   * evaluates any expression in a firing's context, keeps them.
   */
  onlyWhatTheProgramReads?: boolean;
}

/** A firing's arguments when nothing reads them. */
const UNREAD_ARGS: bigint[] = Object.freeze([]) as unknown as bigint[];

/** The probe id of a firing that only moves the clock (the end record's time): no probe has it. */
export const CLOCK_ONLY_PROBE = 0;

interface ProcessEntry {
  readonly argv: readonly string[];
  /** Its command line alone as user memory (shared by the firings that recorded none). */
  readonly memory: WithCommandLine;
  readonly line: Uint8Array;
}

const utf8 = new TextEncoder();

/** Processes the source told us about: parent and command line, until they exit. */
class ProcessTable {
  private readonly parents = new Map<number, number>();
  private readonly argvs = new Map<number, ProcessEntry>();
  /** One function for every firing: progenyof() walks the table as it is when the firing runs. */
  readonly parentOf = (pid: number): number | undefined => this.parents.get(pid);

  exec(pid: number, ppid: number, argv: readonly string[]): void {
    this.parents.set(pid, ppid);
    const line = utf8.encode(`${argv.join(' ')}\0`);
    this.argvs.set(pid, { argv, line, memory: new WithCommandLine(undefined, line) });
  }

  exit(pid: number): void {
    this.parents.delete(pid);
    this.argvs.delete(pid);
  }

  seen(pid: number, ppid: number): void {
    if (this.parents.get(pid) !== ppid) this.parents.set(pid, ppid);
  }

  process(pid: number): ProcessEntry | undefined {
    return this.argvs.get(pid);
  }
}

/**
 * The source's records as probe firings, for the probes marked in `replayed` (by header
 * index). Hand-made iterator over the source's batches when it has them: the engine pulls one
 * firing at a time, and most pulls are answered from the current batch without a generator's
 * resumption. Holds one batch at a time, so a replay streams.
 */
/** `argsUnread`: no firing carries its arguments (nothing will read them). */
export function replayFirings(source: FiringSource, ids: Int32Array, replayed: Uint8Array, options: ReplayOptions = {}, argsUnread = false): AsyncIterable<ProbeFiring> {
  const processes = new ProcessTable();
  // The fastest batches first: a trace file's columns (nothing built for a firing not replayed).
  const columnar = (source as { columnBatches?: () => AsyncIterable<RecordColumns> }).columnBatches;
  const batched = (source as { batches?: () => AsyncIterable<TraceRecord[]> }).batches;
  const batches: AsyncIterator<TraceRecord[] | RecordColumns> =
    columnar !== undefined
      ? columnar.call(source)[Symbol.asyncIterator]()
      : batched !== undefined
        ? batched.call(source)[Symbol.asyncIterator]()
        : oneByOne(source.records());
  let batch: TraceRecord[] = [];
  let columns: RecordColumns | undefined;
  let index = 0;
  let finished = false;

  /** The firing for a replayed firing record; undefined when its memory is bad and skip mode drops it. */
  const firingOf = (r: TraceFiring): ProbeFiring | undefined => {
    const known = processes.process(r.pid);
    const firing: ProbeFiring = {
      probeId: ids[r.probe]!,
      timestamp: r.timestamp,
      cpu: r.cpu,
      pid: r.pid,
      tid: Number(r.tid),
      ppid: r.ppid,
      uid: r.uid,
      gid: r.gid,
      execname: r.execname,
      errno: r.errno,
      args: r.args as bigint[],
      parentOf: processes.parentOf,
    };
    if (known !== undefined) {
      firing.argv = known.argv;
      firing.userMemory = known.memory;
    }
    return withMemory(firing, r.memory, known);
  };

  /** Adds a firing's recorded memory, decoded now so that a bad map's error is at its line, outside the VM. */
  const withMemory = (firing: ProbeFiring, memory: TraceMemory | null, known: ProcessEntry | undefined): ProbeFiring | undefined => {
    if (memory === null) return firing;
    try {
      memory.segments();
    } catch (error) {
      if (error instanceof Error && options.skipBadMemory?.(error) === true) return undefined;
      throw error;
    }
    firing.userMemory = known === undefined ? memory : new WithCommandLine(memory, known.line);
    return firing;
  };

  /** What a record object does (a firing, an event, the end): its firing to hand out, or undefined. */
  const other = (r: TraceRecord): ProbeFiring | undefined => {
    switch (r.kind) {
      case 'firing':
        processes.seen(r.pid, r.ppid);
        return replayed[r.probe] === 0 ? undefined : firingOf(r);
      case 'exec':
        processes.exec(r.pid, r.ppid, r.argv);
        return undefined;
      case 'exit':
        processes.exit(r.pid);
        return undefined;
      case 'end':
        return { probeId: CLOCK_ONLY_PROBE, timestamp: r.timestamp, cpu: 0, pid: 0, tid: 0, execname: '', args: [] };
    }
  };

  /** The next firing from the current columns: only a replayed firing makes an object. */
  const scanColumns = (c: RecordColumns): ProbeFiring | undefined => {
    const kind = c.kind;
    const probe = c.probe;
    const pid = c.pid;
    const ppid = c.ppid;
    const count = c.count;
    while (index < count) {
      const i = index++;
      if (kind[i] !== COLUMN_FIRING) {
        const f = other(c.objects[i]!);
        if (f !== undefined) return f;
        continue;
      }
      const p = pid[i]!;
      processes.seen(p, ppid[i]!);
      const n = probe[i]!;
      if (replayed[n] === 0) continue;
      const known = processes.process(p);
      const firing: ProbeFiring = {
        probeId: ids[n]!,
        timestamp: c.timestamp(i),
        cpu: c.cpu[i]!,
        pid: p,
        tid: c.tidAsNumber(i),
        ppid: ppid[i]!,
        uid: c.uid[i]!,
        gid: c.gid[i]!,
        execname: c.execname[i]!,
        errno: c.errno[i]!,
        args: argsUnread ? UNREAD_ARGS : c.args(i),
        parentOf: processes.parentOf,
      };
      if (known !== undefined) {
        firing.argv = known.argv;
        firing.userMemory = known.memory;
      }
      if (c.memoryAt[i]! < 0) return firing;
      const f = withMemory(firing, c.memory(i), known);
      if (f !== undefined) return f;
    }
    return undefined;
  };

  /** The next firing to hand out from the current batch, or undefined when it is used up. */
  const scan = (): ProbeFiring | undefined => {
    if (columns !== undefined) return scanColumns(columns);
    while (index < batch.length) {
      const f = other(batch[index++]!);
      if (f !== undefined) return f;
    }
    return undefined;
  };

  const refill = async (): Promise<IteratorResult<ProbeFiring>> => {
    for (;;) {
      if (finished) return { done: true, value: undefined };
      const r = await batches.next();
      index = 0;
      columns = undefined;
      batch = [];
      if (r.done === true) {
        finished = true;
        options.onSourceEnd?.();
      } else if (Array.isArray(r.value)) {
        batch = r.value;
      } else {
        columns = r.value;
      }
      const f = scan();
      if (f !== undefined) return { done: false, value: f };
    }
  };

  /**
   * The trace reader checked that records are in time order, so the engine need not compare
   * each firing of the batch with its next timer. Counted from the rows that certainly make a
   * firing (a replayed probe, no recorded memory to check), up to the first row that is later
   * than `limit` or might not make one: the next that many firings come from rows before it.
   */
  const inOrderThrough = (limit: bigint, max: number): number => {
    const c = columns;
    if (finished || c === undefined) return 0;
    // Timestamps written as JSON numbers are exact; a later one is kept as a bigint (NaN here).
    const last = limit > MAX_SAFE ? Infinity : Number(limit);
    const { kind, time, probe, memoryAt, count } = c;
    let n = 0;
    for (let i = index; i < count && n < max; i++) {
      const t = time[i]!;
      if (kind[i] !== COLUMN_FIRING || !(t <= last)) break;
      if (replayed[probe[i]!] === 0) continue;
      if (memoryAt[i]! >= 0) break;
      n++;
    }
    return n;
  };

  const iterator: AsyncIterableIterator<ProbeFiring> & SyncFiringIterator = {
    // The engine takes the current batch's firings here, without a promise each (engine.ts).
    nextSync: (): ProbeFiring | undefined => (finished ? undefined : scan()),
    inOrderThrough,
    // Most pulls are answered from the current batch with an already-resolved promise.
    next: (): Promise<IteratorResult<ProbeFiring>> => {
      let f: ProbeFiring | undefined;
      try {
        f = scan();
      } catch (error) {
        return Promise.reject(error);
      }
      return f !== undefined ? Promise.resolve({ done: false, value: f }) : refill();
    },
    return: async (): Promise<IteratorResult<ProbeFiring>> => {
      finished = true;
      batch = [];
      columns = undefined;
      await batches.return?.(undefined);
      await source.close();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

/** A record-at-a-time source seen as batches of one (sources without a batch API). */
function oneByOne(records: AsyncIterable<TraceRecord>): AsyncIterator<TraceRecord[]> {
  const it = records[Symbol.asyncIterator]();
  return {
    next: async () => {
      const r = await it.next();
      return r.done === true ? { done: true, value: undefined } : { done: false, value: [r.value] };
    },
    return: async () => {
      await it.return?.();
      return { done: true, value: undefined };
    },
  };
}
