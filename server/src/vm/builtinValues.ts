// Values of DTrace's built-in variables (reference §3) for one probe firing. Strings
// (execname, probefunc...) live in read-only regions so DIF code can read them through the
// pointer `ldgs` yields; they are cached because the same few names recur at every firing.

import * as V from '../dif/variables';
import { DTRACEFLT_ILLOP } from '../dif/faults';
import type { Probe } from '../analyze/catalogue/types';
import { AddressSpace, DifFault, type Region, type UserMemory } from './memory';

// Read once: under a CommonJS transform every imported binding is a getter call.
const {
  DIF_VAR_ARGS,
  DIF_VAR_CALLER,
  DIF_VAR_CPU,
  DIF_VAR_CURTHREAD,
  DIF_VAR_EPID,
  DIF_VAR_ERRNO,
  DIF_VAR_EXECARGS,
  DIF_VAR_EXECNAME,
  DIF_VAR_GID,
  DIF_VAR_ID,
  DIF_VAR_IPL,
  DIF_VAR_JAILNAME,
  DIF_VAR_JID,
  DIF_VAR_DISPATCHQADDR,
  DIF_VAR_MACHTIMESTAMP,
  DIF_VAR_PID,
  DIF_VAR_PPID,
  DIF_VAR_PROBEFUNC,
  DIF_VAR_PROBEMOD,
  DIF_VAR_PROBENAME,
  DIF_VAR_PROBEPROV,
  DIF_VAR_REGS,
  DIF_VAR_STACKDEPTH,
  DIF_VAR_TID,
  DIF_VAR_TIMESTAMP,
  DIF_VAR_UCALLER,
  DIF_VAR_UID,
  DIF_VAR_UREGS,
  DIF_VAR_USTACKDEPTH,
  DIF_VAR_VTIMESTAMP,
  DIF_VAR_WALLTIMESTAMP,
  DIF_VAR_ZONENAME,
  DIF_VAR_ARG0,
  DIF_VAR_ARG9,
} = V;

/** Everything a probe firing knows about where it happened. */
export interface FiringFacts {
  probe: Probe;
  cpu: number;
  timestamp: bigint;
  /**
   * The wall time of the virtual clock's zero: walltimestamp is wallStart + timestamp, added
   * when read (a firing that never reads it costs no bigint).
   */
  wallStart: bigint;
  pid: number;
  tid: number;
  ppid: number;
  uid: number;
  gid: number;
  execname: string;
  errno: number;
  args: readonly bigint[];
  /**
   * Key of the thread's thread-local variables when it is not `tid`: the kernel keys them by
   * thread and interrupt level, so a profile interrupt has variables of its own.
   */
  threadKey?: number;
  /** The thread is a kernel thread (an idle CPU's): curthread's image is the system process's. */
  kernelThread?: boolean;
  /** The process's command line, when known (dtrace(1)'s own): psargs, execargs. */
  argv?: readonly string[];
  /** The process's working directory, when known. */
  cwd?: string;
  /** The user memory copyin()/copyinstr()/copyinto() read (a replay's recorded bytes); without it they fault. */
  userMemory?: UserMemory;
  /** The parent of a process, when known (progenyof() walks the ancestry with it beyond ppid). */
  parentOf?: (pid: number) => number | undefined;
}

const enc = new TextEncoder();
const MAX_CACHED_STRINGS = 4096;

export class BuiltinStrings {
  private readonly cache = new Map<string, { addr: bigint; region: Region }>();

  constructor(private readonly space: AddressSpace) {}

  address(text: string): bigint {
    let entry = this.cache.get(text);
    if (entry === undefined) {
      const region = this.space.map('builtin', enc.encode(text + '\0'), false);
      entry = { addr: AddressSpace.address(region), region };
      this.cache.set(text, entry);
    }
    return entry.addr;
  }

  /** Between firings (never during one, whose DIF may hold these addresses): bound the cache. */
  trim(): void {
    if (this.cache.size < MAX_CACHED_STRINGS) return;
    for (const e of this.cache.values()) this.space.unmap(e.region);
    this.cache.clear();
  }
}

const u64 = (n: number | bigint): bigint => BigInt.asUintN(64, BigInt(n));

