"""A full disk loses no typing: on a small filesystem filled up during a
call, the save is retried with a short note that fits 80 columns and goes
away once space is freed; a hang-up while the disk is still full keeps the
draft in the spool space reserved at start, and the next start offers it.
Runs as root (it mounts a 4 MB tmpfs)."""
import sys
sys.dont_write_bytecode = True  # the source tree may be read-only (distcheck)
import os
sys.path.insert(0, os.path.join(os.environ.get("SRCDIR", "."), "tests", "tui"))

import subprocess
import time

from tuilib import DOVIRA, Tap, Tui, cleanup, make_env, query, tmpdir

if os.geteuid() != 0:
    print("1..0 # SKIP needs root to mount a small filesystem to fill")
    sys.exit(0)
tmp = tmpdir()
mnt = os.path.join(tmp, "small")
os.mkdir(mnt)
if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mnt],
                  stderr=subprocess.DEVNULL).returncode != 0:
    cleanup(tmp)
    print("1..0 # SKIP this system does not let root mount a tmpfs here")
    sys.exit(0)
t = Tap()
filler = os.path.join(mnt, "filler")


def fill():
    # Unbuffered: a buffered file that hits ENOSPC raises again when it
    # closes, with what it could not write still pending.
    with open(filler, "wb", buffering=0) as f:
        try:
            while True:
                f.write(b"\0" * 65536)
        except OSError:
            pass


try:
    db = os.path.join(mnt, "calls.db")
    subprocess.run([DOVIRA, "--db", db, "init"], check=True, stdout=subprocess.DEVNULL, env=make_env(tmp))
    ui = Tui(tmp, db, args=["--lang", "en"])
    ui.wait_for("New call")
    ui.press("n", wait="What is the call about?")
    # The pending directory there, but its shared wake page not made yet:
    # the save makes it on the full disk, and must not map a page that
    # has no block behind it (a write to it would kill the program).
    pending = db + "-pending"
    os.makedirs(pending, exist_ok=True)
    if os.path.exists(os.path.join(pending, "wake")):
        os.unlink(os.path.join(pending, "wake"))
    fill()
    ui.press("1", wait="Country")
    t.ok(ui.wait_for("the disk is full", timeout=4), "a save on a full disk shows a quiet note and the call goes on", ui.text())
    rows = [r for r in range(ui.rows) if "disk is full" in ui.row(r)]
    t.ok(rows and len(ui.row(rows[0]).rstrip()) <= 80 and "not saved" not in ui.text().lower(),
         "the note fits 80 columns and never says 'not saved'", ui.text())
    os.unlink(filler)
    t.ok(ui.wait_gone("disk is full", timeout=5), "it goes away once a save succeeds", ui.text())
    t.ok(query(db, "SELECT topic FROM calls") == [("consult",)], "and the answer is in the database")

    ui.press("pol", "Enter", wait="Read out")
    ui.press("Tab")
    fill()
    ui.send("Typed on a full disk")
    ui.wait_for("full disk")
    ui.press("Tab")
    ui.wait_for("the disk is full", timeout=6)
    ui.hang_up()
    t.ok(ui.wait_exit(3) == 129, "a hang-up on the full disk ends the program", "status %r" % ui.status)
    ui.close()
    spool = os.path.join(mnt, "spool")
    kept = [f for f in os.listdir(spool) if f.endswith(".draft")]
    text = open(os.path.join(spool, kept[0]), encoding="utf-8", errors="replace").read() if kept else ""
    t.ok("Typed on a full disk" in text, "the draft went to the space the session reserved in the spool", repr(kept))
    os.unlink(filler)
    ui = Tui(tmp, db, args=["--lang", "en"])
    t.ok(ui.wait_for("unfinished call", "full disk"), "the next start offers it", ui.text())
    ui.press("r", wait="question")
    time.sleep(0.3)
    notes = query(db, "SELECT notes FROM calls")[0][0]
    t.ok(notes and "full disk" in notes, "and resuming writes it to the database", repr(notes))
    ui.press("F10")
    ui.wait_exit(3)
    ui.close()
finally:
    subprocess.run(["umount", mnt])
    cleanup(tmp)
t.done()
