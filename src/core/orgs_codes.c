/* orgs_codes.c: the directory's code tables (kinds, services, who is
 * served, areas) and their labels. Plain data over the places tables:
 * no database, so that the script checks and the screens can use them
 * without one (the layering check in tests/lint/layers.py holds it so). */
#include "config.h"

#include <string.h>

#include "dovira/i18n.h"
#include "dovira/orgs.h"
#include "dovira/places.h"
#include "orgs_codes.h"

/* ---- Codes ---------------------------------------------------------- */

typedef struct code_def {
	const char *code;
	const char *label; /* N_() */
} code_def;

static const code_def kinds[] = {
	{"state", N_("state body")},
	{"social", N_("social services")},
	{"ngo", N_("non-governmental organisation")},
	{"hotline", N_("hotline")},
	{"police", N_("police")},
	{"legal_aid", N_("free legal aid")},
	{"health", N_("health care")},
	{"shelter", N_("shelter")},
	{NULL, NULL}
};

static const code_def services[] = {
	{"status", N_("status of an affected person")},
	{"psychological", N_("psychological help")},
	{"legal", N_("legal help")},
	{"medical", N_("medical help")},
	{"shelter", N_("shelter")},
	{"financial", N_("financial help")},
	{"employment", N_("help finding work")},
	{"information", N_("information and advice")},
	{"emergency", N_("emergency help now")},
	{"report", N_("reporting a crime")},
	{"child-protection", N_("protection of a child")},
	{NULL, NULL}
};

static const code_def serves_codes[] = {
	{"women", N_("women")},
	{"men", N_("men")},
	{"children", N_("children")},
	{"families", N_("families")},
	{NULL, NULL}
};

/* Areas are the places of places.h (all but "unknown": an organisation
 * knows where it works) and "all", for national services. */
static const code_def areas[] = {
	{"all", N_("all of Ukraine")},
	{NULL, NULL}
};

static const place *area_place(const char *code, size_t len)
{
	char buf[48];
	if (len >= sizeof buf)
		return NULL;
	memcpy(buf, code, len);
	buf[len] = '\0';
	const place *p = places_find(PLACES_AREAS, buf);
	return p && strcmp(p->code, PLACES_AREA_UNKNOWN) != 0 ? p : NULL;
}

/* The i-th area place, skipping "unknown". */
static const place *area_at(size_t i)
{
	for (size_t k = 0, n = places_count(PLACES_AREAS); k < n; k++) {
		const place *p = places_at(PLACES_AREAS, k);
		if (strcmp(p->code, PLACES_AREA_UNKNOWN) != 0 && i-- == 0)
			return p;
	}
	return NULL;
}

static size_t area_count(void)
{
	size_t n = 0;
	while (area_at(n))
		n++;
	return n;
}

static const code_def *codeset_table(orgs_codeset set)
{
	switch (set) {
	case ORGS_KIND: return kinds;
	case ORGS_SERVICE: return services;
	case ORGS_SERVES: return serves_codes;
	case ORGS_AREA: return areas;
	}
	return kinds;
}

static const code_def *code_find(orgs_codeset set, const char *code, size_t len)
{
	for (const code_def *d = codeset_table(set); d->code; d++)
		if (strlen(d->code) == len && memcmp(d->code, code, len) == 0)
			return d;
	return NULL;
}

const char *orgs_code_at(orgs_codeset set, size_t i)
{
	if (set == ORGS_AREA) {
		size_t n = area_count();
		if (i < n)
			return area_at(i)->code;
		i -= n;
	}
	const code_def *d = codeset_table(set);
	for (size_t k = 0; k < i; k++)
		if (!d[k].code)
			return NULL;
	return d[i].code;
}

int orgs_code_valid(orgs_codeset set, const char *code)
{
	if (code && set == ORGS_AREA && area_place(code, strlen(code)))
		return 1;
	return code && code_find(set, code, strlen(code)) != NULL;
}

const char *orgs_code_label(orgs_codeset set, const char *code)
{
	const place *p = code && set == ORGS_AREA ? area_place(code, strlen(code)) : NULL;
	if (p)
		return place_name(p);
	const code_def *d = code ? code_find(set, code, strlen(code)) : NULL;
	return d ? _(d->label) : NULL;
}

int orgs_code_known(orgs_codeset set, const char *code, size_t len)
{
	return code_find(set, code, len) || (set == ORGS_AREA && area_place(code, len));
}

char *orgs_codes_list(orgs_codeset set)
{
	dv_buf b = {0};
	const char *code;
	for (size_t i = 0; (code = orgs_code_at(set, i)); i++)
		dv_buf_printf(&b, "%s%s", b.len ? " " : "", code);
	return dv_buf_take(&b);
}
