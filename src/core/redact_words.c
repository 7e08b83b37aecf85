/* redact_words.c: the redactor's matchers for personal data written in
 * words rather than in digits alone: web links and messenger handles,
 * dates of birth, street addresses, car plates and personal names; and
 * the list of capitalised words that might still be names, for the
 * operator to decide on.
 *
 * Decisions where FACTS.md is silent (also in redact.h):
 *  - Links: a messenger or social network address with a path
 *    (t.me/..., instagram.com/..., wa.me/..., tiktok.com/@..., viber://)
 *    is a [HANDLE]; any other address with a path is a [URL] (a path can
 *    name a profile, an advert or a file that leads to the caller),
 *    except on public bodies' sites (.gov.ua, .gov, IOM, La Strada ...).
 *    A bare site ("olx.ua", "https://work.ua/") survives.
 *  - Handles: "@" and 2 to 32 letters, digits, '_' or '.', with a
 *    letter; or a token with a digit, '_' or '.' right after a messenger
 *    word ("телеграм ivan_k85", "нік: anna.k").
 *  - Dates of birth: a date (12.03.1990, 12/03/90, 1990-03-12, 12 березня
 *    1990) or a year alone right after "народження", "народився", "д.н.",
 *    "н.", "born", "DOB", "рождения" ... (with at most one short word
 *    between), or right before "р.н.", "г.р.", "року народження".
 *    Only the date becomes [DOB]; other dates survive.
 *  - Addresses: a street word (вул., просп., пров., бульв., пл., ул.,
 *    пер., ul. ...) with up to four words of the street's name and a
 *    house number, then any "буд.", "кв.", "корп." with numbers; or
 *    "буд."/"кв."/"будинок"/"квартира" with a number on its own (not "1
 *    кв. 2025", a quarter). A street without a number survives.
 *  - Plates: two letters, four digits, two letters, with the letters that
 *    Ukrainian plates use (А В С Е Н І К М О Р Т Х, Cyrillic or Latin
 *    capitals), one space or dash or nothing between the groups.
 *  - Names: a capitalised given name of data/names.txt (Ukrainian and
 *    Russian names in every case, and Latin spellings), with the
 *    capitalised words next to it (surname, patronymic); a capitalised
 *    word after "звати", "звуть", "ім'я", "прізвище", "name" ...; a
 *    capitalised word with a surname's or patronymic's ending (-енко,
 *    -чук, -юк, -ович, -івна ...); a capitalised word after "пан", "пані",
 *    "Mr" ...; a common surname of data/surnames.txt (Мельник, Коваль,
 *    also ordinary words) capitalised inside a sentence or before a given
 *    name. A name inside «» is an organisation's
 *    («Надія») and survives; names that are also places (Софія,
 *    Володимир) survive after "до", "в", "у", "з", "м.".
 */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "dovira/util.h"
#include "redact_int.h"

/* ---- characters and words ------------------------------------------ */

static int cp_is_upper(unsigned cp)
{
	return (cp >= 'A' && cp <= 'Z') || (cp >= 0x400 && cp <= 0x42F) || cp == 0x490;
}

static int cp_is_apos(unsigned cp)
{
	return cp == '\'' || cp == 0x2019 || cp == 0x2BC;
}

static int cp_is_word(unsigned cp)
{
	return rd_cp_is_letter(cp) || (cp < 0x80 && is_digit((int)cp)) || cp == '_';
}

/* Does a word start at i (a letter with no letter, digit or apostrophe
 * before it)? */
static int word_start(const input *t, size_t i)
{
	size_t len;
	if (i >= t->n || !rd_cp_is_letter(rd_cp_at(t, i, &len)))
		return 0;
	unsigned p = rd_cp_before(t, i);
	return !cp_is_word(p) && !cp_is_apos(p);
}

enum { SHAPE_OTHER, SHAPE_CAPITAL, SHAPE_UPPER };

/* The word at i: letters, with apostrophes and single hyphens between
 * letters ("Мар'яна", "Анна-Марія"). Returns its end (i: none); *shape
 * says whether it is capitalised (one capital, then small letters) or all
 * capitals. */
static size_t word_end(const input *t, size_t i, int *shape)
{
	size_t p = i, len;
	int letters = 0, upper = 0, lower = 0, first_upper = 0;
	while (p < t->n && letters < 40) {
		unsigned cp = rd_cp_at(t, p, &len);
		if (rd_cp_is_letter(cp)) {
			if (letters == 0)
				first_upper = cp_is_upper(cp);
			else if (cp_is_upper(cp))
				upper++;
			else
				lower++;
			letters++;
			p += len;
			continue;
		}
		size_t l2;
		if ((cp_is_apos(cp) || cp == '-') && letters > 0 && p + len < t->n &&
		    rd_cp_is_letter(rd_cp_at(t, p + len, &l2))) {
			p += len;
			continue;
		}
		break;
	}
	*shape = SHAPE_OTHER;
	if (letters >= 2 && first_upper && upper == 0)
		*shape = SHAPE_CAPITAL;
	else if (letters >= 2 && first_upper && lower == 0)
		*shape = SHAPE_UPPER;
	return p;
}

/* Bytes [a, b) with every apostrophe written as ', lower-cased if lower,
 * into out (cap bytes). Returns 0 if it does not fit. */
static int norm_copy(const input *t, size_t a, size_t b, int lower, char *out, size_t cap)
{
	size_t k = 0, len;
	if (b - a + 1 > cap)
		return 0;
	char *low = xmalloc(b - a + 1);
	rd_lower_copy(t, a, b, low);
	const char *src = lower ? low : (const char *)t->s + a;
	for (size_t i = a; i < b; i += len) {
		unsigned cp = rd_cp_at(t, i, &len);
		if (cp_is_apos(cp))
			out[k++] = '\'';
		else
			memcpy(out + k, src + (i - a), len), k += len;
	}
	out[k] = '\0';
	free(low);
	return 1;
}

/* Is w one of the list's words? (At the end of the file, where every
 * list is known.) */
static int in_list(const char *w, const char *const *list);

static int starts_with_any(const char *w, const char *const *list)
{
	for (size_t k = 0; list[k]; k++)
		if (strncmp(w, list[k], strlen(list[k])) == 0)
			return 1;
	return 0;
}

static size_t skip_spaces(const input *t, size_t p, int max)
{
	size_t k;
	for (int n = 0; n < max && (k = rd_space_at(t, p)) > 0; n++)
		p += k;
	return p;
}

/* The start of the line that holds i, but no more than max bytes back. */
static size_t line_start(const input *t, size_t i, size_t max)
{
	size_t a = i > max ? i - max : 0;
	for (size_t j = i; j > a; j--)
		if (t->s[j - 1] == '\n')
			return j;
	while (a < i && (t->s[a] & 0xC0) == 0x80)
		a++; /* not in the middle of a character */
	return a;
}

/* Does the lower-cased text w end with one of words (at a word start),
 * once trailing separators (spaces, ':', '-', dashes, '№', '#') are cut? */
