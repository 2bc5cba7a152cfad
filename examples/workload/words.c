/* words: wc(1) in miniature, the program of the example build. */
#include <stdio.h>
#include "count.h"

int main(int argc, char **argv)
{
	struct counts c = { 0, 0, 0 };
	FILE *in = stdin;

	if (argc > 1 && (in = fopen(argv[1], "r")) == NULL) {
		perror(argv[1]);
		return 1;
	}
	count_stream(in, &c);
	printf("%ld %ld %ld\n", c.lines, c.words, c.bytes);
	return 0;
}
