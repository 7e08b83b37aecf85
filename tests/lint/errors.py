"""The one error rule (include/dovira/util.h): a dv_error pointer is never
NULL. Every function declared with a dv_error * parameter, in the headers
of include/dovira/ and src/core/, is found with the position of that
parameter; every call in src/ and tests/ that passes NULL there is a
failure, named by file and line."""
import os
import re
import sys

SRCDIR = os.environ.get("SRCDIR", ".")
DECL = re.compile(r"\b([a-z_][a-z0-9_]*)\s*\(([^;{)]*\bdv_error\s*\*[^;{)]*)\)\s*(?:__attribute__\s*\(\(.*?\)\)\s*)?;", re.S)
NAME = re.compile(r"\b([a-z_][a-z0-9_]*)\s*\(")


def headers():
    for d in ("include/dovira", "src/core", "src/ui", "src/cli"):
        for f in sorted(os.listdir(os.path.join(SRCDIR, d))):
            if f.endswith(".h"):
                yield os.path.join(SRCDIR, d, f)


def split_args(text, start):
    """The arguments of the call whose '(' is at start, and the end."""
    depth, args, cur, i = 0, [], [], start
    quote = None
    while i < len(text):
        c = text[i]
        if quote:
            cur.append(c)
            if c == "\\":
                cur.append(text[i + 1])
                i += 1
            elif c == quote:
                quote = None
        elif c in "\"'":
            quote = c
            cur.append(c)
        elif c == "(":
            depth += 1
            if depth > 1:
                cur.append(c)
        elif c == ")":
            depth -= 1
            if depth == 0:
                args.append("".join(cur).strip())
                return args, i
            cur.append(c)
        elif c == "," and depth == 1:
            args.append("".join(cur).strip())
            cur = []
        else:
            cur.append(c)
        i += 1
    return None, i


funcs = {}
for h in headers():
    text = re.sub(r"/\*.*?\*/", "", open(h, encoding="utf-8").read(), flags=re.S)
    for m in DECL.finditer(text):
        params = [p.strip() for p in m.group(2).split(",")]
        for k, p in enumerate(params):
            if re.search(r"\bdv_error\s*\*", p):
                funcs.setdefault(m.group(1), set()).add(k)

n = 0
bad = []
for top in ("src", "tests"):
    for root, _, files in os.walk(os.path.join(SRCDIR, top)):
        for f in sorted(files):
            if not f.endswith(".c"):
                continue
            path = os.path.join(root, f)
            text = open(path, encoding="utf-8", errors="replace").read()
            for m in NAME.finditer(text):
                if m.group(1) not in funcs:
                    continue
                before = text[max(0, m.start() - 40):m.start()]
                if re.search(r"(int|void|char|\*|\w)\s*$", before) and re.search(r"^\s*[a-z_]+[\s*]+$", before.split("\n")[-1]):
                    continue  # a definition, not a call
                args, _ = split_args(text, m.end() - 1)
                if not args:
                    continue
                n += 1
                for k in funcs[m.group(1)]:
                    if k < len(args) and args[k] == "NULL":
                        line = text.count("\n", 0, m.start()) + 1
                        bad.append("%s:%d: %s() gets NULL for its dv_error" % (os.path.relpath(path, SRCDIR), line, m.group(1)))

print("ok 1 - %d functions take a dv_error; found %d calls to them" % (len(funcs), n) if len(funcs) > 20 and n > 100
      else "not ok 1 - the scan found too few functions (%d) or calls (%d)" % (len(funcs), n))
if bad:
    print("not ok 2 - no call passes NULL for a dv_error (the rule of util.h)")
    for b in bad:
        print("#   " + b)
else:
    print("ok 2 - no call passes NULL for a dv_error (the rule of util.h)")
print("1..2")
sys.exit(1 if bad or len(funcs) <= 20 or n <= 100 else 0)
