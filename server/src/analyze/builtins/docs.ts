// What an editor shows about each built-in: a signature with parameter names (the prototypes
// in functions.ts say only the types) and a paragraph in our own words, after the reference.
// Options are described by their table (options/optionTable.ts); OPTION_NOTES adds what a user
// writing `#pragma D option` needs beyond that one line.

export interface FunctionDoc {
  /** The call as a user reads it: result type, name, named parameters; `[...]` is optional. */
  signature: string;
  doc: string;
}

const f = (signature: string, doc: string): FunctionDoc => ({ signature, doc });

export const FUNCTION_DOCS: Readonly<Record<string, FunctionDoc>> = {
  // ---- subroutines ----
  alloca: f('void *alloca(size_t size)', 'Allocates `size` bytes of scratch memory, aligned to 8 bytes, that stays valid until the clause ends. Running out of scratch space faults the clause (`noscratch`).'),
  basename: f('string basename(const char *path)', 'Returns the last component of `path`, ignoring trailing slashes, as `basename(1)` does. The result lives in scratch memory.'),
  bcopy: f('void bcopy(void *src, void *dest, size_t size)', 'Copies `size` bytes from `src` to `dest`. The destination must be scratch memory (from `alloca()`); any other destination faults with `badaddr`.'),
  cleanpath: f('string cleanpath(const char *path)', 'Returns `path` with repeated slashes folded and `.` and `..` components resolved textually (symbolic links are not followed).'),
  copyin: f('void *copyin(uintptr_t addr, size_t size)', "Copies `size` bytes from the address `addr` of the current process into scratch memory and returns a pointer to the copy. A bad user address faults the clause."),
  copyinstr: f('string copyinstr(uintptr_t addr, [size_t maxlen])', "Copies a NUL-terminated string from the address `addr` of the current process, at most `strsize` bytes (or `maxlen` when it is smaller). Use it for string arguments of system calls, which point into user memory."),
  copyinto: f('void copyinto(uintptr_t addr, size_t size, void *dest)', 'Copies `size` bytes from the address `addr` of the current process into `dest`, which must be scratch memory.'),
  copyout: f('void copyout(void *buf, uintptr_t addr, size_t size)', 'Writes `size` bytes from `buf` into the current process at `addr`. Destructive: it changes the traced process, so it needs `-w` or `#pragma D option destructive`.'),
  copyoutstr: f('void copyoutstr(char *str, uintptr_t addr, size_t maxlen)', 'Writes the string `str` (with its NUL, at most `maxlen` bytes) into the current process at `addr`. Destructive: needs `-w` or `#pragma D option destructive`.'),
  ddi_pathname: f('string ddi_pathname(void *dip, int64_t minor)', 'Returns the device path (as in `/devices`) of the device-information node `dip`, with `minor` selecting a minor node, or the node itself when -1. illumos only.'),
  dirname: f('string dirname(const char *path)', 'Returns all but the last component of `path`, as `dirname(1)` does (`.` when there is no slash).'),
  getmajor: f('major_t getmajor(dev_t dev)', 'Returns the major number of the device number `dev`.'),
  getminor: f('minor_t getminor(dev_t dev)', 'Returns the minor number of the device number `dev`.'),
  getf: f('file_t *getf(int fd)', 'Returns the kernel file structure for the file descriptor `fd` of the current process, or NULL when `fd` is not open.'),
  htonl: f('uint32_t htonl(uint32_t value)', 'Converts a 32-bit value from host to network (big-endian) byte order.'),
  htonll: f('uint64_t htonll(uint64_t value)', 'Converts a 64-bit value from host to network (big-endian) byte order.'),
  htons: f('uint16_t htons(uint16_t value)', 'Converts a 16-bit value from host to network (big-endian) byte order.'),
  index: f('int index(const char *s, const char *find, [int start])', 'Returns the position of the first occurrence of `find` in `s`, searching from `start` (default 0), or -1 when there is none.'),
  inet_ntoa: f('string inet_ntoa(ipaddr_t *addr)', 'Formats the IPv4 address at `addr` (network byte order) as dotted decimal, such as `192.168.1.1`.'),
  inet_ntoa6: f('string inet_ntoa6(in6_addr_t *addr)', 'Formats the IPv6 address at `addr` in its RFC 5952 text form, such as `fe80::1`.'),
  inet_ntop: f('string inet_ntop(int af, void *addr)', 'Formats the address at `addr` as text: IPv4 when `af` is `AF_INET`, IPv6 when it is `AF_INET6`.'),
  json: f('string json(const char *json, const char *key)', 'Returns the value found at `key` in the JSON document `json`; the key is a dotted path with `[n]` array indexes (`a.b[2].c`). Returns NULL when the key is absent or the document is not valid JSON.'),
  lltostr: f('string lltostr(int64_t value, [int base])', 'Formats `value` as a string in `base` (2 to 36, default 10). Base 16 output starts with `0x` and base 8 with `0`; only base 10 shows a sign. Another base faults with `illop`.'),
  memref: f('uintptr_t *memref(void *addr, size_t size)', 'Makes a memory reference (an address and a length) for `printm()`. FreeBSD.'),
  memstr: f('string memstr(void *addr, char sep, size_t size)', 'Returns `size` bytes at `addr` as a string, each NUL byte replaced by `sep`; handy for argument vectors. FreeBSD.'),
  msgdsize: f('size_t msgdsize(mblk_t *mp)', 'Returns the number of data bytes in the STREAMS message `mp` (only its M_DATA blocks). illumos.'),
  msgsize: f('size_t msgsize(mblk_t *mp)', 'Returns the total number of bytes in the STREAMS message `mp`. illumos.'),
  mutex_owned: f('int mutex_owned(kmutex_t *mutex)', 'Returns non-zero when the current thread holds the kernel mutex `mutex`.'),
  mutex_owner: f('kthread_t *mutex_owner(kmutex_t *mutex)', 'Returns the thread that holds the adaptive kernel mutex `mutex`, or NULL when it is free or a spin mutex.'),
  mutex_type_adaptive: f('int mutex_type_adaptive(kmutex_t *mutex)', 'Returns non-zero when the kernel mutex `mutex` is adaptive (its waiters may sleep).'),
  mutex_type_spin: f('int mutex_type_spin(kmutex_t *mutex)', 'Returns non-zero when the kernel mutex `mutex` is a spin mutex.'),
  ntohl: f('uint32_t ntohl(uint32_t value)', 'Converts a 32-bit value from network (big-endian) to host byte order.'),
  ntohll: f('uint64_t ntohll(uint64_t value)', 'Converts a 64-bit value from network (big-endian) to host byte order.'),
  ntohs: f('uint16_t ntohs(uint16_t value)', 'Converts a 16-bit value from network (big-endian) to host byte order.'),
  progenyof: f('int progenyof(pid_t pid)', 'Returns non-zero when the current process is `pid` or one of its descendants.'),
  rand: f('int rand()', 'Returns a pseudo-random integer. Weak randomness, meant for sampling, not for security.'),
  rindex: f('int rindex(const char *s, const char *find, [int start])', 'Returns the position of the last occurrence of `find` in `s`, searching backwards from `start` (default: the end), or -1 when there is none.'),
  rw_iswriter: f('int rw_iswriter(krwlock_t *lock)', 'Returns non-zero when the reader-writer lock `lock` is held by a writer or a writer is waiting for it.'),
  rw_read_held: f('int rw_read_held(krwlock_t *lock)', 'Returns non-zero when the reader-writer lock `lock` is held by at least one reader.'),
  rw_write_held: f('int rw_write_held(krwlock_t *lock)', 'Returns non-zero when the reader-writer lock `lock` is held by a writer.'),
  sx_exclusive_held: f('int sx_exclusive_held(struct sx *lock)', 'Returns non-zero when the shared/exclusive lock `lock` is held exclusively. FreeBSD.'),
  sx_isexclusive: f('int sx_isexclusive(struct sx *lock)', 'Returns non-zero when the shared/exclusive lock `lock` is in exclusive mode. FreeBSD.'),
  sx_shared_held: f('int sx_shared_held(struct sx *lock)', 'Returns non-zero when the shared/exclusive lock `lock` is held shared. FreeBSD.'),
  speculation: f('int speculation()', 'Reserves a speculative buffer and returns its identifier, or 0 when none is free (counted as a failed speculation). Pass the identifier to `speculate()`, then `commit()` or `discard()` it.'),
  strchr: f('string strchr(const char *s, char c)', 'Returns the part of `s` that starts at the first occurrence of the character `c`, or NULL when there is none.'),
  strjoin: f('string strjoin(const char *s1, const char *s2)', 'Returns `s1` followed by `s2`, in scratch memory.'),
  strlen: f('size_t strlen(const char *s)', 'Returns the length of `s` in bytes, not counting the NUL; never more than `strsize`.'),
  strrchr: f('string strrchr(const char *s, char c)', 'Returns the part of `s` that starts at the last occurrence of the character `c`, or NULL when there is none.'),
  strstr: f('string strstr(const char *s, const char *find)', 'Returns the part of `s` that starts at the first occurrence of `find`, or NULL when there is none.'),
  strtok: f('string strtok(const char *s, const char *delims)', 'Returns the next token of `s` delimited by any character of `delims`. Pass NULL as `s` to continue with the same string; the state lasts for one probe firing.'),
  strtoll: f('int64_t strtoll(const char *s, [int base])', 'Parses `s` as an integer in `base` (2 to 36, default 10; 0 reads a `0x` or `0` prefix), stopping at the first character that does not belong to a number.'),
  substr: f('string substr(const char *s, int index, [int length])', 'Returns the part of `s` from `index` (negative counts from the end) of at most `length` bytes (a negative length leaves that many bytes off the end; default: to the end).'),
  tolower: f('string tolower(const char *s)', 'Returns `s` with ASCII upper-case letters turned to lower case.'),
  toupper: f('string toupper(const char *s)', 'Returns `s` with ASCII lower-case letters turned to upper case.'),

  // ---- actions ----
  breakpoint: f('void breakpoint()', 'Stops the whole kernel and enters its debugger (kmdb, ddb). Destructive: needs `-w`. Use with great care.'),
  chill: f('void chill(int nanoseconds)', 'Makes the probing CPU spin for `nanoseconds` (at most half a second per second in total), to widen race windows. Destructive: needs `-w`.'),
  clear: f('void clear(@aggregation)', "Sets every value of `@aggregation` to zero, keeping its keys: the next `printa()` prints the keys with zero values."),
  commit: f('void commit(int id)', 'Copies the speculative buffer `id` into the principal buffer. It must come before any action that records data in its clause.'),
  denormalize: f('void denormalize(@aggregation)', 'Undoes `normalize()`: `@aggregation` prints its raw values again.'),
  discard: f('void discard(int id)', 'Throws away the speculative buffer `id`, freeing it for another `speculation()`.'),
  exit: f('void exit(int status)', 'Stops tracing: the current clause finishes, the END clauses run, remaining data and aggregations are printed and dtrace exits with `status`.'),
  freopen: f('void freopen(const char *format, ...)', 'Sends further output to the file named by the printf-style `format` and its arguments; an empty name returns to standard output. Destructive: needs `-w`.'),
  ftruncate: f('void ftruncate()', 'Truncates the current output file (as set by `-o` or `freopen()`) to zero length.'),
  func: f('_symaddr func(uintptr_t addr)', 'Records the kernel address `addr`, printed as the name of the function it is in (the same as `sym()`).'),
  jstack: f('stack jstack([int nframes], [int strsize])', 'Records the user stack like `ustack()`, with Java frames translated by the JVM; defaults to `jstackframes` frames and `jstackstrsize` bytes of frame text.'),
  mod: f('_symaddr mod(uintptr_t addr)', 'Records the kernel address `addr`, printed as the name of the kernel module it is in.'),
  normalize: f('void normalize(@aggregation, int64_t divisor)', 'Makes `@aggregation` print its values divided by `divisor` (for example per-second rates); the stored values are not changed.'),
  panic: f('void panic()', 'Panics the kernel, producing a crash dump. Destructive: needs `-w`.'),
  print: f('void print(expression)', 'Records `expression` and prints it according to its type: structures member by member, pointers as addresses, strings as text.'),
  printa: f('void printa([const char *format], @aggregation, ...)', 'Prints one or more aggregations now, in the default layout or with `format`, whose ordinary conversions take the keys and whose `%@` conversions take the values.'),
  printf: f('void printf(const char *format, ...)', 'Records its arguments and prints them with `format`, which has the conversions of C plus DTrace\'s own (`%a`, `%k`, `%S`, `%Y` ...). Arguments are checked against the conversions at compile time.'),
  printm: f('void printm(size_t size, uintptr_t *memref)', 'Prints `size` bytes of the memory reference made by `memref()` as a hexadecimal dump. FreeBSD.'),
  raise: f('void raise(int signal)', 'Sends `signal` to the current process when the probe fires. Destructive: needs `-w`.'),
  setopt: f('void setopt(const char *option, [const char *value])', 'Changes a dynamic option (`quiet`, `aggsortkey`, `switchrate` ...) while tracing; a run-time option cannot change once tracing has started.'),
  speculate: f('void speculate(int id)', "Records the rest of this clause's data into the speculative buffer `id` instead of the principal buffer; it must come before any action that records data."),
  stack: f('stack stack([int nframes])', 'Records the kernel stack, `nframes` deep (default: the `stackframes` option, 20), printed one frame per line, or with `%k` in `printf()`. Also usable as an aggregation key.'),
  stop: f('void stop()', 'Stops the current process (as with SIGSTOP), for example to attach a debugger. Destructive: needs `-w`.'),
  sym: f('_symaddr sym(uintptr_t addr)', 'Records the kernel address `addr`, printed as its symbol name and offset.'),
  system: f('void system(const char *format, ...)', 'Runs the shell command made by the printf-style `format` and its arguments, in dtrace(1), when its record is consumed. Destructive: needs `-w`.'),
  trace: f('void trace(expression)', "Records `expression`; dtrace(1) prints it after the probe's line in a layout chosen by its type."),
  tracemem: f('void tracemem(void *addr, size_t size, [size_t dynsize])', 'Records `size` bytes of memory from `addr` (a constant size), printed as a hexadecimal dump; `dynsize` limits how many of them are printed.'),
  trunc: f('void trunc(@aggregation, [int64_t n])', 'Removes every key of `@aggregation`; with `n`, keeps only the `n` keys with the largest values (the smallest ones when `n` is negative).'),
  uaddr: f('_usymaddr uaddr(uintptr_t addr)', 'Records the user address `addr` of the current process, printed as its symbol and offset.'),
  ufunc: f('_usymaddr ufunc(uintptr_t addr)', 'Records the user address `addr` of the current process, printed as the function it is in.'),
  umod: f('_usymaddr umod(uintptr_t addr)', 'Records the user address `addr` of the current process, printed as the module (library) it is in.'),
  ustack: f('stack ustack([int nframes], [int strsize])', 'Records the user stack of the current thread, `nframes` deep (default: `ustackframes`); symbols are looked up when the record is printed, so the process must still be running.'),
  usym: f('_usymaddr usym(uintptr_t addr)', 'Records the user address `addr` of the current process, printed as its symbol.'),

  // ---- aggregating functions ----
  avg: f('avg(int64_t value)', 'Aggregates the arithmetic mean of the values (kept as a count and a total; printed as the integer quotient).'),
  count: f('count()', 'Aggregates the number of times it is called.'),
  llquantize: f('llquantize(int64_t value, int factor, int low, int high, int nsteps, [int64_t increment])', 'Aggregates a log-linear histogram: each power of `factor` from `low` to `high` is split into `nsteps` linear buckets (constants only; `factor` must divide `nsteps`).'),
  lquantize: f('lquantize(int64_t value, int low, int high, [int step], [int64_t increment])', 'Aggregates a linear histogram of `value` with buckets `step` wide (default 1) from `low` to `high`, plus one bucket below and one above (constants only).'),
  max: f('max(int64_t value)', 'Aggregates the largest value.'),
  min: f('min(int64_t value)', 'Aggregates the smallest value.'),
  quantize: f('quantize(int64_t value, [int64_t increment])', 'Aggregates a power-of-two histogram of `value`: each bucket counts the values from one power of two to the next (negative values mirror them).'),
  stddev: f('stddev(int64_t value)', 'Aggregates the standard deviation of the values (printed as an integer).'),
  sum: f('sum(int64_t value)', 'Aggregates the total of the values.'),
};

