/* What every request handler shares: its description (handler_op), the
 * role checks the route table applies, the one database round trip
 * (principal added, statuses mapped, failures logged once) and the replies.
 * A handler checks what it can without the database, then makes one
 * database call and replies when it returns; it replies through conn_reply
 * and never touches the socket. */
#ifndef HZ_API_HANDLER_H
#define HZ_API_HANDLER_H

#include <jansson.h>

#include "conn/conn.h"
#include "validate.h"

/* The unit code of a request that may name one: empty (the sender's own
 * unit) or a code. Replies INVALID_ARGUMENT and returns -1 when it is
 * neither; returns 0 when it is. */
int handler_check_unit(conn *c, uint64_t request_id, const char *unit_code);

/* Each replies PERMISSION_DENIED and returns -1 unless the principal may
 * <what>; returns 0 when it may. The messages:
 *   admin:     only an administrator can <what>; this certificate is <role> for "<unit>"
 *   office:    only an administrator or a district office can <what>
 *   community: only a community certificate can <what> (this one is <role> for "<unit>") */
int handler_require_admin(conn *c, uint64_t request_id, const char *what);
int handler_require_office(conn *c, uint64_t request_id, const char *what);
int handler_require_community(conn *c, uint64_t request_id, const char *what);
/* s in double quotes for a message, cut after 60 characters ("...") so one
 * line stays one short line. */
void handler_quote(char *out, size_t cap, const char *s);

/* How a database result becomes a response body. */
typedef struct {
    const char *function;                       /* SQL function, e.g. "hz_submit" */
    const ProtobufCMessageDescriptor *body;     /* message built from an OK result */
    Huizong__Response__BodyCase body_case;
    void (*on_ok)(conn *c, const ProtobufCMessage *body); /* e.g. count records; may be NULL */
    int replica;                                /* reads only: read_dsn's pool may serve it */
} handler_op;

/* The pool that runs op: read_dsn's for a replica read when there is one. */
db *handler_db(const conn *c, const handler_op *op);

/* A request type's handler, named in its route table row (api/routes.c):
 * op is the row's (op->function NULL when the row has none), body the
 * request's message, never NULL. */
typedef void handler_fn(conn *c, uint64_t request_id, const handler_op *op,
                        const ProtobufCMessage *body);

/* `arg` (stolen; NULL: out of memory) with the principal added as the SQL
 * functions expect it (sql/README.md), as JSON text to send (free it); NULL
 * when out of memory. The one place a principal goes into an argument. */
char *handler_arg_text(const conn *c, json_t *arg);
/* Sends `arg` (stolen; NULL: out of memory) with the principal added to
 * op->function and replies when it returns. */
void handler_call(conn *c, uint64_t request_id, const handler_op *op, json_t *arg);
/* The plain case, a handler_fn: the body's fields (proto names) are the
 * argument. */
void handler_call_body(conn *c, uint64_t request_id, const handler_op *op,
                       const ProtobufCMessage *body);
/* handler_call_body for a call that may share one transaction with others
 * of its function arriving at the same time (db_call_grouped). */
void handler_call_body_grouped(conn *c, uint64_t request_id, const handler_op *op,
                               const ProtobufCMessage *body);
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
/* A refusal with its reason code and arguments (Response.info, the shape
 * of google.rpc.ErrorInfo; docs/i18n.md lists the reasons): n metadata
 * entries keys[i] = values[i], at most HANDLER_REASON_MAX_META; an empty
 * value is left out (a unit the tree has no name for). */
#define HANDLER_REASON_MAX_META 8
void handler_reply_reason(conn *c, uint64_t request_id, Huizong__Status st, const char *message,
                          const char *reason, const char *const *keys, const char *const *values,
                          size_t n);
/* Replies INVALID_ARGUMENT (or `st`) with a message and a list of field errors. */
void handler_reply_errors(conn *c, uint64_t request_id, Huizong__Status st, const char *message,
                          Huizong__FieldError **errors, size_t n);
/* Replies INVALID_ARGUMENT with a message and one field error per entry of
 * ve (RESOURCE_EXHAUSTED "server out of memory" when the list cannot be made). */
void handler_reply_invalid(conn *c, uint64_t request_id, const char *message,
                           const validate_errors *ve);

#endif
