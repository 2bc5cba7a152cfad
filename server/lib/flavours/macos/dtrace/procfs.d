/*
 * procfs.d -- psinfo_t and lwpsinfo_t, the translators that fill them
 * from struct proc and thread_t, curpsinfo / curlwpsinfo, the cwd and
 * root inlines, and the state letters and flags of proc(4).
 *
 * One file of the D library our front end compiles before every user
 * script. Written for this project.
 *
 * Flavour: macOS (darwin.d's role). The state numbers are the BSD
 * p_stat values (SIDL 1 ... SZOMB 5), not illumos's; SONPROC, the SOBJ_
 * and PR_ constants exist for scripts ported from Solaris. Processes
 * have no tasks, projects, pools or zones in the illumos sense: their
 * ids read as 0. pr_psargs is the command name, as on macOS.
 */

#pragma D depends_on library types.d
#pragma D depends_on library kernel.d

inline char SIDL = 1;
inline char SRUN = 2;
inline char SSLEEP = 3;
inline char SSTOP = 4;
inline char SZOMB = 5;
inline char SONPROC = 6;

inline char SOBJ_NONE = 0;
inline char SOBJ_MUTEX = 1;
inline char SOBJ_RWLOCK = 2;
inline char SOBJ_CV = 3;
inline char SOBJ_SEMA = 4;
inline char SOBJ_USER = 5;
inline char SOBJ_USER_PI = 6;
inline char SOBJ_SHUTTLE = 7;

inline char PR_MODEL_ILP32 = 1;
inline char PR_MODEL_LP64 = 2;

inline int PR_STOPPED = 0x00000001;
inline int PR_ISTOP = 0x00000002;
inline int PR_DSTOP = 0x00000004;
inline int PR_STEP = 0x00000008;
inline int PR_ASLEEP = 0x00000010;
inline int PR_PCINVAL = 0x00000020;
inline int PR_ASLWP = 0x00000040;
inline int PR_AGENT = 0x00000080;
inline int PR_DETACH = 0x00000100;
inline int PR_DAEMON = 0x00000200;
inline int PR_ISSYS = 0x00001000;
inline int PR_VFORKP = 0x00002000;
inline int PR_ORPHAN = 0x00004000;
inline int PR_FORK = 0x00100000;
inline int PR_RLC = 0x00200000;
inline int PR_KLC = 0x00400000;
inline int PR_ASYNC = 0x00800000;
inline int PR_MSACCT = 0x01000000;
inline int PR_BPTADJ = 0x02000000;
inline int PR_PTRACE = 0x04000000;
inline int PR_MSFORK = 0x08000000;
inline int PR_IDLE = 0x10000000;

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
	dev_t pr_ttydev;
	timestruc_t pr_start;
	string pr_fname;
	string pr_psargs;
	int pr_argc;
	user_addr_t pr_argv;
	user_addr_t pr_envp;
	char pr_dmodel;
	taskid_t pr_taskid;
	projid_t pr_projid;
	poolid_t pr_poolid;
	zoneid_t pr_zoneid;
	struct timeval pr_start_tv;
} psinfo_t;

typedef struct lwpsinfo {
	int pr_flag;
	id_t pr_lwpid;
	uintptr_t pr_addr;
	uintptr_t pr_wchan;
	char pr_stype;
	char pr_state;
	char pr_sname;
	short pr_syscall;
	int pr_pri;
	string pr_clname;
	int pr_thstate;
	processorid_t pr_onpro;
	processorid_t pr_bindpro;
	psetid_t pr_bindpset;
} lwpsinfo_t;

/* pr_start stays zero: pr_start_tv has the start time. */
translator psinfo_t < struct proc *P > {
	pr_nlwp = ((struct task *)P->task)->thread_count;
	pr_pid = P->p_pid;
	pr_ppid = P->p_ppid;
	pr_pgid = P->p_pgrp->pg_id;
	pr_sid = P->p_pgrp->pg_session->s_sid;
	pr_uid = P->p_ucred->cr_posix.cr_ruid;
	pr_euid = P->p_ucred->cr_posix.cr_uid;
	pr_gid = P->p_ucred->cr_posix.cr_rgid;
	pr_egid = P->p_ucred->cr_posix.cr_groups[0];
	pr_addr = (uintptr_t)P;
	pr_ttydev = P->p_pgrp->pg_session->s_ttyvp == NULL ? -1 : 0;
	pr_fname = stringof(P->p_comm);
	pr_psargs = stringof(P->p_comm);
	pr_argc = P->p_argc;
	pr_argv = P->p_dtrace_argv;
	pr_envp = P->p_dtrace_envp;
	pr_dmodel = (P->p_flag & P_LP64) ? PR_MODEL_LP64 : PR_MODEL_ILP32;
	pr_taskid = 0;
	pr_projid = 0;
	pr_poolid = 0;
	pr_zoneid = 0;
	pr_start_tv = P->p_start;
};

