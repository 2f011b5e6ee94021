/* Connection load for bench/bench_conn.sh, over real mutual TLS.
 *
 *   hz_bench_conn handshakes HOST PORT CA CERT KEY SECONDS WORKERS [resume]
 *     WORKERS processes make TLS handshakes for SECONDS; each counts once
 *     the server's session ticket has come (the server has then done its
 *     part: the client's certificate and Finished checked), then closes. With "resume" each offers the newest ticket it got
 *     (TLS 1.3 tickets are used once).
 *     Prints "handshakes N seconds S per_s R resumed M failed F".
 *   hz_bench_conn idle HOST PORT CA CERT KEY N
 *     Opens N connections (4 processes), says Hello on each (answered OK:
 *     authenticated), prints "idle N" and keeps them open until stdin
 *     closes.
 *
 * Any server works for "handshakes" (huizongd, openssl s_server); "idle"
 * speaks the huizong protocol. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "frame.h"
#include "huizong.pb-c.h"
#include "wire.h"

typedef struct {
    const char *host, *port, *ca, *cert, *key;
} bench_target;

static double bench_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static SSL_CTX *bench_ctx(const bench_target *t)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());

    if (!ctx || SSL_CTX_load_verify_locations(ctx, t->ca, NULL) != 1 ||
        SSL_CTX_use_certificate_chain_file(ctx, t->cert) != 1 ||
        SSL_CTX_use_PrivateKey_file(ctx, t->key, SSL_FILETYPE_PEM) != 1) {
        fprintf(stderr, "hz_bench_conn: cannot load %s / %s / %s\n", t->ca, t->cert, t->key);
        ERR_print_errors_fp(stderr);
        exit(2);
    }
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION);
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
    /* A read returns after a ticket instead of waiting for data; a server
     * closing without close_notify is no error (an error would make OpenSSL
     * mark the session not resumable). */
    SSL_CTX_clear_mode(ctx, SSL_MODE_AUTO_RETRY);
    SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
    return ctx;
}

