/*
 * sys.d -- the structures and types system calls pass from user space:
 * struct stat, iovec, pollfd, rlimit, rusage, msghdr, timezone,
 * sigset_t, siginfo_t, signal actions and stacks, itimerval, kevents,
 * semaphores, file handles, connectx(2)'s endpoints and the scalar types
 * of the system-call catalogue, so that
 * copyin(arg1, sizeof (struct stat)) and friends work.
 *
 * One file of the D library our front end compiles before every user
 * script. Written for this project.
 *
 * Flavour: macOS (sys/stat.h with 64-bit inodes, sys/poll.h, sys/resource.h,
 * sys/socket.h, sys/uio.h, sys/signal.h, sys/time.h, sys/event.h,
 * sys/sem.h, sys/mount.h).
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

/* Signal information (the proc provider's and waitid(2)'s siginfo_t). */
union sigval {
	int sival_int;
	void *sival_ptr;
};

typedef struct __siginfo {
	int si_signo;
	int si_errno;
	int si_code;
	pid_t si_pid;
	uid_t si_uid;
	int si_status;
	void *si_addr;
	union sigval si_value;
	long si_band;
	unsigned long __pad[7];
} siginfo_t;

/*
 * Signal actions: the caller's (sigaction) and the one the C library
 * hands the kernel with its trampoline (__sigaction). The handler is a
 * function pointer in C, a plain pointer here.
 */
struct sigaction {
	void *__sigaction_u;
	sigset_t sa_mask;
	int sa_flags;
};

struct __sigaction {
	void *__sigaction_u;
	void *sa_tramp;
	sigset_t sa_mask;
	int sa_flags;
};

struct sigaltstack {
	void *ss_sp;
	size_t ss_size;
	int ss_flags;
};

/* setitimer(2). */
struct itimerval {
	struct timeval it_interval;
	struct timeval it_value;
};

/* Events of kevent(2) and kevent64(2). */
struct kevent {
	uintptr_t ident;
	int16_t filter;
	uint16_t flags;
	uint32_t fflags;
	intptr_t data;
	void *udata;
};

struct kevent64_s {
	uint64_t ident;
	int16_t filter;
	uint16_t flags;
	uint32_t fflags;
	int64_t data;
	uint64_t udata;
	uint64_t ext[2];
};

/* System V semaphores. */
struct sembuf {
	unsigned short sem_num;
	short sem_op;
	short sem_flg;
};

typedef union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
} semun_t;

/* An NFS file handle (getfh(2), fhopen(2)): up to NFSV4_MAX_FH_SIZE bytes. */
typedef struct fhandle {
	unsigned int fh_len;
	unsigned char fh_data[128];
} fhandle_t;

/* connectx(2)'s endpoints. */
typedef struct sa_endpoints {
	unsigned int sae_srcif;
	const struct sockaddr *sae_srcaddr;
	socklen_t sae_srcaddrlen;
	const struct sockaddr *sae_dstaddr;
	socklen_t sae_dstaddrlen;
} sa_endpoints_t;
