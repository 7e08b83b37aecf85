/* htcds.c: k-anonymous microdata in HTCDS 2.0 / CTDC column names.
 *
 * Seven quasi-identifiers, each with a ladder of generalisations:
 *   age:        CTDC band; 0-17/18-29/30-47/48+; minor/adult; *
 *   gender:     as recorded; *
 *   country:    ISO code; region; Ukraine/abroad; *
 *   exploitation: the flags; one type or "several"; *
 *   means of control: the flags; how many (0, 1, 2, 3+, or unknown); *
 *   recruiter:  CTDC relation; *
 *   year:       the year; two years; *
 * Of every choice of levels (the two lists of flags apart) that leaves at
 * most 5% of the rows in a combination seen fewer than k times, the one
 * that climbs least is taken; those rows are dropped. The forms of
 * exploitation and the means of control are generalised row by row
 * (count_small), since a few thousand rows cannot all keep seventeen
 * flags but many can.
 */
#include "config.h"

#include <stdint.h>
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
/* TRANSLATORS: the quasi-identifiers the summary line names as generalised. */
static const char *const qnames[NQ] = {N_("age"), N_("gender"), N_("country"), N_("exploitation"),
				       N_("means of control"), N_("recruiter"), N_("year")};

/* The CTDC columns the export writes. Exploitation flags first (a bit
 * each in hrow.expl), then the means of control (a bit each in hrow.moc);
 * isSexAndLabour is worked out from two flags, and NotSpecified is set
 * when no means-of-control step was answered at all. */
static const char *const expl_cols[] = {
	"isForcedLabour", "isSexualExploit", "isOtherExploit", "isForcedMarriage",
	"isForcedMilitary", "isOrganRemoval", "isSlaveryAndPractices",
};
#define NEXPL (sizeof expl_cols / sizeof *expl_cols)

static const char *const moc_cols[] = {
	"meansOfControlDebtBondage", "meansOfControlTakesEarnings", "meansOfControlRestrictsFinancialAccess",
	"meansOfControlThreats", "meansOfControlPsychologicalAbuse", "meansOfControlPhysicalAbuse",
	"meansOfControlSexualAbuse", "meansOfControlFalsePromises", "meansOfControlPsychoactiveSubstances",
	"meansOfControlRestrictsMovement", "meansOfControlRestrictsMedicalCare", "meansOfControlExcessiveWorkingHours",
	"meansOfControlUsesChildren", "meansOfControlThreatOfLawEnforcement", "meansOfControlWithholdsNecessities",
	"meansOfControlWithholdsDocuments", "meansOfControlOther", "meansOfControlNotSpecified",
};
#define NMOC (sizeof moc_cols / sizeof *moc_cols)
#define MOC_OTHER (NMOC - 2)
#define MOC_NOT_SPECIFIED (NMOC - 1)

/* Every code of the steps the export reads, in every script version, and
 * the CTDC column it sets (for the recruiter: the RecruiterRelationship
 * value). A code that sets none says why. The steps ua_signs (the
 * National Social Service checklist) and ilo (the ILO indicators) are of
 * the versions before 2026.12.1, which merged them into control; a call
 * keeps the script version it was taken under, and the script never
 * gives a code that went away a new meaning, so the step and the code
 * name the meaning in every version. A code met nowhere here (a
 * coordinator's own script) counts as meansOfControlOther, no
 * exploitation flag, and recruiter Unknown. */
