/* htcds.c: k-anonymous microdata in HTCDS 2.0 / CTDC column names.
 *
 * Seven quasi-identifiers, each with a ladder of generalisations:
 *   age:        CTDC band; 0-17/18-29/30-47/48+; minor/adult; *
 *   gender:     as recorded; *
 *   country:    ISO code; region; Ukraine/abroad; *
 *   exploitation: the flags; one type or "several"; *
 *   means of control: the flags; how many (0, 1, 2, 3+); *
 *   recruiter:  CTDC relation; *
 *   year:       the year; two years; *
 * Greedy: while more than 5% of the rows sit in a combination seen fewer
 * than k times, raise the one ladder that leaves the fewest such rows.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbi.h"
#include "dovira/audit.h"
#include "dovira/csv.h"
#include "dovira/htcds.h"
#include "dovira/i18n.h"
#include "dovira/sanitize.h"
#include "dovira/staff.h"

enum { Q_AGE, Q_GENDER, Q_COUNTRY, Q_EXPL, Q_MOC, Q_RECRUITER, Q_YEAR, NQ };
static const int top[NQ] = {3, 1, 3, 2, 2, 1, 2};
static const char *const qnames[NQ] = {"age", "gender", "country", "exploitation", "means of control", "recruiter", "year"};

/* Exploitation flags, CTDC names, and the script's codes for each. */
static const struct {
	const char *column, *codes;
} expl_tab[] = {
	{"isForcedLabour", " labour "},
	{"isSexualExploit", " sexual sexual-porn "},
	{"isOtherExploit", " other-begging other-criminal other-surrogacy other-pregnancy other-experiments other-adoption other-child-sale "},
	{"isForcedMarriage", " marriage "},
	{"isForcedMilitary", " military "},
	{"isOrganRemoval", " organs "},
	{"isSlaveryAndPractices", " slavery slavery-debt "},
};
#define NEXPL (sizeof expl_tab / sizeof *expl_tab)

/* Means of control: CTDC names, and the codes of the national list
 * (ua_signs) and the ILO indicators (ilo) that mean each. Codes met
 * nowhere here count as Other. */
static const struct {
	const char *column, *codes;
} moc[] = {
	{"meansOfControlDebtBondage", " ilo:debt "},
	{"meansOfControlTakesEarnings", " ua_signs:pay-withheld ilo:wages "},
	{"meansOfControlThreats", " ilo:threats "},
	{"meansOfControlPsychologicalAbuse", " ua_signs:no-contact ilo:isolation "},
	{"meansOfControlPhysicalAbuse", " ua_signs:violence ilo:violence "},
	{"meansOfControlFalsePromises", " ua_signs:conditions ilo:deception "},
	{"meansOfControlRestrictsMovement", " ua_signs:movement ilo:movement "},
	{"meansOfControlExcessiveWorkingHours", " ilo:overtime "},
	{"meansOfControlWithholdsNecessities", " ilo:conditions "},
	{"meansOfControlWithholdsDocuments", " ua_signs:documents ilo:documents "},
	{"meansOfControlOther", ""},
};
#define NMOC (sizeof moc / sizeof *moc)

static const char *const regions[][2] = {
	{"Ukraine", " UA "},
	{"EU", " PL DE CZ SK HU RO IT ES PT FR NL BE AT IE LT LV EE FI SE DK GR CY BG HR SI LU MT "},
	{"Europe (other)", " GB CH NO MD GE AM AZ TR "},
	{"Russia and Belarus", " RU BY "},
	{"Middle East", " AE QA SA IL "},
	{"Americas", " US CA "},
};

typedef struct hrow {
	int year;
	char gender[16], age[8], country[4], recruiter[16], risk[10];
	unsigned expl, moc;
	int small;
} hrow;

static int in_list(const char *list, const char *code)
{
	char *k = xasprintf(" %s ", code);
	int in = strstr(list, k) != NULL;
	free(k);
	return in;
}

static unsigned expl_bits(const char *v)
{
	unsigned b = 0;
	char *copy = xstrdup(v ? v : ""), *save = NULL;
	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save))
		for (size_t i = 0; i < NEXPL; i++)
			if (in_list(expl_tab[i].codes, t))
				b |= 1u << i;
	free(copy);
	return b;
}

