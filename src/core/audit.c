/* audit.c: the append-only audit trail and its hash chain. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbi.h"
#include "dovira/audit.h"
#include "dovira/i18n.h"
#include "dovira/sanitize.h"

static const char GENESIS[] =
	"0000000000000000000000000000000000000000000000000000000000000000";

/* The hash of one row: SHA-256 over its fields, each preceded by its
 * length, so that no two different rows encode to the same bytes. */
static void row_hash(long long seq, const char *at, const char *actor, const char *action,
		     const char *object, const char *detail, const char *prev, char out[static 65])
{
	dv_buf b = {0};
	const char *f[] = {at, actor, action, object, detail, prev};
	dv_buf_printf(&b, "dovira-audit-v1|%lld|", seq);
	for (size_t i = 0; i < sizeof f / sizeof *f; i++) {
		if (f[i])
			dv_buf_printf(&b, "%zu:%s|", strlen(f[i]), f[i]);
		else
			dv_buf_adds(&b, "-|");
	}
	audit_sha256_hex(b.s, b.len, out);
	dv_buf_free(&b);
}

/* The last row's sequence number and hash (GENESIS and 0 if none). */
static int last_row(dv_db *db, long long *seq, char prev[static 65], dv_error *e)
{
	sqlite3_stmt *st = dbi_prepare(db, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", e);
	if (!st)
		return e->code;
	int rc = sqlite3_step(st);
	*seq = 0;
	memcpy(prev, GENESIS, 65);
	if (rc == SQLITE_ROW) {
		*seq = sqlite3_column_int64(st, 0);
		const char *h = (const char *)sqlite3_column_text(st, 1);
		snprintf(prev, 65, "%s", h ? h : "");
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return dbi_fail(db, rc, _("reading the audit trail"), e);
	return DV_OK;
}

int audit_append(dv_db *db, const char *actor, const char *action,
		 const char *object, const char *detail, dv_error *e)
{
	long long seq;
	char prev[65], hash[65], at[21];
	if (last_row(db, &seq, prev, e))
		return e->code;
	seq++;
	dv_utc_iso(dv_now(), at);
	char *clean = detail ? sanitize(detail, 0) : NULL;
	row_hash(seq, at, actor, action, object, clean, prev, hash);
	sqlite3_stmt *st = dbi_prepare(db,
		"INSERT INTO audit(seq, at, actor, action, object, detail, prev_hash, hash)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", e);
	int code = st ? DV_OK : e->code;
	if (st) {
		sqlite3_bind_int64(st, 1, seq);
		const char *v[] = {at, actor, action, object, clean, prev, hash};
		for (int i = 0; i < 7; i++)
			dbi_bind_text(st, i + 2, v[i]);
		int rc = sqlite3_step(st);
		if (rc != SQLITE_DONE)
			code = dbi_fail(db, rc, _("writing the audit trail"), e);
		sqlite3_finalize(st);
	}
	free(clean);
	return code;
}

int audit_log(dv_db *db, const char *actor, const char *action,
	      const char *object, const char *detail, dv_error *e)
{
	if (dbi_begin(db, e))
		return e->code;
	if (audit_append(db, actor, action, object, detail, e)) {
		dbi_rollback(db);
		return e->code;
	}
	return dbi_commit(db, e);
}

/* Check one row against the one before; report what is wrong. */
static int check_row(sqlite3_stmt *st, long long want_seq, char prev[static 65], dv_buf *report)
{
	long long seq = sqlite3_column_int64(st, 0);
	const char *f[7];
	for (int i = 0; i < 7; i++)
		f[i] = (const char *)sqlite3_column_text(st, i + 1);
	int bad = 0;
	char hash[65];
	if (seq != want_seq) {
		dv_buf_printf(report, _("audit row %lld: expected row %lld here; rows are missing\n"), seq, want_seq);
		bad = 1;
	}
	if (!f[5] || strcmp(f[5], prev) != 0) {
		dv_buf_printf(report, _("audit row %lld: does not continue the chain (the row before it was changed or removed)\n"), seq);
		bad = 1;
	}
	row_hash(seq, f[0], f[1], f[2], f[3], f[4], f[5] ? f[5] : "", hash);
	if (!f[6] || strcmp(f[6], hash) != 0) {
		dv_buf_printf(report, _("audit row %lld: its content does not match its hash (the row was altered)\n"), seq);
		bad = 1;
	}
	snprintf(prev, 65, "%s", f[6] ? f[6] : "");
	return bad;
}

int audit_verify(dv_db *db, dv_buf *report, long *rows, dv_error *e)
{
	sqlite3_stmt *st = dbi_prepare(db,
		"SELECT seq, at, actor, action, object, detail, prev_hash, hash FROM audit ORDER BY seq", e);
	if (!st)
		return e->code;
	char prev[65];
	memcpy(prev, GENESIS, 65);
	long long want = 1;
	long bad = 0;
	int rc;
	*rows = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		bad += check_row(st, want, prev, report);
		want = sqlite3_column_int64(st, 0) + 1;
		(*rows)++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return dbi_fail(db, rc, _("reading the audit trail"), e);
	return bad ? DV_ECORRUPT : DV_OK;
}
