"""The directory opened from the start screen at 80x24: every entry is
listed (the national lines too), typing narrows the list in either
alphabet and any case (гарм, ДЕПАРТ, 527), the filters show on screen,
the detail view shows where the facts come from and when they were
verified, an entry not verified for 12 months is flagged in the list and
in the detail, and the monochrome theme and a too-small window work."""
import sys
sys.dont_write_bytecode = True  # the source tree may be read-only (distcheck)

import re

from tuilib import Tap, Tui, cleanup, new_database, query, tmpdir

NOW = "1795867200"  # 2026-11-28T12:00:00Z: "12 months" does not move under the test

t = Tap()
tmp = tmpdir()
db = new_database(tmp)
# One national line last verified long ago: it must be flagged.
query(db, "UPDATE orgs SET verified_on = '2025-06-01' WHERE id = 'line-1545'", commit=True)


def count(ui):
    m = re.search(r"(\d+) entr(y|ies)", ui.row(1))
    return int(m.group(1)) if m else -1


def search(ui, text):
    """Clear the search and type text; wait until the list has settled."""
    ui.key("\x17", "\x17", "\x17")  # Ctrl-W: delete the words typed before
    ui.press(text)
    return ui.wait_for("Find: " + text)


ui = Tui(tmp, db, args=["--lang", "en"], env={"DOVIRA_FAKE_TIME": NOW})
ui.wait_for("You are:")
ui.press("d")
t.ok(ui.wait_for("Directory of organisations", "Find:"), "d on the start screen opens the directory", ui.text())
t.ok(count(ui) == 42, "every entry of the seed is listed (42)", ui.row(1))
t.ok("any area" in ui.row(2) and "any service" in ui.row(2) and "anyone" in ui.row(2),
     "the filters are shown, none active outside a call", ui.row(2))
t.ok("unverified" not in ui.text().split("Find:")[1].splitlines()[1], "a verified entry heads the list, not an unconfirmed one", ui.text())
t.ok(ui.wait_for("527; 0 800 505", "116 123", "1547"), "the national lines, with telephones, are listed first (527, 116 123, 1547)", ui.text())
t.ok("stale" in ui.text(), "the line not verified for 12 months is marked stale", ui.text())
search(ui, "взаєм")
t.ok(ui.wait_for("unverified"), "entries never verified are marked", ui.text())
search(ui, "гарм")
t.ok(ui.wait_for("do not refer"), "an entry that must not be given to callers is marked do not refer", ui.text())
ui.key("\x17")
ui.wait_gone("Find: гарм")
ui.key("End")
t.ok(ui.until(lambda: "do not refer" in ui.row(19)), "do-not-refer entries are listed last", ui.text())
t.ok(all(len(line) <= 80 for line in ui.screen.display), "nothing is drawn past 80 columns")

search(ui, "гарм")
t.ok(ui.until(lambda: count(ui) == 1 and "«Harmo" in ui.row(4)),
     "гарм narrows the list to the crisis centre «Гармонія»", ui.text())
search(ui, "ДЕПАРТ")
t.ok(ui.until(lambda: 0 < count(ui) < 5 and "Department of Social" in ui.row(4) and ui.row(4 + count(ui)).strip() == ""),
     "ДЕПАРТ (capitals) finds the Department first, and little else", ui.text())
search(ui, "527")
t.ok(ui.until(lambda: count(ui) >= 1 and "527; 0 800 505" in ui.row(4)), "527 finds the IOM line first", ui.text())
t.ok(ui.row(20).startswith("  National hotline on countering trafficking")
     and "527; 0 800 505 501" in ui.row(21), "the highlighted entry is shown in full under the list", ui.text())

ui.key("Enter")
t.ok(ui.wait_for("Name (Ukrainian):", "Telephones:"), "Enter opens the detail view", ui.text())
t.ok("Національна гаряча лінія" in ui.text() and "National hotline" in ui.text(), "it shows the names in both languages", ui.text())
ui.key("End")
t.ok(ui.wait_for("Source:", "pdfslide.us", "Verified:", "never verified"),
     "scrolled down, it shows the source and that nobody has verified it yet", ui.text())
t.ok("Mark verified" in ui.row(23), "an administrator is offered the supervisors' actions", ui.row(23))
ui.key("Esc")
t.ok(ui.wait_for("Find: 527"), "Esc goes back to the list, the search kept", ui.text())

search(ui, "1545")
t.ok(ui.until(lambda: "1545" in ui.row(4) and "stale" in ui.row(4)), "the stale entry is flagged in its row", ui.text())
ui.key("Right")  # the arrow opens it too
ui.wait_for("Name (Ukrainian):")
ui.key("End")
t.ok(ui.wait_for("2025-06-01", "not verified for 12 months"), "and warned about in its detail view", ui.text())
ui.key("Esc")
ui.wait_for("Find: 1545")

# The service filter, picked in a box.
search(ui, "")
ui.key("F6")
t.ok(ui.wait_for("Entries that offer:", "legal help"), "F6 offers the services to filter by", ui.text())
row = [i for i, line in enumerate(ui.screen.display) if "legal help" in line]
digit = ui.screen.display[row[0]].split("legal help")[0].split()[-1] if row else "?"
ui.press(digit)
t.ok(ui.until(lambda: "legal help" in ui.row(2) and 0 < count(ui) < 42),
     "choosing one narrows the list and shows the filter", ui.text())
ui.key("Esc")
t.ok(ui.wait_for("You are:"), "Esc closes the directory", ui.text())
ui.key("q")
t.ok(ui.wait_exit(3) == 0, "q quits", "status %r" % ui.status)
ui.close()

# Monochrome, and a window too small and back.
ui = Tui(tmp, db, args=["--lang", "en", "--theme", "mono"], env={"DOVIRA_FAKE_TIME": NOW})
ui.wait_for("You are:")
ui.key("F4")
t.ok(ui.wait_for("Directory of organisations"), "F4 opens the directory too", ui.text())
colour = re.search(rb"\x1b\[[0-9;]*(3[0-7]|4[0-7]|38;5|48;5)[0-9;]*m", bytes(ui.raw))
t.ok(colour is None, "the monochrome theme draws it without colour", repr(colour.group(0)) if colour else "")
ui.resize(20, 60)
t.ok(ui.wait_for("Too small"), "a window under 80x24 gets the too-small notice", ui.text())
ui.resize(24, 80)
t.ok(ui.wait_for("Directory of organisations", "Find:"), "back at 80x24 the directory is there again", ui.text())
ui.key("F10")
t.ok(ui.wait_exit(3) == 0, "F10 quits from the directory", "status %r" % ui.status)
ui.close()

cleanup(tmp)
t.done()
