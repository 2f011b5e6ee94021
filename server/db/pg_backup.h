/* `huizongd backup` and `huizongd restore` (docs/ops.md): a pg_dump of the
 * database in custom format, taken from the running server's PostgreSQL in
 * one snapshot, and its restore into a new embedded cluster. Both block and
 * run outside the server's loop, as their own process. */
#ifndef HZ_PG_BACKUP_H
#define HZ_PG_BACKUP_H

#include <stddef.h>

typedef struct {
    const char *dsn;        /* the login role's DSN; empty: the embedded cluster */
    const char *owner_dsn;  /* the owner's DSN, preferred for the dump */
    const char *data_dir;   /* the embedded cluster's directory */
    const char *pg_bindir;  /* PostgreSQL's programs; empty: PostgreSQL 15's */
    const char *pg_user;    /* who runs the embedded cluster when we are root */
} pg_backup_where;

/* pg_dump --format=custom into `out` (written beside it, then renamed, so a
 * failed dump never leaves a partial file under that name). Returns 0, or -1
 * with err set. */
int pg_backup_run(const pg_backup_where *w, const char *out, char *err, size_t errlen);
/* Creates the embedded cluster in data_dir (missing, or empty but for a tls/
 * folder) and loads `file` into its database: a pg_dump of custom format
 * (huizongd backup) or plain SQL. The cluster is stopped afterwards; the next
 * start applies the migrations newer than the dump. Refuses a data_dir that
 * holds anything else, and a server with a dsn of its own. 0, or -1 with err. */
int pg_restore_run(const pg_backup_where *w, const char *file, char *err, size_t errlen);

#endif