static int ends_with_word(char *w, const char *const *words)
{
	size_t n = strlen(w);
	for (;;) {
		if (n && strchr(" :-#(\t", w[n - 1]))
			n--;
		else if (n >= 3 && (memcmp(w + n - 3, "\xE2\x84\x96", 3) == 0 || memcmp(w + n - 3, "\xE2\x80\x94", 3) == 0 ||
				    memcmp(w + n - 3, "\xE2\x80\x93", 3) == 0))
			n -= 3;
		else if (n >= 2 && memcmp(w + n - 2, "\xC2\xA0", 2) == 0)
			n -= 2;
		else
			break;
	}
	w[n] = '\0';
	for (size_t k = 0; words[k]; k++) {
		size_t l = strlen(words[k]);
		if (l > n || strcmp(w + n - l, words[k]) != 0)
			continue;
		unsigned char b = n > l ? (unsigned char)w[n - l - 1] : ' ';
		if (!(is_alnum(b) || b >= 0x80))
			return 1;
	}
	return 0;
}

/* Does a word of words end the text of the line before start, only
 * separators between? */
static int word_before(const input *t, size_t start, const char *const *words)
{
	char w[64];
	size_t a = line_start(t, start, 48);
	rd_lower_copy(t, a, start, w);
	return ends_with_word(w, words);
}

/* The same with one word between ("телеграм вербувальника: ..."). */
static int word_before_one(const input *t, size_t start, const char *const *words)
{
	char w[96];
	size_t a = line_start(t, start, 80);
	rd_lower_copy(t, a, start, w);
	size_t n = strlen(w);
	while (n && strchr(" :-\t", w[n - 1]))
		n--;
	size_t m = n;
	while (m && (is_alpha((unsigned char)w[m - 1]) || (unsigned char)w[m - 1] >= 0x80 || w[m - 1] == '\''))
		m--;
	if (m == n || n - m > 40)
		return 0;
	w[m] = '\0';
	return ends_with_word(w, words);
}

/* ---- web links and handles ----------------------------------------- */

static const char *const SOCIAL_HOSTS[] = {
	"t.me", "telegram.me", "telegram.dog", "wa.me", "whatsapp.com", "instagram.com", "instagr.am",
	"facebook.com", "fb.com", "fb.me", "tiktok.com", "vk.com", "ok.ru", "x.com", "twitter.com",
	"linkedin.com", "youtube.com", "threads.net", "snapchat.com", "viber.com", "signal.me",
	"badoo.com", "tinder.com", "onlyfans.com", NULL,
};

/* Public bodies and the partners of FACTS.md: their pages survive. */
static const char *const PUBLIC_HOSTS[] = {
	".gov.ua", ".gov", ".gov.pl", ".gov.uk", ".europa.eu", "iom.int", "iom.org.ua",
	"la-strada.org.ua", "un.org", "unhcr.org", "ilo.org", "osce.org", NULL,
};

static int host_is(const char *host, const char *const *list)
{
	size_t n = strlen(host);
	for (size_t k = 0; list[k]; k++) {
		size_t l = strlen(list[k]);
		if (l > n || strcmp(host + n - l, list[k]) != 0)
			continue;
		if (l == n || host[n - l - 1] == '.' || list[k][0] == '.')
			return 1;
	}
	return 0;
}

/* A host at p: labels of ASCII letters, digits and '-' joined by dots,
 * the last of at least two letters. Returns its end (p: none) and copies
 * it lower-cased into host. */
static size_t parse_host(const input *t, size_t p, char *host, size_t cap)
{
	size_t q = p, last = p;
	int labels = 0, tld_letters = 1;
	while (q < t->n && q - p < cap - 1) {
		size_t s = q;
		tld_letters = 1;
		while (q < t->n && (is_alnum(t->s[q]) || t->s[q] == '-')) {
			if (!is_alpha(t->s[q]))
				tld_letters = 0;
			q++;
		}
		if (q == s)
			break;
		labels++;
		last = q;
		if (byte_at(t, q) != '.' || !is_alnum(byte_at(t, q + 1)))
			break;
		q++;
	}
	if (labels < 2 || !tld_letters || last - p >= cap || last - p < 4)
		return p;
	for (size_t k = 0; k < last - p; k++) {
		int c = t->s[p + k];
		host[k] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	host[last - p] = '\0';
	if (last >= 2 && t->s[last - 1] == '-')
		return p;
	return last;
}

/* The path after a host at p ('/', '?' or '#' and what follows up to a
 * space), without the punctuation that ends a sentence. Returns its end;
 * *personal is set when it holds more than "/". */
static size_t parse_path(const input *t, size_t p, int *personal)
{
	size_t q = p, len;
	*personal = 0;
	if (p >= t->n || (t->s[p] != '/' && t->s[p] != '?' && t->s[p] != '#'))
		return p;
	while (q < t->n && q - p < 300) {
		unsigned cp = rd_cp_at(t, q, &len);
		if (cp <= ' ' || cp == 0xA0 || cp == 0xAB || cp == 0xBB || cp == '"' || cp == '<' || cp == '>' ||
		    (cp >= 0x2000 && cp <= 0x200B))
			break;
		q += len;
	}
	while (q > p + 1 && strchr(".,;:!?)'", t->s[q - 1]))
		q--;
	for (size_t k = p + 1; k < q; k++)
		if (t->s[k] != '/')
			*personal = 1;
	return q;
}

static int ascii_prefix_ci(const input *t, size_t i, const char *w)
{
	size_t l = strlen(w);
	if (i + l > t->n)
		return 0;
	for (size_t k = 0; k < l; k++) {
		int c = t->s[i + k];
		if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != w[k])
			return 0;
	}
	return 1;
}

size_t rd_match_link(const input *t, size_t i, int *kind)
{
	static const char *const schemes[] = {"https://", "http://", "viber://", "tg://", "whatsapp://", NULL};
	char host[128];
	unsigned prev = rd_cp_before(t, i);
	if (!is_alnum(t->s[i]) || cp_is_word(prev) || prev == '.' || prev == '@' || prev == '/' || prev == '-')
		return 0;
	size_t p = i;
	int scheme = -1;
	for (int k = 0; schemes[k]; k++)
		if (ascii_prefix_ci(t, i, schemes[k])) {
			scheme = k, p = i + strlen(schemes[k]);
			break;
		}
	if (scheme >= 2) { /* viber://chat?number=..., tg://resolve?domain=... */
		int personal;
		size_t e = parse_path(t, p - 1, &personal);
		*kind = REDACT_HANDLE;
		return e > p ? e : 0;
	}
	size_t h = parse_host(t, p, host, sizeof host);
	if (h == p)
		return 0;
	const char *bare = strncmp(host, "www.", 4) == 0 ? host + 4 : host;
	int personal, social = host_is(bare, SOCIAL_HOSTS);
	size_t e = parse_path(t, h, &personal);
	if (scheme < 0 && !social && e == h)
		return 0; /* "word.word" without a scheme or a path: not a link */
	if (!personal)
		*kind = KIND_KEEP;
	else if (social)
		*kind = REDACT_HANDLE;
	else
		*kind = host_is(bare, PUBLIC_HOSTS) ? KIND_KEEP : REDACT_URL;
	return e;
}

