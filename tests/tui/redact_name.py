"""Names in the notes: a given name of the list is stored as [NAME] by
itself; a capitalised word that may be a name is marked on the summary
and one key replaces it by [NAME], in the draft that is stored too, while
cities, months and «organisations» are not marked."""
import sys
sys.dont_write_bytecode = True  # the source tree may be read-only (distcheck)

from tuilib import Tap, Tui, cleanup, new_database, query, tmpdir

t = Tap()
tmp = tmpdir()
db = new_database(tmp)
ui = Tui(tmp, db, args=["--lang", "en"])
ui.wait_for("New call")
ui.press("F2", wait="What is the call about?")
ui.press("Tab", wait="no names")
ui.send("Oksana says her neighbour Hrytsai took her passport in Warsaw in May. «Svitanok» helped.")
ui.press("F9")
t.ok(ui.wait_for("Notes, as they will be stored", "[NAME] says"),
     "the summary shows the given name from the list already stored as [NAME]", ui.text())
t.ok(ui.wait_for("1 possible name marked"),
     "one word is marked as a possible name (not Warsaw, May or «Svitanok»)", ui.text())
t.ok("Hrytsai" in ui.text() and "Warsaw" in ui.text(), "the marked word is still there before the key", ui.text())
ui.press("n")
ui.settle()
t.ok("neighbour [NAME] took" in ui.text(), "n replaces the marked word by [NAME]", ui.text())
t.ok(ui.wait_gone("Hrytsai") and "possible name" not in ui.text(),
     "the word is gone and nothing more is marked", ui.text())
t.ok("Warsaw" in ui.text() and "«Svitanok»" in ui.text(), "the city and the organisation stay", ui.text())
rows = query(db, "SELECT notes FROM calls WHERE status = 'draft'")
t.ok(len(rows) == 1 and "Hrytsai" not in rows[0][0] and "Oksana" not in rows[0][0]
     and "neighbour [NAME] took" in rows[0][0],
     "the stored draft holds [NAME] in place of both names", repr(rows))
ui.press("n")
t.ok(ui.wait_for("neighbour [NAME] took") and "Warsaw" in ui.text(),
     "n with nothing marked changes nothing", ui.text())
ui.close()
cleanup(tmp)
t.done()
