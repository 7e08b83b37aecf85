/* cli.c: what the commands share. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <getopt.h>

#include "dovira/cli.h"
#include "dovira/i18n.h"
#include "dovira/sanitize.h"
#include "dovira/text.h"
#include "dovira/util.h"

void cli_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	char *clean = sanitize(msg, 0); /* one line: a newline in it is replaced too */
	fprintf(stderr, "dovira%s%s: %s\n", *cmd ? " " : "", cmd, clean);
	free(clean);
	free(msg);
}

void cli_bad_option(const char *cmd, char **argv)
{
	const char *arg = optind > 0 ? argv[optind - 1] : "?";
	if (optopt && arg[0] == '-' && arg[1] != '-')
		cli_error(cmd, _("unknown option or missing value '-%c'; see --help"), optopt);
	else
		cli_error(cmd, _("unknown option or missing value '%s'; see --help"), arg);
}

int cli_only_help(const char *cmd, int argc, char **argv, const char *help)
{
	static const struct option opts[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'h') {
			fputs(help, stdout);
			return CLI_OK;
		}
		cli_bad_option(cmd, argv);
		return CLI_USAGE;
	}
	return -1;
}

void cli_put_cell(const char *s, int w)
{
	char *clean = sanitize(s, 0);
	char *cell = text_cut(clean, w, 1);
	fputs(cell, stdout);
	free(cell);
	free(clean);
}
