"""The screen stack: each screen keeps its own state, so the same kind of
screen twice on the stack (a call, its case, another call of the case over
it) shows each its own call when the operator goes back; a box over a
screen keeps that screen in view; and going back closes each screen in
turn, down to the start screen, the log below as it was left."""
import sys
sys.dont_write_bytecode = True  # the source tree may be read-only (distcheck)

from tuilib import Tap, Tui, cleanup, new_database, query, tmpdir

t = Tap()
tmp = tmpdir()
db = new_database(tmp)


def title(ui):
    return ui.row(1)


ui = Tui(tmp, db, args=["--lang", "en"])
ui.wait_for("New call")
ui.press("x", "1", wait="Logged:")
ui.press("x", "2", wait="Logged: hung up at once")
first, second = [r[0] for r in query(db, "SELECT case_code FROM calls ORDER BY rowid")]

# The second call, from the log by its code, linked to the first's case.
ui.press("l", wait="Call log")
ui.press(second)
ui.until(lambda: "Case code: " + second in ui.text())
ui.press("Enter", wait="Call " + second)
ui.press("k", wait="Link this call to the case with the code")
ui.press(first, "Enter")
t.ok(ui.wait_for("is now part of the case " + first), "the second call is linked to the first one's case", ui.text())

# Its case over it, then the first call of the case over that.
ui.press("c", wait="what a follow-up call needs")
t.ok(ui.until(lambda: "2 calls" in ui.text()), "c opens the case with its two calls", ui.text())
ui.key("Home")
ui.press("Enter")
t.ok(ui.until(lambda: ("Call " + first) in title(ui)), "Enter on its first row opens the first call over the case",
     ui.text())

# Back, back: each screen shows what it showed before.
ui.press("b")
t.ok(ui.until(lambda: "what a follow-up call needs" in title(ui)), "b goes back to the case", ui.text())
ui.press("b")
t.ok(ui.until(lambda: ("Call " + second) in title(ui)),
     "b again goes back to the second call, still shown in full (its own state, not the first call's)", ui.text())
t.ok(ui.until(lambda: any("Case:" in line and first in line for line in ui.screen.display)),
     "with its case", ui.text())

# A box over the call keeps the call in view.
ui.press("k", wait="Link this call to the case with the code")
t.ok(("Call " + second) in title(ui), "the prompt's box is drawn over the call, which stays in view", ui.text())
ui.press("Esc")
t.ok(ui.until(lambda: "Link this call to the case" not in ui.text()), "Esc closes the box", ui.text())

# Back to the log, and the log as it was: the code typed, the call listed.
ui.press("b")
t.ok(ui.until(lambda: "Case code: " + second in ui.text()), "b goes back to the log, its code still typed", ui.text())
ui.press("Esc")
t.ok(ui.wait_for("New call"), "Esc closes the log to the start screen", ui.text())
ui.press("q")
t.ok(ui.wait_exit(3) == 0, "q quits from the start screen", "status %r" % ui.status)
ui.close()
cleanup(tmp)
t.done()
