/* Hello on both ports: the version check, the certificate check (main port)
 * and the one reply that names the server, the principal and the limits. */
#include "api/hello.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "wire.h"

/* On the enrollment port the principal is empty: no role, unit "". */
static void hello_reply(conn *c, uint64_t request_id)
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
    hr.unit_name = c->principal.unit_name;
    hr.limits = &lim;
    r.request_id = request_id;
    r.status = HUIZONG__STATUS__OK;
    r.body_case = HUIZONG__RESPONSE__BODY_HELLO;
    r.hello = &hr;
    conn_reply(c, &r);
    conn_ready(c);
}

/* The unit's name from hz_hello, kept for the refusals decided in C
 * (api/handler.c); one too long for the principal is left out rather
 * than cut inside a character. */
static void hello_keep_unit_name(conn *c, const char *name)
{
    size_t n = name ? strlen(name) : 0;

    if (n < sizeof c->principal.unit_name)
        memcpy(c->principal.unit_name, name ? name : "", n + 1);
    else
        conn_log(LOG_WARN, c, "hello: unit name of %zu bytes not kept", n);
}

/* hz_hello's verdict: OK, or a status (revoked, unknown unit) that ends the connection. */
static void hello_on_db(void *arg, const db_result *res)
{
    conn_request *cr = arg;
    conn *c = cr->c;
    json_t *j = res->status == DB_OK ? json_loads(res->json, 0, NULL) : NULL;
    const char *st = json_string_value(json_object_get(j, "status"));
    const char *msg = json_string_value(json_object_get(j, "message"));

    cr->call = NULL;
    if (st && strcmp(st, "OK") == 0) {
        hello_keep_unit_name(c, json_string_value(json_object_get(j, "unit_name")));
        hello_reply(c, cr->request_id);
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

/* hz_hello checks that the certificate is not revoked and names a unit. */
static void hello_check_certificate(conn *c, uint64_t request_id)
{
    conn_request *cr = conn_request_new(c, request_id);
    char *arg = handler_arg_text(c, json_object());

    if (cr && arg)
        cr->call = db_call_json(c->srv->db, "hz_hello", arg, hello_on_db, cr);
    free(arg);
    if (!cr || !cr->call) {
        conn_reply_status(c, request_id, HUIZONG__STATUS__RESOURCE_EXHAUSTED, "server out of memory");
        conn_close_after_flush(c, "out of memory at Hello");
        if (cr)
            conn_request_done(cr);
    }
}

void hello_start(conn *c, const Huizong__Request *req)
{
    const Huizong__Hello *h = req->hello;
    char msg[120];

    if (h->protocol_version != HZ_PROTOCOL_VERSION) {
        snprintf(msg, sizeof(msg), "protocol version %u not supported (server speaks %u)",
                 h->protocol_version, HZ_PROTOCOL_VERSION);
        conn_reply_status(c, req->request_id, HUIZONG__STATUS__FAILED_PRECONDITION, msg);
        conn_close_after_flush(c, msg);
        return;
    }
    if (c->anonymous) { /* the enrollment port: no certificate to check */
        hello_reply(c, req->request_id);
        return;
    }
    conn_log(LOG_INFO, c, "hello from %s", h->client_name[0] ? h->client_name : "(unnamed client)");
    /* Answered, not dropped: the peer proved a certificate, so it is told
     * why (the client says "server busy"), at the cost of one frame. */
    if (admit_hello(c) != 0) {
        conn_reply_status(c, req->request_id, HUIZONG__STATUS__UNAVAILABLE,
                          "server busy (connection limit); retry later");
        conn_close_after_flush(c, "server busy: max_authenticated reached");
        return;
    }
    hello_check_certificate(c, req->request_id);
}

void hello_again(conn *c, uint64_t request_id, const handler_op *op, const ProtobufCMessage *body)
{
    (void)op;
    (void)body;
    conn_reply_status(c, request_id, HUIZONG__STATUS__FAILED_PRECONDITION,
                      "Hello was already done on this connection");
}
