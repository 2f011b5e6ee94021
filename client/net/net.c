/* Blocking TLS client of the huizong protocol, on the main port (mutual TLS)
 * and on the enrollment port (the server's certificate only). */
#include "net/net.h"

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

#include "cert.h"
#include "cli/cli.h"
#include "cli/diag.h"
#include "frame.h"
#include "net/tcp.h"
#include "net/tls_session.h"
#include "wire.h"
#include "i18n.h"

struct net_conn {
    SSL_CTX *ctx;
    SSL *ssl;
    int fd;
    uint64_t next_id;
    unsigned long timeout_ms;
    unsigned default_port;    /* when an address names none */
    const char *client_name;  /* sent in Hello */
    char peer[TCP_HOST_MAX + 8];
    Huizong__Response *hello; /* owns the HelloResult */
    const char *spool;        /* where the TLS session is kept (tls_session.h); NULL: not */
};

static void net_ssl_reason(char *buf, size_t len)
{
    unsigned long e = ERR_peek_last_error();

    if (e)
        ERR_error_string_n(e, buf, len);
    else
        snprintf(buf, len, "%s", errno ? strerror(errno) : _("connection closed"));
    ERR_clear_error();
}

/* Names which file could not be used and the options that name it (`see`);
 * OpenSSL's own text only as the reason. */
static int net_load_fail(const char *what, const char *path, const char *see, char *err,
                         size_t errlen)
{
    char why[256];

    if (access(path, R_OK) < 0)
        snprintf(why, sizeof why, "%s", strerror(errno));
    else
        net_ssl_reason(why, sizeof why);
    ERR_clear_error();
    snprintf(err, errlen, _("cannot load %s %s: %s (see %s)"), what, path, why, see);
    return -1;
}

/* The one TLS context of both ports: TLS 1.2 at least, the server verified
 * against ca; the client certificate cert/key only when cert is not NULL. */
static int net_ctx_new(const char *cert, const char *key, const char *ca, SSL_CTX **out,
                       char *err, size_t errlen)
{
    static const char see_creds[] = "--creds, --cert, --key, --ca";
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());

    *out = ctx;
    if (ctx == NULL || !SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION)) {
        snprintf(err, errlen, _("cannot create a TLS context"));
        return -1;
    }
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    if (cert && SSL_CTX_use_certificate_chain_file(ctx, cert) != 1)
        return net_load_fail(_("client certificate"), cert, see_creds, err, errlen);
    if (cert && SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1)
        return net_load_fail(_("client key"), key, see_creds, err, errlen);
    if (cert && SSL_CTX_check_private_key(ctx) != 1)
        return net_load_fail(_("client key (it does not match the certificate)"), key, see_creds,
                             err, errlen);
    if (SSL_CTX_load_verify_locations(ctx, ca, NULL) != 1)
        return net_load_fail(_("CA certificate"), ca, cert ? see_creds : "--ca", err, errlen);
    return 0;
}

/* Binds the session to the host we meant: its certificate must name it. */
static int net_expect_host(SSL *ssl, const char *host)
{
    X509_VERIFY_PARAM *p = SSL_get0_param(ssl);
    unsigned char buf[sizeof(struct in6_addr)];

    if (inet_pton(AF_INET, host, buf) == 1 || inet_pton(AF_INET6, host, buf) == 1)
        return X509_VERIFY_PARAM_set1_ip_asc(p, host) == 1 ? 0 : -1;
    X509_VERIFY_PARAM_set_hostflags(p, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    if (X509_VERIFY_PARAM_set1_host(p, host, 0) != 1 || SSL_set_tlsext_host_name(ssl, host) != 1)
        return -1;
    return 0;
}

static int net_handshake(net_conn *n, const char *host, char *err, size_t errlen)
{
    char why[256];
    long vr;

    if ((n->ssl = SSL_new(n->ctx)) == NULL || SSL_set_fd(n->ssl, n->fd) != 1 ||
        net_expect_host(n->ssl, host) < 0) {
        snprintf(err, errlen, _("%s: cannot set up TLS"), n->peer);
        return -1;
    }
    tls_session_offer(n->ssl, n->spool, n->peer);
    errno = 0;
    if (SSL_connect(n->ssl) == 1)
        return 0;
    vr = SSL_get_verify_result(n->ssl);
    if (vr != X509_V_OK) {
        ERR_clear_error();
        snprintf(err, errlen, _("%s: server certificate not accepted: %s"), n->peer,
                 X509_verify_cert_error_string(vr));
        return -1;
    }
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
        snprintf(why, sizeof why, _("timed out"));
    } else if (BIO_number_read(SSL_get_rbio(n->ssl)) == 0) {
        /* Closed before a byte of TLS: what huizongd does at a connection
         * limit (admission refuses before any TLS work). No certificate
         * was looked at yet, so it is not a certificate problem. */
        ERR_clear_error();
        snprintf(err, errlen, _("%s: server busy (connection limit); retry later (it closed the "
                 "connection before the TLS handshake)"), n->peer);
        return -1;
    } else {
        net_ssl_reason(why, sizeof why);
    }
    snprintf(err, errlen, _("%s: TLS handshake failed: %s"), n->peer, why);
    return -1;
}

