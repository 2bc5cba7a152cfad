/*
 * fcntl.d -- open(2) and openat(2) flags, for the flags argument of the
 * syscall provider's open probes.
 *
 * One file of the D library our front end compiles before every user
 * script. Written for this project.
 *
 * Flavour: Linux on x86-64 (asm-generic/fcntl.h): O_CREAT is 0x40, O_CLOEXEC
 * 0x80000; O_SYNC includes O_DSYNC. The access mode is a two-bit field: compare
 * (flags & O_ACCMODE) with O_RDONLY, O_WRONLY or O_RDWR.
 */

inline int O_ACCMODE = 0x3;
inline int O_RDONLY = 0x0;
inline int O_WRONLY = 0x1;
inline int O_RDWR = 0x2;
inline int O_CREAT = 0x40;
inline int O_EXCL = 0x80;
inline int O_NOCTTY = 0x100;
inline int O_TRUNC = 0x200;
inline int O_APPEND = 0x400;
inline int O_NONBLOCK = 0x800;
inline int O_NDELAY = O_NONBLOCK;
inline int O_DSYNC = 0x1000;
inline int O_ASYNC = 0x2000;
inline int O_DIRECT = 0x4000;
inline int O_LARGEFILE = 0x8000;
inline int O_DIRECTORY = 0x10000;
inline int O_NOFOLLOW = 0x20000;
inline int O_NOATIME = 0x40000;
inline int O_CLOEXEC = 0x80000;
inline int O_SYNC = 0x101000;
inline int O_PATH = 0x200000;
inline int O_TMPFILE = 0x410000;
