/* orgs.h: the directory of organisations that can help a caller.
 *
 * During a call the operator finds in a few keystrokes who can help (the
 * Department of Social Protection for the status procedure, centres of
 * social services, crisis centres, free legal aid, police, national
 * lines). Everyone may search and read the directory; supervisors and
 * administrators change it, and every change is audited.
 *
 * Decisions:
 * - Entries are never deleted: referrals made on past calls point at them.
 *   An entry that no longer helps is retired (hidden from searches).
 * - An import updates and adds; entries absent from the file are kept as
 *   they are (retire them explicitly, or with retired=1 in the file).
 * - Reading an entry (orgs_get, orgs_search) is not audited: the directory
 *   holds public facts about organisations, not personal data, and an
 *   audit row per keystroke of a search would bury the rows that matter.
 *   Changes, imports and exports are audited.
 * - "Stale": never verified, or last verified 12 months ago or more.
 *
 * Codes (untranslated, as stored; labels through orgs_code_label):
 *   kind      state social ngo hotline police legal_aid health shelter
 *   services  status psychological legal medical shelter financial
 *             employment information
 *   serves    women men children families
 *   areas     zaporizkyi berdianskyi melitopolskyi polohivskyi vasylivskyi
 *             zaporizhzhia-city occupied other-oblast abroad all
 * Lists are stored as codes separated by one space; phones as numbers
 * separated by "; ".
 */
#ifndef DOVIRA_ORGS_H
#define DOVIRA_ORGS_H

#include <stdio.h>
#include <time.h>

#include "dovira/db.h"

/* One entry; every column of the orgs table. Strings are heap copies
 * owned by the struct (free with orgs_free); an optional field that is
 * empty is NULL. */
typedef struct dv_org {
	char *id;            /* stable slug: [a-z0-9][a-z0-9-]*, at most 40 */
	char *name_uk;       /* name in Ukrainian (required) */
	char *name_en;       /* name in English (required) */
	char *kind;          /* one kind code (required) */
	char *services;      /* service codes; "" if none is known (police) */
	char *areas;         /* area codes served, or "all" (required) */
	char *operates_in;   /* area codes where it works now, or NULL */
	char *relocated_from;/* area codes it left (relocated), or NULL */
	char *address;
	char *phones;        /* "527; 0 800 505 501" */
	char *hours;         /* free text: "24/7", "8:00-20:00" */
	char *serves;        /* who: serves codes; NULL means everyone */
	int age_min, age_max;/* years, -1 if no bound */
	char *languages;     /* ISO 639 codes: "uk en", or NULL */
	char *notes;         /* in Ukrainian; may hold newlines */
	char *notes_en;      /* in English; may hold newlines */
	char *source;        /* where the facts come from: URLs (required) */
	char *verified_on;   /* YYYY-MM-DD, or NULL if never verified */
	int national;        /* 1: a national line, listed for every area */
	int retired;         /* 1: kept for old referrals, hidden in searches */
	int do_not_refer;    /* 1: must not be given to a caller (closed, in
	                        occupied territory, unconfirmed): found and
	                        shown as such, sorted last, never recommended */
	char *updated_at;    /* UTC ISO 8601, set by the directory */
} dv_org;

/* Free the strings of o and zero it (o itself is not freed; NULL is fine). */
void orgs_free(dv_org *o);

/* A deep copy of src into *dst. */
void orgs_copy(dv_org *dst, const dv_org *src);

/* ---- Codes ---------------------------------------------------------- */

typedef enum orgs_codeset {
	ORGS_KIND,
	ORGS_SERVICE,
	ORGS_SERVES,
	ORGS_AREA
} orgs_codeset;

/* The i-th code of set (0-based, in display order), NULL past the end. */
const char *orgs_code_at(orgs_codeset set, size_t i);

/* 1 if code is a code of set. */
int orgs_code_valid(orgs_codeset set, const char *code);

/* The translated label of code ("free legal aid"), or NULL if unknown. */
const char *orgs_code_label(orgs_codeset set, const char *code);

/* ---- Reading -------------------------------------------------------- */

/* Load the entry id (retired or not) into *out, which the caller frees
 * with orgs_free. DV_ENOTFOUND if there is none. Not audited (see above). */
int orgs_get(dv_db *db, const char *id, dv_org *out, dv_error *e);

/* What a search is narrowed to. Start from ORGS_FILTER_INIT (not from
 * zeros: age 0 is an age), then set what applies; NULL or -1 is "any". */
typedef struct orgs_filter {
	const char *area;    /* area code of the caller; entries serving it, or
	                        working there, or serving "all", or national */
	const char *service; /* a service code the entry must offer */
	const char *serves;  /* women|men|children|families: entries serving
	                        that group or everyone (serves NULL) */
	int age;             /* caller's age: within age_min..age_max; -1 any */
	int include_retired; /* 1 to list retired entries too (supervisors) */
	int limit;           /* at most this many results; 0 = all */
} orgs_filter;

