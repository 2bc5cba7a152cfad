/*
 * sys.d -- the structures and types system calls pass from user space:
 * struct stat, iovec, pollfd, rlimit, rusage, msghdr, timezone,
 * sigset_t and the scalar types of the system-call catalogue, so that
 * copyin(arg1, sizeof (struct stat)) and friends work.
 *
 * One file of the D library our front end compiles before every user
 * script. Written for this project.
 *
 * Flavour: Linux on x86-64 (asm/stat.h, uapi poll.h, resource.h, socket.h,
 * uio.h, the kernel's own sigset_t).
 */

#pragma D depends_on library types.d

typedef unsigned long rlim_t;
typedef unsigned short umode_t;
typedef long long loff_t;
typedef int32_t __s32;
typedef uint32_t __u32;
typedef uint32_t u32;
typedef uint64_t u64;
typedef long __kernel_old_time_t;
typedef unsigned long aio_context_t;
typedef int32_t key_serial_t;
typedef int key_t;
typedef int mqd_t;
typedef uint32_t qid_t;
typedef int rwf_t;
typedef int timer_t;
typedef unsigned int gfp_t;
typedef unsigned int vm_fault_t;
typedef uint8_t blk_status_t;

typedef struct {
	unsigned long sig[1];
} sigset_t;

struct stat {
	unsigned long st_dev;
	unsigned long st_ino;
	unsigned long st_nlink;
	unsigned int st_mode;
	unsigned int st_uid;
	unsigned int st_gid;
	int __pad0;
	unsigned long st_rdev;
	long st_size;
	long st_blksize;
	long st_blocks;
	unsigned long st_atime;
	unsigned long st_atime_nsec;
	unsigned long st_mtime;
	unsigned long st_mtime_nsec;
	unsigned long st_ctime;
	unsigned long st_ctime_nsec;
};

struct iovec {
	void *iov_base;
	size_t iov_len;
};

struct pollfd {
	int fd;
	short events;
	short revents;
};

struct rlimit {
	rlim_t rlim_cur;
	rlim_t rlim_max;
};

struct rusage {
	struct timeval ru_utime;
	struct timeval ru_stime;
	long ru_maxrss;
	long ru_ixrss;
	long ru_idrss;
	long ru_isrss;
	long ru_minflt;
	long ru_majflt;
	long ru_nswap;
	long ru_inblock;
	long ru_oublock;
	long ru_msgsnd;
	long ru_msgrcv;
	long ru_nsignals;
	long ru_nvcsw;
	long ru_nivcsw;
};

struct timezone {
	int tz_minuteswest;
	int tz_dsttime;
};

struct msghdr {
	void *msg_name;
	socklen_t msg_namelen;
	struct iovec *msg_iov;
	size_t msg_iovlen;
	void *msg_control;
	size_t msg_controllen;
	int msg_flags;
};