/* What a failed SSL_read/SSL_write means to a person. */
static void net_io_error(net_conn *n, int ret, const char *doing, char *err, size_t errlen)
{
    int e = errno, se = SSL_get_error(n->ssl, ret);
    char why[256];

    if (se == SSL_ERROR_ZERO_RETURN || (se == SSL_ERROR_SYSCALL && e == 0))
        snprintf(why, sizeof why, _("server closed the connection"));
    else if (se == SSL_ERROR_SYSCALL && (e == EAGAIN || e == EWOULDBLOCK))
        snprintf(why, sizeof why, _("timed out after %lu s"), (n->timeout_ms + 999) / 1000);
    else if (se == SSL_ERROR_SYSCALL)
        snprintf(why, sizeof why, "%s", strerror(e));
    else
        net_ssl_reason(why, sizeof why);
    ERR_clear_error();
    snprintf(err, errlen, "%s: %s: %s", n->peer, doing, why);
}

static int net_write_all(net_conn *n, const uint8_t *buf, size_t len, char *err, size_t errlen)
{
    while (len > 0) {
        int chunk = len > (1u << 30) ? (1 << 30) : (int)len, w;

        errno = 0;
        if ((w = SSL_write(n->ssl, buf, chunk)) <= 0) {
            net_io_error(n, w, "sending", err, errlen);
            return -1;
        }
        buf += w;
        len -= (size_t)w;
    }
    return 0;
}

static int net_read_full(net_conn *n, uint8_t *buf, size_t len, char *err, size_t errlen)
{
    while (len > 0) {
        int chunk = len > (1u << 30) ? (1 << 30) : (int)len, r;

        errno = 0;
        if ((r = SSL_read(n->ssl, buf, chunk)) <= 0) {
            net_io_error(n, r, "receiving", err, errlen);
            return -1;
        }
        buf += r;
        len -= (size_t)r;
    }
    return 0;
}

static int net_read_response(net_conn *n, Huizong__Response **out, char *err, size_t errlen)
{
    uint8_t hdr[HZ_FRAME_HEADER_BYTES], *payload;
    uint32_t len = 0;

    if (net_read_full(n, hdr, sizeof hdr, err, errlen) < 0)
        return HZ_EXIT_NET;
    frame_status st = frame_peek(hdr, sizeof hdr, NET_MAX_FRAME, &len);
    if (st == FRAME_EMPTY || st == FRAME_TOO_LARGE) {
        snprintf(err, errlen, _("%s: bad response frame of %u bytes (limit %u)"), n->peer,
                 (unsigned)len, NET_MAX_FRAME);
        return HZ_EXIT_NET;
    }
    if ((payload = malloc(len)) == NULL) {
        snprintf(err, errlen, _("out of memory"));
        return HZ_EXIT_INTERNAL;
    }
    int rc = net_read_full(n, payload, len, err, errlen) < 0 ? HZ_EXIT_NET : HZ_EXIT_OK;
    if (rc == HZ_EXIT_OK && (*out = huizong__response__unpack(NULL, len, payload)) == NULL) {
        snprintf(err, errlen, _("%s: malformed response from server"), n->peer);
        rc = HZ_EXIT_NET;
    }
    free(payload);
    return rc;
}

/* Assigns the requests their ids and sends them as one write: several
 * frames in one TLS record, so a request behind Hello costs no packet of
 * its own. */
static int net_send(net_conn *n, Huizong__Request *const *reqs, size_t count, char *err,
                    size_t errlen)
{
    uint8_t *buf[2], *all;
    size_t len[2], total = 0;
    int rc = HZ_EXIT_INTERNAL;

    if (count > 2)
        return HZ_EXIT_INTERNAL;
    for (size_t i = 0; i < count; i++) {
        reqs[i]->request_id = n->next_id++;
        if ((buf[i] = frame_pack_request(reqs[i], &len[i])) == NULL) {
            count = i;
            goto done;
        }
        total += len[i];
    }
    if (count == 1) {
        all = buf[0];
    } else if ((all = malloc(total)) != NULL) {
        memcpy(all, buf[0], len[0]);
        memcpy(all + len[0], buf[1], len[1]);
    } else {
        goto done;
    }
    rc = net_write_all(n, all, total, err, errlen) < 0 ? HZ_EXIT_NET : HZ_EXIT_OK;
    if (all != buf[0])
        free(all);
done:
    for (size_t i = 0; i < count; i++)
        free(buf[i]);
    if (rc == HZ_EXIT_INTERNAL)
        snprintf(err, errlen, _("out of memory"));
    return rc;
}

