"""Every key a hint names is a key the screen binds: on each screen the
keys named in its text (F-keys, Esc, Tab, Ctrl-letters) must be listed by
its help, which is built from the action table that dispatches them (and
the keys its fields take). A hint spelled by hand that drifts from the
table fails here."""
import re
import sys
sys.dont_write_bytecode = True  # the source tree may be read-only (distcheck)

from tuilib import Tap, Tui, cleanup, new_database, tmpdir

TOKEN = re.compile(r"(?<![\w-])(F(?:10|[1-9])|Esc|Tab|Ctrl-[A-Z])(?![\w-])")

t = Tap()
tmp = tmpdir()
db = new_database(tmp)
ui = Tui(tmp, db, args=["--lang", "en"])
ui.wait_for("New call")


def screen_keys():
    """Key names in the text of the screen, the bar (row 23) left out: the
    bar is drawn from the table itself."""
    rows = ui.screen.display[1:ui.rows - 1]
    return {m.group(1) for r in rows for m in TOKEN.finditer(r)}


def help_keys(back):
    """The keys the help of this screen lists (its key column), all pages."""
    ui.press("F1", wait="Help")
    keys = set()
    for _ in range(6):
        for r in ui.screen.display[2:ui.rows - 2]:
            keys |= {k.strip() for k in re.split(r",| or |/", r[2:31])}
            keys |= {w for w in r[2:31].split()}
        ui.key("PgDn")
    ui.press("Esc")
    ui.wait_gone("closes this help")
    ui.wait_for(back)
    return keys


def check(what, back):
    named = screen_keys()
    bound = help_keys(back)
    missing = sorted(k for k in named if k not in bound)
    t.ok(named and not missing, "%s: the keys its text names (%s) are bound there" % (what, ", ".join(sorted(named))),
         "not bound: %s\n%s" % (", ".join(missing), ui.text()))


check("the start screen", "New call")
ui.press("n", wait="What is the call about?")
check("a question", "What is the call about?")
ui.press("Tab", wait="no names")
check("the notes", "no names")
ui.press("Esc", wait="Tab to write")
ui.press("F9", wait="Notes, as they will be stored")
check("the summary", "Notes, as they will be stored")
ui.press("F7", wait="What is the call about?")
ui.press("F4", wait="Find:")
ui.press("Enter", wait="Telephones:")
check("an entry of the directory during a call", "Telephones:")
ui.press("Esc", wait="Find:")
ui.press("Esc", wait="What is the call about?")
ui.press("F8", wait="Discard the call")
t.ok("y or F8 \u2014 yes" in ui.text() and "n or Esc \u2014 no" in ui.text() and "instead (F3 or" in ui.text(),
     "the yes/no question names the keys of its yes and no actions, and of logging a call without data", ui.text())
ui.press("y", wait="was discarded")
ui.press("d", wait="Find:")
ui.press("Enter", wait="Telephones:")
check("an entry of the directory", "Telephones:")
ui.press("e", wait="Edit:")
check("the entry's form", "Edit:")
ui.press("Esc")
ui.press("F10")
ui.wait_exit(3)
ui.close()
cleanup(tmp)
t.done()
