// What the code generator hands to the VM and the consumer: DTrace's enablings (ECBs) with their
// action lists, each action carrying the DIF object that computes its record, the formats and
// the aggregations. Shaped like libdtrace's dtrace_stmtdesc/dtrace_actdesc/dtrace_recdesc so
// that record sizes, and therefore buffer use and drops, follow DTrace's.
import type { Difo } from '../dif/difo';
import type { VariableState } from '../dif/variable-state';
import type { DifPlatform } from '../dif/platform';
import type { Span } from '../parse/ast';
import type { CType } from '../analyze/types/ctype';

/** DTRACEACT_* kinds (reference §4.2, §5). */
export const ACT = {
  NONE: 0,
  DIFEXPR: 1,
  EXIT: 2,
  PRINTF: 3,
  PRINTA: 4,
  LIBACT: 5,
  TRACEMEM: 6,
  TRACEMEM_DYNSIZE: 7,
  PRINTM: 8,
  PRINTT: 9,
  USTACK: 0x101,
  JSTACK: 0x102,
  USYM: 0x103,
  UMOD: 0x104,
  UADDR: 0x105,
  STOP: 0x201,
  RAISE: 0x202,
  SYSTEM: 0x203,
  FREOPEN: 0x204,
  STACK: 0x401,
  SYM: 0x402,
  MOD: 0x403,
  BREAKPOINT: 0x501,
  PANIC: 0x502,
  CHILL: 0x503,
  SPECULATE: 0x601,
  COMMIT: 0x602,
  DISCARD: 0x603,
  AGG_COUNT: 0x701,
  AGG_MIN: 0x702,
  AGG_MAX: 0x703,
  AGG_AVG: 0x704,
  AGG_SUM: 0x705,
  AGG_STDDEV: 0x706,
  AGG_QUANTIZE: 0x707,
  AGG_LQUANTIZE: 0x708,
  AGG_LLQUANTIZE: 0x709,
} as const;

/** Library actions (kind LIBACT): the consumer carries them out when it meets their record. */
export type LibraryAction = 'clear' | 'normalize' | 'denormalize' | 'trunc' | 'setopt' | 'ftruncate' | 'print' | 'printa';

/** How the consumer reads and prints a record's bytes. */
export type RecordType =
  | { k: 'int'; size: 1 | 2 | 4 | 8; signed: boolean }
  | { k: 'string'; size: number }
  /** Memory copied by reference (structs, arrays, tracemem): `size` bytes, printed as a hex dump or by type. */
  | { k: 'bytes'; size: number; ctype?: string }
  | { k: 'stack'; frames: number; user: boolean; strsize?: number }
  | { k: 'symbol'; user: boolean; what: 'sym' | 'mod' | 'addr' };

/** One action of an enabling (dtrace_actdesc + the record it writes). */
export interface ActionDesc {
  /** ACT.* */
  kind: number;
  /** For kind LIBACT. */
  library?: LibraryAction;
  /** Computes the recorded value (trace argument, printf argument, key, aggregated value, exit status...). */
  difo?: Difo;
  /** Kind-specific argument, as DTrace's dtad_arg: nframes, lquantize/llquantize encoding, normalize/trunc factor... */
  arg?: bigint;
  /** Index into CompiledProgram.formats: printf, printa, system, freopen. The first record of such an action. */
  format?: number;
  /** Aggregation id (index into CompiledProgram.aggregations) for aggregating actions and printa/clear/trunc/normalize. */
  aggregation?: number;
  /** For an aggregating action: the number of key records written just before it. */
  keys?: number;
  /** For an aggregating action: the record just before it (after the keys) is the increment
   *  of quantize/lquantize/llquantize's optional last argument. */
  increment?: boolean;
  /** Record layout, for the consumer and for buffer accounting. */
  record: RecordType;
  /** print(): the argument's type itself, so the consumer can show structs, arrays and enums member by member. */
  printType?: CType;
  /** Bytes this record takes in the principal buffer (DTrace's dtrd_size, before alignment). */
  size: number;
  /** The statement or argument this action came from (debugger, fault reports). */
  span: Span;
  /** Index of the D statement (within its clause) that made this action; `-S` groups by it. */
  statement?: number;
  line: number;
}

/** One enabled probe description set with its predicate and actions: DTrace's ECB(s) for a clause. */
export interface Enabling {
  /** DTrace's enabled probe id (EPID), 1-based in compilation order: that of the first probe. */
  epid: number;
  /** The EPID of each probe in `probes` (DTrace makes one ECB per probe a clause enables,
   *  numbered in order: clause by clause, probe by probe). */
  epids?: number[];
  /** Index of the (desugared) clause it came from. */
  clause: number;
  /** The user's clause (before `if` desugaring) it came from, for the debugger. */
  originSpan: Span;
  /** Probe ids (catalogue ids) this enabling is attached to. */
  probes: number[];
  predicate?: Difo;
  actions: ActionDesc[];
  /** Principal-buffer bytes of one firing: the EPID header plus every record, aligned as DTrace does. */
  recordSize: number;
  /** The enabling speculates (its data goes to a speculative buffer). */
  speculative: boolean;
}

export type AggregatingFunction = 'count' | 'sum' | 'avg' | 'min' | 'max' | 'stddev' | 'quantize' | 'lquantize' | 'llquantize';

export interface AggregationDesc {
  /** DTrace's aggregation id (1-based), and its index + 1 in CompiledProgram.aggregations. */
  id: number;
  /** Without `@`; `_` for the anonymous `@`. */
  name: string;
  fn: AggregatingFunction;
  keys: RecordType[];
  /** lquantize/llquantize parameter word (reference §5). */
  param?: bigint;
}

export interface CompiledProgram {
  enablings: Enabling[];
  aggregations: AggregationDesc[];
  /** printf/printa/system/freopen format strings, as written (escapes decoded). */
  formats: string[];
  /** User variables (globals, thread-locals, clause-locals) shared by every DIF object. */
  variables: VariableState;
  /** Whose subroutine numbering the `call` instructions use (from the script's flavour). */
  platform?: DifPlatform;
  /** The target system the script was compiled for (the VM's load rules, idle threads, kernel image). */
  flavour?: string;
  /** The target system's kernel types, as the front end laid them out (the VM's kernel image). */
  kernel?: KernelTypes;
}

/**
 * What the VM needs to model the memory behind `curthread`: the target system and its kernel
 * types with the member offsets and sizes the front end computed (so that the image the VM
 * builds and the loads the code generator emits agree by construction).
 */
export interface KernelTypes {
  /** The target system (flavour name: freebsd, illumos, macos, linux). */
  flavour: string;
  /** The D type of `curthread` (a pointer to the flavour's thread structure). */
  curthread: CType;
  /** A type by its D spelling (`struct proc`, `kthread_t`, `struct task *`), if the target declares it. */
  type(name: string): CType | undefined;
}
