/* The asynchronous connection pool: each connection is a small state machine
 * (down → connecting → idle ⇄ busy) driven by one libevent event on its
 * socket; pending calls wait in one FIFO queue, and every callback runs from
 * a separate "dispatch" event so no user code ever runs inside pool code. */
#include "db/db.h"

#include <event2/event.h>
#include <libpq-fe.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"

#define DB_BACKOFF_MIN_MS 100
#define DB_BACKOFF_MAX_MS 5000
#define DB_QUEUE_WAIT_MS 5000
#define DB_MAX_QUEUE 10000
#define DB_CONNECT_TIMEOUT_MS 10000
#define DB_FUNCTION_MAX 63 /* NAMEDATALEN - 1 */

typedef enum { CALL_QUEUED, CALL_INFLIGHT, CALL_DONE } call_where;

struct db_call {
    db *d;
    call_where where;
    int cancelled;
    db_call *prev, *next;
    int64_t queued_ms;
    db_done_fn done;
    void *arg;
    /* The outcome, kept until dispatch; `res` owns the json text. */
    db_status status;
    PGresult *res;
    char sqlstate[6];
    char message[256];
    char function[DB_FUNCTION_MAX + 1];
    char json[]; /* the argument, copied so the caller may free its own */
};

typedef enum { POOL_DOWN = 0, POOL_CONNECTING, POOL_IDLE, POOL_BUSY, POOL_MAX_STATE } pool_state;

static const char *const pool_state_names[POOL_MAX_STATE] = {
    "down", "connecting", "idle", "busy",
};

typedef struct {
    db *d;
    int idx;
    pool_state state;
    PGconn *pg;
    struct event *ev;       /* socket readiness, re-armed as libpq asks */
    int ev_fd;
    short ev_what;
    short poll_what;        /* what PQconnectPoll last asked for */
    struct event *retry;    /* back-off while down, deadline while connecting */
    int backoff_ms;
    int flushing;           /* PQflush said 1: wait for writability too */
    db_call *call;          /* in flight; NULL once cancelled (detached) */
    PGresult *res;          /* first result of the running statement */
} pool_conn;

typedef struct {
    db_call *head, *tail;
    size_t len;
} call_list;

struct db {
    struct event_base *base;
    char *dsn;
    int pool_size;
    pool_conn *conns;
    call_list queue;        /* waiting for a connection */
    call_list ready;        /* finished, waiting for dispatch */
    struct event *dispatch;
    struct event *sweep;    /* expires calls queued too long */
    int dispatching;
    int close_pending;
    int down;               /* db_set_down: the cluster is known to be gone */
};

static void pool_connect(pool_conn *c);
static void pool_event_cb(evutil_socket_t fd, short what, void *arg);
static void db_pump(db *d);

static int64_t db_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- call lists ---------------------------------------------------------- */

/* Inserts before `at`, or at the tail when `at` is NULL. */
static void list_insert(call_list *l, db_call *c, db_call *at)
{
    c->next = at;
    c->prev = at ? at->prev : l->tail;
    if (c->prev)
        c->prev->next = c;
    else
        l->head = c;
    if (at)
        at->prev = c;
    else
        l->tail = c;
    l->len++;
}

static void list_remove(call_list *l, db_call *c)
{
    if (c->prev)
        c->prev->next = c->next;
    else
        l->head = c->next;
    if (c->next)
        c->next->prev = c->prev;
    else
        l->tail = c->prev;
    c->prev = c->next = NULL;
    l->len--;
}

static void call_free(db_call *c)
{
    PQclear(c->res);
    free(c);
}

/* ---- finishing calls ----------------------------------------------------- */

/* Folds a message to one line: PostgreSQL messages may carry newlines. */
static void copy_one_line(char *dst, size_t dstlen, const char *src)
{
    size_t i = 0;
    for (; src && src[i] && i + 1 < dstlen; i++)
        dst[i] = (src[i] == '\n' || src[i] == '\r' || src[i] == '\t') ? ' ' : src[i];
    while (i > 0 && dst[i - 1] == ' ')
        i--;
    dst[i] = '\0';
}

