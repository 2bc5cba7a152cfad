// DIF type descriptors, variable-table constants and the variable id space (reference §3, §6).

import type { DifPlatform } from './platform.ts';

/** dtrace_diftype_t.dtdt_kind */
export const DIF_TYPE_CTF = 0;
export const DIF_TYPE_STRING = 1;

/** dtrace_diftype_t.dtdt_flags */
export const DIF_TF_BYREF = 0x1;
export const DIF_TF_BYUREF = 0x2;

/** CTF kinds carried in dtrace_diftype_t.dtdt_ckind (printed by the disassembler). */
export const CTF_K_UNKNOWN = 0;
export const CTF_K_INTEGER = 1;
export const CTF_K_FLOAT = 2;
export const CTF_K_POINTER = 3;
export const CTF_K_ARRAY = 4;
export const CTF_K_FUNCTION = 5;
export const CTF_K_STRUCT = 6;
export const CTF_K_UNION = 7;
export const CTF_K_ENUM = 8;
export const CTF_K_FORWARD = 9;
export const CTF_K_TYPEDEF = 10;
export const CTF_K_VOLATILE = 11;
export const CTF_K_CONST = 12;
export const CTF_K_RESTRICT = 13;

export const CTF_KIND_NAMES: readonly string[] = [
  'unknown',
  'integer',
  'float',
  'pointer',
  'array',
  'function',
  'struct',
  'union',
  'enum',
  'forward',
  'typedef',
  'volatile',
  'const',
  'restrict',
];

/** dtrace_difv_t.dtdv_kind */
export const DIFV_KIND_ARRAY = 0;
export const DIFV_KIND_SCALAR = 1;

/** dtrace_difv_t.dtdv_scope */
export const DIFV_SCOPE_GLOBAL = 0;
export const DIFV_SCOPE_THREAD = 1;
export const DIFV_SCOPE_LOCAL = 2;

/** dtrace_difv_t.dtdv_flags */
export const DIFV_F_REF = 0x1;
export const DIFV_F_MOD = 0x2;

export const DIF_VARIABLE_MAX = 0xffff;

/** Array ids (ldga/ldta): built-ins below 0x80, user arrays from 0x80 up to 0xff. */
export const DIF_VAR_ARRAY_MIN = 0x0000;
export const DIF_VAR_ARRAY_UBASE = 0x0080;
export const DIF_VAR_ARRAY_MAX = 0x00ff;

/** Scalar and associative ids: built-ins from 0x100, user variables from 0x500 (per scope). */
export const DIF_VAR_OTHER_MIN = 0x0100;
export const DIF_VAR_OTHER_UBASE = 0x0500;
export const DIF_VAR_OTHER_MAX = 0xffff;

export const DIF_VAR_ARGS = 0x0000;
export const DIF_VAR_REGS = 0x0001;
export const DIF_VAR_UREGS = 0x0002;
export const DIF_VAR_CURTHREAD = 0x0100;
export const DIF_VAR_TIMESTAMP = 0x0101;
export const DIF_VAR_VTIMESTAMP = 0x0102;
export const DIF_VAR_IPL = 0x0103;
export const DIF_VAR_EPID = 0x0104;
export const DIF_VAR_ID = 0x0105;
export const DIF_VAR_ARG0 = 0x0106;
export const DIF_VAR_ARG1 = 0x0107;
export const DIF_VAR_ARG2 = 0x0108;
export const DIF_VAR_ARG3 = 0x0109;
export const DIF_VAR_ARG4 = 0x010a;
export const DIF_VAR_ARG5 = 0x010b;
export const DIF_VAR_ARG6 = 0x010c;
export const DIF_VAR_ARG7 = 0x010d;
export const DIF_VAR_ARG8 = 0x010e;
export const DIF_VAR_ARG9 = 0x010f;
export const DIF_VAR_STACKDEPTH = 0x0110;
export const DIF_VAR_CALLER = 0x0111;
export const DIF_VAR_PROBEPROV = 0x0112;
export const DIF_VAR_PROBEMOD = 0x0113;
export const DIF_VAR_PROBEFUNC = 0x0114;
export const DIF_VAR_PROBENAME = 0x0115;
export const DIF_VAR_PID = 0x0116;
export const DIF_VAR_TID = 0x0117;
export const DIF_VAR_EXECNAME = 0x0118;
export const DIF_VAR_ZONENAME = 0x0119;
export const DIF_VAR_WALLTIMESTAMP = 0x011a;
export const DIF_VAR_USTACKDEPTH = 0x011b;
export const DIF_VAR_UCALLER = 0x011c;
export const DIF_VAR_PPID = 0x011d;
export const DIF_VAR_UID = 0x011e;
export const DIF_VAR_GID = 0x011f;
export const DIF_VAR_ERRNO = 0x0120;
export const DIF_VAR_EXECARGS = 0x0121;
export const DIF_VAR_JID = 0x0122;
export const DIF_VAR_JAILNAME = 0x0123;
/** FreeBSD and OpenDTrace only; illumos derives `cpu` from an inline over curcpu. */
export const DIF_VAR_CPU = 0x0200;
/** Apple's (macOS <sys/dtrace.h>): the libdispatch queue address and mach_absolute_time(). */
export const DIF_VAR_DISPATCHQADDR = 0x0201;
export const DIF_VAR_MACHTIMESTAMP = 0x0202;

