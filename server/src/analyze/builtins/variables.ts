// Built-in variables: name, D type (as text, parsed against the type table), DIF variable id.
// Facts from the DTrace identifier table (reference section 3); all are read-only.
export interface BuiltinVariable {
  name: string;
  type: string;
  id: number;
  doc: string;
}

const v = (name: string, type: string, id: number, doc: string): BuiltinVariable => ({ name, type, id, doc });

export const BUILTIN_VARIABLES: readonly BuiltinVariable[] = [
  v('curthread', 'kthread_t *', 0x100, 'The kernel thread structure of the thread that fired the probe.'),
  v('timestamp', 'uint64_t', 0x101, 'Nanoseconds since an arbitrary point in the past; monotonic.'),
  v('vtimestamp', 'uint64_t', 0x102, 'Nanoseconds the current thread has been on CPU, less time spent in DTrace.'),
  v('ipl', 'uint_t', 0x103, 'The interrupt priority level when the probe fired.'),
  v('epid', 'uint_t', 0x104, 'The enabled probe ID (this clause on this probe).'),
  v('id', 'uint_t', 0x105, 'The probe ID.'),
  ...Array.from({ length: 10 }, (_, i) => v(`arg${i}`, 'int64_t', 0x106 + i, `Probe argument ${i}, untyped (64-bit integer).`)),
  v('stackdepth', 'uint32_t', 0x110, 'Depth of the kernel stack at the probe.'),
  v('caller', 'uintptr_t', 0x111, 'Program counter of the kernel function that called the probed one.'),
  v('probeprov', 'string', 0x112, 'Provider field of the probe that fired.'),
  v('probemod', 'string', 0x113, 'Module field of the probe that fired.'),
  v('probefunc', 'string', 0x114, 'Function field of the probe that fired.'),
  v('probename', 'string', 0x115, 'Name field of the probe that fired.'),
  v('pid', 'pid_t', 0x116, 'Process ID of the current process.'),
  v('tid', 'id_t', 0x117, 'Thread ID of the current thread.'),
  v('execname', 'string', 0x118, 'Name of the program the current process runs.'),
  v('zonename', 'string', 0x119, 'Name of the zone (FreeBSD: jail) of the current process.'),
  v('walltimestamp', 'int64_t', 0x11a, 'Nanoseconds since 00:00 UTC, January 1, 1970.'),
  v('ustackdepth', 'uint32_t', 0x11b, 'Depth of the user stack at the probe.'),
  v('ucaller', 'uint64_t', 0x11c, 'Program counter of the user function that called the probed one.'),
  v('ppid', 'pid_t', 0x11d, 'Parent process ID of the current process.'),
  v('uid', 'uid_t', 0x11e, 'Real user ID of the current process.'),
  v('gid', 'gid_t', 0x11f, 'Real group ID of the current process.'),
  v('errno', 'int', 0x120, 'Error value of the last system call of the current thread.'),
  v('execargs', 'string', 0x121, 'Arguments the current process was executed with (FreeBSD).'),
  v('jid', 'int', 0x122, 'Jail ID of the current process (FreeBSD).'),
  v('jailname', 'string', 0x123, 'Jail name of the current process (FreeBSD).'),
  v('cpu', 'int', 0x200, 'The CPU the probe fired on.'),
  // Apple's additions (ids from macOS's <sys/dtrace.h>, 0x200 and up on that system).
  v('dispatchqaddr', 'uint64_t', 0x201, 'Address of the libdispatch queue the current thread runs (macOS).'),
  v('machtimestamp', 'uint64_t', 0x202, 'mach_absolute_time() when the probe fired, in Mach time units (macOS).'),
];

/** `args[]`, `regs[]`, `uregs[]`: arrays whose element type depends on the probe or register. */
export const BUILTIN_ARRAYS = new Map<string, { id: number; doc: string }>([
  ['args', { id: 0x0, doc: "The probe's typed arguments; types come from the provider (and its translators)." }],
  ['uregs', { id: 0x2, doc: "The user thread's saved registers, indexed by the constants of regs.d (R_PC, R_SP ...)." }],
]);
