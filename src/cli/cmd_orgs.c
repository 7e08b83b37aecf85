/* cmd_orgs.c: `dovira orgs`: import, export, search and look after the
 * directory of organisations from the command line. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dovira/cli.h"
#include "dovira/i18n.h"
#include "dovira/orgs.h"
#include "dovira/sanitize.h"
#include "dovira/text.h"
#include "dovira/session.h"

#define CMD "orgs"

typedef int sub_fn(dv_cli *cli, int argc, char **argv);

/* ---- Output by display width ----------------------------------------- */

static void put_line(const char *s)
{
	char *clean = sanitize(s, 0);
	printf("%s\n", clean);
	free(clean);
}

/* ---- Common pieces --------------------------------------------------- */

static dv_session *open_session(dv_cli *cli)
{
	dv_error e;
	dv_session *s = session_open(cli->db_path, 0, &e);
	if (!s)
		cli_error(CMD, "%s", e.msg);
	return s;
}

static int fail(dv_session *s, const dv_error *e)
{
	cli_error(CMD, "%s", e->msg);
	session_close(s);
	return CLI_PROBLEM;
}

/* Report a usage error in sub ("" for orgs itself); returns CLI_USAGE. */
static int usage_error(const char *sub, const char *msg)
{
	if (*sub)
		cli_error(CMD, _("%s; see 'dovira orgs %s --help'"), msg, sub);
	else
		cli_error(CMD, _("%s; see 'dovira orgs --help'"), msg);
	return CLI_USAGE;
}

/* The one argument a subcommand takes (ID or FILE), after cli_only_help. */
static const char *one_arg(int argc, char **argv, const char *sub, const char *what)
{
	if (optind != argc - 1) {
		char *msg = xasprintf(_("give exactly one %s"), what);
		usage_error(sub, msg);
		free(msg);
		return NULL;
	}
	return argv[optind];
}

/* ---- import ---------------------------------------------------------- */

static int sub_import(dv_cli *cli, int argc, char **argv)
{
	int rc = cli_only_help(CMD, argc, argv, _(
		"Usage: dovira orgs import FILE.csv\n"
		"Check the whole file and, if it has no problem, add its entries to the\n"
		"directory and update those with the same id; entries not in the file\n"
		"are kept. Every problem is listed as FILE:LINE: message and then\n"
		"nothing is imported. Supervisors and administrators only.\n"));
	const char *path = rc < 0 ? one_arg(argc, argv, "import", _("file")) : NULL;
	if (!path)
		return rc < 0 ? CLI_USAGE : rc;
	dv_session *s = open_session(cli);
	if (!s)
		return CLI_PROBLEM;
	dv_buf report = {0};
	orgs_import_stats st;
	dv_error e;
	int code = orgs_import(s->db, s->login, path, &report, &st, &e);
	for (char *line = report.s, *nl; line && *line; line = nl + 1) {
		nl = strchr(line, '\n');
		*nl = '\0';
		cli_error(CMD, "%s", line);
	}
	dv_buf_free(&report);
	if (code)
		return fail(s, &e);
	char *clean = sanitize(path, 0);
	printf(ngettext("%s: %ld entry: %ld added, %ld updated, %ld unchanged\n",
			"%s: %ld entries: %ld added, %ld updated, %ld unchanged\n", (unsigned long)st.rows),
	       clean, st.rows, st.added, st.updated, st.unchanged);
	free(clean);
	session_close(s);
	return CLI_OK;
}

/* ---- export ---------------------------------------------------------- */

static int sub_export(dv_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}};
	int c, format = ORGS_CSV;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
		if (c == 'h') {
			fputs(_("Usage: dovira orgs export [--format csv|json]\n"
				"Write the whole directory, retired entries included, to standard\n"
				"output: CSV (the default) that 'dovira orgs import' reads back to the\n"
				"same directory, or JSON.\n"), stdout);
			return CLI_OK;
		}
		if (c != 'f') {
			cli_bad_option(CMD, argv);
			return CLI_USAGE;
		}
		if ((format = orgs_format_parse(optarg)) < 0)
			return usage_error("export", _("the format is csv or json"));
	}
	if (optind != argc)
		return usage_error("export", _("export takes no arguments"));
	dv_session *s = open_session(cli);
	if (!s)
		return CLI_PROBLEM;
	dv_error e;
	if (orgs_export(s->db, s->login, stdout, (orgs_format)format, &e) < 0)
		return fail(s, &e);
	session_close(s);
	return CLI_OK;
}

/* ---- search ---------------------------------------------------------- */

static const char *status_word(const dv_org *o, time_t now)
{
	return orgs_state_label(orgs_state_of(o, now));
}

