"""What the report tests share: TAP output and a fresh database directory
with the environment that runs the built dovira on it."""
import os
import sys
import tempfile

DOVIRA = os.environ["DOVIRA"]
SRCDIR = os.environ["SRCDIR"]
BUILDDIR = os.environ.get("BUILDDIR", ".")


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, what, diag=""):
        self.n += 1
        print(("ok %d - %s" if cond else "not ok %d - %s") % (self.n, what))
        if not cond:
            self.failed += 1
            for line in str(diag).splitlines()[:30]:
                print("#   " + line)
        return cond

    def done(self):
        print("1..%d" % self.n)
        sys.exit(1 if self.failed else 0)


def workspace(prefix, name):
    """A new temporary directory, the database path in it, and the
    environment (data and catalogues from the tree, no system config)."""
    tmp = tempfile.mkdtemp(prefix=prefix)
    env = dict(os.environ, DOVIRA_DATADIR=os.path.join(SRCDIR, "data"), DOVIRA_CONF="/nonexistent",
               DOVIRA_LOCALEDIR=os.path.join(BUILDDIR, "po", "locale"), HOME=tmp)
    env.pop("DOVIRA_FAKE_TIME", None)
    return tmp, os.path.join(tmp, name), env
