/* Hello, the first request of every connection, on either port. */
#ifndef HZ_API_HELLO_H
#define HZ_API_HELLO_H

#include "api/handler.h"

/* The first request (conn_input.c sends it here while the connection is AUTH):
 * checks the protocol version; on the main port the database then checks
 * the certificate (revoked, unknown unit), on the enrollment port there is
 * no certificate to check. On success the reply carries the server version,
 * the principal and the limits, and the connection becomes READY
 * (conn_ready); otherwise it closes after the reply. */
void hello_start(conn *c, const Huizong__Request *req);
/* A handler_fn: Hello sent again on a connection that is READY. */
void hello_again(conn *c, uint64_t request_id, const handler_op *op, const ProtobufCMessage *body);

#endif
