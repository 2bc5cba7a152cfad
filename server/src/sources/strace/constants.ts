// Symbolic constants strace prints when it is not run with `-X raw` (and a few it prints even
// then: errno names after a failed call, signal names in `--- SIGCHLD ... ---`). Values are
// Linux x86-64's. The errno, signal, open-flag and socket names come from the Linux flavour's
// own D library (server/lib/flavours/linux/dtrace/*.d, `inline int NAME = value;`), so they
// cannot disagree with what a script compares them with; the rest are listed here.
// examples/README.md lists which families an imported log may use.
import { flavourData } from '../../analyze/flavour/flavourData.ts';

/** Names strace prints that the D library does not declare. */
const STRACE_ONLY: Readonly<Record<string, number>> = {
  // *at() directory and flags (linux/fcntl.h)
  AT_FDCWD: -100,
  AT_SYMLINK_NOFOLLOW: 0x100,
  AT_REMOVEDIR: 0x200,
  AT_EACCESS: 0x200,
  AT_SYMLINK_FOLLOW: 0x400,
  AT_NO_AUTOMOUNT: 0x800,
  AT_EMPTY_PATH: 0x1000,
  AT_STATX_SYNC_AS_STAT: 0,
  AT_STATX_FORCE_SYNC: 0x2000,
  AT_STATX_DONT_SYNC: 0x4000,
  AT_RECURSIVE: 0x8000,
  // access(2) modes
  F_OK: 0,
  X_OK: 1,
  W_OK: 2,
  R_OK: 4,
  // lseek(2)
  SEEK_SET: 0,
  SEEK_CUR: 1,
  SEEK_END: 2,
  SEEK_DATA: 3,
  SEEK_HOLE: 4,
  // fcntl(2) commands and descriptor flags
  F_DUPFD: 0,
  F_GETFD: 1,
  F_SETFD: 2,
  F_GETFL: 3,
  F_SETFL: 4,
  F_GETLK: 5,
  F_SETLK: 6,
  F_SETLKW: 7,
  F_SETOWN: 8,
  F_GETOWN: 9,
  F_DUPFD_CLOEXEC: 1030,
  F_GETPIPE_SZ: 1032,
  F_SETPIPE_SZ: 1031,
  FD_CLOEXEC: 1,
  // mmap(2) and mprotect(2)
  PROT_NONE: 0,
  PROT_READ: 1,
  PROT_WRITE: 2,
  PROT_EXEC: 4,
  MAP_SHARED: 0x1,
  MAP_PRIVATE: 0x2,
  MAP_FIXED: 0x10,
  MAP_ANONYMOUS: 0x20,
  MAP_GROWSDOWN: 0x100,
  MAP_DENYWRITE: 0x800,
  MAP_EXECUTABLE: 0x1000,
  MAP_LOCKED: 0x2000,
  MAP_NORESERVE: 0x4000,
  MAP_POPULATE: 0x8000,
  MAP_NONBLOCK: 0x10000,
  MAP_STACK: 0x20000,
  MAP_HUGETLB: 0x40000,
  MAP_FIXED_NOREPLACE: 0x100000,
  // clone(2) flags
  CSIGNAL: 0xff,
  CLONE_VM: 0x100,
  CLONE_FS: 0x200,
  CLONE_FILES: 0x400,
  CLONE_SIGHAND: 0x800,
  CLONE_PIDFD: 0x1000,
  CLONE_PTRACE: 0x2000,
  CLONE_VFORK: 0x4000,
  CLONE_PARENT: 0x8000,
  CLONE_THREAD: 0x10000,
  CLONE_NEWNS: 0x20000,
  CLONE_SYSVSEM: 0x40000,
  CLONE_SETTLS: 0x80000,
  CLONE_PARENT_SETTID: 0x100000,
  CLONE_CHILD_CLEARTID: 0x200000,
  CLONE_DETACHED: 0x400000,
  CLONE_UNTRACED: 0x800000,
  CLONE_CHILD_SETTID: 0x1000000,
  // sigprocmask(2)
  SIG_BLOCK: 0,
  SIG_UNBLOCK: 1,
  SIG_SETMASK: 2,
  SIG_DFL: 0,
  SIG_IGN: 1,
  // wait4(2) options
  WNOHANG: 1,
  WUNTRACED: 2,
  WSTOPPED: 2,
  WEXITED: 4,
  WCONTINUED: 8,
  WNOWAIT: 0x1000000,
  __WNOTHREAD: 0x20000000,
  __WALL: 0x40000000,
  __WCLONE: 0x80000000,
  // futex(2) operations
  FUTEX_WAIT: 0,
  FUTEX_WAKE: 1,
  FUTEX_WAIT_BITSET: 9,
  FUTEX_WAKE_BITSET: 10,
  FUTEX_PRIVATE_FLAG: 128,
  FUTEX_CLOCK_REALTIME: 256,
  FUTEX_WAIT_PRIVATE: 128,
  FUTEX_WAKE_PRIVATE: 129,
  FUTEX_WAIT_BITSET_PRIVATE: 137,
  FUTEX_WAKE_BITSET_PRIVATE: 138,
  FUTEX_BITSET_MATCH_ANY: 0xffffffff,
  // clocks
  CLOCK_REALTIME: 0,
  CLOCK_MONOTONIC: 1,
  CLOCK_PROCESS_CPUTIME_ID: 2,
  CLOCK_THREAD_CPUTIME_ID: 3,
  CLOCK_MONOTONIC_RAW: 4,
  CLOCK_REALTIME_COARSE: 5,
  CLOCK_MONOTONIC_COARSE: 6,
  CLOCK_BOOTTIME: 7,
  // arch_prctl(2), prlimit64(2)
  ARCH_SET_GS: 0x1001,
  ARCH_SET_FS: 0x1002,
  ARCH_GET_FS: 0x1003,
  ARCH_GET_GS: 0x1004,
  ARCH_GET_CPUID: 0x1011,
  ARCH_SET_CPUID: 0x1012,
  RLIMIT_CPU: 0,
  RLIMIT_FSIZE: 1,
  RLIMIT_DATA: 2,
  RLIMIT_STACK: 3,
  RLIMIT_CORE: 4,
  RLIMIT_RSS: 5,
  RLIMIT_NPROC: 6,
  RLIMIT_NOFILE: 7,
  RLIMIT_MEMLOCK: 8,
  RLIMIT_AS: 9,
  // file types and modes (stat.h): strace prints modes as S_IFREG|0644
  S_IFMT: 0o170000,
  S_IFSOCK: 0o140000,
  S_IFLNK: 0o120000,
  S_IFREG: 0o100000,
  S_IFBLK: 0o60000,
  S_IFDIR: 0o40000,
  S_IFCHR: 0o20000,
  S_IFIFO: 0o10000,
  S_ISUID: 0o4000,
  S_ISGID: 0o2000,
  S_ISVTX: 0o1000,
  // the kernel's internal restart codes, which strace shows as a failed call's errno
  ERESTARTSYS: 512,
  ERESTARTNOINTR: 513,
  ERESTARTNOHAND: 514,
  ENOIOCTLCMD: 515,
  ERESTART_RESTARTBLOCK: 516,
  ENOTSUPP: 524,
};

