/* TCP connections with a deadline. */
#include "net/tcp.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include "i18n.h"

int tcp_split_address(const char *addr, unsigned default_port, char host[TCP_HOST_MAX],
                      char port[8], char *err, size_t errlen)
{
    const char *orig = addr, *end, *colon;
    size_t hlen;

    if (addr[0] == '[') {
        end = strchr(addr, ']');
        colon = end && end[1] == ':' ? end + 1 : NULL;
        if (end == NULL || (end[1] != '\0' && colon == NULL))
            goto bad;
        addr++;
        hlen = (size_t)(end - addr);
    } else {
        colon = strrchr(addr, ':');
        if (colon && strchr(addr, ':') != colon)
            goto bad; /* a bare IPv6 address needs brackets */
        hlen = colon ? (size_t)(colon - addr) : strlen(addr);
    }
    if (hlen == 0 || hlen >= TCP_HOST_MAX)
        goto bad;
    memcpy(host, addr, hlen);
    host[hlen] = '\0';
    if (colon == NULL) {
        snprintf(port, 8, "%u", default_port);
        return 0;
    }
    char *stop;
    long p = strtol(colon + 1, &stop, 10);
    if (colon[1] == '\0' || *stop != '\0' || p < 1 || p > 65535)
        goto bad;
    snprintf(port, 8, "%ld", p);
    return 0;
bad:
    snprintf(err, errlen, _("invalid server address \"%s\" (want HOST:PORT)"), orig);
    return -1;
}

static int tcp_set_timeouts(int fd, unsigned long timeout_ms)
{
    struct timeval tv = {.tv_sec = (time_t)(timeout_ms / 1000),
                         .tv_usec = (suseconds_t)(timeout_ms % 1000) * 1000};

    return setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) |
           setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

/* connect() without blocking longer than timeout_ms; returns 0 or an errno. */
static int tcp_connect_one(int fd, const struct addrinfo *ai, unsigned long timeout_ms)
{
    int flags = fcntl(fd, F_GETFL), soerr = 0;
    socklen_t len = sizeof soerr;
    struct pollfd p = {.fd = fd, .events = POLLOUT};

    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
        return errno;
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
        if (errno != EINPROGRESS)
            return errno;
        int n = poll(&p, 1, (int)timeout_ms);
        if (n == 0)
            return ETIMEDOUT;
        if (n < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0)
            return errno;
        if (soerr)
            return soerr;
    }
    if (fcntl(fd, F_SETFL, flags) < 0 || tcp_set_timeouts(fd, timeout_ms) < 0)
        return errno;
    return 0;
}

int tcp_connect(const char *host, const char *port, unsigned long timeout_ms, char *err,
                size_t errlen)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *res, *ai;
    int rc = getaddrinfo(host, port, &hints, &res), e = 0;

    if (rc != 0) {
        snprintf(err, errlen, _("cannot resolve %s: %s"), host, gai_strerror(rc));
        return -1;
    }
    for (ai = res; ai; ai = ai->ai_next) {
        int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);

        if (fd < 0) {
            e = errno;
            continue;
        }
        if ((e = tcp_connect_one(fd, ai, timeout_ms)) == 0) {
            /* Frames are written whole: Nagle would only hold Hello behind
             * the ACK of the handshake's last flight. Without it the
             * connection still works, so a failure here is no error. */
            (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &(int){1}, sizeof(int));
            freeaddrinfo(res);
            return fd;
        }
        close(fd);
    }
    freeaddrinfo(res);
    snprintf(err, errlen, _("cannot connect to %s:%s: %s"), host, port,
             e == ETIMEDOUT ? _("timed out") : strerror(e));
    return -1;
}