#define ORGS_FILTER_INIT {NULL, NULL, NULL, -1, 0, 0}

typedef struct orgs_list {
	dv_org *v;
	size_t n;
} orgs_list;

/* Search the directory as the operator types. query is the user's text as
 * typed (any characters; NULL or blank lists every entry): it is cut into
 * words, and every word must begin a word of the entry's names, id,
 * phones, address, notes, or the names of its kind, services, groups and
 * areas, in either language, ignoring case ("гарм" finds «Гармонія",
 * "ДЕПАРТ" the Department, "527" the 527 line, "соц" social services).
 * Apostrophes and quotes in the query are word breaks, never syntax.
 * Results are ranked (bm25; matches in names count most, notes least),
 * ties by name. With a blank query verified entries come first (local
 * ones, then the national lines), then the unverified, each by name, so
 * an operator is not first offered an organisation nobody has confirmed. f may be NULL (no filter); lang ("uk", "en"
 * or NULL for the language in use) picks the name used for ordering.
 * Unknown codes in f are DV_EINVAL. *out is filled (caller frees with
 * orgs_list_free) and the number of results returned, or a negative
 * dv_code with *out empty. */
long orgs_search(dv_db *db, const char *query, const orgs_filter *f, const char *lang,
		 orgs_list *out, dv_error *e);

void orgs_list_free(orgs_list *l);

/* 1 if orgs_search(db, query) with no filter would list the entry id
 * (it matches every word of query, and is not retired), 0 if not, or a
 * negative dv_code. Reads that one entry: the directory screen asks it of
 * the few recommended entries at every keystroke. */
int orgs_search_finds(dv_db *db, const char *query, const char *id, dv_error *e);

/* Prepare db's searches while nobody types, one small piece a call: the
 * rank's row lengths, the columns the filters read, then the matches of
 * every first letter, digit and telephone prefix ("0", "08", "0800"),
 * scored and kept; after another session changed the directory, the kept
 * matches are brought up to that change. Results are never affected, only
 * the time a keystroke takes (its first search of a broad letter, or its
 * first after a change, is then as fast as any other). stop (may be NULL)
 * is asked now and then while a piece runs; when it returns non-zero (a
 * key is waiting) the piece is abandoned at once and done again later.
 * Returns 1 if there is more to do, 0 when all is ready (call again later:
 * a change in another session makes more), or a negative dv_code. Does
 * nothing (0) inside a transaction, or while another session holds the
 * file locked (it never waits for a lock). */
int orgs_search_warm(dv_db *db, int (*stop)(void *), void *arg, dv_error *e);

/* 1 if o needs checking: never verified, or verified_on is 12 months or
 * more before now (2025-11-02 is stale on 2026-11-02). */
int orgs_is_stale(const dv_org *o, time_t now);

/* What a list should mark an entry with, in rising order of concern. */
typedef enum orgs_state {
	ORGS_OK = 0,      /* verified within the last 12 months */
	ORGS_STALE,       /* verified, but 12 months ago or more */
	ORGS_UNVERIFIED,  /* never verified: an uncertain entry */
	ORGS_DO_NOT_REFER,/* marked not to be given to callers */
	ORGS_RETIRED      /* kept for old referrals */
} orgs_state;

/* The state of o at time now (retired first, then do-not-refer,
 * unverified, stale). */
orgs_state orgs_state_of(const dv_org *o, time_t now);

/* A short translated word for a state ("unverified"); "" for ORGS_OK. */
const char *orgs_state_label(orgs_state s);

/* The number of entries, retired included; negative dv_code on failure. */
long orgs_count(dv_db *db, dv_error *e);

/* Check that the search index (orgs_fts) matches the directory: one index
 * row per entry, carrying the entry's id, and FTS5's own integrity check.
 * Each problem is appended to *report as one line. With repair set, a
 * mismatched index is rebuilt from the directory in one transaction (for
 * `dovira check`, or after a tool rewrote the file, e.g. a VACUUM that
 * renumbered rows). Returns DV_OK if the index is sound (or was repaired),
 * DV_ECORRUPT if it is not, another code if the check could not run. */
int orgs_check_index(dv_db *db, int repair, dv_buf *report, dv_error *e);

/* ---- Changing (supervisor or administrator; each audited) ------------ */

/* Check o as orgs_add would: every problem is appended to *report (may be
 * NULL) as one line "column: message". Returns the number of problems. */
int orgs_validate(const dv_org *o, dv_buf *report);

/* A form over an entry (the screens' editor) reads and writes each
 * column as the text a CSV file holds. column is a column name of the
 * orgs table ("phones", "age_min", "national"); updated_at is not one.
 *
 * orgs_field_text: a new copy of the column's text: "" for an empty
 * value, ages as whole numbers ("" for no bound), flags "0" or "1".
 * NULL for an unknown column. The caller frees it. */
