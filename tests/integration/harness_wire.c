/* Integration-test harness: TLS clients speaking the framed protocol. */
#include "harness.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <openssl/err.h>

#include "frame.h"
#include "wire.h"

/* Who administers the tree in tests; the unit only names the principal. */
#define HARNESS_ADMIN_UNIT "d1"
/* Far above any frame a test expects; guards the test's own allocation. */
#define HARNESS_MAX_RECV (64u << 20)

/* Connections still open, so that a failed test (which skips its own
 * harness_close) leaks nothing by the time the harness stops. */
static SSL *harness_open[HARNESS_MAX_OPEN];

static void harness_track(SSL *ssl, SSL *replace_with)
{
    for (size_t i = 0; i < HARNESS_MAX_OPEN; i++)
        if (harness_open[i] == ssl) {
            harness_open[i] = replace_with;
            return;
        }
}

void harness_close_all(void)
{
    for (size_t i = 0; i < HARNESS_MAX_OPEN; i++)
        harness_close(harness_open[i]);
}

int harness_connect_tcp(const harness *h)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    struct timeval tv = {HARNESS_READ_TIMEOUT_S, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)h->port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        perror("harness: connect");
        close(fd);
        return -1;
    }
    return fd;
}

static SSL_CTX *harness_ctx(const harness *h, const char *creds_dir)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    if (!ctx)
        return NULL;
    char path[HARNESS_PATH + 16];
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    snprintf(path, sizeof path, "%s/ca.crt", h->server_creds);
    int ok = SSL_CTX_load_verify_locations(ctx, path, NULL) == 1;
    if (ok && creds_dir) {
        snprintf(path, sizeof path, "%s/client.crt", creds_dir);
        ok = SSL_CTX_use_certificate_file(ctx, path, SSL_FILETYPE_PEM) == 1;
        snprintf(path, sizeof path, "%s/client.key", creds_dir);
        ok = ok && SSL_CTX_use_PrivateKey_file(ctx, path, SSL_FILETYPE_PEM) == 1;
    }
    if (!ok) {
        fprintf(stderr, "harness: cannot load credentials from %s\n",
                creds_dir ? creds_dir : h->server_creds);
        SSL_CTX_free(ctx);
        return NULL;
    }
    return ctx;
}

SSL *harness_connect(harness *h, const char *creds_dir)
{
    return harness_connect_session(h, creds_dir, NULL);
}

