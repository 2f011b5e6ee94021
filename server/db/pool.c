/* The pool's connections: each is a small state machine
 * (down → connecting → idle ⇄ busy) driven by one libevent event on its
 * socket. Outcomes go to the call queue (db.c), which runs the callbacks. */
#include "db/pool.h"

#include <event2/event.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

#define DB_BACKOFF_MIN_MS 100
#define DB_BACKOFF_MAX_MS 2000
#define DB_CONNECT_TIMEOUT_MS 10000

static const char *const pool_state_names[POOL_MAX_STATE] = {
    "down", "connecting", "idle", "busy",
};

static void pool_event_cb(evutil_socket_t fd, short what, void *arg);

static void pool_set_state(pool_conn *c, pool_state s)
{
    if (s >= POOL_MAX_STATE)
        abort();
    log_debug("%s: connection %d %s -> %s", c->d->name, c->idx, pool_state_names[c->state],
              pool_state_names[s]);
    c->state = s;
}

static void pool_drop_event(pool_conn *c)
{
    if (c->ev)
        event_free(c->ev);
    c->ev = NULL;
    c->ev_fd = -1;
}

static void pool_set_timer(pool_conn *c, int ms)
{
    struct timeval tv = {.tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000};
    evtimer_add(c->retry, &tv);
}

/* The connection is gone: the statement in flight may or may not have
 * committed (its COMMIT may have been lost on the way back), so its call
 * fails in doubt rather than being resent here; the client resends and
 * record ids make that safe. `detail` NULL: libpq's message. */
static void pool_lost(pool_conn *c, const char *why, const char *detail)
{
    const char *m = detail ? detail : c->pg ? PQerrorMessage(c->pg) : "out of memory";
    int n = (int)strcspn(m, "\n");
    if (c->state == POOL_IDLE || c->state == POOL_BUSY) {
        log_warn("%s: connection %d to %s:%s/%s lost (%s): %.*s; reconnecting", c->d->name, c->idx,
                 PQhost(c->pg), PQport(c->pg), PQdb(c->pg), why, n, m);
        c->backoff_ms = DB_BACKOFF_MIN_MS;
    } else if (c->backoff_ms <= DB_BACKOFF_MIN_MS) {
        log_warn("%s: connection %d failed (%s): %.*s; retrying with back-off", c->d->name, c->idx, why,
                 n, m);
    } else {
        log_debug("%s: connection %d failed again: %.*s", c->d->name, c->idx, n, m);
    }
    for (db_call *k = c->call; k; k = k->group_next)
        k->in_doubt = 1;
    if (c->call)
        db_call_finish_all(c->call, DB_UNAVAILABLE, NULL,
                           "database connection lost after the statement was sent");
    c->call = NULL;
    PQclear(c->res);
    c->res = NULL;
    pool_drop_event(c); /* before PQfinish closes the socket under it */
    PQfinish(c->pg);
    c->pg = NULL;
    c->flushing = 0;
    pool_set_state(c, POOL_DOWN);
    pool_set_timer(c, c->backoff_ms);
    c->backoff_ms = c->backoff_ms * 2 > DB_BACKOFF_MAX_MS ? DB_BACKOFF_MAX_MS : c->backoff_ms * 2;
}

/* Waits on libpq's current socket for what the state needs. The socket may
 * change while connecting (libpq tries each address of a host in turn). */
static void pool_wait(pool_conn *c)
{
    short what = c->state == POOL_CONNECTING ? c->poll_what
                 : c->flushing               ? EV_READ | EV_WRITE
                                             : EV_READ;
    int fd = PQsocket(c->pg);
    if (c->ev && (c->ev_fd != fd || c->ev_what != what))
        pool_drop_event(c);
    if (fd >= 0 && !c->ev) {
        c->ev = event_new(c->d->base, fd, what, pool_event_cb, c);
        c->ev_fd = fd;
        c->ev_what = what;
    }
    if (fd < 0 || !c->ev || event_add(c->ev, NULL) != 0)
        pool_lost(c, "cannot watch socket", NULL);
}

static void pool_up(pool_conn *c)
{
    if (PQsetnonblocking(c->pg, 1) != 0) {
        pool_lost(c, "cannot set non-blocking", NULL);
        return;
    }
    log_info("%s: connection %d up to %s:%s/%s", c->d->name, c->idx, PQhost(c->pg), PQport(c->pg),
             PQdb(c->pg));
    evtimer_del(c->retry);
    c->backoff_ms = DB_BACKOFF_MIN_MS;
    pool_set_state(c, POOL_IDLE);
    pool_wait(c);
    if (c->state == POOL_IDLE)
        db_pump(c->d);
}

static void pool_connect_poll(pool_conn *c)
{
    PostgresPollingStatusType r = PQconnectPoll(c->pg);
    if (r == PGRES_POLLING_OK) {
        pool_up(c);
    } else if (r == PGRES_POLLING_READING || r == PGRES_POLLING_WRITING) {
        c->poll_what = r == PGRES_POLLING_READING ? EV_READ : EV_WRITE;
        pool_wait(c);
    } else {
        pool_lost(c, "connect", NULL);
    }
}

void pool_connect(pool_conn *c)
{
    /* application_name comes after dbname so the DSN cannot override it;
     * expand_dbname lets the DSN be either a URI or key=value pairs. */
    const char *const keys[] = {"dbname", "application_name", NULL};
    const char *const vals[] = {c->d->dsn, "huizongd", NULL};
    c->pg = PQconnectStartParams(keys, vals, 1);
    pool_set_state(c, POOL_CONNECTING);
    if (!c->pg || PQstatus(c->pg) == CONNECTION_BAD) {
        pool_lost(c, "connect", NULL);
        return;
    }
    /* libpq's contract: start as if PQconnectPoll had asked for writing. */
    c->poll_what = EV_WRITE;
    pool_wait(c);
    /* PQconnectPoll ignores connect_timeout, so the deadline is ours. */
    if (c->state == POOL_CONNECTING)
        pool_set_timer(c, DB_CONNECT_TIMEOUT_MS);
}

