/* audit_check.c: what `dovira check` proves about the audit: the keyed
 * chain row by row, that it still reaches the last anchored head, and that
 * every staff row and final call is what the audit says it is. Each part
 * reads in short transactions, so that writers are never held up for long. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit_int.h"
#include "dbi.h"
#include "dovira/audit.h"
#include "dovira/i18n.h"
#include "dovira/priv.h"

/* Rows per read transaction. */
#define CHUNK 5000
/* Problems reported one by one, per kind; the rest are counted. */
#define MAX_LINES 20
#define DV_STR_(x) #x
#define DV_STR(x) DV_STR_(x)

static void problem(dv_buf *report, long *n, const char *fmt, ...)
{
	if ((*n)++ >= MAX_LINES)
		return;
	va_list ap;
	va_start(ap, fmt);
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	dv_buf_adds(report, s);
	dv_buf_addc(report, '\n');
	free(s);
}

static void more(dv_buf *report, long n)
{
	if (n > MAX_LINES)
		dv_buf_printf(report, ngettext("... and %ld more like it\n", "... and %ld more like them\n", (unsigned long)(n - MAX_LINES)),
			      n - MAX_LINES);
}

/* ---- the chain ---- */

/* A hash (or any short text) into a 65-byte field, cut to fit: per row,
 * where snprintf cost a tenth of the walk. */
static void copy65(char dst[static 65], const char *src)
{
	size_t n = src ? strnlen(src, 64) : 0;
	memcpy(dst, src ? src : "", n);
	dst[n] = '\0';
}

typedef struct chain {
	char prev[65];
	long long want, legacy, seal_at;
	long bad_link, bad_mac, bad_legacy;
	int keyed_seen;
	const audit_anchor *anchor;
	int anchor_seen;
} chain;

static void check_row(dv_db *db, chain *c, const audit_row *r, dv_buf *report)
{
	char mac[65], v1[65];
	if (r->seq != c->want)
		problem(report, &c->bad_link, _("audit row %lld: expected row %lld here; rows are missing"), r->seq, c->want);
	else if (!r->prev || strcmp(r->prev, c->prev) != 0)
		problem(report, &c->bad_link, _("audit row %lld: does not continue the chain (the row before it was changed or removed)"), r->seq);
	audit_row_mac(&db->key, r, mac);
	if (r->hash && strcmp(r->hash, mac) == 0) {
		if (!c->keyed_seen && c->legacy && (strcmp(r->action, AUDIT_SEAL) != 0))
			problem(report, &c->bad_legacy, _("audit rows 1 to %lld are not keyed and no seal follows them: they were written or rewritten without the program's key"),
				c->legacy);
		if (!c->keyed_seen && c->legacy)
			c->seal_at = r->seq;
		c->keyed_seen = 1;
	} else {
		audit_row_v1(r, v1);
		if (!c->keyed_seen && !r->digest && r->hash && strcmp(r->hash, v1) == 0)
			c->legacy = r->seq;
		else
			problem(report, &c->bad_mac, _("audit row %lld (%s): its keyed hash does not match: the row was altered, or the chain was recomputed without the program's key"),
				r->seq, r->action ? r->action : "?");
	}
	if (c->anchor && r->seq == c->anchor->seq) {
		c->anchor_seen = 1;
		if (!r->hash || strcmp(r->hash, c->anchor->hash) != 0)
			problem(report, &c->bad_link, _("audit row %lld: differs from the head anchored by '%s' at %s: the chain was rewritten since"),
				r->seq, c->anchor->by, c->anchor->at);
	}
	copy65(c->prev, r->hash);
	c->want = r->seq + 1;
}

/* One chunk of rows after seq *from; 0 at the end, 1 if more may follow,
 * a dv_code on failure. */
static void collect_digest(audit_records *j, const audit_row *r);

static int chain_chunk(dv_db *db, chain *c, long long *from, long *rows, audit_head *head, audit_records *into,
		       dv_buf *report, dv_error *e)
{
	static const char sql[] = "SELECT seq, at, actor, action, object, detail, digest, prev_hash, hash"
		" FROM audit WHERE seq > ?1 ORDER BY seq LIMIT " DV_STR(CHUNK);
	sqlite3_stmt *st = dbi_cached(db, sql, e);
	if (!st)
		return e->code;
	sqlite3_bind_int64(st, 1, *from);
	int rc, n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *f[8];
		for (int i = 0; i < 8; i++)
			f[i] = (const char *)sqlite3_column_text(st, i + 1);
		audit_row r = {sqlite3_column_int64(st, 0), f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7]};
		check_row(db, c, &r, report);
		if (into && r.digest && r.object && r.action)
			collect_digest(into, &r);
		*from = r.seq;
		head->seq = r.seq;
		copy65(head->hash, f[7]);
		n++;
	}
	sqlite3_reset(st);
	*rows += n;
	if (rc != SQLITE_DONE)
		return dbi_fail(db, rc, _("reading the audit trail"), e);
	return n == CHUNK;
}

static void digests_walked(audit_records *j);

int audit_verify_into(dv_db *db, const audit_anchor *anchor, audit_records *into, dv_buf *report, long *rows,
		      audit_head *head, dv_error *e)
{
	if (dbi_audit_key(db, 0, e))
		return e->code;
	chain c = {.want = 1, .anchor = anchor};
	memcpy(c.prev, audit_genesis, 65);
	long long from = 0;
	int rc;
	*rows = 0;
	head->seq = 0;
	memcpy(head->hash, audit_genesis, 65);
	while ((rc = chain_chunk(db, &c, &from, rows, head, into, report, e)) == 1)
		;
	if (rc < 0)
		return rc;
	if (into)
		digests_walked(into);
	if (c.legacy && !c.keyed_seen)
		problem(report, &c.bad_legacy, _("audit rows 1 to %lld are not keyed: the chain was written or rewritten without the program's key"), c.legacy);
	if (anchor && !c.anchor_seen)
		problem(report, &c.bad_link, _("audit: the chain ends at row %lld, but '%s' anchored row %lld at %s: the rows after %lld were removed"),
			head->seq, anchor->by, anchor->seq, anchor->at, head->seq);
	more(report, c.bad_link);
	more(report, c.bad_mac);
	return c.bad_link || c.bad_mac || c.bad_legacy ? DV_ECORRUPT : DV_OK;
}

