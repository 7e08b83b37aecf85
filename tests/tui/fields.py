"""Typed answers and going back, on a small script of the test's own:
a number within bounds (digits only, out of range refused), a short text
(redacted when stored), an optional question skipped with Enter; going
back keeps the later answers that still apply, while a changed answer
drops those of questions it hides."""
import sys
sys.dont_write_bytecode = True  # the source tree may be read-only (distcheck)

import os

from tuilib import Tap, Tui, cleanup, new_database, query, tmpdir

SCRIPT = """script: test-fields
version: 1
title.uk: Перевірка полів
title.en: Field test

step topic
  kind: single
  required: yes
  maps: topic
  text.uk: Тема?
  text.en: Topic?
  option consult
    uk: Порада
    en: Advice
  option offer
    uk: Вакансія
    en: Job offer

step purpose
  kind: single
  show if: topic = consult
  text.uk: Мета?
  text.en: Purpose?
  option work
    uk: Робота
    en: Work
  option study
    uk: Навчання
    en: Study

step weeks
  kind: number
  required: yes
  min: 0
  max: 52
  text.uk: Скільки тижнів?
  text.en: How many weeks abroad?

step employer
  kind: text
  text.uk: Хто роботодавець?
  text.en: Which employer or agency?

step remark
  kind: text
  text.uk: Примітка?
  text.en: Any remark?

step outcome
  kind: single
  required: yes
  maps: outcome
  text.uk: Результат?
  text.en: Outcome?
  option info
    uk: Інформація
    en: Information given
  option other
    uk: Інше
    en: Other

step notes
  kind: notes
  maps: notes
  text.uk: Нотатки
  text.en: Notes
"""

t = Tap()
tmp = tmpdir()
data = os.path.join(tmp, "data")
os.mkdir(data)
with open(os.path.join(data, "intake.script"), "w") as f:
    f.write(SCRIPT)
db = new_database(tmp)
ui = Tui(tmp, db, args=["--lang", "en"], env={"DOVIRA_DATADIR": data})
ui.wait_for("New call")
ui.press("n", wait="Topic?")
ui.press("1", wait="Purpose?")
ui.press("1", wait="How many weeks")
ui.press("x")
t.ok(ui.wait_for("Digits only."), "a number field refuses letters", ui.text())
ui.press("99", "Enter")
t.ok(ui.wait_for("How many weeks") and "Which employer" not in ui.text(), "a number out of bounds is refused", ui.text())
ui.press("Backspace", "Backspace", "12", "Enter", wait="Which employer")
ui.press("Agency Sunrise, call +380 67 123 45 67", "Enter", wait="Any remark")
ui.press("Enter", wait="Outcome?")
t.ok(True, "Enter on an empty optional field skips it")
t.ok(dict(query(db, "SELECT step, value FROM answers")) ==
     {"purpose": "work", "weeks": "12", "employer": "Agency Sunrise, call [PHONE]"},
     "each answer is saved at once, short text redacted", repr(query(db, "SELECT step, value FROM answers")))

# Back to the number: Left on a choice, Backspace on an empty field, b.
ui.press("Left", wait="Any remark")
ui.press("Backspace", wait="Which employer")
ui.press("F7", wait="How many weeks")
t.ok("12" in ui.text(), "going back shows the answer given", ui.text())
ui.press("F7", wait="Purpose?")
ui.press("F7", wait="Topic?")
t.ok("(\u2022) Advice" in ui.text(), "the choice made is marked", ui.text())
ui.press("2")
t.ok(ui.wait_for("Any remark"), "a changed answer goes on to the first question left unanswered", ui.text())
ans = dict(query(db, "SELECT step, value FROM answers"))
t.ok("purpose" not in ans, "the answer to the question now hidden is left out of the record", repr(ans))
t.ok(ans.get("weeks") == "12" and "employer" in ans, "the later answers that still apply are kept", repr(ans))
t.ok(query(db, "SELECT topic FROM calls") == [("offer",)], "the changed answer is saved", repr(query(db, "SELECT topic FROM calls")))
ui.press("F7", "F7", "F7", wait="Topic?")
ui.press("1", wait="Any remark")
ans = dict(query(db, "SELECT step, value FROM answers"))
t.ok(ans.get("purpose") == "work", "an answer hidden and shown again is still there (until the call is saved)", repr(ans))
ui.press("F9", wait="Notes, as they will be stored")
# "Outcome?" is on the summary already (not answered yet): wait for the
# status line that only the save writes.
ui.press("s")
t.ok(ui.wait_for("Not complete", "Outcome?"), "saving an incomplete call goes to the missing question", ui.text())
ui.press("1", wait="Notes (no names")
ui.press("Tab", wait="Answers")
ui.press("s", wait="Saved")
ans = dict(query(db, "SELECT step, value FROM answers"))
t.ok(ans.get("purpose") == "work" and query(db, "SELECT status FROM calls") == [("final",)],
     "the call is saved final with its answers", repr(ans))
ui.press("q")
ui.wait_exit(3)
ui.close()
cleanup(tmp)
t.done()
