"""The layers hold in the linked objects, read with nm (not grep):
1. no object of the core (libdvcore.a) uses a symbol of the curses
   libraries the program links (ncursesw, tinfo);
2. no object of the screens (libdvui.a) uses a symbol of SQLite;
3. the modules that promise no database (the intake script and the
   places, the directory's code tables, the column table, the redactor,
   the sanitiser, text, util, i18n, csv, settings) reach no SQLite symbol,
   even through another core object they call. (The record mapping calls
   no SQLite either, but it fills a call_record through calls.c, which
   does: it is not on the list.)
Before the real objects, the checker is run on made-up listings with one
violation of each kind, to show that it does fail."""
import os
import re
import subprocess
import sys

BUILDDIR = os.environ.get("BUILDDIR", ".")
DOVIRA = os.environ.get("DOVIRA", os.path.join(BUILDDIR, "src", "dovira"))
NO_DB = ("script", "script_check", "script_cond", "script_engine", "places", "orgs_codes", "columns", "utf8", "redact", "sanitize", "text", "util", "i18n", "csv", "settings")

n = 0
failed = 0


def ok(cond, what, detail=()):
    global n, failed
    n += 1
    print("%sok %d - %s" % ("" if cond else "not ", n, what), flush=True)
    if not cond:
        failed += 1
        for line in detail:
            print("#   " + line)


def module(obj):
    """'libdvui_a-list.o' -> 'list'"""
    return re.sub(r"^lib[a-z]+_a-", "", obj).rsplit(".", 1)[0]


def nm_archive(path):
    """{object: (defined symbols, undefined symbols)} of a static library."""
    out = subprocess.run(["nm", "-A", path], stdout=subprocess.PIPE, check=True).stdout.decode()
    return parse_nm(out)


def parse_nm(text):
    objs = {}
    for line in text.splitlines():
        parts = line.split(":")
        if len(parts) < 3:
            continue
        obj, rest = parts[-2], parts[-1].split()
        d, u = objs.setdefault(module(obj), (set(), set()))
        if len(rest) == 2 and rest[0] == "U":
            u.add(rest[1])
        elif len(rest) == 3 and rest[1] in "TDBRCVWG":
            d.add(rest[2])
    return objs


def dynamic_symbols(lib):
    out = subprocess.run(["nm", "-D", "--defined-only", lib], stdout=subprocess.PIPE, check=True).stdout.decode()
    return {l.split()[-1].split("@")[0] for l in out.splitlines() if len(l.split()) >= 3}


def linked_libs(names):
    """Paths of the shared libraries of the program whose names match."""
    out = subprocess.run(["ldd", DOVIRA], stdout=subprocess.PIPE, check=True).stdout.decode()
    return [m.group(2) for m in re.finditer(r"^\s*(\S+) => (\S+)", out, re.M) if any(k in m.group(1) for k in names)]


def uses(objs, forbidden):
    """[(object, symbol)] of every object's use of a forbidden symbol."""
    test = forbidden if callable(forbidden) else forbidden.__contains__
    return sorted((o, s) for o, (_, u) in objs.items() for s in u if test(s))


def reaches_db(objs, start):
    """The chain of calls by which start reaches an sqlite3_ symbol, or None."""
    owner = {s: o for o, (d, _) in objs.items() for s in d}
    seen, todo = {start: [start]}, [start]
    while todo:
        o = todo.pop()
        for s in sorted(objs[o][1]):
            if s.startswith("sqlite3_"):
                return seen[o] + [s]
            p = owner.get(s)
            if p and p not in seen:
                seen[p] = seen[o] + ["%s()" % s, p]
                todo.append(p)
    return None


def check(core, ui, curses_syms):
    """The three rules on the listings; a list of problems (empty if none)."""
    probs = ["core %s.o uses curses: %s" % (o, s) for o, s in uses(core, curses_syms)]
    probs += ["screen %s.o uses SQLite: %s" % (o, s) for o, s in uses(ui, lambda s: s.startswith("sqlite3_"))]
    for m in NO_DB:
        if m in core:
            chain = reaches_db(core, m)
            if chain:
                probs.append("%s promises no database but reaches it: %s" % (m, " -> ".join(chain)))
    return probs


# The checker itself, on made-up listings: each must fail.
def listing(rows):
    return parse_nm("\n".join("lib.a:%s:%s" % r for r in rows))


fake_core = listing([("util.o", "0000 T dv_fail"), ("db.o", "0000 T db_open"), ("db.o", "         U sqlite3_open_v2"),
                     ("script.o", "0000 T script_load"), ("script.o", "         U dv_fail")])
fake_ui = listing([("libdvui_a-list.o", "0000 T ui_list_draw"), ("libdvui_a-list.o", "         U wmove")])
ok(check(fake_core, fake_ui, {"wmove"}) == [], "the checker passes listings that keep the layers")
bad_core = listing([("util.o", "0000 T dv_fail"), ("util.o", "         U initscr")])
ok(check(bad_core, fake_ui, {"initscr"}) == ["core util.o uses curses: initscr"], "it fails a core object that calls initscr")
bad_ui = listing([("libdvui_a-list.o", "         U sqlite3_prepare_v2")])
ok(check(fake_core, bad_ui, set()) == ["screen list.o uses SQLite: sqlite3_prepare_v2"], "it fails a screen object that prepares SQL")
bad_script = listing([("db.o", "0000 T db_open"), ("db.o", "         U sqlite3_open_v2"), ("orgs_codes.o", "0000 T orgs_code_valid"),
                      ("orgs_codes.o", "         U db_open"), ("script.o", "         U orgs_code_valid")])
ok(check(bad_script, fake_ui, set()) == [
    "script promises no database but reaches it: script -> orgs_code_valid() -> orgs_codes -> db_open() -> db -> sqlite3_open_v2",
    "orgs_codes promises no database but reaches it: orgs_codes -> db_open() -> db -> sqlite3_open_v2"],
   "it fails the script module when it reaches SQLite through another object", check(bad_script, fake_ui, set()))

# The real objects.
core = nm_archive(os.path.join(BUILDDIR, "libdvcore.a"))
ui = nm_archive(os.path.join(BUILDDIR, "libdvui.a"))
libs = linked_libs(("ncurses", "tinfo"))
curses_syms = set()
for lib in libs:
    curses_syms |= dynamic_symbols(lib)
ok(len(core) > 20 and len(ui) > 10 and len(curses_syms) > 100 and "sqlite3_open_v2" in
   {s for _, u in core.values() for s in u},
   "nm reads %d core and %d screen objects, %d curses symbols from %s" % (len(core), len(ui), len(curses_syms), ", ".join(libs)))
probs = check(core, ui, curses_syms)
ok(not [p for p in probs if p.startswith("core ")], "no core object uses a curses symbol", probs)
ok(not [p for p in probs if p.startswith("screen ")], "no screen object uses an SQLite symbol", probs)
ok(not [p for p in probs if "promises no database" in p], "the modules that promise no database reach none", probs)
print("1..%d" % n)
sys.exit(1 if failed else 0)
