/* cmd_redact.c: `dovira redact [--json]`, the redactor as a filter.
 *
 * Reads all of standard input (any size, any bytes: NULs and invalid
 * UTF-8 pass through untouched) and writes it with every finding replaced
 * by its tag, or with --json the findings themselves. Only redaction is
 * done here; making text safe for a terminal is the sanitiser's job.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dovira/cli.h"
#include "dovira/i18n.h"
#include "dovira/redact.h"
#include "dovira/util.h"

static void redact_usage(FILE *f)
{
	fputs(_("Usage: dovira redact [--json]\n"), f);
}

static void redact_help(void)
{
	redact_usage(stdout);
	fputs(_("Read text on standard input and write it to standard output with\n"
		"personal data replaced by tags: [PHONE], [EMAIL], [PASSPORT], [ID],\n"
		"[TAXID], [IBAN], [CARD], [HANDLE], [URL], [DOB], [ADDRESS], [PLATE],\n"
		"[NAME]. Everything else is written unchanged.\n"
		"\n"
		"  --json      write the findings instead: a JSON array of objects\n"
		"              {\"kind\":\"phone\",\"start\":N,\"end\":N}, offsets in bytes\n"
		"  -h, --help  show this help and exit\n"), stdout);
}

static void write_redacted(const char *s, size_t len, const redact_hit *h, size_t nh)
{
	size_t at = 0;
	for (size_t k = 0; k < nh; k++) {
		fwrite(s + at, 1, h[k].start - at, stdout);
		fputs(redact_tag(h[k].kind), stdout);
		at = h[k].end;
	}
	fwrite(s + at, 1, len - at, stdout);
}

static void write_json(const redact_hit *h, size_t nh)
{
	putchar('[');
	for (size_t k = 0; k < nh; k++)
		printf("%s{\"kind\":\"%s\",\"start\":%zu,\"end\":%zu}", k ? "," : "",
		       redact_kind_name(h[k].kind), h[k].start, h[k].end);
	fputs("]\n", stdout);
}

/* Parse the options. Returns -1 to go on, else the exit status. */
static int redact_options(int argc, char **argv, int *json)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'j') {
			*json = 1;
		} else if (c == 'h') {
			redact_help();
			return CLI_OK;
		} else {
			cli_bad_option("redact", argv);
			return CLI_USAGE;
		}
	}
	if (optind < argc) {
		cli_error("redact", _("takes no arguments; see --help"));
		return CLI_USAGE;
	}
	return -1;
}

int cmd_redact(dv_cli *cli, int argc, char **argv)
{
	int json = 0, rc = redact_options(argc, argv, &json);
	dv_buf in = { 0 };
	redact_hit *h = NULL;
	if (rc >= 0)
		return rc;
	if (dv_buf_read(&in, stdin, SIZE_MAX) < 0) {
		cli_error("redact", _("cannot read standard input: %s"), strerror(errno));
		dv_buf_free(&in);
		return CLI_PROBLEM;
	}
	size_t nh = redact_find_n(in.s ? in.s : "", in.len, &h);
	if (json)
		write_json(h, nh);
	else
		write_redacted(in.s ? in.s : "", in.len, h, nh);
	free(h);
	dv_buf_free(&in);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_error("redact", _("cannot write standard output: %s"), strerror(errno));
		return CLI_PROBLEM;
	}
	return CLI_OK;
}
