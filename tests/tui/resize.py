"""A terminal smaller than 80x24 gets a clear "too small" screen, never a
crash, and growing it back redraws everything, in a call too (with the
notes still there). Keys typed while too small are not taken."""
import sys
sys.dont_write_bytecode = True  # the source tree may be read-only (distcheck)

from tuilib import Tap, Tui, cleanup, new_database, tmpdir

t = Tap()
tmp = tmpdir()
db = new_database(tmp)
ui = Tui(tmp, db, args=["--lang", "en"])
ui.wait_for("New call")
ui.resize(20, 60)
t.ok(ui.wait_for("Too small: need 80x24, have 60x20"), "at 60x20 the screen says it is too small, and by how much", ui.text())
t.ok("New call" not in ui.text(), "nothing else is drawn", ui.text())
ui.send("n")
ui.resize(24, 80)
t.ok(ui.wait_for("New call", "You are:"), "back at 80x24 the start screen is redrawn", ui.text())
t.ok("Too small" not in ui.text(), "with no trace of the notice", ui.text())
t.ok("What is the call about" not in ui.text(), "a key pressed while too small did nothing", ui.text())

ui.press("n", wait="What is the call about?")
ui.press("Tab", wait="no names")
ui.send("Notes before the resize")
ui.wait_for("before the resize")
ui.resize(20, 70)
t.ok(ui.wait_for("Too small: need 80x24, have 70x20"), "in a call too", ui.text())
ui.resize(30, 100)
t.ok(ui.wait_for("before the resize", "What is the call about?"), "a larger terminal redraws the call with its notes", ui.text())
t.ok(ui.row(0).rstrip().endswith("00:00") or ":" in ui.row(0)[-8:], "the timer sits at the right edge of the wider title bar", ui.row(0))
ui.resize(24, 80)
t.ok(ui.wait_for("before the resize"), "and back to 80x24", ui.text())
ui.resize(5, 20)
t.ok(ui.wait_for("Too small"), "even a tiny 20x5 terminal gets the notice", ui.text())
ui.resize(1, 1)
ui.pump(0.3)
ui.resize(24, 80)
t.ok(ui.wait_for("before the resize"), "a 1x1 terminal does not crash it", ui.text())
ui.press("F10")
t.ok(ui.wait_exit(3) == 0, "F10 quits")
ui.close()
cleanup(tmp)
t.done()
