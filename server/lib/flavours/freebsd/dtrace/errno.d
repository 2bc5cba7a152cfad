/*
 * errno.d -- errno values, for comparisons with the errno variable and
 * with syscall return probes' arguments.
 *
 * One file of the D library our front end compiles before every user
 * script. Written for this project.
 *
 * Flavour: FreeBSD's numbering. It agrees with illumos and Linux up to
 * ERANGE (34) except at 11, which is EDEADLK here and EAGAIN there; from
 * 35 on the systems differ. ELAST is the largest real value.
 */

/* 1-32: the original Unix set. */
inline int EPERM = 1;
inline int ENOENT = 2;
inline int ESRCH = 3;
inline int EINTR = 4;
inline int EIO = 5;
inline int ENXIO = 6;
inline int E2BIG = 7;
inline int ENOEXEC = 8;
inline int EBADF = 9;
inline int ECHILD = 10;
inline int EDEADLK = 11;
inline int ENOMEM = 12;
inline int EACCES = 13;
inline int EFAULT = 14;
inline int ENOTBLK = 15;
inline int EBUSY = 16;
inline int EEXIST = 17;
inline int EXDEV = 18;
inline int ENODEV = 19;
inline int ENOTDIR = 20;
inline int EISDIR = 21;
inline int EINVAL = 22;
inline int ENFILE = 23;
inline int EMFILE = 24;
inline int ENOTTY = 25;
inline int ETXTBSY = 26;
inline int EFBIG = 27;
inline int ENOSPC = 28;
inline int ESPIPE = 29;
inline int EROFS = 30;
inline int EMLINK = 31;
inline int EPIPE = 32;

/* 33-34: the maths library's. */
inline int EDOM = 33;
inline int ERANGE = 34;

/* 35-37: operations that would block or are under way. */
inline int EAGAIN = 35;
inline int EWOULDBLOCK = EAGAIN;
inline int EINPROGRESS = 36;
inline int EALREADY = 37;

/* 38-61: sockets. */
inline int ENOTSOCK = 38;
inline int EDESTADDRREQ = 39;
inline int EMSGSIZE = 40;
inline int EPROTOTYPE = 41;
inline int ENOPROTOOPT = 42;
inline int EPROTONOSUPPORT = 43;
inline int ESOCKTNOSUPPORT = 44;
inline int EOPNOTSUPP = 45;
inline int ENOTSUP = EOPNOTSUPP;
inline int EPFNOSUPPORT = 46;
inline int EAFNOSUPPORT = 47;
inline int EADDRINUSE = 48;
inline int EADDRNOTAVAIL = 49;
inline int ENETDOWN = 50;
inline int ENETUNREACH = 51;
inline int ENETRESET = 52;
inline int ECONNABORTED = 53;
inline int ECONNRESET = 54;
inline int ENOBUFS = 55;
inline int EISCONN = 56;
inline int ENOTCONN = 57;
inline int ESHUTDOWN = 58;
inline int ETOOMANYREFS = 59;
inline int ETIMEDOUT = 60;
inline int ECONNREFUSED = 61;

/* 62-81: BSD additions (long names, hosts, quotas, NFS and RPC, locks). */
inline int ELOOP = 62;
inline int ENAMETOOLONG = 63;
inline int EHOSTDOWN = 64;
inline int EHOSTUNREACH = 65;
inline int ENOTEMPTY = 66;
inline int EPROCLIM = 67;
inline int EUSERS = 68;
inline int EDQUOT = 69;
inline int ESTALE = 70;
inline int EREMOTE = 71;
inline int EBADRPC = 72;
inline int ERPCMISMATCH = 73;
inline int EPROGUNAVAIL = 74;
inline int EPROGMISMATCH = 75;
inline int EPROCUNAVAIL = 76;
inline int ENOLCK = 77;
inline int ENOSYS = 78;
inline int EFTYPE = 79;
inline int EAUTH = 80;
inline int ENEEDAUTH = 81;

/* 82-97: POSIX and FreeBSD additions. */
inline int EIDRM = 82;
inline int ENOMSG = 83;
inline int EOVERFLOW = 84;
inline int ECANCELED = 85;
inline int EILSEQ = 86;
inline int ENOATTR = 87;
inline int EDOOFUS = 88;
inline int EBADMSG = 89;
inline int EMULTIHOP = 90;
inline int ENOLINK = 91;
inline int EPROTO = 92;
inline int ENOTCAPABLE = 93;
inline int ECAPMODE = 94;
inline int ENOTRECOVERABLE = 95;
inline int EOWNERDEAD = 96;
inline int EINTEGRITY = 97;
inline int ELAST = 97;

/*
 * Kernel-internal codes: never returned to a process, but visible to
 * probes on kernel functions.
 */
inline int ERESTART = -1;
inline int EJUSTRETURN = -2;
inline int ENOIOCTL = -3;
inline int EDIRIOCTL = -4;
inline int ERELOOKUP = -5;