static const htcds_code code_map[] = {
	{"control", "documents", "meansOfControlWithholdsDocuments", NULL},
	{"control", "movement", "meansOfControlRestrictsMovement", NULL},
	{"control", "no-contact", "meansOfControlOther", NULL},
	{"control", "earnings", "meansOfControlTakesEarnings", NULL},
	{"control", "finances", "meansOfControlRestrictsFinancialAccess", NULL},
	{"control", "debt", "meansOfControlDebtBondage", NULL},
	{"control", "false-promises", "meansOfControlFalsePromises", NULL},
	{"control", "threats", "meansOfControlThreats", NULL},
	{"control", "psychological", "meansOfControlPsychologicalAbuse", NULL},
	{"control", "physical", "meansOfControlPhysicalAbuse", NULL},
	{"control", "sexual-abuse", "meansOfControlSexualAbuse", NULL},
	{"control", "substances", "meansOfControlPsychoactiveSubstances", NULL},
	{"control", "medical", "meansOfControlRestrictsMedicalCare", NULL},
	{"control", "hours", "meansOfControlExcessiveWorkingHours", NULL},
	{"control", "necessities", "meansOfControlWithholdsNecessities", NULL},
	{"control", "law-threat", "meansOfControlThreatOfLawEnforcement", NULL},
	{"control", "children", "meansOfControlUsesChildren", NULL},
	{"control", "none", NULL, "asked, and no question was answered yes: every flag 0, not NotSpecified"},

	{"ua_signs", "conditions", "meansOfControlFalsePromises", NULL},
	{"ua_signs", "movement", "meansOfControlRestrictsMovement", NULL},
	/* The current script maps this same checklist item to Other. */
	{"ua_signs", "no-contact", "meansOfControlOther", NULL},
	{"ua_signs", "violence", "meansOfControlPhysicalAbuse", NULL},
	{"ua_signs", "documents", "meansOfControlWithholdsDocuments", NULL},
	{"ua_signs", "pay-withheld", "meansOfControlTakesEarnings", NULL},
	{"ua_signs", "forced-work", NULL, "a form of exploitation (forced labour), asked at the exploitation step"},
	{"ua_signs", "begging-crime", NULL, "a form of exploitation (begging, crime), asked at the exploitation step"},
	{"ua_signs", "armed-conflict", NULL, "a form of exploitation (armed conflict), asked at the exploitation step"},
	{"ua_signs", "none", NULL, "asked, and none of the signs was seen"},

	{"ilo", "vulnerability", "meansOfControlOther", NULL},
	{"ilo", "deception", "meansOfControlFalsePromises", NULL},
	{"ilo", "movement", "meansOfControlRestrictsMovement", NULL},
	{"ilo", "isolation", "meansOfControlPsychologicalAbuse", NULL},
	{"ilo", "violence", "meansOfControlPhysicalAbuse", NULL},
	{"ilo", "threats", "meansOfControlThreats", NULL},
	{"ilo", "documents", "meansOfControlWithholdsDocuments", NULL},
	{"ilo", "wages", "meansOfControlTakesEarnings", NULL},
	{"ilo", "debt", "meansOfControlDebtBondage", NULL},
	{"ilo", "conditions", "meansOfControlWithholdsNecessities", NULL},
	{"ilo", "overtime", "meansOfControlExcessiveWorkingHours", NULL},
	{"ilo", "none", NULL, "asked, and none of the indicators was seen"},

	{"exploitation", "sexual", "isSexualExploit", NULL},
	{"exploitation", "sexual-porn", "isSexualExploit", NULL},
	{"exploitation", "labour", "isForcedLabour", NULL},
	{"exploitation", "slavery", "isSlaveryAndPractices", NULL},
	{"exploitation", "slavery-debt", "isSlaveryAndPractices", NULL},
	{"exploitation", "military", "isForcedMilitary", NULL},
	{"exploitation", "marriage", "isForcedMarriage", NULL},
	{"exploitation", "organs", "isOrganRemoval", NULL},
	{"exploitation", "other-begging", "isOtherExploit", NULL},
	{"exploitation", "other-criminal", "isOtherExploit", NULL},
	{"exploitation", "other-surrogacy", "isOtherExploit", NULL},
	{"exploitation", "other-pregnancy", "isOtherExploit", NULL},
	{"exploitation", "other-experiments", "isOtherExploit", NULL},
	{"exploitation", "other-adoption", "isOtherExploit", NULL},
	{"exploitation", "other-child-sale", "isOtherExploit", NULL},
	{"exploitation", "unknown", NULL, "the form is not known: CTDC sets no flag (exploitationType none)"},
	{"exploitation", "none", NULL, "no exploitation described: no flag (exploitationType none)"},

	{"recruiter", "partner", "IntimatePartner", NULL},
	{"recruiter", "friend", "Friend", NULL},
	{"recruiter", "family", "Family", NULL},
	{"recruiter", "other", "Other", NULL},
	{"recruiter", "unknown", "Unknown", NULL},
};
#define NCODES (sizeof code_map / sizeof *code_map)

