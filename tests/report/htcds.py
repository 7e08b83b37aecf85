#!/usr/bin/python3
# `dovira export htcds` on calls of the current script and of the older
# versions: the means of control reach CTDC's meansOfControl* columns
# (the current script asks them at the step "control", 2026.11 and
# 2026.12 at "ua_signs" and "ilo"), every combination written is shared by
# k rows, and the summary line counts what was written, dropped and
# generalised. TAP output.
import csv
import io
import os
import re
import sqlite3
import subprocess
import sys
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from replib import DOVIRA, Tap, workspace  # noqa: E402

tap = Tap()
ok = tap.ok
tmp, db, env = workspace("dovira-htcds-", "d.db")

SUMMARY = re.compile(r"k = (\d+): (\d+) rows written, (\d+) dropped \(in combinations seen fewer than k times\);"
                     r" generalised: (.*); forms of exploitation: (\d+) rows with the flags, (\d+) with the type only,"
                     r" (\d+) hidden; means of control: (\d+) rows with the flags, (\d+) with their count only, (\d+) hidden")


def run(*args, check=True, database=None):
    p = subprocess.run([DOVIRA, "--db", database or db] + list(args), env=env, capture_output=True)
    if check and p.returncode != 0:
        raise SystemExit("Bail out! dovira %s: %s" % (" ".join(args), p.stderr.decode()))
    return p


def export(k, database=None):
    p = run("export", "htcds", "--k", str(k), database=database)
    rows = list(csv.reader(io.StringIO(p.stdout.decode("utf-8-sig"))))
    return rows[0], rows[1:], p.stderr.decode()


def moc_columns(head):
    return [i for i, h in enumerate(head) if h.startswith("meansOfControl") and h != "meansOfControlCount"]


def at_risk(database):
    con = sqlite3.connect(database)
    n = con.execute("SELECT count(*) FROM calls WHERE status = 'final' AND kind = 'data'"
                    " AND risk IN ('possible','likely')").fetchone()[0]
    con.close()
    return n


# ---- a training database of the current script ----
run("init")
run("demo", "--calls", "6000", "--seed", "3", "--years", "2")
con = sqlite3.connect(db)
version = con.execute("SELECT DISTINCT script_version FROM calls").fetchall()
n_control = con.execute("SELECT count(*) FROM answers a JOIN calls c ON c.id = a.call_id WHERE a.step = 'control'"
                        " AND a.value <> 'none' AND c.risk IN ('possible','likely') AND c.status = 'final'").fetchone()[0]
con.close()
cur = re.search(r"(?m)^version: (\S+)", open(os.path.join(os.environ["SRCDIR"], "data/intake.script"),
                                            encoding="utf-8").read()).group(1)
ok(version == [(cur,)] and n_control > 0, "the demo's calls are of the current script and name means of control",
   (version, n_control))

head, body, summary = export(11)
m = SUMMARY.search(summary)
ok(m, "the summary line of the export", summary)
if m:
    k, written, dropped = int(m.group(1)), int(m.group(2)), int(m.group(3))
    expl_rows = [int(m.group(i)) for i in (5, 6, 7)]
    moc_rows = [int(m.group(i)) for i in (8, 9, 10)]
    ok(k == 11 and written == len(body) and written + dropped == at_risk(db),
       "it counts the rows written and dropped: every possible or likely call is one or the other",
       (summary, len(body), at_risk(db)))
    ok(dropped * 20 <= written + dropped, "at most 5% of the rows are dropped", summary)
    ok(sum(expl_rows) == written and sum(moc_rows) == written, "and says how each written row shows its flags", summary)
    mc = moc_columns(head)
    shown = sum(1 for r in body if all(r[i] in ("0", "1") for i in mc))
    ok(shown == moc_rows[0] and shown > 0, "means-of-control columns are not all empty: as many rows show them as the summary says",
       (shown, moc_rows))
    counted = sum(1 for r in body if r[head.index("meansOfControlCount")] not in ("*", ""))
    ok(counted == moc_rows[0] + moc_rows[1], "the rows without the flags but with their count", (counted, moc_rows))
qi = [i for i, h in enumerate(head) if h != "traffickingStatus"]
combos = Counter(tuple(r[i] for i in qi) for r in body)
ok(body and min(combos.values()) >= 11, "every combination written is shared by at least 11 rows",
   sorted(combos.values())[:5])