/* Hands a call to the dispatcher: callbacks never run inside pool code. */
static void call_finish(db_call *c, db_status st, const char *sqlstate, const char *msg)
{
    db *d = c->d;
    c->status = st;
    snprintf(c->sqlstate, sizeof c->sqlstate, "%s", sqlstate ? sqlstate : "");
    copy_one_line(c->message, sizeof c->message, msg);
    c->where = CALL_DONE;
    list_insert(&d->ready, c, NULL);
    event_active(d->dispatch, 0, 0);
}

static void db_free_all(db *d);

static void dispatch_cb(evutil_socket_t fd, short what, void *arg)
{
    db *d = arg;
    (void)fd;
    (void)what;
    d->dispatching = 1;
    while (d->ready.head && !d->close_pending) {
        db_call *c = d->ready.head;
        list_remove(&d->ready, c);
        if (!c->cancelled) {
            db_result r = {
                .status = c->status,
                .json = c->status == DB_OK ? PQgetvalue(c->res, 0, 0) : NULL,
                .sqlstate = c->status == DB_ERROR ? c->sqlstate : NULL,
                .message = c->status == DB_OK ? NULL : c->message,
            };
            c->done(c->arg, &r);
        }
        call_free(c);
    }
    d->dispatching = 0;
    if (d->close_pending)
        db_free_all(d);
}

/* ---- the queue's age limit ----------------------------------------------- */

static void sweep_arm(db *d)
{
    if (!d->queue.head || evtimer_pending(d->sweep, NULL))
        return;
    int64_t wait = d->queue.head->queued_ms + DB_QUEUE_WAIT_MS - db_now_ms();
    if (wait < 1)
        wait = 1;
    struct timeval tv = {.tv_sec = wait / 1000, .tv_usec = (wait % 1000) * 1000};
    evtimer_add(d->sweep, &tv);
}

static void sweep_cb(evutil_socket_t fd, short what, void *arg)
{
    db *d = arg;
    (void)fd;
    (void)what;
    int64_t now = db_now_ms();
    /* FIFO order means the oldest call is always at the head. */
    while (d->queue.head && now - d->queue.head->queued_ms >= DB_QUEUE_WAIT_MS) {
        db_call *c = d->queue.head;
        list_remove(&d->queue, c);
        call_finish(c, DB_UNAVAILABLE, NULL, "database not reachable: call waited over 5 s");
    }
    sweep_arm(d);
}

/* ---- one connection ------------------------------------------------------ */

