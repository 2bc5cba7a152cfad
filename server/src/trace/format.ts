// The trace file format, version 1: names, constants and the record types the reader yields.
// docs/trace-format.md is the specification; docs/trace-format.schema.json its JSON Schema.
//
// A trace is NDJSON (optionally gzip-compressed): a header object, then firings (JSON arrays,
// positional, so they are small and a scanner can read them without JSON.parse), optional
// process events (objects), and an end object carrying the record counts.

import type { TraceMemory } from './memory.ts';

/** The value of the header's "format" field: says "this is one of ours" before the version. */
export const TRACE_FORMAT_NAME = 'dtvm-trace';
/** The one version this reader and writer speak. Readers reject other versions. */
export const TRACE_FORMAT_VERSION = 1;

/**
 * Positions of a firing's fields. A firing is `[probe, timestamp, cpu, pid, tid, ppid, uid,
 * gid, execname, errno, args, memory?]`; the probe index comes first so a replay can dispatch
 * (or skip a firing no clause enables) after reading one integer.
 */
export const FIRING_FIELDS = [
  'probe',
  'timestamp',
  'cpu',
  'pid',
  'tid',
  'ppid',
  'uid',
  'gid',
  'execname',
  'errno',
  'args',
  'memory',
] as const;
export type FiringFieldName = (typeof FIRING_FIELDS)[number];
/** A firing without user memory has this many elements; with memory, one more. */
export const FIRING_MIN_LENGTH = 11;
export const FIRING_MAX_LENGTH = 12;

/** Object records are told apart by their "type" field. Firings are arrays and have none. */
export const OBJECT_RECORD_TYPES = ['header', 'exec', 'exit', 'end'] as const;
export type ObjectRecordType = (typeof OBJECT_RECORD_TYPES)[number];

/** Keys starting with this prefix may appear in any object record (not in memory maps); readers ignore them. */
export const EXTENSION_KEY_PREFIX = 'x-';

/** A line longer than this is an error rather than a reason to buffer without bound. */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

/** A probe as the header declares it; firings refer to it by its index in `TraceHeader.probes`. */
export interface TraceProbe {
  readonly provider: string;
  readonly module: string;
  readonly function: string;
  readonly name: string;
  /** D type names of args[0..n-1] (e.g. `int`, `char *`, `struct stat *`); the count is `args.length`. */
  readonly args: readonly string[];
}

export interface TraceHeader {
  readonly format: typeof TRACE_FORMAT_NAME;
  readonly version: typeof TRACE_FORMAT_VERSION;
  /** `<os>-<arch>`, e.g. `linux-x86_64`, `freebsd-amd64`, `illumos-amd64`. */
  readonly platform: string;
  readonly ncpus: number;
  /** `timestamp` (monotonic ns) at the start of tracing. */
  readonly timestamp: bigint;
  /** `walltimestamp` (ns since the Unix epoch) at the same instant as `timestamp`. */
  readonly walltimestamp: bigint;
  readonly probes: readonly TraceProbe[];
  /** Free text naming what produced the trace (e.g. `dtvm record 0.1`, `strace 6.1`). */
  readonly source?: string;
  /** The header's `x-...` keys, kept verbatim for tools that put their own data there. */
  readonly extensions?: Readonly<Record<string, unknown>>;
}

/** One probe firing: everything the built-in variables of reference §3 need that the header does not give. */
export interface TraceFiring {
  readonly kind: 'firing';
  /** 1-based line of the record in the (decompressed) trace. */
  readonly line: number;
  /** Index into `TraceHeader.probes`. */
  readonly probe: number;
  readonly timestamp: bigint;
  readonly cpu: number;
  readonly pid: number;
  readonly tid: bigint;
  readonly ppid: number;
  readonly uid: number;
  readonly gid: number;
  readonly execname: string;
  readonly errno: number;
  /** arg0..argN-1 exactly as recorded: any value from -2^63 to 2^64-1 (the VM reduces mod 2^64). */
  readonly args: readonly bigint[];
  /** The user memory the firing's pointers refer to; decoded only when read. */
  readonly memory: TraceMemory | null;
}

/** A process replaced its image (optional; lets a replay know execname, argv and ancestry). */
export interface TraceExec {
  readonly kind: 'exec';
  readonly line: number;
  readonly timestamp: bigint;
  readonly pid: number;
  readonly ppid: number;
  readonly uid: number;
  readonly gid: number;
  readonly execname: string;
  readonly argv: readonly string[];
}

/** A process exited (optional). */
export interface TraceExit {
  readonly kind: 'exit';
  readonly line: number;
  readonly timestamp: bigint;
  readonly pid: number;
  readonly status: number;
}

/** The last record: tracing stopped at `timestamp`; the counts make truncation detectable. */
export interface TraceEnd {
  readonly kind: 'end';
  readonly line: number;
  readonly timestamp: bigint;
  readonly firings: number;
  readonly events: number;
}

export type TraceEvent = TraceExec | TraceExit;
export type TraceRecord = TraceFiring | TraceExec | TraceExit | TraceEnd;

/** `provider:module:function:name`, the way dtrace(1) prints a probe. */
export function probeDescription(probe: TraceProbe): string {
  return `${probe.provider}:${probe.module}:${probe.function}:${probe.name}`;
}
