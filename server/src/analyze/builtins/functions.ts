// Subroutines, actions and aggregating functions with their prototypes, in the notation of
// DTrace's identifier table: `@` is one argument of any type, `[T]` an optional argument,
// `...` more arguments. Prototypes are facts from that table; docs are ours.
import type { Flavour } from '../flavour/flavours';

export type FunctionKind = 'subroutine' | 'action' | 'aggregating';

export interface BuiltinFunction {
  name: string;
  kind: FunctionKind;
  /** `string(uintptr_t, [size_t])`; `stack(...)` and `_symaddr(...)` are the special returns. */
  prototype: string;
  destructive?: boolean;
  /** Records data into the principal buffer (for the speculation ordering rules). */
  recordsData?: boolean;
  doc: string;
  /** Only these systems' DTrace has it (elsewhere a call is an undefined function). */
  only?: readonly Flavour[];
}

const FREEBSD_ONLY: readonly Flavour[] = ['freebsd'];
const freebsd = (f: BuiltinFunction): BuiltinFunction => ({ ...f, only: FREEBSD_ONLY });

const s = (name: string, prototype: string, doc: string, destructive = false): BuiltinFunction => ({
  name,
  kind: 'subroutine',
  prototype,
  doc,
  ...(destructive ? { destructive } : {}),
});
const a = (name: string, prototype: string, doc: string, flags: { destructive?: boolean; recordsData?: boolean } = {}): BuiltinFunction => ({
  name,
  kind: 'action',
  prototype,
  doc,
  ...flags,
});
const g = (name: string, prototype: string, doc: string): BuiltinFunction => ({ name, kind: 'aggregating', prototype, doc });

