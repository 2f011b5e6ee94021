/* Schema migrations, applied at start-up. */
#ifndef HZ_DB_MIGRATE_H
#define HZ_DB_MIGRATE_H

#include <stddef.h>

/* Startup only (blocking, before the loop runs): applies sql/NNN_*.sql not yet
 * recorded in schema_version, in order, under an advisory lock. Returns 0, or
 * -1 with err set. */
int db_migrate(const char *dsn, const char *sql_dir, char *err, size_t errlen);

#endif
