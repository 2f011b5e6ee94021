/* Hello and request routing. */
#include "dispatch.h"

#include <stdio.h>

#include "handlers.h"
#include "log.h"
#include "wire.h"

int dispatch_hello(conn *c, const Huizong__Request *req)
{
    const Huizong__Hello *h = req->hello;
    Huizong__Response r = HUIZONG__RESPONSE__INIT;
    Huizong__HelloResult hr = HUIZONG__HELLO_RESULT__INIT;
    Huizong__Limits lim = HUIZONG__LIMITS__INIT;
    char msg[120];

    if (h->protocol_version != HZ_PROTOCOL_VERSION) {
        snprintf(msg, sizeof(msg), "protocol version %u not supported (server speaks %u)",
                 h->protocol_version, HZ_PROTOCOL_VERSION);
        conn_reply_status(c, req->request_id, HUIZONG__STATUS__FAILED_PRECONDITION, msg);
        conn_close_after_flush(c, msg);
        return -1;
    }
    lim.max_frame_bytes = (uint32_t)c->srv->opt.max_frame_bytes;
    lim.max_batch_records = (uint32_t)c->srv->opt.max_batch_records;
    lim.idle_timeout_ms = (uint32_t)c->srv->opt.idle_timeout_ms;
    hr.server_version = (char *)"huizongd/" HZ_VERSION;
    hr.protocol_version = HZ_PROTOCOL_VERSION;
    hr.role = wire_role_from_name(c->principal.role);
    hr.unit_code = c->principal.unit;
    hr.limits = &lim;
    r.request_id = req->request_id;
    r.status = HUIZONG__STATUS__OK;
    r.body_case = HUIZONG__RESPONSE__BODY_HELLO;
    r.hello = &hr;
    conn_reply(c, &r);
    conn_log(LOG_INFO, c, "hello from %s", h->client_name[0] ? h->client_name : "(unnamed client)");
    return 0;
}

void dispatch_request(conn *c, const Huizong__Request *req)
{
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
        conn_reply_status(c, req->request_id, HUIZONG__STATUS__UNIMPLEMENTED,
                          "request has no body this server knows (empty, or from a newer protocol)");
        return;
    }
}
