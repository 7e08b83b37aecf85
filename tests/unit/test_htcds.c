/* test_htcds.c: every option of the current intake script's steps that
 * feed the microdata (control, exploitation, recruiter) maps to a CTDC
 * column, or is listed as mapping to none with the reason; and the codes
 * of the older steps (ua_signs, ilo) keep theirs. A new option in the
 * script without a mapping fails here, not silently in the export. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dovira/htcds.h"
#include "dovira/script.h"
#include "dovira/util.h"
#include "tap.h"

/* CTDC's names (domain FACTS.md section 6), independent of htcds.c. */
static const char *const ctdc_moc =
	" DebtBondage TakesEarnings RestrictsFinancialAccess Threats PsychologicalAbuse PhysicalAbuse SexualAbuse"
	" FalsePromises PsychoactiveSubstances RestrictsMovement RestrictsMedicalCare ExcessiveWorkingHours UsesChildren"
	" ThreatOfLawEnforcement WithholdsNecessities WithholdsDocuments Other ";
static const char *const ctdc_expl = " isForcedLabour isSexualExploit isOtherExploit isForcedMarriage isForcedMilitary"
				     " isOrganRemoval isSlaveryAndPractices ";
static const char *const ctdc_recruiter = " IntimatePartner Friend Family Other Unknown ";

static int in_words(const char *list, const char *w)
{
	char *k = xasprintf(" %s ", w);
	int in = strstr(list, k) != NULL;
	free(k);
	return in;
}

/* Is column a CTDC name of the kind the step feeds, and a column the
 * export writes? */
static int column_fits(const char *step, const char *column, const char **head, size_t nh)
{
	if (strcmp(step, "recruiter") == 0)
		return in_words(ctdc_recruiter, column);
	int in_head = 0;
	for (size_t i = 0; i < nh; i++)
		in_head |= strcmp(head[i], column) == 0;
	if (strcmp(step, "exploitation") == 0)
		return in_head && in_words(ctdc_expl, column);
	return in_head && strncmp(column, "meansOfControl", 14) == 0 && in_words(ctdc_moc, column + 14);
}

int main(void)
{
	const char *d = getenv("SRCDIR");
	char *path = xasprintf("%s/data/intake.script", d && *d ? d : ".");
	script *s = NULL;
	dv_error e;
	int code = script_load(path, &s, NULL, &e);
	ok(code == DV_OK && s, "the default script loads: %s", path);
	if (!s)
		return tap_done();
	const char *head[HTCDS_MAX_COLUMNS];
	size_t nh = htcds_columns(head);
	for (const char *const *id = htcds_checked_steps; *id; id++) {
		long at = script_step_index(s, *id);
		const script_step *st = at >= 0 ? script_step_at(s, (size_t)at) : NULL;
		ok(st && st->nopts > 0, "the current script asks the step %s, with options", *id);
		for (size_t i = 0; st && i < st->nopts; i++) {
			const char *c = st->opts[i].code;
			const htcds_code *m = htcds_code_find(*id, c);
			if (!ok(m, "%s:%s is in the CTDC mapping", *id, c))
				continue;
			if (m->column)
				ok(column_fits(*id, m->column, head, nh), "%s:%s maps to a CTDC column the export writes (%s)",
				   *id, c, m->column);
			else
				ok(m->why && strlen(m->why) > 10, "%s:%s maps to none, and says why (%s)", *id, c,
				   m->why ? m->why : "no reason");
		}
	}
	/* Every means of control of the current script has its own column
	 * but no-contact (the script's own comment: CTDC Other). */
	long at = script_step_index(s, "control");
	const script_step *st = at >= 0 ? script_step_at(s, (size_t)at) : NULL;
	size_t other = 0;
	for (size_t i = 0; st && i < st->nopts; i++) {
		const htcds_code *m = htcds_code_find("control", st->opts[i].code);
		other += m && m->column && strcmp(m->column, "meansOfControlOther") == 0;
	}
	is_int(other, 1, "one code of control, no-contact, goes to meansOfControlOther");

	/* Calls of 2026.11 and 2026.12 keep their step names and codes. */
	static const char *const old[][3] = {
		{"ua_signs", "documents", "meansOfControlWithholdsDocuments"},
		{"ua_signs", "pay-withheld", "meansOfControlTakesEarnings"},
		{"ua_signs", "forced-work", NULL},
		{"ilo", "debt", "meansOfControlDebtBondage"},
		{"ilo", "overtime", "meansOfControlExcessiveWorkingHours"},
		{"ilo", "vulnerability", "meansOfControlOther"},
	};
	for (size_t i = 0; i < sizeof old / sizeof *old; i++) {
		const htcds_code *m = htcds_code_find(old[i][0], old[i][1]);
		ok(m, "the older code %s:%s is still mapped", old[i][0], old[i][1]);
		if (m)
			is_str(m->column, old[i][2], "%s:%s", old[i][0], old[i][1]);
	}
	ok(!htcds_code_find("control", "no-such-code"), "an unknown code is not in the mapping");
	script_free(s);
	free(path);
	return tap_done();
}
