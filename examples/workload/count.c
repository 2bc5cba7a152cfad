#include <ctype.h>
#include "count.h"

void count_stream(FILE *in, struct counts *c)
{
	int ch, inword = 0;

	while ((ch = getc(in)) != EOF) {
		c->bytes++;
		if (ch == '\n')
			c->lines++;
		if (isspace(ch)) {
			inword = 0;
		} else if (!inword) {
			inword = 1;
			c->words++;
		}
	}
}
