/* cli_parse.c: the one command-line parser, driven by the table of
 * commands (cli.h), and the help it generates from the same table. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dovira/cli.h"
#include "dovira/i18n.h"
#include "dovira/text.h"
#include "dovira/util.h"

/* --help is every command's, so it is in no table. */
static const cli_opt help_opt = {"help", 'h', CLI_FLAG, NULL, N_("show this help and exit"), NULL, 0, 0, 0};

/* ---- errors ---- */

/* Set the usage error (once), ending in where the help is. */
__attribute__((format(printf, 2, 3)))
static int fail(cli_parsed *p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	free(p->error);
	/* TRANSLATORS: MESSAGE; see 'dovira COMMAND --help' */
	p->error = xasprintf(_("%s; see 'dovira%s%s --help'"), msg, *p->path ? " " : "", p->path);
	p->name = p->path; /* "dovira calls list: ...", not "dovira calls: ..." */
	free(msg);
	return CLI_USAGE;
}

/* "a, b, c": the names of a NULL-terminated list. */
static char *joined(const char *const *v)
{
	dv_buf b = {0};
	dv_buf_add(&b, "", 0);
	for (size_t i = 0; v[i]; i++)
		dv_buf_printf(&b, "%s%s", i ? ", " : "", v[i]);
	return dv_buf_take(&b);
}

static char *sub_names(const cli_command *c)
{
	const char *v[64];
	size_t n = 0;
	for (const cli_command *s = c->subs; s && s->name && n < 63; s++)
		v[n++] = s->name;
	v[n] = NULL;
	return joined(v);
}

/* ---- values ---- */

static cli_value *value_of(cli_parsed *p, const cli_opt *o)
{
	for (size_t i = 0; i < p->nvalues; i++)
		if (p->values[i].opt == o)
			return &p->values[i];
	if (p->nvalues == CLI_MAX_VALUES)
		return NULL;
	cli_value *v = &p->values[p->nvalues++];
	memset(v, 0, sizeof *v);
	v->opt = o;
	return v;
}

static int whole_number(const char *s, long *out)
{
	char *end;
	if (!*s)
		return -1;
	long long v = strtoll(s, &end, 10);
	if (*end || v < -0x7fffffffLL || v > 0x7fffffffLL)
		return -1;
	*out = (long)v;
	return 0;
}

/* Check and keep one value of o; CLI_USAGE with the error if it is wrong
 * (and nothing kept). */
static int take(cli_parsed *p, const cli_opt *o, const char *text)
{
	long number = 0;
	time_t date = 0;
	int choice = 0;
	switch (o->kind) {
	case CLI_DATE:
		if ((date = dv_parse_utc(text)) <= 0)
			/* TRANSLATORS: --OPTION takes a date, YYYY-MM-DD, not 'VALUE' */
			return fail(p, _("--%s takes a date, YYYY-MM-DD, not '%s'"), o->name, text);
		break;
	case CLI_NUMBER:
		if (whole_number(text, &number) || number < o->min || number > o->max)
			return fail(p, _("--%s takes a whole number from %ld to %ld, not '%s'"), o->name, o->min, o->max, text);
		break;
	case CLI_CHOICE:
		while (o->choices[choice] && strcmp(o->choices[choice], text) != 0)
			choice++;
		if (!o->choices[choice]) {
			char *list = joined(o->choices);
			/* TRANSLATORS: --OPTION must be one of A, B, C, not 'VALUE' */
			fail(p, _("--%s must be one of %s, not '%s'"), o->name, list, text);
			free(list);
			return CLI_USAGE;
		}
		break;
	default:
		break;
	}
	cli_value *v = value_of(p, o);
	if (!v)
		return fail(p, _("too many options"));
	if (v->n && !(o->flags & CLI_REPEAT))
		v->n = 0; /* as getopt_long: the last one given counts */
	v->texts = xrealloc(v->texts, (v->n + 1) * sizeof *v->texts);
	v->texts[v->n++] = text;
	v->number = number;
	v->date = date;
	v->choice = choice;
	return 0;
}

/* ---- options ---- */

static const cli_opt *find_long(cli_parsed *p, const cli_command *c, const char *name, size_t len)
{
	const cli_opt *prefix = NULL;
	int nprefix = 0;
	if (strncmp("help", name, len) == 0 && len == 4)
		return &help_opt;
	for (const cli_opt *o = c->opts; o && o->name; o++) {
		if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
			return o;
		if (strncmp(o->name, name, len) == 0)
			prefix = o, nprefix++;
	}
	if (strncmp("help", name, len) == 0)
		prefix = &help_opt, nprefix++;
	if (nprefix > 1) {
		fail(p, _("'--%.*s' is ambiguous: write more of its name"), (int)len, name);
		return NULL;
	}
	if (!prefix)
		fail(p, _("unknown option '--%.*s'"), (int)len, name);
	return prefix;
}

