/* cmd_redact.c: `dovira redact [--json]`, the redactor as a filter.
 *
 * Reads all of standard input (any size, any bytes: NULs and invalid
 * UTF-8 pass through untouched) and writes it with every finding replaced
 * by its tag, or with --json the findings themselves. Only redaction is
 * done here; making text safe for a terminal is the sanitiser's job.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dovira/cli.h"
#include "dovira/i18n.h"
#include "dovira/redact.h"
#include "dovira/util.h"

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

int cmd_redact(dv_cli *cli, const cli_parsed *p)
{
	(void)cli;
	int json = cli_given(p, "json") > 0;
	dv_buf in = { 0 };
	redact_hit *h = NULL;
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
