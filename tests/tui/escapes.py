"""Untrusted text is made safe to draw: escape sequences (OSC title, CSI
clear screen, a C1 CSI) and a bidi override pasted into the notes, or
planted in the database, reach neither the terminal nor (from the
screens) the database: the window title stays, the screen is not
cleared, U+FFFD stands in their place inside the field."""
import sys
sys.dont_write_bytecode = True  # the source tree may be read-only (distcheck)

from tuilib import Tap, Tui, cleanup, new_database, query, tmpdir

HOSTILE = (b"A\x1b]0;pwned\x07B \x1b[2J C \xc2\x9b31m D \x9b E \xe2\x80\xae reversed")

t = Tap()
tmp = tmpdir()
db = new_database(tmp)
ui = Tui(tmp, db, args=["--lang", "en"])
ui.wait_for("New call")
title = ui.screen.title
ui.press("n", wait="What is the call about?")
ui.press("Tab", wait="no names")
ui.paste(HOSTILE)
t.ok(ui.wait_for("reversed"), "the pasted text arrives in the notes", ui.text())
t.ok(ui.screen.title == title, "the window title is unchanged", repr(ui.screen.title))
t.ok("What is the call about?" in ui.text(), "the screen was not cleared", ui.text())
notes_rows = [r for r in ui.screen.display if "reversed" in r]
t.ok(notes_rows and "\ufffd" in notes_rows[0], "U+FFFD stands for each control", repr(notes_rows))
t.ok(b"pwned\x07" not in bytes(ui.raw) and b"\x1b]0;" not in bytes(ui.raw) and b"\xe2\x80\xae" not in bytes(ui.raw)
     and b"\xc2\x9b" not in bytes(ui.raw), "no control or bidi override was sent to the terminal")
ui.press("Tab", wait="Tab to write")
stored = query(db, "SELECT notes FROM calls")[0][0]
t.ok(all(c not in stored for c in ("\x1b", "\x07", "\x9b", "\u202e")), "the stored notes hold none of them", repr(stored))

# Typed rather than pasted (a terminal sending 8-bit controls or bad
# bytes): the bad bytes are dropped, and nothing typed after them is lost.
ui.press("Tab", wait="no names")
ui.send(b" typed:\x9bone\xff\xfetwo\xc3three")
t.ok(ui.wait_for("typed:onetwothree"), "stray bytes typed are dropped without losing what follows", ui.text())
ui.press("Tab", wait="Tab to write")

# Planted straight into the database (another tool, an old version):
# drawn harmlessly on the resume screen and in the call.
ui.press("q")
ui.wait_exit(3)
ui.close()
query(db, "UPDATE calls SET notes = ?", ("X\x1b]0;owned\x07Y\x1b[2J\u202eZ\x9b",), commit=True)
ui = Tui(tmp, db, args=["--lang", "en"])
title = ui.screen.title
t.ok(ui.wait_for("unfinished call", "]0;owned"), "the resume screen shows, with the planted notes", ui.text())
t.ok(ui.screen.title == title and b"owned" not in bytes(ui.raw).split(b"\x1b]0;")[-1][:6] and b"\x1b]0;owned" not in bytes(ui.raw),
     "planted escapes do not set the title", repr(ui.screen.title))
# The notes are the row under their label (not any row with an X and a Y:
# the case code on the screen may hold both).
labels = [y for y, r in enumerate(ui.screen.display) if r.strip() == "Notes:"]
row = ui.row(labels[0] + 1) if labels else ""
t.ok(row.strip().startswith("X\ufffd") and "Y" in row and "\ufffd" in row, "they show as U+FFFD, under the Notes label", ui.text())
ui.press("r", wait="question ")
t.ok(ui.screen.title == title and "What is the call about?" in ui.text(), "nor in the call", ui.text())
ui.press("q")
ui.wait_exit(3)
ui.close()
cleanup(tmp)
t.done()
