"""Who may change the directory from the screens: a supervisor marks an
entry verified (asked first; audited as org.verify) and edits one through
the form, which refuses a wrong code and names the field; an operator is
not offered these actions at all, on the bar or in the help, and their
keys do nothing."""
import sys
sys.dont_write_bytecode = True  # the source tree may be read-only (distcheck)

import os
import pwd

from tuilib import Tap, Tui, cleanup, new_database, query, tmpdir

NOW = "1795867200"  # 2026-11-28T12:00:00Z
TODAY = "2026-11-28"

t = Tap()
tmp = tmpdir()
db = new_database(tmp)
me = pwd.getpwuid(os.getuid()).pw_name


def as_role(role):
    query(db, "UPDATE staff SET role = ? WHERE login = ?", (role, me), commit=True)


def audits(action):
    return query(db, "SELECT object, detail FROM audit WHERE action = ? ORDER BY seq", (action,))


def open_entry(ui, words, name):
    if "Find:" not in ui.text():
        ui.press("d")
        ui.wait_for("Directory of organisations")
    ui.press(words)
    ui.until(lambda: name in ui.row(4))
    ui.key("Enter")
    return ui.wait_for("Name (Ukrainian):")


# The roles are tried on «Гармонія», shipped unverified and do-not-refer:
# take the mark off first, so that "unverified" is what the row shows.
query(db, "UPDATE orgs SET do_not_refer = 0 WHERE id = 'harmoniia'", commit=True)

# ---- a supervisor ----
as_role("supervisor")
ui = Tui(tmp, db, args=["--lang", "en"], env={"DOVIRA_FAKE_TIME": NOW})
ui.wait_for("You are:")
t.ok(open_entry(ui, "гарм", "Harmo"), "a supervisor opens the entry «Гармонія»", ui.text())
t.ok("unverified" in ui.row(1), "it is marked unverified", ui.row(1))
t.ok("Mark verified" in ui.row(23) and "Edit" in ui.row(23) and "Retire" in ui.row(23),
     "the bar offers a supervisor edit, mark verified and retire", ui.row(23))
ui.press("v")
t.ok(ui.wait_for("as verified today?"), "v asks before marking it verified", ui.text())
ui.press("y")
t.ok(ui.wait_for("Marked as verified today"), "y marks it", ui.text())
t.ok(ui.until(lambda: "unverified" not in ui.row(1)), "the mark is gone from the entry", ui.row(1))
ui.key("End")
t.ok(ui.wait_for("Verified:", TODAY), "its detail shows today's date", ui.text())
rows = audits("org.verify")
t.ok(rows == [("harmoniia", TODAY)], "the audit table holds org.verify for the entry", repr(rows))
t.ok(query(db, "SELECT verified_on FROM orgs WHERE id = 'harmoniia'") == [(TODAY,)], "and the directory holds the date")

ui.press("e")
t.ok(ui.wait_for("Edit: Women's crisis centre", "Telephones"), "e opens the form over the entry", ui.text())
ui.key("Tab", "Tab", "End")
ui.press("x")
ui.key("F9")
t.ok(ui.wait_for("Not saved", "unknown code 'shelterx'"), "a wrong kind is refused, saying what is wrong", ui.text())
t.ok(any(line.startswith(" !Kind") for line in ui.screen.display), "the field is marked", ui.text())
t.ok(audits("org.edit") == [], "nothing was saved")
ui.key("Backspace")
for _ in range(6):  # kind -> services, areas, works in, relocated, address, telephones
    ui.key("Tab")
ui.send("061 000 00 00")
ui.key("\x13")  # Ctrl-S
t.ok(ui.wait_for("Saved: Women's crisis centre", "061 000 00 00"), "Ctrl-S saves and shows the entry again", ui.text())
rows = audits("org.edit")
t.ok(rows == [("harmoniia", "phones")], "the change is audited as org.edit with the column", repr(rows))
ui.press("e", wait="Edit: Women's crisis centre")
ui.key("PgDn", "PgDn", "PgDn", "PgDn", "PgDn")  # the last field: Do not refer
ui.key("End", "Backspace")
ui.send("1")
ui.key("\x13")  # Ctrl-S
t.ok(ui.wait_for("Saved: Women's crisis centre") and ui.until(lambda: "do not refer" in ui.row(1)),
     "a supervisor marks the entry do-not-refer in the form, and it is shown as such", ui.text())
t.ok(query(db, "SELECT do_not_refer FROM orgs WHERE id = 'harmoniia'") == [(1,)], "the directory holds the mark")
ui.key("Esc")
ui.wait_for("Find:")
t.ok("F9 New" in ui.row(23), "the list offers a supervisor a new entry", ui.row(23))
ui.key("F10")
t.ok(ui.wait_exit(3) == 0, "F10 quits", "status %r" % ui.status)
ui.close()

# ---- an operator ----
as_role("operator")
ui = Tui(tmp, db, args=["--lang", "en"], env={"DOVIRA_FAKE_TIME": NOW})
ui.wait_for("You are:")
t.ok("operator" in ui.text(), "the same account is now an operator", ui.text())
ui.press("d")
ui.wait_for("Directory of organisations")
t.ok("New" not in ui.row(23), "an operator's bar has no new entry", ui.row(23))
ui.key("F9")
ui.settle()
t.ok("New directory entry" not in ui.text(), "and F9 opens no form", ui.text())
t.ok(open_entry(ui, "527", "527"), "an operator opens an entry", ui.text())
t.ok("Edit" not in ui.row(23) and "verified" not in ui.row(23) and "Retire" not in ui.row(23),
     "its bar offers no edit, verify or retire", ui.row(23))
ui.key("F1")
ui.wait_for("closes this help")
t.ok("Mark verified" not in ui.text() and "Retire" not in ui.text() and "Edit" not in ui.text(),
     "nor does the help", ui.text())
ui.key("Esc")
ui.wait_for("Name (Ukrainian):")
ui.press("v", "e")
ui.key("F6", "F5", "F8")
ui.settle()
t.ok("as verified today?" not in ui.text() and "Edit:" not in ui.text() and "Retire " not in ui.text(),
     "the supervisors' keys do nothing for an operator", ui.text())
t.ok(len(audits("org.verify")) == 1 and len(audits("org.edit")) == 2 and audits("org.retire") == [],
     "and nothing more is audited")
ui.key("F10")
t.ok(ui.wait_exit(3) == 0, "F10 quits", "status %r" % ui.status)
ui.close()

cleanup(tmp)
t.done()
