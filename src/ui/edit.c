/* edit.c: the text editor behind every typed field (see edit.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "dovira/sanitize.h"
#include "dovira/utf8.h"
#include "dovira/util.h"
#include "edit.h"

void ui_edit_init(ui_edit *e, int multiline, size_t max_chars)
{
	memset(e, 0, sizeof *e);
	e->cap = 64;
	e->s = xmalloc(e->cap);
	e->s[0] = '\0';
	e->goal_col = -1;
	e->multiline = multiline;
	e->max_chars = max_chars;
}

void ui_edit_free(ui_edit *e)
{
	free(e->s);
	e->s = NULL;
	e->len = e->cap = e->cur = 0;
}

static void reserve(ui_edit *e, size_t extra)
{
	if (e->len + extra + 1 <= e->cap)
		return;
	while (e->len + extra + 1 > e->cap)
		e->cap *= 2;
	e->s = xrealloc(e->s, e->cap);
}

static size_t count_chars(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xc0) != 0x80;
	return c;
}

/* Splice n bytes (already clean) in at the cursor. */
static void splice_in(ui_edit *e, const char *t, size_t n)
{
	reserve(e, n);
	memmove(e->s + e->cur + n, e->s + e->cur, e->len - e->cur + 1);
	memcpy(e->s + e->cur, t, n);
	e->len += n;
	e->cur += n;
	e->changes++;
	e->goal_col = -1;
}

static void cut_range(ui_edit *e, size_t from, size_t to)
{
	memmove(e->s + from, e->s + to, e->len - to + 1);
	e->len -= to - from;
	e->cur = from;
	e->changes++;
	e->goal_col = -1;
}

int ui_edit_accepts(const ui_edit *e, wchar_t wc)
{
	if (wc == L'\n')
		return e->multiline;
	if (wc < 0x20 || (wc >= 0x7f && wc <= 0x9f) || utf8_is_bidi_control((unsigned)wc))
		return 0;
	return iswprint((wint_t)wc) || wcwidth(wc) == 0;
}

int ui_edit_insert_wc(ui_edit *e, wchar_t wc)
{
	char buf[4];
	if (!ui_edit_accepts(e, wc))
		return -1;
	if (e->max_chars && count_chars(e->s, e->len) >= e->max_chars)
		return -1;
	size_t n = text_utf8_put(wc, buf);
	if (n == 0)
		return -1;
	splice_in(e, buf, n);
	return 0;
}

/* Line breaks as terminals paste them (\r, \r\n) become \n, tabs spaces. */
static char *normalise_paste(const char *t, size_t n, int multiline)
{
	dv_buf b = {0};
	for (size_t i = 0; i < n; i++) {
		char c = t[i];
		if (c == '\r') {
			if (i + 1 < n && t[i + 1] == '\n')
				i++;
			c = '\n';
		}
		if (c == '\t' || (c == '\n' && !multiline))
			c = ' ';
		dv_buf_addc(&b, c);
	}
	dv_buf_adds(&b, "");
	return dv_buf_take(&b);
}

void ui_edit_paste(ui_edit *e, const char *text, size_t n)
{
	char *norm = normalise_paste(text, n, e->multiline);
	char *clean = sanitize(norm, SANITIZE_KEEP_NEWLINE);
	size_t len = strlen(clean);
	if (e->max_chars) {
		size_t have = count_chars(e->s, e->len);
		size_t room = have < e->max_chars ? e->max_chars - have : 0;
		size_t i = 0, c = 0;
		while (i < len && c < room) {
			wchar_t wc;
			i += text_utf8_next(clean + i, len - i, &wc);
			c++;
		}
		len = i;
	}
	if (len)
		splice_in(e, clean, len);
	free(clean);
	free(norm);
}

void ui_edit_set(ui_edit *e, const char *text)
{
	e->len = 0;
	e->cur = 0;
	e->s[0] = '\0';
	if (text)
		ui_edit_paste(e, text, strlen(text));
	e->changes++;
}

