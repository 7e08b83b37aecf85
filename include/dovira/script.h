/* script.h: the intake script an operator follows during a call.
 *
 * The script is a UTF-8 text file (format: dovira-script(5)) that a hotline
 * coordinator edits: a header (id, version), steps with their texts in
 * Ukrainian and English, options, "show if" conditions over earlier
 * answers, mappings onto the core columns of the call record, option
 * weights, risk rules and referral rules. script_load() reads and checks it,
 * collecting every problem as "FILE:LINE: message"; a script that loads
 * has passed every check.
 *
 * The engine side is what the screens drive: an answers object holds the
 * answer to each step as a string; from it the engine says which steps are
 * visible, where next/previous go, what is still missing, the risk level,
 * the recommended referrals and the values of the core columns.
 *
 * Answers to steps that are not visible are kept (so that going back and
 * forth loses nothing) but count for nothing: conditions, score, risk,
 * referrals and columns all treat them as unanswered. script_prune() drops
 * them for good, typically before the record is saved.
 *
 * Free text (steps of kind text and notes) is stored here exactly as typed;
 * the caller passes it through the redactor before it is stored anywhere.
 *
 * Nothing here draws, touches the database or keeps global state; a script
 * is read-only after loading and may be shared by any number of answers.
 */
#ifndef DOVIRA_SCRIPT_H
#define DOVIRA_SCRIPT_H

#include <stddef.h>

#include "dovira/columns.h"
#include "dovira/util.h"

/* The file installed with the program (PKGDATADIR/intake.script). */
#define SCRIPT_DEFAULT_NAME "intake.script"

/* Limits a script must respect; beyond them it is refused. */
enum {
	SCRIPT_MAX_FILE = 1 << 20,  /* bytes in a file */
	SCRIPT_MAX_LINE = 2048,     /* bytes in one line (after joining '\' continuations: 8192) */
	SCRIPT_MAX_STEPS = 500,
	SCRIPT_MAX_OPTIONS = 100,   /* options of one step */
	SCRIPT_MAX_RULES = 500,     /* risk, referral and queue rules, each */
	SCRIPT_MAX_ID = 40,         /* bytes in a step id, option code or script id */
	SCRIPT_MAX_LABEL = 60,      /* characters in an option label */
	SCRIPT_MAX_TEXT = 240,      /* characters in a step's text */
	SCRIPT_MAX_HELP = 600,      /* characters in a step's help */
	SCRIPT_MAX_SECTION = 40,    /* characters in a section's name */
	SCRIPT_MAX_DIAGS = 200      /* problems reported before giving up */
};

typedef enum script_kind {
	SCRIPT_SINGLE,  /* one option */
	SCRIPT_MULTI,   /* any number of options */
	SCRIPT_YESNO,   /* options "yes" and "no" */
	SCRIPT_NUMBER,  /* a whole number within [min, max] */
	SCRIPT_TEXT,    /* a short line of free text */
	SCRIPT_NOTES,   /* free text of any length */
	SCRIPT_RAION,   /* an area code from places.h (PLACES_AREAS) */
	SCRIPT_COUNTRY, /* a country code from places.h (PLACES_COUNTRIES) */
	SCRIPT_NKINDS
} script_kind;

typedef enum script_risk {
	SCRIPT_RISK_NONE,
	SCRIPT_RISK_POSSIBLE,
	SCRIPT_RISK_LIKELY
} script_risk;

/* One choice of a step. */
typedef struct script_option {
	const char *code; /* ASCII code stored as the answer: "trafficking", "PL", "yes" */
	const char *uk;   /* Ukrainian label (never NULL) */
	const char *en;   /* English label (never NULL) */
	int weight;       /* added to the score when chosen (0 if not given) */
	int exclusive;    /* multi: choosing it clears the others ("none of these") */
} script_option;

/* One step, read-only; valid as long as its script. */
typedef struct script_step {
	const char *id;                /* unique id: "topic", "red_flags" */
	script_kind kind;
	const char *text_uk, *text_en; /* the question (never NULL) */
	const char *help_uk, *help_en; /* help for the operator, or both NULL */
	const char *section_uk, *section_en; /* the part of the call it belongs
	                                * to ("section.uk"), inherited from the
	                                * step before when not given; or NULL */
	int required;                  /* must be answered when visible */
	long long min, max;            /* number: inclusive bounds, by default
	                                * 0 and 1000000000 (other kinds: 0) */
	int column;                    /* call_col it maps onto (columns.h), or -1 */
	int has_condition;             /* 0: always visible */
	size_t nopts;                  /* options, in display order: */
	const script_option *opts;     /*   single/multi from the file, yesno
	                                *   yes/no, raion/country the places
	                                *   tables; none for the other kinds */
	unsigned line;                 /* line of its "step" line in the file */
} script_step;

