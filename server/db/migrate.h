/* Schema migrations, applied at start-up. */
#ifndef HZ_DB_MIGRATE_H
#define HZ_DB_MIGRATE_H

#include <stddef.h>

/* Startup only (blocking, before the loop runs): connects with `dsn` (the
 * owner), applies sql/NNN_*.sql not yet recorded in schema_version, in
 * order, under an advisory lock, then grants EXECUTE on the entry points to
 * `login_role` when that is another role (NULL: none). Returns 0, or -1
 * with err set. */
int db_migrate(const char *dsn, const char *sql_dir, const char *login_role, char *err,
               size_t errlen);

#endif
