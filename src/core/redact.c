/* redact.c: find personal data in free text by hand-written scanning.
 *
 * One left-to-right pass. At each position the matchers are tried in a
 * fixed order (e-mail, case code, IBAN, passport, UNZR, number run); the
 * first that matches consumes its bytes, so hits come out sorted and never
 * overlap. Every matcher looks at a bounded number of bytes from where it
 * starts (about 350 at most), so the whole pass is linear in the input.
 *
 * A "number run" is a '+' or '(' or digit followed by digit groups joined
 * by short separators (spaces, one dash or dot, brackets). A finding always
 * starts and ends on a group boundary: it never takes part of a digit
 * group, and a run that no kind accepts as a whole is tried group by group.
 * The decisions where FACTS.md is silent are listed in redact.h.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dovira/redact.h"
#include "dovira/utf8.h"
#include "dovira/util.h"
#include "redact_int.h"


static const char *const TAGS[REDACT_NKINDS] = {
	"[PHONE]", "[EMAIL]", "[PASSPORT]", "[ID]", "[TAXID]", "[IBAN]", "[CARD]",
	"[HANDLE]", "[URL]", "[DOB]", "[ADDRESS]", "[PLATE]", "[NAME]",
};
static const char *const NAMES[REDACT_NKINDS] = {
	"phone", "email", "passport", "id", "taxid", "iban", "card",
	"handle", "url", "dob", "address", "plate", "name",
};

const char *redact_tag(redact_kind kind)
{
	return (unsigned)kind < REDACT_NKINDS ? TAGS[kind] : "[REDACTED]";
}

const char *redact_kind_name(redact_kind kind)
{
	return (unsigned)kind < REDACT_NKINDS ? NAMES[kind] : "unknown";
}

/* ---- characters ---------------------------------------------------- */

/* Decode the UTF-8 sequence at i (utf8.h). Returns the code point and
 * sets *len; a bad or cut-off sequence gives U+FFFD and the bytes the
 * sanitiser would replace with it. */
unsigned rd_cp_at(const input *t, size_t i, size_t *len)
{
	unsigned cp;
	*len = utf8_next(t->s + i, t->n - i, &cp);
	return cp;
}

/* The code point that ends just before i, or 0 at the start of the text.
 * A broken sequence gives U+FFFD. */
unsigned rd_cp_before(const input *t, size_t i)
{
	size_t j = i, len;
	if (i == 0)
		return 0;
	j--;
	while (j > 0 && i - j < 4 && (t->s[j] & 0xC0) == 0x80)
		j--;
	unsigned cp = rd_cp_at(t, j, &len);
	return j + len == i ? cp : 0xFFFD;
}

int rd_cp_is_letter(unsigned cp)
{
	if (cp < 0x80)
		return is_alpha((int)cp);
	return (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) ||
	       (cp >= 0x370 && cp <= 0x3FF) || (cp >= 0x400 && cp <= 0x52F);
}

static int cp_is_cyrillic_letter(unsigned cp)
{
	return cp >= 0x400 && cp <= 0x52F;
}

/* Capital letters a passport series is written with: Latin A-Z and the
 * Ukrainian and Russian Cyrillic capitals. */
int rd_cp_is_series_letter(unsigned cp)
{
	return (cp >= 'A' && cp <= 'Z') || (cp >= 0x410 && cp <= 0x42F) ||
	       cp == 0x401 || cp == 0x404 || cp == 0x406 || cp == 0x407 ||
	       cp == 0x490;
}

/* Spaces inside numbers: ASCII space, NO-BREAK SPACE, THIN SPACE and
 * NARROW NO-BREAK SPACE (the thousands separator of many keyboards).
 * Returns the byte length, 0 if none. */
size_t rd_space_at(const input *t, size_t i)
{
	int c = byte_at(t, i);
	if (c == ' ')
		return 1;
	if (c == 0xC2 && byte_at(t, i + 1) == 0xA0)
		return 2;
	if (c == 0xE2 && byte_at(t, i + 1) == 0x80 &&
	    (byte_at(t, i + 2) == 0x89 || byte_at(t, i + 2) == 0xAF))
		return 3;
	return 0;
}

/* A dash inside a number: '-', HYPHEN, NON-BREAKING HYPHEN, FIGURE DASH,
 * EN DASH or MINUS SIGN. Returns the byte length. */
size_t rd_dash_at(const input *t, size_t i)
{
	int b1 = byte_at(t, i + 1), b2 = byte_at(t, i + 2);
	if (byte_at(t, i) == '-')
		return 1;
	if (byte_at(t, i) != 0xE2)
		return 0;
	if (b1 == 0x80 && b2 >= 0x90 && b2 <= 0x93)
		return 3;
	return b1 == 0x88 && b2 == 0x92 ? 3 : 0;
}

/* ---- boundaries ---------------------------------------------------- */

/* Characters that glue two digit groups into one number ("28.11.2026",
 * "14:30", "2019-2020") when a digit stands on their other side. */
static int is_glue(int c)
{
	return c == '.' || c == ':' || c == '-';
}

/* May a number start at i? Not inside a word or a longer number, and not
 * right after a '+' (the run that starts at the '+' had its chance). */
int rd_num_start_ok(const input *t, size_t i)
{
	if (i == 0)
		return 1;
	int p = t->s[i - 1];
	if (is_alnum(p) || p == '_' || p == '@' || p == '+')
		return 0;
	if (is_glue(p) && i >= 2 && is_digit(t->s[i - 2]))
		return 0;
	return 1;
}