char *orgs_field_text(const dv_org *o, const char *column);

/* Set the column from text (trimmed; empty clears an optional value).
 * Text is stored as given and checked by orgs_validate / orgs_add; an age
 * or flag that does not parse is DV_EINVAL here, with "column: message"
 * in e->msg, and the field is then -1 (age) or 0 (flag). DV_EINVAL for
 * an unknown column, or updated_at. */
int orgs_field_set(dv_org *o, const char *column, const char *text, dv_error *e);

/* Add a new entry. Lists are normalised (one space between codes, "; "
 * between phones), blank optional fields become NULL; updated_at is set.
 * DV_EPERM unless actor is a supervisor or admin; DV_EINVAL with the
 * problems of orgs_validate in e->msg; DV_ECONFLICT if id exists.
 * Audited as org.add. */
int orgs_add(dv_db *db, const char *actor, const dv_org *o, dv_error *e);

/* Replace the entry o->id with o (every field but updated_at). If
 * o->updated_at is not NULL it must equal the stored one, else someone
 * changed the entry since it was read: DV_ECONFLICT, nothing saved. An
 * unchanged entry is not written. DV_ENOTFOUND if there is no such id.
 * Audited as org.edit with the names of the changed columns. */
int orgs_update(dv_db *db, const char *actor, const dv_org *o, dv_error *e);

/* Record that the entry was checked today (UTC, dv_now): verified_on.
 * Audited as org.verify. */
int orgs_mark_verified(dv_db *db, const char *actor, const char *id, dv_error *e);

/* Mark the entry do-not-refer (on = 1) or referable again (on = 0): a
 * marked entry is still found, shown as "do not refer", sorted last and
 * never recommended. Setting the state it has does nothing. DV_EPERM
 * unless actor is a supervisor or admin; DV_ENOTFOUND for no such id.
 * Audited as org.do-not-refer or org.refer-again. */
int orgs_set_do_not_refer(dv_db *db, const char *actor, const char *id, int on, dv_error *e);

/* Retire the entry: hidden from searches, kept for old referrals.
 * Retiring a retired entry does nothing. Audited as org.retire. */
int orgs_retire(dv_db *db, const char *actor, const char *id, dv_error *e);

/* ---- Import and export ---------------------------------------------- */

typedef struct orgs_import_stats {
	long rows, added, updated, unchanged;
} orgs_import_stats;

/* Import the CSV file at path (RFC 4180, UTF-8; see data/orgs.csv).
 * The header names columns of dv_org; id, name_uk, name_en, kind,
 * services, areas and source are required, the others optional, in any
 * order; updated_at is accepted and ignored. List fields are separated by
 * spaces, phones by ";"; an empty field is NULL; age_min, age_max are
 * whole numbers, national and retired 0 or 1, verified_on YYYY-MM-DD.
 * The whole file is checked first. Every problem is appended to *report
 * as "FILE:LINE: message", in line order (bad quoting, a missing, unknown
 * or repeated column, a wrong number of fields, an unknown code, an empty
 * name, an id used twice, a bad date or age range, invalid UTF-8 or a
 * control character); then nothing is imported and DV_EINVAL returned.
 * Otherwise every row is written in one BEGIN IMMEDIATE transaction:
 * a new id is added, an existing one is updated in the columns the file
 * has (its other columns keep their values), an identical one is left
 * alone; entries absent from the file are kept. Audited as org.import
 * with the counts. *stats (may be NULL) receives the counts.
 * DV_EPERM unless actor is a supervisor or admin. */
int orgs_import(dv_db *db, const char *actor, const char *path, dv_buf *report,
		orgs_import_stats *stats, dv_error *e);

typedef enum orgs_format { ORGS_CSV, ORGS_JSON } orgs_format;

/* Write every entry, retired included, ordered by id, to out: CSV with
 * every column (importing it gives back the same directory), or a JSON
 * array of objects (lists as arrays, flags as booleans, absent values as
 * null). Any account may export. Audited as org.export; DV_EIO if out
 * fails. Returns the number of entries or a negative dv_code. */
long orgs_export(dv_db *db, const char *actor, FILE *out, orgs_format format, dv_error *e);

/* Parse "csv" or "json"; -1 if neither. */
int orgs_format_parse(const char *s);

/* ---- The seed ------------------------------------------------------- */

/* The seed directory shipped with dovira: $DOVIRA_DATADIR/orgs.csv when
 * that variable is set (running from the build tree), else
 * PKGDATADIR/orgs.csv. The string is static; the next call replaces it. */
const char *orgs_default_seed_path(void);

/* If the directory is empty, import csv_path as actor (dovira init does
 * this with orgs_default_seed_path()). A directory that already has
 * entries is left alone (DV_OK). On problems in the file e->msg holds the
 * first one and how many there are. */
int orgs_seed_if_empty(dv_db *db, const char *actor, const char *csv_path, dv_error *e);

#endif