static unsigned moc_bits(const char *step, const char *v)
{
	unsigned b = 0;
	char *copy = xstrdup(v ? v : ""), *save = NULL;
	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (strcmp(t, "none") == 0)
			continue;
		char key[128];
		snprintf(key, sizeof key, "%.40s:%.80s", step, t);
		size_t i = 0;
		while (i + 1 < NMOC && !in_list(moc[i].codes, key))
			i++;
		b |= 1u << i;
	}
	free(copy);
	return b;
}

static const char *recruiter_name(const char *v)
{
	static const char *const map[][2] = {{"partner", "IntimatePartner"}, {"friend", "Friend"}, {"family", "Family"},
					     {"other", "Other"}};
	for (size_t i = 0; v && i < sizeof map / sizeof *map; i++)
		if (strcmp(v, map[i][0]) == 0)
			return map[i][1];
	return "Unknown";
}

static const char *gender_name(const char *v)
{
	return !v ? "Unknown" : strcmp(v, "female") == 0 ? "Female" : strcmp(v, "male") == 0 ? "Male"
	       : strcmp(v, "other") == 0 ? "Other" : "Unknown";
}

/* ---- the quasi-identifiers at a level ---- */

static const char *age_at(const char *a, int l)
{
	static const char *const wide[][2] = {{"0-8", "0-17"}, {"9-17", "0-17"}, {"18-20", "18-29"}, {"21-23", "18-29"},
					      {"24-26", "18-29"}, {"27-29", "18-29"}, {"30-38", "30-47"}, {"39-47", "30-47"},
					      {"48+", "48+"}};
	if (l >= 3)
		return "*";
	for (size_t i = 0; i < sizeof wide / sizeof *wide; i++)
		if (strcmp(a, wide[i][0]) == 0)
			return l == 0 ? a : l == 1 ? wide[i][1] : i < 2 ? "minor" : "adult";
	return "unknown";
}

static const char *country_at(const char *c, int l)
{
	if (l >= 3)
		return "*";
	if (!*c || strcmp(c, "XX") == 0)
		return "unknown";
	if (l == 0)
		return c;
	for (size_t i = 0; i < sizeof regions / sizeof *regions; i++)
		if (in_list(regions[i][1], c))
			return l == 1 || i == 0 ? regions[i][0] : "abroad";
	return l == 1 ? "elsewhere" : "abroad";
}

static void expl_at(unsigned b, int l, char out[32])
{
	int n = __builtin_popcount(b);
	if (l >= 2)
		snprintf(out, 32, "*");
	else if (l == 0)
		snprintf(out, 32, "%x", b);
	else if (n == 0)
		snprintf(out, 32, "none");
	else if (n > 1)
		snprintf(out, 32, "several");
	else
		snprintf(out, 32, "%s", expl_tab[__builtin_ctz(b)].column + 2);
}

static void moc_at(unsigned b, int l, char out[32])
{
	int n = __builtin_popcount(b);
	if (l >= 2)
		snprintf(out, 32, "*");
	else if (l == 0)
		snprintf(out, 32, "%x", b);
	else
		snprintf(out, 32, "%d", n > 3 ? 3 : n);
}

static void year_at(int y, int l, char out[16])
{
	if (l >= 2)
		snprintf(out, 16, "*");
	else if (l == 0)
		snprintf(out, 16, "%d", y);
	else
		snprintf(out, 16, "%d-%d", y - (y % 2), y - (y % 2) + 1);
}

static char *key_of(const hrow *r, const int *lv)
{
	char e[32], m[32], y[16];
	expl_at(r->expl, lv[Q_EXPL], e);
	moc_at(r->moc, lv[Q_MOC], m);
	year_at(r->year, lv[Q_YEAR], y);
	return xasprintf("%s|%s|%s|%s|%s|%s|%s", age_at(r->age, lv[Q_AGE]), lv[Q_GENDER] ? "*" : r->gender,
			 country_at(r->country, lv[Q_COUNTRY]), e, m, lv[Q_RECRUITER] ? "*" : r->recruiter, y);
}

typedef struct keyed {
	char *key;
	size_t row;
} keyed;