/* May a number end at e? Not followed by a letter or digit of ASCII, by
 * '@', '%' or '_', nor glued to further digits. */
int rd_num_end_ok(const input *t, size_t e)
{
	int c = byte_at(t, e);
	if (c < 0)
		return 1;
	if (is_alnum(c) || c == '_' || c == '@' || c == '%')
		return 0;
	if (is_glue(c) && digit_at(t, e + 1))
		return 0;
	return 1;
}

/* Count the ASCII digits starting at i, stopping after max + 1. */
size_t rd_count_digits(const input *t, size_t i, size_t max)
{
	size_t k = 0;
	while (k <= max && digit_at(t, i + k))
		k++;
	return k;
}

/* ---- context words ------------------------------------------------- */

#define CTX_BEFORE 72
#define CTX_AFTER 40

/* Copy bytes [a, b) lower-cased (ASCII and the 2-byte Cyrillic capitals;
 * the byte length does not change) into out, NUL-terminated. */
void rd_lower_copy(const input *t, size_t a, size_t b, char *out)
{
	size_t k = 0;
	for (size_t i = a; i < b; i++, k++) {
		unsigned char c = t->s[i], d = i + 1 < b ? t->s[i + 1] : 0;
		if (c >= 'A' && c <= 'Z') {
			out[k] = (char)(c + 32);
		} else if (c == 0xD0 && d >= 0x90 && d <= 0x9F) { /* А..П */
			out[k++] = (char)0xD0, out[k] = (char)(d + 0x20), i++;
		} else if (c == 0xD0 && d >= 0xA0 && d <= 0xAF) { /* Р..Я */
			out[k++] = (char)0xD1, out[k] = (char)(d - 0x20), i++;
		} else if (c == 0xD0 && d >= 0x80 && d <= 0x8F) { /* Ѐ..Џ, Є, І, Ї */
			out[k++] = (char)0xD1, out[k] = (char)(d + 0x10), i++;
		} else if (c == 0xD2 && d == 0x90) { /* Ґ */
			out[k++] = (char)0xD2, out[k] = (char)0x91, i++;
		} else {
			out[k] = (char)c;
		}
	}
	out[k] = '\0';
}

/* The window of text before start (back to the start of its line) and
 * after end (to the end of the line), lower-cased. */
static void rd_context_windows(const input *t, size_t start, size_t end,
			    char before[CTX_BEFORE + 1], char after[CTX_AFTER + 1])
{
	size_t a = start > CTX_BEFORE ? start - CTX_BEFORE : 0;
	for (size_t i = start; i > a; i--)
		if (t->s[i - 1] == '\n') {
			a = i;
			break;
		}
	size_t b = end + CTX_AFTER < t->n ? end + CTX_AFTER : t->n;
	for (size_t i = end; i < b; i++)
		if (t->s[i] == '\n') {
			b = i;
			break;
		}
	rd_lower_copy(t, a, start, before);
	rd_lower_copy(t, end, b, after);
}

/* Does the (lower-case) byte before p end a letter? */
static int rd_ends_letter(const char *w, const char *p)
{
	if (p == w)
		return 0;
	unsigned char c = (unsigned char)p[-1];
	if (is_alpha(c))
		return 1;
	return p - w >= 2 && (c & 0xC0) == 0x80 &&
	       ((unsigned char)p[-2] == 0xD0 || (unsigned char)p[-2] == 0xD1 ||
		(unsigned char)p[-2] == 0xD2);
}

/* The offset of the last occurrence in w of any stem that starts a word,
 * or -1. */
long rd_last_stem(const char *w, const char *const *stems)
{
	long best = -1;
	for (size_t k = 0; stems[k]; k++) {
		for (const char *p = strstr(w, stems[k]); p; p = strstr(p + 1, stems[k]))
			if (!rd_ends_letter(w, p) && p - w > best)
				best = p - w;
	}
	return best;
}

static const char *const TAX_WORDS[] = {
	"іпн", "рнокпп", "рнокп", "податк", "ідентифікац", "ідент. код",
	"ід. код", "ід.код", "інн", "инн", "идентификац", "налог",
	"tax", "ipn", "rnokpp", "itin", NULL,
};
static const char *const PHONE_WORDS[] = {
	"тел", "моб", "дзвон", "звон", "вайбер", "viber", "телеграм", "telegram",
	"whatsapp", "вотсап", "ватсап", "phone", "call", "tel", "mob", "sms",
	"смс", NULL,
};
static const char *const ID_WORDS[] = {
	"паспорт", "id", "ід", "айді", "картк", "карта", "документ", "посвідк",
	"запис", "унзр", "passport", "document", "card", "permit", NULL,
};

static const char *const PASSPORT_WORDS[] = {
	"паспорт", "passport", "серія", "серии", "серия", NULL,
};

/* Tax context: a tax word before the number with no telephone word after
 * it, or a tax word right after the number and none of telephone before. */
static int tax_context(const input *t, size_t start, size_t end)
{
	char before[CTX_BEFORE + 1], after[CTX_AFTER + 1];
	rd_context_windows(t, start, end, before, after);
	long tax = rd_last_stem(before, TAX_WORDS), tel = rd_last_stem(before, PHONE_WORDS);
	if (tax >= 0)
		return tax > tel;
	return tel < 0 && rd_last_stem(after, TAX_WORDS) >= 0;
}

