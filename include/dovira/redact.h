/* redact.h: find personal data in free text and replace it with tags.
 *
 * The redactor knows the shapes in FACTS.md section 7: Ukrainian and
 * foreign telephone numbers, e-mail addresses, internal passports, ID cards
 * and foreign passports, RNOKPP (with its check digit), UA IBANs (mod 97)
 * and payment cards (Luhn). Dates, times, amounts, durations, short service
 * numbers (102, 112, 1547, 116 123, 0 800 ...) and case codes survive.
 */
#ifndef DOVIRA_REDACT_H
#define DOVIRA_REDACT_H

#include <stddef.h>

typedef enum redact_kind {
	REDACT_PHONE,
	REDACT_EMAIL,
	REDACT_PASSPORT, /* internal passport booklet or foreign passport */
	REDACT_ID,       /* ID card record number */
	REDACT_TAXID,    /* RNOKPP */
	REDACT_IBAN,
	REDACT_CARD,
	REDACT_NKINDS
} redact_kind;

/* One finding: bytes [start, end) of the input. */
typedef struct redact_hit {
	redact_kind kind;
	size_t start;
	size_t end;
} redact_hit;

/* The tag written in place of a finding: "[PHONE]", "[EMAIL]", ... */
const char *redact_tag(redact_kind kind);

/* The kind's lower-case name for JSON and logs: "phone", "email", ... */
const char *redact_kind_name(redact_kind kind);

/* Find personal data in the UTF-8 text (NUL-terminated).
 * Returns the number of hits and sets *hits to a newly allocated array
 * (the caller frees it; NULL when there are none), sorted by start,
 * never overlapping. */
size_t redact_find(const char *text, redact_hit **hits);

/* Return a newly allocated copy of text with every finding replaced by its
 * tag. If hits/nhits are not NULL they receive the findings, with offsets
 * into the ORIGINAL text (caller frees *hits). */
char *redact_apply(const char *text, redact_hit **hits, size_t *nhits);

/* Check-digit validators, exposed for tests and for the CSV importer.
 * Each takes a string of ASCII digits (IBAN: "UA" + 27 digits, no spaces)
 * and returns 1 if the check holds, 0 otherwise. */
int redact_luhn_ok(const char *digits);
int redact_rnokpp_ok(const char *digits);
int redact_iban_ok(const char *iban);

#endif
