/* Schema migrations at startup: applies sql/NNN_name.sql files not yet
 * recorded in schema_version, in order, one transaction per file, under an
 * advisory lock so that several servers starting together apply each file
 * once. Blocking libpq is fine here: it runs before the event loop.
 *
 * A migration file is sent as one multi-statement query inside BEGIN ...
 * COMMIT, so it must not contain transaction control, COPY FROM STDIN or
 * statements that cannot run in a transaction (CREATE INDEX CONCURRENTLY). */
#include "db/migrate.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "log.h"

#define MIGRATE_LOCK_KEY "7443"
#define MIGRATE_MAX_FILE (16L * 1024 * 1024)
#define MIGRATE_MAX_VERSIONS 4096

typedef struct {
    PGconn *conn;
    const char *dir;
    char *err;
    size_t errlen;
    int applied[MIGRATE_MAX_VERSIONS]; /* 1 when schema_version holds it */
} migrate_ctx;

static void migrate_fail(migrate_ctx *m, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void migrate_fail(migrate_ctx *m, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m->err, m->errlen, fmt, ap);
    va_end(ap);
}

/* libpq messages end in a newline and may span lines; a log line may not. */
static void migrate_one_line(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
        s[--n] = '\0';
    for (char *p = s; *p; p++)
        if (*p == '\n' || *p == '\t')
            *p = ' ';
}

static void migrate_notice(void *arg, const char *message)
{
    char line[512];
    (void)arg;
    snprintf(line, sizeof line, "%s", message);
    migrate_one_line(line);
    log_warn("postgresql: %s", line);
}

/* The 1-based line of the 1-based character `pos` of `text` (UTF-8). */
static long migrate_line_of(const char *text, long pos)
{
    long line = 1, chars = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if ((*p & 0xC0) != 0x80 && ++chars >= pos)
            break;
        if (*p == '\n')
            line++;
    }
    return line;
}

/* Fills err with "<what>[ line N]: <PostgreSQL's message>". */
static void migrate_pg_error(migrate_ctx *m, const PGresult *res, const char *what,
                             const char *text)
{
    char msg[512];
    const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    const char *pos = res ? PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION) : NULL;

    snprintf(msg, sizeof msg, "%s", primary ? primary : PQerrorMessage(m->conn));
    migrate_one_line(msg);
    if (pos && text)
        migrate_fail(m, "%s line %ld: %s", what, migrate_line_of(text, atol(pos)), msg);
    else
        migrate_fail(m, "%s: %s", what, msg);
}

/* Runs `sql` (one or more statements); 0 on success. */
static int migrate_exec(migrate_ctx *m, const char *sql, const char *what)
{
    PGresult *res = PQexec(m->conn, sql);
    ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    int ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY;

    if (!ok)
        migrate_pg_error(m, res, what, sql);
    PQclear(res);
    return ok ? 0 : -1;
}

