/* huizongd: start-up, the loop, and an orderly exit. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/listener.h>

#include "conn/conn.h"
#include "db/db.h"
#include "db/db_role.h"
#include "db/migrate.h"
#include "log.h"
#include "conn/options.h"
#include "db/pg_backup.h"
#include "db/pg_embedded.h"
#include "db/pg_supervise.h"
#include "conn/server.h"
#include "conn/tls.h"
#include "conn/metrics.h"
#include "i18n.h"

#include <systemd/sd-daemon.h>

static void main_usage(FILE *f)
{
    fprintf(f,
            "usage: huizongd [--config FILE] [--check-config] [--SETTING=VALUE ...]\n"
            "       huizongd backup [--config FILE] [--SETTING=VALUE ...] --out FILE\n"
            "       huizongd restore [--config FILE] [--SETTING=VALUE ...] FILE\n"
            "\n"
            "The huizong server: communities submit their records over mutual TLS and\n"
            "district offices pull consolidated summaries. Settings come from the defaults,\n"
            "then the config file (key = value), then the command line.\n"
            "\n"
            "  --config FILE        read settings from FILE\n"
            "  --check-config       check the settings, print them, and exit (0 if valid)\n"
            "  --help, --version\n"
            "\n"
            "backup writes a pg_dump (custom format, one consistent snapshot) of the running\n"
            "server's database to FILE. restore makes a new embedded PostgreSQL in data_dir,\n"
            "which must be empty or missing, from such a file (or a plain SQL dump); the next\n"
            "start applies the migrations newer than the backup.\n"
            "\nSettings:\n");
    options_print_help(f);
    fprintf(f, "\nSignals: SIGTERM/SIGINT finish requests in progress and exit; SIGHUP re-reads\n"
               "the config file (settings marked \"reloaded on SIGHUP\" take their new value;\n"
               "others wait for a restart) and reloads the TLS certificate, key and CA.\n");
}

typedef enum { MAIN_SERVE = 0, MAIN_BACKUP, MAIN_RESTORE } main_command;

typedef struct {
    const char *config;
    int check_only;
    main_command command;
    const char *file;       /* backup: --out; restore: the file to load */
} main_args;

/* `backup` and `restore` take their file out of argv (argv keeps what
 * options_build reads). 0, or -1 with a usage line printed. */
static int main_subcommand(int *argc, char **argv, main_args *a)
{
    int n = 1;

    if (*argc < 2 || (strcmp(argv[1], "backup") != 0 && strcmp(argv[1], "restore") != 0))
        return 0;
    a->command = strcmp(argv[1], "backup") == 0 ? MAIN_BACKUP : MAIN_RESTORE;
    for (int i = 2; i < *argc; i++) {
        if (strcmp(argv[i], "--config") == 0 && i + 1 < *argc) {
            argv[n++] = argv[i++];
            argv[n++] = argv[i];
        } else if (a->command == MAIN_BACKUP && strcmp(argv[i], "--out") == 0 && i + 1 < *argc)
            a->file = argv[++i];
        else if (a->command == MAIN_BACKUP && strncmp(argv[i], "--out=", 6) == 0)
            a->file = argv[i] + 6;
        else if (a->command == MAIN_RESTORE && strncmp(argv[i], "--", 2) != 0 && !a->file)
            a->file = argv[i];
        else
            argv[n++] = argv[i];
    }
    argv[n] = NULL;
    *argc = n;
    if (a->file && a->file[0])
        return 0;
    fprintf(stderr, "huizongd: %s\n", a->command == MAIN_BACKUP
                                           ? _("backup needs --out FILE")
                                           : _("restore needs the FILE to restore"));
    return -1;
}

/* backup and restore: what the server's settings say about where the
 * database is; no TLS, no loop. */
static int main_backup_restore(const server_options *o, const main_args *a)
{
    char err[1024];
    pg_backup_where w = {o->dsn, o->owner_dsn, o->data_dir, o->pg_bindir, o->pg_user};
    int rc = a->command == MAIN_BACKUP ? pg_backup_run(&w, a->file, err, sizeof(err))
                                       : pg_restore_run(&w, a->file, err, sizeof(err));

    if (rc != 0)
        log_error(a->command == MAIN_BACKUP ? _("backup: %s") : _("restore: %s"), err);
    return rc == 0 ? 0 : 1;
}

/* The flags first; then the settings (defaults, the file, the command line),
 * built the same way SIGHUP rebuilds them. */
