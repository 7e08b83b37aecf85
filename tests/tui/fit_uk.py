"""Ukrainian screens at 80x24 show what an operator must read whole. The help
under a question is not cut while the screen has room: the "where is the person now" help ends with the number of
1547 from abroad, and the "can the caller talk safely" help ends with what to tell a
caller (we never call back: the number is not recorded), and that end shows.
The summary names every service in Ukrainian (112 is "екстрена", not the
code "emergency")."""
import sys
sys.dont_write_bytecode = True  # the source tree may be read-only (distcheck)

from tuilib import Tap, Tui, cleanup, new_database, tmpdir

t = Tap()
tmp = tmpdir()
db = new_database(tmp)
ui = Tui(tmp, db, args=["--lang", "uk"])

ui.wait_for("Новий дзвінок")
ui.press("F2", wait="Про що дзвінок?")
ui.press("4", wait="загроза життю")
ui.press("т", wait="Де людина перебуває")
t.ok(ui.wait_for("+38 044 284 19 15"),
     "the where-now help shows its last line: 1547's number from abroad", ui.text())
ui.press("3", wait="Країна")
t.ok(ui.wait_for("Дубай"), "the country help shows whole above its long list (type it as callers say: Dubai)", ui.text())
ui.press("пол", "Enter", wait="Прочитайте")
ui.press("т", wait="говорити безпечно")
t.ok(ui.wait_for("номера не записуємо"),
     "the safe-to-talk help shows to its end (we never call back)", ui.text())
t.ok("2  ( ) Ні" in ui.text(), "and both answers still show under it", ui.text())
ui.press("F9", wait="Рекомендовані переадресації")
t.ok("112 · " in ui.text() and "— екстрена" in ui.text() and "emergency" not in ui.text(),
     "the summary gives 112's service in Ukrainian", ui.text())
ui.key("F10")
ui.close()
cleanup(tmp)
t.done()
