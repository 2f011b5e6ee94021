/* Routes a request of a connection to its handler. Handlers reply through
 * conn_reply (now, or when the database answers) and never touch sockets. */
#ifndef HZ_DISPATCH_H
#define HZ_DISPATCH_H

#include "conn.h"

/* Answers a Hello; returns 0 when the connection may proceed. */
int dispatch_hello(conn *c, const Huizong__Request *req);
/* Any request after Hello. */
void dispatch_request(conn *c, const Huizong__Request *req);

#endif
