#!/usr/bin/python3
# A writer is not held back for a whole report: while `dovira report`
# reads a year of calls, another connection commits every few ms, and its
# longest wait for a commit must stay well under the time the report takes
# (a report read in one transaction holds every commit until it ends).
# TAP output.
import os
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from replib import DOVIRA, SRCDIR, BUILDDIR, Tap, workspace  # noqa: E402

tap = Tap()
ok = tap.ok
tmp, db, env = workspace("dovira-writer-", "w.db")


subprocess.run([DOVIRA, "--db", db, "init"], env=env, check=True, capture_output=True)
start = int(datetime(2025, 1, 1, tzinfo=timezone.utc).timestamp())
subprocess.run([os.path.join(BUILDDIR, "tests/report/mkcalls"), db, os.path.join(SRCDIR, "data/intake.script"),
                "4000", "5", str(start), "365"], env=env, check=True)
w = sqlite3.connect(db, timeout=60, isolation_level=None)
w.execute("CREATE TABLE IF NOT EXISTS writer_probe(at REAL)")
w.close()


def report():
    """A year's tables one after another (one alone is now too quick to tell
    one transaction from many); the last failure, or the last run."""
    t0 = time.monotonic()
    bad = None
    for name in ("prevention", "identification", "exploitation", "referrals", "follow-ups"):
        p = subprocess.run([DOVIRA, "--db", db, "report", name, "--period", "2025"], env=env,
                           capture_output=True)
        if p.returncode != 0:
            bad = p
    return time.monotonic() - t0, bad or p


alone, p = report()
ok(p.returncode == 0, "the report runs alone", p.stderr.decode())

waits = []
done = threading.Event()


def writer():
    h = sqlite3.connect(db, timeout=60, isolation_level=None)
    while not done.is_set():
        t0 = time.monotonic()
        h.execute("BEGIN IMMEDIATE")
        h.execute("INSERT INTO writer_probe VALUES (julianday('now'))")
        h.execute("COMMIT")
        waits.append(time.monotonic() - t0)
        time.sleep(0.005)
    h.close()


th = threading.Thread(target=writer)
th.start()
time.sleep(0.05)
took, p = report()
done.set()
th.join()
ok(p.returncode == 0, "the report runs while a writer commits", p.stderr.decode())
longest = max(waits)
print("# report alone %.0f ms, with the writer %.0f ms; %d commits, longest wait %.0f ms"
      % (alone * 1e3, took * 1e3, len(waits), longest * 1e3))
# The report must be long enough for the bound to tell one transaction
# (a wait near the whole report) from short ones.
ok(alone > 0.05, "the report takes long enough to tell (%.0f ms)" % (alone * 1e3))
ok(longest < took / 3, "the writer's longest wait (%.0f ms) is under a third of the report (%.0f ms)"
   % (longest * 1e3, took * 1e3))
tap.done()
