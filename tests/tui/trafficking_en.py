"""A suspected-trafficking call in English: the risk shown on the screen
rises as signs are ticked and reaches "likely", the summary shows the
referrals the script recommends for it, a digit marks one as made, and the
record is saved with risk "likely" and that referral."""
import sys
sys.dont_write_bytecode = True  # the source tree may be read-only (distcheck)

from tuilib import Tap, Tui, cleanup, new_database, query, tmpdir

t = Tap()
tmp = tmpdir()
db = new_database(tmp)
# The directory is another module's; the referral needs its row.
query(db, "INSERT OR IGNORE INTO orgs(id, name_uk, name_en, kind, services, areas, source, updated_at)"
      " VALUES ('dszn-zoda', 'ДСЗН ЗОДА', 'Social protection department', 'state', 'status', 'zp', 'test',"
      " '2026-01-01T00:00:00Z')", commit=True)
ui = Tui(tmp, db, args=["--lang", "en"])
ui.wait_for("New call")
ui.press("F2", wait="What is the call about?")
t.ok("no signs noted" in ui.row(1), "the risk starts at none", ui.row(1))

steps = [
    (("4",), "in danger right now"),           # topic: trafficking
    (("n",), "Where is the person"),           # danger now: no
    (("1",), "Country"),                       # in government-controlled Ukraine
    (("ger", "Enter"), "Read out"),            # Germany, by typing
    (("y",), "talk safely"),                   # the notice read out
    (("y",), "Who is calling"),                # safe to talk
    (("2",), "Gender"),                        # a relative
    (("1",), "Age"),                           # female
    (("4",), "live"),                          # 21-23
    (("1",), "Language"),                      # Zaporizhzhia city
    (("1",), "offer found"),                   # Ukrainian
    (("Down", "Down", "Enter"), "Ask these questions"),  # channel: the third (Telegram)
]
for keys, expect in steps:
    if not ui.press(*keys, wait=expect):
        t.ok(False, "after %r the screen asks about %r" % (keys, expect), ui.text())
        break
else:
    t.ok(True, "the questions up to the signs are answered with digits, y/n, typing and arrows")

ui.press("1")
t.ok(ui.wait_for("possible trafficking"), "one means of control ticked: the risk shown becomes possible", ui.row(1))
ui.press("2")
t.ok(ui.wait_for("likely trafficking"), "a second one: the risk shown becomes likely at once", ui.row(1))
t.ok("[x]" in ui.text(), "ticked options are marked", ui.text())
ui.press("Enter", wait="exploitation")
ui.press("3", "Enter", wait="sector")            # labour exploitation
ui.press("constr", "Enter", wait="recruiter")    # construction, by typing
ui.press("5", wait="Advise the family")          # recruiter unknown
ui.press("y", wait="victim status")              # relatives' advice given
ui.press("y", wait="hear of the line")           # status explained
ui.press("1", wait="called the line before")
ui.press("n", wait="call-back")
ui.press("n", wait="Outcome")
ui.press("2", wait="Notes (no names")
ui.send("Works on a building site near Munich, passport kept by the foreman.")
ui.press("Tab", wait="Notes, as they will be stored")
t.ok(ui.wait_for("likely trafficking"), "the summary shows the risk: likely", ui.text())
t.ok(all(org in ui.text() for org in ("Department of Social Protection", "Police", "527")),
     "the summary shows the referrals recommended for likely trafficking", ui.text())
ui.press("1")
t.ok(ui.wait_for("1 [x] "), "a digit marks the first recommended referral as made", ui.text())
ui.press("s", wait="Saved")
t.ok("New call" in ui.text(), "s saves the call", ui.text())

rows = query(db, "SELECT topic, risk, country, status FROM calls WHERE kind = 'data'")
t.ok(rows == [("trafficking", "likely", "DE", "final")], "the record is final with risk likely", repr(rows))
refs = query(db, "SELECT org_id, service, recommended FROM referrals")
t.ok(refs == [("dszn-zoda", "status", 1)], "the referral made is recorded as recommended", repr(refs))
ans = dict(query(db, "SELECT step, value FROM answers"))
t.ok(ans.get("control") == "documents,movement" and ans.get("channel") == "telegram",
     "the means of control and the channel are kept as codes", repr(ans))
ui.press("q")
ui.wait_exit(3)
ui.close()
cleanup(tmp)
t.done()
