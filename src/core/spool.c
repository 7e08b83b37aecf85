/* spool.c: drafts the database would not take, kept until the next start. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "dovira/columns.h"
#include "dovira/i18n.h"
#include "dovira/priv.h"
#include "dovira/spool.h"

#define SPOOL_MAGIC "dovira-spool 1\n"
#define SPOOL_RESERVE (64 * 1024)

struct dv_spool {
	int fd;
	char *path;
	int kept;
};

dv_spool *spool_open(const dv_session *s, dv_error *e)
{
	char *dir = priv_spool_dir(s->db_path);
	if (mkdir(dir, 0770) != 0 && errno != EEXIST) {
		dv_fail(e, DV_EIO, _("%s: cannot create the spool directory: %s"), dir, strerror(errno));
		free(dir);
		return NULL;
	}
	dv_spool *sp = xcalloc(1, sizeof *sp);
	sp->path = xasprintf("%s/%s.%ld.draft", dir, s->login, (long)getpid());
	free(dir);
	sp->fd = open(sp->path, O_RDWR | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0660);
	int err = sp->fd < 0 ? errno : posix_fallocate(sp->fd, 0, SPOOL_RESERVE);
	/* Held while the session lives: how other sessions know it is. */
	if (!err && flock(sp->fd, LOCK_EX | LOCK_NB) != 0)
		err = errno;
	if (err) {
		dv_fail(e, DV_EIO, _("%s: cannot reserve the spool file: %s"), sp->path, strerror(err));
		spool_close(sp);
		return NULL;
	}
	return sp;
}

static void put_escaped(dv_buf *b, const char *key, const char *v)
{
	if (!v)
		return;
	dv_buf_adds(b, key);
	dv_buf_addc(b, ' ');
	for (; *v; v++) {
		switch (*v) {
		case '\\': dv_buf_adds(b, "\\\\"); break;
		case '\n': dv_buf_adds(b, "\\n"); break;
		case '\t': dv_buf_adds(b, "\\t"); break;
		default: dv_buf_addc(b, *v);
		}
	}
	dv_buf_addc(b, '\n');
}

static void serialise(dv_buf *b, const call_record *r)
{
	dv_buf_adds(b, SPOOL_MAGIC);
	dv_buf_printf(b, "id %s\ncase %s\nstarted %lld\nversion %ld\nkind %d\n", r->id, r->case_code,
		      (long long)r->started_at, r->version, (int)r->kind);
	put_escaped(b, "login", r->operator_login);
	put_escaped(b, "office", r->office);
	put_escaped(b, "script", r->script_id);
	put_escaped(b, "script_version", r->script_version);
	put_escaped(b, "risk", r->risk);
	put_escaped(b, "step", r->step);
	for (int c = 0; c < COL_NCOLS; c++) {
		char key[64];
		snprintf(key, sizeof key, "col.%s", col_name((call_col)c));
		put_escaped(b, key, r->col[c]);
	}
	for (size_t i = 0; i < r->nanswers; i++) {
		char *key = xasprintf("answer.%s", r->answers[i].step);
		put_escaped(b, key, r->answers[i].value);
		free(key);
	}
	dv_buf_adds(b, "end\n");
}

int spool_keep(dv_spool *sp, call_record *r, dv_error *e)
{
	calls_redact(r);
	dv_buf b = {0};
	serialise(&b, r);
	int ok = pwrite(sp->fd, b.s, b.len, 0) == (ssize_t)b.len && ftruncate(sp->fd, (off_t)b.len) == 0 &&
		 fsync(sp->fd) == 0;
	dv_buf_free(&b);
	if (!ok)
		return dv_fail(e, DV_EIO, _("%s: cannot write the spool file: %s"), sp->path, strerror(errno));
	sp->kept = 1;
	return DV_OK;
}

