/* Unit tests of places.c: the areas and countries tables. */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "dovira/i18n.h"
#include "dovira/places.h"
#include "tap.h"

static void test_areas(void)
{
	static const char *const want[] = {
		"zaporizkyi", "berdianskyi", "melitopolskyi", "polohivskyi", "vasylivskyi",
		"zaporizhzhia-city", "occupied", "other-oblast", "abroad", "unknown",
	};
	size_t found = 0;
	for (size_t i = 0; i < sizeof want / sizeof *want; i++)
		found += places_find(PLACES_AREAS, want[i]) != NULL;
	is_int(found, 10, "every area code of the specification is in the table");
	is_int(places_count(PLACES_AREAS), 10, "the areas table has exactly ten entries");

	int raions = 0, occupied = 0;
	for (size_t i = 0; i < places_count(PLACES_AREAS); i++) {
		const place *p = places_at(PLACES_AREAS, i);
		raions += !!(p->flags & PLACE_RAION);
		occupied += (p->flags & (PLACE_RAION | PLACE_OCCUPIED)) == (PLACE_RAION | PLACE_OCCUPIED);
	}
	is_int(raions, 5, "five areas are raions");
	is_int(occupied, 4, "four raions are flagged wholly or largely occupied");
	ok(!(places_find(PLACES_AREAS, "zaporizkyi")->flags & PLACE_OCCUPIED),
	   "Zaporizkyi raion is not flagged occupied");
	ok(places_find(PLACES_AREAS, "melitopolskyi")->flags & PLACE_OCCUPIED,
	   "Melitopolskyi raion is flagged occupied");
	is_str(places_find(PLACES_AREAS, "berdianskyi")->uk, "Бердянський район",
	       "Berdianskyi raion has its Ukrainian name");
	ok(places_find(PLACES_AREAS, "Zaporizkyi") == NULL, "codes are case-sensitive in places_find");
	ok(places_find(PLACES_AREAS, NULL) == NULL, "places_find(NULL) gives NULL");
	ok(places_at(PLACES_AREAS, 10) == NULL, "places_at past the end gives NULL");
}

static void test_countries(void)
{
	static const char *const want[] = {
		"PL", "DE", "CZ", "SK", "HU", "RO", "MD", "IT", "ES", "PT", "FR", "NL",
		"BE", "AT", "CH", "GB", "IE", "LT", "LV", "EE", "FI", "SE", "NO", "DK",
		"GR", "CY", "BG", "HR", "SI", "IL", "TR", "AE", "QA", "SA", "US", "CA",
		"RU", "BY", "KZ", "GE", "AZ", "AM", "CN", "JP", "KR", "TH", "MY", "XX",
	};
	size_t found = 0;
	for (size_t i = 0; i < sizeof want / sizeof *want; i++)
		found += places_find(PLACES_COUNTRIES, want[i]) != NULL;
	is_int(found, sizeof want / sizeof *want, "every destination country of the specification is in the table");

	int bad = 0;
	for (size_t i = 0; i < places_count(PLACES_COUNTRIES); i++) {
		const place *p = places_at(PLACES_COUNTRIES, i);
		bad += strlen(p->code) != 2 || p->code[0] < 'A' || p->code[0] > 'Z' ||
		       p->code[1] < 'A' || p->code[1] > 'Z' || !*p->uk || !*p->en;
		for (size_t j = 0; j < i; j++)
			bad += strcmp(places_at(PLACES_COUNTRIES, j)->code, p->code) == 0;
	}
	is_int(bad, 0, "country codes are two capital letters, unique, with both names");
	is_str(places_find(PLACES_COUNTRIES, "XX")->en, "Other or unknown country", "XX is the unknown country");
	is_str(places_find(PLACES_COUNTRIES, "PL")->uk, "Польща", "Poland has its Ukrainian name");
}

static const char *first(places_table t, const char *prefix, size_t *n)
{
	const place *out[64];
	*n = places_search(t, prefix, out, 64);
	return *n ? out[0]->code : NULL;
}

