"""Danger now on every screen of a call: "yes" to danger puts DANGER NOW in
the title bar at once with 102; once the person is known to be abroad,
102 goes and the number that fits comes (112 in Poland, none claimed for
the Emirates, found by typing "Dubai"); the banner stays over the
directory and the summary; the recommended referrals, with their
telephones, are on the question screen as soon as they change."""
import sys
sys.dont_write_bytecode = True  # the source tree may be read-only (distcheck)

from tuilib import Tap, Tui, cleanup, new_database, tmpdir

t = Tap()
tmp = tmpdir()
db = new_database(tmp)
ui = Tui(tmp, db, args=["--lang", "en"])


ui.wait_for("New call")
ui.press("F2", wait="What is the call about?")
t.ok("DANGER" not in ui.row(0), "no danger shown before it is asked", ui.row(0))
t.ok("Refer:" in ui.row(2) and "nothing yet" in ui.row(2), "the referrals line starts empty", ui.row(2))
ui.press("3", wait="in danger right now")                 # someone abroad in trouble now
t.ok(ui.until(lambda: "527" in ui.row(2) and "1547" in ui.row(2)),
     "the topic alone puts the national lines, with telephones, on the screen", ui.row(2))
ui.press("y", wait="Where is the person")
t.ok(ui.until(lambda: "DANGER NOW: 102" in ui.row(0)), "danger yes: the title bar says so at once, with 102", ui.row(0))
ui.press("3", wait="Country")                              # abroad
t.ok(ui.until(lambda: "DANGER NOW" in ui.row(0) and "102" not in ui.row(0)),
     "abroad: 102 leaves the banner", ui.row(0))
ui.press("dubai")
t.ok(ui.wait_for("United Arab Emirates"), "typing Dubai finds the Emirates", ui.text())
ui.press("Enter", wait="Read out")
t.ok(ui.until(lambda: "local emergency number" in ui.row(0)),
     "in the Emirates no number is claimed: ask for the local one", ui.row(0))
t.ok("1547 " in ui.row(2) and "102" not in ui.row(2), "1547 is recommended on screen, 102 never", ui.row(2))
ui.press("Left", wait="Country")
ui.press("pol", "Enter", wait="Read out")
t.ok(ui.until(lambda: "DANGER NOW: 112" in ui.row(0)), "in Poland the banner gives 112", ui.row(0))
ui.key("F4")
t.ok(ui.wait_for("Find:") and "DANGER NOW: 112" in ui.row(0), "the banner stays over the directory", ui.row(0))
ui.key("Esc")
ui.wait_for("Read out")
ui.key("F9")
t.ok(ui.wait_for("Recommended referrals") and "DANGER NOW: 112" in ui.row(0), "and over the summary", ui.text())
t.ok("112" in ui.text() and "Consulates of Ukraine" in ui.text() and "no telephone in the directory" in ui.text(),
     "the summary recommends 112 and names the consulates apart: no telephone yet", ui.text())
ui.key("F10")
ui.close()
cleanup(tmp)
t.done()
