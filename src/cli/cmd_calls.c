/* cmd_calls.c: `dovira calls ...`, the supervisor's desk on the command
 * line: the log with the screens' filters, one call, a case, and the
 * supervisor's actions. The rules (who sees what, what is audited) are the
 * core's (desk.h); this file only parses and prints. No command prints the
 * notes of more than one call. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dovira/cli.h"
#include "dovira/csv.h"
#include "dovira/desk.h"
#include "dovira/i18n.h"
#include "dovira/sanitize.h"
#include "dovira/session.h"

static const char *usage_text(void)
{
	return _("Usage: dovira [--db PATH] calls COMMAND [ARGS]\n"
		 "The call log for review in the office. Operators see only their own calls.\n"
		 "  list [FILTERS] [--limit N] [--after CURSOR] [--format text|csv|json]\n"
		 "                       the log, newest first (no notes)\n"
		 "  show CODE|ID         one call in full (audited)\n"
		 "  case CODE            what a follow-up needs: the case and its calls\n"
		 "  link CODE|ID CASE    link a call to the case of the code CASE\n"
		 "  status CODE open|follow_up|closed    a case's status\n"
		 "  owner CODE LOGIN|-   who owns a case\n"
		 "  due CODE YYYY-MM-DD|-                the call-back due date of a case\n"
		 "  overdue              cases whose call-back is overdue\n"
		 "  ack CODE|ID COMMENT  acknowledge a call of the high-risk queue\n"
		 "  review CODE|ID       mark a call reviewed\n"
		 "  correct CODE|ID --version N --reason TEXT FIELD=VALUE...\n"
		 "                       correct a final call (FIELD: topic, notes, risk,\n"
		 "                       answer:STEP, referral+:ORG SERVICE, referral-:ORG SERVICE)\n"
		 "  drafts [--hours H]   other operators' drafts older than H hours (default 12)\n"
		 "  finish CODE|ID       finish an orphaned draft as supervisor\n"
		 "  discard CODE|ID      discard an orphaned draft\n"
		 "  operators [--period P | --from D --to D]   figures per operator\n"
		 "  start                the figures of the start screen\n"
		 "Filters of list: --period today|shift|week|month|YYYY-MM|YYYY-MM-DD,\n"
		 "  --from D, --to D (YYYY-MM-DD, UTC), --office O, --operator LOGIN,\n"
		 "  --kind data|silent|hangup|abusive|wrong_number|test, --topic T,\n"
		 "  --risk none|possible|likely, --draft, --final, --callback yes|no,\n"
		 "  --flagged yes|no, --flag CODE (repeatable), --reviewed yes|no,\n"
		 "  --queue waiting|acknowledged|none, --case-status open|follow_up|closed|none,\n"
		 "  --case CODE. Flags: likely-no-referral, danger-no-emergency,\n"
		 "  recommended-not-made, unverified-referral, short-call, unknown-required,\n"
		 "  old-draft.\n");
}

typedef struct ctx {
	dv_session *s;
	const char *cmd;
} ctx;

/* ---- shared ---- */

static int fail(ctx *c, const dv_error *e)
{
	cli_error(c->cmd, "%s", e->msg);
	return e->code == DV_EINVAL ? CLI_USAGE : CLI_PROBLEM;
}

static void put_time(time_t t)
{
	char at[21];
	if (t <= 0) {
		fputs("-", stdout);
		return;
	}
	dv_utc_iso(t, at);
	at[10] = ' ';
	at[16] = '\0';
	fputs(at, stdout);
}

static const char *or_dash(const char *s)
{
	return s && *s ? s : "-";
}

/* The id of a call named by its id or case code. */
static int resolve(ctx *c, const char *what, char id[37])
{
	dv_error e;
	if (strlen(what) == 36 && what[8] == '-') {
		snprintf(id, 37, "%s", what);
		return DV_OK;
	}
	if (desk_find_code(c->s, what, id, &e))
		return fail(c, &e);
	return DV_OK;
}

static void training_banner(ctx *c)
{
	dv_error e;
	if (desk_is_training(c->s->db, &e) == 1)
		printf(_("*** training database: the calls are synthetic ***\n"));
}