void spool_close(dv_spool *sp)
{
	if (!sp)
		return;
	if (sp->fd >= 0)
		close(sp->fd);
	if (!sp->kept)
		unlink(sp->path);
	free(sp->path);
	free(sp);
}

/* Undo put_escaped in place. */
static void unescape(char *s)
{
	char *o = s;
	for (; *s; s++) {
		if (*s == '\\' && s[1]) {
			s++;
			*o++ = *s == 'n' ? '\n' : *s == 't' ? '\t' : *s;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
}

static void set_field(call_record *r, const char *key, char *v)
{
	char **str = strcmp(key, "login") == 0 ? &r->operator_login : strcmp(key, "office") == 0 ? &r->office :
		     strcmp(key, "script") == 0 ? &r->script_id : strcmp(key, "script_version") == 0 ? &r->script_version : NULL;
	if (strcmp(key, "id") == 0)
		snprintf(r->id, sizeof r->id, "%s", v);
	else if (strcmp(key, "case") == 0)
		snprintf(r->case_code, sizeof r->case_code, "%s", v);
	else if (strcmp(key, "started") == 0)
		r->started_at = (time_t)strtoll(v, NULL, 10);
	else if (strcmp(key, "version") == 0)
		r->version = strtol(v, NULL, 10);
	else if (strcmp(key, "kind") == 0)
		r->kind = (call_kind)strtol(v, NULL, 10);
	else if (str)
		*str = (free(*str), xstrdup(v));
	else if (strcmp(key, "risk") == 0)
		r->risk = (free(r->risk), xstrdup(v));
	else if (strcmp(key, "step") == 0)
		r->step = (free(r->step), xstrdup(v));
	else if (strncmp(key, "col.", 4) == 0 && col_parse(key + 4) >= 0)
		call_set_col(r, (call_col)col_parse(key + 4), v);
	else if (strncmp(key, "answer.", 7) == 0)
		call_set_answer(r, key + 7, v);
}

/* Parse a spool file's text; NULL unless whole (magic to "end"). */
static call_record *parse(char *text)
{
	if (strncmp(text, SPOOL_MAGIC, strlen(SPOOL_MAGIC)) != 0)
		return NULL;
	call_record *r = xcalloc(1, sizeof *r);
	int whole = 0;
	for (char *line = text + strlen(SPOOL_MAGIC), *nl; *line; line = nl + 1) {
		if ((nl = strchr(line, '\n')) == NULL)
			break;
		*nl = '\0';
		if (strcmp(line, "end") == 0) {
			whole = 1;
			break;
		}
		char *sp = strchr(line, ' ');
		if (!sp)
			continue;
		*sp = '\0';
		unescape(sp + 1);
		set_field(r, line, sp + 1);
	}
	if (!whole || !r->id[0] || !r->operator_login) {
		call_free(r);
		return NULL;
	}
	return r;
}

static call_record *read_one(const char *path, time_t *mtime)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "r");
	if (!f) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	struct stat sb;
	dv_buf b = {0};
	call_record *r = NULL;
	if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && dv_buf_read(&b, f, 4 << 20) == 0 && b.s) {
		*mtime = sb.st_mtime;
		r = parse(b.s);
	}
	dv_buf_free(&b);
	fclose(f);
	return r;
}

/* "LOGIN.PID.draft" of this login: its pid, else 0. */
static long spool_pid(const char *name, const char *login)
{
	size_t n = strlen(login);
	if (strncmp(name, login, n) != 0 || name[n] != '.')
		return 0;
	char *end;
	long pid = strtol(name + n + 1, &end, 10);
	return strcmp(end, ".draft") == 0 ? pid : 0;
}

