/* One client connection and its state machine:
 *   HANDSHAKE --TLS ok--> HELLO --Hello--> AUTH --not revoked--> READY
 *   any state --error/EOF/timeout--> CLOSED
 *   any state --protocol error/drain--> CLOSING --output sent--> CLOSED
 * CLOSING sends what is queued (a final error reply) and reads nothing;
 * CLOSED is final: the socket is shut, pending database calls are cancelled
 * and the connection is freed after this loop iteration.
 * A connection of the enrollment port (anonymous) runs the same states; its
 * Hello is answered by api/hello.c without a database check, and it is then
 * served Enroll only.
 * conn owns the socket; handlers only call conn_reply (and conn_reply_status)
 * and, to stream, the drain API below. */
#ifndef HZ_CONN_H
#define HZ_CONN_H

#include <stdint.h>
#include <sys/socket.h>

#include <event2/util.h>

#include "huizong.pb-c.h"
#include "conn/admit.h"
#include "conn/framemem.h"
#include "conn/server.h"
#include "conn/tls.h"

typedef enum {
    CONN_HANDSHAKE = 0,
    CONN_HELLO,
    CONN_AUTH,        /* Hello received; certificate checked against revocations */
    CONN_READY,
    CONN_CLOSING,     /* the last replies are being sent; nothing is read */
    CONN_CLOSED,      /* conn_close ran; freed after this loop iteration */
    conn_max_state
} conn_state;

typedef struct conn_request conn_request;

struct conn {
    uint64_t id;
    server *srv;
    struct bufferevent *bev;
    conn_state state;
    tls_principal principal;
    char peer[64];
    struct event *handshake_timer;
    struct event *resume;            /* continues reading after a bounded round */
    struct event *drained;           /* runs the requests waiting in conn_on_drained */
    conn_request *requests;          /* in progress, awaiting the database */
    unsigned inflight;
    int read_paused;
    /* On the enrollment port: no certificate, no principal; only Hello and
     * Enroll are served (h_cred.h). Same states as every connection. */
    int anonymous;
    stats_mark dispatching;          /* the request being dispatched (stats.h) */
    admit_addr addr;                 /* what the per-address limit counts by */
    admit_pool admitted;             /* the pool it takes a place in (admit.h) */
    conn *hs_newer, *hs_older;       /* the handshake pool, by age */
    framemem_conn fm;                /* its frame's share of max_partial_frame_bytes */
    conn *prev, *next;
};

/* What a request waiting for the output to drain runs then (conn_on_drained). */
typedef void conn_drained_fn(conn_request *r);

/* A request in progress: awaiting the database (`call`), or parked until
 * the connection's output drains (`on_drained`). */
struct conn_request {
    conn *c;
    uint64_t request_id;
    struct db_call *call;
    const void *op;                  /* the handler's static description */
    conn_drained_fn *on_drained;     /* parked: waits on the peer, not on the database */
    void *ctx;                       /* handler data freed with the request */
    void (*ctx_free)(void *ctx);
    stats_mark mark;                 /* timed until its first reply */
    conn_request *prev, *next;
};

/* anonymous: accepted on the enrollment port (no client certificate). */
void conn_accept(server *s, evutil_socket_t fd, const struct sockaddr *sa, int socklen,
                 int anonymous);

/* Sends a response. Safe to call for a connection that is closing (dropped). */
void conn_reply(conn *c, const Huizong__Response *r);
/* Sends an error response (status + message) with no body. */
void conn_reply_status(conn *c, uint64_t request_id, Huizong__Status st, const char *message);

/* Tracks a request awaiting the database; NULL on allocation failure. */
conn_request *conn_request_new(conn *c, uint64_t request_id);
/* Untracks and frees it; call once its reply is sent. */
void conn_request_done(conn_request *r);

/* Closes after the output drains (a final error reply gets through). */
void conn_close_after_flush(conn *c, const char *why);
/* Closes now; pending database calls are cancelled. */
void conn_close(conn *c, const char *why);
/* conn_close for admission's drops: logged at debug only, as a flood makes
 * many (admit.c logs their summary). */
void conn_drop(conn *c, const char *why);

/* AUTH -> READY: the principal passed the database's checks; reading resumes. */
void conn_ready(conn *c);

/* The drain API, for a handler that streams (PgBouncer's SBUF_EV_FLUSH).
 *
 * conn_output_pending: bytes queued for the peer and not yet written.
 *
 * conn_on_drained: parks r until the unsent output has fallen to the
 * connection's low mark (1 MiB), then runs fn(r) from the loop, once; r
 * stays in progress meanwhile (no idle timeout, a drain waits for it). If
 * the connection closes first, r is cancelled instead (conn_request_done:
 * its ctx is freed) and fn never runs. Returns 1 when r waits for the
 * peer, 0 when the output is low already (fn runs on the next loop
 * iteration), or -1, r untouched, when the connection is not READY: send
 * nothing more and end r with conn_request_done.
 *
 * conn_pause_reading / conn_resume_reading: stop and restart taking
 * requests off the socket (the peer is held back by TCP). The connection
 * pauses by itself while max_inflight requests are in progress or more than
 * 4 MiB are unsent, and resumes when a request ends or the output falls to
 * the low mark; a resume only takes effect in READY, and the limits are
 * checked again before the next request is read. */
size_t conn_output_pending(const conn *c);
int conn_on_drained(conn_request *r, conn_drained_fn *fn);
void conn_pause_reading(conn *c);
void conn_resume_reading(conn *c);

const char *conn_state_name(conn_state s);

#define conn_log(lvl, c, fmt, ...)                                                   \
    log_msg(lvl, "conn=%llu peer=%s principal=%s/%s " fmt, (unsigned long long)(c)->id, \
            (c)->peer, (c)->principal.role[0] ? (c)->principal.role : "-",            \
            (c)->principal.unit[0] ? (c)->principal.unit : "-", ##__VA_ARGS__)

#endif