static void print_table(const orgs_list *l)
{
	time_t now = dv_now();
	int idw = 2, stw = 0;
	for (size_t i = 0; i < l->n; i++) {
		int w = text_width(l->v[i].id);
		idw = w > idw ? w : idw;
		const char *st = status_word(&l->v[i], now);
		w = text_width(st);
		stw = w > stw ? w : stw;
	}
	const char *sth = _("STATUS");
	int hw = text_width(sth);
	stw = stw ? (hw > stw ? hw : stw) : 0;
	cli_put_cell(_("ID"), idw);
	printf("  ");
	cli_put_cell(_("NAME"), 44);
	printf("  ");
	if (stw) {
		cli_put_cell(sth, stw);
		printf("  ");
	}
	put_line(_("PHONES"));
	for (size_t i = 0; i < l->n; i++) {
		const dv_org *o = &l->v[i];
		cli_put_cell(o->id, idw);
		printf("  ");
		cli_put_cell(i18n_pick(o->name_uk, o->name_en), 44);
		printf("  ");
		if (stw) {
			cli_put_cell(status_word(o, now), stw);
			printf("  ");
		}
		put_line(o->phones ? o->phones : "-");
	}
}

static const char search_help[] = N_(
	"Usage: dovira orgs search [QUERY...] [--raion AREA] [--service SERVICE]\n"
	"                          [--serves GROUP] [--age YEARS] [--all] [--limit N]\n"
	"Find organisations as you would on the screen: every word of QUERY must\n"
	"begin a word of the entry (names, id, phones, notes, services, areas) in\n"
	"either language, in any case. No QUERY lists every entry.\n"
	"  --raion AREA       zaporizkyi berdianskyi melitopolskyi polohivskyi\n"
	"                     vasylivskyi zaporizhzhia-city occupied other-oblast\n"
	"                     abroad (national lines always match)\n"
	"  --service SERVICE  status psychological legal medical shelter financial\n"
	"                     employment information\n"
	"  --serves GROUP     women men children families\n"
	"  --age YEARS        entries whose age range includes YEARS\n"
	"  --all              include retired entries\n"
	"  --limit N          at most N results\n");

/* Parse a whole number 0..max for option opt; -1 if it is not one. */
static int number_arg(const char *s, int max)
{
	char *end;
	long v = strtol(s, &end, 10);
	return *s && !*end && v >= 0 && v <= max ? (int)v : -1;
}

static int search_options(int argc, char **argv, orgs_filter *f)
{
	static const struct option opts[] = {
		{"raion", required_argument, NULL, 'r'},
		{"service", required_argument, NULL, 's'},
		{"serves", required_argument, NULL, 'w'},
		{"age", required_argument, NULL, 'a'},
		{"all", no_argument, NULL, 'A'},
		{"limit", required_argument, NULL, 'n'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}};
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "r:s:w:a:An:h", opts, NULL)) != -1) {
		switch (c) {
		case 'r': f->area = optarg; break;
		case 's': f->service = optarg; break;
		case 'w': f->serves = optarg; break;
		case 'A': f->include_retired = 1; break;
		case 'a':
			if ((f->age = number_arg(optarg, 120)) < 0)
				return usage_error("search", _("--age takes a number of years, 0 to 120"));
			break;
		case 'n':
			if ((f->limit = number_arg(optarg, 1000000)) <= 0)
				return usage_error("search", _("--limit takes a positive number"));
			break;
		case 'h':
			fputs(_(search_help), stdout);
			return CLI_OK;
		default:
			cli_bad_option(CMD, argv);
			return CLI_USAGE;
		}
	}
	return -1;
}

static int sub_search(dv_cli *cli, int argc, char **argv)
{
	orgs_filter f = ORGS_FILTER_INIT;
	int rc = search_options(argc, argv, &f);
	if (rc >= 0)
		return rc;
	dv_buf q = {0};
	dv_buf_add(&q, "", 0);
	for (int i = optind; i < argc; i++)
		dv_buf_printf(&q, "%s%s", i > optind ? " " : "", argv[i]);
	dv_session *s = open_session(cli);
	if (!s) {
		dv_buf_free(&q);
		return CLI_PROBLEM;
	}
	orgs_list l;
	dv_error e;
	long n = orgs_search(s->db, q.s, &f, NULL, &l, &e);
	dv_buf_free(&q);
	if (n < 0 && e.code == DV_EINVAL) {
		cli_error(CMD, "%s", e.msg);
		session_close(s);
		return CLI_USAGE;
	}
	if (n < 0)
		return fail(s, &e);
	if (n == 0)
		puts(_("No organisation matches."));
	else
		print_table(&l);
	orgs_list_free(&l);
	session_close(s);
	return CLI_OK;
}

