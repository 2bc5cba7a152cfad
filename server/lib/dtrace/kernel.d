/*
 * kernel.d -- the few kernel structures the library's translators read.
 *
 * One file of the D library our front end compiles before every user
 * script. Written for this project.
 *
 * DTrace proper takes these types from the running kernel's CTF data; our
 * front end has none, so each structure is declared here with only the
 * members some translator or inline in this library uses. Offsets are
 * therefore ours, not any kernel's: these declarations type-check D
 * programs, they do not describe memory.
 *
 * Flavour: one generic kernel with FreeBSD-like names (struct proc,
 * struct thread, struct file, struct vnode, struct bio, struct devstat).
 * Where FreeBSD has no equivalent member, the member is named after the
 * illumos one (v_path, cr_gid). Per-flavour catalogues, each matching a
 * real kernel's layout, arrive later.
 */

#pragma D depends_on library types.d

/* Credentials, and the jail a process lives in (our "zone"). */
struct prison {
	int pr_id;
};

struct ucred {
	uid_t cr_uid;
	uid_t cr_ruid;
	gid_t cr_gid;
	gid_t cr_rgid;
	struct prison *cr_prison;
};

/* Job control: session and process group. */
struct session {
	pid_t s_sid;
};

struct pgrp {
	pid_t pg_id;
	struct session *pg_session;
};

/* The saved argument strings of a process, NUL-separated. */
struct pargs {
	uint_t ar_length;
	uchar_t ar_args[1];
};

/* The ABI a process runs under; only its flags matter to us. */
struct sysentvec {
	int sv_flags;
};

inline int SV_ILP32 = 0x000100;
inline int SV_LP64 = 0x000200;

/* Files: the descriptor table, open files, vnodes and mounts. */
struct statfs {
	char f_fstypename[16];
	char f_mntonname[1024];
};

struct mount {
	struct statfs mnt_stat;
};

struct vnode {
	struct mount *v_mount;
	char *v_path;
};

struct file {
	struct vnode *f_vnode;
	uint_t f_flag;
	off_t f_offset;
};

struct filedesc {
	struct file **fd_ofiles;
	int fd_nfiles;
};

/* Processes. */
enum p_states {
	PRS_NEW = 0,
	PRS_NORMAL,
	PRS_ZOMBIE
};

inline int P_SYSTEM = 0x00200;

struct proc {
	pid_t p_pid;
	struct proc *p_pptr;
	struct pgrp *p_pgrp;
	struct ucred *p_ucred;
	struct filedesc *p_fd;
	struct pargs *p_args;
	struct sysentvec *p_sysent;
	int p_flag;
	enum p_states p_state;
	int p_numthreads;
	char p_nice;
	char p_comm[20];
};

/* Threads. */
enum td_states {
	TDS_INACTIVE = 0,
	TDS_INHIBITED,
	TDS_CAN_RUN,
	TDS_RUNQ,
	TDS_RUNNING
};

/* Why an inhibited thread cannot run (bits of td_inhibitors). */
inline int TDI_SUSPENDED = 0x0001;
inline int TDI_SLEEPING = 0x0002;
inline int TDI_SWAPPED = 0x0004;
inline int TDI_LOCK = 0x0008;
inline int TDI_IWAIT = 0x0010;

struct syscall_args {
	uint_t code;
};

struct thread {
	struct proc *td_proc;
	lwpid_t td_tid;
	int td_inhibitors;
	enum td_states td_state;
	uchar_t td_priority;
	void *td_wchan;
	int td_oncpu;
	char td_name[20];
	struct syscall_args td_sa;
};

/*
 * The illumos spellings, so that `curthread` (typed kthread_t *) and
 * scripts written for proc_t both resolve to the structures above.
 */
typedef struct proc proc_t;
typedef struct thread kthread_t;

/* Block I/O: a request and the statistics record of its device. */
struct bio {
	uint16_t bio_cmd;
	int bio_flags;
	int bio_error;
	caddr_t bio_data;
	long bio_bcount;
	long bio_resid;
	off_t bio_length;
	daddr_t bio_pblkno;
};

struct devstat {
	uint32_t device_number;
	char device_name[16];
	int unit_number;
	int device_type;
};
