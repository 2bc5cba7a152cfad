/*
 * io.d -- what the io provider's arguments translate to: bufinfo_t,
 * devinfo_t and fileinfo_t, from the buf_t every probe passes; the
 * fds[] inline array; the B_ buffer flags and the open(2) flags.
 *
 * One file of the D library our front end compiles before every user
 * script. Written for this project.
 *
 * Flavour: illumos (sys/buf.h, sys/file.h, sys/fcntl.h). The device is
 * named from b_edev through the kernel's device tables, which our
 * declarations do not model: dev_name and dev_statname read the major
 * and minor numbers as text.
 */

#pragma D depends_on library types.d
#pragma D depends_on library kernel.d

typedef struct bufinfo {
	int b_flags;
	size_t b_bcount;
	caddr_t b_addr;
	uint64_t b_lblkno;
	uint64_t b_blkno;
	size_t b_resid;
	size_t b_bufsize;
	caddr_t b_iodone;
	int b_error;
	dev_t b_edev;
} bufinfo_t;

typedef struct devinfo {
	int dev_major;
	int dev_minor;
	int dev_instance;
	string dev_name;
	string dev_statname;
	string dev_pathname;
} devinfo_t;

typedef struct fileinfo {
	string fi_name;
	string fi_dirname;
	string fi_pathname;
	offset_t fi_offset;
	string fi_fs;
	string fi_mount;
	int fi_oflags;
} fileinfo_t;

/* b_flags bits. */
inline int B_BUSY = 0x0001;
inline int B_DONE = 0x0002;
inline int B_ERROR = 0x0004;
inline int B_PAGEIO = 0x0010;
inline int B_PHYS = 0x0020;
inline int B_READ = 0x0040;
inline int B_WRITE = 0x0100;
inline int B_KERNBUF = 0x0008;
inline int B_WANTED = 0x0080;
inline int B_AGE = 0x000200;
inline int B_ASYNC = 0x000400;
inline int B_DELWRI = 0x000800;
inline int B_STALE = 0x001000;
inline int B_DONTNEED = 0x002000;
inline int B_REMAPPED = 0x004000;
inline int B_FREE = 0x008000;
inline int B_INVAL = 0x010000;
inline int B_FORCE = 0x020000;
inline int B_NOCACHE = 0x080000;
inline int B_TRUNC = 0x100000;
inline int B_SHADOW = 0x200000;
inline int B_RETRYWRI = 0x400000;
inline int B_FAILFAST = 0x1000000;

/* fi_oflags: open(2) flags; the access mode is a two-bit field. */
inline int O_ACCMODE = 0x0003;
#pragma D binding "1.1" O_ACCMODE
inline int O_RDONLY = 0x0000;
#pragma D binding "1.1" O_RDONLY
inline int O_WRONLY = 0x0001;
#pragma D binding "1.1" O_WRONLY
inline int O_RDWR = 0x0002;
#pragma D binding "1.1" O_RDWR
inline int O_NDELAY = 0x0004;
#pragma D binding "1.1" O_NDELAY
inline int O_APPEND = 0x0008;
#pragma D binding "1.1" O_APPEND
inline int O_SYNC = 0x0010;
#pragma D binding "1.1" O_SYNC
inline int O_DSYNC = 0x0040;
#pragma D binding "1.1" O_DSYNC
inline int O_NONBLOCK = 0x0080;
#pragma D binding "1.1" O_NONBLOCK
inline int O_CREAT = 0x0100;
#pragma D binding "1.1" O_CREAT
inline int O_TRUNC = 0x0200;
#pragma D binding "1.1" O_TRUNC
inline int O_EXCL = 0x0400;
#pragma D binding "1.1" O_EXCL
inline int O_NOCTTY = 0x0800;
#pragma D binding "1.1" O_NOCTTY
inline int O_LARGEFILE = 0x2000;
#pragma D binding "1.1" O_LARGEFILE
inline int O_RSYNC = 0x8000;
#pragma D binding "1.1" O_RSYNC