static int main_parse(int argc, char **argv, server_options *o, main_args *a)
{
    char err[600];

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
            a->config = argv[++i];
        else if (strncmp(argv[i], "--config=", 9) == 0)
            a->config = argv[i] + 9;
        else if (strcmp(argv[i], "--check-config") == 0)
            a->check_only = 1;
        else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            main_usage(stdout);
            exit(0);
        } else if (strcmp(argv[i], "--version") == 0) {
            printf("huizongd %s\n", HZ_VERSION);
            exit(0);
        }
    }
    if (options_build(o, a->config, argc, argv, err, sizeof(err)) != 0 ||
        options_finish(o, err, sizeof(err)) != 0) {
        fprintf(stderr, "huizongd: %s\n", err);
        return -1;
    }
    log_set_level((log_level)log_level_from_name(o->log_level));
    return 0;
}

static int main_write_pid(const char *path)
{
    FILE *f;

    if (!path[0])
        return 0;
    if (!(f = fopen(path, "w"))) {
        log_error("cannot write pid_file %s: %s", path, strerror(errno));
        return -1;
    }
    fprintf(f, "%ld\n", (long)getpid());
    return fclose(f);
}

/* The database's two roles: `dsn` (the login role, the pool) and
 * `owner_dsn` (the migrations; empty: dsn's role runs them). */
static int main_prepare_db(server *s, pg_embedded *pg, const char **dsn)
{
    char err[1024];
    const char *owner = s->opt.owner_dsn[0] ? s->opt.owner_dsn : s->opt.dsn;

    *dsn = s->opt.dsn;
    if (!s->opt.dsn[0]) {
        log_info("no dsn set: using the embedded PostgreSQL under %s", s->opt.data_dir);
        if (s->opt.owner_dsn[0])
            log_warn("owner_dsn is ignored without dsn: the embedded PostgreSQL has its own roles");
        if (s->opt.pg_restart_delay_ms)
            pg_supervise_adopt();
        if (pg_embedded_start(pg, s->opt.data_dir, s->opt.pg_bindir, s->opt.pg_user, err, sizeof(err)) != 0) {
            log_error("embedded PostgreSQL: %s", err);
            return -1;
        }
        *dsn = pg->login_dsn;
        owner = pg->dsn;
    }
    db_role login;
    if (db_role_of(*dsn, &login, err, sizeof(err)) != 0) {
        log_error("dsn: %s", err);
        return -1;
    }
    db_role_warn_superuser(&login, "dsn");
    if (owner == *dsn || strcmp(owner, *dsn) == 0)
        log_info("database role %s runs the migrations and the requests (set owner_dsn to "
                 "separate them)", login.name);
    if (db_migrate(owner, s->opt.sql_dir, login.name, err, sizeof(err)) != 0) {
        log_error("migrations: %s", err);
        return -1;
    }
    return 0;
}

/* Everything that may block happens here, before the loop starts. */
static int main_prepare(server *s, pg_embedded *pg, const char **dsn)
{
    char err[1024];

    /* TLS files first: a key others can read stops us before PostgreSQL starts. */
    if (!(s->ssl_ctx = tls_server_ctx(s->opt.tls_cert, s->opt.tls_key, s->opt.tls_ca,
                                  s->opt.ticket_key_rotation_ms, err, sizeof(err)))) {
        log_error("TLS: %s", err);
        return -1;
    }
    if (server_load_enroll(s, err, sizeof(err)) != 0) {
        log_error("enrollment: %s", err);
        return -1;
    }
    return main_prepare_db(s, pg, dsn);
}

/* The endpoint is plain HTTP: anywhere but loopback anyone who can reach it
 * reads the counters. */
static void main_log_metrics(const char *listen, int port)
{
    char host[256];
    char *colon;

    snprintf(host, sizeof(host), "%s", listen);
    if ((colon = strrchr(host, ':')))
        *colon = '\0';
    log_info(_("metrics on http://%s:%d/metrics"), host, port);
    if (strcmp(host, "127.0.0.1") != 0 && strcmp(host, "[::1]") != 0 &&
        strcmp(host, "localhost") != 0)
        log_warn(_("metrics_listen %s is not a loopback address: the counters are served there "
                   "without TLS or authentication"), listen);
}

/* The database pool's group commit, counted in the stats. */
static void main_count_group(void *arg, size_t batches)
{
    stats_submit_group(arg, batches);
}