static void pool_set_state(pool_conn *c, pool_state s)
{
    if (s >= POOL_MAX_STATE)
        abort();
    log_debug("db: connection %d %s -> %s", c->idx, pool_state_names[c->state],
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
 * committed, so its call fails rather than being resent here; the client
 * resends and record ids make that safe. `detail` NULL: libpq's message. */
static void pool_lost(pool_conn *c, const char *why, const char *detail)
{
    const char *m = detail ? detail : c->pg ? PQerrorMessage(c->pg) : "out of memory";
    int n = (int)strcspn(m, "\n");
    if (c->state == POOL_IDLE || c->state == POOL_BUSY) {
        log_warn("db: connection %d to %s:%s/%s lost (%s): %.*s; reconnecting", c->idx,
                 PQhost(c->pg), PQport(c->pg), PQdb(c->pg), why, n, m);
        c->backoff_ms = DB_BACKOFF_MIN_MS;
    } else if (c->backoff_ms <= DB_BACKOFF_MIN_MS) {
        log_warn("db: connection %d failed (%s): %.*s; retrying with back-off", c->idx, why,
                 n, m);
    } else {
        log_debug("db: connection %d failed again: %.*s", c->idx, n, m);
    }
    if (c->call)
        call_finish(c->call, DB_UNAVAILABLE, NULL, "database connection lost");
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
    log_info("db: connection %d up to %s:%s/%s", c->idx, PQhost(c->pg), PQport(c->pg),
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

static void pool_connect(pool_conn *c)
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
    if (!call) { /* cancelled while in flight: discard */
    } else if (st == PGRES_TUPLES_OK && PQntuples(res) == 1 && PQnfields(res) == 1 &&
               !PQgetisnull(res, 0, 0)) {
        call->res = res;
        res = NULL;
        call_finish(call, DB_OK, NULL, NULL);
    } else if (st == PGRES_TUPLES_OK) {
        call_finish(call, DB_ERROR, "22004", "database function returned no single value");
    } else {
        const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
        const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
        call_finish(call, DB_ERROR, state ? state : "XX000",
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

/* Sends one call; on failure the call goes back to the head of the queue
 * (it never reached the server) and the connection is rebuilt. */
static void pool_send(pool_conn *c, db_call *call)
{
    char sql[sizeof "SELECT ($1::jsonb)" + DB_FUNCTION_MAX];
    const char *params[1] = {call->json};
    snprintf(sql, sizeof sql, "SELECT %s($1::jsonb)", call->function);
    if (!PQsendQueryParams(c->pg, sql, 1, NULL, params, NULL, NULL, 0)) {
        list_insert(&c->d->queue, call, c->d->queue.head);
        call->where = CALL_QUEUED;
        pool_lost(c, "send", NULL);
        return;
    }
    call->where = CALL_INFLIGHT;
    c->call = call;
    pool_set_state(c, POOL_BUSY);
    pool_flush(c);
}

/* Gives queued calls to idle connections, oldest first. */
static void db_pump(db *d)
{
    for (int i = 0; i < d->pool_size && d->queue.head; i++) {
        pool_conn *c = &d->conns[i];
        if (c->state != POOL_IDLE)
            continue;
        db_call *call = d->queue.head;
        list_remove(&d->queue, call);
        pool_send(c, call);
    }
    if (!d->queue.head)
        evtimer_del(d->sweep);
}

/* ---- the public interface ------------------------------------------------ */

db *db_open(struct event_base *base, const char *dsn, int pool_size)
{
    if (pool_size < 1)
        pool_size = 1;
    db *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->base = base;
    d->pool_size = pool_size;
    d->dsn = strdup(dsn ? dsn : "");
    d->conns = calloc((size_t)pool_size, sizeof *d->conns);
    d->dispatch = event_new(base, -1, 0, dispatch_cb, d);
    d->sweep = evtimer_new(base, sweep_cb, d);
    int ok = d->dsn && d->conns && d->dispatch && d->sweep;
    for (int i = 0; ok && i < pool_size; i++) {
        pool_conn *c = &d->conns[i];
        c->d = d;
        c->idx = i;
        c->ev_fd = -1;
        c->backoff_ms = DB_BACKOFF_MIN_MS;
        c->retry = evtimer_new(base, pool_retry_cb, c);
        ok = c->retry != NULL;
    }
    if (!ok) {
        db_free_all(d);
        return NULL;
    }
    for (int i = 0; i < pool_size; i++)
        pool_connect(&d->conns[i]);
    return d;
}

/* [a-z_][a-z0-9_]*: the name is spliced into SQL, so nothing else passes. */
static int db_function_name_ok(const char *f)
{
    size_t n = f ? strlen(f) : 0;
    if (n == 0 || n > DB_FUNCTION_MAX || !((f[0] >= 'a' && f[0] <= 'z') || f[0] == '_'))
        return 0;
    for (size_t i = 1; i < n; i++)
        if (!((f[i] >= 'a' && f[i] <= 'z') || (f[i] >= '0' && f[i] <= '9') || f[i] == '_'))
            return 0;
    return 1;
}

db_call *db_call_json(db *d, const char *function, const char *json_arg,
                      db_done_fn done, void *arg)
{
    size_t jlen = json_arg ? strlen(json_arg) : 0;
    db_call *c = calloc(1, sizeof *c + jlen + 1);
    if (!c)
        return NULL;
    c->d = d;
    c->done = done;
    c->arg = arg;
    c->queued_ms = db_now_ms();
    if (json_arg)
        memcpy(c->json, json_arg, jlen + 1);
    if (!db_function_name_ok(function)) {
        log_error("db: refused call of invalid function name \"%.64s\"",
                  function ? function : "(null)");
        call_finish(c, DB_ERROR, "42602", "invalid database function name");
        return c;
    }
    snprintf(c->function, sizeof c->function, "%s", function);
    if (!json_arg) {
        call_finish(c, DB_ERROR, "22004", "database call without an argument");
    } else if (d->down) {
        call_finish(c, DB_UNAVAILABLE, NULL, "database is down");
    } else if (d->queue.len >= DB_MAX_QUEUE) {
        call_finish(c, DB_UNAVAILABLE, NULL, "database queue full");
    } else {
        c->where = CALL_QUEUED;
        list_insert(&d->queue, c, NULL);
        db_pump(d);
        sweep_arm(d);
    }
    return c;
}

void db_cancel(db_call *c)
{
    if (!c)
        return;
    db *d = c->d;
    switch (c->where) {
    case CALL_QUEUED:
        list_remove(&d->queue, c);
        call_free(c);
        if (!d->queue.head)
            evtimer_del(d->sweep);
        break;
    case CALL_INFLIGHT:
        /* The statement runs on; its result is discarded on arrival. */
        for (int i = 0; i < d->pool_size; i++)
            if (d->conns[i].call == c)
                d->conns[i].call = NULL;
        call_free(c);
        break;
    case CALL_DONE:
        c->cancelled = 1; /* the dispatcher frees it */
        break;
    }
}

void db_set_down(db *d)
{
    d->down = 1;
    while (d->queue.head) {
        db_call *c = d->queue.head;
        list_remove(&d->queue, c);
        call_finish(c, DB_UNAVAILABLE, NULL, "database is down");
    }
    evtimer_del(d->sweep);
}

void db_set_up(db *d)
{
    d->down = 0;
    /* The cluster is back: no need to sit out the rest of a back-off. */
    for (int i = 0; i < d->pool_size; i++) {
        pool_conn *c = &d->conns[i];
        if (c->state == POOL_DOWN) {
            c->backoff_ms = DB_BACKOFF_MIN_MS;
            pool_set_timer(c, 0);
        }
    }
}

size_t db_connected_count(const db *d)
{
    size_t n = 0;
    for (int i = 0; i < d->pool_size; i++)
        n += d->conns[i].state == POOL_IDLE || d->conns[i].state == POOL_BUSY;
    return n;
}

size_t db_queue_length(const db *d)
{
    return d->queue.len;
}

static void db_free_all(db *d)
{
    while (d->queue.head) {
        db_call *c = d->queue.head;
        list_remove(&d->queue, c);
        call_free(c);
    }
    while (d->ready.head) {
        db_call *c = d->ready.head;
        list_remove(&d->ready, c);
        call_free(c);
    }
    for (int i = 0; d->conns && i < d->pool_size; i++) {
        pool_conn *c = &d->conns[i];
        if (c->call)
            call_free(c->call);
        PQclear(c->res);
        pool_drop_event(c);
        if (c->retry)
            event_free(c->retry);
        PQfinish(c->pg);
    }
    if (d->dispatch)
        event_free(d->dispatch);
    if (d->sweep)
        event_free(d->sweep);
    free(d->conns);
    free(d->dsn);
    free(d);
}

void db_close(db *d)
{
    if (!d)
        return;
    /* Called from a callback: finish after the dispatch loop lets go. */
    if (d->dispatching) {
        d->close_pending = 1;
        return;
    }
    db_free_all(d);
}
