/*
 * procfs.d -- psinfo_t and lwpsinfo_t as the Linux-replay flavour fills
 * them, and the curpsinfo / curlwpsinfo inlines.
 *
 * One file of the D library our front end compiles before every user
 * script. Written for this project.
 *
 * Flavour: Linux replay. A trace captured with strace records processes
 * and threads, not kernel structures: the replay passes these two
 * structures already filled in (the proc provider's arguments are
 * psinfo_t * and lwpsinfo_t * natively). curpsinfo and curlwpsinfo
 * translate the current thread's task_struct (kernel.d), which the
 * replay fills from the trace.
 */

#pragma D depends_on library types.d
#pragma D depends_on library kernel.d

typedef struct psinfo {
	int pr_nlwp;
	pid_t pr_pid;
	pid_t pr_ppid;
	pid_t pr_pgid;
	pid_t pr_sid;
	uid_t pr_uid;
	uid_t pr_euid;
	gid_t pr_gid;
	gid_t pr_egid;
	uintptr_t pr_addr;
	string pr_fname;
	string pr_psargs;
	int pr_argc;
	char pr_dmodel;
	taskid_t pr_taskid;
	projid_t pr_projid;
	poolid_t pr_poolid;
	zoneid_t pr_zoneid;
} psinfo_t;

typedef struct lwpsinfo {
	int pr_flag;
	id_t pr_lwpid;
	char pr_state;
	char pr_sname;
	short pr_syscall;
	int pr_pri;
	string pr_name;
	processorid_t pr_onpro;
} lwpsinfo_t;

inline char PR_MODEL_ILP32 = 1;
inline char PR_MODEL_LP64 = 2;

/* State letters (pr_sname's numeric counterpart, pr_state). */
inline char SSLEEP = 1;
inline char SRUN = 2;
inline char SZOMB = 3;
inline char SSTOP = 4;
inline char SIDL = 5;
inline char SONPROC = 6;
inline char SWAIT = 7;

/* A replayed process is always LP64. */
translator psinfo_t < struct task_struct *T > {
	pr_nlwp = 1;
	pr_pid = T->tgid;
	pr_ppid = T->real_parent == NULL ? 0 : T->real_parent->tgid;
	pr_pgid = T->group_leader == NULL ? T->tgid : T->group_leader->tgid;
	pr_sid = 0;
	pr_uid = T->cred->uid.val;
	pr_euid = T->cred->euid.val;
	pr_gid = T->cred->gid.val;
	pr_egid = T->cred->egid.val;
	pr_addr = (uintptr_t)T;
	pr_fname = stringof(T->comm);
	pr_psargs = T->mm == NULL ? stringof(T->comm) :
	    copyinstr(T->mm->arg_start);
	pr_argc = 0;
	pr_dmodel = PR_MODEL_LP64;
	pr_taskid = 0;
	pr_projid = 0;
	pr_poolid = 0;
	pr_zoneid = 0;
};

/* __state 0 is TASK_RUNNING: the firing's thread is on a CPU. */
translator lwpsinfo_t < struct task_struct *T > {
	pr_flag = 0;
	pr_lwpid = T->pid;
	pr_state = T->__state == 0 ? SONPROC : SSLEEP;
	pr_sname = T->__state == 0 ? 'O' : 'S';
	pr_syscall = 0;
	pr_pri = T->prio;
	pr_name = stringof(T->comm);
	pr_onpro = T->on_cpu;
};

inline psinfo_t *curpsinfo = xlate <psinfo_t *> (curthread);
#pragma D attributes Stable/Stable/Common curpsinfo

inline lwpsinfo_t *curlwpsinfo = xlate <lwpsinfo_t *> (curthread);
#pragma D attributes Stable/Stable/Common curlwpsinfo