/* Block numbers count 512-byte units; b_lblkno is the file's view. */
translator bufinfo_t < buf_t *B > {
	b_flags = B->b_flags;
	b_bcount = B->b_bcount;
	b_addr = B->b_un.b_addr;
	b_lblkno = B->b_lblkno;
	b_blkno = B->_b_blkno;
	b_resid = B->b_resid;
	b_bufsize = B->b_bufsize;
	b_iodone = (caddr_t)B->b_iodone;
	b_error = B->b_error;
	b_edev = B->b_edev;
};

/* dev_t packs the major number above 32 bits of minor number. */
translator devinfo_t < buf_t *B > {
	dev_major = B->b_edev >> 32;
	dev_minor = B->b_edev & 0xffffffff;
	dev_instance = B->b_dip == NULL ? -1 :
	    ((struct dev_info *)B->b_dip)->devi_instance;
	dev_name = B->b_dip == NULL ? "nfs" :
	    stringof(((struct dev_info *)B->b_dip)->devi_node_name);
	dev_statname = B->b_dip == NULL ? "nfs" :
	    strjoin(stringof(((struct dev_info *)B->b_dip)->devi_node_name),
	    lltostr(((struct dev_info *)B->b_dip)->devi_instance));
	dev_pathname = B->b_dip == NULL ? "<nfs>" :
	    ddi_pathname((struct dev_info *)B->b_dip, 0);
};

/* The file a buffer belongs to, through its vnode's cached path. */
translator fileinfo_t < buf_t *B > {
	fi_name = B->b_vp == NULL || B->b_vp->v_path == NULL ? "<unknown>" :
	    basename(cleanpath(B->b_vp->v_path));
	fi_dirname = B->b_vp == NULL || B->b_vp->v_path == NULL ? "<unknown>" :
	    dirname(cleanpath(B->b_vp->v_path));
	fi_pathname = B->b_vp == NULL || B->b_vp->v_path == NULL ? "<unknown>" :
	    cleanpath(B->b_vp->v_path);
	fi_offset = B->b_offset;
	fi_fs = B->b_vp == NULL ? "<none>" : "<unknown>";
	fi_mount = B->b_vp == NULL ? "<none>" : "<unknown>";
	fi_oflags = 0;
};

/*
 * An open file: no file gives "<none>", a vnode without a cached path
 * "<unknown>". The kernel keeps open flags less one (FREAD|FWRITE for
 * the access mode), which fi_oflags undoes.
 */
#pragma D binding "1.1" translator
translator fileinfo_t < file_t *F > {
	fi_name = F == NULL ? "<none>" :
	    F->f_vnode->v_path == NULL ? "<unknown>" :
	    basename(cleanpath(F->f_vnode->v_path));
	fi_dirname = F == NULL ? "<none>" :
	    F->f_vnode->v_path == NULL ? "<unknown>" :
	    dirname(cleanpath(F->f_vnode->v_path));
	fi_pathname = F == NULL ? "<none>" :
	    F->f_vnode->v_path == NULL ? "<unknown>" :
	    cleanpath(F->f_vnode->v_path);
	fi_offset = F == NULL ? 0 : F->f_offset;
	fi_fs = F == NULL ? "<none>" : "<unknown>";
	fi_mount = F == NULL ? "<none>" :
	    F->f_vnode->v_vfsp == NULL ? "<unknown>" : "<unknown>";
	fi_oflags = F == NULL ? 0 : F->f_flag + (int)0xffffffff;
};

/* A vnode alone (fsinfo's and getf()'s view). */
#pragma D binding "1.2" translator
translator fileinfo_t < vnode_t *V > {
	fi_name = V->v_path == NULL ? "<unknown>" :
	    basename(cleanpath(V->v_path));
	fi_dirname = V->v_path == NULL ? "<unknown>" :
	    dirname(cleanpath(V->v_path));
	fi_pathname = V->v_path == NULL ? "<unknown>" : cleanpath(V->v_path);
	fi_fs = "<unknown>";
	fi_mount = "<unknown>";
};

/* fds[n]: the current process's descriptor n. */
inline fileinfo_t fds[int fd] = xlate <fileinfo_t> (
    fd >= 0 && fd < curthread->t_procp->p_user.u_finfo.fi_nfiles ?
    curthread->t_procp->p_user.u_finfo.fi_list[fd].uf_file : NULL);
#pragma D attributes Stable/Stable/Common fds
#pragma D binding "1.1" fds
