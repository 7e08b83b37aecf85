/* report_tables.c: what each of the ten tables counts.
 *
 * Each block reads one facet of report_days (schema_reportagg.h), whose
 * columns a, b, c hold the codes that facet keeps: the specs below say
 * which. Volume (months, median duration, hours) and geography
 * (occupied raions merged for the public) need a little code of their
 * own.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dbi.h"
#include "report_int.h"
#include "dovira/htcds.h"
#include "dovira/i18n.h"
#include "dovira/places.h"

#define AT_RISK_A " c.a IN ('possible','likely')"
#define AT_RISK_B " c.b IN ('possible','likely')"

static const dim ONE = {DIM_ONE, NULL, NULL, 0, NULL, NULL};

static const fixed_code risks[] = {
	{"none", N_("no signs")}, {"possible", N_("possible")}, {"likely", N_("likely")}, {NULL, NULL}};
static const fixed_code at_risk[] = {{"possible", N_("possible")}, {"likely", N_("likely")}, {NULL, NULL}};
static const fixed_code ages[] = {
	{"child", N_("child (under 18)")}, {"adult", N_("adult")}, {"unknown", N_("age unknown")}, {NULL, NULL}};
static const fixed_code ref_groups[] = {
	{"status", N_("status procedure")}, {"police", N_("police")}, {"national-line", N_("national lines")}, {NULL, NULL}};
static const fixed_code where_exploited[] = {
	{"ua", N_("Ukraine")}, {"occupied", N_("occupied Ukraine")}, {"abroad", N_("abroad")},
	{"unknown", N_("country unknown")}, {NULL, NULL}};
static const fixed_code kinds[] = {
	{"data", N_("data")}, {"silent", N_("silent")}, {"hangup", N_("hang-up")}, {"abusive", N_("abusive")},
	{"wrong_number", N_("wrong number")}, {NULL, NULL}};
static const fixed_code contacts[] = {{"first", N_("first contact")}, {"repeat", N_("repeat contact")}, {NULL, NULL}};
static const fixed_code callbacks[] = {
	{"done", N_("call-back agreed and done")}, {"agreed", N_("call-back agreed, not done yet")},
	{"not-agreed", N_("no call-back")}, {NULL, NULL}};
static const fixed_code ref_states[] = {
	{"recommended", N_("recommended")}, {"made", N_("made")}, {"not-made", N_("recommended, not made")}, {NULL, NULL}};

#define STEP(s, col) {DIM_STEP, col, s, 0, NULL, NULL}
#define MULTI(s) {DIM_STEP, "c.a", s, 1, NULL, NULL}
#define FIXED(list, sql) {DIM_FIXED, sql, NULL, 0, list, NULL}
#define COUNTRY(sql) {DIM_COUNTRY, sql, NULL, 0, NULL, NULL}
#define AREA(sql) {DIM_AREA, sql, NULL, 0, NULL, NULL}
/* rga: c.c the age band */
#define AGE_GROUP_SQL "CASE WHEN c.c IN ('0-8','9-17') THEN 'child'" \
	" WHEN c.c = '' OR c.c = 'unknown' THEN 'unknown' ELSE 'adult' END"
/* a.exploitation: c.b the country, 'UA-occupied' for an occupied raion */
#define WHERE_SQL "CASE WHEN c.b = 'UA-occupied' THEN 'occupied'" \
	" WHEN c.b = 'UA' THEN 'ua' WHEN c.b = '' OR c.b = 'XX' THEN 'unknown' ELSE 'abroad' END"
/* A spec: title, row, column, joins, condition, row and column totals,
 * facet. */
#define SPEC(title, row, col, from, where, rt, ct, facet) {title, row, col, from, where, 0, rt, ct, NULL, facet, 0}

static int run_specs(report_ctx *x, report_table *t, const block_spec *specs, size_t n, dv_error *e)
{
	for (size_t i = 0; i < n; i++)
		if (report_block_run(x, &specs[i], report_add_block(t), e))
			return e->code;
	return DV_OK;
}

#define RUN(specs) run_specs(x, t, specs, sizeof specs / sizeof *specs, e)

/* ---- volume ---- */

/* A month's durations: how many calls lasted each number of seconds. */
typedef struct durations {
	struct dur_n { long s, n; } *v;
	size_t n, cap;
	long calls, outside;
} durations;

static int cmp_dur(const void *a, const void *b)
{
	long x = ((const struct dur_n *)a)->s, y = ((const struct dur_n *)b)->s;
	return (x > y) - (x < y);
}

