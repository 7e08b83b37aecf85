/* edit.h: the text editor behind every typed field (notes, numbers, short
 * answers, filters).
 *
 * It holds UTF-8 text and a cursor (a byte offset, always on a character
 * boundary). It never holds anything a terminal would interpret: typed
 * characters that are controls (C0, C1, DEL) or bidi controls are refused,
 * and pasted text is passed through sanitize() (newlines kept in a
 * multi-line editor, tabs become spaces). Movement up, down, Home and End
 * follow the lines as drawn, wrapped at a given number of columns by
 * text_wrap() (text.h); Ctrl-Left/Right and Alt-b/Alt-f move by word.
 *
 * No curses here: the screens draw the editor with ui_edit_layout().
 */
#ifndef DOVIRA_UI_EDIT_H
#define DOVIRA_UI_EDIT_H

#include <stddef.h>
#include <wchar.h>

#include "keys.h"
#include "dovira/text.h"

typedef struct ui_edit {
	char *s;             /* the text, NUL-terminated, never NULL after init */
	size_t len;
	size_t cap;
	size_t cur;          /* cursor: byte offset into s */
	int goal_col;        /* column Up/Down aim for; -1 when unset */
	int multiline;       /* 1: Enter inserts a line break */
	size_t max_chars;    /* 0: no limit; else at most this many characters */
	unsigned long changes; /* bumped by every change of the text */
} ui_edit;

/* Start an empty editor. Free with ui_edit_free. */
void ui_edit_init(ui_edit *e, int multiline, size_t max_chars);
void ui_edit_free(ui_edit *e);

/* Replace the whole text (NULL is empty) with its sanitised copy; the
 * cursor goes to the end. Counts as a change. */
void ui_edit_set(ui_edit *e, const char *text);

/* 1 if wc may be typed into an editor (printable, not a control or bidi
 * control; '\n' only in a multi-line editor). */
int ui_edit_accepts(const ui_edit *e, wchar_t wc);

/* Insert one typed character at the cursor. Returns 0, or -1 if refused
 * (see ui_edit_accepts, or the length limit). */
int ui_edit_insert_wc(ui_edit *e, wchar_t wc);

/* Insert n bytes of pasted text at the cursor, sanitised as above, cut at
 * the length limit. In a single-line editor line breaks become spaces.
 * Linear in n. */
void ui_edit_paste(ui_edit *e, const char *text, size_t n);

/* Editing and movement. Each returns 1 if it changed the text or moved
 * the cursor, else 0. cols is the width the text is wrapped to when drawn
 * (a single-line editor ignores it). */
int ui_edit_backspace(ui_edit *e);
int ui_edit_delete(ui_edit *e);
int ui_edit_delete_word_back(ui_edit *e);
int ui_edit_left(ui_edit *e);
int ui_edit_right(ui_edit *e);
int ui_edit_word_left(ui_edit *e);
int ui_edit_word_right(ui_edit *e);
int ui_edit_home(ui_edit *e, int cols);
int ui_edit_end(ui_edit *e, int cols);
int ui_edit_up(ui_edit *e, int cols);
int ui_edit_down(ui_edit *e, int cols);

/* Apply a key: characters are typed, and the editing keys act (Left,
 * Right, Ctrl-Left/Right, Alt-b/Alt-f, Home/End, Ctrl-A/Ctrl-E, Up/Down in
 * a multi-line editor, Backspace, Delete, Ctrl-W, and Enter in a
 * multi-line editor). Returns 1 if the key was the editor's (even when it
 * could do nothing, such as Left at the start), 0 if the screen should
 * handle it (Enter in a single-line editor, Tab, F-keys, ...). */
int ui_edit_key(ui_edit *e, ui_key k, int cols);

/* Wrap the text to cols columns (lines as text_wrap) and find the cursor's
 * row and column in that layout. At a soft line break the cursor belongs
 * to the start of the next line. Returns the line count; *out is freed
 * by the caller. */
size_t ui_edit_layout(const ui_edit *e, int cols, text_line **out, int *row, int *col);

#endif
