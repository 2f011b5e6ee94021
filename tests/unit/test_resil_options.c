/* Settings as start-up and SIGHUP build them: defaults, the file, then the
 * command line; a reload takes only the reloadable settings, and a file
 * that no longer checks out changes nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "log.h"
#include "conn/options.h"

static char path[64];

static void write_file(const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
    (void)state;
    snprintf(path, sizeof path, "/tmp/hz-options-XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    close(fd);
    log_set_level(LOG_ERROR); /* the reload's notes are not under test here */
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink(path);
    return 0;
}

static void start(server_options *o, int argc, char **argv)
{
    char err[600];
    if (options_build(o, path, argc, argv, err, sizeof err) != 0 ||
        options_finish(o, err, sizeof err) != 0)
        fail_msg("%s", err);
}

static void test_command_line_wins(void **state)
{
    (void)state;
    server_options o;
    char *argv[] = {"huizongd", "--config", path, "--log_level=warn", "--check-config", NULL};
    write_file("log_level = debug\nmax_frame_bytes = 2000\n");
    start(&o, 5, argv);
    assert_string_equal(o.log_level, "warn");
    assert_int_equal(o.max_frame_bytes, 2000);
    assert_string_equal(o.tls_cert, "./huizong-data/tls/server.crt");
}

static void test_bad_argument(void **state)
{
    (void)state;
    server_options o;
    char err[600];
    char *argv[] = {"huizongd", "stray", NULL};
    assert_int_equal(options_build(&o, NULL, 2, argv, err, sizeof err), -1);
    assert_string_equal(err, "unexpected argument \"stray\" (settings are --name=value; see --help)");
}

static void test_reload_takes_reloadable_only(void **state)
{
    (void)state;
    server_options cur, fresh;
    char err[600];
    char *argv[] = {"huizongd", "--config", path, NULL};
    write_file("data_dir = /srv/a\n");
    start(&cur, 3, argv);
    write_file("data_dir = /srv/b\nlog_level = debug\nmax_inflight = 7\ntls_ca = /etc/ca.crt\n");
    assert_int_equal(options_build(&fresh, path, 3, argv, err, sizeof err), 0);
    assert_int_equal(options_reload(&cur, &fresh, path, err, sizeof err), 0);
    assert_string_equal(cur.log_level, "debug");
    assert_string_equal(cur.tls_ca, "/etc/ca.crt");
    assert_int_equal(cur.max_inflight, 32);
    assert_string_equal(cur.data_dir, "/srv/a");
    /* Derived from the data_dir in use, not from the one waiting for a restart. */
    assert_string_equal(cur.tls_cert, "/srv/a/tls/server.crt");
}

/* A replica is read beside an external primary only. */
static void test_read_dsn_needs_dsn(void **state)
{
    (void)state;
    server_options o;
    char err[600];
    char *argv[] = {"huizongd", "--read_dsn=host=replica dbname=huizong", NULL};
    assert_int_equal(options_build(&o, NULL, 2, argv, err, sizeof err), 0);
    assert_int_equal(options_finish(&o, err, sizeof err), -1);
    assert_string_equal(err, "read_dsn is set but dsn is not (a replica is read beside an external "
                             "primary; the embedded PostgreSQL has none)");
    char *both[] = {"huizongd", "--dsn=host=primary dbname=huizong",
                    "--read_dsn=host=replica dbname=huizong", NULL};
    assert_int_equal(options_build(&o, NULL, 3, both, err, sizeof err), 0);
    assert_int_equal(options_finish(&o, err, sizeof err), 0);
    assert_string_equal(o.read_dsn, "host=replica dbname=huizong");
}

static void test_reload_refused_changes_nothing(void **state)
{
    (void)state;
    server_options cur, before, fresh;
    char err[600];
    char *argv[] = {"huizongd", "--config", path, NULL};
    write_file("log_level = info\n");
    start(&cur, 3, argv);
    before = cur;
    write_file("log_level = loud\nmax_inflight = 7\n");
    assert_int_equal(options_build(&fresh, path, 3, argv, err, sizeof err), 0);
    assert_int_equal(options_reload(&cur, &fresh, path, err, sizeof err), -1);
    assert_string_equal(err, "log_level: want error, warn, info or debug, got \"loud\"");
    assert_memory_equal(&cur, &before, sizeof cur);
    write_file("log_level = debug\nmax_inflight = lots\n");
    assert_int_equal(options_build(&fresh, path, 3, argv, err, sizeof err), -1);
    assert_non_null(strstr(err, "line 2: max_inflight: want a whole number"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_command_line_wins),
        cmocka_unit_test(test_bad_argument),
        cmocka_unit_test(test_reload_takes_reloadable_only),
        cmocka_unit_test(test_reload_refused_changes_nothing),
        cmocka_unit_test(test_read_dsn_needs_dsn),
    };
    return cmocka_run_group_tests_name("resil_options", tests, setup, teardown);
}
