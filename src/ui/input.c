/* input.c: keys from the terminal, signals, and noticing a hang-up. */
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <term.h>
#include <unistd.h>

#include "input.h"
#include "dovira/text.h"

/* The only state a signal handler touches. */
static volatile sig_atomic_t got_hangup, got_quit;

static void on_hangup(int sig)
{
	(void)sig;
	got_hangup = 1;
}

static void on_quit(int sig)
{
	(void)sig;
	got_quit = 1;
}

static void handle(int sig, void (*fn)(int))
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

void ui_signals_install(void)
{
	handle(SIGHUP, on_hangup);
	handle(SIGTERM, on_hangup);
	handle(SIGINT, on_quit);
	handle(SIGQUIT, on_quit);
	handle(SIGTSTP, SIG_IGN);
	handle(SIGTTIN, SIG_IGN);
	handle(SIGTTOU, SIG_IGN);
	handle(SIGPIPE, SIG_IGN);
}

ui_signal ui_signal_take(void)
{
	if (got_hangup) {
		got_hangup = 0;
		return SIG_HANGUP_;
	}
	if (got_quit) {
		got_quit = 0;
		return SIG_QUIT_;
	}
	return SIG_NONE_;
}

/* Key codes we give to sequences curses does not know by itself. */
enum {
	KC_PASTE_BEGIN = 0x7e00,
	KC_PASTE_END,
	KC_CLEFT,
	KC_CRIGHT
};

/* Codes curses assigned to the terminal's own Ctrl-arrows, if any. */
static int term_cleft = -1, term_cright = -1;

static int code_of_cap(const char *cap)
{
	char *seq = tigetstr(cap);
	if (!seq || seq == (char *)-1)
		return -1;
	int code = key_defined(seq);
	return code > 0 ? code : -1;
}

/* Sequences some terminals send that their terminfo entry may lack:
 * PuTTY's Home/End and F1-F4 in its default mode, the Linux console's F1-F5,
 * and Ctrl-arrows of xterm and rxvt. */
static void define_extra_keys(void)
{
	static const struct { const char *seq; int code; } extra[] = {
		{"\033[1~", KEY_HOME}, {"\033[4~", KEY_END},
		{"\033[7~", KEY_HOME}, {"\033[8~", KEY_END},
		{"\033[11~", KEY_F(1)}, {"\033[12~", KEY_F(2)},
		{"\033[13~", KEY_F(3)}, {"\033[14~", KEY_F(4)},
		{"\033[[A", KEY_F(1)}, {"\033[[B", KEY_F(2)}, {"\033[[C", KEY_F(3)},
		{"\033[[D", KEY_F(4)}, {"\033[[E", KEY_F(5)},
		{"\033[1;5D", KC_CLEFT}, {"\033[1;5C", KC_CRIGHT},
		{"\033[5D", KC_CLEFT}, {"\033[5C", KC_CRIGHT},
		{"\033Od", KC_CLEFT}, {"\033Oc", KC_CRIGHT},
		{"\033[200~", KC_PASTE_BEGIN}, {"\033[201~", KC_PASTE_END},
	};
	term_cleft = code_of_cap("kLFT5");
	term_cright = code_of_cap("kRIT5");
	for (size_t i = 0; i < sizeof extra / sizeof *extra; i++)
		if (key_defined(extra[i].seq) <= 0)
			define_key(extra[i].seq, extra[i].code);
}

void ui_input_init(void)
{
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	meta(stdscr, TRUE);
	/* Long enough for an escape sequence split by a slow link, short
	 * enough that Esc alone feels immediate. */
	set_escdelay(100);
	define_extra_keys();
	putp("\033[?2004h");
	fflush(stdout);
}

void ui_input_done(void)
{
	putp("\033[?2004l");
	fflush(stdout);
}

static ui_key from_function_key(int code)
{
	static const struct { int code; ui_key k; } map[] = {
		{KEY_UP, UK_UP}, {KEY_DOWN, UK_DOWN}, {KEY_LEFT, UK_LEFT},
		{KEY_RIGHT, UK_RIGHT}, {KEY_HOME, UK_HOME}, {KEY_END, UK_END},
		{KEY_A1, UK_HOME}, {KEY_C1, UK_END}, {KEY_FIND, UK_HOME},
		{KEY_SELECT, UK_END}, {KEY_PPAGE, UK_PGUP}, {KEY_NPAGE, UK_PGDN},
		{KEY_A3, UK_PGUP}, {KEY_C3, UK_PGDN}, {KEY_BACKSPACE, UK_BACKSPACE},
		{KEY_DC, UK_DELETE}, {KEY_IC, UK_INSERT}, {KEY_ENTER, UK_ENTER},
		{KEY_BTAB, UK_BTAB}, {KEY_RESIZE, UK_RESIZE},
		{KC_CLEFT, UK_CLEFT}, {KC_CRIGHT, UK_CRIGHT},
	};
	for (size_t i = 0; i < sizeof map / sizeof *map; i++)
		if (map[i].code == code)
			return map[i].k;
	if (code == term_cleft)
		return UK_CLEFT;
	if (code == term_cright)
		return UK_CRIGHT;
	if (code >= KEY_F(1) && code <= KEY_F(24))
		return UK_F(code - KEY_F0);
	return UK_NONE;
}

static ui_key from_char(wint_t ch)
{
	switch (ch) {
	case '\r': case '\n': return UK_ENTER;
	case '\t': return UK_TAB;
	case 0x7f: case 0x08: return UK_BACKSPACE;
	default: return (ui_key)ch;
	}
}

