/* Who a DSN logs in as, for the start-up checks and --check-config. */
#ifndef HZ_DB_ROLE_H
#define HZ_DB_ROLE_H

#include <stddef.h>

typedef struct {
    char name[64];  /* current_user */
    int superuser;
} db_role;

/* Startup only (blocking): connects with `dsn` and reads its role.
 * Returns 0, or -1 with err set. */
int db_role_of(const char *dsn, db_role *r, char *err, size_t errlen);
/* Logs the warning for a login role that is a superuser; returns 1 if it
 * warned. `dsn_key`: the setting that names it. */
int db_role_warn_superuser(const db_role *r, const char *dsn_key);

#endif