/* The median of a month's durations (the mean of the middle two, in
 * whole seconds, for an even count), or -1 for none. */
static long median_of(durations *d)
{
	if (!d->calls)
		return -1;
	qsort(d->v, d->n, sizeof *d->v, cmp_dur);
	long want[2] = {(d->calls - 1) / 2, d->calls / 2}, got[2] = {0, 0}, seen = 0;
	for (size_t i = 0; i < d->n; i++) {
		for (int k = 0; k < 2; k++)
			if (want[k] >= seen && want[k] < seen + d->v[i].n)
				got[k] = d->v[i].s;
		seen += d->v[i].n;
	}
	return (got[0] + got[1]) / 2;
}

/* The row of a date "YYYY-MM..." of the period: its month (or quarter
 * for the public). */
static long period_row(const report_ctx *x, const char *date, int quarters)
{
	int y0 = atoi(x->q->period.from), m0 = atoi(x->q->period.from + 5);
	long months = (long)(atoi(date) - y0) * 12 + (atoi(date + 5) - m0);
	return quarters ? months / 3 : months;
}

static void volume_rows(const report_ctx *x, report_block *b, int quarters)
{
	int y0 = atoi(x->q->period.from), m0 = atoi(x->q->period.from + 5);
	int y1 = atoi(x->q->period.to), m1 = atoi(x->q->period.to + 5);
	long months = (long)(y1 - y0) * 12 + (m1 - m0) + 1;
	b->nrows = (size_t)(quarters ? (months + 2) / 3 : months);
	b->row_code = xcalloc(b->nrows, sizeof *b->row_code);
	b->row_label = xcalloc(b->nrows, sizeof *b->row_label);
	for (size_t r = 0; r < b->nrows; r++) {
		long m = (long)(m0 - 1) + (long)r * (quarters ? 3 : 1);
		int y = y0 + (int)(m / 12), mm = (int)(m % 12) + 1;
		b->row_code[r] = quarters ? xasprintf("%04d-Q%d", y, (mm + 2) / 3) : xasprintf("%04d-%02d", y, mm);
		b->row_label[r] = xstrdup(b->row_code[r]);
	}
}

static void copy_rows(report_block *to, const report_block *from)
{
	to->nrows = from->nrows;
	to->row_code = xcalloc(to->nrows, sizeof *to->row_code);
	to->row_label = xcalloc(to->nrows, sizeof *to->row_label);
	for (size_t r = 0; r < to->nrows; r++) {
		to->row_code[r] = xstrdup(from->row_code[r]);
		to->row_label[r] = xstrdup(from->row_label[r]);
	}
}

static void fixed_cols(report_block *b, const fixed_code *f)
{
	for (b->ncols = 0; f[b->ncols].code; b->ncols++)
		;
	b->col_code = xcalloc(b->ncols, sizeof *b->col_code);
	b->col_label = xcalloc(b->ncols, sizeof *b->col_label);
	for (size_t c = 0; c < b->ncols; c++) {
		b->col_code[c] = xstrdup(f[c].code);
		b->col_label[c] = xstrdup(_(f[c].label));
	}
}

static long kind_col(const char *k)
{
	for (long i = 0; kinds[i].code; i++)
		if (strcmp(kinds[i].code, k) == 0)
			return i;
	return -1;
}

static const char VOLUME_SQL[] = "SELECT c.day, c.a, c.b, c.n FROM report_days c WHERE c.facet = ?4"
	" AND c.day >= ?1 AND c.day <= ?2 AND (?3 IS NULL OR c.office = ?3)";

/* The period's counts by month and kind (facet vol: a the kind, b 1 for
 * outside working hours), and each month's durations (facet dur: a the
 * seconds). */
static int volume_scan(report_ctx *x, report_block *b, durations *d, int quarters, dv_error *e)
{
	sqlite3_stmt *st = report_prepare(x, VOLUME_SQL, e);
	if (!st)
		return e->code;
	int rc = SQLITE_DONE;
	size_t w = b->ncols + 1;
	for (int pass = 0; pass < 2; pass++)
		for (size_t p = 0; p < x->nparts && rc == SQLITE_DONE; p++) {
			report_part(x, st, p, pass ? "dur" : "vol");
			while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
				long r = period_row(x, (const char *)sqlite3_column_text(st, 0), quarters);
				long n = (long)sqlite3_column_int64(st, 3);
				if (r < 0 || (size_t)r >= b->nrows)
					continue;
				durations *dr = &d[r];
				if (!pass) {
					long c = kind_col((const char *)sqlite3_column_text(st, 1));
					if (c < 0)
						continue;
					b->v[(size_t)r * w + (size_t)c] += n;
					dr->calls += n;
					dr->outside += sqlite3_column_int(st, 2) ? n : 0;
					continue;
				}
				if (dr->n == dr->cap)
					dr->v = xrealloc(dr->v, (dr->cap = dr->cap ? 2 * dr->cap : 256) * sizeof *dr->v);
				dr->v[dr->n++] = (struct dur_n){atol((const char *)sqlite3_column_text(st, 1)), n};
			}
		}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? DV_OK : dbi_fail(x->s->db, rc, _("reading the counts for the report"), e);
}

