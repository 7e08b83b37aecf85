/* audit.c: the append-only audit trail, its keyed chain, and the digest of
 * the record each audited change left behind. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit_int.h"
#include "dbi.h"
#include "dovira/audit.h"
#include "dovira/i18n.h"
#include "dovira/sanitize.h"
#include "dovira/staff.h"
#include "dovira/priv.h"

const char audit_genesis[65] =
	"0000000000000000000000000000000000000000000000000000000000000000";

/* ---- the key ---- */

static int hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

int audit_open_private(const struct dv_db *db, const char *path, int excl, int key)
{
	gid_t gid;
	int shared = priv_dir_shared(db->path, &gid);
	mode_t mode = priv_setgid() || shared ? (key ? 0640 : 0660) : 0600;
	int fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | (excl ? O_EXCL : O_APPEND), mode);
	/* The set-group-ID directory gives a new file its group; say so
	 * again for a directory that lost the bit after the file was made. */
	if (fd >= 0 && shared && fchown(fd, (uid_t)-1, gid) != 0) {
		/* not a member of that group: the file stays the owner's */
	}
	return fd;
}

/* Make a new key file: 32 random bytes as hex, never over an existing one
 * (another process may have just made it), readable by the accounts that
 * may write the database and nobody else (audit_open_private). */
static int create_key(const dv_db *db, const char *path, dv_error *e)
{
	unsigned char k[32];
	char hex[65];
	if (getrandom(k, sizeof k, 0) != (ssize_t)sizeof k)
		return dv_fail(e, DV_EIO, _("%s: cannot draw a random audit key: %s"), path, strerror(errno));
	sha256_hex(k, hex);
	int fd = audit_open_private(db, path, 1, 1);
	if (fd < 0)
		return errno == EEXIST ? DV_OK : dv_fail(e, DV_EIO, _("%s: cannot create the audit key: %s"), path, strerror(errno));
	hex[64] = '\n';
	int ok = write(fd, hex, 65) == 65 && fsync(fd) == 0;
	close(fd);
	return ok ? DV_OK : dv_fail(e, DV_EIO, _("%s: cannot write the audit key: %s"), path, strerror(errno));
}

static int read_key(dv_db *db, dv_error *e)
{
	const char *path = db->key_path;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return dv_fail(e, errno == ENOENT ? DV_ENOTFOUND : DV_EREADONLY,
			       _("%s: cannot read the audit key (%s); without it no change can be audited; ask the administrator (see the deployment guide, \"The audit key\")"),
			       path, strerror(errno));
	struct stat sb;
	char hex[80];
	ssize_t n = fstat(fd, &sb) == 0 ? read(fd, hex, sizeof hex) : -1;
	close(fd);
	if (n >= 0 && (sb.st_mode & S_IROTH))
		return dv_fail(e, DV_EINVAL, _("%s: the audit key is readable by every account; make it readable by the program only (chmod o-r)"), path);
	unsigned char k[32];
	int bad = n < 64;
	for (int i = 0; i < 32 && !bad; i++) {
		int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);
		bad = hi < 0 || lo < 0;
		k[i] = (unsigned char)(hi << 4 | lo);
	}
	if (bad)
		return dv_fail(e, DV_EINVAL, _("%s: not an audit key (expected 64 hexadecimal digits)"), path);
	hmac_init(&db->key, k, sizeof k);
	db->key_loaded = 1;
	return DV_OK;
}

int dbi_audit_key(dv_db *db, int may_create, dv_error *e)
{
	if (db->key_loaded)
		return DV_OK;
	if (may_create && db->key_own && access(db->key_path, F_OK) != 0 && create_key(db, db->key_path, e))
		return e->code;
	return read_key(db, e);
}

/* ---- row hashes ---- */

static void feed_field(sha256_ctx *c, const char *s)
{
	char len[24];
	if (!s) {
		sha256_update(c, "-|", 2);
		return;
	}
	size_t n = strlen(s);
	/* "%zu:" by hand: snprintf here was a tenth of check's time. */
	int k = (int)sizeof len;
	len[--k] = ':';
	size_t v = n;
	do
		len[--k] = (char)('0' + v % 10), v /= 10;
	while (v);
	sha256_update(c, len + k, sizeof len - (size_t)k);
	sha256_update(c, s, n);
	sha256_update(c, "|", 1);
}

