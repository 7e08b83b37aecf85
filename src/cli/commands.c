/* commands.c: the one table of the command line (cli.h): every command
 * and subcommand, who may run it, its options and arguments, its help.
 * The parser and the help read this table only; doc/dovira.1 is checked
 * against it (tests/cli/manpage.sh). */
#include "config.h"

#include <stddef.h>

#include "dovira/cli.h"
#include "dovira/i18n.h"
#include "dovira/staff.h"

#define END {NULL, 0, CLI_FLAG, NULL, NULL, NULL, 0, 0, 0}
#define ARGS_END {NULL, CLI_ONE}
#define SUBS_END {NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL}
/* Option rows, by kind. */
#define FLAG(n, s, h) {n, s, CLI_FLAG, NULL, h, NULL, 0, 0, 0}
#define TEXT(n, s, v, h) {n, s, CLI_TEXT, v, h, NULL, 0, 0, 0}
#define PATH(n, s, v, h) {n, s, CLI_PATH, v, h, NULL, 0, 0, 0}
#define DATE(n, s, h) {n, s, CLI_DATE, NULL, h, NULL, 0, 0, 0}
#define NUMBER(n, s, v, lo, hi, h) {n, s, CLI_NUMBER, v, h, NULL, lo, hi, 0}
#define CHOICE(n, s, c, h) {n, s, CLI_CHOICE, NULL, h, c, 0, 0, 0}

static const char *const yes_no[] = {"yes", "no", NULL};
static const char *const csv_json[] = {"csv", "json", NULL};
static const char *const text_json[] = {"text", "json", NULL};
static const char *const text_csv_json[] = {"text", "csv", "json", NULL};

/* ---- dovira itself ---- */

static const char *const langs[] = {"uk", "en", NULL};
static const char *const themes[] = {"mono", "colour", "color", NULL};

static const cli_opt root_opts[] = {
	TEXT("db", 'd', "PATH", N_("the database (else $DOVIRA_DB, the \"db\" line of the configuration file, or $XDG_DATA_HOME/dovira/dovira.db)")),
	CHOICE("lang", 'l', langs, N_("language of messages (default: the locale)")),
	CHOICE("theme", 0, themes, N_("the screens: mono has no colours, attributes only (also when NO_COLOR is set)")),
#ifdef DV_DEBUG
	PATH("debug-log", 0, "FILE", N_("the screens: write what they do to FILE (a debug build)")),
#else
	/* Refused with a message that says why, not as unknown. */
	{"debug-log", 0, CLI_PATH, "FILE", N_("the screens: write what they do to FILE (a debug build)"), NULL, 0, 0, CLI_HIDDEN},
#endif
	FLAG("version", 'V', N_("the program, SQLite version and journal mode")),
	END,
};

/* ---- init, check, backup ---- */

static const cli_opt check_opts[] = {
	FLAG("full", 'f', N_("also check that every index holds exactly the entries of its table (several times slower)")),
	END,
};

static const cli_arg backup_args[] = {{"FILE", CLI_ONE}, ARGS_END};

/* ---- staff ---- */

static const char *const role_codes[] = {"operator", "supervisor", "admin", NULL};
static const cli_opt staff_add_opts[] = {
	{"role", 'r', CLI_CHOICE, NULL, N_("what the account may do"), role_codes, 0, 0, CLI_REQUIRED},
	END,
};
static const cli_arg login_arg[] = {{"LOGIN", CLI_ONE}, ARGS_END};

static const cli_command staff_subs[] = {
	{"add", ROLE_ADMIN, staff_add_opts, login_arg, N_("add an account or change its role"), NULL, NULL, cmd_staff_add},
	{"list", ROLES_SUPERVISION, NULL, NULL, N_("everyone on the staff list, removed accounts too"), NULL, NULL, cmd_staff_list},
	{"remove", ROLE_ADMIN, NULL, login_arg, N_("take an account off the staff list"), NULL, NULL, cmd_staff_remove},
	SUBS_END,
};

/* ---- orgs ---- */

