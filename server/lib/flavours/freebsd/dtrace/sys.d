/*
 * sys.d -- the structures and types system calls pass from user space:
 * struct stat, pollfd, rlimit, rusage, msghdr, timezone, sigset_t, the
 * fd_set and cpuset bit sets, timers, signal actions and stacks,
 * scheduling parameters, kevent, semaphores, message queues and UUIDs
 * (struct iovec is in kernel.d) and the scalar types of the
 * system-call catalogue, so that copyin(arg1, sizeof (struct stat))
 * and friends work.
 *
 * One file of the D library our front end compiles before every user
 * script. Written for this project.
 *
 * Flavour: FreeBSD (sys/stat.h, sys/poll.h, sys/resource.h, sys/socket.h,
 * sys/uio.h, sys/signal.h, sys/select.h, sys/_cpuset.h, sys/_domainset.h,
 * sys/time.h, sys/timespec.h, sys/sched.h, sys/rtprio.h, sys/event.h,
 * sys/sem.h, sys/mqueue.h, sys/uuid.h).
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

/*
 * Bit sets: select(2)'s descriptors (FD_SETSIZE, 1024), cpuset(2)'s CPUs
 * (CPU_SETSIZE, 1024) and memory domains (DOMAINSET_SETSIZE, 256).
 */
typedef struct fd_set {
	u_long __fds_bits[16];
} fd_set;

typedef struct _cpuset {
	long __bits[16];
} cpuset_t;

typedef struct _domainset {
	long __bits[4];
} domainset_t;

/* Timers: setitimer(2) and the POSIX timer_settime(2). */
struct itimerval {
	struct timeval it_interval;
	struct timeval it_value;
};

struct itimerspec {
	struct timespec it_interval;
	struct timespec it_value;
};

/*
 * Signal handling. The handler union holds a function pointer in C (a
 * plain or a siginfo handler); here it is a pointer of either kind.
 */
struct sigaction {
	union {
		void *__sa_handler;
		void *__sa_sigaction;
	} __sigaction_u;
	int sa_flags;
	sigset_t sa_mask;
};

typedef struct sigaltstack {
	void *ss_sp;
	size_t ss_size;
	int ss_flags;
} stack_t;

/* Scheduling parameters of sched_setparam(2) and rtprio(2). */
struct sched_param {
	int sched_priority;
};

struct rtprio {
	u_short type;
	u_short prio;
};

/* An event of kqueue(2) (the layout of FreeBSD 12 and later). */
struct kevent {
	uintptr_t ident;
	short filter;
	u_short flags;
	u_int fflags;
	int64_t data;
	void *udata;
	uint64_t ext[4];
};

/* System V semaphores and POSIX message queues. */
struct sembuf {
	u_short sem_num;
	short sem_op;
	short sem_flg;
};

union semun {
	int val;
	struct semid_ds *buf;
	u_short *array;
};

struct mq_attr {
	long mq_flags;
	long mq_maxmsg;
	long mq_msgsize;
	long mq_curmsgs;
	long __reserved[4];
};

/* A DCE 1.1 UUID, as uuidgen(2) fills it. */
struct uuid {
	uint32_t time_low;
	uint16_t time_mid;
	uint16_t time_hi_and_version;
	uint8_t clock_seq_hi_and_reserved;
	uint8_t clock_seq_low;
	uint8_t node[6];
};