static const cli_opt *find_short(cli_parsed *p, const cli_command *c, char ch)
{
	if (ch == 'h')
		return &help_opt;
	for (const cli_opt *o = c->opts; o && o->name; o++)
		if (o->short_name == ch)
			return o;
	fail(p, _("unknown option '-%c'"), ch);
	return NULL;
}

/* A long option at argv[*i]; advances *i past it and its value. */
static int long_option(cli_parsed *p, const cli_command *c, int argc, char **argv, int *i)
{
	const char *a = argv[*i] + 2, *eq = strchr(a, '=');
	const cli_opt *o = find_long(p, c, a, eq ? (size_t)(eq - a) : strlen(a));
	(*i)++;
	if (!o)
		return CLI_USAGE;
	if (o == &help_opt && !eq)
		return p->help = 1, 0;
	if (o->kind == CLI_FLAG || o == &help_opt) {
		if (eq)
			return fail(p, _("--%s takes no value"), o->name);
		return take(p, o, "");
	}
	if (eq)
		return take(p, o, eq + 1);
	if (*i >= argc)
		return fail(p, _("--%s needs a value"), o->name);
	return take(p, o, argv[(*i)++]);
}

/* Short options bundled at argv[*i] (-ab, -nVALUE, -n VALUE). */
static int short_options(cli_parsed *p, const cli_command *c, int argc, char **argv, int *i)
{
	const char *a = argv[(*i)++] + 1;
	for (; *a; a++) {
		const cli_opt *o = find_short(p, c, *a);
		if (!o)
			return CLI_USAGE;
		if (o == &help_opt)
			return p->help = 1, 0;
		if (o->kind == CLI_FLAG) {
			if (take(p, o, ""))
				return CLI_USAGE;
			continue;
		}
		if (a[1])
			return take(p, o, a + 1);
		if (*i >= argc)
			return fail(p, _("--%s needs a value"), o->name);
		return take(p, o, argv[(*i)++]);
	}
	return 0;
}

/* ---- positional arguments and subcommands ---- */

static const cli_command *find_sub(const cli_command *c, const char *name)
{
	for (const cli_command *s = c->subs; s && s->name; s++)
		if (strcmp(s->name, name) == 0)
			return s;
	return NULL;
}

static void descend(cli_parsed *p, const cli_command *sub)
{
	size_t len = strlen(p->path);
	snprintf(p->path + len, sizeof p->path - len, "%s%s", len ? " " : "", sub->name);
	p->cmd = sub;
	p->chain[p->depth++] = sub;
	if (p->depth == 2)
		p->name = sub->name;
}

/* The positionals against the table: counts, then the required options. */
static int check_args(cli_parsed *p)
{
	const cli_command *c = p->cmd;
	int need = 0, most = 0;
	const cli_arg *a = c->args;
	for (; a && a->name; a++) {
		need += a->count == CLI_ONE || a->count == CLI_SOME;
		most = most < 0 ? most : a->count >= CLI_SOME ? -1 : most + 1;
	}
	if (p->nargs < need) {
		const cli_arg *missing = c->args;
		for (int k = 0; missing->name && k < p->nargs; missing++)
			k++;
		if (!missing->name)
			missing--;
		return fail(p, _("missing %s"), missing->name);
	}
	if (most >= 0 && p->nargs > most)
		return fail(p, _("unexpected argument '%s'"), p->args[most]);
	for (int d = 0; d < p->depth; d++)
		for (const cli_opt *o = p->chain[d]->opts; o && o->name; o++)
			if ((o->flags & CLI_REQUIRED) && !cli_given(p, o->name))
				return fail(p, _("--%s is required"), o->name);
	return 0;
}

/* A positional: a subcommand's name where the command has them, else an
 * argument. */
static int positional(cli_parsed *p, char *arg)
{
	const cli_command *c = p->cmd;
	if (c->subs && p->nargs == 0) {
		const cli_command *sub = find_sub(c, arg);
		if (sub && p->depth < CLI_MAX_DEPTH) {
			descend(p, sub);
			return 0;
		}
		if (!c->args)
			return fail(p, _("unknown command '%s'"), arg);
	}
	p->args[p->nargs++] = arg;
	return 0;
}