static const cli_arg file_arg[] = {{"FILE", CLI_ONE}, ARGS_END};
static const cli_arg id_arg[] = {{"ID", CLI_ONE}, ARGS_END};
static const cli_arg query_arg[] = {{"QUERY", CLI_ANY}, ARGS_END};

static const cli_opt orgs_export_opts[] = {
	CHOICE("format", 'f', csv_json, N_("CSV (the default) or JSON")),
	END,
};

static const cli_opt orgs_search_opts[] = {
	/* The codes are the directory's (orgs_codes.c, places.c), which
	 * checks them and names the ones there are. */
	TEXT("raion", 'r', "AREA", N_("entries that serve the area (national lines always match)")),
	TEXT("service", 's', "SERVICE", N_("entries that offer the service")),
	TEXT("serves", 'w', "GROUP", N_("entries that serve the group")),
	NUMBER("age", 'a', "YEARS", 0, 120, N_("entries whose age range includes YEARS")),
	FLAG("all", 'A', N_("include retired entries")),
	NUMBER("limit", 'n', "N", 1, 1000000, N_("at most N results")),
	END,
};

static const cli_command orgs_subs[] = {
	{"search", ROLES_ALL, orgs_search_opts, query_arg, N_("find organisations"),
	 N_("Find organisations as you would on the screen: every word of QUERY must\n"
	    "begin a word of the entry (names, id, phones, notes, services, areas) in\n"
	    "either language, in any case. No QUERY lists every entry.\n"), NULL, cmd_orgs_search},
	{"show", ROLES_ALL, NULL, id_arg, N_("every detail of one entry"), NULL, NULL, cmd_orgs_show},
	{"export", ROLES_ALL, orgs_export_opts, NULL, N_("the whole directory to standard output"),
	 N_("Write the whole directory, retired entries included, to standard\n"
	    "output: CSV (the default) that 'dovira orgs import' reads back to the\n"
	    "same directory, or JSON.\n"), NULL, cmd_orgs_export},
	{"import", ROLES_SUPERVISION, NULL, file_arg, N_("add and update entries from a CSV file"),
	 N_("Check the whole file and, if it has no problem, add its entries to the\n"
	    "directory and update those with the same id; entries not in the file\n"
	    "are kept. Every problem is listed as FILE:LINE: message and then\n"
	    "nothing is imported.\n"), NULL, cmd_orgs_import},
	{"verify", ROLES_SUPERVISION, NULL, id_arg, N_("record that the entry was checked today"), NULL, NULL, cmd_orgs_verify},
	{"retire", ROLES_SUPERVISION, NULL, id_arg, N_("hide an entry that no longer helps"),
	 N_("Hide the entry from searches; it is kept for the referrals that name it.\n"), NULL, cmd_orgs_retire},
	{"do-not-refer", ROLES_SUPERVISION, NULL, id_arg, N_("never give the entry to callers"),
	 N_("Mark the entry not to be given to callers (closed, in occupied territory,\n"
	    "unconfirmed): it is still found, shown as such, sorted last and never\n"
	    "recommended by the script.\n"), NULL, cmd_orgs_do_not_refer},
	{"refer-again", ROLES_SUPERVISION, NULL, id_arg, N_("take back a do-not-refer mark"), NULL, NULL, cmd_orgs_refer_again},
	SUBS_END,
};

/* ---- script ---- */

static const cli_arg files_arg[] = {{"FILE", CLI_SOME}, ARGS_END};
static const cli_opt script_try_opts[] = {
	{"answer", 'a', CLI_TEXT, "STEP=VALUE", N_("answer a step; a multi step takes codes separated by commas"), NULL, 0, 0, CLI_REPEAT},
	CHOICE("format", 'f', text_json, N_("text (the default) or JSON")),
	END,
};

