/* The embedded PostgreSQL cluster: initdb on first use, pg_ctl start/stop,
 * the `huizong` database. Programs run with fork+execv (no shell), as an
 * unprivileged user when we are root, because PostgreSQL refuses root. */
#include "db/pg_embedded.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <libpq-fe.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "db/pg_bootstrap.h"
#include "log.h"

#define PG_DEFAULT_BINDIR "/usr/lib/postgresql/15/bin"

/* Who runs the cluster's programs: uid -1 means "as ourselves". */
typedef struct {
    uid_t uid;
    gid_t gid;
    int drop;
} pg_user;

typedef struct {
    const pg_embedded *pg;
    char data_dir[PATH_MAX];
    char bindir[PATH_MAX];
    pg_user user;
    char *err;
    size_t errlen;
} pg_ctx;

static int pg_fail(pg_ctx *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int pg_fail(pg_ctx *x, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(x->err, x->errlen, fmt, ap);
    va_end(ap);
    return -1;
}

/* ---- running programs ---------------------------------------------------- */

static void pg_close_from(int first)
{
    if (close_range((unsigned)first, ~0u, 0) == 0)
        return;
    long max = sysconf(_SC_OPEN_MAX);
    if (max < 0 || max > 65536)
        max = 65536;
    for (int fd = first; fd < max; fd++)
        close(fd);
}

/* Starts argv[0] with stdout/stderr to `out_fd` (or /dev/null when -1);
 * returns its pid, or -1. */
static pid_t pg_spawn(const pg_user *u, char *const argv[], int out_fd)
{
    pid_t pid = fork();
    if (pid == 0) {
        int nul = open("/dev/null", O_RDWR);
        int out = out_fd >= 0 ? out_fd : nul;
        if (nul < 0 || dup2(nul, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0)
            _exit(126);
        /* A postmaster started from the loop must not hold the server's
         * sockets (listeners, clients, the pool) open after we close them. */
        pg_close_from(3);
        if (u->drop && (setgroups(0, NULL) != 0 || setgid(u->gid) != 0 || setuid(u->uid) != 0))
            _exit(126);
        /* Our working directory may be closed to the cluster's user. */
        if (chdir("/") != 0)
            _exit(126);
        execv(argv[0], argv);
        _exit(127);
    }
    return pid;
}

/* Runs argv[0] to its end: its exit status, or -1 if it could not be run or
 * was killed. */
static int pg_run(const pg_user *u, char *const argv[], int out_fd)
{
    pid_t pid = pg_spawn(u, argv, out_fd);
    if (pid < 0)
        return -1;
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Opens a log file for appending, owned by the cluster's user so that
 * pg_ctl -l (which opens it itself, as that user) can write to it too. */
static int pg_open_log(const pg_ctx *x, const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd >= 0 && x->user.drop && fchown(fd, x->user.uid, x->user.gid) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* pg_ctl -D <datadir> args...: started (wait 0: returns its pid) or run to
 * its end (wait 1: returns its exit status); -1 when it could not be run. */
static int pg_ctl_run(const pg_ctx *x, const char *logpath, char *const args[], int wait)
{
    char prog[PATH_MAX + 16];
    char *argv[16];
    int n = 0;
    snprintf(prog, sizeof prog, "%s/pg_ctl", x->bindir);
    argv[n++] = prog;
    argv[n++] = "-D";
    argv[n++] = (char *)x->pg->datadir;
    for (int i = 0; args[i] && n < 15; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    int fd = logpath ? pg_open_log(x, logpath) : -1;
    if (logpath && fd < 0)
        return -1;
    int rc = wait ? pg_run(&x->user, argv, fd) : (int)pg_spawn(&x->user, argv, fd);
    if (fd >= 0)
        close(fd);
    return rc;
}

static int pg_ctl(const pg_ctx *x, const char *logpath, char *const args[])
{
    return pg_ctl_run(x, logpath, args, 1);
}

/* ---- finding things ------------------------------------------------------ */

static int pg_is_exec(const char *dir, const char *name)
{
    char p[PATH_MAX + 16];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return access(p, X_OK) == 0;
}

/* pg_config --bindir, read through a pipe (no shell). */
static int pg_config_bindir(char *out, size_t len)
{
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        close(fds[0]);
        if (dup2(fds[1], 1) < 0)
            _exit(126);
        execlp("pg_config", "pg_config", "--bindir", (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    ssize_t n = read(fds[0], out, len - 1);
    close(fds[0]);
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (n <= 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return -1;
    out[n] = '\0';
    out[strcspn(out, "\r\n")] = '\0';
    return out[0] ? 0 : -1;
}

static int pg_find_bindir(pg_ctx *x, const char *bindir)
{
    if (bindir && bindir[0])
        snprintf(x->bindir, sizeof x->bindir, "%s", bindir);
    else if (pg_is_exec(PG_DEFAULT_BINDIR, "initdb"))
        snprintf(x->bindir, sizeof x->bindir, "%s", PG_DEFAULT_BINDIR);
    else if (pg_config_bindir(x->bindir, sizeof x->bindir) != 0)
        return pg_fail(x, "PostgreSQL 15 not found: no %s/initdb and no pg_config on PATH "
                          "(install postgresql-15 or set the binary directory)",
                       PG_DEFAULT_BINDIR);
    if (!pg_is_exec(x->bindir, "initdb") || !pg_is_exec(x->bindir, "pg_ctl"))
        return pg_fail(x, "no initdb/pg_ctl in PostgreSQL binary directory %s", x->bindir);
    return 0;
}

int pg_embedded_tool(const char *bindir, const char *tool, char *path, size_t len, char *err,
                     size_t errlen)
{
    pg_ctx x = {.err = err, .errlen = errlen};
    if (pg_find_bindir(&x, bindir) != 0)
        return -1;
    if (!pg_is_exec(x.bindir, tool))
        return pg_fail(&x, "no %s in PostgreSQL binary directory %s", tool, x.bindir);
    if (snprintf(path, len, "%s/%s", x.bindir, tool) >= (int)len)
        return pg_fail(&x, "PostgreSQL binary directory path too long: %s", x.bindir);
    return 0;
}

int pg_embedded_run_tool(char *const argv[])
{
    const pg_user self = {0};
    return pg_run(&self, argv, 2);
}

static int pg_pick_user(pg_ctx *x, pg_embedded *pg, const char *run_as)
{
    if (geteuid() != 0) {
        pg->run_as[0] = '\0';
        return 0;
    }
    const char *name = run_as && run_as[0] ? run_as : "postgres";
    struct passwd *pw = getpwnam(name);
    if (!pw && !(run_as && run_as[0]))
        pw = getpwnam(name = "nobody");
    if (!pw)
        return pg_fail(x, "user \"%s\" to run the embedded PostgreSQL as does not exist", name);
    if (pw->pw_uid == 0)
        return pg_fail(x, "the embedded PostgreSQL cannot run as root (user \"%s\")", name);
    snprintf(pg->run_as, sizeof pg->run_as, "%s", name);
    x->user = (pg_user){.uid = pw->pw_uid, .gid = pw->pw_gid, .drop = 1};
    return 0;
}

/* ---- directories --------------------------------------------------------- */

static int pg_mkdir_p(pg_ctx *x, const char *path)
{
    char buf[PATH_MAX];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
        return pg_fail(x, "data directory path too long: %s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0755) != 0 && errno != EEXIST)
            return pg_fail(x, "cannot create %s: %s", buf, strerror(errno));
        *p = '/';
    }
    if (mkdir(buf, 0700) != 0 && errno != EEXIST)
        return pg_fail(x, "cannot create %s: %s", buf, strerror(errno));
    return 0;
}

/* Can the cluster's user pass through `dir`? setgroups(0) in the child
 * drops supplementary groups, so only owner, primary group and others count. */
static int pg_user_can_enter(const pg_user *u, const struct stat *st)
{
    if (st->st_uid == u->uid)
        return (st->st_mode & S_IXUSR) != 0;
    if (st->st_gid == u->gid)
        return (st->st_mode & S_IXGRP) != 0;
    return (st->st_mode & S_IXOTH) != 0;
}

static int pg_check_parents(pg_ctx *x)
{
    char buf[PATH_MAX];
    snprintf(buf, sizeof buf, "%s", x->data_dir);
    char *slash = strrchr(buf, '/');
    while (slash) {
        *slash = '\0';
        const char *dir = buf[0] ? buf : "/";
        struct stat st;
        if (stat(dir, &st) != 0)
            return pg_fail(x, "cannot stat %s: %s", dir, strerror(errno));
        if (!pg_user_can_enter(&x->user, &st))
            return pg_fail(x, "directory %s is not traversable by user \"%s\", which runs the "
                              "embedded PostgreSQL (chmod o+x %s, or move the data directory)",
                           dir, x->pg->run_as, dir);
        slash = buf[0] ? strrchr(buf, '/') : NULL;
    }
    return 0;
}

static int pg_own_dir(pg_ctx *x, const char *path)
{
    if (mkdir(path, 0700) != 0 && errno != EEXIST)
        return pg_fail(x, "cannot create %s: %s", path, strerror(errno));
    if (x->user.drop && chown(path, x->user.uid, x->user.gid) != 0)
        return pg_fail(x, "cannot chown %s to %s: %s", path, x->pg->run_as, strerror(errno));
    return 0;
}

/* The socket dir is spliced into pg_ctl's -o, which pg_ctl hands to a
 * shell, so only characters that need no quoting are accepted. */
static int pg_path_is_plain(const char *p)
{
    for (; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              (*p >= '0' && *p <= '9') || strchr("/._+-", *p)))
            return 0;
    return 1;
}

static int pg_prepare_dirs(pg_ctx *x, pg_embedded *pg, const char *data_dir)
{
    if (pg_mkdir_p(x, data_dir) != 0)
        return -1;
    if (!realpath(data_dir, x->data_dir))
        return pg_fail(x, "cannot resolve %s: %s", data_dir, strerror(errno));
    if (!pg_path_is_plain(x->data_dir))
        return pg_fail(x, "data directory %s may hold only letters, digits and /._+-",
                       x->data_dir);
    if (snprintf(pg->datadir, sizeof pg->datadir, "%s/pg", x->data_dir) >=
            (int)sizeof pg->datadir ||
        snprintf(pg->sockdir, sizeof pg->sockdir, "%s/run", x->data_dir) >=
            (int)sizeof pg->sockdir)
        return pg_fail(x, "data directory path too long: %s", x->data_dir);
    if (strlen(pg->sockdir) + sizeof "/.s.PGSQL.65535" > sizeof(((struct sockaddr_un *)0)->sun_path))
        return pg_fail(x, "data directory path %s too long for a Unix socket under it",
                       x->data_dir);
    if (x->user.drop) {
        if (chmod(x->data_dir, 0711) != 0)
            return pg_fail(x, "cannot chmod %s: %s", x->data_dir, strerror(errno));
        if (pg_check_parents(x) != 0)
            return -1;
    }
    if (pg_own_dir(x, pg->datadir) != 0 || pg_own_dir(x, pg->sockdir) != 0)
        return -1;
    return 0;
}

/* ---- the steps ----------------------------------------------------------- */

static int pg_initdb(pg_ctx *x)
{
    char version[PATH_MAX + 16], prog[PATH_MAX + 16], logpath[PATH_MAX + 16];
    snprintf(version, sizeof version, "%s/PG_VERSION", x->pg->datadir);
    if (access(version, F_OK) == 0)
        return 0;
    snprintf(prog, sizeof prog, "%s/initdb", x->bindir);
    snprintf(logpath, sizeof logpath, "%s/initdb.log", x->data_dir);
    char *argv[] = {prog, "-D", (char *)x->pg->datadir, "-U", PG_BOOTSTRAP_ROLE,
                    "--auth-local=trust", "--auth-host=reject",
                    "-E", "UTF8", "--no-locale", NULL};
    int fd = pg_open_log(x, logpath);
    if (fd < 0)
        return pg_fail(x, "cannot open %s: %s", logpath, strerror(errno));
    log_info("embedded PostgreSQL: initdb %s", x->pg->datadir);
    int rc = pg_run(&x->user, argv, fd);
    close(fd);
    if (rc != 0)
        return pg_fail(x, "initdb failed (exit %d); see %s", rc, logpath);
    return 0;
}

/* pg_ctl start's arguments, in `opts` and `logpath` the caller provides. */
static void pg_start_args(const pg_embedded *pg, char *opts, size_t optslen, char *logpath,
                          size_t loglen, char *args[9])
{
    /* datadir is <data_dir>/pg: the log sits beside it. */
    size_t dlen = strlen(pg->datadir) - (sizeof "/pg" - 1);
    snprintf(logpath, loglen, "%.*s/postgresql.log", (int)dlen, pg->datadir);
    snprintf(opts, optslen,
             "-c listen_addresses='' -c unix_socket_directories='%s' -c fsync=on",
             pg->sockdir);
    char *const a[9] = {"-l", logpath, "-w", "-t", "60", "-o", opts, "start", NULL};
    memcpy(args, a, sizeof a);
}

static int pg_start_cluster(pg_ctx *x, pg_embedded *pg)
{
    char logpath[PATH_MAX + 32], opts[sizeof pg->sockdir + 128];
    char *status[] = {"status", NULL};
    if (pg_ctl(x, NULL, status) == 0) {
        log_info("embedded PostgreSQL already running in %s; reusing it", pg->datadir);
        return 0;
    }
    char *start[9];
    pg_start_args(pg, opts, sizeof opts, logpath, sizeof logpath, start);
    int rc = pg_ctl(x, logpath, start);
    if (rc != 0)
        return pg_fail(x, "pg_ctl start failed (exit %d); see %s", rc, logpath);
    pg->started = 1;
    log_info("embedded PostgreSQL started in %s (socket in %s)", pg->datadir, pg->sockdir);
    return 0;
}

int pg_embedded_start(pg_embedded *pg, const char *data_dir, const char *bindir,
                      const char *run_as, char *err, size_t errlen)
{
    memset(pg, 0, sizeof *pg);
    pg_ctx x = {.pg = pg, .err = err, .errlen = errlen};
    if (!data_dir || !data_dir[0])
        return pg_fail(&x, "no data directory given for the embedded PostgreSQL");
    if (pg_find_bindir(&x, bindir) != 0 || pg_pick_user(&x, pg, run_as) != 0 ||
        pg_prepare_dirs(&x, pg, data_dir) != 0 || pg_initdb(&x) != 0 ||
        pg_start_cluster(&x, pg) != 0)
        return -1;
    snprintf(pg->bindir, sizeof pg->bindir, "%s", x.bindir);
    if (pg_bootstrap_roles(pg->sockdir, err, errlen) != 0) {
        pg_embedded_stop(pg);
        return -1;
    }
    snprintf(pg->dsn, sizeof pg->dsn, "host=%s user=" PG_OWNER_ROLE " dbname=" PG_DATABASE,
             pg->sockdir);
    snprintf(pg->login_dsn, sizeof pg->login_dsn,
             "host=%s user=" PG_LOGIN_ROLE " dbname=" PG_DATABASE, pg->sockdir);
    return 0;
}

/* The context of a running cluster: its binaries and its user. */
static int pg_ctx_of(pg_ctx *x, const pg_embedded *pg)
{
    if (pg_find_bindir(x, pg->bindir) != 0)
        return -1;
    if (pg->run_as[0]) {
        struct passwd *pw = getpwnam(pg->run_as);
        if (!pw)
            return pg_fail(x, "user %s vanished", pg->run_as);
        x->user = (pg_user){.uid = pw->pw_uid, .gid = pw->pw_gid, .drop = 1};
    }
    return 0;
}

pid_t pg_embedded_spawn_start(const pg_embedded *pg, char *err, size_t errlen)
{
    pg_ctx x = {.pg = pg, .err = err, .errlen = errlen};
    char logpath[sizeof pg->datadir + 32], opts[sizeof pg->sockdir + 128];
    char *start[9];
    if (pg_ctx_of(&x, pg) != 0)
        return -1;
    pg_start_args(pg, opts, sizeof opts, logpath, sizeof logpath, start);
    int pid = pg_ctl_run(&x, logpath, start, 0);
    if (pid < 0)
        pg_fail(&x, "cannot run pg_ctl start: %s", strerror(errno));
    return (pid_t)pid;
}

/* A zombie still answers kill(pid, 0): /proc says whether it runs. */
static int pg_pid_runs(pid_t pid)
{
    char path[64], buf[256];
    snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return kill(pid, 0) == 0 || errno == EPERM;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    const char *paren = strrchr(buf, ')');
    return paren && paren[1] == ' ' && paren[2] != 'Z' && paren[2] != 'X';
}

/* The pid postmaster.pid names (0 when there is no such file). */
static long pg_pid_file(const pg_embedded *pg, char *path, size_t len)
{
    snprintf(path, len, "%s/postmaster.pid", pg->datadir);
    FILE *f = fopen(path, "r");
    long pid = 0;
    if (!f)
        return 0;
    if (fscanf(f, "%ld", &pid) != 1 || pid <= 0)
        pid = 0;
    fclose(f);
    return pid;
}

pid_t pg_embedded_postmaster(const pg_embedded *pg)
{
    char path[sizeof pg->datadir + 32];
    long pid = pg_pid_file(pg, path, sizeof path);
    return pid > 0 && pg_pid_runs((pid_t)pid) ? (pid_t)pid : 0;
}

void pg_embedded_clear_stale_pid(const pg_embedded *pg)
{
    char path[sizeof pg->datadir + 32];
    long pid = pg_pid_file(pg, path, sizeof path);
    if (pid <= 0 || pg_pid_runs((pid_t)pid))
        return;
    if (unlink(path) == 0)
        log_info("embedded PostgreSQL: removed %s of postmaster %ld, which is gone", path, pid);
    else
        log_warn("embedded PostgreSQL: cannot remove %s: %s", path, strerror(errno));
}

void pg_embedded_stop(pg_embedded *pg)
{
    if (!pg || !pg->started)
        return;
    char err[256];
    pg_ctx x = {.pg = pg, .err = err, .errlen = sizeof err};
    if (pg_ctx_of(&x, pg) != 0) {
        log_error("embedded PostgreSQL: cannot stop it: %s", err);
        return;
    }
    if (pg_embedded_postmaster(pg) == 0) {
        log_info("embedded PostgreSQL is not running: nothing to stop");
        pg->started = 0;
        return;
    }
    /* datadir is <data_dir>/pg: the log sits beside it. */
    char logpath[sizeof pg->datadir + 32];
    size_t dlen = strlen(pg->datadir) - (sizeof "/pg" - 1);
    snprintf(logpath, sizeof logpath, "%.*s/postgresql.log", (int)dlen, pg->datadir);
    char *stop[] = {"-m", "fast", "-w", "stop", NULL};
    int rc = pg_ctl(&x, logpath, stop);
    if (rc != 0)
        log_error("embedded PostgreSQL: pg_ctl stop failed (exit %d); see %s", rc, logpath);
    else
        log_info("embedded PostgreSQL stopped");
    pg->started = 0;
}
