#!/usr/sbin/dtrace -s
/*
 * drops.d: a script that asks for more than its buffers hold. Every system call writes a
 * record of two 256-byte strings and a number into a 4 KB per-CPU buffer that the consumer
 * empties once a second, so most records are dropped, and dtrace reports how many on which
 * CPU.
 *
 * Run: dtvm -s examples/drops.d --trace examples/traces/make-words.ndjson.gz
 */

#pragma D option quiet
#pragma D option bufsize=4k
#pragma D option switchrate=1hz
#pragma D option strsize=256

syscall:::entry
{
	printf("%-16s %-16s %d\n", execname, probefunc, arg0);
}
