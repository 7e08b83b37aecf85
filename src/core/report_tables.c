/* report_tables.c: what each of the ten tables counts.
 *
 * Most blocks are one grouped query described by a block_spec; volume
 * (months, median duration, hours) and geography (occupied raions merged
 * for the public) need a little code of their own.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dbi.h"
#include "report_int.h"
#include "dovira/i18n.h"
#include "dovira/places.h"

/* The areas flagged PLACE_OCCUPIED in places.c. */
#define OCCUPIED_AREAS "('berdianskyi','melitopolskyi','polohivskyi','vasylivskyi','occupied')"
#define DATA " +c.kind = 'data'"
#define AT_RISK " +c.kind = 'data' AND +c.risk IN ('possible','likely')"
/* The answer to a step, joined (only calls that answered) or left-joined.
 * The calls of a day come in time order from calls_report; their answers
 * to the step are one short range of answers_day (schema_reportday.h),
 * where the primary key would send each call to a random page. CROSS
 * JOIN keeps calls outside, INDEXED BY keeps the day's range. */
#define ON_DAY " a.day = substr(c.started_at, 1, 10) AND a.call_id = c.id"
#define ANSWER(step) " CROSS JOIN answers a INDEXED BY answers_day ON a.step = '" step "' AND" ON_DAY
#define LEFT_ANSWER(step) " LEFT JOIN answers a INDEXED BY answers_day ON a.step = '" step "' AND" ON_DAY
/* The call's referrals, the same way (referrals_day), and what the script
 * recommended (recommendations_day). */
#define RECOMMENDED " CROSS JOIN recommendations r INDEXED BY recommendations_day ON r.day = substr(c.started_at, 1, 10)" \
	" AND r.call_id = c.id JOIN orgs o ON o.id = r.org_id"
#define NOT_MADE " NOT EXISTS (SELECT 1 FROM referrals f INDEXED BY referrals_day WHERE f.day = r.day" \
	" AND f.call_id = r.call_id AND f.org_id = r.org_id AND f.service = r.service)"
#define REFERRALS " CROSS JOIN referrals r INDEXED BY referrals_day ON r.day = substr(c.started_at, 1, 10)" \
	" AND r.call_id = c.id JOIN orgs o ON o.id = r.org_id"

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
#define MULTI(s) {DIM_STEP, "a.value", s, 1, NULL, NULL}
#define FIXED(list, sql) {DIM_FIXED, sql, NULL, 0, list, NULL}
#define RISK_SQL "coalesce(c.risk, '')"
#define AGE_GROUP_SQL "CASE WHEN c.age_band IN ('0-8','9-17') THEN 'child'" \
	" WHEN c.age_band IS NULL OR c.age_band = 'unknown' THEN 'unknown' ELSE 'adult' END"
#define WHERE_SQL "CASE WHEN c.country = 'UA' AND c.raion IN " OCCUPIED_AREAS " THEN 'occupied'" \
	" WHEN c.country = 'UA' THEN 'ua' WHEN c.country IS NULL OR c.country = 'XX' THEN 'unknown' ELSE 'abroad' END"

static int run_specs(report_ctx *x, report_table *t, const block_spec *specs, size_t n, dv_error *e)
{
	for (size_t i = 0; i < n; i++)
		if (report_block_run(x, &specs[i], report_add_block(t), e))
			return e->code;
	return DV_OK;
}

#define RUN(specs) run_specs(x, t, specs, sizeof specs / sizeof *specs, e)

/* ---- volume ---- */

typedef struct durations {
	long *v;
	size_t n, cap;
	long outside;
} durations;

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return (x > y) - (x < y);
}

/* Kyiv working hours: Monday to Friday, 09:00 to 18:00 (public holidays
 * are working days under martial law, so none are listed). */
static int outside_hours(const struct tm *l)
{
	return l->tm_wday == 0 || l->tm_wday == 6 || l->tm_hour < 9 || l->tm_hour >= 18;
}

