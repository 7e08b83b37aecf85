/* priv.c: the setgid group, held for the database and dropped for the rest. */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dovira/i18n.h"
#include "dovira/priv.h"

static gid_t real_gid, group_gid;
static int is_setgid, drop_depth;

int priv_init(void)
{
	real_gid = getgid();
	group_gid = getegid();
	is_setgid = real_gid != group_gid;
	return is_setgid;
}

int priv_setgid(void)
{
	return is_setgid;
}

int priv_dir_shared(const char *path, gid_t *gid)
{
	if (is_setgid)
		return 0;
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	if (slash)
		slash[slash == dir] = '\0';
	struct stat st;
	int ok = stat(slash ? dir : ".", &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & S_ISGID) &&
		 (st.st_mode & S_IWGRP) && !(st.st_mode & S_IWOTH);
	free(dir);
	if (ok)
		*gid = st.st_gid;
	return ok;
}

const char *priv_group(void)
{
	static char name[64];
	if (!is_setgid)
		return NULL;
	struct group *g = getgrgid(group_gid);
	snprintf(name, sizeof name, "%s", g ? g->gr_name : "?");
	return name;
}

void priv_drop(void)
{
	if (is_setgid && drop_depth++ == 0 && setegid(real_gid) != 0) {
		/* Going on with the group held would read a file with rights
		 * the person does not have: stop instead. */
		fprintf(stderr, "dovira: setegid: %s\n", strerror(errno));
		_exit(70);
	}
}

void priv_restore(void)
{
	if (is_setgid && --drop_depth == 0 && setegid(group_gid) != 0) {
		fprintf(stderr, "dovira: setegid: %s\n", strerror(errno));
		_exit(70);
	}
}

FILE *priv_user_fopen(const char *path, const char *mode)
{
	priv_drop();
	FILE *f = fopen(path, mode);
	int err = errno;
	priv_restore();
	errno = err;
	return f;
}

const char *priv_getenv(const char *name)
{
	return is_setgid ? NULL : getenv(name);
}

const char *priv_getenv_dir(const char *name)
{
	const char *v = getenv(name);
	struct stat sb;
	if (!is_setgid || !v)
		return v;
	if (stat(v, &sb) != 0 || !S_ISDIR(sb.st_mode) || sb.st_uid != 0 || (sb.st_mode & (S_IWGRP | S_IWOTH)))
		return NULL;
	return v;
}

/* Nobody may be a member of the group: neither listed nor by primary group. */
static int check_members(const char *gname, dv_error *e)
{
	struct group *g = getgrgid(group_gid);
	if (g && g->gr_mem && g->gr_mem[0])
		return dv_fail(e, DV_EPERM, _("refusing to run setgid: the account %s is a member of the group %s, so it can open the database without dovira; remove it with 'gpasswd -d %s %s'"),
			       g->gr_mem[0], gname, g->gr_mem[0], gname);
	int code = DV_OK;
	setpwent();
	for (struct passwd *pw; !code && (pw = getpwent()) != NULL;)
		if (pw->pw_gid == group_gid)
			code = dv_fail(e, DV_EPERM, _("refusing to run setgid: the group %s is the primary group of the account %s, so it can open the database without dovira; give that account another group"),
				       gname, pw->pw_name);
	endpwent();
	return code;
}

/* The directory holding the database: root's, the group's, nobody else's. */
static int check_db_dir(const char *dir, const char *gname, dv_error *e)
{
	struct stat sb;
	if (stat(dir, &sb) != 0)
		return dv_fail(e, DV_EPERM, _("refusing to run setgid: the database directory %s is missing (%s); create it with 'install -d -o root -g %s -m 2770 %s'"),
			       dir, strerror(errno), gname, dir);
	if (!S_ISDIR(sb.st_mode) || sb.st_uid != 0 || sb.st_gid != group_gid || (sb.st_mode & S_IWOTH))
		return dv_fail(e, DV_EPERM, _("refusing to run setgid: the database directory %s must be owned by root and the group %s and writable by nobody else; fix it with 'chown root:%s %s && chmod 2770 %s'"),
			       dir, gname, gname, dir, dir);
	return DV_OK;
}

/* Each directory above: root's and not writable by others (unless sticky). */
static int check_parents(char *dir, dv_error *e)
{
	for (char *slash = strrchr(dir, '/'); slash; slash = strrchr(dir, '/')) {
		if (slash == dir)
			slash[1] = '\0';
		else
			*slash = '\0';
		struct stat sb;
		if (stat(dir, &sb) != 0 || sb.st_uid != 0 ||
		    ((sb.st_mode & (S_IWGRP | S_IWOTH)) && !(sb.st_mode & S_ISVTX)))
			return dv_fail(e, DV_EPERM, _("refusing to run setgid: the directory %s above the database must be owned by root and writable by nobody else"),
				       dir);
		if (slash == dir)
			break;
	}
	return DV_OK;
}

