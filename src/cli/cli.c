/* cli.c: what the commands share. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dovira/cli.h"
#include "dovira/i18n.h"
#include "dovira/sanitize.h"
#include "dovira/session.h"
#include "dovira/staff.h"
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

int cmd_help(dv_cli *cli, const cli_parsed *p)
{
	(void)cli;
	char **argv = xcalloc((size_t)p->nargs + 3, sizeof *argv);
	argv[0] = (char *)"dovira";
	for (int i = 0; i < p->nargs; i++)
		argv[1 + i] = p->args[i];
	argv[p->nargs + 1] = (char *)"--help";
	cli_parsed h;
	int rc = cli_parse(&cli_root, p->nargs + 2, argv, &h);
	if (rc)
		cli_error(h.name, "%s", h.error);
	else
		cli_help(stdout, &h);
	cli_parsed_free(&h);
	free(argv);
	return rc;
}

/* Refuse p's command to a role not in its roles, naming who may. */
static void refuse(const cli_parsed *p)
{
	unsigned roles = p->cmd->roles;
	if (roles == ROLE_ADMIN)
		cli_error(p->name, _("only an administrator may run '%s'"), p->path);
	else if (roles == ROLES_SUPERVISION)
		cli_error(p->name, _("only supervisors and administrators may run '%s'"), p->path);
	else
		cli_error(p->name, _("your role may not run '%s'"), p->path);
}

int cli_run(dv_cli *cli, const cli_parsed *p)
{
	const cli_command *c = p->cmd;
	if (!c->roles)
		return c->run(cli, p);
	dv_error e;
	dv_session *s = session_open(cli->db_path, 0, &e);
	if (!s) {
		cli_error(p->name, "%s", e.msg);
		return CLI_PROBLEM;
	}
	int rc = CLI_PROBLEM;
	if (!session_may(s, c->roles)) {
		refuse(p);
	} else {
		cli->s = s;
		rc = c->run(cli, p);
		cli->s = NULL;
	}
	session_close(s);
	return rc;
}

void cli_put_cell(const char *s, int w)
{
	char *clean = sanitize(s, 0);
	char *cell = text_cut(clean, w, 1);
	fputs(cell, stdout);
	free(cell);
	free(clean);
}

/* ---- the terminal guard ---- */

/* What a guarded stream writes to: its file descriptor, and the bytes of a
 * UTF-8 sequence cut by the end of the last write. */
struct guard {
	int fd;
	char carry[4];
	size_t ncarry;
};

/* How many bytes at the end of s begin a UTF-8 sequence not complete yet. */
static size_t incomplete_tail(const unsigned char *s, size_t n)
{
	for (size_t k = 1; k <= 3 && k <= n; k++) {
		unsigned char c = s[n - k];
		if ((c & 0xC0) == 0x80)
			continue;
		size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
		return need > k ? k : 0;
	}
	return 0;
}

static void write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

static void guard_put(struct guard *g, const char *s, size_t n)
{
	char *clean = sanitize_mem(s, n, SANITIZE_KEEP_NEWLINE | SANITIZE_KEEP_TAB);
	write_all(g->fd, clean, strlen(clean));
	free(clean);
}

static ssize_t guard_write(void *cookie, const char *buf, size_t n)
{
	struct guard *g = cookie;
	dv_buf b = {0};
	dv_buf_add(&b, g->carry, g->ncarry);
	dv_buf_add(&b, buf, n);
	size_t keep = incomplete_tail((const unsigned char *)b.s, b.len);
	guard_put(g, b.s, b.len - keep);
	memcpy(g->carry, b.s + b.len - keep, keep);
	g->ncarry = keep;
	dv_buf_free(&b);
	return (ssize_t)n;
}

static int guard_close(void *cookie)
{
	struct guard *g = cookie;
	if (g->ncarry)
		guard_put(g, g->carry, g->ncarry);
	free(g);
	return 0;
}

/* f itself when it is not a terminal; else a stream that passes what is
 * written to it through the sanitiser on the way to the same terminal. */
static FILE *guarded(FILE *f)
{
	int fd = fileno(f);
	if (fd < 0 || !isatty(fd))
		return f;
	fflush(f);
	struct guard *g = xcalloc(1, sizeof *g);
	g->fd = fd;
	FILE *out = fopencookie(g, "w", (cookie_io_functions_t){NULL, guard_write, NULL, guard_close});
	if (!out) {
		free(g);
		return f;
	}
	setvbuf(out, NULL, _IOLBF, BUFSIZ);
	return out;
}

/* The guarded streams, closed at exit so that a UTF-8 sequence cut at the
 * end is written and the guard's memory is given back. */
static FILE *guarded_out, *guarded_err;

static void guard_close_all(void)
{
	if (guarded_out && guarded_out == stdout)
		fclose(guarded_out);
	if (guarded_err && guarded_err == stderr)
		fclose(guarded_err);
}

void cli_guard_terminal(void)
{
	FILE *out = guarded(stdout), *err = guarded(stderr);
	if (out != stdout)
		guarded_out = stdout = out;
	if (err != stderr)
		guarded_err = stderr = err;
	if (guarded_out || guarded_err)
		atexit(guard_close_all);
}
