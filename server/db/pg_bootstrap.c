/* Roles and database of the embedded cluster, made by its bootstrap
 * superuser; nothing else ever connects as that superuser. */
#include "db/pg_bootstrap.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "log.h"

/* Neither role may do anything beyond its own objects (the owner) or
 * calling what it was granted (the login role). */
#define PG_ROLE_LIMITS "NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"

static const char pg_roles_sql[] =
    "DO $$ BEGIN"
    " IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" PG_OWNER_ROLE "') THEN"
    "  CREATE ROLE " PG_OWNER_ROLE " LOGIN " PG_ROLE_LIMITS ";"
    " END IF;"
    " IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" PG_LOGIN_ROLE "') THEN"
    "  CREATE ROLE " PG_LOGIN_ROLE " LOGIN NOINHERIT " PG_ROLE_LIMITS ";"
    " END IF;"
    " ALTER ROLE " PG_OWNER_ROLE " " PG_ROLE_LIMITS ";"
    " ALTER ROLE " PG_LOGIN_ROLE " NOINHERIT " PG_ROLE_LIMITS ";"
    "END $$";

static const char pg_database_sql[] =
    "ALTER DATABASE " PG_DATABASE " OWNER TO " PG_OWNER_ROLE ";"
    " REVOKE ALL ON DATABASE " PG_DATABASE " FROM PUBLIC;"
    " GRANT CONNECT ON DATABASE " PG_DATABASE " TO " PG_LOGIN_ROLE;

/* Clusters made by earlier versions ran the migrations as the superuser:
 * what it owns in public and hz_private goes to the owner (sequences after
 * their tables, which take the sequences they own along). */
static const char pg_reassign_sql[] =
    "DO $$ DECLARE r record; su oid := '" PG_BOOTSTRAP_ROLE "'::regrole; BEGIN"
    " FOR r IN SELECT n.nspname FROM pg_namespace n"
    "  WHERE n.nspname = 'hz_private' AND n.nspowner = su LOOP"
    "  EXECUTE format('ALTER SCHEMA %I OWNER TO " PG_OWNER_ROLE "', r.nspname);"
    " END LOOP;"
    " FOR r IN SELECT c.oid::regclass AS name, c.relkind FROM pg_class c"
    "  JOIN pg_namespace n ON n.oid = c.relnamespace"
    "  WHERE n.nspname IN ('public', 'hz_private') AND c.relowner = su"
    "    AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'c') LOOP"
    "  IF r.relkind = 'c' THEN"
    "   EXECUTE format('ALTER TYPE %s OWNER TO " PG_OWNER_ROLE "', r.name);"
    "  ELSE"
    "   EXECUTE format('ALTER TABLE %s OWNER TO " PG_OWNER_ROLE "', r.name);"
    "  END IF;"
    " END LOOP;"
    " FOR r IN SELECT c.oid::regclass AS name FROM pg_class c"
    "  JOIN pg_namespace n ON n.oid = c.relnamespace"
    "  WHERE n.nspname IN ('public', 'hz_private') AND c.relowner = su AND c.relkind = 'S' LOOP"
    "  EXECUTE format('ALTER SEQUENCE %s OWNER TO " PG_OWNER_ROLE "', r.name);"
    " END LOOP;"
    " FOR r IN SELECT t.oid::regtype AS name FROM pg_type t"
    "  JOIN pg_namespace n ON n.oid = t.typnamespace"
    "  WHERE n.nspname IN ('public', 'hz_private') AND t.typowner = su"
    "    AND t.typtype IN ('d', 'e', 'r') LOOP"
    "  EXECUTE format('ALTER TYPE %s OWNER TO " PG_OWNER_ROLE "', r.name);"
    " END LOOP;"
    " FOR r IN SELECT p.oid::regprocedure AS name FROM pg_proc p"
    "  JOIN pg_namespace n ON n.oid = p.pronamespace"
    "  WHERE n.nspname IN ('public', 'hz_private') AND p.proowner = su LOOP"
    "  EXECUTE format('ALTER ROUTINE %s OWNER TO " PG_OWNER_ROLE "', r.name);"
    " END LOOP;"
    "END $$";