/* A recommended referral. Pointers stay valid as long as the script. */
typedef struct script_referral {
	const char *org;     /* directory id: "dszn-zoda", "line-527" */
	const char *service; /* "status", "legal", ... (never NULL) */
	unsigned line;       /* the rule's line in the file */
} script_referral;

/* One problem found in a script file. */
typedef struct script_diag {
	char *file;    /* the name given to script_load/script_parse */
	unsigned line; /* 1-based */
	char *msg;     /* translated, one line, no trailing newline */
} script_diag;

/* The problems of one load, sorted by line (then by order found). */
typedef struct script_diags {
	script_diag *v;
	size_t n;
} script_diags;

typedef struct script script;
typedef struct script_answers script_answers;

/* ---- loading and checking ---- */

/* Read and check the script file at path. On success store a new script in
 * *out (free it with script_free) and return DV_OK. If the file has
 * problems, append every one of them to *diags (which must be
 * zero-initialised or hold earlier problems), set *out to NULL and return
 * DV_EINVAL. If the file cannot be read, set *out to NULL and return
 * DV_ENOTFOUND or DV_EIO with e->msg "cannot open PATH: reason" (diags
 * untouched). diags may be NULL when the caller does not want them; e may
 * not (util.h). */
int script_load(const char *path, script **out, script_diags *diags, dv_error *e);

/* The same for text already in memory: len bytes at text (which need not
 * be NUL-terminated and may contain any bytes; NULL when len is 0); name
 * is used in the problems' file field. Returns DV_OK or DV_EINVAL as
 * script_load. */
int script_parse(const char *name, const char *text, size_t len, script **out, script_diags *diags);

/* Check every referral rule against the directory: services_of(id, arg)
 * returns a new string with the services the entry offers (codes
 * separated by spaces, "" for none, "*" when it cannot tell; the caller
 * frees it), or NULL when the directory has no such id. An unknown id, or a service the entry does
 * not offer, is appended to *diags with the rule's line. Returns the
 * number of such rules. (Parsing checks only the shape of an id, so that
 * a coordinator can name an organisation a supervisor has just added.) */
int script_check_orgs(const script *s, char *(*services_of)(const char *id, void *arg), void *arg,
		      script_diags *diags);

/* Release a script (NULL is fine). Answers made from it must be freed first. */
void script_free(script *s);

/* Release the problems held in d and reset it to empty (NULL is fine). */
void script_diags_free(script_diags *d);

/* ---- the script and its steps ---- */

const char *script_id(const script *s);      /* "zp-hotline" */
const char *script_version(const script *s); /* "2026.11"; saved with each call */
/* The script's title in the language of the messages, or NULL if none. */
const char *script_title(const script *s);

size_t script_nsteps(const script *s);
size_t script_nrisk_rules(const script *s);
size_t script_nrefer_rules(const script *s);
size_t script_ndanger_rules(const script *s);
size_t script_nqueue_rules(const script *s);

/* The i-th step in file order, or NULL if i is out of range. */
const script_step *script_step_at(const script *s, size_t i);

/* The index of the step with this id, or -1 if there is none. */
long script_step_index(const script *s, const char *id);

/* The option of st with this code, or NULL. */
const script_option *script_step_option(const script_step *st, const char *code);

/* The name of the step's section in the current language, or NULL when
 * the script names none. */
const char *script_step_section(const script_step *st);

/* Texts in the language of the messages (i18n_pick): the question, the
 * help (NULL if none) and an option's label. */
const char *script_step_text(const script_step *st);
const char *script_step_help(const script_step *st);
const char *script_option_label(const script_option *o);

/* Names as written in the file: "single", "likely"; NULL when the
 * value is out of range. */
const char *script_kind_name(script_kind k);
const char *script_risk_name(script_risk r);

/* The risk level for a person to read, translated: "none", "possible",
 * "likely" in the language of the messages. */
const char *script_risk_label(script_risk r);

/* ---- answers ---- */

/* A new, empty set of answers for s (s must outlive it). Never NULL. */
script_answers *script_answers_new(const script *s);

