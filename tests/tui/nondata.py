"""A call without data is logged in two keys from the start screen (x,
then its digit; F3 works as x), for each of the five kinds, and Esc
cancels without logging anything."""
import sys
sys.dont_write_bytecode = True  # the source tree may be read-only (distcheck)

from tuilib import Tap, Tui, cleanup, new_database, query, tmpdir

t = Tap()
tmp = tmpdir()
db = new_database(tmp)
ui = Tui(tmp, db, args=["--lang", "en"])
ui.wait_for("New call")

ui.press("x", wait="press its number")
t.ok("1  silent call" in ui.text() and "5  test call" in ui.text(), "x shows the five kinds with their digits", ui.text())
ui.press("Esc")
t.ok(ui.wait_gone("press its number"), "Esc cancels", ui.text())
t.ok(query(db, "SELECT count(*) FROM calls") == [(0,)], "nothing is logged on Esc")

kinds = [("silent", "silent call"), ("hangup", "hung up at once"), ("abusive", "abusive call"),
         ("wrong_number", "wrong number"), ("test", "test call")]
for i, (kind, label) in enumerate(kinds, 1):
    before = ui.presses
    # The status line still says what the key before logged: wait for
    # this kind's own line.
    ui.press("x" if i % 2 else "F3", str(i), wait="Logged: " + label)
    t.ok(ui.presses - before == 2, "a %s call takes two keys" % kind)
    got = query(db, "SELECT kind, status FROM calls ORDER BY rowid DESC LIMIT 1")
    t.ok(got == [(kind, "final")], "and is logged as final, kind %s" % kind, repr(got))
    ui.wait_gone("press its number")
t.ok("Logged: test call" in ui.text(), "the status line says what was logged", ui.text())
t.ok(query(db, "SELECT count(*) FROM calls WHERE topic IS NOT NULL OR notes IS NOT NULL") == [(0,)],
     "calls without data hold no answers")
ui.press("q")
t.ok(ui.wait_exit(3) == 0, "q quits")
ui.close()
cleanup(tmp)
t.done()