/* The row of a local time: months (or quarters for the public). */
static long period_row(const report_ctx *x, const struct tm *l, int quarters)
{
	int y0 = atoi(x->q->period.from), m0 = atoi(x->q->period.from + 5);
	long months = (long)(l->tm_year + 1900 - y0) * 12 + (l->tm_mon + 1 - m0);
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

/* "YYYY-MM-DDTHH:MM:SSZ" as seconds, without sscanf and timegm (a year
 * of a million calls parses a third of a million); any other text goes
 * to dv_parse_utc. */
static time_t iso_seconds(const char *s)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
	for (int i = 0; i < 20; i++)
		if (shape[i] == 'd' ? s[i] < '0' || s[i] > '9' : s[i] != shape[i])
			return dv_parse_utc(s);
	if (s[20])
		return dv_parse_utc(s);
#define D2(i) ((s[i] - '0') * 10 + (s[i + 1] - '0'))
	long y = D2(0) * 100 + D2(2), m = D2(5), d = D2(8);
	if (m < 1 || m > 12 || d < 1 || d > 31)
		return dv_parse_utc(s);
	/* days from civil (H. Hinnant), 1970-01-01 = 0 */
	y -= m <= 2;
	long era = y / 400, yoe = y - era * 400, doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long days = era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
	return (time_t)days * 86400 + D2(11) * 3600 + D2(14) * 60 + D2(17);
#undef D2
}

/* One pass over the period's calls: counts by row and kind, and each
 * row's durations and calls outside working hours. A part of the period
 * is a day: the UTC offset is looked up once per part (per call only on
 * the days the clocks change), the calendar once per local date. */
static int volume_scan(report_ctx *x, report_block *b, durations *d, int quarters, dv_error *e)
{
	sqlite3_stmt *st = report_prepare(x, "SELECT c.started_at, c.kind, coalesce(c.duration_s, 0)"
					  " FROM calls c WHERE" REPORT_WHERE, e);
	if (!st)
		return e->code;
	int rc = SQLITE_DONE;
	size_t w = b->ncols + 1;
	struct tm l = {0};
	long l_day = -1;
	for (size_t p = 0; p < x->nparts && rc == SQLITE_DONE; p++) {
		report_part(x, st, p);
		time_t t0 = dv_parse_utc(x->cut[p]), t1 = dv_parse_utc(x->cut[p + 1]);
		time_t o0 = report_kyiv_offset(t0), o1 = report_kyiv_offset(t1 - 1);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			time_t t = iso_seconds((const char *)sqlite3_column_text(st, 0));
			time_t local = t + (o0 == o1 ? o0 : report_kyiv_offset(t));
			long day = (long)(local / 86400);
			if (day != l_day) {
				gmtime_r(&local, &l);
				l_day = day;
			}
			l.tm_hour = (int)(local % 86400 / 3600);
			long r = period_row(x, &l, quarters), c = kind_col((const char *)sqlite3_column_text(st, 1));
			if (r < 0 || (size_t)r >= b->nrows || c < 0)
				continue;
			b->v[(size_t)r * w + (size_t)c]++;
			durations *dr = &d[r];
			if (dr->n == dr->cap)
				dr->v = xrealloc(dr->v, (dr->cap = dr->cap ? 2 * dr->cap : 256) * sizeof *dr->v);
			dr->v[dr->n++] = (long)sqlite3_column_int64(st, 2);
			dr->outside += outside_hours(&l);
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? DV_OK : dbi_fail(x->s->db, rc, _("reading the calls for the report"), e);
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
		if (d[r].n) /* qsort takes no NULL array, even empty */
			qsort(d[r].v, d[r].n, sizeof *d[r].v, cmp_long);
		long n = (long)d[r].n;
		m->v[r * 3] = n ? (n % 2 ? d[r].v[n / 2] : (d[r].v[n / 2 - 1] + d[r].v[n / 2]) / 2) : -1;
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
		{N_("Topic by who called"), STEP("topic", "c.topic"), STEP("caller_role", "c.caller_role"),
		 NULL, DATA, 0, 1, 1, NULL},
	};
	return RUN(s);
}

