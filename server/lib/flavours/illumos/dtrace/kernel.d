/*
 * kernel.d -- the illumos kernel structures that the library's
 * translators read and that scripts reach through curthread, args[] and
 * casts: threads (kthread_t) and their LWPs (klwp_t), processes (proc_t)
 * with their user area and pid, credentials, zones, projects and tasks,
 * files and vnodes, buffers (buf_t), device nodes, CPUs and their
 * dispatch queues, and STREAMS messages and queues.
 *
 * One file of the D library our front end compiles before every user
 * script. Written for this project.
 *
 * Names and member types follow illumos's public headers (sys/thread.h,
 * sys/klwp.h, sys/proc.h, sys/user.h, sys/cred_impl.h, sys/zone.h,
 * sys/vnode.h, sys/vfs.h, sys/file.h, sys/buf.h, sys/ddi_impldefs.h,
 * sys/cpuvar.h, sys/disp.h, sys/stream.h); members are a subset and
 * offsets are ours. A kernel type not declared here is opaque to the
 * front end.
 */

#pragma D depends_on library types.d

/* Credentials, zones, projects and tasks. */
typedef struct cred {
	uint_t cr_ref;
	uid_t cr_uid;
	gid_t cr_gid;
	uid_t cr_ruid;
	gid_t cr_rgid;
	uid_t cr_suid;
	gid_t cr_sgid;
	uint_t cr_ngroups;
	struct zone *cr_zone;
} cred_t;

typedef struct zone {
	char *zone_name;
	zoneid_t zone_id;
	char *zone_rootpath;
	uint_t zone_status;
} zone_t;

typedef struct kproject {
	projid_t kpj_id;
	zoneid_t kpj_zoneid;
} kproject_t;

typedef struct task {
	taskid_t tk_tkid;
	kproject_t *tk_proj;
	uint_t tk_nprocs;
} task_t;

typedef struct pool {
	poolid_t pool_id;
} pool_t;

/* A process id and its process group and session. */
struct pid {
	uint_t pid_prinactive:1;
	uint_t pid_pgorphaned:1;
	uint_t pid_padding:6;
	uint_t pid_prslot:24;
	pid_t pid_id;
	struct proc *pid_pglink;
	struct pid *pid_link;
	uint_t pid_ref;
};

typedef struct sess {
	struct pid *s_sidp;
	struct vnode *s_vp;
	dev_t s_dev;
} sess_t;

/* Files: vnodes, file systems, open files and the descriptor table. */
typedef enum vtype {
	VNON = 0,
	VREG = 1,
	VDIR = 2,
	VBLK = 3,
	VCHR = 4,
	VLNK = 5,
	VFIFO = 6,
	VDOOR = 7,
	VPROC = 8,
	VSOCK = 9,
	VPORT = 10,
	VBAD = 11
} vtype_t;

typedef struct vfssw {
	char *vsw_name;
} vfssw_t;

typedef struct vfs {
	struct vfs *vfs_next;
	struct vfsops *vfs_op;
	struct vnode *vfs_vnodecovered;
	uint_t vfs_flag;
	uint_t vfs_bsize;
	int vfs_fstype;
	dev_t vfs_dev;
	struct refstr *vfs_mntpt;
	struct refstr *vfs_resource;
	zone_t *vfs_zone;
} vfs_t;

typedef struct vnode {
	uint_t v_flag;
	uint_t v_count;
	void *v_data;
	struct vfs *v_vfsp;
	struct stdata *v_stream;
	enum vtype v_type;
	dev_t v_rdev;
	char *v_path;
	struct vfs *v_vfsmountedhere;
} vnode_t;

typedef struct file {
	int f_flag;
	ushort_t f_flag2;
	int f_count;
	struct vnode *f_vnode;
	offset_t f_offset;
	struct cred *f_cred;
} file_t;

typedef struct uf_entry {
	file_t *uf_file;
	short uf_flag;
	short uf_busy;
} uf_entry_t;

typedef struct uf_info {
	int fi_nfiles;
	uf_entry_t *fi_list;
} uf_info_t;

