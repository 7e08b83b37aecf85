"""No typing lost: a save the database will not take (locked past the
wait) is retried in the background while the operator goes on, with a
quiet note that fits 80 columns and goes away once a save succeeds; a
hang-up while the save still fails keeps the draft in the spool, and the
next start offers it and writes it. TERM=dumb gets a clear message."""
import sys
sys.dont_write_bytecode = True  # the source tree may be read-only (distcheck)

import os
import sqlite3
import time

from tuilib import Tap, Tui, cleanup, new_database, query, tmpdir

t = Tap()
tmp = tmpdir()
db = new_database(tmp)


def lock(path):
    """Hold the write lock as a long transaction of another session would."""
    con = sqlite3.connect(path, timeout=10, isolation_level=None)
    con.execute("BEGIN IMMEDIATE")
    return con


ui = Tui(tmp, db, args=["--lang", "en"])
ui.wait_for("New call")
ui.press("n", wait="What is the call about?")
holder = lock(db)
ui.press("1", wait="Country")
t.ok(ui.wait_for("saving again: the database is busy", timeout=4),
     "a save refused by a lock shows a quiet note, and the next question is asked", ui.text())
note_row = [r for r in range(ui.rows) if "saving again" in ui.row(r)]
t.ok(note_row and len(ui.row(note_row[0]).rstrip()) <= 80 and "not saved" not in ui.text().lower(),
     "the note fits 80 columns and never says 'not saved'", ui.text())
ui.press("pol", "Enter", wait="Read out")
t.ok("Read out" in ui.text(), "the operator goes on answering while the lock holds", ui.text())
t.ok(query(db, "SELECT topic FROM calls") == [(None,)], "(nothing is in the database yet)")
holder.rollback()
holder.close()
t.ok(ui.wait_gone("saving again", timeout=4), "the note goes away once a save succeeds", ui.text())
rows = query(db, "SELECT topic, country FROM calls")
t.ok(rows and rows[0][0] == "consult" and rows[0][1] is not None,
     "and every answer given meanwhile is in the database", repr(rows))

# A hang-up while the save still fails: the draft goes to the spool.
ui.press("y", wait="talk safely")
ui.press("y", wait="Who is calling")
holder = lock(db)
ui.press("Tab", wait="no names")
ui.send("Typed while the database was locked")
ui.wait_for("database was locked")
ui.press("Tab")
ui.wait_for("saving again", timeout=6)
start = time.monotonic()
ui.hang_up()
status = ui.wait_exit(3)
took = time.monotonic() - start
t.ok(status == 129 and took < 1.5, "a hang-up during a failing save still ends promptly (%.2f s)" % took,
     "status %r" % status)
holder.rollback()
holder.close()
spool = os.path.join(tmp, "spool")
kept = [f for f in os.listdir(spool) if f.endswith(".draft")] if os.path.isdir(spool) else []
t.ok(len(kept) == 1, "the draft is kept in a spool file beside the database", repr(kept))
t.ok(kept and oct(os.stat(os.path.join(spool, kept[0])).st_mode & 0o777) in ("0o660", "0o600"),
     "readable by nobody but the account (and, installed setgid, the program's group)")
notes = query(db, "SELECT notes FROM calls")[0][0]
t.ok(not notes or "database was locked" not in notes, "(the notes did not reach the database)", repr(notes))
ui.close()

ui = Tui(tmp, db, args=["--lang", "en"])
t.ok(ui.wait_for("unfinished call", "could not take it", "database was locked"),
     "the next start offers the kept draft, with the notes typed", ui.text())
ui.press("r", wait="question ")  # the resume screen names the question too
time.sleep(0.3)
notes = query(db, "SELECT notes FROM calls")[0][0]
t.ok(notes and "database was locked" in notes, "resuming writes it to the database", repr(notes))
t.ok(not [f for f in os.listdir(spool) if f.endswith(".draft") and os.path.getsize(os.path.join(spool, f)) < 65536],
     "and the spool file is gone", repr(os.listdir(spool)))
ui.press("F10")
ui.wait_exit(3)
ui.close()

# TERM=dumb cannot address the cursor: a clear message, not a broken screen.
ui = Tui(tmp, db, args=["--lang", "en"], env={"TERM": "dumb"})
t.ok(ui.wait_for("cannot move the cursor"), "TERM=dumb is told the screens need a real terminal", ui.text())
t.ok(ui.wait_exit(3) not in (None, 0), "and dovira ends with a failure status", "status %r" % ui.status)
ui.close()
cleanup(tmp)
t.done()