/* ---- show, verify, retire -------------------------------------------- */

static void show_field(const char *label, const char *value)
{
	if (!value || !*value)
		return;
	char *clean = sanitize(value, SANITIZE_KEEP_NEWLINE);
	cli_put_cell(label, 16); /* by display width: the labels are translated */
	putchar(' ');
	for (char *p = clean; *p; p++) {
		putchar(*p);
		if (*p == '\n')
			printf("%-16s ", "");
	}
	putchar('\n');
	free(clean);
}

/* "legal help, shelter": the labels of a list of codes. */
static char *labels(orgs_codeset set, const char *codes)
{
	dv_buf b = {0};
	dv_buf_add(&b, "", 0);
	for (const char *s = codes; s && *s;) {
		size_t n = strcspn(s, " ");
		char *code = xstrndup(s, n);
		const char *l = orgs_code_label(set, code);
		dv_buf_printf(&b, "%s%s", b.len ? ", " : "", l ? l : code);
		free(code);
		s += n + (s[n] != '\0');
	}
	return dv_buf_take(&b);
}

static void show_lists(const dv_org *o)
{
	static const struct { const char *label; orgs_codeset set; size_t off; } lists[] = {
		{N_("Kind"), ORGS_KIND, offsetof(dv_org, kind)},
		{N_("Services"), ORGS_SERVICE, offsetof(dv_org, services)},
		{N_("Serves"), ORGS_SERVES, offsetof(dv_org, serves)},
		{N_("Areas"), ORGS_AREA, offsetof(dv_org, areas)},
		{N_("Works in"), ORGS_AREA, offsetof(dv_org, operates_in)},
		{N_("Relocated from"), ORGS_AREA, offsetof(dv_org, relocated_from)}};
	for (size_t i = 0; i < sizeof lists / sizeof *lists; i++) {
		const char *codes = *(char *const *)(const void *)((const char *)o + lists[i].off);
		char *l = labels(lists[i].set, codes);
		show_field(_(lists[i].label), l);
		free(l);
	}
}

static void show_org(const dv_org *o)
{
	char ages[64] = "", verified[256]; /* room for the translations */
	show_field(_("Id"), o->id);
	show_field(_("Name"), o->name_uk);
	show_field(_("Name (English)"), o->name_en);
	show_lists(o);
	if (o->age_min >= 0 && o->age_max >= 0)
		snprintf(ages, sizeof ages, "%d-%d", o->age_min, o->age_max);
	else if (o->age_min >= 0)
		snprintf(ages, sizeof ages, _("from %d"), o->age_min);
	else if (o->age_max >= 0)
		snprintf(ages, sizeof ages, _("up to %d"), o->age_max);
	show_field(_("Ages"), ages);
	show_field(_("Phones"), o->phones);
	show_field(_("Hours"), o->hours);
	show_field(_("Address"), o->address);
	show_field(_("Languages"), o->languages);
	show_field(_("Notes"), i18n_pick(o->notes, o->notes_en));
	show_field(_("Source"), o->source);
	if (!o->verified_on)
		snprintf(verified, sizeof verified, "%s", _("never: check this entry before relying on it"));
	else
		snprintf(verified, sizeof verified, "%s%s", o->verified_on,
			 orgs_is_stale(o, dv_now()) ? _(" (over a year ago: check it)") : "");
	show_field(_("Verified"), verified);
	show_field(_("National line"), o->national ? _("yes") : NULL);
	show_field(_("Retired"), o->retired ? _("yes: kept for old referrals") : NULL);
	show_field(_("Do not refer"), o->do_not_refer ? _("yes: never give it to a caller") : NULL);
	show_field(_("Updated"), o->updated_at);
}

static int sub_show(dv_cli *cli, int argc, char **argv)
{
	int rc = cli_only_help(CMD, argc, argv, _("Usage: dovira orgs show ID\nShow every detail of one directory entry.\n"));
	const char *id = rc < 0 ? one_arg(argc, argv, "show", _("id")) : NULL;
	if (!id)
		return rc < 0 ? CLI_USAGE : rc;
	dv_session *s = open_session(cli);
	if (!s)
		return CLI_PROBLEM;
	dv_org o;
	dv_error e;
	if (orgs_get(s->db, id, &o, &e))
		return fail(s, &e);
	show_org(&o);
	orgs_free(&o);
	session_close(s);
	return CLI_OK;
}

