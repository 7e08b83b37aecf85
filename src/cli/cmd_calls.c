/* cmd_calls.c: `dovira calls ...`, the supervisor's desk on the command
 * line: the log with the screens' filters, one call, a case, and the
 * supervisor's actions. The rules (who sees what, what is audited) are the
 * core's (desk.h); this file only parses and prints. No command prints the
 * notes of more than one call. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dovira/cli.h"
#include "dovira/csv.h"
#include "dovira/desk.h"
#include "dovira/i18n.h"
#include "dovira/sanitize.h"
#include "dovira/session.h"

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

/* A yes|no choice (index 0 yes, 1 no) as 1, 0, or -1 when not given. */
static int yes_no(const cli_parsed *p, const char *name)
{
	return cli_given(p, name) ? cli_choice(p, name, 0) == 0 : -1;
}

/* The filter of list from its options (their values are the table's
 * choices, checked by the parser); -1 with a message for a period or a
 * cursor that is wrong. */
static int list_filter(ctx *c, const cli_parsed *p, list_opts *o)
{
	desk_filter *f = &o->f;
	dv_error e;
	desk_filter_init(f);
	const char *period = cli_text(p, "period");
	if (period && desk_period(period, dv_now(), &f->from, &f->to, &e)) {
		cli_error(c->cmd, "%s", e.msg);
		return -1;
	}
	if (cli_given(p, "from"))
		f->from = cli_date(p, "from");
	if (cli_given(p, "to"))
		f->to = cli_date(p, "to");
	f->office = cli_text(p, "office");
	f->operator_login = cli_text(p, "operator");
	if (cli_given(p, "kind"))
		f->kind = cli_choice(p, "kind", 0);
	f->topic = cli_text(p, "topic");
	f->risk = cli_text(p, "risk");
	if (cli_given(p, "draft"))
		f->final = 0;
	if (cli_given(p, "final"))
		f->final = 1;
	int v;
	if ((v = yes_no(p, "callback")) >= 0)
		f->callback = v;
	if ((v = yes_no(p, "flagged")) >= 0)
		f->flagged = v;
	if ((v = yes_no(p, "reviewed")) >= 0)
		f->reviewed = v;
	size_t nflags;
	const char *const *flags = cli_texts(p, "flag", &nflags);
	for (size_t i = 0; i < nflags; i++)
		f->flags |= desk_qa_parse(flags[i]);
	if (cli_given(p, "queue"))
		f->queue = cli_choice(p, "queue", 0); /* none, waiting, acknowledged: 0, 1, 2 */
	f->case_status = cli_text(p, "case-status");
	f->case_code = cli_text(p, "case");
	o->limit = (size_t)cli_number(p, "limit", 50);
	o->format = cli_choice(p, "format", 0);
	const char *after = cli_text(p, "after");
	if (after && parse_cursor(after, &o->after)) {
		/* TRANSLATORS: OPTION takes WHAT, not 'VALUE' */
		cli_error(c->cmd, _("%s takes %s, not '%s'"), "--after", _("the cursor a previous page printed"), after);
		return -1;
	}
	return 0;
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

static int cmd_list(ctx *c, const cli_parsed *p)
{
	list_opts o;
	memset(&o, 0, sizeof o);
	if (list_filter(c, p, &o))
		return CLI_USAGE;
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

static int cmd_show(ctx *c, const cli_parsed *p)
{
	dv_error e;
	desk_call *d = desk_call_open(c->s, p->args[0], &e);
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

static int cmd_case(ctx *c, const cli_parsed *p)
{
	dv_error e;
	desk_followup *f = desk_followup_get(c->s, p->args[0], &e);
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

static int done(ctx *c, int code, const dv_error *e, const char *msg)
{
	if (code)
		return fail(c, e);
	puts(msg);
	return CLI_OK;
}

static int cmd_link(ctx *c, const cli_parsed *p)
{
	char id[37];
	dv_error e;
	if (resolve(c, p->args[0], id))
		return CLI_PROBLEM;
	return done(c, desk_case_link(c->s, id, p->args[1], &e), &e, _("linked"));
}

static int cmd_case_set(ctx *c, const cli_parsed *p)
{
	dv_error e;
	const char *what = p->cmd->name, *v = p->args[1];
	time_t due = -1;
	if (strcmp(what, "due") == 0 && strcmp(v, "-") != 0 && (due = dv_parse_utc(v)) <= 0) {
		cli_error(c->cmd, _("the due date is YYYY-MM-DD or -, not '%s'"), v);
		return CLI_USAGE;
	}
	if (strcmp(what, "due") == 0 && due < 0)
		due = 0;
	int code = desk_case_set(c->s, p->args[0], strcmp(what, "status") == 0 ? v : NULL,
				 strcmp(what, "owner") == 0 ? (strcmp(v, "-") == 0 ? "" : v) : NULL, due, &e);
	return done(c, code, &e, _("changed"));
}

static int cmd_overdue(ctx *c, const cli_parsed *p)
{
	(void)p;
	dv_error e;
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

static int cmd_one(ctx *c, const cli_parsed *p)
{
	char id[37];
	dv_error e;
	const char *what = p->cmd->name;
	if (resolve(c, p->args[0], id))
		return CLI_PROBLEM;
	if (strcmp(what, "ack") == 0)
		return done(c, desk_queue_ack(c->s, id, p->args[1], &e), &e, _("acknowledged"));
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

static int cmd_correct(ctx *c, const cli_parsed *p)
{
	long version = cli_number(p, "version", 0);
	const char *reason = cli_text(p, "reason");
	char id[37];
	if (resolve(c, p->args[0], id))
		return CLI_PROBLEM;
	size_t n = (size_t)(p->nargs - 1);
	desk_change *ch = xcalloc(n, sizeof *ch);
	char **fields = xcalloc(n, sizeof *fields);
	for (size_t i = 0; i < n; i++) {
		const char *arg = p->args[1 + i];
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

static int cmd_drafts(ctx *c, const cli_parsed *p)
{
	long hours = cli_number(p, "hours", DESK_SHIFT_SECONDS / 3600);
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

static int cmd_operators(ctx *c, const cli_parsed *p)
{
	list_opts o;
	memset(&o, 0, sizeof o);
	if (list_filter(c, p, &o))
		return CLI_USAGE;
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

static int cmd_start(ctx *c, const cli_parsed *p)
{
	(void)p;
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

/* The entry points the table names: each runs with the session the
 * dispatcher opened and whose role it checked. */
#define ENTRY(name, fn) \
	int name(dv_cli *cli, const cli_parsed *p) \
	{ \
		ctx c = {cli->s, "calls"}; \
		return fn(&c, p); \
	}

ENTRY(cmd_calls_list, cmd_list)
ENTRY(cmd_calls_show, cmd_show)
ENTRY(cmd_calls_case, cmd_case)
ENTRY(cmd_calls_link, cmd_link)
ENTRY(cmd_calls_case_set, cmd_case_set)
ENTRY(cmd_calls_overdue, cmd_overdue)
ENTRY(cmd_calls_one, cmd_one)
ENTRY(cmd_calls_correct, cmd_correct)
ENTRY(cmd_calls_drafts, cmd_drafts)
ENTRY(cmd_calls_operators, cmd_operators)
ENTRY(cmd_calls_start, cmd_start)