static int build_volume(report_ctx *x, report_table *t, dv_error *e)
{
	int quarters = x->q->level == REPORT_PUBLIC;
	report_block *b = report_add_block(t);
	b->title = xstrdup(quarters ? _("Calls by quarter and kind") : _("Calls by month and kind"));
	volume_rows(x, b, quarters);
	fixed_cols(b, kinds);
	b->row_total = b->col_total = 1;
	report_block_alloc(b);
	durations *d = xcalloc(b->nrows, sizeof *d);
	int code = volume_scan(x, b, d, quarters, e);
	report_block_totals(b);
	report_block *m = report_add_block(t);
	b = &t->blocks[t->nblocks - 2]; /* the array may have moved */
	m->title = xstrdup(_("Median duration and share of calls outside working hours (Mon-Fri 09:00-18:00, Kyiv)"));
	m->measure = 1;
	copy_rows(m, b);
	static const fixed_code mcols[] = {{"median", N_("median duration")}, {"outside", N_("outside working hours")}, {NULL, NULL}};
	fixed_cols(m, mcols);
	report_block_alloc(m);
	long k = x->q->level == REPORT_PUBLIC ? 11 : x->q->level == REPORT_DEPARTMENT ? 5 : 1;
	for (size_t r = 0; r < m->nrows; r++) {
		long n = d[r].calls;
		m->v[r * 3] = median_of(&d[r]);
		m->v[r * 3 + 1] = n ? (d[r].outside * 1000 + n / 2) / n : -1;
		if (n && n < k) /* too few calls to say anything about them */
			m->state[r * 3] = m->state[r * 3 + 1] = REPORT_HIDDEN;
		free(d[r].v);
	}
	free(d);
	return code;
}

/* ---- the grouped tables ---- */

static int build_topics(report_ctx *x, report_table *t, dv_error *e)
{
	static const block_spec s[] = {
		SPEC(N_("Topic by who called"), STEP("topic", "c.a"), STEP("caller_role", "c.b"), NULL, NULL, 1, 1, "tc"),
	};
	return RUN(s);
}

static int build_prevention(report_ctx *x, report_table *t, dv_error *e)
{
	/* The purpose of each consultation: the answers, and the consultations
	 * that gave none (all of them less those that answered). */
	static const block_spec purpose[] = {
		SPEC(N_("Consultations by purpose of the trip"), STEP("consult_purpose", "c.a"), ONE,
		     NULL, "c.b = 'consult'", 1, 0, "a.consult_purpose"),
		SPEC(NULL, STEP("consult_purpose", "''"), ONE, NULL, "c.a = 'consult'", 1, 0, "tc"),
		{NULL, STEP("consult_purpose", "''"), ONE, NULL, "c.b = 'consult'", 0, 1, 0, NULL, "a.consult_purpose", 1},
	};
	static const block_spec s1[] = {
		SPEC(N_("Consultations and job-offer checks"), STEP("topic", "c.a"), ONE, NULL, NULL, 1, 0, "tk"),
	};
	static const block_spec s2[] = {
		SPEC(N_("Warning signs in job offers (each sign counted; calls that answered)"), MULTI("red_flags"), ONE,
		     NULL, NULL, 0, 0, "a.red_flags"),
		SPEC(N_("Destination countries of consultations and job offers"), COUNTRY("c.b"), ONE,
		     NULL, NULL, 1, 0, "tk"),
		SPEC(N_("Recruitment channels (calls that answered)"), STEP("channel", "c.a"), ONE,
		     NULL, NULL, 1, 0, "a.channel"),
		SPEC(N_("How callers heard of the line"), STEP("heard_from", "c.a"), ONE, NULL, NULL, 1, 0, "hf"),
	};
	int code = RUN(s1);
	if (!code)
		code = report_block_run_many(x, purpose, 3, report_add_block(t), e);
	return code ? code : RUN(s2);
}