static void flags_text(unsigned f, char *out, size_t size)
{
	size_t n = 0;
	out[0] = '\0';
	for (int i = 0; i < DESK_QA_NFLAGS; i++)
		if (f & (1u << i))
			n += (size_t)snprintf(out + n, n < size ? size - n : 0, "%s%s", n ? "," : "", desk_qa_short(i));
	if (!n)
		snprintf(out, size, "-");
}

/* ---- list ---- */

typedef struct list_opts {
	desk_filter f;
	size_t limit;
	desk_cursor after;
	int format; /* 0 text, 1 csv, 2 json */
} list_opts;

static int yes_no(const char *v, int *out)
{
	if (strcmp(v, "yes") == 0)
		*out = 1;
	else if (strcmp(v, "no") == 0)
		*out = 0;
	else
		return -1;
	return 0;
}

static int kind_of(const char *v)
{
	for (int k = 0; k < CALL_NKINDS; k++)
		if (strcmp(v, calls_kind_code((call_kind)k)) == 0)
			return k;
	return -1;
}

static int parse_cursor(const char *v, desk_cursor *c)
{
	const char *comma = strchr(v, ',');
	if (!comma || comma - v != 20)
		return -1;
	memcpy(c->at, v, 20);
	c->at[20] = '\0';
	char *end;
	c->seq = strtoll(comma + 1, &end, 10);
	return *end || dv_parse_utc(c->at) <= 0 ? -1 : 0;
}

static int date_opt(const char *v, time_t *t)
{
	*t = dv_parse_utc(v);
	return *t > 0 ? 0 : -1;
}

/* What a list option takes, for the message when its value is wrong. */
static const struct {
	int opt;
	const char *name, *takes;
} list_takes[] = {
	{'F', "--from", N_("a date, YYYY-MM-DD")},
	{'T', "--to", N_("a date, YYYY-MM-DD")},
	{'k', "--kind", N_("data, silent, hangup, abusive, wrong_number or test")},
	{'r', "--risk", N_("none, possible or likely")},
	{'b', "--callback", N_("yes or no")},
	{'g', "--flagged", N_("yes or no")},
	{'G', "--flag", N_("a flag's code (see --help)")},
	{'R', "--reviewed", N_("yes or no")},
	{'q', "--queue", N_("waiting, acknowledged or none")},
	{'s', "--case-status", N_("open, follow_up, closed or none")},
	{'l', "--limit", N_("a number from 1 to 1000")},
	{'a', "--after", N_("the cursor a previous page printed")},
	{'x', "--format", N_("text, csv or json")},
};

static void bad_value(ctx *c, int opt, const char *v)
{
	for (size_t i = 0; i < sizeof list_takes / sizeof *list_takes; i++)
		if (list_takes[i].opt == opt) {
			/* TRANSLATORS: OPTION takes WHAT, not 'VALUE' */
			cli_error(c->cmd, _("%s takes %s, not '%s'"), list_takes[i].name, _(list_takes[i].takes), v);
			return;
		}
	cli_error(c->cmd, _("the value '%s' does not fit its option; see --help"), v);
}

/* One option of list; -1 with a message when its value is wrong. */
static int list_option(ctx *c, int opt, const char *v, list_opts *o)
{
	dv_error e;
	desk_filter *f = &o->f;
	int bad = 0;
	switch (opt) {
	case 'p': if (desk_period(v, dv_now(), &f->from, &f->to, &e)) { cli_error(c->cmd, "%s", e.msg); return -1; } break;
	case 'F': bad = date_opt(v, &f->from); break;
	case 'T': bad = date_opt(v, &f->to); break;
	case 'o': f->office = v; break;
	case 'u': f->operator_login = v; break;
	case 'k': bad = (f->kind = kind_of(v)) < 0; break;
	case 't': f->topic = v; break;
	case 'r': f->risk = v; bad = strcmp(v, "none") && strcmp(v, "possible") && strcmp(v, "likely"); break;
	case 'd': f->final = 0; break;
	case 'n': f->final = 1; break;
	case 'b': bad = yes_no(v, &f->callback); break;
	case 'g': bad = yes_no(v, &f->flagged); break;
	case 'G': bad = !desk_qa_parse(v); f->flags |= desk_qa_parse(v); break;
	case 'R': bad = yes_no(v, &f->reviewed); break;
	case 'q': f->queue = !strcmp(v, "waiting") ? 1 : !strcmp(v, "acknowledged") ? 2 : !strcmp(v, "none") ? 0 : -2; bad = f->queue == -2; break;
	case 's': f->case_status = v; bad = strcmp(v, "open") && strcmp(v, "follow_up") && strcmp(v, "closed") && strcmp(v, "none"); break;
	case 'c': f->case_code = v; break;
	case 'l': o->limit = (size_t)strtoul(v, NULL, 10); bad = o->limit < 1 || o->limit > 1000; break;
	case 'a': bad = parse_cursor(v, &o->after); break;
	case 'x': o->format = !strcmp(v, "text") ? 0 : !strcmp(v, "csv") ? 1 : !strcmp(v, "json") ? 2 : -1; bad = o->format < 0; break;
	default: return -1;
	}
	if (bad)
		bad_value(c, opt, v);
	return bad ? -1 : 0;
}

