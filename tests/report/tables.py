#!/usr/bin/python3
# The report tables against counts made here, independently, from the
# stored calls and answers; and an adversary that tries to recover the
# suppressed cells of the department and public tables from what they
# publish. TAP output.
import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone
from fractions import Fraction
from zoneinfo import ZoneInfo

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from replib import DOVIRA, SRCDIR, BUILDDIR, Tap, workspace  # noqa: E402

tap = Tap()
ok = tap.ok
tmp, db, env = workspace("dovira-report-", "t.db")

KYIV = ZoneInfo("Europe/Kyiv")
OCCUPIED = {"berdianskyi", "melitopolskyi", "polohivskyi", "vasylivskyi", "occupied"}


def run(*args, check=True):
    p = subprocess.run([DOVIRA, "--db", db] + list(args), env=env, capture_output=True)
    if check and p.returncode != 0:
        raise SystemExit("Bail out! dovira %s: %s" % (" ".join(args), p.stderr.decode()))
    return p


run("init")
# 2026-09-20 .. 2027-01-10: a DST change (25 Oct 2026) and a year's end.
start = int(datetime(2026, 9, 20, tzinfo=timezone.utc).timestamp())
subprocess.run([os.path.join(BUILDDIR, "tests/report/mkcalls"), db, os.path.join(SRCDIR, "data/intake.script"),
                "900", "11", str(start), "112"], env=env, check=True)

con = sqlite3.connect(db)
con.row_factory = sqlite3.Row


def bounds(d_from, d_to):
    lo = datetime.fromisoformat(d_from).replace(tzinfo=KYIV).astimezone(timezone.utc)
    hi = (datetime.fromisoformat(d_to) + timedelta(days=1)).replace(tzinfo=KYIV).astimezone(timezone.utc)
    return lo.strftime("%Y-%m-%dT%H:%M:%SZ"), hi.strftime("%Y-%m-%dT%H:%M:%SZ")


def calls_in(d_from, d_to, office=None):
    lo, hi = bounds(d_from, d_to)
    out = []
    for r in allcalls:
        if r["status"] != "final" or r["kind"] == "test":
            continue
        if not (lo <= r["started_at"] < hi):
            continue
        if office and r["office"] != office:
            continue
        out.append(r)
    return out


def load():
    """What the tables count, read afresh from the stored calls."""
    global allcalls, cases, answers, refs, recs
    allcalls = [dict(r) for r in con.execute("SELECT * FROM calls")]
    cases = {r[0]: (r[1], r[2]) for r in con.execute("SELECT id, code, status FROM cases")}
    answers = defaultdict(dict)
    for r in con.execute("SELECT call_id, step, value FROM answers"):
        answers[r[0]][r[1]] = r[2]
    refs = defaultdict(list)
    for r in con.execute("SELECT r.call_id, r.org_id, r.service, r.recommended, o.kind, o.national"
                         " FROM referrals r JOIN orgs o ON o.id = r.org_id"):
        refs[r[0]].append(tuple(r[1:]))
    recs = defaultdict(list)
    for r in con.execute("SELECT call_id, org_id, service FROM recommendations"):
        recs[r[0]].append((r[1], r[2]))


load()