int cli_parse(const cli_command *root, int argc, char **argv, cli_parsed *p)
{
	memset(p, 0, sizeof *p);
	p->name = "";
	p->cmd = root;
	p->chain[p->depth++] = root;
	p->args = xcalloc((size_t)argc + 1, sizeof *p->args);
	int i = 1, ended = 0;
	while (i < argc && !p->help) {
		char *a = argv[i];
		int rc;
		if (!ended && strcmp(a, "--") == 0) {
			ended = 1, i++;
			continue;
		}
		if (!ended && a[0] == '-' && a[1])
			rc = a[1] == '-' ? long_option(p, p->cmd, argc, argv, &i) : short_options(p, p->cmd, argc, argv, &i);
		else
			rc = positional(p, a), i++;
		if (rc)
			return rc;
	}
	if (p->help)
		return 0;
	if (p->cmd->subs && !p->nargs && !p->cmd->run && p->depth > 1) {
		char *names = sub_names(p->cmd);
		fail(p, _("say which command: %s"), names);
		free(names);
		return CLI_USAGE;
	}
	return check_args(p);
}

void cli_parsed_free(cli_parsed *p)
{
	for (size_t i = 0; i < p->nvalues; i++)
		free(p->values[i].texts);
	free(p->args);
	free(p->error);
	p->args = NULL;
	p->error = NULL;
	p->nvalues = 0;
}

/* ---- the values, for the commands ---- */

const cli_value *cli_option(const cli_parsed *p, const cli_command *c, const char *name)
{
	for (size_t i = 0; i < p->nvalues; i++)
		if (strcmp(p->values[i].opt->name, name) == 0)
			for (const cli_opt *o = c->opts; o && o->name; o++)
				if (o == p->values[i].opt)
					return &p->values[i];
	return NULL;
}

/* The value of name of the deepest command of p's chain that has such
 * an option, or NULL if it was not given. */
static const cli_value *lookup(const cli_parsed *p, const char *name)
{
	for (int d = p->depth; d-- > 0;)
		for (const cli_opt *o = p->chain[d]->opts; o && o->name; o++)
			if (strcmp(o->name, name) == 0)
				return cli_option(p, p->chain[d], name);
	return NULL;
}

size_t cli_given(const cli_parsed *p, const char *name)
{
	const cli_value *v = lookup(p, name);
	return v ? v->n : 0;
}

const char *cli_text(const cli_parsed *p, const char *name)
{
	const cli_value *v = lookup(p, name);
	return v ? v->texts[v->n - 1] : NULL;
}

long cli_number(const cli_parsed *p, const char *name, long dflt)
{
	const cli_value *v = lookup(p, name);
	return v ? v->number : dflt;
}

time_t cli_date(const cli_parsed *p, const char *name)
{
	const cli_value *v = lookup(p, name);
	return v ? v->date : 0;
}

int cli_choice(const cli_parsed *p, const char *name, int dflt)
{
	const cli_value *v = lookup(p, name);
	return v ? v->choice : dflt;
}

const char *const *cli_texts(const cli_parsed *p, const char *name, size_t *n)
{
	const cli_value *v = lookup(p, name);
	*n = v ? v->n : 0;
	return v ? v->texts : NULL;
}

/* ---- help ---- */

/* "VALUE" of an option in help: its name, or its choices a|b|c. */
static char *value_name(const cli_opt *o)
{
	if (o->kind == CLI_FLAG)
		return xstrdup("");
	if (o->kind != CLI_CHOICE || o->value)
		return xstrdup(o->value ? o->value : o->kind == CLI_PATH ? "FILE" : o->kind == CLI_DATE ? "YYYY-MM-DD" : o->kind == CLI_NUMBER ? "N" : "TEXT");
	dv_buf b = {0};
	dv_buf_add(&b, "", 0);
	for (size_t i = 0; o->choices[i]; i++)
		dv_buf_printf(&b, "%s%s", i ? "|" : "", o->choices[i]);
	return dv_buf_take(&b);
}

/* The arguments of c as in a usage line: required options, then
 * positionals. */
static void usage_args(dv_buf *b, const cli_command *c)
{
	int optional = 0;
	for (const cli_opt *o = c->opts; o && o->name; o++) {
		if (!(o->flags & CLI_REQUIRED)) {
			optional = 1;
			continue;
		}
		char *v = value_name(o);
		dv_buf_printf(b, " --%s%s%s", o->name, *v ? " " : "", v);
		free(v);
	}
	if (optional)
		dv_buf_adds(b, " [OPTIONS]");
	for (const cli_arg *a = c->args; a && a->name; a++) {
		static const char *const open[] = {" ", " [", " ", " ["}, *const close[] = {"", "]", "...", "...]"};
		dv_buf_printf(b, "%s%s%s", open[a->count], a->name, close[a->count]);
	}
}

