/* cli.c: what the commands share. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "dovira/cli.h"
#include "dovira/sanitize.h"
#include "dovira/util.h"

void cli_error(const char *cmd, const char *fmt, ...)
{
	dv_buf b = {0};
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	b.s = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(b.s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	char *clean = sanitize(b.s, 0);
	fprintf(stderr, "dovira %s: %s\n", cmd, clean);
	free(clean);
	free(b.s);
}
