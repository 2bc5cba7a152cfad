// DIF subroutine numbers (the `call` operand, reference §4.1). 0..45 are common to every
// DTrace; from 46 the lineages diverge, so each platform has its own table.

import { DEFAULT_PLATFORM, type DifPlatform } from './platform.ts';

export const DIF_SUBR_RAND = 0;
export const DIF_SUBR_MUTEX_OWNED = 1;
export const DIF_SUBR_MUTEX_OWNER = 2;
export const DIF_SUBR_MUTEX_TYPE_ADAPTIVE = 3;
export const DIF_SUBR_MUTEX_TYPE_SPIN = 4;
export const DIF_SUBR_RW_READ_HELD = 5;
export const DIF_SUBR_RW_WRITE_HELD = 6;
export const DIF_SUBR_RW_ISWRITER = 7;
export const DIF_SUBR_COPYIN = 8;
export const DIF_SUBR_COPYINSTR = 9;
export const DIF_SUBR_SPECULATION = 10;
export const DIF_SUBR_PROGENYOF = 11;
export const DIF_SUBR_STRLEN = 12;
export const DIF_SUBR_COPYOUT = 13;
export const DIF_SUBR_COPYOUTSTR = 14;
export const DIF_SUBR_ALLOCA = 15;
export const DIF_SUBR_BCOPY = 16;
export const DIF_SUBR_COPYINTO = 17;
export const DIF_SUBR_MSGDSIZE = 18;
export const DIF_SUBR_MSGSIZE = 19;
export const DIF_SUBR_GETMAJOR = 20;
export const DIF_SUBR_GETMINOR = 21;
export const DIF_SUBR_DDI_PATHNAME = 22;
export const DIF_SUBR_STRJOIN = 23;
export const DIF_SUBR_LLTOSTR = 24;
export const DIF_SUBR_BASENAME = 25;
export const DIF_SUBR_DIRNAME = 26;
export const DIF_SUBR_CLEANPATH = 27;
export const DIF_SUBR_STRCHR = 28;
export const DIF_SUBR_STRRCHR = 29;
export const DIF_SUBR_STRSTR = 30;
export const DIF_SUBR_STRTOK = 31;
export const DIF_SUBR_SUBSTR = 32;
export const DIF_SUBR_INDEX = 33;
export const DIF_SUBR_RINDEX = 34;
export const DIF_SUBR_HTONS = 35;
export const DIF_SUBR_HTONL = 36;
export const DIF_SUBR_HTONLL = 37;
export const DIF_SUBR_NTOHS = 38;
export const DIF_SUBR_NTOHL = 39;
export const DIF_SUBR_NTOHLL = 40;
export const DIF_SUBR_INET_NTOP = 41;
export const DIF_SUBR_INET_NTOA = 42;
export const DIF_SUBR_INET_NTOA6 = 43;
export const DIF_SUBR_TOUPPER = 44;
export const DIF_SUBR_TOLOWER = 45;

const COMMON_NAMES: readonly string[] = [
  'rand',
  'mutex_owned',
  'mutex_owner',
  'mutex_type_adaptive',
  'mutex_type_spin',
  'rw_read_held',
  'rw_write_held',
  'rw_iswriter',
  'copyin',
  'copyinstr',
  'speculation',
  'progenyof',
  'strlen',
  'copyout',
  'copyoutstr',
  'alloca',
  'bcopy',
  'copyinto',
  'msgdsize',
  'msgsize',
  'getmajor',
  'getminor',
  'ddi_pathname',
  'strjoin',
  'lltostr',
  'basename',
  'dirname',
  'cleanpath',
  'strchr',
  'strrchr',
  'strstr',
  'strtok',
  'substr',
  'index',
  'rindex',
  'htons',
  'htonl',
  'htonll',
  'ntohs',
  'ntohl',
  'ntohll',
  'inet_ntop',
  'inet_ntoa',
  'inet_ntoa6',
  'toupper',
  'tolower',
];

export interface SubroutineTable {
  readonly platform: DifPlatform;
  /** DIF_SUBR_MAX: the verifier rejects `call` operands above it. */
  readonly max: number;
  /** names[n] is subroutine n, spelled as dtrace_subrstr() prints it. */
  readonly names: readonly string[];
  readonly byName: ReadonlyMap<string, number>;
}

function table(platform: DifPlatform, tail: readonly string[]): SubroutineTable {
  const names = Object.freeze([...COMMON_NAMES, ...tail]);
  return Object.freeze({
    platform,
    max: names.length - 1,
    names,
    byName: new Map(names.map((name, code) => [name, code])),
  });
}

export const SUBROUTINE_TABLES: Readonly<Record<DifPlatform, SubroutineTable>> = Object.freeze({
  illumos: table('illumos', ['getf', 'json', 'strtoll']),
  opendtrace: table('opendtrace', [
    'memref',
    'sx_shared_held',
    'sx_exclusive_held',
    'sx_isexclusive',
    'memstr',
    'getf',
    'json',
    'strtoll',
  ]),
  freebsd: table('freebsd', [
    'memref',
    'typeref',
    'sx_shared_held',
    'sx_exclusive_held',
    'sx_isexclusive',
    'memstr',
    'getf',
    'json',
    'strtoll',
  ]),
});

export function subroutineTable(platform: DifPlatform = DEFAULT_PLATFORM): SubroutineTable {
  return SUBROUTINE_TABLES[platform];
}

/** Name as `dtrace -S` prints it after a call; unknown numbers read "unknown" there too. */
export function subroutineName(code: number, platform: DifPlatform = DEFAULT_PLATFORM): string {
  const names = SUBROUTINE_TABLES[platform].names;
  return Number.isInteger(code) && code >= 0 && code < names.length ? names[code] : 'unknown';
}

export function subroutineCode(name: string, platform: DifPlatform = DEFAULT_PLATFORM): number | undefined {
  return SUBROUTINE_TABLES[platform].byName.get(name);
}

/** Subroutines whose presence makes a DIFO destructive (the verifier sets the flag). */
export function isDestructiveSubroutine(code: number): boolean {
  return code === DIF_SUBR_COPYOUT || code === DIF_SUBR_COPYOUTSTR;
}

export type { DifPlatform } from './platform.ts';
export { DEFAULT_PLATFORM, DIF_PLATFORMS } from './platform.ts';
