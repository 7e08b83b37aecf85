/* Unit tests of the screen stack (src/ui/run.c) without a terminal: what
 * is on top, whose state ui_state finds, that a screen opened without a
 * state gets the one its open hook makes, that a full stack refuses a
 * screen instead of losing one, and that going to a screen or unwinding
 * leaves nothing behind. The states are yes/no questions' (freed by their
 * screen's leave), so nothing here needs curses or a database. */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/ui/ui_int.h"
#include "tap.h"

#define STACK_MAX ((int)(sizeof ((ui_ctx *)0)->stack / sizeof *((ui_ctx *)0)->stack))

static void *question(void)
{
	return xcalloc(1, 600); /* the size of a yes/no question's state */
}

static void test_push_pop(ui_ctx *c)
{
	ui_goto(c, SCR_START);
	ok(c->depth == 1 && ui_top(c) == SCR_START, "ui_goto leaves the one screen on the stack");
	ok(ui_state(c, SCR_START) != NULL, "the start screen opened without a state has the one its open hook made");
	void *a = question(), *b = question();
	is_int(ui_push_state(c, SCR_CONFIRM, a), 0, "a question is pushed with its state");
	ok(ui_top(c) == SCR_CONFIRM && ui_state(c, SCR_CONFIRM) == a, "it is on top, and ui_state finds its state");
	ui_push(c, SCR_HELP);
	ok(ui_state(c, SCR_CONFIRM) == a, "ui_state finds a screen's state below the top too");
	ok(ui_state(c, SCR_DIRECTORY) == NULL, "and nothing for a screen not on the stack");
	is_int(ui_push_state(c, SCR_CONFIRM, b), 0, "the same kind of screen again");
	ok(ui_state(c, SCR_CONFIRM) == b, "ui_state finds the topmost one");
	ui_pop(c);
	ui_pop(c);
	ok(ui_top(c) == SCR_CONFIRM && ui_state(c, SCR_CONFIRM) == a, "popping back shows the first one with its own state");
	void *taken = ui_take_state(c);
	ok(taken == a && ui_state(c, SCR_CONFIRM) == NULL, "ui_take_state hands the state to the caller");
	ui_replace_state(c, SCR_CONFIRM, taken);
	ok(ui_state(c, SCR_CONFIRM) == a, "and ui_replace_state gives it back");
	void *r = question();
	ui_replace_state(c, SCR_CONFIRM, r);
	ok(ui_state(c, SCR_CONFIRM) == r, "ui_replace_state puts a new state in place of the old one");
	ui_replace_state(c, SCR_HELP, xcalloc(1, sizeof(ui_pager))); /* the help's state */
	ok(c->depth == 2 && ui_state(c, SCR_HELP) == NULL, "a state for a screen not on the stack opens nothing");
	ui_pop(c);
	ui_pop(c);
	ok(c->depth == 1 && ui_top(c) == SCR_START, "the last screen is never popped");
}

static void test_full(ui_ctx *c)
{
	ui_goto(c, SCR_START);
	while (c->depth < STACK_MAX)
		ui_push_state(c, SCR_CONFIRM, question());
	void *last = ui_state(c, SCR_CONFIRM);
	is_int(ui_push_state(c, SCR_CONFIRM, question()), -1, "a full stack refuses one more screen");
	ok(c->depth == STACK_MAX && ui_state(c, SCR_CONFIRM) == last, "and keeps every screen it had");
	ui_goto(c, SCR_HELP);
	ok(c->depth == 1 && ui_top(c) == SCR_HELP && ui_state(c, SCR_CONFIRM) == NULL,
	   "ui_goto replaces the whole stack");
	ui_stack_unwind(c);
	is_int(c->depth, 0, "unwinding empties the stack");
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	ui_ctx c;
	memset(&c, 0, sizeof c);
	test_push_pop(&c);
	test_full(&c);
	return tap_done();
}