/** Kernel limit on by-reference global and clause-local variables (dtrace_statvar_maxsize). */
export const DTRACE_STATVAR_MAXSIZE = 16 * 1024;
/** Default `strsize` option; the DOF loader gives zero-sized string variables this size. */
export const DTRACE_STRSIZE_DEFAULT = 256;

export interface BuiltinVariable {
  readonly name: string;
  readonly id: number;
  /** DIFV_KIND_ARRAY for args/regs/uregs (read with ldga), else DIFV_KIND_SCALAR (ldgs). */
  readonly kind: number;
  /** D type as the reference gives it (illumos spelling where platforms differ). */
  readonly type: string;
  /** Platforms whose kernels define the id; all three when absent. */
  readonly platforms?: readonly DifPlatform[];
}

const BSD: readonly DifPlatform[] = ['freebsd', 'opendtrace'];
const OD_ONLY: readonly DifPlatform[] = ['opendtrace'];

function scalar(name: string, id: number, type: string, platforms?: readonly DifPlatform[]): BuiltinVariable {
  return Object.freeze({ name, id, kind: DIFV_KIND_SCALAR, type, ...(platforms ? { platforms } : {}) });
}

function array(name: string, id: number, type: string): BuiltinVariable {
  return Object.freeze({ name, id, kind: DIFV_KIND_ARRAY, type });
}

/** Built-in variables with DIF ids (reference §3). `self`/`this` and library inlines have none. */
export const BUILTIN_VARIABLES: readonly BuiltinVariable[] = Object.freeze([
  array('args', DIF_VAR_ARGS, 'per-probe typed array'),
  array('regs', DIF_VAR_REGS, 'uint64_t[]'),
  array('uregs', DIF_VAR_UREGS, 'uint64_t[]'),
  scalar('curthread', DIF_VAR_CURTHREAD, 'kthread_t *'),
  scalar('timestamp', DIF_VAR_TIMESTAMP, 'uint64_t'),
  scalar('vtimestamp', DIF_VAR_VTIMESTAMP, 'uint64_t'),
  scalar('ipl', DIF_VAR_IPL, 'uint_t'),
  scalar('epid', DIF_VAR_EPID, 'uint_t'),
  scalar('id', DIF_VAR_ID, 'uint_t'),
  scalar('arg0', DIF_VAR_ARG0, 'int64_t'),
  scalar('arg1', DIF_VAR_ARG1, 'int64_t'),
  scalar('arg2', DIF_VAR_ARG2, 'int64_t'),
  scalar('arg3', DIF_VAR_ARG3, 'int64_t'),
  scalar('arg4', DIF_VAR_ARG4, 'int64_t'),
  scalar('arg5', DIF_VAR_ARG5, 'int64_t'),
  scalar('arg6', DIF_VAR_ARG6, 'int64_t'),
  scalar('arg7', DIF_VAR_ARG7, 'int64_t'),
  scalar('arg8', DIF_VAR_ARG8, 'int64_t'),
  scalar('arg9', DIF_VAR_ARG9, 'int64_t'),
  scalar('stackdepth', DIF_VAR_STACKDEPTH, 'uint32_t'),
  scalar('caller', DIF_VAR_CALLER, 'uintptr_t'),
  scalar('probeprov', DIF_VAR_PROBEPROV, 'string'),
  scalar('probemod', DIF_VAR_PROBEMOD, 'string'),
  scalar('probefunc', DIF_VAR_PROBEFUNC, 'string'),
  scalar('probename', DIF_VAR_PROBENAME, 'string'),
  scalar('pid', DIF_VAR_PID, 'pid_t'),
  scalar('tid', DIF_VAR_TID, 'id_t'),
  scalar('execname', DIF_VAR_EXECNAME, 'string'),
  scalar('zonename', DIF_VAR_ZONENAME, 'string'),
  scalar('walltimestamp', DIF_VAR_WALLTIMESTAMP, 'int64_t'),
  scalar('ustackdepth', DIF_VAR_USTACKDEPTH, 'uint32_t'),
  scalar('ucaller', DIF_VAR_UCALLER, 'uint64_t'),
  scalar('ppid', DIF_VAR_PPID, 'pid_t'),
  scalar('uid', DIF_VAR_UID, 'uid_t'),
  scalar('gid', DIF_VAR_GID, 'gid_t'),
  scalar('errno', DIF_VAR_ERRNO, 'int'),
  scalar('execargs', DIF_VAR_EXECARGS, 'string', BSD),
  scalar('jid', DIF_VAR_JID, 'int', OD_ONLY),
  scalar('jailname', DIF_VAR_JAILNAME, 'string', OD_ONLY),
  scalar('cpu', DIF_VAR_CPU, 'int', BSD),
  scalar('dispatchqaddr', DIF_VAR_DISPATCHQADDR, 'uint64_t'),
  scalar('machtimestamp', DIF_VAR_MACHTIMESTAMP, 'uint64_t'),
]);

const BUILTIN_BY_NAME: ReadonlyMap<string, BuiltinVariable> = new Map(BUILTIN_VARIABLES.map((v) => [v.name, v]));

export function builtinVariableByName(name: string): BuiltinVariable | undefined {
  return BUILTIN_BY_NAME.get(name);
}

/** Built-in scalar or array with this id (arrays and scalars live in separate id ranges). */
export function builtinVariableById(id: number, kind: number): BuiltinVariable | undefined {
  return BUILTIN_VARIABLES.find((v) => v.id === id && v.kind === kind);
}
