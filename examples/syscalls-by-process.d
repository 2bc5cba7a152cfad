#!/usr/sbin/dtrace -qs
/*
 * syscalls-by-process.d: system calls by process name, and the ten most frequent calls.
 *
 * Run: dtvm -s examples/syscalls-by-process.d --trace examples/traces/make-words.ndjson.gz
 */

#pragma D option quiet

syscall:::entry
{
	@byproc[execname] = count();
	@bycall[probefunc] = count();
}

dtrace:::END
{
	printf("%-16s %8s\n", "PROCESS", "CALLS");
	printa("%-16s %@8d\n", @byproc);
	trunc(@bycall, 10);
	printf("\n%-16s %8s\n", "CALL", "CALLS");
	printa("%-16s %@8d\n", @bycall);
}
