"""The supervisor's desk in Ukrainian at 80x24, on a fixed clock: a call
linked to a case afterwards (either layout's code), the case's status,
owner and call-back date set from its view, an overdue call-back counted
on the start screen; another operator's draft left for more than a shift
listed, finished by the supervisor (marked so), another discarded (asked
first); the log pages through hundreds of calls of a training database:
PgDn reads older pages, End the oldest, Home the newest, and the title
says it is a training database."""
import sys
sys.dont_write_bytecode = True  # the source tree may be read-only (distcheck)

import os
import pwd
import subprocess

from tuilib import DOVIRA, Tap, Tui, cleanup, make_env, new_database, query, tmpdir

NOW = 1795867200  # 2026-11-28T12:00:00Z
ENV = {"DOVIRA_FAKE_TIME": str(NOW)}

t = Tap()
tmp = tmpdir()
db = new_database(tmp)
me = pwd.getpwuid(os.getuid()).pw_name
query(db, "INSERT OR IGNORE INTO staff(login, role, active, added_at, added_by) VALUES ('olena', 'operator', 1,"
      " '2026-01-01T00:00:00Z', ?)", (me,), commit=True)


def open_in_log(ui, code):
    """From the start screen: the log, the code typed, its call opened."""
    ui.press("д", wait="Журнал дзвінків")  # l on the Ukrainian layout
    ui.press(code)
    ui.until(lambda: "справа " + code in ui.row(1))
    return ui.press("Enter", wait="Дзвінок " + code)


ui = Tui(tmp, db, lang="uk", env=ENV)
ui.wait_for("Новий дзвінок")
ui.press("x", "1", wait="Записано")
ui.press("x", "2", wait="Записано: одразу поклали слухавку")
codes = [r[0] for r in query(db, "SELECT case_code FROM calls ORDER BY rowid")]
first, second = codes

# ---- a call linked to a case afterwards ----

t.ok(open_in_log(ui, second), "the second call opens from the log by its code", ui.text())
t.ok("не прив'язано до справи" in ui.text(), "it belongs to no case yet", ui.text())
ui.press("л", wait="Прив'язати цей дзвінок до справи")  # k on the Ukrainian layout: help-only key
ui.press(first.lower().replace("-", ""), "Enter")
t.ok(ui.wait_for("тепер належить до справи " + first), "л and the first call's code link it to that case", ui.text())
t.ok(ui.until(lambda: any("Справа:" in line and first in line for line in ui.screen.display)),
     "the call shows its case", ui.text())
case_ids = {r[0] for r in query(db, "SELECT case_id FROM calls")}
t.ok(len(case_ids) == 1 and None not in case_ids, "both calls now share one case", repr(case_ids))
links = query(db, "SELECT count(*) FROM audit WHERE action = 'case.link'")[0][0]
t.ok(links == 1, "the link is audited (case.link)", repr(links))

# ---- the case: status, owner, call-back ----

ui.press("с", wait="що потрібно для повторного дзвінка")  # c: its case
t.ok("2 дзвінки" in ui.text(), "с opens the case with its two calls", ui.text())
ui.press("і", wait="Стан справи:")  # s: status
ui.press("2")
t.ok(ui.wait_for("подальший супровід"), "the status is set to follow-up", ui.text())
ui.press("щ", wait="Хто відповідає")  # o: owner
ui.key("\x17")  # the owner now is filled in: Ctrl-W clears it
ui.press("olena", "Enter")
t.ok(ui.wait_for("Відповідальний:  olena"), "the owner is set", ui.text())
ui.press("в", wait="Передзвонити до")  # d: due
ui.press("2026-13-01", "Enter")
t.ok(ui.wait_for("запишіть дату"), "a wrong date is refused, the box stays", ui.text())
ui.key("\x17", "\x17", "\x17", "\x17", "\x17")
ui.press("2026-11-27", "Enter")
t.ok(ui.wait_for("прострочено"), "a call-back date in the past shows as overdue", ui.text())
row = query(db, "SELECT status, owner, callback_due FROM cases")
t.ok(len(row) == 1 and row[0][0] == "follow_up" and row[0][1] == "olena" and row[0][2],
     "the case holds the status, owner and due date", repr(row))
ui.press("Esc", wait="Дзвінок " + second)
ui.press("Esc", wait="Журнал дзвінків")
ui.press("Esc", wait="Новий дзвінок")
t.ok(ui.until(lambda: "1 повторний дзвінок прострочено: " + first in ui.text(), 3),
     "the supervisor's start screen shows the overdue call-back", ui.text())

# ---- another operator's draft left behind ----

