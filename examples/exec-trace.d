#!/usr/sbin/dtrace -qs
/*
 * exec-trace.d: each program a process runs, with its parent and arguments (execsnoop), and
 * how each process ended.
 *
 * Run: dtvm -s examples/exec-trace.d --trace examples/traces/make-words.ndjson.gz
 */

#pragma D option quiet

dtrace:::BEGIN
{
	start = timestamp;
	printf("%8s %6s %6s %s\n", "MS", "PID", "PPID", "ARGS");
}

proc:::exec-success
{
	printf("%8d %6d %6d %s\n", (timestamp - start) / 1000000, pid, ppid, curpsinfo->pr_psargs);
}

proc:::exec-failure
{
	printf("%8d %6d %6d exec failed: errno %d\n", (timestamp - start) / 1000000, pid, ppid, args[0]);
}

proc:::exit
{
	@ends[execname, args[0] == 1 ? "exited" : "killed"] = count();
}

dtrace:::END
{
	printf("\nprocesses that ended:\n");
	printa("  %-12s %-8s %@d\n", @ends);
}
