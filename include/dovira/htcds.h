/* htcds.h: microdata for researchers, k-anonymous, in HTCDS 2.0 / CTDC
 * column names.
 *
 * One row per final data call whose risk is possible or likely (a
 * possible victim, as HTCDS's trafficking status), with no free text:
 * yearOfRegistration, gender, ageBroad, CountryOfExploitation, the
 * exploitation flags (isForcedLabour, isSexualExploit, ..., isSexAndLabour),
 * the meansOfControl* flags (NotSpecified when no means-of-control step
 * was asked), RecruiterRelationship and traffickingStatus.
 * The quasi-identifiers (age band, gender, country, form of exploitation,
 * means of control, recruiter relation, year) are generalised (bands
 * widened, countries to regions, years merged; the two lists of flags row
 * by row, to a type or a count, or hidden) until at most 5% of the rows are
 * in a combination seen fewer than k times; those rows are then dropped
 * and counted. Every combination written is shared by at least k rows.
 */
#ifndef DOVIRA_HTCDS_H
#define DOVIRA_HTCDS_H

#include "dovira/session.h"
#include "dovira/util.h"

typedef struct htcds_result {
	long rows;       /* rows written */
	long dropped;    /* rows in combinations under k, left out */
	int level[7];    /* generalisation level reached per quasi-identifier
			  * (forms of exploitation and means of control: 0,
			  * they go row by row:) */
	long expl_rows[3]; /* rows written with the exploitation flags, with
			    * the type only (one form, "several", "none"),
			    * with neither */
	long moc_rows[3]; /* rows written with the means-of-control flags,
			   * with their count only, with neither */
	char summary[1024]; /* one translated line: rows, dropped, generalisations */
} htcds_result;

/* Write the microdata of every final data call at possible or likely
 * risk to out as CSV (UTF-8 with a byte order mark, no cell starting with
 * = + - @) or, with json set, as a JSON array of objects. k must be 2 to
 * 1000 (DV_EINVAL). Supervisors and administrators (DV_EPERM). Audited
 * "export.htcds" with k and the counts. *r is filled. */
int htcds_export(dv_session *s, int k, int json, dv_buf *out, htcds_result *r, dv_error *e);

/* The columns of the export, in order, into h (room for
 * HTCDS_MAX_COLUMNS); their number. */
enum { HTCDS_MAX_COLUMNS = 48 };
size_t htcds_columns(const char **h);

/* What one script code means in CTDC terms. */
typedef struct htcds_code {
	const char *step, *code;
	const char *column; /* the CTDC column it sets to 1 (control, and the
			     * older ua_signs and ilo: meansOfControl*;
			     * exploitation: is*), or the RecruiterRelationship
			     * value (recruiter); NULL when it sets none: */
	const char *why;    /* then why not (English, for maintainers) */
} htcds_code;

/* The mapping of the code of step, or NULL when the export does not know
 * it (then it counts as meansOfControlOther, no exploitation flag, or
 * recruiter Unknown). Covers every version of the default script. */
const htcds_code *htcds_code_find(const char *step, const char *code);

/* The steps of the current script whose every option must be in the
 * mapping (tests/unit/test_htcds walks them); NULL-terminated. */
extern const char *const htcds_checked_steps[];

#endif
