/* Server TLS context and client identity. */
#include "conn/tls.h"

#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509.h>

#include "cert.h"
#include "conn/tickets.h"

const char *tls_last_error(char *buf, size_t len)
{
    unsigned long e = ERR_get_error();

    buf[0] = '\0';
    if (e)
        ERR_error_string_n(e, buf, len);
    ERR_clear_error();
    return buf;
}

static int tls_ctx_load(SSL_CTX *ctx, const char *cert_file, const char *key_file,
                        const char *ca_file, char *err, size_t errlen)
{
    char why[256];

    if (SSL_CTX_use_certificate_chain_file(ctx, cert_file) != 1) {
        snprintf(err, errlen, "cannot load server certificate %s: %s", cert_file,
                 tls_last_error(why, sizeof(why)));
        return -1;
    }
    if (cert_key_private(key_file, err, errlen) != 0)
        return -1;
    if (SSL_CTX_use_PrivateKey_file(ctx, key_file, SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_check_private_key(ctx) != 1) {
        snprintf(err, errlen, "cannot load server key %s: %s", key_file,
                 tls_last_error(why, sizeof(why)));
        return -1;
    }
    if (SSL_CTX_load_verify_locations(ctx, ca_file, NULL) != 1) {
        snprintf(err, errlen, "cannot load CA %s: %s", ca_file, tls_last_error(why, sizeof(why)));
        return -1;
    }
    /* Tell clients which CA we accept, so a client with several certificates picks right. */
    STACK_OF(X509_NAME) *names = SSL_load_client_CA_file(ca_file);
    if (names)
        SSL_CTX_set_client_CA_list(ctx, names);
    return 0;
}

/* TLS 1.2 suites: forward secrecy and AEAD only (no CBC: LUCKY13 and its
 * kin). TLS 1.3 suites are OpenSSL's defaults, all AEAD. */
#define TLS12_CIPHERS "ECDHE+AESGCM:ECDHE+CHACHA20"

/* X25519 first: the cheapest key exchange, and what clients offer first. */
#define TLS_GROUPS "X25519:P-256:P-384"

/* Both contexts: TLS 1.2 at least, AEAD suites only, no renegotiation, the
 * buffers of an idle connection given back (docs/memory.md). mutual: a
 * client certificate is required, and a session resumes with a ticket
 * (tickets.h) for ticket_rotate_ms at most; revocation is checked at every
 * Hello all the same (api/hello.c). The enrollment port resumes nothing. */
static SSL_CTX *tls_ctx_new(int mutual, const char *cert_file, const char *key_file,
                            const char *ca_file, unsigned long ticket_rotate_ms, char *err,
                            size_t errlen)
{
    static const unsigned char sid_ctx[] = "huizongd";
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());

    if (!ctx) {
        snprintf(err, errlen, "cannot create TLS context");
        return NULL;
    }
    if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1 ||
        SSL_CTX_set_cipher_list(ctx, TLS12_CIPHERS) != 1 ||
        SSL_CTX_set1_groups_list(ctx, TLS_GROUPS) != 1 ||
        SSL_CTX_set_session_id_context(ctx, sid_ctx, sizeof(sid_ctx) - 1) != 1) {
        snprintf(err, errlen, "cannot set the TLS versions and suites");
        SSL_CTX_free(ctx);
        return NULL;
    }
    SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
    SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
    /* Identity is the certificate: no certificate, no connection (except on
     * the enrollment port, whose only purpose is to get one). */
    SSL_CTX_set_verify(ctx, mutual ? SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT
                                   : SSL_VERIFY_NONE, NULL);
    if (mutual)
        SSL_CTX_set_verify_depth(ctx, 2);
    /* Stateless tickets only: no session is kept in the server. */
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    if (tickets_attach(ctx, mutual ? ticket_rotate_ms : 0, err, errlen) != 0 ||
        tls_ctx_load(ctx, cert_file, key_file, ca_file, err, errlen) != 0) {
        SSL_CTX_free(ctx);
        return NULL;
    }
    return ctx;
}

SSL_CTX *tls_enroll_ctx(const char *cert_file, const char *key_file, const char *ca_file,
                        char *err, size_t errlen)
{
    return tls_ctx_new(0, cert_file, key_file, ca_file, 0, err, errlen);
}

SSL_CTX *tls_server_ctx(const char *cert_file, const char *key_file, const char *ca_file,
                        unsigned long ticket_rotate_ms, char *err, size_t errlen)
{
    return tls_ctx_new(1, cert_file, key_file, ca_file, ticket_rotate_ms, err, errlen);
}

int tls_principal_of(SSL *ssl, tls_principal *p, char *err, size_t errlen)
{
    X509 *cert = SSL_get1_peer_certificate(ssl);
    int rc = -1;

    memset(p, 0, sizeof(*p));
    if (!cert) {
        snprintf(err, errlen, "no client certificate");
        return -1;
    }
    long v = SSL_get_verify_result(ssl);
    if (v != X509_V_OK)
        snprintf(err, errlen, "client certificate not verified: %s", X509_verify_cert_error_string(v));
    else if (SSL_session_reused(ssl) && X509_cmp_current_time(X509_get0_notAfter(cert)) <= 0)
        /* A resumed session skips the chain check; its certificate's end still counts. */
        snprintf(err, errlen, "client certificate expired since its session began");
    else if (cert_identity(cert, p->unit, sizeof(p->unit), p->role, sizeof(p->role)) != 0)
        snprintf(err, errlen, "client certificate names no role (OU) or unit (CN)");
    else if (cert_fingerprint(cert, p->fingerprint) != 0)
        snprintf(err, errlen, "cannot fingerprint client certificate");
    else
        rc = 0;
    X509_free(cert);
    return rc;
}
