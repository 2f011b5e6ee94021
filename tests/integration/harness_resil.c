/* Harness additions for the resilience tests. */
#include "harness_resil.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#define HR_RELOADED_MARK "SIGHUP: TLS certificates reloaded"
#define HR_PG_DEFAULT_BINDIR "/usr/lib/postgresql/15/bin"

static void hr_config_path(const harness *h, char *out)
{
    snprintf(out, HARNESS_PATH, "%.400s/huizongd.conf", h->dir);
}

int hr_write_config(const harness *h, const char *extra)
{
    char path[HARNESS_PATH];
    hr_config_path(h, path);
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f, "# written by the resilience tests\nlisten = 127.0.0.1:0\ndata_dir = %s\n"
               "tls_cert = %s/server.crt\ntls_key = %s/server.key\ntls_ca = %s/ca.crt\n%s",
            h->data_dir, h->server_creds, h->server_creds, h->server_creds, extra ? extra : "");
    return fclose(f) == 0 ? 0 : -1;
}

int hr_start(harness *h, const char *const args[], char *config_out)
{
    const char *argv[2 + HARNESS_MAX_ARGS + 1] = {"--config", config_out};
    size_t n = 2;

    if (harness_prepare(h) != 0)
        return -1;
    if (hr_write_config(h, NULL) != 0) {
        harness_stop(h);
        return -1;
    }
    hr_config_path(h, config_out);
    for (size_t i = 0; args && args[i] && i < HARNESS_MAX_ARGS; i++)
        argv[n++] = args[i];
    if (harness_spawn(h, argv) != 0) {
        harness_stop(h);
        return -1;
    }
    if (harness_wait_ready(h, 1) != 0) {
        harness_log_tail(h, 60);
        harness_stop(h);
        return -1;
    }
    return 0;
}

long hr_log_count(const harness *h, const char *needle)
{
    FILE *f = fopen(h->log_path, "r");
    char line[4096];
    long n = 0;

    while (f && fgets(line, sizeof line, f))
        if (strstr(line, needle))
            n++;
    if (f)
        fclose(f);
    return n;
}

int hr_sighup(harness *h)
{
    long before = hr_log_count(h, HR_RELOADED_MARK);

    if (h->pid <= 0 || kill(h->pid, SIGHUP) != 0)
        return -1;
    for (int waited = 0; waited < 10000; waited += 20) {
        if (hr_log_count(h, HR_RELOADED_MARK) > before)
            return 0;
        harness_sleep_ms(20);
    }
    fprintf(stderr, "harness_resil: no \"%s\" after SIGHUP\n", HR_RELOADED_MARK);
    harness_log_tail(h, 20);
    return -1;
}

/* $PG_BINDIR, PostgreSQL 15's usual place, or pg_config --bindir. */
static int hr_pg_bindir(char *out, size_t cap)
{
    const char *env = getenv("PG_BINDIR");
    if (env && env[0])
        return snprintf(out, cap, "%s", env) < (int)cap ? 0 : -1;
    snprintf(out, cap, "%s", HR_PG_DEFAULT_BINDIR);
    if (access(HR_PG_DEFAULT_BINDIR "/pg_ctl", X_OK) == 0)
        return 0;
    FILE *p = popen("pg_config --bindir", "r");
    int ok = p && fgets(out, (int)cap, p) != NULL;
    if (p)
        pclose(p);
    out[strcspn(out, "\n")] = '\0';
    return ok ? 0 : -1;
}

/* In the child: become the cluster's user (postgres, else nobody, as the
 * server picks it) when we are root; pg_ctl refuses to run as root. */
static void hr_drop_root(void)
{
    if (geteuid() != 0)
        return;
    struct passwd *pw = getpwnam("postgres");
    if (!pw)
        pw = getpwnam("nobody");
    if (!pw || setgroups(0, NULL) != 0 || setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0)
        _exit(126);
}

int hr_pg_ctl(const harness *h, const char *action)
{
    char bindir[HARNESS_PATH], prog[HARNESS_PATH + 16], real[HARNESS_PATH], pgdata[HARNESS_PATH + 8];
    char logpath[HARNESS_PATH + 32], opts[HARNESS_PATH + 128];

    if (hr_pg_bindir(bindir, sizeof bindir) != 0 || !realpath(h->data_dir, real))
        return -1;
    snprintf(prog, sizeof prog, "%s/pg_ctl", bindir);
    snprintf(pgdata, sizeof pgdata, "%s/pg", real);
    snprintf(logpath, sizeof logpath, "%s/postgresql.log", real);
    /* The same options as server/db/pg_embedded.c's pg_start_cluster. */
    snprintf(opts, sizeof opts,
             "-c listen_addresses='' -c unix_socket_directories='%s/run' -c fsync=on", real);
    char *stop[] = {prog, "-D", pgdata, "-m", "immediate", "-w", "stop", NULL};
    char *start[] = {prog, "-D", pgdata, "-l", logpath, "-w", "-t", "60", "-o", opts, "start", NULL};
    char **argv = strcmp(action, "stop") == 0 ? stop : start;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int nul = open("/dev/null", O_RDWR);
        if (nul < 0 || dup2(nul, 0) < 0 || dup2(nul, 1) < 0 || dup2(nul, 2) < 0)
            _exit(126);
        hr_drop_root();
        if (chdir("/") != 0)
            _exit(126);
        execv(argv[0], argv);
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

Huizong__Response *hr_call_until_available(SSL *s, Huizong__Request *req, uint64_t first_id,
                                           long timeout_ms)
{
    for (long waited = 0; waited < timeout_ms; waited += 250) {
        req->request_id = first_id + (uint64_t)waited;
        Huizong__Response *r = harness_call(s, req);
        if (!r || r->status != HUIZONG__STATUS__UNAVAILABLE)
            return r;
        harness_response_free(r);
        harness_sleep_ms(250);
    }
    return NULL;
}

int hr_wait_exit(harness *h, long timeout_ms, int *status)
{
    for (long waited = 0; waited < timeout_ms; waited += 20) {
        if (waitpid(h->pid, status, WNOHANG) == h->pid) {
            h->pid = 0;
            return 0;
        }
        harness_sleep_ms(20);
    }
    return -1;
}

static int hr_x509_fingerprint(X509 *crt, unsigned char out[HR_FP_LEN])
{
    unsigned int n = 0;
    int ok = crt && X509_digest(crt, EVP_sha256(), out, &n) == 1 && n == HR_FP_LEN;
    X509_free(crt);
    return ok ? 0 : -1;
}

int hr_peer_fingerprint(SSL *ssl, unsigned char out[HR_FP_LEN])
{
    return ssl ? hr_x509_fingerprint(SSL_get1_peer_certificate(ssl), out) : -1;
}

int hr_file_fingerprint(const char *path, unsigned char out[HR_FP_LEN])
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    X509 *crt = PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    return hr_x509_fingerprint(crt, out);
}