static int handle_char(int c)
{
	return is_alnum(c) || c == '_' || c == '.';
}

/* A handle's characters from p: returns the end, without a final '.';
 * *letter says whether there is a letter, *mark a digit, '_' or '.'. */
static size_t handle_token(const input *t, size_t p, int *letter, int *mark)
{
	size_t q = p;
	*letter = *mark = 0;
	while (q < t->n && handle_char(t->s[q]) && q - p <= 32) {
		*letter |= is_alpha(t->s[q]);
		q++;
	}
	while (q > p && t->s[q - 1] == '.')
		q--;
	for (size_t k = p; k < q; k++)
		*mark |= !is_alpha(t->s[k]);
	return q;
}

static const char *const MESSENGER_WORDS[] = {
	"telegram", "телеграм", "телеграмі", "телеграму", "телеграмм", "тг", "tg", "instagram",
	"інстаграм", "інстаграмі", "інста", "инстаграм", "insta", "inst", "tiktok", "тікток", "тіктоку",
	"тикток", "нік", "нікнейм", "ник", "никнейм", "логін", "логин", "login", "username", "nickname",
	"акаунт", "акаунті", "аккаунт", "аккаунте", "account", "профіль", "профиль", "profile", "skype",
	"скайп", "signal", NULL,
};

size_t rd_match_handle(const input *t, size_t i)
{
	int letter, mark;
	if (t->s[i] == '@') {
		unsigned prev = rd_cp_before(t, i);
		if (cp_is_word(prev) || prev == '.' || prev == '-' || prev == '+' || !handle_char(byte_at(t, i + 1)))
			return 0;
		size_t e = handle_token(t, i + 1, &letter, &mark);
		if (e - (i + 1) < 2 || e - (i + 1) > 32 || !letter || is_alnum(byte_at(t, e)) ||
		    byte_at(t, e) == '_' || byte_at(t, e) == '@')
			return 0;
		return e;
	}
	if (!is_alnum(t->s[i]) || cp_is_word(rd_cp_before(t, i)) || rd_cp_before(t, i) == '.')
		return 0;
	size_t e = handle_token(t, i, &letter, &mark);
	size_t len;
	if (e - i < 3 || e - i > 32 || !letter || !mark || is_alnum(byte_at(t, e)) || byte_at(t, e) == '_' ||
	    byte_at(t, e) == '@' ||
	    (e < t->n && rd_cp_is_letter(rd_cp_at(t, e, &len))))
		return 0;
	return word_before(t, i, MESSENGER_WORDS) || word_before_one(t, i, MESSENGER_WORDS) ? e : 0;
}

/* ---- dates of birth ------------------------------------------------ */

static const char *const MONTHS[] = {
	"січня", "лютого", "березня", "квітня", "травня", "червня", "липня", "серпня", "вересня",
	"жовтня", "листопада", "грудня", "января", "февраля", "марта", "апреля", "мая", "июня",
	"июля", "августа", "сентября", "октября", "ноября", "декабря", "january", "february",
	"march", "april", "may", "june", "july", "august", "september", "october", "november",
	"december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
	"dec", NULL,
};

/* Words right before a date of birth (lower case; at a word start). */
static const char *const DOB_BEFORE[] = {
	"народження", "народженя", "народжений", "народжена", "народився", "народилася", "народилась",
	"рождения", "родился", "родилась", "рожд.", "нар.", "д.н.", "д. н.", "д.н", "д.р.", "д. р.",
	"н.", "р.н.", "г.р.", "born", "born on", "born in", "dob", "d.o.b.", "birth", "date of birth",
	"birthday", "день народження", "др", NULL,
};

/* Words right after a date of birth. */
static const char *const DOB_AFTER[] = {
	"р.н", "р. н", "р.н.", "г.р", "г. р", "року народж", "рік народж", "р. народж", "р.народж",
	"года рожд", "г. рожд", "г.рожд", "(д.н", "(н.", "(dob", NULL,
};

/* Small words that may stand between the word and the date: "народилася
 * у 1990", "born on 3 May". */
static const char *const DOB_GAP[] = {"у", "в", "on", "in", "is", "the", "року", "рік", NULL};

static int two(const input *t, size_t p)
{
	return (t->s[p] - '0') * 10 + (t->s[p + 1] - '0');
}

static int year_ok(const input *t, size_t p, size_t n)
{
	if (n == 2)
		return 1;
	int y = two(t, p) * 100 + two(t, p + 2);
	return n == 4 && y >= 1900 && y <= 2030;
}

/* A numeric date at p: d.m.y, d/m/y, d-m-y (the same separator twice;
 * a year of 2 or 4 digits) or y-m-d. Returns its end or 0. */
static size_t numeric_date(const input *t, size_t p)
{
	size_t a = rd_count_digits(t, p, 4);
	if (a == 4 && byte_at(t, p + 4) == '-' && rd_count_digits(t, p + 5, 2) == 2 && byte_at(t, p + 7) == '-' &&
	    rd_count_digits(t, p + 8, 2) == 2) {
		int m = two(t, p + 5), d = two(t, p + 8);
		return year_ok(t, p, 4) && m >= 1 && m <= 12 && d >= 1 && d <= 31 ? p + 10 : 0;
	}
	if (a < 1 || a > 2)
		return 0;
	int sep = byte_at(t, p + a);
	if (sep != '.' && sep != '/' && sep != '-')
		return 0;
	size_t b = rd_count_digits(t, p + a + 1, 2);
	if (b < 1 || b > 2 || byte_at(t, p + a + 1 + b) != sep)
		return 0;
	size_t y = p + a + 1 + b + 1, c = rd_count_digits(t, y, 4);
	int d = a == 2 ? two(t, p) : t->s[p] - '0';
	int m = b == 2 ? two(t, p + a + 1) : t->s[p + a + 1] - '0';
	if ((c != 2 && c != 4) || !year_ok(t, y, c) || d < 1 || d > 31 || m < 1 || m > 12)
		return 0;
	return y + c;
}

/* "12 березня 1990", "3 May 1990", "12 марта": a day, a month's name and
 * perhaps a year. Returns its end or 0. */
static size_t worded_date(const input *t, size_t p)
{
	size_t a = rd_count_digits(t, p, 2), len;
	int shape;
	char w[32];
	if (a < 1 || a > 2)
		return 0;
	size_t q = skip_spaces(t, p + a, 1);
	if (q == p + a || !rd_cp_is_letter(rd_cp_at(t, q, &len)))
		return 0;
	size_t e = word_end(t, q, &shape);
	if (e - q >= sizeof w || !norm_copy(t, q, e, 1, w, sizeof w) || !in_list(w, MONTHS))
		return 0;
	if (byte_at(t, e) == '.')
		e++;
	size_t y = skip_spaces(t, e, 1);
	if (y > e && rd_count_digits(t, y, 4) == 4 && year_ok(t, y, 4) && rd_num_end_ok(t, y + 4))
		return y + 4;
	return e;
}

/* After a DOB word at the end of w (cut there), may the date follow with
 * only a short word or punctuation between? Checks the text between. */
