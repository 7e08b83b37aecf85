"""Deployment: dovira installed setgid as an SSH ForceCommand. sshd on a
local port forces dovira on a staff group; two operators and a supervisor
log in with keys. A shell, sftp, scp, port forwarding and environment
overrides are refused; both operators save calls at once into the same
database; killing a client mid-call leaves a draft the next login offers.
Runs as root (it makes a group, accounts and an sshd, and removes them)."""
import sys
sys.dont_write_bytecode = True  # the source tree may be read-only (distcheck)
sys.path.insert(0, __import__("os").path.join(__import__("os").environ.get("SRCDIR", "."), "tests", "tui"))

import os
import pty
import shutil
import signal
import socket
import sqlite3
import subprocess
import tempfile
import time

from tuilib import DOVIRA, SRCDIR, Screen, ByteStream, Tap, Tui

SSHD = "/usr/sbin/sshd"


def skip(why):
    print("1..0 # SKIP " + why)
    sys.exit(0)


if os.geteuid() != 0:
    skip("needs root to create accounts, a group and an sshd (CI runs the suite as root)")
for tool in (SSHD, "/usr/bin/ssh", "/usr/bin/sftp", "/usr/bin/scp", "/usr/bin/ssh-keygen"):
    if not os.path.exists(tool):
        skip("%s is not installed (apt-get install openssh-server openssh-client)" % tool)
for tool in ("useradd", "userdel", "groupadd", "groupdel"):
    if not shutil.which(tool):
        skip("%s is not installed" % tool)

t = Tap()
tag = str(os.getpid())
group, staff = "dvg" + tag, "dvs" + tag
op1, op2, sup = "dvo" + tag, "dvp" + tag, "dvu" + tag
# Not under /tmp: sshd's StrictModes refuses keys below a directory others
# may write to, as it should on a real server.
T = tempfile.mkdtemp(prefix="dovira-deploy-", dir="/srv" if os.path.isdir("/srv") else "/var/lib")
os.chmod(T, 0o755)
sshd = None
made = []


def run(*argv, **kw):
    return subprocess.run(list(argv), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kw)


def cleanup():
    if sshd and sshd.poll() is None:
        sshd.terminate()
        sshd.wait()
    for u in (op1, op2, sup):
        if u in made:
            run("userdel", u)
    for g in (group, staff):
        if g in made:
            run("groupdel", g)
    shutil.rmtree(T, ignore_errors=True)


