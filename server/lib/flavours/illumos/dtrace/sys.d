/*
 * sys.d -- the structures and types system calls pass from user space:
 * struct stat (and stat64), pollfd, rlimit, rusage, msghdr, timezone,
 * sigset_t (iovec_t is in kernel.d) and the scalar types of the
 * system-call catalogue, so that copyin(arg1, sizeof (struct stat)) and
 * friends work.
 *
 * One file of the D library our front end compiles before every user
 * script. Written for this project.
 *
 * Flavour: illumos (sys/stat.h, sys/poll.h, sys/resource.h, sys/socket.h,
 * sys/uio.h, sys/signal.h), for 64-bit processes.
 */

#pragma D depends_on library types.d
#pragma D depends_on library kernel.d
#pragma D depends_on library socket.d

typedef u_longlong_t rlim_t;
typedef int idtype_t;
typedef int key_t;

typedef struct {
	uint_t __sigbits[4];
} sigset_t;

struct stat {
	dev_t st_dev;
	ino_t st_ino;
	mode_t st_mode;
	nlink_t st_nlink;
	uid_t st_uid;
	gid_t st_gid;
	dev_t st_rdev;
	off_t st_size;
	timestruc_t st_atim;
	timestruc_t st_mtim;
	timestruc_t st_ctim;
	blksize_t st_blksize;
	blkcnt_t st_blocks;
	char st_fstype[16];
};

/*
 * What stat64(2) and its relatives fill in: a 64-bit process's stat64
 * has the very members of its stat (the large-file names exist for
 * 32-bit programs).
 */
struct stat64 {
	dev_t st_dev;
	ino_t st_ino;
	mode_t st_mode;
	nlink_t st_nlink;
	uid_t st_uid;
	gid_t st_gid;
	dev_t st_rdev;
	off_t st_size;
	timestruc_t st_atim;
	timestruc_t st_mtim;
	timestruc_t st_ctim;
	blksize_t st_blksize;
	blkcnt_t st_blocks;
	char st_fstype[16];
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