static int dob_gap_ok(const char *gap)
{
	int words = 0, others = 0;
	const char *p = gap;
	while (*p) {
		if (strchr(" :,.()\t-", *p) || (unsigned char)*p == 0xE2 || (unsigned char)*p == 0x80 ||
		    (unsigned char)*p == 0x93 || (unsigned char)*p == 0x94) {
			p++;
			continue;
		}
		const char *s = p;
		while (*p && !strchr(" :,.()\t", *p))
			p++;
		char w[40];
		size_t l = (size_t)(p - s);
		if (l >= sizeof w || ++words > 2)
			return 0;
		memcpy(w, s, l);
		w[l] = '\0';
		for (size_t k = 0; k < l; k++)
			if (is_digit((unsigned char)w[k]))
				return 0;
		if (!in_list(w, DOB_GAP))
			others++;
	}
	return others <= 1; /* "дата народження сина: 12.03.2001" */
}

/* Is a DOB word (lower-cased line before the date, in w) close enough? */
static int dob_before(const input *t, size_t start)
{
	char w[72];
	size_t a = line_start(t, start, 64);
	rd_lower_copy(t, a, start, w);
	for (size_t k = 0; DOB_BEFORE[k]; k++) {
		const char *stem = DOB_BEFORE[k], *hit = NULL;
		size_t l = strlen(stem);
		for (const char *p = strstr(w, stem); p; p = strstr(p + 1, stem))
			hit = p;
		if (!hit)
			continue;
		unsigned char b = hit > w ? (unsigned char)hit[-1] : ' ';
		unsigned char c = (unsigned char)hit[l];
		if (is_alnum(b) || (b >= 0x80 && hit - w >= 2 && (unsigned char)hit[-2] >= 0xD0))
			continue; /* inside a word */
		if (stem[l - 1] != '.' && (is_alnum(c) || c >= 0xD0))
			continue; /* "dob" in "dobre", "др" in "друг" */
		if (dob_gap_ok(hit + l))
			return 1;
	}
	return 0;
}

static int dob_after(const input *t, size_t end)
{
	char w[40];
	size_t p = skip_spaces(t, end, 2), b = p + 32 < t->n ? p + 32 : t->n;
	while (b > p && (t->s[b] & 0xC0) == 0x80)
		b--;
	rd_lower_copy(t, p, b, w);
	return starts_with_any(w, DOB_AFTER);
}

size_t rd_match_dob(const input *t, size_t i)
{
	if (!rd_num_start_ok(t, i))
		return 0;
	size_t e = numeric_date(t, i);
	if (e && !rd_num_end_ok(t, e))
		e = 0;
	if (!e)
		e = worded_date(t, i);
	if (!e && rd_count_digits(t, i, 4) == 4 && year_ok(t, i, 4) && rd_num_end_ok(t, i + 4))
		e = i + 4; /* a year alone: only with the words right next to it */
	if (!e)
		return 0;
	return dob_before(t, i) || dob_after(t, e) ? e : 0;
}

/* ---- addresses ------------------------------------------------------ */

static const char *const STREET_WORDS[] = {
	"вул.", "вул", "вулиця", "вулиці", "вулицю", "вулицею", "просп.", "проспект", "проспекті",
	"проспекту", "пр-т", "пр-т.", "пр.", "пров.", "провулок", "провулку", "бульв.", "бульвар",
	"бульварі", "б-р", "пл.", "площа", "площі", "узвіз", "узвозі", "шосе", "наб.", "набережна",
	"набережній", "ул.", "улица", "улице", "пер.", "переулок", "переулке", "ul.", "str.", NULL,
};

/* Words for a house, a flat, a block: after a street, or alone with a
 * number ("кв. 5"). */
static const char *const HOUSE_WORDS[] = {
	"буд.", "буд", "будинок", "будинку", "б.", "д.", "дом", "кв.", "кв", "квартира", "квартирі",
	"квартиру", "корп.", "корп", "корпус", "під'їзд", "apt.", "№", NULL,
};
static const char *const HOUSE_ALONE[] = {
	"буд.", "буд", "будинок", "будинку", "кв.", "кв", "квартира", "квартирі", "квартиру", "дом",
	"apt.", NULL,
};

/* The word at p, with its full stop if it has one, lower-cased into w.
 * Returns its end (p: none). */
static size_t keyword_at(const input *t, size_t p, char *w, size_t cap)
{
	int shape;
	size_t e = word_end(t, p, &shape);
	if (e == p && byte_at(t, p) == 0xE2 && byte_at(t, p + 1) == 0x84 && byte_at(t, p + 2) == 0x96)
		e = p + 3; /* № */
	if (e == p)
		return p;
	if (byte_at(t, e) == '.')
		e++;
	else if (byte_at(t, e) == '-' && byte_at(t, e + 1) != ' ' && e + 1 < t->n) { /* "пр-т" */
		size_t e2 = word_end(t, e + 1, &shape);
		if (e2 > e + 1 && e2 - e <= 3)
			e = e2;
	}
	if (!norm_copy(t, p, e, 1, w, cap))
		return p;
	return e;
}

/* A house number at p: 1 to 4 digits, perhaps a letter ("12а", "12-Б")
 * and "/3". Returns its end or 0. */
static size_t house_number(const input *t, size_t p)
{
	size_t n = rd_count_digits(t, p, 4), len, len2;
	if (n < 1 || n > 4 || !rd_num_start_ok(t, p))
		return 0;
	size_t e = p + n, q = e + (byte_at(t, e) == '-' ? 1 : 0);
	if (q < t->n && rd_cp_is_letter(rd_cp_at(t, q, &len)) &&
	    (q + len >= t->n || !rd_cp_is_letter(rd_cp_at(t, q + len, &len2))))
		e = q + len;
	if (byte_at(t, e) == '/' && rd_count_digits(t, e + 1, 3) >= 1 && rd_count_digits(t, e + 1, 3) <= 3)
		e += 1 + rd_count_digits(t, e + 1, 3);
	if (e < t->n && (is_alnum(t->s[e]) || rd_cp_is_letter(rd_cp_at(t, e, &len))))
		return 0;
	if (digit_at(t, e + 1) && (t->s[e] == '.' || t->s[e] == ':'))
		return 0; /* a date or a time */
	return e;
}

/* "буд. 12", "кв. 5", "№ 3": a house word and a number at p. */
static size_t house_part(const input *t, size_t p, const char *const *words)
{
	char w[32];
	size_t e = keyword_at(t, p, w, sizeof w);
	if (e == p || !in_list(w, words))
		return 0;
	return house_number(t, skip_spaces(t, e, 2));
}

/* The street's name from p: up to four capitalised words, or a number
 * before one ("8 Березня"), or "ім."; then an optional comma. Returns
 * where the house number may start (p: no name). */