ui.press("n", wait="Про що дзвінок?")
ui.press("1", wait="питання 2 з")
ui.press("F10")
ui.wait_exit(5)
ui.close()
old = "2026-11-27T20:00:00Z"  # 16 hours before the fixed clock: older than a shift
query(db, "UPDATE calls SET operator = 'olena', started_at = ? WHERE status = 'draft'", (old,), commit=True)
draft = query(db, "SELECT id, case_code FROM calls WHERE status = 'draft'")[0]

ui = Tui(tmp, db, lang="uk", env=ENV)
ui.wait_for("Новий дзвінок")
t.ok(ui.until(lambda: "1 чернетку іншого оператора покинуто" in ui.text()),
     "the start screen counts the draft left behind", ui.text())
ui.press("F9", wait="покинуті довше ніж на зміну")
t.ok(ui.until(lambda: draft[1] in ui.text() and "olena" in ui.text()), "F9 lists it, with its operator", ui.text())
ui.press("Enter", wait="Дзвінок " + draft[1])
t.ok("чернетка" in ui.text(), "it opens as a draft", ui.text())
ui.press("F9", wait="завершений вами")
ui.press("y")
t.ok(ui.wait_for("збережено як остаточну"), "F9 and y finish it", ui.text())
got = query(db, "SELECT status, finished_by FROM calls WHERE id = ?", (draft[0],))
t.ok(got == [("final", me)], "it is final and marked as finished by the supervisor", repr(got))
t.ok(ui.wait_for("Завершив:"), "the call says who finished it", ui.text())
ui.press("Esc", wait="Журнал дзвінків")
ui.press("Esc", wait="Новий дзвінок")

# A second draft, discarded.
ui.press("n", wait="Про що дзвінок?")
ui.press("2", wait="питання 2 з")
ui.press("F10")
ui.wait_exit(5)
ui.close()
query(db, "UPDATE calls SET operator = 'olena', started_at = ? WHERE status = 'draft'", (old,), commit=True)
draft = query(db, "SELECT id, case_code FROM calls WHERE status = 'draft'")[0]
ui = Tui(tmp, db, lang="uk", env=ENV, args=["--theme", "mono"])
ui.wait_for("Новий дзвінок")
ui.press("щ", wait="покинуті довше ніж на зміну")  # o on the Ukrainian layout
ui.until(lambda: draft[1] in ui.text())
ui.press("Enter", wait="Дзвінок " + draft[1])
ui.press("F8", wait="буде видалено")
ui.press("n")
t.ok(ui.wait_gone("Її відповіді й нотатки буде видалено") and query(db, "SELECT count(*) FROM calls WHERE id = ?", (draft[0],))[0][0] == 1,
     "n keeps the draft (monochrome theme)", ui.text())
ui.press("F8", wait="буде видалено")
ui.press("y")
t.ok(ui.wait_for("відкинуто"), "F8 and y discard it", ui.text())
t.ok(query(db, "SELECT count(*) FROM calls WHERE id = ?", (draft[0],))[0][0] == 0, "it is gone")
t.ok(query(db, "SELECT count(*) FROM audit WHERE action = 'draft.discard'")[0][0] == 1, "the discard is audited")
ui.press("q")
ui.wait_exit(3)
ui.close()

# ---- paging through a training database ----

demo = os.path.join(tmp, "demo.db")
subprocess.run([DOVIRA, "--db", demo, "init"], check=True, stdout=subprocess.DEVNULL, env=make_env(tmp))
subprocess.run([DOVIRA, "--db", demo, "demo", "--calls", "400", "--seed", "7"], check=True,
               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=make_env(tmp))
newest = query(demo, "SELECT case_code FROM calls ORDER BY started_at DESC, rowid DESC LIMIT 1")[0][0]
oldest = query(demo, "SELECT case_code FROM calls ORDER BY started_at ASC, rowid ASC LIMIT 1")[0][0]
ui = Tui(tmp, demo, args=["--lang", "en"])
t.ok(ui.wait_for("TRAINING DATABASE", "synthetic"), "a training database says so on the title and the start screen", ui.text())
ui.press("l", wait="Call log")
t.ok(ui.until(lambda: newest in ui.row(5)), "the log starts at the newest call", ui.text())
for _ in range(8):
    ui.key("PgDn")
t.ok(ui.until(lambda: "read so far" in ui.row(1) and int(ui.row(1).split()[-5]) > 60),
     "PgDn reads older pages as it goes", ui.row(1))
ui.key("End")
t.ok(ui.until(lambda: any(oldest in line for line in ui.screen.display[5:21])), "End shows the oldest call", ui.text())
ui.key("Home")
t.ok(ui.until(lambda: newest in ui.row(5)), "Home the newest again", ui.text())
ui.press("q")
ui.wait_exit(3)
ui.close()

cleanup(tmp)
t.done()
