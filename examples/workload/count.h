/* Counting words in a stream. */
#include <stdio.h>

struct counts {
	long lines, words, bytes;
};

void count_stream(FILE *in, struct counts *c);
