/*
 * unistd.d -- the fault codes an ERROR probe reports in arg4.
 *
 * One file of the D library our front end compiles before every user
 * script. Written for this project.
 *
 * Flavour: none needed: the codes are DTrace's own, the same on every
 * system, so per-flavour catalogues (which arrive later) share this file.
 */

/*
 * Codes below DTRACEFLT_LIBRARY are faults met while a probe's DIF code
 * ran in the kernel; DTRACEFLT_LIBRARY and above are faults met by the
 * consumer while processing the data afterwards.
 */
inline int DTRACEFLT_UNKNOWN = 0;
inline int DTRACEFLT_BADADDR = 1;
inline int DTRACEFLT_BADALIGN = 2;
inline int DTRACEFLT_ILLOP = 3;
inline int DTRACEFLT_DIVZERO = 4;
inline int DTRACEFLT_NOSCRATCH = 5;
inline int DTRACEFLT_KPRIV = 6;
inline int DTRACEFLT_UPRIV = 7;
inline int DTRACEFLT_TUPOFLOW = 8;
inline int DTRACEFLT_BADSTACK = 9;
#pragma D binding "1.4.1" DTRACEFLT_BADSTACK
inline int DTRACEFLT_LIBRARY = 1000;
