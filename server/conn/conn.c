/* The connection state machine: TLS handshake, states, replies,
 * backpressure and the drain API, timeouts, and a close that always says why.
 * Frames in (framing, Hello, dispatch) are conn_input.c's. */
#include "conn/conn.h"
#include "conn/conn_input.h"
#include "conn/conn_internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <openssl/err.h>

#include "frame.h"
#include "log.h"

/* Below this much unsent output reading resumes and parked requests run
 * (conn_input.c stops reading above its high mark). */
#define CONN_OUTPUT_LOW (1u << 20)

/* The live connections (server.conns) and the requests of one (conn.requests)
 * are doubly linked lists (prev, next), newest first. */
#define CONN_LIST_PUSH(head, x)    \
    do {                           \
        (x)->prev = NULL;          \
        (x)->next = (head);        \
        if (head)                  \
            (head)->prev = (x);    \
        (head) = (x);              \
    } while (0)
#define CONN_LIST_UNLINK(head, x)         \
    do {                                  \
        if ((x)->prev)                    \
            (x)->prev->next = (x)->next;  \
        else                              \
            (head) = (x)->next;           \
        if ((x)->next)                    \
            (x)->next->prev = (x)->prev;  \
    } while (0)

static const char *const conn_state_names[conn_max_state] = {
    "handshake", "hello", "auth", "ready", "closing", "closed",
};

const char *conn_state_name(conn_state s)
{
    return s < conn_max_state ? conn_state_names[s] : "?";
}

void conn_set_state(conn *c, conn_state s)
{
    assert(s < conn_max_state);
    conn_log(LOG_DEBUG, c, "state %s -> %s", conn_state_name(c->state), conn_state_name(s));
    c->state = s;
}

/* Frees what conn_new made; each part may be missing. */
static void conn_destroy(conn *c)
{
    if (c->bev) {
        framemem_conn_gone(c, evbuffer_get_length(bufferevent_get_input(c->bev)));
        bufferevent_free(c->bev);
    }
    if (c->handshake_timer)
        event_free(c->handshake_timer);
    if (c->resume)
        event_free(c->resume);
    if (c->drained)
        event_free(c->drained);
    free(c);
}

static void conn_free(evutil_socket_t fd, short what, void *arg)
{
    conn *c = arg;
    server *s = c->srv;

    (void)fd;
    (void)what;
    CONN_LIST_UNLINK(s->conns, c);
    s->nconns--;
    conn_destroy(c);
    server_conn_gone(s);
}

/* A request neither awaiting the database nor parked is being completed by
 * its own callback right now (which closed us); that callback frees it with
 * conn_request_done. */
static void conn_cancel_requests(conn *c)
{
    conn_request *r = c->requests, *next;

    for (; r; r = next) {
        next = r->next;
        if (!r->call && !r->on_drained)
            continue;
        if (r->call)
            db_cancel(r->call);
        r->call = NULL;
        r->on_drained = NULL;
        conn_request_done(r);
    }
}

/* Objects are freed after this loop iteration, never inside a callback chain. */
static void conn_schedule_free(conn *c)
{
    static const struct timeval now = {0, 0};

    if (event_base_once(c->srv->base, -1, EV_TIMEOUT, conn_free, c, &now) != 0)
        log_error("conn=%llu cannot schedule free", (unsigned long long)c->id);
}

static void conn_close_logged(conn *c, log_level level, const char *why)
{
    if (c->state == CONN_CLOSED)
        return;
    conn_log(level, c, "closed: %s", why);
    conn_set_state(c, CONN_CLOSED);
    admit_leave(c);
    conn_cancel_requests(c);
    if (c->bev) {
        bufferevent_setcb(c->bev, NULL, NULL, NULL, NULL);
        bufferevent_disable(c->bev, EV_READ | EV_WRITE);
    }
    if (c->handshake_timer)
        event_del(c->handshake_timer);
    if (c->resume)
        event_del(c->resume);
    if (c->drained)
        event_del(c->drained);
    conn_schedule_free(c);
}

void conn_close(conn *c, const char *why)
{
    conn_close_logged(c, LOG_INFO, why);
}

void conn_drop(conn *c, const char *why)
{
    conn_close_logged(c, LOG_DEBUG, why);
}