static int list_options(ctx *c, int argc, char **argv, list_opts *o)
{
	static const struct option opts[] = {
		{"period", 1, NULL, 'p'}, {"from", 1, NULL, 'F'}, {"to", 1, NULL, 'T'}, {"office", 1, NULL, 'o'},
		{"operator", 1, NULL, 'u'}, {"kind", 1, NULL, 'k'}, {"topic", 1, NULL, 't'}, {"risk", 1, NULL, 'r'},
		{"draft", 0, NULL, 'd'}, {"final", 0, NULL, 'n'}, {"callback", 1, NULL, 'b'}, {"flagged", 1, NULL, 'g'},
		{"flag", 1, NULL, 'G'}, {"reviewed", 1, NULL, 'R'}, {"queue", 1, NULL, 'q'}, {"case-status", 1, NULL, 's'},
		{"case", 1, NULL, 'c'}, {"limit", 1, NULL, 'l'}, {"after", 1, NULL, 'a'}, {"format", 1, NULL, 'x'},
		{"help", 0, NULL, 'h'}, {NULL, 0, NULL, 0},
	};
	int opt;
	desk_filter_init(&o->f);
	o->limit = 50;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		if (opt == 'h') {
			fputs(usage_text(), stdout);
			return CLI_OK;
		}
		if (opt == '?') {
			cli_bad_option(c->cmd, argv);
			return CLI_USAGE;
		}
		if (list_option(c, opt, optarg, o))
			return CLI_USAGE;
	}
	if (optind < argc) {
		cli_error(c->cmd, _("unexpected argument '%s'; see --help"), argv[optind]);
		return CLI_USAGE;
	}
	return -1;
}

static const char *const list_head[] = {"started", "case_code", "operator", "office", "kind", "topic", "risk",
					 "referrals", "flags", "reviewed", "corrected", "queue", "final", "case_status", "id"};

/* The fields of a row for csv and json, in list_head order; flags (8)
 * are filled by the caller. */
static void row_fields(const desk_row *r, char buf[3][32], const char *v[15])
{
	static const char *const q[] = {"", "waiting", "acknowledged"};
	dv_utc_iso(r->started_at, buf[0]);
	snprintf(buf[1], 32, "%d", r->nreferrals);
	snprintf(buf[2], 32, "%d", r->corrected);
	const char *vals[15] = {buf[0], r->case_code, r->operator_login, r->office, calls_kind_code(r->kind), r->topic,
				r->risk, buf[1], NULL, r->reviewed ? "yes" : "no", buf[2], q[r->queue % 3],
				r->final ? "yes" : "no", r->case_status, r->id};
	memcpy(v, vals, sizeof vals);
}

static char *flag_codes(unsigned f)
{
	dv_buf b = {0};
	dv_buf_add(&b, "", 0);
	for (int i = 0; i < DESK_QA_NFLAGS; i++)
		if (f & (1u << i))
			dv_buf_printf(&b, "%s%s", b.len ? " " : "", desk_qa_code(i));
	return dv_buf_take(&b);
}

static void print_csv(const desk_row *rows, long n)
{
	dv_buf b = {0};
	csv_add_record(&b, list_head, 15);
	for (long i = 0; i < n; i++) {
		char buf[3][32];
		const char *v[15];
		row_fields(&rows[i], buf, v);
		char *fl = flag_codes(rows[i].qa_flags);
		v[8] = fl;
		csv_add_record(&b, v, 15);
		free(fl);
	}
	fwrite(b.s, 1, b.len, stdout);
	dv_buf_free(&b);
}