def local(r):
    t = datetime.strptime(r["started_at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    return t.astimezone(KYIV)


def nz(v):
    return v if v is not None else ""


def at_risk(r):
    return r["kind"] == "data" and r["risk"] in ("possible", "likely")


def split(v):
    return [c.strip() for c in v.split(",")] if v else []


# The means of control of script versions before 2026.12.1 (steps ua_signs
# and ilo) under the current codes of control, written out here from the
# meaning of each sign (the HTCDS column both set); signs with no current
# code stay "step:code".
OLD_CONTROL = {
    ("ua_signs", "conditions"): "false-promises", ("ua_signs", "movement"): "movement",
    ("ua_signs", "no-contact"): "no-contact", ("ua_signs", "violence"): "physical",
    ("ua_signs", "documents"): "documents", ("ua_signs", "pay-withheld"): "earnings",
    ("ilo", "deception"): "false-promises", ("ilo", "movement"): "movement", ("ilo", "isolation"): "psychological",
    ("ilo", "violence"): "physical", ("ilo", "threats"): "threats", ("ilo", "documents"): "documents",
    ("ilo", "wages"): "earnings", ("ilo", "debt"): "debt", ("ilo", "conditions"): "necessities",
    ("ilo", "overtime"): "hours",
}


def old_control(ua, ilo):
    """The current codes of a call's ua_signs and ilo answers, each once;
    none only when neither named a sign."""
    out, none = [], False
    for step, v in (("ua_signs", ua), ("ilo", ilo)):
        for c in split(v):
            if c == "none":
                none = True
            elif c:
                m = OLD_CONTROL.get((step, c), "%s:%s" % (step, c))
                if m not in out:
                    out.append(m)
    return out or (["none"] if none else [])


def expected(name, calls):
    """{block index: Counter{(row, col): n}}; col 'calls' for one column."""
    e = defaultdict(Counter)
    data = [r for r in calls if r["kind"] == "data"]
    risky = [r for r in calls if at_risk(r)]
    if name == "volume":
        for r in calls:
            e[0][(local(r).strftime("%Y-%m"), r["kind"])] += 1
    elif name == "topics":
        for r in data:
            e[0][(nz(r["topic"]), nz(r["caller_role"]))] += 1
    elif name == "prevention":
        for r in data:
            a = answers[r["id"]]
            if r["topic"] in ("consult", "offer"):
                e[0][(r["topic"], "calls")] += 1
                e[3][(nz(r["country"]), "calls")] += 1
            if r["topic"] == "consult":
                e[1][(a.get("consult_purpose", ""), "calls")] += 1
            for f in split(a.get("red_flags")):
                e[2][(f, "calls")] += 1
            if "channel" in a:
                e[4][(a["channel"], "calls")] += 1
            e[5][(nz(r["heard_from"]), "calls")] += 1
    elif name == "identification":
        for r in data:
            e[0][(nz(r["topic"]), nz(r["risk"]))] += 1
        for r in risky:
            age = r["age_band"]
            grp = "child" if age in ("0-8", "9-17") else "unknown" if age in (None, "unknown") else "adult"
            e[1][(nz(r["gender"]), grp)] += 1
            groups = set()
            for org, service, rec, kind, national in refs[r["id"]]:
                if service == "status":
                    groups.add("status")
                elif kind == "police":
                    groups.add("police")
                elif kind == "hotline" and national == 1:
                    groups.add("national-line")
            for g in groups:
                e[2][(g, r["risk"])] += 1
    elif name == "exploitation":
        for r in data:
            a = answers[r["id"]]
            if "exploitation" not in a:
                continue
            occ = r["country"] == "UA" and r["raion"] in OCCUPIED
            where = ("occupied" if occ else "ua" if r["country"] == "UA"
                     else "unknown" if r["country"] in (None, "XX") else "abroad")
            for f in split(a["exploitation"]):
                e[0][(f, where)] += 1
            if a["exploitation"] != "unknown":
                e[1][("UA-occupied" if occ else nz(r["country"]), "calls")] += 1
    elif name == "age-gender":
        for r in data:
            e[0][(nz(r["age_band"]), nz(r["gender"]))] += 1
        for r in risky:
            e[1][(nz(r["age_band"]), nz(r["gender"]))] += 1
    elif name == "geography":
        for r in data:
            e[0][(nz(r["raion"]), "calls")] += 1
    elif name == "referrals":
        for r in data:
            made = set()
            for org, service, rec, kind, national in refs[r["id"]]:
                e[0][(org + " " + service, "made")] += 1
                made.add((org, service))
            for org, service in recs[r["id"]]:
                e[0][(org + " " + service, "recommended")] += 1
                if (org, service) not in made:
                    e[0][(org + " " + service, "not-made")] += 1
    elif name == "indicators":
        for r in risky:
            a = answers[r["id"]]
            for f in split(a.get("control")):
                e[0][(f, r["risk"])] += 1
            for f in old_control(a.get("ua_signs"), a.get("ilo")):
                e[0][(f, r["risk"])] += 1
            if "recruiter" in a:
                e[1][(a["recruiter"], r["risk"])] += 1
    elif name == "follow-ups":
        seen_cases = set()
        for r in data:
            k = cases.get(r["case_id"])
            repeat = (k and k[0] != r["case_code"]) or r["heard_from"] == "repeat"
            e[0][("repeat" if repeat else "first", "calls")] += 1
            done = r["callback"] == 1 and r["case_id"] and any(
                o["case_id"] == r["case_id"] and o["started_at"] > r["started_at"] and o["status"] == "final"
                for o in allcalls)
            cb = "done" if done else {1: "agreed", 0: "not-agreed"}.get(r["callback"], "")
            e[1][(cb, "calls")] += 1
            if k and r["case_id"] not in seen_cases:
                seen_cases.add(r["case_id"])
                e[2][(k[1], "cases")] += 1
    return e


def report(name, *args):
    p = run("report", name, "--format", "json", *args)
    return json.loads(p.stdout)


def compare(name, table, exp):
    """Every data cell equals the independent count; totals equal sums."""
    problems = []
    blocks = [b for b in table["blocks"] if not b["measure"]]
    for bi, b in enumerate(blocks):
        cols = [c["code"] for c in b["columns"]]
        seen = set()
        for row in b["rows"]:
            if row["code"] == "total":
                continue
            for ci, code in enumerate(cols):
                if code == "total":
                    continue
                key = (row["code"], code)
                seen.add(key)
                if row["cells"][ci] != exp[bi].get(key, 0):
                    problems.append("%s block %d %s: %r, counted %d" % (name, bi, key, row["cells"][ci], exp[bi].get(key, 0)))
        for key, v in exp[bi].items():
            if key not in seen and v:
                problems.append("%s block %d: %s (%d calls) missing" % (name, bi, key, v))
        if b["col_total"]:
            for row in b["rows"]:
                if row["code"] != "total":
                    want = sum(v for (r, c), v in exp[bi].items() if r == row["code"])
                    if row["cells"][-1] != want:
                        problems.append("%s block %d row %s total %r, counted %d" % (name, bi, row["code"], row["cells"][-1], want))
        if b["row_total"]:
            tot = b["rows"][-1]
            for ci, code in enumerate(cols):
                want = sum(v for (r, c), v in exp[bi].items() if code == "total" or c == code)
                if tot["cells"][ci] != want:
                    problems.append("%s block %d column %s total %r, counted %d" % (name, bi, code, tot["cells"][ci], want))
    return problems


NAMES = ["volume", "topics", "prevention", "identification", "exploitation", "age-gender",
         "geography", "referrals", "indicators", "follow-ups"]
listed = run("report", "list").stdout.decode().split()
ok(all(x in listed for x in NAMES), "report list names the ten tables", listed)

periods = [("--period", "2026-Q4", "2026-10-01", "2026-12-31"),
           ("--period", "2026-10", "2026-10-01", "2026-10-31"),
           ("--from", "2026-10-20", "2026-10-30")]


def check_tables(names, what="", offices=(None,)):
    """Each table of names, over each of the periods (and for each office
    of offices, None for all): every cell and the contacts equal the
    counts made here from what is stored. what starts each test's name."""
    for name in names:
        for p in periods:
            if p[0] == "--from":
                args, d_from, d_to = ["--from", p[1], "--to", p[2]], p[1], p[2]
            else:
                args, d_from, d_to = [p[0], p[1]], p[2], p[3]
            for office in offices:
                args_office = args + (["--office", office] if office else [])
                t = report(name, "--level", "internal", *args_office)
                calls = calls_in(d_from, d_to, office)
                problems = compare(name, t, expected(name, calls))
                if t["contacts"] != len(calls):
                    problems.append("contacts %r, counted %d" % (t["contacts"], len(calls)))
                ok(not problems, "%s%s %s: every cell equals the count made from the stored answers"
                   % (what, name, " ".join(args_office)), "\n".join(problems))


check_tables(NAMES)

# The tables reach answers, referrals and recommendations by the call's date:
# every row carries its call's date (schema_reportday.h).
for tab in ("answers", "referrals", "recommendations"):
    n, bad = con.execute("SELECT count(*), sum(x.day IS NOT substr(c.started_at, 1, 10)) FROM %s x"
                         " JOIN calls c ON c.id = x.call_id" % tab).fetchone()
    ok(n > 0 and bad == 0, "%s: each of the %d rows carries its call's date" % (tab, n), bad)

# Referrals: the fixture has recommendations not made, and the table shows them.
t = report("referrals", "--level", "internal", "--period", "2026-Q4")
b = t["blocks"][0]
codes = [c["code"] for c in b["columns"]]
notmade = b["rows"][-1]["cells"][codes.index("not-made")] if "not-made" in codes else 0
ok(codes == ["recommended", "made", "not-made"] and notmade > 0,
   "referrals: recommended, made and recommended-not-made columns (%d not made in 2026-Q4)" % notmade, codes)

# Indicators count the script's means of control (step control), and the fixture has some.
t = report("indicators", "--level", "internal", "--period", "2026-Q4")
b = t["blocks"][0]
ok(b["rows"] and b["rows"][-1]["cells"][-1] > 0,
   "indicators: the means of control of possible and likely calls are counted (%r in 2026-Q4)"
   % (b["rows"][-1]["cells"][-1] if b["rows"] else None))

# One office only.
t = report("topics", "--level", "internal", "--period", "2026-Q4", "--office", "north")
calls = calls_in("2026-10-01", "2026-12-31", "north")
ok(not compare("topics", t, expected("topics", calls)) and t["contacts"] == len(calls),
   "--office north counts only that office's calls")

# Test calls exist in the fixture and are left out.
ntest = con.execute("SELECT count(*) FROM calls WHERE kind = 'test'").fetchone()[0]
t = report("volume", "--level", "internal", "--period", "2026-Q4")
ok(ntest > 0 and "test" not in [c["code"] for c in t["blocks"][0]["columns"]],
   "the fixture has %d test calls and volume has no column for them" % ntest)

# Volume's measures: the median duration and the share outside Mon-Fri 09-18 (Kyiv) per month.
mb = [b for b in t["blocks"] if b["measure"]][0]
probs = []
for row in mb["rows"]:
    cs = [r for r in calls_in("2026-10-01", "2026-12-31") if local(r).strftime("%Y-%m") == row["code"]]
    d = sorted(r["duration_s"] or 0 for r in cs)
    k = len(d)
    med = (d[k // 2] if k % 2 else (d[k // 2 - 1] + d[k // 2]) // 2) if k else None
    out = sum(1 for r in cs if local(r).weekday() >= 5 or not 9 <= local(r).hour < 18)
    share = (out * 1000 + k // 2) // k if k else None
    got = row["cells"]
    if k and (got[0] != med or got[1] != share):
        probs.append("%s: %r, counted %r %r" % (row["code"], got, med, share))
ok(not probs, "volume: median duration and share outside working hours equal those counted here", "\n".join(probs))

# ---- the adversary ----


def lines_of(b):
    """The published equations of a block: each line's cells add up to its total."""
    rows = b["rows"]
    ncols = len(b["columns"])
    nrows = len(rows)
    eqs = []
    data_r = nrows - 1 if b["row_total"] else nrows
    data_c = ncols - 1 if b["col_total"] else ncols
    if b["row_total"]:
        for c in range(ncols):
            eqs.append([((r, c), 1) for r in range(data_r)] + [((nrows - 1, c), -1)])
    if b["col_total"]:
        for r in range(nrows):
            eqs.append([((r, c), 1) for c in range(data_c)] + [((r, ncols - 1), -1)])
    return eqs


def attack(b, level):
    """Cells the adversary pins down: exact elimination, then intervals."""
    cells = {}
    for ri, row in enumerate(b["rows"]):
        for ci, v in enumerate(row["cells"]):
            cells[(ri, ci)] = v
    hidden = [k for k, v in cells.items() if isinstance(v, str)]
    eqs = lines_of(b)
    idx = {k: i for i, k in enumerate(hidden)}
    # exact: Gauss-Jordan over the rationals
    m = []
    for eq in eqs:
        row = [Fraction(0)] * len(hidden)
        rhs = Fraction(0)
        for k, coef in eq:
            if k in idx:
                row[idx[k]] += coef
            else:
                rhs -= coef * cells[k]
        if any(row):
            m.append(row + [rhs])
    pinned = set()
    r = 0
    for c in range(len(hidden)):
        p = next((i for i in range(r, len(m)) if m[i][c] != 0), None)
        if p is None:
            continue
        m[r], m[p] = m[p], m[r]
        m[r] = [x / m[r][c] for x in m[r]]
        for i in range(len(m)):
            if i != r and m[i][c] != 0:
                f = m[i][c]
                m[i] = [a - f * b_ for a, b_ in zip(m[i], m[r])]
        r += 1
    for row in m[:r]:
        nzs = [i for i, x in enumerate(row[:-1]) if x != 0]
        if len(nzs) == 1:
            pinned.add(hidden[nzs[0]])
    # intervals
    inf = float("inf")
    lo = {k: (1 if cells[k] == "<5" else 0) for k in hidden}
    hi = {k: (4 if cells[k] == "<5" else inf) for k in hidden}
    for _ in range(200):
        changed = False
        for eq in eqs:
            hs = [(k, c) for k, c in eq if k in idx]
            known = sum(c * cells[k] for k, c in eq if k not in idx)
            for k, c in hs:
                # c*x_k = -known - sum others
                olo = sum((c2 * lo[k2] if c2 > 0 else c2 * hi[k2]) for k2, c2 in hs if k2 != k)
                ohi = sum((c2 * hi[k2] if c2 > 0 else c2 * lo[k2]) for k2, c2 in hs if k2 != k)
                a, b2 = -known - ohi, -known - olo
                if c < 0:
                    a, b2 = -b2, -a
                if a > lo[k]:
                    lo[k], changed = a, True
                if b2 < hi[k]:
                    hi[k], changed = b2, True
        if not changed:
            break
    for k in hidden:
        if hi[k] - lo[k] < 0.5:
            pinned.add(k)
    return pinned


for level, kmax in (("department", 4), ("public", 10)):
    for name in NAMES:
        t = report(name, "--level", level, "--period", "2026-Q4")
        shown_small = []
        pinned = []
        for b in t["blocks"]:
            for row in b["rows"]:
                for v in row["cells"]:
                    if not b["measure"] and isinstance(v, int) and 1 <= v <= kmax:
                        shown_small.append((b["title"], row["code"], v))
            if not b["measure"]:
                pinned += [(b["title"], b["rows"][r]["code"], c) for r, c in attack(b, level)]
        for i, b in enumerate(t["blocks"]):
            if b["measure"] and i > 0:
                for row, crow in zip(b["rows"], t["blocks"][i - 1]["rows"]):
                    if isinstance(crow["cells"][-1], str) and not all(isinstance(v, str) for v in row["cells"]):
                        shown_small.append(("a measure of a hidden count", row["code"], row["cells"]))
        ok(not shown_small, "%s at %s: no cell from 1 to %d is shown, nor a measure of a hidden count" % (name, level, kmax),
           shown_small)
        ok(not pinned, "%s at %s: the adversary pins down no hidden cell from the totals" % (name, level), pinned)

# Public: nothing finer than a quarter, occupied raions merged.
p = run("report", "topics", "--level", "public", "--period", "2026-11", check=False)
ok(p.returncode == 2 and b"quarter" in p.stderr, "a public table for one month is refused, naming quarters", p.stderr)
t = report("volume", "--level", "public", "--period", "2026-Q4")
ok([r["code"] for r in t["blocks"][0]["rows"]] == ["2026-Q4", "total"], "public volume has one row per quarter",
   [r["code"] for r in t["blocks"][0]["rows"]])
t = report("geography", "--level", "public", "--period", "2026-Q4")
codes = [r["code"] for r in t["blocks"][0]["rows"]]
ok("occupied" in codes and not OCCUPIED - {"occupied"} & set(codes), "public geography merges the occupied raions", codes)

# Exports are audited with their level.
before = con.execute("SELECT count(*) FROM audit WHERE action = 'report.export'").fetchone()[0]
run("report", "topics", "--level", "public", "--period", "2026")
row = con.execute("SELECT count(*), max(detail) FROM audit WHERE action = 'report.export' AND seq = (SELECT max(seq) FROM audit)").fetchone()
after = con.execute("SELECT count(*) FROM audit WHERE action = 'report.export'").fetchone()[0]
ok(after == before + 1 and "level=public" in (row[1] or ""), "each run is audited as report.export with its level", row[1])

# CSV: a byte order mark, Cyrillic intact, no cell a spreadsheet would take for a formula.
p = subprocess.run([DOVIRA, "--db", db, "--lang", "uk", "report", "topics", "--period", "2026-Q4", "--format", "csv"],
                   env=env, capture_output=True)
raw = p.stdout
text = raw[3:].decode("utf-8")
cells = [c for rec in csv.reader(io.StringIO(text)) for c in rec]
ok(raw[:3] == b"\xef\xbb\xbf", "the CSV starts with the UTF-8 byte order mark")
ok("Про що дзвінок" in text or "Порада перед виїздом" in text, "the CSV holds the Ukrainian labels intact")
ok(not [c for c in cells if c[:1] in ("=", "+", "-", "@")], "no CSV cell begins with = + - @")

# ---- microdata for researchers ----
p = run("export", "htcds", "--k", "11")
rows = list(csv.reader(io.StringIO(p.stdout[3:].decode("utf-8"))))
head, body = rows[0], rows[1:]
n_at_risk = con.execute("SELECT count(*) FROM calls WHERE status = 'final' AND kind = 'data'"
                        " AND risk IN ('possible','likely')").fetchone()[0]
summary = p.stderr.decode()
import re
m = re.search(r"(\d+) rows written, (\d+) dropped", summary)
ok(p.stdout[:3] == b"\xef\xbb\xbf" and "yearOfRegistration" in head and "ageBroad" in head and "RecruiterRelationship" in head
   and "isForcedLabour" in head and "meansOfControlDebtBondage" in head, "export htcds has the HTCDS/CTDC column names", head)
ok(m and int(m.group(1)) == len(body) and int(m.group(1)) + int(m.group(2)) == n_at_risk,
   "one row per possible or likely call, the rest counted as dropped in the summary line", (summary, len(body), n_at_risk))
ok(not any("секретслово" in c or len(c) > 25 or re.search("[а-яіїєґ]", c, re.I) for r in body for c in r) and "notes" not in " ".join(head).lower(),
   "no free text in the microdata")
qi = [i for i, h in enumerate(head) if h != "traffickingStatus"]
combos = Counter(tuple(r[i] for i in qi) for r in body)
ok(body and min(combos.values()) >= 11, "every combination of the quasi-identifiers occurs at least 11 times",
   sorted(combos.values())[:5])
p2 = run("export", "htcds", "--k", "2")
body2 = list(csv.reader(io.StringIO(p2.stdout[3:].decode("utf-8"))))[1:]
combos2 = Counter(tuple(r[i] for i in qi) for r in body2)
ok(min(combos2.values()) >= 2 and len(combos2) > len(combos), "a smaller k keeps more detail", (len(combos2), len(combos)))
n_audit = con.execute("SELECT count(*) FROM audit WHERE action = 'export.htcds'").fetchone()[0]
ok(n_audit == 2, "each export is audited (export.htcds)", n_audit)
p = run("export", "htcds", "--k", "1", check=False)
ok(p.returncode == 2 and b"--k" in p.stderr, "k under 2 is refused", p.stderr)

# ---- corrections, cases and retention keep the counts exact ----
# The tables read counts that triggers keep (schema_reportagg.h): a
# supervisor's corrections, a call linked to a case, a case closed and
# retention's coarsened times must each leave every cell equal to a count
# made afresh from what is stored.
fixes = []
target = con.execute("SELECT id, case_code, version, topic, risk FROM calls WHERE status = 'final' AND kind = 'data'"
                     " AND risk = 'possible' AND started_at >= '2026-10-05' AND started_at < '2026-12-20'"
                     " AND id IN (SELECT call_id FROM referrals) AND id IN (SELECT call_id FROM answers WHERE step = 'exploitation')"
                     " ORDER BY started_at LIMIT 1").fetchone()
new_topic = con.execute("SELECT topic FROM calls WHERE kind = 'data' AND topic IS NOT NULL AND topic <> ?"
                        " ORDER BY topic LIMIT 1", (target[3],)).fetchone()[0]
old_ref = con.execute("SELECT org_id, service FROM referrals WHERE call_id = ? ORDER BY org_id LIMIT 1", (target[0],)).fetchone()
new_ref = con.execute("SELECT r.org_id, r.service FROM referrals r JOIN orgs o ON o.id = r.org_id WHERE o.kind = 'police'"
                      " AND NOT EXISTS (SELECT 1 FROM referrals x WHERE x.call_id = ? AND x.org_id = r.org_id"
                      " AND x.service = r.service) LIMIT 1", (target[0],)).fetchone()
new_expl = con.execute("SELECT value FROM answers WHERE step = 'exploitation' AND value <> (SELECT value FROM answers"
                       " WHERE call_id = ? AND step = 'exploitation') LIMIT 1", (target[0],)).fetchone()[0]
p = run("calls", "correct", "--version", str(target[2]), "--reason", "test", target[1], "topic=" + new_topic,
        "risk=likely", "answer:exploitation=" + new_expl, "referral-:%s %s" % tuple(old_ref),
        "referral+:%s %s" % tuple(new_ref), check=False)
fixes.append(("correct", p.returncode, p.stderr.decode()))
# A later call joins the case of an earlier one; a case is closed.
first, later = con.execute("SELECT a.case_code, b.id FROM calls a, calls b WHERE a.status = 'final' AND a.kind = 'data'"
                           " AND a.callback = 1 AND a.case_id IS NULL AND b.status = 'final' AND b.kind = 'data'"
                           " AND b.case_id IS NULL AND b.started_at > a.started_at AND a.started_at >= '2026-10-05'"
                           " AND b.started_at < '2026-12-20' ORDER BY a.started_at, b.started_at LIMIT 1").fetchone()
later_code = con.execute("SELECT case_code FROM calls WHERE id = ?", (later,)).fetchone()[0]
p = run("calls", "link", later_code, first, check=False)
fixes.append(("link", p.returncode, p.stderr.decode()))
open_case = con.execute("SELECT code FROM cases WHERE status <> 'closed' AND id IN (SELECT case_id FROM calls"
                        " WHERE started_at >= '2026-10-05') LIMIT 1").fetchone()[0]
p = run("calls", "status", open_case, "closed", check=False)
fixes.append(("status", p.returncode, p.stderr.decode()))
ok(all(f[1] == 0 for f in fixes), "a call corrected, a call linked to a case and a case closed", fixes)
later_env = dict(env, DOVIRA_FAKE_TIME=str(int(datetime(2027, 2, 15, tzinfo=timezone.utc).timestamp())))
p = subprocess.run([DOVIRA, "--db", db, "retention"], env=later_env, capture_output=True)
coarse = con.execute("SELECT count(*) FROM calls WHERE status = 'final' AND substr(started_at, 15) = '00:00Z'").fetchone()[0]
ok(p.returncode == 0 and coarse > 800, "retention coarsens the times (%d calls)" % coarse, p.stderr.decode())
row = con.execute("SELECT topic, risk FROM calls WHERE id = ?", (target[0],)).fetchone()
ok(tuple(row) == (new_topic, "likely"), "the correction is stored", tuple(row))
load()
check_tables(NAMES, "after the changes, ")
p = run("check", check=False)
out = p.stdout.decode()
ok(p.returncode == 0 and "report counts: ok" in out, "dovira check recounts the report counts and finds them right", out + p.stderr.decode())
# A count that drifted from the calls is named by dovira check.
day = con.execute("SELECT day FROM report_days WHERE facet = 'tc' ORDER BY day DESC LIMIT 1").fetchone()[0]
con.execute("UPDATE report_days SET n = n + 1 WHERE facet = 'tc' AND day = ? AND (a, b, office, ver) IN"
            " (SELECT a, b, office, ver FROM report_days WHERE facet = 'tc' AND day = ? LIMIT 1)", (day, day))
con.commit()
p = run("check", check=False)
out = p.stdout.decode()
ok(p.returncode == 1 and ("report counts of %s differ from the calls: tc" % day) in out and "stored" in out,
   "a count changed behind the triggers' back is named by dovira check", out)
con.execute("UPDATE report_days SET n = n - 1 WHERE facet = 'tc' AND day = ? AND (a, b, office, ver) IN"
            " (SELECT a, b, office, ver FROM report_days WHERE facet = 'tc' AND day = ? LIMIT 1)", (day, day))
con.commit()

# ---- cases moved about, and calls of the older script (2026.11) ----
# Straight in SQL on a copy (the triggers are in the database; dovira's
# audit is not kept, so only the report counts of `check` are read): a
# case call moved to another office, to another case, to another day,
# deleted, made a silent call; calls joining a case on a day it already
# has; a case's status; calls of 2026.11 that answered the means of
# control at ua_signs and ilo, with signs both lists name.
import shutil
db3 = os.path.join(tmp, "moved.db")
con.close()
shutil.copy(db, db3)
db_saved, db = db, db3
con = sqlite3.connect(db3)
con.row_factory = sqlite3.Row
con.execute("PRAGMA foreign_keys = ON")
Q4 = "started_at >= '2026-10-02' AND started_at < '2026-12-30' AND status = 'final' AND kind = 'data'"
multi = [r[0] for r in con.execute("SELECT case_id FROM calls WHERE case_id IS NOT NULL AND " + Q4 +
                                   " GROUP BY case_id HAVING count(*) >= 2 ORDER BY case_id LIMIT 8")]
ok(len(multi) == 8, "the fixture has cases of several calls in 2026-Q4", len(multi))
def case_calls(k):
    return [r[0] for r in con.execute("SELECT id FROM calls WHERE case_id = ? ORDER BY started_at", (k,))]
con.execute("UPDATE calls SET office = CASE office WHEN 'north' THEN 'main' ELSE 'north' END WHERE id = ?",
            (case_calls(multi[0])[-1],))
con.execute("UPDATE calls SET case_id = ? WHERE id = ?", (multi[2], case_calls(multi[1])[0]))
c3 = case_calls(multi[3])[-1]
con.execute("UPDATE calls SET started_at = strftime('%Y-%m-%dT%H:%M:%SZ', started_at, '-9 days', '+7 hours')"
            " WHERE id = ?", (c3,))
con.execute("DELETE FROM calls WHERE id = ?", (case_calls(multi[4])[0],))
con.execute("UPDATE calls SET kind = 'silent' WHERE id = ?", (case_calls(multi[5])[-1],))
con.execute("UPDATE cases SET status = CASE status WHEN 'closed' THEN 'open' ELSE 'closed' END WHERE id = ?", (multi[6],))
joined = 0
for k in multi[6:8] + multi[0:2]:
    for cid in case_calls(k):
        other = con.execute("SELECT id FROM calls WHERE case_id IS NULL AND substr(started_at, 1, 10) ="
                            " (SELECT substr(started_at, 1, 10) FROM calls WHERE id = ?) AND " + Q4 + " LIMIT 1",
                            (cid,)).fetchone()
        if other:
            con.execute("UPDATE calls SET case_id = ? WHERE id = ?", (k, other[0]))
            joined += 1
ok(joined >= 3, "calls joined cases on days the cases already had (%d)" % joined)
olds = [r[0] for r in con.execute("SELECT id FROM calls WHERE risk IN ('possible','likely') AND " + Q4 +
                                  " ORDER BY id LIMIT 14")]
OLD_ANSWERS = [{"ua_signs": "documents,forced-work,pay-withheld", "ilo": "documents,wages,vulnerability"},
               {"ua_signs": "none", "ilo": "debt,overtime"},
               {"ua_signs": "none", "ilo": "none"},
               {"ua_signs": "conditions,violence"},
               {"ilo": "deception,isolation,conditions,threats"}]
for n, cid in enumerate(olds):
    con.execute("UPDATE calls SET script_version = '2026.11' WHERE id = ?", (cid,))
    con.execute("DELETE FROM answers WHERE call_id = ? AND step = 'control'", (cid,))
    for step, value in OLD_ANSWERS[n % len(OLD_ANSWERS)].items():
        con.execute("INSERT INTO answers(call_id, step, value) VALUES (?, ?, ?)", (cid, step, value))
# The directory: an organisation becomes the police, a hotline national
# (the identification table's groups follow the directory as it is).
org = con.execute("SELECT r.org_id FROM referrals r JOIN orgs o ON o.id = r.org_id JOIN calls c ON c.id = r.call_id"
                  " WHERE o.kind NOT IN ('police','hotline') AND r.service <> 'status' AND c.risk IN ('possible','likely')"
                  " AND c.started_at >= '2026-10-02' AND c.started_at < '2026-12-30' AND c.status = 'final'"
                  " AND c.kind = 'data' GROUP BY r.org_id ORDER BY count(*) DESC LIMIT 1").fetchone()
con.execute("UPDATE orgs SET kind = 'police' WHERE id = ?", (org[0],))
con.execute("UPDATE orgs SET national = 1 - national WHERE id = (SELECT r.org_id FROM referrals r JOIN orgs o"
            " ON o.id = r.org_id WHERE o.kind = 'hotline' LIMIT 1)")
con.execute("UPDATE answers SET value = 'movement,no-contact' WHERE call_id = ? AND step = 'ua_signs'", (olds[0],))
con.execute("DELETE FROM answers WHERE call_id = ? AND step = 'ilo'", (olds[1],))
con.execute("UPDATE calls SET risk = 'none' WHERE id = ?", (olds[2],))
con.execute("INSERT INTO answers(call_id, step, value) VALUES (?, 'ilo', 'violence') ON CONFLICT DO UPDATE"
            " SET value = excluded.value", (olds[3],))
con.commit()
load()
check_tables(("follow-ups", "indicators", "volume", "identification"), "moved about: ", (None, "north"))
t = report("indicators", "--level", "internal", "--period", "2026-Q4")
rows = {r["code"]: r for r in t["blocks"][0]["rows"]}
ok(all(c in rows for c in ("earnings", "hours", "necessities", "ilo:vulnerability", "ua_signs:forced-work")),
   "indicators: the 2026.11 signs count under the current codes, and those with none on their own rows", sorted(rows))
notes = " ".join(t["notes"])
ok("ua_signs" in notes and "ilo" in notes and "current codes" in notes,
   "and the table's note says the older steps were mapped", notes)
t = report("indicators", "--level", "internal", "--period", "2026-09")
ok(not any("ua_signs" in n for n in t["notes"]), "a period without such calls has no such note", t["notes"])
p = run("check", "--full", check=False)
out = p.stdout.decode()
ok("report counts: ok" in out, "dovira check --full recounts every day's counts, the cases and the older signs too", out)
con.close()
con = sqlite3.connect(db3)
day = con.execute("SELECT day FROM report_days WHERE facet = 'csall' AND day >= '2026-10-05' ORDER BY day LIMIT 1").fetchone()[0]
con.execute("UPDATE report_days SET n = n + 1 WHERE facet = 'csall' AND day = ? AND (a, b) IN"
            " (SELECT a, b FROM report_days WHERE facet = 'csall' AND day = ? LIMIT 1)", (day, day))
con.commit()
p = run("check", "--full", check=False)
out = p.stdout.decode()
ok(("report counts of %s differ from the calls: csall" % day) in out, "a case count changed behind the triggers' back is named", out)
con.close()
db = db_saved
con = sqlite3.connect(db)
con.row_factory = sqlite3.Row

# Two script versions in one period: December's calls were taken under a
# version whose "au-pair" became "au-pair-job" and whose consult label
# changed; that version's file is gone, its text is in the database.
db2 = os.path.join(tmp, "v.db")
v2 = os.path.join(tmp, "v2.script")
text = open(os.path.join(SRCDIR, "data/intake.script"), encoding="utf-8").read()
import re
cur = re.search(r"(?m)^version: (\S+)", text).group(1)
text = text.replace("version: " + cur, "version: 2099.01").replace("option au-pair\n", "option au-pair-job\n")
consult_en = re.search(r"option consult\n\s+uk: .*\n\s+en: (.*)\n", text).group(1)
text = text.replace("en: " + consult_en, "en: Advice before leaving (new wording)", 1)
open(v2, "w", encoding="utf-8").write(text)
db_saved, db = db, db2
run("init")
subprocess.run([os.path.join(BUILDDIR, "tests/report/mkcalls"), db2, os.path.join(SRCDIR, "data/intake.script"),
                "300", "21", str(int(datetime(2026, 11, 1, tzinfo=timezone.utc).timestamp())), "28"], env=env, check=True)
subprocess.run([os.path.join(BUILDDIR, "tests/report/mkcalls"), db2, v2,
                "300", "22", str(int(datetime(2026, 12, 2, tzinfo=timezone.utc).timestamp())), "28"], env=env, check=True)
os.remove(v2)
t = report("prevention", "--level", "internal", "--period", "2026-Q4")
notes = " ".join(t["notes"])
ok("%s, 2099.01" % cur in notes, "a period over two script versions says so", notes)
ok("au-pair" in notes and "au-pair-job" in notes, "and names the codes that changed", notes)
purpose = {r["code"]: r["label"] for r in t["blocks"][1]["rows"]}
ok(purpose.get("au-pair") == "Au pair" and purpose.get("au-pair-job") == "Au pair",
   "each code has the label of the version that recorded it", purpose)
t = report("topics", "--level", "internal", "--period", "2026-12")
labels = [r["label"] for r in t["blocks"][0]["rows"]]
ok("Advice before leaving (new wording)" in labels and not t["notes"],
   "December alone reads the new version's labels from the database's script text", (labels, t["notes"]))
t = report("topics", "--level", "internal", "--period", "2026-11")
labels = [r["label"] for r in t["blocks"][0]["rows"]]
ok(consult_en in labels, "November keeps the labels it was taken with", labels)
db = db_saved

tap.done()
