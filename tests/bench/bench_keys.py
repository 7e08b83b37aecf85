"""A keystroke's redraw through the screen stack, as a terminal sees it:
the time from writing a key to the pty until the program has drawn its
answer (the expected text is on the screen, read back with pyte), many
times, p50 and p99 in milliseconds. Run by `make bench`; the programs to
compare are named on the command line (default: DOVIRA, else src/dovira).

What each figure covers: help pushed over the start screen and popped
(F1, F1); the directory pushed and popped (F4, F4); a box over the
directory (F5 opens the choice of area, drawn over the directory with the
one draw-below helper; 1 chooses and pops it); a move in the directory's
list (Down, Up: the list redrawn, nothing pushed).
"""
import os
import select
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.environ.get("SRCDIR", "."), "tests", "tui"))

import tuilib  # noqa: E402
from tuilib import KEYS, Tui, cleanup, new_database, tmpdir  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_KEYS_ROUNDS", "200"))


def timed(ui, key, done, timeout=5.0):
    """Milliseconds from sending key until done(ui) holds."""
    data = KEYS.get(key, key).encode("utf-8")
    t0 = time.perf_counter()
    os.write(ui.fd, data)
    deadline = t0 + timeout
    while not done(ui):
        left = deadline - time.perf_counter()
        if left <= 0:
            raise SystemExit("bench_keys: %s: no answer within %g s\n%s" % (key, timeout, ui.text()))
        r, _, _ = select.select([ui.fd], [], [], left)
        if r:
            chunk = os.read(ui.fd, 65536)
            ui.stream.feed(chunk)
    return (time.perf_counter() - t0) * 1000.0


def quiet(ui, ms=30):
    """Read until the program has been silent for ms (a redraw's tail)."""
    while True:
        r, _, _ = select.select([ui.fd], [], [], ms / 1000.0)
        if not r:
            return
        ui.stream.feed(os.read(ui.fd, 65536))


def shows(text):
    return lambda ui: text in ui.text()


def gone(text):
    return lambda ui: text not in ui.text()


def highlighted(ui):
    """The rows of the directory's list drawn highlighted (a background
    colour, or reverse in monochrome)."""
    rows = []
    for y in range(4, ui.rows - 4):
        line = ui.screen.buffer[y]
        if all(line[x].reverse or line[x].bg != "default" for x in range(2, 20)):
            rows.append(y)
    return rows


def moved(before):
    """Done when one other row is highlighted and the entry's details
    under the list name it: the whole redraw has arrived."""
    def done(ui):
        rows = highlighted(ui)
        if len(rows) != 1 or rows[0] == before:
            return False
        name = ui.screen.display[rows[0]][4:33].strip().rstrip("\u2026")
        return any(ui.screen.display[y].strip().startswith(name) for y in range(ui.rows - 4, ui.rows - 2))
    return done


def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(round(p / 100.0 * (len(v) - 1))))]


def report(name, v):
    print("%-44s n=%4d  p50 %6.2f ms  p99 %6.2f ms" % (name, len(v), pct(v, 50), pct(v, 99)))


NAMES = ("help: push (F1)", "help: pop (F1)", "directory: push (F4)", "directory: pop (F4)",
         "box over the directory: push (F5)", "box over the directory: pop (1)", "directory list: Down/Up")


def rounds(ui, fig, n):
    for _ in range(n):
        fig[NAMES[0]].append(timed(ui, "F1", shows("closes this help")))
        quiet(ui, 5)
        fig[NAMES[1]].append(timed(ui, "F1", gone("closes this help")))
        quiet(ui, 5)
        fig[NAMES[2]].append(timed(ui, "F4", shows("Find:")))
        quiet(ui, 5)
        fig[NAMES[4]].append(timed(ui, "F5", shows("Entries serving or working in:")))
        quiet(ui, 5)
        fig[NAMES[5]].append(timed(ui, "1", gone("Entries serving or working in:")))
        quiet(ui)
        for key in ("Down", "Up"):
            before = (highlighted(ui) or [-1])[0]
            fig[NAMES[6]].append(timed(ui, key, moved(before)))
            quiet(ui, 5)
        fig[NAMES[3]].append(timed(ui, "F4", shows("New call")))
        quiet(ui, 5)


def main():
    """Each program named on the command line (default: DOVIRA) in its own
    terminal, in turns of a few rounds, so that a busy machine weighs on
    every build alike."""
    programs = sys.argv[1:] or [tuilib.DOVIRA]
    tmp = tmpdir()
    runs = []
    for i, prog in enumerate(programs):
        sub = os.path.join(tmp, str(i))
        os.makedirs(sub)
        tuilib.DOVIRA = prog
        ui = Tui(sub, new_database(sub), args=["--lang", "en"])
        ui.wait_for("New call")
        quiet(ui)
        runs.append((prog, ui, {k: [] for k in NAMES}))
    turn = 10
    for done in range(0, ROUNDS, turn):
        for prog, ui, fig in runs:
            rounds(ui, fig, min(turn, ROUNDS - done))
    print("bench_keys: a key to its redraw at 80x24, %d rounds; the machine may be shared,"
          " so compare builds within one run" % ROUNDS)
    for prog, ui, fig in runs:
        print(prog)
        for name in NAMES:
            report(name, fig[name])
        ui.close()
    cleanup(tmp)


main()