static wchar_t char_at(const ui_edit *e, size_t pos)
{
	wchar_t wc;
	if (pos >= e->len)
		return 0;
	text_utf8_next(e->s + pos, e->len - pos, &wc);
	return wc;
}

static size_t next_pos(const ui_edit *e, size_t pos)
{
	wchar_t wc;
	if (pos >= e->len)
		return e->len;
	pos += text_utf8_next(e->s + pos, e->len - pos, &wc);
	/* Keep combining marks with the character they belong to. */
	while (pos < e->len && (wc = char_at(e, pos)) != L'\n' && wcwidth(wc) == 0)
		pos += text_utf8_next(e->s + pos, e->len - pos, &wc);
	return pos;
}

static size_t prev_pos(const ui_edit *e, size_t pos)
{
	while (pos > 0) {
		pos = text_utf8_prev(e->s, pos);
		wchar_t wc = char_at(e, pos);
		if (wc == L'\n' || wcwidth(wc) != 0)
			break;
	}
	return pos;
}

int ui_edit_backspace(ui_edit *e)
{
	if (e->cur == 0)
		return 0;
	cut_range(e, text_utf8_prev(e->s, e->cur), e->cur);
	return 1;
}

int ui_edit_delete(ui_edit *e)
{
	if (e->cur >= e->len)
		return 0;
	size_t to = next_pos(e, e->cur);
	size_t from = e->cur;
	cut_range(e, from, to);
	return 1;
}

int ui_edit_left(ui_edit *e)
{
	e->goal_col = -1;
	if (e->cur == 0)
		return 0;
	e->cur = prev_pos(e, e->cur);
	return 1;
}

int ui_edit_right(ui_edit *e)
{
	e->goal_col = -1;
	if (e->cur >= e->len)
		return 0;
	e->cur = next_pos(e, e->cur);
	return 1;
}

static int is_word(wchar_t wc)
{
	return iswalnum((wint_t)wc) || wc == L'_' || wc == L'\'' ||
	       wc == 0x02bc || wc == 0x2019;
}

static size_t word_left_of(const ui_edit *e, size_t pos)
{
	while (pos > 0 && !is_word(char_at(e, text_utf8_prev(e->s, pos))))
		pos = text_utf8_prev(e->s, pos);
	while (pos > 0 && is_word(char_at(e, text_utf8_prev(e->s, pos))))
		pos = text_utf8_prev(e->s, pos);
	return pos;
}

int ui_edit_word_left(ui_edit *e)
{
	size_t old = e->cur;
	e->cur = word_left_of(e, e->cur);
	e->goal_col = -1;
	return e->cur != old;
}

int ui_edit_word_right(ui_edit *e)
{
	size_t old = e->cur;
	while (e->cur < e->len && !is_word(char_at(e, e->cur)))
		e->cur = next_pos(e, e->cur);
	while (e->cur < e->len && is_word(char_at(e, e->cur)))
		e->cur = next_pos(e, e->cur);
	e->goal_col = -1;
	return e->cur != old;
}

int ui_edit_delete_word_back(ui_edit *e)
{
	size_t from = word_left_of(e, e->cur);
	if (from == e->cur)
		return 0;
	cut_range(e, from, e->cur);
	return 1;
}

/* 1 if line i of the layout ends at a soft wrap (the next line continues
 * the same paragraph). */
static int soft_end(const text_line *l, size_t n, size_t i)
{
	return i + 1 < n && l[i + 1].start == l[i].end;
}

size_t ui_edit_layout(const ui_edit *e, int cols, text_line **lines, int *row, int *col)
{
	size_t n = text_wrap(e->s, e->len, cols, lines);
	text_line *l = *lines;
	size_t r = n - 1;
	for (size_t i = 0; i < n; i++) {
		if (e->cur >= l[i].start &&
		    (e->cur < l[i].end || (e->cur == l[i].end && !soft_end(l, n, i)))) {
			r = i;
			break;
		}
	}
	*row = (int)r;
	*col = text_width_n(e->s + l[r].start, e->cur - l[r].start);
	return n;
}