int audit_verify_to(dv_db *db, const audit_anchor *anchor, dv_buf *report, long *rows, audit_head *head, dv_error *e)
{
	return audit_verify_into(db, anchor, NULL, report, rows, head, e);
}

int audit_verify(dv_db *db, dv_buf *report, long *rows, dv_error *e)
{
	audit_head h;
	return audit_verify_to(db, NULL, report, rows, &h, e);
}

/* ---- anchors ----
 * One line per record: "SEQ HASH AT BY MAC PATH". MAC is the HMAC with
 * the audit key over the rest, so that a line cannot be forged without it;
 * the last line for a database's real path is its anchor. */

static void anchor_mac(dv_db *db, const char *path, const audit_anchor *a, char out[static 65])
{
	char *msg = xasprintf("dovira-anchor|%s|%lld|%s|%s|%s", path, a->seq, a->hash, a->at, a->by);
	unsigned char d[32];
	hmac_sha256(&db->key, msg, strlen(msg), d);
	sha256_hex(d, out);
	free(msg);
}

/* The real path of the database, which names its anchor. */
static char *anchor_name(dv_db *db)
{
	char *rp = realpath(db->path, NULL);
	return rp ? rp : xstrdup(db->path);
}

int audit_anchor_find(dv_db *db, audit_anchor *out, dv_buf *report, dv_error *e)
{
	if (dbi_audit_key(db, 0, e))
		return e->code;
	FILE *f = fopen(db->anchors_path, "r");
	if (!f)
		return errno == ENOENT ? 0 : dv_fail(e, DV_EIO, _("%s: cannot read the audit anchors: %s"), db->anchors_path, strerror(errno));
	char *name = anchor_name(db), line[PATH_MAX + 256];
	int found = 0, n = 0, bad = 0;
	while (fgets(line, sizeof line, f)) {
		audit_anchor a = {0};
		char mac[65], want[65];
		int off = 0;
		n++;
		line[strcspn(line, "\n")] = '\0';
		if (sscanf(line, "%lld %64s %20s %15s %64s %n", &a.seq, a.hash, a.at, a.by, mac, &off) != 5 || off == 0) {
			dv_buf_printf(report, _("%s:%d: not an anchor line (the file was edited)\n"), db->anchors_path, n);
			bad = 1;
			continue;
		}
		if (strcmp(line + off, name) != 0)
			continue;
		anchor_mac(db, name, &a, want);
		if (strcmp(mac, want) != 0) {
			dv_buf_printf(report, _("%s:%d: the anchor is not signed with the audit key (the file was edited)\n"), db->anchors_path, n);
			bad = 1;
			continue;
		}
		*out = a;
		found = 1;
	}
	fclose(f);
	free(name);
	if (bad)
		return dv_fail(e, DV_ECORRUPT, _("%s: the audit anchors were tampered with"), db->anchors_path);
	return found;
}

int audit_anchor_record(dv_db *db, const audit_head *h, const char *by, dv_error *e)
{
	if (dbi_audit_key(db, 0, e))
		return e->code;
	audit_anchor a = {.seq = h->seq};
	snprintf(a.hash, sizeof a.hash, "%s", h->hash);
	dv_utc_iso(dv_now(), a.at);
	snprintf(a.by, sizeof a.by, "%s", by);
	char *name = anchor_name(db), mac[65];
	anchor_mac(db, name, &a, mac);
	char *line = xasprintf("%lld %s %s %s %s %s\n", a.seq, a.hash, a.at, a.by, mac, name);
	free(name);
	/* Whoever may write the database appends: through the program's
	 * group when installed setgid (priv.h), or the database's own group. */
	int fd = audit_open_private(db, db->anchors_path, 0, 0);
	size_t len = strlen(line);
	int ok = fd >= 0 && write(fd, line, len) == (ssize_t)len && fsync(fd) == 0;
	int err = errno;
	if (fd >= 0)
		close(fd);
	free(line);
	return ok ? DV_OK : dv_fail(e, DV_EIO, _("%s: cannot record the audit anchor: %s"), db->anchors_path, strerror(err));
}

/* ---- records against their last audited digest ---- */

typedef struct cursor {
	sqlite3_stmt *st;
	int rc; /* SQLITE_ROW while positioned on a row */
} cursor;

static int cur_open(dv_db *db, cursor *c, const char *sql, const char *lo, const char *hi, dv_error *e)
{
	if (!(c->st = dbi_cached(db, sql, e)))
		return e->code;
	dbi_bind_text(c->st, 1, lo);
	dbi_bind_text(c->st, 2, hi);
	c->rc = sqlite3_step(c->st);
	return DV_OK;
}

static const char *cur_key(cursor *c)
{
	return c->rc == SQLITE_ROW ? (const char *)sqlite3_column_text(c->st, 0) : NULL;
}

/* Feed the child rows of key (column 0) into d, advancing the cursor. */
static void feed_children(cursor *c, const char *key, sha256_ctx *d)
{
	const char *k;
	while ((k = cur_key(c)) && strcmp(k, key) < 0)
		c->rc = sqlite3_step(c->st);
	while ((k = cur_key(c)) && strcmp(k, key) == 0) {
		audit_feed_row(d, c->st, 1, sqlite3_column_count(c->st) - 1);
		c->rc = sqlite3_step(c->st);
	}
}

