"""One live session per draft: a second session of the same account (an
SSH reconnect while the old one lingers) is told the draft is open
elsewhere and cannot take it while the other is active; once the other
has been idle past the limit it can take it over (the first then stops
saving it), and once a session is gone (killed) its draft is free."""
import sys
sys.dont_write_bytecode = True  # the source tree may be read-only (distcheck)

import glob
import os
import signal
import time

from tuilib import Tap, Tui, cleanup, new_database, query, tmpdir

t = Tap()
tmp = tmpdir()
db = new_database(tmp)

a = Tui(tmp, db, args=["--lang", "en"])
a.wait_for("New call")
a.press("n", wait="What is the call about?")
a.press("1", wait="Country")
t.ok(query(db, "SELECT topic FROM calls") == [("consult",)], "session A has a draft open")

b = Tui(tmp, db, args=["--lang", "en"])
t.ok(b.wait_for("unfinished call", "open in another session"),
     "session B of the same account is told the draft is open elsewhere", b.text())
b.press("r")
b.settle()
t.ok("Country" not in b.text() and "open in another session" in b.text(),
     "and cannot resume it while A is active", b.text())
b.press("d")
b.settle()
t.ok("Discard the unfinished" not in b.text() and query(db, "SELECT count(*) FROM calls") == [(1,)],
     "nor discard it")

leases = glob.glob(os.path.join(tmp, "spool", "*.lease"))
t.ok(len(leases) == 1, "A holds one lease", repr(leases))
old = time.time() - 11 * 60
for lp in leases:
    os.utime(lp, (old, old))
b.press("r", wait="question 1 of")
t.ok("What is the call about?" in b.text() and "open in another session" not in b.text(),
     "once A has been idle past the limit (10 min), B takes the draft over", b.text())
b.press("2")
deadline = time.monotonic() + 5
while query(db, "SELECT topic FROM calls") == [("consult",)] and time.monotonic() < deadline:
    b.pump(0.1)
b_topic = query(db, "SELECT topic FROM calls")
t.ok(b_topic != [("consult",)], "B's answer is saved", repr(b_topic))
a.press("pol", "Enter")
t.ok(a.wait_for("taken over by another session"), "A is told at its next answer and stops saving the call", a.text())
rows = query(db, "SELECT topic, country FROM calls")
t.ok(rows == [(b_topic[0][0], None)], "A's late answer did not reach the database", repr(rows))
a.press("F10")
t.ok(a.wait_exit(3) == 0, "A quits normally", "status %r" % a.status)
a.close()

# B is killed outright (no chance to save or let go): the draft is free.
os.kill(b.pid, signal.SIGKILL)
b.wait_exit(3)
b.close()
c = Tui(tmp, db, args=["--lang", "en"])
t.ok(c.wait_for("unfinished call") and "open in another session" not in c.text(),
     "after B is killed, the next session is offered the draft freely", c.text())
c.press("r", wait="question")
t.ok("(\u2022) Checking a job offer" in c.text(), "and resumes it with B's answer", c.text())
c.press("F10")
c.wait_exit(3)
c.close()
cleanup(tmp)
t.done()