/* The user area of a process: its name, arguments and descriptors. */
typedef struct user {
	int u_argc;
	uintptr_t u_argv;
	uintptr_t u_envp;
	struct vnode *u_cdir;
	struct vnode *u_rdir;
	uint64_t u_mem;
	char u_comm[17];
	char u_psargs[80];
	uf_info_t u_finfo;
	mode_t u_cmask;
	time_t u_start;
	clock_t u_ticks;
} user_t;

/* Resource usage counters of an LWP or process. */
struct lrusage {
	ulong_t minflt;
	ulong_t majflt;
	ulong_t nswap;
	ulong_t inblock;
	ulong_t oublock;
	ulong_t msgsnd;
	ulong_t msgrcv;
	ulong_t nsignals;
	ulong_t nvcsw;
	ulong_t nivcsw;
	ulong_t sysc;
	ulong_t ioch;
};

/* Address spaces. */
struct as {
	uint_t a_flags;
	size_t a_size;
	size_t a_resvsize;
	uint_t a_nsegs;
};

/* Processes. */
typedef struct proc {
	struct vnode *p_exec;
	struct vnode *p_execdir;
	struct as *p_as;
	struct cred *p_cred;
	int p_swapcnt;
	char p_stat;
	char p_wcode;
	int p_wdata;
	pid_t p_ppid;
	struct proc *p_parent;
	struct proc *p_child;
	struct proc *p_sibling;
	struct pid *p_pidp;
	struct pid *p_pgidp;
	struct sess *p_sessp;
	struct task *p_task;
	struct pool *p_pool;
	struct zone *p_zone;
	struct _kthread *p_tlist;
	struct _kthread *p_agenttp;
	uint_t p_flag;
	int p_lwpcnt;
	int p_zombcnt;
	id_t p_lwpid;
	size_t p_brksize;
	size_t p_stksize;
	struct contract_process *p_ct_process;
	char p_model;
	hrtime_t p_mstart;
	clock_t p_utime;
	clock_t p_stime;
	clock_t p_cutime;
	clock_t p_cstime;
	caddr_t p_brkbase;
	caddr_t p_usrstack;
	struct lrusage p_ru;
	user_t p_user;
} proc_t;

/* The model of a process (p_model). */
inline char DATAMODEL_ILP32 = 0x00100000 >> 20;
inline char DATAMODEL_LP64 = 0x00200000 >> 20;

/* Process flag bits (p_flag). */
inline uint_t SSYS = 0x00000001;
inline uint_t SEXITING = 0x00000002;
inline uint_t SVFORK = 0x04000000;
inline uint_t SNOWAIT = 0x08000000;
inline uint_t SJCTL = 0x00010000;
inline uint_t SMSACCT = 0x00020000;
inline uint_t SPRFORK = 0x00800000;
inline uint_t SKILLED = 0x00000100;

/* The light-weight process of a user thread. */
typedef struct _klwp {
	struct regs *lwp_regs;
	char lwp_cursig;
	int lwp_errno;
	long lwp_arg[8];
	struct _kthread *lwp_thread;
	struct proc *lwp_procp;
	uint_t lwp_state;
	struct lrusage lwp_ru;
	hrtime_t lwp_mstate_start;
} klwp_t;

/* Scheduling: dispatch queues, CPUs and processor sets. */
typedef struct _disp {
	int disp_maxrunpri;
	int disp_max_unbound_pri;
	int disp_nrunnable;
	struct cpu *disp_cpu;
} disp_t;

typedef struct cpupart {
	psetid_t cp_id;
	int cp_ncpus;
} cpupart_t;

typedef struct lgrp {
	lgrp_id_t lgrp_id;
} lgrp_t;

typedef struct processor_info {
	int pi_state;
	char pi_processor_type[16];
	char pi_fputypes[32];
	int pi_clock;
} processor_info_t;

typedef struct cpu_chip {
	chipid_t chip_id;
} chip_t;