SSL *harness_connect_session(harness *h, const char *creds_dir, SSL_SESSION *session)
{
    SSL_CTX *ctx = harness_ctx(h, creds_dir);
    if (!ctx)
        return NULL;
    SSL *ssl = SSL_new(ctx);
    SSL_CTX_free(ctx); /* the SSL keeps its own reference */
    int fd = ssl ? harness_connect_tcp(h) : -1;
    if (fd < 0 || (session && SSL_set_session(ssl, session) != 1)) {
        SSL_free(ssl);
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    SSL_set_fd(ssl, fd);
    SSL_set_tlsext_host_name(ssl, "localhost");
    SSL_set1_host(ssl, "localhost");
    ERR_clear_error();
    if (SSL_connect(ssl) != 1) {
        ERR_clear_error();
        harness_close(ssl);
        return NULL;
    }
    harness_track(NULL, ssl);
    return ssl;
}

void harness_close(SSL *ssl)
{
    if (!ssl)
        return;
    harness_track(ssl, NULL);
    int fd = SSL_get_fd(ssl);
    SSL_free(ssl);
    if (fd >= 0)
        close(fd);
}

int harness_send_raw(SSL *ssl, const void *buf, size_t len)
{
    const uint8_t *p = buf;
    while (len > 0) {
        ERR_clear_error();
        int chunk = len > (1u << 30) ? 1 << 30 : (int)len;
        int n = SSL_write(ssl, p, chunk);
        if (n <= 0) {
            ERR_clear_error();
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int harness_send_request(SSL *ssl, const Huizong__Request *req)
{
    size_t len;
    uint8_t *buf = frame_pack_request(req, &len);
    if (!buf)
        return -1;
    int rc = harness_send_raw(ssl, buf, len);
    free(buf);
    return rc;
}

static int harness_recv_exact(SSL *ssl, uint8_t *buf, size_t len)
{
    while (len > 0) {
        ERR_clear_error();
        int n = SSL_read(ssl, buf, len > (1u << 30) ? 1 << 30 : (int)len);
        if (n <= 0) {
            ERR_clear_error();
            return -1;
        }
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

uint8_t *harness_recv_frame(SSL *ssl, size_t *len)
{
    uint8_t hdr[HZ_FRAME_HEADER_BYTES];
    *len = 0;
    if (!ssl || harness_recv_exact(ssl, hdr, sizeof hdr) != 0)
        return NULL;
    uint32_t n = (uint32_t)hdr[0] << 24 | (uint32_t)hdr[1] << 16 | (uint32_t)hdr[2] << 8 | hdr[3];
    if (n > HARNESS_MAX_RECV) {
        fprintf(stderr, "harness: the server sent a frame of %u bytes\n", n);
        return NULL;
    }
    uint8_t *buf = malloc(n ? n : 1);
    if (!buf || harness_recv_exact(ssl, buf, n) != 0) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

Huizong__Response *harness_recv_response(SSL *ssl)
{
    size_t len;
    uint8_t *buf = harness_recv_frame(ssl, &len);
    if (!buf)
        return NULL;
    Huizong__Response *r = huizong__response__unpack(NULL, len, buf);
    if (!r)
        fprintf(stderr, "harness: the server sent %zu bytes that are not a Response\n", len);
    free(buf);
    return r;
}

int harness_wait_close(SSL *ssl)
{
    uint8_t byte;
    ERR_clear_error();
    errno = 0;
    int n = SSL_read(ssl, &byte, 1);
    if (n > 0)
        return 0;
    int e = SSL_get_error(ssl, n);
    int err = errno;
    ERR_clear_error();
    if (e == SSL_ERROR_SYSCALL && (err == EAGAIN || err == EWOULDBLOCK))
        return -1;
    return 1;
}

Huizong__Response *harness_call(SSL *ssl, const Huizong__Request *req)
{
    if (!ssl || harness_send_request(ssl, req) != 0)
        return NULL;
    return harness_recv_response(ssl);
}

void harness_response_free(Huizong__Response *r)
{
    if (r)
        huizong__response__free_unpacked(r, NULL);
}

Huizong__Response *harness_hello(SSL *ssl, uint64_t id, uint32_t version)
{
    Huizong__Hello hello = HUIZONG__HELLO__INIT;
    hello.protocol_version = version;
    hello.client_name = "huizong-integration-test";
    Huizong__Request req = HUIZONG__REQUEST__INIT;
    req.request_id = id;
    req.body_case = HUIZONG__REQUEST__BODY_HELLO;
    req.hello = &hello;
    return harness_call(ssl, &req);
}

SSL *harness_connect_hello(harness *h, const char *creds_dir)
{
    SSL *ssl = harness_connect(h, creds_dir);
    Huizong__Response *r = harness_hello(ssl, 1, HZ_PROTOCOL_VERSION);
    int ok = r && r->status == HUIZONG__STATUS__OK && r->body_case == HUIZONG__RESPONSE__BODY_HELLO;
    if (!ok)
        fprintf(stderr, "harness: Hello with %s: %s %s\n", creds_dir ? creds_dir : "no certificate",
                r ? wire_status_name(r->status) : "no response", r ? r->message : "");
    harness_response_free(r);
    if (!ok) {
        harness_close(ssl);
        return NULL;
    }
    return ssl;
}

SSL *harness_connect_admin(harness *h)
{
    const char *creds = harness_issue_creds(h, "d1", "admin");
    return creds ? harness_connect_hello(h, creds) : NULL;
}

int harness_unit_add(SSL *admin, const char *code, const char *name, const char *parent,
                     const char *level)
{
    Huizong__UnitAdd ua = HUIZONG__UNIT_ADD__INIT;
    ua.code = (char *)code;
    ua.name = (char *)name;
    ua.parent_code = (char *)parent;
    ua.level = (char *)level;
    Huizong__Request req = HUIZONG__REQUEST__INIT;
    req.request_id = 9000;
    req.body_case = HUIZONG__REQUEST__BODY_UNIT_ADD;
    req.unit_add = &ua;
    Huizong__Response *r = harness_call(admin, &req);
    if (!r)
        return -1;
    int status = (int)r->status;
    if (status != HUIZONG__STATUS__OK)
        fprintf(stderr, "harness: unit_add %s: %s %s\n", code, wire_status_name(r->status),
                r->message);
    harness_response_free(r);
    return status;
}

int harness_setup_tree(harness *h)
{
    static const char *const units[][4] = {
        {"d1", "测试区", "", "district"},
        {"s1", "第一街道", "d1", "street"},
        {"s2", "第二街道", "d1", "street"},
        {"c1", "一社区", "s1", "community"},
        {"c2", "二社区", "s1", "community"},
        {"c3", "三社区", "s2", "community"},
    };
    const char *creds = harness_issue_creds(h, HARNESS_ADMIN_UNIT, "admin");
    SSL *admin = creds ? harness_connect_hello(h, creds) : NULL;
    int rc = admin ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < sizeof units / sizeof units[0]; i++)
        if (harness_unit_add(admin, units[i][0], units[i][1], units[i][2], units[i][3]) != 0)
            rc = -1;
    harness_close(admin);
    return rc;
}
