/* The settings table and its parsers. */
#include "conn/options.h"

#include <stdio.h>
#include <string.h>

#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

#include "conf.h"
#include "log.h"

typedef enum { OPT_STRING, OPT_UINT, OPT_DURATION } opt_type;

typedef struct {
    const char *name;
    opt_type type;
    size_t offset;
    size_t size;          /* OPT_STRING: capacity of the char array */
    const char *def;
    bool reloadable;      /* takes effect on SIGHUP */
    unsigned long max;    /* OPT_UINT bound */
    const char *help;
} opt_def;

#define STR(field, def, reload, help) \
    { #field, OPT_STRING, offsetof(server_options, field), sizeof(((server_options *)0)->field), def, reload, 0, help }
#define UINT(field, def, max, help) \
    { #field, OPT_UINT, offsetof(server_options, field), 0, def, false, max, help }
#define DUR(field, name, def, help) \
    { name, OPT_DURATION, offsetof(server_options, field), 0, def, false, 0, help }

static const opt_def option_table[] = {
    STR(listen, "127.0.0.1:7443", false, "address:port to accept TLS connections on (port 0: any free port)"),
    STR(data_dir, "./huizong-data", false, "directory for the embedded PostgreSQL cluster and default TLS files"),
    STR(dsn, "", false, "libpq connection string; empty runs an embedded PostgreSQL under data_dir"),
    STR(owner_dsn, "", false, "libpq connection string of the schema's owner, for the migrations "
        "(dsn is then the login role, granted the entry points); empty: dsn runs them"),
    STR(read_dsn, "", false, "libpq connection string for summaries, reports and exports (a streaming "
        "replica; with synchronous_commit = remote_apply it has every acknowledged write); empty: dsn "
        "serves them; needs dsn"),
    STR(pg_bindir, "", false, "PostgreSQL binaries for the embedded cluster; empty: find PostgreSQL 15"),
    STR(pg_user, "postgres", false, "user the embedded cluster runs as when huizongd runs as root"),
    STR(tls_cert, "", true, "server certificate (PEM); default <data_dir>/tls/server.crt"),
    STR(tls_key, "", true, "server private key (PEM); default <data_dir>/tls/server.key"),
    STR(tls_ca, "", true, "CA that client certificates must chain to; default <data_dir>/tls/ca.crt"),
    STR(sql_dir, "", false, "directory of the NNN_name.sql migrations; empty: those installed with "
        "huizongd (" HZ_SQL_DIR_INSTALLED "), or the source tree's sql/ when huizongd runs from its "
        "build folder"),
    STR(log_level, "info", true, "error, warn, info or debug"),
    STR(pid_file, "", false, "write the process id here when ready"),
    STR(enroll_listen, "", false, "address:port for enrollment (server-authenticated TLS; Hello and Enroll only); empty: none"),
    STR(ca_dir, "", true, "CA that signs enrolled certificates (ca.crt, ca.key); required with enroll_listen"),
    STR(metrics_listen, "", false, "address:port of the Prometheus endpoint (plain HTTP, GET /metrics; "
        "keep it on loopback, e.g. 127.0.0.1:9187); empty: none"),
    UINT(cert_days, "365", 36500, "validity in days of certificates issued by enrollment"),
    UINT(max_frame_bytes, "1048576", 64u << 20, "largest frame accepted, in bytes"),
    UINT(max_batch_records, "5000", 1000000, "most records in one SubmitBatch"),
    UINT(max_partial_frame_bytes, "33554432", 1ul << 34, "bytes of frames over 16 KiB still arriving, "
         "across all connections; a frame that does not fit waits, reading no more"),
    UINT(max_connections, "1000", 100000, "all connections together; beyond this a newcomer is closed at "
         "accept unless it can take the place of the oldest one without Hello"),
    UINT(max_handshakes, "200", 100000, "handshake budget: connections that have not sent Hello (TLS "
         "included) and enrollment connections; when full, the oldest is dropped for a newcomer from "
         "an address not in the handshake yet"),
    UINT(max_handshakes_per_address, "20", 100000, "connections without Hello from one address (IPv6: "
         "one /64); beyond this a newcomer from it is closed at accept"),
    UINT(max_authenticated, "800", 100000, "connections past Hello; a Hello beyond this is answered "
         "UNAVAILABLE \"server busy (connection limit); retry later\""),
    UINT(max_inflight, "32", 4096, "requests one connection may have in progress before reading pauses"),
    UINT(db_pool_size, "4", 64, "PostgreSQL connections"),
    UINT(group_commit_max, "32", 1024, "most SubmitBatches written in one transaction (group commit; "
         "1: each alone)"),
    DUR(group_commit_window_ms, "group_commit_window", "2ms", "how long a SubmitBatch waits for others "
        "to share its transaction when a database connection is free (keep it well under the 5 s a "
        "call may wait for a connection)"),
    DUR(handshake_timeout_ms, "handshake_timeout", "10s", "time allowed for the TLS handshake and Hello"),
    DUR(idle_timeout_ms, "idle_timeout", "300s", "a connection with nothing to do for this long is closed"),
    DUR(write_timeout_ms, "write_timeout", "30s", "a peer that reads nothing for this long is closed"),
    DUR(shutdown_timeout_ms, "shutdown_timeout", "10s", "on SIGTERM, time allowed for requests in progress"),
    DUR(pg_restart_delay_ms, "pg_restart_delay", "500ms", "first wait before restarting a stopped "
        "embedded PostgreSQL, doubling to 30s; 0: never restart it"),
    DUR(admission_log_interval_ms, "admission_log_interval", "10s", "connections dropped or refused by "
        "the limits above are logged as one summary line per reason and interval"),
    DUR(ticket_key_rotation_ms, "ticket_key_rotation", "1h", "a new TLS session ticket key this often "
        "(kept in memory only); a session resumes for this long at most, its certificate still checked "
        "against revocations at Hello; 0: no session resumption"),
    DUR(frame_timeout_ms, "frame_timeout", "60s", "while frames wait for max_partial_frame_bytes, one "
        "not complete this long after its memory was reserved is refused"),
};

#define OPTION_COUNT (sizeof(option_table) / sizeof(option_table[0]))

static const opt_def *options_find(const char *key)
{
    for (size_t i = 0; i < OPTION_COUNT; i++)
        if (strcmp(option_table[i].name, key) == 0)
            return &option_table[i];
    return NULL;
}

static int options_apply(server_options *o, const opt_def *d, const char *value,
                         char *err, size_t errlen)
{
    char *base = (char *)o + d->offset;
    unsigned long n;

    switch (d->type) {
    case OPT_STRING:
        if (strlen(value) >= d->size) {
            snprintf(err, errlen, "%s: value longer than %zu bytes", d->name, d->size - 1);
            return -1;
        }
        memcpy(base, value, strlen(value) + 1);
        return 0;
    case OPT_UINT:
        if (conf_parse_uint(value, d->max, &n) != 0) {
            snprintf(err, errlen, "%s: want a whole number up to %lu, got \"%s\"", d->name, d->max, value);
            return -1;
        }
        *(unsigned long *)base = n;
        return 0;
    case OPT_DURATION:
        if (conf_parse_duration_ms(value, &n) != 0) {
            snprintf(err, errlen, "%s: want a duration such as 30s, 5m or 250ms, got \"%s\"", d->name, value);
            return -1;
        }
        *(unsigned long *)base = n;
        return 0;
    }
    return -1;
}

/* 1 when this program's executable lies under the build folder it was built in. */
static int options_in_build_dir(void)
{
    char exe[PATH_MAX], build[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    size_t len;

    if (n <= 0 || !realpath(HZ_BUILD_DIR, build))
        return 0;
    exe[n] = '\0';
    len = strlen(build);
    return strncmp(exe, build, len) == 0 && exe[len] == '/';
}

/* The migrations this program was built with: those installed with it, or,
 * for a program run from its build folder, the source tree's. */
static const char *options_default_sql_dir(void)
{
    return options_in_build_dir() ? HZ_SQL_DIR_SOURCE : HZ_SQL_DIR_INSTALLED;
}

void options_defaults(server_options *o)
{
    char err[256];

    memset(o, 0, sizeof(*o));
    for (size_t i = 0; i < OPTION_COUNT; i++)
        (void)options_apply(o, &option_table[i], option_table[i].def, err, sizeof(err));
    (void)options_set(o, "sql_dir", options_default_sql_dir(), err, sizeof(err));
}

/* The default as --help shows it: sql_dir's is the one this program picks. */
static const char *options_default_text(const opt_def *d)
{
    return strcmp(d->name, "sql_dir") == 0 ? options_default_sql_dir() : d->def;
}

int options_set(server_options *o, const char *key, const char *value, char *err, size_t errlen)
{
    const opt_def *d = options_find(key);

    if (!d) {
        snprintf(err, errlen, "unknown setting \"%s\" (see huizongd --help)", key);
        return -1;
    }
    return options_apply(o, d, value, err, errlen);
}

static int options_on_setting(void *ctx, const char *key, const char *value, int lineno,
                              char *err, size_t errlen)
{
    char why[256];

    if (options_set(ctx, key, value, why, sizeof(why)) != 0) {
        snprintf(err, errlen, "line %d: %s", lineno, why);
        return -1;
    }
    return 0;
}

int options_load_file(server_options *o, const char *path, char *err, size_t errlen)
{
    return conf_parse_file(path, options_on_setting, o, err, errlen);
}

/* Flags main handles itself; they carry no setting. */
static int options_is_flag(const char *arg)
{
    return strcmp(arg, "--check-config") == 0 || strcmp(arg, "--help") == 0 ||
           strcmp(arg, "-h") == 0 || strcmp(arg, "--version") == 0 ||
           strncmp(arg, "--config=", 9) == 0;
}

static int options_set_arg(server_options *o, const char *arg, char *err, size_t errlen)
{
    const char *eq = strchr(arg, '=');
    char key[64];

    if (strncmp(arg, "--", 2) != 0 || !eq) {
        snprintf(err, errlen, "unexpected argument \"%s\" (settings are --name=value; see --help)", arg);
        return -1;
    }
    if ((size_t)(eq - arg - 2) >= sizeof(key)) {
        snprintf(err, errlen, "unknown setting \"%.*s\" (see huizongd --help)", (int)(eq - arg - 2), arg + 2);
        return -1;
    }
    memcpy(key, arg + 2, (size_t)(eq - arg - 2));
    key[eq - arg - 2] = '\0';
    return options_set(o, key, eq + 1, err, errlen);
}

int options_build(server_options *o, const char *config, int argc, char *const argv[],
                  char *err, size_t errlen)
{
    options_defaults(o);
    if (config && options_load_file(o, config, err, errlen) != 0)
        return -1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--config") == 0) {
            i++;
            continue;
        }
        if (!options_is_flag(argv[i]) && options_set_arg(o, argv[i], err, errlen) != 0)
            return -1;
    }
    return 0;
}

static int options_differ(const opt_def *d, const server_options *a, const server_options *b)
{
    const char *x = (const char *)a + d->offset, *y = (const char *)b + d->offset;

    if (d->type == OPT_STRING)
        return strcmp(x, y) != 0;
    return *(const unsigned long *)x != *(const unsigned long *)y;
}

static void options_copy(const opt_def *d, server_options *dst, const server_options *src)
{
    size_t n = d->type == OPT_STRING ? d->size : sizeof(unsigned long);

    memcpy((char *)dst + d->offset, (const char *)src + d->offset, n);
}

int options_reload(server_options *cur, server_options *fresh, const char *config,
                   char *err, size_t errlen)
{
    /* Non-reloadable settings first, so that paths derived by options_finish
     * (the TLS files under data_dir) come from the data_dir in use. */
    for (size_t i = 0; i < OPTION_COUNT; i++) {
        const opt_def *d = &option_table[i];
        if (d->reloadable || !options_differ(d, cur, fresh))
            continue;
        log_warn("%s changed in %s; takes effect after a restart", d->name,
                 config ? config : "the settings");
        options_copy(d, fresh, cur);
    }
    if (options_finish(fresh, err, errlen) != 0)
        return -1;
    for (size_t i = 0; i < OPTION_COUNT; i++) {
        const opt_def *d = &option_table[i];
        if (d->reloadable && options_differ(d, cur, fresh))
            log_info("%s reloaded: now \"%s\"", d->name, (const char *)fresh + d->offset);
    }
    *cur = *fresh;
    return 0;
}

static int options_default_path(char *dst, size_t cap, const char *dir, const char *file)
{
    if (dst[0] != '\0')
        return 0;
    return (size_t)snprintf(dst, cap, "%s/tls/%s", dir, file) < cap ? 0 : -1;
}

int options_finish(server_options *o, char *err, size_t errlen)
{
    if (log_level_from_name(o->log_level) < 0) {
        snprintf(err, errlen, "log_level: want error, warn, info or debug, got \"%s\"", o->log_level);
        return -1;
    }
    if (!o->sql_dir[0])
        (void)options_set(o, "sql_dir", options_default_sql_dir(), err, errlen);
    if (options_default_path(o->tls_cert, sizeof(o->tls_cert), o->data_dir, "server.crt") != 0 ||
        options_default_path(o->tls_key, sizeof(o->tls_key), o->data_dir, "server.key") != 0 ||
        options_default_path(o->tls_ca, sizeof(o->tls_ca), o->data_dir, "ca.crt") != 0) {
        snprintf(err, errlen, "data_dir: path too long to hold the default TLS files");
        return -1;
    }
    if (o->admission_log_interval_ms < 100) {
        snprintf(err, errlen, "admission_log_interval: want at least 100ms, got %lums",
                 o->admission_log_interval_ms);
        return -1;
    }
    if (o->read_dsn[0] && !o->dsn[0]) {
        snprintf(err, errlen, "read_dsn is set but dsn is not (a replica is read beside an external "
                              "primary; the embedded PostgreSQL has none)");
        return -1;
    }
    if (o->enroll_listen[0] && !o->ca_dir[0]) {
        snprintf(err, errlen, "enroll_listen is set but ca_dir is not (the CA folder, with ca.crt "
                              "and ca.key, that signs enrolled certificates)");
        return -1;
    }
    return 0;
}

void options_print_help(FILE *f)
{
    for (size_t i = 0; i < OPTION_COUNT; i++) {
        const opt_def *d = &option_table[i];
        int pad = 24 - (int)strlen(d->name);

        fprintf(f, "  --%s=VALUE%*s%s (default \"%s\"%s)\n", d->name, pad > 0 ? pad : 1, "",
                d->help, options_default_text(d), d->reloadable ? ", reloaded on SIGHUP" : "");
    }
}

/* A DSN may carry a password; print only that one is set. */
static void options_print_value(const opt_def *d, const char *s, FILE *f)
{
    if (strstr(d->name, "dsn") && strstr(s, "password"))
        fputs("\"(set; contains a password)\"", f);
    else
        fprintf(f, "\"%s\"", s);
}

void options_print(const server_options *o, FILE *f)
{
    for (size_t i = 0; i < OPTION_COUNT; i++) {
        const opt_def *d = &option_table[i];
        const char *base = (const char *)o + d->offset;

        fprintf(f, "%s = ", d->name);
        if (d->type == OPT_STRING)
            options_print_value(d, base, f);
        else if (d->type == OPT_DURATION)
            fprintf(f, "%lums", *(const unsigned long *)base);
        else
            fprintf(f, "%lu", *(const unsigned long *)base);
        fputc('\n', f);
    }
}
