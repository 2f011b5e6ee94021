/* Request handlers. Each checks what it can without the database, then makes
 * one database call and replies when it returns. */
#ifndef HZ_HANDLERS_H
#define HZ_HANDLERS_H

#include <jansson.h>

#include "conn.h"

void handle_submit(conn *c, uint64_t request_id, const Huizong__SubmitBatch *b);
void handle_summary(conn *c, uint64_t request_id, const Huizong__SummaryRequest *q);
void handle_unit_add(conn *c, uint64_t request_id, const Huizong__UnitAdd *u);

/* Handler modules. Each answers the request types it owns and returns 1, or
 * returns 0 when the request is not its own. */
int org_dispatch(conn *c, const Huizong__Request *req);      /* org tree, taxonomy, indicators */
int cred_dispatch(conn *c, const Huizong__Request *req);     /* enrollment, certificates, audit */
int period_dispatch(conn *c, const Huizong__Request *req);   /* quotas, periods, versions, corrections */
int district_dispatch(conn *c, const Huizong__Request *req); /* completeness, report, export, pull */
int ops_dispatch(conn *c, const Huizong__Request *req);      /* server counters (stats) */

/* Replies PERMISSION_DENIED ("only an administrator can <what>; this
 * certificate is <role> for "<unit>"") unless the principal is an admin;
 * returns 0 when it is. */
int handler_require_admin(conn *c, uint64_t request_id, const char *what);
/* s in double quotes for a message, cut after 60 characters ("...") so one
 * line stays one short line. */
void handler_quote(char *out, size_t cap, const char *s);

/* How a database result becomes a response body. */
typedef struct {
    const char *function;                       /* SQL function, e.g. "hz_submit" */
    const ProtobufCMessageDescriptor *body;     /* message built from an OK result */
    Huizong__Response__BodyCase body_case;
    void (*on_ok)(conn *c, const ProtobufCMessage *body); /* e.g. count records; may be NULL */
} handler_op;

/* The principal as the SQL functions expect it (sql/README.md). */
json_t *handler_principal(const conn *c);
/* Sends `arg` (stolen) to op->function and replies when it returns. */
void handler_call(conn *c, uint64_t request_id, const handler_op *op, json_t *arg);
/* handler_call, with `extra` (stolen; may be NULL) merged into an OK result
 * before it becomes the response body: what the server made itself (a code,
 * a certificate) and the database must not keep. */
void handler_call_extra(conn *c, uint64_t request_id, const handler_op *op, json_t *arg,
                        json_t *extra);
/* A function's non-OK result: its status, message and field errors. */
void handler_reply_refusal(conn *c, uint64_t request_id, const char *function, json_t *res);
/* A call that did not run: UNAVAILABLE, ABORTED (retryable conflicts) or INTERNAL. */
void handler_reply_db_failure(conn *c, uint64_t request_id, const char *function,
                              const db_result *res);
/* Replies INVALID_ARGUMENT (or `st`) with a message and a list of field errors. */
void handler_reply_errors(conn *c, uint64_t request_id, Huizong__Status st, const char *message,
                          Huizong__FieldError **errors, size_t n);

#endif