static size_t street_name(const input *t, size_t p)
{
	size_t q = p, len;
	int shape, words = 0;
	while (words < 4) {
		size_t s = q, d = rd_count_digits(t, q, 3);
		if (d >= 1 && d <= 3 && rd_space_at(t, q + d)) {
			size_t w = skip_spaces(t, q + d, 1);
			if (word_end(t, w, &shape) > w && shape == SHAPE_CAPITAL)
				s = w;
			else
				break;
		}
		size_t e = word_end(t, s, &shape);
		if (e == s || (shape != SHAPE_CAPITAL && !(e - s == 4 && memcmp(t->s + s, "ім", 4) == 0)))
			break;
		if (byte_at(t, e) == '.')
			e++;
		q = e, words++;
		size_t n = skip_spaces(t, q, 1);
		if (n == q || !rd_cp_is_letter(rd_cp_at(t, n, &len)) || !cp_is_upper(rd_cp_at(t, n, &len))) {
			if (n == q || !digit_at(t, n) || rd_count_digits(t, n, 4) > 3)
				break;
			size_t w = skip_spaces(t, n + rd_count_digits(t, n, 3), 1);
			if (word_end(t, w, &shape) == w || shape != SHAPE_CAPITAL)
				break;
		}
		q = n;
	}
	if (words == 0)
		return p;
	while (q > p && (rd_space_at(t, q - 1)))
		q--;
	if (byte_at(t, q) == ',')
		q++;
	return skip_spaces(t, q, 2);
}

/* After an address part ending at e: more parts (", кв. 5", " корп. 2"). */
static size_t house_parts(const input *t, size_t e)
{
	for (int n = 0; n < 4; n++) {
		size_t p = e;
		if (byte_at(t, p) == ',')
			p++;
		p = skip_spaces(t, p, 2);
		size_t x = house_part(t, p, HOUSE_WORDS);
		if (!x)
			break;
		e = x;
	}
	return e;
}

size_t rd_match_address(const input *t, size_t i)
{
	char w[40];
	size_t e;
	if (!word_start(t, i) && !(t->s[i] == 0xE2 && rd_cp_before(t, i) == ' '))
		return 0;
	size_t k = keyword_at(t, i, w, sizeof w);
	if (k == i)
		return 0;
	if (in_list(w, STREET_WORDS)) {
		size_t p = street_name(t, skip_spaces(t, k, 2));
		if (p == skip_spaces(t, k, 2))
			return 0;
		size_t x = house_part(t, p, HOUSE_WORDS);
		e = x ? x : house_number(t, p);
		return e ? house_parts(t, e) : 0;
	}
	if (!in_list(w, HOUSE_ALONE))
		return 0;
	size_t p = skip_spaces(t, k, 2);
	e = house_number(t, p);
	if (!e || (e - p == 4 && year_ok(t, p, 4)))
		return 0; /* "кв. 2025": a quarter of a year */
	unsigned prev = rd_cp_before(t, i > 0 && t->s[i - 1] == ' ' ? i - 1 : i);
	if (prev < 0x80 && is_digit((int)prev))
		return 0; /* "1 кв.": the first quarter */
	return house_parts(t, e);
}

/* ---- car plates ---------------------------------------------------- */

static int plate_letter(unsigned cp)
{
	static const char latin[] = "ABCEHIKMOPTX";
	static const unsigned cyr[] = {0x410, 0x412, 0x421, 0x415, 0x41D, 0x406, 0x41A, 0x41C, 0x41E, 0x420, 0x422, 0x425};
	if (cp < 0x80)
		return cp && strchr(latin, (int)cp) != NULL;
	for (size_t k = 0; k < sizeof cyr / sizeof *cyr; k++)
		if (cp == cyr[k])
			return 1;
	return 0;
}

/* Two plate letters at p: returns their end or 0. */
static size_t plate_pair(const input *t, size_t p)
{
	size_t l1, l2;
	if (p >= t->n || !plate_letter(rd_cp_at(t, p, &l1)) || p + l1 >= t->n ||
	    !plate_letter(rd_cp_at(t, p + l1, &l2)))
		return 0;
	return p + l1 + l2;
}

static size_t plate_sep(const input *t, size_t p)
{
	size_t k = rd_space_at(t, p);
	if (k)
		return p + k;
	return byte_at(t, p) == '-' ? p + 1 : p;
}

size_t rd_match_plate(const input *t, size_t i)
{
	unsigned prev = rd_cp_before(t, i);
	size_t len;
	if (rd_cp_is_letter(prev) || (prev < 0x80 && is_digit((int)prev)))
		return 0;
	size_t p = plate_pair(t, i);
	if (!p)
		return 0;
	p = plate_sep(t, p);
	if (rd_count_digits(t, p, 4) != 4)
		return 0;
	p = plate_sep(t, p + 4);
	size_t e = plate_pair(t, p);
	if (!e || (e < t->n && (rd_cp_is_letter(rd_cp_at(t, e, &len)) || is_digit(t->s[e]))))
		return 0;
	return e;
}

/* ---- tax and passport words ---------------------------------------- */

static const char *const TAX_WORDS_NEAR[] = {
	"іпн", "рнокпп", "рнокп", "інн", "инн", "ідентифікаційний код", "ідентифікаційний номер",
	"ідент. код", "ід. код", "ід.код", "податковий номер", "податковий код", "код іпн",
	"ідентифікаційного коду", "ідентификационный код", "tax id", "tax number", "taxpayer number",
	"ipn", "rnokpp", "itin", "tin", NULL,
};

static const char *const PASSPORT_WORDS_NEAR[] = {
	"паспорт", "паспорта", "паспорті", "паспорту", "паспорт no.", "паспорт номер", "номер паспорта",
	"номер паспорту", "паспорта номер", "серія", "серії", "серия", "серии", "passport", "passport no.",
	"passport no", "passport number", "passport nr", NULL,
};

int rd_tax_word_before(const input *t, size_t start)
{
	return word_before(t, start, TAX_WORDS_NEAR);
}

int rd_passport_word_before(const input *t, size_t start)
{
	return word_before(t, start, PASSPORT_WORDS_NEAR);
}

/* ---- names --------------------------------------------------------- */

static const char *const NAME_LIST[] = {
#include "src/core/redact_names.inc"
	NULL,
};

/* Common surnames, some of them ordinary words (data/surnames.txt). */
static const char *const SURNAME_LIST[] = {
#include "src/core/redact_surnames.inc"
	NULL,
};

/* Is the capitalised word [a, b) in the list? */
static int in_words(const input *t, size_t a, size_t b, const char *const *list)
{
	char w[96];
	return norm_copy(t, a, b, 0, w, sizeof w) && in_list(w, list);
}

/* Is the capitalised word [a, b) a given name of the list? */
static int is_given_name(const input *t, size_t a, size_t b)
{
	return in_words(t, a, b, NAME_LIST);
}

/* Is it one of the common surnames? */
static int is_common_surname(const input *t, size_t a, size_t b)
{
	return in_words(t, a, b, SURNAME_LIST);
}

/* Given names that are also places: not after "до", "в", "м." ... */
static const char *const PLACE_NAMES[] = {
	"Софія", "Софії", "Софію", "Софією", "Володимир", "Володимира", "Володимирі", "Володимиру",
	"Sofia", "Sofiya", NULL,
};
static const char *const PLACE_PREPOSITIONS[] = {
	"до", "в", "у", "з", "із", "зі", "під", "біля", "м.", "місто", "міста", "місті", "city", "to",
	"in", "from", "в м.", "у м.", NULL,
};

