#!/usr/sbin/dtrace -qs
/*
 * files-opened.d: every file opened, by whom, with the descriptor or the error (opensnoop).
 *
 * Run: dtvm -s examples/files-opened.d --trace examples/traces/make-words.ndjson.gz
 */

#pragma D option quiet

dtrace:::BEGIN
{
	printf("%-6s %-12s %4s %3s %s\n", "PID", "COMM", "FD", "ERR", "PATH");
}

syscall::openat:entry
{
	self->path = copyinstr(arg1);
}

syscall::openat:return
/self->path != NULL/
{
	printf("%-6d %-12s %4d %3d %s\n", pid, execname, (int)arg0, errno, self->path);
	@failed[execname] = sum(errno != 0);
	self->path = 0;
}

dtrace:::END
{
	printf("\nfailed opens by process:\n");
	printa("  %-12s %@d\n", @failed);
}