static void pool_retry_cb(evutil_socket_t fd, short what, void *arg)
{
    pool_conn *c = arg;
    (void)fd;
    (void)what;
    if (c->state == POOL_CONNECTING)
        pool_lost(c, "connect", "no answer within 10 s");
    else
        pool_connect(c);
}

/* Turns the statement's first result into the call's outcome. */
static void pool_complete(pool_conn *c)
{
    PGresult *res = c->res;
    db_call *call = c->call;
    c->res = NULL;
    if (PQstatus(c->pg) == CONNECTION_BAD) {
        PQclear(res);
        pool_lost(c, "statement", NULL);
        return;
    }
    c->call = NULL;
    c->flushing = 0;
    pool_set_state(c, POOL_IDLE);
    ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    int one_value = st == PGRES_TUPLES_OK && PQntuples(res) == 1 && PQnfields(res) == 1 &&
                    !PQgetisnull(res, 0, 0);
    if (call && call->group_next && one_value) {
        db_group_done(call, res);
        return;
    }
    if (call && call->group_next) { /* the whole group failed: each call hears why */
        const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
        const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
        db_call_finish_all(call, DB_ERROR, state ? state : "XX000", msg ? msg : PQerrorMessage(c->pg));
    } else if (!call) { /* cancelled while in flight: discard */
    } else if (one_value) {
        call->res = res;
        res = NULL;
        db_call_finish(call, DB_OK, NULL, NULL);
    } else if (st == PGRES_TUPLES_OK) {
        db_call_finish(call, DB_ERROR, "22004", "database function returned no single value");
    } else {
        const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
        const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
        db_call_finish(call, DB_ERROR, state ? state : "XX000",
                    msg ? msg : PQerrorMessage(c->pg));
    }
    PQclear(res);
}

/* Reads what has arrived; completes the statement when libpq is done.
 * While idle nothing is expected but notices, or the server leaving. */
static void pool_read(pool_conn *c)
{
    if (!PQconsumeInput(c->pg) || PQstatus(c->pg) == CONNECTION_BAD) {
        pool_lost(c, c->state == POOL_IDLE ? "idle" : "read", NULL);
        return;
    }
    while (c->state == POOL_BUSY && !PQisBusy(c->pg)) {
        PGresult *r = PQgetResult(c->pg);
        if (!r) {
            pool_complete(c);
            break;
        }
        if (!c->res)
            c->res = r;
        else
            PQclear(r);
    }
    if (c->state == POOL_IDLE || c->state == POOL_BUSY)
        pool_wait(c);
    if (c->state == POOL_IDLE)
        db_pump(c->d);
}

static void pool_flush(pool_conn *c)
{
    int r = PQflush(c->pg);
    c->flushing = r == 1;
    if (r < 0)
        pool_lost(c, "write", NULL);
    else
        pool_wait(c);
}

static void pool_event_cb(evutil_socket_t fd, short what, void *arg)
{
    pool_conn *c = arg;
    (void)fd;
    if (c->state == POOL_CONNECTING) {
        pool_connect_poll(c);
        return;
    }
    /* libpq: while a flush is pending, reading may be needed first to let
     * the server drain its side before ours can be written. */
    db_call *before = c->call;
    if (what & EV_READ)
        pool_read(c);
    if (c->state == POOL_BUSY && c->call == before && c->flushing)
        pool_flush(c);
}

/* A group that never reached the server goes back to the queue, in order. */
static void pool_requeue(db_call *call)
{
    db_call *rest = call->group_next;

    call->group_next = NULL;
    call->in_group = 0;
    if (rest)
        pool_requeue(rest);
    db_requeue(call);
}

/* Sends one call; on failure the call goes back to the head of the queue
 * (it never reached the server) and the connection is rebuilt. */
void pool_send(pool_conn *c, db_call *call)
{
    char sql[sizeof "SELECT ($1::jsonb)" + DB_FUNCTION_MAX];
    char *group = call->group_next ? db_group_arg(call) : NULL;
    const char *params[1] = {group ? group : call->json};
    snprintf(sql, sizeof sql, "SELECT %s($1::jsonb)", call->function);
    if ((call->group_next && !group) || !PQsendQueryParams(c->pg, sql, 1, NULL, params, NULL, NULL, 0)) {
        free(group);
        pool_requeue(call);
        pool_lost(c, call->group_next && !group ? "out of memory" : "send", NULL);
        return;
    }
    free(group);
    for (db_call *m = call; m; m = m->group_next)
        m->where = CALL_INFLIGHT;
    c->call = call;
    pool_set_state(c, POOL_BUSY);
    pool_flush(c);
}

void pool_reconnect_now(pool_conn *c)
{
    if (c->state == POOL_DOWN) {
        c->backoff_ms = DB_BACKOFF_MIN_MS;
        pool_set_timer(c, 0);
    }
}

int pool_conn_init(db *d, pool_conn *c, int idx)
{
    c->d = d;
    c->idx = idx;
    c->ev_fd = -1;
    c->backoff_ms = DB_BACKOFF_MIN_MS;
    c->retry = evtimer_new(d->base, pool_retry_cb, c);
    return c->retry ? 0 : -1;
}

void pool_conn_free(pool_conn *c)
{
    PQclear(c->res);
    pool_drop_event(c);
    if (c->retry)
        event_free(c->retry);
    PQfinish(c->pg);
}
