/* input.h: keys from the terminal, signals, and noticing a hang-up.
 *
 * The screens wait for a key at most until the next whole second (so the
 * call timer ticks without a busy loop), and learn from here when the
 * terminal has gone away: SIGHUP, POLLHUP on the input, or input that
 * keeps reporting ready while giving nothing (EOF, EIO). Signal handlers
 * only set a flag.
 */
#ifndef DOVIRA_UI_INPUT_H
#define DOVIRA_UI_INPUT_H

#include "dovira/util.h"
#include "keys.h"

typedef enum ui_input {
	IN_KEY,      /* *k holds a key */
	IN_TIMEOUT,  /* nothing before the timeout */
	IN_SIGNAL,   /* a signal arrived: see ui_signal_take() */
	IN_HANGUP    /* the terminal is gone */
} ui_input;

typedef enum ui_signal {
	SIG_NONE_ = 0,
	SIG_HANGUP_,  /* SIGHUP or SIGTERM: save and leave at once */
	SIG_QUIT_     /* SIGINT or SIGQUIT: a quit request (with saving) */
} ui_signal;

/* Install the handlers (before initscr, so that curses keeps its hands
 * off them) and ignore SIGTSTP, SIGTTIN, SIGTTOU and SIGPIPE. */
void ui_signals_install(void);

/* The most urgent signal seen since the last call, and clear it. */
ui_signal ui_signal_take(void);

/* After initscr: raw keys, keypad, short Esc delay, the extra key
 * sequences (Ctrl-arrows of common terminals, bracketed paste) and
 * bracketed paste mode switched on. */
void ui_input_init(void);

/* Switch bracketed paste mode off again (before endwin). */
void ui_input_done(void);

/* Wait at most timeout_ms for a key. A bracketed paste comes back as
 * UK_PASTE with its raw text (not yet sanitised) in *paste. */
ui_input ui_read_key(int timeout_ms, ui_key *k, dv_buf *paste);

/* 1 if a key (or a signal) is waiting to be read, without reading it:
 * work done while the screens are idle asks this and gives way. The
 * argument is unused (the shape of orgs_search_warm's stop). */
int ui_input_waiting(void *unused);

/* 1 if the terminal named by $TERM can move the cursor, which the screens
 * need; 0 if it cannot (TERM=dumb, a printing terminal); -1 if its type is
 * unknown. Reads the terminfo entry only: nothing is drawn. */
int ui_term_can_address(void);

#endif
