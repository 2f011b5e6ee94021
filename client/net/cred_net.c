/* Blocking TLS client of the enrollment port. Unlike net.c it presents no
 * client certificate: getting one is what the port is for. */
#include "net/cred_net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "cli/cli.h"
#include "frame.h"
#include "net/tcp.h"
#include "wire.h"

#define CRED_NET_MAX_FRAME (1u << 20)

struct cred_net {
    SSL_CTX *ctx;
    SSL *ssl;
    int fd;
    uint64_t next_id;
    char peer[TCP_HOST_MAX + 8];
};

static void cred_net_reason(char *buf, size_t len)
{
    unsigned long e = ERR_peek_last_error();

    if (e)
        ERR_error_string_n(e, buf, len);
    else
        snprintf(buf, len, "%s", errno ? strerror(errno) : "connection closed");
    ERR_clear_error();
}

static int cred_net_tls(cred_net *n, const char *host, const char *ca_file, char *err,
                        size_t errlen)
{
    unsigned char ip[16];
    char why[256];
    X509_VERIFY_PARAM *p;

    if (!(n->ctx = SSL_CTX_new(TLS_client_method())) ||
        !SSL_CTX_set_min_proto_version(n->ctx, TLS1_2_VERSION)) {
        snprintf(err, errlen, "cannot create a TLS context");
        return -1;
    }
    SSL_CTX_set_verify(n->ctx, SSL_VERIFY_PEER, NULL);
    if (SSL_CTX_load_verify_locations(n->ctx, ca_file, NULL) != 1) {
        cred_net_reason(why, sizeof why);
        snprintf(err, errlen, "cannot load CA certificate %s: %s (see --ca)", ca_file, why);
        return -1;
    }
    if (!(n->ssl = SSL_new(n->ctx)) || SSL_set_fd(n->ssl, n->fd) != 1) {
        snprintf(err, errlen, "%s: cannot set up TLS", n->peer);
        return -1;
    }
    p = SSL_get0_param(n->ssl);
    if (inet_pton(AF_INET, host, ip) == 1 || inet_pton(AF_INET6, host, ip) == 1)
        X509_VERIFY_PARAM_set1_ip_asc(p, host);
    else if (X509_VERIFY_PARAM_set1_host(p, host, 0) != 1 ||
             SSL_set_tlsext_host_name(n->ssl, host) != 1) {
        snprintf(err, errlen, "%s: bad host name", n->peer);
        return -1;
    }
    errno = 0;
    if (SSL_connect(n->ssl) == 1)
        return 0;
    long vr = SSL_get_verify_result(n->ssl);
    if (vr != X509_V_OK)
        snprintf(why, sizeof why, "server certificate not accepted: %s", X509_verify_cert_error_string(vr));
    else
        cred_net_reason(why, sizeof why);
    ERR_clear_error();
    snprintf(err, errlen, "%s: TLS handshake failed: %s", n->peer, why);
    return -1;
}

static int cred_net_io(cred_net *n, void *buf, size_t len, int writing, char *err, size_t errlen)
{
    char why[256];

    while (len > 0) {
        int r;
        errno = 0;
        r = writing ? SSL_write(n->ssl, buf, (int)len) : SSL_read(n->ssl, buf, (int)len);
        if (r <= 0) {
            int e = errno;
            if (e == EAGAIN || e == EWOULDBLOCK)
                snprintf(why, sizeof why, "timed out");
            else
                cred_net_reason(why, sizeof why);
            snprintf(err, errlen, "%s: %s: %s", n->peer, writing ? "sending" : "receiving", why);
            return -1;
        }
        buf = (char *)buf + r;
        len -= (size_t)r;
    }
    return 0;
}

int cred_net_call(cred_net *n, Huizong__Request *req, Huizong__Response **resp, char *err,
                  size_t errlen)
{
    uint8_t hdr[HZ_FRAME_HEADER_BYTES], *buf;
    uint32_t len = 0;
    size_t out_len;
    int rc;

    *resp = NULL;
    req->request_id = n->next_id++;
    if (!(buf = frame_pack_request(req, &out_len))) {
        snprintf(err, errlen, "out of memory");
        return HZ_EXIT_INTERNAL;
    }
    rc = cred_net_io(n, buf, out_len, 1, err, errlen);
    free(buf);
    if (rc != 0 || cred_net_io(n, hdr, sizeof hdr, 0, err, errlen) != 0)
        return HZ_EXIT_NET;
    frame_status st = frame_peek(hdr, sizeof hdr, CRED_NET_MAX_FRAME, &len);
    if (st == FRAME_EMPTY || st == FRAME_TOO_LARGE || !(buf = malloc(len))) {
        snprintf(err, errlen, "%s: bad response frame of %u bytes", n->peer, len);
        return HZ_EXIT_NET;
    }
    rc = cred_net_io(n, buf, len, 0, err, errlen);
    if (rc == 0 && !(*resp = huizong__response__unpack(NULL, len, buf)))
        snprintf(err, errlen, "%s: malformed response from server", n->peer);
    free(buf);
    return *resp ? HZ_EXIT_OK : HZ_EXIT_NET;
}

static int cred_net_hello(cred_net *n, char *err, size_t errlen)
{
    Huizong__Hello hello = HUIZONG__HELLO__INIT;
    Huizong__Request req = HUIZONG__REQUEST__INIT;
    Huizong__Response *r;
    int rc;

    hello.protocol_version = HZ_PROTOCOL_VERSION;
    hello.client_name = "huizong/" HZ_VERSION " enroll";
    req.body_case = HUIZONG__REQUEST__BODY_HELLO;
    req.hello = &hello;
    if ((rc = cred_net_call(n, &req, &r, err, errlen)) != HZ_EXIT_OK)
        return rc;
    if (r->status != HUIZONG__STATUS__OK) {
        snprintf(err, errlen, "%s: server refused: %s: %s", n->peer, wire_status_name(r->status),
                 r->message);
        rc = HZ_EXIT_REFUSED;
    }
    huizong__response__free_unpacked(r, NULL);
    return rc;
}

int cred_net_open(const char *addr, const char *ca_file, unsigned long timeout_ms, cred_net **out,
                  char *err, size_t errlen)
{
    cred_net *n = calloc(1, sizeof *n);
    char host[TCP_HOST_MAX], port[8];
    int rc = HZ_EXIT_NET;

    *out = NULL;
    signal(SIGPIPE, SIG_IGN);
    if (!n) {
        snprintf(err, errlen, "out of memory");
        return HZ_EXIT_INTERNAL;
    }
    n->fd = -1;
    n->next_id = 1;
    if (tcp_split_address(addr, CRED_DEFAULT_ENROLL_PORT, host, port, err, errlen) < 0) {
        rc = HZ_EXIT_USAGE;
    } else {
        snprintf(n->peer, sizeof n->peer, "%s:%s", host, port);
        if ((n->fd = tcp_connect(host, port, timeout_ms, err, errlen)) >= 0 &&
            cred_net_tls(n, host, ca_file, err, errlen) == 0)
            rc = cred_net_hello(n, err, errlen);
    }
    if (rc == HZ_EXIT_OK)
        *out = n;
    else
        cred_net_close(n);
    return rc;
}

void cred_net_close(cred_net *n)
{
    if (!n)
        return;
    if (n->ssl) {
        SSL_shutdown(n->ssl);
        SSL_free(n->ssl);
    }
    if (n->fd >= 0)
        close(n->fd);
    SSL_CTX_free(n->ctx);
    ERR_clear_error();
    free(n);
}