static int build_identification(report_ctx *x, report_table *t, dv_error *e)
{
	static const block_spec s[] = {
		SPEC(N_("Topic by risk"), STEP("topic", "c.a"), FIXED(risks, "c.b"), NULL, NULL, 1, 1, "tr"),
		SPEC(N_("Possible and likely cases by gender, child or adult"), STEP("gender", "c.b"),
		     FIXED(ages, AGE_GROUP_SQL), NULL, AT_RISK_A, 1, 1, "rga"),
		SPEC(N_("Referrals made for possible and likely cases (a call may have several)"),
		     FIXED(ref_groups, "c.b"), FIXED(at_risk, "c.a"), NULL, NULL, 0, 1, "idg"),
	};
	return RUN(s);
}

static int build_exploitation(report_ctx *x, report_table *t, dv_error *e)
{
	static const block_spec s[] = {
		SPEC(N_("Form of exploitation by where it happened (each form counted)"), MULTI("exploitation"),
		     FIXED(where_exploited, WHERE_SQL), NULL, NULL, 0, 1, "a.exploitation"),
		SPEC(N_("Calls naming a form of exploitation, by country"),
		     COUNTRY("c.b"),
		     ONE, NULL, "c.a <> 'unknown'", 1, 0, "a.exploitation"),
	};
	int code = RUN(s);
	if (!code)
		report_note(t, _("Occupied Ukraine: Ukraine as the country, and the caller living in an occupied raion or territory."));
	return code;
}

static int build_age_gender(report_ctx *x, report_table *t, dv_error *e)
{
	static const block_spec s[] = {
		SPEC(N_("All calls: age band by gender"), STEP("age_band", "c.c"), STEP("gender", "c.b"), NULL, NULL, 1, 1, "rga"),
		SPEC(N_("Possible and likely cases: age band by gender"), STEP("age_band", "c.c"), STEP("gender", "c.b"),
		     NULL, AT_RISK_A, 1, 1, "rga"),
	};
	return RUN(s);
}

/* Public: the occupied raions and territory become one row. */
static void merge_occupied(report_block *b)
{
	size_t w = b->ncols + 1, keep = 0;
	long into = -1;
	for (size_t r = 0; r < b->nrows; r++)
		if (strcmp(b->row_code[r], "occupied") == 0)
			into = (long)r;
	if (into < 0)
		return;
	free(b->row_label[into]);
	b->row_label[into] = xstrdup(_("Occupied territory (occupied raions merged)"));
	for (size_t r = 0; r < b->nrows; r++) {
		const place *p = places_find(PLACES_AREAS, b->row_code[r]);
		if (p && (p->flags & PLACE_OCCUPIED) && (long)r != into) {
			for (size_t c = 0; c <= b->ncols; c++)
				b->v[(size_t)into * w + c] += b->v[r * w + c];
			free(b->row_code[r]);
			free(b->row_label[r]);
			b->row_code[r] = NULL;
		}
	}
	for (size_t r = 0; r < b->nrows; r++) {
		if (!b->row_code[r])
			continue;
		b->row_code[keep] = b->row_code[r];
		b->row_label[keep] = b->row_label[r];
		memmove(b->v + keep * w, b->v + r * w, w * sizeof *b->v);
		keep++;
	}
	memmove(b->v + keep * w, b->v + b->nrows * w, w * sizeof *b->v);
	b->nrows = keep;
}

static int build_geography(report_ctx *x, report_table *t, dv_error *e)
{
	static const block_spec s[] = {
		SPEC(N_("Where callers live"), AREA("c.a"), ONE, NULL, NULL, 1, 0, "geo"),
	};
	int code = RUN(s);
	if (!code && x->q->level == REPORT_PUBLIC)
		merge_occupied(&t->blocks[0]);
	return code;
}

/* made, rec, both: c.a the organisation, c.b the service */
#define ORG_SERVICE {DIM_SEEN, "c.a || ' ' || c.b", NULL, 0, NULL, \
	"o.name_uk || char(31) || o.name_en || char(31) || CASE c.b WHEN '' THEN '-' ELSE c.b END"}
#define ORG " JOIN orgs o ON o.id = c.a"

/* One block, three counts per organisation and service: what the script
 * recommended, what was made (recommended or not), and what was
 * recommended and not made (recommended, less recommended and made). The
 * columns overlap: no total column. */