static void conn_on_write(struct bufferevent *bev, void *arg);
static void conn_on_event(struct bufferevent *bev, short what, void *arg);

void conn_close_after_flush(conn *c, const char *why)
{
    struct evbuffer *out;

    if (c->state >= CONN_CLOSING)
        return;
    conn_log(LOG_INFO, c, "closing: %s", why);
    conn_set_state(c, CONN_CLOSING);
    conn_cancel_requests(c);
    bufferevent_disable(c->bev, EV_READ);
    bufferevent_setcb(c->bev, NULL, conn_on_write, conn_on_event, c);
    bufferevent_setwatermark(c->bev, EV_WRITE, 0, 0);
    out = bufferevent_get_output(c->bev);
    if (evbuffer_get_length(out) == 0)
        conn_close(c, why);
}

/* The open mark of the request a reply answers: one awaiting the database,
 * else the one being dispatched. NULL when it was already answered (the
 * later parts of a streamed reply). */
static stats_mark *conn_stats_mark(conn *c, uint64_t request_id)
{
    for (conn_request *r = c->requests; r; r = r->next)
        if (r->mark.open && r->mark.request_id == request_id)
            return &r->mark;
    if (c->dispatching.open && c->dispatching.request_id == request_id)
        return &c->dispatching;
    return NULL;
}

void conn_reply(conn *c, const Huizong__Response *r)
{
    size_t len;
    uint8_t *buf;
    stats_mark *m;

    if (c->state == CONN_CLOSED)
        return;
    if ((m = conn_stats_mark(c, r->request_id)))
        stats_request_end(&c->srv->stats, m, r->status);
    buf = frame_pack_response(r, &len);
    if (!buf) {
        conn_close(c, "out of memory packing a response");
        return;
    }
    if (bufferevent_write(c->bev, buf, len) != 0)
        conn_close(c, "cannot queue a response");
    free(buf);
    if (c->srv->draining && c->inflight == 0)
        conn_close_after_flush(c, "server shutting down");
}

void conn_reply_status(conn *c, uint64_t request_id, Huizong__Status st, const char *message)
{
    Huizong__Response r = HUIZONG__RESPONSE__INIT;

    r.request_id = request_id;
    r.status = st;
    r.message = (char *)message;
    conn_reply(c, &r);
}

void conn_release_tls_buffers(conn *c, int release)
{
    SSL *ssl = c->bev ? bufferevent_openssl_get_ssl(c->bev) : NULL;

    if (!ssl)
        return;
    if (release)
        SSL_set_mode(ssl, SSL_MODE_RELEASE_BUFFERS);
    else
        SSL_clear_mode(ssl, SSL_MODE_RELEASE_BUFFERS);
}

void conn_ready(conn *c)
{
    if (c->state != CONN_AUTH)
        return;
    event_del(c->handshake_timer);
    conn_set_state(c, CONN_READY);
    conn_resume_reading(c);
}

void conn_pause_reading(conn *c)
{
    c->read_paused = 1;
    bufferevent_disable(c->bev, EV_READ);
}

void conn_resume_reading(conn *c)
{
    if (!c->read_paused || c->state != CONN_READY)
        return;
    c->read_paused = 0;
    bufferevent_enable(c->bev, EV_READ);
    event_active(c->resume, EV_TIMEOUT, 0); /* frames already buffered come first */
}

size_t conn_output_pending(const conn *c)
{
    return evbuffer_get_length(bufferevent_get_output(c->bev));
}

int conn_on_drained(conn_request *r, conn_drained_fn *fn)
{
    conn *c = r->c;

    if (c->state != CONN_READY)
        return -1;
    r->on_drained = fn;
    if (conn_output_pending(c) > CONN_OUTPUT_LOW)
        return 1; /* conn_on_write runs it once the peer has read enough */
    event_active(c->drained, EV_TIMEOUT, 0);
    return 0;
}

/* Runs the requests parked in conn_on_drained, each once. One that closes
 * the connection (or starts its close) ends the round: the rest are
 * cancelled by the close. */
static void conn_run_drained(conn *c)
{
    for (conn_request *r = c->requests, *next; r && c->state == CONN_READY; r = next) {
        conn_drained_fn *fn = r->on_drained;

        next = r->next;
        if (!fn)
            continue;
        r->on_drained = NULL;
        fn(r);
    }
}

