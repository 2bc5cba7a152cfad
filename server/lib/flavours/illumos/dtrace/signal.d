/*
 * signal.d -- signal numbers, for the proc provider's signal probes and
 * the raise() action, and the SIGCHLD reason codes.
 *
 * One file of the D library our front end compiles before every user
 * script. Written for this project.
 *
 * Flavour: illumos (sys/signal.h, sys/siginfo.h): SIGUSR1 is 16 and
 * SIGCHLD 18 here.
 */

/* Signals; SIGIOT, SIGCLD and SIGIO are other names of three of them. */
inline int SIGHUP = 1;
inline int SIGINT = 2;
inline int SIGQUIT = 3;
inline int SIGILL = 4;
inline int SIGTRAP = 5;
inline int SIGABRT = 6;
inline int SIGEMT = 7;
inline int SIGFPE = 8;
inline int SIGKILL = 9;
inline int SIGBUS = 10;
inline int SIGSEGV = 11;
inline int SIGSYS = 12;
inline int SIGPIPE = 13;
inline int SIGALRM = 14;
inline int SIGTERM = 15;
inline int SIGUSR1 = 16;
inline int SIGUSR2 = 17;
inline int SIGCHLD = 18;
inline int SIGPWR = 19;
inline int SIGWINCH = 20;
inline int SIGURG = 21;
inline int SIGPOLL = 22;
inline int SIGSTOP = 23;
inline int SIGTSTP = 24;
inline int SIGCONT = 25;
inline int SIGTTIN = 26;
inline int SIGTTOU = 27;
inline int SIGVTALRM = 28;
inline int SIGPROF = 29;
inline int SIGXCPU = 30;
inline int SIGXFSZ = 31;
inline int SIGWAITING = 32;
inline int SIGLWP = 33;
inline int SIGFREEZE = 34;
inline int SIGTHAW = 35;
inline int SIGCANCEL = 36;
inline int SIGLOST = 37;
inline int SIGXRES = 38;
inline int SIGJVM1 = 39;
inline int SIGJVM2 = 40;
inline int SIGINFO = 41;
inline int SIGIOT = SIGABRT;
inline int SIGCLD = SIGCHLD;
inline int SIGIO = SIGPOLL;

/* Why a SIGCHLD was sent (si_code). */
inline int CLD_EXITED = 1;
inline int CLD_KILLED = 2;
inline int CLD_DUMPED = 3;
inline int CLD_TRAPPED = 4;
inline int CLD_STOPPED = 5;
inline int CLD_CONTINUED = 6;
