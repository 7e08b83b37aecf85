/* cli.c: what the commands share. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <getopt.h>

#include "dovira/cli.h"
#include "dovira/i18n.h"
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
	fprintf(stderr, "dovira%s%s: %s\n", *cmd ? " " : "", cmd, clean);
	free(clean);
	free(b.s);
}

void cli_bad_option(const char *cmd, char **argv)
{
	const char *arg = optind > 0 ? argv[optind - 1] : "?";
	if (optopt && arg[0] == '-' && arg[1] != '-')
		cli_error(cmd, _("unknown option or missing value '-%c'; see --help"), optopt);
	else
		cli_error(cmd, _("unknown option or missing value '%s'; see --help"), arg);
}