/* Reads until the response to id (`further`: a streamed reply's next one).
 * Responses to other ids cannot be ours; id 0 is the server's answer to a
 * request it could not read. A few strays are tolerated, not more. */
static int net_await(net_conn *n, uint64_t id, int further, Huizong__Response **resp, char *err,
                     size_t errlen)
{
    int rc;

    for (int strays = 0; strays < 16; strays++) {
        if ((rc = net_read_response(n, resp, err, errlen)) != HZ_EXIT_OK)
            return rc;
        if ((*resp)->request_id == id || (*resp)->request_id == 0)
            return HZ_EXIT_OK;
        huizong__response__free_unpacked(*resp, NULL);
        *resp = NULL;
    }
    if (further)
        snprintf(err, errlen, _("%s: no further response to request %llu"), n->peer,
                 (unsigned long long)id);
    else
        snprintf(err, errlen, _("%s: no response to request %llu"), n->peer,
                 (unsigned long long)id);
    return HZ_EXIT_NET;
}

int net_call(net_conn *n, Huizong__Request *req, Huizong__Response **resp, char *err,
             size_t errlen)
{
    int rc;

    *resp = NULL;
    if ((rc = net_send(n, &req, 1, err, errlen)) != HZ_EXIT_OK)
        return rc;
    return net_await(n, req->request_id, 0, resp, err, errlen);
}

/* Hello, with `first` (NULL: none) sent right behind it: the server reads
 * nothing after a Hello until the certificate has passed, so `first` runs
 * only for a principal it accepted, and its answer follows Hello's. */
static int net_say_hello(net_conn *n, Huizong__Request *first, char *err, size_t errlen)
{
    Huizong__Hello hello = HUIZONG__HELLO__INIT;
    Huizong__Request req = HUIZONG__REQUEST__INIT;
    Huizong__Request *reqs[2] = {&req, first};
    int rc;

    hello.protocol_version = HZ_PROTOCOL_VERSION;
    hello.client_name = (char *)n->client_name;
    req.body_case = HUIZONG__REQUEST__BODY_HELLO;
    req.hello = &hello;
    if ((rc = net_send(n, reqs, first ? 2 : 1, err, errlen)) != HZ_EXIT_OK ||
        (rc = net_await(n, req.request_id, 0, &n->hello, err, errlen)) != HZ_EXIT_OK)
        return rc;
    if (n->hello->status != HUIZONG__STATUS__OK) {
        rc = diag_status_exit(n->hello->status);
        snprintf(err, errlen, _("%s: server refused: %s: %s"), n->peer,
                 wire_status_name(n->hello->status), n->hello->message);
        return rc;
    }
    if (n->hello->body_case != HUIZONG__RESPONSE__BODY_HELLO || n->hello->hello == NULL) {
        snprintf(err, errlen, _("%s: server answered Hello without a HelloResult"), n->peer);
        return HZ_EXIT_NET;
    }
    return HZ_EXIT_OK;
}

static void net_disconnect(net_conn *n)
{
    if (n->ssl) {
        SSL_shutdown(n->ssl);
        SSL_free(n->ssl);
        n->ssl = NULL;
    }
    if (n->fd >= 0)
        close(n->fd);
    n->fd = -1;
    if (n->hello)
        huizong__response__free_unpacked(n->hello, NULL);
    n->hello = NULL;
    ERR_clear_error();
}

/* One server of the list: TCP, TLS, Hello (and `first` behind it). */
static int net_try(net_conn *n, const char *addr, Huizong__Request *first, char *err,
                   size_t errlen)
{
    char host[TCP_HOST_MAX], port[8];
    int rc;

    if (tcp_split_address(addr, n->default_port, host, port, err, errlen) < 0)
        return HZ_EXIT_USAGE;
    snprintf(n->peer, sizeof n->peer, "%s:%s", host, port);
    n->next_id = 1;
    if ((n->fd = tcp_connect(host, port, n->timeout_ms, err, errlen)) < 0)
        return HZ_EXIT_NET;
    if (net_handshake(n, host, err, errlen) < 0)
        rc = HZ_EXIT_NET;
    else
        rc = net_say_hello(n, first, err, errlen);
    /* Kept only past a Hello answered OK; a refused one is not offered again. */
    if (rc == HZ_EXIT_OK)
        tls_session_keep(n->ssl, n->spool, n->peer);
    else if (n->hello && n->hello->status != HUIZONG__STATUS__OK)
        tls_session_forget(n->spool);
    if (rc != HZ_EXIT_OK)
        net_disconnect(n);
    return rc;
}

