/* The asynchronous pool's call queue and public API: pending calls wait in
 * one FIFO queue for a connection (pool.c), and every callback runs from a
 * separate "dispatch" event so no user code ever runs inside pool code. */
#include "db/db.h"

#include <event2/event.h>

#include <jansson.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/pool.h"
#include "log.h"

#define DB_QUEUE_WAIT_MS 5000
#define DB_MAX_QUEUE 10000

static void db_free_all(db *d);

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
    free(c->own_json);
    free(c);
}

void db_call_free_all(db_call *c)
{
    while (c) {
        db_call *next = c->group_next;
        call_free(c);
        c = next;
    }
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
void db_call_finish(db_call *c, db_status st, const char *sqlstate, const char *msg)
{
    db *d = c->d;
    if (st != DB_UNAVAILABLE)
        d->last_done_ms = db_now_ms();
    c->status = st;
    snprintf(c->sqlstate, sizeof c->sqlstate, "%s", sqlstate ? sqlstate : "");
    copy_one_line(c->message, sizeof c->message, msg);
    c->where = CALL_DONE;
    list_insert(&d->ready, c, NULL);
    event_active(d->dispatch, 0, 0);
}

void db_call_finish_all(db_call *c, db_status st, const char *sqlstate, const char *msg)
{
    while (c) {
        db_call *next = c->group_next;
        c->group_next = NULL;
        db_call_finish(c, st, sqlstate, msg);
        c = next;
    }
}

/* ---- groups -------------------------------------------------------------- */

char *db_group_arg(const db_call *lead)
{
    static const char head[] = "{\"batches\":[", tail[] = "]}";
    size_t len = sizeof head + sizeof tail;
    for (const db_call *c = lead; c; c = c->group_next)
        len += c->json_len + 1;
    char *out = malloc(len), *p = out;
    if (!out)
        return NULL;
    memcpy(p, head, sizeof head - 1);
    p += sizeof head - 1;
    for (const db_call *c = lead; c; c = c->group_next) {
        if (c != lead)
            *p++ = ',';
        memcpy(p, c->json, c->json_len);
        p += c->json_len;
    }
    memcpy(p, tail, sizeof tail);
    return out;
}

void db_group_done(db_call *lead, PGresult *res)
{
    json_t *all = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
    json_t *results = json_object_get(all, "results");
    size_t n = 0;

    for (db_call *c = lead; c; c = c->group_next)
        n++;
    PQclear(res);
    if (!json_is_array(results) || json_array_size(results) != n) {
        const char *st = json_string_value(json_object_get(all, "status"));
        log_error("db: %s returned no result per call of its group of %zu (status %s)",
                  lead->function, n, st ? st : "none");
        json_decref(all);
        db_call_finish_all(lead, DB_ERROR, "22004", "group result without one result per call");
        return;
    }
    size_t i = 0;
    for (db_call *c = lead, *next; c; c = next, i++) {
        next = c->group_next;
        c->group_next = NULL;
        c->own_json = json_dumps(json_array_get(results, i), JSON_COMPACT);
        if (c->own_json)
            db_call_finish(c, DB_OK, NULL, NULL);
        else
            db_call_finish(c, DB_ERROR, "53200", "out of memory splitting a group result");
    }
    json_decref(all);
}

/* Grouped calls of the head's function in the queue, up to the group's
 * limits; *bytes their arguments' size. */
static size_t group_count(const db *d, size_t *bytes)
{
    const db_call *head = d->queue.head;
    size_t n = 0;

    *bytes = 0;
    for (const db_call *c = head; c && n < (size_t)d->group_max; c = c->next)
        if (c->grouped && strcmp(c->function, head->function) == 0) {
            if (n > 0 && *bytes + c->json_len > DB_GROUP_MAX_BYTES)
                break;
            *bytes += c->json_len;
            n++;
        }
    return n;
}

/* Whether the grouped call at the head should wait for others: its group is
 * not full and its window is still open (the timer pumps again then). */
static int group_wait(db *d)
{
    size_t bytes, n = group_count(d, &bytes);
    int64_t left = d->queue.head->queued_ms + d->group_window_ms - db_now_ms();

    if (n >= (size_t)d->group_max || bytes >= DB_GROUP_MAX_BYTES || left <= 0)
        return 0;
    if (!evtimer_pending(d->group_timer, NULL)) {
        struct timeval tv = {.tv_sec = left / 1000, .tv_usec = (left % 1000) * 1000};
        evtimer_add(d->group_timer, &tv);
    }
    return 1;
}

/* Takes the head's group out of the queue, linked by group_next. */
static db_call *group_take(db *d)
{
    size_t bytes, n = group_count(d, &bytes);
    db_call *lead = d->queue.head, *last = NULL, *c = lead, *next;

    for (size_t taken = 0; c && taken < n; c = next) {
        next = c->next;
        if (!c->grouped || strcmp(c->function, lead->function) != 0)
            continue;
        list_remove(&d->queue, c);
        c->in_group = n > 1;
        c->group_next = NULL;
        if (last)
            last->group_next = c;
        last = c;
        taken++;
    }
    if (d->on_group)
        d->on_group(d->on_group_arg, n);
    return lead;
}

static void group_timer_cb(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    db_pump(arg);
}

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
                .json = c->status != DB_OK ? NULL : c->own_json ? c->own_json : PQgetvalue(c->res, 0, 0),
                .sqlstate = c->status == DB_ERROR ? c->sqlstate : NULL,
                .message = c->status == DB_OK ? NULL : c->message,
                .in_doubt = c->status == DB_UNAVAILABLE && c->in_doubt,
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

/* A busy database is not one out of reach: a call waits for a connection
 * as long as a statement is running or calls keep completing (a burst of
 * large batches can queue for longer than 5 s); it gets UNAVAILABLE once it
 * has waited 5 s while no statement runs and nothing completed for 5 s. */
static int64_t sweep_due_ms(const db *d)
{
    int64_t due = d->queue.head->queued_ms + DB_QUEUE_WAIT_MS;
    int64_t moving = d->last_done_ms + DB_QUEUE_WAIT_MS;

    for (int i = 0; i < d->pool_size; i++)
        if (d->conns[i].state == POOL_BUSY)
            moving = db_now_ms() + DB_QUEUE_WAIT_MS; /* look again then */
    return due > moving ? due : moving;
}

static void sweep_arm(db *d)
{
    if (!d->queue.head || evtimer_pending(d->sweep, NULL))
        return;
    int64_t wait = sweep_due_ms(d) - db_now_ms();
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
    while (d->queue.head && sweep_due_ms(d) <= now) {
        db_call *c = d->queue.head;
        list_remove(&d->queue, c);
        db_call_finish(c, DB_UNAVAILABLE, NULL, "database not reachable: call waited over 5 s");
    }
    sweep_arm(d);
}

void db_requeue(db_call *c)
{
    list_insert(&c->d->queue, c, c->d->queue.head);
    c->where = CALL_QUEUED;
}

/* Gives queued calls to idle connections, oldest first. */
void db_pump(db *d)
{
    for (int i = 0; i < d->pool_size && d->queue.head; i++) {
        pool_conn *c = &d->conns[i];
        if (c->state != POOL_IDLE)
            continue;
        db_call *call = d->queue.head;
        if (call->grouped && d->group_max > 1) {
            if (group_wait(d))
                break;
            call = group_take(d);
        } else {
            list_remove(&d->queue, call);
        }
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
    snprintf(d->name, sizeof d->name, "db");
    d->conns = calloc((size_t)pool_size, sizeof *d->conns);
    d->dispatch = event_new(base, -1, 0, dispatch_cb, d);
    d->sweep = evtimer_new(base, sweep_cb, d);
    d->group_timer = evtimer_new(base, group_timer_cb, d);
    d->group_max = 1;
    int ok = d->dsn && d->conns && d->dispatch && d->sweep && d->group_timer;
    for (int i = 0; ok && i < pool_size; i++)
        ok = pool_conn_init(d, &d->conns[i], i) == 0;
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

static db_call *db_call_new(db *d, const char *function, const char *json_arg,
                            db_done_fn done, void *arg, int grouped)
{
    size_t jlen = json_arg ? strlen(json_arg) : 0;
    db_call *c = calloc(1, sizeof *c + jlen + 1);
    if (!c)
        return NULL;
    c->d = d;
    c->grouped = grouped;
    c->json_len = jlen;
    c->done = done;
    c->arg = arg;
    c->queued_ms = db_now_ms();
    if (json_arg)
        memcpy(c->json, json_arg, jlen + 1);
    if (!db_function_name_ok(function)) {
        log_error("db: refused call of invalid function name \"%.64s\"",
                  function ? function : "(null)");
        db_call_finish(c, DB_ERROR, "42602", "invalid database function name");
        return c;
    }
    snprintf(c->function, sizeof c->function, "%s", function);
    if (!json_arg) {
        db_call_finish(c, DB_ERROR, "22004", "database call without an argument");
    } else if (d->down) {
        db_call_finish(c, DB_UNAVAILABLE, NULL, "database is down");
    } else if (d->queue.len >= DB_MAX_QUEUE) {
        db_call_finish(c, DB_UNAVAILABLE, NULL, "database queue full");
    } else {
        c->where = CALL_QUEUED;
        list_insert(&d->queue, c, NULL);
        db_pump(d);
        sweep_arm(d);
    }
    return c;
}

db_call *db_call_json(db *d, const char *function, const char *json_arg,
                      db_done_fn done, void *arg)
{
    return db_call_new(d, function, json_arg, done, arg, 0);
}

db_call *db_call_grouped(db *d, const char *function, const char *json_arg,
                         db_done_fn done, void *arg)
{
    return db_call_new(d, function, json_arg, done, arg, 1);
}

void db_set_name(db *d, const char *name)
{
    snprintf(d->name, sizeof d->name, "%s", name);
}

void db_set_grouping(db *d, int window_ms, int max_calls, db_group_fn on_group, void *arg)
{
    d->group_window_ms = window_ms < 0 ? 0 : window_ms;
    d->group_max = max_calls < 1 ? 1 : max_calls;
    d->on_group = on_group;
    d->on_group_arg = arg;
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
        if (c->in_group) { /* its neighbours still need the statement's result */
            c->cancelled = 1;
            break;
        }
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
        db_call_finish(c, DB_UNAVAILABLE, NULL, "database is down");
    }
    evtimer_del(d->sweep);
}

void db_set_up(db *d)
{
    d->down = 0;
    /* The cluster is back: no need to sit out the rest of a back-off. */
    for (int i = 0; i < d->pool_size; i++)
        pool_reconnect_now(&d->conns[i]);
}

int db_is_down(const db *d)
{
    return d->down;
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
        db_call_free_all(c->call);
        pool_conn_free(c);
    }
    if (d->dispatch)
        event_free(d->dispatch);
    if (d->sweep)
        event_free(d->sweep);
    if (d->group_timer)
        event_free(d->group_timer);
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