typedef struct cpu {
	processorid_t cpu_id;
	int cpu_seqid;
	ushort_t cpu_flags;
	struct _kthread *cpu_thread;
	struct _kthread *cpu_idle_thread;
	disp_t *cpu_disp;
	struct _kthread *cpu_dispthread;
	pri_t cpu_dispatch_pri;
	uint16_t cpu_intr_actv;
	char cpu_runrun;
	char cpu_kprunrun;
	cpupart_t *cpu_part;
	struct lgrp_ld *cpu_lpl;
	processor_info_t cpu_type_info;
	chipid_t cpu_chip;
	lgrp_id_t cpu_lgrp;
} cpu_t;

/* Threads. */
typedef struct _kthread_sobj_ops {
	int sobj_type;
} sobj_ops_t;

typedef struct _kthread {
	struct _kthread *t_link;
	caddr_t t_stk;
	void *t_startpc;
	struct cpu *t_bound_cpu;
	short t_affinitycnt;
	ushort_t t_flag;
	ushort_t t_proc_flag;
	ushort_t t_schedflag;
	uint_t t_state;
	pri_t t_pri;
	pri_t t_epri;
	pri_t t_preempt;
	char t_nice;
	caddr_t t_wchan0;
	caddr_t t_wchan;
	lock_t *t_lockp;
	clock_t t_stime;
	uint_t t_dtrace_stop;
	sobj_ops_t *t_sobj_ops;
	id_t t_cid;
	void *t_cldata;
	struct _klwp *t_lwp;
	struct proc *t_procp;
	struct cred *t_cred;
	struct cpu *t_cpu;
	struct cpu *t_disp_queue_cpu;
	uint64_t t_did;
	id_t t_tid;
	short t_sysnum;
	hrtime_t t_waitrq;
	int t_bind_cpu;
	psetid_t t_bind_pset;
	struct cpupart *t_cpupart;
	int t_hrtime;
	struct task *t_task;
	char *t_name;
} kthread_t;

/* Thread states (t_state). */
inline uint_t TS_FREE = 0x00;
inline uint_t TS_SLEEP = 0x01;
inline uint_t TS_RUN = 0x02;
inline uint_t TS_ONPROC = 0x04;
inline uint_t TS_ZOMB = 0x08;
inline uint_t TS_STOPPED = 0x10;
inline uint_t TS_WAIT = 0x20;

/* Block I/O: a buffer and the device node it goes to. */
typedef struct buf {
	int b_flags;
	struct buf *b_forw;
	struct buf *b_back;
	size_t b_bcount;
	union {
		caddr_t b_addr;
		struct fs *b_fs;
		struct cg *b_cg;
		struct dinode *b_dino;
		daddr32_t *b_daddr;
	} b_un;
	lldaddr_t _b_blkno;
	char b_obs1;
	size_t b_resid;
	clock_t b_start;
	struct proc *b_proc;
	struct page *b_pages;
	clock_t b_obs2;
	size_t b_bufsize;
	int (*b_iodone)(struct buf *);
	struct vnode *b_vp;
	struct buf *b_chain;
	int b_obs3;
	int b_error;
	void *b_private;
	dev_t b_edev;
	void *b_dip;
	offset_t b_offset;
	struct _kthread *b_orig;
	offset_t b_file;
	diskaddr_t b_lblkno;
} buf_t;

struct dev_info {
	struct dev_info *devi_parent;
	struct dev_info *devi_child;
	struct dev_info *devi_sibling;
	char *devi_binding_name;
	char *devi_addr;
	int devi_nodeid;
	int devi_instance;
	char *devi_node_name;
	major_t devi_major;
	uint_t devi_state;
};

typedef struct dev_info dev_info_t;

/* STREAMS: messages and queues. */
typedef struct datab {
	unsigned char *db_base;
	unsigned char *db_lim;
	unsigned char db_ref;
	unsigned char db_type;
	uint32_t db_cksumstart;
} dblk_t;

typedef struct msgb {
	struct msgb *b_next;
	struct msgb *b_prev;
	struct msgb *b_cont;
	unsigned char *b_rptr;
	unsigned char *b_wptr;
	struct datab *b_datap;
	unsigned char b_band;
	unsigned short b_flag;
} mblk_t;