static int main_run(server *s, const char *dsn, pg_embedded *pg, pg_supervisor **sup)
{
    char err[512];
    int port;

    stats_init(&s->stats);
    if (!(s->base = event_base_new()) || server_signals(s) != 0) {
        log_error("cannot set up the event loop");
        return -1;
    }
    if (!(s->db = db_open(s->base, dsn, (int)s->opt.db_pool_size))) {
        log_error("cannot allocate the database pool");
        return -1;
    }
    db_set_grouping(s->db, (int)s->opt.group_commit_window_ms, (int)s->opt.group_commit_max,
                    main_count_group, &s->stats);
    if (s->opt.read_dsn[0] && !(s->read_db = db_open(s->base, s->opt.read_dsn, (int)s->opt.db_pool_size))) {
        log_error("cannot allocate the read pool (read_dsn)");
        return -1;
    }
    if (s->read_db) {
        db_set_name(s->read_db, "read db");
        log_info("summaries, reports and exports read through read_dsn");
    }
    if (!s->opt.dsn[0])
        *sup = pg_supervise_start(s->base, pg, s->db, s->opt.pg_restart_delay_ms);
    int enroll_port;
    if (server_listen(s, &port, err, sizeof(err)) != 0 ||
        server_listen_enroll(s, &enroll_port, err, sizeof(err)) != 0) {
        log_error("%s", err);
        return -1;
    }
    int metrics_port;
    if (metrics_start(s, &metrics_port, err, sizeof(err)) != 0) {
        log_error("%s", err);
        return -1;
    }
    if (admit_start(s) != 0) {
        log_error("cannot set up the admission timer");
        return -1;
    }
    if (main_write_pid(s->opt.pid_file) != 0)
        return -1;
    char host[256];
    snprintf(host, sizeof(host), "%s", s->opt.listen);
    char *colon = strrchr(host, ':');
    if (colon)
        *colon = '\0';
    if (enroll_port) {
        char ehost[256];
        snprintf(ehost, sizeof(ehost), "%s", s->opt.enroll_listen);
        if ((colon = strrchr(ehost, ':')))
            *colon = '\0';
        log_info("enrollment on %s:%d", ehost, enroll_port);
    }
    if (metrics_port)
        main_log_metrics(s->opt.metrics_listen, metrics_port);
    log_info("huizongd %s ready on %s:%d", HZ_VERSION, host, port);
    /* For systemd (Type=notify): the port is open and the migrations ran. */
    sd_notifyf(0, "READY=1\nSTATUS=serving on %s:%d\nMAINPID=%ld", host, port, (long)getpid());
    event_base_dispatch(s->base);
    log_info("stopped: %llu connections served, %llu records committed",
             (unsigned long long)s->stats.connections_accepted,
             (unsigned long long)s->stats.records_committed);
    return 0;
}

static void main_cleanup(server *s)
{
    while (s->conns)
        conn_close(s->conns, "server exiting"), event_base_loop(s->base, EVLOOP_NONBLOCK);
    /* Callbacks a freed bufferevent still had deferred hold it until they run. */
    if (s->base)
        event_base_loop(s->base, EVLOOP_NONBLOCK);
    if (s->db)
        db_close(s->db);
    if (s->read_db)
        db_close(s->read_db);
    if (s->listener)
        evconnlistener_free(s->listener);
    if (s->enroll_listener)
        evconnlistener_free(s->enroll_listener);
    for (size_t i = 0; i < sizeof(s->signals) / sizeof(s->signals[0]); i++)
        if (s->signals[i])
            event_free(s->signals[i]);
    if (s->drain_timer)
        event_free(s->drain_timer);
    admit_stop(s);
    metrics_stop(s);
    if (s->base)
        event_base_free(s->base);
    SSL_CTX_free(s->ssl_ctx);
    SSL_CTX_free(s->enroll_ctx);
    X509_free(s->ca_crt);
    EVP_PKEY_free(s->ca_key);
}

/* --check-config: the login role of an external database must not be a
 * superuser (the embedded cluster's is made without privileges). */
static void main_check_role(const server_options *o)
{
    char err[600];
    db_role r;

    if (!o->dsn[0])
        return;
    if (db_role_of(o->dsn, &r, err, sizeof(err)) != 0)
        log_warn("dsn: cannot check its role: %s", err);
    else
        db_role_warn_superuser(&r, "dsn");
    if (!o->read_dsn[0])
        return;
    if (db_role_of(o->read_dsn, &r, err, sizeof(err)) != 0)
        log_warn("read_dsn: cannot check its role: %s", err);
    else
        db_role_warn_superuser(&r, "read_dsn");
}

int main(int argc, char **argv)
{
    static server s;
    main_args a = {0};
    pg_embedded pg = {0};
    const char *dsn;
    int rc = 1;

    log_set_program("huizongd");
    options_defaults(&s.opt);
    if (main_subcommand(&argc, argv, &a) != 0 || main_parse(argc, argv, &s.opt, &a) != 0)
        return 2;
    if (a.command != MAIN_SERVE)
        return main_backup_restore(&s.opt, &a);
    s.config_path = a.config;
    s.argc = argc;
    s.argv = argv;
    if (a.check_only) {
        options_print(&s.opt, stdout);
        main_check_role(&s.opt);
        return 0;
    }
    pg_supervisor *sup = NULL;
    if (main_prepare(&s, &pg, &dsn) == 0 && main_run(&s, dsn, &pg, &sup) == 0)
        rc = 0;
    pg_supervise_stop(sup);
    main_cleanup(&s);
    pg_embedded_stop(&pg);
    return rc;
}
