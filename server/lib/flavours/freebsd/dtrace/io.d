/*
 * io.d -- what the io provider and file-descriptor scripts read:
 * bufinfo_t, devinfo_t, fileinfo_t, their translators, the open(2) and
 * block-request constants, and the fds[] inline array.
 *
 * One file of the D library our front end compiles before every user
 * script. Written for this project.
 *
 * Flavour: FreeBSD (block requests are struct bio, devices are described
 * by struct devstat; kernel.d's vnodes carry a cached path of our own).
 * The O_, BIO_ and DEVSTAT_ values are FreeBSD's (sys/fcntl.h, sys/bio.h,
 * sys/devicestat.h); bio_cmd_string[], device_type[] and friends name
 * them for printing.  */

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
inline int BIO_CMD0 = 0x06;
#pragma D binding "1.13" BIO_CMD0
inline int BIO_CMD1 = 0x07;
#pragma D binding "1.13" BIO_CMD1
inline int BIO_CMD2 = 0x08;
#pragma D binding "1.13" BIO_CMD2
inline int BIO_ZONE = 0x09;
#pragma D binding "1.13" BIO_ZONE
inline int BIO_SPEEDUP = 0x0a;
#pragma D binding "1.13" BIO_SPEEDUP

/* bio_flags bits. */
inline int BIO_ERROR = 0x01;
#pragma D binding "1.13" BIO_ERROR
inline int BIO_DONE = 0x02;
#pragma D binding "1.13" BIO_DONE
inline int BIO_ONQUEUE = 0x04;
#pragma D binding "1.13" BIO_ONQUEUE
inline int BIO_ORDERED = 0x08;
#pragma D binding "1.13" BIO_ORDERED
inline int BIO_UNMAPPED = 0x10;
#pragma D binding "1.13" BIO_UNMAPPED
inline int BIO_TRANSIENT_MAPPING = 0x20;
#pragma D binding "1.13" BIO_TRANSIENT_MAPPING
inline int BIO_VLIST = 0x40;
#pragma D binding "1.13" BIO_VLIST

/* device_type: the kind of device (low four bits) and its interface. */
inline int DEVSTAT_TYPE_DIRECT = 0x000;
#pragma D binding "1.13" DEVSTAT_TYPE_DIRECT
inline int DEVSTAT_TYPE_SEQUENTIAL = 0x001;
#pragma D binding "1.13" DEVSTAT_TYPE_SEQUENTIAL
inline int DEVSTAT_TYPE_PRINTER = 0x002;
#pragma D binding "1.13" DEVSTAT_TYPE_PRINTER
inline int DEVSTAT_TYPE_PROCESSOR = 0x003;
#pragma D binding "1.13" DEVSTAT_TYPE_PROCESSOR
inline int DEVSTAT_TYPE_WORM = 0x004;
#pragma D binding "1.13" DEVSTAT_TYPE_WORM
inline int DEVSTAT_TYPE_CDROM = 0x005;
#pragma D binding "1.13" DEVSTAT_TYPE_CDROM
inline int DEVSTAT_TYPE_SCANNER = 0x006;
#pragma D binding "1.13" DEVSTAT_TYPE_SCANNER
inline int DEVSTAT_TYPE_OPTICAL = 0x007;
#pragma D binding "1.13" DEVSTAT_TYPE_OPTICAL
inline int DEVSTAT_TYPE_CHANGER = 0x008;
#pragma D binding "1.13" DEVSTAT_TYPE_CHANGER
inline int DEVSTAT_TYPE_COMM = 0x009;
#pragma D binding "1.13" DEVSTAT_TYPE_COMM
inline int DEVSTAT_TYPE_ASC0 = 0x00a;
#pragma D binding "1.13" DEVSTAT_TYPE_ASC0
inline int DEVSTAT_TYPE_ASC1 = 0x00b;
#pragma D binding "1.13" DEVSTAT_TYPE_ASC1
inline int DEVSTAT_TYPE_STORARRAY = 0x00c;
#pragma D binding "1.13" DEVSTAT_TYPE_STORARRAY
inline int DEVSTAT_TYPE_ENCLOSURE = 0x00d;
#pragma D binding "1.13" DEVSTAT_TYPE_ENCLOSURE
inline int DEVSTAT_TYPE_FLOPPY = 0x00e;
#pragma D binding "1.13" DEVSTAT_TYPE_FLOPPY
inline int DEVSTAT_TYPE_MASK = 0x00f;
#pragma D binding "1.13" DEVSTAT_TYPE_MASK
inline int DEVSTAT_TYPE_IF_SCSI = 0x010;
#pragma D binding "1.13" DEVSTAT_TYPE_IF_SCSI
inline int DEVSTAT_TYPE_IF_IDE = 0x020;
#pragma D binding "1.13" DEVSTAT_TYPE_IF_IDE
inline int DEVSTAT_TYPE_IF_OTHER = 0x030;
#pragma D binding "1.13" DEVSTAT_TYPE_IF_OTHER
inline int DEVSTAT_TYPE_IF_MASK = 0x0f0;
#pragma D binding "1.13" DEVSTAT_TYPE_IF_MASK
inline int DEVSTAT_TYPE_PASS = 0x100;
#pragma D binding "1.13" DEVSTAT_TYPE_PASS