static const cli_command script_subs[] = {
	{"check", 0, NULL, files_arg, N_("check intake script files"),
	 N_("Check intake script files (format: dovira-script(5)). Each problem is\n"
	    "printed on standard error as FILE:LINE: message; a good file gets a\n"
	    "one-line summary on standard output. Referral rules are checked against\n"
	    "the database's directory when there is one.\n"
	    "Exit status: 0 all files good, 1 a problem found, 2 usage error.\n"), NULL, cmd_script_check},
	{"try", 0, script_try_opts, file_arg, N_("what the script does on one path of a call"),
	 N_("Answer the script as given, without taking a call, and print the\n"
	    "steps shown in order, the risk level with the rules that fired, whether\n"
	    "someone is in danger now, and the referrals: those recommended (with\n"
	    "their telephones from the directory) and those held back, with why.\n"
	    "Example: --answer control=debt,threats\n"), NULL, cmd_script_try},
	SUBS_END,
};

/* ---- demo ---- */

static const cli_opt demo_opts[] = {
	{"calls", 'n', CLI_NUMBER, "N", N_("how many calls to write"), NULL, 1, 100000000, CLI_REQUIRED},
	NUMBER("seed", 's', "S", 0, 0x7fffffffL, N_("the same seed gives the same calls (default 1)")),
	NUMBER("years", 'y', "Y", 1, 10, N_("spread the calls over Y years before now (default 3)")),
	PATH("script", 'f', "FILE", N_("the intake script the calls follow (default: the installed one)")),
	FLAG("quiet", 'q', N_("no progress lines")),
	END,
};

/* ---- calls ---- */

static const char *const kinds[] = {"data", "silent", "hangup", "abusive", "wrong_number", "test", NULL};
static const char *const risks[] = {"none", "possible", "likely", NULL};
static const char *const queues[] = {"none", "waiting", "acknowledged", NULL};
static const char *const case_states[] = {"open", "follow_up", "closed", "none", NULL};
static const char *const qa_flags[] = {"likely-no-referral", "danger-no-emergency", "recommended-not-made",
				       "unverified-referral", "short-call", "unknown-required", "old-draft", NULL};

static const cli_opt calls_list_opts[] = {
	TEXT("period", 0, "P", N_("today, shift, week, month, YYYY-MM or YYYY-MM-DD")),
	DATE("from", 0, N_("calls started on or after the date (UTC)")),
	DATE("to", 0, N_("calls started before the date (UTC)")),
	TEXT("office", 0, "OFFICE", N_("calls of one office")),
	TEXT("operator", 0, "LOGIN", N_("calls of one operator")),
	CHOICE("kind", 0, kinds, N_("calls of one kind")),
	TEXT("topic", 0, "TOPIC", N_("calls on one topic")),
	CHOICE("risk", 0, risks, N_("calls at one level of risk")),
	FLAG("draft", 0, N_("drafts only")),
	FLAG("final", 0, N_("final calls only")),
	CHOICE("callback", 0, yes_no, N_("calls with or without a call-back")),
	CHOICE("flagged", 0, yes_no, N_("calls with or without a quality flag")),
	{"flag", 0, CLI_CHOICE, "FLAG", N_("calls with this quality flag"), qa_flags, 0, 0, CLI_REPEAT},
	CHOICE("reviewed", 0, yes_no, N_("calls reviewed or not")),
	CHOICE("queue", 0, queues, N_("calls in the high-risk queue, by state")),
	CHOICE("case-status", 0, case_states, N_("calls whose case has this status")),
	TEXT("case", 0, "CODE", N_("the calls of the case of CODE")),
	NUMBER("limit", 0, "N", 1, 1000, N_("at most N calls (default 50)")),
	TEXT("after", 0, "CURSOR", N_("the page after the cursor a previous page printed")),
	CHOICE("format", 0, text_csv_json, N_("text (the default), CSV or JSON")),
	END,
};

static const cli_opt period_opts[] = {
	TEXT("period", 0, "P", N_("today, shift, week, month, YYYY-MM or YYYY-MM-DD")),
	DATE("from", 0, N_("from the date (UTC)")),
	DATE("to", 0, N_("to the date (UTC, exclusive)")),
	END,
};

static const cli_opt correct_opts[] = {
	{"version", 0, CLI_NUMBER, "N", N_("the call's version, as 'calls show' printed it"), NULL, 1, 0x7fffffffL, CLI_REQUIRED},
	{"reason", 0, CLI_TEXT, "TEXT", N_("why the call is corrected (audited)"), NULL, 0, 0, CLI_REQUIRED},
	END,
};

