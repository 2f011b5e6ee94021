/* Harness additions for the spool's crash tests. */
#include "harness_spool.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define HS_READY_MARK "ready on 127.0.0.1:"

static void hs_sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

int harness_kill9(harness *h)
{
    int status;

    if (h->pid <= 0 || kill(h->pid, SIGKILL) != 0)
        return -1;
    while (waitpid(h->pid, &status, 0) < 0 && errno == EINTR)
        ;
    h->pid = 0;
    return 0;
}

/* The port of the n-th ready line of the log (0 while there are fewer). */
static int hs_ready_port(const harness *h, int n)
{
    FILE *f = fopen(h->log_path, "r");
    char line[1024];
    int seen = 0, port = 0;

    while (f && fgets(line, sizeof line, f)) {
        const char *p = strstr(line, HS_READY_MARK);
        if (p && ++seen == n)
            port = atoi(p + strlen(HS_READY_MARK));
    }
    if (f)
        fclose(f);
    return port;
}

static void hs_exec_server(const harness *h)
{
    static char a[6][HARNESS_PATH + 32];
    const char *bin = getenv("HZ_SERVER");
    int fd = open(h->log_path, O_WRONLY | O_CREAT | O_APPEND, 0644);

    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (fd < 0)
        _exit(126);
    dup2(fd, STDOUT_FILENO);
    dup2(fd, STDERR_FILENO);
    close(fd);
    snprintf(a[0], sizeof a[0], "--listen=127.0.0.1:0");
    snprintf(a[1], sizeof a[1], "--data_dir=%s", h->data_dir);
    snprintf(a[2], sizeof a[2], "--tls_cert=%s/server.crt", h->server_creds);
    snprintf(a[3], sizeof a[3], "--tls_key=%s/server.key", h->server_creds);
    snprintf(a[4], sizeof a[4], "--tls_ca=%s/ca.crt", h->server_creds);
    snprintf(a[5], sizeof a[5], "--log_level=debug");
    char *argv[] = {(char *)bin, a[0], a[1], a[2], a[3], a[4], a[5], NULL};
    execv(bin, argv);
    _exit(127);
}

int harness_restart(harness *h)
{
    int before = 0;

    while (hs_ready_port(h, before + 1))
        before++;
    fflush(NULL);
    if ((h->pid = fork()) < 0)
        return -1;
    if (h->pid == 0)
        hs_exec_server(h);
    for (int waited = 0; waited < 90000; waited += 50) {
        int port = hs_ready_port(h, before + 1), status;
        if (port > 0) {
            h->port = port;
            return 0;
        }
        if (waitpid(h->pid, &status, WNOHANG) == h->pid) {
            fprintf(stderr, "harness: restarted huizongd exited (status 0x%x)\n", status);
            h->pid = 0;
            harness_log_tail(h, 40);
            return -1;
        }
        hs_sleep_ms(50);
    }
    fprintf(stderr, "harness: restarted huizongd not ready\n");
    return -1;
}

int harness_stop_all(harness *h)
{
    char path[HARNESS_PATH + 32], comm[64] = "";
    long pid = 0;
    FILE *f;

    snprintf(path, sizeof path, "%s/pg/postmaster.pid", h->data_dir);
    if ((f = fopen(path, "r")) != NULL) {
        if (fscanf(f, "%ld", &pid) != 1)
            pid = 0;
        fclose(f);
    }
    int rc = harness_stop(h);
    snprintf(path, sizeof path, "/proc/%ld/comm", pid);
    if (pid > 1 && (f = fopen(path, "r")) != NULL) {
        if (fgets(comm, sizeof comm, f) && strncmp(comm, "postgres", 8) == 0) {
            kill((pid_t)pid, SIGQUIT);
            for (int i = 0; i < 50 && kill((pid_t)pid, 0) == 0; i++)
                hs_sleep_ms(100);
            kill((pid_t)pid, SIGKILL);
        }
        fclose(f);
    }
    return rc;
}

pid_t harness_client_spawn(const char *home, const char *out_path, char *const args[])
{
    const char *bin = getenv("HZ_CLIENT");
    char *argv[64];
    size_t n = 0;
    pid_t pid;

    if (bin == NULL)
        return -1;
    argv[n++] = (char *)bin;
    for (size_t i = 0; args[i] && n < 63; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    fflush(NULL);
    if ((pid = fork()) != 0)
        return pid;
    int fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int null = open("/dev/null", O_RDONLY);
    if (fd < 0 || null < 0)
        _exit(126);
    dup2(null, STDIN_FILENO);
    dup2(fd, STDOUT_FILENO);
    dup2(fd, STDERR_FILENO);
    setenv("HOME", home, 1);
    unsetenv("HUIZONG_CONFIG");
    unsetenv("XDG_CONFIG_HOME");
    unsetenv("XDG_DATA_HOME");
    execv(bin, argv);
    _exit(127);
}

int harness_client_wait(pid_t pid)
{
    int status;

    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int harness_client_run(const char *home, const char *out_path, char *const args[])
{
    pid_t pid = harness_client_spawn(home, out_path, args);

    return pid < 0 ? -1 : harness_client_wait(pid);
}