static int id_context(const input *t, size_t start, size_t end)
{
	char before[CTX_BEFORE + 1], after[CTX_AFTER + 1];
	rd_context_windows(t, start, end, before, after);
	return rd_last_stem(before, ID_WORDS) >= 0 || rd_last_stem(after, ID_WORDS) >= 0;
}

/* ---- money --------------------------------------------------------- */

static const char *const MONEY_AFTER[] = {
	"грн", "гривн", "гривен", "uah", "hrn", "hryvn", "eur", "євро",
	"евро", "usd", "дол", "dollar", "$", "€", "£", "₴", "zł", "zl", "pln",
	"злот", "руб", "rub", "czk", "крон", "gbp", "фунт", "тис", "млн",
	"млрд", "thousand", "million", NULL,
};
static const char *const MONEY_BEFORE[] = {
	"$", "€", "£", "₴", "грн", "uah", "eur", "usd", "pln", NULL,
};

/* Does a currency (or "тис", "млн") stand next to the number: right after
 * it, or a currency sign right before it? Amounts are not personal data. */
int rd_money_around(const input *t, size_t start, size_t end)
{
	char w[24];
	size_t i = end, k;
	for (int n = 0; n < 2 && (k = rd_space_at(t, i)) > 0; n++)
		i += k;
	rd_lower_copy(t, i, i + 16 < t->n ? i + 16 : t->n, w);
	for (k = 0; MONEY_AFTER[k]; k++)
		if (strncmp(w, MONEY_AFTER[k], strlen(MONEY_AFTER[k])) == 0)
			return 1;
	i = start;
	if (i > 0 && t->s[i - 1] == ' ')
		i--;
	size_t a = i > 6 ? i - 6 : 0;
	rd_lower_copy(t, a, i, w);
	for (k = 0; MONEY_BEFORE[k]; k++) {
		size_t l = strlen(MONEY_BEFORE[k]), wl = strlen(w);
		if (wl >= l && strcmp(w + wl - l, MONEY_BEFORE[k]) == 0)
			return 1;
	}
	return 0;
}

/* ---- check digits -------------------------------------------------- */

static int all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_digit((unsigned char)s[i]))
			return 0;
	return 1;
}

int redact_luhn_ok(const char *digits)
{
	size_t n = strlen(digits);
	int sum = 0;
	if (n < 2 || !all_digits(digits, n))
		return 0;
	for (size_t k = 0; k < n; k++) {
		int d = digits[n - 1 - k] - '0';
		if (k % 2 == 1)
			d = d * 2 > 9 ? d * 2 - 9 : d * 2;
		sum += d;
	}
	return sum % 10 == 0;
}

int redact_rnokpp_ok(const char *digits)
{
	static const int w[9] = { -1, 5, 7, 9, 4, 6, 10, 5, 7 };
	int sum = 0;
	if (strlen(digits) != 10 || !all_digits(digits, 10))
		return 0;
	for (int k = 0; k < 9; k++)
		sum += w[k] * (digits[k] - '0');
	/* The weight -1 can make the sum negative; C's % would then be
	 * negative too, so take the mathematical remainder. */
	int r = ((sum % 11) + 11) % 11;
	return r % 10 == digits[9] - '0';
}

