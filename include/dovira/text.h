/* text.h: UTF-8 text measured and cut by display columns.
 *
 * The screens never count bytes to place text: every helper here walks the
 * UTF-8 text one character at a time and uses wcwidth(). A byte that does
 * not start a valid UTF-8 sequence counts as one character of width 1 (the
 * sanitiser draws it as U+FFFD); a character wcwidth() calls unprintable
 * also counts 1 for the same reason. Combining marks count 0.
 *
 * Nothing here draws or allocates curses state, so the unit tests use it
 * directly. All functions take NUL-terminated or length-counted UTF-8 and
 * never read past the given length.
 */
#ifndef DOVIRA_TEXT_H
#define DOVIRA_TEXT_H

#include <stddef.h>
#include <wchar.h>

/* Decode one character at s (at most n bytes, n > 0) with utf8_next
 * (utf8.h). Writes it to *wc and returns the bytes it takes (1..4). An
 * invalid or cut-off sequence gives U+FFFD and the bytes the sanitiser
 * replaces with one U+FFFD. */
size_t text_utf8_next(const char *s, size_t n, wchar_t *wc);

/* The byte offset of the character that ends at pos (0 if pos is 0). */
size_t text_utf8_prev(const char *s, size_t pos);

/* Encode wc as UTF-8 into out (4 bytes at least); returns the length, or 0
 * for a value that is not a Unicode scalar value. */
size_t text_utf8_put(wchar_t wc, char out[static 4]);

/* Display columns of one character, as described above (0, 1 or 2). */
int text_wc_width(wchar_t wc);

/* Display columns of the n bytes at s / of the NUL-terminated s. */
int text_width_n(const char *s, size_t n);
int text_width(const char *s);

/* The number of bytes of the longest prefix of s (n bytes) that fits in
 * cols columns without splitting a character; *used (if not NULL) gets its
 * width. Zero-width characters after the last one that fits are kept with
 * it. */
size_t text_fit(const char *s, size_t n, int cols, int *used);

/* A newly allocated copy of s cut to at most cols columns, ending with
 * "…" when something was cut, then padded with spaces to exactly cols
 * columns when pad is 1. cols <= 0 gives "". The caller frees it. */
char *text_cut(const char *s, int cols, int pad);

/* The same, but keeps the END of s: "…/dovira/dovira.db". */
char *text_cut_left(const char *s, int cols);

/* One line of wrapped text: bytes [start, end) of the input, and its
 * display width. end excludes the '\n' that ended it; a line broken at a
 * space keeps the space at its end (so that every byte of the text belongs
 * to exactly one line, which the editor needs to place its cursor). */
typedef struct text_line {
	size_t start;
	size_t end;
	int width;
} text_line;

/* Wrap the n bytes at s into lines of at most cols columns (cols >= 1):
 * hard line breaks at '\n'; otherwise break after the last space that
 * lets the line fit, or inside a word longer than a line (never inside a
 * character). A trailing space that pushes a line past cols still belongs
 * to it (spaces at a break are not drawn). Returns the number of lines
 * (at least 1: empty text is one empty line) and sets *out to an array
 * the caller frees. */
size_t text_wrap(const char *s, size_t n, int cols, text_line **out);

/* A newly allocated copy of one wrapped line of s, without the spaces at
 * its end (a line broken at a space keeps it, see above). */
char *text_line_text(const char *s, const text_line *l);

/* 1 if prefix (UTF-8, not empty) starts text or one of its words, ignoring
 * case (Cyrillic too): "30" matches "30–38 years", "кор" matches
 * "Південна Корея". A word starts after a character that is not a letter
 * or digit. */
int text_word_prefix_match(const char *text, const char *prefix);

#endif
