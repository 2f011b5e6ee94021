/* A stand-in for systemd's end of sd_notify, for the tests: binds a Unix
 * datagram socket at PATH and prints each message received, one line per
 * assignment (READY=1, STATUS=...), flushed at once, until a message holds
 * STOPPING=1 or SECONDS pass without one. Exit 0 after STOPPING=1, 1 on a
 * timeout, 2 when the socket cannot be made.
 *
 * Usage: notify_listen PATH SECONDS */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int notify_bind(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

    if (fd < 0 || strlen(path) >= sizeof sa.sun_path) {
        fprintf(stderr, "notify_listen: cannot make a socket at %s\n", path);
        return -1;
    }
    memcpy(sa.sun_path, path, strlen(path) + 1);
    unlink(path);
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        perror("notify_listen: bind");
        close(fd);
        return -1;
    }
    return fd;
}

int main(int argc, char **argv)
{
    char buf[4096];
    int fd, stopping = 0;

    if (argc != 3) {
        fprintf(stderr, "usage: notify_listen PATH SECONDS\n");
        return 2;
    }
    if ((fd = notify_bind(argv[1])) < 0)
        return 2;
    while (!stopping) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        ssize_t n;
        if (poll(&p, 1, atoi(argv[2]) * 1000) <= 0)
            break;
        if ((n = recv(fd, buf, sizeof buf - 1, 0)) < 0)
            break;
        buf[n] = '\0';
        printf("%s%s", buf, n && buf[n - 1] == '\n' ? "" : "\n");
        fflush(stdout);
        stopping = strstr(buf, "STOPPING=1") != NULL;
    }
    close(fd);
    unlink(argv[1]);
    return stopping ? 0 : 1;
}
