/* redact.h: find personal data in free text and replace it with tags.
 *
 * The redactor knows the shapes in FACTS.md section 7: Ukrainian and
 * foreign telephone numbers, e-mail addresses, internal passports, ID cards
 * and foreign passports, RNOKPP (with its check digit), UA IBANs (mod 97)
 * and payment cards (Luhn); and (issue 9) messenger handles and profile
 * links, web addresses with a path, dates of birth, street addresses,
 * Ukrainian car plates and personal names. Dates, times, amounts, durations, short service
 * numbers (102, 112, 1547, 116 123, 0 800 ...) and case codes survive.
 *
 * Decisions where FACTS.md is silent:
 *  - A number is taken only as whole digit groups: never part of a longer
 *    number ("+380671234567890" is nothing), never glued by '.', ':' or
 *    '-' to more digits (dates, times, ranges). Space-separated numbers
 *    are separate: in "12.03 0671234567" the telephone is found.
 *  - Telephones: +380 / 380 / 0 / 8 0 then 9 digits (also the slip
 *    "+380 (067) ..." with both), '+' or "00" then 7 to 15 digits (the
 *    country's own length preferred where it is fixed), local "234-56-78",
 *    and "67 123 45 67" (mobile code without the 0). Groups may be joined
 *    by spaces (also no-break and thin), one dash (any Unicode hyphen or
 *    minus), dot or slash, and brackets: "(+38) 067/123-45-67".
 *  - Toll-free 0 800 numbers (any grouping, also +38 0800) belong to
 *    organisations and survive, as do the landlines of the hotlines listed
 *    in FACTS.md section 3 (e.g. +38 044 284 19 15 for 1547 from abroad).
 *  - ID card: 9 digits written as one block are an ID number with or
 *    without a context word; grouped ("001 234 567") only next to a word
 *    such as паспорт, ID-картка, документ, card. Also the UNZR printed on
 *    the card, YYYYMMDD-NNNNN.
 *  - RNOKPP vs telephone: a 10-digit 0XXXXXXXXX is a telephone unless it
 *    is one block, its check digit holds and a tax word (ІПН, РНОКПП,
 *    податковий, ідентифікаційний код, tax) stands nearer than any
 *    telephone word. (An RNOKPP starting with 0 belongs to someone born
 *    before 1928.) Other 10-digit blocks are RNOKPP when the check holds.
 *  - A number with a failing check digit is not tagged as that kind.
 *  - IBAN: "UA"/"ua" + 27 digits, spaces anywhere; also other countries'
 *    IBANs of their registered length. Cards: 13 to 19 digits, Luhn, as
 *    one block or "4 digits then blocks" joined by one kind of separator.
 *  - Passports: two capitals (Cyrillic or Latin) + 6 digits (or 3 + 3),
 *    with a space, dash, comma, "№", "номер" or "No." between or nothing;
 *    pairs that are abbreviations (ЄС, РФ, EU ...) are not series. Six
 *    digits alone right after "паспорт"/"passport" are a passport too.
 *  - Amounts: a number followed by a currency (грн, UAH, євро, $, тис...)
 *    or preceded by a currency sign is never tagged.
 *  - Case codes (4 + 4 Crockford base32 characters, "7K3M-9Q2P") survive.
 *  - An RNOKPP right after its word ("ІПН 1234567890", "РНОКПП: ...") is
 *    one even when its check digit fails (a slip in one digit still
 *    identifies); so are 6 to 8 digits right after "паспорт"/"passport".
 *  - Lower-case passport series ("аб 123456", "fa123456") unless the two
 *    letters are a common word ("на", "до", "по", "за", "at", "no" ...),
 *    which they may still be after "паспорт".
 *  - Links, handles, dates of birth, addresses, car plates and names:
 *    see src/core/redact_words.c for the shapes and what survives.
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
	REDACT_HANDLE,   /* messenger handle or social network profile link */
	REDACT_URL,      /* another web address with a path */
	REDACT_DOB,      /* date of birth */
	REDACT_ADDRESS,  /* street address, house, flat */
	REDACT_PLATE,    /* car number plate */
	REDACT_NAME,     /* a person's name */
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
 * never overlapping. Offsets are bytes of text. Any bytes are accepted
 * (invalid UTF-8 is skipped over); the time is linear in the length. */
size_t redact_find(const char *text, redact_hit **hits);

/* The same for the len bytes at text, which may hold NUL bytes (a NUL is
 * treated like any other non-letter, e.g. a space). Never reads past
 * text + len. Added for `dovira redact`, which reads arbitrary stdin. */
size_t redact_find_n(const char *text, size_t len, redact_hit **hits);

/* Return a newly allocated copy of text with every finding replaced by its
 * tag. If hits/nhits are not NULL they receive the findings, with offsets
 * into the ORIGINAL text (caller frees *hits). */
char *redact_apply(const char *text, redact_hit **hits, size_t *nhits);

/* The capitalised words of text (NUL-terminated, usually notes already
 * redacted) that might still be names: not the first word of a sentence,
 * not inside «» (an organisation), not a month, a day, a country, a city
 * of the region or a body the redactor knows, not inside a [TAG].
 * Returns how many and sets *hits (kind REDACT_NAME; the caller frees it;
 * NULL when none), in order. The operator decides on each. */
size_t redact_name_candidates(const char *text, redact_hit **hits);

/* A newly allocated copy of text with bytes [start, end) replaced by the
 * tag of kind (a copy of text unchanged if the range is not inside it). */
char *redact_replace(const char *text, size_t start, size_t end, redact_kind kind);

/* Check-digit validators, exposed for tests and for the CSV importer.
 * Each takes a string of ASCII digits (IBAN: "UA" + 27 digits, no spaces)
 * and returns 1 if the check holds, 0 otherwise.
 * redact_luhn_ok: 2 or more digits.  redact_rnokpp_ok: exactly 10 digits.
 * redact_iban_ok also accepts the IBANs of the other countries of the
 * IBAN registry (their registered length, BBAN letters in either case):
 * a victim's account abroad identifies them as much as one at home. */
int redact_luhn_ok(const char *digits);
int redact_rnokpp_ok(const char *digits);
int redact_iban_ok(const char *iban);

#endif
