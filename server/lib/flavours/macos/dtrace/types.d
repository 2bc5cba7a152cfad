/*
 * types.d -- system typedefs that the other library files and user
 * scripts name.
 *
 * One file of the D library our front end compiles before every user
 * script. Written for this project.
 *
 * Flavour: macOS (XNU, LP64), widths from sys/_types.h. The built-in D
 * typedefs (int8_t..uint64_t, intptr_t, uintptr_t, size_t, ssize_t,
 * ptrdiff_t, uchar_t, ushort_t, uint_t, ulong_t, u_longlong_t, id_t,
 * pid_t) come from the compiler itself.
 */

typedef unsigned char u_char;
typedef unsigned short u_short;
typedef unsigned int u_int;
typedef unsigned long u_long;
typedef int64_t user_addr_t;
typedef uint64_t user_size_t;
typedef int boolean_t;
typedef int kern_return_t;
typedef int errno_t;
typedef uintptr_t vm_offset_t;
typedef uintptr_t vm_size_t;
typedef uint64_t vm_map_offset_t;
typedef int vm_prot_t;
typedef uint16_t vm_tag_t;
typedef int wait_result_t;
typedef void *event_t;
typedef uint32_t ast_t;

typedef uint32_t uid_t;
typedef uint32_t gid_t;
typedef id_t lwpid_t;
typedef id_t taskid_t;
typedef id_t projid_t;
typedef id_t poolid_t;
typedef id_t zoneid_t;
typedef int processorid_t;
typedef int psetid_t;
typedef int chipid_t;
typedef id_t lgrp_id_t;

typedef int32_t dev_t;
typedef uint64_t ino_t;
typedef int64_t off_t;
typedef int64_t offset_t;
typedef int64_t daddr64_t;
typedef uint16_t mode_t;
typedef char *caddr_t;

typedef long time_t;
typedef long long hrtime_t;
typedef int32_t suseconds_t;

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