static PGconn *pg_bootstrap_connect(const char *sockdir, const char *dbname, char *err,
                                    size_t errlen)
{
    const char *const keys[] = {"host", "user", "dbname", "application_name", NULL};
    const char *const vals[] = {sockdir, PG_BOOTSTRAP_ROLE, dbname, "huizongd bootstrap", NULL};
    PGconn *conn = PQconnectdbParams(keys, vals, 0);
    if (conn && PQstatus(conn) == CONNECTION_OK)
        return conn;
    snprintf(err, errlen, "cannot connect to the embedded PostgreSQL in %s as %s: %s", sockdir,
             PG_BOOTSTRAP_ROLE, conn ? PQerrorMessage(conn) : "out of memory");
    err[strcspn(err, "\n")] = '\0';
    PQfinish(conn);
    return NULL;
}

/* Runs `sql`; 0, or -1 with err naming `what`. `ok_state`: a SQLSTATE that
 * counts as done (42P04: the database exists). */
static int pg_bootstrap_exec(PGconn *conn, const char *sql, const char *what,
                             const char *ok_state, char *err, size_t errlen)
{
    PGresult *r = PQexec(conn, sql);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    if (!ok && !(ok_state && state && strcmp(state, ok_state) == 0)) {
        const char *msg = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
        snprintf(err, errlen, "%s failed: %s", what, msg ? msg : PQerrorMessage(conn));
        err[strcspn(err, "\n")] = '\0';
        PQclear(r);
        return -1;
    }
    PQclear(r);
    return 0;
}

/* A cluster reused as found may still be starting (crash recovery after a
 * restart that a killed server began): wait for it, 60 s at most. */
static void pg_bootstrap_wait_ready(const char *sockdir)
{
    const char *const keys[] = {"host", "user", "dbname", NULL};
    const char *const vals[] = {sockdir, PG_BOOTSTRAP_ROLE, "postgres", NULL};
    for (int i = 0; i < 300; i++) {
        PGPing p = PQpingParams(keys, vals, 0);
        if (p == PQPING_OK || p == PQPING_NO_ATTEMPT)
            return;
        if (i == 0)
            log_info("embedded PostgreSQL: waiting for it to accept connections");
        struct timespec ts = {.tv_sec = 0, .tv_nsec = 200 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
}

int pg_bootstrap_roles(const char *sockdir, char *err, size_t errlen)
{
    pg_bootstrap_wait_ready(sockdir);
    PGconn *conn = pg_bootstrap_connect(sockdir, "postgres", err, errlen);
    if (!conn)
        return -1;
    int rc = pg_bootstrap_exec(conn, pg_roles_sql, "creating the database roles", NULL, err,
                               errlen);
    if (rc == 0)
        rc = pg_bootstrap_exec(conn, "CREATE DATABASE " PG_DATABASE " OWNER " PG_OWNER_ROLE,
                               "CREATE DATABASE " PG_DATABASE, "42P04", err, errlen);
    if (rc == 0)
        rc = pg_bootstrap_exec(conn, pg_database_sql, "granting CONNECT", NULL, err, errlen);
    PQfinish(conn);
    if (rc != 0 || !(conn = pg_bootstrap_connect(sockdir, PG_DATABASE, err, errlen)))
        return -1;
    rc = pg_bootstrap_exec(conn, pg_reassign_sql, "handing the schema to " PG_OWNER_ROLE, NULL,
                           err, errlen);
    if (rc == 0)
        rc = pg_bootstrap_exec(conn, "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
                               "revoking CREATE on public", NULL, err, errlen);
    PQfinish(conn);
    if (rc == 0)
        log_info("embedded PostgreSQL: roles %s (owner) and %s (login) ready", PG_OWNER_ROLE,
                 PG_LOGIN_ROLE);
    return rc;
}
