/*
 * types.d -- system typedefs that the other library files and user
 * scripts name.
 *
 * One file of the D library our front end compiles before every user
 * script, in the role DTrace gives to /usr/lib/dtrace (-xsyslibdir).
 * Written for this project.
 *
 * Flavour: FreeBSD on amd64 (LP64), widths from sys/_types.h. The
 * built-in D typedefs (int8_t..uint64_t, intptr_t, uintptr_t, size_t,
 * ssize_t, ptrdiff_t, uchar_t, ushort_t, uint_t, ulong_t, u_longlong_t,
 * id_t, pid_t) come from the compiler itself and are not repeated here.
 * The illumos-style ids (taskid_t, projid_t, poolid_t, zoneid_t,
 * processorid_t, psetid_t) exist because psinfo_t and cpuinfo_t keep
 * their illumos member types on every system.
 */

/* BSD spellings of the unsigned types. */
typedef unsigned char u_char;
typedef unsigned short u_short;
typedef unsigned int u_int;
typedef unsigned long u_long;
typedef uint8_t u_int8_t;
typedef uint16_t u_int16_t;
typedef uint32_t u_int32_t;
typedef uint64_t u_int64_t;
typedef uint64_t u_quad_t;
typedef int64_t quad_t;

/* Who: credentials and the ids that group processes. */
typedef uint32_t uid_t;
typedef uint32_t gid_t;
typedef int32_t lwpid_t;
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
typedef uint16_t mode_t;
typedef uint64_t nlink_t;
typedef uint32_t fflags_t;
typedef int64_t blkcnt_t;
typedef int32_t blksize_t;
typedef int accmode_t;
typedef _Bool bool;
typedef int boolean_t;
typedef int64_t ufs2_daddr_t;
typedef int objtype_t;

/* Virtual memory: addresses, sizes, page indices and protections. */
typedef uint64_t vm_offset_t;
typedef uint64_t vm_size_t;
typedef uint64_t vm_paddr_t;
typedef uint64_t vm_pindex_t;
typedef uint64_t vm_ooffset_t;
typedef u_char vm_prot_t;
typedef int64_t segsz_t;
typedef int64_t register_t;

/* Sockets and Internet addresses. */
typedef uint8_t sa_family_t;
typedef uint32_t in_addr_t;
typedef uint16_t in_port_t;
typedef uint32_t socklen_t;

/* Processors, as cpuinfo_t describes them. */
typedef int chipid_t;
typedef int lgrp_id_t;

/* A byte address that C code does arithmetic on. */
typedef char *caddr_t;

/* When: seconds since the epoch, nanosecond counters, and a timespec. */
typedef long time_t;
typedef long long hrtime_t;
typedef long suseconds_t;
typedef int clockid_t;
typedef int64_t sbintime_t;

struct timespec {
	time_t tv_sec;
	long tv_nsec;
};

struct timeval {
	time_t tv_sec;
	suseconds_t tv_usec;
};

/* The kernel's 64.64 fixed-point time (bio_t0, td_runtime sums). */
struct bintime {
	time_t sec;
	uint64_t frac;
};

typedef struct timespec timespec_t;
typedef struct timespec timestruc_t;
