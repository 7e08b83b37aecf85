"""The statistics screen at 80x24, in Ukrainian and in English: the table is
named in the person's language (not by its command-line code, "topics"),
in the heading and in the list of tables; and the key line at the bottom
shows every key the screen takes, Esc (back) and F9 (write a file)
included, within the 80 columns measured by display width."""
import sys
sys.dont_write_bytecode = True  # the source tree may be read-only (distcheck)

import unicodedata

from tuilib import Tap, Tui, as_role, cleanup, made_calls, new_database, tmpdir

NOW = "1795867200"  # 2026-11-28T12:00:00Z
CODES = ("volume", "topics", "prevention", "identification", "exploitation", "age-gender", "geography",
         "referrals", "indicators", "follow-ups")
# The keys the statistics screen takes (src/ui/actions.c, SCR_STATS, on the
# bar) and the two every screen has.
KEYS = ("F1", "F2", "F3", "F5", "F6", "F9", "Esc", "F10")

t = Tap()
tmp = tmpdir()
db = new_database(tmp)
made_calls(tmp, db, 120)
as_role(db, "supervisor")


def width(s):
    return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


for lang, start, opens, heading, topics, back, write, which in (
        ("uk", "Ви:", "і", "Таблиця: ", "Теми", "Назад", "CSV", "Яка таблиця?"),
        ("en", "You are:", "s", "Table: ", "Topics", "Back", "Write CSV", "Which table?")):
    ui = Tui(tmp, db, args=["--lang", lang], env={"DOVIRA_FAKE_TIME": NOW})
    ui.wait_for(start)
    ui.press(opens)
    t.ok(ui.wait_for(heading + topics), "%s: the heading names the table in the language of the screen" % lang, ui.row(1))
    words = ui.row(1).replace("\u00b7", " ").split()
    t.ok(not any(c in words for c in CODES), "%s: and not by its code" % lang, ui.row(1))
    bar = ui.row(23).rstrip()
    items = bar.split()
    missing = [k for k in KEYS if k not in items]
    t.ok(not missing, "%s: the key line shows every key the screen takes" % lang, "missing %s in %r" % (missing, bar))
    t.ok(back in bar and write in bar, "%s: Esc %s and F9 %s among them" % (lang, back, write), bar)
    t.ok(width(bar) <= 80, "%s: within 80 columns of display width" % lang, (width(bar), bar))
    ui.press("t" if lang == "en" else "е")
    ui.wait_for(which, topics + ":")
    picker = ui.text()
    t.ok(not any(c + ":" in picker for c in CODES), "%s: the list of tables names them in the language too" % lang, picker)
    ui.key("Esc")
    ui.wait_gone(which)
    ui.key("Esc")
    t.ok(ui.wait_for(start), "%s: Esc goes back" % lang, ui.text())
    ui.key("F10")
    t.ok(ui.wait_exit(3) == 0, "%s: F10 quits" % lang, "status %r" % ui.status)
    ui.close()

cleanup(tmp)
t.done()
