/* Integration-test harness: the server's life, credentials and the database
 * view. The wire side is in harness_wire.c. */
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cert.h"

#define HARNESS_READY_TIMEOUT_MS 90000
#define HARNESS_STOP_TIMEOUT_MS 30000
#define HARNESS_READY_MARK "ready on 127.0.0.1:"

static void harness_kill_postmaster(const harness *h);

void harness_sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* snprintf that reports truncation, so a too-long path is an error. */
__attribute__((format(printf, 3, 4))) static int harness_fmt(char *out, size_t cap,
                                                             const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(out, cap, fmt, ap);
    va_end(ap);
    return n >= 0 && (size_t)n < cap ? 0 : -1;
}

static int harness_path(char *out, const char *dir, const char *name)
{
    return harness_fmt(out, HARNESS_PATH, "%s/%s", dir, name);
}

static int harness_rm_entry(const char *path, const struct stat *st, int flag,
                            struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    remove(path);
    return 0;
}

static void harness_rm_tree(const char *dir)
{
    if (dir[0] && !getenv("HZ_KEEP_TMP"))
        nftw(dir, harness_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    else if (dir[0])
        fprintf(stderr, "harness: kept %s\n", dir);
}

void harness_log_tail(const harness *h, int lines)
{
    FILE *f = fopen(h->log_path, "r");
    if (!f)
        return;
    static char buf[1 << 16];
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    long from = size > (long)sizeof buf - 1 ? size - (long)sizeof buf + 1 : 0;
    fseek(f, from, SEEK_SET);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *p = buf + n;
    for (int seen = 0; p > buf && seen <= lines; p--)
        if (p[-1] == '\n')
            seen++;
    fprintf(stderr, "---- huizongd log (%s) ----\n%s\n---- end of log ----\n",
            h->log_path, p);
}

long harness_server_mem_kb(const harness *h, const char *field)
{
    char path[64], line[256];
    size_t n = strlen(field);
    long kb = -1;

    snprintf(path, sizeof path, "/proc/%d/status", (int)h->pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, field, n) == 0 && line[n] == ':') {
            kb = strtol(line + n + 1, NULL, 10);
            break;
        }
    fclose(f);
    return kb;
}

int harness_server_reset_peak(const harness *h)
{
    char path[64];

    snprintf(path, sizeof path, "/proc/%d/clear_refs", (int)h->pid);
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    int ok = fputs("5", f) >= 0;
    return fclose(f) == 0 && ok ? 0 : -1;
}

int harness_log_contains(const harness *h, const char *needle)
{
    FILE *f = fopen(h->log_path, "r");
    char line[4096];
    int found = 0;

    if (!f)
        return -1;
    while (!found && fgets(line, sizeof line, f))
        found = strstr(line, needle) != NULL;
    fclose(f);
    return found;
}

/* Makes the temp dir, 0755 because the embedded cluster runs as another user
 * when we are root and must traverse it. */
static int harness_make_dirs(harness *h)
{
    snprintf(h->dir, sizeof h->dir, "/tmp/hz-it-XXXXXX");
    if (!mkdtemp(h->dir)) {
        fprintf(stderr, "harness: mkdtemp: %s\n", strerror(errno));
        h->dir[0] = '\0';
        return -1;
    }
    if (chmod(h->dir, 0755) != 0)
        return -1;
    if (harness_path(h->data_dir, h->dir, "data") || harness_path(h->log_path, h->dir, "huizongd.log") ||
        harness_path(h->main_ca, h->dir, "ca-main") || harness_path(h->server_creds, h->dir, "server"))
        return -1;
    snprintf(h->dsn, sizeof h->dsn, "host=%s/run user=huizong dbname=huizong", h->data_dir);
    return 0;
}

