/* huizongd's settings: one table (name, type, default, reloadable, help) from
 * which the config file parser, the command line, --help and the sample
 * configuration all come. */
#ifndef HZ_OPTIONS_H
#define HZ_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define OPT_PATH_MAX 512

typedef struct {
    char listen[256];
    char data_dir[OPT_PATH_MAX];
    char dsn[1024];
    char owner_dsn[1024];
    char read_dsn[1024];
    char pg_bindir[OPT_PATH_MAX];
    char pg_user[64];
    char tls_cert[OPT_PATH_MAX];
    char tls_key[OPT_PATH_MAX];
    char tls_ca[OPT_PATH_MAX];
    char sql_dir[OPT_PATH_MAX];
    char log_level[16];
    char pid_file[OPT_PATH_MAX];
    char enroll_listen[256];
    char ca_dir[OPT_PATH_MAX];
    char metrics_listen[256];
    unsigned long cert_days;
    unsigned long max_frame_bytes;
    unsigned long max_batch_records;
    unsigned long max_partial_frame_bytes;
    unsigned long max_connections;
    unsigned long max_handshakes;
    unsigned long max_handshakes_per_address;
    unsigned long max_authenticated;
    unsigned long max_inflight;
    unsigned long db_pool_size;
    unsigned long group_commit_max;
    unsigned long group_commit_window_ms;
    unsigned long handshake_timeout_ms;
    unsigned long idle_timeout_ms;
    unsigned long write_timeout_ms;
    unsigned long shutdown_timeout_ms;
    unsigned long pg_restart_delay_ms;
    unsigned long admission_log_interval_ms;
    unsigned long frame_timeout_ms;
    unsigned long ticket_key_rotation_ms;
} server_options;

/* Fills every setting with its default. */
void options_defaults(server_options *o);
/* Applies one setting by name; returns 0, or -1 with err set. */
int options_set(server_options *o, const char *key, const char *value, char *err, size_t errlen);
/* Reads a `key = value` file into o. */
int options_load_file(server_options *o, const char *path, char *err, size_t errlen);
/* Fills settings left empty that derive from others (TLS paths from data_dir)
 * and checks those that depend on each other; also checks log_level. */
int options_finish(server_options *o, char *err, size_t errlen);
/* Defaults, then the config file (when config is not NULL), then the
 * --name=value arguments of argv, so the command line wins over the file.
 * Flags main handles (--config FILE, --check-config, --help, --version) are
 * skipped. options_finish is left to the caller. Returns 0, or -1 with err. */
int options_build(server_options *o, const char *config, int argc, char *const argv[],
                  char *err, size_t errlen);
/* SIGHUP: fresh is what options_build made now. Each non-reloadable setting
 * that differs is logged ("X changed in FILE; takes effect after a restart")
 * and keeps its current value; then fresh is finished and replaces cur, so
 * the reloadable settings take their new values. Returns 0, or -1 with err
 * set and cur untouched. */
int options_reload(server_options *cur, server_options *fresh, const char *config,
                   char *err, size_t errlen);
/* Prints one line per setting: name, default, reloadable, help. */
void options_print_help(FILE *f);
/* Prints the effective settings as a config file (secrets in dsn masked). */
void options_print(const server_options *o, FILE *f);

#endif
