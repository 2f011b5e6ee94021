/* The database layer: a small pool of asynchronous libpq connections whose
 * sockets are events in the server's one event_base. Nothing here blocks the
 * loop (startup-only functions say so).
 *
 * Every operation is one call of a SQL function that takes one jsonb
 * argument and returns one jsonb value (see sql/README.md for the contract).
 * One statement is one transaction: the reply arrives only after COMMIT, and
 * a failed call writes nothing. */
#ifndef HZ_DB_H
#define HZ_DB_H

#include <stddef.h>

struct event_base;
typedef struct db db;
typedef struct db_call db_call;

typedef enum {
    DB_OK = 0,          /* the function ran; `json` holds its result */
    DB_UNAVAILABLE,     /* no connection, or the connection broke: retryable */
    DB_ERROR,           /* the statement failed; sqlstate and message say why */
} db_status;

typedef struct {
    db_status status;
    const char *json;      /* DB_OK: the returned jsonb as text */
    const char *sqlstate;  /* DB_ERROR: five characters */
    const char *message;   /* DB_ERROR/DB_UNAVAILABLE: one line */
    int in_doubt;          /* DB_UNAVAILABLE: the connection broke after the statement was
                              sent, so it may have committed; only a resend can tell */
} db_result;

/* Called exactly once per call, from the event loop, unless the call was
 * cancelled first. The result is valid only during the callback. */
typedef void (*db_done_fn)(void *arg, const db_result *r);

/* Opens `pool_size` connections to `dsn` asynchronously; returns NULL only on
 * allocation failure. Broken connections reconnect with back-off. */
db *db_open(struct event_base *base, const char *dsn, int pool_size);
/* The pool's name in its log lines (default "db"); at most 15 bytes kept. */
void db_set_name(db *d, const char *name);
void db_close(db *d);

/* Queues `SELECT <function>($1::jsonb)` with `json_arg`. Calls beyond
 * max_queue get DB_UNAVAILABLE at once (still through the callback, from the
 * loop). Returns a handle for db_cancel, or NULL on allocation failure. */
db_call *db_call_json(db *d, const char *function, const char *json_arg,
                      db_done_fn done, void *arg);
/* db_call_json for a call that may share its transaction (group commit):
 * grouped calls of one function that wait at the same time are sent as one
 * statement, `function({"batches": [arg, ...]})`, which must return
 * {"status": "OK", "results": [one result per argument, in order]}; each
 * call still gets its own result through its own callback, after the one
 * COMMIT. A call alone in its group is sent as db_call_json sends it. */
db_call *db_call_grouped(db *d, const char *function, const char *json_arg,
                         db_done_fn done, void *arg);
/* Told the size of every group sent (1: a grouped call that went alone). */
typedef void (*db_group_fn)(void *arg, size_t calls);
/* A grouped call at the head of the queue waits up to window_ms for others
 * to join it; a group holds at most max_calls calls (1: never merge) and
 * about DB_GROUP_MAX_BYTES of arguments. on_group may be NULL. */
void db_set_grouping(db *d, int window_ms, int max_calls, db_group_fn on_group, void *arg);
#define DB_GROUP_MAX_BYTES (16u << 20)
/* The callback will not be called; the statement may still complete. */
void db_cancel(db_call *c);

/* The embedded cluster's supervisor knows it is gone: calls waiting for a
 * connection, and new ones, get DB_UNAVAILABLE at once until db_set_up,
 * which also makes broken connections reconnect now. */
void db_set_down(db *d);
void db_set_up(db *d);
/* 1 between db_set_down and db_set_up. */
int db_is_down(const db *d);

/* Counters for stats and tests. */
size_t db_connected_count(const db *d);
size_t db_queue_length(const db *d);

#endif
