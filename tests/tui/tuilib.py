"""tuilib: drive dovira's screens in a real pseudo-terminal and read the
screen back with pyte, as an operator would see it.

Each test script makes a Tui (a fresh database in a temporary directory,
the program on a pty of 80x24 with TERM=xterm-256color), sends keys, waits
for text to appear (polling the screen, never sleeping a fixed time) and
reports TAP lines through Tap.

No screen is read before the keys sent have taken effect: after a key,
every look at the screen (text(), row(), screen, and the waits) first lets
the program settle: it must have read every byte typed and be back in its
poll for the next key, with all it drew read onto our screen (see
settle()). So a wait for text that the screen before the key already
showed cannot return early with the old screen, however slow the program
is (an ASan build on a loaded machine), and a check that a key did
nothing needs no fixed sleep: ui.settle(), then look.

A wait that times out FAILS the test: it reports "not ok" through the Tap
the script made, with the screen as it was, whether or not the caller looks
at the result. A test that must see text appear cannot pass by waiting in
vain; to check that something is NOT shown, look at ui.text() after a wait
for text that does come.
"""
import fcntl
import os
import pty
import pwd
import select
import shutil
import signal
import sqlite3
import struct
import subprocess
import sys
import tempfile
import termios
import time

# The program's main loop waits for a key in poll(2) on its terminal; curses
# also polls it, for 100 ms (set_escdelay in src/ui/input.c), after an Esc
# or the first byte of a character, for the rest of the sequence: that poll
# is not a rest.
SYS_POLL = 7 if os.uname().machine == "x86_64" else None
ESCDELAY_MS = 100
TIOCGPTN = 0x80045430

try:
    import pyte
except ImportError:  # Debian: apt-get install python3-pyte
    print("1..0 # SKIP python3-pyte is not installed")
    sys.exit(0)

DOVIRA = os.environ.get("DOVIRA", "src/dovira")
SRCDIR = os.environ.get("SRCDIR", ".")
BUILDDIR = os.environ.get("BUILDDIR", ".")

# What xterm sends with the keypad in application mode (curses turns it on).
KEYS = {
    "F1": "\x1bOP", "F2": "\x1bOQ", "F3": "\x1bOR", "F4": "\x1bOS",
    "F5": "\x1b[15~", "F6": "\x1b[17~", "F7": "\x1b[18~", "F8": "\x1b[19~",
    "F9": "\x1b[20~", "F10": "\x1b[21~",
    "Up": "\x1bOA", "Down": "\x1bOB", "Right": "\x1bOC", "Left": "\x1bOD",
    "Home": "\x1bOH", "End": "\x1bOF", "PgUp": "\x1b[5~", "PgDn": "\x1b[6~",
    "CtrlLeft": "\x1b[1;5D", "CtrlRight": "\x1b[1;5C",
    "Enter": "\r", "Tab": "\t", "Esc": "\x1b", "Backspace": "\x7f",
}


def task_file(pid, name):
    with open("/proc/%d/task/%d/%s" % (pid, pid, name)) as f:
        return f.read()


def sleeps(pid):
    """How often the program's main thread went to sleep (blocked)."""
    for line in task_file(pid, "status").splitlines():
        if line.startswith("voluntary_ctxt_switches:"):
            return int(line.split()[1])
    return 0


def waiting_for_key(pid, slave):
    """The program's main thread blocked in poll(2) on one descriptor with
    a timeout other than curses' wait for the rest of an escape sequence,
    and nothing typed left unread on its terminal (slave, an open
    descriptor of it). Where the system call cannot be read (another
    processor, a kernel without /proc/PID/syscall), nothing unread and
    the thread asleep is taken for it."""
    unread = struct.unpack("i", fcntl.ioctl(slave, termios.FIONREAD, b"\0\0\0\0"))[0]
    try:
        f = task_file(pid, "syscall").split()
    except OSError:
        f = []
    if SYS_POLL is None or not f or not f[0].isdigit():
        state = task_file(pid, "stat").rsplit(")", 1)[1].split()[0]
        return unread == 0 and state == "S"
    if len(f) < 4 or f[0] != str(SYS_POLL):
        return False
    if int(f[2], 16) != 1 or int(f[3], 16) == ESCDELAY_MS:
        return False
    return unread == 0


