/* prompt.c: one short line typed in a box over the screen below (a case
 * code, a comment on an acknowledged call, a reason, a date). Enter (or F9)
 * hands the text to the owner, which may refuse it: the box then stays
 * with the text as typed and the reason on the status line. Esc cancels.
 */
#include "config.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "dovira/i18n.h"
#include "ui_int.h"

struct ui_prompt {
	char *title;
	char *hint;
	ui_edit field;
	int (*done)(ui_ctx *c, const char *text);
};

static ui_prompt *prompt_of(const ui_ctx *c)
{
	return ui_state(c, SCR_PROMPT);
}

static void prompt_leave(ui_ctx *c, void *state)
{
	(void)c;
	ui_prompt *p = state;
	free(p->title);
	free(p->hint);
	ui_edit_free(&p->field);
	free(p);
}

void ui_prompt_open(ui_ctx *c, const char *title, const char *hint, const char *text, size_t max_chars,
		    int (*done)(ui_ctx *c, const char *text))
{
	ui_prompt *p = xcalloc(1, sizeof *p);
	p->title = xstrdup(title);
	p->hint = xstrdup(hint ? hint : "");
	ui_edit_init(&p->field, 0, max_chars);
	ui_edit_set(&p->field, text);
	p->done = done;
	ui_push_state(c, SCR_PROMPT, p);
}

void ui_act_prompt_done(ui_ctx *c)
{
	/* The box is gone while the owner looks at the text (it may open
	 * another screen); refused, it comes back as typed. */
	ui_prompt *p = ui_take_state(c);
	if (!p)
		return;
	ui_pop(c);
	if (p->done(c, p->field.s) != 0)
		ui_push_state(c, SCR_PROMPT, p);
	else
		prompt_leave(c, p);
}

void ui_act_prompt_cancel(ui_ctx *c)
{
	ui_pop(c);
}

static int box_w(void)
{
	return COLS - 10 > 70 ? 70 : COLS - 10;
}

static void prompt_draw(ui_ctx *c)
{
	ui_prompt *p = prompt_of(c);
	ui_draw_below(c);
	if (!p)
		return;
	int w = box_w(), h = 8, y = (LINES - h) / 2, x = (COLS - w) / 2;
	ui_put(c, y, x, w, COLOR_TITLE, 1, "");
	ui_put(c, y, x + 2, w - 4, COLOR_TITLE, 0, p->title);
	for (int i = 1; i < h - 1; i++) {
		ui_put(c, y + i, x, 1, COLOR_TITLE, 1, "");
		ui_put(c, y + i, x + 1, w - 2, COLOR_NORMAL, 1, "");
		ui_put(c, y + i, x + w - 1, 1, COLOR_TITLE, 1, "");
	}
	ui_put(c, y + h - 1, x, w, COLOR_TITLE, 1, "");
	/* The end of a long text stays in view, where the cursor is. */
	int fw = w - 6, used = text_width_n(p->field.s, p->field.cur);
	const char *shown = p->field.s;
	while (used > fw - 1) {
		wchar_t wc;
		size_t n = text_utf8_next(shown, strlen(shown), &wc);
		used -= text_wc_width(wc);
		shown += n;
	}
	ui_put(c, y + 2, x + 3, fw, COLOR_FIELD_ACTIVE, 1, shown);
	ui_put_wrapped(c, y + 4, x + 3, 2, fw, COLOR_HINT, p->hint);
}

static int prompt_key(ui_ctx *c, ui_key k)
{
	ui_prompt *p = prompt_of(c);
	if (!p)
		return 0;
	if (k == UK_PASTE) {
		ui_edit_paste(&p->field, c->paste.s, c->paste.len);
		return 1;
	}
	return ui_edit_key(&p->field, k, box_w() - 6);
}

static int prompt_typing(const ui_ctx *c)
{
	return prompt_of(c) != NULL;
}

static int prompt_cursor(const ui_ctx *c, int *y, int *x)
{
	const ui_prompt *p = prompt_of(c);
	if (!p)
		return 0;
	int w = box_w(), fw = w - 6, used = text_width_n(p->field.s, p->field.cur);
	*y = (LINES - 8) / 2 + 2;
	*x = (COLS - w) / 2 + 3 + (used > fw - 1 ? fw - 1 : used);
	return 1;
}

static const char *const prompt_help[] = {
	N_("letters, digits"), N_("type; Backspace, Ctrl-W and the arrows edit"),
	NULL,
};

const ui_screen ui_prompt_screen = {
	.id = SCR_PROMPT,
	.title = N_("Type"),
	.draw = prompt_draw,
	.key = prompt_key,
	.typing = prompt_typing,
	.cursor = prompt_cursor,
	.field_help = prompt_help,
	.leave = prompt_leave,
};
