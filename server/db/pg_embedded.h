/* The embedded default: with no DSN configured, huizongd keeps a private
 * PostgreSQL 15 cluster under its data directory, listening only on a Unix
 * socket there. Start and stop block (outside the loop); a restart from the
 * loop uses pg_embedded_spawn_start and watches the child. */
#ifndef HZ_PG_EMBEDDED_H
#define HZ_PG_EMBEDDED_H

#include <stddef.h>
#include <sys/types.h>

typedef struct {
    char datadir[512];   /* <data_dir>/pg */
    char sockdir[512];   /* <data_dir>/run */
    char dsn[1100];      /* libpq DSN of the owner (migrations) */
    char login_dsn[1100];/* libpq DSN of the login role (the pool) */
    char run_as[64];     /* user the cluster runs as when we are root */
    char bindir[4096];   /* PostgreSQL binaries found at start, used again to stop */
    int started;
} pg_embedded;

/* initdb (first time) and pg_ctl start. `bindir` empty: find PostgreSQL 15
 * (/usr/lib/postgresql/15/bin if it has initdb, then pg_config --bindir). When running as
 * root, the cluster runs as `run_as` (default "postgres", else "nobody").
 * The bootstrap superuser then makes the roles and the database
 * (pg_bootstrap.h). Returns 0 and fills pg->dsn and pg->login_dsn, or -1
 * with err set. */
int pg_embedded_start(pg_embedded *pg, const char *data_dir, const char *bindir,
                      const char *run_as, char *err, size_t errlen);
/* pg_ctl start of a cluster started before, without waiting: the child's
 * pid (its exit status is pg_ctl's), or -1 with err set. */
pid_t pg_embedded_spawn_start(const pg_embedded *pg, char *err, size_t errlen);
/* The postmaster's pid from postmaster.pid when that process runs, else 0. */
pid_t pg_embedded_postmaster(const pg_embedded *pg);
/* A postmaster.pid whose process is gone or a zombie is removed: the
 * postmaster's own check takes a zombie (which an init that does not reap
 * leaves behind) for a live owner. Its shared memory check still guards
 * against backends that outlived it. */
void pg_embedded_clear_stale_pid(const pg_embedded *pg);
/* The path of one of PostgreSQL's programs (pg_dump, pg_restore, psql) in
 * `bindir` (empty: found as pg_embedded_start finds it). 0, or -1 with err. */
int pg_embedded_tool(const char *bindir, const char *tool, char *path, size_t len, char *err,
                     size_t errlen);
/* Runs argv[0] as ourselves to its end, its output on our stderr: its exit
 * status, or -1 when it could not run or was killed. Blocking. */
int pg_embedded_run_tool(char *const argv[]);
/* pg_ctl stop -m fast; safe to call when not started. */
void pg_embedded_stop(pg_embedded *pg);

#endif
