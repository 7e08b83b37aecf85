"""A directory of 400 entries at 80x24: a first letter that matches most
of them lists only the best DIR_MATCHES (100) and says there are more,
typing more narrows to an exact count, and clearing the search lists
every entry again."""
import sys
sys.dont_write_bytecode = True  # the source tree may be read-only (distcheck)

import re

from tuilib import Tap, Tui, cleanup, new_database, query, tmpdir

t = Tap()
tmp = tmpdir()
db = new_database(tmp)
# 400 centres named alike, as a national directory would hold.
for i in range(400):
    query(db, "INSERT INTO orgs(id, name_uk, name_en, kind, services, areas, phones, source, updated_at)"
          " VALUES (?, ?, ?, 'social', 'information', 'all', ?, 'test', '2026-11-01T00:00:00Z')",
          ("many-%03d" % i, "Тестовий центр %03d" % i, "Test centre %03d" % i, "061 555 %03d" % i),
          commit=True)
total = query(db, "SELECT count(*) FROM orgs")[0][0]


def heading(ui):
    return ui.row(1)


ui = Tui(tmp, db, args=["--lang", "en"])
ui.wait_for("You are:")
ui.press("d")
t.ok(ui.wait_for("Directory of organisations", "Find:"), "d on the start screen opens the directory", ui.text())
t.ok(ui.until(lambda: ("%d entries" % total) in heading(ui)), "an empty search lists every entry (%d)" % total,
     heading(ui))
ui.press("t")
t.ok(ui.until(lambda: "best 100 of more" in heading(ui)),
     "a first letter matching hundreds lists the best 100 and says there are more", heading(ui))
ui.press("est centre 01")
t.ok(ui.until(lambda: re.search(r"\b10 entries", heading(ui)) is not None),
     "typing more narrows to an exact count (centres 010-019)", heading(ui))
ui.key("\x17", "\x17", "\x17")
t.ok(ui.until(lambda: ("%d entries" % total) in heading(ui)), "clearing the search lists every entry again",
     heading(ui))
ui.key("\x1b", "\x1b")
ui.close()

cleanup(tmp)
t.done()
