/* One client connection and its state machine:
 *   HANDSHAKE --TLS ok--> HELLO --Hello--> AUTH --not revoked--> READY
 *   any state --error/EOF/timeout/drain--> CLOSING
 * A connection of the enrollment port (anonymous) runs the same states; its
 * Hello is answered by api/hello.c without a database check, and it is then
 * served Enroll only.
 * conn owns the socket; handlers only ever call conn_reply. */
#ifndef HZ_CONN_H
#define HZ_CONN_H

#include <stdint.h>
#include <sys/socket.h>

#include <event2/util.h>

#include "huizong.pb-c.h"
#include "conn/server.h"
#include "conn/tls.h"

typedef enum {
    CONN_HANDSHAKE = 0,
    CONN_HELLO,
    CONN_AUTH,        /* Hello received; certificate checked against revocations */
    CONN_READY,
    CONN_CLOSING,
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
    conn_request *requests;          /* in progress, awaiting the database */
    unsigned inflight;
    int read_paused;
    int closed;                      /* conn_close ran; freed after this iteration */
    /* On the enrollment port: no certificate, no principal; only Hello and
     * Enroll are served (h_cred.h). Same states as every connection. */
    int anonymous;
    stats_mark dispatching;          /* the request being dispatched (stats.h) */
    conn *prev, *next;
};

/* A request waiting on the database; the handler fills `call` and `done`. */
struct conn_request {
    conn *c;
    uint64_t request_id;
    struct db_call *call;
    const void *op;                  /* the handler's static description */
    int parked;                      /* waits on its handler's timer, not on the database */
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

/* AUTH -> READY: the principal passed the database's checks; reading resumes. */
void conn_ready(conn *c);

const char *conn_state_name(conn_state s);

#define conn_log(lvl, c, fmt, ...)                                                   \
    log_msg(lvl, "conn=%llu peer=%s principal=%s/%s " fmt, (unsigned long long)(c)->id, \
            (c)->peer, (c)->principal.role[0] ? (c)->principal.role : "-",            \
            (c)->principal.unit[0] ? (c)->principal.unit : "-", ##__VA_ARGS__)

#endif