static const cli_opt drafts_opts[] = {
	NUMBER("hours", 0, "H", 1, 100000, N_("drafts older than H hours (default 12)")),
	END,
};

static const cli_arg call_arg[] = {{"CALL", CLI_ONE}, ARGS_END};
static const cli_arg code_arg[] = {{"CODE", CLI_ONE}, ARGS_END};
static const cli_arg link_args[] = {{"CALL", CLI_ONE}, {"CASE", CLI_ONE}, ARGS_END};
static const cli_arg status_args[] = {{"CODE", CLI_ONE}, {"open|follow_up|closed", CLI_ONE}, ARGS_END};
static const cli_arg owner_args[] = {{"CODE", CLI_ONE}, {"LOGIN|-", CLI_ONE}, ARGS_END};
static const cli_arg due_args[] = {{"CODE", CLI_ONE}, {"YYYY-MM-DD|-", CLI_ONE}, ARGS_END};
static const cli_arg ack_args[] = {{"CALL", CLI_ONE}, {"COMMENT", CLI_ONE}, ARGS_END};
static const cli_arg correct_args[] = {{"CALL", CLI_ONE}, {"FIELD=VALUE", CLI_SOME}, ARGS_END};

static const cli_command calls_subs[] = {
	{"list", ROLES_ALL, calls_list_opts, NULL, N_("the log, newest first (no notes)"),
	 N_("The log, newest first, without notes, with the screens' filters.\n"
	    "Operators see only their own calls.\n"), NULL, cmd_calls_list},
	{"show", ROLES_ALL, NULL, call_arg, N_("one call in full (audited)"),
	 N_("One call in full, its notes too; audited. CALL is a case code or an id.\n"), NULL, cmd_calls_show},
	{"case", ROLES_ALL, NULL, code_arg, N_("what a follow-up needs: the case and its calls"), NULL, NULL, cmd_calls_case},
	{"link", ROLES_ALL, NULL, link_args, N_("link a call to the case of the code CASE"), NULL, NULL, cmd_calls_link},
	{"status", ROLES_ALL, NULL, status_args, N_("set a case's status"), NULL, NULL, cmd_calls_case_set},
	{"owner", ROLES_SUPERVISION, NULL, owner_args, N_("set who owns a case (- for nobody)"), NULL, NULL, cmd_calls_case_set},
	{"due", ROLES_ALL, NULL, due_args, N_("set the call-back due date of a case (- for none)"), NULL, NULL, cmd_calls_case_set},
	{"overdue", ROLES_ALL, NULL, NULL, N_("cases whose call-back is overdue"), NULL, NULL, cmd_calls_overdue},
	{"ack", ROLES_SUPERVISION, NULL, ack_args, N_("acknowledge a call of the high-risk queue"), NULL, NULL, cmd_calls_one},
	{"review", ROLES_SUPERVISION, NULL, call_arg, N_("mark a call reviewed"), NULL, NULL, cmd_calls_one},
	{"correct", ROLES_SUPERVISION, correct_opts, correct_args, N_("correct a final call"),
	 N_("Correct a final call. FIELD is topic, notes, risk, answer:STEP,\n"
	    "referral+:ORG SERVICE or referral-:ORG SERVICE.\n"), NULL, cmd_calls_correct},
	{"drafts", ROLES_SUPERVISION, drafts_opts, NULL, N_("other operators' drafts left unfinished"), NULL, NULL, cmd_calls_drafts},
	{"finish", ROLES_SUPERVISION, NULL, call_arg, N_("finish an orphaned draft as supervisor"), NULL, NULL, cmd_calls_one},
	{"discard", ROLES_SUPERVISION, NULL, call_arg, N_("discard an orphaned draft"), NULL, NULL, cmd_calls_one},
	{"operators", ROLES_SUPERVISION, period_opts, NULL, N_("figures per operator"), NULL, NULL, cmd_calls_operators},
	{"start", ROLES_ALL, NULL, NULL, N_("the figures of the start screen"), NULL, NULL, cmd_calls_start},
	SUBS_END,
};

/* ---- audit ---- */

