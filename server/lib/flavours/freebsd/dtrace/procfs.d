/*
 * procfs.d -- the process model scripts read: psinfo_t and lwpsinfo_t,
 * the translators that fill them from kernel.d's structures, and the
 * curpsinfo / curlwpsinfo inlines.
 *
 * One file of the D library our front end compiles before every user
 * script. Written for this project.
 *
 * Flavour: FreeBSD (psinfo.d's role there). The two info structures keep
 * the member names and meanings of the illumos proc(4) files, restricted
 * to what FreeBSD can supply, plus FreeBSD's pr_jailid; the state and
 * flag constants take their illumos values because they describe those
 * structures, not the kernel. FreeBSD's proc and sched probes pass
 * struct proc * and struct thread *: scripts translate them with
 * xlate <psinfo_t *> or use curpsinfo.
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

/*
 * A process. Text members are D strings rather than fixed char arrays so
 * that any kernel's command-name buffer can be assigned to them.
 */
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
	string pr_fname;
	string pr_psargs;
	uint_t pr_arglen;
	char pr_dmodel;
	taskid_t pr_taskid;
	projid_t pr_projid;
	poolid_t pr_poolid;
	zoneid_t pr_zoneid;
	id_t pr_contract;
	u_int pr_jailid;
} psinfo_t;

/* A thread (an LWP in the proc(4) vocabulary). */
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
	int pr_pri;
	string pr_name;
	processorid_t pr_onpro;
	processorid_t pr_bindpro;
	psetid_t pr_bindpset;
} lwpsinfo_t;

/*
 * Tasks, projects, pools and contracts do not exist in the generic
 * kernel: their ids read as 0 (-1 for the contract), as on a system with
 * a single default of each. The zone is the process's jail.
 */
translator psinfo_t < struct proc *P > {
	pr_flag = (P->p_flag & P_SYSTEM) ? PR_ISSYS : 0;
	pr_nlwp = P->p_numthreads;
	pr_pid = P->p_pid;
	pr_ppid = P->p_pptr == NULL ? 0 : P->p_pptr->p_pid;
	pr_pgid = P->p_pgrp == NULL ? 0 : P->p_pgrp->pg_id;
	pr_sid = P->p_pgrp == NULL || P->p_pgrp->pg_session == NULL ? 0 :
	    P->p_pgrp->pg_session->s_sid;
	pr_uid = P->p_ucred->cr_ruid;
	pr_euid = P->p_ucred->cr_uid;
	pr_gid = P->p_ucred->cr_rgid;
	pr_egid = P->p_ucred->cr_gid;
	pr_addr = (uintptr_t)P;
	pr_fname = stringof(P->p_comm);
	pr_psargs = P->p_args == NULL ? "" :
	    memstr(P->p_args->ar_args, ' ', P->p_args->ar_length);
	pr_arglen = P->p_args == NULL ? 0 : P->p_args->ar_length;
	pr_dmodel = (P->p_sysent->sv_flags & SV_ILP32) ? PR_MODEL_ILP32 :
	    PR_MODEL_LP64;
	pr_taskid = 0;
	pr_projid = 0;
	pr_poolid = 0;
	pr_zoneid = P->p_ucred->cr_prison == NULL ? 0 :
	    P->p_ucred->cr_prison->pr_id;
	pr_contract = -1;
	pr_jailid = P->p_ucred->cr_prison == NULL ? 0 :
	    P->p_ucred->cr_prison->pr_id;
};

/*
 * A thread's process, so that xlate <psinfo_t *> (curthread) works too.
 * D has no way to apply one translator inside another wholesale, so each
 * member goes through the proc translator above; keep the two in step.
 */