static int build_prevention(report_ctx *x, report_table *t, dv_error *e)
{
	static const block_spec s[] = {
		{N_("Consultations and job-offer checks"), STEP("topic", "c.topic"), ONE,
		 NULL, DATA " AND +c.topic IN ('consult','offer')", 0, 1, 0, NULL},
		{N_("Consultations by purpose of the trip"), STEP("consult_purpose", "coalesce(a.value, '')"), ONE,
		 LEFT_ANSWER("consult_purpose"), DATA " AND +c.topic = 'consult'", 0, 1, 0, NULL},
		{N_("Warning signs in job offers (each sign counted; calls that answered)"), MULTI("red_flags"), ONE,
		 ANSWER("red_flags"), DATA, 0, 0, 0, NULL},
		{N_("Destination countries of consultations and job offers"), {DIM_COUNTRY, "coalesce(c.country, '')", NULL, 0, NULL, NULL}, ONE,
		 NULL, DATA " AND +c.topic IN ('consult','offer')", 0, 1, 0, NULL},
		{N_("Recruitment channels (calls that answered)"), STEP("channel", "a.value"), ONE,
		 ANSWER("channel"), DATA, 0, 1, 0, NULL},
		{N_("How callers heard of the line"), STEP("heard_from", "coalesce(c.heard_from, '')"), ONE,
		 NULL, DATA, 0, 1, 0, NULL},
	};
	return RUN(s);
}

static int build_identification(report_ctx *x, report_table *t, dv_error *e)
{
	static const block_spec s[] = {
		{N_("Topic by risk"), STEP("topic", "c.topic"), FIXED(risks, RISK_SQL), NULL, DATA, 0, 1, 1, NULL},
		{N_("Possible and likely cases by gender, child or adult"), STEP("gender", "coalesce(c.gender, '')"),
		 FIXED(ages, AGE_GROUP_SQL), NULL, AT_RISK, 0, 1, 1, NULL},
		{N_("Referrals made for possible and likely cases (a call may have several)"),
		 FIXED(ref_groups, "CASE WHEN r.service = 'status' THEN 'status' WHEN o.kind = 'police' THEN 'police'"
			" ELSE 'national-line' END"),
		 FIXED(at_risk, "c.risk"),
		 REFERRALS,
		 AT_RISK " AND (r.service = 'status' OR o.kind = 'police' OR (o.kind = 'hotline' AND o.national = 1))",
		 1, 0, 1, NULL},
	};
	return RUN(s);
}

static int build_exploitation(report_ctx *x, report_table *t, dv_error *e)
{
	static const block_spec s[] = {
		{N_("Form of exploitation by where it happened (each form counted)"), MULTI("exploitation"),
		 FIXED(where_exploited, WHERE_SQL), ANSWER("exploitation"), DATA, 0, 0, 1, NULL},
		{N_("Calls naming a form of exploitation, by country"),
		 {DIM_COUNTRY, "CASE WHEN c.country = 'UA' AND c.raion IN " OCCUPIED_AREAS " THEN 'UA-occupied'"
			" ELSE coalesce(c.country, '') END", NULL, 0, NULL, NULL},
		 ONE, ANSWER("exploitation"), DATA " AND a.value <> 'unknown'", 0, 1, 0, NULL},
	};
	int code = RUN(s);
	if (!code)
		report_note(t, _("Occupied Ukraine: Ukraine as the country, and the caller living in an occupied raion or territory."));
	return code;
}

static int build_age_gender(report_ctx *x, report_table *t, dv_error *e)
{
	static const block_spec s[] = {
		{N_("All calls: age band by gender"), STEP("age_band", "coalesce(c.age_band, '')"),
		 STEP("gender", "coalesce(c.gender, '')"), NULL, DATA, 0, 1, 1, NULL},
		{N_("Possible and likely cases: age band by gender"), STEP("age_band", "coalesce(c.age_band, '')"),
		 STEP("gender", "coalesce(c.gender, '')"), NULL, AT_RISK, 0, 1, 1, NULL},
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
		{N_("Where callers live"), {DIM_AREA, "coalesce(c.raion, '')", NULL, 0, NULL, NULL}, ONE, NULL, DATA, 0, 1, 0, NULL},
	};
	int code = RUN(s);
	if (!code && x->q->level == REPORT_PUBLIC)
		merge_occupied(&t->blocks[0]);
	return code;
}

