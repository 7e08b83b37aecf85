/* recommend.h: the referrals the script recommends, checked against the
 * directory.
 *
 * The script's referral rules name organisations by their directory ids
 * (script.h: script_referrals). Before anything is offered to a caller
 * each one is looked up: only an entry that exists, is not retired, is
 * not marked do-not-refer and has a telephone is recommended (issue 9,
 * items 11 and 12). The others are kept apart, with the reason, so that
 * the screens and `dovira script try` can say what is missing ("the
 * children's service: no telephone in the directory") instead of hiding
 * it or offering a contact nobody can use.
 *
 * Danger now (script_danger) is part of the same picture: the emergency
 * numbers that fit are the recommended referrals for the service
 * "emergency".
 *
 * Reads the directory (orgs_get); writes nothing, audits nothing (the
 * directory holds public facts, see orgs.h).
 */
#ifndef DOVIRA_RECOMMEND_H
#define DOVIRA_RECOMMEND_H

#include <stddef.h>

#include "dovira/db.h"
#include "dovira/orgs.h"
#include "dovira/script.h"

/* Why a referral the script names is or is not offered. */
typedef enum rec_state {
	REC_OK = 0,       /* recommended: in the directory, with a telephone */
	REC_NO_PHONE,     /* the entry has no telephone */
	REC_DO_NOT_REFER, /* the entry is marked do-not-refer */
	REC_RETIRED,      /* the entry is retired */
	REC_UNKNOWN,      /* the directory has no such id */
	REC_UNCHECKED     /* no directory was given: not looked up */
} rec_state;

typedef struct rec_item {
	const char *org;      /* directory id (the script's string) */
	const char *service;  /* service code (the script's string) */
	unsigned line;        /* the rule's line in the script */
	rec_state state;
	dv_org entry;         /* the directory entry (owned; zeroed when
	                       * REC_UNKNOWN or REC_UNCHECKED) */
} rec_item;

typedef struct rec_list {
	rec_item *v;          /* in the script's rule order */
	size_t n;
	size_t nok;           /* how many are REC_OK */
	int danger;           /* script_danger() */
} rec_list;

/* Resolve the referrals that hold for the answers a against the
 * directory of db (db may be NULL: every item is REC_UNCHECKED, which is
 * never "recommended"). *out is filled; free it with rec_list_free. The
 * strings org and service point into the script (valid as long as it).
 * A directory read that fails leaves the item REC_UNKNOWN. Never fails. */
void rec_resolve(dv_db *db, const script_answers *a, rec_list *out);

/* Release what rec_resolve stored (NULL is fine) and zero it. */
void rec_list_free(rec_list *l);

/* 1 if item i may be offered to a caller (REC_OK). */
int rec_ok(const rec_item *it);

/* A short translated reason why an item is not offered ("no telephone in
 * the directory"), or "" for REC_OK. */
const char *rec_state_label(rec_state s);

/* The name of the item's organisation in the language of the messages:
 * the directory's name, or the id when it is not in the directory. */
const char *rec_name(const rec_item *it);

#endif