export const VARIABLE_DOCS: Readonly<Record<string, string>> = {
  args: "The probe's typed arguments: `args[0]` ... have the types the provider declares (after its translators, so `args[0]` of a proc probe may be a `psinfo_t *`). The index must be an integer constant within the probe's argument count.",
  uregs: "The saved user-mode registers of the current thread, indexed by the constants of the `regs` library (`R_PC`, `R_SP` ...); each is a 64-bit integer.",
  curthread: "Pointer to the kernel structure of the thread that fired the probe (`kthread_t` on illumos, `struct thread` on FreeBSD). Its members are known where the flavour's D library files describe the structure.",
  timestamp: 'The current value of a nanosecond counter that only moves forward, counted from an arbitrary point in the past. Subtract two readings to measure elapsed time; it is not a time of day.',
  vtimestamp: 'How many nanoseconds the current thread has run on a CPU, less the time spent in DTrace probes: subtract two readings to measure CPU time.',
  ipl: 'The interrupt priority level of the CPU when the probe fired.',
  epid: 'The enabled probe ID: identifies one clause enabled on one probe.',
  id: 'The ID of the probe that fired, as `dtrace -l` lists it.',
  stackdepth: "The number of frames on the kernel stack where the probe fired.",
  caller: 'The kernel program counter of the function that called the one the probe is in: use `sym(caller)` or `func(caller)` to print its name.',
  probeprov: 'The provider field of the probe that fired (for example `syscall`).',
  probemod: 'The module field of the probe that fired.',
  probefunc: 'The function field of the probe that fired (for a system call probe, the call\'s name).',
  probename: 'The name field of the probe that fired (for example `entry` or `return`).',
  pid: 'The process ID of the current process.',
  tid: 'The thread ID of the current thread (the LWP ID on illumos).',
  execname: 'The name of the program the current process is running (at most 16 characters on most systems), as `ps` shows it.',
  zonename: 'The name of the zone the current process runs in (on FreeBSD, its jail).',
  walltimestamp: 'The time of day in nanoseconds since 00:00 UTC, 1 January 1970; `printf("%Y", walltimestamp)` prints it as a date.',
  ustackdepth: 'The number of frames on the user stack of the current thread.',
  ucaller: 'The user program counter of the function that called the one the probe is in: use `usym(ucaller)` or `ufunc(ucaller)` to print its name.',
  ppid: 'The process ID of the parent of the current process.',
  uid: 'The real user ID of the current process.',
  gid: 'The real group ID of the current process.',
  errno: 'The error value of the last system call the current thread made; in a `syscall:::return` probe, the error of the call returning.',
  execargs: 'The arguments the current process was started with, as one string. FreeBSD.',
  jid: 'The jail ID of the current process. FreeBSD.',
  jailname: 'The jail name of the current process. FreeBSD.',
  cpu: 'The number of the CPU the probe fired on.',
  dispatchqaddr: 'The address of the libdispatch queue the current thread is running work for (0 when none). macOS.',
  machtimestamp: 'The value of `mach_absolute_time()` when the probe fired, in Mach time units (nanoseconds on Intel Macs). macOS.',
};
for (let i = 0; i < 10; i++) {
  (VARIABLE_DOCS as Record<string, string>)[`arg${i}`] =
    `Probe argument ${i} as a raw 64-bit integer, whatever its real type. Prefer \`args[${i}]\`, which has the type the provider declares.`;
}