static const cli_opt audit_opts[] = {
	DATE("from", 0, N_("from the date (UTC)")),
	DATE("to", 0, N_("to the date (UTC, exclusive)")),
	TEXT("actor", 0, "LOGIN", N_("what one account did")),
	TEXT("action", 0, "ACTION", N_("one action; ending in * a prefix (call.*)")),
	NUMBER("limit", 0, "N", 1, 100000, N_("at most N rows (default 100)")),
	END,
};

/* ---- report ---- */

static const char *const levels[] = {"internal", "department", "public", NULL};
static const cli_opt report_opts[] = {
	TEXT("period", 0, "2026-11|2026-Q4|2026", N_("a month, a quarter or a year (default: the current month)")),
	DATE("from", 0, N_("from the date (Kyiv, inclusive), with --to")),
	DATE("to", 0, N_("to the date (Kyiv, inclusive), with --from")),
	TEXT("office", 0, "OFFICE", N_("one office's calls")),
	CHOICE("level", 0, levels, N_("who may read it (default department)")),
	CHOICE("format", 0, text_csv_json, N_("text (the default), CSV or JSON")),
	END,
};
static const cli_arg table_arg[] = {{"TABLE", CLI_ONE}, ARGS_END};

static const cli_command report_subs[] = {
	{"list", 0, NULL, NULL, N_("the tables there are"), NULL, NULL, cmd_report_list},
	SUBS_END,
};

/* ---- retention ---- */

static const cli_opt retention_opts[] = {
	FLAG("dry-run", 0, N_("only count")),
	END,
};
static const cli_arg case_code_arg[] = {{"CASE-CODE", CLI_ONE}, ARGS_END};

static const cli_command retention_subs[] = {
	{"hold", ROLES_SUPERVISION, NULL, case_code_arg, N_("put the case of a case code under legal hold (audited)"), NULL, NULL, cmd_retention_hold},
	{"lift", ROLES_SUPERVISION, NULL, case_code_arg, N_("lift the legal hold on a case (audited)"), NULL, NULL, cmd_retention_hold},
	{"holds", ROLES_SUPERVISION, NULL, NULL, N_("the cases under legal hold"), NULL, NULL, cmd_retention_holds},
	SUBS_END,
};

/* ---- export ---- */

static const cli_opt htcds_opts[] = {
	NUMBER("k", 0, "N", 2, 1000, N_("every combination occurs at least N times (default 11)")),
	CHOICE("format", 0, csv_json, N_("CSV (the default) or JSON")),
	END,
};

static const cli_command export_subs[] = {
	{"htcds", ROLES_SUPERVISION, htcds_opts, NULL, N_("k-anonymous microdata with HTCDS 2.0 columns"),
	 N_("Write one row per final data call at possible or likely risk, with\n"
	    "HTCDS 2.0 / CTDC column names and no free text, generalised until\n"
	    "every combination of age band, gender, country, form of exploitation,\n"
	    "means of control, recruiter relation and year occurs at least N times\n"
	    "(default 11); the remaining rows are dropped. A summary line on\n"
	    "standard error says how many rows were written and dropped and what\n"
	    "was generalised. Audited.\n"), NULL, cmd_export_htcds},
	SUBS_END,
};

/* ---- the commands ---- */

static const cli_arg help_args[] = {{"COMMAND", CLI_ANY}, ARGS_END};