/* A thread's process, so that xlate <psinfo_t *> (curthread) works too. */
translator psinfo_t < struct thread *T > {
	pr_nlwp = xlate <psinfo_t> ((struct proc *)T->task->bsd_info).pr_nlwp;
	pr_pid = xlate <psinfo_t> ((struct proc *)T->task->bsd_info).pr_pid;
	pr_ppid = xlate <psinfo_t> ((struct proc *)T->task->bsd_info).pr_ppid;
	pr_pgid = xlate <psinfo_t> ((struct proc *)T->task->bsd_info).pr_pgid;
	pr_sid = xlate <psinfo_t> ((struct proc *)T->task->bsd_info).pr_sid;
	pr_uid = xlate <psinfo_t> ((struct proc *)T->task->bsd_info).pr_uid;
	pr_euid = xlate <psinfo_t> ((struct proc *)T->task->bsd_info).pr_euid;
	pr_gid = xlate <psinfo_t> ((struct proc *)T->task->bsd_info).pr_gid;
	pr_egid = xlate <psinfo_t> ((struct proc *)T->task->bsd_info).pr_egid;
	pr_addr = xlate <psinfo_t> ((struct proc *)T->task->bsd_info).pr_addr;
	pr_ttydev = xlate <psinfo_t> ((struct proc *)T->task->bsd_info).pr_ttydev;
	pr_fname = xlate <psinfo_t> ((struct proc *)T->task->bsd_info).pr_fname;
	pr_psargs = xlate <psinfo_t> ((struct proc *)T->task->bsd_info).pr_psargs;
	pr_argc = xlate <psinfo_t> ((struct proc *)T->task->bsd_info).pr_argc;
	pr_argv = xlate <psinfo_t> ((struct proc *)T->task->bsd_info).pr_argv;
	pr_envp = xlate <psinfo_t> ((struct proc *)T->task->bsd_info).pr_envp;
	pr_dmodel = xlate <psinfo_t> ((struct proc *)T->task->bsd_info).pr_dmodel;
	pr_taskid = xlate <psinfo_t> ((struct proc *)T->task->bsd_info).pr_taskid;
	pr_projid = xlate <psinfo_t> ((struct proc *)T->task->bsd_info).pr_projid;
	pr_poolid = xlate <psinfo_t> ((struct proc *)T->task->bsd_info).pr_poolid;
	pr_zoneid = xlate <psinfo_t> ((struct proc *)T->task->bsd_info).pr_zoneid;
	pr_start_tv = xlate <psinfo_t> ((struct proc *)T->task->bsd_info).pr_start_tv;
};

/* sched_mode bit 0 is real-time, bit 1 time-sharing. */
translator lwpsinfo_t < struct thread *T > {
	pr_flag = 0;
	pr_lwpid = (id_t)T->thread_id;
	pr_addr = (uintptr_t)T;
	pr_wchan = (uintptr_t)((struct uthread *)T->uthread)->uu_wchan;
	pr_stype = SOBJ_NONE;
	pr_state = curproc->p_stat;
	pr_sname = curproc->p_stat == SIDL ? 'I' :
	    curproc->p_stat == SRUN ? 'R' :
	    curproc->p_stat == SSLEEP ? 'S' :
	    curproc->p_stat == SSTOP ? 'T' :
	    curproc->p_stat == SZOMB ? 'Z' : '?';
	pr_syscall = ((struct uthread *)T->uthread)->uu_code;
	pr_pri = T->sched_pri;
	pr_clname = (T->sched_mode & 0x1) ? "RT" :
	    (T->sched_mode & 0x2) ? "TS" : "SYS";
	pr_thstate = T->state;
	pr_onpro = T->last_processor == NULL ? -1 : T->last_processor->cpu_id;
	pr_bindpro = -1;
	pr_bindpset = -1;
};

inline psinfo_t *curpsinfo = xlate <psinfo_t *> (curproc);
#pragma D attributes Stable/Stable/Common curpsinfo

inline lwpsinfo_t *curlwpsinfo = xlate <lwpsinfo_t *> (curthread);
#pragma D attributes Stable/Stable/Common curlwpsinfo

/* The current process's working and root directories, by vnode name. */
inline string cwd = curproc->p_fd->fd_cdir->v_name == NULL ?
    "<unknown>" : stringof(curproc->p_fd->fd_cdir->v_name);
#pragma D attributes Stable/Stable/Common cwd

inline string root = curproc->p_fd->fd_rdir == NULL ? "/" :
    curproc->p_fd->fd_rdir->v_name == NULL ? "<unknown>" :
    stringof(curproc->p_fd->fd_rdir->v_name);
#pragma D attributes Stable/Stable/Common root
