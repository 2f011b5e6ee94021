/* Enrollment, certificates and the audit trail (docs/cred.md). */
#ifndef HZ_H_CRED_H
#define HZ_H_CRED_H

#include <jansson.h>

#include "conn.h"
#include "handlers.h"

/* A connection of the enrollment port: Hello is answered without a
 * principal, Enroll is served, everything else is PERMISSION_DENIED. */
void cred_anonymous_hello(conn *c, const Huizong__Request *req);
void cred_anonymous_request(conn *c, const Huizong__Request *req);

void cred_enroll_create(conn *c, uint64_t request_id, const Huizong__EnrollCreate *e);
void cred_enroll(conn *c, uint64_t request_id, const Huizong__Enroll *e);


#endif