class Screen(pyte.Screen):
    """pyte's screen, with the two scrolls it lacks (CSI S and CSI T,
    "scroll up/down n lines" within the margins), which ncurses sends to
    move a list by a few rows: without them stale rows stay on screen."""

    def _margins(self):
        return self.margins or pyte.screens.Margins(0, self.lines - 1)

    def scroll_up(self, count=None, *args, **kwargs):
        top, bottom = self._margins()
        for _ in range(max(count or 1, 1)):
            for y in range(top, bottom):
                self.buffer[y] = self.buffer[y + 1]
            self.buffer.pop(bottom, None)
        self.dirty.update(range(self.lines))

    def scroll_down(self, count=None, *args, **kwargs):
        top, bottom = self._margins()
        for _ in range(max(count or 1, 1)):
            for y in range(bottom, top, -1):
                self.buffer[y] = self.buffer[y - 1]
            self.buffer.pop(top, None)
        self.dirty.update(range(self.lines))


class ByteStream(pyte.ByteStream):
    csi = dict(pyte.ByteStream.csi, S="scroll_up", T="scroll_down")


class Tap:
    """TAP output: ok N - what, and the plan at the end. The newest Tap
    also receives the failures of waits that time out."""

    current = None

    def __init__(self):
        self.n = 0
        self.failed = 0
        Tap.current = self

    def ok(self, cond, what, detail=None):
        self.n += 1
        print("%sok %d - %s" % ("" if cond else "not ", self.n, what), flush=True)
        if not cond:
            self.failed += 1
            for line in (detail or "").splitlines():
                print("#   " + line)
        return cond

    def note(self, text):
        for line in text.splitlines():
            print("# " + line, flush=True)

    def done(self):
        print("1..%d" % self.n, flush=True)
        sys.exit(1 if self.failed else 0)


def make_env(tmp, lang=None, extra=None):
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": tmp,
        "TERM": "xterm-256color",
        "LC_ALL": "C.UTF-8",
        "DOVIRA_DATADIR": os.path.join(SRCDIR, "data"),
        "DOVIRA_LOCALEDIR": os.path.join(BUILDDIR, "po", "locale"),
        "DOVIRA_CONF": os.path.join(tmp, "none.conf"),
    }
    for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
        if k in os.environ:
            env[k] = os.environ[k]
    if lang:
        env["LANGUAGE"] = lang
    env.update(extra or {})
    return env


def new_database(tmp):
    path = os.path.join(tmp, "calls.db")
    subprocess.run([DOVIRA, "--db", path, "init"], check=True,
                   stdout=subprocess.DEVNULL, env=make_env(tmp))
    return path