static int cmp_keyed(const void *a, const void *b)
{
	return strcmp(((const keyed *)a)->key, ((const keyed *)b)->key);
}

/* Mark the rows in combinations seen fewer than k times; their count. */
static long mark_small(hrow *rows, size_t n, const int *lv, int k)
{
	keyed *v = xcalloc(n ? n : 1, sizeof *v);
	for (size_t i = 0; i < n; i++)
		v[i] = (keyed){key_of(&rows[i], lv), i};
	qsort(v, n, sizeof *v, cmp_keyed);
	long small = 0;
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i; j < n && strcmp(v[j].key, v[i].key) == 0; j++)
			;
		for (size_t t = i; t < j; t++)
			rows[v[t].row].small = (long)(j - i) < k;
		if ((long)(j - i) < k)
			small += (long)(j - i);
	}
	for (size_t i = 0; i < n; i++)
		free(v[i].key);
	free(v);
	return small;
}

static void generalise(hrow *rows, size_t n, int k, int *lv)
{
	long small = mark_small(rows, n, lv, k);
	while (small * 20 > (long)n) {
		int best = -1;
		long best_small = small;
		for (int q = 0; q < NQ; q++) {
			if (lv[q] >= top[q])
				continue;
			lv[q]++;
			long s = mark_small(rows, n, lv, k);
			lv[q]--;
			if (best < 0 || s < best_small) {
				best = q;
				best_small = s;
			}
		}
		if (best < 0)
			break;
		lv[best]++;
		small = best_small;
	}
	mark_small(rows, n, lv, k);
}

/* ---- reading ---- */

#define ANS(step, alias) " LEFT JOIN answers " alias " ON " alias ".call_id = c.id AND " alias ".step = '" step "'"

static long read_rows(dv_session *s, hrow **out, dv_error *e)
{
	sqlite3_stmt *st = dbi_prepare(s->db, "SELECT substr(c.started_at, 1, 4), c.gender, c.age_band, c.country,"
				       " a1.value, a2.value, a3.value, a4.value, c.risk FROM calls c"
				       ANS("exploitation", "a1") ANS("ua_signs", "a2") ANS("ilo", "a3") ANS("recruiter", "a4")
				       " WHERE c.status = 'final' AND c.kind = 'data' AND c.risk IN ('possible','likely')", e);
	if (!st)
		return -1;
	long n = 0, cap = 0;
	int rc;
	*out = NULL;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap)
			*out = xrealloc(*out, (size_t)(cap = cap ? 2 * cap : 256) * sizeof **out);
		hrow *r = &(*out)[n++];
		memset(r, 0, sizeof *r);
		const char *t;
		r->year = sqlite3_column_int(st, 0);
		snprintf(r->gender, sizeof r->gender, "%s", gender_name((const char *)sqlite3_column_text(st, 1)));
		t = (const char *)sqlite3_column_text(st, 2);
		snprintf(r->age, sizeof r->age, "%s", t ? t : "unknown");
		t = (const char *)sqlite3_column_text(st, 3);
		snprintf(r->country, sizeof r->country, "%s", t ? t : "");
		r->expl = expl_bits((const char *)sqlite3_column_text(st, 4));
		r->moc = moc_bits("ua_signs", (const char *)sqlite3_column_text(st, 5))
			 | moc_bits("ilo", (const char *)sqlite3_column_text(st, 6));
		snprintf(r->recruiter, sizeof r->recruiter, "%s", recruiter_name((const char *)sqlite3_column_text(st, 7)));
		snprintf(r->risk, sizeof r->risk, "%s", (const char *)sqlite3_column_text(st, 8));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(*out);
		*out = NULL;
		return dbi_fail(s->db, rc, _("reading the calls for the export"), e), -1;
	}
	return n;
}

/* ---- writing ---- */

static size_t columns(const char **h)
{
	size_t n = 0;
	h[n++] = "yearOfRegistration";
	h[n++] = "gender";
	h[n++] = "ageBroad";
	h[n++] = "CountryOfExploitation";
	for (size_t i = 0; i < NEXPL; i++)
		h[n++] = expl_tab[i].column;
	h[n++] = "exploitationType";
	for (size_t i = 0; i < NMOC; i++)
		h[n++] = moc[i].column;
	h[n++] = "meansOfControlCount";
	h[n++] = "RecruiterRelationship";
	h[n++] = "traffickingStatus";
	return n;
}