/* The rest of a UTF-8 character whose first byte is lead, read byte by
 * byte (curses' own wide-character reading swallows the bytes after an
 * invalid one, and typing must never be lost). Returns the character, or
 * UK_NONE for a byte that starts nothing valid: it is dropped, and a byte
 * that breaks the sequence is given back to be read as a key of its own. */
static ui_key utf8_rest(int lead)
{
	char buf[4] = {(char)lead};
	size_t n = (unsigned)lead >= 0xf0 && (unsigned)lead <= 0xf4 ? 4
		 : (unsigned)lead >= 0xe0 ? 3 : (unsigned)lead >= 0xc2 ? 2 : 0;
	if (n == 0 || (unsigned)lead > 0xf4)
		return UK_NONE;
	timeout(100);
	for (size_t i = 1; i < n; i++) {
		int ch = getch();
		if (ch == ERR)
			return UK_NONE;
		if (ch > 0xff || (ch & 0xc0) != 0x80) {
			ungetch(ch);
			return UK_NONE;
		}
		buf[i] = (char)ch;
	}
	wchar_t wc;
	return text_utf8_next(buf, n, &wc) == n ? (ui_key)wc : UK_NONE;
}

/* A byte or key curses returned, as a ui_key. */
static ui_key from_byte(int ch)
{
	if (ch >= KEY_MIN)
		return from_function_key(ch);
	if (ch >= 0x80)
		return utf8_rest(ch);
	return from_char((wint_t)ch);
}

/* Esc: alone it is Esc; followed at once by a key it is Alt+that key. */
static ui_key after_escape(void)
{
	timeout(0);
	int ch = getch();
	if (ch == ERR || ch == 0x1b)
		return UK_ESC;
	/* Esc then a function key: treat as that key. */
	if (ch >= KEY_MIN)
		return from_function_key(ch);
	ui_key k = from_byte(ch);
	if (k == UK_NONE)
		return UK_ESC;
	return UK_ALT(k == UK_BACKSPACE ? 0x7f : k);
}

/* The bytes of a bracketed paste, read one at a time straight from the
 * terminal (curses holds nothing back after matching the start marker),
 * up to the end marker or a second of silence. */
static void read_paste(dv_buf *paste)
{
	static const char end[] = "\033[201~";
	const size_t endlen = sizeof end - 1;
	paste->len = 0;
	if (paste->s)
		paste->s[0] = '\0';
	for (;;) {
		struct pollfd p = {STDIN_FILENO, POLLIN, 0};
		if (poll(&p, 1, 1000) <= 0)
			break;
		char c;
		if (read(STDIN_FILENO, &c, 1) != 1)
			break;
		dv_buf_addc(paste, c);
		if (paste->len >= endlen && memcmp(paste->s + paste->len - endlen, end, endlen) == 0) {
			paste->len -= endlen;
			paste->s[paste->len] = '\0';
			break;
		}
	}
	if (!paste->s)
		dv_buf_adds(paste, "");
}

/* One key already waiting in curses or on the terminal, without waiting.
 * Returns 1 and sets *k, or 0. */
static int key_now(ui_key *k, dv_buf *paste)
{
	timeout(0);
	int ch = getch();
	if (ch == ERR)
		return 0;
	if (ch == KC_PASTE_BEGIN) {
		read_paste(paste);
		*k = UK_PASTE;
		return 1;
	}
	/* UK_NONE (a key we ignore, a stray byte) still counts as read. */
	*k = ch == 0x1b ? after_escape() : from_byte(ch);
	return 1;
}

ui_input ui_read_key(int timeout_ms, ui_key *k, dv_buf *paste)
{
	static int empty_reads;
	*k = UK_NONE;
	if (key_now(k, paste)) {
		empty_reads = 0;
		return IN_KEY;
	}
	if (got_hangup || got_quit)
		return IN_SIGNAL;
	struct pollfd p = {STDIN_FILENO, POLLIN, 0};
	int n = poll(&p, 1, timeout_ms);
	if (n < 0) {
		if (errno != EINTR)
			return IN_HANGUP;
		if (got_hangup || got_quit)
			return IN_SIGNAL;
		/* SIGWINCH: curses now reports KEY_RESIZE. */
		return key_now(k, paste) ? IN_KEY : IN_TIMEOUT;
	}
	if (n == 0)
		return IN_TIMEOUT;
	if (p.revents & (POLLERR | POLLNVAL))
		return IN_HANGUP;
	errno = 0;
	if (key_now(k, paste)) {
		empty_reads = 0;
		return IN_KEY;
	}
	/* Ready, yet nothing to read: end of file, EIO or a hung-up line. A
	 * few stray bytes curses swallows (a broken sequence) never repeat
	 * this often. */
	if (errno == EIO || (p.revents & POLLHUP) || ++empty_reads >= 20)
		return IN_HANGUP;
	return IN_TIMEOUT;
}

int ui_input_waiting(void *unused)
{
	(void)unused;
	if (got_hangup || got_quit)
		return 1;
	struct pollfd p = {STDIN_FILENO, POLLIN, 0};
	return poll(&p, 1, 0) != 0;
}

/* 1 if the terminal can move the cursor (the screens need it), 0 if not
 * (TERM=dumb, a printing terminal), -1 if its type is unknown. Asked of
 * the terminfo entry before curses draws anything. */
int ui_term_can_address(void)
{
	int err = 0;
	if (setupterm(NULL, STDOUT_FILENO, &err) != OK)
		return -1;
	const char *cup = tigetstr("cup");
	int ok = cup != NULL && cup != (const char *)-1;
	del_curterm(cur_term);
	return ok;
}