/* Words that start a name right after them. */
static const char *const NAME_WORDS[] = {
	"звати", "звуть", "зовут", "ім'я", "імя", "имя", "прізвище", "прізвищем", "прізвища",
	"фамилия", "фамилией", "фамилию", "по батькові", "отчество", "name", "named", "name is",
	"name:", "surname", "first name", "last name", "на ім'я", "на имя", "ім'ям", "именем",
	"called",
	/* honorifics: "пан Мельник", "пані Коваль", "Mr Nowak" */
	"пан", "пана", "панові", "пану", "паном", "пане", "пані", "панове", "господин", "господина",
	"господину", "госпожа", "госпожи", "госпоже", "госпожу", "mr", "mr.", "mrs", "mrs.", "ms.", NULL,
};

/* "name" after these words is not a person's ("company name: ..."). */
static const char *const NOT_PERSON_BEFORE[] = {
	"company", "agency", "firm", "domain", "user", "file", "brand", "ship", "vessel", "page",
	"channel", "group", "organisation", "organization", "business", "site", NULL,
};

/* A surname after these is a street's name ("на Шевченка"). */
static const char *const STREET_BEFORE[] = {
	"на", "вул.", "вул", "вулиця", "вулиці", "вулицю", "просп.", "проспект", "пров.", "провулок",
	"бульв.", "бульвар", "пл.", "площа", "ул.", "улица", "пер.", NULL,
};

/* Endings of surnames and patronymics (lower case). */
static const char *const NAME_ENDINGS[] = {
	"енко", "енка", "енку", "енком", "енкові", "чук", "чука", "чуку", "чуком", "чукові", "юк",
	"юка", "юку", "юком", "юкові", "щук", "щука", "щуку", "ович", "овича", "овичу", "овичем",
	"евич", "евича", "евичу", "евичем", "євич", "євича", "євичу", "євичем", "івна", "івни",
	"івні", "івну", "івною", "ївна", "ївни", "ївні", "ївну", "ївною", "овна", "овны", "овне",
	"овну", "овной", "евна", "евны", "евне", "евну", "евной",
	/* Latin spellings (Kovalenko, Shevchuk, Hnatiuk, Petrovych) */
	"enko", "chuk", "chyk", "iuk", "yuk", "ovych", "ovich", "evych", "ivna", "ovna", NULL,
};

/* Endings of surnames that also end common words written capitalised at
 * the start of a sentence (Батько, Дядько): a surname only inside one. */
static const char *const NAME_ENDINGS_INSIDE[] = {"ько", "йко", NULL};

/* Words for whose name the keyword asks, between it and the name:
 * "прізвище роботодавця Мороз", "ім'я вербувальниці — Алла". */
static const char *const WHOSE[] = {
	"роботодавця", "роботодавиці", "вербувальника", "вербувальниці", "бригадира", "бригадирки",
	"хазяїна", "хазяйки", "рекрутера", "рекрутерки", "менеджера", "менеджерки", "посередника",
	"водія", "його", "її", "їхнього", "брата", "сестри", "сина", "доньки", "дочки", "матері",
	"батька", "чоловіка", "дружини", "подруги", "друга", "постраждалої", "постраждалого",
	"дівчини", "хлопця", "дитини", "кума", "куми", "работодателя", "вербовщика", "вербовщицы",
	"его", "ее", "её", "сестры", "сына", "дочери", "мужа", "жены",
	"recruiter's", "employer's", "his", "her", "the", NULL,
};

/* Places and words with those endings, and capitalised words that are
 * not names (months, days, countries, cities of the region, bodies). */
static const char *const NOT_NAMES[] = {
	"Кременчук", "Кременчука", "Кременчуці", "Кременчуку", "Кременчуком", "Ужгород",
	/* months and days */
	"Січень", "Лютий", "Березень", "Квітень", "Травень", "Червень", "Липень", "Серпень",
	"Вересень", "Жовтень", "Листопад", "Грудень", "Понеділок", "Вівторок", "Середа", "Четвер",
	"П'ятниця", "Субота", "Неділя", "January", "February", "March", "April", "May", "June",
	"July", "August", "September", "October", "November", "December", "Monday", "Tuesday",
	"Wednesday", "Thursday", "Friday", "Saturday", "Sunday", NULL,
};

/* Stems of places and bodies: a capitalised word that starts with one
 * and has at most four more letters is not marked as a possible name. */
static const char *const PLACE_STEMS[] = {
	"Україн", "Запоріж", "Запорізьк", "Мелітопол", "Бердянськ", "Полог", "Василівк", "Енергодар",
	"Токмак", "Оріхів", "Гуляйпол", "Вільнянськ", "Приморськ", "Якимівк", "Молочанськ",
	"Дніпрорудн", "Степногірськ", "Кам'янк", "Київ", "Києв", "Харків", "Одес", "Дніпр", "Львів",
	"Херсон", "Миколаїв", "Донецьк", "Луганськ", "Крим", "Полтав", "Черкас", "Чернігів", "Суми",
	"Сумах", "Вінниц", "Житомир", "Рівн", "Луцьк", "Тернопол", "Івано-Франківськ", "Ужгород",
	"Чернівц", "Кропивницьк", "Маріупол", "Польщ", "Польськ", "Німеччин", "Чехі", "Чеськ",
	"Словаччин", "Угорщин", "Румуні", "Молдов", "Литв", "Латві", "Естоні", "Росі", "Російськ",
	"Білорус", "Італі", "Іспані", "Португалі", "Франці", "Британі", "Англі", "Ірланді",
	"Нідерланд", "Голланді", "Бельгі", "Швеці", "Норвегі", "Фінлянді", "Дані", "Австрі",
	"Швейцарі", "Греці", "Кіпр", "Болгарі", "Сербі", "Хорват", "Туреччин", "Ізраїл",
	"Єгипт", "Дубаї", "Дубай", "Емірат", "Катар", "Китай", "Япон", "Коре", "Америк", "Канад",
	"Європ", "Євросоюз", "Стамбул", "Анталі", "Варшав", "Краків", "Вроцлав", "Гданськ", "Познан",
	"Праг", "Праз", "Брно", "Берлін", "Мюнхен", "Гамбург", "Відн", "Відень", "Рим", "Мілан",
	"Неапол", "Мадрид", "Барселон", "Лісабон", "Париж", "Лондон", "Вільнюс", "Риг", "Ризі",
	"Таллін", "Москв", "Мінськ", "Тель-Авів", "Бухарест", "Будапешт", "Братислав", "Кишин",
	"Poland", "Germany", "Czech", "Slovak", "Hungary", "Romania", "Moldova", "Lithuania",
	"Latvia", "Estonia", "Russia", "Belarus", "Italy", "Spain", "Portugal", "France", "Britain",
	"England", "Ireland", "Netherlands", "Belgium", "Sweden", "Norway", "Finland", "Denmark",
	"Austria", "Switzerland", "Greece", "Cyprus", "Bulgaria", "Serbia", "Croatia", "Turkey",
	"Israel", "Egypt", "Dubai", "Emirates", "Qatar", "China", "Japan", "Korea", "America",
	"Canada", "Europe", "Ukrain", "Kyiv", "Kharkiv", "Odesa", "Dnipro", "Lviv", "Zaporizh",
	"Melitopol", "Berdiansk", "Warsaw", "Krakow", "Prague", "Berlin", "Vienna", "Rome", "Milan",
	"Madrid", "Lisbon", "Paris", "London", "Istanbul", "Vilnius", "Riga", "Tallinn",
	/* months in every case (Травні, Грудня), Ukrainian and Russian */
	"Січн", "Лют", "Берез", "Квітн", "Квіт", "Травн", "Червн", "Липн", "Серпн", "Верес", "Жовтн",
	"Листопад", "Грудн", "Январ", "Феврал", "Март", "Апрел", "Мая", "Июн", "Июл", "Август",
	"Сентябр", "Октябр", "Ноябр", "Декабр",
	/* bodies, services, messengers, companies */
	"Поліц", "Націонал", "Державн", "Міністерств", "Посольств", "Консульств", "Центр", "Служб",
	"Управлінн", "Прокуратур", "Суд", "Telegram", "Телеграм", "Viber", "Вайбер", "WhatsApp",
	"Instagram", "Інстаграм", "Facebook", "Фейсбук", "TikTok", "Тікток", "Google", "OLX",
	"Карітас", "Caritas", "Strada", "Страд", "Червон", "Хрест", "Red", "Cross", "Монобанк",
	"Приватбанк", "ПриватБанк", "Ощадбанк", "Укрзалізниц", "Укрпошт", "Mercedes",
	/* holidays */
	"Різдв", "Великдень", "Великод", "Незалежн", "Конституц", "Трійц", "Christmas", "Easter",
	"Polska", "Polsce", "Deutschland", "Česk", "Lietuv", "Warszaw", "Kraków", "Wrocław", "Gdańsk", NULL,
};

