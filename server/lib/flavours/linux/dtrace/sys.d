/*
 * sys.d -- the structures and types system calls pass from user space:
 * struct stat, iovec, pollfd, rlimit, rusage, msghdr, timezone,
 * sigset_t, fd_set, the capability sets, the kernel's time structures,
 * epoll events, signal stacks, scheduling parameters, openat2(2)'s
 * request, semaphores, message queues, uname(2) and sysinfo(2), and the
 * scalar types of the system-call catalogue, so that
 * copyin(arg1, sizeof (struct stat)) and friends work.
 *
 * One file of the D library our front end compiles before every user
 * script. Written for this project.
 *
 * Flavour: Linux on x86-64 (asm/stat.h, uapi poll.h, resource.h, socket.h,
 * uio.h, capability.h, time_types.h, eventpoll.h, sched/types.h,
 * openat2.h, sem.h, mqueue.h, utsname.h, sysinfo.h, the kernel's own
 * sigset_t).
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

/* select(2)'s descriptor set: FD_SETSIZE (1024) bits. */
typedef struct {
	unsigned long fds_bits[16];
} fd_set;

/* capget(2) and capset(2): the header and one 32-bit slice of the sets. */
struct __user_cap_header_struct {
	__u32 version;
	int pid;
};

struct __user_cap_data_struct {
	__u32 effective;
	__u32 permitted;
	__u32 inheritable;
};

typedef struct __user_cap_header_struct *cap_user_header_t;
typedef struct __user_cap_data_struct *cap_user_data_t;

/* The kernel's own time structures (64-bit time, and the old ones). */
struct __kernel_timespec {
	int64_t tv_sec;
	long long tv_nsec;
};

struct __kernel_itimerspec {
	struct __kernel_timespec it_interval;
	struct __kernel_timespec it_value;
};

struct __kernel_old_timeval {
	long tv_sec;
	long tv_usec;
};

struct __kernel_old_itimerval {
	struct __kernel_old_timeval it_interval;
	struct __kernel_old_timeval it_value;
};

struct utimbuf {
	__kernel_old_time_t actime;
	__kernel_old_time_t modtime;
};

struct tms {
	long tms_utime;
	long tms_stime;
	long tms_cutime;
	long tms_cstime;
};

/*
 * epoll_wait(2)'s event (packed on x86-64 in C: data follows events
 * directly; offsets here are ours).
 */
struct epoll_event {
	uint32_t events;
	uint64_t data;
};

/* Signal stacks, scheduling parameters, openat2(2)'s request. */
typedef struct sigaltstack {
	void *ss_sp;
	int ss_flags;
	size_t ss_size;
} stack_t;

struct sched_param {
	int sched_priority;
};

struct open_how {
	uint64_t flags;
	uint64_t mode;
	uint64_t resolve;
};

/* System V semaphores, POSIX message queues, limits, uname(2), sysinfo(2). */
struct sembuf {
	unsigned short sem_num;
	short sem_op;
	short sem_flg;
};

struct mq_attr {
	long mq_flags;
	long mq_maxmsg;
	long mq_msgsize;
	long mq_curmsgs;
	long __reserved[4];
};

struct rlimit64 {
	uint64_t rlim_cur;
	uint64_t rlim_max;
};

struct new_utsname {
	char sysname[65];
	char nodename[65];
	char release[65];
	char version[65];
	char machine[65];
	char domainname[65];
};

struct sysinfo {
	long uptime;
	unsigned long loads[3];
	unsigned long totalram;
	unsigned long freeram;
	unsigned long sharedram;
	unsigned long bufferram;
	unsigned long totalswap;
	unsigned long freeswap;
	unsigned short procs;
	unsigned short pad;
	unsigned long totalhigh;
	unsigned long freehigh;
	unsigned int mem_unit;
};
