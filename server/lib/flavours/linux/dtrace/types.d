/*
 * types.d -- system typedefs that the replay flavour's library files and
 * user scripts name.
 *
 * One file of the D library our front end compiles before every user
 * script. Written for this project.
 *
 * Flavour: Linux on x86-64 (LP64), widths from the kernel's
 * posix_types.h. Traces of this flavour come from strace, so there is no
 * kernel to describe: only the types the replayed system calls and the
 * proc provider need.
 */

typedef uint32_t uid_t;
typedef uint32_t gid_t;
typedef int32_t lwpid_t;
typedef id_t taskid_t;
typedef id_t projid_t;
typedef id_t poolid_t;
typedef id_t zoneid_t;
typedef int processorid_t;
typedef int psetid_t;
typedef uint64_t dev_t;
typedef uint64_t ino_t;
typedef int64_t off_t;
typedef int64_t offset_t;
typedef uint32_t mode_t;
typedef uint32_t socklen_t;
typedef char *caddr_t;
typedef long time_t;
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