/* Names for the values above, for printing. */
inline string bio_cmd_string[int cmd] =
    cmd == BIO_READ ? "READ" :
    cmd == BIO_WRITE ? "WRITE" :
    cmd == BIO_DELETE ? "DELETE" :
    cmd == BIO_GETATTR ? "GETATTR" :
    cmd == BIO_FLUSH ? "FLUSH" :
    cmd == BIO_CMD0 ? "CMD0" :
    cmd == BIO_CMD1 ? "CMD1" :
    cmd == BIO_CMD2 ? "CMD2" :
    cmd == BIO_ZONE ? "ZONE" :
    cmd == BIO_SPEEDUP ? "SPEEDUP" :
    strjoin("UNKNOWN(", strjoin(lltostr(cmd), ")"));
#pragma D binding "1.13" bio_cmd_string

inline string bio_flag_string[int flag] =
    flag == BIO_ERROR ? "ERROR" :
    flag == BIO_DONE ? "DONE" :
    flag == BIO_ONQUEUE ? "ONQUEUE" :
    flag == BIO_ORDERED ? "ORDERED" :
    flag == BIO_UNMAPPED ? "UNMAPPED" :
    flag == BIO_TRANSIENT_MAPPING ? "TRANSIENT_MAPPING" :
    flag == BIO_VLIST ? "VLIST" : "";
#pragma D binding "1.13" bio_flag_string

inline string device_type_string[int type] =
    type == DEVSTAT_TYPE_DIRECT ? "DIRECT" :
    type == DEVSTAT_TYPE_SEQUENTIAL ? "SEQUENTIAL" :
    type == DEVSTAT_TYPE_PRINTER ? "PRINTER" :
    type == DEVSTAT_TYPE_PROCESSOR ? "PROCESSOR" :
    type == DEVSTAT_TYPE_WORM ? "WORM" :
    type == DEVSTAT_TYPE_CDROM ? "CDROM" :
    type == DEVSTAT_TYPE_SCANNER ? "SCANNER" :
    type == DEVSTAT_TYPE_OPTICAL ? "OPTICAL" :
    type == DEVSTAT_TYPE_CHANGER ? "CHANGER" :
    type == DEVSTAT_TYPE_COMM ? "COMM" :
    type == DEVSTAT_TYPE_ASC0 ? "ASC0" :
    type == DEVSTAT_TYPE_ASC1 ? "ASC1" :
    type == DEVSTAT_TYPE_STORARRAY ? "STORARRAY" :
    type == DEVSTAT_TYPE_ENCLOSURE ? "ENCLOSURE" :
    type == DEVSTAT_TYPE_FLOPPY ? "FLOPPY" :
    strjoin("UNKNOWN(", strjoin(lltostr(type), ")"));
#pragma D binding "1.13" device_type_string

inline string device_type[int type] = device_type_string[type & DEVSTAT_TYPE_MASK];
#pragma D binding "1.13" device_type

inline string device_if_string[int type] =
    type == 0 ? "ACCESS" :
    type == DEVSTAT_TYPE_IF_SCSI ? "SCSI" :
    type == DEVSTAT_TYPE_IF_IDE ? "IDE" :
    type == DEVSTAT_TYPE_IF_OTHER ? "OTHER" :
    strjoin("UNKNOWN(", strjoin(lltostr(type), ")"));
#pragma D binding "1.13" device_if_string

inline string device_if[int type] = device_if_string[type & DEVSTAT_TYPE_IF_MASK];
#pragma D binding "1.13" device_if

/*
 * A bio carries one block number (bio_pblkno), so the device and logical
 * block numbers agree; the whole transfer is the buffer.
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
    fd >= 0 && fd < curthread->td_proc->p_fd->fd_files->fdt_nfiles ?
    curthread->td_proc->p_fd->fd_files->fdt_ofiles[fd].fde_file : NULL);
#pragma D attributes Stable/Stable/Common fds
#pragma D binding "1.1" fds
