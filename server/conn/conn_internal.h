/* What conn.c shares with conn_input.c only; handlers use conn.h. */
#ifndef HZ_CONN_INTERNAL_H
#define HZ_CONN_INTERNAL_H

#include "conn/conn.h"

/* Moves c to state s (logged at debug). */
void conn_set_state(conn *c, conn_state s);

/* release 1: OpenSSL gives the connection's read and write buffers back
 * whenever they are empty (SSL_MODE_RELEASE_BUFFERS, the default: an idle
 * connection holds none); 0: it keeps them, while a frame arrives. */
void conn_release_tls_buffers(conn *c, int release);

#endif
