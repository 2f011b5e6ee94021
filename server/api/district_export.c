/* ExportRequest, streamed: one hz_export_page call per page, one
 * ExportChunk response per page, all with the request's id; the last chunk
 * has last = true. The server keeps no export state of its own: each page's
 * result echoes the request and names the key to continue after, and the
 * next call is built from it.
 *
 * Backpressure: the next page is read only once the connection's output has
 * drained (conn_on_drained), so a slow reader costs at most a page or two of
 * server memory. One conn_request lives for the whole export, so the
 * connection counts it as work in progress (no idle timeout, drain waits) and
 * cancels it, parked or awaiting the database, if it closes. */
#include "api/district_export.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "pbjson.h"

static void export_on_db(void *p, const db_result *res);

static void export_stop(conn_request *cr, const char *why)
{
    conn_reply_status(cr->c, cr->request_id, HUIZONG__STATUS__RESOURCE_EXHAUSTED, why);
    conn_request_done(cr);
}

/* Asks for the page `arg` (stolen) on the same request. */
static void export_call(conn_request *cr, json_t *arg)
{
    const handler_op *op = cr->op;
    char *text = handler_arg_text(cr->c, arg);

    cr->call = text ? db_call_json(handler_db(cr->c, op), op->function, text, export_on_db, cr) : NULL;
    free(text);
    if (!cr->call)
        export_stop(cr, "server out of memory; export stopped");
}

static void export_arg_free(void *arg)
{
    json_decref(arg);
}

/* The output has drained: ask for the page parked in cr->ctx. */
static void export_on_drained(conn_request *cr)
{
    json_t *arg = cr->ctx;

    cr->ctx = NULL;
    cr->ctx_free = NULL;
    export_call(cr, arg);
}

/* Parks the page `arg` (stolen) until the reader has caught up. */
static void export_next(conn_request *cr, json_t *arg)
{
    cr->ctx = arg;
    cr->ctx_free = export_arg_free;
    switch (conn_on_drained(cr, export_on_drained)) {
    case 1:
        conn_log(LOG_DEBUG, cr->c, "export: %zu bytes unsent, waiting for the reader",
                 conn_output_pending(cr->c));
        break;
    case 0:
        break;
    default: /* closing: nothing more to send */
        conn_request_done(cr);
        break;
    }
}

/* Sends one chunk; returns the next call's argument, or NULL when done. */
static json_t *export_send(conn_request *cr, json_t *res)
{
    const handler_op *op = cr->op;
    Huizong__Response r = HUIZONG__RESPONSE__INIT;
    json_t *next = json_object_get(res, "next");
    json_t *body = json_pack("{s:O, s:b, s:O}", "records", json_object_get(res, "records"),
                             "last", next == NULL, "sent", json_object_get(res, "sent"));
    char err[160];
    ProtobufCMessage *m = body ? pbjson_to_message(op->body, body, 1, err, sizeof(err)) : NULL;
    json_t *arg = NULL;

    json_decref(body);
    r.request_id = cr->request_id;
    if (!m) {
        conn_log(LOG_ERROR, cr->c, "%s result does not fit %s", op->function, op->body->short_name);
        conn_reply_status(cr->c, cr->request_id, HUIZONG__STATUS__INTERNAL,
                          "internal error: the server log has the details");
        return NULL;
    }
    r.status = HUIZONG__STATUS__OK;
    r.body_case = HUIZONG__RESPONSE__BODY_EXPORT;
    r.export = (Huizong__ExportChunk *)m;
    conn_reply(cr->c, &r);
    protobuf_c_message_free_unpacked(m, NULL);
    if (next) {
        arg = json_deep_copy(json_object_get(res, "request"));
        json_object_set(arg, "after", next);
        json_object_set(arg, "sent", json_object_get(res, "sent"));
    }
    return arg;
}

static void export_on_db(void *p, const db_result *res)
{
    conn_request *cr = p;
    const handler_op *op = cr->op;
    json_t *arg = NULL;

    cr->call = NULL;
    if (res->status != DB_OK) {
        handler_reply_db_failure(cr->c, cr->request_id, op->function, res);
    } else {
        json_t *j = json_loads(res->json, 0, NULL);
        const char *st = json_string_value(json_object_get(j, "status"));
        if (st && strcmp(st, "OK") == 0)
            arg = export_send(cr, j);
        else
            handler_reply_refusal(cr->c, cr->request_id, op->function, j);
        json_decref(j);
    }
    if (arg)
        export_next(cr, arg);
    else
        conn_request_done(cr);
}

void district_export(conn *c, uint64_t request_id, const handler_op *op, const ProtobufCMessage *body)
{
    const Huizong__ExportRequest *q = (const Huizong__ExportRequest *)body;
    json_t *arg;
    conn_request *cr;

    if (handler_check_unit(c, request_id, q->unit_code) != 0)
        return;
    if (q->page_size > 5000) {
        conn_reply_status(c, request_id, HUIZONG__STATUS__INVALID_ARGUMENT,
                          "page_size: at most 5000 records a page");
        return;
    }
    arg = json_pack("{s:i, s:s, s:s, s:s, s:b, s:i}", "year", q->year, "unit_code", q->unit_code,
                    "from", q->from, "to", q->to, "indicators_only", q->indicators_only, "page_size",
                    (int)q->page_size);
    if (!arg || !(cr = conn_request_new(c, request_id))) {
        json_decref(arg);
        conn_reply_status(c, request_id, HUIZONG__STATUS__RESOURCE_EXHAUSTED, "server out of memory");
        return;
    }
    cr->op = op;
    export_call(cr, arg);
}
