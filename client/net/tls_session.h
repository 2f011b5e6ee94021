/* The TLS session the client keeps between runs, so its next connection
 * resumes instead of making a full handshake. One file per spool folder
 * (<spool>/.tls-session, mode 0600: it holds the session's secret, so it is
 * never printed or logged), bound to the server address and the client
 * certificate it was made with: a session of another server or of an
 * older certificate is never offered. Losing the file only costs a full
 * handshake, so every failure here is silent. */
#ifndef HZ_TLS_SESSION_H
#define HZ_TLS_SESSION_H

#include <stddef.h>

#include <openssl/ssl.h>

/* spool NULL or "": nothing is kept or offered. */

/* Before SSL_connect: offers the kept session if it is for this server
 * ("host:port") and the certificate of ssl's context, and not expired.
 * Returns 1 when one was offered, 0 when not. */
int tls_session_offer(SSL *ssl, const char *spool, const char *server);

/* After a Hello answered OK (a TLS 1.3 ticket comes after the handshake):
 * replaces the file with ssl's session when it can resume (the spool folder
 * is made when missing, spool.h). 0 or -1. */
int tls_session_keep(SSL *ssl, const char *spool, const char *server);

/* After a Hello refused: the session is not offered again. */
void tls_session_forget(const char *spool);

#endif