static void print_json(ctx *c, const desk_row *rows, long n, const desk_cursor *next)
{
	dv_buf b = {0};
	dv_error e;
	dv_buf_printf(&b, "{\"training\": %s, \"calls\": [", desk_is_training(c->s->db, &e) == 1 ? "true" : "false");
	for (long i = 0; i < n; i++) {
		char buf[3][32];
		const char *v[15];
		row_fields(&rows[i], buf, v);
		char *fl = flag_codes(rows[i].qa_flags);
		v[8] = fl;
		dv_buf_adds(&b, i ? ",\n  {" : "\n  {");
		for (int k = 0; k < 15; k++) {
			dv_buf_printf(&b, "%s\"%s\": ", k ? ", " : "", list_head[k]);
			dv_buf_add_json(&b, v[k]);
		}
		dv_buf_addc(&b, '}');
		free(fl);
	}
	dv_buf_adds(&b, "\n], \"next\": ");
	if (next->at[0]) {
		char cur[48];
		snprintf(cur, sizeof cur, "%s,%lld", next->at, next->seq);
		dv_buf_add_json(&b, cur);
	} else {
		dv_buf_adds(&b, "null");
	}
	dv_buf_adds(&b, "}\n");
	fwrite(b.s, 1, b.len, stdout);
	dv_buf_free(&b);
}

/* A table's heads, each in its width; the last one ends the line. */
typedef struct head {
	const char *label; /* N_() */
	int width;
} head;

static void put_heads(const head *h, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++)
		cli_put_cell(_(h[i].label), h[i].width);
	printf("%s\n", _(h[n - 1].label));
}

/* TRANSLATORS: column heads of `dovira calls list`; keep each within its width */
static const head list_heads[] = {
	{N_("started (UTC)"), 17}, {N_("case"), 10}, {N_("operator"), 11}, {N_("office"), 14},
	{N_("kind"), 8}, {N_("topic"), 12}, {N_("risk"), 9}, {N_("ref"), 4}, {N_("flags"), 0},
};

/* TRANSLATORS: column heads of `dovira calls operators` */
static const head operator_heads[] = {
	{N_("operator"), 12}, {N_("calls"), 7}, {N_("data"), 7}, {N_("median s"), 9}, {N_("flagged"), 9}, {N_("drafts"), 0},
};

static void print_text(ctx *c, const desk_row *rows, long n, const desk_cursor *next, size_t limit)
{
	training_banner(c);
	put_heads(list_heads, sizeof list_heads / sizeof *list_heads);
	for (long i = 0; i < n; i++) {
		const desk_row *r = &rows[i];
		char fl[64];
		put_time(r->started_at);
		fputs(" ", stdout);
		cli_put_cell(r->case_code, 10);
		cli_put_cell(r->operator_login, 11);
		cli_put_cell(r->office, 14);
		cli_put_cell(r->final ? calls_kind_code(r->kind) : _("draft"), 8);
		cli_put_cell(or_dash(r->topic), 12);
		cli_put_cell(or_dash(r->risk), 9);
		printf("%-4d", r->nreferrals);
		flags_text(r->qa_flags, fl, sizeof fl);
		printf("%s%s%s%s\n", fl, r->queue == 1 ? _(" queued") : "", r->reviewed ? _(" reviewed") : "",
		       r->corrected ? _(" corrected") : "");
	}
	if (next->at[0] && (size_t)n == limit)
		printf(_("next page: --after %s,%lld\n"), next->at, next->seq);
}

static int cmd_list(ctx *c, int argc, char **argv)
{
	list_opts o;
	memset(&o, 0, sizeof o);
	int rc = list_options(c, argc, argv, &o);
	if (rc >= 0)
		return rc;
	dv_error e;
	desk_row *rows;
	desk_cursor next;
	long n = desk_log_page(c->s, &o.f, o.after.at[0] ? &o.after : NULL, o.limit, &rows, &next, &e);
	if (n < 0)
		return fail(c, &e);
	if (o.format == 1)
		print_csv(rows, n);
	else if (o.format == 2)
		print_json(c, rows, n, &next);
	else
		print_text(c, rows, n, &next, o.limit);
	desk_rows_free(rows, n);
	return CLI_OK;
}

