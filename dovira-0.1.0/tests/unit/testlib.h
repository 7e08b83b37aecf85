/* testlib.h: helpers shared by the unit tests: temporary directories,
 * running a check as an unprivileged user when the tests run as root. */
#ifndef DOVIRA_TESTLIB_H
#define DOVIRA_TESTLIB_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* A fresh directory under /tmp, world-traversable so that a dropped-
 * privilege child can reach it. Never removed on failure, for post-mortems. */
static __attribute__((unused)) char *test_tmpdir(void)
{
	static char dir[64];
	snprintf(dir, sizeof dir, "/tmp/dovira-test-XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		exit(99);
	}
	chmod(dir, 0777);
	return dir;
}

/* Run fn(arg) in a child process; when running as root, the child first
 * becomes the unprivileged user "nobody" (uid 65534), because root ignores
 * file permissions and a permission test would prove nothing. Returns
 * fn's result, or -100 if the child died. */
static __attribute__((unused)) int test_as_user(int (*fn)(void *), void *arg)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		if (getuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
			_exit(101);
		_exit(fn(arg) & 0xff);
	}
	int status;
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -100;
	return WEXITSTATUS(status);
}

#endif
