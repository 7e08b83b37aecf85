#!/usr/bin/python3
# dovira retention: old notes are gone from the file and its journal,
# old times keep only the hour, recent calls and coded fields are
# untouched, every change is audited, and --dry-run changes nothing. TAP.
import os
import re
import sqlite3
import subprocess
import sys
from datetime import datetime, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from replib import DOVIRA, SRCDIR, BUILDDIR, Tap, workspace  # noqa: E402

tap = Tap()
ok = tap.ok
tmp, db, env = workspace("dovira-retention-", "t.db")


NOW = int(datetime(2026, 12, 1, 12, tzinfo=timezone.utc).timestamp())


def run(*args, now=NOW, conf=None):
    e = dict(env, DOVIRA_FAKE_TIME=str(now))
    if conf:
        e["DOVIRA_CONF"] = conf
    p = subprocess.run([DOVIRA, "--db", db] + list(args), env=e, capture_output=True)
    return p


run("init")
# A year of calls before NOW.
subprocess.run([os.path.join(BUILDDIR, "tests/report/mkcalls"), db, os.path.join(SRCDIR, "data/intake.script"),
                "400", "5", str(NOW - 365 * 86400), "365"], env=env, check=True)
con = sqlite3.connect(db)


def calls():
    return {r[0]: r[1:] for r in con.execute(
        "SELECT id, started_at, ended_at, notes, topic, risk, raion, country, gender, age_band FROM calls")}


def marker(note):
    m = re.search(r"секретслово\d+ ", note or "")
    return m.group(0).encode() if m else None


def file_bytes():
    data = b""
    for suffix in ("", "-journal", "-wal"):
        if os.path.exists(db + suffix):
            data += open(db + suffix, "rb").read()
    return data


# A supervisor puts the case of one old call under legal hold.
held_code = con.execute("SELECT case_code FROM calls WHERE kind = 'data' AND status = 'final' AND notes IS NOT NULL"
                        " AND case_id IS NULL ORDER BY started_at LIMIT 1").fetchone()[0]
p = run("retention", "hold", held_code)
ok(p.returncode == 0 and held_code.encode() in p.stdout, "retention hold puts a case under legal hold", p.stdout + p.stderr)
held = {r[0] for r in con.execute("SELECT id FROM calls WHERE case_id = (SELECT case_id FROM calls WHERE case_code = ?)",
                                  (held_code,))}
ok(len(held) == 1 and con.execute("SELECT count(*) FROM audit WHERE action = 'case.hold'").fetchone()[0] == 1,
   "the hold is audited (case.hold)")
