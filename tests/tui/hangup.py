"""Never lose typing: a terminal hang-up in the middle of a call (notes
being typed, not yet saved) saves the draft and ends the program within a
second; the next start offers to resume, and resuming continues at the
same question with the notes kept. Ctrl-C and SIGTERM also save."""
import sys
sys.dont_write_bytecode = True  # the source tree may be read-only (distcheck)

import fcntl
import os
import select
import signal
import struct
import subprocess
import termios
import time

from tuilib import DOVIRA, Tap, Tui, cleanup, make_env, new_database, query, tmpdir

t = Tap()
tmp = tmpdir()
db = new_database(tmp)
ui = Tui(tmp, db, args=["--lang", "en"])
ui.wait_for("New call")
ui.press("n", wait="What is the call about?")
ui.press("1", wait="Country")
ui.press("pol", "Enter", wait="Read out")
ui.press("y", wait="talk safely")
ui.press("y", wait="Who is calling")
ui.press("1", wait="Gender")
ui.press("Tab", wait="no names")
ui.send("Wants to work in Poland; typed just before the line dropped")
t.ok(ui.wait_for("line dropped"), "notes are being typed when the line drops")
start = time.monotonic()
ui.hang_up()
status = ui.wait_exit(3)
took = time.monotonic() - start
t.ok(status is not None and took < 1.0, "the program ends within a second of the hang-up (%.3f s)" % took,
     "status %r after %.3f s" % (status, took))
t.ok(status == 129, "it ends with status 129 (hang-up)", "status %r" % status)
rows = query(db, "SELECT status, step, topic, notes FROM calls")
t.ok(len(rows) == 1 and rows[0][0] == "draft", "the call is kept as a draft", repr(rows))
t.ok(rows[0][3] and "line dropped" in rows[0][3], "with the notes typed before the hang-up", repr(rows))
t.ok(rows[0][1] == "gender" and rows[0][2] == "consult", "and where it was in the script", repr(rows))
ui.close()

ui = Tui(tmp, db, args=["--lang", "en"])
t.ok(ui.wait_for("unfinished call", "line dropped"), "the next start offers to resume it, notes shown", ui.text())
ui.press("r", wait="question 6")  # "Gender" is on the resume screen too
t.ok("line dropped" in ui.text() and "question 6" in ui.text(),
     "resuming continues at the same question with the notes kept", ui.text())
ui.press("2", wait="Age")
t.ok(query(db, "SELECT gender FROM calls") == [("male",)], "and the next answer is saved at once")

# Ctrl-C in the middle of a call: a quit with saving, not a kill.
ui.press("Tab", " More.")
ui.send("\x03")
t.ok(ui.wait_exit(3) == 0, "Ctrl-C quits cleanly", "status %r" % ui.status)
t.ok("More." in query(db, "SELECT notes FROM calls")[0][0], "after saving the notes")
ui.close()

# SIGTERM (the system shutting down): saved as well, within a second.
ui = Tui(tmp, db, args=["--lang", "en"])
ui.wait_for("unfinished call")
ui.press("r", wait="question 7")
ui.press("Tab", " Last words.")
ui.wait_for("words.")  # the notes wrap: "Last" ends one line, "words." starts the next
start = time.monotonic()
os.kill(ui.pid, signal.SIGTERM)
status = ui.wait_exit(3)
t.ok(status is not None and time.monotonic() - start < 1.0, "SIGTERM ends the program within a second", "status %r" % status)
t.ok("Last words." in query(db, "SELECT notes FROM calls")[0][0], "SIGTERM saves the notes too")
ui.close()

# SIGTSTP is ignored: no way out to a shell under a ForceCommand.
ui = Tui(tmp, db, args=["--lang", "en"])
ui.wait_for("unfinished call")
os.kill(ui.pid, signal.SIGTSTP)
ui.send("\x1a")
time.sleep(0.2)
pid, st = os.waitpid(ui.pid, os.WNOHANG | os.WUNTRACED)
t.ok(pid == 0, "Ctrl-Z and SIGTSTP neither stop nor end the program")
ui.press("d", wait="Discard the unfinished")
ui.send("\u0442")
ui.pump(0.4)
t.ok("Discard the unfinished" in ui.text() and query(db, "SELECT count(*) FROM calls") == [(1,)],
     "\u0442 (where n sits on the Ukrainian layout) does not confirm a discard", ui.text())
ui.press("y", wait="was discarded")
t.ok(query(db, "SELECT count(*) FROM calls") == [(0,)], "d then y discards the draft")
t.ok(query(db, "SELECT count(*) FROM audit WHERE action = 'call.discard'") == [(1,)], "and the discard is audited")
ui.press("q")
ui.wait_exit(3)
ui.close()

# A line that ends without SIGHUP (the terminal is not the controlling one,
# as under some SSH setups): the input reports end of file or EIO, and the
# program still saves and leaves within a second instead of spinning.
master, slave = os.openpty()
fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
p = subprocess.Popen([DOVIRA, "--db", db, "--lang", "en"], stdin=slave, stdout=slave, stderr=slave,
                     env=make_env(tmp), start_new_session=True)
os.close(slave)
screen = b""
deadline = time.monotonic() + 5
while b"New call" not in screen and time.monotonic() < deadline:
    r, _, _ = select.select([master], [], [], 0.1)
    if r:
        screen += os.read(master, 65536)
os.write(master, b"n")
time.sleep(0.3)
os.write(master, b"\t")
os.write(master, "Нотатки без SIGHUP".encode())
time.sleep(0.3)
start = time.monotonic()
os.close(master)
try:
    p.wait(timeout=3)
except subprocess.TimeoutExpired:
    p.kill()
    p.wait()
took = time.monotonic() - start
t.ok(took < 1.0, "end of input without SIGHUP ends the program within a second (%.3f s)" % took)
t.ok(p.returncode == 129, "as a hang-up (status 129)", "status %r" % p.returncode)
notes = query(db, "SELECT notes FROM calls WHERE status = 'draft'")
t.ok(notes and "без SIGHUP" in (notes[0][0] or ""), "with the notes saved", repr(notes))
cleanup(tmp)
t.done()