static int build_referrals(report_ctx *x, report_table *t, dv_error *e)
{
	static const block_spec s[] = {
		SPEC(N_("Referrals by organisation and service"), ORG_SERVICE, FIXED(ref_states, "'recommended'"),
		     ORG, NULL, 1, 0, "rec"),
		SPEC(NULL, ORG_SERVICE, FIXED(ref_states, "'made'"), ORG, NULL, 1, 0, "made"),
		SPEC(NULL, ORG_SERVICE, FIXED(ref_states, "'not-made'"), ORG, NULL, 1, 0, "rec"),
		{NULL, ORG_SERVICE, FIXED(ref_states, "'not-made'"), ORG, NULL, 0, 1, 0, NULL, "both", 1},
	};
	int code = report_block_run_many(x, s, 4, report_add_block(t), e);
	if (!code)
		report_note(t, _("Recommended: what the script recommended, among the entries the directory could back, when the call was finished or last corrected; calls finished before dovira stored it count none."));
	return code;
}

/* ---- indicators ---- */

/* The current code of control for the code of an older step (ua_signs,
 * ilo: versions before 2026.12.1), as the HTCDS export maps both
 * (htcds.c): the one option of the newest control step that sets the
 * same meansOfControl column; for meansOfControlOther, which several
 * unlike signs set, only the same code (no-contact). NULL: none. */
static const char *current_control(const script_step *control, const char *step, const char *code)
{
	const htcds_code *m = htcds_code_find(step, code);
	if (!control || !m || !m->column)
		return NULL;
	const char *found = NULL;
	for (size_t i = 0; i < control->nopts; i++) {
		const char *c = control->opts[i].code;
		const htcds_code *k = htcds_code_find("control", c);
		if (!k || !k->column || strcmp(k->column, m->column) != 0)
			continue;
		if (strcmp(m->column, "meansOfControlOther") == 0 && strcmp(c, code) != 0)
			continue;
		if (found)
			return NULL; /* not one code: no mapping */
		found = c;
	}
	return found;
}

static int has_code(const dv_buf *b, const char *code)
{
	size_t n = strlen(code);
	for (const char *p = b->s; p && (p = strstr(p, code)) != NULL; p += n)
		if ((p == b->s || p[-1] == ',') && (p[n] == ',' || !p[n]))
			return 1;
	return 0;
}

/* moc (schema_reportcase.h): a call's answers to ua_signs and ilo, as
 * "ua_signs \x1f ilo", become the current codes of control they map to,
 * each once ("step:code" for those that map to none); "none" only when
 * neither step named a sign. */
static char *map_old_control(const report_ctx *x, const char *row)
{
	static const char *const steps[] = {"ua_signs", "ilo"};
	const script_step *control = report_step_newest(x, "control");
	dv_buf out = {0};
	int none = 0;
	const char *p = row;
	for (int s = 0; s < 2; s++) {
		const char *end = strchr(p, 0x1f);
		if (!end)
			end = p + strlen(p);
		while (p < end) {
			const char *comma = memchr(p, ',', (size_t)(end - p));
			const char *stop = comma ? comma : end;
			while (p < stop && *p == ' ')
				p++;
			size_t len = (size_t)(stop - p);
			while (len && p[len - 1] == ' ')
				len--;
			char *code = xstrndup(p, len);
			if (strcmp(code, "none") == 0) {
				none = 1;
			} else if (*code) {
				const char *cur = current_control(control, steps[s], code);
				char *c = cur ? xstrdup(cur) : xasprintf("%s:%s", steps[s], code);
				if (!has_code(&out, c))
					dv_buf_printf(&out, "%s%s", out.len ? "," : "", c);
				free(c);
			}
			free(code);
			p = comma ? comma + 1 : stop;
		}
		p = *end ? end + 1 : end;
	}
	if (!out.len && none)
		dv_buf_printf(&out, "none");
	return out.len ? dv_buf_take(&out) : xstrdup("");
}

