/* keys.h: the keys the screens see, independent of curses.
 *
 * input.c turns what wget_wch() returns into one ui_key: a Unicode
 * character as itself (a non-negative value below 0x110000), a Ctrl-letter
 * as its control code (Ctrl-A is 1; Enter, Tab and Backspace have their
 * own codes below, so Ctrl-H, Ctrl-I, Ctrl-J and Ctrl-M are never seen),
 * or one of the UK_ codes. Widgets and the editor work on ui_key only, so
 * the unit tests drive them without a terminal.
 */
#ifndef DOVIRA_UI_KEYS_H
#define DOVIRA_UI_KEYS_H

typedef int ui_key;

enum {
	UK_NONE = -1,
	UK_BASE = 0x110000,
	UK_UP, UK_DOWN, UK_LEFT, UK_RIGHT,
	UK_HOME, UK_END, UK_PGUP, UK_PGDN,
	UK_BACKSPACE, UK_DELETE, UK_INSERT,
	UK_ENTER, UK_TAB, UK_BTAB, UK_ESC,
	UK_CLEFT, UK_CRIGHT,  /* Ctrl-Left, Ctrl-Right */
	UK_RESIZE,
	UK_PASTE,  /* a bracketed paste: the text is in the context's paste buffer */
	UK_F0 = UK_BASE + 0x100,  /* UK_F(n): function key n (1..24) */
	UK_ALT0 = UK_BASE + 0x200 /* UK_ALT(c): Alt (or Esc) then c */
};

#define UK_F(n) (UK_F0 + (n))
#define UK_ALT(c) (UK_ALT0 + (c))
#define UK_CTRL(c) ((c) & 0x1f)

/* 1 if k is a character that types text (not a control code). */
#define UK_IS_CHAR(k) ((k) >= 0x20 && (k) < UK_BASE && (k) != 0x7f)

#endif