static void conn_on_drained_event(evutil_socket_t fd, short what, void *arg)
{
    conn *c = arg;

    (void)fd;
    (void)what;
    if (c->state == CONN_READY && conn_output_pending(c) <= CONN_OUTPUT_LOW)
        conn_run_drained(c);
}

conn_request *conn_request_new(conn *c, uint64_t request_id)
{
    conn_request *r = calloc(1, sizeof(*r));

    if (!r)
        return NULL;
    r->c = c;
    r->request_id = request_id;
    if (c->dispatching.open && c->dispatching.request_id == request_id) {
        r->mark = c->dispatching; /* timing continues until the database answers */
        c->dispatching.open = 0;
    }
    CONN_LIST_PUSH(c->requests, r);
    c->inflight++;
    return r;
}

void conn_request_done(conn_request *r)
{
    conn *c = r->c;

    CONN_LIST_UNLINK(c->requests, r);
    c->inflight--;
    if (r->ctx_free)
        r->ctx_free(r->ctx);
    free(r);
    conn_resume_reading(c);
    if (c->srv->draining && c->inflight == 0)
        conn_close_after_flush(c, "server shutting down");
}

static void conn_on_write(struct bufferevent *bev, void *arg)
{
    conn *c = arg;
    size_t pending = evbuffer_get_length(bufferevent_get_output(bev));

    if (c->state == CONN_CLOSING) {
        if (pending == 0)
            conn_close(c, "reply sent");
        return;
    }
    if (c->state != CONN_READY || pending > CONN_OUTPUT_LOW)
        return;
    if (c->inflight < c->srv->opt.max_inflight)
        conn_resume_reading(c);
    conn_run_drained(c);
}

static void conn_tls_error(conn *c, char *buf, size_t len)
{
    unsigned long e = bufferevent_get_openssl_error(c->bev);

    buf[0] = '\0';
    if (e)
        ERR_error_string_n(e, buf, len);
    while (bufferevent_get_openssl_error(c->bev))
        ;
}

static void conn_on_connected(conn *c)
{
    char err[200];
    SSL *ssl = bufferevent_openssl_get_ssl(c->bev);

    if (c->anonymous) {
        conn_log(LOG_INFO, c, "TLS %s established on the enrollment port", SSL_get_version(ssl));
        conn_set_state(c, CONN_HELLO);
        return;
    }
    if (tls_principal_of(ssl, &c->principal, err, sizeof(err)) != 0) {
        c->srv->stats.handshakes_failed++;
        conn_close(c, err);
        return;
    }
    /* Resumed or not, the certificate is checked against revocations at Hello. */
    conn_log(LOG_INFO, c, "TLS %s established%s, fingerprint %.16s", SSL_get_version(ssl),
             SSL_session_reused(ssl) ? " (session resumed)" : "", c->principal.fingerprint);
    conn_set_state(c, CONN_HELLO);
}

static void conn_on_event(struct bufferevent *bev, short what, void *arg)
{
    conn *c = arg;
    char why[256], tls[200];

    (void)bev;
    if (what & BEV_EVENT_CONNECTED) {
        conn_on_connected(c);
        return;
    }
    if (what & BEV_EVENT_TIMEOUT) {
        if ((what & BEV_EVENT_READING) && c->inflight > 0) {
            bufferevent_enable(c->bev, EV_READ); /* busy, not idle */
            return;
        }
        conn_close(c, (what & BEV_EVENT_WRITING) ? "write timeout: peer is not reading"
                                                  : "idle timeout");
        return;
    }
    conn_tls_error(c, tls, sizeof(tls));
    if (c->state == CONN_HANDSHAKE) {
        c->srv->stats.handshakes_failed++;
        snprintf(why, sizeof(why), "TLS handshake failed%s%s", tls[0] ? ": " : "", tls);
    } else if (what & BEV_EVENT_EOF) {
        snprintf(why, sizeof(why), "peer closed the connection");
    } else {
        snprintf(why, sizeof(why), "connection error%s%s", tls[0] ? ": " : "", tls);
    }
    conn_close(c, why);
}

static void conn_on_handshake_timeout(evutil_socket_t fd, short what, void *arg)
{
    conn *c = arg;

    (void)fd;
    (void)what;
    conn_close(c, c->state == CONN_HANDSHAKE ? "handshake timeout" : "no Hello in time");
}