/* Rows written before the chain was keyed: SHA-256 over the fields, each
 * preceded by its length. */
void audit_row_v1(const audit_row *r, char out[static 65])
{
	sha256_ctx c;
	unsigned char d[32];
	char head[48];
	sha256_init(&c);
	int k = snprintf(head, sizeof head, "dovira-audit-v1|%lld|", r->seq);
	sha256_update(&c, head, (size_t)k);
	const char *f[] = {r->at, r->actor, r->action, r->object, r->detail, r->prev};
	for (size_t i = 0; i < sizeof f / sizeof *f; i++)
		feed_field(&c, f[i]);
	sha256_final(&c, d);
	sha256_hex(d, out);
}

/* Keyed rows: HMAC-SHA-256 with the audit key over the same encoding plus
 * the record digest. */
void audit_row_mac(const hmac_key *key, const audit_row *r, char out[static 65])
{
	sha256_ctx c = key->inner;
	unsigned char d[32];
	/* "dovira-audit-v2|%lld|" by hand: snprintf here was a tenth of the
	 * chain walk's time. */
	char head[48] = "dovira-audit-v2|";
	size_t k = 16;
	unsigned long long v = r->seq < 0 ? 0ULL - (unsigned long long)r->seq : (unsigned long long)r->seq;
	char digits[24];
	int nd = 0;
	do
		digits[nd++] = (char)('0' + v % 10), v /= 10;
	while (v);
	if (r->seq < 0)
		head[k++] = '-';
	while (nd)
		head[k++] = digits[--nd];
	head[k++] = '|';
	sha256_update(&c, head, k);
	const char *f[] = {r->at, r->actor, r->action, r->object, r->detail, r->digest, r->prev};
	for (size_t i = 0; i < sizeof f / sizeof *f; i++)
		feed_field(&c, f[i]);
	sha256_final(&c, d);
	c = key->outer;
	sha256_update(&c, d, 32);
	sha256_final(&c, d);
	sha256_hex(d, out);
}

/* ---- record digests ---- */

void audit_feed_row(sha256_ctx *c, sqlite3_stmt *st, int from, int n)
{
	for (int i = from; i < from + n; i++)
		feed_field(c, (const char *)sqlite3_column_text(st, i));
}

static const char SQL_CALL_ROW[] = "SELECT " AUDIT_CALL_COLUMNS " FROM calls WHERE id = ?1";
static const char SQL_STAFF_ROW[] = "SELECT " AUDIT_STAFF_COLUMNS " FROM staff WHERE login = ?1";
static const char SQL_ORG_ROW[] = "SELECT " AUDIT_ORG_COLUMNS " FROM orgs WHERE id = ?1";
static const char SQL_CASE_ROW[] = "SELECT " AUDIT_CASE_COLUMNS " FROM cases WHERE id = ?1";

/* The kinds of record a digest is of (record_kind). */
enum { REC_NONE, REC_CALL, REC_STAFF, REC_ORG, REC_CASE };
static const char *const rec_sql[] = {NULL, SQL_CALL_ROW, SQL_STAFF_ROW, SQL_ORG_ROW, SQL_CASE_ROW};
static const char *const rec_prefix[] = {NULL, "call|", "staff|", "org|", "case|"};

int audit_action_is_org(const char *action)
{
	/* an export changes nothing; an import names its file (each entry it
	 * adds or changes has a row of its own) */
	return strncmp(action, "org.", 4) == 0 && strcmp(action, "org.export") != 0 && strcmp(action, "org.import") != 0;
}

int audit_action_is_case(const char *action)
{
	static const char *const acts[] = {"case.create", "case.status", "case.owner", "case.due", "case.hold", "case.unhold", "case.baseline"};
	for (size_t i = 0; i < sizeof acts / sizeof *acts; i++)
		if (strcmp(action, acts[i]) == 0)
			return 1;
	return 0;
}
static const char *const SQL_CHILD[] = {
	"SELECT " AUDIT_ANSWER_COLUMNS " FROM answers WHERE call_id = ?1 ORDER BY step",
	"SELECT " AUDIT_REFERRAL_COLUMNS " FROM referrals WHERE call_id = ?1 ORDER BY org_id, service",
};