static void test_search(void)
{
	size_t n;
	is_str(first(PLACES_COUNTRIES, "пол", &n), "PL", "lower-case Cyrillic prefix finds Польща");
	is_str(first(PLACES_COUNTRIES, "ПОЛЬ", &n), "PL", "upper-case Cyrillic prefix finds Польща");
	is_int(n, 1, "ПОЛЬ matches one country");
	is_str(first(PLACES_COUNTRIES, "ger", &n), "DE", "English prefix finds Germany");
	is_str(first(PLACES_COUNTRIES, "Кор", &n), "KR", "a later word finds Південна Корея");
	is_str(first(PLACES_COUNTRIES, "king", &n), "GB", "a later English word finds United Kingdom");
	is_str(first(PLACES_COUNTRIES, "об'єд", &n), "AE", "ASCII apostrophe matches the typographic one");
	is_str(first(PLACES_COUNTRIES, "de", &n), "DE", "a code ranks before name matches");
	ok(n >= 2, "de also matches names (Denmark)");
	is_str(first(PLACES_COUNTRIES, "turkey", &n), "TR", "the bracketed English alternative is found");
	is_str(first(PLACES_COUNTRIES, "Дубай", &n), "AE", "a city as callers say it (Дубай) finds the Emirates");
	is_str(first(PLACES_COUNTRIES, "оае", &n), "AE", "the Ukrainian abbreviation ОАЕ finds the Emirates");
	is_str(first(PLACES_COUNTRIES, "UAE", &n), "AE", "the English abbreviation UAE finds the Emirates");
	is_str(first(PLACES_COUNTRIES, "Емірати", &n), "AE", "Емірати finds the Emirates");
	is_str(first(PLACES_COUNTRIES, "стамб", &n), "TR", "Стамбул, typed in part, finds Türkiye");
	is_str(first(PLACES_COUNTRIES, "Варшава", &n), "PL", "Варшава finds Poland");
	is_str(first(PLACES_COUNTRIES, "англ", &n), "GB", "Англія finds the United Kingdom");
	is_str(first(PLACES_COUNTRIES, "пол", &n), "PL", "an alias never outranks a name (пол is still Польща first)");
	is_str(first(PLACES_AREAS, "МЕЛ", &n), "melitopolskyi", "areas are searched by Ukrainian prefix");
	is_str(first(PLACES_AREAS, "запор", &n), "zaporizkyi", "a name prefix (Запорізький) ranks before a later word (м. Запоріжжя)");
	is_int(n, 2, "запор matches Zaporizkyi raion and the city");
	is_str(first(PLACES_AREAS, "окуп", &n), "occupied", "a later word of an area name matches");
	first(PLACES_COUNTRIES, "zzz", &n);
	is_int(n, 0, "nothing matches zzz");
	first(PLACES_COUNTRIES, "\xff", &n);
	is_int(n, 0, "invalid UTF-8 matches nothing");
	first(PLACES_COUNTRIES, "\xd0", &n);
	is_int(n, 0, "a truncated UTF-8 sequence matches nothing");
	is_int(places_search(PLACES_AREAS, "", NULL, 0), 10, "an empty prefix counts every entry");
	const place *two[2];
	is_int(places_search(PLACES_COUNTRIES, NULL, two, 2), places_count(PLACES_COUNTRIES),
	       "the count goes past max when out is too small");
	is_str(two[1]->code, "PL", "only max entries are stored, in table order");
}

static void test_name(void)
{
	const place *p = places_find(PLACES_COUNTRIES, "DE");
	i18n_init("uk");
	is_str(place_name(p), "Німеччина", "place_name gives Ukrainian under uk");
	i18n_init("en");
	is_str(place_name(p), "Germany", "place_name gives English under en");
}

int main(void)
{
	setlocale(LC_ALL, "");
	test_areas();
	test_countries();
	test_search();
	test_name();
	return tap_done();
}
