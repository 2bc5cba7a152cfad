/*
 * fcntl.d -- open(2) and openat(2) flags, for the flags argument of the
 * syscall provider's open probes.
 *
 * One file of the D library our front end compiles before every user
 * script. Written for this project.
 *
 * Flavour: macOS (sys/fcntl.h): the BSD values, O_CREAT 0x200, O_CLOEXEC
 * 0x1000000. The access mode is a two-bit field: compare
 * (flags & O_ACCMODE) with O_RDONLY, O_WRONLY or O_RDWR.
 */

inline int O_ACCMODE = 0x3;
inline int O_RDONLY = 0x0;
inline int O_WRONLY = 0x1;
inline int O_RDWR = 0x2;
inline int O_NONBLOCK = 0x4;
inline int O_NDELAY = O_NONBLOCK;
inline int O_APPEND = 0x8;
inline int O_SHLOCK = 0x10;
inline int O_EXLOCK = 0x20;
inline int O_ASYNC = 0x40;
inline int O_SYNC = 0x80;
inline int O_FSYNC = O_SYNC;
inline int O_NOFOLLOW = 0x100;
inline int O_CREAT = 0x200;
inline int O_TRUNC = 0x400;
inline int O_EXCL = 0x800;
inline int O_EVTONLY = 0x8000;
inline int O_NOCTTY = 0x20000;
inline int O_DIRECTORY = 0x100000;
inline int O_SYMLINK = 0x200000;
inline int O_DSYNC = 0x400000;
inline int O_CLOEXEC = 0x1000000;
inline int O_NOFOLLOW_ANY = 0x20000000;