export const BUILTIN_FUNCTIONS: readonly BuiltinFunction[] = [
  s('alloca', 'void *(size_t)', 'Allocates scratch memory for the rest of this clause.'),
  s('basename', 'string(const char *)', 'The last component of a path.'),
  s('bcopy', 'void(void *, void *, size_t)', 'Copies bytes into scratch memory.'),
  s('cleanpath', 'string(const char *)', 'A path with `//`, `.` and `..` folded.'),
  s('copyin', 'void *(uintptr_t, size_t)', 'Copies bytes from the current process into scratch memory.'),
  s('copyinstr', 'string(uintptr_t, [size_t])', 'Copies a NUL-terminated string from the current process.'),
  s('copyinto', 'void(uintptr_t, size_t, void *)', 'Copies bytes from the current process into a scratch buffer.'),
  s('copyout', 'void(void *, uintptr_t, size_t)', 'Writes bytes into the current process.', true),
  s('copyoutstr', 'void(char *, uintptr_t, size_t)', 'Writes a string into the current process.', true),
  s('ddi_pathname', 'string(void *, int64_t)', 'The device path of a dev_info node (illumos).'),
  s('dirname', 'string(const char *)', 'All but the last component of a path.'),
  s('getmajor', 'major_t(dev_t)', 'The major number of a device.'),
  s('getminor', 'minor_t(dev_t)', 'The minor number of a device.'),
  s('getf', 'file_t *(int)', 'The file structure of a file descriptor of the current process.'),
  s('htonl', 'uint32_t(uint32_t)', 'Host to network byte order, 32 bits.'),
  s('htonll', 'uint64_t(uint64_t)', 'Host to network byte order, 64 bits.'),
  s('htons', 'uint16_t(uint16_t)', 'Host to network byte order, 16 bits.'),
  s('index', 'int(const char *, const char *, [int])', 'Position of the first occurrence of a substring, or -1.'),
  s('inet_ntoa', 'string(ipaddr_t *)', 'An IPv4 address as dotted decimal.'),
  s('inet_ntoa6', 'string(in6_addr_t *)', 'An IPv6 address as text.'),
  s('inet_ntop', 'string(int, void *)', 'An IPv4 or IPv6 address as text.'),
  s('json', 'string(const char *, const char *)', 'The value at a key path of a JSON document.'),
  s('lltostr', 'string(int64_t, [int])', 'An integer as a string, in base 2 to 36.'),
  freebsd(s('memref', 'uintptr_t *(void *, size_t)', 'A memory reference for printm() (FreeBSD).')),
  freebsd(s('memstr', 'string(void *, char, size_t)', 'A memory range as a string, NUL bytes replaced (FreeBSD).')),
  s('msgdsize', 'size_t(mblk_t *)', 'Bytes of data in a STREAMS message (illumos).'),
  s('msgsize', 'size_t(mblk_t *)', 'Bytes in a STREAMS message (illumos).'),
  s('mutex_owned', 'int(kmutex_t *)', 'Whether the current thread holds a kernel mutex.'),
  s('mutex_owner', 'kthread_t *(kmutex_t *)', 'The thread that holds a kernel mutex.'),
  s('mutex_type_adaptive', 'int(kmutex_t *)', 'Whether a kernel mutex is adaptive.'),
  s('mutex_type_spin', 'int(kmutex_t *)', 'Whether a kernel mutex is a spin mutex.'),
  s('ntohl', 'uint32_t(uint32_t)', 'Network to host byte order, 32 bits.'),
  s('ntohll', 'uint64_t(uint64_t)', 'Network to host byte order, 64 bits.'),
  s('ntohs', 'uint16_t(uint16_t)', 'Network to host byte order, 16 bits.'),
  s('progenyof', 'int(pid_t)', 'Whether the current process descends from a process.'),
  s('rand', 'int()', 'A pseudo-random integer.'),
  s('rindex', 'int(const char *, const char *, [int])', 'Position of the last occurrence of a substring, or -1.'),
  s('rw_iswriter', 'int(krwlock_t *)', 'Whether a reader-writer lock is held or wanted by a writer.'),
  s('rw_read_held', 'int(krwlock_t *)', 'Whether a reader-writer lock is held by a reader.'),
  s('rw_write_held', 'int(krwlock_t *)', 'Whether a reader-writer lock is held by a writer.'),
  freebsd(s('sx_exclusive_held', 'int(struct sx *)', 'Whether a shared/exclusive lock is held exclusively (FreeBSD).')),
  freebsd(s('sx_isexclusive', 'int(struct sx *)', 'Whether a shared/exclusive lock is in exclusive mode (FreeBSD).')),
  freebsd(s('sx_shared_held', 'int(struct sx *)', 'Whether a shared/exclusive lock is held shared (FreeBSD).')),
  s('speculation', 'int()', 'Reserves a speculative buffer; 0 when none is free.'),
  s('strchr', 'string(const char *, char)', 'The string from the first occurrence of a character.'),
  s('strjoin', 'string(const char *, const char *)', 'Two strings joined.'),
  s('strlen', 'size_t(const char *)', 'The length of a string.'),
  s('strrchr', 'string(const char *, char)', 'The string from the last occurrence of a character.'),
  s('strstr', 'string(const char *, const char *)', 'The string from the first occurrence of a substring.'),
  s('strtok', 'string(const char *, const char *)', 'The next token of a string (NULL first argument continues).'),
  s('strtoll', 'int64_t(const char *, [int])', 'A string parsed as an integer.'),
  s('substr', 'string(const char *, int, [int])', 'A substring by position and length.'),
  s('tolower', 'string(const char *)', 'A string in lower case.'),
  s('toupper', 'string(const char *)', 'A string in upper case.'),

  a('breakpoint', 'void()', 'Stops the kernel in its debugger.', { destructive: true }),
  a('chill', 'void(int)', 'Spins for the given number of nanoseconds.', { destructive: true }),
  a('clear', 'void(...)', "Clears an aggregation's values, keeping its keys."),
  a('commit', 'void(int)', 'Commits a speculative buffer.'),
  a('denormalize', 'void(...)', "Removes an aggregation's normalization."),
  a('discard', 'void(int)', 'Discards a speculative buffer.'),
  a('exit', 'void(int)', 'Stops tracing and exits with the given status.', { recordsData: true }),
  a('freopen', 'void(@, ...)', 'Sends further output to a file.', { destructive: true, recordsData: true }),
  a('ftruncate', 'void()', 'Truncates the output file.', { recordsData: true }),
  a('func', '_symaddr(uintptr_t)', 'Records a kernel address, printed as its function.', { recordsData: true }),
  a('jstack', 'stack(...)', 'Records a user stack with Java frames.', { recordsData: true }),
  a('mod', '_symaddr(uintptr_t)', 'Records a kernel address, printed as its module.', { recordsData: true }),
  a('normalize', 'void(...)', "Divides an aggregation's values when printed."),
  a('panic', 'void()', 'Panics the kernel.', { destructive: true }),
  a('print', 'void(@)', 'Records a value, printed according to its type.', { recordsData: true }),
  a('printa', 'void(@, ...)', 'Prints aggregations.', { recordsData: true }),
  a('printf', 'void(@, ...)', 'Prints formatted data.', { recordsData: true }),
  a('printm', 'void(size_t, uintptr_t *)', 'Prints memory (FreeBSD).', { recordsData: true }),
  a('raise', 'void(int)', 'Sends a signal to the current process.', { destructive: true }),
  a('setopt', 'void(const char *, [const char *])', 'Sets a dynamic option while tracing.'),
  a('speculate', 'void(int)', 'Sends the rest of this clause to a speculative buffer.'),
  a('stack', 'stack(...)', 'Records the kernel stack.', { recordsData: true }),
  a('stop', 'void()', 'Stops the current process.', { destructive: true }),
  a('sym', '_symaddr(uintptr_t)', 'Records a kernel address, printed as its symbol.', { recordsData: true }),
  a('system', 'void(@, ...)', 'Runs a shell command.', { destructive: true, recordsData: true }),
  a('trace', 'void(@)', 'Records a value.', { recordsData: true }),
  a('tracemem', 'void(@, size_t, ...)', 'Records bytes of memory.', { recordsData: true }),
  a('trunc', 'void(...)', 'Truncates an aggregation to its top (or bottom) entries.'),
  a('uaddr', '_usymaddr(uintptr_t)', 'Records a user address, printed with its symbol and offset.', { recordsData: true }),
  a('ufunc', '_usymaddr(uintptr_t)', 'Records a user address, printed as its function.', { recordsData: true }),
  a('umod', '_usymaddr(uintptr_t)', 'Records a user address, printed as its module.', { recordsData: true }),
  a('ustack', 'stack(...)', 'Records the user stack.', { recordsData: true }),
  a('usym', '_usymaddr(uintptr_t)', 'Records a user address, printed as its symbol.', { recordsData: true }),

  g('avg', 'void(@)', 'The average of the values.'),
  g('count', 'void()', 'The number of times called.'),
  g('llquantize', 'void(@, int32_t, int32_t, int32_t, int32_t, ...)', 'A log-linear frequency distribution.'),
  g('lquantize', 'void(@, int32_t, int32_t, ...)', 'A linear frequency distribution.'),
  g('max', 'void(@)', 'The largest value.'),
  g('min', 'void(@)', 'The smallest value.'),
  g('quantize', 'void(@, ...)', 'A power-of-two frequency distribution.'),
  g('stddev', 'void(@)', 'The standard deviation of the values.'),
  g('sum', 'void(@)', 'The total of the values.'),
];

export const FUNCTIONS_BY_NAME = new Map(BUILTIN_FUNCTIONS.map((f) => [f.name, f]));