/* Step past the child rows of key (column 0) unread: a draft's. */
static void skip_children(cursor *c, const char *key)
{
	const char *k;
	while ((k = cur_key(c)) && strcmp(k, key) == 0)
		c->rc = sqlite3_step(c->st);
}

/* Answers below key (to the end if NULL) belong to no call: on a
 * snapshot this walk proves the foreign key of answers, which the
 * integrity part then leaves out (db_integrity_but). */
static void orphans_upto(cursor *c, const char *key, dv_buf *report, long *bad)
{
	const char *k;
	while ((k = cur_key(c)) && (!key || strcmp(k, key) < 0)) {
		char id[80];
		size_t len = strnlen(k, sizeof id - 1);
		memcpy(id, k, len);
		id[len] = '\0';
		problem(report, bad, _("answers to call %s: there is no such call: they were left behind when it was deleted, or added, outside the program"), id);
		skip_children(c, id);
	}
}

typedef struct last_digest {
	char digest[65];
	long long seq;
	int have;
} last_digest;

/* An audited change with a digest, as the chain walk collects them
 * (audit_verify_into): the digest in 32 bytes when it is 64 lower-case
 * hex digits, else only what it was. */
enum { DIG_HEX, DIG_GONE, DIG_OTHER };

typedef struct dig_ent {
	uint64_t key; /* key8(obj), to sort by */
	const char *obj;
	long long seq;
	unsigned char d[32];
	unsigned char kind;
} dig_ent;

typedef struct dig_vec {
	dig_ent *v;
	size_t n, cap;
} dig_vec;

/* The audited changes of one range of keys, in key order and then in the
 * order they were made: from the audit table (cursor) or collected. */
typedef struct audit_src {
	cursor *c;
	const dig_ent *v;
	size_t n, *pos;
} audit_src;

static const char *src_key(audit_src *a)
{
	return a->c ? cur_key(a->c) : *a->pos < a->n ? a->v[*a->pos].obj : NULL;
}

static void src_take(audit_src *a, last_digest *d)
{
	if (a->c) {
		snprintf(d->digest, sizeof d->digest, "%s", (const char *)sqlite3_column_text(a->c->st, 1));
		d->seq = sqlite3_column_int64(a->c->st, 2);
		a->c->rc = sqlite3_step(a->c->st);
		return;
	}
	const dig_ent *x = &a->v[(*a->pos)++];
	if (x->kind == DIG_HEX)
		sha256_hex(x->d, d->digest);
	else
		snprintf(d->digest, sizeof d->digest, "%s", x->kind == DIG_GONE ? AUDIT_GONE : "?");
	d->seq = x->seq;
}

/* Audited objects below key whose record is missing; then key's digest. */
static void audit_upto(audit_src *a, const char *key, last_digest *out, const char *gone_msg, dv_buf *report, long *bad)
{
	const char *k;
	out->have = 0;
	while ((k = src_key(a)) && (!key || strcmp(k, key) <= 0)) {
		int same = key && strcmp(k, key) == 0;
		char obj[80];
		size_t len = strlen(k);
		if (len >= sizeof obj)
			len = sizeof obj - 1;
		memcpy(obj, k, len);
		obj[len] = '\0';
		last_digest d = {.have = 1};
		while ((k = src_key(a)) && strcmp(k, obj) == 0)
			src_take(a, &d);
		if (same)
			*out = d;
		else if (strcmp(d.digest, AUDIT_GONE) != 0)
			problem(report, bad, gone_msg, obj, d.seq);
	}
}

typedef struct rec_spec {
	/* Messages: a record the audit names is gone; one the audit never
	 * saw; one that differs from its last audited digest. */
	const char *gone, *added, *changed;
	const char *prefix;  /* digest prefix, as audit.c */
	const char *rows;    /* key first, then the digest columns; ?1 < key <= ?2, ordered, LIMIT */
	const char *edge;    /* the key CHUNK rows after ?1 (up to ?2), if there are so many */
	const char *children[2];
	const char *audit;   /* object, digest, seq for objects in (?1, ?2] */
	int final_col;       /* column of status ('final' is checked), or -1: all */
	int label_col;       /* column shown beside the key */
} rec_spec;

static const rec_spec CALLS = {
	N_("call %s: audit row %lld recorded it, but it is no longer in the database: it was deleted outside the program"),
	N_("call %s (%s): final, but no audited change made it: it was added outside the program"),
	N_("call %s (%s): differs from its last audited state (audit row %lld): it was changed outside the program"),
	"call|",
	"SELECT " AUDIT_CALL_COLUMNS " FROM calls WHERE id > ?1 AND id <= ?2 ORDER BY id LIMIT " DV_STR(CHUNK),
	"SELECT id FROM calls WHERE id > ?1 AND id <= ?2 ORDER BY id LIMIT 1 OFFSET " DV_STR(CHUNK) " - 1",
	{"SELECT call_id, " AUDIT_ANSWER_COLUMNS " FROM answers WHERE call_id > ?1 AND call_id <= ?2 ORDER BY call_id, step",
	 "SELECT call_id, " AUDIT_REFERRAL_COLUMNS " FROM referrals WHERE call_id > ?1 AND call_id <= ?2 ORDER BY call_id, org_id, service"},
	"SELECT object, digest, seq FROM audit WHERE digest IS NOT NULL AND object > ?1 AND object <= ?2"
	" AND action NOT GLOB 'staff.*' AND action NOT GLOB 'org.*' AND action NOT IN " AUDIT_CASE_ACTIONS_SQL
	" ORDER BY object, seq",
	9, 1,
};