struct module_info {
	ushort_t mi_idnum;
	char *mi_idname;
	ssize_t mi_minpsz;
	ssize_t mi_maxpsz;
	size_t mi_hiwat;
	size_t mi_lowat;
};

struct qinit {
	int (*qi_putp)();
	int (*qi_srvp)();
	struct module_info *qi_minfo;
};

typedef struct queue {
	struct qinit *q_qinfo;
	struct msgb *q_first;
	struct msgb *q_last;
	struct queue *q_next;
	void *q_ptr;
	size_t q_count;
	uint_t q_flag;
	ssize_t q_minpsz;
	ssize_t q_maxpsz;
	size_t q_hiwat;
	size_t q_lowat;
} queue_t;

/* Kernel memory caches (kmem_cache_alloc's first argument). */
typedef struct kmem_cache {
	char cache_name[32];
	size_t cache_bufsize;
	size_t cache_align;
	uint64_t cache_alloc_fail;
	uint64_t cache_slab_create;
} kmem_cache_t;

/* Signal information (proc:::fault, signal-handle). */
typedef struct k_siginfo {
	int si_signo;
	int si_code;
	int si_errno;
	pid_t si_pid;
	uid_t si_uid;
	void *si_addr;
	int si_status;
	long si_band;
} k_siginfo_t;

typedef k_siginfo_t siginfo_t;

/* Locks as lockstat passes them; their words are the kernel's business. */
typedef struct mutex {
	void *_opaque[1];
} kmutex_t;

typedef struct _krwlock {
	void *_opaque[1];
} krwlock_t;

typedef struct _kcondvar {
	ushort_t _opaque;
} kcondvar_t;

/*
 * Page faults (as_fault, segment fault routines): the kind of fault and
 * the access that caused it.
 */
enum fault_type {
	F_INVAL,
	F_PROT,
	F_SOFTLOCK,
	F_SOFTUNLOCK
};

enum seg_rw {
	S_OTHER,
	S_READ,
	S_WRITE,
	S_EXEC,
	S_CREATE,
	S_READ_NOCOW
};

/* Data moving between the kernel and a buffer (fop_read, fop_write). */
typedef enum uio_rw {
	UIO_READ,
	UIO_WRITE
} uio_rw_t;

typedef enum uio_seg {
	UIO_USERSPACE,
	UIO_SYSSPACE,
	UIO_USERISPACE
} uio_seg_t;

typedef struct iovec {
	caddr_t iov_base;
	size_t iov_len;
} iovec_t;

typedef struct uio {
	iovec_t *uio_iov;
	int uio_iovcnt;
	offset_t uio_loffset;
	uio_seg_t uio_segflg;
	uint16_t uio_fmode;
	uint16_t uio_extflg;
	offset_t uio_limit;
	ssize_t uio_resid;
} uio_t;

/* Vnode attributes (fop_getattr, fop_setattr). */
typedef struct vattr {
	uint_t va_mask;
	vtype_t va_type;
	mode_t va_mode;
	uid_t va_uid;
	gid_t va_gid;
	dev_t va_fsid;
	u_longlong_t va_nodeid;
	nlink_t va_nlink;
	u_offset_t va_size;
	timestruc_t va_atime;
	timestruc_t va_mtime;
	timestruc_t va_ctime;
	dev_t va_rdev;
	uint_t va_blksize;
	u_longlong_t va_nblocks;
	uint_t va_seq;
} vattr_t;

/* A path name being looked up (lookuppn, fop_lookup). */
typedef struct pathname {
	char *pn_buf;
	char *pn_path;
	size_t pn_pathlen;
	size_t pn_bufsize;
} pathname_t;

/* Who is calling a file-system operation (fop_*'s last argument). */
typedef struct caller_context {
	pid_t cc_pid;
	int cc_sysid;
	u_longlong_t cc_caller_id;
	ulong_t cc_flags;
} caller_context_t;