/** The real-time signals strace names relative to SIGRTMIN (glibc's SIGRTMIN is 34; the kernel's 32). */
const SIGRTMIN = 32;
const SIGRTMAX = 64;

let table: Map<string, bigint> | undefined;

function constants(): Map<string, bigint> {
  if (table !== undefined) return table;
  table = new Map();
  const inline = /^\s*inline\s+[A-Za-z_][\w ]*?\s+([A-Z_][A-Z0-9_]*)\s*=\s*([^;]+);/gm;
  for (const file of flavourData('linux').libraries) {
    for (const match of file.text.matchAll(inline)) {
      const value = literalOrAlias(match[2]!.trim(), table);
      if (value !== undefined && !table.has(match[1]!)) table.set(match[1]!, value);
    }
  }
  for (const [name, value] of Object.entries(STRACE_ONLY)) if (!table.has(name)) table.set(name, BigInt(value));
  table.set('SIGRTMIN', BigInt(SIGRTMIN));
  table.set('SIGRTMAX', BigInt(SIGRTMAX));
  return table;
}

function literalOrAlias(text: string, known: ReadonlyMap<string, bigint>): bigint | undefined {
  const number = parseIntegerLiteral(text);
  if (number !== undefined) return number;
  return known.get(text);
}

/** A C integer literal as strace prints one: decimal, 0x hex or 0 octal, optionally negative. */
export function parseIntegerLiteral(text: string): bigint | undefined {
  const m = /^(-?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (m === null) return undefined;
  const digits = m[2]!;
  let value: bigint;
  if (digits.length > 1 && (digits[1] === 'x' || digits[1] === 'X')) value = BigInt(digits);
  else if (digits.length > 1 && digits[0] === '0') value = BigInt('0o' + digits.slice(1));
  else value = BigInt(digits);
  return m[1] === '-' ? -value : value;
}

/** The value of a symbolic name strace prints (`O_CLOEXEC`, `AT_FDCWD`, `SIGRTMIN+3`, `SIGRT_2`), if we know it. */
export function constantValue(name: string): bigint | undefined {
  const known = constants().get(name);
  if (known !== undefined) return known;
  const rt = /^SIGRT(?:MIN\+|_)(\d+)$/.exec(name);
  if (rt !== null) return BigInt(SIGRTMIN + Number(rt[1]));
  return undefined;
}

/** errno for a name strace prints after a failed call (`ENOENT`), or undefined. */
export function errnoValue(name: string): number | undefined {
  const value = constants().get(name);
  return value === undefined || !name.startsWith('E') ? undefined : Number(value);
}

/** A signal's number from its name (`SIGCHLD`, `SIGRT_3`) or strace's raw form (a number). */
export function signalNumber(name: string): number | undefined {
  if (/^\d+$/.test(name)) return Number(name);
  if (!name.startsWith('SIG')) return undefined;
  const value = constantValue(name);
  return value === undefined ? undefined : Number(value);
}
