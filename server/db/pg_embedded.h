/* The embedded default: with no DSN configured, huizongd keeps a private
 * PostgreSQL 15 cluster under its data directory, listening only on a Unix
 * socket there. Startup and shutdown only (blocking, outside the loop). */
#ifndef HZ_PG_EMBEDDED_H
#define HZ_PG_EMBEDDED_H

#include <stddef.h>

typedef struct {
    char datadir[512];   /* <data_dir>/pg */
    char sockdir[512];   /* <data_dir>/run */
    char dsn[1100];      /* libpq DSN for the running cluster */
    char run_as[64];     /* user the cluster runs as when we are root */
    char bindir[4096];   /* PostgreSQL binaries found at start, used again to stop */
    int started;
} pg_embedded;

/* initdb (first time) and pg_ctl start. `bindir` empty: find PostgreSQL 15
 * (/usr/lib/postgresql/15/bin if it has initdb, then pg_config --bindir). When running as
 * root, the cluster runs as `run_as` (default "postgres", else "nobody").
 * Returns 0 and fills pg->dsn, or -1 with err set. */
int pg_embedded_start(pg_embedded *pg, const char *data_dir, const char *bindir,
                      const char *run_as, char *err, size_t errlen);
/* pg_ctl stop -m fast; safe to call when not started. */
void pg_embedded_stop(pg_embedded *pg);

#endif