/** Macro variables other than `$1 ... $N`: what they stand for. */
export const MACRO_DOCS: Readonly<Record<string, string>> = {
  $0: 'The script name as given to dtrace(1) (the program text for `-n`).',
  $target: 'The process ID of the command started with `-c`, or of the process given with `-p`.',
  $pid: 'The process ID of dtrace(1) itself.',
  $ppid: 'The parent process ID of dtrace(1).',
  $pgid: 'The process group ID of dtrace(1).',
  $sid: 'The session ID of dtrace(1).',
  $uid: 'The real user ID of dtrace(1).',
  $gid: 'The real group ID of dtrace(1).',
  $euid: 'The effective user ID of dtrace(1).',
  $egid: 'The effective group ID of dtrace(1).',
  $projid: 'The project ID of dtrace(1) (illumos).',
  $taskid: 'The task ID of dtrace(1) (illumos).',
};

/** What a user needs to know about an option's values beyond its one-line description. */
export const OPTION_NOTES: Readonly<Record<string, string>> = {
  bufsize: 'Raise it (or `switchrate`) when dtrace reports drops.',
  aggsize: 'Raise it when dtrace reports aggregation drops.',
  dynvarsize: 'Raise it when dtrace reports dynamic variable drops; free thread-locals (assign 0) when done with them.',
  specsize: 'Raise it when dtrace reports speculative drops.',
  nspec: 'Raise it when `speculation()` fails for want of a free buffer.',
  strsize: 'Longer strings are cut; raising it costs memory in every string variable and key.',
  switchrate: 'Raise it when the principal buffers fill between two switches (drops with the switch policy).',
  defaultargs: 'Lets a script run without its macro arguments.',
  flowindent: 'Most useful with `fbt` entry and return probes.',
};

/** How the values of an option kind are written. */
export const OPTION_UNITS: Readonly<Record<string, string>> = {
  size: 'bytes; a number with an optional `k`, `m`, `g` or `t` suffix (times 1024 each)',
  time: 'an interval with a unit (`ns`, `us`, `ms`, `s`, `m`, `h`, `d`) or a rate (`100hz`); a bare number is nanoseconds',
  bool: 'a switch: set it with no value (or `yes`/`no`, `on`/`off`, `true`/`false`, `enable`/`disable`, `set`/`unset`)',
  int: 'a number',
  enum: 'one of the words listed',
  string: 'text',
  none: 'a switch without a value',
};
