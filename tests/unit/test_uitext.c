/* Unit tests of the screens' text helpers (src/core/text.c) and editor
 * (src/ui/edit.c): widths, cutting, wrapping and editing by display
 * columns, with Ukrainian, wide and combining characters; and the list
 * widget's rows for an owner that searches by itself. */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/ui/edit.h"
#include "../../src/ui/list.h"
#include "../../include/dovira/text.h"
#include "tap.h"

static void test_width(void)
{
	is_int(text_width("abc"), 3, "width of ASCII is its length");
	is_int(text_width("Запоріжжя"), 9, "width of Cyrillic counts characters, not bytes");
	is_int(text_width("日本"), 4, "a wide character takes two columns");
	is_int(text_width("e\xcc\x81"), 1, "a combining accent takes no column");
	is_int(text_width("a\xffz"), 3, "an invalid byte counts one column");
	wchar_t wc;
	is_int(text_utf8_next("\xc0\xaf", 2, &wc), 1, "an overlong sequence is one bad byte");
	ok(wc == 0xfffd, "an overlong sequence decodes to U+FFFD");
	is_int(text_utf8_prev("аб", 4), 2, "utf8_prev steps back one Cyrillic letter");
	is_int(text_utf8_prev("a\x80", 2), 1, "utf8_prev steps back over a stray continuation byte alone");
}

static void test_cut(void)
{
	char *s = text_cut("Запоріжжя", 5, 0);
	is_str(s, "Запо…", "cut keeps whole letters and ends with an ellipsis");
	free(s);
	s = text_cut("ab", 5, 1);
	is_str(s, "ab   ", "cut pads to the width asked");
	free(s);
	s = text_cut("日本語", 4, 1);
	is_int(text_width(s), 4, "cut never splits a wide character and pads the gap");
	free(s);
	s = text_cut_left("/var/lib/dovira/dovira.db", 11);
	is_str(s, "…/dovira.db", "cut_left keeps the end of a path");
	free(s);
	ok(text_word_prefix_match("30\u201338 years", "30"), "a filter matches the start of a label");
	ok(text_word_prefix_match("Південна Корея", "кор"), "a filter matches a later word, ignoring Cyrillic case");
	ok(!text_word_prefix_match("Південна Корея", "орея"), "a filter does not match inside a word");
	int used;
	is_int(text_fit("日本", 6, 3, &used), 3, "fit stops before a wide character that does not fit");
	is_int(used, 2, "fit reports the columns used");
}

static void test_wrap(void)
{
	text_line *l;
	const char *t = "один два три";
	size_t n = text_wrap(t, strlen(t), 8, &l);
	is_int(n, 2, "wrap breaks at a space");
	ok(strncmp(t + l[1].start, "три", strlen("три")) == 0, "the second line starts with the next word");
	free(l);
	t = "абвгдеєжзи";
	n = text_wrap(t, strlen(t), 4, &l);
	is_int(n, 3, "a word longer than a line is broken by width");
	is_int(l[0].width, 4, "each piece fills the width");
	free(l);
	t = "a\n\nb\n";
	n = text_wrap(t, strlen(t), 10, &l);
	is_int(n, 4, "hard line breaks, empty lines and a final break each make a line");
	free(l);
	n = text_wrap("", 0, 10, &l);
	is_int(n, 1, "empty text is one empty line");
	free(l);
}

static void type(ui_edit *e, const char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		wchar_t wc;
		i += text_utf8_next(s + i, n - i, &wc);
		ui_edit_key(e, wc == L'\n' ? UK_ENTER : (ui_key)wc, 20);
	}
}

static void test_edit(void)
{
	ui_edit e;
	ui_edit_init(&e, 1, 0);
	type(&e, "Привіт світ");
	is_str(e.s, "Привіт світ", "typing Cyrillic stores UTF-8");
	ui_edit_key(&e, UK_CLEFT, 20);
	ui_edit_key(&e, UK_BACKSPACE, 20);
	is_str(e.s, "Привітсвіт", "Ctrl-Left then Backspace deletes the space before the word");
	ui_edit_key(&e, UK_ALT('f'), 20);
	is_int(e.cur, e.len, "Alt-f moves to the end of the word");
	ui_edit_key(&e, UK_HOME, 20);
	ui_edit_key(&e, UK_DELETE, 20);
	is_str(e.s, "ривітсвіт", "Home then Delete removes the first letter");
	ok(ui_edit_insert_wc(&e, 0x1b) == -1, "ESC cannot be typed into a field");
	ok(ui_edit_insert_wc(&e, 0x9b) == -1, "a C1 control cannot be typed");
	ok(ui_edit_insert_wc(&e, 0x202e) == -1, "a bidi override cannot be typed");
	ui_edit_set(&e, "");
	const char *paste = "a\x1b]0;x\x07 b\r\nc\xe2\x80\xae";
	ui_edit_paste(&e, paste, strlen(paste));
	ok(strchr(e.s, 0x1b) == NULL && strchr(e.s, 0x07) == NULL, "a pasted escape sequence loses its controls");
	ok(strstr(e.s, "\xe2\x80\xae") == NULL, "a pasted bidi override is replaced");
	ok(strstr(e.s, "b\nc") != NULL, "a pasted CR LF becomes one line break");
	ui_edit_set(&e, "");
	ui_edit_paste(&e, "before\0after", 12);
	is_str(e.s, "beforeafter", "a paste with a NUL byte keeps what follows it");
	ui_edit_free(&e);
}

