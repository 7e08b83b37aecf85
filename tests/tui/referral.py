"""A referral made from inside a call: the directory opens over the notes
of a call in Ukrainian (F4), lists the script's recommendation first with
its star and filters by the caller's raion; the call's clock keeps
running; a referral made by mistake is taken back (F3); the oblast
Department of Social Protection is chosen for the status procedure; Esc
puts the operator back in the notes with the text as typed, and Ctrl-O
over a half-typed answer keeps it too. The saved record holds the
referral (the referrals table) and every answer typed before."""
import sys
sys.dont_write_bytecode = True  # the source tree may be read-only (distcheck)


from tuilib import Tap, Tui, cleanup, new_database, query, tmpdir

t = Tap()
tmp = tmpdir()
db = new_database(tmp)
ui = Tui(tmp, db, lang="uk")


def answer(steps):
    for keys, expect in steps:
        if not ui.press(*keys, wait=expect):
            return t.ok(False, "after %r the screen asks about %r" % (keys, expect), ui.text())
    return True


ui.wait_for("Новий дзвінок")
ui.press("n", wait="Про що дзвінок?")
code = ui.row(0).split("дзвінок")[1].split()[0]
answer([(("1",), "Країна")])        # topic: consultation before leaving
ui.press("Поль")
ui.wait_for("Пошук: Поль")
ui.key("\x0f")  # Ctrl-O
t.ok(ui.wait_for("\u2605"), "Ctrl-O opens the directory over a half-typed answer", ui.text())
ui.key("Esc")
t.ok(ui.wait_for("Країна", "Пошук: Поль", "Польща"), "and Esc brings it back as it was", ui.text())
answer([
    (("Enter",), "Прочитайте"),      # Poland
    (("т",), "безпечно"),            # the notice read out
    (("т",), "Хто телефонує?"),      # safe to talk
    (("1",), "Стать"),               # the person themself
    (("1",), "Вік"),                 # female
    (("5",), "Де живе"),             # 24-26
    (("4",), "окупацією"),           # Melitopol raion
    (("т",), "Мова"),                # occupied now
])
ui.press("Tab")
ui.send("Дзвонить уже вдруге")
t.ok(ui.wait_for("Дзвонить уже вдруге"), "notes are typed during the call", ui.text())

ui.key("F4")
t.ok(ui.wait_for("Пошук:", "\u2605"), "F4 opens the directory over the notes", ui.text())
t.ok(code in ui.row(0), "the title bar still shows the call", ui.row(0))
t.ok("\u2605" in ui.row(4) and "527" in ui.row(4), "the script's recommendation (527) comes first, starred", ui.text())
t.ok("Мелітопольський район" in ui.row(2), "the area filter is the caller's raion", ui.row(2))
timer = ui.row(0).split()[-1]
t.ok(ui.until(lambda: ui.row(0).split()[-1] != timer, 3), "the call's clock keeps running in the directory",
     "%s -> %s" % (timer, ui.row(0).split()[-1]))

ui.key("F2")
t.ok(ui.until(lambda: "\u2713" in ui.row(4)), "F2 refers the caller to the highlighted line (one service: no question)", ui.text())
ui.key("F3")
t.ok(ui.until(lambda: "\u2713" not in ui.row(4) and "\u2605" in ui.row(4)), "F3 takes the referral made by mistake back", ui.text())
t.ok(query(db, "SELECT count(*) FROM referrals")[0][0] == 0, "and it is gone from the database")

ui.press("департ")
t.ok(ui.until(lambda: "Департамент" in ui.row(4)), "typing департ finds the Department", ui.text())
ui.key("F2")
t.ok(ui.wait_for("Направити до", "1  ", "2  "), "an entry with two services asks which one", ui.text())
ui.press("1")
t.ok(ui.until(lambda: "\u2713" in ui.row(4) and "Департамент" in ui.row(4)), "1 records the first (the status procedure)", ui.text())

ui.key("Esc")
t.ok(ui.until(lambda: "Пошук:" in ui.text() and "департ" not in ui.text()), "the first Esc clears the search, the directory stays", ui.text())
ui.key("Esc")
t.ok(ui.wait_for("Мова розмови", "Дзвонить уже вдруге"), "Esc goes back to the same question with the notes as typed", ui.text())
ui.send(" ще раз")
t.ok(ui.wait_for("Дзвонить уже вдруге ще раз"), "the cursor is where it was: typing goes on at the end of the notes", ui.text())
ui.press("Tab")
answer([
    (("1",), "Мета"),                # Ukrainian
    (("1",), "Тривожні"),            # work
    (("1", "6", "Enter"), "заплатили"), # fee, too good
    (("н",), "Звідки"),              # no money paid
    (("1",), "раніше"),              # internet
    (("н",), "повторний дзвінок"),   # not called before
    (("н",), "Результат"),           # no call-back
    (("1",), "Нотатки (без імен"),     # information given
])
ui.press("Tab", wait="Код звернення")
t.ok(ui.wait_for("[x]", "0800 503 508"), "the summary lists the referral made, with the Department's telephone", ui.text())
t.ok(any("[x]" in line and "статус" in line for line in ui.screen.display),
     "and the service it is for", ui.text())
ui.press("F9", wait="Збережено")
t.ok(code in ui.text(), "the call is saved", ui.text())

rows = query(db, "SELECT r.org_id, r.service, r.recommended FROM referrals r JOIN calls c ON c.id = r.call_id"
             " WHERE c.case_code = ? AND c.status = 'final'", (code,))
t.ok(rows == [("dszn-zoda", "status", 0)], "the saved record refers to the Department for the status procedure", repr(rows))
r = query(db, "SELECT topic, caller_role, gender, age_band, raion, language, country, notes FROM calls WHERE case_code = ?", (code,))[0]
t.ok(r[:7] == ("consult", "self", "female", "24-26", "melitopolskyi", "uk", "PL"),
     "the answers given before and after the directory are all in the record", repr(r))
t.ok(r[7] == "Дзвонить уже вдруге ще раз", "so are the notes typed around it", repr(r[7]))
acts = [a for (a,) in query(db, "SELECT action FROM audit WHERE action LIKE 'call.%refer' ORDER BY seq")]
t.ok(acts == ["call.refer", "call.unrefer", "call.refer"], "every referral made and taken back is audited", repr(acts))

ui.press("q")
t.ok(ui.wait_exit(3) == 0, "q quits", "status %r" % ui.status)
ui.close()
cleanup(tmp)
t.done()
