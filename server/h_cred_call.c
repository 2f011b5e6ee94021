/* The database round trip of the cred handlers: handler_call's contract, plus
 * fields the server made itself added to an OK result. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "h_cred.h"
#include "log.h"
#include "pbjson.h"
#include "wire.h"

static void cred_ctx_free(void *p)
{
    json_decref(p);
}

static void cred_set_body(Huizong__Response *r, const handler_op *op, ProtobufCMessage *body)
{
    const ProtobufCFieldDescriptor *f =
        protobuf_c_message_descriptor_get_field(&huizong__response__descriptor, (unsigned)op->body_case);

    if (f && f->type == PROTOBUF_C_TYPE_MESSAGE && f->descriptor == op->body) {
        r->body_case = op->body_case;
        *(ProtobufCMessage **)((char *)r + f->offset) = body;
    }
}

static void cred_reply_refusal(conn_request *cr, const handler_op *op, json_t *res, const char *st)
{
    const char *msg = json_string_value(json_object_get(res, "message"));

    conn_log(LOG_INFO, cr->c, "%s: %s: %s", op->function, st, msg ? msg : "");
    conn_reply_status(cr->c, cr->request_id, wire_status_from_name(st), msg ? msg : st);
}

static void cred_reply_ok(conn_request *cr, const handler_op *op, json_t *res)
{
    Huizong__Response r = HUIZONG__RESPONSE__INIT;
    ProtobufCMessage *body;
    char err[160];

    if (cr->ctx)
        json_object_update(res, cr->ctx);
    if (!(body = pbjson_to_message(op->body, res, 1, err, sizeof(err)))) {
        conn_log(LOG_ERROR, cr->c, "%s result does not fit %s: %s", op->function, op->body->name, err);
        conn_reply_status(cr->c, cr->request_id, HUIZONG__STATUS__INTERNAL,
                          "internal error: the server log has the details");
        return;
    }
    r.request_id = cr->request_id;
    r.status = HUIZONG__STATUS__OK;
    cred_set_body(&r, op, body);
    conn_reply(cr->c, &r);
    protobuf_c_message_free_unpacked(body, NULL);
}

static void cred_on_db(void *arg, const db_result *res)
{
    conn_request *cr = arg;
    const handler_op *op = cr->op;
    json_t *j = res->status == DB_OK ? json_loads(res->json, 0, NULL) : NULL;
    const char *st = json_string_value(json_object_get(j, "status"));

    cr->call = NULL;
    if (st && strcmp(st, "OK") == 0) {
        cred_reply_ok(cr, op, j);
    } else if (st) {
        cred_reply_refusal(cr, op, j, st);
    } else if (res->status == DB_UNAVAILABLE) {
        conn_log(LOG_WARN, cr->c, "%s: database unavailable", op->function);
        conn_reply_status(cr->c, cr->request_id, HUIZONG__STATUS__UNAVAILABLE,
                          "database unavailable; nothing was written, retry later");
    } else {
        conn_log(LOG_ERROR, cr->c, "%s failed: SQLSTATE %s: %s", op->function,
                 res->sqlstate ? res->sqlstate : "?", res->message ? res->message : "no result");
        conn_reply_status(cr->c, cr->request_id, HUIZONG__STATUS__INTERNAL,
                          "internal error: nothing was written; the server log has the details");
    }
    json_decref(j);
    conn_request_done(cr);
}

void cred_call(conn *c, uint64_t request_id, const handler_op *op, json_t *arg, json_t *extra)
{
    conn_request *cr = conn_request_new(c, request_id);
    char *text = arg ? json_dumps(arg, JSON_COMPACT) : NULL;

    json_decref(arg);
    if (cr) {
        cr->op = op;
        cr->ctx = extra;
        cr->ctx_free = cred_ctx_free;
        extra = NULL;
    }
    json_decref(extra);
    if (cr && text)
        cr->call = db_call_json(c->srv->db, op->function, text, cred_on_db, cr);
    free(text);
    if (!cr || !cr->call) {
        conn_log(LOG_ERROR, c, "%s: out of memory", op->function);
        conn_reply_status(c, request_id, HUIZONG__STATUS__RESOURCE_EXHAUSTED, "server out of memory");
        if (cr)
            conn_request_done(cr);
    }
}

int cred_require_admin(conn *c, uint64_t request_id)
{
    char msg[200];

    if (strcmp(c->principal.role, "admin") == 0)
        return 0;
    snprintf(msg, sizeof(msg), "only an admin certificate may do this (this one is %s for \"%s\")",
             c->principal.role, c->principal.unit);
    conn_reply_status(c, request_id, HUIZONG__STATUS__PERMISSION_DENIED, msg);
    return -1;
}
