/* Harness additions for the spool's crash tests. */
#include "harness_spool.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

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

int harness_restart(harness *h)
{
    int before = harness_ready_lines(h);

    if (harness_spawn_server(h, NULL) != 0)
        return -1;
    if (harness_wait_ready(h, before + 1) != 0) {
        harness_log_tail(h, 40);
        return -1;
    }
    return 0;
}

int harness_stop_all(harness *h)
{
    /* Read first: harness_stop removes the data dir with its pid file. */
    pid_t postmaster = harness_postmaster(h);
    int rc = harness_stop(h);

    harness_kill_postgres(postmaster, 5000);
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
    /* The tests read the client's English messages, whatever the locale
     * of whoever runs them (ctest pins it too). */
    setenv("LANG", "C.UTF-8", 1);
    setenv("LC_ALL", "C.UTF-8", 1);
    unsetenv("LANGUAGE");
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
