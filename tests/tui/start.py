"""The start screen shows who you are, your role and the database; help
lists the actions of the table; q quits; NO_COLOR gives the monochrome
theme (no colour escapes at all)."""
import sys
sys.dont_write_bytecode = True  # the source tree may be read-only (distcheck)

import os
import pwd
import re

from tuilib import Tap, Tui, cleanup, new_database, tmpdir

t = Tap()
tmp = tmpdir()
db = new_database(tmp)
login = pwd.getpwuid(os.getuid()).pw_name

ui = Tui(tmp, db, args=["--lang", "en"])
shown = ui.wait_for("You are:", "Database:")
t.ok(shown, "the start screen appears", ui.text())
t.ok(login in ui.text() and "administrator" in ui.text(), "it shows the login and the role", ui.text())
t.ok(db in ui.text(), "it shows the database in use", ui.text())
t.ok("New call" in ui.text() and "Call without data" in ui.text(), "it offers a new call and a call without data", ui.text())
t.ok("F4" in ui.text() and "Directory" in ui.text(), "it offers the directory (F4 or d)", ui.text())
t.ok("F2/n" in ui.row(23) and "F10/q" in ui.row(23), "the bottom bar gives the F-key and its letter", ui.row(23))

ui.key("F1")
t.ok(ui.wait_for("Help", "Ctrl-G", "Quit"), "F1 opens the help, listing each action with all its keys", ui.text())
ui.key("Esc")
t.ok(ui.wait_for("You are:"), "Esc closes the help", ui.text())
ui.key("?")
t.ok(ui.wait_for("Ctrl-X"), "? opens the help too", ui.text())
ui.key("Esc")
ui.wait_for("You are:")
ui.key("q")
t.ok(ui.wait_exit(3) == 0, "q quits with status 0", "status %r" % ui.status)
ui.close()

# Ukrainian, from the locale's language.
ui = Tui(tmp, db, lang="uk")
t.ok(ui.wait_for("Новий дзвінок", "База даних:"), "with LANGUAGE=uk the screen is in Ukrainian", ui.text())
ui.key("F10")
t.ok(ui.wait_exit(3) == 0, "F10 quits", "status %r" % ui.status)
ui.close()

# NO_COLOR: attributes only.
ui = Tui(tmp, db, args=["--lang", "en"], env={"NO_COLOR": "1"})
ui.wait_for("You are:")
colour = re.search(rb"\x1b\[[0-9;]*(3[0-7]|4[0-7]|38;5|48;5)[0-9;]*m", bytes(ui.raw))
t.ok(colour is None, "with NO_COLOR no colour escape is sent", repr(colour.group(0)) if colour else "")
ui.key("q")
ui.wait_exit(3)
ui.close()

ui = Tui(tmp, db, args=["--lang", "en", "--theme", "mono"])
ui.wait_for("You are:")
colour = re.search(rb"\x1b\[[0-9;]*(3[0-7]|4[0-7]|38;5|48;5)[0-9;]*m", bytes(ui.raw))
t.ok(colour is None, "--theme mono sends no colour either", repr(colour.group(0)) if colour else "")
ui.key("q")
ui.wait_exit(3)
ui.close()

cleanup(tmp)
t.done()