const char *const htcds_checked_steps[] = {"control", "exploitation", "recruiter", NULL};

const htcds_code *htcds_code_find(const char *step, const char *code)
{
	for (size_t i = 0; step && code && i < NCODES; i++)
		if (strcmp(code_map[i].step, step) == 0 && strcmp(code_map[i].code, code) == 0)
			return &code_map[i];
	return NULL;
}

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
	int small, expl_level, moc_level; /* forms of exploitation and means of
					   * control at these levels (row by row) */
} hrow;

static int in_list(const char *list, const char *code)
{
	char *k = xasprintf(" %s ", code);
	int in = strstr(list, k) != NULL;
	free(k);
	return in;
}

static int col_index(const char *const *cols, size_t n, const char *name)
{
	for (size_t i = 0; name && i < n; i++)
		if (strcmp(cols[i], name) == 0)
			return (int)i;
	return -1;
}

/* The flags of an answer to step ("labour,sexual"), a bit for each code
 * by the index of its column in cols. A code that sets no column (a
 * "none") sets no bit; a code that is not known, or whose column is not
 * among cols, sets the bit other (none if other < 0). */
static unsigned code_bits(const char *step, const char *v, const char *const *cols, size_t ncols, int other)
{
	unsigned b = 0;
	char *copy = xstrdup(v ? v : ""), *save = NULL;
	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		const htcds_code *c = htcds_code_find(step, t);
		if (c && !c->column)
			continue;
		int i = c ? col_index(cols, ncols, c->column) : -1;
		if (i < 0)
			i = other;
		if (i >= 0)
			b |= 1u << i;
	}
	free(copy);
	return b;
}

/* The exploitation flags of an answer ("labour,sexual"). */
static unsigned expl_bits(const char *v)
{
	return code_bits("exploitation", v, expl_cols, NEXPL, -1);
}

/* The means-of-control flags of an answer to step; *asked is set when
 * the step was answered (even "none"). */
static unsigned moc_bits(const char *step, const char *v, int *asked)
{
	if (!v)
		return 0;
	*asked = 1;
	return code_bits(step, v, moc_cols, NMOC, (int)MOC_OTHER);
}

static const char *recruiter_name(const char *v)
{
	const htcds_code *c = htcds_code_find("recruiter", v);
	return c && c->column ? c->column : "Unknown";
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
		snprintf(out, 32, "%s", expl_cols[__builtin_ctz(b)] + 2);
}