static int bench_tcp(const bench_target *t)
{
    struct sockaddr_in sa = {0};
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;

    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)atoi(t->port));
    if (fd < 0 || inet_pton(AF_INET, t->host, &sa.sin_addr) != 1 ||
        connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct timeval tv = {5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    return fd;
}

/* The newest ticket the server sent on this worker's connection. */
static SSL_SESSION *bench_ticket;

static int bench_on_ticket(SSL *ssl, SSL_SESSION *sess)
{
    (void)ssl;
    SSL_SESSION_free(bench_ticket);
    bench_ticket = sess;
    return 1; /* we keep the reference */
}

static SSL_SESSION *bench_take_ticket(void)
{
    SSL_SESSION *s = bench_ticket;

    bench_ticket = NULL;
    return s;
}

/* One handshake, done when the server's ticket has come (the server sends
 * it once it has checked the client's certificate and Finished, resumed or
 * not). 1 resumed, 0 full, -1 failed. */
static int bench_one(SSL_CTX *ctx, const bench_target *t, SSL_SESSION *offer)
{
    int fd = bench_tcp(t), rc = -1;
    SSL *ssl = fd >= 0 ? SSL_new(ctx) : NULL;
    SSL_SESSION *before = bench_ticket;
    struct pollfd p = {.fd = fd, .events = POLLIN};
    char b[256];

    if (!ssl)
        goto done;
    SSL_set_fd(ssl, fd);
    if (offer)
        SSL_set_session(ssl, offer);
    if (SSL_connect(ssl) != 1)
        goto done;
    for (int i = 0; i < 8 && bench_ticket == before; i++) {
        if (SSL_pending(ssl) == 0 && poll(&p, 1, 5000) != 1)
            break;
        int r = SSL_read(ssl, b, sizeof b);
        if (r <= 0 && SSL_get_error(ssl, r) != SSL_ERROR_WANT_READ)
            break;
    }
    if (bench_ticket != before)
        rc = SSL_session_reused(ssl) ? 1 : 0;
    SSL_shutdown(ssl);
done:
    SSL_free(ssl);
    ERR_clear_error();
    if (fd >= 0)
        close(fd);
    return rc;
}

static void bench_worker(const bench_target *t, double seconds, int resume, int out)
{
    SSL_CTX *ctx = bench_ctx(t);
    long n = 0, reused = 0, failed = 0;
    SSL_SESSION *offer = NULL;
    char line[128];

    SSL_CTX_sess_set_new_cb(ctx, bench_on_ticket);
    if (resume && bench_one(ctx, t, NULL) >= 0 && bench_ticket)
        offer = bench_take_ticket();
    for (double end = bench_now() + seconds; bench_now() < end;) {
        int r = bench_one(ctx, t, offer);
        if (r < 0) {
            failed++;
            continue;
        }
        n++;
        reused += r;
        if (resume && bench_ticket) { /* a ticket is used once (TLS 1.3): the newest next */
            SSL_SESSION_free(offer);
            offer = bench_take_ticket();
        }
    }
    int len = snprintf(line, sizeof line, "%ld %ld %ld\n", n, reused, failed);
    if (write(out, line, (size_t)len) != len)
        _exit(1);
    _exit(0);
}

static int bench_handshakes(const bench_target *t, double seconds, int workers, int resume)
{
    int fds[2];
    long n = 0, reused = 0, failed = 0;
    double t0 = bench_now();

    if (pipe(fds) != 0)
        return 1;
    for (int i = 0; i < workers; i++) {
        pid_t p = fork();
        if (p == 0) {
            close(fds[0]);
            bench_worker(t, seconds, resume, fds[1]);
        }
        if (p < 0)
            return 1;
    }
    close(fds[1]);
    FILE *f = fdopen(fds[0], "r");
    long a, b, c;
    while (f && fscanf(f, "%ld %ld %ld", &a, &b, &c) == 3)
        n += a, reused += b, failed += c;
    while (wait(NULL) > 0)
        ;
    double took = bench_now() - t0;
    printf("handshakes %ld seconds %.1f per_s %.0f resumed %ld failed %ld\n", n, took, n / took,
           reused, failed);
    return n > 0 ? 0 : 1;
}

/* Hello, answered OK. */
static int bench_hello(SSL *ssl)
{
    Huizong__Hello h = HUIZONG__HELLO__INIT;
    Huizong__Request req = HUIZONG__REQUEST__INIT;
    uint8_t hdr[HZ_FRAME_HEADER_BYTES], buf[4096];
    uint32_t len = 0;
    size_t flen;
    int ok = 0;

    h.protocol_version = HZ_PROTOCOL_VERSION;
    h.client_name = (char *)"hz_bench_conn";
    req.request_id = 1;
    req.body_case = HUIZONG__REQUEST__BODY_HELLO;
    req.hello = &h;
    uint8_t *frame = frame_pack_request(&req, &flen);
    if (!frame || SSL_write(ssl, frame, (int)flen) != (int)flen)
        goto done;
    if (SSL_read(ssl, hdr, sizeof hdr) != (int)sizeof hdr ||
        frame_peek(hdr, sizeof hdr, sizeof buf, &len) >= FRAME_EMPTY)
        goto done;
    size_t got = 0;
    while (got < len) {
        int r = SSL_read(ssl, buf + got, (int)(len - got));
        if (r <= 0)
            goto done;
        got += (size_t)r;
    }
    Huizong__Response *resp = huizong__response__unpack(NULL, len, buf);
    ok = resp && resp->status == HUIZONG__STATUS__OK;
    if (resp && !ok)
        fprintf(stderr, "hz_bench_conn: Hello refused: %s\n", resp->message);
    huizong__response__free_unpacked(resp, NULL);
done:
    free(frame);
    return ok ? 0 : -1;
}

/* Opens n connections with Hello; writes how many to out, holds them
 * until stdin closes. */
static void bench_idle_worker(const bench_target *t, long n, int out)
{
    SSL_CTX *ctx = bench_ctx(t);
    SSL **open = calloc((size_t)n, sizeof *open);
    long have = 0;
    char c, line[32];

    SSL_CTX_set_mode(ctx, SSL_MODE_AUTO_RETRY); /* the Hello reply comes after the ticket */
    for (long i = 0; open && i < n; i++) {
        int fd = bench_tcp(t);
        SSL *ssl = fd >= 0 ? SSL_new(ctx) : NULL;
        if (!ssl || (SSL_set_fd(ssl, fd), SSL_connect(ssl)) != 1 || bench_hello(ssl) != 0) {
            fprintf(stderr, "hz_bench_conn: a connection failed after %ld\n", have);
            SSL_free(ssl);
            if (fd >= 0)
                close(fd);
            break;
        }
        SSL_set_mode(ssl, SSL_MODE_RELEASE_BUFFERS);
        open[have++] = ssl;
    }
    int len = snprintf(line, sizeof line, "%ld\n", have);
    if (write(out, line, (size_t)len) != len)
        _exit(1);
    close(out);
    while (read(0, &c, 1) > 0)
        ;
    _exit(0);
}

/* IDLE_WORKERS processes open their share, so the Hellos overlap. */
#define IDLE_WORKERS 4

static int bench_idle(const bench_target *t, long n)
{
    int fds[2];
    long have = 0, k;

    if (pipe(fds) != 0)
        return 1;
    for (int i = 0; i < IDLE_WORKERS; i++) {
        pid_t p = fork();
        if (p == 0) {
            close(fds[0]);
            bench_idle_worker(t, n / IDLE_WORKERS + (i < n % IDLE_WORKERS), fds[1]);
        }
        if (p < 0)
            return 1;
    }
    close(fds[1]);
    FILE *f = fdopen(fds[0], "r");
    while (f && fscanf(f, "%ld", &k) == 1)
        have += k;
    printf("idle %ld\n", have);
    fflush(stdout);
    while (wait(NULL) > 0)
        ;
    return have == n ? 0 : 1;
}

int main(int argc, char **argv)
{
    bench_target t;

    signal(SIGPIPE, SIG_IGN);
    if (argc < 8) {
        fprintf(stderr, "usage: hz_bench_conn handshakes HOST PORT CA CERT KEY SECONDS WORKERS [resume]\n"
                        "       hz_bench_conn idle HOST PORT CA CERT KEY N\n");
        return 2;
    }
    t = (bench_target){argv[2], argv[3], argv[4], argv[5], argv[6]};
    if (strcmp(argv[1], "handshakes") == 0 && argc >= 9)
        return bench_handshakes(&t, atof(argv[7]), atoi(argv[8]),
                                argc > 9 && strcmp(argv[9], "resume") == 0);
    if (strcmp(argv[1], "idle") == 0)
        return bench_idle(&t, atol(argv[7]));
    fprintf(stderr, "hz_bench_conn: unknown mode %s\n", argv[1]);
    return 2;
}
