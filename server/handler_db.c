/* The database round trip every handler shares: JSON argument out, JSON result
 * back into a Response, statuses mapped, failures logged once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "log.h"
#include "pbjson.h"
#include "wire.h"

json_t *handler_principal(const conn *c)
{
    return json_pack("{s:s, s:s, s:s, s:s}", "role", c->principal.role, "unit", c->principal.unit,
                     "fingerprint", c->principal.fingerprint, "peer", c->peer);
}

void handler_reply_errors(conn *c, uint64_t request_id, Huizong__Status st, const char *message,
                          Huizong__FieldError **errors, size_t n)
{
    Huizong__Response r = HUIZONG__RESPONSE__INIT;

    r.request_id = request_id;
    r.status = st;
    r.message = (char *)message;
    r.errors = errors;
    r.n_errors = n;
    conn_reply(c, &r);
}

/* Field errors of a refused call: [{kind, index, field, reason}]. */
static Huizong__FieldError **handler_field_errors(json_t *arr, size_t *n)
{
    size_t count = json_array_size(arr);
    Huizong__FieldError **out = count ? calloc(count, sizeof(*out)) : NULL;
    char err[128];

    *n = 0;
    for (size_t i = 0; out && i < count; i++) {
        ProtobufCMessage *m = pbjson_to_message(&huizong__field_error__descriptor,
                                                json_array_get(arr, i), 1, err, sizeof(err));
        if (m)
            out[(*n)++] = (Huizong__FieldError *)m;
    }
    return out;
}

static void handler_free_errors(Huizong__FieldError **errs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        protobuf_c_message_free_unpacked(&errs[i]->base, NULL);
    free(errs);
}

/* Puts body into the Response oneof member whose field number is body_case. */
static void handler_set_body(Huizong__Response *r, const handler_op *op, ProtobufCMessage *body)
{
    const ProtobufCFieldDescriptor *f =
        protobuf_c_message_descriptor_get_field(&huizong__response__descriptor, (unsigned)op->body_case);

    if (!f || f->type != PROTOBUF_C_TYPE_MESSAGE || f->descriptor != op->body) {
        r->body_case = HUIZONG__RESPONSE__BODY__NOT_SET;
        return;
    }
    r->body_case = op->body_case;
    *(ProtobufCMessage **)((char *)r + f->offset) = body;
}

/* Turns a function's JSON result into a response and sends it. */
static void handler_reply_result(conn_request *cr, const handler_op *op, const char *text)
{
    json_error_t jerr;
    json_t *res = json_loads(text, 0, &jerr);
    Huizong__Response r = HUIZONG__RESPONSE__INIT;
    ProtobufCMessage *body = NULL;
    Huizong__FieldError **errs = NULL;
    size_t nerrs = 0;
    char err[160];
    const char *status = json_string_value(json_object_get(res, "status"));

    r.request_id = cr->request_id;
    if (!res || !status) {
        conn_log(LOG_ERROR, cr->c, "%s returned no status", op->function);
        r.status = HUIZONG__STATUS__INTERNAL;
        r.message = (char *)"internal error: the server log has the details";
    } else if (strcmp(status, "OK") != 0) {
        r.status = wire_status_from_name(status);
        const char *msg = json_string_value(json_object_get(res, "message"));
        r.message = (char *)(msg ? msg : status);
        errs = handler_field_errors(json_object_get(res, "errors"), &nerrs);
        r.errors = errs;
        r.n_errors = nerrs;
        conn_log(LOG_INFO, cr->c, "%s: %s: %s", op->function, status, r.message);
    } else if (!(body = pbjson_to_message(op->body, res, 1, err, sizeof(err)))) {
        conn_log(LOG_ERROR, cr->c, "%s result does not fit %s: %s", op->function, op->body->name, err);
        r.status = HUIZONG__STATUS__INTERNAL;
        r.message = (char *)"internal error: the server log has the details";
    } else {
        r.status = HUIZONG__STATUS__OK;
        handler_set_body(&r, op, body);
        if (op->on_ok)
            op->on_ok(cr->c, body);
    }
    conn_reply(cr->c, &r);
    if (body)
        protobuf_c_message_free_unpacked(body, NULL);
    handler_free_errors(errs, nerrs);
    json_decref(res);
}

/* Serialization failures, deadlocks, and hz_submit's HZ001 (a write that
 * raced its locks) leave nothing written and succeed when simply resent. */
static int handler_retryable(const char *sqlstate)
{
    return sqlstate && (strcmp(sqlstate, "40001") == 0 || strcmp(sqlstate, "40P01") == 0 ||
                        strcmp(sqlstate, "HZ001") == 0);
}

static void handler_on_db(void *arg, const db_result *res)
{
    conn_request *cr = arg;
    const handler_op *op = cr->op;

    cr->call = NULL;
    switch (res->status) {
    case DB_OK:
        handler_reply_result(cr, op, res->json);
        break;
    case DB_UNAVAILABLE:
        conn_log(LOG_WARN, cr->c, "%s: database unavailable: %s", op->function,
                 res->message ? res->message : "");
        conn_reply_status(cr->c, cr->request_id, HUIZONG__STATUS__UNAVAILABLE,
                          "database unavailable; nothing was written, retry later");
        break;
    case DB_ERROR:
        if (handler_retryable(res->sqlstate)) {
            conn_log(LOG_WARN, cr->c, "%s: concurrent write conflict: SQLSTATE %s", op->function,
                     res->sqlstate);
            conn_reply_status(cr->c, cr->request_id, HUIZONG__STATUS__ABORTED,
                              "conflict with a concurrent write; nothing was written, retry");
            break;
        }
        conn_log(LOG_ERROR, cr->c, "%s failed: SQLSTATE %s: %s", op->function,
                 res->sqlstate ? res->sqlstate : "?", res->message ? res->message : "");
        conn_reply_status(cr->c, cr->request_id, HUIZONG__STATUS__INTERNAL,
                          "internal error: nothing was written; the server log has the details");
        break;
    }
    conn_request_done(cr);
}

void handler_call(conn *c, uint64_t request_id, const handler_op *op, json_t *arg)
{
    conn_request *cr = conn_request_new(c, request_id);
    char *text = arg ? json_dumps(arg, JSON_COMPACT) : NULL;

    json_decref(arg);
    if (!cr || !text) {
        conn_log(LOG_ERROR, c, "%s: out of memory", op->function);
        conn_reply_status(c, request_id, HUIZONG__STATUS__RESOURCE_EXHAUSTED, "server out of memory");
        if (cr)
            conn_request_done(cr);
        free(text);
        return;
    }
    cr->op = op;
    cr->call = db_call_json(c->srv->db, op->function, text, handler_on_db, cr);
    free(text);
    if (!cr->call) {
        conn_reply_status(c, request_id, HUIZONG__STATUS__RESOURCE_EXHAUSTED, "server out of memory");
        conn_request_done(cr);
    }
}
