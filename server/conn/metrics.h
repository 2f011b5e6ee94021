/* The Prometheus endpoint (metrics_listen): plain HTTP, GET /metrics, served
 * from the server's one event loop by libevent's evhttp. What it shows is
 * what `admin stats` shows: every counter of stats_counters (stats.h), the
 * replies and latency histogram of each request type, and the gauges of the
 * moment (connections by state, the database pool, the embedded
 * PostgreSQL). docs/ops.md lists the names. */
#ifndef HZ_METRICS_H
#define HZ_METRICS_H

#include <stddef.h>

typedef struct server server;
struct evbuffer;

/* With metrics_listen set: listens there, fills *bound_port (0 when off).
 * Returns 0, or -1 with err set. */
int metrics_start(server *s, int *bound_port, char *err, size_t errlen);
/* Frees the endpoint; NULL-safe on a server without one. */
void metrics_stop(server *s);
/* The exposition text of the server's counters now, appended to out. */
int metrics_render(const server *s, struct evbuffer *out);

#endif
