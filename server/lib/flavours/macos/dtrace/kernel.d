/*
 * kernel.d -- the documented minimum of the XNU kernel structures that
 * the library's translators and inlines read: processes, threads and
 * their BSD side (uthread), tasks, processors, credentials, file
 * descriptor tables and open files, vnodes, mounts and buffers.
 *
 * One file of the D library our front end compiles before every user
 * script. Written for this project.
 *
 * Flavour: macOS. XNU's structures are private and change between
 * releases; only members that Apple's own D library (darwin.d, io.d)
 * and well-known scripts read are declared, with their types
 * (bsd/sys/proc_internal.h, bsd/sys/user.h, osfmk/kern/thread.h,
 * osfmk/kern/task.h, osfmk/kern/processor.h, bsd/sys/ucred.h,
 * bsd/sys/vnode_internal.h, bsd/sys/mount_internal.h,
 * bsd/sys/file_internal.h, bsd/sys/filedesc.h, bsd/sys/buf_internal.h).
 * Anything else is opaque to the front end.
 */

#pragma D depends_on library types.d

/* Credentials: the POSIX part of a kauth credential. */
struct posix_cred {
	uid_t cr_uid;
	uid_t cr_ruid;
	uid_t cr_svuid;
	short cr_ngroups;
	gid_t cr_groups[16];
	gid_t cr_rgid;
	gid_t cr_svgid;
	uid_t cr_gmuid;
	int cr_flags;
};

struct ucred {
	u_long cr_ref;
	struct posix_cred cr_posix;
};

/* Files: mounts, vnodes and the descriptor table's directories. */
struct vfsstatfs {
	uint32_t f_bsize;
	size_t f_iosize;
	uint64_t f_blocks;
	uint64_t f_bfree;
	uint64_t f_files;
	char f_fstypename[16];
	char f_mntonname[1024];
	char f_mntfromname[1024];
};

/* A file-system type's entry in the kernel's table (vfc_name: "apfs", "hfs"). */
struct vfstable {
	char vfc_name[15];
	int vfc_typenum;
	int vfc_refcount;
	int vfc_flags;
};

struct mount {
	struct vfstable *mnt_vtable;
	struct vnode *mnt_vnodecovered;
	struct vfsstatfs mnt_vfsstat;
	uint32_t mnt_flag;
	uint32_t mnt_kern_flag;
};

struct vnode {
	uint16_t v_type;
	uint16_t v_tag;
	uint32_t v_id;
	const char *v_name;
	struct vnode *v_parent;
	struct mount *v_mount;
	void *v_data;
};

typedef struct vnode *vnode_t;
typedef struct mount *mount_t;
typedef struct ucred *kauth_cred_t;
typedef struct vfs_context *vfs_context_t;
typedef struct _vm_map *vm_map_t;
typedef struct pmap *pmap_t;
typedef struct coalition *coalition_t;
typedef uint32_t kma_flags_t;

/*
 * A name being looked up, and the argument blocks of the vnode
 * operations file systems implement (hfs_vnop_read, apfs_vnop_lookup
 * ...): the kernel programming interface's layouts (sys/vnode.h,
 * sys/vnode_if.h).
 */
struct componentname {
	uint32_t cn_nameiop;
	uint32_t cn_flags;
	void *cn_reserved1;
	void *cn_reserved2;
	char *cn_pnbuf;
	int cn_pnlen;
	char *cn_nameptr;
	int cn_namelen;
	uint32_t cn_hash;
	uint32_t cn_consume;
};

struct vnop_lookup_args {
	struct vnodeop_desc *a_desc;
	vnode_t a_dvp;
	vnode_t *a_vpp;
	struct componentname *a_cnp;
	vfs_context_t a_context;
};

struct vnop_open_args {
	struct vnodeop_desc *a_desc;
	vnode_t a_vp;
	int a_mode;
	vfs_context_t a_context;
};

struct vnop_close_args {
	struct vnodeop_desc *a_desc;
	vnode_t a_vp;
	int a_fflag;
	vfs_context_t a_context;
};

struct vnop_read_args {
	struct vnodeop_desc *a_desc;
	vnode_t a_vp;
	struct uio *a_uio;
	int a_ioflag;
	vfs_context_t a_context;
};

struct vnop_write_args {
	struct vnodeop_desc *a_desc;
	vnode_t a_vp;
	struct uio *a_uio;
	int a_ioflag;
	vfs_context_t a_context;
};

struct vnop_getattr_args {
	struct vnodeop_desc *a_desc;
	vnode_t a_vp;
	struct vnode_attr *a_vap;
	vfs_context_t a_context;
};

struct vnop_strategy_args {
	struct vnodeop_desc *a_desc;
	struct buf *a_bp;
};

