/* cmd_db.c: init, check and backup. */
#include "config.h"

#include <pthread.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dovira/audit.h"
#include "dovira/cli.h"
#include "dovira/db.h"
#include "dovira/desk.h"
#include "dovira/i18n.h"
#include "dovira/sanitize.h"
#include "dovira/setup.h"
#include "dovira/orgs.h"
#include "dovira/session.h"
#include "dovira/settings.h"
#include "dovira/staff.h"
#include "dovira/priv.h"
#include "dovira/report.h"

/* Record the head of a chain that verifies as the database's anchor
 * (a new database replaces whatever was anchored at its path before). */
static int anchor_head(dv_db *db, const char *by, dv_error *e)
{
	dv_buf report = {0};
	audit_head head;
	long rows;
	int code = audit_verify_to(db, NULL, &report, &rows, &head, e);
	if (code == DV_ECORRUPT)
		dv_fail(e, code, "%s", report.s ? report.s : "");
	dv_buf_free(&report);
	return code ? code : audit_anchor_record(db, &head, by, e);
}

int cmd_init(dv_cli *cli, const cli_parsed *p)
{
	(void)p;
	dv_error e;
	char login[64];
	staff_whoami(login, sizeof login);
	if (priv_setgid() && getuid() != 0) {
		/* Whoever creates a database is its first administrator: on a
		 * server that must not be the first account to get there. */
		cli_error("init", _("installed setgid, only root creates a database (sudo dovira init)"));
		return CLI_PROBLEM;
	}
	if (settings_make_db_dir(cli->db_path, &e)) {
		cli_error("init", "%s", e.msg);
		return CLI_PROBLEM;
	}
	dv_db *db = setup_open(cli->db_path, DB_OPEN_CREATE, login, &e);
	if (!db) {
		cli_error("init", "%s", e.msg);
		return CLI_PROBLEM;
	}
	sanitize_fprintf(stdout, _("created %s (schema version %d, journal mode %s); %s is its administrator\n"),
	       cli->db_path, db_schema_version(db), db_journal_mode(), login);
	int rc = CLI_OK;
	if (anchor_head(db, "init", &e)) {
		cli_error("init", "%s", e.msg);
		rc = CLI_PROBLEM;
	}
	if (orgs_seed_if_empty(db, login, orgs_default_seed_path(), &e)) {
		cli_error("init", "%s", e.msg);
		rc = CLI_PROBLEM;
	} else {
		long n = orgs_count(db, &e);
		if (n < 0) {
			cli_error("init", "%s", e.msg);
			db_close(db);
			return CLI_PROBLEM;
		}
		sanitize_fprintf(stdout, ngettext("the directory holds %ld organisation from %s\n", "the directory holds %ld organisations from %s\n",
				(unsigned long)n), n, orgs_default_seed_path());
	}
	db_close(db);
	return rc;
}

/* Print one part's verdict and its report; 1 if it found problems, -1 if
 * it could not run. */
static int verdict_to(FILE *out, int code, const char *path, const char *part, const char *ok_detail,
		      dv_buf *report, const dv_error *e)
{
	if (code != DV_OK && code != DV_ECORRUPT) {
		cli_error("check", "%s", e->msg);
		dv_buf_free(report);
		return -1;
	}
	if (code)
		sanitize_fprintf(out, _("%s: %s: PROBLEMS\n"), path, part);
	else if (ok_detail)
		sanitize_fprintf(out, _("%s: %s: ok (%s)\n"), path, part, ok_detail);
	else
		sanitize_fprintf(out, _("%s: %s: ok\n"), path, part);
	sanitize_fprintf(out, "%s", report->s ? report->s : "");
	dv_buf_free(report);
	return code == DV_ECORRUPT;
}

static int verdict(int code, const char *path, const char *part, const char *ok_detail,
		   dv_buf *report, const dv_error *e)
{
	return verdict_to(stdout, code, path, part, ok_detail, report, e);
}

/* The chain, proven to reach the last anchor; the head is anchored anew
 * only when nothing at all is wrong (see check_db). */
static int check_chain(FILE *out, dv_db *db, const char *path, audit_head *head, audit_records *records)
{
	dv_error e;
	dv_buf report = {0};
	audit_anchor anchor;
	long rows = 0;
	int found = audit_anchor_find(db, &anchor, &report, &e);
	if (found < 0 && found != DV_ECORRUPT)
		return verdict_to(out, found, path, _("audit chain"), NULL, &report, &e);
	int code = audit_verify_into(db, found == 1 ? &anchor : NULL, records, &report, &rows, head, &e);
	if (found == DV_ECORRUPT && code == DV_OK)
		code = DV_ECORRUPT;
	char *detail = found == 1
		? xasprintf(ngettext("%ld row; reaches the head anchored by '%s' at %s (row %lld)",
				     "%ld rows; reach the head anchored by '%s' at %s (row %lld)", (unsigned long)rows),
			    rows, anchor.by, anchor.at, anchor.seq)
		: xasprintf(ngettext("%ld row; no earlier anchor", "%ld rows; no earlier anchor", (unsigned long)rows), rows);
	int r = verdict_to(out, code, path, _("audit chain"), detail, &report, &e);
	free(detail);
	return r;
}