static int ends_with_any(const char *w, const char *const *list)
{
	size_t n = strlen(w);
	for (size_t k = 0; list[k]; k++) {
		size_t l = strlen(list[k]);
		if (l < n && strcmp(w + n - l, list[k]) == 0)
			return 1;
	}
	return 0;
}

/* Is the capitalised word w (apostrophes as ') a place, a month or a body? */
static int not_a_name(const char *w)
{
	if (in_list(w, NOT_NAMES))
		return 1;
	for (size_t k = 0; PLACE_STEMS[k]; k++) {
		size_t l = strlen(PLACE_STEMS[k]);
		if (strncmp(w, PLACE_STEMS[k], l) != 0)
			continue;
		size_t extra = 0;
		for (const char *p = w + l; *p; p++)
			extra += ((unsigned char)*p & 0xC0) != 0x80;
		if (extra <= 4)
			return 1;
	}
	return 0;
}

/* Is i inside «...» (an organisation's name) on its line? */
static int in_guillemets(const input *t, size_t i)
{
	size_t a = line_start(t, i, 120);
	int open = 0;
	for (size_t p = a; p + 1 < i + 1 && p + 1 < t->n; p++) {
		if (t->s[p] == 0xC2 && t->s[p + 1] == 0xAB)
			open = 1;
		else if (t->s[p] == 0xC2 && t->s[p + 1] == 0xBB)
			open = 0;
	}
	return open;
}

/* Is the word at i the first of a sentence? */
static int sentence_start(const input *t, size_t i)
{
	size_t p = i;
	while (p > 0 && (t->s[p - 1] == ' ' || t->s[p - 1] == '\t' || t->s[p - 1] == '"' ||
			 (p >= 2 && t->s[p - 2] == 0xC2 && (t->s[p - 1] == 0xAB || t->s[p - 1] == 0xA0))))
		p -= (p >= 2 && t->s[p - 2] == 0xC2 && t->s[p - 1] >= 0xA0) ? 2 : 1;
	if (p == 0 || t->s[p - 1] == '\n' || t->s[p - 1] == '!' || t->s[p - 1] == '?')
		return 1;
	if (t->s[p - 1] != '.')
		return 0;
	/* "Пані Н. Коваль": a full stop after one capital is an initial. */
	unsigned prev = rd_cp_before(t, p - 1);
	size_t q = p - 1;
	while (q > 0 && (t->s[q - 1] & 0xC0) == 0x80)
		q--;
	if (q > 0)
		q--;
	return !(cp_is_upper(prev) && !rd_cp_is_letter(rd_cp_before(t, q)));
}

/* The capitalised word at p that may continue a name (a surname, a
 * patronymic): returns its end, or p. */
static size_t name_continues(const input *t, size_t p)
{
	int shape;
	char w[96];
	size_t q = skip_spaces(t, p, 1);
	if (q == p || q >= t->n)
		return p;
	size_t e = word_end(t, q, &shape);
	if (e == q || shape != SHAPE_CAPITAL || !norm_copy(t, q, e, 0, w, sizeof w) || not_a_name(w))
		return p;
	return e;
}

/* A name starting at a: the word [a, e) and up to two capitalised words
 * after it. */
static size_t name_span(const input *t, size_t e)
{
	for (int k = 0; k < 2; k++) {
		size_t n = name_continues(t, e);
		if (n == e)
			break;
		e = n;
	}
	return e;
}

static int surname_shape(const input *t, size_t a, size_t e)
{
	char w[96], low[96];
	if (e - a < 8 || !norm_copy(t, a, e, 0, w, sizeof w) || !norm_copy(t, a, e, 1, low, sizeof low))
		return 0; /* at least four Cyrillic letters */
	if (not_a_name(w))
		return 0;
	return ends_with_any(low, NAME_ENDINGS) || (ends_with_any(low, NAME_ENDINGS_INSIDE) && !sentence_start(t, a));
}

/* A capitalised word after a name word ("звати Оксана"): *start moves to
 * it. Returns the end of the name, or 0. */
static size_t after_name_word(const input *t, size_t *start)
{
	char w[40];
	size_t i = *start, k = keyword_at(t, i, w, sizeof w);
	if (k == i || k > i + 30)
		return 0;
	if (!in_list(w, NAME_WORDS) && !(strcmp(w, "по") == 0))
		return 0;
	if (strcmp(w, "по") == 0) { /* "по батькові" */
		size_t q = skip_spaces(t, k, 1);
		size_t e2 = keyword_at(t, q, w, sizeof w);
		if (e2 == q || strcmp(w, "батькові") != 0)
			return 0;
		k = e2;
	}
	if (strcmp(w, "name") == 0 || strcmp(w, "name:") == 0) {
		if (word_before(t, i, NOT_PERSON_BEFORE))
			return 0;
		size_t q = skip_spaces(t, k, 1);
		if (ascii_prefix_ci(t, q, "is "))
			k = q + 2;
	}
	size_t q = skip_spaces(t, k, 1), e1 = keyword_at(t, q, w, sizeof w);
	if (q > k && e1 > q && in_list(w, WHOSE))
		k = e1; /* "прізвище роботодавця Мороз" */
	size_t p = k;
	while (p < t->n && p < k + 8 && (t->s[p] == ' ' || t->s[p] == ':' || t->s[p] == '-' || t->s[p] == '"' ||
					  (t->s[p] == 0xE2 && byte_at(t, p + 1) == 0x80) || t->s[p] == 0xC2)) {
		if (t->s[p] == 0xE2)
			p += 3;
		else if (t->s[p] == 0xC2)
			p += 2;
		else
			p++;
	}
	int shape;
	size_t e = word_end(t, p, &shape);
	if (e == p || shape != SHAPE_CAPITAL)
		return 0;
	*start = p;
	return name_span(t, e);
}

