/*
 * types.d -- system typedefs that the other library files and user
 * scripts name.
 *
 * One file of the D library our front end compiles before every user
 * script, in the role DTrace gives to /usr/lib/dtrace (-xsyslibdir).
 * Written for this project.
 *
 * Flavour: illumos on amd64 (LP64), widths from sys/types.h and
 * sys/int_types.h. The built-in D typedefs (int8_t..uint64_t, intptr_t,
 * uintptr_t, size_t, ssize_t, ptrdiff_t, uchar_t, ushort_t, uint_t,
 * ulong_t, u_longlong_t, id_t, pid_t) come from the compiler itself.
 */

typedef unsigned char u_char;
typedef unsigned short u_short;
typedef unsigned int u_int;
typedef unsigned long u_long;
typedef int64_t longlong_t;
typedef int boolean_t;
typedef short pri_t;
typedef uchar_t lock_t;
typedef int32_t daddr32_t;
typedef longlong_t lldaddr_t;
typedef u_longlong_t u_offset_t;
typedef u_longlong_t rlim64_t;
typedef int faultcode_t;
typedef int krw_t;

/* Who: credentials and the ids that group processes. */
typedef uint32_t uid_t;
typedef uint32_t gid_t;
typedef uint_t lwpid_t;
typedef id_t taskid_t;
typedef id_t projid_t;
typedef id_t poolid_t;
typedef id_t zoneid_t;
typedef id_t ctid_t;

/* Where: processors, processor sets, chips and locality groups. */
typedef int processorid_t;
typedef int psetid_t;
typedef int chipid_t;
typedef id_t lgrp_id_t;

/* Storage: devices, inodes, offsets and block numbers. */
typedef ulong_t dev_t;
typedef ulong_t major_t;
typedef ulong_t minor_t;
typedef ulong_t ino_t;
typedef long off_t;
typedef longlong_t offset_t;
typedef longlong_t diskaddr_t;
typedef long daddr_t;
typedef uint_t mode_t;
typedef uint_t nlink_t;
typedef long blksize_t;
typedef long blkcnt_t;

/* Addresses and sizes. */
typedef char *caddr_t;
typedef ulong_t pgcnt_t;
typedef long spgcnt_t;
typedef ulong_t pfn_t;
typedef uint32_t ipaddr_t;
typedef uint16_t in_port_t;
typedef uint16_t sa_family_t;
typedef uint32_t socklen_t;

/* When: seconds since the epoch, nanosecond counters, timespecs. */
typedef long time_t;
typedef long clock_t;
typedef long long hrtime_t;
typedef long suseconds_t;
typedef int clockid_t;

struct timespec {
	time_t tv_sec;
	long tv_nsec;
};

struct timeval {
	time_t tv_sec;
	suseconds_t tv_usec;
};

typedef struct timespec timespec_t;
typedef struct timespec timestruc_t;
