#!/usr/sbin/dtrace -qs
/*
 * ticks.d: a script that needs no kernel and no trace, so it runs as is on any machine:
 * tick probes on dtvm's virtual clock, printf, aggregations and a histogram.
 *
 * Run: dtvm -s examples/ticks.d
 */

#pragma D option quiet

BEGIN
{
	printf("%Y: counting ticks for three seconds\n", walltimestamp);
}

profile:::tick-10ms
{
	n++;
	@kind[n % 3 == 0 ? "fizz" : "plain"] = count();
	@digit = lquantize(n % 10, 0, 10, 1);
}

profile:::tick-1s
{
	printf("second %d: %d ticks so far\n", ++seconds, n);
}

profile:::tick-1s
/seconds == 3/
{
	exit(0);
}

dtrace:::END
{
	printf("\nticks by kind:\n");
	printa("  %-8s %@d\n", @kind);
	printf("\nlast digit of the tick count:");
	printa(@digit);
}