static void moc_at(unsigned b, int l, char out[32])
{
	int n = __builtin_popcount(b);
	if (l >= 2)
		snprintf(out, 32, "*");
	else if (l == 0)
		snprintf(out, 32, "%x", b);
	else if (b >> MOC_NOT_SPECIFIED & 1)
		snprintf(out, 32, "unknown");
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

/* The value of quasi-identifier q of a row at level l, as written. */
static const char *qi_value(const hrow *r, int q, int l, char buf[32])
{
	switch (q) {
	case Q_AGE:
		return age_at(r->age, l);
	case Q_GENDER:
		return l ? "*" : r->gender;
	case Q_COUNTRY:
		return country_at(r->country, l);
	case Q_EXPL:
		expl_at(r->expl, l, buf);
		return buf;
	case Q_MOC:
		moc_at(r->moc, l, buf);
		return buf;
	case Q_RECRUITER:
		return l ? "*" : r->recruiter;
	default:
		year_at(r->year, l, buf);
		return buf;
	}
}

/* Each row's value of each quasi-identifier at each level, as a number:
 * equal numbers for equal values (the values sorted and counted once). */
typedef struct qi_ids {
	uint32_t *id[NQ][4];
} qi_ids;

typedef struct named {
	char s[32];
	uint32_t row;
} named;

static int cmp_named(const void *a, const void *b)
{
	return strcmp(((const named *)a)->s, ((const named *)b)->s);
}

static void ids_make(const hrow *rows, size_t n, qi_ids *ids)
{
	named *v = xcalloc(n ? n : 1, sizeof *v);
	for (int q = 0; q < NQ; q++)
		for (int l = 0; l <= top[q]; l++) {
			for (size_t i = 0; i < n; i++) {
				char buf[32];
				snprintf(v[i].s, sizeof v[i].s, "%s", qi_value(&rows[i], q, l, buf));
				v[i].row = (uint32_t)i;
			}
			qsort(v, n, sizeof *v, cmp_named);
			uint32_t *id = ids->id[q][l] = xcalloc(n ? n : 1, sizeof *id);
			for (size_t i = 0, next = 0; i < n; i++) {
				if (i && strcmp(v[i].s, v[i - 1].s) != 0)
					next++;
				id[v[i].row] = (uint32_t)next;
			}
		}
	free(v);
}

static void ids_free(qi_ids *ids)
{
	for (int q = 0; q < NQ; q++)
		for (int l = 0; l <= top[q]; l++)
			free(ids->id[q][l]);
}

typedef struct keyed {
	uint32_t v[NQ], row;
} keyed;

static int cmp_keyed(const void *a, const void *b)
{
	const keyed *x = a, *y = b;
	for (int q = 0; q < NQ; q++)
		if (x->v[q] != y->v[q])
			return x->v[q] < y->v[q] ? -1 : 1;
	return 0;
}

/* The forms of exploitation and the means of control are generalised row
 * by row, at these pairs of levels in turn: the forms are kept before the
 * means of control. */
static const signed char row_steps[][2] = {{0, 0}, {0, 1}, {0, 2}, {1, 0}, {1, 1}, {1, 2}, {2, 0}, {2, 1}, {2, 2}};
#define NROW_STEPS (sizeof row_steps / sizeof *row_steps)

/* Group the rows of idx[0..m) by their values at lv, with the forms of
 * exploitation and the means of control at row_steps[st]; a row in a
 * group of k or more settles at st (in rst), the others are moved to the
 * front of idx. Returns how many are left there. */
static size_t settle(const qi_ids *ids, uint32_t *idx, size_t m, const int *lv, int st, int k, keyed *v,
		     signed char *rst)
{
	for (size_t i = 0; i < m; i++) {
		for (int q = 0; q < NQ; q++) {
			int l = q == Q_EXPL ? row_steps[st][0] : q == Q_MOC ? row_steps[st][1] : lv[q];
			v[i].v[q] = ids->id[q][l][idx[i]];
		}
		v[i].row = idx[i];
	}
	qsort(v, m, sizeof *v, cmp_keyed);
	size_t left = 0;
	for (size_t i = 0, j; i < m; i = j) {
		for (j = i; j < m && cmp_keyed(&v[j], &v[i]) == 0; j++)
			;
		for (size_t t = i; t < j; t++) {
			if ((long)(j - i) >= k)
				rst[v[t].row] = (signed char)st;
			else
				idx[left++] = v[t].row;
		}
	}
	return left;
}

/* The rows in combinations seen fewer than k times at lv, the forms of
 * exploitation and the means of control going row by row: a row keeps
 * their flags when k rows share them and the other values, else shows a
 * type or a count, else "*" (each step among the rows not yet settled, so
 * every group written is k rows alike). With rows, mark each row's small
 * and its two levels. */
static long count_small(const qi_ids *ids, hrow *rows, size_t n, const int *lv, int k, keyed *v, uint32_t *idx,
			signed char *rst)
{
	size_t left = n;
	for (size_t i = 0; i < n; i++) {
		idx[i] = (uint32_t)i;
		rst[i] = -1;
	}
	for (size_t st = 0; st < NROW_STEPS && left; st++)
		left = settle(ids, idx, left, lv, (int)st, k, v, rst);
	for (size_t i = 0; rows && i < n; i++) {
		int st = rst[i] < 0 ? (int)NROW_STEPS - 1 : rst[i];
		rows[i].small = rst[i] < 0;
		rows[i].expl_level = row_steps[st][0];
		rows[i].moc_level = row_steps[st][1];
	}
	return (long)left;
}

/* The loss of a choice of levels: each quasi-identifier's share of its
 * ladder climbed, summed (in sixths, so that 1/3 and 1/2 are whole). */
static int loss_of(const int *lv)
{
	int loss = 0;
	for (int q = 0; q < NQ; q++)
		loss += lv[q] * 6 / top[q];
	return loss;
}

typedef struct node {
	int lv[NQ], loss;
} node;

static int cmp_node(const void *a, const void *b)
{
	const node *x = a, *y = b;
	if (x->loss != y->loss)
		return x->loss < y->loss ? -1 : 1;
	return memcmp(x->lv, y->lv, sizeof x->lv);
}

/* Choose the levels: of every choice that leaves at most 5% of the rows
 * in combinations seen fewer than k times, the one that loses least
 * (loss_of), and of those the one that leaves the fewest such rows.
 * Coarser levels only merge combinations, so the first choice that
 * passes, in order of loss, is the least loss that can. */
static void generalise(hrow *rows, size_t n, int k, int *lv)
{
	qi_ids ids = {0};
	ids_make(rows, n, &ids);
	size_t nn = 1;
	for (int q = 0; q < NQ; q++)
		nn *= q == Q_MOC || q == Q_EXPL ? 1 : (size_t)top[q] + 1;
	node *all = xcalloc(nn, sizeof *all);
	for (size_t i = 0; i < nn; i++) {
		size_t x = i;
		for (int q = 0; q < NQ; q++) {
			size_t w = q == Q_MOC || q == Q_EXPL ? 1 : (size_t)top[q] + 1;
			all[i].lv[q] = (int)(x % w);
			x /= w;
		}
		all[i].loss = loss_of(all[i].lv);
	}
	qsort(all, nn, sizeof *all, cmp_node);
	keyed *v = xcalloc(n ? n : 1, sizeof *v);
	uint32_t *idx = xcalloc(n ? n : 1, sizeof *idx);
	signed char *rst = xcalloc(n ? n : 1, 1);
	long best_small = -1;
	size_t best = nn - 1; /* everything at the top: one combination */
	for (size_t i = 0; i < nn; i++) {
		if (best_small >= 0 && all[i].loss > all[best].loss)
			break;
		long s = count_small(&ids, NULL, n, all[i].lv, k, v, idx, rst);
		if (s * 20 <= (long)n && (best_small < 0 || s < best_small)) {
			best = i;
			best_small = s;
		}
	}
	memcpy(lv, all[best].lv, sizeof all[best].lv);
	count_small(&ids, rows, n, lv, k, v, idx, rst);
	free(rst);
	free(idx);
	free(v);
	free(all);
	ids_free(&ids);
}

/* ---- reading ---- */

#define ANS(step, alias) " LEFT JOIN answers " alias " ON " alias ".call_id = c.id AND " alias ".step = '" step "'"

static long read_rows(dv_session *s, hrow **out, dv_error *e)
{
	/* ua_signs and ilo: the steps of script versions before 2026.12.1
	 * (see code_map). */
	sqlite3_stmt *st = dbi_prepare(s->db, "SELECT substr(c.started_at, 1, 4), c.gender, c.age_band, c.country,"
				       " a1.value, a2.value, a3.value, a4.value, c.risk, a5.value FROM calls c"
				       ANS("exploitation", "a1") ANS("ua_signs", "a2") ANS("ilo", "a3") ANS("recruiter", "a4")
				       ANS("control", "a5")
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
		int asked = 0;
		r->moc = moc_bits("control", (const char *)sqlite3_column_text(st, 9), &asked)
			 | moc_bits("ua_signs", (const char *)sqlite3_column_text(st, 5), &asked)
			 | moc_bits("ilo", (const char *)sqlite3_column_text(st, 6), &asked);
		if (!asked)
			r->moc |= 1u << MOC_NOT_SPECIFIED;
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

size_t htcds_columns(const char **h)
{
	size_t n = 0;
	h[n++] = "yearOfRegistration";
	h[n++] = "gender";
	h[n++] = "ageBroad";
	h[n++] = "CountryOfExploitation";
	for (size_t i = 0; i < NEXPL; i++)
		h[n++] = expl_cols[i];
	h[n++] = "isSexAndLabour";
	h[n++] = "exploitationType";
	for (size_t i = 0; i < NMOC; i++)
		h[n++] = moc_cols[i];
	h[n++] = "meansOfControlCount";
	h[n++] = "RecruiterRelationship";
	h[n++] = "traffickingStatus";
	return n;
}

/* The n flag columns of bits: "1" or "0" each, or empty at any level
 * above the flags (a type or a count stands for them). */
static size_t flag_cells(unsigned bits, size_t n, int level, const char **f)
{
	for (size_t i = 0; i < n; i++)
		f[i] = level ? "" : (bits >> i) & 1 ? "1" : "0";
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
	n += flag_cells(r->expl, NEXPL, r->expl_level, f + n);
	f[n++] = r->expl_level ? "" : (r->expl & 3) == 3 ? "1" : "0"; /* isForcedLabour and isSexualExploit */
	expl_at(r->expl, r->expl_level ? r->expl_level : 1, pool[1]);
	f[n++] = pool[1];
	n += flag_cells(r->moc, NMOC, r->moc_level, f + n);
	moc_at(r->moc, r->moc_level ? r->moc_level : 1, pool[2]);
	f[n++] = pool[2];
	f[n++] = lv[Q_RECRUITER] ? "*" : r->recruiter;
	f[n++] = strcmp(r->risk, "likely") == 0 ? "likely" : "possible";
	return n;
}

static void write_rows(const hrow *rows, size_t n, const int *lv, int json, dv_buf *out)
{
	const char *h[HTCDS_MAX_COLUMNS], *f[HTCDS_MAX_COLUMNS];
	char pool[3][32];
	size_t nc = htcds_columns(h);
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
	for (long i = 0; i < n; i++) {
		r->dropped += rows[i].small;
		if (!rows[i].small) {
			r->expl_rows[rows[i].expl_level]++;
			r->moc_rows[rows[i].moc_level]++;
		}
	}
	r->rows = n - r->dropped;
	write_rows(rows, (size_t)n, r->level, json, out);
	free(rows);
	dv_buf g = {0};
	for (int q = 0; q < NQ; q++)
		if (r->level[q])
			dv_buf_printf(&g, "%s%s %d/%d", g.len ? ", " : "", _(qnames[q]), r->level[q], top[q]);
	char *flags = xasprintf(_("forms of exploitation: %ld rows with the flags, %ld with the type only, %ld hidden;"
				  " means of control: %ld rows with the flags, %ld with their count only, %ld hidden"),
				r->expl_rows[0], r->expl_rows[1], r->expl_rows[2], r->moc_rows[0], r->moc_rows[1], r->moc_rows[2]);
	char *line = xasprintf(_("k = %d: %ld rows written, %ld dropped (in combinations seen fewer than k times); generalised: %s"),
			       k, r->rows, r->dropped, g.len ? g.s : _("nothing"));
	snprintf(r->summary, sizeof r->summary, "%s; %s", line, flags);
	free(line);
	free(flags);
	char *detail = xasprintf("htcds k=%d rows=%ld dropped=%ld format=%s", k, r->rows, r->dropped, json ? "json" : "csv");
	int code = audit_log(s->db, s->login, "export.htcds", NULL, detail, e);
	free(detail);
	dv_buf_free(&g);
	return code;
}
