/*
 * io.d -- bufinfo_t, devinfo_t and fileinfo_t, translated from the
 * struct buf every io probe passes, from an open file (struct fileglob)
 * and from a vnode; the fds[] inline array; the B_ buffer flags and the
 * DTYPE_ kinds of open file.
 *
 * One file of the D library our front end compiles before every user
 * script. Written for this project.
 *
 * Flavour: macOS (sys/buf.h, sys/file_internal.h): B_READ is 0x1 and
 * B_WRITE 0, so (b_flags & B_READ) tells the direction. Device names
 * come from tables our declarations do not model, so dev_statname reads
 * the device number; the file name is the vnode's v_name. The open(2)
 * flags fi_oflags holds are fcntl.d's O_ values.
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

/* b_flags: the public buffer flags (B_WRITE is no bit: not B_READ). */
inline int B_WRITE = 0x00000000;
inline int B_READ = 0x00000001;
inline int B_ASYNC = 0x00000002;
inline int B_NOCACHE = 0x00000004;
inline int B_DELWRI = 0x00000008;
inline int B_LOCKED = 0x00000010;
inline int B_PHYS = 0x00000020;
inline int B_CLUSTER = 0x00000040;
inline int B_PAGEIO = 0x00000080;
inline int B_META = 0x00000100;
inline int B_RAW = 0x00000200;
inline int B_FUA = 0x00000400;
inline int B_PASSIVE = 0x00000800;

/* fo_type of an open file's operations: what its fg_data points to. */
inline int DTYPE_VNODE = 1;
inline int DTYPE_SOCKET = 2;
inline int DTYPE_PSXSHM = 3;
inline int DTYPE_PSXSEM = 4;
inline int DTYPE_KQUEUE = 5;
inline int DTYPE_PIPE = 6;
inline int DTYPE_FSEVENTS = 7;

translator bufinfo_t < struct buf *B > {
	b_flags = B->b_flags;
	b_bcount = B->b_bcount;
	b_addr = (caddr_t)B->b_datap;
	b_lblkno = B->b_lblkno;
	b_blkno = B->b_blkno;
	b_resid = B->b_resid;
	b_bufsize = B->b_bufsize;
	b_iodone = NULL;
	b_error = B->b_error;
	b_edev = B->b_dev;
};

/* dev_t packs an 8-bit major above a 24-bit minor. */
translator devinfo_t < struct buf *B > {
	dev_major = (B->b_dev >> 24) & 0xff;
	dev_minor = B->b_dev & 0xffffff;
	dev_instance = B->b_dev & 0xffffff;
	dev_name = "??";
	dev_statname = lltostr(B->b_dev);
	dev_pathname = "??";
};

translator fileinfo_t < struct buf *B > {
	fi_name = B->b_vp == NULL || B->b_vp->v_name == NULL ? "<unknown>" :
	    stringof(B->b_vp->v_name);
	fi_dirname = B->b_vp == NULL || B->b_vp->v_parent == NULL ||
	    B->b_vp->v_parent->v_name == NULL ? "<unknown>" :
	    stringof(B->b_vp->v_parent->v_name);
	fi_pathname = B->b_vp == NULL || B->b_vp->v_name == NULL ? "<unknown>" :
	    stringof(B->b_vp->v_name);
	fi_offset = B->b_lblkno;
	fi_fs = B->b_vp == NULL || B->b_vp->v_mount == NULL ? "<unknown>" :
	    stringof(B->b_vp->v_mount->mnt_vfsstat.f_fstypename);
	fi_mount = B->b_vp == NULL || B->b_vp->v_mount == NULL ? "<unknown>" :
	    stringof(B->b_vp->v_mount->mnt_vfsstat.f_mntonname);
	fi_oflags = 0;
};

/*
 * An open file. Only a vnode has a name and a file system; the other
 * kinds are named for what they are. The kernel keeps the access mode
 * as FREAD/FWRITE bits, one more than O_RDONLY/O_WRONLY/O_RDWR.
 */