static int check_records(FILE *out, audit_records *job, const char *path)
{
	dv_error e;
	dv_buf report = {0};
	long calls = 0, staff = 0, cases = 0, orgs = 0;
	audit_records_others(job, &cases, &orgs);
	int code = audit_records_end(job, &report, &calls, &staff, &e);
	char *detail = xasprintf(_("%ld staff rows, %ld calls, %ld cases, %ld directory entries"), staff, calls, cases, orgs);
	int r = verdict_to(out, code, path, _("records match the audit"), detail, &report, &e);
	free(detail);
	return r;
}

/* The time of each part on stderr, when DOVIRA_CHECK_TIMES is set (not
 * setgid): to see where a slow check goes. Wall seconds since the last
 * mark, with the thread's name. */
static double part_clock(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static void part_done(const char *thread, const char *part, double *since)
{
	static int on = -1;
	if (on < 0)
		on = priv_getenv("DOVIRA_CHECK_TIMES") != NULL;
	double now = part_clock();
	if (on)
		fprintf(stderr, "check time: %s: %s %.2f s\n", thread, part, now - *since);
	*since = now;
}

/* The integrity check, the longest part, in a thread of its own, which
 * then helps with the records. */
typedef struct integrity_job {
	dv_db *db;
	int full, code;
	dv_buf report;
	dv_error e;
	audit_records *records;
	report_check_job *counts;
	const char *fk_skip; /* a table whose foreign keys the records prove */
} integrity_job;

/* Reading a snapshot holds no lock, but it takes both cores for seconds:
 * give way to the operators' saves (a writer that loses its core while it
 * holds the write lock holds every other writer up). Linux: per thread. */
static void give_way(void)
{
	if (setpriority(PRIO_PROCESS, 0, 10) != 0)
		return; /* then at the usual priority */
}

static void *integrity_run(void *arg)
{
	integrity_job *j = arg;
	double t = part_clock();
	if (j->records)
		give_way();
	j->code = db_integrity_but(j->db, j->full, j->fk_skip, &j->report, &j->e);
	part_done("2", "integrity", &t);
	if (j->records) {
		audit_records_work(j->records, j->db);
		part_done("2", "records (its share)", &t);
		report_check_work(j->counts, j->db);
		part_done("2", "report counts (its share)", &t);
	}
	return NULL;
}

/* One part's outcome, kept until the parts print in their order. */
typedef struct part_result {
	int code;
	dv_buf report;
	dv_error e;
} part_result;

/* The records of a snapshot sorted in memory (audit_records_new) take
 * about a fifth of the database's size (290 MB at a million calls, a
 * 1.6 GB file): only if that fits in a quarter of the memory still
 * available; else they are read by id, in chunks, a few seconds slower. */
static int records_fit(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 && sb.st_size / 5 * 4 < db_mem_available();
}

/* Integrity, schema, the audit chain and the records, the directory's
 * index, the report counts; each problem on its own line, in that order.
 * With a twin (a second connection to the same snapshot) the integrity
 * check runs in a thread of its own while the others run on db, the two
 * cores at once; the report counts (by day) and the records (in ranges
 * of keys) are shared by both threads as they come free: this one takes
 * the counts first, the other the records, and each then helps with the
 * other's, so that they end together. Their verdicts wait in memory so
 * that they print in order. */
static int check_db(dv_db *db, int sorted, dv_db *twin, const char *path, int full, double t0)
{
	dv_error e;
	dv_buf report = {0};
	audit_head head;
	int r[6];
	long days = 0;
	double t = part_clock();
	audit_records *records = audit_records_new(sorted);
	audit_records_prefix(records, db, &e); /* failing, ranged as if by none: the records part says why */
	report_check_job *counts_job = report_check_new(db, full);
	integrity_job ij = {.db = twin ? twin : db, .full = full, .records = twin ? records : NULL, .counts = counts_job,
			    .fk_skip = audit_records_proves_answers(records) ? "answers" : NULL};
	pthread_t th;
	int threaded = twin && pthread_create(&th, NULL, integrity_run, &ij) == 0;
	if (threaded)
		give_way();
	if (!threaded) {
		ij.records = NULL;
		integrity_run(&ij);
	}
	char *rest = NULL;
	size_t rest_len = 0;
	FILE *out = threaded ? open_memstream(&rest, &rest_len) : NULL;
	if (!out)
		out = stdout;
	if (!threaded)
		r[0] = verdict(ij.code, path, full ? _("integrity (full)") : _("integrity"), NULL, &ij.report, &ij.e);
	part_result idx = {0}, counts = {0};
	r[1] = verdict_to(out, db_check_schema(db, &report, &e), path, _("schema"), NULL, &report, &e);
	part_done("1", "schema", &t);
	r[2] = check_chain(out, db, path, &head, records);
	audit_records_digests_end(records);
	part_done("1", "audit chain", &t);
	idx.code = orgs_check_index(db, 0, &idx.report, &idx.e);
	part_done("1", "directory index", &t);
	report_check_work(counts_job, db);
	part_done("1", "report counts (its share)", &t);
	audit_records_work(records, db);
	part_done("1", "records (its share)", &t);
	if (threaded)
		pthread_join(th, NULL);
	part_done("1", "waiting for thread 2", &t);
	counts.code = report_check_end(counts_job, &counts.report, &days, &counts.e);
	r[3] = check_records(out, records, path);
	r[4] = verdict_to(out, idx.code, path, _("directory search index"), NULL, &idx.report, &idx.e);
	char *cdetail = xasprintf(ngettext("%ld day recounted", "%ld days recounted", (unsigned long)days), days);
	r[5] = verdict_to(out, counts.code, path, _("report counts"), cdetail, &counts.report, &counts.e);
	free(cdetail);
	if (threaded) {
		r[0] = verdict(ij.code, path, full ? _("integrity (full)") : _("integrity"), NULL, &ij.report, &ij.e);
		if (out != stdout) {
			fclose(out);
			fputs(rest, stdout);
			free(rest);
		}
	}
	int problems = 0, failed = 0;
	for (int i = 0; i < 6; i++)
		problems += r[i] == 1, failed += r[i] < 0;
	if (problems || failed)
		return CLI_PROBLEM;
	if (audit_anchor_record(db, &head, "check", &e)) {
		cli_error("check", "%s", e.msg);
		return CLI_PROBLEM;
	}
	part_done("1", "anchor", &t);
	sanitize_fprintf(stdout, _("%s: audit anchor: row %lld recorded\n"), path, head.seq);
	if (desk_is_training(db, &e) == 1)
		sanitize_fprintf(stdout, _("%s: a training database: its calls are synthetic (dovira demo)\n"), path);
	part_done("all", "check", &t0);
	return CLI_OK;
}

int cmd_check(dv_cli *cli, const cli_parsed *p)
{
	int full = cli_given(p, "full") > 0;
	dv_error e;
	/* A crash may have left a hot journal: only a connection that may write
	 * can roll it back, so check then opens for writing (without
	 * upgrading anything) and says what happened. */
	int hot = db_hot_journal(cli->db_path);
	dv_db *db = db_open(cli->db_path, hot ? DB_OPEN_NO_MIGRATE : DB_OPEN_READONLY, &e);
	if (!db && hot && e.code == DV_EREADONLY) {
		cli_error("check", _("%s: a crash left an unfinished write (%s-journal) that must be rolled back first, and your account may not write the database; run 'dovira check' as the administrator or with the installed program"),
			  cli->db_path, cli->db_path);
		return CLI_PROBLEM;
	}
	if (!db) {
		cli_error("check", "%s", e.msg);
		return CLI_PROBLEM;
	}
	if (hot && db_schema_version(db) >= 0 && !db_hot_journal(cli->db_path))
		sanitize_fprintf(stdout, _("%s: a crash had left an unfinished write; it was rolled back, so the database is as it was before that write\n"), cli->db_path);
	/* Everything is read from a snapshot, so that writers are held back only
	 * for the moments the copy takes its short read locks. */
	db_copy_stats st;
	double t0 = part_clock(), t = t0;
	dv_db *snap = db_snapshot(db, &st, &e);
	if (!snap)
		sanitize_fprintf(stdout, _("%s: no snapshot (%s); checking the live database, which holds writers back during the integrity check\n"),
		       cli->db_path, e.msg);
	dv_db *twin = snap ? db_snapshot_twin(snap, &e) : NULL;
	part_done("1", "snapshot", &t);
	int rc = check_db(snap ? snap : db, snap && records_fit(cli->db_path), twin, cli->db_path, full, t0);
	db_close(twin);
	db_close(snap);
	db_close(db);
	return rc;
}

int cmd_backup(dv_cli *cli, const cli_parsed *p)
{
	const char *dest = p->args[0];
	dv_session *s = cli->s;
	dv_error e;
	int rc = CLI_PROBLEM;
	if (audit_log(s->db, s->login, "db.backup", NULL, dest, &e) || setup_backup(s->db, dest, NULL, &e))
		cli_error("backup", "%s", e.msg);
	else {
		sanitize_fprintf(stdout, _("wrote %s and verified it\n"), dest);
		rc = CLI_OK;
	}
	return rc;
}
