/* The login role's checks. */
#include "db/db_role.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <string.h>

#include "log.h"

int db_role_of(const char *dsn, db_role *r, char *err, size_t errlen)
{
    const char *const keys[] = {"dbname", "application_name", NULL};
    const char *const vals[] = {dsn ? dsn : "", "huizongd check", NULL};
    PGconn *conn = PQconnectdbParams(keys, vals, 1);
    memset(r, 0, sizeof *r);
    if (!conn || PQstatus(conn) != CONNECTION_OK) {
        snprintf(err, errlen, "cannot connect to PostgreSQL: %s",
                 conn ? PQerrorMessage(conn) : "out of memory");
        err[strcspn(err, "\n")] = '\0';
        PQfinish(conn);
        return -1;
    }
    PGresult *res = PQexec(conn, "SELECT current_user, rolsuper FROM pg_roles"
                                 " WHERE rolname = current_user");
    int ok = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1;
    if (ok) {
        snprintf(r->name, sizeof r->name, "%s", PQgetvalue(res, 0, 0));
        r->superuser = strcmp(PQgetvalue(res, 0, 1), "t") == 0;
    } else {
        snprintf(err, errlen, "cannot read the role: %s", PQerrorMessage(conn));
        err[strcspn(err, "\n")] = '\0';
    }
    PQclear(res);
    PQfinish(conn);
    return ok ? 0 : -1;
}

int db_role_warn_superuser(const db_role *r, const char *dsn_key)
{
    if (!r->superuser)
        return 0;
    log_warn("%s logs in as PostgreSQL superuser \"%s\": requests then run with every "
             "privilege; give huizongd a login role that can only execute the entry points, "
             "and owner_dsn for the migrations (docs/database.md)", dsn_key, r->name);
    return 1;
}