/* ---- one call ---- */

static void show_refs(const desk_call *d)
{
	if (!d->nrefs)
		return;
	printf(_("Referrals:\n"));
	for (size_t i = 0; i < d->nrefs; i++) {
		const desk_referral *x = &d->refs[i];
		char *name = sanitize(x->org_name, 0);
		printf("  %s %s (%s)%s%s%s\n", x->made ? "+" : "-", name, x->service[0] ? x->service : "-",
		       x->made ? "" : _(" recommended, not made"), x->made && x->recommended ? _(" recommended") : "",
		       x->verified ? "" : _(" unverified"));
		free(name);
	}
}

static void show_marks(const desk_call *d)
{
	for (int i = 0; i < DESK_QA_NFLAGS; i++)
		if (d->qa_flags & (1u << i))
			printf(_("Flag: %s\n"), desk_qa_label(i));
	if (d->queue) {
		printf(_("High-risk queue: %s\n"), d->queue);
		if (d->queue_state == 2) {
			char *cm = sanitize(or_dash(d->ack_comment), 0);
			printf(_("  acknowledged by %s at "), d->ack_by);
			put_time(d->ack_at);
			printf(": %s\n", cm);
			free(cm);
		} else {
			printf(_("  waiting for acknowledgement\n"));
		}
	}
	if (d->reviewed_by) {
		printf(_("Reviewed by %s at "), d->reviewed_by);
		put_time(d->reviewed_at);
		putchar('\n');
	}
	if (d->finished_by)
		printf(_("Finished by the supervisor %s\n"), d->finished_by);
}

static void show_corrections(const desk_call *d)
{
	if (!d->ncorr)
		return;
	printf(_("Corrected (%zu changes):\n"), d->ncorr);
	for (size_t i = 0; i < d->ncorr; i++) {
		const desk_correction *x = &d->corr[i];
		char *o = sanitize(or_dash(x->old_value), 0), *n = sanitize(or_dash(x->new_value), 0), *r = sanitize(x->reason, 0);
		printf("  v%ld ", x->version);
		put_time(x->at);
		printf(" %s %s: %s -> %s (%s)\n", x->who, x->field, o, n, r);
		free(o);
		free(n);
		free(r);
	}
}

static void show_case(const desk_call *d)
{
	if (!d->kase)
		return;
	printf(_("Case %s: %s (by %s, "), d->kase->code, d->kase->status, d->kase->status_by);
	put_time(d->kase->status_at);
	printf(_("), owner %s, call-back due "), or_dash(d->kase->owner));
	put_time(d->kase->callback_due);
	putchar('\n');
	for (long i = 0; i < d->ncase_calls; i++) {
		const desk_row *r = &d->case_calls[i];
		if (strcmp(r->id, d->r->id) == 0)
			continue;
		printf("  ");
		put_time(r->started_at);
		printf(" %s %s %s %s\n", r->case_code, r->operator_login, or_dash(r->topic), or_dash(r->risk));
	}
}

static void show_head(const desk_call *d)
{
	const call_record *r = d->r;
	printf(_("Call %s (%s)\n"), r->case_code, r->id);
	printf(_("Started "));
	put_time(r->started_at);
	printf(_(", %ld s, operator %s, office %s, %s%s\n"), r->duration_s, r->operator_login, r->office,
	       r->final ? calls_kind_label(r->kind) : _("draft"), r->final ? "" : "");
	printf(_("Script %s version %s%s\n"), r->script_id, r->script_version,
	       d->script_known ? "" : _(" (its text is not in the database: codes shown)"));
	printf(_("Risk: %s\n"), or_dash(r->risk));
	for (size_t i = 0; i < d->nwhy; i++)
		printf("  %s\n", d->why[i]);
}