/* The cells of one row at the levels lv; strings in the static pool. */
static size_t cells(const hrow *r, const int *lv, char pool[][32], const char **f)
{
	size_t n = 0;
	year_at(r->year, lv[Q_YEAR], pool[0]);
	f[n++] = pool[0];
	f[n++] = lv[Q_GENDER] ? "*" : r->gender;
	f[n++] = age_at(r->age, lv[Q_AGE]);
	f[n++] = country_at(r->country, lv[Q_COUNTRY]);
	for (size_t i = 0; i < NEXPL; i++)
		f[n++] = lv[Q_EXPL] ? "" : (r->expl >> i) & 1 ? "1" : "0";
	expl_at(r->expl, lv[Q_EXPL] ? lv[Q_EXPL] : 1, pool[1]);
	f[n++] = pool[1];
	for (size_t i = 0; i < NMOC; i++)
		f[n++] = lv[Q_MOC] ? "" : (r->moc >> i) & 1 ? "1" : "0";
	moc_at(r->moc, lv[Q_MOC] ? lv[Q_MOC] : 1, pool[2]);
	f[n++] = pool[2];
	f[n++] = lv[Q_RECRUITER] ? "*" : r->recruiter;
	f[n++] = strcmp(r->risk, "likely") == 0 ? "likely" : "possible";
	return n;
}

static void write_rows(const hrow *rows, size_t n, const int *lv, int json, dv_buf *out)
{
	const char *h[40], *f[40];
	char pool[3][32];
	size_t nc = columns(h);
	if (!json) {
		dv_buf_adds(out, "\xef\xbb\xbf");
		csv_add_record(out, h, nc);
	} else {
		dv_buf_adds(out, "[");
	}
	int first = 1;
	for (size_t i = 0; i < n; i++) {
		if (rows[i].small)
			continue;
		cells(&rows[i], lv, pool, f);
		if (!json) {
			for (size_t c = 0; c < nc; c++)
				if (strchr("=+-@", f[c][0]) && f[c][0])
					f[c] = "?"; /* never a formula, whatever the file holds */
			csv_add_record(out, f, nc);
			continue;
		}
		dv_buf_adds(out, first ? "\n{" : ",\n{");
		first = 0;
		for (size_t c = 0; c < nc; c++)
			dv_buf_printf(out, "%s\"%s\":\"%s\"", c ? "," : "", h[c], f[c]);
		dv_buf_adds(out, "}");
	}
	if (json)
		dv_buf_adds(out, "\n]\n");
}

int htcds_export(dv_session *s, int k, int json, dv_buf *out, htcds_result *r, dv_error *e)
{
	memset(r, 0, sizeof *r);
	if (!session_may(s, ROLES_SUPERVISION))
		return dv_fail(e, DV_EPERM, _("only supervisors and administrators may export microdata"));
	if (k < 2 || k > 1000)
		return dv_fail(e, DV_EINVAL, _("k must be a whole number from 2 to 1000"));
	hrow *rows;
	long n = read_rows(s, &rows, e);
	if (n < 0)
		return e->code;
	generalise(rows, (size_t)n, k, r->level);
	for (long i = 0; i < n; i++)
		r->dropped += rows[i].small;
	r->rows = n - r->dropped;
	write_rows(rows, (size_t)n, r->level, json, out);
	free(rows);
	dv_buf g = {0};
	for (int q = 0; q < NQ; q++)
		if (r->level[q])
			dv_buf_printf(&g, "%s%s %d/%d", g.len ? ", " : "", qnames[q], r->level[q], top[q]);
	snprintf(r->summary, sizeof r->summary, _("k = %d: %ld rows written, %ld dropped (in combinations seen fewer than k times); generalised: %s"),
		 k, r->rows, r->dropped, g.len ? g.s : _("nothing"));
	char *detail = xasprintf("htcds k=%d rows=%ld dropped=%ld format=%s", k, r->rows, r->dropped, json ? "json" : "csv");
	int code = audit_log(s->db, s->login, "export.htcds", NULL, detail, e);
	free(detail);
	dv_buf_free(&g);
	return code;
}