size_t rd_match_name(const input *t, size_t *start)
{
	size_t i = *start;
	int shape;
	if (!word_start(t, i))
		return 0;
	size_t e = after_name_word(t, start);
	if (e)
		return e;
	e = word_end(t, i, &shape);
	if (shape != SHAPE_CAPITAL || in_guillemets(t, i))
		return 0;
	if (is_given_name(t, i, e)) {
		char w[96];
		if (norm_copy(t, i, e, 0, w, sizeof w) && in_list(w, PLACE_NAMES) && word_before(t, i, PLACE_PREPOSITIONS))
			return 0;
		return name_span(t, e);
	}
	if (surname_shape(t, i, e) && !word_before(t, i, STREET_BEFORE))
		return name_span(t, e);
	/* "Коваленко Оксана": a capitalised word right before a given name. */
	size_t q = skip_spaces(t, e, 1);
	size_t e2 = q > e ? word_end(t, q, &shape) : q;
	char w[96];
	int given_next = e2 > q && shape == SHAPE_CAPITAL && is_given_name(t, q, e2);
	/* A common surname that is also a word ("Мельник"): a name when
	 * capitalised inside a sentence, or before a given name. */
	if (is_common_surname(t, i, e) && (given_next || !sentence_start(t, i)) && !word_before(t, i, STREET_BEFORE))
		return given_next ? name_span(t, e2) : name_span(t, e);
	if (given_next && !sentence_start(t, i) && norm_copy(t, i, e, 0, w, sizeof w) && !not_a_name(w))
		return name_span(t, e2);
	return 0;
}

/* ---- possible names, for the operator ------------------------------- */

/* Nouns after which a capitalised word names a place or a body
 * ("Мелітопольського району", "Токмацька міська рада", "Новою поштою"). */
static const char *const BODY_NOUNS[] = {
	"район", "област", "обл.", "громад", "міськ", "селищ", "сільськ", "рад", "суд", "центр",
	"управлін", "відділ", "лікарн", "університет", "коледж", "ліце", "школ", "завод", "комбінат",
	"порт", "вокзал", "пошт", "банк", "поліці", "прокуратур", "фонд", "служб", "district",
	"region", "oblast", "city", "court", "centre", "center", "police", "office", NULL,
};

/* Is the word after e a lower-case noun of BODY_NOUNS? */
static int body_follows(const input *t, size_t e)
{
	char w[40];
	int shape;
	size_t q = skip_spaces(t, e, 1);
	if (q == e || q >= t->n)
		return 0;
	size_t f = word_end(t, q, &shape);
	if (f == q || shape != SHAPE_OTHER || f - q >= sizeof w - 2)
		return 0;
	if (byte_at(t, f) == '.')
		f++;
	if (!norm_copy(t, q, f, 1, w, sizeof w))
		return 0;
	return starts_with_any(w, BODY_NOUNS);
}

/* Letters in the word [a, e). */
static size_t letters(const input *t, size_t a, size_t e)
{
	size_t n = 0;
	for (size_t i = a; i < e; i++)
		n += (t->s[i] & 0xC0) != 0x80;
	return n;
}

size_t redact_name_candidates(const char *text, redact_hit **hits)
{
	input t = {(const unsigned char *)text, strlen(text)};
	redact_hit *v = NULL;
	size_t n = 0, cap = 0;
	int shape;
	for (size_t i = 0; i < t.n;) {
		if (t.s[i] == '[') { /* a tag the redactor put in */
			const char *close = strchr(text + i, ']');
			i = close && close - (text + i) < 12 ? (size_t)(close - text) + 1 : i + 1;
			continue;
		}
		if (!word_start(&t, i)) {
			i++;
			continue;
		}
		size_t e = word_end(&t, i, &shape);
		char w[96];
		if (shape == SHAPE_CAPITAL && letters(&t, i, e) >= 3 && !sentence_start(&t, i) &&
		    !in_guillemets(&t, i) && !body_follows(&t, e) && norm_copy(&t, i, e, 0, w, sizeof w) &&
		    !not_a_name(w)) {
			if (n == cap) {
				cap = cap ? cap * 2 : 8;
				v = xrealloc(v, cap * sizeof *v);
			}
			v[n++] = (redact_hit){REDACT_NAME, i, e};
		}
		i = e > i ? e : i + 1;
	}
	*hits = v;
	return n;
}

char *redact_replace(const char *text, size_t start, size_t end, redact_kind kind)
{
	size_t n = strlen(text);
	if (start > end || end > n)
		return xstrdup(text);
	return xasprintf("%.*s%s%s", (int)start, text, redact_tag(kind), text + end);
}

/* ---- the word lists, sorted ------------------------------------------ */

/* The lists in_list is asked about, each sorted once (a copy) and then
 * searched by halves: the matchers look words up at nearly every word
 * of a text, and a look through a list word by word was a fifth of the
 * time a draft save took to redact. Sorted at the first look, once for
 * all threads. */
typedef struct sorted_list {
	const char *const *src;
	const char **v;
	size_t n;
} sorted_list;

static sorted_list sorted[] = {
	{MONTHS, NULL, 0}, {DOB_GAP, NULL, 0}, {HOUSE_WORDS, NULL, 0}, {STREET_WORDS, NULL, 0},
	{HOUSE_ALONE, NULL, 0}, {NOT_NAMES, NULL, 0}, {NAME_WORDS, NULL, 0}, {WHOSE, NULL, 0},
	{PLACE_NAMES, NULL, 0}, {NAME_LIST, NULL, 0}, {SURNAME_LIST, NULL, 0},
};
static pthread_once_t sorted_once = PTHREAD_ONCE_INIT;

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void sort_lists(void)
{
	for (size_t k = 0; k < sizeof sorted / sizeof *sorted; k++) {
		sorted_list *l = &sorted[k];
		size_t n = 0;
		while (l->src[n])
			n++;
		l->v = xmalloc((n + 1) * sizeof *l->v);
		memcpy(l->v, l->src, n * sizeof *l->v);
		qsort(l->v, n, sizeof *l->v, cmp_str);
		l->n = n;
	}
}

static int in_list(const char *w, const char *const *list)
{
	pthread_once(&sorted_once, sort_lists);
	for (size_t k = 0; k < sizeof sorted / sizeof *sorted; k++)
		if (sorted[k].src == list)
			return bsearch(&w, sorted[k].v, sorted[k].n, sizeof *sorted[k].v, cmp_str) != NULL;
	for (size_t k = 0; list[k]; k++) /* a list not above: word by word */
		if (strcmp(w, list[k]) == 0)
			return 1;
	return 0;
}
