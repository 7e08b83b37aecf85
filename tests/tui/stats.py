"""The statistics screen: a supervisor opens it from the start screen,
reads a table whose figures equal the command line's, steps the period,
scrolls a long table, sees it as a bar chart (block characters; '#' in
the monochrome theme), previews the department level (no figure from 1 to
4), and writes a CSV file that defaults to the department level and is
audited; an operator is offered none of it."""
import sys
sys.dont_write_bytecode = True  # the source tree may be read-only (distcheck)

import json
import os
import subprocess

from tuilib import DOVIRA, Tap, Tui, as_role, cleanup, made_calls, make_env, new_database, query, tmpdir

NOW = "1795867200"  # 2026-11-28T12:00:00Z

t = Tap()
tmp = tmpdir()
db = new_database(tmp)
made_calls(tmp, db, 300)  # from 1 September to the end of November 2026


def cli_json(*args):
    p = subprocess.run([DOVIRA, "--db", db, "report"] + list(args) + ["--format", "json"], env=make_env(tmp),
                       capture_output=True, check=True)
    return json.loads(p.stdout)


as_role(db, "supervisor")
ui = Tui(tmp, db, args=["--lang", "en"], env={"DOVIRA_FAKE_TIME": NOW})
ui.wait_for("You are:")
t.ok("Statistics" in ui.text(), "the start screen offers a supervisor the statistics", ui.text())
ui.press("s")
t.ok(ui.wait_for("Table: Topics", "Period: 2026-11"), "s opens the topics table of this month", ui.text())
want = cli_json("topics", "--period", "2026-11", "--level", "internal")
total = want["blocks"][0]["rows"][-1]["cells"][-1]
t.ok(ui.wait_for("Contacts: %d" % want["contacts"]), "the screen counts the contacts the command line counts", ui.text())
row = [line for line in ui.screen.display if line.strip().startswith("Total")]
t.ok(row and row[0].split()[-1] == str(total), "and the same total of the table", row)
t.ok(all(len(line.rstrip()) <= 80 for line in ui.screen.display), "everything fits in 80 columns")

ui.press("[")
t.ok(ui.wait_for("Period: 2026-10"), "[ goes to the previous month", ui.row(1))
ui.press("p")
t.ok(ui.wait_for("Period: 2026-Q4"), "p turns the month into its quarter", ui.row(1))

ui.press("t")
t.ok(ui.wait_for("Which table?"), "t offers the tables", ui.text())
ui.press("3")
t.ok(ui.wait_for("Table: Prevention"), "3 picks prevention", ui.row(1))
t.ok("How callers heard of the line" not in ui.text(), "its last block is below the screen", ui.text())
ui.key("End")
t.ok(ui.wait_for("How callers heard of the line"), "End scrolls to the last block", ui.text())

ui.press("t")
ui.wait_for("Which table?")
ui.press("2")
ui.wait_for("Table: Topics")
ui.press("g")
t.ok(ui.wait_for("\u2588"), "g draws the table as a bar chart of block characters", ui.text())
ui.press("g")
ui.wait_gone("\u2588")

ui.press("l")
t.ok(ui.wait_for("Level: department"), "l previews the department level", ui.row(1))
small = [c for line in ui.screen.display[5:21] for c in line.split() if c in ("1", "2", "3", "4")]
t.ok("<5" in ui.text() and not small, "no figure from 1 to 4 is shown, <5 stands for them", ui.text())
ui.press("l")
ui.wait_for("Level: public")
ui.press("l")
ui.wait_for("Level: internal")

ui.press("w")
t.ok(ui.wait_for("Write a CSV file for whom?"), "w asks for whom the file is", ui.text())
ui.key("Enter")
path = os.path.join(tmp, "dovira-topics-2026-Q4-department.csv")
t.ok(ui.wait_for("Written: dovira-topics-2026-Q4-department.csv (department"), "Enter writes it at the department level, the default", ui.text())
data = open(path, "rb").read() if os.path.exists(path) else b""
t.ok(data.startswith(b"\xef\xbb\xbf") and b"<5" in data, "the file is in the home directory, with a BOM and <5 cells",
     data[:80])
rows = query(db, "SELECT detail FROM audit WHERE action = 'report.export' ORDER BY seq DESC LIMIT 1")
t.ok(rows and "level=department" in rows[0][0] and "format=csv" in rows[0][0], "the file is audited with its level", rows)
ui.press("w")
ui.wait_for("Write a CSV file for whom?")
ui.key("Enter")
t.ok(ui.wait_for("department-2.csv") and open(path, "rb").read() == data, "a second file does not overwrite the first", ui.text())
ui.key("Esc")
t.ok(ui.wait_for("You are:"), "Esc goes back to the start screen", ui.text())
ui.key("F10")
t.ok(ui.wait_exit(3) == 0, "F10 quits", "status %r" % ui.status)
ui.close()

ui = Tui(tmp, db, args=["--lang", "en", "--theme", "mono"], env={"DOVIRA_FAKE_TIME": NOW})
ui.wait_for("You are:")
ui.press("s")
ui.wait_for("Table: Topics")
ui.press("g")
t.ok(ui.wait_for("###"), "the monochrome theme draws the bars in ASCII", ui.text())
t.ok("\u2588" not in ui.text(), "with no block characters", ui.text())
ui.key("F10")
ui.wait_exit(3)
ui.close()

as_role(db, "operator")
ui = Tui(tmp, db, args=["--lang", "en"], env={"DOVIRA_FAKE_TIME": NOW})
ui.wait_for("You are:")
t.ok("Statistics" not in ui.text(), "an operator is not offered the statistics", ui.text())
ui.press("s")
ui.settle()
t.ok("Table:" not in ui.text(), "and s opens nothing", ui.text())
ui.key("F10")
ui.wait_exit(3)
ui.close()

cleanup(tmp)
t.done()