static const rec_spec STAFF = {
	N_("staff member %s: audit row %lld recorded them, but they are no longer in the staff table: the row was deleted outside the program"),
	N_("staff member %s (%s): no audited change made this row: it was added outside the program"),
	N_("staff member %s (%s): the row differs from its last audited state (audit row %lld): it was changed outside the program"),
	"staff|",
	"SELECT " AUDIT_STAFF_COLUMNS " FROM staff WHERE login > ?1 AND login <= ?2 ORDER BY login LIMIT " DV_STR(CHUNK),
	"SELECT login FROM staff WHERE login > ?1 AND login <= ?2 ORDER BY login LIMIT 1 OFFSET " DV_STR(CHUNK) " - 1",
	{NULL, NULL},
	"SELECT object, digest, seq FROM audit WHERE digest IS NOT NULL AND object > ?1 AND object <= ?2"
	" AND action GLOB 'staff.*' ORDER BY object, seq",
	-1, 1,
};

/* The directory's entries and the cases, each against the last audited
 * change of it (migration 18). Their audit rows are read through the
 * partial indexes audit_org and audit_case, whose conditions the queries
 * repeat word for word (else SQLite would not use them). */
static const rec_spec ORGS = {
	N_("directory entry %s: audit row %lld recorded it, but it is no longer in the directory: it was deleted outside the program"),
	N_("directory entry %s (%s): no audited change made it: it was added outside the program"),
	N_("directory entry %s (%s): differs from its last audited state (audit row %lld): it was changed outside the program"),
	"org|",
	"SELECT " AUDIT_ORG_COLUMNS " FROM orgs WHERE id > ?1 AND id <= ?2 ORDER BY id LIMIT " DV_STR(CHUNK),
	"SELECT id FROM orgs WHERE id > ?1 AND id <= ?2 ORDER BY id LIMIT 1 OFFSET " DV_STR(CHUNK) " - 1",
	{NULL, NULL},
	"SELECT object, digest, seq FROM audit WHERE digest IS NOT NULL AND action GLOB 'org.*'"
	" AND object > ?1 AND object <= ?2 ORDER BY object, seq",
	-1, 1,
};

static const rec_spec CASES = {
	N_("case %s: audit row %lld recorded it, but it is no longer in the database: it was deleted outside the program"),
	N_("case %s (%s): no audited change made it: it was added outside the program"),
	N_("case %s (%s): differs from its last audited state (audit row %lld): it was changed outside the program"),
	"case|",
	"SELECT " AUDIT_CASE_COLUMNS " FROM cases WHERE id > ?1 AND id <= ?2 ORDER BY id LIMIT " DV_STR(CHUNK),
	"SELECT id FROM cases WHERE id > ?1 AND id <= ?2 ORDER BY id LIMIT 1 OFFSET " DV_STR(CHUNK) " - 1",
	{NULL, NULL},
	"SELECT object, digest, seq FROM audit WHERE digest IS NOT NULL AND action IN " AUDIT_CASE_ACTIONS_SQL
	" AND object > ?1 AND object <= ?2 ORDER BY object, seq",
	-1, 1,
};

/* Finish a record's digest (c holds it up to its children): whether it is
 * the last audited one. */
static int digest_matches(sha256_ctx *c, const last_digest *d)
{
	unsigned char raw[32];
	char hex[65];
	sha256_final(c, raw);
	sha256_hex(raw, hex);
	return d->have && strcmp(d->digest, hex) == 0;
}

static void record_differs(const rec_spec *sp, const char *key, const char *label, const last_digest *d,
			   dv_buf *report, long *bad)
{
	if (!d->have)
		problem(report, bad, _(sp->added), key, label);
	else
		problem(report, bad, _(sp->changed), key, label, d->seq);
}

/* A record's digest begun: its prefix and its row (st, from column 0). */
static void record_head(sha256_ctx *c, const rec_spec *sp, sqlite3_stmt *st)
{
	sha256_init(c);
	sha256_update(c, sp->prefix, strlen(sp->prefix));
	audit_feed_row(c, st, 0, sqlite3_column_count(st));
}

static void check_record(const rec_spec *sp, sqlite3_stmt *st, cursor ch[2], const last_digest *d, dv_buf *report, long *bad)
{
	const char *key = (const char *)sqlite3_column_text(st, 0);
	sha256_ctx c;
	record_head(&c, sp, st);
	for (int k = 0; k < 2 && sp->children[k]; k++) {
		sha256_update(&c, k ? "referrals|" : "answers|", k ? 10 : 8);
		feed_children(&ch[k], key, &c);
	}
	if (sp->final_col >= 0 && strcmp((const char *)sqlite3_column_text(st, sp->final_col), "final") != 0)
		return;
	if (!digest_matches(&c, d))
		record_differs(sp, key, (const char *)sqlite3_column_text(st, sp->label_col), d, report, bad);
}

/* One chunk of records after *from, up to end, in one read transaction,
 * against the audit's rows (or those collected, when dig is not NULL).
 * 1 if more may follow, 0 at the end, a dv_code on failure. */