_, body2, summary2 = export(2)
m2 = SUMMARY.search(summary2)
ok(m2 and int(m2.group(8)) > int(m.group(8)) if m else False,
   "a smaller k keeps the means-of-control flags of more rows", (summary, summary2))
real = [i for i in moc_columns(head) if head[i] not in ("meansOfControlNotSpecified", "meansOfControlOther")]
with_flag = sum(1 for r in body2 if any(r[i] == "1" for i in real))
ok(with_flag > 0, "at k = 2 the demo's own control answers show as meansOfControl flags", (with_flag, summary2))
combos2 = Counter(tuple(r[i] for i in qi) for r in body2)
ok(body2 and min(combos2.values()) >= 2, "every combination shared by at least 2 rows at k = 2", sorted(combos2.values())[:5])

# ---- calls of the current and of an older version, made alike ----
# Twenty calls of 2026.11 (ua_signs, ilo) and twenty of the current
# script (control), alike in everything else, so that each group is one
# combination of k = 11 and shows its flags.
db2 = os.path.join(tmp, "v.db")
run("init", database=db2)
run("demo", "--calls", "400", "--seed", "5", "--years", "1", database=db2)
con = sqlite3.connect(db2)
ids = [r[0] for r in con.execute("SELECT id FROM calls WHERE status = 'final' AND kind = 'data'"
                                 " AND risk IN ('possible','likely') ORDER BY id LIMIT 40")]
ok(len(ids) == 40, "the small demo has 40 calls at risk", len(ids))
con.execute("UPDATE calls SET risk = 'none' WHERE risk IN ('possible','likely') AND id NOT IN (%s)"
            % ",".join("?" * len(ids)), ids)
for n, cid in enumerate(ids):
    old = n < 20
    con.execute("UPDATE calls SET gender = 'female', age_band = '21-23', country = 'PL', risk = 'likely',"
                " started_at = '2026-03-0' || ? || 'T10:00:00Z', script_version = ? WHERE id = ?",
                (1 + n % 9, "2026.11" if old else cur, cid))
    con.execute("DELETE FROM answers WHERE call_id = ? AND step IN ('control','ua_signs','ilo','exploitation','recruiter')",
                (cid,))
    answers = ({"ua_signs": "documents,forced-work,pay-withheld", "ilo": "debt,overtime"} if old
               else {"control": "documents,debt,substances,law-threat"})
    answers.update(exploitation="labour,sexual", recruiter="friend")
    for step, value in answers.items():
        con.execute("INSERT INTO answers(call_id, step, value) VALUES (?, ?, ?)", (cid, step, value))
con.commit()
con.close()
head, body, summary = export(11, db2)
flags = Counter(tuple(h for h in (head[i] for i in moc_columns(head)) if r[head.index(h)] == "1") for r in body)
want_old = ("meansOfControlDebtBondage", "meansOfControlExcessiveWorkingHours", "meansOfControlWithholdsDocuments",
            "meansOfControlTakesEarnings")
want_new = ("meansOfControlDebtBondage", "meansOfControlPsychoactiveSubstances", "meansOfControlThreatOfLawEnforcement",
            "meansOfControlWithholdsDocuments")
got = {tuple(sorted(f)): n for f, n in flags.items()}
ok(got == {tuple(sorted(want_old)): 20, tuple(sorted(want_new)): 20},
   "the current script's control codes and the older ua_signs and ilo codes reach their CTDC columns", (got, summary))
row = dict(zip(head, body[0])) if body else {}
ok(row.get("isForcedLabour") == "1" and row.get("isSexualExploit") == "1" and row.get("isSexAndLabour") == "1"
   and row.get("RecruiterRelationship") == "Friend" and row.get("meansOfControlCount") == "3"
   and row.get("meansOfControlNotSpecified") == "0",
   "forms of exploitation, recruiter and the count of the means of control", row)
ok(len(body) == 40 and all(r[head.index("meansOfControlOther")] == "0" for r in body),
   "a form of exploitation on the old checklist (forced work) is no means of control, not Other",
   Counter(r[head.index("meansOfControlOther")] for r in body))

tap.done()