/* 1 if the single-row boolean query returns true, 0 if false, -1 on error. */
static int migrate_query_bool(migrate_ctx *m, const char *sql, const char *what)
{
    PGresult *res = PQexec(m->conn, sql);
    int r = -1;

    if (res && PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
        r = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    else
        migrate_pg_error(m, res, what, NULL);
    PQclear(res);
    return r;
}

static int migrate_connect(migrate_ctx *m, const char *dsn)
{
    m->conn = PQconnectdb(dsn ? dsn : "");
    if (!m->conn) {
        migrate_fail(m, "cannot connect to PostgreSQL: out of memory");
        return -1;
    }
    if (PQstatus(m->conn) != CONNECTION_OK) {
        char msg[512];
        snprintf(msg, sizeof msg, "%s", PQerrorMessage(m->conn));
        migrate_one_line(msg);
        migrate_fail(m, "cannot connect to PostgreSQL: %s", msg);
        return -1;
    }
    PQsetNoticeProcessor(m->conn, migrate_notice, NULL);
    /* The files are UTF-8 whatever the server's default; a statement_timeout
     * set for request traffic must not cut a long migration short. */
    return migrate_exec(m, "SET client_min_messages = warning; SET client_encoding = 'UTF8';"
                           " SET statement_timeout = 0; SET application_name = 'huizongd migrate'",
                        "session setup");
}

/* Waits for the lock, saying so when another server holds it. */
static int migrate_lock(migrate_ctx *m)
{
    int got = migrate_query_bool(m, "SELECT pg_try_advisory_lock(" MIGRATE_LOCK_KEY ")",
                                 "advisory lock");
    if (got != 0)
        return got > 0 ? 0 : -1;
    log_info("another server is applying migrations; waiting for it");
    return migrate_exec(m, "SELECT pg_advisory_lock(" MIGRATE_LOCK_KEY ")", "advisory lock");
}

static int migrate_load_applied(migrate_ctx *m)
{
    if (migrate_exec(m, "CREATE TABLE IF NOT EXISTS schema_version ("
                        " version int PRIMARY KEY, name text NOT NULL,"
                        " applied_at timestamptz NOT NULL DEFAULT now())",
                     "schema_version") != 0)
        return -1;
    PGresult *res = PQexec(m->conn, "SELECT version FROM schema_version");
    if (!res || PQresultStatus(res) != PGRES_TUPLES_OK) {
        migrate_pg_error(m, res, "schema_version", NULL);
        PQclear(res);
        return -1;
    }
    for (int i = 0; i < PQntuples(res); i++) {
        long v = atol(PQgetvalue(res, i, 0));
        if (v >= 0 && v < MIGRATE_MAX_VERSIONS)
            m->applied[v] = 1;
        else
            log_warn("schema_version holds version %ld, beyond any migration file", v);
    }
    PQclear(res);
    return 0;
}

/* "012_name.sql" -> 12; -1 when the name is not NNN_name.sql. */
static long migrate_version_of(const char *name)
{
    const char *p = name;
    long v = 0;
    while (*p >= '0' && *p <= '9' && v < MIGRATE_MAX_VERSIONS)
        v = v * 10 + (*p++ - '0');
    if (p == name || *p != '_' || v >= MIGRATE_MAX_VERSIONS)
        return -1;
    return v;
}

static int migrate_is_sql(const struct dirent *e)
{
    size_t n = strlen(e->d_name);
    return e->d_name[0] != '.' && n > 4 && strcmp(e->d_name + n - 4, ".sql") == 0;
}

/* Reads the whole file; returns a malloc'd NUL-terminated string or NULL. */
static char *migrate_read(migrate_ctx *m, const char *path, const char *name)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        migrate_fail(m, "%s: %s", name, strerror(errno));
        return NULL;
    }
    char *buf = NULL;
    long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    if (size < 0 || size > MIGRATE_MAX_FILE)
        migrate_fail(m, "%s: %s", name, size < 0 ? strerror(errno) : "larger than 16 MiB");
    else if (fseek(f, 0, SEEK_SET) != 0 || !(buf = malloc((size_t)size + 1)))
        migrate_fail(m, "%s: cannot read: %s", name, strerror(errno));
    else if (fread(buf, 1, (size_t)size, f) != (size_t)size) {
        migrate_fail(m, "%s: short read", name);
        free(buf);
        buf = NULL;
    } else {
        buf[size] = '\0';
        if (strlen(buf) != (size_t)size) {
            migrate_fail(m, "%s: contains a NUL byte", name);
            free(buf);
            buf = NULL;
        }
    }
    fclose(f);
    return buf;
}

static int migrate_record(migrate_ctx *m, long version, const char *name)
{
    char vbuf[24];
    snprintf(vbuf, sizeof vbuf, "%ld", version);
    const char *params[2] = { vbuf, name };
    PGresult *res = PQexecParams(m->conn,
                                 "INSERT INTO schema_version (version, name) VALUES ($1, $2)",
                                 2, NULL, params, NULL, NULL, 0);
    int ok = res && PQresultStatus(res) == PGRES_COMMAND_OK;
    if (!ok)
        migrate_pg_error(m, res, name, NULL);
    PQclear(res);
    return ok ? 0 : -1;
}

