/* redact_int.h: private to the redactor (redact.c, redact_words.c): the
 * text being scanned, the character helpers both files use, and the
 * matchers of redact_words.c that redact.c's scan calls. */
#ifndef DOVIRA_REDACT_INT_H
#define DOVIRA_REDACT_INT_H

#include <stddef.h>

#include "dovira/redact.h"

/* A matcher's "kind" for spans that must survive and must not be looked
 * into again (case codes, 0 800 numbers, known organisation numbers,
 * addresses of public web sites). */
#define KIND_KEEP REDACT_NKINDS
#define KIND_NONE (REDACT_NKINDS + 1)

typedef struct input {
	const unsigned char *s;
	size_t n;
} input;

static inline int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static inline int is_alpha(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static inline int is_alnum(int c)
{
	return is_digit(c) || is_alpha(c);
}

static inline int byte_at(const input *t, size_t i)
{
	return i < t->n ? t->s[i] : -1;
}

static inline int digit_at(const input *t, size_t i)
{
	return is_digit(byte_at(t, i));
}

/* The UTF-8 character at i (U+FFFD with *len = 1 if broken), and the one
 * that ends just before i (0 at the start of the text). */
unsigned rd_cp_at(const input *t, size_t i, size_t *len);
unsigned rd_cp_before(const input *t, size_t i);
int rd_cp_is_letter(unsigned cp);
/* Latin A-Z and the Ukrainian and Russian Cyrillic capitals. */
int rd_cp_is_series_letter(unsigned cp);
/* A space or a dash inside a number at i: its byte length, 0 if none. */
size_t rd_space_at(const input *t, size_t i);
size_t rd_dash_at(const input *t, size_t i);
/* May a number start at i / end at e (not inside a word or a longer
 * number, not glued to more digits)? */
int rd_num_start_ok(const input *t, size_t i);
int rd_num_end_ok(const input *t, size_t e);
size_t rd_count_digits(const input *t, size_t i, size_t max);
/* Bytes [a, b) lower-cased (ASCII and Cyrillic; same byte length) into
 * out, which must hold b - a + 1 bytes. */
void rd_lower_copy(const input *t, size_t a, size_t b, char *out);
/* The offset in w of the last stem of stems that starts a word, or -1. */
long rd_last_stem(const char *w, const char *const *stems);
/* Does a currency stand next to [start, end)? */
int rd_money_around(const input *t, size_t start, size_t end);

/* The matchers of redact_words.c. Each looks at a bounded number of bytes
 * from i and returns the end of what it found (0: nothing there). */

/* A web address at i: a messenger or social network profile (kind
 * REDACT_HANDLE), another address with a path (REDACT_URL), or a site's
 * bare address or a public body's page (KIND_KEEP). */
size_t rd_match_link(const input *t, size_t i, int *kind);
/* "@handle" at i, or a handle written after a messenger's name. */
size_t rd_match_handle(const input *t, size_t i);
/* A date of birth at i: a date (or a year) next to "народження", "д.н.",
 * "born", "г.р." ... */
size_t rd_match_dob(const input *t, size_t i);
/* A street address at i: "вул. Шевченка, 12, кв. 5", "буд. 7". */
size_t rd_match_address(const input *t, size_t i);
/* A Ukrainian car plate at i: "AP 1234 BC", Cyrillic or Latin letters. */
size_t rd_match_plate(const input *t, size_t i);
/* A person's name at i: a given name of the list in any case (with the
 * surname or patronymic next to it), a capitalised word after "звати",
 * "ім'я", "прізвище", "name"..., a surname or a patronymic by its ending.
 * *start may move forward (past "звати" to the name). */
size_t rd_match_name(const input *t, size_t *start);
/* Is the ten-digit number at start right after a tax-number word
 * ("ІПН", "РНОКПП: ")? Then it is an RNOKPP whatever its check digit.
 * And six to nine digits right after "паспорт"? */
int rd_tax_word_before(const input *t, size_t start);
int rd_passport_word_before(const input *t, size_t start);

#endif