/* The offset in line i nearest to column goal, never past a soft end. */
static size_t pos_in_line(const ui_edit *e, const text_line *l, size_t n, size_t i, int goal)
{
	size_t p = l[i].start + text_fit(e->s + l[i].start, l[i].end - l[i].start, goal, NULL);
	/* Do not stop between a character and its combining marks. */
	while (p < l[i].end && wcwidth(char_at(e, p)) == 0 && char_at(e, p) != L'\n')
		p = next_pos(e, p);
	if (p >= l[i].end && soft_end(l, n, i))
		p = prev_pos(e, l[i].end);
	return p;
}

static int move_rows(ui_edit *e, int cols, int delta)
{
	if (!e->multiline)
		return 0;
	text_line *l;
	int row, col;
	size_t n = ui_edit_layout(e, cols, &l, &row, &col);
	int target = row + delta;
	int moved = 0;
	if (target >= 0 && (size_t)target < n) {
		int goal = e->goal_col >= 0 ? e->goal_col : col;
		e->cur = pos_in_line(e, l, n, (size_t)target, goal);
		e->goal_col = goal;
		moved = 1;
	}
	free(l);
	return moved;
}

int ui_edit_up(ui_edit *e, int cols)
{
	return move_rows(e, cols, -1);
}

int ui_edit_down(ui_edit *e, int cols)
{
	return move_rows(e, cols, 1);
}

int ui_edit_home(ui_edit *e, int cols)
{
	size_t old = e->cur;
	e->goal_col = -1;
	if (!e->multiline) {
		e->cur = 0;
		return old != 0;
	}
	text_line *l;
	int row, col;
	ui_edit_layout(e, cols, &l, &row, &col);
	e->cur = l[row].start;
	free(l);
	return e->cur != old;
}

int ui_edit_end(ui_edit *e, int cols)
{
	size_t old = e->cur;
	e->goal_col = -1;
	if (!e->multiline) {
		e->cur = e->len;
		return old != e->len;
	}
	text_line *l;
	int row, col;
	size_t n = ui_edit_layout(e, cols, &l, &row, &col);
	e->cur = soft_end(l, n, (size_t)row) ? prev_pos(e, l[row].end) : l[row].end;
	free(l);
	return e->cur != old;
}

int ui_edit_key(ui_edit *e, ui_key k, int cols)
{
	switch (k) {
	case UK_LEFT: ui_edit_left(e); return 1;
	case UK_RIGHT: ui_edit_right(e); return 1;
	case UK_CLEFT: case UK_ALT('b'): ui_edit_word_left(e); return 1;
	case UK_CRIGHT: case UK_ALT('f'): ui_edit_word_right(e); return 1;
	case UK_HOME: case UK_CTRL('a'): ui_edit_home(e, cols); return 1;
	case UK_END: case UK_CTRL('e'): ui_edit_end(e, cols); return 1;
	case UK_BACKSPACE: ui_edit_backspace(e); return 1;
	case UK_DELETE: ui_edit_delete(e); return 1;
	case UK_CTRL('w'): case UK_ALT(0x7f): ui_edit_delete_word_back(e); return 1;
	default: break;
	}
	if (e->multiline) {
		if (k == UK_UP)
			return ui_edit_up(e, cols), 1;
		if (k == UK_DOWN)
			return ui_edit_down(e, cols), 1;
		if (k == UK_ENTER)
			return ui_edit_insert_wc(e, L'\n'), 1;
	}
	if (k >= 0 && k < UK_BASE && UK_IS_CHAR(k)) {
		ui_edit_insert_wc(e, (wchar_t)k);
		return 1;
	}
	return 0;
}
