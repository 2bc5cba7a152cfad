/*
 * procfs.d -- the process model scripts read: psinfo_t and lwpsinfo_t,
 * the translators that fill them from proc_t and kthread_t, the
 * curpsinfo / curlwpsinfo inlines, and the state letters and flags of
 * proc(4).
 *
 * One file of the D library our front end compiles before every user
 * script. Written for this project.
 *
 * Flavour: illumos, where these structures come from (proc(4)); the
 * proc and sched providers' arguments translate to them. Text members
 * are D strings, which any char buffer of the kernel converts to.
 */

#pragma D depends_on library types.d
#pragma D depends_on library kernel.d

/* pr_state: what a thread is doing (pr_sname gives the letter). */
inline char SSLEEP = 1;
inline char SRUN = 2;
inline char SZOMB = 3;
inline char SSTOP = 4;
inline char SIDL = 5;
inline char SONPROC = 6;
inline char SWAIT = 7;

/* pr_flag bits. */
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
inline int PR_IDLE = 0x00000400;
#pragma D binding "1.4" PR_IDLE
inline int PR_ISSYS = 0x00001000;
inline int PR_VFORKP = 0x00002000;
inline int PR_ORPHAN = 0x00004000;
inline int PR_NOSIGCHLD = 0x00008000;
#pragma D binding "1.4" PR_NOSIGCHLD
inline int PR_WAITPID = 0x00010000;
#pragma D binding "1.4" PR_WAITPID
inline int PR_FORK = 0x00100000;
inline int PR_RLC = 0x00200000;
inline int PR_KLC = 0x00400000;
inline int PR_ASYNC = 0x00800000;
inline int PR_MSACCT = 0x01000000;
inline int PR_BPTADJ = 0x02000000;
inline int PR_PTRACE = 0x04000000;
inline int PR_MSFORK = 0x08000000;

/* pr_dmodel: the data model of the process. */
inline char PR_MODEL_ILP32 = 1;
inline char PR_MODEL_LP64 = 2;

/* pr_stype: the kind of object a sleeping thread waits on. */
inline char SOBJ_NONE = 0;
inline char SOBJ_MUTEX = 1;
inline char SOBJ_RWLOCK = 2;
inline char SOBJ_CV = 3;
inline char SOBJ_SEMA = 4;
inline char SOBJ_USER = 5;
inline char SOBJ_USER_PI = 6;
inline char SOBJ_SHUTTLE = 7;

typedef struct lwpsinfo {
	int pr_flag;
	id_t pr_lwpid;
	uintptr_t pr_addr;
	uintptr_t pr_wchan;
	char pr_stype;
	char pr_state;
	char pr_sname;
	char pr_nice;
	short pr_syscall;
	char pr_oldpri;
	char pr_cpu;
	int pr_pri;
	ushort_t pr_pctcpu;
	timestruc_t pr_start;
	timestruc_t pr_time;
	string pr_clname;
	string pr_name;
	processorid_t pr_onpro;
	processorid_t pr_bindpro;
	psetid_t pr_bindpset;
	lgrp_id_t pr_lgrp;
} lwpsinfo_t;

typedef struct psinfo {
	int pr_flag;
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
	size_t pr_size;
	size_t pr_rssize;
	dev_t pr_ttydev;
	ushort_t pr_pctcpu;
	ushort_t pr_pctmem;
	timestruc_t pr_start;
	timestruc_t pr_time;
	timestruc_t pr_ctime;
	string pr_fname;
	string pr_psargs;
	int pr_wstat;
	int pr_argc;
	uintptr_t pr_argv;
	uintptr_t pr_envp;
	char pr_dmodel;
	taskid_t pr_taskid;
	projid_t pr_projid;
	int pr_nzomb;
	poolid_t pr_poolid;
	zoneid_t pr_zoneid;
	id_t pr_contract;
	lwpsinfo_t pr_lwp;
} psinfo_t;

/*
 * A process. Sizes, times and the controlling terminal are kept by the
 * kernel in places our declarations do not model: they read as 0
 * (PRNODEV, -1, for the terminal).
 */
translator psinfo_t < proc_t *P > {
	pr_flag = (P->p_flag & SSYS) ? PR_ISSYS : 0;
	pr_nlwp = P->p_lwpcnt;
	pr_pid = P->p_pidp->pid_id;
	pr_ppid = P->p_ppid;
	pr_pgid = P->p_pgidp->pid_id;
	pr_sid = P->p_sessp->s_sidp->pid_id;
	pr_uid = P->p_cred->cr_ruid;
	pr_euid = P->p_cred->cr_uid;
	pr_gid = P->p_cred->cr_rgid;
	pr_egid = P->p_cred->cr_gid;
	pr_addr = (uintptr_t)P;
	pr_size = 0;
	pr_rssize = 0;
	pr_ttydev = -1;
	pr_pctcpu = 0;
	pr_pctmem = 0;
	pr_fname = stringof(P->p_user.u_comm);
	pr_psargs = stringof(P->p_user.u_psargs);
	pr_wstat = 0;
	pr_argc = P->p_user.u_argc;
	pr_argv = P->p_user.u_argv;
	pr_envp = P->p_user.u_envp;
	pr_dmodel = P->p_model == DATAMODEL_ILP32 ? PR_MODEL_ILP32 :
	    PR_MODEL_LP64;
	pr_taskid = P->p_task->tk_tkid;
	pr_projid = P->p_task->tk_proj->kpj_id;
	pr_nzomb = P->p_zombcnt;
	pr_poolid = P->p_pool->pool_id;
	pr_zoneid = P->p_zone->zone_id;
	pr_contract = -1;
};

