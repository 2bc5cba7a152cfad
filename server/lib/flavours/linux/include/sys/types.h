/*
 * sys/types.h -- stands in for the Linux header when a script compiled with
 * dtrace -C includes it (often out of habit, next to <sys/errno.h>).
 *
 * Written for this project. It is empty on purpose: the D library of this
 * flavour (../../dtrace/types.d) already declares the system's types
 * (pid_t, uid_t, off_t, caddr_t ...), and the C library's typedefs would
 * be declared a second time, or in a form D does not accept.
 */

#ifndef	_SYS_TYPES_H
#define	_SYS_TYPES_H

#endif	/* _SYS_TYPES_H */
