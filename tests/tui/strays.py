"""Stray keys do nothing harmful, and what is waiting is never hidden:
Enter on a fresh question does not pick option 1; q during a call asks
before leaving; the first Esc in the directory clears the search; leaving
the notes shows them as stored (redacted) even after an autosave; the
start screen lists every waiting draft and a new call says one waits;
questions, not step ids, are shown for a draft."""
import sys
sys.dont_write_bytecode = True  # the source tree may be read-only (distcheck)

import time

from tuilib import Tap, Tui, cleanup, new_database, query, tmpdir

t = Tap()
tmp = tmpdir()
db = new_database(tmp)
ui = Tui(tmp, db, args=["--lang", "en"])


ui.wait_for("New call")
ui.press("F2", wait="What is the call about?")
ui.press("Enter")
t.ok(ui.wait_for("Enter alone does not choose") and "What is the call about?" in ui.text(),
     "Enter on a fresh question does not pick option 1", ui.text())
t.ok(query(db, "SELECT count(*) FROM calls WHERE topic IS NOT NULL") == [(0,)], "and nothing is stored as the topic")
ui.press("1", wait="Country")
ui.press("Enter")
t.ok(ui.wait_for("Enter alone does not choose") and "Country" in ui.text(), "nor on a country list", ui.text())

ui.key("F4")
ui.wait_for("Find:")
ui.press("527")
ui.wait_for("Find: 527")
ui.key("Esc")
t.ok(ui.until(lambda: "Directory" in ui.row(1) and "Find: 527" not in ui.text()),
     "the first Esc in the directory clears the search and stays", ui.text())
ui.key("Esc")
t.ok(ui.until(lambda: "Country" in ui.text() and "Directory" not in ui.row(1)),
     "the second Esc goes back to the call", ui.text())

ui.press("pol", "Enter", wait="Read out")
ui.press("q")
t.ok(ui.wait_for("Leave dovira during the call"), "q during a call asks before leaving", ui.text())
ui.press("n")
t.ok(ui.wait_gone("Leave dovira") and "Read out" in ui.text() and ui.status is None,
     "n keeps the call going", ui.text())
ui.press("Tab", wait="no names")
ui.send("Call me on 067 123 45 67 please")
ui.wait_for("067 123 45 67")
time.sleep(2.6)  # the notes autosave after two seconds without typing
t.ok(ui.until(lambda: "[PHONE]" in (query(db, "SELECT coalesce(notes, '') FROM calls")[0][0])),
     "the notes were autosaved, redacted", repr(query(db, "SELECT notes FROM calls")))
ui.key("Tab")
t.ok(ui.until(lambda: "[PHONE]" in ui.text() and "067 123" not in ui.text()),
     "leaving the notes after an autosave shows them as stored", ui.text())

ui.press("q", wait="Leave dovira during the call")
ui.press("y")
t.ok(ui.wait_exit(3) == 0, "y leaves; the call is kept as a draft")
ui.close()

ui = Tui(tmp, db, args=["--lang", "en"])
t.ok(ui.wait_for("Stopped at:", "Read out:"),
     "the draft shows the question it stopped at, not a step id", ui.text())
t.ok("consent" not in ui.text(), "no step id on the screen", ui.text())
ui.key("Esc")
t.ok(ui.wait_for("Waiting:") and "at: Read out" in ui.text(),
     "the start screen lists the waiting draft", ui.text())
ui.press("F2", wait="What is the call about?")
t.ok(ui.wait_for("1 unfinished call waits"), "a new call says that one waits", ui.text())
ui.press("1", wait="Country")
ui.key("\x03")  # Ctrl-C: leave at once, the call kept
ui.wait_exit(3)
ui.close()

# The drafts were started under an older script.
query(db, "UPDATE calls SET script_version = '2026.11' WHERE status = 'draft'", commit=True)
ui = Tui(tmp, db, args=["--lang", "en"])
ui.wait_for("Stopped at:")
ui.key("Esc")
ui.wait_for("Waiting:")
codes = [c for (c,) in query(db, "SELECT case_code FROM calls WHERE status = 'draft' ORDER BY started_at")]
t.ok(len(codes) == 2 and all(c in ui.text() for c in codes), "both waiting drafts are listed", ui.text())
ui.press("r")
t.ok(ui.wait_for("started under script version 2026.11"),
     "resuming a draft of an older script says so, to check its answers", ui.text())
ui.key("\x03")
ui.wait_exit(3)
ui.close()
cleanup(tmp)
t.done()
