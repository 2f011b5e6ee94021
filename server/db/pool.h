/* The interface between the pool's two halves, internal to server/db/:
 * db.c owns the call queue and the public API (db.h), pool.c owns the
 * connections and their state machine. They share one struct db, so its
 * definition lives here rather than being duplicated or hidden behind
 * accessors on the hot path.
 *
 * The contract: only pool.c changes a connection's state, socket, timers or
 * result; db.c reads `state` and may detach a cancelled call by setting
 * `call` to NULL. Only db.c moves calls between lists and runs callbacks;
 * pool.c hands every outcome to db_call_finish, which defers the callback to
 * the dispatch event, so no user code ever runs inside pool code. */
#ifndef HZ_DB_POOL_H
#define HZ_DB_POOL_H

#include <libpq-fe.h>

#include <stdint.h>

#include "db/db.h"

#define DB_FUNCTION_MAX 63 /* NAMEDATALEN - 1 */

struct event;

typedef enum { CALL_QUEUED, CALL_INFLIGHT, CALL_DONE } call_where;

struct db_call {
    db *d;
    call_where where;
    int cancelled;
    int grouped;            /* db_call_grouped */
    int in_group;           /* sent as part of a group of two or more */
    db_call *group_next;    /* the next call of its group (pool_conn.call leads) */
    char *own_json;         /* a group member's own result, malloc'd */
    size_t json_len;
    db_call *prev, *next;
    int64_t queued_ms;
    db_done_fn done;
    void *arg;
    /* The outcome, kept until dispatch; `res` owns the json text. */
    db_status status;
    int in_doubt;           /* lost after it was sent (db_result.in_doubt) */
    PGresult *res;
    char sqlstate[6];
    char message[256];
    char function[DB_FUNCTION_MAX + 1];
    char json[]; /* the argument, copied so the caller may free its own */
};

typedef enum { POOL_DOWN = 0, POOL_CONNECTING, POOL_IDLE, POOL_BUSY, POOL_MAX_STATE } pool_state;

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
    db_call *call;          /* in flight (a group: its first call); NULL once cancelled */
    PGresult *res;          /* first result of the running statement */
} pool_conn;

typedef struct {
    db_call *head, *tail;
    size_t len;
} call_list;

struct db {
    struct event_base *base;
    char *dsn;
    char name[16];          /* in the log lines: "db", "read db" */
    int pool_size;
    pool_conn *conns;
    call_list queue;        /* waiting for a connection */
    call_list ready;        /* finished, waiting for dispatch */
    struct event *dispatch;
    struct event *sweep;    /* expires calls queued too long */
    int dispatching;
    int close_pending;
    int down;               /* db_set_down: the cluster is known to be gone */
    int64_t last_done_ms;   /* when a call last completed (the queue's age limit) */
    struct event *group_timer; /* the window of the grouped call at the head */
    int group_window_ms;
    int group_max;
    db_group_fn on_group;
    void *on_group_arg;
};

/* ---- pool.c: one connection ---------------------------------------------- */

/* Sets up connection `idx` of `d`, still down; -1 when out of memory. */
int pool_conn_init(db *d, pool_conn *c, int idx);
/* Starts connecting; failures retry with back-off on their own. */
void pool_connect(pool_conn *c);
/* Sends `call` on an idle connection; on failure the call is requeued. */
void pool_send(pool_conn *c, db_call *call);
/* A down connection skips the rest of its back-off. */
void pool_reconnect_now(pool_conn *c);
/* Frees the connection's own resources; db.c frees its call first. */
void pool_conn_free(pool_conn *c);

/* ---- db.c: the call queue ------------------------------------------------ */

/* Records the outcome and queues the call for dispatch. */
void db_call_finish(db_call *c, db_status st, const char *sqlstate, const char *msg);
/* db_call_finish for every call of the group that c leads (or c alone). */
void db_call_finish_all(db_call *c, db_status st, const char *sqlstate, const char *msg);
/* A group's statement returned `res` (taken): each call gets its own result. */
void db_group_done(db_call *lead, PGresult *res);
/* The argument of the group that lead leads: {"batches": [...]}, malloc'd. */
char *db_group_arg(const db_call *lead);
/* Frees a call and the rest of its group. */
void db_call_free_all(db_call *c);
/* Puts a call that never reached the server back at the head of the queue. */
void db_requeue(db_call *c);
/* Gives queued calls to idle connections, oldest first. */
void db_pump(db *d);

#endif