p = run("retention", "holds")
ok(p.returncode == 0 and p.stdout.decode().startswith(held_code), "retention holds lists it", p.stdout)
before = calls()
notes_cut = datetime.fromtimestamp(NOW - 180 * 86400, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
times_cut = datetime.fromtimestamp(NOW - 30 * 86400, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
old_notes = {k for k, v in before.items() if v[0] < notes_cut and v[2] and k not in held}
new_notes = {k for k, v in before.items() if v[0] >= notes_cut and v[2]}
old_times = {k for k, v in before.items() if v[0] < times_cut and k not in held}
ok(len(old_notes) > 50 and len(new_notes) > 50, "the fixture has notes both older and newer than 180 days")
raw = file_bytes()
ok(all(marker(before[k][2]) in raw for k in list(old_notes)[:20]), "before retention the old notes are in the file")

report_before = run("report", "topics", "--level", "internal", "--period", "2026").stdout
audit0 = con.execute("SELECT count(*) FROM audit").fetchone()[0]
p = run("retention", "--dry-run")
out = p.stdout.decode()
ok(p.returncode == 0 and ("%d calls" % len(old_notes)) in out.splitlines()[0],
   "--dry-run counts the calls whose notes would be cleared", out + p.stderr.decode())
ok(calls() == before and con.execute("SELECT count(*) FROM audit").fetchone()[0] == audit0,
   "--dry-run changes nothing and writes no audit row")

p = run("retention")
out = p.stdout.decode()
ok(p.returncode == 0 and ("%d calls" % len(old_notes)) in out.splitlines()[0], "retention clears as many as the dry run counted",
   out + p.stderr.decode())
after = calls()
ok(all(after[k][2] is None for k in old_notes), "every note older than 180 days is cleared")
ok(all(after[k][2] == before[k][2] for k in new_notes), "notes newer than 180 days are kept")
raw = file_bytes()
left = [k for k in old_notes if marker(before[k][2]) in raw]
ok(not left, "no byte of a cleared note is left in the database file or its journal (secure_delete)",
   "%d notes still found" % len(left))
ok(marker(before[next(iter(new_notes))][2]) in raw, "a kept note is still found in the file (the search works)")
coarse = [k for k in old_times if not after[k][0].endswith(":00:00Z") or (after[k][1] and not after[k][1].endswith(":00:00Z"))]
ok(not coarse, "calls older than 30 days keep only the hour of their start and end", coarse[:5])
ok(all(after[k][0][:13] == before[k][0][:13] for k in old_times), "the date and hour of those calls are unchanged")
recent = [k for k in before if k not in old_times and k not in held]
ok(any(not after[k][0].endswith(":00:00Z") for k in recent) and all(after[k][0] == before[k][0] for k in recent),
   "newer calls keep their minutes and seconds")
ok(all(after[k][3:] == before[k][3:] for k in before), "coded fields stay as they were")
refs = con.execute("SELECT count(*) FROM referrals r JOIN calls c ON c.id = r.call_id"
                   " WHERE c.started_at < ? AND substr(r.made_at, 15) <> '00:00Z' AND c.case_id IS NOT"
                   " (SELECT case_id FROM calls WHERE case_code = ?)", (times_cut, held_code)).fetchone()[0]
ok(refs == 0, "the referrals of those calls keep only the hour too")
ok(all(after[k] == before[k] for k in held), "the calls of the case under legal hold keep their notes and times")
ok(run("report", "topics", "--level", "internal", "--period", "2026").stdout == report_before,
   "the statistics are the same after retention")
rows = con.execute("SELECT detail FROM audit WHERE action = 'retention.run'").fetchall()
ok(rows and sum(int(re.search(r"notes cleared (\d+)", r[0]).group(1)) for r in rows) == len(old_notes),
   "retention is audited (retention.run), the rows adding up to what was cleared", rows[:3])
bad = con.execute("SELECT count(*) FROM answers a JOIN calls c ON c.id = a.call_id"
                  " WHERE a.day IS NOT substr(c.started_at, 1, 10)").fetchone()[0]
ok(bad == 0, "coarsened calls' answers still carry the call's date (the tables find them)", bad)
p = run("check")
ok(p.returncode == 0, "dovira check passes after retention", p.stdout.decode() + p.stderr.decode())
p = run("retention")
ok(p.returncode == 0 and p.stdout.decode().startswith(("cleared the notes of 0 calls", "очищено нотатки 0")),
   "a second run finds nothing left to do", p.stdout.decode())

# Retention finds its candidates in partial indexes of the calls and
# referrals that still have something to clear (schema_reportcase.h): once
# a run is over, the entries past the cut-offs are those of the held case.
FINE = "(%s IS NOT NULL AND substr(%s, 15) <> '00:00Z')"
left_notes = con.execute("SELECT count(*) FROM calls INDEXED BY calls_ret_notes WHERE status = 'final'"
                         " AND notes IS NOT NULL AND started_at < ?", (notes_cut,)).fetchone()[0]
left_times = con.execute("SELECT count(*) FROM calls INDEXED BY calls_ret_times WHERE status = 'final' AND (%s OR %s OR %s)"
                         " AND started_at < ?" % (FINE % ("started_at", "started_at"), FINE % ("ended_at", "ended_at"),
                                                  FINE % ("updated_at", "updated_at")), (times_cut,)).fetchone()[0]
held_old = sum(1 for k in held if before[k][0] < times_cut)
ok(left_notes == sum(1 for k in held if before[k][0] < notes_cut and before[k][2]) and left_times == held_old,
   "the retention indexes hold nothing older than the cut-offs but the held case's calls", (left_notes, left_times, held_old))

p = run("retention", "lift", held_code)
ok(p.returncode == 0 and con.execute("SELECT count(*) FROM audit WHERE action = 'case.unhold'").fetchone()[0] == 1,
   "retention lift lifts the hold, audited (case.unhold)", p.stdout + p.stderr)
run("retention")
ok(all(calls()[k][2] is None for k in held), "after the hold is lifted the next run clears that note too")
p = run("retention", "hold", "ZZZZ-ZZZZ")
ok(p.returncode != 0 and b"ZZZZ-ZZZZ" in p.stderr, "an unknown case code is refused, named", p.stderr)

# A call whose only time left with minutes is a referral's (made later, at
# a desk correction) is found through the referrals' index.
cid = con.execute("SELECT c.id FROM calls c JOIN referrals r ON r.call_id = c.id WHERE c.started_at < ?"
                  " ORDER BY c.started_at LIMIT 1", (times_cut,)).fetchone()[0]
con.execute("UPDATE referrals SET made_at = substr(made_at, 1, 14) || '17:42Z' WHERE call_id = ?", (cid,))
con.commit()
p = run("retention")
out = p.stdout.decode().splitlines()
fine = con.execute("SELECT count(*) FROM referrals WHERE call_id = ? AND substr(made_at, 15) <> '00:00Z'", (cid,)).fetchone()[0]
ok(p.returncode == 0 and fine == 0 and "of 1 calls" in out[1],
   "a call whose only minutes are a referral's is found and its referral coarsened", (fine, out))

conf = os.path.join(tmp, "dovira.conf")
open(conf, "w").write("notes_days = 7\ntime_detail_days = 0\n")
p = run("retention", conf=conf)
ok(p.returncode == 1 and b"dovira.conf:2: time_detail_days" in p.stderr, "a bad value in dovira.conf is named with file:line",
   p.stderr)
open(conf, "w").write("notes_days = 7\n")
p = run("retention", "--dry-run", conf=conf)
want = sum(1 for k, v in calls().items() if v[2] and v[0] < datetime.fromtimestamp(NOW - 7 * 86400, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
ok(p.returncode == 0 and ("%d calls" % want) in p.stdout.decode().splitlines()[0], "notes_days from dovira.conf is used",
   p.stdout.decode() + p.stderr.decode())

# Calls of one case within one hour: retention keeps their order, so that
# a call-back agreed in the first stays done (a later call joined the case)
# and every report count, the follow-ups table and `check` stay the same.
# Before, both times became HH:00:00 and the call-back read "agreed".
tmp2, db2, env2 = workspace("dovira-retention-hour-", "h.db")
START = int(datetime(2026, 10, 1, tzinfo=timezone.utc).timestamp())
subprocess.run([DOVIRA, "--db", db2, "init"], env=env2, capture_output=True, check=True)
subprocess.run([os.path.join(BUILDDIR, "tests/report/mkcalls"), db2, os.path.join(SRCDIR, "data/intake.script"),
                "200", "7", str(START), "2"], env=env2, check=True)
con2 = sqlite3.connect(db2)


def run2(*args):
    return subprocess.run([DOVIRA, "--db", db2] + list(args), env=dict(env2, DOVIRA_FAKE_TIME=str(NOW)),
                          capture_output=True)


# The first hour with three final data calls of no case, the first with a
# call-back agreed: the two later ones join its case (a caller ringing back
# twice within the hour).
trio = con2.execute("SELECT c.case_code, d.case_code, e.case_code FROM calls c JOIN calls d JOIN calls e"
                    " ON substr(d.started_at, 1, 13) = substr(c.started_at, 1, 13) AND d.started_at > c.started_at"
                    " AND substr(e.started_at, 1, 13) = substr(c.started_at, 1, 13) AND e.started_at > d.started_at"
                    " WHERE c.callback = 1 AND d.callback = 1 AND c.case_id IS NULL AND d.case_id IS NULL AND e.case_id IS NULL"
                    " AND 'final' = c.status AND 'final' = d.status AND 'final' = e.status"
                    " AND 'data' = c.kind AND 'data' = d.kind AND 'data' = e.kind ORDER BY c.started_at LIMIT 1").fetchone()
ok(trio and all(run2("calls", "link", code, trio[0]).returncode == 0 for code in trio[1:]),
   "a case gets three calls within one hour, the first two with a call-back agreed", trio)
# More such cases, so that some straddle the chunks a run is cut into
# (64 calls first): in each hour the calls of no case join the case of the
# hour's first.
hours = {}
for code, hour in con2.execute("SELECT case_code, substr(started_at, 1, 13) FROM calls WHERE status = 'final'"
                               " AND case_id IS NULL ORDER BY started_at"):
    hours.setdefault(hour, []).append(code)
links = [(code, codes[0]) for codes in hours.values() for code in codes[1:]]
ok(len(links) > 64 and all(run2("calls", "link", *link).returncode == 0 for link in links),
   "%d more calls join the case of an earlier call of their hour" % len(links))


def case_state():
    """The call-back state of each call (as the tables count them), every
    count the reports read, the order of each case's calls (as the desk
    lists them) and the follow-ups table."""
    cb = sorted(con2.execute("SELECT id, a FROM report_cb_facts"))
    days = sorted(con2.execute("SELECT facet, day, office, ver, a, b, c, n FROM report_days"))
    order = {}  # each case's calls in order, those that started together in one set
    last = {}
    for case, start, cid in con2.execute("SELECT case_id, started_at, id FROM calls WHERE case_id IS NOT NULL"
                                         " AND status = 'final' ORDER BY case_id, started_at"):
        if last.get(case) != start:
            order.setdefault(case, []).append(set())
        order[case][-1].add(cid)
        last[case] = start
    table = run2("report", "follow-ups", "--level", "internal", "--period", "2026").stdout
    return cb, days, order, table


state0 = case_state()
cb0 = dict(state0[0])
ok([cb0[r[0]] for r in con2.execute("SELECT id FROM calls WHERE case_code IN (?, ?) ORDER BY started_at", trio[:2])]
   == ["done", "done"], "before retention both call-backs are done", state0[0])
p = run2("retention")
ok(p.returncode == 0, "retention runs", p.stdout + p.stderr)
state1 = case_state()
ok(state1[0] == state0[0], "retention leaves every call-back as it was (done stays done)",
   [x for x in zip(state0[0], state1[0]) if x[0] != x[1]])
ok(state1[1] == state0[1], "retention leaves every count of the report tables as it was",
   sorted(set(state0[1]) ^ set(state1[1]))[:10])
ok(state1[2] == state0[2], "the calls of every case keep their order",
   [(k, v, state1[2].get(k)) for k, v in state0[2].items() if state1[2].get(k) != v][:3])
ok(state1[3] == state0[3] and state0[3], "the follow-ups table is the same", state1[3])
times = [r[0] for r in con2.execute("SELECT started_at FROM calls WHERE case_code IN (?, ?, ?) ORDER BY started_at", trio)]
ok(len(set(t[:14] for t in times)) == 1 and all(t[14:16] == "00" for t in times) and len(set(times)) == 3,
   "their times keep the hour, no minute, and stay apart", times)
ok(run2("check").returncode == 0, "dovira check passes")
p = run2("retention", "--dry-run")
ok(p.returncode == 0 and b"of 0 calls" in p.stdout.splitlines()[1], "a dry run then finds no time left to coarsen", p.stdout)
p = run2("retention")
ok(p.returncode == 0 and b"of 0 calls" in p.stdout.splitlines()[1] and case_state() == state1,
   "a second run changes nothing", p.stdout)

tap.done()
