"""A whole consultation call in Ukrainian, from the start screen to the
saved record: digits pick options, typing finds the country, notes are typed and redacted, one key saves; the database holds
the coded fields and only the redacted notes."""
import sys
sys.dont_write_bytecode = True  # the source tree may be read-only (distcheck)

from tuilib import Tap, Tui, cleanup, new_database, query, tmpdir

t = Tap()
tmp = tmpdir()
db = new_database(tmp)
ui = Tui(tmp, db, lang="uk")
t.ok(ui.wait_for("Новий дзвінок"), "the start screen is in Ukrainian", ui.text())

ui.press("n", wait="Про що дзвінок?")
t.ok("питання 1 з" in ui.text() and "00:0" in ui.row(0), "the call shows the question, where it is and the timer", ui.text())
code = ui.row(0).split("дзвінок")[1].split()[0]
t.ok(len(code) == 9 and code[4] == "-", "the title bar shows the case code", ui.row(0))

steps = [
    (("1",), "Країна"),                         # topic: consultation
    (("Поль", "Enter"), "Прочитайте"),          # country: Poland, by typing
    (("т",), "безпечно"),                       # notice read out (Ukrainian т)
    (("т",), "Хто телефонує?"),                 # safe to talk
    (("1",), "Стать"),                          # caller: the person
    (("1",), "Вік"),                            # gender: female
    (("5",), "Де живе"),                        # age band 24-26: the fifth
    (("4",), "окупацією"),                      # raion: Melitopolskyi, the fourth
    (("т",), "Мова"),                           # occupied now: yes
    (("1",), "Мета"),                           # language: Ukrainian
    (("1",), "Тривожні"),                       # purpose: work
    (("1", "6", "Enter"), "заплатили"),         # red flags: fee, too good
    (("н",), "Звідки"),                         # no money paid yet
    (("1",), "раніше"),                         # heard from: internet
    (("н",), "повторний дзвінок"),              # not called before
    (("н",), "Результат"),                      # call-back: no (Ukrainian н)
    (("1",), "Нотатки (без імен"),              # outcome: information given
]
for keys, expect in steps:
    ok = ui.press(*keys, wait=expect)
    if not ok:
        t.ok(False, "after %r the screen asks about %r" % (keys, expect), ui.text())
        break
else:
    t.ok(True, "every question of the consultation answered with a digit or a few typed letters")

# Notes, with a telephone number and a card the redactor must replace.
ui.send("Агенція «Праця» просить 300 євро за візу. Телефон агенції +48 501 234 567, карта 4111 1111 1111 1111.")
t.ok(ui.wait_for("+48 501 234 567"), "notes are typed in Ukrainian and shown as typed", ui.text())
ui.press("Tab", wait="Нотатки, як їх буде збережено")
t.ok(ui.wait_for("[PHONE]", "[CARD]", "Замінено 2 фрагменти"), "the summary shows the notes as stored and what was replaced", ui.text())
t.ok("Порада перед виїздом" in ui.text() and "Польща" in ui.text(), "the summary lists the answers by their labels", ui.text())
t.ok("527" in ui.text() and "Національна гаряча лінія" in ui.text(), "the summary shows the referral the script recommends, with its telephone", ui.text())
ui.press("F9", wait="Збережено")
t.ok(code in ui.text() and "Новий дзвінок" in ui.text(), "one key saves and the start screen is back, clean", ui.text())
t.ok("досить назвати код." in ui.text() and "\u2026" not in ui.row(22),
     "the saved message fits 80 columns whole: a caller who calls back says only the code", ui.row(22))
t.note("keys pressed for the consultation, notes not counted: %d" % ui.presses)

rows = query(db, "SELECT status, topic, caller_role, gender, age_band, raion, language, country, outcome, callback, notes, case_code"
             " FROM calls WHERE kind = 'data'")
t.ok(len(rows) == 1, "one data call is in the database", repr(rows))
r = rows[0]
t.ok(r[:10] == ("final", "consult", "self", "female", "24-26", "melitopolskyi", "uk", "PL", "info", 0),
     "its coded fields are the answers given", repr(r))
t.ok("+48" not in r[10] and "4111" not in r[10] and "[PHONE]" in r[10] and "[CARD]" in r[10],
     "its notes are stored redacted", repr(r[10]))
t.ok(r[11] == code, "its case code is the one shown", repr(r[11]))
ans = dict(query(db, "SELECT step, value FROM answers"))
t.ok(ans.get("consult_purpose") == "work" and ans.get("red_flags") == "fee,too-good" and ans.get("occupied") == "yes",
     "the other answers are kept beside the record", repr(ans))

ui.press("q")
t.ok(ui.wait_exit(3) == 0, "q quits", "status %r" % ui.status)
ui.close()
cleanup(tmp)
t.done()
