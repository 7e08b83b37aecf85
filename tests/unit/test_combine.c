/* Unit tests of draft saves done many to a commit (src/core/combine.c):
 * several processes save at once while the write lock is held; the one
 * that gets it applies every other's save in its commit; each learns its
 * own outcome exactly (saved, conflict, removed account); a combiner
 * killed between its commit and its cleanup loses and doubles nothing;
 * hostile or truncated intent files are refused, said why, and stop no
 * one else's save. */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sqlite3.h>
#include <time.h>

#include "../../src/core/calls_int.h"
#include "../../src/core/combine.h"
#include "../../src/core/dbi.h"
#include "dovira/calls.h"
#include "dovira/priv.h"
#include "dovira/setup.h"
#include "dovira/session.h"
#include "dovira/staff.h"
#include "tap.h"
#include "testlib.h"

#define NSAVERS 6

static char path[256], pending[300], me[64];
static dv_session *s;

typedef struct report {
	int code, carried;
	long version;
	long locked_prepares; /* statements its session prepared holding the lock */
	char locked_sql[200];
	char msg[768];
} report;

static char *q_text(const char *sql, const char *param)
{
	static char out[2048];
	sqlite3_stmt *st;
	out[0] = '\0';
	if (sqlite3_prepare_v2(s->db->h, sql, -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, param, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
			snprintf(out, sizeof out, "%s", (const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	return out;
}

/* Files in the pending directory whose names end with tail. */
static int count_files(const char *tail)
{
	DIR *d = opendir(pending);
	int n = 0;
	for (struct dirent *de; d && (de = readdir(d)) != NULL;) {
		size_t l = strlen(de->d_name), t = strlen(tail);
		n += l >= t && strcmp(de->d_name + l - t, tail) == 0;
	}
	if (d)
		closedir(d);
	return n;
}

static const char *crash_marker;
static int owner_check = 1;            /* combine_check_owner in the savers */
static void (*after_ready)(void);      /* run once the savers have read their drafts */

/* The first combiner to reach its cleanup dies there (once for all the
 * processes: the marker file says it happened). */
static void die_once(int stage)
{
	if (stage == 1 && crash_marker && open(crash_marker, O_CREAT | O_EXCL | O_WRONLY, 0600) >= 0)
		_exit(9);
}

/* The first combiner to have claimed the intents waiting stops there
 * (SIGSTOP: hung, not dead), once for all the processes. */
static const char *stop_marker;
static void hook(int stage)
{
	die_once(stage);
	if (stage == 0 && stop_marker && open(stop_marker, O_CREAT | O_EXCL | O_WRONLY, 0600) >= 0)
		raise(SIGSTOP);
}

/* One saver process: opens its session (as login, if set), reads the
 * draft id, says it is ready, waits for go, saves note into it and
 * reports the outcome on out. */
static const call_col *round_cols; /* the column each saver writes (NULL: notes) */
static int savers_begin_a_call;    /* each saver begins (and discards) a call first */

static void saver(const char *id, const char *login, call_col col, const char *note, int ready, int go, int out)
{
	dv_error e;
	combine_check_owner = owner_check;
	calls_combine_hook = hook;
	dv_session *me_s = session_open(path, 0, &e);
	if (!me_s)
		_exit(3);
	if (login)
		snprintf(me_s->login, sizeof me_s->login, "%s", login);
	call_record *other = savers_begin_a_call ? calls_begin(me_s, "zp-hotline", "2026.11", &e) : NULL;
	if (other && calls_discard(me_s, other, &e) != DV_OK)
		_exit(7);
	call_free(other);
	call_record *r = calls_read_unaudited(me_s, id, &e);
	if (!r)
		_exit(4);
	call_set_col(r, col, note);
	call_set_answer(r, "extra", note);
	call_set_answer(r, "gone_step", NULL);
	char c;
	if (write(ready, "r", 1) != 1 || read(go, &c, 1) != 1)
		_exit(5);
	report rep = {0};
	rep.code = calls_save(me_s, r, &e);
	rep.carried = me_s->db->carried;
	rep.version = r->version;
	rep.locked_prepares = me_s->db->locked_prepares;
	snprintf(rep.locked_sql, sizeof rep.locked_sql, "%s", me_s->db->locked_prepare_sql ? me_s->db->locked_prepare_sql : "");
	snprintf(rep.msg, sizeof rep.msg, "%s", rep.code ? e.msg : "");
	if (write(out, &rep, sizeof rep) != (ssize_t)sizeof rep)
		_exit(6);
	call_free(r);
	session_close(me_s);
	_exit(0);
}

typedef struct round {
	int n;
	pid_t pid[NSAVERS];
	int out[NSAVERS];
	report rep[NSAVERS];
	int got[NSAVERS];
	int status[NSAVERS];
	int posted; /* intents seen in the pending directory while the lock was held */
} round;

/* Start n savers on ids (logins: NULL or an account to play), with the
 * write lock held by a bare connection until every one has posted its
 * intent (or 5 s); then free the lock and collect the reports. */
static void run_round(round *rd, int n, char ids[][37], const char *const *logins, const char *const *notes)
{
	memset(rd, 0, sizeof *rd);
	rd->n = n;
	int ready[2], go[2];
	if (pipe(ready) || pipe(go))
		exit(99);
	for (int i = 0; i < n; i++) {
		int out[2];
		if (pipe(out))
			exit(99);
		fflush(stdout);
		if ((rd->pid[i] = fork()) == 0) {
			close(out[0]);
			saver(ids[i], logins ? logins[i] : NULL, round_cols ? round_cols[i] : COL_NOTES, notes[i], ready[1], go[0], out[1]);
		}
		close(out[1]);
		rd->out[i] = out[0];
	}
	char c;
	for (int i = 0; i < n; i++)
		if (read(ready[0], &c, 1) != 1)
			break;
	if (after_ready)
		after_ready();
	sqlite3 *holder;
	sqlite3_open(path, &holder);
	sqlite3_exec(holder, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	int before = count_files(".intent");
	for (int i = 0; i < n; i++)
		if (write(go[1], "g", 1) != 1)
			break;
	for (int t = 0; t < 500 && count_files(".intent") < before + n; t++) {
		struct timespec nap = {0, 10000000};
		nanosleep(&nap, NULL);
	}
	rd->posted = count_files(".intent") - before;
	sqlite3_exec(holder, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(holder);
	for (int i = 0; i < n; i++) {
		rd->got[i] = read(rd->out[i], &rd->rep[i], sizeof rd->rep[i]) == (ssize_t)sizeof rd->rep[i];
		close(rd->out[i]);
		waitpid(rd->pid[i], &rd->status[i], 0);
	}
	close(ready[0]), close(ready[1]), close(go[0]), close(go[1]);
}

/* n new drafts of this session, each with an answer that the savers
 * remove (gone_step); ids out. */
static void new_drafts(int n, char ids[][37])
{
	dv_error e;
	for (int i = 0; i < n; i++) {
		call_record *r = calls_begin(s, "zp-hotline", "2026.11", &e);
		call_set_answer(r, "gone_step", "to be removed");
		calls_save(s, r, &e);
		memcpy(ids[i], r->id, 37);
		call_free(r);
	}
}

static void test_combined(void)
{
	char ids[NSAVERS][37];
	const char *notes[NSAVERS] = {"note zero", "note one", "note two", "note three", "note four", "note five"};
	new_drafts(NSAVERS, ids);
	round rd;
	run_round(&rd, NSAVERS, ids, NULL, notes);
	int saved = 0, combiners = 0, carried = 0;
	for (int i = 0; i < NSAVERS; i++) {
		saved += rd.got[i] && rd.rep[i].code == DV_OK && rd.rep[i].version == 3;
		combiners += rd.got[i] && rd.rep[i].carried > 0;
		carried += rd.got[i] ? rd.rep[i].carried : 0;
	}
	is_int(saved, NSAVERS, "every session sees its own save as done, at the next version");
	is_int(combiners, 1, "one session's commit carried them all");
	is_int(carried, NSAVERS, "that commit carried every save, once each");
	int right = 0;
	for (int i = 0; i < NSAVERS; i++)
		right += strcmp(q_text("SELECT notes FROM calls WHERE id = ?1", ids[i]), notes[i]) == 0 &&
			 strcmp(q_text("SELECT version FROM calls WHERE id = ?1", ids[i]), "3") == 0 &&
			 strcmp(q_text("SELECT value FROM answers WHERE call_id = ?1 AND step = 'extra'", ids[i]), notes[i]) == 0 &&
			 strcmp(q_text("SELECT count(*) FROM answers WHERE call_id = ?1 AND step = 'gone_step'", ids[i]), "0") == 0;
	is_int(right, NSAVERS, "each row holds exactly its own save: notes, answer added, answer removed, version");
	is_int(count_files(".intent") + count_files(".claimed"), 0, "no intent is left in the pending directory");
	is_int(count_files(".spare"), 0, "nor a spare of a session that closed");
	is_int(count_files(".refused") + count_files("refused.log"), 0, "and none was refused");
}

/* A combiner applies only saves whose statement it has prepared: one
 * that changes other columns (here the topic, whose UPDATE fires the
 * report triggers and takes milliseconds to compile) is put back, and
 * its own session, which prepared it before it asked for the lock,
 * saves it. No session prepares a statement while it holds the lock.
 * (Without the masks the sessions share, which would have had the
 * combiner prepare it before.) */
static void test_deferred(void)
{
	combine_share_masks = 0;
	char ids[2][37];
	const char *notes[2] = {"a note", "consult"};
	const call_col cols[2] = {COL_NOTES, COL_TOPIC};
	new_drafts(2, ids);
	round rd;
	round_cols = cols;
	run_round(&rd, 2, ids, NULL, notes);
	round_cols = NULL;
	combine_share_masks = 1;
	int saved = 0, locked = 0;
	for (int i = 0; i < 2; i++) {
		saved += rd.got[i] && rd.rep[i].code == DV_OK && rd.rep[i].version == 3;
		locked += rd.got[i] ? (int)rd.rep[i].locked_prepares : 1;
		if (rd.got[i] && rd.rep[i].locked_prepares)
			printf("# saver %d prepared %ld statement(s) holding the lock, the last: %s\n", i, rd.rep[i].locked_prepares, rd.rep[i].locked_sql);
	}
	is_int(saved, 2, "both saves are done, at the next version");
	is_int(rd.rep[0].carried + rd.rep[1].carried, 2, "each once");
	ok(rd.rep[0].carried == 1 && rd.rep[1].carried == 1, "each by its own session's commit (carried %d and %d): the combiner put the other back",
	   rd.rep[0].carried, rd.rep[1].carried);
	is_int(locked, 0, "neither session prepared a statement while it held the lock");
	is_str(q_text("SELECT notes FROM calls WHERE id = ?1", ids[0]), "a note", "the note is stored");
	is_str(q_text("SELECT topic FROM calls WHERE id = ?1", ids[1]), "consult", "and the topic");
	is_int(count_files(".intent") + count_files(".claimed"), 0, "no intent is left in the pending directory");
	is_int(count_files(".refused") + count_files("refused.log"), 0, "and none was refused");
}

/* The kinds of draft save made by any session are shared (the wake
 * page): a session prepares their statements as it begins a call, so as
 * a combiner it applies another's save of other columns in its own
 * commit, without preparing anything under the lock. */
static void test_masks_shared(void)
{
	dv_error e;
	char ids[3][37];
	new_drafts(3, ids);
	call_record *r = calls_read_unaudited(s, ids[2], &e); /* this session saves both kinds first */
	call_set_col(r, COL_NOTES, "seen");
	is_int(calls_save(s, r, &e), DV_OK, "a save of the notes");
	call_set_col(r, COL_TOPIC, "offer");
	is_int(calls_save(s, r, &e), DV_OK, "and one of the topic, from another session");
	call_free(r);
	const char *notes[2] = {"another note", "consult"};
	const call_col cols[2] = {COL_NOTES, COL_TOPIC};
	round rd;
	round_cols = cols;
	savers_begin_a_call = 1;
	run_round(&rd, 2, ids, NULL, notes);
	savers_begin_a_call = 0;
	round_cols = NULL;
	int saved = 0, locked = 0;
	for (int i = 0; i < 2; i++) {
		saved += rd.got[i] && rd.rep[i].code == DV_OK && rd.rep[i].version == 3;
		locked += rd.got[i] ? (int)rd.rep[i].locked_prepares : 1;
	}
	is_int(saved, 2, "both saves are done");
	ok((rd.rep[0].carried == 2 && rd.rep[1].carried == 0) || (rd.rep[0].carried == 0 && rd.rep[1].carried == 2),
	   "in one commit (carried %d and %d)", rd.rep[0].carried, rd.rep[1].carried);
	is_int(locked, 0, "and neither session prepared a statement holding the lock");
	is_str(q_text("SELECT topic FROM calls WHERE id = ?1", ids[1]), "consult", "the topic is stored");
	is_str(q_text("SELECT notes FROM calls WHERE id = ?1", ids[0]), "another note", "and the note");
	unsigned m[COMBINE_MASKS];
	size_t before = combine_masks(s->db, m);
	ok(before >= 2 && before < COMBINE_MASKS, "the page lists the kinds seen (%zu)", before);
	combine_mask_note(s->db, m[0]);
	is_int(combine_masks(s->db, m), before, "a kind said again is listed once");
	for (unsigned k = 1; k <= 2 * COMBINE_MASKS; k++)
		combine_mask_note(s->db, k << 3);
	is_int(combine_masks(s->db, m), COMBINE_MASKS, "and it lists at most %d, the first seen", COMBINE_MASKS);
}

/* Any dovira transaction's end hands the lock on: a save waiting behind
 * one that carries no intents (here a plain transaction of this
 * process, through dbi_begin and dbi_commit) is woken by its commit,
 * not by its own look at the lock, which is set to come only after 5 s.
 * It is saved within a second of that commit, by itself (it was not
 * applied by the holder, which combined nothing). */
static void test_lock_handed_on(void)
{
	char ids[1][37];
	new_drafts(1, ids);
	int ready[2], go[2], done[2];
	if (pipe(ready) || pipe(go) || pipe(done))
		exit(99);
	dv_error e;
	fflush(stdout);
	pid_t pid = fork(); /* before the lock is taken: SQLite's locks do not cross a fork */
	if (pid == 0) {
		dv_session *me_s = session_open(path, 0, &e);
		if (!me_s)
			_exit(3);
		me_s->db->wait_look_us = 5000000;
		call_record *r = calls_read_unaudited(me_s, ids[0], &e);
		char g;
		if (!r || write(ready[1], "r", 1) != 1 || read(go[0], &g, 1) != 1)
			_exit(4);
		call_set_col(r, COL_NOTES, "saved once the lock came free");
		report rep = {0};
		rep.code = calls_save(me_s, r, &e);
		rep.carried = me_s->db->carried;
		if (write(done[1], &rep, sizeof rep) != (ssize_t)sizeof rep)
			_exit(5);
		call_free(r);
		session_close(me_s);
		_exit(0);
	}
	char c;
	int up = read(ready[0], &c, 1) == 1;
	if (dbi_begin(s->db, &e) != DV_OK || write(go[1], "g", 1) != 1)
		exit(99);
	for (int t = 0; up && t < 200 && count_files(".intent") < 1; t++) {
		struct timespec nap = {0, 5000000};
		nanosleep(&nap, NULL);
	}
	is_int(count_files(".intent"), 1, "the save behind a plain transaction waits as an intent");
	struct timespec nap = {0, 100000000}, t0, t1;
	nanosleep(&nap, NULL); /* asleep in its wait by now */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	is_int(dbi_commit(s->db, &e), DV_OK, "the plain transaction commits");
	report rep = {0};
	int got = read(done[0], &rep, sizeof rep) == (ssize_t)sizeof rep;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
	int st;
	waitpid(pid, &st, 0);
	ok(got && rep.code == DV_OK, "the waiting save is saved");
	is_int(rep.carried, 1, "by its own commit, once the lock was handed to it");
	ok(ms < 1000, "within a second of the commit that freed the lock (%.1f ms), not at its own look 5 s later", ms);
	is_str(q_text("SELECT notes FROM calls WHERE id = ?1", ids[0]), "saved once the lock came free", "and what it saved is stored");
	close(ready[0]), close(ready[1]), close(go[0]), close(go[1]), close(done[0]), close(done[1]);
}

static char conflict_id[37];

/* Save the first draft from this session: the saver's copy is then stale. */
static void save_first_elsewhere(void)
{
	dv_error e;
	call_record *r = calls_read_unaudited(s, conflict_id, &e);
	call_set_col(r, COL_NOTES, "saved elsewhere");
	is_int(calls_save(s, r, &e), DV_OK, "another session saves the first draft after its saver read it");
	call_free(r);
}

/* A version conflict and a removed account fail only their own saves,
 * each with the message a save of its own gives. */
static void test_failures_are_own(void)
{
	dv_error e;
	char ids[NSAVERS][37];
	const char *notes[NSAVERS] = {"n0", "n1", "n2", "n3", "n4", "n5"};
	const char *logins[NSAVERS] = {NULL, NULL, NULL, NULL, NULL, "leaving-op"};
	is_int(staff_add(s->db, me, "leaving-op", ROLE_OPERATOR, &e), DV_OK, "a second operator is added");
	new_drafts(NSAVERS - 1, ids);
	dv_session other = *s;
	snprintf(other.login, sizeof other.login, "leaving-op");
	call_record *theirs = calls_begin(&other, "zp-hotline", "2026.11", &e);
	ok(theirs != NULL, "the second operator starts a call");
	if (!theirs)
		return;
	memcpy(ids[NSAVERS - 1], theirs->id, 37);
	char case_code[10];
	memcpy(case_code, theirs->case_code, 10);
	call_free(theirs);
	is_int(staff_remove(s->db, me, "leaving-op", &e), DV_OK, "the second operator is removed before it saves");
	memcpy(conflict_id, ids[0], 37);
	owner_check = 0; /* the savers play two accounts under one uid */
	after_ready = save_first_elsewhere;
	round rd;
	run_round(&rd, NSAVERS, ids, logins, notes);
	after_ready = NULL;
	owner_check = 1;
	int carried = 0, saved = 0;
	for (int i = 0; i < NSAVERS; i++)
		carried += rd.got[i] ? rd.rep[i].carried : 0;
	for (int i = 1; i < NSAVERS - 1; i++)
		saved += rd.got[i] && rd.rep[i].code == DV_OK &&
			 strcmp(q_text("SELECT notes FROM calls WHERE id = ?1", ids[i]), notes[i]) == 0;
	is_int(saved, NSAVERS - 2, "the other saves are done and stored");
	ok(rd.got[0] && rd.rep[0].code == DV_ECONFLICT && strstr(rd.rep[0].msg, "changed or closed elsewhere"),
	   "the stale save fails with the conflict message: %s", rd.rep[0].msg);
	is_str(q_text("SELECT notes FROM calls WHERE id = ?1", ids[0]), "saved elsewhere", "and the row keeps the other session's save");
	ok(rd.got[NSAVERS - 1] && rd.rep[NSAVERS - 1].code == DV_EUNKNOWN && strstr(rd.rep[NSAVERS - 1].msg, "leaving-op"),
	   "the removed account's save is refused: %s", rd.rep[NSAVERS - 1].msg);
	ok(strcmp(q_text("SELECT notes FROM calls WHERE id = ?1", ids[NSAVERS - 1]), notes[NSAVERS - 1]) != 0,
	   "and nothing of it is stored in %s", case_code);
	is_int(carried, NSAVERS - 2, "the commits carried just the saves that were done");
}

/* An intent that fails after it wrote (its row, then an answer the
 * database refuses) leaves nothing of it, and the others of its commit
 * are saved (the batch is done again, each in its savepoint). */
static void test_fails_halfway(void)
{
	char ids[NSAVERS][37];
	const char *notes[NSAVERS] = {"w0", "w1", "boom", "w3", "w4", "w5"};
	new_drafts(NSAVERS, ids);
	sqlite3_exec(s->db->h, "CREATE TRIGGER test_boom BEFORE INSERT ON answers WHEN NEW.value = 'boom'"
			       " BEGIN SELECT RAISE(ABORT, 'the answer is refused'); END", NULL, NULL, NULL);
	round rd;
	run_round(&rd, NSAVERS, ids, NULL, notes);
	sqlite3_exec(s->db->h, "DROP TRIGGER test_boom", NULL, NULL, NULL);
	int saved = 0, carried = 0;
	for (int i = 0; i < NSAVERS; i++) {
		carried += rd.got[i] ? rd.rep[i].carried : 0;
		if (i != 2)
			saved += rd.got[i] && rd.rep[i].code == DV_OK &&
				 strcmp(q_text("SELECT notes FROM calls WHERE id = ?1", ids[i]), notes[i]) == 0 &&
				 strcmp(q_text("SELECT value FROM answers WHERE call_id = ?1 AND step = 'extra'", ids[i]), notes[i]) == 0;
	}
	is_int(saved, NSAVERS - 1, "the saves beside one that fails halfway are stored whole");
	ok(rd.got[2] && rd.rep[2].code != DV_OK, "the one refused halfway fails: %s", rd.rep[2].msg);
	ok(strcmp(q_text("SELECT notes FROM calls WHERE id = ?1", ids[2]), "boom") != 0 &&
	   strcmp(q_text("SELECT version FROM calls WHERE id = ?1", ids[2]), "2") == 0 &&
	   strcmp(q_text("SELECT count(*) FROM answers WHERE call_id = ?1 AND step = 'gone_step'", ids[2]), "1") == 0,
	   "and nothing of it is stored: not its row, not the answer it removed");
	is_int(carried, NSAVERS - 1, "the commit carried the others, once each");
}

/* A combiner killed after its commit, before it removed the intents it
 * applied: every save is done once, each session learns so. */
static void test_crash_after_commit(const char *dir)
{
	char ids[NSAVERS][37];
	const char *notes[NSAVERS] = {"c0", "c1", "c2", "c3", "c4", "c5"};
	char marker[300];
	snprintf(marker, sizeof marker, "%s/crashed", dir);
	new_drafts(NSAVERS, ids);
	crash_marker = marker;
	round rd;
	run_round(&rd, NSAVERS, ids, NULL, notes);
	crash_marker = NULL;
	int died = 0, saved = 0;
	for (int i = 0; i < NSAVERS; i++) {
		died += WIFEXITED(rd.status[i]) && WEXITSTATUS(rd.status[i]) == 9;
		saved += rd.got[i] && rd.rep[i].code == DV_OK && rd.rep[i].version == 3;
	}
	is_int(died, 1, "the combiner died between its commit and its cleanup");
	is_int(saved, NSAVERS - 1, "every other session sees its save as done");
	int once = 0;
	for (int i = 0; i < NSAVERS; i++)
		once += strcmp(q_text("SELECT notes FROM calls WHERE id = ?1", ids[i]), notes[i]) == 0 &&
			strcmp(q_text("SELECT version FROM calls WHERE id = ?1", ids[i]), "3") == 0;
	is_int(once, NSAVERS, "every save is stored once (the dead combiner's too): none lost, none applied twice");
	is_int(count_files(".intent") + count_files(".claimed"), 0, "the intents it left were cleared by the next combiner");
}

/* A saver that saves again at each byte on go ('q': it stops), with a
 * short wait for the lock (200 ms, and 300 ms more for a claimed
 * intent), reporting each outcome on out. */
static void patient_saver(const char *id, int ready, int go, int out)
{
	dv_error e;
	calls_combine_hook = hook;
	dv_session *me_s = session_open(path, 0, &e);
	if (!me_s)
		_exit(3);
	db_set_busy_timeout(me_s->db, 200);
	me_s->db->intent_grace_ms = 300;
	call_record *r = calls_read_unaudited(me_s, id, &e);
	if (!r)
		_exit(4);
	if (write(ready, "r", 1) != 1)
		_exit(5);
	char c;
	for (int k = 0; read(go, &c, 1) == 1 && c != 'q'; k++) {
		char note[32];
		snprintf(note, sizeof note, "try %d", k);
		call_set_col(r, COL_NOTES, note);
		report rep = {0};
		rep.code = calls_save(me_s, r, &e);
		rep.version = r->version;
		snprintf(rep.msg, sizeof rep.msg, "%s", rep.code ? e.msg : "");
		if (write(out, &rep, sizeof rep) != (ssize_t)sizeof rep)
			_exit(6);
	}
	call_free(r);
	session_close(me_s);
	_exit(0);
}

/* A combiner that stops (SIGSTOP) after it claimed another session's
 * intent and before its commit: that session's save gives up waiting
 * (busy), and is applied later, when the combiner goes on. The saver's
 * next save learns so: it is told saved, not "changed elsewhere", and
 * stores what it has now at the version after both. While the combiner
 * is still stopped, the next save is busy again and posts nothing. */
static void test_hung_combiner(const char *dir)
{
	char ids[2][37], marker[300];
	snprintf(marker, sizeof marker, "%s/stopped", dir);
	new_drafts(2, ids);
	int ready[2], out[2], go[2][2];
	pid_t pid[2];
	if (pipe(ready) || pipe(out))
		exit(99);
	stop_marker = marker;
	for (int i = 0; i < 2; i++) {
		if (pipe(go[i]))
			exit(99);
		fflush(stdout);
		if ((pid[i] = fork()) == 0) {
			close(go[i][1]);
			patient_saver(ids[i], ready[1], go[i][0], out[1]);
		}
		close(go[i][0]);
	}
	stop_marker = NULL;
	char c;
	for (int i = 0; i < 2; i++)
		if (read(ready[0], &c, 1) != 1)
			break;
	sqlite3 *holder;
	sqlite3_open(path, &holder);
	sqlite3_exec(holder, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	for (int i = 0; i < 2; i++)
		if (write(go[i][1], "g", 1) != 1)
			break;
	for (int t = 0; t < 100 && count_files(".intent") < 2; t++) {
		struct timespec nap = {0, 2000000};
		nanosleep(&nap, NULL);
	}
	sqlite3_exec(holder, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(holder);
	/* one takes the lock, claims the other's intent and stops */
	int stopped = -1, st;
	for (int t = 0; t < 500 && stopped < 0; t++) {
		for (int i = 0; i < 2 && stopped < 0; i++)
			if (waitpid(pid[i], &st, WUNTRACED | WNOHANG) == pid[i] && WIFSTOPPED(st))
				stopped = i;
		struct timespec nap = {0, 10000000};
		nanosleep(&nap, NULL);
	}
	ok(stopped >= 0, "a combiner stops once it has claimed the other's intent");
	if (stopped < 0) {
		kill(pid[0], SIGKILL), kill(pid[1], SIGKILL);
		return;
	}
	int other = 1 - stopped;
	report rep;
	int got = read(out[0], &rep, sizeof rep) == (ssize_t)sizeof rep;
	ok(got && rep.code == DV_EBUSY, "the other's save gives up waiting: busy (%s)", got ? rep.msg : "no report");
	is_int(count_files(".claimed"), 1, "its intent is still claimed");
	if (write(go[other][1], "g", 1) != 1)
		return;
	got = read(out[0], &rep, sizeof rep) == (ssize_t)sizeof rep;
	ok(got && rep.code == DV_EBUSY, "saved again while the combiner is stopped: busy again (%s)", got ? rep.msg : "no report");
	is_int(count_files(".intent"), 0, "and no second intent is posted beside the claimed one");
	kill(pid[stopped], SIGCONT);
	got = read(out[0], &rep, sizeof rep) == (ssize_t)sizeof rep;
	ok(got && rep.code == DV_OK, "the combiner goes on and commits");
	is_str(q_text("SELECT notes FROM calls WHERE id = ?1", ids[other]), "try 0", "the save that gave up is applied then");
	if (write(go[other][1], "g", 1) != 1)
		return;
	got = read(out[0], &rep, sizeof rep) == (ssize_t)sizeof rep;
	ok(got && rep.code == DV_OK, "the next save sees its earlier one applied and is saved (%s)", got ? rep.msg : "no report");
	is_str(q_text("SELECT notes FROM calls WHERE id = ?1", ids[other]), "try 2", "the row holds the last save");
	is_str(q_text("SELECT version FROM calls WHERE id = ?1", ids[other]), "4", "at the version after both saves");
	ok(got && rep.version == 4, "and the record knows that version");
	for (int i = 0; i < 2; i++) {
		if (write(go[i][1], "q", 1) != 1)
			break;
		close(go[i][1]);
		waitpid(pid[i], &st, 0);
	}
	close(ready[0]), close(ready[1]), close(out[0]), close(out[1]);
	is_int(count_files(".intent") + count_files(".claimed"), 0, "no intent is left");
}

static void put_file(const char *name, const char *text, size_t len)
{
	char p[400];
	snprintf(p, sizeof p, "%s/%s", pending, name);
	FILE *f = fopen(p, "w");
	fwrite(text, 1, len, f);
	fclose(f);
}

static int log_has(const char *what)
{
	char p[400];
	snprintf(p, sizeof p, "%s/refused.log", pending);
	FILE *f = fopen(p, "r");
	char line[2048];
	int found = 0;
	while (f && fgets(line, sizeof line, f))
		found |= strstr(line, what) != NULL;
	if (f)
		fclose(f);
	return found;
}

/* Hostile or broken intents are refused with file:line and why, and the
 * saves around them go through. */
static void test_hostile(void)
{
	/* a good intent of another account (the file is this uid's) */
	save_intent in = {0};
	snprintf(in.nonce, sizeof in.nonce, "%032d", 7);
	in.seq = 1;
	snprintf(in.login, sizeof in.login, "someone-else");
	char ids[NSAVERS][37];
	new_drafts(NSAVERS, ids);
	memcpy(in.id, ids[0], 37);
	snprintf(in.case_code, sizeof in.case_code, "0000-0000");
	in.version = 2;
	in.mask = 1u << COL_NOTES;
	in.col[COL_NOTES] = xstrdup("forged");
	dv_buf b = {0};
	combine_serialise(&b, &in);
	char name[80];
	snprintf(name, sizeof name, "%s.1.intent", in.nonce);
	put_file(name, b.s, b.len);
	/* the same, cut short */
	snprintf(in.nonce, sizeof in.nonce, "%032d", 8);
	dv_buf_free(&b);
	combine_serialise(&b, &in);
	snprintf(name, sizeof name, "%s.1.intent", in.nonce);
	put_file(name, b.s, b.len / 2);
	/* garbage, and invalid UTF-8 */
	put_file("junk.intent", "rm -rf /\n", 9);
	snprintf(in.nonce, sizeof in.nonce, "%032d", 9);
	free(in.col[COL_NOTES]);
	in.col[COL_NOTES] = xstrdup("bad \xff byte");
	in.col[COL_NOTES][4] = (char)0xff;
	dv_buf_free(&b);
	combine_serialise(&b, &in);
	snprintf(name, sizeof name, "%s.1.intent", in.nonce);
	put_file(name, b.s, b.len);
	dv_buf_free(&b);
	save_intent_clear(&in);

	/* an intent whose writer died while writing it, 20 minutes ago, and
	 * one being written now */
	snprintf(name, sizeof name, ".%032d.1.tmp", 10);
	put_file(name, "dovira-intent 1\nnonce", 22);
	char stale[400];
	snprintf(stale, sizeof stale, "%s/%s", pending, name);
	struct timespec old[2] = {{time(NULL) - 1200, 0}, {time(NULL) - 1200, 0}};
	utimensat(AT_FDCWD, stale, old, 0);
	snprintf(name, sizeof name, ".%032d.1.tmp", 11);
	put_file(name, "dovira-intent 1\nnonce", 22);

	const char *notes[NSAVERS] = {"h0", "h1", "h2", "h3", "h4", "h5"};
	round rd;
	run_round(&rd, NSAVERS, ids, NULL, notes);
	ok(access(stale, F_OK) != 0, "a half-written intent left 20 minutes ago is removed by a combiner");
	is_int(count_files(".tmp"), 1, "one being written now is left alone");
	int saved = 0;
	for (int i = 0; i < NSAVERS; i++)
		saved += rd.got[i] && rd.rep[i].code == DV_OK &&
			 strcmp(q_text("SELECT notes FROM calls WHERE id = ?1", ids[i]), notes[i]) == 0;
	is_int(saved, NSAVERS, "every save goes through beside the hostile files");
	is_int(count_files(".refused"), 4, "the four bad intents are set aside as .refused");
	is_int(count_files(".intent"), 0, "none is left pending");
	ok(log_has(".1.intent.claimed:4: names the account someone-else, but the file belongs to"),
	   "refused.log: an intent naming another account than its file's owner");
	ok(log_has("truncated"), "refused.log: the truncated intent, with its line");
	ok(log_has("junk.intent.claimed:1: not an intent of a save"), "refused.log: the garbage file");
	ok(log_has(":8: invalid UTF-8") || log_has("invalid UTF-8"), "refused.log: the invalid UTF-8");
	is_str(q_text("SELECT count(*) FROM calls WHERE notes = 'forged'", NULL), "0", "the forged save is not applied");
}

/* The shared page: an outcome published there is read without the
 * table (no row of it is in save_results), only for its own nonce and
 * save number; a slot being written is not read. */
static void test_page(void)
{
	save_intent *v = NULL;
	mkdir(pending, 0770);
	combine_collect(s, NULL, 0, &v, 0); /* maps the page */
	free(v);
	ok(s->db->wake != NULL, "the wake-up page is mapped");
	if (!s->db->wake)
		return;
	save_intent in = {0};
	snprintf(in.nonce, sizeof in.nonce, "%032d", 42);
	in.seq = 5;
	combine_publish(s->db, &in);
	int code = -1;
	dv_error e;
	is_int(combine_outcome(s->db, in.nonce, 5, &code, NULL, 0, &e), 1, "an outcome published on the page is found there");
	is_int(code, DV_OK, "saved");
	is_int(combine_outcome(s->db, in.nonce, 6, &code, NULL, 0, &e), 0, "not for another save number (nor in the table)");
	char other[33];
	snprintf(other, sizeof other, "%032d", 43);
	is_int(combine_outcome(s->db, other, 5, &code, NULL, 0, &e), 0, "nor for another nonce");
	/* a slot half written: its sequence number odd */
	unsigned long *ver = NULL;
	char *page = (char *)s->db->wake;
	for (size_t off = 8; off + 56 <= COMBINE_WAKE_MAP; off += 8)
		if (memcmp(page + off, in.nonce, 32) == 0) {
			ver = (unsigned long *)(void *)(page + off - 8);
			break;
		}
	ok(ver != NULL, "the slot is found");
	if (ver) {
		(*ver)++;
		is_int(combine_outcome(s->db, in.nonce, 5, &code, NULL, 0, &e), 0, "a slot being written is not read");
		(*ver)++;
	}
	in.seq = 7;
	in.code = DV_ECONFLICT;
	combine_publish(s->db, &in);
	is_int(combine_outcome(s->db, in.nonce, 7, &code, NULL, 0, &e), 0,
	       "a failure is read from the table, with its message (none there here)");
}

static ino_t inode_of(const char *name)
{
	char p[400];
	struct stat sb;
	snprintf(p, sizeof p, "%s/%s", pending, name);
	return lstat(p, &sb) == 0 ? sb.st_ino : 0;
}

/* Claim every intent waiting (this session holds the lock) and retire
 * them as after a commit; the save number of the one found, 0 if none. */
static long claim_and_retire(const char *expect_notes)
{
	dv_error e;
	save_intent *v = NULL;
	long seq = 0;
	if (dbi_begin(s->db, &e) != DV_OK)
		return -1;
	size_t n = combine_collect(s, NULL, 0, &v, 64);
	if (n == 1 && (!expect_notes || (v[0].col[COL_NOTES] && strcmp(v[0].col[COL_NOTES], expect_notes) == 0)))
		seq = v[0].seq;
	dbi_rollback(s->db);
	combine_release(v, n, 1);
	combine_free(v, n);
	return n > 1 ? -(long)n : seq;
}

/* An applied intent's file is kept as its session's spare and written
 * again by its next post (no file made): never read as an intent, cut to
 * the new one's length, given up once a sweep might take it, removed when
 * the session closes or, left by a session that died, by a sweep. */
static void test_spare(void)
{
	dv_error e;
	dv_session *b = session_open(path, 0, &e);
	char ids[1][37];
	new_drafts(1, ids);
	save_intent in = {0};
	combine_nonce(b->db);
	memcpy(in.nonce, b->db->nonce, sizeof in.nonce);
	snprintf(in.login, sizeof in.login, "%s", me);
	memcpy(in.id, ids[0], 37);
	snprintf(in.case_code, sizeof in.case_code, "0000-0000");
	in.version = 2;
	in.mask = 1u << COL_NOTES;
	char first[1200];
	memset(first, 'x', sizeof first - 1);
	first[sizeof first - 1] = '\0';
	in.col[COL_NOTES] = xstrdup(first);
	in.seq = 1;
	char name[80], spare[80];
	snprintf(name, sizeof name, "%s.1.intent", in.nonce);
	snprintf(spare, sizeof spare, ".%s.spare", in.nonce);
	is_int(combine_post(b, &in, &e), DV_OK, "a session posts an intent");
	ino_t posted = inode_of(name);
	ok(posted != 0, "its file is there");
	is_int((int)claim_and_retire(first), 1, "a combiner claims it");
	is_int(count_files(".intent") + count_files(".claimed"), 0, "after the commit no intent is left");
	ok(inode_of(spare) == posted, "its file is kept as the session's spare");

	free(in.col[COL_NOTES]);
	in.col[COL_NOTES] = xstrdup("short");
	in.seq = 2;
	snprintf(name, sizeof name, "%s.2.intent", in.nonce);
	is_int(combine_post(b, &in, &e), DV_OK, "the next save is posted");
	ok(inode_of(name) == posted, "in the spare, written again: no file is made");
	char tmp[80];
	snprintf(tmp, sizeof tmp, ".%s.2.tmp", in.nonce);
	ok(inode_of(spare) == 0 && inode_of(tmp) == 0, "and no other file of the session is left");
	is_int((int)claim_and_retire("short"), 2,
	       "it reads as that save alone, nothing of the longer one before");

	/* a spare as old as a sweep might remove is not written */
	char sp[400];
	snprintf(sp, sizeof sp, "%s/%s", pending, spare);
	struct timespec old[2] = {{time(NULL) - 400, 0}, {time(NULL) - 400, 0}};
	utimensat(AT_FDCWD, sp, old, 0);
	int held = open(sp, O_RDONLY);
	in.seq = 3;
	snprintf(name, sizeof name, "%s.3.intent", in.nonce);
	is_int(combine_post(b, &in, &e), DV_OK, "a save is posted beside a spare 6 minutes old");
	struct stat sb;
	ok(inode_of(name) != 0 && held >= 0 && fstat(held, &sb) == 0 && sb.st_nlink == 0,
	   "in a new file: the old spare is removed, not written");
	if (held >= 0)
		close(held);
	is_int((int)claim_and_retire("short"), 3, "that save is claimed");

	/* a spare is never applied: one holding a whole intent */
	dv_buf buf = {0};
	in.seq = 9;
	free(in.col[COL_NOTES]);
	in.col[COL_NOTES] = xstrdup("from a spare");
	combine_serialise(&buf, &in);
	put_file(".00000000000000000000000000000077.spare", buf.s, buf.len);
	dv_buf_free(&buf);
	is_int((int)claim_and_retire(NULL), 0, "a spare holding a whole intent is not claimed");
	/* left by a session that died: removed by a sweep once 10 minutes old */
	snprintf(sp, sizeof sp, "%s/.00000000000000000000000000000077.spare", pending);
	struct timespec older[2] = {{time(NULL) - 1200, 0}, {time(NULL) - 1200, 0}};
	utimensat(AT_FDCWD, sp, older, 0);
	s->db->swept = 0;
	claim_and_retire(NULL);
	ok(access(sp, F_OK) != 0, "a spare left 20 minutes ago is removed by a combiner");
	ok(inode_of(spare) != 0, "the live session's spare is kept");
	session_close(b);
	ok(inode_of(spare) == 0, "a session that closes removes its spare");
	save_intent_clear(&in);
}

/* The parser on its own: messages name the file and line. */
static void test_parse(void)
{
	save_intent in;
	dv_error e;
	char t1[] = "dovira-intent 1\nnonce 00000000000000000000000000000001\nseq 1\nlogin op\n"
		    "id 00000000-0000-0000-0000-000000000000\ncase 0000-0000\nversion 1\nmask 0\nbogus x\nend\n";
	is_int(combine_parse("f", t1, strlen(t1), &in, &e), DV_EINVAL, "an unknown line is refused");
	is_str(e.msg, "f:9: an unknown line", "with its file and line");
	char t2[] = "dovira-intent 1\nnonce 00000000000000000000000000000001\nseq 1\nlogin op\n"
		    "id 00000000-0000-0000-0000-000000000000\ncase 0000-0000\nversion 1\nmask 0\nend\n";
	is_int(combine_parse("f", t2, strlen(t2), &in, &e), DV_OK, "a whole intent parses");
	save_intent_clear(&in);
	char t3[] = "dovira-intent 1\nnonce 00000000000000000000000000000001\nseq 1\nlogin op\n"
		    "id 00000000-0000-0000-0000-000000000000\ncase 0000-0000\nversion 1\nmask 1\nend\n";
	is_int(combine_parse("f", t3, strlen(t3), &in, &e), DV_EINVAL, "a masked column without its value is refused");
}

/* With a run directory (settings.h run_dir: a tmpfs on a server) the
 * pending saves go there, in a directory named after the database's
 * file, and are combined there as beside the database. */
static void test_run_dir(const char *dir)
{
	char run[128], conf[160], dotted[160], want[300], wake[320];
	snprintf(run, sizeof run, "%s/run", dir);
	snprintf(conf, sizeof conf, "%s/run.conf", dir);
	snprintf(dotted, sizeof dotted, "%s/./calls.db", dir);
	struct stat sb;
	stat(path, &sb);
	snprintf(want, sizeof want, "%s/calls.db.%llx.%llu-pending", run, (unsigned long long)sb.st_dev,
		 (unsigned long long)sb.st_ino);
	int before = count_files(".intent") + count_files(".claimed") + count_files(".tmp") + count_files(".spare");
	char *p = priv_pending_dir(path, run);
	is_str(p, pending, "a run directory that does not exist leaves the pending saves beside the database");
	free(p);
	mkdir(run, 0700);
	p = priv_pending_dir(path, run);
	is_str(p, want, "in the run directory, the directory is named after the database's file, device and inode");
	free(p);
	p = priv_pending_dir(dotted, run);
	is_str(p, want, "another path to the same database names the same directory");
	free(p);
	FILE *f = fopen(conf, "w");
	fprintf(f, "run_dir = %s\n", run);
	fclose(f);
	const char *was = getenv("DOVIRA_CONF");
	char *old_conf = was ? xstrdup(was) : NULL;
	setenv("DOVIRA_CONF", conf, 1);
	char beside[300];
	snprintf(beside, sizeof beside, "%s", pending);
	snprintf(pending, sizeof pending, "%s", want);
	session_close(s);
	dv_error e;
	s = session_open(path, 0, &e);
	char ids[NSAVERS][37];
	const char *notes[NSAVERS] = {"run zero", "run one", "run two", "run three", "run four", "run five"};
	new_drafts(NSAVERS, ids);
	round rd;
	run_round(&rd, NSAVERS, ids, NULL, notes);
	int saved = 0, carried = 0;
	for (int i = 0; i < NSAVERS; i++) {
		saved += rd.got[i] && rd.rep[i].code == DV_OK && strcmp(q_text("SELECT notes FROM calls WHERE id = ?1", ids[i]), notes[i]) == 0;
		carried += rd.got[i] ? rd.rep[i].carried : 0;
	}
	is_int(rd.posted, NSAVERS, "each save waiting for the lock was posted in the run directory");
	is_int(saved, NSAVERS, "and every one was saved");
	is_int(carried, NSAVERS, "by one commit that found them all there");
	snprintf(wake, sizeof wake, "%s/wake", pending);
	ok(stat(wake, &sb) == 0, "the sessions' wake page is there too");
	snprintf(pending, sizeof pending, "%s", beside);
	is_int(count_files(".intent") + count_files(".claimed") + count_files(".tmp") + count_files(".spare") - before, 0,
	       "and nothing was posted beside the database");
	if (old_conf)
		setenv("DOVIRA_CONF", old_conf, 1);
	else
		unsetenv("DOVIRA_CONF");
	free(old_conf);
}

int main(void)
{
	char *dir = test_tmpdir();
	snprintf(path, sizeof path, "%s/calls.db", dir);
	snprintf(pending, sizeof pending, "%s-pending", path);
	staff_whoami(me, sizeof me);
	dv_error e;
	dv_db *db = setup_open(path, DB_OPEN_CREATE, me, &e);
	db_close(db);
	s = session_open(path, 0, &e);
	if (!s) {
		printf("Bail out! %s\n", e.msg);
		return 1;
	}
	test_parse();
	test_page();
	test_combined();
	test_deferred();
	test_masks_shared();
	test_lock_handed_on();
	test_failures_are_own();
	test_fails_halfway();
	test_crash_after_commit(dir);
	test_hung_combiner(dir);
	test_hostile();
	test_spare();
	test_run_dir(dir);
	session_close(s);
	return tap_done();
}
