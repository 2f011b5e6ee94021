/* Backup and restore through PostgreSQL's own pg_dump, pg_restore and psql
 * (pg_backup.h). */
#include "db/pg_backup.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db/pg_bootstrap.h"
#include "db/pg_embedded.h"
#include "i18n.h"
#include "log.h"

#define PG_DUMP_MAGIC "PGDMP"

/* PostgreSQL's programs run from / (pg_embedded_run_tool): a relative
 * path is made absolute against our working directory. */
static int pg_backup_abs(const char *path, char *out, size_t len, char *err, size_t errlen)
{
    char cwd[PATH_MAX];

    if (path[0] == '/') {
        if ((size_t)snprintf(out, len, "%s", path) < len)
            return 0;
    } else if (getcwd(cwd, sizeof cwd) && (size_t)snprintf(out, len, "%s/%s", cwd, path) < len) {
        return 0;
    }
    snprintf(err, errlen, _("cannot make an absolute path of %s"), path);
    return -1;
}

/* The DSN that reads everything: the owner's. The embedded cluster's socket
 * is under data_dir/run, as pg_embedded_start puts it. */
static int pg_backup_dsn(const pg_backup_where *w, char *dsn, size_t len, char *err,
                         size_t errlen)
{
    char dir[PATH_MAX], sock[PATH_MAX + 32];
    struct stat st;

    if (w->dsn[0]) {
        snprintf(dsn, len, "%s", w->owner_dsn[0] ? w->owner_dsn : w->dsn);
        return 0;
    }
    if (!realpath(w->data_dir, dir)) {
        snprintf(err, errlen, _("data_dir %s: %s"), w->data_dir, strerror(errno));
        return -1;
    }
    snprintf(sock, sizeof sock, "%s/run/.s.PGSQL.5432", dir);
    if (stat(sock, &st) != 0) {
        snprintf(err, errlen, _("no embedded PostgreSQL runs in %s (no %s): a backup is taken "
                                 "from the running server, start huizongd first"), dir, sock);
        return -1;
    }
    if ((size_t)snprintf(dsn, len, "host=%s/run user=" PG_OWNER_ROLE " dbname=" PG_DATABASE,
                         dir) >= len) {
        snprintf(err, errlen, _("data_dir path too long: %s"), dir);
        return -1;
    }
    return 0;
}

int pg_backup_run(const pg_backup_where *w, const char *out_path, char *err, size_t errlen)
{
    char dsn[1200], prog[PATH_MAX], tmp[PATH_MAX + 16], file_arg[PATH_MAX + 32], dsn_arg[1300];
    char out[PATH_MAX];

    if (pg_backup_abs(out_path, out, sizeof out, err, errlen) != 0 ||
        pg_backup_dsn(w, dsn, sizeof dsn, err, errlen) != 0 ||
        pg_embedded_tool(w->pg_bindir, "pg_dump", prog, sizeof prog, err, errlen) != 0)
        return -1;
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.partial", out) >= sizeof tmp) {
        snprintf(err, errlen, _("backup file name too long: %s"), out);
        return -1;
    }
    snprintf(file_arg, sizeof file_arg, "--file=%s", tmp);
    snprintf(dsn_arg, sizeof dsn_arg, "--dbname=%s", dsn);
    char *argv[] = {prog, "--format=custom", "--no-password", file_arg, dsn_arg, NULL};
    int rc = pg_embedded_run_tool(argv);
    if (rc != 0) {
        unlink(tmp);
        snprintf(err, errlen, _("pg_dump failed (exit %d); its message is above"), rc);
        return -1;
    }
    if (rename(tmp, out) != 0) {
        snprintf(err, errlen, _("cannot rename %s to %s: %s"), tmp, out, strerror(errno));
        unlink(tmp);
        return -1;
    }
    log_info(_("backup written to %s"), out);
    return 0;
}

/* 0 when data_dir does not exist or holds nothing but tls/ (where the
 * server's certificates may already wait). */
static int pg_restore_check_empty(const char *data_dir, char *err, size_t errlen)
{
    DIR *d = opendir(data_dir);
    struct dirent *e;
    int found = 0;

    if (!d) {
        if (errno == ENOENT)
            return 0;
        snprintf(err, errlen, _("cannot open data_dir %s: %s"), data_dir, strerror(errno));
        return -1;
    }
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && strcmp(e->d_name, "tls"))
            found = 1;
    closedir(d);
    if (found) {
        snprintf(err, errlen, _("data_dir %s is not empty: restore makes a new cluster there, "
                                 "so give it an empty (or missing) directory"), data_dir);
        return -1;
    }
    return 0;
}

/* 1 for pg_dump's custom format, 0 for anything else (taken as SQL), -1
 * when the file cannot be read. */
static int pg_restore_is_custom(const char *file, char *err, size_t errlen)
{
    char head[sizeof PG_DUMP_MAGIC - 1];
    FILE *f = fopen(file, "rb");
    size_t n;

    if (!f) {
        snprintf(err, errlen, _("cannot read %s: %s"), file, strerror(errno));
        return -1;
    }
    n = fread(head, 1, sizeof head, f);
    fclose(f);
    return n == sizeof head && memcmp(head, PG_DUMP_MAGIC, sizeof head) == 0;
}

static int pg_restore_load(const pg_backup_where *w, const pg_embedded *pg, const char *file,
                           int custom, char *err, size_t errlen)
{
    char prog[PATH_MAX], dsn_arg[sizeof pg->dsn + 16], file_arg[PATH_MAX + 16];
    int rc;

    if (pg_embedded_tool(w->pg_bindir, custom ? "pg_restore" : "psql", prog, sizeof prog, err,
                         errlen) != 0)
        return -1;
    snprintf(dsn_arg, sizeof dsn_arg, "--dbname=%s", pg->dsn);
    snprintf(file_arg, sizeof file_arg, "--file=%s", file);
    if (custom) {
        char *argv[] = {prog, "--exit-on-error", "--single-transaction", "--no-password",
                        dsn_arg, (char *)file, NULL};
        rc = pg_embedded_run_tool(argv);
    } else {
        char *argv[] = {prog, "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1",
                        "--single-transaction", "--no-password", "--output=/dev/null",
                        dsn_arg, file_arg, NULL};
        rc = pg_embedded_run_tool(argv);
    }
    if (rc != 0) {
        snprintf(err, errlen, _("%s failed (exit %d); its message is above"), custom ? "pg_restore"
                                                                               : "psql", rc);
        return -1;
    }
    return 0;
}

int pg_restore_run(const pg_backup_where *w, const char *file_path, char *err, size_t errlen)
{
    pg_embedded pg = {0};
    char file[PATH_MAX];
    int custom, rc;

    if (w->dsn[0]) {
        snprintf(err, errlen, _("restore makes a new embedded cluster, but dsn is set: "
                                "restore into a database of your own with pg_restore"));
        return -1;
    }
    if (pg_backup_abs(file_path, file, sizeof file, err, errlen) != 0 ||
        (custom = pg_restore_is_custom(file, err, errlen)) < 0 ||
        pg_restore_check_empty(w->data_dir, err, errlen) != 0)
        return -1;
    if (pg_embedded_start(&pg, w->data_dir, w->pg_bindir, w->pg_user, err, errlen) != 0)
        return -1;
    rc = pg_restore_load(w, &pg, file, custom, err, errlen);
    pg_embedded_stop(&pg);
    if (rc == 0)
        log_info(_("restored %s into %s"), file, w->data_dir);
    return rc;
}
