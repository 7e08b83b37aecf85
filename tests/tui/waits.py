"""A screen test cannot pass by waiting in vain: a wait for text that never
appears (or never leaves) fails the test that made it, even when the test
ignores the wait's result; a wait that succeeds adds no check; and a wait
after a key cannot end on the screen from before the key."""
import os
import subprocess
import sys
sys.dont_write_bytecode = True  # the source tree may be read-only (distcheck)

from tuilib import Tap

HERE = os.path.dirname(os.path.abspath(__file__))
CHILD = """
import sys
sys.dont_write_bytecode = True
from tuilib import Tap, Tui, cleanup, new_database, tmpdir
t = Tap()
tmp = tmpdir()
ui = Tui(tmp, new_database(tmp), args=["--lang", "en"])
ui.wait_for("New call")
%s
t.ok(True, "the one check the test makes itself")
ui.press("q")
ui.wait_exit(3)
ui.close()
cleanup(tmp)
t.done()
"""


def run(body):
    p = subprocess.run([sys.executable, "-c", CHILD % body], cwd=HERE, env=dict(os.environ, PYTHONPATH=HERE),
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
    return p.returncode, p.stdout.decode("utf-8", "replace")


t = Tap()
# A program slower than the test (stopped for a second with the key unread,
# as an ASan build on a busy machine can be): a wait whose text the screen
# before the key already shows ("Help" is on the start screen's bar) ends
# only once the key has taken effect, and the screen read then is the new one.
rc, out = run('import os, signal, threading\n'
              't.ok("Help" in ui.row(23) and "closes this help" not in ui.text(), "the bar says Help", ui.text())\n'
              'os.kill(ui.pid, signal.SIGSTOP)\n'
              'threading.Timer(1.0, os.kill, (ui.pid, signal.SIGCONT)).start()\n'
              'ui.press("F1", wait="Help")\n'
              't.ok("closes this help" in ui.text(), "after the wait the help is on the screen", ui.text())\n'
              'ui.press("Esc", wait="You are:")\n')
t.ok(rc == 0 and "not ok" not in out, "a wait after a key cannot end on the screen before it, however slow the program", out)
rc, out = run('ui.wait_for("text no screen shows", timeout=0.5)')
t.ok(rc != 0 and "not ok 1 - <string>:9: the screen shows 'text no screen shows' within 0.5 s" in out,
     "a wait_for that times out, its result ignored, fails the test and says where", out)
t.ok("New call" in out, "the failure shows the screen as it was", out)
rc, out = run('ui.wait_gone("New call", timeout=0.5)')
t.ok(rc != 0 and "'New call' leaves the screen within 0.5 s" in out, "a wait_gone that times out fails the test", out)
rc, out = run('ui.press("F1", wait="closes this help")')
t.ok(rc == 0 and "1..1" in out, "waits that succeed pass and add no check of their own", out)
t.done()