static int cmd_show(ctx *c, int argc, char **argv)
{
	if (argc != 2) {
		cli_error(c->cmd, _("say which call: a case code or an id"));
		return CLI_USAGE;
	}
	dv_error e;
	desk_call *d = desk_call_open(c->s, argv[1], &e);
	if (!d)
		return fail(c, &e);
	training_banner(c);
	show_head(d);
	printf(_("Answers:\n"));
	for (size_t i = 0; i < d->nlines; i++) {
		char *q = sanitize(d->lines[i].question, 0), *l = sanitize(d->lines[i].label, 0);
		printf("  %s: %s\n", q, l);
		free(q);
		free(l);
	}
	show_refs(d);
	if (d->r->col[COL_NOTES]) {
		char *n = sanitize(d->r->col[COL_NOTES], SANITIZE_KEEP_NEWLINE);
		printf(_("Notes (redacted):\n  %s\n"), n);
		free(n);
	}
	show_marks(d);
	show_corrections(d);
	show_case(d);
	printf(_("Version %ld\n"), d->r->version);
	desk_call_free(d);
	return CLI_OK;
}

/* ---- a case ---- */

static int cmd_case(ctx *c, int argc, char **argv)
{
	if (argc != 2) {
		cli_error(c->cmd, _("say which case: a case code"));
		return CLI_USAGE;
	}
	dv_error e;
	desk_followup *f = desk_followup_get(c->s, argv[1], &e);
	if (!f)
		return fail(c, &e);
	training_banner(c);
	if (f->kase.id[0]) {
		printf(_("Case %s: %s, owner %s, call-back due "), f->kase.code, f->kase.status, or_dash(f->kase.owner));
		put_time(f->kase.callback_due);
		putchar('\n');
	} else {
		printf(_("No case yet: one call\n"));
	}
	for (size_t i = 0; i < f->ncalls; i++) {
		const desk_followup_call *fc = &f->calls[i];
		put_time(fc->row.started_at);
		printf(" %s %s %s, %s, %s: %s\n", fc->row.case_code, fc->row.operator_login, or_dash(fc->row.topic),
		       or_dash(fc->row.risk), _("outcome"), or_dash(fc->outcome));
		for (size_t k = 0; k < fc->nrefs; k++)
			printf(_("  referred: %s\n"), fc->refs[k]);
		if (fc->notes) {
			char *n = sanitize(fc->notes, SANITIZE_KEEP_NEWLINE);
			printf(_("  notes: %s\n"), n);
			free(n);
		} else if (fc->row.kind == CALL_DATA) {
			printf(_("  notes: (another operator's; not shown)\n"));
		}
	}
	desk_followup_free(f);
	return CLI_OK;
}

/* ---- actions ---- */

static int need_args(ctx *c, int argc, int n, const char *what)
{
	if (argc == n)
		return 0;
	cli_error(c->cmd, _("%s; see --help"), what);
	return -1;
}

static int done(ctx *c, int code, const dv_error *e, const char *msg)
{
	if (code)
		return fail(c, e);
	puts(msg);
	return CLI_OK;
}

static int cmd_link(ctx *c, int argc, char **argv)
{
	char id[37];
	dv_error e;
	if (need_args(c, argc, 3, _("say the call and the case code")))
		return CLI_USAGE;
	if (resolve(c, argv[1], id))
		return CLI_PROBLEM;
	return done(c, desk_case_link(c->s, id, argv[2], &e), &e, _("linked"));
}

static int cmd_case_set(ctx *c, int argc, char **argv)
{
	dv_error e;
	if (need_args(c, argc, 3, _("say the case code and the new value")))
		return CLI_USAGE;
	const char *what = argv[0], *v = argv[2];
	time_t due = -1;
	if (strcmp(what, "due") == 0 && strcmp(v, "-") != 0 && (due = dv_parse_utc(v)) <= 0) {
		cli_error(c->cmd, _("the due date is YYYY-MM-DD or -, not '%s'"), v);
		return CLI_USAGE;
	}
	if (strcmp(what, "due") == 0 && due < 0)
		due = 0;
	int code = desk_case_set(c->s, argv[1], strcmp(what, "status") == 0 ? v : NULL,
				 strcmp(what, "owner") == 0 ? (strcmp(v, "-") == 0 ? "" : v) : NULL, due, &e);
	return done(c, code, &e, _("changed"));
}

