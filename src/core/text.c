/* text.c: UTF-8 text measured and cut by display columns (see text.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "dovira/util.h"
#include "dovira/text.h"
#include "dovira/utf8.h"

size_t text_utf8_next(const char *s, size_t n, wchar_t *wc)
{
	unsigned cp = 0xFFFD;
	size_t len = n ? utf8_next(s, n, &cp) : 1;
	*wc = (wchar_t)cp;
	return len;
}

size_t text_utf8_prev(const char *s, size_t pos)
{
	if (pos == 0)
		return 0;
	/* Step back over continuation bytes (at most 3), then check that the
	 * sequence found really ends at pos; if not, the byte before pos stood
	 * alone. */
	size_t p = pos - 1;
	for (int k = 0; k < 3 && p > 0 && ((unsigned char)s[p] & 0xc0) == 0x80; k++)
		p--;
	wchar_t wc;
	if (p + text_utf8_next(s + p, pos - p, &wc) == pos)
		return p;
	return pos - 1;
}

size_t text_utf8_put(wchar_t wc, char out[static 4])
{
	unsigned long v = (unsigned long)wc;
	if (v < 0x80) {
		out[0] = (char)v;
		return 1;
	}
	if (v < 0x800) {
		out[0] = (char)(0xc0 | v >> 6);
		out[1] = (char)(0x80 | (v & 0x3f));
		return 2;
	}
	if ((v >= 0xd800 && v <= 0xdfff) || v > 0x10ffff)
		return 0;
	if (v < 0x10000) {
		out[0] = (char)(0xe0 | v >> 12);
		out[1] = (char)(0x80 | (v >> 6 & 0x3f));
		out[2] = (char)(0x80 | (v & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | v >> 18);
	out[1] = (char)(0x80 | (v >> 12 & 0x3f));
	out[2] = (char)(0x80 | (v >> 6 & 0x3f));
	out[3] = (char)(0x80 | (v & 0x3f));
	return 4;
}

int text_wc_width(wchar_t wc)
{
	int w = wcwidth(wc);
	return w < 0 ? 1 : w;
}

int text_width_n(const char *s, size_t n)
{
	int w = 0;
	for (size_t i = 0; i < n;) {
		wchar_t wc;
		i += text_utf8_next(s + i, n - i, &wc);
		w += text_wc_width(wc);
	}
	return w;
}

int text_width(const char *s)
{
	return s ? text_width_n(s, strlen(s)) : 0;
}

size_t text_fit(const char *s, size_t n, int cols, int *used)
{
	size_t i = 0;
	int w = 0;
	while (i < n) {
		wchar_t wc;
		size_t l = text_utf8_next(s + i, n - i, &wc);
		int cw = text_wc_width(wc);
		if (w + cw > cols)
			break;
		w += cw;
		i += l;
	}
	if (used)
		*used = w;
	return i;
}

static char *pad_to(dv_buf *b, int have, int cols, int pad)
{
	while (pad && have++ < cols)
		dv_buf_addc(b, ' ');
	if (!b->s)
		dv_buf_adds(b, "");
	return dv_buf_take(b);
}

char *text_cut(const char *s, int cols, int pad)
{
	dv_buf b = {0};
	if (!s)
		s = "";
	if (cols <= 0)
		return xstrdup("");
	size_t n = strlen(s);
	int w = text_width_n(s, n);
	if (w <= cols) {
		dv_buf_add(&b, s, n);
		return pad_to(&b, w, cols, pad);
	}
	int used;
	size_t keep = text_fit(s, n, cols - 1, &used);
	dv_buf_add(&b, s, keep);
	dv_buf_adds(&b, "\u2026");
	return pad_to(&b, used + 1, cols, pad);
}

char *text_cut_left(const char *s, int cols)
{
	if (!s)
		s = "";
	if (cols <= 0)
		return xstrdup("");
	size_t n = strlen(s);
	int w = text_width_n(s, n);
	size_t start = 0;
	while (w > cols - 1 && start < n) {
		wchar_t wc;
		size_t l = text_utf8_next(s + start, n - start, &wc);
		w -= text_wc_width(wc);
		start += l;
	}
	if (start == 0)
		return xstrdup(s);
	return xasprintf("\u2026%s", s + start);
}

typedef struct wrap_state {
	text_line *v;
	size_t n, cap;
} wrap_state;

static void emit(wrap_state *st, size_t start, size_t end, int width, int cols)
{
	if (st->n == st->cap) {
		st->cap = st->cap ? st->cap * 2 : 16;
		st->v = xrealloc(st->v, st->cap * sizeof *st->v);
	}
	st->v[st->n++] = (text_line){start, end, width < cols ? width : cols};
}

/* Scan one line starting at start; returns where the next line starts and
 * sets *end. *hard is 1 if the line ended at '\n'. */
static size_t wrap_one(const char *s, size_t n, int cols, size_t start,
		       size_t *end, int *width, int *hard)
{
	size_t pos = start, brk = 0;
	int w = 0, brk_w = 0;
	*hard = 0;
	while (pos < n) {
		wchar_t wc;
		size_t l = text_utf8_next(s + pos, n - pos, &wc);
		if (wc == L'\n') {
			*hard = 1;
			*end = pos;
			*width = w;
			return pos + 1;
		}
		int cw = text_wc_width(wc);
		if (wc != L' ' && w + cw > cols && w > 0) {
			if (brk > start) {
				*end = brk;
				*width = brk_w;
				return brk;
			}
			*end = pos;
			*width = w;
			return pos;
		}
		w += cw;
		pos += l;
		if (wc == L' ') {
			brk = pos;
			brk_w = w;
		}
	}
	*end = n;
	*width = w;
	return n;
}

size_t text_wrap(const char *s, size_t n, int cols, text_line **lines)
{
	wrap_state st = {0};
	size_t start = 0;
	if (cols < 1)
		cols = 1;
	for (;;) {
		size_t end;
		int width, hard;
		size_t next = wrap_one(s, n, cols, start, &end, &width, &hard);
		emit(&st, start, end, width, cols);
		if (next >= n) {
			/* Text ending in '\n' has an empty last line. */
			if (hard)
				emit(&st, n, n, 0, cols);
			break;
		}
		start = next;
	}
	*lines = st.v;
	return st.n;
}

/* 1 if the prefix matches text at byte offset at, ignoring case. */
static int prefix_at(const char *text, size_t n, size_t at, const char *prefix, size_t pn)
{
	size_t i = at, j = 0;
	while (j < pn) {
		wchar_t a, b;
		if (i >= n)
			return 0;
		i += text_utf8_next(text + i, n - i, &a);
		j += text_utf8_next(prefix + j, pn - j, &b);
		if (utf8_fold((unsigned)a) != utf8_fold((unsigned)b))
			return 0;
	}
	return 1;
}

int text_word_prefix_match(const char *text, const char *prefix)
{
	size_t n = strlen(text), pn = strlen(prefix);
	int in_word = 0;
	if (pn == 0)
		return 1;
	for (size_t i = 0; i < n;) {
		wchar_t wc;
		size_t l = text_utf8_next(text + i, n - i, &wc);
		int alnum = iswalnum((wint_t)wc);
		if (alnum && !in_word && prefix_at(text, n, i, prefix, pn))
			return 1;
		in_word = alnum;
		i += l;
	}
	return 0;
}

char *text_line_text(const char *s, const text_line *l)
{
	size_t end = l->end;
	while (end > l->start && s[end - 1] == ' ')
		end--;
	return xstrndup(s + l->start, end - l->start);
}
