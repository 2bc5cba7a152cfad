/*
 * types.d -- system typedefs that the other library files and user
 * scripts name.
 *
 * One file of the D library our front end compiles before every user
 * script, in the role DTrace gives to /usr/lib/dtrace (-xsyslibdir).
 * Written for this project.
 *
 * Flavour: a single generic LP64 system, FreeBSD-like where the systems
 * disagree. The built-in D typedefs (int8_t..uint64_t, intptr_t,
 * uintptr_t, size_t, ssize_t, ptrdiff_t, uchar_t, ushort_t, uint_t,
 * ulong_t, u_longlong_t, id_t, pid_t) come from the compiler itself and
 * are not repeated here. Per-flavour catalogues (illumos, FreeBSD,
 * macOS, Linux) arrive later and will replace the widths chosen below.
 */

/* Who: credentials and the ids that group processes. */
typedef uint32_t uid_t;
typedef uint32_t gid_t;
typedef int lwpid_t;
typedef id_t taskid_t;
typedef id_t projid_t;
typedef id_t poolid_t;
typedef id_t zoneid_t;

/* Where: processors and processor sets. */
typedef int processorid_t;
typedef int psetid_t;

/* Storage: devices, inodes, offsets and block numbers, all 64-bit. */
typedef uint64_t dev_t;
typedef uint64_t ino_t;
typedef int64_t off_t;
typedef long long offset_t;
typedef int64_t daddr_t;

/* A byte address that C code does arithmetic on. */
typedef char *caddr_t;

/* When: seconds since the epoch, nanosecond counters, and a timespec. */
typedef long time_t;
typedef long long hrtime_t;

struct timespec {
	time_t tv_sec;
	long tv_nsec;
};

typedef struct timespec timespec_t;
typedef struct timespec timestruc_t;
