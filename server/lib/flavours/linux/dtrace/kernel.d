/*
 * kernel.d -- the Linux task structures that curthread points to in a
 * replay: struct task_struct with its credentials and memory map, the
 * members scripts written for Linux's DTrace read (pid, tgid, comm,
 * real_parent, cred ...).
 *
 * One file of the D library our front end compiles before every user
 * script. Written for this project.
 *
 * Flavour: Linux replay. A replay has no kernel memory: the replay
 * fills these structures for the firing's thread from the trace
 * (firings give pid, tid, uid, gid and execname; process events give
 * the parent and argv). Names and member types are Linux's
 * (linux/sched.h, linux/cred.h, linux/mm_types.h, linux/uidgid.h); only
 * this subset exists. The replay lays out the command line at
 * mm->arg_start with single spaces between the arguments, so that one
 * copyinstr() reads it whole.
 */

#pragma D depends_on library types.d

typedef struct {
	uid_t val;
} kuid_t;

typedef struct {
	gid_t val;
} kgid_t;

struct cred {
	kuid_t uid;
	kgid_t gid;
	kuid_t suid;
	kgid_t sgid;
	kuid_t euid;
	kgid_t egid;
	kuid_t fsuid;
	kgid_t fsgid;
};

struct mm_struct {
	unsigned long start_code;
	unsigned long end_code;
	unsigned long start_stack;
	unsigned long arg_start;
	unsigned long arg_end;
	unsigned long env_start;
	unsigned long env_end;
	unsigned long total_vm;
};

struct task_struct {
	unsigned int __state;
	unsigned int flags;
	int on_cpu;
	int prio;
	int static_prio;
	int normal_prio;
	unsigned int rt_priority;
	unsigned int policy;
	struct mm_struct *mm;
	int exit_state;
	int exit_code;
	int exit_signal;
	pid_t pid;
	pid_t tgid;
	struct task_struct *real_parent;
	struct task_struct *parent;
	struct task_struct *group_leader;
	const struct cred *real_cred;
	const struct cred *cred;
	char comm[16];
};

/* A delivered signal, as strace prints it (asm-generic/siginfo.h names). */
typedef struct siginfo {
	int si_signo;
	int si_errno;
	int si_code;
	pid_t si_pid;
	uid_t si_uid;
	int si_status;
	void *si_addr;
} siginfo_t;