/* Release the answers (NULL is fine). */
void script_answers_free(script_answers *a);

/* The script the answers belong to. */
const script *script_answers_script(const script_answers *a);

/* Set the answer of the step with this id from its string form:
 *   single, raion, country: an option code ("consult", "melitopolskyi", "PL")
 *   multi:   codes separated by commas ("documents,movement"), blanks
 *            around them ignored; an exclusive option only on its own
 *   yesno:   "yes" or "no"
 *   number:  a whole decimal number, optionally signed, within [min, max]
 *   text:    one line (no newline); notes: any text. Neither is checked
 *            for personal data: redact before storing.
 * An empty value (or "" for multi) clears the answer. Any visibility is
 * accepted: answers to hidden steps are kept but ignored.
 * Returns DV_OK, or DV_ENOTFOUND (no such step) or DV_EINVAL (bad value)
 * with a translated message in *e; the answer is then unchanged. */
int script_answers_set(script_answers *a, const char *step_id, const char *value, dv_error *e);

/* For a multi step: choose the option code if it is not chosen, else
 * un-choose it. Choosing an exclusive option clears the others; choosing
 * another clears the exclusive one. For a single, yesno, raion or country
 * step: choose code (choosing the chosen one clears the answer).
 * Returns as script_answers_set. */
int script_answers_toggle(script_answers *a, const char *step_id, const char *code, dv_error *e);

/* Clear the answer to the step (nothing happens for an unknown id). */
void script_answers_clear(script_answers *a, const char *step_id);

/* The answer in the string form script_answers_set takes (multi: the codes
 * in option order, comma-separated), or NULL if unanswered or no such
 * step. The string belongs to a and changes with the next change to it. */
const char *script_answers_get(const script_answers *a, const char *step_id);

/* 1 if the answer to the step includes the option code (multi: chosen;
 * other kinds: equal), else 0. Hidden steps are not looked at specially. */
int script_answers_has(const script_answers *a, const char *step_id, const char *code);

/* ---- the engine: everything below treats answers to hidden steps as
 * unanswered. Step positions are indexes into the step list. ---- */

/* 1 if step i is visible under the answers (its "show if" holds), else 0
 * (also for i out of range). */
int script_visible(const script_answers *a, size_t i);

/* The first visible step after position from (from = -1: the first visible
 * step), or -1 if there is none. */
long script_next(const script_answers *a, long from);

/* The last visible step before position from (from = nsteps: the last
 * visible step), or -1 if there is none. */
long script_prev(const script_answers *a, long from);

/* The first visible required step without an answer, or -1 if every
 * visible required step is answered (the call may be completed). */
long script_first_missing(const script_answers *a);

/* The risk level now: the highest level among the risk rules that hold
 * (none if none does). If score is not NULL it receives the score: the sum
 * of the weights of the chosen options of the visible steps. */
script_risk script_risk_now(const script_answers *a, int *score);

/* The referral rules that hold now, in rule order, each (org, service)
 * once. Stores a newly allocated array in *out (the caller frees it; NULL
 * when there are none) and returns its length. */
size_t script_referrals(const script_answers *a, script_referral **out);

/* 1 if a danger rule holds now ("danger if CONDITION": someone is in
 * danger right now, so every screen of the call says so), else 0. */
int script_danger(const script_answers *a);
/* The names of the queue rules ("queue NAME if CONDITION") that hold now,
 * in rule order, each once: the call belongs in the supervisors'
 * high-risk queue when there is any. Stores a newly allocated array in
 * *out (the caller frees the array, not the strings, which live as long
 * as the script; NULL when none) and returns its length. */
size_t script_queue(const script_answers *a, const char ***out);

/* The file lines of the risk rules that hold now, in rule order, so that
 * a reader can be told why the risk is what it is. Stores a newly
 * allocated array in *lines (NULL when none) and returns its length. */
size_t script_risk_why(const script_answers *a, unsigned **lines);

/* The values of the core columns implied by the answers: values[c] is the
 * answer of the visible step mapped onto column c (option code, area or
 * country code, "yes"/"no", or the text), or NULL when no step maps onto
 * c, or it is hidden or unanswered. The strings belong to a and change
 * with the next change to it. */
void script_columns(const script_answers *a, const char *values[COL_NCOLS]);

/* Drop the answers to the steps that are hidden now (after an earlier
 * answer changed), keeping every answer to a visible step. Returns how
 * many answers were dropped. */
size_t script_prune(script_answers *a);

#endif