static void conn_format_peer(conn *c, const struct sockaddr *sa)
{
    char host[INET6_ADDRSTRLEN] = "?";
    int port = 0;

    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        inet_ntop(AF_INET, &in->sin_addr, host, sizeof(host));
        port = ntohs(in->sin_port);
    } else if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
        inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
        port = ntohs(in6->sin6_port);
    }
    snprintf(c->peer, sizeof(c->peer), "%s:%d", host, port);
}

static void conn_set_timeouts(conn *c)
{
    const server_options *o = &c->srv->opt;
    struct timeval idle = {(time_t)(o->idle_timeout_ms / 1000), (suseconds_t)(o->idle_timeout_ms % 1000) * 1000};
    struct timeval wr = {(time_t)(o->write_timeout_ms / 1000), (suseconds_t)(o->write_timeout_ms % 1000) * 1000};
    struct timeval hs = {(time_t)(o->handshake_timeout_ms / 1000),
                         (suseconds_t)(o->handshake_timeout_ms % 1000) * 1000};

    bufferevent_set_timeouts(c->bev, &idle, &wr);
    event_add(c->handshake_timer, &hs);
}

static conn *conn_new(server *s, evutil_socket_t fd, const struct sockaddr *sa, int anonymous)
{
    conn *c = calloc(1, sizeof(*c));
    SSL *ssl = c ? SSL_new(anonymous ? s->enroll_ctx : s->ssl_ctx) : NULL;

    if (!ssl) {
        free(c);
        return NULL;
    }
    c->id = ++s->next_conn_id;
    c->srv = s;
    c->anonymous = anonymous;
    conn_format_peer(c, sa);
    c->bev = bufferevent_openssl_socket_new(s->base, fd, ssl, BUFFEREVENT_SSL_ACCEPTING,
                                            BEV_OPT_CLOSE_ON_FREE | BEV_OPT_DEFER_CALLBACKS);
    c->handshake_timer = evtimer_new(s->base, conn_on_handshake_timeout, c);
    c->resume = event_new(s->base, -1, 0, conn_input_on_resume, c);
    c->drained = event_new(s->base, -1, 0, conn_on_drained_event, c);
    if (!c->bev || !c->handshake_timer || !c->resume || !c->drained) {
        if (!c->bev)
            SSL_free(ssl);
        conn_destroy(c);
        return NULL;
    }
    return c;
}

void conn_accept(server *s, evutil_socket_t fd, const struct sockaddr *sa, int socklen,
                 int anonymous)
{
    conn *c;
    admit_addr addr;

    (void)socklen;
    if (s->draining) {
        s->stats.connections_refused++;
        log_warn("refused connection: shutting down");
        evutil_closesocket(fd);
        return;
    }
    /* Refused here: closed before any TLS, the cheapest answer to a flood. */
    admit_addr_of(&addr, sa);
    if (admit_accept(s, &addr) != 0) {
        evutil_closesocket(fd);
        return;
    }
    /* Every reply is written whole, so Nagle only delays the second of two
     * replies in a row (Hello's and that of a request sent right behind
     * it) until the client's delayed ACK, some 40 ms. Without it the
     * connection still works, only slower. */
    if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &(int){1}, sizeof(int)) != 0)
        log_warn("cannot set TCP_NODELAY on an accepted connection: %s", strerror(errno));
    if (!(c = conn_new(s, fd, sa, anonymous))) {
        log_error("cannot allocate a connection; closing it");
        evutil_closesocket(fd);
        return;
    }
    CONN_LIST_PUSH(s->conns, c);
    s->nconns++;
    s->stats.connections_accepted++;
    c->addr = addr;
    admit_enter(c);
    bufferevent_openssl_set_allow_dirty_shutdown(c->bev, 1);
    bufferevent_setcb(c->bev, conn_input_on_read, conn_on_write, conn_on_event, c);
    bufferevent_setwatermark(c->bev, EV_WRITE, CONN_OUTPUT_LOW, 0);
    framemem_conn_init(c);
    conn_set_timeouts(c);
    bufferevent_enable(c->bev, EV_READ | EV_WRITE);
    conn_log(LOG_DEBUG, c, "accepted");
}