static const cli_command commands[] = {
	{"init", 0, NULL, NULL, N_("create a new database; you become its administrator"),
	 N_("Create a new dovira database at PATH (--db). The account running the\n"
	    "command becomes its first administrator.\n"), NULL, cmd_init},
	{"check", 0, check_opts, NULL, N_("verify the database and the whole audit chain"),
	 N_("Check the database's integrity and its schema, verify every row of the\n"
	    "keyed audit chain and that it still reaches the head anchored by the last\n"
	    "check or backup, compare every staff row and final call with its last\n"
	    "audited state, and the directory's search index with the directory.\n"
	    "When all is well, anchor the chain's head anew. It reads a snapshot, so\n"
	    "others go on writing.\n"
	    "Exit 0 if all is well, 1 if a problem is found (each is named).\n"), NULL, cmd_check},
	{"staff", 0, NULL, NULL, N_("add, list or remove staff (administrators)"),
	 N_("Manage who may use dovira. LOGIN is an account name on this server.\n"
	    "Adding and removing are for administrators and are audited; a removed\n"
	    "account keeps its name on the calls it took.\n"), staff_subs, NULL},
	{"backup", ROLE_ADMIN, NULL, backup_args, N_("write a verified copy of the database"),
	 N_("Write a consistent copy of the database to FILE (which must not exist),\n"
	    "while others may be writing, and verify the copy.\n"), NULL, cmd_backup},
	{"orgs", 0, NULL, NULL, N_("search, import and export the directory of organisations"),
	 N_("The directory of organisations that can help a caller.\n"), orgs_subs, NULL},
	{"script", 0, NULL, NULL, N_("check an intake script file or try a path through it"), NULL, script_subs, NULL},
	{"redact", 0, (const cli_opt[]){FLAG("json", 0, N_("write the findings instead: a JSON array of {\"kind\",\"start\",\"end\"}, offsets in bytes")), END},
	 NULL, N_("replace personal data in text read from stdin"),
	 N_("Read text on standard input and write it to standard output with\n"
	    "personal data replaced by tags: [PHONE], [EMAIL], [PASSPORT], [ID],\n"
	    "[TAXID], [IBAN], [CARD], [HANDLE], [URL], [DOB], [ADDRESS], [PLATE],\n"
	    "[NAME]. Everything else is written unchanged.\n"), NULL, cmd_redact},
	{"calls", 0, NULL, NULL, N_("the call log: list, show a call, cases, queue, corrections"),
	 N_("The call log for review in the office. Operators see only their own calls.\n"), calls_subs, NULL},
	{"audit", ROLES_SUPERVISION, audit_opts, NULL, N_("the audit trail (supervisors and administrators)"),
	 N_("The audit trail, newest first: who did what to which record, when (UTC).\n"), NULL, cmd_audit},
	{"demo", ROLE_ADMIN, demo_opts, NULL, N_("fill an empty database with synthetic calls for training"),
	 N_("Fill a database that holds no calls with synthetic calls that follow\n"
	    "the intake script, for training new operators and for benchmarks. The\n"
	    "database is marked as a training database everywhere it is shown. A\n"
	    "database that holds any call is refused.\n"), NULL, cmd_demo},
	{"report", ROLES_SUPERVISION, report_opts, table_arg, N_("the oblast's statistical tables (supervisors)"),
	 N_("Print one of the oblast's tables. Every table counts contacts (calls):\n"
	    "final calls, test calls excluded, by Kyiv date. The period is a month, a\n"
	    "quarter, a year or --from/--to dates; by default the current month.\n"
	    "Levels: internal (exact counts, inside the office), department (1 to 4\n"
	    "shown as <5), public (1 to 10 suppressed, whole quarters only). CSV is\n"
	    "UTF-8 with a byte order mark. Every run is audited.\n"), report_subs, cmd_report},
	{"retention", ROLES_SUPERVISION, retention_opts, NULL, N_("clear old notes and coarsen old times (for cron)"),
	 N_("Clear the notes of final calls older than notes_days (default 180) and\n"
	    "keep only the date and the hour of the times of calls older than\n"
	    "time_detail_days (default 30), both set in dovira.conf. Calls of a case\n"
	    "under legal hold are left alone; coded fields stay for the statistics.\n"
	    "Every change is audited (retention.run). Meant to run from cron.\n"), retention_subs, cmd_retention},
	{"export", 0, NULL, NULL, N_("k-anonymous microdata for researchers (HTCDS)"), NULL, export_subs, NULL},
	{"help", 0, NULL, help_args, N_("the help of dovira or of a command (as --help)"), NULL, NULL, cmd_help},
	SUBS_END,
};

const cli_command cli_root = {
	"", 0, root_opts, NULL, NULL,
	N_("A helpline tool for calls about work abroad and human trafficking.\n"
	   "Without a command, dovira opens its screens.\n"),
	commands, NULL,
};
