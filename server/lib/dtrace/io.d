/*
 * io.d -- what the io provider and file-descriptor scripts read:
 * bufinfo_t, devinfo_t, fileinfo_t, their translators, the open(2) and
 * block-request constants, and the fds[] inline array.
 *
 * One file of the D library our front end compiles before every user
 * script. Written for this project.
 *
 * Flavour: the generic FreeBSD-like kernel of kernel.d (block requests
 * are struct bio, devices are described by struct devstat, vnodes carry
 * a cached path). The O_ and BIO_ values are FreeBSD's. Per-flavour
 * catalogues arrive later.
 */

#pragma D depends_on library types.d
#pragma D depends_on library kernel.d

/* One block I/O request. */
typedef struct bufinfo {
	int b_cmd;
	int b_flags;
	long b_bcount;
	caddr_t b_addr;
	uint64_t b_blkno;
	uint64_t b_lblkno;
	size_t b_resid;
	size_t b_bufsize;
	int b_error;
} bufinfo_t;

/* The device a request goes to. */
typedef struct devinfo {
	int dev_major;
	int dev_minor;
	int dev_instance;
	int dev_type;
	string dev_name;
	string dev_statname;
	string dev_pathname;
} devinfo_t;

/* A file, as reached from a descriptor, a vnode or a request. */
typedef struct fileinfo {
	string fi_name;
	string fi_dirname;
	string fi_pathname;
	offset_t fi_offset;
	string fi_fs;
	string fi_mount;
	int fi_oflags;
} fileinfo_t;

/*
 * fi_oflags holds open(2) flags. The access mode is a two-bit field, not
 * a set of bits: compare (fi_oflags & O_ACCMODE) with O_RDONLY, O_WRONLY
 * or O_RDWR; the other flags can be tested one by one.
 */
inline int O_ACCMODE = 0x0003;
#pragma D binding "1.1" O_ACCMODE
inline int O_RDONLY = 0x0000;
#pragma D binding "1.1" O_RDONLY
inline int O_WRONLY = 0x0001;
#pragma D binding "1.1" O_WRONLY
inline int O_RDWR = 0x0002;
#pragma D binding "1.1" O_RDWR
inline int O_NONBLOCK = 0x0004;
#pragma D binding "1.1" O_NONBLOCK
inline int O_NDELAY = 0x0004;
#pragma D binding "1.1" O_NDELAY
inline int O_APPEND = 0x0008;
#pragma D binding "1.1" O_APPEND
inline int O_SYNC = 0x0080;
#pragma D binding "1.1" O_SYNC
inline int O_CREAT = 0x0200;
#pragma D binding "1.1" O_CREAT
inline int O_TRUNC = 0x0400;
#pragma D binding "1.1" O_TRUNC
inline int O_EXCL = 0x0800;
#pragma D binding "1.1" O_EXCL
inline int O_NOCTTY = 0x8000;
#pragma D binding "1.1" O_NOCTTY

/* b_cmd: what a block request asks the device to do. */
inline int BIO_READ = 0x01;
#pragma D binding "1.13" BIO_READ
inline int BIO_WRITE = 0x02;
#pragma D binding "1.13" BIO_WRITE
inline int BIO_DELETE = 0x03;
#pragma D binding "1.13" BIO_DELETE
inline int BIO_GETATTR = 0x04;
#pragma D binding "1.13" BIO_GETATTR
inline int BIO_FLUSH = 0x05;
#pragma D binding "1.13" BIO_FLUSH

/*
 * The generic kernel numbers blocks once (bio_pblkno), so the device and
 * logical block numbers agree; the whole transfer is the buffer.
 */
translator bufinfo_t < struct bio *B > {
	b_cmd = B->bio_cmd;
	b_flags = B->bio_flags;
	b_bcount = B->bio_bcount;
	b_addr = B->bio_data;
	b_blkno = B->bio_pblkno;
	b_lblkno = B->bio_pblkno;
	b_resid = B->bio_resid;
	b_bufsize = B->bio_length;
	b_error = B->bio_error;
};

/* A device is a driver name plus a unit number ("ada" and 0: ada0). */
translator devinfo_t < struct devstat *D > {
	dev_major = D->device_number;
	dev_minor = D->unit_number;
	dev_instance = D->unit_number;
	dev_type = D->device_type;
	dev_name = stringof(D->device_name);
	dev_statname = strjoin(stringof(D->device_name), lltostr(D->unit_number));
	dev_pathname = strjoin("/dev/", strjoin(stringof(D->device_name),
	    lltostr(D->unit_number)));
};

/*
 * A descriptor with no file gives "<none>"; one whose file has no vnode
 * (a socket, a pipe) or whose vnode has no cached path gives "<unknown>".
 * The kernel stores open flags plus one in f_flag (so that the access
 * mode becomes a pair of read/write bits); fi_oflags undoes that.
 */
#pragma D binding "1.1" translator
translator fileinfo_t < struct file *F > {
	fi_name = F == NULL ? "<none>" :
	    F->f_vnode == NULL || F->f_vnode->v_path == NULL ? "<unknown>" :
	    basename(cleanpath(F->f_vnode->v_path));
	fi_dirname = F == NULL ? "<none>" :
	    F->f_vnode == NULL || F->f_vnode->v_path == NULL ? "<unknown>" :
	    dirname(cleanpath(F->f_vnode->v_path));
	fi_pathname = F == NULL ? "<none>" :
	    F->f_vnode == NULL || F->f_vnode->v_path == NULL ? "<unknown>" :
	    cleanpath(F->f_vnode->v_path);
	fi_offset = F == NULL ? 0 : F->f_offset;
	fi_fs = F == NULL ? "<none>" :
	    F->f_vnode == NULL || F->f_vnode->v_mount == NULL ? "<unknown>" :
	    stringof(F->f_vnode->v_mount->mnt_stat.f_fstypename);
	fi_mount = F == NULL ? "<none>" :
	    F->f_vnode == NULL || F->f_vnode->v_mount == NULL ? "<unknown>" :
	    stringof(F->f_vnode->v_mount->mnt_stat.f_mntonname);
	fi_oflags = F == NULL ? 0 : F->f_flag - 1;
};

/* A vnode alone has no offset and no open flags. */
#pragma D binding "1.2" translator
translator fileinfo_t < struct vnode *V > {
	fi_name = V->v_path == NULL ? "<unknown>" :
	    basename(cleanpath(V->v_path));
	fi_dirname = V->v_path == NULL ? "<unknown>" :
	    dirname(cleanpath(V->v_path));
	fi_pathname = V->v_path == NULL ? "<unknown>" : cleanpath(V->v_path);
	fi_fs = V->v_mount == NULL ? "<unknown>" :
	    stringof(V->v_mount->mnt_stat.f_fstypename);
	fi_mount = V->v_mount == NULL ? "<unknown>" :
	    stringof(V->v_mount->mnt_stat.f_mntonname);
};

/*
 * fds[n]: the current process's descriptor n. Out-of-range descriptors
 * translate a NULL file, so they read as "<none>" rather than faulting.
 */
inline fileinfo_t fds[int fd] = xlate <fileinfo_t> (
    fd >= 0 && fd < curthread->td_proc->p_fd->fd_nfiles ?
    curthread->td_proc->p_fd->fd_ofiles[fd] : NULL);
#pragma D attributes Stable/Stable/Common fds
#pragma D binding "1.1" fds
