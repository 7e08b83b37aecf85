/* places.c: areas of Zaporizhzhia oblast and countries, in two languages.
 *
 * Sources: FACTS.md 4.2 (the five raions since the 2020 reform; Berdianskyi,
 * Melitopolskyi, Vasylivskyi and Polohivskyi wholly or largely occupied
 * since 2022) and ISO 3166-1 alpha-2 for the countries.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "dovira/i18n.h"
#include "dovira/places.h"
#include "dovira/utf8.h"

#define OBL PLACE_OBLAST
#define RAI (PLACE_OBLAST | PLACE_RAION)
#define OCC PLACE_OCCUPIED

static const place areas[] = {
	{"zaporizhzhia-city", "м. Запоріжжя", "Zaporizhzhia city", OBL},
	{"zaporizkyi", "Запорізький район", "Zaporizkyi raion", RAI},
	{"berdianskyi", "Бердянський район", "Berdianskyi raion", RAI | OCC},
	{"melitopolskyi", "Мелітопольський район", "Melitopolskyi raion", RAI | OCC},
	{"polohivskyi", "Пологівський район", "Polohivskyi raion", RAI | OCC},
	{"vasylivskyi", "Василівський район", "Vasylivskyi raion", RAI | OCC},
	{"occupied", "Тимчасово окупована територія", "Temporarily occupied territory", OCC},
	{"other-oblast", "Інша область України", "Another oblast of Ukraine", 0},
	{"abroad", "За кордоном", "Abroad", 0},
	{"unknown", "Невідомо", "Unknown", 0},
};

static const place countries[] = {
	{"UA", "Україна", "Ukraine", 0},
	{"PL", "Польща", "Poland", 0},
	{"DE", "Німеччина", "Germany", 0},
	{"CZ", "Чехія", "Czechia", 0},
	{"SK", "Словаччина", "Slovakia", 0},
	{"HU", "Угорщина", "Hungary", 0},
	{"RO", "Румунія", "Romania", 0},
	{"MD", "Молдова", "Moldova", 0},
	{"IT", "Італія", "Italy", 0},
	{"ES", "Іспанія", "Spain", 0},
	{"PT", "Португалія", "Portugal", 0},
	{"FR", "Франція", "France", 0},
	{"NL", "Нідерланди", "Netherlands", 0},
	{"BE", "Бельгія", "Belgium", 0},
	{"AT", "Австрія", "Austria", 0},
	{"CH", "Швейцарія", "Switzerland", 0},
	{"GB", "Велика Британія", "United Kingdom", 0},
	{"IE", "Ірландія", "Ireland", 0},
	{"LT", "Литва", "Lithuania", 0},
	{"LV", "Латвія", "Latvia", 0},
	{"EE", "Естонія", "Estonia", 0},
	{"FI", "Фінляндія", "Finland", 0},
	{"SE", "Швеція", "Sweden", 0},
	{"NO", "Норвегія", "Norway", 0},
	{"DK", "Данія", "Denmark", 0},
	{"GR", "Греція", "Greece", 0},
	{"CY", "Кіпр", "Cyprus", 0},
	{"BG", "Болгарія", "Bulgaria", 0},
	{"HR", "Хорватія", "Croatia", 0},
	{"SI", "Словенія", "Slovenia", 0},
	{"LU", "Люксембург", "Luxembourg", 0},
	{"MT", "Мальта", "Malta", 0},
	{"IL", "Ізраїль", "Israel", 0},
	{"TR", "Туреччина", "Türkiye (Turkey)", 0},
	{"AE", "Об’єднані Арабські Емірати", "United Arab Emirates", 0},
	{"QA", "Катар", "Qatar", 0},
	{"SA", "Саудівська Аравія", "Saudi Arabia", 0},
	{"US", "Сполучені Штати Америки", "United States", 0},
	{"CA", "Канада", "Canada", 0},
	{"AU", "Австралія", "Australia", 0},
	{"RU", "Росія", "Russia", 0},
	{"BY", "Білорусь", "Belarus", 0},
	{"KZ", "Казахстан", "Kazakhstan", 0},
	{"GE", "Грузія", "Georgia", 0},
	{"AZ", "Азербайджан", "Azerbaijan", 0},
	{"AM", "Вірменія", "Armenia", 0},
	{"CN", "Китай", "China", 0},
	{"JP", "Японія", "Japan", 0},
	{"KR", "Південна Корея", "South Korea", 0},
	{"TH", "Таїланд", "Thailand", 0},
	{"MY", "Малайзія", "Malaysia", 0},
	{"XX", "Інша або невідома країна", "Other or unknown country", 0},
};

#define NELEM(a) (sizeof(a) / sizeof *(a))

static const place *table(places_table t, size_t *n)
{
	switch (t) {
	case PLACES_AREAS:
		*n = NELEM(areas);
		return areas;
	case PLACES_COUNTRIES:
		*n = NELEM(countries);
		return countries;
	}
	*n = 0;
	return NULL;
}

size_t places_count(places_table t)
{
	size_t n;
	table(t, &n);
	return n;
}

const place *places_at(places_table t, size_t i)
{
	size_t n;
	const place *p = table(t, &n);
	return i < n ? &p[i] : NULL;
}

const place *places_find(places_table t, const char *code)
{
	size_t n;
	const place *p = table(t, &n);
	if (!code)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (strcmp(p[i].code, code) == 0)
			return &p[i];
	return NULL;
}

const char *place_name(const place *p)
{
	return i18n_pick(p->uk, p->en);
}

/* The next character of the NUL-terminated s (utf8.h): its length, 0 at
 * the end; an invalid sequence gives U+FFFD. */
