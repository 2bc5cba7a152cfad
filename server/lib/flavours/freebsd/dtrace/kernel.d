/*
 * kernel.d -- the FreeBSD kernel structures that the library's
 * translators read and that scripts reach through curthread, args[] and
 * casts: threads and processes, credentials and jails, files, vnodes and
 * mounts, uio, name lookups, block I/O and GEOM, locks, callouts and
 * malloc types.
 *
 * One file of the D library our front end compiles before every user
 * script. Written for this project.
 *
 * DTrace proper takes these types from the running kernel's CTF data; our
 * front end has none, so each structure is declared here with the members
 * scripts commonly use, named and typed as in FreeBSD's public headers
 * (sys/proc.h, sys/ucred.h, sys/jail.h, sys/vnode.h, sys/mount.h,
 * sys/file.h, sys/filedesc.h, sys/uio.h, sys/namei.h, sys/bio.h, geom/geom.h,
 * sys/devicestat.h, sys/lock.h, sys/_mutex.h, sys/_sx.h, sys/_rwlock.h,
 * sys/_callout.h, sys/malloc.h, vm/vm_map.h). Members are a subset and
 * offsets are ours: these declarations type-check D programs, they do
 * not describe memory. A kernel type not declared here (or in
 * netinet.d) is opaque to the front end.
 *
 * One liberty: struct vnode carries v_path, a cached path name that
 * FreeBSD vnodes do not have, so that fileinfo_t can name a file.
 */

#pragma D depends_on library types.d

/* Credentials, and the jail a process lives in. */
struct prison {
	int pr_id;
	struct prison *pr_parent;
	char pr_name[256];
	char pr_path[1024];
	char pr_hostname[256];
};

struct ucred {
	u_int cr_ref;
	uid_t cr_uid;
	uid_t cr_ruid;
	uid_t cr_svuid;
	int cr_ngroups;
	gid_t cr_gid;
	gid_t cr_rgid;
	gid_t cr_svgid;
	struct prison *cr_prison;
	struct loginclass *cr_loginclass;
	u_int cr_flags;
	gid_t *cr_groups;
};

/* Job control: session and process group. */
struct session {
	pid_t s_sid;
	struct proc *s_leader;
	char s_login[40];
};

struct pgrp {
	pid_t pg_id;
	struct session *pg_session;
};

/* The saved argument strings of a process, NUL-separated. */
struct pargs {
	u_int ar_ref;
	u_int ar_length;
	u_char ar_args[1];
};

/* The ABI a process runs under. */
struct sysentvec {
	int sv_size;
	char *sv_name;
	int sv_flags;
};

inline int SV_ILP32 = 0x000100;
inline int SV_LP64 = 0x000200;

/* Files: mounts, vnodes, open files and the descriptor table. */
struct statfs {
	uint32_t f_version;
	uint32_t f_type;
	uint64_t f_flags;
	uint64_t f_bsize;
	uint64_t f_blocks;
	uint64_t f_bfree;
	char f_fstypename[16];
	char f_mntfromname[1024];
	char f_mntonname[1024];
};

struct vfsconf {
	u_int vfc_version;
	char vfc_name[16];
	int vfc_typenum;
	int vfc_refcount;
	int vfc_flags;
};

struct mount {
	struct vfsconf *mnt_vfc;
	struct vnode *mnt_vnodecovered;
	uint64_t mnt_flag;
	struct statfs mnt_stat;
	struct ucred *mnt_cred;
	void *mnt_data;
};

enum vtype {
	VNON,
	VREG,
	VDIR,
	VBLK,
	VCHR,
	VLNK,
	VSOCK,
	VFIFO,
	VBAD,
	VMARKER
};

struct vnode {
	enum vtype v_type;
	u_int v_irflag;
	const char *v_tag;
	void *v_data;
	struct mount *v_mount;
	u_int v_holdcnt;
	u_int v_usecount;
	u_int v_iflag;
	u_int v_vflag;
	char *v_path;
};