static void test_edit_lines(void)
{
	ui_edit e;
	ui_edit_init(&e, 1, 0);
	type(&e, "aaaa bbbb cccc");
	int row, col;
	text_line *l;
	ui_edit_layout(&e, 6, &l, &row, &col);
	free(l);
	is_int(row, 2, "the cursor at the end sits on the last wrapped line");
	ui_edit_up(&e, 6);
	ui_edit_layout(&e, 6, &l, &row, &col);
	free(l);
	is_int(row, 1, "Up moves one wrapped line up");
	is_int(col, 4, "Up keeps the column");
	ui_edit_home(&e, 6);
	ok(strncmp(e.s + e.cur, "bbbb", 4) == 0, "Home goes to the start of the wrapped line");
	ui_edit_end(&e, 6);
	ok(e.s[e.cur] == ' ', "End stops before the space that wraps");
	ui_edit_down(&e, 6);
	ui_edit_down(&e, 6);
	ui_edit_layout(&e, 6, &l, &row, &col);
	free(l);
	is_int(row, 2, "Down stops at the last line");
	ui_edit_free(&e);

	ui_edit_init(&e, 0, 5);
	type(&e, "123456\n");
	is_str(e.s, "12345", "a single-line field keeps its limit and takes no line break");
	ui_edit_free(&e);
}

static void test_paste_speed(void)
{
	ui_edit e;
	ui_edit_init(&e, 1, 0);
	size_t n = 200000;
	char *big = malloc(n + 1);
	for (size_t i = 0; i < n; i++)
		big[i] = i % 61 == 60 ? '\n' : "абв "[i % 4];
	big[n] = '\0';
	ui_edit_paste(&e, big, n);
	ok(e.len > 0 && e.cur == e.len, "a 200 kB paste lands whole with the cursor after it");
	free(big);
	ui_edit_free(&e);
}

/* An owner that searches by itself: the rows are the words of a fixed
 * text that start with the filter, found afresh on every refresh. */
struct words {
	const char *all[4];
	const char *rows[4];
	size_t n;
	int reloads;
};

static void words_reload(void *data, const char *filter)
{
	struct words *w = data;
	w->n = 0;
	w->reloads++;
	for (size_t i = 0; i < 4; i++)
		if (strncmp(w->all[i], filter, strlen(filter)) == 0)
			w->rows[w->n++] = w->all[i];
}

static size_t words_count(void *data)
{
	return ((struct words *)data)->n;
}

static void words_draw(void *data, size_t i, ui_row *r)
{
	(void)data, (void)i, (void)r;
}

static void test_list_reload(void)
{
	static const ui_list_ops ops = {.count = words_count, .draw_row = words_draw, .reload = words_reload};
	struct words w = {{"дім", "дорога", "вода", "дощ"}, {0}, 0, 0};
	ui_list l;
	ui_list_init(&l, &ops, &w, 1);
	ok(w.reloads == 1 && l.nshown == 4, "a list whose owner searches asks it for the rows at once (%zu)", l.nshown);
	ui_list_key(&l, UK_DOWN);
	ui_list_key(&l, 0x434); /* д */
	ok(w.reloads == 2 && l.nshown == 3, "typing asks the owner again, with the filter");
	is_int((int)ui_list_selected(&l), 0, "and a new filter starts at the first row");
	ui_list_key(&l, 0x43e); /* о */
	ok(l.nshown == 2 && strcmp(w.rows[1], "дощ") == 0, "every row the owner gives is shown, in its order");
	ui_list_key(&l, 'x');
	ok(l.nshown == 0 && ui_list_selected(&l) == (size_t)-1, "no rows: nothing is selected");
	ui_list_free(&l);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	test_width();
	test_cut();
	test_wrap();
	test_edit();
	test_edit_lines();
	test_paste_speed();
	test_list_reload();
	return tap_done();
}