static int records_chunk(dv_db *db, const rec_spec *sp, const dig_vec *dig, size_t *dpos, char **from, const char *end,
			 long *n, dv_buf *report, long *bad, dv_error *e)
{
	if (dbi_exec(db, "BEGIN", e))
		return e->code;
	sqlite3_stmt *st = dbi_cached(db, sp->rows, e);
	sqlite3_stmt *edge = st ? dbi_cached(db, sp->edge, e) : NULL;
	int code = edge ? DV_OK : e->code, rc = SQLITE_DONE;
	/* The chunk's last key, from the key index alone, bounds the child and
	 * audit ranges; NULL (to end) for the last chunk. */
	const char *hi = end;
	char *last = NULL;
	if (edge) {
		dbi_bind_text(edge, 1, *from);
		dbi_bind_text(edge, 2, end);
		if ((rc = sqlite3_step(edge)) == SQLITE_ROW)
			hi = last = xstrdup((const char *)sqlite3_column_text(edge, 0));
		else if (rc != SQLITE_DONE)
			code = dbi_fail(db, rc, _("checking the records against the audit"), e);
		sqlite3_reset(edge);
	}
	cursor ch[2] = {{0}}, au = {0};
	audit_src src = {.c = &au};
	if (dig)
		src = (audit_src){.v = dig->v, .n = dig->n, .pos = dpos};
	for (int k = 0; !code && k < 2 && sp->children[k]; k++)
		code = cur_open(db, &ch[k], sp->children[k], *from, hi, e);
	if (!code && !dig)
		code = cur_open(db, &au, sp->audit, *from, hi, e);
	if (!code) {
		const char *gone = _(sp->gone); /* once a chunk, not once a record */
		dbi_bind_text(st, 1, *from);
		dbi_bind_text(st, 2, end);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			last_digest d;
			audit_upto(&src, (const char *)sqlite3_column_text(st, 0), &d, gone, report, bad);
			check_record(sp, st, ch, &d, report, bad);
			(*n)++;
		}
		if (!last)
			audit_upto(&src, NULL, &(last_digest){0}, gone, report, bad);
		if (rc != SQLITE_DONE && rc != SQLITE_ROW)
			code = dbi_fail(db, rc, _("checking the records against the audit"), e);
		sqlite3_reset(st);
	}
	for (int k = 0; k < 2; k++)
		if (ch[k].st)
			sqlite3_reset(ch[k].st);
	if (au.st)
		sqlite3_reset(au.st);
	dv_error ignored;
	dbi_exec(db, "COMMIT", &ignored); /* a read: nothing to lose */
	free(*from);
	*from = last;
	return code ? code : last != NULL;
}

/* The records are checked in ranges of keys, each on its own, so that
 * several threads can share the work (audit_records_work): the staff in
 * one range, the calls (ids are lower-case hex) by the two digits that
 * follow the prefix every call's id shares (audit_records_prefix; none
 * by default). A call's id begins with its hour (calls_make_id), so the
 * calls of one database share their first four to six digits: ranged by
 * its first two, all would lie in one range, and one thread would check
 * them all while the others wait. Every key lies in exactly one range
 * (lo, hi], whatever the prefix: the first begins below any text, the
 * last ends past any. */
#define CALL_RANGES 257
#define KEY_END "\xff"
#define PREFIX_MAX 9 /* the hour's digits and the dash at most: then the random digits */
#define BOUND_SIZE (PREFIX_MAX + 3)

static void range_bounds(const char *pre, int i, char lo[BOUND_SIZE], char hi[BOUND_SIZE])
{
	static const char hex[] = "0123456789abcdef";
	size_t n = strlen(pre);
	lo[0] = hi[0] = '\0';
	if (i > 1) {
		memcpy(lo, pre, n);
		lo[n] = hex[(i - 2) >> 4], lo[n + 1] = hex[(i - 2) & 15], lo[n + 2] = '\0';
	}
	if (i < CALL_RANGES) {
		memcpy(hi, pre, n);
		hi[n] = hex[(i - 1) >> 4], hi[n + 1] = hex[(i - 1) & 15], hi[n + 2] = '\0';
	}
}

/* A lower-case hex digit's value plus one; 0 for any other byte (a table:
 * random digits would defeat the branches of a comparison). */
