"""The one pager: the help, an organisation's details and the summary
scroll with the same keys and never past their last line; and the summary
reads the database only when something changed, so that a database
locked by another program does not freeze its clock."""
import sqlite3
import sys
sys.dont_write_bytecode = True  # the source tree may be read-only (distcheck)

import time

from tuilib import Tap, Tui, cleanup, new_database, tmpdir

t = Tap()
tmp = tmpdir()
db = new_database(tmp)
ui = Tui(tmp, db, args=["--lang", "en"])
ui.wait_for("New call")


def body():
    return [r for r in ui.screen.display[2:ui.rows - 2] if r.strip()]


# The help, scrolled far past its end, still shows its last line with the
# entries above it; Home brings back the first.
ui.press("n", wait="What is the call about?")
ui.press("F1", wait="Redraw the screen")
first = body()[0]
for _ in range(40):
    ui.key("Down")
ui.key("PgDn", "PgDn", "End")
ui.wait_for("closes this help")
t.ok(len(body()) >= 5, "the help scrolled 40 lines down still fills the screen up to its last line", ui.text())
ui.press("Home", wait=first.strip())
t.ok(body()[0] == first, "Home goes back to the first line", ui.text())
ui.press("Esc", wait="What is the call about?")

# The summary: its clock goes on while another program holds the database.
ui.press("1", wait="Country")             # a consultation: the country first
ui.press("ger", "Enter", wait="Read out")  # Germany; then the notice
ui.press("y", wait="talk safely")
ui.press("y", wait="Who is calling?")
ui.press("F9", wait="Notes, as they will be stored")
t.ok(ui.wait_for("527"), "the summary names the recommended line with its telephone", ui.text())
con = sqlite3.connect(db, timeout=0, isolation_level=None)
con.execute("BEGIN EXCLUSIVE")
clock = ui.row(1).split("\u00b7")[1].split()[0]
changed = ui.wait_for("\u00b7 ", timeout=0.1) and False
deadline = time.monotonic() + 2.5
while time.monotonic() < deadline and not changed:
    ui.pump(0.1)
    changed = clock not in ui.row(1)
t.ok(changed, "with the database locked the summary's clock goes on (%s, then %s)" % (clock, ui.row(1).strip()), ui.text())
t.ok("527" in ui.text(), "and the names read before stay on it", ui.text())
con.execute("ROLLBACK")
con.close()
for _ in range(30):
    ui.key("Down")
ui.press("End", wait="Answers")
t.ok("Answers" in ui.text() and len(body()) >= 5, "the summary scrolled past its end stops at its last line", ui.text())
ui.press("F7", wait="Who is calling?")

# An organisation's details: End, then more, stays at its last lines.
ui.press("F4", wait="Find:")
ui.press("Enter", wait="Telephones:")
for _ in range(40):
    ui.key("Down")
ui.press("End", wait="Entry:")
t.ok("Source:" in ui.text() and len(body()) >= 5, "the details scrolled past their end show their last lines", ui.text())
ui.press("Home", wait="Name (Ukrainian):")
t.ok(True, "Home goes back to the top of the details")

ui.press("Esc", "Esc")
ui.press("F10")
ui.wait_exit(3)
ui.close()
cleanup(tmp)
t.done()