static int cmd_overdue(ctx *c, int argc, char **argv)
{
	(void)argv;
	dv_error e;
	if (need_args(c, argc, 1, _("overdue takes no arguments")))
		return CLI_USAGE;
	desk_case *v;
	long n = desk_overdue(c->s, dv_now(), 1000, &v, &e);
	if (n < 0)
		return fail(c, &e);
	training_banner(c);
	for (long i = 0; i < n; i++) {
		printf("%s ", v[i].code);
		put_time(v[i].callback_due);
		printf(" %s %s\n", v[i].status, or_dash(v[i].owner));
	}
	printf(ngettext("%ld overdue call-back\n", "%ld overdue call-backs\n", (unsigned long)n), n);
	desk_cases_free(v, n);
	return CLI_OK;
}

static int cmd_one(ctx *c, int argc, char **argv)
{
	char id[37];
	dv_error e;
	const char *what = argv[0];
	int ack = strcmp(what, "ack") == 0;
	if (need_args(c, argc, ack ? 3 : 2, ack ? _("say the call and a short comment") : _("say which call")))
		return CLI_USAGE;
	if (resolve(c, argv[1], id))
		return CLI_PROBLEM;
	if (ack)
		return done(c, desk_queue_ack(c->s, id, argv[2], &e), &e, _("acknowledged"));
	if (strcmp(what, "review") == 0)
		return done(c, desk_mark_reviewed(c->s, id, &e), &e, _("marked reviewed"));
	if (strcmp(what, "finish") == 0)
		return done(c, desk_draft_finish(c->s, id, &e), &e, _("finished as supervisor"));
	return done(c, desk_draft_discard(c->s, id, &e), &e, _("discarded"));
}

static void print_corrections(const desk_correction *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *o = sanitize(or_dash(v[i].old_value), 0), *nv = sanitize(or_dash(v[i].new_value), 0), *r = sanitize(v[i].reason, 0);
		fprintf(stderr, _("  %s changed %s: %s -> %s (%s)\n"), v[i].who, v[i].field, o, nv, r);
		free(o);
		free(nv);
		free(r);
	}
}

static int cmd_correct(ctx *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"version", 1, NULL, 'v'}, {"reason", 1, NULL, 'r'}, {"help", 0, NULL, 'h'}, {NULL, 0, NULL, 0},
	};
	long version = -1;
	const char *reason = NULL;
	int opt;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "hv:r:", opts, NULL)) != -1) {
		if (opt == 'h') {
			fputs(usage_text(), stdout);
			return CLI_OK;
		}
		if (opt == 'v')
			version = strtol(optarg, NULL, 10);
		else if (opt == 'r')
			reason = optarg;
		else {
			cli_bad_option(c->cmd, argv);
			return CLI_USAGE;
		}
	}
	if (argc - optind < 2 || version < 1 || !reason) {
		cli_error(c->cmd, _("say the call, --version N (as 'calls show' printed it), --reason and FIELD=VALUE; see --help"));
		return CLI_USAGE;
	}
	char id[37];
	if (resolve(c, argv[optind], id))
		return CLI_PROBLEM;
	size_t n = (size_t)(argc - optind - 1);
	desk_change *ch = xcalloc(n, sizeof *ch);
	char **fields = xcalloc(n, sizeof *fields);
	for (size_t i = 0; i < n; i++) {
		const char *arg = argv[optind + 1 + (int)i];
		const char *eq = strchr(arg, '=');
		fields[i] = eq ? xstrndup(arg, (size_t)(eq - arg)) : xstrdup(arg);
		ch[i] = (desk_change){fields[i], eq ? eq + 1 : NULL};
	}
	dv_error e;
	long now_version = 0;
	desk_correction *since;
	size_t nsince;
	int code = desk_correct(c->s, id, version, ch, n, reason, &now_version, &since, &nsince, &e);
	int rc;
	if (code == DV_ECONFLICT) {
		cli_error(c->cmd, "%s", e.msg);
		print_corrections(since, nsince);
		desk_corrections_free(since, nsince);
		rc = CLI_PROBLEM;
	} else if (code) {
		rc = fail(c, &e);
	} else {
		printf(_("corrected; the call is now at version %ld\n"), now_version);
		rc = CLI_OK;
	}
	for (size_t i = 0; i < n; i++)
		free(fields[i]);
	free(fields);
	free(ch);
	return rc;
}

