#!/usr/sbin/dtrace -qs
/*
 * syscall-count.d: system calls by process and by call, with the latency of reads,
 * printed every ten seconds and at the end.
 *
 * Run: dtvm -s examples/syscall-count.d
 */

#pragma D option quiet
#pragma D option aggsortrev
#pragma D option switchrate=10hz

inline int TOP = 10;

self uint64_t ts;

dtrace:::BEGIN
{
	printf("Tracing system calls... Hit Ctrl-C to end.\n");
	start = timestamp;
}

syscall:::entry
/pid != $pid/
{
	@calls[execname, probefunc] = count();
	@byproc[execname] = count();
}

syscall::read:entry,
syscall::pread*:entry
/pid != $pid/
{
	self->ts = timestamp;
}

syscall::read:return,
syscall::pread*:return
/self->ts/
{
	this->delta = timestamp - self->ts;
	@latency[execname] = quantize(this->delta / 1000);
	if (arg0 < 0) {
		@errors[execname, errno] = count();
	} else if (arg0 == 0) {
		@eof[execname] = count();
	}
	self->ts = 0;
}

profile:::tick-10sec
{
	printf("\n%Y: %d seconds\n", walltimestamp, (timestamp - start) / 1000000000);
	trunc(@calls, TOP);
	printa("  %-16s %-20s %@8d\n", @calls);
	trunc(@calls);
}

dtrace:::END
{
	printf("\n%-16s %8s\n", "PROCESS", "CALLS");
	printa("%-16s %@8d\n", @byproc);
	printf("\nread latency (us):\n");
	printa(@latency);
}
