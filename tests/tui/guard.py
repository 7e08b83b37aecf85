"""Every line a command prints to a terminal passes the sanitiser: text
with an OSC title sequence, a CSI, a C1 control and a bidi override,
printed by `dovira redact` to a terminal, reaches it as U+FFFD; the same
command into a pipe stays byte for byte (exports and filters are exact).
A text cut in the middle of a UTF-8 character by the stream's buffer
still arrives whole."""
import os
import pty
import subprocess
import sys
sys.dont_write_bytecode = True  # the source tree may be read-only (distcheck)

from tuilib import DOVIRA, Tap, cleanup, make_env, tmpdir

HOSTILE = b"A\x1b]0;pwned\x07B \x1b[2J C \xc2\x9b31m D \xe2\x80\xae E\n"

t = Tap()
tmp = tmpdir()
inp = os.path.join(tmp, "in.txt")


def on_terminal(data):
    with open(inp, "wb") as f:
        f.write(data)
    master, slave = pty.openpty()
    with open(inp, "rb") as stdin:
        p = subprocess.Popen([DOVIRA, "redact"], stdin=stdin, stdout=slave, stderr=slave, env=make_env(tmp))
    os.close(slave)
    out = bytearray()
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    return p.wait(10), bytes(out)


rc, out = on_terminal(HOSTILE)
t.ok(rc == 0 and b"\x1b" not in out and b"\x07" not in out and b"\xc2\x9b" not in out and b"\xe2\x80\xae" not in out,
     "no escape, bell, C1 control or bidi override reaches the terminal", repr(out))
t.ok(out.count("\ufffd".encode()) == 5 and b"pwned" in out, "each is shown as U+FFFD, the text around them kept", repr(out))
with open(inp, "wb") as f:
    f.write(HOSTILE)
with open(inp, "rb") as stdin:
    piped = subprocess.run([DOVIRA, "redact"], stdin=stdin, stdout=subprocess.PIPE, env=make_env(tmp)).stdout
t.ok(piped == HOSTILE, "into a pipe the filter stays byte for byte", repr(piped))
long = ("\u0407" * 5000 + "\n").encode()  # 10000 bytes: the buffer cuts a character
rc, out = on_terminal(long)
t.ok(rc == 0 and out.replace(b"\r\n", b"\n") == long, "a long line of two-byte letters arrives whole", "%d bytes, %d U+FFFD" % (len(out), out.count("\ufffd".encode())))
cleanup(tmp)
t.done()
