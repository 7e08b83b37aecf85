/* test_cli_parse.c: the table-driven command-line parser (cli.h) on a
 * table of its own with every kind of option, argument and error; then
 * that doc/dovira.1 names every command and option of the real table. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dovira/calls.h"
#include "dovira/cli.h"
#include "dovira/desk.h"
#include "dovira/orgs.h"
#include "dovira/report.h"
#include "dovira/staff.h"
#include "dovira/util.h"
#include "tap.h"

static const char *const levels[] = {"internal", "department", "public", NULL};

static const cli_opt run_opts[] = {
	{"all", 'a', CLI_FLAG, NULL, "a flag", NULL, 0, 0, 0},
	{"quiet", 'q', CLI_FLAG, NULL, "another flag", NULL, 0, 0, 0},
	{"name", 'n', CLI_TEXT, "NAME", "text", NULL, 0, 0, 0},
	{"file", 0, CLI_PATH, "FILE", "a path", NULL, 0, 0, 0},
	{"from", 0, CLI_DATE, NULL, "a date", NULL, 0, 0, 0},
	{"limit", 'l', CLI_NUMBER, "N", "a number", NULL, 1, 100, 0},
	{"level", 0, CLI_CHOICE, NULL, "a choice", levels, 0, 0, 0},
	{"answer", 0, CLI_TEXT, "A", "repeatable", NULL, 0, 0, CLI_REPEAT},
	{"format", 0, CLI_TEXT, "F", "a prefix of another", NULL, 0, 0, 0},
	{"formula", 0, CLI_TEXT, "F", "shares the prefix form", NULL, 0, 0, 0},
	{NULL, 0, CLI_FLAG, NULL, NULL, NULL, 0, 0, 0},
};
static const cli_arg run_args[] = {{"FILE", CLI_ONE}, {"MORE", CLI_ANY}, {NULL, CLI_ONE}};
static const cli_opt add_opts[] = {
	{"role", 'r', CLI_TEXT, "ROLE", "required", NULL, 0, 0, CLI_REQUIRED},
	{NULL, 0, CLI_FLAG, NULL, NULL, NULL, 0, 0, 0},
};
static const cli_arg login_arg[] = {{"LOGIN", CLI_ONE}, {NULL, CLI_ONE}};

static int noop(dv_cli *cli, const cli_parsed *p)
{
	(void)cli, (void)p;
	return 0;
}

static const cli_command group_subs[] = {
	{"add", 0, add_opts, login_arg, "add one", NULL, NULL, noop},
	{"list", 0, NULL, NULL, "list them", NULL, NULL, noop},
	{NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL},
};
static const cli_command cmds[] = {
	{"run", 0, run_opts, run_args, "run it", "Runs it.\n", NULL, noop},
	{"group", 0, NULL, NULL, "a group", NULL, group_subs, NULL},
	{NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL},
};
static const cli_opt root_opts[] = {
	{"db", 'd', CLI_TEXT, "PATH", "global", NULL, 0, 0, 0},
	{NULL, 0, CLI_FLAG, NULL, NULL, NULL, 0, 0, 0},
};
static const cli_command root = {"", 0, root_opts, NULL, NULL, "Test.\n", cmds, NULL};

/* Parse a command line given as one string of words. */
static int parse(cli_parsed *p, const char *line)
{
	static char buf[512];
	static char *argv[32];
	int argc = 0;
	snprintf(buf, sizeof buf, "dovira %s", line);
	for (char *w = strtok(buf, " "); w && argc < 31; w = strtok(NULL, " "))
		argv[argc++] = w;
	argv[argc] = NULL;
	return cli_parse(&root, argc, argv, p);
}

/* The error of a command line that must fail, or "(parsed)". */
static const char *error_of(const char *line)
{
	static char msg[512];
	cli_parsed p;
	int rc = parse(&p, line);
	snprintf(msg, sizeof msg, "%s", rc == CLI_USAGE && p.error ? p.error : "(parsed)");
	cli_parsed_free(&p);
	return msg;
}

