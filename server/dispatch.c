/* Hello and request routing. */
#include "dispatch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "h_cred.h"
#include "handlers.h"
#include "log.h"
#include "wire.h"

static void dispatch_reply_hello(conn *c, uint64_t request_id)
{
    Huizong__Response r = HUIZONG__RESPONSE__INIT;
    Huizong__HelloResult hr = HUIZONG__HELLO_RESULT__INIT;
    Huizong__Limits lim = HUIZONG__LIMITS__INIT;

    lim.max_frame_bytes = (uint32_t)c->srv->opt.max_frame_bytes;
    lim.max_batch_records = (uint32_t)c->srv->opt.max_batch_records;
    lim.idle_timeout_ms = (uint32_t)c->srv->opt.idle_timeout_ms;
    hr.server_version = (char *)"huizongd/" HZ_VERSION;
    hr.protocol_version = HZ_PROTOCOL_VERSION;
    hr.role = wire_role_from_name(c->principal.role);
    hr.unit_code = c->principal.unit;
    hr.limits = &lim;
    r.request_id = request_id;
    r.status = HUIZONG__STATUS__OK;
    r.body_case = HUIZONG__RESPONSE__BODY_HELLO;
    r.hello = &hr;
    conn_reply(c, &r);
}

/* hz_hello's verdict: OK, or a status (revoked, unknown unit) that ends the connection. */
static void dispatch_on_hello(void *arg, const db_result *res)
{
    conn_request *cr = arg;
    conn *c = cr->c;
    json_t *j = res->status == DB_OK ? json_loads(res->json, 0, NULL) : NULL;
    const char *st = json_string_value(json_object_get(j, "status"));
    const char *msg = json_string_value(json_object_get(j, "message"));

    cr->call = NULL;
    if (st && strcmp(st, "OK") == 0) {
        dispatch_reply_hello(c, cr->request_id);
        conn_ready(c);
    } else if (st) {
        conn_reply_status(c, cr->request_id, wire_status_from_name(st), msg ? msg : st);
        conn_close_after_flush(c, msg ? msg : st);
    } else {
        conn_log(LOG_WARN, c, "hello: database %s: %s", res->status == DB_OK ? "answer unreadable" : "unavailable",
                 res->message ? res->message : "");
        conn_reply_status(c, cr->request_id, HUIZONG__STATUS__UNAVAILABLE,
                          "cannot check the certificate now (database unavailable); retry later");
        conn_close_after_flush(c, "database unavailable at Hello");
    }
    json_decref(j);
    conn_request_done(cr);
}

void dispatch_hello(conn *c, const Huizong__Request *req)
{
    const Huizong__Hello *h = req->hello;
    char msg[120];
    conn_request *cr;
    char *arg;

    if (c->anonymous) { /* the enrollment port: no certificate to check */
        cred_anonymous_hello(c, req);
        return;
    }
    if (h->protocol_version != HZ_PROTOCOL_VERSION) {
        snprintf(msg, sizeof(msg), "protocol version %u not supported (server speaks %u)",
                 h->protocol_version, HZ_PROTOCOL_VERSION);
        conn_reply_status(c, req->request_id, HUIZONG__STATUS__FAILED_PRECONDITION, msg);
        conn_close_after_flush(c, msg);
        return;
    }
    conn_log(LOG_INFO, c, "hello from %s", h->client_name[0] ? h->client_name : "(unnamed client)");
    json_t *p = json_pack("{s:o}", "principal", handler_principal(c));
    arg = p ? json_dumps(p, JSON_COMPACT) : NULL;
    json_decref(p);
    cr = arg ? conn_request_new(c, req->request_id) : NULL;
    if (cr)
        cr->call = db_call_json(c->srv->db, "hz_hello", arg, dispatch_on_hello, cr);
    free(arg);
    if (!cr || !cr->call) {
        conn_reply_status(c, req->request_id, HUIZONG__STATUS__RESOURCE_EXHAUSTED, "server out of memory");
        conn_close_after_flush(c, "out of memory at Hello");
        if (cr)
            conn_request_done(cr);
    }
}

void dispatch_request(conn *c, const Huizong__Request *req)
{
    if (c->anonymous) {
        cred_anonymous_request(c, req);
        return;
    }
    switch (req->body_case) {
    case HUIZONG__REQUEST__BODY_HELLO:
        conn_reply_status(c, req->request_id, HUIZONG__STATUS__FAILED_PRECONDITION,
                          "Hello was already done on this connection");
        return;
    case HUIZONG__REQUEST__BODY_SUBMIT:
        handle_submit(c, req->request_id, req->submit);
        return;
    case HUIZONG__REQUEST__BODY_SUMMARY:
        handle_summary(c, req->request_id, req->summary);
        return;
    case HUIZONG__REQUEST__BODY_UNIT_ADD:
        handle_unit_add(c, req->request_id, req->unit_add);
        return;
    default:
        if (org_dispatch(c, req) || cred_dispatch(c, req) || period_dispatch(c, req) ||
            district_dispatch(c, req) || ops_dispatch(c, req))
            return;
        conn_reply_status(c, req->request_id, HUIZONG__STATUS__UNIMPLEMENTED,
                          "request has no body this server knows (empty, or from a newer protocol)");
        return;
    }
}