static int cmd_drafts(ctx *c, int argc, char **argv)
{
	long hours = DESK_SHIFT_SECONDS / 3600;
	if (argc == 3 && strcmp(argv[1], "--hours") == 0)
		hours = strtol(argv[2], NULL, 10);
	else if (argc != 1) {
		cli_error(c->cmd, _("drafts takes only --hours H; see --help"));
		return CLI_USAGE;
	}
	dv_error e;
	desk_row *rows;
	long n = desk_orphans(c->s, dv_now(), hours * 3600, 1000, &rows, &e);
	if (n < 0)
		return fail(c, &e);
	training_banner(c);
	for (long i = 0; i < n; i++) {
		put_time(rows[i].started_at);
		printf(" %s %s %s %s\n", rows[i].case_code, rows[i].operator_login, or_dash(rows[i].topic), rows[i].id);
	}
	printf(ngettext("%ld draft older than %ld hours\n", "%ld drafts older than %ld hours\n", (unsigned long)n), n, hours);
	desk_rows_free(rows, n);
	return CLI_OK;
}

static int cmd_operators(ctx *c, int argc, char **argv)
{
	list_opts o;
	memset(&o, 0, sizeof o);
	int rc = list_options(c, argc, argv, &o);
	if (rc >= 0)
		return rc;
	dv_error e;
	desk_opstat *v;
	long n = desk_operator_stats(c->s, o.f.from, o.f.to, &v, &e);
	if (n < 0)
		return fail(c, &e);
	training_banner(c);
	put_heads(operator_heads, sizeof operator_heads / sizeof *operator_heads);
	for (long i = 0; i < n; i++) {
		cli_put_cell(v[i].operator_login, 12);
		printf("%-7ld%-7ld%-9ld", v[i].calls, v[i].data_calls, v[i].median_s);
		char pct[16];
		snprintf(pct, sizeof pct, "%ld%%", v[i].data_calls ? v[i].flagged * 100 / v[i].data_calls : 0);
		printf("%-9s%ld\n", pct, v[i].open_drafts);
	}
	desk_opstats_free(v, n);
	return CLI_OK;
}

static int cmd_start(ctx *c, int argc, char **argv)
{
	(void)argv;
	if (need_args(c, argc, 1, _("start takes no arguments")))
		return CLI_USAGE;
	dv_error e;
	desk_start f;
	if (desk_start_figures(c->s, dv_now(), &f, &e))
		return fail(c, &e);
	training_banner(c);
	printf(_("calls today: %ld\nyour drafts: %ld\n"), f.today, f.my_drafts);
	if (session_may(c->s, ROLES_SUPERVISION))
		printf(_("high-risk calls waiting: %ld\noverdue call-backs: %ld\norphaned drafts: %ld\n"), f.waiting, f.overdue, f.orphans);
	return CLI_OK;
}

typedef struct sub {
	const char *name;
	int (*run)(ctx *, int, char **);
} sub;

static const sub subs[] = {
	{"list", cmd_list}, {"show", cmd_show}, {"case", cmd_case}, {"link", cmd_link},
	{"status", cmd_case_set}, {"owner", cmd_case_set}, {"due", cmd_case_set}, {"overdue", cmd_overdue},
	{"ack", cmd_one}, {"review", cmd_one}, {"finish", cmd_one}, {"discard", cmd_one},
	{"correct", cmd_correct}, {"drafts", cmd_drafts}, {"operators", cmd_operators}, {"start", cmd_start},
};

int cmd_calls(dv_cli *cli, int argc, char **argv)
{
	if (argc < 2) {
		cli_error("calls", _("say what to do (list, show, case, ...); see --help"));
		return CLI_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage_text(), stdout);
		return CLI_OK;
	}
	const sub *sc = NULL;
	for (size_t i = 0; i < sizeof subs / sizeof *subs; i++)
		if (strcmp(argv[1], subs[i].name) == 0)
			sc = &subs[i];
	if (!sc) {
		cli_error("calls", _("unknown subcommand '%s'; see --help"), argv[1]);
		return CLI_USAGE;
	}
	dv_error e;
	ctx c = {session_open(cli->db_path, 0, &e), "calls"};
	if (!c.s) {
		cli_error("calls", "%s", e.msg);
		return CLI_PROBLEM;
	}
	optind = 0;
	int rc = sc->run(&c, argc - 1, argv + 1);
	session_close(c.s);
	return rc;
}
