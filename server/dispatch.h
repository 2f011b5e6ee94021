/* Routes a request of a connection to its handler. Handlers reply through
 * conn_reply (now, or when the database answers) and never touch sockets. */
#ifndef HZ_DISPATCH_H
#define HZ_DISPATCH_H

#include "conn.h"

/* Checks a Hello (version here, revocation in the database) and answers it;
 * on success the connection becomes READY (conn_ready), else it closes. */
void dispatch_hello(conn *c, const Huizong__Request *req);
/* Any request after Hello. */
void dispatch_request(conn *c, const Huizong__Request *req);

#endif
