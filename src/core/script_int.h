/* script_int.h: the inside of the intake script, shared by its four files:
 *   script.c         reading the file, the per-step checks, accessors
 *   script_cond.c    conditions: parsing, resolving names, evaluating
 *   script_check.c   the checks across the whole script: cycles and steps
 *                    or rules that can never apply
 *   script_engine.c  answers and everything the screens ask
 * Not installed and not for other modules: they use dovira/script.h.
 */
#ifndef DOVIRA_SCRIPT_INT_H
#define DOVIRA_SCRIPT_INT_H

#include <stddef.h>

#include "dovira/script.h"

/* Operators of an atom. */
typedef enum sc_op {
	OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE,
	OP_IN, OP_NOTIN, OP_HAS, OP_ANSWERED
} sc_op;

/* What an atom looks at. */
typedef enum sc_operand {
	OPD_STEP,       /* the answer of a step */
	OPD_COUNT,      /* count(step): options chosen in a multi step */
	OPD_SCORE_STEP, /* score(step): weights chosen in one step */
	OPD_SCORE,      /* score: weights chosen in every visible step */
	OPD_RISK        /* risk: the level of the risk rules */
} sc_operand;

typedef struct sc_atom {
	sc_operand opd;
	sc_op op;
	char *name;         /* the step id as written (NULL for score, risk) */
	unsigned col;       /* column of the operand, for messages */
	long step;          /* resolved step index, or -1 */
	size_t nvals;       /* values compared with (1 but for in/not in) */
	char **vals;        /* as written */
	unsigned *vcols;    /* their columns */
	long long *nums;    /* resolved: number, risk level, or option index (multi) */
} sc_atom;

typedef enum sc_node_type { N_AND, N_OR, N_NOT, N_ATOM } sc_node_type;

typedef struct sc_node {
	sc_node_type type;
	struct sc_node *a, *b; /* and/or: both; not: a */
	sc_atom atom;          /* N_ATOM */
} sc_node;

/* Where a condition stands; it decides what it may refer to. */
typedef enum sc_context { CTX_SHOW, CTX_RISK, CTX_REFER } sc_context;

typedef struct sc_cond {
	sc_node *root; /* NULL when it did not parse */
	unsigned line;
	int ok;        /* parsed and resolved without a problem */
	int uses_score, uses_risk;
} sc_cond;

/* The part of a step the public struct does not show. */
typedef struct sc_stepx {
	sc_cond *cond;
	unsigned keyline[16];  /* line of each step key seen (0: not yet) */
	unsigned *optline;     /* line of each option */
	unsigned (*optkey)[4]; /* line of each option key seen */
	int owns_opts;         /* opts were read from the file */
	int bad;               /* its id was refused: no further messages */
	int kind_ok;           /* its kind was given and known */
	int lost_line;         /* a line of it was refused: missing texts may be on it */
	int lost_option;       /* an option line was refused: do not count options */
	int toomany_opts;      /* the option limit was reported */
} sc_stepx;

typedef struct sc_rule {
	script_risk level;   /* risk rules */
	char *org, *service; /* referral rules; queue rules: org is the code */
	sc_cond *cond;       /* NULL: always (referral rules only) */
	unsigned line;
} sc_rule;

struct script {
	char *name;
	char *id, *version, *title_uk, *title_en;
	unsigned headline[4];
	script_step *steps;
	sc_stepx *x;
	size_t nsteps, capsteps;
	sc_rule *risk, *refer, *queue, *danger;
	size_t nrisk, nrefer, nqueue, ndanger;
	script_option yesno[2];
	script_option *areas, *countries;
	size_t nareas, ncountries;
	/* while reading */
	script_diags *diags;
	size_t content_lines;
	int toomany_steps, toomany_rules, toomany_diags;
	char quotebuf[4][168];
	unsigned quotei;
};

/* The value an atom is evaluated against. */
typedef struct sc_val {
	int set;                     /* answered (and visible) */
	const char *code;            /* single, yesno, raion, country */
	long long num;               /* number; score; risk level */
	const unsigned char *chosen; /* multi: one flag per option */
} sc_val;

/* Record a problem at line of the script being read. */
void sc_diag(script *s, unsigned line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* A piece of the file cut for a message: at most 40 characters, cut on a
 * character boundary. Returns one of four buffers of s used in turn, so a
 * message may quote up to four pieces. */
const char *sc_quote(script *s, const char *str);

/* Parse a whole decimal number of at most 15 digits with an optional
 * sign; 0 on success. */
int sc_parse_int(const char *s, long long *out);

/* Parse the condition text (NUL-terminated); col0 is the column of its
 * first character in the file's line. Syntax problems are reported.
 * Never NULL; ->ok is 0 when it did not parse. */
sc_cond *sc_cond_parse(script *s, const char *text, unsigned line, unsigned col0);

/* Resolve the names of a parsed condition: steps, options, values, and
 * whether the context allows them (self: the index of the step whose
 * condition it is, for CTX_SHOW). Problems are reported; ->ok cleared. */
void sc_cond_resolve(script *s, sc_cond *c, sc_context ctx, long self);

void sc_cond_free(sc_cond *c);

/* Does the atom hold for the value v of what it looks at? */
int sc_atom_holds(const script *s, const sc_atom *at, const sc_val *v);

/* Evaluate a condition tree, asking lookup for the value of each atom. */
typedef sc_val (*sc_lookup)(void *ctx, const sc_atom *at);
int sc_eval(const script *s, const sc_node *n, sc_lookup lookup, void *ctx);

/* Call fn for every atom of the tree. */
void sc_atoms(const sc_node *n, void (*fn)(const sc_atom *at, void *arg), void *arg);

/* The checks across the whole script (after every condition resolved). */
void sc_check(script *s);

#endif
