"""Figures for a slow SSH link and a small server: the time from starting
dovira to its first full screen (median of 20 runs) and the resident
memory of a running session, at the start screen and in a call. Loose
bounds only catch gross regressions; the numbers are printed."""
import sys
sys.dont_write_bytecode = True  # the source tree may be read-only (distcheck)

import statistics
import time

from tuilib import Tap, Tui, cleanup, new_database, tmpdir

t = Tap()
tmp = tmpdir()
db = new_database(tmp)
times = []
for i in range(20):
    ui = Tui(tmp, db, args=["--lang", "en"])
    if ui.wait_for("New call", "F10/q Quit", timeout=5):
        times.append(time.monotonic() - ui.started)
    ui.press("q")
    ui.wait_exit(3)
    ui.close()
t.ok(len(times) == 20, "the first screen came in each of 20 runs")
med = statistics.median(times)
t.note("time to the first screen: median %.1f ms, min %.1f ms, max %.1f ms over %d runs"
       % (med * 1000, min(times) * 1000, max(times) * 1000, len(times)))
t.ok(med < 1.0, "the first screen comes within a second (median %.0f ms)" % (med * 1000))

ui = Tui(tmp, db, args=["--lang", "en"])
ui.wait_for("New call")
rss_start = ui.vmrss_kb()
ui.press("n", wait="What is the call about?")
ui.press("4", "n", "1", wait="Country")
ui.press("Tab")
ui.paste("long notes " * 2000)
ui.wait_for("long notes")
ui.press("Tab")
rss_call = ui.vmrss_kb()
t.note("resident memory (VmRSS): %d kB at the start screen, %d kB in a call with 22 kB of notes" % (rss_start, rss_call))
t.ok(0 < rss_call < 64 * 1024, "a session stays under 64 MB resident", "%d kB" % rss_call)
ui.press("F10", wait="Leave dovira during the call")
ui.press("y")
ui.wait_exit(3)
ui.close()
cleanup(tmp)
t.done()
