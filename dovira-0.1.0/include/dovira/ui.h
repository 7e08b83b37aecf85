/* ui.h: the screens (ncursesw), opened by `dovira` without a command.
 *
 * The screens ask src/core for everything (session, calls, script, orgs)
 * and never touch the database themselves. They run no other program.
 * Every text from outside (notes, the database, the script) is sanitised
 * before it is drawn.
 */
#ifndef DOVIRA_UI_H
#define DOVIRA_UI_H

#include "dovira/session.h"

typedef struct ui_options {
	/* 1: the monochrome theme (attributes only), as `--theme mono`. The
	 * screens also choose it by themselves when NO_COLOR is set to a
	 * non-empty value or the terminal has no colours. */
	int mono;
	/* The intake script file to follow, or NULL for the default one
	 * (script.h decides where that is). */
	const char *script_path;
} ui_options;

/* Exit statuses of ui_run, for main() to return. */
enum {
	UI_EXIT_OK = 0,      /* the operator quit (a call in progress was kept as a draft) */
	UI_EXIT_FAIL = 1,    /* the screens could not start (no terminal, no script, ...) */
	UI_EXIT_HANGUP = 129 /* the terminal went away; the draft was saved (128 + SIGHUP) */
};

/* Run the screens on the controlling terminal until the operator quits or
 * the terminal hangs up. s is an open session (session_open); opt may be
 * NULL for the defaults. Installs handlers for SIGHUP, SIGTERM, SIGINT and
 * SIGQUIT that only set a flag, and ignores SIGTSTP (no job control escape
 * under an SSH ForceCommand); the caller should not rely on its own
 * handlers for those while the screens run. A call in progress is saved as
 * a draft before ui_run returns, whatever the reason. Messages that must
 * outlive the screens (such as why they could not start) go to stderr
 * after leaving curses mode. Returns one of the UI_EXIT_ values. */
int ui_run(dv_session *s, const ui_options *opt);

#endif