class Tui:
    # Until __init__ opens the terminal's program side there is nothing to
    # settle on: a subclass that runs the program elsewhere (through ssh,
    # tests/deploy/sshd.py) reads the screen as it comes.
    slave = None
    unsettled = False
    sent_switches = 0
    before_keys = None
    settles = 0
    settle_time = 0.0

    def __init__(self, tmp, db, args=(), lang=None, rows=24, cols=80, env=None):
        self.rows, self.cols = rows, cols
        self._screen = Screen(cols, rows)
        self.stream = ByteStream(self._screen)
        self.raw = bytearray()
        argv = [DOVIRA, "--db", db] + list(args)
        environ = make_env(tmp, lang, env)
        self.started = time.monotonic()
        pid, fd = pty.fork()
        if pid == 0:
            self._winsize(0, rows, cols)
            os.execve(argv[0], argv, environ)
        self.pid, self.fd = pid, fd
        self._winsize(fd, rows, cols)
        self.status = None
        self.presses = 0  # keys pressed through press(), for the figures
        # The terminal's program side, to see how much typed is unread.
        n = struct.unpack("I", fcntl.ioctl(fd, TIOCGPTN, b"\0\0\0\0"))[0]
        self.slave = os.open("/dev/pts/%d" % n, os.O_RDWR | os.O_NOCTTY)
        self.unsettled = False   # input sent since the program last settled
        self.sent_switches = 0   # its sleeps counted just before that input
        self.before_keys = None  # the screen when that input began
        self.settles = 0         # how often settle() waited, and how long
        self.settle_time = 0.0

    @staticmethod
    def _winsize(fd, rows, cols):
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

    # ---- output ----

    def pump(self, timeout=0.05):
        """Feed whatever the program wrote within timeout to the screen."""
        if self.fd is None:
            return False
        got = False
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            r, _, _ = select.select([self.fd], [], [], max(left, 0))
            if not r:
                return got
            try:
                data = os.read(self.fd, 65536)
            except OSError:
                return got
            if not data:
                return got
            self.raw += data
            self.stream.feed(data)
            got = True
            end = time.monotonic() + 0.02  # drain what follows at once

    @property
    def screen(self):
        """The screen as pyte holds it, once the keys sent took effect."""
        if self.unsettled:
            self.settle()
        return self._screen

    @screen.setter
    def screen(self, screen):
        self._screen = screen

    def text(self):
        return "\n".join(self.screen.display)

    # ---- settling: has the program taken every key sent? ----

    def _task(self, name):
        return task_file(self.pid, name)

    def _sleeps(self):
        return sleeps(self.pid)

    def _waiting_for_key(self):
        return waiting_for_key(self.pid, self.slave)

    def _ended(self):
        try:
            return self._task("stat").rsplit(")", 1)[1].split()[0] in "ZXx"
        except OSError:
            return True

    def settle(self, timeout=10.0):
        """Wait until the program has taken every key sent and waits for
        the next one, with all it drew read onto the screen; True then.

        Three things together say so: the terminal holds no unread byte;
        the program's main thread is blocked in its poll for a key; and it
        has slept since the last key was sent (so the key, read from the
        terminal's queue by the kernel after our write returned, woke it
        and it went back to sleep). Seen twice 30 ms apart with no sleep
        in between and nothing drawn: nothing it drew is still on its way.
        False if the program ended or did not settle within timeout (a
        long write to the database): the waits then poll as before."""
        if not self.unsettled:
            return True
        self.unsettled = False
        if self.fd is None:
            return False
        start = time.monotonic()
        deadline = start + timeout
        calm = None
        while True:
            drawn = self.pump(0.03)
            try:
                if self._ended():
                    self.pump(0.05)
                    return False
                sleeps = self._sleeps()
                rest = sleeps > self.sent_switches and self._waiting_for_key()
            except (OSError, ValueError):
                self.pump(0.05)
                return False
            if rest and not drawn and calm == sleeps:
                self.settles += 1
                self.settle_time += time.monotonic() - start
                return True
            calm = sleeps if rest else None
            if time.monotonic() > deadline:
                if Tap.current:
                    Tap.current.note("the program did not settle within %g s of the last key" % timeout)
                return False

    def _sent(self):
        """Before input goes to the program: remember the screen as it
        was (once settled) and how often the program had slept."""
        if self.slave is None:
            return
        if not self.unsettled:
            self.before_keys = "\n".join(self._screen.display)
        self.unsettled = True
        try:
            self.sent_switches = self._sleeps()
        except (OSError, ValueError):
            self.sent_switches = 0

    def _timed_out(self, what, timeout):
        """A wait ran out: that is a failed check of the test."""
        caller = sys._getframe(2)
        while caller and caller.f_code.co_filename == __file__:
            caller = caller.f_back
        where = "%s:%d" % (os.path.basename(caller.f_code.co_filename), caller.f_lineno) if caller else "?"
        if Tap.current:
            Tap.current.ok(False, "%s: %s within %g s" % (where, what, timeout), self.text())
        else:
            raise AssertionError("%s: %s within %g s" % (where, what, timeout))
        return False

    def wait_for(self, *needles, timeout=5.0):
        """Poll the screen until every needle is on it; True if they came.
        If they do not come within timeout, the test fails."""
        deadline = time.monotonic() + timeout
        self.settle(timeout)
        self._audit(needles, present=True)
        while True:
            self.pump(0.05)
            t = self.text()
            if all(n in t for n in needles):
                return True
            if time.monotonic() > deadline:
                missing = [n for n in needles if n not in t]
                return self._timed_out("the screen shows %s" % ", ".join(repr(n) for n in missing), timeout)

    def until(self, pred, timeout=5.0):
        """Poll the screen until pred() holds (a redraw may arrive in
        parts); True if it came. For t.ok(ui.until(...), ...): the ok says
        what failed."""
        deadline = time.monotonic() + timeout
        self.settle(timeout)
        while not pred():
            if time.monotonic() > deadline:
                return False
            self.pump(0.05)
        return True

    def wait_gone(self, needle, timeout=5.0):
        """Poll until needle is no longer on the screen; True when it went.
        If it stays for timeout, the test fails."""
        deadline = time.monotonic() + timeout
        self.settle(timeout)
        self._audit([needle], present=False)
        while True:
            self.pump(0.05)
            if needle not in self.text():
                return True
            if time.monotonic() > deadline:
                return self._timed_out("%r leaves the screen" % needle, timeout)

    def _audit(self, needles, present):
        """A wait after keys that the screen before them already
        satisfied proves nothing about the keys: with TUI_AUDIT set, say
        where (settling keeps it from racing, but it is a weak check)."""
        before, self.before_keys = self.before_keys, None
        if before is None or not os.environ.get("TUI_AUDIT"):
            return
        if all((n in before) == present for n in needles):
            caller = sys._getframe(1)
            while caller and caller.f_code.co_filename == __file__:
                caller = caller.f_back
            where = "%s:%d" % (os.path.basename(caller.f_code.co_filename), caller.f_lineno) if caller else "?"
            sys.stderr.write("AUDIT %s: %s %s before the keys\n" % (
                where, ", ".join(repr(n) for n in needles), "already shown" if present else "already gone"))

    def row(self, y):
        return self.screen.display[y]

    # ---- input ----

    def send(self, s):
        data = s.encode("utf-8") if isinstance(s, str) else s
        self._sent()
        while data:
            n = os.write(self.fd, data)
            data = data[n:]
            self.pump(0)

    def key(self, *names):
        for name in names:
            self.send(KEYS.get(name, name))
            self.pump(0.02)

    def press(self, *names, wait=None):
        """Press keys as an operator would (named keys, or each character
        of a string), counting them; then wait for text if asked."""
        for name in names:
            if name in KEYS:
                self.presses += 1
                self.key(name)
            else:
                for ch in name:
                    self.presses += 1
                    self.send(ch)
                    self.pump(0.01)
        if wait:
            return self.wait_for(*([wait] if isinstance(wait, str) else wait))
        return True

    def paste(self, text):
        """A bracketed paste, as a terminal sends it."""
        self.send(b"\x1b[200~" + (text.encode("utf-8") if isinstance(text, str) else text) + b"\x1b[201~")

    def resize(self, rows, cols):
        self.rows, self.cols = rows, cols
        self._screen.resize(rows, cols)
        self._sent()
        self._winsize(self.fd, rows, cols)
        os.kill(self.pid, signal.SIGWINCH)

    # ---- the process ----

    def vmrss_kb(self):
        with open("/proc/%d/status" % self.pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return -1

    def wait_exit(self, timeout=5.0):
        """Wait for the program to end; its status, or None if it did not."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.pump(0.01)
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = os.waitstatus_to_exitcode(status)
                return self.status
            time.sleep(0.01)
        return None

    def hang_up(self):
        """Close the terminal, as a dropped SSH link does."""
        os.close(self.fd)
        self.fd = None
        self._close_slave()

    def _close_slave(self):
        if self.slave is not None:
            os.close(self.slave)
            self.slave = None

    def close(self):
        if self.status is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except OSError:
                pass
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
        self._close_slave()


def made_calls(tmp, db, n, seed=4, start=1788220800, days=88):
    """n synthetic calls in db (tests/report/mkcalls: the script's
    questions answered at random), from 1 September 2026 over 88 days."""
    subprocess.run([os.path.join(BUILDDIR, "tests/report/mkcalls"), db, os.path.join(SRCDIR, "data/intake.script"),
                    str(n), str(seed), str(start), str(days)], env=make_env(tmp), check=True)


def as_role(db, role):
    """The person running the tests takes role (operator, supervisor...)."""
    query(db, "UPDATE staff SET role = ? WHERE login = ?", (role, pwd.getpwuid(os.getuid()).pw_name), commit=True)


def query(db, sql, args=(), commit=False):
    con = sqlite3.connect(db)
    try:
        rows = con.execute(sql, args).fetchall()
        if commit:
            con.commit()
        return rows
    finally:
        con.close()


def tmpdir():
    d = tempfile.mkdtemp(prefix="dovira-tui-")
    return d


def cleanup(d):
    shutil.rmtree(d, ignore_errors=True)
