/* ExportRequest, streamed: one hz_export_page call per page, one
 * ExportChunk response per page, all with the request's id; the last chunk
 * has last = true. The server keeps no export state of its own: each page's
 * result echoes the request and names the key to continue after, and the
 * next call is built from it.
 *
 * Backpressure: before the next page is read, the connection's unsent output
 * must be below EXPORT_OUTPUT_HIGH; otherwise the request is parked on a timer
 * until the reader catches up, so a slow reader costs at most a page or two of
 * server memory. One conn_request lives for the whole export, so the
 * connection counts it as work in progress (no idle timeout, drain waits) and
 * cancels it, timer and all, if it closes. */
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include "api/district_export.h"
#include "log.h"
#include "pbjson.h"
#include "validate.h"
#include "wire.h"

#define EXPORT_OUTPUT_HIGH (1u << 20)
#define EXPORT_WAIT_US 5000

/* A parked export: the next page's argument and the timer that retries. */
typedef struct {
    json_t *arg;
    struct event *timer;
} export_parked;

static void export_on_db(void *p, const db_result *res);

static int export_output_full(conn *c)
{
    return evbuffer_get_length(bufferevent_get_output(c->bev)) > EXPORT_OUTPUT_HIGH;
}

static void export_parked_free(void *p)
{
    export_parked *k = p;

    if (!k)
        return;
    if (k->timer)
        event_free(k->timer);
    json_decref(k->arg);
    free(k);
}

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

    cr->call = text ? db_call_json(cr->c->srv->db, op->function, text, export_on_db, cr) : NULL;
    free(text);
    if (!cr->call)
        export_stop(cr, "server out of memory; export stopped");
}

static void export_on_timer(evutil_socket_t fd, short what, void *p)
{
    static const struct timeval again = {0, EXPORT_WAIT_US};
    conn_request *cr = p;
    export_parked *k = cr->ctx;
    json_t *arg;

    (void)fd;
    (void)what;
    if (export_output_full(cr->c)) {
        evtimer_add(k->timer, &again);
        return;
    }
    arg = k->arg;
    k->arg = NULL;
    cr->parked = 0;
    cr->ctx = NULL;
    cr->ctx_free = NULL;
    export_parked_free(k); /* frees this timer: nothing below touches it */
    export_call(cr, arg);
}

/* Waits for the reader before asking for the page `arg` (stolen). */
static void export_park(conn_request *cr, json_t *arg)
{
    static const struct timeval later = {0, EXPORT_WAIT_US};
    export_parked *k = calloc(1, sizeof(*k));

    if (k)
        k->timer = evtimer_new(cr->c->srv->base, export_on_timer, cr);
    if (!k || !k->timer) {
        free(k);
        json_decref(arg);
        export_stop(cr, "server out of memory; export stopped");
        return;
    }
    k->arg = arg;
    cr->ctx = k;
    cr->ctx_free = export_parked_free;
    cr->parked = 1;
    conn_log(LOG_DEBUG, cr->c, "export: output above %u bytes, waiting for the reader",
             EXPORT_OUTPUT_HIGH);
    evtimer_add(k->timer, &later);
}

/* Sends one chunk; returns the next call's argument, or NULL when done. */
static json_t *export_send(conn_request *cr, json_t *res)
{
    Huizong__Response r = HUIZONG__RESPONSE__INIT;
    json_t *next = json_object_get(res, "next");
    json_t *body = json_pack("{s:O, s:b, s:O}", "records", json_object_get(res, "records"),
                             "last", next == NULL, "sent", json_object_get(res, "sent"));
    char err[160];
    ProtobufCMessage *m =
        body ? pbjson_to_message(&huizong__export_chunk__descriptor, body, 1, err, sizeof(err)) : NULL;
    json_t *arg = NULL;

    json_decref(body);
    r.request_id = cr->request_id;
    if (!m) {
        conn_log(LOG_ERROR, cr->c, "hz_export_page result does not fit ExportChunk");
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
    conn *c = cr->c;
    uint64_t id = cr->request_id;
    json_t *arg = NULL;

    cr->call = NULL;
    if (res->status != DB_OK) {
        handler_reply_db_failure(c, id, "hz_export_page", res);
    } else {
        json_t *j = json_loads(res->json, 0, NULL);
        const char *st = json_string_value(json_object_get(j, "status"));
        if (st && strcmp(st, "OK") == 0)
            arg = export_send(cr, j);
        else
            handler_reply_refusal(c, id, "hz_export_page", j);
        json_decref(j);
    }
    if (!arg || c->closed || c->state != CONN_READY) {
        json_decref(arg);
        conn_request_done(cr);
        return;
    }
    if (export_output_full(c))
        export_park(cr, arg);
    else
        export_call(cr, arg);
}

void district_export(conn *c, uint64_t request_id, const handler_op *op, const ProtobufCMessage *body)
{
    const Huizong__ExportRequest *q = (const Huizong__ExportRequest *)body;
    json_t *arg;
    conn_request *cr;

    if (q->unit_code[0] && !validate_code(q->unit_code)) {
        conn_reply_status(c, request_id, HUIZONG__STATUS__INVALID_ARGUMENT,
                          "unit_code: not a unit code (lowercase letters, digits, - and _)");
        return;
    }
    if (q->page_size > 5000) {
        conn_reply_status(c, request_id, HUIZONG__STATUS__INVALID_ARGUMENT,
                          "page_size: at most 5000 records a page");
        return;
    }
    arg = json_pack("{s:i, s:s, s:s, s:s, s:b, s:i}", "year", q->year, "unit_code", q->unit_code, "from", q->from, "to", q->to,
                    "indicators_only", q->indicators_only, "page_size", (int)q->page_size);
    if (!arg || !(cr = conn_request_new(c, request_id))) {
        json_decref(arg);
        conn_reply_status(c, request_id, HUIZONG__STATUS__RESOURCE_EXHAUSTED, "server out of memory");
        return;
    }
    cr->op = op;
    export_call(cr, arg);
}