static const unsigned char hex1[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6, ['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10,
	['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
};

static int hexval(int c)
{
	return hex1[c & 255] - 1;
}

/* The range of a call's id: the first whose upper bound is not below it. */
static int range_of(const char *pre, size_t plen, const char *id)
{
	if (strncmp(id, pre, plen) == 0) {
		const char *d = id + plen;
		int a = hexval((unsigned char)d[0]), b = a >= 0 ? hexval((unsigned char)d[1]) : -1;
		if (b >= 0) /* "xy..." lies above "xy" (range xy + 1) and up to the next */
			return (a << 4 | b) + (d[2] ? 2 : 1);
	}
	int lo = 1, hi = CALL_RANGES; /* the answer lies in [lo, hi] */
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		char l[BOUND_SIZE], h[BOUND_SIZE];
		range_bounds(pre, mid, l, h);
		if (strcmp(id, h) <= 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* ---- on a snapshot: the calls read in the order they are stored ----
 * Read by id, every call costs a descent of the table from the id's index
 * (a million random ones at a million calls); read in rowid order it
 * costs a step. So on a snapshot (where nothing changes between reads)
 * the calls are read in slices of rowids, each final call hashed up to
 * its children and kept in memory under its id's range; the audit's
 * digests come from the chain walk, which reads every row anyway
 * (audit_verify_into); then each range is sorted and walked in id order
 * beside its answers and referrals, which are stored in that order. */
#define SLICES 16
#define ARENA_BLOCK (1 << 20)

typedef struct arena {
	struct arena *next;
	size_t used, cap;
	char data[];
} arena;

static void *arena_alloc(arena **a, size_t n)
{
	n = (n + 15) & ~(size_t)15;
	if (!*a || (*a)->used + n > (*a)->cap) {
		size_t cap = n > ARENA_BLOCK ? n : ARENA_BLOCK;
		arena *b = xmalloc(sizeof *b + cap);
		b->next = *a, b->used = 0, b->cap = cap;
		*a = b;
	}
	void *p = (*a)->data + (*a)->used;
	(*a)->used += n;
	return p;
}

static char *arena_strdup(arena **a, const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(arena_alloc(a, n), s, n);
}

static void arena_free(arena *a)
{
	while (a) {
		arena *next = a->next;
		free(a);
		a = next;
	}
}

typedef struct call_ent {
	uint64_t key; /* key8(id), to sort by */
	const char *id;
	sha256_ctx *ctx; /* a final call hashed up to its children; NULL for a draft */
} call_ent;

typedef struct ent_vec {
	call_ent *v;
	size_t n, cap;
} ent_vec;

typedef struct slice {
	ent_vec by[1 + CALL_RANGES]; /* by range (0, the staff's, unused) */
	arena *mem;
} slice;

typedef struct range_result {
	dv_buf report;
	long n, bad;
	long cases, orgs; /* range 0: read after the staff */
	int code;
	dv_error e;
	size_t dpos; /* the next collected digest of the range */
} range_result;

struct audit_records {
	int next; /* the next range to take (atomically) */
	range_result r[1 + CALL_RANGES];
	/* on a snapshot (audit_records_new(1)) */
	int snapshot;
	int next_slice;                 /* atomically */
	slice *slices;                  /* SLICES of them */
	long long first_rowid, last_rowid;
	int bounds_known, slices_done;
	int scan_code;
	dv_error scan_e;
	dig_vec dig[1 + CALL_RANGES];   /* collected by the chain walk, by range */
	char prefix[PREFIX_MAX + 1];    /* that every call's id shares (audit_records_prefix) */
	size_t plen;
	arena *dig_mem;
	int dig_walked;                 /* the walk read every row */
	int dig_state;                  /* 0 awaited, 1 collected, -1 none: read the audit table */
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

audit_records *audit_records_new(int snapshot)
{
	audit_records *j = xcalloc(1, sizeof(audit_records));
	j->snapshot = snapshot;
	pthread_mutex_init(&j->mu, NULL);
	pthread_cond_init(&j->cv, NULL);
	if (snapshot)
		j->slices = xcalloc(SLICES, sizeof(slice));
	else
		j->dig_state = -1;
	return j;
}

/* The first 8 bytes of s, big-endian, zero after its end: keys compare as
 * strcmp does when they differ. */
static uint64_t key8(const char *s)
{
	uint64_t k = 0;
	int end = 0;
	for (int i = 0; i < 8; i++) {
		end |= !s[i];
		k = k << 8 | (end ? 0 : (unsigned char)s[i]);
	}
	return k;
}

static void collect_digest(audit_records *j, const audit_row *r)
{
	if (!j->snapshot || audit_action_is_org(r->action) || audit_action_is_case(r->action))
		return; /* read by SQL with the staff (range_by_key) */
	int i = strncmp(r->action, "staff.", 6) == 0 ? 0 : range_of(j->prefix, j->plen, r->object);
	dig_vec *v = &j->dig[i];
	if (v->n == v->cap) {
		v->cap = v->cap ? 2 * v->cap : 256;
		v->v = xrealloc(v->v, v->cap * sizeof *v->v);
	}
	dig_ent *x = &v->v[v->n++];
	x->obj = arena_strdup(&j->dig_mem, r->object);
	x->key = key8(x->obj);
	x->seq = r->seq;
	x->kind = strcmp(r->digest, AUDIT_GONE) == 0 ? DIG_GONE : strlen(r->digest) == 64 ? DIG_HEX : DIG_OTHER;
	if (x->kind == DIG_HEX) {
		const unsigned char *h = (const unsigned char *)r->digest;
		unsigned bad = 0;
		for (int k = 0; k < 32; k++) {
			unsigned a = hex1[h[2 * k]], b = hex1[h[2 * k + 1]];
			bad |= !a | !b;
			x->d[k] = (unsigned char)((a - 1) << 4 | ((b - 1) & 15));
		}
		if (bad)
			x->kind = DIG_OTHER;
	}
}

static void digests_walked(audit_records *j)
{
	j->dig_walked = 1;
}

int audit_records_proves_answers(const audit_records *j)
{
	return j->snapshot;
}

void audit_records_digests_end(audit_records *j)
{
	pthread_mutex_lock(&j->mu);
	if (j->dig_state == 0)
		j->dig_state = j->dig_walked ? 1 : -1;
	pthread_cond_broadcast(&j->cv);
	pthread_mutex_unlock(&j->mu);
}

static void ent_push(ent_vec *v, call_ent x)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? 2 * v->cap : 64;
		v->v = xrealloc(v->v, v->cap * sizeof *v->v);
	}
	v->v[v->n++] = x;
}

/* The calls of slice s of the rowids, each under its id's range. */
static int scan_slice(dv_db *db, audit_records *j, int s, dv_error *e)
{
	__int128 span = (__int128)j->last_rowid - j->first_rowid + 1;
	long long lo = (long long)(j->first_rowid + span * s / SLICES), hi = (long long)(j->first_rowid + span * (s + 1) / SLICES);
	sqlite3_stmt *st = dbi_cached(db, s < SLICES - 1 ? "SELECT " AUDIT_CALL_COLUMNS " FROM calls WHERE rowid >= ?1 AND rowid < ?2"
					      : "SELECT " AUDIT_CALL_COLUMNS " FROM calls WHERE rowid >= ?1", e);
	if (!st)
		return e->code;
	sqlite3_bind_int64(st, 1, lo);
	if (s < SLICES - 1)
		sqlite3_bind_int64(st, 2, hi);
	slice *sl = &j->slices[s];
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 0), *status = (const char *)sqlite3_column_text(st, CALLS.final_col);
		call_ent x = {0, arena_strdup(&sl->mem, id ? id : ""), NULL};
		x.key = key8(x.id);
		if (status && strcmp(status, "final") == 0) {
			x.ctx = arena_alloc(&sl->mem, sizeof *x.ctx);
			record_head(x.ctx, &CALLS, st);
			sha256_update(x.ctx, "answers|", 8);
		}
		ent_push(&sl->by[range_of(j->prefix, j->plen, x.id)], x);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? DV_OK : dbi_fail(db, rc, _("checking the records against the audit"), e);
}

static int ent_cmp(const void *a, const void *b)
{
	const call_ent *x = a, *y = b;
	return x->key != y->key ? (x->key > y->key) - (x->key < y->key) : strcmp(x->id, y->id);
}

static int dig_cmp(const void *a, const void *b)
{
	const dig_ent *x = a, *y = b;
	int c = x->key != y->key ? (x->key > y->key) - (x->key < y->key) : strcmp(x->obj, y->obj);
	return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

/* A call's label for a message: its case code. */
static char *call_label(dv_db *db, const char *id)
{
	dv_error e;
	sqlite3_stmt *st = dbi_cached(db, "SELECT case_code FROM calls WHERE id = ?1", &e);
	char *s = NULL;
	if (st) {
		dbi_bind_text(st, 1, id);
		if (sqlite3_step(st) == SQLITE_ROW)
			s = xstrdup((const char *)sqlite3_column_text(st, 0));
		sqlite3_reset(st);
	}
	return s ? s : xstrdup("?");
}

/* Range i of the calls, from the slices, against the collected digests
 * (or, if the walk gave none, the audit's rows of the range). */
static int calls_range(dv_db *db, audit_records *j, int i, range_result *r)
{
	char lo[BOUND_SIZE], hi[BOUND_SIZE];
	range_bounds(j->prefix, i, lo, hi);
	const char *end = hi[0] ? hi : KEY_END;
	size_t n = 0;
	for (int s = 0; s < SLICES; s++)
		n += j->slices[s].by[i].n;
	call_ent *v = xmalloc((n ? n : 1) * sizeof *v);
	n = 0;
	for (int s = 0; s < SLICES; s++) {
		ent_vec *b = &j->slices[s].by[i];
		if (b->n)
			memcpy(v + n, b->v, b->n * sizeof *v);
		n += b->n;
	}
	qsort(v, n, sizeof *v, ent_cmp);
	dig_vec *dig = j->dig_state == 1 ? &j->dig[i] : NULL;
	if (dig && dig->n)
		qsort(dig->v, dig->n, sizeof *dig->v, dig_cmp);
	if (dbi_exec(db, "BEGIN", &r->e)) {
		free(v);
		return r->e.code;
	}
	cursor ch[2] = {{0}}, au = {0};
	audit_src src = {.c = &au};
	int code = DV_OK;
	if (dig)
		src = (audit_src){.v = dig->v, .n = dig->n, .pos = &r->dpos};
	else
		code = cur_open(db, &au, CALLS.audit, lo, end, &r->e);
	for (int k = 0; !code && k < 2; k++)
		code = cur_open(db, &ch[k], CALLS.children[k], lo, end, &r->e);
	const char *gone = _(CALLS.gone);
	for (size_t k = 0; !code && k < n; k++) {
		last_digest d;
		audit_upto(&src, v[k].id, &d, gone, &r->report, &r->bad);
		orphans_upto(&ch[0], v[k].id, &r->report, &r->bad);
		r->n++;
		if (!v[k].ctx) {
			skip_children(&ch[0], v[k].id);
			continue;
		}
		sha256_ctx c = *v[k].ctx;
		feed_children(&ch[0], v[k].id, &c);
		sha256_update(&c, "referrals|", 10);
		feed_children(&ch[1], v[k].id, &c);
		if (digest_matches(&c, &d))
			continue;
		char *label = call_label(db, v[k].id);
		record_differs(&CALLS, v[k].id, label, &d, &r->report, &r->bad);
		free(label);
	}
	if (!code) {
		audit_upto(&src, NULL, &(last_digest){0}, gone, &r->report, &r->bad);
		orphans_upto(&ch[0], NULL, &r->report, &r->bad);
	}
	for (int k = 0; k < 2; k++) {
		if (!code && ch[k].st && ch[k].rc != SQLITE_DONE && ch[k].rc != SQLITE_ROW)
			code = dbi_fail(db, ch[k].rc, _("checking the records against the audit"), &r->e);
		if (ch[k].st)
			sqlite3_reset(ch[k].st);
	}
	if (!code && au.st && au.rc != SQLITE_DONE && au.rc != SQLITE_ROW)
		code = dbi_fail(db, au.rc, _("checking the records against the audit"), &r->e);
	if (au.st)
		sqlite3_reset(au.st);
	dv_error ignored;
	dbi_exec(db, "COMMIT", &ignored);
	free(v);
	return code;
}

/* Range i by keys from the database, in chunks; against the collected
 * digests when dig is not NULL. */
static void range_by_key(dv_db *db, const char *pre, int i, dig_vec *dig, range_result *r)
{
	if (dig && dig->n)
		qsort(dig->v, dig->n, sizeof *dig->v, dig_cmp);
	char lo[BOUND_SIZE], hi[BOUND_SIZE];
	if (i == 0)
		lo[0] = hi[0] = '\0';
	else
		range_bounds(pre, i, lo, hi);
	char *from = xstrdup(lo);
	const char *end = hi[0] ? hi : KEY_END;
	int rc;
	while ((rc = records_chunk(db, i ? &CALLS : &STAFF, dig, &r->dpos, &from, end, &r->n, &r->report, &r->bad, &r->e)) == 1)
		;
	free(from);
	/* With the staff, the cases and the directory: a few thousand rows,
	 * their audit rows read by SQL (the chain walk collects only the
	 * calls' and the staff's). */
	const rec_spec *more[] = {&CASES, &ORGS};
	long *count[] = {&r->cases, &r->orgs};
	for (int k = 0; i == 0 && rc >= 0 && k < 2; k++) {
		size_t pos = 0;
		from = xstrdup("");
		while ((rc = records_chunk(db, more[k], NULL, &pos, &from, KEY_END, count[k], &r->report, &r->bad, &r->e)) == 1)
			;
		free(from);
	}
	r->code = rc < 0 ? rc : DV_OK;
}

int audit_records_prefix(audit_records *j, dv_db *db, dv_error *e)
{
	sqlite3_stmt *st = dbi_cached(db, "SELECT min(id), max(id) FROM calls", e);
	if (!st)
		return e->code;
	int rc = sqlite3_step(st);
	size_t n = 0;
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
		const char *a = (const char *)sqlite3_column_text(st, 0), *b = (const char *)sqlite3_column_text(st, 1);
		while (n < PREFIX_MAX && a[n] && a[n] == b[n] && (hexval((unsigned char)a[n]) >= 0 || a[n] == '-'))
			n++;
		memcpy(j->prefix, a, n);
	}
	j->prefix[n] = '\0';
	j->plen = n;
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? DV_OK : dbi_fail(db, rc, _("checking the records against the audit"), e);
}

void audit_records_others(const audit_records *j, long *cases, long *orgs)
{
	*cases = j->r[0].cases;
	*orgs = j->r[0].orgs;
}

/* The snapshot's first part: read the calls in slices of rowids. */
static void scan_work(audit_records *j, dv_db *db)
{
	pthread_mutex_lock(&j->mu);
	if (!j->bounds_known) {
		dv_error e;
		sqlite3_stmt *st = dbi_cached(db, "SELECT min(rowid), max(rowid) FROM calls", &e);
		int rc = st ? sqlite3_step(st) : SQLITE_ERROR;
		if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
			j->first_rowid = sqlite3_column_int64(st, 0), j->last_rowid = sqlite3_column_int64(st, 1);
		else
			j->first_rowid = 1, j->last_rowid = 0;
		if (!st)
			j->scan_code = e.code, j->scan_e = e;
		else if (rc != SQLITE_ROW)
			j->scan_code = dbi_fail(db, rc, _("checking the records against the audit"), &j->scan_e);
		if (st)
			sqlite3_reset(st);
		j->bounds_known = 1;
	}
	int unreadable = j->scan_code != DV_OK;
	pthread_mutex_unlock(&j->mu);
	int s;
	while ((s = __atomic_fetch_add(&j->next_slice, 1, __ATOMIC_RELAXED)) < SLICES) {
		dv_error e;
		int code = DV_OK;
		if (unreadable)
			; /* the bounds could not be read: nothing to scan */
		else if (dbi_exec(db, "BEGIN", &e) == DV_OK) {
			code = scan_slice(db, j, s, &e);
			dv_error ignored;
			dbi_exec(db, "COMMIT", &ignored);
		} else {
			code = e.code;
		}
		pthread_mutex_lock(&j->mu);
		if (code && !j->scan_code)
			j->scan_code = code, j->scan_e = e;
		if (++j->slices_done == SLICES)
			pthread_cond_broadcast(&j->cv);
		pthread_mutex_unlock(&j->mu);
	}
	/* Every slice read, and the chain walked (or given up on). */
	pthread_mutex_lock(&j->mu);
	while (j->slices_done < SLICES || j->dig_state == 0)
		pthread_cond_wait(&j->cv, &j->mu);
	pthread_mutex_unlock(&j->mu);
}

void audit_records_work(audit_records *j, dv_db *db)
{
	if (j->snapshot)
		scan_work(j, db);
	int i;
	while ((i = __atomic_fetch_add(&j->next, 1, __ATOMIC_RELAXED)) < 1 + CALL_RANGES) {
		range_result *r = &j->r[i];
		if (j->snapshot && j->scan_code)
			r->code = DV_OK; /* reported once, by audit_records_end */
		else if (j->snapshot && i > 0)
			r->code = calls_range(db, j, i, r);
		else
			range_by_key(db, j->prefix, i, j->dig_state == 1 ? &j->dig[i] : NULL, r);
	}
}

/* Append ranges from..to-1 of one kind to report: at most MAX_LINES
 * lines in all, then how many more. The number of problems. */
static long merge(audit_records *j, int from, int to, dv_buf *report)
{
	long bad = 0, lines = 0;
	for (int i = from; i < to; i++) {
		const char *p = j->r[i].report.s;
		for (long k = 0; p && *p && k < MAX_LINES && lines < MAX_LINES; k++, lines++) {
			const char *nl = strchr(p, '\n');
			size_t len = nl ? (size_t)(nl - p + 1) : strlen(p);
			dv_buf_add(report, p, len);
			p += len;
		}
		bad += j->r[i].bad;
	}
	more(report, bad);
	return bad;
}

int audit_records_end(audit_records *j, dv_buf *report, long *calls, long *staff, dv_error *e)
{
	int code = j->scan_code;
	if (code)
		*e = j->scan_e;
	*staff = j->r[0].n;
	*calls = 0;
	for (int i = 0; i < 1 + CALL_RANGES; i++) {
		if (i)
			*calls += j->r[i].n;
		if (!code && j->r[i].code) {
			code = j->r[i].code;
			*e = j->r[i].e;
		}
	}
	long bad = 0;
	if (!code)
		bad = merge(j, 0, 1, report) + merge(j, 1, 1 + CALL_RANGES, report);
	for (int i = 0; i < 1 + CALL_RANGES; i++) {
		dv_buf_free(&j->r[i].report);
		free(j->dig[i].v);
	}
	for (int s = 0; j->slices && s < SLICES; s++) {
		for (int i = 0; i < 1 + CALL_RANGES; i++)
			free(j->slices[s].by[i].v);
		arena_free(j->slices[s].mem);
	}
	free(j->slices);
	arena_free(j->dig_mem);
	pthread_mutex_destroy(&j->mu);
	pthread_cond_destroy(&j->cv);
	free(j);
	return code ? code : bad ? DV_ECORRUPT : DV_OK;
}

int audit_check_records(dv_db *db, dv_buf *report, long *calls, long *staff, dv_error *e)
{
	audit_records *j = audit_records_new(0);
	dv_error pe;
	audit_records_prefix(j, db, &pe); /* without it, ranged as if by none */
	audit_records_work(j, db);
	return audit_records_end(j, report, calls, staff, e);
}