static int harness_make_certs(harness *h)
{
    char err[256];
    if (cert_ca_init(h->main_ca, "main", err, sizeof err) != 0 ||
        cert_issue_server(h->main_ca, "localhost,127.0.0.1", 30, h->server_creds, err,
                          sizeof err) != 0) {
        fprintf(stderr, "harness: certificates: %s\n", err);
        return -1;
    }
    return 0;
}

/* In the child: the server must not outlive a test process that dies
 * abruptly, and its output goes to the log. */
static void harness_exec(const harness *h, char *const argv[])
{
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    int fd = open(h->log_path, O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd < 0)
        _exit(126);
    dup2(fd, STDOUT_FILENO);
    dup2(fd, STDERR_FILENO);
    close(fd);
    execv(argv[0], argv);
    fprintf(stderr, "harness: exec %s: %s\n", argv[0], strerror(errno));
    _exit(127);
}

int harness_spawn(harness *h, const char *const args[])
{
    char *argv[HARNESS_SPAWN_ARGS + 2] = {0};
    size_t n = 0;
    argv[n++] = getenv("HZ_SERVER");
    for (size_t i = 0; args && args[i] && i < HARNESS_SPAWN_ARGS; i++)
        argv[n++] = (char *)args[i];
    fflush(NULL);
    h->pid = fork();
    if (h->pid < 0) {
        h->pid = 0;
        return -1;
    }
    if (h->pid == 0)
        harness_exec(h, argv);
    return 0;
}

int harness_spawn_server(harness *h, const char *const extra[])
{
    char a[6][HARNESS_PATH + 32];
    const char *args[6 + HARNESS_MAX_ARGS + 1] = {0};
    snprintf(a[0], sizeof a[0], "--listen=127.0.0.1:0");
    snprintf(a[1], sizeof a[1], "--data_dir=%s", h->data_dir);
    snprintf(a[2], sizeof a[2], "--tls_cert=%s/server.crt", h->server_creds);
    snprintf(a[3], sizeof a[3], "--tls_key=%s/server.key", h->server_creds);
    snprintf(a[4], sizeof a[4], "--tls_ca=%s/ca.crt", h->server_creds);
    snprintf(a[5], sizeof a[5], "--log_level=debug");
    size_t n = 0;
    for (; n < 6; n++)
        args[n] = a[n];
    for (size_t i = 0; extra && i < HARNESS_MAX_ARGS && extra[i]; i++)
        args[n++] = extra[i];
    return harness_spawn(h, args);
}

/* The port of ready line number nth of the log; 0 while there are fewer. */
static int harness_ready_port(const harness *h, int nth)
{
    FILE *f = fopen(h->log_path, "r");
    if (!f)
        return 0;
    char line[1024];
    int seen = 0, port = 0;
    while (!port && fgets(line, sizeof line, f)) {
        const char *p = strstr(line, HARNESS_READY_MARK);
        if (p && ++seen == nth)
            port = atoi(p + strlen(HARNESS_READY_MARK));
    }
    fclose(f);
    return port;
}

int harness_ready_lines(const harness *h)
{
    int n = 0;
    while (harness_ready_port(h, n + 1) > 0)
        n++;
    return n;
}

int harness_wait_ready(harness *h, int nth)
{
    for (long waited = 0; waited < HARNESS_READY_TIMEOUT_MS; waited += 50) {
        h->port = harness_ready_port(h, nth);
        if (h->port > 0)
            return 0;
        int status;
        if (waitpid(h->pid, &status, WNOHANG) == h->pid) {
            fprintf(stderr, "harness: huizongd exited before ready (status 0x%x)\n", status);
            h->pid = 0;
            harness_kill_postmaster(h);
            return -1;
        }
        harness_sleep_ms(50);
    }
    fprintf(stderr, "harness: huizongd not ready after %d ms\n", HARNESS_READY_TIMEOUT_MS);
    return -1;
}

