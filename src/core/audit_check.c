/* audit_check.c: what `dovira check` proves about the audit: the keyed
 * chain row by row, that it still reaches the last anchored head, and that
 * every staff row and final call is what the audit says it is. Each part
 * reads in short transactions, so that writers are never held up for long. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
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
	snprintf(c->prev, 65, "%s", r->hash ? r->hash : "");
	c->want = r->seq + 1;
}

/* One chunk of rows after seq *from; 0 at the end, 1 if more may follow,
 * a dv_code on failure. */
static int chain_chunk(dv_db *db, chain *c, long long *from, long *rows, audit_head *head, dv_buf *report, dv_error *e)
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
		*from = r.seq;
		head->seq = r.seq;
		snprintf(head->hash, sizeof head->hash, "%s", f[7] ? f[7] : "");
		n++;
	}
	sqlite3_reset(st);
	*rows += n;
	if (rc != SQLITE_DONE)
		return dbi_fail(db, rc, _("reading the audit trail"), e);
	return n == CHUNK;
}

int audit_verify_to(dv_db *db, const audit_anchor *anchor, dv_buf *report, long *rows, audit_head *head, dv_error *e)
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
	while ((rc = chain_chunk(db, &c, &from, rows, head, report, e)) == 1)
		;
	if (rc < 0)
		return rc;
	if (c.legacy && !c.keyed_seen)
		problem(report, &c.bad_legacy, _("audit rows 1 to %lld are not keyed: the chain was written or rewritten without the program's key"), c.legacy);
	if (anchor && !c.anchor_seen)
		problem(report, &c.bad_link, _("audit: the chain ends at row %lld, but '%s' anchored row %lld at %s: the rows after %lld were removed"),
			head->seq, anchor->by, anchor->seq, anchor->at, head->seq);
	more(report, c.bad_link);
	more(report, c.bad_mac);
	return c.bad_link || c.bad_mac || c.bad_legacy ? DV_ECORRUPT : DV_OK;
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

typedef struct last_digest {
	char digest[65];
	long long seq;
	int have;
} last_digest;

/* Audited objects below key whose record is missing; then key's digest. */
static void audit_upto(cursor *a, const char *key, last_digest *out, const char *gone_msg, dv_buf *report, long *bad)
{
	const char *k;
	out->have = 0;
	while ((k = cur_key(a)) && (!key || strcmp(k, key) <= 0)) {
		int same = key && strcmp(k, key) == 0;
		char obj[80];
		snprintf(obj, sizeof obj, "%s", k);
		last_digest d = {.have = 1};
		while ((k = cur_key(a)) && strcmp(k, obj) == 0) {
			snprintf(d.digest, sizeof d.digest, "%s", (const char *)sqlite3_column_text(a->st, 1));
			d.seq = sqlite3_column_int64(a->st, 2);
			a->rc = sqlite3_step(a->st);
		}
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
	" AND action NOT GLOB 'staff.*' ORDER BY object, seq",
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

static void check_record(const rec_spec *sp, sqlite3_stmt *st, cursor ch[2], const last_digest *d, dv_buf *report, long *bad)
{
	const char *key = (const char *)sqlite3_column_text(st, 0);
	sha256_ctx c;
	unsigned char raw[32];
	char hex[65];
	sha256_init(&c);
	sha256_update(&c, sp->prefix, strlen(sp->prefix));
	audit_feed_row(&c, st, 0, sqlite3_column_count(st));
	for (int k = 0; k < 2 && sp->children[k]; k++) {
		sha256_update(&c, k ? "referrals|" : "answers|", k ? 10 : 8);
		feed_children(&ch[k], key, &c);
	}
	if (sp->final_col >= 0 && strcmp((const char *)sqlite3_column_text(st, sp->final_col), "final") != 0)
		return;
	sha256_final(&c, raw);
	sha256_hex(raw, hex);
	const char *label = (const char *)sqlite3_column_text(st, sp->label_col);
	if (!d->have)
		problem(report, bad, _(sp->added), key, label);
	else if (strcmp(d->digest, hex) != 0)
		problem(report, bad, _(sp->changed), key, label, d->seq);
}

/* One chunk of records after *from, up to end, in one read transaction.
 * 1 if more may follow, 0 at the end, a dv_code on failure. */
static int records_chunk(dv_db *db, const rec_spec *sp, char **from, const char *end, long *n, dv_buf *report, long *bad, dv_error *e)
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
	for (int k = 0; !code && k < 2 && sp->children[k]; k++)
		code = cur_open(db, &ch[k], sp->children[k], *from, hi, e);
	if (!code)
		code = cur_open(db, &au, sp->audit, *from, hi, e);
	if (!code) {
		const char *gone = _(sp->gone); /* once a chunk, not once a record */
		dbi_bind_text(st, 1, *from);
		dbi_bind_text(st, 2, end);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			last_digest d;
			audit_upto(&au, (const char *)sqlite3_column_text(st, 0), &d, gone, report, bad);
			check_record(sp, st, ch, &d, report, bad);
			(*n)++;
		}
		if (!last)
			audit_upto(&au, NULL, &(last_digest){0}, gone, report, bad);
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
 * one range, the calls (ids are lower-case hex) by their first two
 * digits. Every key lies in exactly one range (lo, hi]; the last ends
 * past any text. */
#define CALL_RANGES 257
#define KEY_END "\xff"

typedef struct range_result {
	dv_buf report;
	long n, bad;
	int code;
	dv_error e;
} range_result;

struct audit_records {
	int next; /* the next range to take (atomically) */
	range_result r[1 + CALL_RANGES];
};

audit_records *audit_records_new(void)
{
	return xcalloc(1, sizeof(audit_records));
}

static void range_bounds(int i, char lo[3], char hi[3])
{
	static const char hex[] = "0123456789abcdef";
	lo[0] = hi[0] = '\0';
	if (i > 1)
		lo[0] = hex[(i - 2) >> 4], lo[1] = hex[(i - 2) & 15], lo[2] = '\0';
	if (i < CALL_RANGES)
		hi[0] = hex[(i - 1) >> 4], hi[1] = hex[(i - 1) & 15], hi[2] = '\0';
}

void audit_records_work(audit_records *j, dv_db *db)
{
	int i;
	while ((i = __atomic_fetch_add(&j->next, 1, __ATOMIC_RELAXED)) < 1 + CALL_RANGES) {
		range_result *r = &j->r[i];
		char lo[3], hi[3];
		if (i == 0)
			lo[0] = hi[0] = '\0';
		else
			range_bounds(i, lo, hi);
		char *from = xstrdup(lo);
		const char *end = hi[0] ? hi : KEY_END;
		int rc;
		while ((rc = records_chunk(db, i ? &CALLS : &STAFF, &from, end, &r->n, &r->report, &r->bad, &r->e)) == 1)
			;
		free(from);
		r->code = rc < 0 ? rc : DV_OK;
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
	int code = DV_OK;
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
	for (int i = 0; i < 1 + CALL_RANGES; i++)
		dv_buf_free(&j->r[i].report);
	free(j);
	return code ? code : bad ? DV_ECORRUPT : DV_OK;
}

int audit_check_records(dv_db *db, dv_buf *report, long *calls, long *staff, dv_error *e)
{
	audit_records *j = audit_records_new();
	audit_records_work(j, db);
	return audit_records_end(j, report, calls, staff, e);
}
