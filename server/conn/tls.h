/* TLS for huizongd: the server context (mutual TLS, 1.2 minimum, session
 * tickets) and the
 * principal a verified client certificate names. */
#ifndef HZ_TLS_H
#define HZ_TLS_H

#include <stddef.h>
#include <openssl/ssl.h>

#include "cert.h"

typedef struct {
    char role[16];                         /* community, district, admin */
    char unit[64];                         /* org unit code */
    char fingerprint[CERT_FINGERPRINT_HEX];
    /* The unit's name, learned from the database at Hello (hz_hello) for
     * the refusals decided before it; "" until then and for a unit not in
     * the tree. Names are at most 200 bytes (sql/010). */
    char unit_name[256];
} tls_principal;

/* Builds a context that requires a client certificate chaining to ca_file,
 * whose sessions resume by ticket (keys rotated every ticket_rotate_ms; 0:
 * no resumption; tickets.h). Returns NULL with err set (naming the file at
 * fault). */
SSL_CTX *tls_server_ctx(const char *cert_file, const char *key_file, const char *ca_file,
                        unsigned long ticket_rotate_ms, char *err, size_t errlen);

/* The same for the enrollment port: server-authenticated only, no client
 * certificate asked for. */
SSL_CTX *tls_enroll_ctx(const char *cert_file, const char *key_file, const char *ca_file,
                        char *err, size_t errlen);

/* Reads the principal of a completed handshake. Returns 0, or -1 with err set
 * (no certificate, verification failed, subject without role or unit). */
int tls_principal_of(SSL *ssl, tls_principal *p, char *err, size_t errlen);

/* The first OpenSSL error as one line ("" if none); clears the queue. */
const char *tls_last_error(char *buf, size_t len);

#endif