static int build_indicators(report_ctx *x, report_table *t, dv_error *e)
{
	static const block_spec control[] = {
		SPEC(N_("Signs of trafficking: means of control (each counted)"), MULTI("control"), FIXED(at_risk, "c.b"),
		     NULL, AT_RISK_B, 0, 1, "a.control"),
		/* moc: c.a the answer to ua_signs, c.c to ilo */
		{NULL, {DIM_STEP, "c.a || char(31) || c.c", "control", 1, NULL, NULL}, FIXED(at_risk, "c.b"), NULL, AT_RISK_B,
		 0, 0, 1, map_old_control, "moc", 0},
	};
	static const block_spec s[] = {
		SPEC(N_("Who recruited"), STEP("recruiter", "c.a"), FIXED(at_risk, "c.b"), NULL, AT_RISK_B, 1, 1, "a.recruiter"),
	};
	int code = report_block_run_many(x, control, 2, report_add_block(t), e);
	if (!code)
		code = RUN(s);
	int old = code ? 0 : report_any(x, "moc", AT_RISK_B, e);
	if (old < 0)
		return e->code;
	if (old)
		report_note(t, _("Means of control: calls taken under script versions before 2026.12.1 answered them at two steps, ua_signs (the National Social Service checklist) and ilo (the ILO indicators); they are counted here under the current codes these map to, as in the HTCDS export, each code once per call. Codes with no current equivalent keep rows of their own, named step:code (such as ilo:vulnerability)."));
	return code;
}

/* Cases (facets cs, csall: schema_reportcase.h): a the case's status, b
 * the case's day before this one. A case counts once, on its first day
 * in the period: the one whose previous day (b) is before the period
 * (?5). */
#define CASES_SPEC(facet) {N_("Cases of the period's calls, by their status now (counts cases, not calls)"), \
	FIXED(case_states, "c.a"), FIXED(cases_col, "'cases'"), NULL, "c.b < ?5", 0, 1, 0, NULL, facet, 0}

static int build_followups(report_ctx *x, report_table *t, dv_error *e)
{
	static const fixed_code case_states[] = {
		{"open", N_("open")}, {"follow_up", N_("follow-up")}, {"closed", N_("closed")}, {NULL, NULL}};
	static const fixed_code cases_col[] = {{"cases", N_("cases")}, {NULL, NULL}};
	static const block_spec s[] = {
		SPEC(N_("First and repeat contacts"), FIXED(contacts, "c.a"), ONE, NULL, NULL, 1, 0, "fu"),
		SPEC(N_("Call-backs"), FIXED(callbacks, "c.a"), ONE, NULL, NULL, 1, 0, "cb"),
	};
	/* One office: the case's days in that office; all: in any office. */
	static const block_spec office_cases[] = {CASES_SPEC("cs")}, all_cases[] = {CASES_SPEC("csall")};
	int code = RUN(s);
	if (!code)
		code = x->q->office ? RUN(office_cases) : RUN(all_cases);
	if (!code)
		report_note(t, _("A repeat contact is a later call of a case, or a caller who said they had called before. A call-back is done once a later call joined the case (as of now)."));
	return code;
}

static const char *const topic_steps[] = {"topic", "caller_role", NULL};
static const char *const prevention_steps[] = {"topic", "consult_purpose", "red_flags", "channel", "heard_from", NULL};
static const char *const ident_steps[] = {"topic", "gender", NULL};
static const char *const exploit_steps[] = {"exploitation", NULL};
static const char *const age_steps[] = {"age_band", "gender", NULL};
static const char *const ind_steps[] = {"control", "recruiter", NULL};
static const char *const follow_steps[] = {"heard_from", NULL};

const report_def report_defs[] = {
	{"volume", N_("Volume"), N_("calls by month and kind, median duration, share outside working hours"), build_volume, NULL},
	{"topics", N_("Topics"), N_("topics of the calls by who called"), build_topics, topic_steps},
	{"prevention", N_("Prevention"), N_("consultations, job-offer checks, warning signs, destinations, channels, how callers heard of the line"), build_prevention, prevention_steps},
	{"identification", N_("Identification"), N_("topic by risk; possible and likely cases by gender and age; their referrals"), build_identification, ident_steps},
	{"exploitation", N_("Exploitation"), N_("forms of exploitation by country, occupied Ukraine apart"), build_exploitation, exploit_steps},
	{"age-gender", N_("Age and gender"), N_("CTDC age bands by gender, for all calls and for possible and likely cases"), build_age_gender, age_steps},
	{"geography", N_("Geography"), N_("the city, the five raions, occupied territory, other oblasts, abroad"), build_geography, NULL},
	{"referrals", N_("Referrals"), N_("referrals by organisation and service, recommended or not"), build_referrals, NULL},
	{"indicators", N_("Indicators"), N_("indicators and recruiter relations among possible and likely cases"), build_indicators, ind_steps},
	{"follow-ups", N_("Follow-ups"), N_("first and repeat contacts, call-backs agreed and done, cases by status"), build_followups, follow_steps},
};
const size_t report_ndefs = sizeof report_defs / sizeof *report_defs;