/* Says how many servers were tried before the last one's error in err. */
static void net_prefix_tried(char *err, size_t errlen, int tried)
{
    char lead[64];
    size_t ll;

    snprintf(lead, sizeof lead, _("none of %d servers reachable; last: "), tried);
    ll = strlen(lead);
    if (ll + 1 >= errlen)
        return;
    memmove(err + ll, err, errlen - ll - 1);
    err[errlen - 1] = '\0';
    memcpy(err, lead, ll);
}

/* Both ports: the TLS context from cert (NULL: none), key and ca, then each
 * server of the comma-separated list in turn. */
static int net_open_with(const char *servers, const char *cert, const char *key, const char *ca,
                         Huizong__Request *first, net_conn *n, net_conn **out, char *err,
                         size_t errlen)
{
    char *list = strdup(servers), *save = NULL;
    int rc = HZ_EXIT_NET;

    *out = NULL;
    signal(SIGPIPE, SIG_IGN); /* a server hanging up must be an error, not death */
    if (n == NULL || list == NULL) {
        snprintf(err, errlen, _("out of memory"));
        rc = HZ_EXIT_INTERNAL;
        goto done;
    }
    /* A key others can read is not sent with: the owner fixes it first. */
    if (cert && cert_key_private(key, err, errlen) != 0) {
        rc = HZ_EXIT_USAGE;
        goto done;
    }
    if (net_ctx_new(cert, key, ca, &n->ctx, err, errlen) < 0)
        goto done;
    snprintf(err, errlen, _("no server address given (--server)"));
    int tried = 0;
    for (char *a = strtok_r(list, ", ", &save); a; a = strtok_r(NULL, ", ", &save), tried++) {
        rc = net_try(n, a, first, err, errlen);
        /* A refusal or a bad address is an answer; only an unreachable server moves on. */
        if (rc != HZ_EXIT_NET)
            break;
    }
    if (rc == HZ_EXIT_NET && tried > 1)
        net_prefix_tried(err, errlen, tried);
done:
    free(list);
    if (rc == HZ_EXIT_OK)
        *out = n;
    else
        net_close(n);
    return rc;
}

/* A connection not yet open: fd closed, the port and Hello name given. */
static net_conn *net_conn_new(unsigned long timeout_ms, unsigned default_port,
                              const char *client_name)
{
    net_conn *n = calloc(1, sizeof *n);

    if (n) {
        n->fd = -1;
        n->timeout_ms = timeout_ms;
        n->default_port = default_port;
        n->client_name = client_name;
    }
    return n;
}

int net_open_first(const cconf *c, Huizong__Request *first, net_conn **out, char *err,
                   size_t errlen)
{
    net_conn *n = net_conn_new(c->timeout_ms, HZ_DEFAULT_PORT, "huizong/" HZ_VERSION);

    /* The main port only: a session resumes the certificate it began with. */
    if (n)
        n->spool = c->spool;
    return net_open_with(c->server, c->cert, c->key, c->ca, first, n, out, err, errlen);
}

int net_open(const cconf *c, net_conn **out, char *err, size_t errlen)
{
    return net_open_first(c, NULL, out, err, errlen);
}

int net_open_enroll(const char *servers, const char *ca, unsigned long timeout_ms,
                    net_conn **out, char *err, size_t errlen)
{
    net_conn *n = net_conn_new(timeout_ms, NET_DEFAULT_ENROLL_PORT,
                               "huizong/" HZ_VERSION " enroll");

    return net_open_with(servers, NULL, NULL, ca, NULL, n, out, err, errlen);
}

const Huizong__HelloResult *net_hello(const net_conn *n)
{
    return n->hello->hello;
}

void net_close(net_conn *n)
{
    if (n == NULL)
        return;
    net_disconnect(n);
    SSL_CTX_free(n->ctx);
    free(n);
}

int net_next(net_conn *n, uint64_t request_id, Huizong__Response **resp, char *err,
             size_t errlen)
{
    *resp = NULL;
    return net_await(n, request_id, 1, resp, err, errlen);
}