int harness_prepare(harness *h)
{
    memset(h, 0, sizeof *h);
    /* A peer that closes first must not kill the test with SIGPIPE. */
    signal(SIGPIPE, SIG_IGN);
    const char *bin = getenv("HZ_SERVER");
    if (!bin || access(bin, X_OK) != 0) {
        fprintf(stderr, "harness: HZ_SERVER is not set to an executable huizongd\n");
        return -1;
    }
    if (harness_make_dirs(h) != 0 || harness_make_certs(h) != 0) {
        harness_rm_tree(h->dir);
        return -1;
    }
    return 0;
}

int harness_start(harness *h, const harness_opts *opts)
{
    if (harness_prepare(h) != 0)
        return -1;
    if (harness_spawn_server(h, opts ? opts->args : NULL) != 0) {
        harness_rm_tree(h->dir);
        return -1;
    }
    if (harness_wait_ready(h, 1) != 0) {
        harness_log_tail(h, 60);
        harness_stop(h);
        return -1;
    }
    return 0;
}

int harness_start_tree(harness *h)
{
    if (harness_start(h, NULL) != 0)
        return -1;
    return harness_setup_tree(h) == 0 ? 0 : -1;
}

int harness_server_running(harness *h)
{
    if (h->pid <= 0)
        return 0;
    if (waitpid(h->pid, &h->exit_status, WNOHANG) == 0)
        return 1;
    h->pid = -1;
    return 0;
}

static int harness_wait_exit(pid_t pid, long timeout_ms, int *status)
{
    for (long waited = 0; waited < timeout_ms; waited += 20) {
        pid_t r = waitpid(pid, status, WNOHANG);
        if (r == pid || (r < 0 && errno == ECHILD))
            return 0;
        harness_sleep_ms(20);
    }
    return -1;
}

/* Guards against a stale pid file whose pid now names another process. */
static int harness_is_postgres(pid_t pid)
{
    char path[64], comm[64] = "";
    snprintf(path, sizeof path, "/proc/%ld/comm", (long)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    int ok = fgets(comm, sizeof comm, f) && strncmp(comm, "postgres", 8) == 0;
    fclose(f);
    return ok;
}

pid_t harness_postmaster(const harness *h)
{
    char path[HARNESS_PATH + 32];
    snprintf(path, sizeof path, "%s/pg/postmaster.pid", h->data_dir);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    long pid = 0;
    if (fscanf(f, "%ld", &pid) != 1 || pid <= 1 || !harness_is_postgres((pid_t)pid))
        pid = 0;
    fclose(f);
    return (pid_t)pid;
}

void harness_kill_postgres(pid_t pid, long grace_ms)
{
    if (pid <= 1 || !harness_is_postgres(pid))
        return;
    kill(pid, SIGQUIT);
    for (long waited = 0; waited < grace_ms && kill(pid, 0) == 0; waited += 100)
        harness_sleep_ms(100);
    if (harness_is_postgres(pid))
        kill(pid, SIGKILL);
}

/* After a SIGKILL the server could not stop its cluster: stop the postmaster
 * it started, found by the pid in its own pid file. */
static void harness_kill_postmaster(const harness *h)
{
    harness_kill_postgres(harness_postmaster(h), 500);
}

int harness_stop(harness *h)
{
    int rc = 0;
    harness_close_all();
    if (h->pg) {
        PQfinish(h->pg);
        h->pg = NULL;
    }
    if (h->pid > 0) {
        int status = 0;
        kill(h->pid, SIGTERM);
        if (harness_wait_exit(h->pid, HARNESS_STOP_TIMEOUT_MS, &status) != 0) {
            fprintf(stderr, "harness: huizongd ignored SIGTERM; killing it\n");
            kill(h->pid, SIGKILL);
            harness_wait_exit(h->pid, 5000, &status);
            rc = -1;
        } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, "harness: huizongd stopped with status 0x%x\n", status);
            rc = -1;
        }
        if (rc != 0) {
            harness_log_tail(h, 60);
            harness_kill_postmaster(h);
        }
        h->pid = 0;
    } else if (h->pid < 0) {
        fprintf(stderr, "harness: huizongd died during the tests (status 0x%x)\n",
                h->exit_status);
        harness_log_tail(h, 60);
        harness_kill_postmaster(h);
        rc = -1;
    }
    harness_rm_tree(h->dir);
    h->dir[0] = '\0';
    return rc;
}