/*
 * Open files: a descriptor table entry (fileproc) points to the open
 * file proper (fileglob), whose operations vector says what kind of
 * object fg_data is (fo_type, a DTYPE_ value of io.d).
 */
struct fileops {
	int fo_type;
};

struct fileglob {
	uint32_t fg_flag;
	const struct fileops *fg_ops;
	off_t fg_offset;
	void *fg_data;
	kauth_cred_t fg_cred;
};

struct fileproc {
	unsigned int fp_flags;
	struct fileglob *fp_glob;
};

struct filedesc {
	struct fileproc **fd_ofiles;
	char *fd_ofileflags;
	struct vnode *fd_cdir;
	struct vnode *fd_rdir;
	int fd_nfiles;
	int fd_lastfile;
};

/* Block I/O buffers (the io provider's native argument). */
struct buf {
	int b_flags;
	int b_lflags;
	uint32_t b_bufsize;
	uint32_t b_bcount;
	uint32_t b_resid;
	int b_error;
	dev_t b_dev;
	uintptr_t b_datap;
	daddr64_t b_lblkno;
	daddr64_t b_blkno;
	struct vnode *b_vp;
};

typedef struct buf *buf_t;

/* Sessions and process groups. */
struct session {
	pid_t s_sid;
	struct proc *s_leader;
	struct vnode *s_ttyvp;
	char s_login[255];
};

struct pgrp {
	pid_t pg_id;
	struct session *pg_session;
};

/* Processes (the BSD side of a task). */
struct proc {
	pid_t p_pid;
	pid_t p_ppid;
	pid_t p_pgrpid;
	uid_t p_uid;
	gid_t p_gid;
	uid_t p_ruid;
	gid_t p_rgid;
	uid_t p_svuid;
	gid_t p_svgid;
	uint64_t p_uniqueid;
	void *task;
	struct pgrp *p_pgrp;
	struct ucred *p_ucred;
	struct filedesc *p_fd;
	unsigned int p_flag;
	unsigned int p_lflag;
	char p_stat;
	struct timeval p_start;
	int p_argslen;
	int p_argc;
	user_addr_t user_stack;
	user_addr_t p_dtrace_argv;
	user_addr_t p_dtrace_envp;
	struct vnode *p_textvp;
	char p_comm[17];
	char p_name[33];
};

typedef struct proc *proc_t;

/* Process flag bits (p_flag). */
inline int P_LP64 = 0x00000004;
inline int P_SYSTEM = 0x00000200;

/* Tasks (the Mach side), with the BSD process they carry. */
struct task {
	void *map;
	int thread_count;
	int suspend_count;
	void *bsd_info;
};

/* The BSD side of a thread. */
struct uthread {
	caddr_t uu_wchan;
	const char *uu_wmesg;
	int uu_code;
	int uu_flag;
	struct proc *uu_proc;
	int uu_rval[2];
};

typedef struct uthread *uthread_t;

inline int UT_VFORK = 0x02000000;

/* A processor (CPU) and the thread running on it. */
struct processor {
	int state;
	struct thread *active_thread;
	struct thread *idle_thread;
	int cpu_id;
};

typedef struct processor *processor_t;

/* Mach threads. */
struct thread {
	uint64_t thread_id;
	int state;
	int sched_mode;
	int sched_pri;
	int base_pri;
	int max_priority;
	int task_priority;
	uint32_t thread_tag;
	void *wait_event;
	struct processor *last_processor;
	struct task *task;
	void *uthread;
	vm_offset_t kernel_stack;
};

typedef struct thread *thread_t;

/* The name D gives curthread's type on every system. */
typedef struct thread kthread_t;

/* Thread scheduler states (state) and tags (thread_tag). */
inline int TH_WAIT = 0x01;
inline int TH_SUSP = 0x02;
inline int TH_RUN = 0x04;
inline int TH_UNINT = 0x08;
inline int TH_TERMINATE = 0x10;
inline int TH_TERMINATE2 = 0x20;
inline int TH_IDLE = 0x80;
inline uint32_t THREAD_TAG_MAINTHREAD = 0x1;
inline uint32_t THREAD_TAG_CALLOUT = 0x2;
inline uint32_t THREAD_TAG_IOWORKLOOP = 0x4;

/*
 * The current thread's BSD side, and its process: a vfork child's
 * process is the uthread's, any other thread's the task's.
 */
inline struct uthread *uthread = (struct uthread *)curthread->uthread;
inline struct proc *curproc =
    (uthread != NULL && (uthread->uu_flag & UT_VFORK) && uthread->uu_proc != NULL) ?
    uthread->uu_proc : (struct proc *)curthread->task->bsd_info;