/* BEGIN; file; record; COMMIT. Anything failing rolls the file back whole. */
static int migrate_apply(migrate_ctx *m, long version, const char *name)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s/%s", m->dir, name) >= (int)sizeof path) {
        migrate_fail(m, "%s: path too long", name);
        return -1;
    }
    char *text = migrate_read(m, path, name);
    if (!text)
        return -1;
    int rc = migrate_exec(m, "BEGIN", name);
    if (rc == 0)
        rc = migrate_exec(m, text, name);
    if (rc == 0)
        rc = migrate_record(m, version, name);
    if (rc == 0)
        rc = migrate_exec(m, "COMMIT", name);
    if (rc != 0)
        PQclear(PQexec(m->conn, "ROLLBACK"));
    else
        log_info("applied migration %s", name);
    free(text);
    return rc;
}

/* Applies, in name order, every file whose version is not recorded. */
static int migrate_dir(migrate_ctx *m)
{
    struct dirent **list = NULL;
    int n = scandir(m->dir, &list, migrate_is_sql, alphasort);
    if (n < 0) {
        migrate_fail(m, "cannot list migrations in %s: %s", m->dir, strerror(errno));
        return -1;
    }
    int rc = n == 0 ? -1 : 0, applied = 0;
    long prev = -1;
    const char *prev_name = "";
    if (n == 0)
        migrate_fail(m, "no migrations (NNN_name.sql) in %s", m->dir);
    for (int i = 0; i < n && rc == 0; i++) {
        const char *name = list[i]->d_name;
        long v = migrate_version_of(name);
        if (v < 0) {
            migrate_fail(m, "%s: not a migration name (want NNN_name.sql)", name);
            rc = -1;
        } else if (v <= prev) {
            migrate_fail(m, v == prev ? "%s: version %ld is also used by %s"
                                      : "%s: version %ld sorts after %s; pad versions to the same width",
                         name, v, prev_name);
            rc = -1;
        } else if (!m->applied[v]) {
            rc = migrate_apply(m, v, name);
            applied += rc == 0;
        }
        prev = v;
        prev_name = name;
    }
    if (rc == 0)
        log_info("database schema at version %ld (%d migration%s applied now from %s)", prev,
                 applied, applied == 1 ? "" : "s", m->dir);
    for (int i = 0; i < n; i++)
        free(list[i]);
    free(list);
    return rc;
}

/* The login role may call the entry points, which are exactly the
 * functions in public (050 checks it), and nothing else (051). */
static int migrate_grant(migrate_ctx *m, const char *login_role)
{
    if (!login_role || !login_role[0])
        return 0;
    const char *params[1] = {login_role};
    PGresult *res = PQexecParams(m->conn, "SELECT current_user = $1", 1, NULL, params, NULL,
                                 NULL, 0);
    int same = res && PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 &&
               strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    PQclear(res);
    if (same)
        return 0;
    char *role = PQescapeIdentifier(m->conn, login_role, strlen(login_role));
    if (!role) {
        migrate_fail(m, "login role %s: cannot quote it", login_role);
        return -1;
    }
    char sql[256];
    snprintf(sql, sizeof sql,
             "GRANT USAGE ON SCHEMA public TO %s; "
             "GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO %s",
             role, role);
    PQfreemem(role);
    int rc = migrate_exec(m, sql, "granting the entry points to the login role");
    if (rc == 0)
        log_info("login role %s may execute the entry points", login_role);
    return rc;
}

int db_migrate(const char *dsn, const char *sql_dir, const char *login_role, char *err,
               size_t errlen)
{
    char dummy[1];
    migrate_ctx *m = calloc(1, sizeof *m);
    if (!err || errlen == 0) {
        err = dummy;
        errlen = sizeof dummy;
    }
    err[0] = '\0';
    if (!m) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    m->dir = sql_dir && *sql_dir ? sql_dir : ".";
    m->err = err;
    m->errlen = errlen;

    int rc = migrate_connect(m, dsn);
    if (rc == 0)
        rc = migrate_lock(m);
    if (rc == 0)
        rc = migrate_load_applied(m);
    if (rc == 0)
        rc = migrate_dir(m);
    if (rc == 0)
        rc = migrate_grant(m, login_role);
    /* Ending the session releases the lock too; unlocking first keeps a
     * pooled or slow-closing connection from holding it. */
    if (rc == 0)
        rc = migrate_exec(m, "SELECT pg_advisory_unlock(" MIGRATE_LOCK_KEY ")", "advisory unlock");
    PQfinish(m->conn);
    free(m);
    return rc;
}