static void test_kinds(void)
{
	cli_parsed p;
	is_int(parse(&p, "run f.txt --all -q --name=olena --file x.csv --from 2026-11-02 -l 7 --level public"), 0,
	       "every kind of option parses");
	is_str(p.cmd->name, "run", "the command named is the one parsed");
	is_int(cli_given(&p, "all") + cli_given(&p, "quiet"), 2, "flags, long and short, are given");
	is_str(cli_text(&p, "name"), "olena", "--name=VALUE gives the text");
	is_str(cli_text(&p, "file"), "x.csv", "--file VALUE gives the path");
	is_int(cli_date(&p, "from"), 1793577600, "a date is UTC midnight");
	is_int(cli_number(&p, "limit", 0), 7, "-l VALUE gives the number");
	is_int(cli_choice(&p, "level", -1), 2, "a choice gives its index");
	is_int(cli_number(&p, "nothing", 42), 42, "an option not given gives the default");
	is_int(p.nargs, 1, "the positional is kept");
	cli_parsed_free(&p);

	is_int(parse(&p, "run -aql5 f.txt"), 0, "short flags bundle, a value may follow its letter");
	is_int(cli_given(&p, "all") + cli_given(&p, "quiet"), 2, "both bundled flags are given");
	is_int(cli_number(&p, "limit", 0), 5, "-l5 gives 5");
	cli_parsed_free(&p);

	is_int(parse(&p, "run a b --answer x=1 c --answer y=2"), 0, "options may follow positionals");
	size_t n;
	const char *const *v = cli_texts(&p, "answer", &n);
	is_int(n, 2, "a repeatable option keeps every value");
	is_str(n == 2 ? v[1] : NULL, "y=2", "in order");
	is_int(p.nargs, 3, "every positional around the options is kept");
	cli_parsed_free(&p);

	is_int(parse(&p, "run f --name a --name b"), 0, "an option that does not repeat may be given again");
	is_str(cli_text(&p, "name"), "b", "the last one counts, as with getopt_long");
	is_int(cli_given(&p, "name"), 1, "and only it is kept");
	cli_parsed_free(&p);

	is_int(parse(&p, "run -- --all -"), 0, "-- ends the options");
	is_int(p.nargs, 2, "after --, an option's name and a lone - are arguments");
	is_int(cli_given(&p, "all"), 0, "an option after -- is not given");
	cli_parsed_free(&p);

	is_int(parse(&p, "run f --qui --formu=x"), 0, "a unique prefix of a long name is that option");
	is_int(cli_given(&p, "quiet"), 1, "--qui is --quiet");
	is_str(cli_text(&p, "formula"), "x", "--formu is --formula");
	cli_parsed_free(&p);

	is_int(parse(&p, "--db x.db group add olena --role admin"), 0, "a global option, a subcommand, its options");
	is_str(p.path, "group add", "the path names the subcommand");
	is_str(p.name, "group", "errors begin with the command");
	is_str(cli_text(&p, "db"), "x.db", "the global option is kept below");
	is_str(cli_text(&p, "role"), "admin", "the subcommand's option");
	cli_parsed_free(&p);

	is_int(parse(&p, "group add olena --bogus"), CLI_USAGE, "an unknown option of a subcommand");
	is_str(p.name, "group add", "its usage error begins with the whole command, not only the top one");
	cli_parsed_free(&p);

	is_int(parse(&p, "group add --help --bogus"), 0, "--help stops the parse");
	is_int(p.help, 1, "help is asked");
	is_str(p.path, "group add", "for the command it follows");
	cli_parsed_free(&p);
}

