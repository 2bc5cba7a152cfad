/*
 * sys.d -- the structures and types system calls pass from user space:
 * struct stat, pollfd, rlimit, rusage, msghdr, timezone, sigset_t
 * (struct iovec is in kernel.d) and the scalar types of the
 * system-call catalogue, so that copyin(arg1, sizeof (struct stat))
 * and friends work.
 *
 * One file of the D library our front end compiles before every user
 * script. Written for this project.
 *
 * Flavour: FreeBSD (sys/stat.h, sys/poll.h, sys/resource.h, sys/socket.h,
 * sys/uio.h, sys/signal.h).
 */

#pragma D depends_on library types.d
#pragma D depends_on library kernel.d

typedef int64_t rlim_t;
typedef uint32_t __socklen_t;
typedef int acl_type_t;
typedef int cpulevel_t;
typedef int cpuwhich_t;
typedef int cpusetid_t;
typedef int idtype_t;
typedef long key_t;
typedef uint64_t ffcounter;
typedef intptr_t semid_t;

typedef struct __sigset {
	uint32_t __bits[4];
} sigset_t;

struct stat {
	dev_t st_dev;
	ino_t st_ino;
	nlink_t st_nlink;
	mode_t st_mode;
	int16_t st_padding0;
	uid_t st_uid;
	gid_t st_gid;
	int32_t st_padding1;
	dev_t st_rdev;
	struct timespec st_atim;
	struct timespec st_mtim;
	struct timespec st_ctim;
	struct timespec st_birthtim;
	off_t st_size;
	blkcnt_t st_blocks;
	blksize_t st_blksize;
	fflags_t st_flags;
	uint64_t st_gen;
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
