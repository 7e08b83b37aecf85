/* recommend.c: the script's referrals checked against the directory
 * (contract in recommend.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dovira/i18n.h"
#include "dovira/recommend.h"
#include "dovira/util.h"

static rec_state state_of(dv_db *db, const char *id, dv_org *entry)
{
	dv_error e;
	memset(entry, 0, sizeof *entry);
	if (!db)
		return REC_UNCHECKED;
	if (orgs_get(db, id, entry, &e) != DV_OK) {
		memset(entry, 0, sizeof *entry);
		return REC_UNKNOWN;
	}
	if (entry->retired)
		return REC_RETIRED;
	if (entry->do_not_refer)
		return REC_DO_NOT_REFER;
	if (!entry->phones || !*entry->phones)
		return REC_NO_PHONE;
	return REC_OK;
}

void rec_resolve(dv_db *db, const script_answers *a, rec_list *out)
{
	script_referral *r;
	size_t n = script_referrals(a, &r);
	memset(out, 0, sizeof *out);
	out->danger = script_danger(a);
	out->v = n ? xcalloc(n, sizeof *out->v) : NULL;
	for (size_t i = 0; i < n; i++) {
		rec_item *it = &out->v[out->n++];
		it->org = r[i].org;
		it->service = r[i].service;
		it->line = r[i].line;
		it->state = state_of(db, r[i].org, &it->entry);
		out->nok += it->state == REC_OK;
	}
	free(r);
}

void rec_list_free(rec_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++)
		orgs_free(&l->v[i].entry);
	free(l->v);
	memset(l, 0, sizeof *l);
}

int rec_ok(const rec_item *it)
{
	return it->state == REC_OK;
}

const char *rec_state_label(rec_state s)
{
	switch (s) {
	case REC_NO_PHONE: return _("no telephone in the directory");
	case REC_DO_NOT_REFER: return _("marked do not refer");
	case REC_RETIRED: return _("retired from the directory");
	case REC_UNKNOWN: return _("not in the directory");
	case REC_UNCHECKED: return _("not checked: no directory");
	default: return "";
	}
}

const char *rec_name(const rec_item *it)
{
	if (it->entry.name_uk && it->entry.name_en)
		return i18n_pick(it->entry.name_uk, it->entry.name_en);
	return it->org;
}