/* The digest of one record of a kind (REC_*); AUDIT_GONE if it is not there. */
static int record_digest(dv_db *db, int kind, const char *id, char out[static 65], dv_error *e)
{
	int is_call = kind == REC_CALL;
	sqlite3_stmt *st = dbi_cached(db, rec_sql[kind], e);
	if (!st)
		return e->code;
	sha256_ctx c;
	sha256_init(&c);
	sha256_update(&c, rec_prefix[kind], strlen(rec_prefix[kind]));
	dbi_bind_text(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		audit_feed_row(&c, st, 0, sqlite3_column_count(st));
	sqlite3_reset(st);
	if (rc == SQLITE_DONE) {
		snprintf(out, 65, "%s", AUDIT_GONE);
		return DV_OK;
	}
	if (rc != SQLITE_ROW)
		return dbi_fail(db, rc, _("reading the audit trail"), e);
	for (int k = 0; is_call && k < 2; k++) {
		sha256_update(&c, k ? "referrals|" : "answers|", k ? 10 : 8);
		if (!(st = dbi_cached(db, SQL_CHILD[k], e)))
			return e->code;
		dbi_bind_text(st, 1, id);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			audit_feed_row(&c, st, 0, sqlite3_column_count(st));
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return dbi_fail(db, rc, _("reading the audit trail"), e);
	}
	unsigned char d[32];
	sha256_final(&c, d);
	sha256_hex(d, out);
	return DV_OK;
}

/* Which record an action is about: "staff.*" a staff row (by login);
 * "call.*" and "draft.*" a call (by id, even once it is gone); any other
 * action whose object is the id of a call that exists (a case linked, a
 * queued call acknowledged) that call too, so that whatever path changes
 * a call leaves its digest. 0 for anything else. */
static const char SQL_IS_CALL[] = "SELECT 1 FROM calls WHERE id = ?1";

static int record_kind(dv_db *db, const char *action, const char *object)
{
	if (!object)
		return REC_NONE;
	if (strncmp(action, "staff.", 6) == 0)
		return REC_STAFF;
	if (strncmp(action, "call.", 5) == 0 || strncmp(action, "draft.", 6) == 0)
		return REC_CALL;
	if (audit_action_is_org(action))
		return REC_ORG;
	if (audit_action_is_case(action))
		return REC_CASE;
	if (strlen(object) != 36)
		return 0;
	dv_error ignored;
	sqlite3_stmt *st = dbi_cached(db, SQL_IS_CALL, &ignored);
	if (!st) /* then no digest; the check will say the call changed */
		return 0;
	dbi_bind_text(st, 1, object);
	int found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return found;
}

/* ---- appending ---- */

static const char SQL_LAST[] = "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1";
static const char SQL_INSERT[] =
	"INSERT INTO audit(seq, at, actor, action, object, detail, digest, prev_hash, hash)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";

/* Schemas from before the keyed chain (tests make such databases). */
static const char SQL_INSERT_V1[] =
	"INSERT INTO audit(seq, at, actor, action, object, detail, prev_hash, hash)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

/* The last row's sequence number and hash (0 and the genesis if none). */
static int last_row(dv_db *db, long long *seq, char prev[static 65], dv_error *e)
{
	sqlite3_stmt *st = dbi_cached(db, SQL_LAST, e);
	if (!st)
		return e->code;
	int rc = sqlite3_step(st);
	*seq = 0;
	memcpy(prev, audit_genesis, 65);
	if (rc == SQLITE_ROW) {
		*seq = sqlite3_column_int64(st, 0);
		const char *h = (const char *)sqlite3_column_text(st, 1);
		snprintf(prev, 65, "%s", h ? h : "");
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return dbi_fail(db, rc, _("reading the audit trail"), e);
	return DV_OK;
}

int audit_append(dv_db *db, const char *actor, const char *action,
		 const char *object, const char *detail, dv_error *e)
{
	audit_row r = {0};
	char prev[65], hash[65], at[21], digest[65];
	if ((!db->audit_legacy && dbi_audit_key(db, 0, e)) || last_row(db, &r.seq, prev, e))
		return e->code;
	int kind = db->audit_legacy ? 0 : record_kind(db, action, object);
	if (kind && record_digest(db, kind, object, digest, e))
		return e->code;
	r.seq++;
	dv_utc_iso(dv_now(), at);
	char *clean = detail ? sanitize(detail, 0) : NULL;
	r.at = at, r.actor = actor, r.action = action, r.object = object;
	r.detail = clean, r.digest = kind ? digest : NULL, r.prev = prev;
	if (db->audit_legacy)
		audit_row_v1(&r, hash);
	else
		audit_row_mac(&db->key, &r, hash);
	sqlite3_stmt *st = dbi_cached(db, db->audit_legacy ? SQL_INSERT_V1 : SQL_INSERT, e);
	int code = st ? DV_OK : e->code;
	if (st) {
		sqlite3_bind_int64(st, 1, r.seq);
		const char *v[] = {at, actor, action, object, clean, r.digest, prev, hash};
		for (int i = 0; i < 8; i++)
			dbi_bind_text(st, i + 2, v[i]);
		if (db->audit_legacy) /* no digest column: ?7 and on move down */
			for (int i = 6; i < 8; i++)
				dbi_bind_text(st, i + 1, v[i]);
		int rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			code = dbi_fail(db, rc, _("writing the audit trail"), e);
	}
	free(clean);
	return code;
}

void dbi_audit_warm(dv_db *db)
{
	dbi_warm(db, SQL_LAST, db->audit_legacy ? SQL_INSERT_V1 : SQL_INSERT, SQL_IS_CALL, SQL_CALL_ROW, SQL_STAFF_ROW,
		 SQL_ORG_ROW, SQL_CASE_ROW, SQL_CHILD[0], SQL_CHILD[1], NULL);
}

int audit_log(dv_db *db, const char *actor, const char *action,
	      const char *object, const char *detail, dv_error *e)
{
	dbi_audit_warm(db);
	if (dbi_begin(db, e))
		return e->code;
	if (audit_append(db, actor, action, object, detail, e)) {
		dbi_rollback(db);
		return e->code;
	}
	return dbi_commit(db, e);
}

/* ---- the upgrade from an unkeyed chain ---- */

/* Append a baseline row for every record a query lists (one column). */
static int baseline(dv_db *db, const char *actor, const char *sql, const char *action, dv_error *e)
{
	sqlite3_stmt *st = dbi_prepare(db, sql, e);
	if (!st)
		return e->code;
	dv_buf ids = {0};
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		dv_buf_add(&ids, (const char *)sqlite3_column_text(st, 0), (size_t)sqlite3_column_bytes(st, 0) + 1);
	sqlite3_finalize(st);
	int code = rc == SQLITE_DONE ? DV_OK : dbi_fail(db, rc, _("upgrading the database"), e);
	for (size_t off = 0; !code && off < ids.len; off += strlen(ids.s + off) + 1)
		code = audit_append(db, actor, action, ids.s + off, NULL, e);
	dv_buf_free(&ids);
	return code;
}

int dbi_audit_upgrade(dv_db *db, dv_error *e)
{
	long long seq;
	char prev[65], actor[64];
	if (last_row(db, &seq, prev, e))
		return e->code;
	if (seq == 0) /* a new database: every row will be keyed; its key made now */
		return dbi_audit_key(db, 1, e);
	staff_whoami(actor, sizeof actor);
	char detail[64];
	snprintf(detail, sizeof detail, "%lld", seq);
	if (dbi_audit_key(db, 1, e) || audit_append(db, actor, AUDIT_SEAL, NULL, detail, e))
		return e->code;
	if (baseline(db, actor, "SELECT login FROM staff ORDER BY login", "staff.baseline", e))
		return e->code;
	return baseline(db, actor, "SELECT id FROM calls WHERE status = 'final' ORDER BY id", "call.baseline", e);
}

int dbi_audit_records_baseline(dv_db *db, dv_error *e)
{
	char actor[64];
	staff_whoami(actor, sizeof actor);
	if (baseline(db, actor, "SELECT id FROM orgs ORDER BY id", "org.baseline", e))
		return e->code;
	return baseline(db, actor, "SELECT id FROM cases ORDER BY id", "case.baseline", e);
}