struct file {
	void *f_data;
	struct ucred *f_cred;
	struct vnode *f_vnode;
	short f_type;
	u_int f_flag;
	u_int f_count;
	off_t f_offset;
};

/*
 * A process's descriptor table: fd_files points to the table proper,
 * whose entries hold the open file and its capability rights. (C code
 * writes fd_ofiles and fd_nfiles: macros for fd_files->fdt_ofiles and
 * fd_files->fdt_nfiles, which D does not see.)
 */
struct cap_rights {
	uint64_t cr_rights[2];
};

typedef struct cap_rights cap_rights_t;

struct filecaps {
	cap_rights_t fc_rights;
	u_long *fc_ioctls;
	int16_t fc_nioctls;
	uint32_t fc_fcntls;
};

struct filedescent {
	struct file *fde_file;
	struct filecaps fde_caps;
	uint8_t fde_flags;
	uint32_t fde_seqc;
};

struct fdescenttbl {
	int fdt_nfiles;
	struct filedescent fdt_ofiles[1];
};

struct filedesc {
	struct fdescenttbl *fd_files;
	u_long *fd_map;
	int fd_freefile;
	int fd_refcnt;
	int fd_holdcnt;
};

/*
 * A process's directories (FreeBSD 13 and later keep them apart from the
 * descriptor table): current, root, jail root and audit root, and the
 * file-creation mask.
 */
struct pwd {
	u_int pwd_refcount;
	struct vnode *pwd_cdir;
	struct vnode *pwd_rdir;
	struct vnode *pwd_jdir;
	struct vnode *pwd_adir;
};

struct pwddesc {
	struct pwd *pd_pwd;
	u_int pd_refcount;
	u_short pd_cmask;
};

/* Data moving between the kernel and a buffer (read, write, VOP_READ). */
enum uio_rw {
	UIO_READ,
	UIO_WRITE
};

enum uio_seg {
	UIO_USERSPACE,
	UIO_SYSSPACE,
	UIO_NOCOPY
};

struct iovec {
	void *iov_base;
	size_t iov_len;
};

struct uio {
	struct iovec *uio_iov;
	int uio_iovcnt;
	off_t uio_offset;
	ssize_t uio_resid;
	enum uio_seg uio_segflg;
	enum uio_rw uio_rw;
	struct thread *uio_td;
};

/* One path component of a name lookup (vfs:namei, VOP_LOOKUP). */
struct componentname {
	u_long cn_origflags;
	u_long cn_nameiop;
	uint64_t cn_flags;
	struct ucred *cn_cred;
	char *cn_nameptr;
	long cn_namelen;
};

/* Virtual memory: a process's address space. */
struct vm_map {
	int nentries;
	vm_size_t size;
	u_int timestamp;
	u_int flags;
	vm_offset_t min_offset;
	vm_offset_t max_offset;
};

/* Handles of the virtual-memory system, as kernel functions take them. */
typedef struct vm_map *vm_map_t;
typedef struct vm_map_entry *vm_map_entry_t;
typedef struct vm_object *vm_object_t;
typedef struct vm_page *vm_page_t;
typedef struct pmap *pmap_t;
typedef struct uma_zone *uma_zone_t;

struct vmspace {
	struct vm_map vm_map;
	segsz_t vm_swrss;
	segsz_t vm_tsize;
	segsz_t vm_dsize;
	segsz_t vm_ssize;
	caddr_t vm_taddr;
	caddr_t vm_daddr;
	caddr_t vm_maxsaddr;
};

/* Processes. */
enum p_states {
	PRS_NEW = 0,
	PRS_NORMAL,
	PRS_ZOMBIE
};

inline int P_SYSTEM = 0x00200;