static const char *harness_creds_new(harness *h, const char *ca_dir, const char *label,
                                     const char *unit, const char *role)
{
    char dir[HARNESS_PATH];
    if (harness_fmt(dir, sizeof dir, "%s/creds-%s-%s-%s", h->dir, label, role, unit) != 0)
        return NULL;
    for (size_t i = 0; i < h->n_creds; i++)
        if (strcmp(h->creds[i], dir) == 0)
            return h->creds[i];
    if (h->n_creds == HARNESS_MAX_CREDS)
        return NULL;
    char err[256];
    if (cert_issue_client(ca_dir, unit, role, 30, dir, err, sizeof err) != 0) {
        fprintf(stderr, "harness: client certificate %s/%s: %s\n", role, unit, err);
        return NULL;
    }
    memcpy(h->creds[h->n_creds], dir, sizeof dir);
    return h->creds[h->n_creds++];
}

const char *harness_issue_creds(harness *h, const char *unit, const char *role)
{
    return harness_creds_new(h, h->main_ca, "main", unit, role);
}

const char *harness_issue_creds_ca(harness *h, const char *ca, const char *unit,
                                   const char *role)
{
    char ca_dir[HARNESS_PATH], crt[HARNESS_PATH];
    if (harness_fmt(ca_dir, sizeof ca_dir, "%s/ca-%s", h->dir, ca) != 0 ||
        harness_path(crt, ca_dir, "ca.crt") != 0)
        return NULL;
    char err[256];
    if (access(crt, R_OK) != 0 && cert_ca_init(ca_dir, ca, err, sizeof err) != 0) {
        fprintf(stderr, "harness: CA %s: %s\n", ca, err);
        return NULL;
    }
    return harness_creds_new(h, ca_dir, ca, unit, role);
}

PGconn *harness_pg(harness *h)
{
    if (h->pg && PQstatus(h->pg) == CONNECTION_OK)
        return h->pg;
    if (h->pg)
        PQfinish(h->pg);
    /* The tests' own queries of helpers (sql/README.md: hz_private) run with
     * the search_path every entry point carries. */
    char dsn[sizeof h->dsn + 64];
    snprintf(dsn, sizeof dsn, "%s options='-c search_path=public,hz_private,pg_temp'", h->dsn);
    h->pg = PQconnectdb(dsn);
    if (PQstatus(h->pg) != CONNECTION_OK) {
        fprintf(stderr, "harness: %s: %s", h->dsn, PQerrorMessage(h->pg));
        PQfinish(h->pg);
        h->pg = NULL;
    }
    return h->pg;
}

static PGresult *harness_pg_query(harness *h, const char *sql, const char *param)
{
    PGconn *c = harness_pg(h);
    if (!c)
        return NULL;
    PGresult *r = PQexecParams(c, sql, param ? 1 : 0, NULL, param ? &param : NULL, NULL,
                               NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) < 1 || PQnfields(r) < 1) {
        fprintf(stderr, "harness: query failed: %s\n  %s", sql, PQresultErrorMessage(r));
        PQclear(r);
        return NULL;
    }
    return r;
}

long harness_pg_count(harness *h, const char *sql, const char *param)
{
    PGresult *r = harness_pg_query(h, sql, param);
    if (!r)
        return -1;
    long n = PQgetisnull(r, 0, 0) ? -1 : strtol(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    return n;
}

char *harness_pg_text(harness *h, const char *sql, const char *param)
{
    PGresult *r = harness_pg_query(h, sql, param);
    if (!r)
        return NULL;
    char *s = PQgetisnull(r, 0, 0) ? NULL : strdup(PQgetvalue(r, 0, 0));
    PQclear(r);
    return s;
}