translator fileinfo_t < struct fileglob *F > {
	fi_name = F == NULL ? "<none>" :
	    F->fg_ops->fo_type == DTYPE_VNODE ?
	    (((struct vnode *)F->fg_data)->v_name == NULL ? "<unknown>" :
	    stringof(((struct vnode *)F->fg_data)->v_name)) :
	    F->fg_ops->fo_type == DTYPE_SOCKET ? "<socket>" :
	    F->fg_ops->fo_type == DTYPE_PIPE ? "<pipe>" :
	    F->fg_ops->fo_type == DTYPE_KQUEUE ? "<kqueue>" :
	    F->fg_ops->fo_type == DTYPE_PSXSHM ? "<shared memory>" :
	    F->fg_ops->fo_type == DTYPE_PSXSEM ? "<semaphore>" :
	    F->fg_ops->fo_type == DTYPE_FSEVENTS ? "<fsevents>" : "<unknown>";
	fi_dirname = F == NULL ? "<none>" :
	    F->fg_ops->fo_type != DTYPE_VNODE ? "<unknown (not a vnode)>" :
	    ((struct vnode *)F->fg_data)->v_parent == NULL ||
	    ((struct vnode *)F->fg_data)->v_parent->v_name == NULL ? "<unknown>" :
	    stringof(((struct vnode *)F->fg_data)->v_parent->v_name);
	fi_pathname = F == NULL ? "<none>" :
	    F->fg_ops->fo_type != DTYPE_VNODE ? "<unknown (not a vnode)>" :
	    ((struct vnode *)F->fg_data)->v_name == NULL ? "<unknown>" :
	    stringof(((struct vnode *)F->fg_data)->v_name);
	fi_offset = F == NULL ? 0 : F->fg_offset;
	fi_fs = F == NULL ? "<none>" :
	    F->fg_ops->fo_type != DTYPE_VNODE ? "<unknown (not a vnode)>" :
	    stringof(((struct vnode *)F->fg_data)->v_mount->mnt_vtable->vfc_name);
	fi_mount = F == NULL ? "<none>" :
	    F->fg_ops->fo_type != DTYPE_VNODE ? "<unknown (not a vnode)>" :
	    ((struct vnode *)F->fg_data)->v_mount->mnt_vnodecovered == NULL ? "/" :
	    stringof(((struct vnode *)F->fg_data)->v_mount->mnt_vfsstat.f_mntonname);
	fi_oflags = F == NULL ? 0 : F->fg_flag - 1;
};

/*
 * fds[n]: the current process's descriptor n. Past the highest open
 * descriptor the file is NULL, so it reads as "<none>" rather than
 * faulting.
 */
inline fileinfo_t fds[int fd] = xlate <fileinfo_t> (
    fd >= 0 && fd <= curproc->p_fd->fd_lastfile ?
    curproc->p_fd->fd_ofiles[fd]->fp_glob : (struct fileglob *)NULL);
#pragma D attributes Stable/Stable/Common fds
#pragma D binding "1.1" fds

/* A vnode met elsewhere (vnode_t arguments of fbt probes). */
translator fileinfo_t < struct vnode *V > {
	fi_name = V->v_name == NULL ? "<unknown>" : stringof(V->v_name);
	fi_dirname = V->v_parent == NULL || V->v_parent->v_name == NULL ?
	    "<unknown>" : stringof(V->v_parent->v_name);
	fi_pathname = V->v_name == NULL ? "<unknown>" : stringof(V->v_name);
	fi_offset = 0;
	fi_fs = V->v_mount == NULL ? "<unknown>" :
	    stringof(V->v_mount->mnt_vtable->vfc_name);
	fi_mount = V->v_mount == NULL ? "<unknown>" :
	    stringof(V->v_mount->mnt_vfsstat.f_mntonname);
	fi_oflags = 0;
};
