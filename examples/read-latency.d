#!/usr/sbin/dtrace -qs
/*
 * read-latency.d: how long read(2) takes, in microseconds, by process name.
 *
 * Run: dtvm -s examples/read-latency.d --trace examples/traces/make-words.ndjson.gz
 */

#pragma D option quiet

syscall::read:entry
{
	self->ts = timestamp;
}

syscall::read:return
/self->ts/
{
	@us[execname] = quantize((timestamp - self->ts) / 1000);
	@bytes[execname] = sum(arg0 > 0 ? arg0 : 0);
	self->ts = 0;
}

dtrace:::END
{
	printf("read(2) latency (us) by process:\n");
	printa(@us);
	printf("bytes read:\n");
	printa("  %-16s %@d\n", @bytes);
}