translator psinfo_t < struct thread *T > {
	pr_flag = xlate <psinfo_t> (T->td_proc).pr_flag;
	pr_nlwp = xlate <psinfo_t> (T->td_proc).pr_nlwp;
	pr_pid = xlate <psinfo_t> (T->td_proc).pr_pid;
	pr_ppid = xlate <psinfo_t> (T->td_proc).pr_ppid;
	pr_pgid = xlate <psinfo_t> (T->td_proc).pr_pgid;
	pr_sid = xlate <psinfo_t> (T->td_proc).pr_sid;
	pr_uid = xlate <psinfo_t> (T->td_proc).pr_uid;
	pr_euid = xlate <psinfo_t> (T->td_proc).pr_euid;
	pr_gid = xlate <psinfo_t> (T->td_proc).pr_gid;
	pr_egid = xlate <psinfo_t> (T->td_proc).pr_egid;
	pr_addr = xlate <psinfo_t> (T->td_proc).pr_addr;
	pr_fname = xlate <psinfo_t> (T->td_proc).pr_fname;
	pr_psargs = xlate <psinfo_t> (T->td_proc).pr_psargs;
	pr_arglen = xlate <psinfo_t> (T->td_proc).pr_arglen;
	pr_dmodel = xlate <psinfo_t> (T->td_proc).pr_dmodel;
	pr_taskid = xlate <psinfo_t> (T->td_proc).pr_taskid;
	pr_projid = xlate <psinfo_t> (T->td_proc).pr_projid;
	pr_poolid = xlate <psinfo_t> (T->td_proc).pr_poolid;
	pr_zoneid = xlate <psinfo_t> (T->td_proc).pr_zoneid;
	pr_contract = xlate <psinfo_t> (T->td_proc).pr_contract;
	pr_jailid = xlate <psinfo_t> (T->td_proc).pr_jailid;
};

/*
 * The generic kernel keeps a run state plus "inhibitor" bits for threads
 * that cannot run; a zombie process makes every thread in it a zombie.
 * Nothing binds threads to processors or sets, and the kernel does not
 * say what kind of object a sleeper waits on.
 */
translator lwpsinfo_t < struct thread *T > {
	pr_flag = ((T->td_state == TDS_INHIBITED &&
	    (T->td_inhibitors & TDI_SUSPENDED)) ? PR_STOPPED : 0) |
	    ((T->td_proc->p_flag & P_SYSTEM) ? PR_ISSYS : 0);
	pr_lwpid = T->td_tid;
	pr_addr = (uintptr_t)T;
	pr_wchan = (uintptr_t)T->td_wchan;
	pr_stype = SOBJ_NONE;
	pr_state = T->td_proc->p_state == PRS_ZOMBIE ? SZOMB :
	    T->td_state == TDS_RUNNING ? SONPROC :
	    T->td_state == TDS_RUNQ || T->td_state == TDS_CAN_RUN ? SRUN :
	    T->td_state != TDS_INHIBITED ? SIDL :
	    (T->td_inhibitors & TDI_SUSPENDED) ? SSTOP :
	    (T->td_inhibitors & TDI_SLEEPING) ? SSLEEP : SWAIT;
	pr_sname = T->td_proc->p_state == PRS_ZOMBIE ? 'Z' :
	    T->td_state == TDS_RUNNING ? 'O' :
	    T->td_state == TDS_RUNQ || T->td_state == TDS_CAN_RUN ? 'R' :
	    T->td_state != TDS_INHIBITED ? 'I' :
	    (T->td_inhibitors & TDI_SUSPENDED) ? 'T' :
	    (T->td_inhibitors & TDI_SLEEPING) ? 'S' : 'W';
	pr_nice = T->td_proc->p_nice;
	pr_syscall = T->td_sa.code;
	pr_pri = T->td_priority;
	pr_name = stringof(T->td_name);
	pr_onpro = T->td_oncpu;
	pr_bindpro = -1;
	pr_bindpset = -1;
};

inline psinfo_t *curpsinfo = xlate <psinfo_t *> (curthread->td_proc);
#pragma D attributes Stable/Stable/Common curpsinfo

inline lwpsinfo_t *curlwpsinfo = xlate <lwpsinfo_t *> (curthread);
#pragma D attributes Stable/Stable/Common curlwpsinfo
