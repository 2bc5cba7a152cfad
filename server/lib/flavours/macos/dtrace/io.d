/*
 * io.d -- bufinfo_t, devinfo_t and fileinfo_t, translated from the
 * struct buf every io probe passes, and the B_ buffer flags.
 *
 * One file of the D library our front end compiles before every user
 * script. Written for this project.
 *
 * Flavour: macOS (sys/buf.h): B_READ is 0x10 here. Device names come
 * from tables our declarations do not model, so dev_statname reads the
 * device number; the file name is the vnode's v_name.
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
} fileinfo_t;

inline int B_WRITE = 0x00000000;
inline int B_READ = 0x00000010;
inline int B_ASYNC = 0x00000100;
inline int B_NOCACHE = 0x00000200;
inline int B_DELWRI = 0x00000400;
inline int B_PHYS = 0x00000800;
inline int B_ERROR = 0x00080000;

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
};