def setup():
    for g in (group, staff):
        if run("groupadd", g).returncode != 0:
            return "groupadd failed"
        made.append(g)
    for u in (op1, op2, sup):
        if run("useradd", "-M", "-N", "-g", "users", "-G", staff, "-d", T + "/home", "-s", "/bin/sh", u).returncode != 0:
            return "useradd failed"
        made.append(u)
        run("usermod", "-p", "*", u)  # no password, but not locked: keys only
    for d in ("etc", "data", "home", "keys"):
        os.mkdir(os.path.join(T, d))
        os.chmod(os.path.join(T, d), 0o755)
    # The installed data (intake script, directory), as make install puts it.
    shutil.copytree(os.path.join(SRCDIR, "data"), T + "/share")
    shutil.copy(DOVIRA, T + "/dovira")
    shutil.chown(T + "/dovira", "root", group)
    os.chmod(T + "/dovira", 0o2755)
    shutil.chown(T + "/data", "root", group)
    os.chmod(T + "/data", 0o2770)
    # The run directory, as make install's tmpfiles.d entry makes /run/dovira.
    os.mkdir(T + "/run")
    shutil.chown(T + "/run", "root", group)
    os.chmod(T + "/run", 0o2770)
    db = T + "/data/dovira.db"
    with open(T + "/etc/dovira.conf", "w") as f:
        f.write("db = %s\nrun_dir = %s\n" % (db, T + "/run"))
    # LeakSanitizer cannot run in a setgid process (an --enable-asan build).
    env = dict(os.environ, DOVIRA_DATADIR=T + "/share", DOVIRA_CONF=T + "/etc/dovira.conf",
               ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS", "") + ":detect_leaks=0")
    r = run(T + "/dovira", "init", env=env)
    if r.returncode != 0:
        return "dovira init failed: " + r.stdout
    for u, role in ((op1, "operator"), (op2, "operator"), (sup, "supervisor")):
        run(T + "/dovira", "staff", "add", u, "--role", role, env=env)
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", "%s/k_%s" % (T, u))
        shutil.copy("%s/k_%s.pub" % (T, u), "%s/keys/%s" % (T, u))
    run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", T + "/hostkey")
    return None


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def start_sshd(port):
    conf = T + "/sshd_config"
    with open(conf, "w") as f:
        f.write("""Port {port}
ListenAddress 127.0.0.1
HostKey {T}/hostkey
PidFile {T}/sshd.pid
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
AuthorizedKeysFile {T}/keys/%u
PermitRootLogin no
PermitUserEnvironment no
AcceptEnv LANG LC_*
DisableForwarding yes
PermitTunnel no
Subsystem sftp internal-sftp
Match Group {staff}
    ForceCommand DOVIRA_CONF={T}/etc/dovira.conf DOVIRA_DATADIR={T}/share ASAN_OPTIONS=detect_leaks=0 exec {T}/dovira
    PermitTTY yes
""".format(port=port, T=T, staff=staff))
    os.makedirs("/run/sshd", exist_ok=True)
    p = subprocess.Popen([SSHD, "-D", "-e", "-f", conf], stdout=subprocess.DEVNULL,
                         stderr=open(T + "/sshd.log", "w"))
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return p
        except OSError:
            time.sleep(0.05)
    return p


def ssh_argv(user, port, *extra):
    return ["/usr/bin/ssh", "-F", "/dev/null", "-i", "%s/k_%s" % (T, user), "-p", str(port),
            "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes",
            "-o", "LogLevel=ERROR"] + list(extra) + ["%s@127.0.0.1" % user]


class SshTui(Tui):
    """The screens of dovira through an interactive ssh login."""

    def __init__(self, user, port, extra=(), rows=24, cols=80):
        self.rows, self.cols = rows, cols
        self.screen = Screen(cols, rows)
        self.stream = ByteStream(self.screen)
        self.raw = bytearray()
        self.status, self.presses = None, 0
        self.started = time.monotonic()
        argv = ssh_argv(user, port, "-tt", *extra)
        pid, fd = pty.fork()
        if pid == 0:
            self._winsize(0, rows, cols)
            os.execve(argv[0], argv, {"PATH": "/usr/bin:/bin", "TERM": "xterm-256color", "HOME": T})
        self.pid, self.fd = pid, fd
        self._winsize(fd, rows, cols)


def query(sql):
    con = sqlite3.connect(T + "/data/dovira.db", timeout=10)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


try:
    why = setup()
    if why:
        cleanup()
        skip("cannot set up throwaway accounts: " + why)
    port = free_port()
    sshd = start_sshd(port)

    # What the ForceCommand lets through: nothing but dovira.
    r = run(*ssh_argv(op1, port), "id; cat /etc/passwd")
    t.ok(r.returncode != 0 and "dovira:" in r.stdout and "uid=" not in r.stdout and "root:" not in r.stdout,
         "a command asked of ssh runs dovira instead, not a shell", r.stdout)
    with open(T + "/batch", "w") as f:
        f.write("ls /\n")
    r = run("/usr/bin/sftp", "-b", T + "/batch", *ssh_argv(op1, port)[1:])
    t.ok(r.returncode != 0 and "etc" not in r.stdout.split() and "Permission denied" not in r.stdout,
         "sftp logs in but gets dovira, not files", r.stdout)
    with open(T + "/payload", "w") as f:
        f.write("x\n")
    dest = "%s@127.0.0.1:%s/home/planted" % (op1, T)
    base = ssh_argv(op1, port)[1:-1]
    r1 = run("/usr/bin/scp", "-P", str(port), *[a for a in base if a not in ("-p", str(port))], T + "/payload", dest)
    r2 = run("/usr/bin/scp", "-O", "-P", str(port), *[a for a in base if a not in ("-p", str(port))], T + "/payload", dest)
    t.ok(r1.returncode != 0 and r2.returncode != 0 and not os.path.exists(T + "/home/planted") and
         "Permission denied" not in r1.stdout + r2.stdout,
         "scp (over sftp and the old protocol) is refused", r1.stdout + r2.stdout)
    r = run(*ssh_argv(op1, port, "-W", "127.0.0.1:%d" % port), input="", timeout=20)
    t.ok(r.returncode != 0 and "SSH-2.0" not in r.stdout and "forwarding failed" in r.stdout, "port forwarding is refused", r.stdout)
    ui = SshTui(op1, port, extra=("-o", "SetEnv=DOVIRA_DB=%s/evil.db DOVIRA_CONF=%s/evil.conf LD_PRELOAD=%s/x.so" % (T, T, T)))
    t.ok(ui.wait_for("Database:", timeout=10) and (T + "/data/dovira.db") in ui.text() and "evil" not in ui.text(),
         "environment sent by the client does not change the database", ui.text())
    ui.press("F10")
    ui.wait_exit(5)
    ui.close()

    # Two operators save at once, and a supervisor logs in.
    a, b = SshTui(op1, port), SshTui(op2, port)
    t.ok(a.wait_for("New call", timeout=10) and b.wait_for("New call", timeout=10), "both operators get the screens", a.text())
    for ui in (a, b):
        ui.press("n")
    for ui in (a, b):
        ui.wait_for("What is the call about?")
    for keys in (("1",), ("pol", "Enter")):
        a.press(*keys)
        b.press(*keys)
    a.wait_for("Read out")
    b.wait_for("Read out")
    rows = sorted(query("SELECT operator, topic, country IS NOT NULL FROM calls"))
    t.ok(rows == sorted([(op1, "consult", 1), (op2, "consult", 1)]),
         "both operators' answers, given at the same time, are in the one database", repr(rows))
    b.press("F10", wait="Leave dovira during the call")
    b.press("y")
    t.ok(b.wait_exit(5) == 0, "an operator leaves in the middle of a call, keeping it as a draft", "status %r" % b.status)
    b.close()

    # Killing the client mid-call: the draft is kept and offered next time.
    a.press("Tab")
    a.send("Typed just before the client was killed")
    a.wait_for("client was killed")
    time.sleep(0.3)
    os.kill(a.pid, signal.SIGKILL)
    a.wait_exit(3)
    a.close()
    deadline = time.monotonic() + 10
    notes = None
    while time.monotonic() < deadline:
        notes = query("SELECT notes FROM calls WHERE operator = '%s'" % op1)
        if notes and notes[0][0] and "client was killed" in notes[0][0]:
            break
        time.sleep(0.2)
    t.ok(notes and notes[0][0] and "client was killed" in notes[0][0],
         "killing the client mid-call leaves the draft with what was typed", repr(notes))
    a = SshTui(op1, port)
    t.ok(a.wait_for("unfinished call", "client was killed", timeout=10), "the next login offers the draft", a.text())
    a.press("F10")
    a.wait_exit(5)
    a.close()
    s = SshTui(sup, port)
    t.ok(s.wait_for("supervisor", timeout=10), "the supervisor logs in with their role", s.text())
    s.press("F10")
    s.wait_exit(5)
    s.close()
    r = run("runuser", "-u", op1, "--", "sqlite3", T + "/data/dovira.db", "SELECT count(*) FROM calls")
    t.ok(r.returncode != 0, "and the operator account cannot open the database itself", r.stdout)
finally:
    cleanup()
t.done()
