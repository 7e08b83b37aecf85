/* places.h: the compiled-in tables of places.
 *
 * Two tables, each a fixed list of entries with a stable code and a name in
 * Ukrainian and in English:
 *   PLACES_AREAS      where a caller lives, or which area an organisation
 *                     serves: the five raions of Zaporizhzhia oblast (since
 *                     the 2020 reform), Zaporizhzhia city, temporarily
 *                     occupied territory, another oblast, abroad, unknown;
 *   PLACES_COUNTRIES  countries by ISO 3166-1 alpha-2 code, the usual
 *                     destinations of Ukrainian workers first, and "XX" for
 *                     an unknown or other country.
 * Codes never change once published: records store them. Names are data in
 * both languages (pick one with place_name()), not gettext messages.
 * The tables are constant; nothing here allocates or needs freeing.
 */
#ifndef DOVIRA_PLACES_H
#define DOVIRA_PLACES_H

#include <stddef.h>

typedef enum places_table {
	PLACES_AREAS,
	PLACES_COUNTRIES
} places_table;

/* Flags of an area. */
enum {
	PLACE_OBLAST = 1 << 0,   /* inside Zaporizhzhia oblast */
	PLACE_RAION = 1 << 1,    /* one of the oblast's five raions */
	PLACE_OCCUPIED = 1 << 2  /* wholly or largely occupied since 2022 */
};

typedef struct place {
	const char *code; /* "melitopolskyi", "PL", ... (ASCII, never NULL) */
	const char *uk;   /* Ukrainian name (never NULL) */
	const char *en;   /* English name (never NULL) */
	unsigned flags;   /* PLACE_* for areas; 0 for countries */
	const char *aliases; /* other names callers use, '|'-separated
	                      * ("ОАЕ|UAE|Дубай"), or NULL */
} place;

/* The code of the unknown entry of each table: "unknown" and "XX". */
#define PLACES_AREA_UNKNOWN "unknown"
#define PLACES_COUNTRY_UNKNOWN "XX"

/* Number of entries in table t (0 for an unknown table). */
size_t places_count(places_table t);

/* The i-th entry of table t in its fixed display order, or NULL when i is
 * out of range. The pointer stays valid for the life of the program. */
const place *places_at(places_table t, size_t i);

/* The entry of table t whose code is exactly code (case-sensitive: "PL",
 * "zaporizkyi"), or NULL if there is none or code is NULL. */
const place *places_find(places_table t, const char *code);

/* Search table t by what a person typed. prefix (UTF-8) matches an entry
 * when, ignoring case (Cyrillic included: compared as wide characters
 * through towlower, with ’ and ʼ taken as '), it is
 *   1. the entry's code,
 *   2. a prefix of its Ukrainian or English name, or
 *   3. a prefix of a later word of either name ("Кор" finds "Південна
 *      Корея", "King" finds "United Kingdom"), or a prefix of one of its
 *      aliases, the names callers use for a country or a city in it
 *      ("Дубай", "ОАЕ", "UAE" find the Emirates, "Варшава" Poland).
 * Matches are stored in out (room for max pointers) in that order of rank,
 * table order within a rank, each entry once. An empty or NULL prefix
 * matches every entry. Returns the number of matches, which may exceed max
 * (only max are stored); out may be NULL when max is 0. A prefix with
 * invalid UTF-8 matches nothing. */
size_t places_search(places_table t, const char *prefix, const place **out, size_t max);

/* The name of p in the language of the messages (i18n_pick). */
const char *place_name(const place *p);

#endif