static void test_errors(void)
{
	is_str(error_of("run f --bogus"), "unknown option '--bogus'; see 'dovira run --help'", "an unknown long option");
	is_str(error_of("run f -z"), "unknown option '-z'; see 'dovira run --help'", "an unknown short option");
	is_str(error_of("run f --form x"), "'--form' is ambiguous: write more of its name; see 'dovira run --help'",
	       "an ambiguous prefix");
	is_str(error_of("run f --name"), "--name needs a value; see 'dovira run --help'", "a missing value");
	is_str(error_of("run f -l"), "--limit needs a value; see 'dovira run --help'", "a missing value after a short name");
	is_str(error_of("run f --all=yes"), "--all takes no value; see 'dovira run --help'", "a value for a flag");
	is_str(error_of("run f --level secret"), "--level must be one of internal, department, public, not 'secret'; see 'dovira run --help'",
	       "a wrong choice names the choices");
	is_str(error_of("run f --limit 0"), "--limit takes a whole number from 1 to 100, not '0'; see 'dovira run --help'",
	       "a number out of range");
	is_str(error_of("run f --limit 5x"), "--limit takes a whole number from 1 to 100, not '5x'; see 'dovira run --help'",
	       "a number with junk");
	is_str(error_of("run f --from 2026-13-01"), "--from takes a date, YYYY-MM-DD, not '2026-13-01'; see 'dovira run --help'",
	       "a wrong date");
	is_str(error_of("run"), "missing FILE; see 'dovira run --help'", "a missing argument");
	is_str(error_of("group add"), "missing LOGIN; see 'dovira group add --help'", "a missing argument of a subcommand");
	is_str(error_of("group list extra"), "unexpected argument 'extra'; see 'dovira group list --help'", "an extra argument");
	is_str(error_of("group add olena"), "--role is required; see 'dovira group add --help'", "a required option");
	is_str(error_of("group frob"), "unknown command 'frob'; see 'dovira group --help'", "an unknown subcommand");
	is_str(error_of("group"), "say which command: add, list; see 'dovira group --help'", "no subcommand");
	is_str(error_of("frob"), "unknown command 'frob'; see 'dovira --help'", "an unknown command");
	is_str(error_of("group list --db x"), "unknown option '--db'; see 'dovira group list --help'",
	       "a global option after the command is not the command's");
	is_str(error_of("run f --level=bad --bogus"), "--level must be one of internal, department, public, not 'bad'; see 'dovira run --help'",
	       "the first error is the one reported");
}

/* The help of a command line, as cli_help prints it (a new string). */
static char *help_of(const char *line)
{
	cli_parsed p;
	char *out = NULL;
	size_t len = 0;
	parse(&p, line);
	FILE *f = open_memstream(&out, &len);
	cli_help(f, &p);
	fclose(f);
	cli_parsed_free(&p);
	return out;
}

static void test_help(void)
{
	char *out = help_of("run --help");
	ok(strstr(out, "Usage: dovira run [OPTIONS] FILE [MORE...]\n") != NULL, "help: the usage line from the table");
	ok(strstr(out, "  -l, --limit N ") != NULL, "help: an option with its short name and value");
	ok(strstr(out, "--level internal|department|public") != NULL, "help: a choice shows its choices");
	ok(strstr(out, "--answer A...") != NULL, "help: a repeatable option says so");
	ok(strstr(out, "  -h, --help ") != NULL, "help: --help is offered everywhere");
	free(out);
	out = help_of("group --help");
	ok(strstr(out, "Usage: dovira group COMMAND [ARGS]\n") != NULL, "help of a group: its usage");
	ok(strstr(out, "  add --role ROLE LOGIN  add one\n") != NULL, "help of a group: each subcommand with its arguments");
	free(out);
}

/* ---- the table's choices are the core's codes ---- */

/* The option name of the command at path ("calls list") in the real table. */
static const cli_opt *real_opt(const char *path, const char *name)
{
	const cli_command *c = &cli_root;
	char *copy = xstrdup(path), *save;
	for (char *w = strtok_r(copy, " ", &save); w && c; w = strtok_r(NULL, " ", &save)) {
		const cli_command *s = c->subs;
		while (s && s->name && strcmp(s->name, w) != 0)
			s++;
		c = s && s->name ? s : NULL;
	}
	free(copy);
	for (const cli_opt *o = c ? c->opts : NULL; o && o->name; o++)
		if (strcmp(o->name, name) == 0)
			return o;
	return NULL;
}

/* The choices of an option, in order, are the codes code(0), code(1)...
 * of the core (so an index is the core's enum), and no more. */
static void same_codes(const char *path, const char *name, const char *(*code)(int), int n)
{
	const cli_opt *o = real_opt(path, name);
	int i = 0, same = o && o->kind == CLI_CHOICE;
	for (; same && i < n; i++)
		same = o->choices[i] && strcmp(o->choices[i], code(i)) == 0;
	ok(same && !o->choices[n], "the choices of '%s --%s' are the core's %d codes, in its order", path, name, n);
}