struct proc {
	struct filedesc *p_fd;
	struct pwddesc *p_pd;
	struct ucred *p_ucred;
	struct vmspace *p_vmspace;
	int p_flag;
	enum p_states p_state;
	pid_t p_pid;
	struct proc *p_pptr;
	pid_t p_oppid;
	struct proc *p_leader;
	struct proc *p_reaper;
	struct thread *p_singlethread;
	int p_suspcount;
	struct pgrp *p_pgrp;
	struct sysentvec *p_sysent;
	struct pargs *p_args;
	struct vnode *p_textvp;
	struct vnode *p_tracevp;
	int p_traceflag;
	u_int p_stops;
	int p_numthreads;
	int p_osrel;
	u_int p_fibnum;
	u_short p_xexit;
	u_char p_xsig;
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
	u_int code;
	u_int original_code;
	struct sysent *callp;
	register_t args[8];
};

struct sysent {
	int sy_narg;
	u_int sy_flags;
};

struct thread {
	struct proc *td_proc;
	lwpid_t td_tid;
	int td_flags;
	int td_pflags;
	int td_inhibitors;
	enum td_states td_state;
	u_char td_priority;
	u_char td_user_pri;
	u_char td_base_pri;
	u_char td_pri_class;
	void *td_wchan;
	const char *td_wmesg;
	const char *td_lockname;
	int td_oncpu;
	int td_lastcpu;
	int td_errno;
	u_int td_critnest;
	int td_intr_nesting_level;
	int td_swvoltick;
	int td_slptick;
	u_int td_uticks;
	u_int td_sticks;
	uint64_t td_incruntime;
	uint64_t td_runtime;
	vm_offset_t td_kstack;
	int td_kstack_pages;
	void *td_emuldata;
	struct ucred *td_ucred;
	register_t td_retval[2];
	char td_name[20];
	struct syscall_args td_sa;
};

/*
 * The illumos spellings, so that `curthread` (typed kthread_t *) and
 * scripts written for proc_t both resolve to the structures above.
 */
typedef struct proc proc_t;
typedef struct thread kthread_t;

/* The name OpenZFS's Solaris compatibility layer gives credentials. */
typedef struct ucred cred_t;

/* Block I/O: GEOM's objects, a request and its device's statistics. */
struct g_class {
	const char *name;
};

struct g_geom {
	char *name;
	struct g_class *class;
	int rank;
};

struct g_provider {
	const char *name;
	struct g_geom *geom;
	off_t mediasize;
	u_int sectorsize;
	u_int stripesize;
	int error;
};

struct g_consumer {
	struct g_geom *geom;
	struct g_provider *provider;
};

/* A device node (/dev entry). */
struct cdev {
	u_int si_flags;
	struct timespec si_atime;
	struct timespec si_ctime;
	struct timespec si_mtime;
	uid_t si_uid;
	gid_t si_gid;
	mode_t si_mode;
	struct ucred *si_cred;
	int si_drv0;
	void *si_drv1;
	void *si_drv2;
	char si_name[256];
};

struct bio {
	uint16_t bio_cmd;
	uint16_t bio_flags;
	int bio_error;
	caddr_t bio_data;
	long bio_bcount;
	long bio_resid;
	off_t bio_offset;
	off_t bio_length;
	off_t bio_completed;
	daddr_t bio_pblkno;
	struct cdev *bio_dev;
	struct g_consumer *bio_from;
	struct g_provider *bio_to;
	struct bio *bio_parent;
	struct bintime bio_t0;
};

struct devstat {
	u_int sequence0;
	int allocated;
	u_int start_count;
	u_int end_count;
	uint32_t device_number;
	char device_name[16];
	int unit_number;
	uint64_t bytes[4];
	uint64_t operations[4];
	int device_type;
};

/* Locks: every kind starts with a lock_object that names it. */
struct lock_object {
	const char *lo_name;
	u_int lo_flags;
	u_int lo_data;
};

struct mtx {
	struct lock_object lock_object;
	uintptr_t mtx_lock;
};

struct sx {
	struct lock_object lock_object;
	uintptr_t sx_lock;
};