/*
 * A thread. The state letter and number come from t_state; the wait
 * object's kind from the synchronization object it sleeps on.
 */
translator lwpsinfo_t < kthread_t *T > {
	pr_flag = (T->t_state == TS_STOPPED ? PR_STOPPED : 0) |
	    ((T->t_procp->p_flag & SSYS) ? PR_ISSYS : 0);
	pr_lwpid = T->t_tid;
	pr_addr = (uintptr_t)T;
	pr_wchan = (uintptr_t)T->t_wchan;
	pr_stype = T->t_sobj_ops == NULL ? SOBJ_NONE :
	    T->t_sobj_ops->sobj_type;
	pr_state = T->t_state == TS_SLEEP ? SSLEEP :
	    T->t_state == TS_RUN ? SRUN :
	    T->t_state == TS_ONPROC ? SONPROC :
	    T->t_state == TS_ZOMB ? SZOMB :
	    T->t_state == TS_STOPPED ? SSTOP :
	    T->t_state == TS_WAIT ? SWAIT : 0;
	pr_sname = T->t_state == TS_SLEEP ? 'S' :
	    T->t_state == TS_RUN ? 'R' :
	    T->t_state == TS_ONPROC ? 'O' :
	    T->t_state == TS_ZOMB ? 'Z' :
	    T->t_state == TS_STOPPED ? 'T' :
	    T->t_state == TS_WAIT ? 'W' : '?';
	pr_nice = T->t_nice;
	pr_syscall = T->t_sysnum;
	pr_pri = T->t_pri;
	pr_clname = "<unknown>";
	pr_name = T->t_name == NULL ? "" : stringof(T->t_name);
	pr_onpro = T->t_cpu->cpu_id;
	pr_bindpro = T->t_bind_cpu;
	pr_bindpset = T->t_bind_pset;
	pr_lgrp = T->t_cpu->cpu_lgrp;
};

/* A thread's process, so that xlate <psinfo_t *> (curthread) works too. */
translator psinfo_t < kthread_t *T > {
	pr_flag = xlate <psinfo_t> (T->t_procp).pr_flag;
	pr_nlwp = xlate <psinfo_t> (T->t_procp).pr_nlwp;
	pr_pid = xlate <psinfo_t> (T->t_procp).pr_pid;
	pr_ppid = xlate <psinfo_t> (T->t_procp).pr_ppid;
	pr_pgid = xlate <psinfo_t> (T->t_procp).pr_pgid;
	pr_sid = xlate <psinfo_t> (T->t_procp).pr_sid;
	pr_uid = xlate <psinfo_t> (T->t_procp).pr_uid;
	pr_euid = xlate <psinfo_t> (T->t_procp).pr_euid;
	pr_gid = xlate <psinfo_t> (T->t_procp).pr_gid;
	pr_egid = xlate <psinfo_t> (T->t_procp).pr_egid;
	pr_addr = xlate <psinfo_t> (T->t_procp).pr_addr;
	pr_fname = xlate <psinfo_t> (T->t_procp).pr_fname;
	pr_psargs = xlate <psinfo_t> (T->t_procp).pr_psargs;
	pr_argc = xlate <psinfo_t> (T->t_procp).pr_argc;
	pr_argv = xlate <psinfo_t> (T->t_procp).pr_argv;
	pr_envp = xlate <psinfo_t> (T->t_procp).pr_envp;
	pr_dmodel = xlate <psinfo_t> (T->t_procp).pr_dmodel;
	pr_taskid = xlate <psinfo_t> (T->t_procp).pr_taskid;
	pr_projid = xlate <psinfo_t> (T->t_procp).pr_projid;
	pr_poolid = xlate <psinfo_t> (T->t_procp).pr_poolid;
	pr_zoneid = xlate <psinfo_t> (T->t_procp).pr_zoneid;
	pr_contract = xlate <psinfo_t> (T->t_procp).pr_contract;
};

inline psinfo_t *curpsinfo = xlate <psinfo_t *> (curthread->t_procp);
#pragma D attributes Stable/Stable/Common curpsinfo

inline lwpsinfo_t *curlwpsinfo = xlate <lwpsinfo_t *> (curthread);
#pragma D attributes Stable/Stable/Common curlwpsinfo