/* The registered IBAN lengths (SWIFT IBAN registry). */
static const struct {
	char cc[3];
	unsigned char len;
} IBAN_LEN[] = {
	{"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20},
	{"BE", 16}, {"BG", 22}, {"BH", 22}, {"BI", 27}, {"BR", 29}, {"BY", 28},
	{"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24}, {"DE", 22}, {"DJ", 27},
	{"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18},
	{"FK", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22}, {"GE", 22}, {"GI", 23},
	{"GL", 18}, {"GR", 27}, {"GT", 28}, {"HR", 21}, {"HU", 28}, {"IE", 22},
	{"IL", 23}, {"IQ", 23}, {"IS", 26}, {"IT", 27}, {"JO", 30}, {"KW", 30},
	{"KZ", 20}, {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20}, {"LU", 20},
	{"LV", 21}, {"LY", 25}, {"MC", 27}, {"MD", 24}, {"ME", 22}, {"MK", 19},
	{"MN", 20}, {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NI", 28}, {"NL", 18},
	{"NO", 15}, {"OM", 23}, {"PK", 24}, {"PL", 28}, {"PS", 29}, {"PT", 25},
	{"QA", 29}, {"RO", 24}, {"RS", 22}, {"RU", 33}, {"SA", 24}, {"SC", 31},
	{"SD", 18}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"SO", 23},
	{"ST", 25}, {"SV", 28}, {"TL", 23}, {"TN", 24}, {"TR", 26}, {"UA", 29},
	{"VA", 22}, {"VG", 24}, {"XK", 20}, {"YE", 30},
};

static int upper(int c)
{
	return c >= 'a' && c <= 'z' ? c - 32 : c;
}

/* The registered length of an IBAN of country a b (either case), or 0. */
static size_t iban_length(int a, int b)
{
	for (size_t k = 0; k < sizeof IBAN_LEN / sizeof IBAN_LEN[0]; k++)
		if (IBAN_LEN[k].cc[0] == upper(a) && IBAN_LEN[k].cc[1] == upper(b))
			return IBAN_LEN[k].len;
	return 0;
}

int redact_iban_ok(const char *iban)
{
	size_t n = strlen(iban);
	unsigned rem = 0;
	if (n < 4 || !is_alpha(iban[0]) || !is_alpha(iban[1]) ||
	    !is_digit(iban[2]) || !is_digit(iban[3]) || iban_length(iban[0], iban[1]) != n)
		return 0;
	if (upper(iban[0]) == 'U' && upper(iban[1]) == 'A' && !all_digits(iban + 2, n - 2))
		return 0;
	for (size_t k = 0; k < n; k++) {
		int c = (unsigned char)iban[(k + 4) % n];
		if (is_digit(c))
			rem = (rem * 10 + (unsigned)(c - '0')) % 97;
		else if (is_alpha(c))
			rem = (rem * 100 + (unsigned)(upper(c) - 'A' + 10)) % 97;
		else
			return 0;
	}
	return rem == 1;
}

/* ---- e-mail -------------------------------------------------------- */

static int cp_is_local(unsigned cp)
{
	return (cp > 0 && cp < 0x80 && (is_alnum((int)cp) || strchr("._%+-", (int)cp))) ||
	       cp_is_cyrillic_letter(cp);
}

static int cp_is_label(unsigned cp)
{
	return (cp < 0x80 && (is_alnum((int)cp) || cp == '-')) || cp_is_cyrillic_letter(cp);
}

/* Read one domain label at i: returns its end; *letters says whether it
 * is all letters and at least two of them (a top-level domain). */
static size_t domain_label(const input *t, size_t i, int *tld)
{
	size_t j = i, len, ncp = 0;
	int letters = 1;
	while (j < t->n && ncp < 63) {
		unsigned cp = rd_cp_at(t, j, &len);
		if (!cp_is_label(cp))
			break;
		if (cp < 0x80 && !is_alpha((int)cp))
			letters = 0;
		j += len, ncp++;
	}
	*tld = letters && ncp >= 2;
	if (j > i && (t->s[i] == '-' || t->s[j - 1] == '-'))
		return i;
	return j;
}

/* The domain after '@' at i: labels joined by dots, ending on a
 * top-level domain of letters. Returns its end, or 0. */
static size_t email_domain(const input *t, size_t i)
{
	size_t end = 0, p = i;
	int labels = 0, tld;
	while (labels < 16) {
		size_t q = domain_label(t, p, &tld);
		if (q == p)
			break;
		if (++labels >= 2 && tld)
			end = q;
		if (byte_at(t, q) != '.' || q + 1 >= t->n)
			break;
		p = q + 1;
	}
	return end;
}

/* An e-mail address whose local part starts at *start (moved past any
 * leading punctuation). Returns its end, or 0. */
static size_t match_email(const input *t, size_t *start)
{
	size_t i = *start, j = i, len, ncp = 0;
	if (cp_is_local(rd_cp_before(t, i)))
		return 0;
	while (j < t->n && ncp < 64) {
		unsigned cp = rd_cp_at(t, j, &len);
		if (!cp_is_local(cp))
			break;
		j += len, ncp++;
	}
	if (byte_at(t, j) != '@')
		return 0;
	while (i < j && !is_alnum(t->s[i]) && t->s[i] < 0x80)
		i++;
	if (i == j)
		return 0;
	size_t end = email_domain(t, j + 1);
	if (end)
		*start = i;
	return end;
}

/* ---- case codes ---------------------------------------------------- */

static int is_crockford(int c)
{
	return is_digit(c) || (c >= 'A' && c <= 'Z' && c != 'I' && c != 'L' &&
			       c != 'O' && c != 'U');
}

/* A dovira case code "7K3M-9Q2P" at i: returns its end, or 0. */
static size_t match_case_code(const input *t, size_t i)
{
	if (i + 9 > t->n || !rd_num_start_ok(t, i))
		return 0;
	for (size_t k = 0; k < 9; k++) {
		int c = t->s[i + k];
		if (k == 4 ? c != '-' : !is_crockford(c))
			return 0;
	}
	int c = byte_at(t, i + 9);
	if (is_alnum(c) || c == '_' || ((c == '-' || c == '.') && is_alnum(byte_at(t, i + 10))))
		return 0;
	return i + 9;
}

/* ---- IBAN ---------------------------------------------------------- */

/* Collect up to want IBAN characters from i into out, allowing one space
 * between any two of them. Returns the end of the last one taken. */
static size_t iban_collect(const input *t, size_t i, size_t want, char *out, size_t *got)
{
	size_t p = i, k = 0, end = i;
	while (k < want) {
		int c = byte_at(t, p);
		if (is_alnum(c)) {
			out[k++] = (char)c;
			end = ++p;
		} else if (c == ' ' && k > 0 && is_alnum(byte_at(t, p + 1))) {
			p++;
		} else {
			break;
		}
	}
	out[k] = '\0';
	*got = k;
	return end;
}

/* An IBAN at i ("UA21 3223 1300 ...", "ua21...", "DE89 3704 ..."):
 * its registered length of characters, the check holding. */
static size_t match_iban(const input *t, size_t i)
{
	char buf[40];
	size_t got;
	if (!is_alpha(t->s[i]) || !is_alpha(byte_at(t, i + 1)) || !rd_num_start_ok(t, i))
		return 0;
	size_t want = iban_length(t->s[i], t->s[i + 1]);
	if (want == 0)
		return 0;
	size_t end = iban_collect(t, i, want, buf, &got);
	if (got != want || !rd_num_end_ok(t, end) || !redact_iban_ok(buf))
		return 0;
	return end;
}

/* ---- passports and UNZR -------------------------------------------- */

/* The words that may stand between a passport's series and its number
 * ("АБ номер 123456", "АБ № 123456", "EK No. 123456"). */
static const char *const NUMBER_WORDS[] = {
	"\xE2\x84\x96", "#", "номер", "Номер", "No.", "No", "no.", "N", "nr.", "nr", "number", NULL,
};

/* Skip what may stand between a passport's series and number: a comma,
 * one space or dash, one of NUMBER_WORDS, a colon, another space. */
static size_t passport_gap(const input *t, size_t p)
{
	size_t k;
	if (byte_at(t, p) == ',')
		p++;
	if ((k = rd_space_at(t, p)) > 0 || (k = rd_dash_at(t, p)) > 0)
		p += k;
	for (int w = 0; NUMBER_WORDS[w]; w++) {
		size_t l = strlen(NUMBER_WORDS[w]);
		if (p + l <= t->n && memcmp(t->s + p, NUMBER_WORDS[w], l) == 0) {
			p += l;
			break;
		}
	}
	if (byte_at(t, p) == ':')
		p++;
	if ((k = rd_space_at(t, p)) > 0)
		p += k;
	return p;
}

/* The six digits of a passport number at p, as one block or as 3 + 3
 * ("765 432"). Returns their end, or 0. */
static size_t passport_digits(const input *t, size_t p)
{
	size_t k;
	if (rd_count_digits(t, p, 6) == 6)
		return p + 6;
	if (rd_count_digits(t, p, 3) != 3 || (k = rd_space_at(t, p + 3)) == 0 ||
	    rd_count_digits(t, p + 3 + k, 3) != 3)
		return 0;
	p += 3 + k + 3;
	if ((k = rd_space_at(t, p)) > 0 && digit_at(t, p + k))
		return 0; /* "987 654 321": a longer grouped number */
	return p;
}

/* Pairs of capitals that are common abbreviations, not passport series. */
static const char *const NOT_SERIES[] = {
	"ЄС", "РФ", "ЗП", "ЄБ", "EU", "UN", "US", "UK", NULL,
};

static int is_not_series(const input *t, size_t i, size_t len)
{
	for (int k = 0; NOT_SERIES[k]; k++)
		if (strlen(NOT_SERIES[k]) == len && memcmp(t->s + i, NOT_SERIES[k], len) == 0)
			return 1;
	return 0;
}

/* A small letter a series may be written with by mistake. */
static int series_lower(unsigned cp)
{
	return (cp >= 'a' && cp <= 'z') || (cp >= 0x430 && cp <= 0x44F) || cp == 0x454 || cp == 0x456 ||
	       cp == 0x457 || cp == 0x491;
}

/* Two-letter words that stand before numbers in notes ("по 150000", "до
 * 100000"): in small letters they are not a passport's series unless a
 * passport word is right before them. */
static const char *const LOWER_WORDS[] = {
	"на", "за", "до", "по", "об", "од", "та", "не", "ні", "чи", "як", "то", "же", "ще", "бо", "аж",
	"ми", "ви", "ти", "її", "їй", "це", "ці", "ті", "от", "из", "во", "ко", "со", "ли", "бы", "ни",
	"но", "да", "он", "уж", "их", "ее", "ей", "мы", "вы", "ты", "он", "ок", "at", "in", "on", "to",
	"of", "by", "or", "is", "as", "an", "no", "up", "us", "we", "he", "it", "my", "me", "so", "do",
	"go", "be", "if", "am", "pm", "ok", "id", "nr", "tel", NULL,
};

static int lower_not_series(const input *t, size_t a, size_t b)
{
	char w[8];
	if (b - a >= sizeof w)
		return 1;
	rd_lower_copy(t, a, b, w);
	for (int k = 0; LOWER_WORDS[k]; k++)
		if (strcmp(w, LOWER_WORDS[k]) == 0)
			return 1;
	return 0;
}

/* A passport at i: two capitals (Cyrillic: booklet; Latin: foreign or
 * biometric passport) and six digits, "АБ 123456", "FA123456". */
static size_t match_passport(const input *t, size_t i)
{
	size_t p = i, len = 0;
	unsigned prev = rd_cp_before(t, i);
	if (rd_cp_is_letter(prev) || (prev < 0x80 && is_digit((int)prev)))
		return 0;
	int lower = 0;
	for (int k = 0; k < 2; k++) {
		unsigned cp = p < t->n ? rd_cp_at(t, p, &len) : 0;
		if (!rd_cp_is_series_letter(cp) && !series_lower(cp))
			return 0;
		lower |= series_lower(cp);
		p += len;
	}
	if (is_not_series(t, i, p - i))
		return 0;
	/* the digits first: most two letters have none after them, and the
	 * look at the words around costs more */
	size_t e = passport_digits(t, passport_gap(t, p));
	if (e == 0 || !rd_num_end_ok(t, e))
		return 0;
	if (lower && lower_not_series(t, i, p) && !rd_passport_word_before(t, i))
		return 0;
	if (rd_money_around(t, i, e))
		return 0;
	return e;
}

static int two_digits(const input *t, size_t i)
{
	return (t->s[i] - '0') * 10 + (t->s[i + 1] - '0');
}

/* A UNZR (the register record number printed on the ID card):
 * YYYYMMDD-NNNNN, the date of birth then five digits. */
static size_t match_unzr(const input *t, size_t i)
{
	if (!rd_num_start_ok(t, i) || rd_count_digits(t, i, 8) != 8 || byte_at(t, i + 8) != '-' ||
	    rd_count_digits(t, i + 9, 5) != 5 || !rd_num_end_ok(t, i + 14))
		return 0;
	int century = two_digits(t, i), month = two_digits(t, i + 4), day = two_digits(t, i + 6);
	if ((century != 19 && century != 20) || month < 1 || month > 12 || day < 1 || day > 31)
		return 0;
	return i + 14;
}

/* ---- number runs --------------------------------------------------- */

#define RUN_MAXG 12
#define RUN_MAXD 40

typedef struct run {
	size_t start;            /* the '+', '(' or first digit */
	int plus;                /* starts with '+' */
	int paren;               /* starts with '(' */
	int ng;                  /* digit groups */
	size_t gs[RUN_MAXG];     /* group starts */
	size_t ge[RUN_MAXG];     /* group ends */
	int cum[RUN_MAXG];       /* digits up to the end of each group */
	char sep[RUN_MAXG + 1];  /* before group g: ' ', '-', '.', '(' (any bracket) */
	int closed;              /* first group after a ')', 0: none */
	char d[RUN_MAXD + 1];    /* the digits */
} run;

/* Parse the separator at p between two groups: at most two spaces, one
 * dash, dot or slash, one '(' and one ')'. Returns its length (0: none)
 * and its class in *cls. */
static size_t run_sep(const input *t, size_t p, char *cls)
{
	size_t i = p, k;
	int spaces = 0, punct = 0, open = 0, close = 0;
	*cls = ' ';
	for (;;) {
		int c = byte_at(t, i);
		if ((k = rd_space_at(t, i)) > 0 && spaces < 2)
			spaces++;
		else if ((k = rd_dash_at(t, i)) > 0 && !punct)
			punct = 1, *cls = *cls == '(' ? '(' : '-';
		else if ((c == '.' || c == '/') && !punct)
			k = 1, punct = 1, *cls = *cls == '(' ? '(' : (char)c;
		else if ((c == '(' && !open) || (c == ')' && !close))
			k = 1, open |= c == '(', close |= c == ')', *cls = '(';
		else
			break;
		i += k;
	}
	return i - p;
}

/* Read the digit groups of the run starting at i. Returns the number of
 * groups (0: no run here). */
static int run_parse(const input *t, size_t i, run *r)
{
	size_t p = i;
	memset(r, 0, sizeof *r);
	r->start = i;
	if (byte_at(t, p) == '(')
		r->paren = 1, p++;
	if (byte_at(t, p) == '+')
		r->plus = 1, p++; /* "+38", also "(+38)" */
	int nd = 0;
	while (r->ng < RUN_MAXG) {
		size_t k = rd_count_digits(t, p, RUN_MAXD);
		if (k == 0 || nd + (int)k > RUN_MAXD)
			break;
		memcpy(r->d + nd, t->s + p, k);
		nd += (int)k;
		r->gs[r->ng] = p, r->ge[r->ng] = p + k, r->cum[r->ng] = nd;
		r->ng++;
		size_t s = run_sep(t, p + k, &r->sep[r->ng]);
		if (s == 0 || !digit_at(t, p + k + s))
			break;
		if (!r->closed && memchr(t->s + p + k, ')', s))
			r->closed = r->ng;
		p += k + s;
	}
	return r->ng;
}

static int glen(const run *r, int g)
{
	return g == 0 ? r->cum[0] : r->cum[g] - r->cum[g - 1];
}

/* Known organisations' landlines (FACTS.md section 3), in national form:
 * the 1547 line from abroad, the Ministry of Social Policy, IOM Kyiv,
 * the Ternopil partner of 527. */
static const char *const ORG_NUMBERS[] = {
	"0442841915", "0442895557", "0445685015", "0352523952", NULL,
};

/* Is the national number d (10 digits from the trunk 0) an organisation's
 * number: toll-free 0 800 or a known hotline's landline? */
static int national_is_org(const char *d)
{
	if (strncmp(d, "0800", 4) == 0)
		return 1;
	for (size_t k = 0; ORG_NUMBERS[k]; k++)
		if (strncmp(d, ORG_NUMBERS[k], 10) == 0)
			return 1;
	return 0;
}

/* Total digit count (country code included) of numbers of the countries
 * where it is fixed, or 0 when unknown or variable. */
static int intl_length(const char *d)
{
	static const struct { const char *cc; int len; } T[] = {
		{"380", 12}, {"420", 12}, {"421", 12}, {"370", 11}, {"371", 11},
		{"373", 11}, {"374", 11}, {"375", 12}, {"351", 12}, {"995", 12},
		{"33", 11}, {"34", 11}, {"40", 11}, {"44", 12}, {"48", 11},
		{"90", 12}, {"1", 11}, {"7", 11},
	};
	for (size_t k = 0; k < sizeof T / sizeof T[0]; k++)
		if (strncmp(d, T[k].cc, strlen(T[k].cc)) == 0)
			return T[k].len;
	return 0;
}

/* An international number of L digits after '+' or "00". strict: the
 * country's own length when it is known. */
static int classify_intl(const char *d, int L, int strict)
{
	if (strncmp(d, "380", 3) == 0) {
		/* Ukraine: exactly 9 digits after 380, or the common slip
		 * "+380 (067) ..." that keeps the trunk 0 as well. */
		char nat[11] = "0";
		if (L == 13 && d[3] == '0')
			d++, L--;
		if (L != 12)
			return KIND_NONE;
		memcpy(nat + 1, d + 3, 9);
		return national_is_org(nat) ? KIND_KEEP : REDACT_PHONE;
	}
	if (L < 7 || L > 15 || d[0] == '0')
		return KIND_NONE;
	int want = intl_length(d);
	if (strict && want && L != want)
		return KIND_NONE;
	return REDACT_PHONE;
}

static const char *const MOBILE_CODES = "39 50 63 66 67 68 73 89 91 92 93 94 95 96 97 98 99";

/* Does the prefix of k groups have exactly the group sizes given and, if
 * sep is not 0, only that separator? */
static int groups_are(const run *r, int k, const int *sizes, int n, char sep)
{
	if (k != n)
		return 0;
	for (int g = 0; g < n; g++)
		if (glen(r, g) != sizes[g] || (g > 0 && sep && r->sep[g] != sep))
			return 0;
	return 1;
}

/* A card's grouping: one block, or four digits then blocks of 4 to 6
 * and a last block of 1 to 6, all joined by the same space or dash. */
static int card_groups_ok(const run *r, int k)
{
	if (k == 1)
		return 1;
	if (glen(r, 0) != 4 || (r->sep[1] != ' ' && r->sep[1] != '-'))
		return 0;
	for (int g = 1; g < k; g++) {
		int n = glen(r, g);
		if (r->sep[g] != r->sep[1] || n > 6 || (g < k - 1 && n < 4))
			return 0;
	}
	return 1;
}

/* A national number from the trunk 0: a telephone, unless it is an
 * organisation's, or it is written as one block, validates as an RNOKPP
 * and a tax word stands next to it. */
static int classify_trunk(const input *t, const run *r, int k)
{
	char d[11];
	memcpy(d, r->d, 10);
	d[10] = '\0';
	if (national_is_org(d))
		return KIND_KEEP;
	if (k == 1 && redact_rnokpp_ok(d) && tax_context(t, r->gs[0], r->ge[0]))
		return REDACT_TAXID;
	if (k == 1 && rd_tax_word_before(t, r->gs[0]))
		return REDACT_TAXID; /* "ІПН 0123456789": its word decides */
	return REDACT_PHONE;
}

/* The old long-distance form "8 067 123 45 67" (11 digits from 80). */
static int classify_eight(const run *r)
{
	char d[11];
	memcpy(d, r->d + 1, 10);
	d[10] = '\0';
	return national_is_org(d) ? KIND_KEEP : REDACT_PHONE;
}

/* Nine digits: a mobile number without its trunk 0 written "67 123 45 67",
 * else an ID card number when it is one block or an ID word is near. */
static int classify_nine(const input *t, const run *r, int k)
{
	static const int mobile[4] = { 2, 3, 2, 2 };
	char cc[3] = { r->d[0], r->d[1], '\0' };
	if (groups_are(r, k, mobile, 4, 0) && strstr(MOBILE_CODES, cc))
		return REDACT_PHONE;
	if (k == 1 || id_context(t, r->gs[0], r->ge[k - 1]))
		return REDACT_ID;
	return KIND_NONE;
}

/* Ten digits not from the trunk 0: an RNOKPP if the check digit holds and
 * it is one block or a tax word is near. */
static int classify_ten(const input *t, const run *r, int k)
{
	char d[11];
	memcpy(d, r->d, 10);
	d[10] = '\0';
	if (!redact_rnokpp_ok(d))
		return k == 1 && rd_tax_word_before(t, r->gs[0]) ? REDACT_TAXID : KIND_NONE;
	return k == 1 || tax_context(t, r->gs[0], r->ge[k - 1]) ? REDACT_TAXID : KIND_NONE;
}

/* Six digits as one block right after a passport word ("паспорт № 123456",
 * "номер паспорта 123456"): a booklet number written without its series. */
static int classify_six(const input *t, const run *r, int k)
{
	char w[32];
	size_t start = r->gs[0], a = start > 28 ? start - 28 : 0;
	if (k != 1)
		return KIND_NONE;
	rd_lower_copy(t, a, start, w);
	return rd_last_stem(w, PASSPORT_WORDS) >= 0 ? REDACT_PASSPORT : KIND_NONE;
}

static int classify_card(const run *r, int k, int L)
{
	char d[RUN_MAXD + 1];
	if (r->d[0] == '0' || !card_groups_ok(r, k))
		return KIND_NONE;
	memcpy(d, r->d, (size_t)L);
	d[L] = '\0';
	return redact_luhn_ok(d) ? REDACT_CARD : KIND_NONE;
}

/* What the first k groups of the run are (KIND_NONE: nothing). */
static int classify(const input *t, const run *r, int k, int strict)
{
	static const int local[3] = { 3, 2, 2 };
	const char *d = r->d;
	int L = r->cum[k - 1];
	if (r->plus)
		return classify_intl(d, L, strict);
	if (L == 10 && d[0] == '0' && d[1] != '0')
		return classify_trunk(t, r, k);
	if (L == 12 && strncmp(d, "380", 3) == 0)
		return classify_intl(d, L, strict);
	if (L == 11 && d[0] == '8' && d[1] == '0' && d[2] != '0')
		return classify_eight(r);
	if (L >= 10 && d[0] == '0' && d[1] == '0' && d[2] != '0')
		return classify_intl(d + 2, L - 2, strict);
	if (L == 10)
		return classify_ten(t, r, k);
	if (L == 9)
		return classify_nine(t, r, k);
	if (L >= 13 && L <= 19)
		return classify_card(r, k, L);
	if (groups_are(r, k, local, 3, '-'))
		return REDACT_PHONE;
	if (L == 6)
		return classify_six(t, r, k);
	if ((L == 7 || L == 8) && k == 1 && rd_passport_word_before(t, r->gs[0]))
		return REDACT_PASSPORT; /* foreign passports of 7 or 8 digits */
	return KIND_NONE;
}

/* Where the finding of the first k groups starts: at the '+', at an
 * opening bracket that the number closes ("(067) 123..."), else at the
 * first digit. */
static size_t run_hit_start(const run *r, int k)
{
	if (r->paren && !(r->closed > 0 && r->closed < k))
		return r->gs[0];
	return r->start;
}

/* A number run at *start: the longest prefix of whole groups that is some
 * kind, preferring, for international numbers, the country's own length.
 * Returns its end (and may move *start), or 0. */
static size_t match_run(const input *t, size_t *start, int *kind)
{
	run r;
	if (!rd_num_start_ok(t, *start) || run_parse(t, *start, &r) == 0)
		return 0;
	for (int strict = 1; strict >= 0; strict--) {
		for (int k = r.ng; k >= 1; k--) {
			size_t s = run_hit_start(&r, k), e = r.ge[k - 1];
			if (!rd_num_end_ok(t, e))
				continue;
			int kd = classify(t, &r, k, strict);
			if (kd == KIND_NONE || (kd != KIND_KEEP && rd_money_around(t, s, e)))
				continue;
			*start = s;
			*kind = kd;
			return e;
		}
	}
	return 0;
}

/* ---- the scan ------------------------------------------------------ */

/* Try every matcher at *start, in order. Returns the end of what matched
 * (setting *kind and perhaps moving *start), or 0. */
static size_t match_at(const input *t, size_t *start, int *kind)
{
	size_t i = *start, e;
	int c = t->s[i];
	if ((e = match_email(t, start)) > 0)
		return *kind = REDACT_EMAIL, e;
	if (is_alnum(c) && (e = rd_match_link(t, i, kind)) > 0)
		return e;
	if ((c == '@' || is_alnum(c)) && (e = rd_match_handle(t, i)) > 0)
		return *kind = REDACT_HANDLE, e;
	if (is_alnum(c) && (e = match_case_code(t, i)) > 0)
		return *kind = KIND_KEEP, e;
	if (is_alpha(c) && (e = match_iban(t, i)) > 0)
		return *kind = REDACT_IBAN, e;
	if ((is_alpha(c) || c >= 0xC0) && (e = rd_match_plate(t, i)) > 0)
		return *kind = REDACT_PLATE, e;
	if ((is_alpha(c) || c >= 0xC0) && (e = match_passport(t, i)) > 0)
		return *kind = REDACT_PASSPORT, e;
	if ((is_alpha(c) || c >= 0xC0) && (e = rd_match_address(t, i)) > 0)
		return *kind = REDACT_ADDRESS, e;
	if ((is_alpha(c) || c >= 0xC0) && (e = rd_match_name(t, start)) > 0)
		return *kind = REDACT_NAME, e;
	if (is_digit(c) && (e = rd_match_dob(t, i)) > 0)
		return *kind = REDACT_DOB, e;
	if (is_digit(c) && (e = match_unzr(t, i)) > 0)
		return *kind = REDACT_ID, e;
	if (is_digit(c) || c == '+' || c == '(')
		return match_run(t, start, kind);
	return 0;
}

typedef struct hit_list {
	redact_hit *v;
	size_t n, cap;
} hit_list;

static void hit_push(hit_list *l, int kind, size_t start, size_t end)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->v = xrealloc(l->v, l->cap * sizeof *l->v);
	}
	l->v[l->n++] = (redact_hit){ (redact_kind)kind, start, end };
}

size_t redact_find_n(const char *s, size_t len, redact_hit **hits)
{
	input t = { (const unsigned char *)s, len };
	hit_list l = { NULL, 0, 0 };
	size_t i = 0;
	while (i < len) {
		size_t start = i;
		int kind = KIND_NONE;
		size_t e = match_at(&t, &start, &kind);
		if (e > start) {
			if (kind < REDACT_NKINDS)
				hit_push(&l, kind, start, e);
			i = e;
		} else {
			i++;
		}
	}
	*hits = l.v;
	return l.n;
}

size_t redact_find(const char *text, redact_hit **hits)
{
	return redact_find_n(text, strlen(text), hits);
}

char *redact_apply(const char *text, redact_hit **hits, size_t *nhits)
{
	redact_hit *h;
	size_t n = redact_find(text, &h), at = 0;
	dv_buf b = { 0 };
	for (size_t k = 0; k < n; k++) {
		dv_buf_add(&b, text + at, h[k].start - at);
		dv_buf_adds(&b, redact_tag(h[k].kind));
		at = h[k].end;
	}
	dv_buf_adds(&b, text + at);
	if (hits)
		*hits = h;
	else
		free(h);
	if (nhits)
		*nhits = n;
	return dv_buf_take(&b);
}
