/* Frames in: framing, the checks before unpacking, Hello and dispatch
 * (conn_input.h says the contract). */
#include "conn/conn_input.h"

#include <stdio.h>

#include <event2/buffer.h>
#include <event2/event.h>

#include "api/hello.h"
#include "api/prescreen.h"
#include "api/routes.h"
#include "conn/conn.h"
#include "conn/conn_internal.h"
#include "frame.h"
#include "log.h"
#include "pbbudget.h"
#include "wire.h"
#include "wirescan.h"

/* Bounded work per wakeup so one busy client cannot starve the others. */
#define CONN_REQS_PER_EVENT 16
/* Above this much unsent output we stop reading from the peer. */
#define CONN_OUTPUT_HIGH (4u << 20)

/* A protocol error: say what was wrong, then close. */
static void conn_protocol_error(conn *c, uint64_t request_id, Huizong__Status st, const char *msg)
{
    conn_log(LOG_INFO, c, "protocol error: %s", msg);
    conn_reply_status(c, request_id, st, msg);
    conn_close_after_flush(c, msg);
}

static void conn_malformed(conn *c)
{
    c->srv->stats.requests_malformed++;
    conn_protocol_error(c, 0, HUIZONG__STATUS__INVALID_ARGUMENT,
                        "malformed request: not a valid protobuf Request");
}

static void conn_begin(conn *c, uint64_t request_id, int body)
{
    c->dispatching = stats_request_begin(&c->srv->stats, request_id, body);
}

/* A request its wire bytes already refuse (wirescan.h): control characters
 * or too many records, answered without unpacking it. Returns 1 when it
 * replied. */
static int conn_prescreen(conn *c, const wirescan_info *ws, const validate_errors *ve)
{
    if (ve->count == 0 && ws->records <= c->srv->opt.max_batch_records)
        return 0;
    conn_begin(c, ws->request_id, (int)ws->body);
    if (ve->count > 0)
        prescreen_refuse_fields(c, ws->request_id, ws->body, ve);
    else
        prescreen_refuse_batch_size(c, ws->request_id, ws->records,
                                    (uint32_t)c->srv->opt.max_batch_records);
    return 1;
}

/* Unpacks within the frame's memory budget (pbbudget.h); NULL when it
 * replied: malformed (then closing), or over the budget. */
static Huizong__Request *conn_unpack(conn *c, const wirescan_info *ws, const uint8_t *payload,
                                     uint32_t len)
{
    pbbudget b;
    char msg[200];

    pbbudget_init(&b, len);
    Huizong__Request *req = huizong__request__unpack(&b.allocator, len, payload);
    if (req)
        return req;
    if (!pbbudget_exhausted(&b)) {
        conn_malformed(c);
        return NULL;
    }
    snprintf(msg, sizeof msg, "request refused: unpacking this frame of %u bytes would take more "
             "than %zu bytes of memory; nothing was written", len, b.limit);
    conn_log(LOG_WARN, c, "%s", msg);
    conn_begin(c, ws->request_id, (int)ws->body);
    conn_reply_status(c, ws->request_id, HUIZONG__STATUS__RESOURCE_EXHAUSTED, msg);
    return NULL;
}

static void conn_on_frame(conn *c, const uint8_t *payload, uint32_t len)
{
    wirescan_info ws;
    validate_errors ve = {0};
    Huizong__Request *req = NULL;

    if (wirescan_request(payload, len, &ws, &ve) < 0) {
        validate_errors_free(&ve);
        conn_malformed(c);
        return;
    }
    if (c->state == CONN_HELLO && ws.body != HUIZONG__REQUEST__BODY_HELLO) {
        conn_begin(c, ws.request_id, (int)ws.body);
        conn_protocol_error(c, ws.request_id, HUIZONG__STATUS__FAILED_PRECONDITION,
                            "Hello must be the first request on a connection");
    } else if (!conn_prescreen(c, &ws, &ve) && (req = conn_unpack(c, &ws, payload, len))) {
        conn_begin(c, req->request_id, (int)req->body_case);
        if (c->state == CONN_HELLO) {
            /* Nothing more is read until the certificate has passed its checks. */
            conn_set_state(c, CONN_AUTH);
            conn_pause_reading(c);
            hello_start(c, req);
        } else {
            routes_request(c, req);
        }
        huizong__request__free_unpacked(req, NULL);
    }
    c->dispatching.open = 0; /* unanswered and not awaiting the database: untimed */
    validate_errors_free(&ve);
}

/* Takes one whole frame off the input if there is one; returns 1 if it did. */
static int conn_take_frame(conn *c, struct evbuffer *in)
{
    uint8_t hdr[HZ_FRAME_HEADER_BYTES];
    uint32_t len = 0;
    char msg[160];
    size_t avail = evbuffer_get_length(in);

    if (avail < sizeof(hdr))
        return 0;
    evbuffer_copyout(in, hdr, sizeof(hdr));
    switch (frame_peek(hdr, sizeof(hdr), (uint32_t)c->srv->opt.max_frame_bytes, &len)) {
    case FRAME_EMPTY:
        conn_protocol_error(c, 0, HUIZONG__STATUS__INVALID_ARGUMENT, "empty frame (length 0)");
        return 0;
    case FRAME_TOO_LARGE:
        snprintf(msg, sizeof(msg), "frame of %u bytes exceeds the limit of %lu bytes", len,
                 c->srv->opt.max_frame_bytes);
        conn_protocol_error(c, 0, HUIZONG__STATUS__RESOURCE_EXHAUSTED, msg);
        return 0;
    default:
        break;
    }
    if (!framemem_reserve(c, sizeof(hdr) + len) || avail < sizeof(hdr) + len) {
        /* A frame still arriving keeps OpenSSL's read buffer rather than
         * freeing and taking it again for each of its records. */
        conn_release_tls_buffers(c, 0);
        return 0;
    }
    uint8_t *data = evbuffer_pullup(in, (ev_ssize_t)(sizeof(hdr) + len));
    if (!data) {
        conn_close(c, "out of memory reading a frame");
        return 0;
    }
    conn_on_frame(c, data + sizeof(hdr), len);
    evbuffer_drain(in, sizeof(hdr) + len);
    framemem_frame_done(c, sizeof(hdr) + len);
    conn_release_tls_buffers(c, 1);
    return 1;
}

static int conn_output_full(conn *c)
{
    return conn_output_pending(c) > CONN_OUTPUT_HIGH;
}

static void conn_read_frames(conn *c)
{
    struct evbuffer *in = bufferevent_get_input(c->bev);

    for (int n = 0; n < CONN_REQS_PER_EVENT; n++) {
        if (c->state >= CONN_CLOSING || c->state == CONN_AUTH)
            return;
        if (c->inflight >= c->srv->opt.max_inflight || conn_output_full(c)) {
            conn_pause_reading(c);
            return;
        }
        if (!conn_take_frame(c, in))
            return;
    }
    /* More may be buffered: continue on the next loop iteration. */
    event_active(c->resume, EV_TIMEOUT, 0);
}

void conn_input_on_read(struct bufferevent *bev, void *arg)
{
    (void)bev;
    conn_read_frames(arg);
}

void conn_input_on_resume(evutil_socket_t fd, short what, void *arg)
{
    conn *c = arg;

    (void)fd;
    (void)what;
    if (c->state == CONN_READY || c->state == CONN_HELLO)
        conn_read_frames(c);
}