call_record *spool_find(const dv_session *s, char **path)
{
	*path = NULL;
	char *dir = priv_spool_dir(s->db_path);
	DIR *d = opendir(dir);
	call_record *best = NULL;
	time_t best_at = 0;
	for (struct dirent *de; d && (de = readdir(d)) != NULL;) {
		long pid = spool_pid(de->d_name, s->login);
		if (pid <= 0 || pid == (long)getpid())
			continue;
		char *p = xasprintf("%s/%s", dir, de->d_name);
		time_t at = 0;
		call_record *r = read_one(p, &at);
		if (!r && kill((pid_t)pid, 0) != 0 && errno == ESRCH) {
			struct stat sb;
			/* A reservation never written, its session gone. */
			if (stat(p, &sb) == 0 && sb.st_size == SPOOL_RESERVE)
				unlink(p);
		}
		if (r && strcmp(r->operator_login, s->login) == 0 && (!best || at >= best_at)) {
			call_free(best);
			free(*path);
			best = r, best_at = at, *path = p;
			continue;
		}
		call_free(r);
		free(p);
	}
	if (d)
		closedir(d);
	free(dir);
	return best;
}

void spool_forget(const char *path)
{
	if (path)
		unlink(path);
}

/* ---- leases ---- */

static char *lease_path(const dv_spool *sp, const char *call_id)
{
	const char *slash = strrchr(sp->path, '/');
	return xasprintf("%.*s/%s.lease", (int)(slash - sp->path), sp->path, call_id);
}

/* 1 while the session owning the reservation file at path runs. */
static int holder_alive(const char *path)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return 0;
	int alive = flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
	close(fd);
	return alive;
}

spool_lease_state spool_lease_check(const dv_spool *sp, const char *call_id, long *idle_s)
{
	if (idle_s)
		*idle_s = 0;
	if (!sp || !call_id)
		return LEASE_FREE;
	char *lp = lease_path(sp, call_id);
	char holder[4096];
	struct stat sb;
	int fd = open(lp, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, holder, sizeof holder - 1);
	int have = n > 0 && fstat(fd, &sb) == 0;
	if (fd >= 0)
		close(fd);
	free(lp);
	if (!have)
		return LEASE_FREE;
	holder[n] = '\0';
	holder[strcspn(holder, "\n")] = '\0';
	if (strcmp(holder, sp->path) == 0)
		return LEASE_MINE;
	if (!holder_alive(holder))
		return LEASE_FREE;
	long idle = (long)(time(NULL) - sb.st_mtime);
	if (idle_s)
		*idle_s = idle < 0 ? 0 : idle;
	return idle >= SPOOL_IDLE_LIMIT_S ? LEASE_IDLE : LEASE_LIVE;
}

int spool_lease_take(dv_spool *sp, const char *call_id, dv_error *e)
{
	if (!sp)
		return DV_OK;
	char *lp = lease_path(sp, call_id), *tmp = xasprintf("%s.%ld", lp, (long)getpid());
	/* Written aside and renamed, so that a reader never sees half a name. */
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0660);
	size_t len = strlen(sp->path);
	int ok = fd >= 0 && write(fd, sp->path, len) == (ssize_t)len && write(fd, "\n", 1) == 1;
	if (fd >= 0 && close(fd) != 0)
		ok = 0;
	ok = ok && rename(tmp, lp) == 0;
	int code = ok ? DV_OK : dv_fail(e, DV_EIO, _("%s: cannot write the lease of the draft: %s"), lp, strerror(errno));
	if (!ok)
		unlink(tmp);
	free(tmp);
	free(lp);
	return code;
}

void spool_lease_touch(const dv_spool *sp, const char *call_id)
{
	if (spool_lease_check(sp, call_id, NULL) != LEASE_MINE)
		return;
	char *lp = lease_path(sp, call_id);
	utimensat(AT_FDCWD, lp, NULL, AT_SYMLINK_NOFOLLOW);
	free(lp);
}

void spool_lease_drop(const dv_spool *sp, const char *call_id)
{
	if (spool_lease_check(sp, call_id, NULL) != LEASE_MINE)
		return;
	char *lp = lease_path(sp, call_id);
	unlink(lp);
	free(lp);
}