static size_t next_char(const char *s, uint32_t *cp)
{
	unsigned c;
	size_t len = utf8_next(s, strnlen(s, 4), &c);
	*cp = c;
	return len;
}

/* Fold a character for comparison: case (utf8_fold, the same in every
 * locale), and every apostrophe taken as '. */
static uint32_t fold(uint32_t c)
{
	if (c == 0x2019 || c == 0x02BC)
		return '\'';
	return utf8_fold(c);
}

/* 1 if prefix is a prefix of s, ignoring case. */
static int starts_with(const char *s, const char *prefix)
{
	for (;;) {
		uint32_t a, b;
		size_t nb = next_char(prefix, &b);
		if (nb == 0)
			return 1;
		if (b == 0xFFFD)
			return 0;
		size_t na = next_char(s, &a);
		if (na == 0 || fold(a) != fold(b))
			return 0;
		s += na;
		prefix += nb;
	}
}

static int is_word_break(uint32_t c)
{
	return c == ' ' || c == '-' || c == '(';
}

/* 1 if prefix starts a word of name after its first. */
static int starts_later_word(const char *name, const char *prefix)
{
	uint32_t c;
	size_t n;
	int after_break = 0;
	while ((n = next_char(name, &c)) != 0) {
		if (after_break && !is_word_break(c) && starts_with(name, prefix))
			return 1;
		after_break = is_word_break(c);
		name += n;
	}
	return 0;
}

static int code_equals(const char *code, const char *s)
{
	size_t i;
	for (i = 0; code[i] && s[i]; i++)
		if (fold((unsigned char)code[i]) != fold((unsigned char)s[i]))
			return 0;
	return code[i] == '\0' && s[i] == '\0';
}

static int rank_of(const place *p, const char *prefix)
{
	if (code_equals(p->code, prefix))
		return 0;
	if (starts_with(p->uk, prefix) || starts_with(p->en, prefix))
		return 1;
	if (starts_later_word(p->uk, prefix) || starts_later_word(p->en, prefix))
		return 2;
	return -1;
}

size_t places_search(places_table t, const char *prefix, const place **out, size_t max)
{
	size_t n, found = 0;
	const place *p = table(t, &n);
	if (!prefix)
		prefix = "";
	for (int rank = 0; rank <= 2; rank++) {
		for (size_t i = 0; i < n; i++) {
			int r = *prefix ? rank_of(&p[i], prefix) : (rank == 1 ? 1 : -1);
			if (r != rank)
				continue;
			if (found < max)
				out[found] = &p[i];
			found++;
		}
	}
	return found;
}