#define HELP_WIDTH 79

/* One row of a two-column list: the left cell padded to w columns (or on
 * its own line when longer), the right one wrapped at HELP_WIDTH. */
static void row(FILE *out, const char *left, int w, const char *right)
{
	int lw = text_width(left), col = 2 + w + 2, at;
	if (lw > w)
		fprintf(out, "  %s\n%*s", left, col, "");
	else
		fprintf(out, "  %s%*s  ", left, w - lw, "");
	at = col;
	for (const char *s = right; *s;) {
		size_t n = strcspn(s, " ");
		int ww = text_width_n(s, n);
		if (at > col && at + 1 + ww > HELP_WIDTH)
			fprintf(out, "\n%*s", col, ""), at = col;
		else if (at > col)
			fputc(' ', out), at++;
		fwrite(s, 1, n, out);
		at += ww;
		s += n;
		s += strspn(s, " ");
	}
	fputc('\n', out);
}

static void help_options(FILE *out, const cli_command *c)
{
	const cli_opt *list[64];
	size_t n = 0;
	for (const cli_opt *o = c->opts; o && o->name && n < 63; o++)
		if (!(o->flags & CLI_HIDDEN))
			list[n++] = o;
	list[n++] = &help_opt;
	char *left[64];
	int w = 0;
	for (size_t i = 0; i < n; i++) {
		char *v = value_name(list[i]);
		left[i] = xasprintf("%c%c%s--%s%s%s%s", list[i]->short_name ? '-' : ' ', list[i]->short_name ? list[i]->short_name : ' ',
				    list[i]->short_name ? ", " : "  ", list[i]->name, *v ? " " : "", v,
				    list[i]->flags & CLI_REPEAT ? "..." : "");
		free(v);
		int lw = text_width(left[i]);
		w = lw > w && lw <= 30 ? lw : w;
	}
	fputs(_("Options:\n"), out);
	for (size_t i = 0; i < n; i++) {
		const cli_opt *o = list[i];
		if (o->kind == CLI_CHOICE && o->value) {
			char *choices = joined(o->choices);
			char *right = xasprintf("%s: %s", _(o->help), choices);
			row(out, left[i], w, right);
			free(right);
			free(choices);
		} else {
			row(out, left[i], w, _(o->help));
		}
		free(left[i]);
	}
}

static void help_subs(FILE *out, const cli_command *c)
{
	int w = 0;
	for (const cli_command *s = c->subs; s->name; s++) {
		dv_buf b = {0};
		dv_buf_adds(&b, s->name);
		usage_args(&b, s);
		w = (int)b.len > w && b.len <= 30 ? (int)b.len : w;
		dv_buf_free(&b);
	}
	fputs(_("Commands:\n"), out);
	for (const cli_command *s = c->subs; s->name; s++) {
		dv_buf b = {0};
		dv_buf_adds(&b, s->name);
		if (s->subs && !s->run)
			dv_buf_adds(&b, " COMMAND");
		else
			usage_args(&b, s);
		row(out, b.s, w, _(s->summary));
		dv_buf_free(&b);
	}
}

void cli_help(FILE *out, const cli_parsed *p)
{
	const cli_command *c = p->cmd;
	dv_buf b = {0};
	dv_buf_printf(&b, "dovira%s%s", *p->path ? " " : "", p->path);
	if (p->depth == 1) {
		dv_buf_adds(&b, " [OPTIONS] [COMMAND [ARGS]]");
	} else if (c->subs && !c->run) {
		dv_buf_adds(&b, " COMMAND [ARGS]");
	} else {
		usage_args(&b, c);
		if (c->subs)
			dv_buf_printf(&b, "\n       dovira %s COMMAND", p->path);
	}
	/* TRANSLATORS: Usage: dovira COMMAND [OPTIONS] ARGS */
	fprintf(out, _("Usage: %s\n"), b.s);
	dv_buf_free(&b);
	if (c->help)
		fputs(_(c->help), out);
	else if (c->summary)
		fprintf(out, "%s\n", _(c->summary));
	fputc('\n', out);
	help_options(out, c);
	if (c->subs) {
		fputc('\n', out);
		help_subs(out, c);
		fprintf(out, _("\n'dovira%s%s COMMAND --help' tells more about each command.\n"), *p->path ? " " : "", p->path);
	}
	if (p->depth == 1)
		fprintf(out, _("\nThe configuration file is %s ($DOVIRA_CONF names another).\n"), DV_SYSTEM_CONF);
}