struct rwlock {
	struct lock_object lock_object;
	uintptr_t rw_lock;
};

struct lock {
	struct lock_object lock_object;
	uintptr_t lk_lock;
	u_int lk_exslpfail;
	int lk_timo;
	int lk_pri;
};

/* Timers: a callout and the function it runs. */
struct callout {
	sbintime_t c_time;
	sbintime_t c_precision;
	void *c_arg;
	void *c_func;
	struct lock_object *c_lock;
	short c_flags;
	short c_iflags;
	int c_cpu;
};

/* Kernel malloc(9) types, as the dtmalloc provider reports them. */
struct malloc_type {
	struct malloc_type *ks_next;
	u_long ks_version;
	const char *ks_shortdesc;
	void *ks_handle;
};

struct malloc_type_stats {
	uint64_t mts_memalloced;
	uint64_t mts_memfreed;
	uint64_t mts_numallocs;
	uint64_t mts_numfrees;
	uint64_t mts_size;
};

struct malloc_type_internal {
	uint32_t mti_probes[2];
	u_char mti_zone;
};

/* Per-CPU data (curcpu, sched's cpuinfo_t). */
struct pcpu {
	struct thread *pc_curthread;
	struct thread *pc_idlethread;
	u_int pc_cpuid;
	int pc_domain;
};

/* Signal information (proc:::signal-clear passes a ksiginfo_t *). */
union sigval {
	int sival_int;
	void *sival_ptr;
};

typedef struct __siginfo {
	int si_signo;
	int si_errno;
	int si_code;
	pid_t si_pid;
	uid_t si_uid;
	int si_status;
	void *si_addr;
	union sigval si_value;
	long si_band;
} siginfo_t;

typedef struct ksiginfo {
	siginfo_t ksi_info;
	int ksi_flags;
} ksiginfo_t;

/* The in-kernel audit record (audit provider, security/audit/audit_private.h). */
struct audit_record {
	u_int ar_magic;
	int ar_event;
	int ar_retval;
	int ar_errno;
	struct timespec ar_starttime;
	struct timespec ar_endtime;
	uint64_t ar_valid_arg;
	uid_t ar_subj_ruid;
	gid_t ar_subj_rgid;
	gid_t ar_subj_egid;
	uid_t ar_subj_auid;
	pid_t ar_subj_asid;
	pid_t ar_subj_pid;
	char ar_subj_comm[20];
	char *ar_arg_upath1;
	char *ar_arg_upath2;
	char *ar_arg_text;
	int ar_arg_fd;
	int ar_arg_fflags;
	mode_t ar_arg_mode;
	uid_t ar_arg_uid;
	gid_t ar_arg_gid;
	pid_t ar_arg_pid;
	int ar_arg_signum;
	int ar_arg_cmd;
};

/* A buffer-cache buffer (bufwrite, bufdone, racct's add-buf). */
struct buf {
	uint8_t b_iocmd;
	uint8_t b_ioflags;
	off_t b_iooffset;
	long b_resid;
	void *b_caller1;
	caddr_t b_data;
	int b_error;
	uint16_t b_iodone_flags;
	long b_bcount;
	daddr_t b_blkno;
	daddr_t b_lblkno;
	off_t b_offset;
	int b_flags;
	int b_xflags;
	long b_bufsize;
	int b_runningbufspace;
	int b_kvasize;
	int b_dirtyoff;
	int b_dirtyend;
	struct vnode *b_vp;
	struct ucred *b_rcred;
	struct ucred *b_wcred;
	int b_npages;
};

/* A path lookup in progress (namei(9)). */
struct nameidata {
	const char *ni_dirp;
	int ni_dirfd;
	struct vnode *ni_startdir;
	struct vnode *ni_rootdir;
	struct vnode *ni_topdir;
	struct vnode *ni_vp;
	struct vnode *ni_dvp;
	size_t ni_pathlen;
	char *ni_next;
	u_int ni_loopcnt;
	struct componentname ni_cnd;
};
