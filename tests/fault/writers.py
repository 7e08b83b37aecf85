"""No typing lost under load: four operators answer questions on their
screens while 28 other writers commit to the same database back to back
(32 writers in all). Every answer the screens showed as taken is in the
database at the end, whether it went in at once or after retries."""
import sys
sys.dont_write_bytecode = True  # the source tree may be read-only (distcheck)
import os
sys.path.insert(0, os.path.join(os.environ.get("SRCDIR", "."), "tests", "tui"))

import subprocess
import time

from tuilib import Tap, Tui, cleanup, new_database, query, tmpdir

SCREENS, WRITERS = 4, 28
t = Tap()
tmp = tmpdir()
db = new_database(tmp)
query(db, "CREATE TABLE load(x INTEGER)", commit=True)
stop = os.path.join(tmp, "stop")
writer = """
import os, random, sqlite3, sys, time
con = sqlite3.connect(sys.argv[1], timeout=30, isolation_level=None)
con.execute("PRAGMA synchronous=FULL")
n = 0
while not os.path.exists(sys.argv[2]):
    try:
        con.execute("BEGIN IMMEDIATE")
        con.execute("INSERT INTO load VALUES (?)", (n,))
        con.execute("COMMIT")
        n += 1
    except sqlite3.OperationalError:
        pass
    # Back to back as saving sessions are, with the few ms between two
    # saves that reading the next key takes: without them the rollback
    # journal lets no reader in at all (that is item 9's harness).
    time.sleep(random.uniform(0.002, 0.010))
print(n)
"""
procs = [subprocess.Popen([sys.executable, "-c", writer, db, stop], stdout=subprocess.PIPE, text=True)
         for _ in range(WRITERS)]
screens = []
try:
    time.sleep(0.5)
    for i in range(SCREENS):
        ui = Tui(tmp, db, args=["--lang", "en"])
        ui.wait_for("New call", timeout=10)
        screens.append(ui)
    started = all(ui.press("n", wait="What is the call about?") for ui in screens)
    t.ok(started, "four operators start calls while 28 writers hold the database busy",
         screens[-1].text())
    shown = True
    for keys, nxt in ((("1",), "Country"), (("pol", "Enter"), "Read out"), (("y",), "talk safely")):
        for ui in screens:
            ui.press(*keys)
        for ui in screens:
            shown = ui.wait_for(nxt, timeout=10) and shown
    t.ok(shown, "every screen takes each answer and goes on to the next question, busy or not",
         "\n---\n".join(ui.text() for ui in screens))
    noted = sum(1 for ui in screens if "saving again" in ui.text())
    t.note("%d of %d screens showed the 'saving again' note under load" % (noted, SCREENS))
finally:
    open(stop, "w").close()
    writes = sum(int(p.communicate()[0] or 0) for p in procs)
t.note("the other writers committed %d times meanwhile" % writes)
t.ok(writes > 0, "the other writers did write (%d commits)" % writes)
t.ok(all(ui.wait_gone("saving again", timeout=10) for ui in screens),
     "once the load stops, every 'saving again' note goes away")
for ui in screens:
    ui.press("F10", wait="Leave dovira during the call")
    ui.press("y")
codes = [ui.wait_exit(5) for ui in screens]
t.ok(codes == [0] * SCREENS, "every operator quits normally", "%r\n%s" % (codes, screens[0].text()))
rows = query(db, "SELECT topic, country FROM calls WHERE status = 'draft'")
t.ok(len(rows) == SCREENS and all(r[0] == "consult" and r[1] is not None for r in rows),
     "every answer shown on the screens is in the database", repr(rows))
for ui in screens:
    ui.close()
cleanup(tmp)
t.done()
