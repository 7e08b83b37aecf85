/* htcds.h: microdata for researchers, k-anonymous, in HTCDS 2.0 / CTDC
 * column names.
 *
 * One row per final data call whose risk is possible or likely (a
 * possible victim, as HTCDS's trafficking status), with no free text:
 * yearOfRegistration, gender, ageBroad, CountryOfExploitation, the
 * exploitation flags (isForcedLabour, isSexualExploit, ...), the
 * meansOfControl* flags, RecruiterRelationship and traffickingStatus.
 * The quasi-identifiers (age band, gender, country, form of exploitation,
 * means of control, recruiter relation, year) are generalised step by step
 * (bands widened, countries to regions, years merged, flags to a type or
 * a count) until at most 5% of the rows are in a combination seen fewer
 * than k times; those rows are then dropped and counted.
 */
#ifndef DOVIRA_HTCDS_H
#define DOVIRA_HTCDS_H

#include "dovira/session.h"
#include "dovira/util.h"

typedef struct htcds_result {
	long rows;       /* rows written */
	long dropped;    /* rows in combinations under k, left out */
	int level[7];    /* generalisation level reached per quasi-identifier */
	char summary[512]; /* one translated line: rows, dropped, generalisations */
} htcds_result;

/* Write the microdata of every final data call at possible or likely
 * risk to out as CSV (UTF-8 with a byte order mark, no cell starting with
 * = + - @) or, with json set, as a JSON array of objects. k must be 2 to
 * 1000 (DV_EINVAL). Supervisors and administrators (DV_EPERM). Audited
 * "export.htcds" with k and the counts. *r is filled. */
int htcds_export(dv_session *s, int k, int json, dv_buf *out, htcds_result *r, dv_error *e);

#endif