static const char *kind_code(int i) { return calls_kind_code((call_kind)i); }
static const char *role_code(int i) { return staff_role_code((staff_role)(1 << i)); }
static const char *level_code(int i) { static const char *const v[] = {"internal", "department", "public"}; return report_level_parse(v[i]) == i ? v[i] : "?"; }
static const char *rformat_code(int i) { static const char *const v[] = {"text", "csv", "json"}; return report_format_parse(v[i]) == i ? v[i] : "?"; }
static const char *oformat_code(int i) { static const char *const v[] = {"csv", "json"}; return orgs_format_parse(v[i]) == i ? v[i] : "?"; }

static void test_choices(void)
{
	same_codes("calls list", "flag", desk_qa_code, DESK_QA_NFLAGS);
	same_codes("calls list", "kind", kind_code, CALL_NKINDS);
	same_codes("staff add", "role", role_code, 3);
	same_codes("report", "level", level_code, 3);
	same_codes("report", "format", rformat_code, 3);
	same_codes("orgs export", "format", oformat_code, 2);
	ok(staff_role_parse("admin") == ROLE_ADMIN, "the role choice is read with the core's parser");
}

/* ---- the manual names every command and option of the real table ---- */

static char *read_manual(void)
{
	const char *dir = getenv("SRCDIR");
	char *path = xasprintf("%s/doc/dovira.1", dir ? dir : ".");
	FILE *f = fopen(path, "r");
	free(path);
	dv_buf b = {0};
	if (f) {
		dv_buf_read(&b, f, 1 << 22);
		fclose(f);
	}
	dv_buf_add(&b, "", 0);
	/* Plain text: "\-" is "-", font changes go. */
	char *s = b.s, *w = b.s;
	for (char *r = s; *r; r++) {
		if (r[0] == '\\' && r[1] == '-') {
			*w++ = '-', r++;
		} else if (r[0] == '\\' && r[1] == 'f' && r[2]) {
			r += 2;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
	return s;
}

/* name occurs in s as a whole word (not inside another name). */
static int has_word(const char *s, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = strstr(s, name); p; p = strstr(p + 1, name)) {
		int before = p == s || !(p[-1] == '-' || (p[-1] >= 'a' && p[-1] <= 'z'));
		int after = !(p[n] == '-' || (p[n] >= 'a' && p[n] <= 'z'));
		if (before && after)
			return 1;
	}
	return 0;
}

/* Every command of the real table answers --help with its usage. */
static void check_help(const cli_command *c, char **argv, int argc)
{
	for (const cli_command *s = c->subs; s && s->name; s++) {
		argv[argc] = (char *)s->name;
		argv[argc + 1] = (char *)"--help";
		cli_parsed p;
		int rc = cli_parse(&cli_root, argc + 2, argv, &p);
		char *out = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&out, &len);
		if (rc == 0)
			cli_help(f, &p);
		fclose(f);
		char *want = xasprintf("Usage: dovira %s", p.path);
		ok(rc == 0 && p.help && strncmp(out, want, strlen(want)) == 0 && strstr(out, "--help"),
		   "'dovira %s --help' prints its usage and options", p.path);
		free(want);
		free(out);
		cli_parsed_free(&p);
		if (argc < CLI_MAX_DEPTH)
			check_help(s, argv, argc + 1);
	}
}

static void check_manual(const char *man, const cli_command *c, const char *path)
{
	for (const cli_opt *o = c->opts; o && o->name; o++) {
		char *opt = xasprintf("--%s", o->name);
		ok(has_word(man, opt), "dovira.1 names %s of '%s'", opt, path);
		free(opt);
	}
	for (const cli_command *s = c->subs; s && s->name; s++) {
		char *sub = xasprintf("%s%s%s", path, *path ? " " : "", s->name);
		ok(has_word(man, *path ? sub : s->name), "dovira.1 names the command '%s'", sub);
		check_manual(man, s, sub);
		free(sub);
	}
}

int main(void)
{
	test_kinds();
	test_errors();
	test_help();
	test_choices();
	char *argv[CLI_MAX_DEPTH + 3] = {(char *)"dovira"};
	check_help(&cli_root, argv, 1);
	char *man = read_manual();
	ok(strlen(man) > 1000, "doc/dovira.1 is read");
	check_manual(man, &cli_root, "");
	free(man);
	return tap_done();
}
