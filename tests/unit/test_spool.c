/* Unit tests of the spool: a session's reservation, a kept draft read back
 * whole (escapes, answers, id and version), and the lease of a draft:
 * mine, live elsewhere, idle past the limit, free once the holder is gone. */
#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dovira/columns.h"
#include "dovira/setup.h"
#include "dovira/spool.h"
#include "tap.h"
#include "testlib.h"

static dv_session *s;
static char dir[64];

static void test_reserve_and_keep(void)
{
	dv_error e;
	dv_spool *sp = spool_open(s, &e);
	ok(sp != NULL, "a session reserves its spool file");
	char path[256];
	snprintf(path, sizeof path, "%s/spool/%s.%ld.draft", dir, s->login, (long)getpid());
	struct stat sb;
	ok(stat(path, &sb) == 0 && sb.st_size == 64 * 1024, "64 KiB are reserved on disk at start");
	call_record *r = calls_begin(s, "zp", "1", &e);
	call_set_col(r, COL_NOTES, "line one\nback\\slash\ttab, phone 0671234567");
	call_set_answer(r, "extra", "an answer\nover two lines");
	call_set_progress(r, "possible", "gender");
	is_int(spool_keep(sp, r, &e), DV_OK, "a draft is kept in the reservation");
	spool_close(sp);
	ok(stat(path, &sb) == 0 && sb.st_size < 64 * 1024, "the kept file stays, cut to its length");
	/* As if another (finished) session had kept it. */
	char other[256];
	snprintf(other, sizeof other, "%s/spool/%s.1.draft", dir, s->login);
	rename(path, other);
	char *found = NULL;
	call_record *k = spool_find(s, &found);
	ok(k != NULL && found && strcmp(found, other) == 0, "the next start finds it");
	if (k) {
		is_str(k->id, r->id, "with the call's id");
		ok(k->version == r->version, "and version, so resuming is an ordinary save");
		ok(k->col[COL_NOTES] && strstr(k->col[COL_NOTES], "line one\nback\\slash\ttab") != NULL,
		   "line breaks, tabs and backslashes come back as typed");
		ok(k->col[COL_NOTES] && strstr(k->col[COL_NOTES], "0671234567") == NULL, "what was kept was redacted");
		ok(k->nanswers == 1 && strcmp(k->answers[0].value, "an answer\nover two lines") == 0, "answers come back");
		ok(k->risk && strcmp(k->risk, "possible") == 0 && k->step && strcmp(k->step, "gender") == 0,
		   "and the risk and step");
	}
	spool_forget(found);
	ok(stat(other, &sb) != 0, "once in the database it is forgotten");
	call_free(k);
	free(found);
	calls_discard(s, r, &e);
	call_free(r);
	int fd = open(other, O_WRONLY | O_CREAT, 0600);
	ok(fd >= 0 && write(fd, "dovira-spool 1\nid x\n", 20) == 20, "a half-written spool file");
	close(fd);
	found = NULL;
	k = spool_find(s, &found);
	ok(k == NULL, "is not offered");
	call_free(k);
	free(found);
	unlink(other);
}

/* In a child (another session): the state of the lease of id, with the
 * holder's lease aged by age seconds first. */
static int other_sees(const char *id, int age)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		dv_error e;
		dv_spool *sp = spool_open(s, &e);
		if (age) {
			char lp[256];
			snprintf(lp, sizeof lp, "%s/spool/%s.lease", dir, id);
			struct timespec ts[2] = {{time(NULL) - age, 0}, {time(NULL) - age, 0}};
			utimensat(AT_FDCWD, lp, ts, 0);
		}
		_exit(sp ? (int)spool_lease_check(sp, id, NULL) : 99);
	}
	int st;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void test_lease(void)
{
	dv_error e;
	dv_spool *sp = spool_open(s, &e);
	const char *id = "00000000-0000-4000-8000-000000000001";
	is_int(spool_lease_check(sp, id, NULL), LEASE_FREE, "a draft nobody holds is free");
	is_int(spool_lease_take(sp, id, &e), DV_OK, "a session takes its lease");
	is_int(spool_lease_check(sp, id, NULL), LEASE_MINE, "and holds it");
	is_int(other_sees(id, 0), LEASE_LIVE, "another session sees it held by a live, active session");
	is_int(other_sees(id, SPOOL_IDLE_LIMIT_S + 5), LEASE_IDLE, "idle past the limit, it may be taken over");
	spool_lease_touch(sp, id);
	is_int(other_sees(id, 0), LEASE_LIVE, "activity renews it");
	spool_close(sp);
	sp = NULL;
	is_int(other_sees(id, 0), LEASE_FREE, "once the holder's session is gone, the draft is free");
	is_int(spool_lease_check(NULL, id, NULL), LEASE_FREE, "without a spool every draft is free");
}

int main(void)
{
	snprintf(dir, sizeof dir, "%s", test_tmpdir());
	char path[256];
	snprintf(path, sizeof path, "%s/calls.db", dir);
	char me[64];
	staff_whoami(me, sizeof me);
	dv_error e;
	dv_db *db = setup_open(path, DB_OPEN_CREATE, me, &e);
	db_close(db);
	s = session_open(path, 0, &e);
	if (!s) {
		printf("Bail out! %s\n", e.msg);
		return 1;
	}
	test_reserve_and_keep();
	test_lease();
	session_close(s);
	return tap_done();
}
