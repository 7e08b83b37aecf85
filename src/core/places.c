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
	{"zaporizhzhia-city", "м. Запоріжжя", "Zaporizhzhia city", OBL, NULL},
	{"zaporizkyi", "Запорізький район", "Zaporizkyi raion", RAI, NULL},
	{"berdianskyi", "Бердянський район", "Berdianskyi raion", RAI | OCC, NULL},
	{"melitopolskyi", "Мелітопольський район", "Melitopolskyi raion", RAI | OCC, NULL},
	{"polohivskyi", "Пологівський район", "Polohivskyi raion", RAI | OCC, NULL},
	{"vasylivskyi", "Василівський район", "Vasylivskyi raion", RAI | OCC, NULL},
	{"occupied", "Тимчасово окупована територія", "Temporarily occupied territory", OCC, NULL},
	{"other-oblast", "Інша область України", "Another oblast of Ukraine", 0, NULL},
	{"abroad", "За кордоном", "Abroad", 0, NULL},
	{"unknown", "Невідомо", "Unknown", 0, NULL},
};

static const place countries[] = {
	{"UA", "Україна", "Ukraine", 0, NULL},
	{"PL", "Польща", "Poland", 0, "Польша|Варшава|Warsaw|Warszawa|Краків|Кракув|Krakow|Вроцлав|Wroclaw|Гданськ|Gdansk|Люблін|Lublin"},
	{"DE", "Німеччина", "Germany", 0, "Германия|Германія|Берлін|Берлин|Berlin|Мюнхен|Munich|Гамбург|Hamburg"},
	{"CZ", "Чехія", "Czechia", 0, "Чехия|Czech Republic|Прага|Prague|Брно|Brno"},
	{"SK", "Словаччина", "Slovakia", 0, "Словакия|Братислава|Bratislava"},
	{"HU", "Угорщина", "Hungary", 0, "Венгрия|Будапешт|Budapest"},
	{"RO", "Румунія", "Romania", 0, "Румыния|Бухарест|Bucharest"},
	{"MD", "Молдова", "Moldova", 0, "Кишинів|Кишинев|Chisinau"},
	{"IT", "Італія", "Italy", 0, "Италия|Рим|Rome|Мілан|Милан|Milan|Неаполь|Naples"},
	{"ES", "Іспанія", "Spain", 0, "Испания|Мадрид|Madrid|Барселона|Barcelona"},
	{"PT", "Португалія", "Portugal", 0, "Португалия|Лісабон|Лиссабон|Lisbon"},
	{"FR", "Франція", "France", 0, "Франция|Париж|Paris"},
	{"NL", "Нідерланди", "Netherlands", 0, "Голландія|Голландия|Holland|Нидерланды|Амстердам|Amsterdam"},
	{"BE", "Бельгія", "Belgium", 0, "Бельгия|Брюссель|Brussels"},
	{"AT", "Австрія", "Austria", 0, "Австрия|Відень|Вена|Vienna"},
	{"CH", "Швейцарія", "Switzerland", 0, "Швейцария|Цюрих|Zurich|Женева|Geneva"},
	{"GB", "Велика Британія", "United Kingdom", 0, "Англія|Англия|England|UK|Британія|Британия|Britain|Лондон|London|Шотландія|Scotland"},
	{"IE", "Ірландія", "Ireland", 0, "Ирландия|Дублін|Дублин|Dublin"},
	{"LT", "Литва", "Lithuania", 0, "Литва|Вільнюс|Вильнюс|Vilnius"},
	{"LV", "Латвія", "Latvia", 0, "Латвия|Рига|Riga"},
	{"EE", "Естонія", "Estonia", 0, "Эстония|Таллінн|Таллин|Tallinn"},
	{"FI", "Фінляндія", "Finland", 0, "Финляндия|Гельсінкі|Хельсинки|Helsinki"},
	{"SE", "Швеція", "Sweden", 0, "Швеция|Стокгольм|Stockholm"},
	{"NO", "Норвегія", "Norway", 0, "Норвегия|Осло|Oslo"},
	{"DK", "Данія", "Denmark", 0, "Дания|Копенгаген|Copenhagen"},
	{"GR", "Греція", "Greece", 0, "Греция|Афіни|Афины|Athens"},
	{"CY", "Кіпр", "Cyprus", 0, "Кипр|Нікосія|Лімасол|Limassol"},
	{"BG", "Болгарія", "Bulgaria", 0, "Болгария|Софія|София|Sofia"},
	{"HR", "Хорватія", "Croatia", 0, "Хорватия|Загреб|Zagreb"},
	{"SI", "Словенія", "Slovenia", 0, NULL},
	{"LU", "Люксембург", "Luxembourg", 0, NULL},
	{"MT", "Мальта", "Malta", 0, NULL},
	{"IL", "Ізраїль", "Israel", 0, "Израиль|Тель-Авів|Тель-Авив|Tel Aviv|Єрусалим|Jerusalem"},
	{"TR", "Туреччина", "Türkiye (Turkey)", 0, "Турция|Turkey|Стамбул|Istanbul|Анталія|Анталия|Antalya|Анкара|Ankara"},
	{"AE", "Об’єднані Арабські Емірати", "United Arab Emirates", 0, "ОАЕ|ОАЭ|UAE|Емірати|Эмираты|Emirates|Дубай|Dubai|Абу-Дабі|Абу-Даби|Abu Dhabi|Шарджа|Sharjah"},
	{"QA", "Катар", "Qatar", 0, "Доха|Doha"},
	{"SA", "Саудівська Аравія", "Saudi Arabia", 0, "Саудовская Аравия|Ер-Ріяд|Эр-Рияд|Riyadh"},
	{"US", "Сполучені Штати Америки", "United States", 0, "США|USA|Америка|America|Нью-Йорк|New York"},
	{"CA", "Канада", "Canada", 0, "Торонто|Toronto"},
	{"AU", "Австралія", "Australia", 0, NULL},
	{"RU", "Росія", "Russia", 0, "Россия|РФ|Москва|Moscow"},
	{"BY", "Білорусь", "Belarus", 0, "Беларусь|Мінськ|Минск|Minsk"},
	{"KZ", "Казахстан", "Kazakhstan", 0, "Алмати|Алматы|Almaty"},
	{"GE", "Грузія", "Georgia", 0, "Тбілісі|Тбилиси|Tbilisi|Батумі|Батуми|Batumi"},
	{"AZ", "Азербайджан", "Azerbaijan", 0, NULL},
	{"AM", "Вірменія", "Armenia", 0, NULL},
	{"CN", "Китай", "China", 0, "Пекін|Пекин|Beijing"},
	{"JP", "Японія", "Japan", 0, "Токіо|Токио|Tokyo"},
	{"KR", "Південна Корея", "South Korea", 0, "Корея|Korea|Сеул|Seoul"},
	{"TH", "Таїланд", "Thailand", 0, "Таиланд|Тайланд|Бангкок|Bangkok|Пхукет|Phuket"},
	{"MY", "Малайзія", "Malaysia", 0, "Малайзия|Куала-Лумпур|Kuala Lumpur"},
	{"XX", "Інша або невідома країна", "Other or unknown country", 0, NULL},
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

/* 1 if prefix is a prefix of one of the '|'-separated aliases. */
static int alias_match(const char *aliases, const char *prefix)
{
	for (const char *a = aliases; a && *a;) {
		size_t n = strcspn(a, "|");
		char buf[64];
		if (n < sizeof buf) {
			memcpy(buf, a, n);
			buf[n] = '\0';
			if (starts_with(buf, prefix))
				return 1;
		}
		a += n + (a[n] == '|');
	}
	return 0;
}

static int rank_of(const place *p, const char *prefix)
{
	if (code_equals(p->code, prefix))
		return 0;
	if (starts_with(p->uk, prefix) || starts_with(p->en, prefix))
		return 1;
	if (starts_later_word(p->uk, prefix) || starts_later_word(p->en, prefix) ||
	    alias_match(p->aliases, prefix))
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
