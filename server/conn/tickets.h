/* TLS session tickets of the main port: keys made at random in memory,
 * rotated, never written anywhere. A ticket resumes the TLS session only;
 * who the peer is (and whether its certificate is revoked) is still
 * checked at its Hello, as for a full handshake (api/hello.c). */
#ifndef HZ_TICKETS_H
#define HZ_TICKETS_H

#include <openssl/ssl.h>

/* Gives ctx its own ticket keys: a new key every rotate_ms (checked when a
 * ticket is made or read), the one before it still read, an older one
 * forgotten; a ticket is good for rotate_ms at most, and a resumed
 * connection gets a fresh one.
 * rotate_ms 0 turns resumption off. A new context (SIGHUP) has new keys, so
 * tickets of the old one make full handshakes. Returns 0, or -1 with err. */
int tickets_attach(SSL_CTX *ctx, unsigned long rotate_ms, char *err, size_t errlen);

#endif