/** What a firing's built-ins read from the target system rather than from the firing. */
export interface BuiltinSystem {
  /** The address of the firing thread's kernel image. */
  curthread(f: FiringFacts): bigint;
  /** zonename (and FreeBSD's jailname, which zonename falls through to there). */
  readonly zoneName: string;
}

/** The string built-ins whose text is the firing's own (its execname, its probe's four fields). */
export const FIRING_TEXT_VARIABLES: ReadonlySet<number> = new Set([DIF_VAR_EXECNAME, DIF_VAR_PROBEPROV, DIF_VAR_PROBEMOD, DIF_VAR_PROBEFUNC, DIF_VAR_PROBENAME]);

/** The text of one of FIRING_TEXT_VARIABLES for a firing (undefined for any other variable). */
export function firingText(id: number, f: FiringFacts): string | undefined {
  return id === DIF_VAR_EXECNAME ? f.execname : probeText(id, f.probe);
}

/** The text of one of FIRING_TEXT_VARIABLES that is the probe's (the same at every firing of it); undefined for execname and any other variable. */
export function probeText(id: number, probe: Probe): string | undefined {
  switch (id) {
    case DIF_VAR_PROBEFUNC:
      return probe.function;
    case DIF_VAR_PROBENAME:
      return probe.name;
    case DIF_VAR_PROBEMOD:
      return probe.module;
    case DIF_VAR_PROBEPROV:
      return probe.provider;
    default:
      return undefined;
  }
}

export function builtinValue(id: number, f: FiringFacts, epid: number, strings: BuiltinStrings, system: BuiltinSystem): bigint {
  if (id >= DIF_VAR_ARG0 && id <= DIF_VAR_ARG9) return f.args[id - DIF_VAR_ARG0] ?? 0n;
  switch (id) {
    case DIF_VAR_CURTHREAD:
      return system.curthread(f);
    case DIF_VAR_TIMESTAMP:
    case DIF_VAR_VTIMESTAMP:
    case DIF_VAR_MACHTIMESTAMP: // Mach time units are nanoseconds on Intel Macs
      return f.timestamp;
    case DIF_VAR_WALLTIMESTAMP:
      return u64(f.wallStart + f.timestamp);
    case DIF_VAR_IPL:
    case DIF_VAR_STACKDEPTH:
    case DIF_VAR_USTACKDEPTH:
    case DIF_VAR_CALLER:
    case DIF_VAR_UCALLER:
    case DIF_VAR_JID:
    case DIF_VAR_DISPATCHQADDR:
      return 0n;
    case DIF_VAR_EPID:
      return BigInt(epid);
    case DIF_VAR_ID:
      return BigInt(f.probe.id);
    case DIF_VAR_PROBEPROV:
    case DIF_VAR_PROBEMOD:
    case DIF_VAR_PROBEFUNC:
    case DIF_VAR_PROBENAME:
    case DIF_VAR_EXECNAME:
      return strings.address(firingText(id, f)!);
    case DIF_VAR_PID:
      return u64(f.pid);
    case DIF_VAR_TID:
      return u64(f.tid);
    case DIF_VAR_PPID:
      return u64(f.ppid);
    case DIF_VAR_UID:
      return u64(f.uid);
    case DIF_VAR_GID:
      return u64(f.gid);
    case DIF_VAR_ERRNO:
      return u64(f.errno);
    case DIF_VAR_ZONENAME:
    case DIF_VAR_JAILNAME:
      return strings.address(system.zoneName);
    case DIF_VAR_EXECARGS:
      // The saved arguments, separated by spaces (FreeBSD joins p_args' strings so).
      return strings.address(f.argv?.join(' ') ?? '');
    case DIF_VAR_CPU:
      return u64(f.cpu);
    default:
      throw new DifFault(DTRACEFLT_ILLOP);
  }
}

export function builtinArrayValue(id: number, index: bigint, f: FiringFacts): bigint {
  switch (id) {
    case DIF_VAR_ARGS:
      return index < BigInt(f.args.length) ? f.args[Number(index)]! : 0n;
    case DIF_VAR_REGS:
    case DIF_VAR_UREGS:
      // No register file is replayed.
      return 0n;
    default:
      throw new DifFault(DTRACEFLT_ILLOP);
  }
}