/* verify and retire: one id, one supervisor action; done says so. */
static int one_change(dv_cli *cli, int argc, char **argv, const char *sub, const char *help,
		      int (*act)(dv_db *, const char *, const char *, dv_error *), const char *done)
{
	int rc = cli_only_help(CMD, argc, argv, help);
	const char *id = rc < 0 ? one_arg(argc, argv, sub, _("id")) : NULL;
	if (!id)
		return rc < 0 ? CLI_USAGE : rc;
	dv_session *s = open_session(cli);
	if (!s)
		return CLI_PROBLEM;
	dv_error e;
	if (act(s->db, s->login, id, &e))
		return fail(s, &e);
	char *clean = sanitize(id, 0);
	printf("%s: %s\n", clean, done);
	free(clean);
	session_close(s);
	return CLI_OK;
}

static int sub_verify(dv_cli *cli, int argc, char **argv)
{
	return one_change(cli, argc, argv, "verify", _(
		"Usage: dovira orgs verify ID\n"
		"Record that the entry's facts were checked today. Supervisors and\n"
		"administrators only.\n"), orgs_mark_verified, _("marked as verified today"));
}

static int sub_retire(dv_cli *cli, int argc, char **argv)
{
	return one_change(cli, argc, argv, "retire", _(
		"Usage: dovira orgs retire ID\n"
		"Hide the entry from searches; it is kept for the referrals that name it.\n"
		"Supervisors and administrators only.\n"), orgs_retire, _("retired"));
}

static int mark_dnr(dv_db *db, const char *actor, const char *id, dv_error *e)
{
	return orgs_set_do_not_refer(db, actor, id, 1, e);
}

static int unmark_dnr(dv_db *db, const char *actor, const char *id, dv_error *e)
{
	return orgs_set_do_not_refer(db, actor, id, 0, e);
}

static int sub_do_not_refer(dv_cli *cli, int argc, char **argv)
{
	return one_change(cli, argc, argv, "do-not-refer", _(
		"Usage: dovira orgs do-not-refer ID\n"
		"Mark the entry not to be given to callers (closed, in occupied territory,\n"
		"unconfirmed): it is still found, shown as such, sorted last and never\n"
		"recommended by the script. Supervisors and administrators only.\n"), mark_dnr,
		_("marked do not refer"));
}

static int sub_refer_again(dv_cli *cli, int argc, char **argv)
{
	return one_change(cli, argc, argv, "refer-again", _(
		"Usage: dovira orgs refer-again ID\n"
		"Take back a do-not-refer mark. Supervisors and administrators only.\n"), unmark_dnr,
		_("may be referred again"));
}

/* ---- dispatch -------------------------------------------------------- */

static const struct {
	const char *name;
	sub_fn *fn;
} subs[] = {
	{"import", sub_import},
	{"export", sub_export},
	{"search", sub_search},
	{"show", sub_show},
	{"verify", sub_verify},
	{"retire", sub_retire},
	{"do-not-refer", sub_do_not_refer},
	{"refer-again", sub_refer_again},
};

static const char orgs_help[] = N_(
	"Usage: dovira orgs COMMAND [ARGS]\n"
	"The directory of organisations that can help a caller.\n"
	"  search [QUERY...]   find organisations (see 'dovira orgs search --help')\n"
	"  show ID             every detail of one entry\n"
	"  export [--format csv|json]   the whole directory to standard output\n"
	"  import FILE.csv     add and update entries from a file (supervisors)\n"
	"  verify ID           record that the entry was checked today (supervisors)\n"
	"  retire ID           hide an entry that no longer helps (supervisors)\n"
	"  do-not-refer ID     never give the entry to callers (supervisors)\n"
	"  refer-again ID      take back a do-not-refer mark (supervisors)\n"
	"Each command answers --help.\n");

int cmd_orgs(dv_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		if (c != 'h') {
			cli_bad_option(CMD, argv);
			return CLI_USAGE;
		}
		fputs(_(orgs_help), stdout);
		return CLI_OK;
	}
	if (optind >= argc)
		return usage_error("", _("which command? search, show, export, import, verify, retire, do-not-refer or refer-again"));
	for (size_t i = 0; i < sizeof subs / sizeof *subs; i++) {
		if (strcmp(argv[optind], subs[i].name) != 0)
			continue;
		char **sub_argv = argv + optind;
		int sub_argc = argc - optind;
		optind = 0; /* glibc: start afresh on the subcommand's arguments */
		return subs[i].fn(cli, sub_argc, sub_argv);
	}
	cli_error(CMD, _("unknown command '%s'; see 'dovira orgs --help'"), argv[optind]);
	return CLI_USAGE;
}