static int check_db_file(const char *path, const char *gname, dv_error *e)
{
	struct stat sb;
	if (lstat(path, &sb) != 0)
		return errno == ENOENT ? DV_OK : dv_fail(e, DV_EPERM, _("refusing to run setgid: %s: %s"), path, strerror(errno));
	if (!S_ISREG(sb.st_mode) || sb.st_gid != group_gid || (sb.st_mode & S_IRWXO))
		return dv_fail(e, DV_EPERM, _("refusing to run setgid: the database %s must be a regular file of the group %s that others cannot read; fix it with 'chgrp %s %s && chmod 660 %s'"),
			       path, gname, gname, path, path);
	return DV_OK;
}

char *priv_spool_dir(const char *db_path)
{
	const char *slash = strrchr(db_path, '/');
	if (!slash)
		return xstrdup("spool");
	return xasprintf("%.*s/spool", (int)(slash - db_path), db_path);
}

char *priv_pending_dir(const char *db_path, const char *run_dir)
{
	struct stat rd, db;
	if (run_dir && lstat(run_dir, &rd) == 0 && S_ISDIR(rd.st_mode) && stat(db_path, &db) == 0) {
		const char *base = strrchr(db_path, '/');
		return xasprintf("%s/%s.%llx.%llu-pending", run_dir, base ? base + 1 : db_path, (unsigned long long)db.st_dev,
				 (unsigned long long)db.st_ino);
	}
	return xasprintf("%s-pending", db_path);
}

/* A directory beside the database that holds callers' words before they
 * are saved: the pending saves (combine.c) and the spool (spool.c), if
 * there is one yet. A real directory of the group that others cannot
 * enter; the database's directory keeps others from making one, but an
 * administrator's mkdir or chmod may have. spool: which of the two. */
static int check_private_dir(char *dir, const char *gname, int spool, dv_error *e)
{
	struct stat sb;
	int code = DV_OK;
	if (lstat(dir, &sb) != 0) {
		if (errno != ENOENT)
			code = dv_fail(e, DV_EPERM, _("refusing to run setgid: %s: %s"), dir, strerror(errno));
	} else if (!S_ISDIR(sb.st_mode) || sb.st_gid != group_gid || (sb.st_mode & S_IRWXO)) {
		code = spool ? dv_fail(e, DV_EPERM, _("refusing to run setgid: the spool directory %s, where drafts the database would not take wait, must be a directory (not a link) of the group %s that others cannot enter; fix it with 'chgrp %s %s && chmod 2770 %s'"),
				       dir, gname, gname, dir, dir)
			     : dv_fail(e, DV_EPERM, _("refusing to run setgid: the directory of pending saves %s must be a directory (not a link) of the group %s that others cannot enter; fix it with 'chgrp %s %s && chmod 2770 %s'"),
				       dir, gname, gname, dir, dir);
	}
	free(dir);
	return code;
}

int priv_check_install(const char *db_path, const char *run_dir, dv_error *e)
{
	if (!is_setgid)
		return DV_OK;
	const char *gname = priv_group();
	if (group_gid == 0)
		return dv_fail(e, DV_EPERM, _("refusing to run setgid to root's group; install dovira setgid to its own group"));
	if (db_path[0] != '/')
		return dv_fail(e, DV_EPERM, _("refusing to run setgid: the database path %s is not absolute"), db_path);
	if (check_members(gname, e))
		return e->code;
	char *dir = xstrdup(db_path);
	char *slash = strrchr(dir, '/');
	if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	int code = check_db_dir(dir, gname, e);
	if (!code && strcmp(dir, "/") != 0)
		code = check_parents(dir, e);
	free(dir);
	if (!code)
		code = check_db_file(db_path, gname, e);
	struct stat sb;
	if (!code && run_dir && lstat(run_dir, &sb) == 0 &&
	    (!S_ISDIR(sb.st_mode) || sb.st_uid != 0 || sb.st_gid != group_gid || (sb.st_mode & S_IRWXO)))
		code = dv_fail(e, DV_EPERM, _("refusing to run setgid: the run directory %s, where sessions keep the saves waiting for the lock, must be a directory (not a link) owned by root, of the group %s, that others cannot enter; fix it with 'chown root:%s %s && chmod 2770 %s'"),
			       run_dir, gname, gname, run_dir, run_dir);
	if (!code)
		code = check_private_dir(priv_pending_dir(db_path, run_dir), gname, 0, e);
	if (!code)
		code = check_private_dir(priv_spool_dir(db_path), gname, 1, e);
	return code;
}

int priv_check_conf(const char *path, dv_error *e)
{
	struct stat sb;
	if (!is_setgid || stat(path, &sb) != 0)
		return DV_OK;
	if (sb.st_uid != 0 || (sb.st_mode & (S_IWGRP | S_IWOTH)))
		return dv_fail(e, DV_EPERM, _("refusing to run setgid: the configuration file %s must be owned by root and writable by nobody else"), path);
	return DV_OK;
}