#define ORG_SERVICE {DIM_SEEN, "r.org_id || ' ' || r.service", NULL, 0, NULL, \
	"o.name_uk || char(31) || o.name_en || char(31) || CASE r.service WHEN '' THEN '-' ELSE r.service END"}

/* One block, three counts per organisation and service: what the script
 * recommended, what was made (recommended or not), and what was
 * recommended and not made. The columns overlap: no total column. */
static int build_referrals(report_ctx *x, report_table *t, dv_error *e)
{
	static const block_spec s[] = {
		{N_("Referrals by organisation and service"), ORG_SERVICE, FIXED(ref_states, "'recommended'"),
		 RECOMMENDED, DATA, 0, 1, 0, NULL},
		{NULL, ORG_SERVICE, FIXED(ref_states, "'made'"), REFERRALS, DATA, 0, 1, 0, NULL},
		{NULL, ORG_SERVICE, FIXED(ref_states, "'not-made'"), RECOMMENDED, DATA " AND" NOT_MADE, 0, 1, 0, NULL},
	};
	int code = report_block_run_many(x, s, 3, report_add_block(t), e);
	if (!code)
		report_note(t, _("Recommended: what the script recommended, among the entries the directory could back, when the call was finished or last corrected; calls finished before dovira stored it count none."));
	return code;
}

static int build_indicators(report_ctx *x, report_table *t, dv_error *e)
{
	static const block_spec s[] = {
		{N_("Signs of trafficking: means of control (each counted)"), MULTI("control"), FIXED(at_risk, "c.risk"),
		 ANSWER("control"), AT_RISK, 0, 0, 1, NULL},
		{N_("Who recruited"), STEP("recruiter", "a.value"), FIXED(at_risk, "c.risk"),
		 ANSWER("recruiter"), AT_RISK, 0, 1, 1, NULL},
	};
	return RUN(s);
}

/* A later call of a case (the case's code is its first call's), or a
 * caller who said they had called before. */
#define REPEAT_SQL "CASE WHEN c.case_id IS NOT NULL AND c.case_code <> (SELECT k.code FROM cases k WHERE k.id = c.case_id)" \
	" THEN 'repeat' WHEN c.heard_from = 'repeat' THEN 'repeat' ELSE 'first' END"
/* A call-back is done when a later final call joined the call's case. */
#define CALLBACK_SQL "CASE WHEN c.callback = 1 AND c.case_id IS NOT NULL AND EXISTS (SELECT 1 FROM calls d" \
	" WHERE d.case_id = c.case_id AND d.started_at > c.started_at AND d.status = 'final') THEN 'done'" \
	" WHEN c.callback = 1 THEN 'agreed' WHEN c.callback = 0 THEN 'not-agreed' ELSE '' END"

static int build_followups(report_ctx *x, report_table *t, dv_error *e)
{
	static const fixed_code case_states[] = {
		{"open", N_("open")}, {"follow_up", N_("follow-up")}, {"closed", N_("closed")}, {NULL, NULL}};
	static const fixed_code cases_col[] = {{"cases", N_("cases")}, {NULL, NULL}};
	static const block_spec s[] = {
		{N_("First and repeat contacts"), FIXED(contacts, REPEAT_SQL), ONE, NULL, DATA, 0, 1, 0, NULL},
		{N_("Call-backs"), FIXED(callbacks, CALLBACK_SQL), ONE, NULL, DATA, 0, 1, 0, NULL},
		{N_("Cases of the period's calls, by their status now (counts cases, not calls)"),
		 FIXED(case_states, "k.status"), FIXED(cases_col, "'cases'"), " JOIN cases k ON k.id = c.case_id",
		 DATA, 0, 1, 0, "k.id"},
	};
	int code = RUN(s);
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
