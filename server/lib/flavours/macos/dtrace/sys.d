/*
 * sys.d -- the structures and types system calls pass from user space:
 * struct stat, iovec, pollfd, rlimit, rusage, msghdr, timezone,
 * sigset_t and the scalar types of the system-call catalogue, so that
 * copyin(arg1, sizeof (struct stat)) and friends work.
 *
 * One file of the D library our front end compiles before every user
 * script. Written for this project.
 *
 * Flavour: macOS (sys/stat.h with 64-bit inodes, sys/poll.h, sys/resource.h,
 * sys/socket.h, sys/uio.h, sys/signal.h).
 */

#pragma D depends_on library types.d

typedef uint64_t rlim_t;
typedef uint32_t socklen_t;
typedef uint16_t nlink_t;
typedef int64_t blkcnt_t;
typedef int32_t blksize_t;
typedef uint32_t u_int32_t;
typedef int64_t user_ssize_t;
typedef pid_t au_asid_t;
typedef uid_t au_id_t;
typedef uint64_t guardid_t;
typedef int idtype_t;
typedef int32_t key_t;
typedef uint32_t mach_port_name_t;
typedef uint32_t sae_associd_t;
typedef uint32_t sae_connid_t;
typedef int sem_t;
typedef uint32_t sigset_t;
typedef unsigned char uuid_t[16];

struct stat {
	dev_t st_dev;
	mode_t st_mode;
	nlink_t st_nlink;
	ino_t st_ino;
	uid_t st_uid;
	gid_t st_gid;
	dev_t st_rdev;
	struct timespec st_atimespec;
	struct timespec st_mtimespec;
	struct timespec st_ctimespec;
	struct timespec st_birthtimespec;
	off_t st_size;
	blkcnt_t st_blocks;
	blksize_t st_blksize;
	uint32_t st_flags;
	uint32_t st_gen;
	int32_t st_lspare;
	int64_t st_qspare[2];
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
	int msg_iovlen;
	void *msg_control;
	socklen_t msg_controllen;
	int msg_flags;
};
