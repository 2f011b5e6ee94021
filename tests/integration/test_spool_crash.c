/* Exactly once through a server crash, with the harness: 12,000 records
 * queued offline as three spool batches (5,000, 5,000, 2,000), huizongd
 * killed with SIGKILL while `huizong sync` sends them, a new huizongd started
 * on the same data_dir, and a second sync: every record is in PostgreSQL
 * exactly once, counted by record_id. */
#include <dirent.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cmocka.h>

#include "harness.h"
#include "harness_spool.h"

#define ROWS 12000

static harness H;
static char home[HARNESS_PATH + 16], spool[HARNESS_PATH + 64], out[HARNESS_PATH + 16];

static int group_setup(void **state)
{
    (void)state;
    if (harness_start(&H, NULL) != 0 || harness_setup_tree(&H) != 0)
        return -1;
    snprintf(home, sizeof home, "%s/home", H.dir);
    snprintf(spool, sizeof spool, "%s/.local/share/huizong/spool", home);
    snprintf(out, sizeof out, "%s/client.out", H.dir);
    return mkdir(home, 0700);
}

static int group_teardown(void **state)
{
    (void)state;
    return harness_stop_all(&H) == 0 ? 0 : -1;
}

static size_t queued_files(void)
{
    DIR *d = opendir(spool);
    struct dirent *e;
    size_t n = 0;

    while (d && (e = readdir(d)) != NULL)
        n += strstr(e->d_name, ".hzb") != NULL;
    if (d)
        closedir(d);
    return n;
}

static long c1_rows(const char *what)
{
    char sql[256];
    snprintf(sql, sizeof sql, "select %s from activity a join org_unit u on u.id = a.unit_id "
             "where u.code = 'c1'", what);
    return harness_pg_count(&H, sql, NULL);
}

static void write_sheet(const char *path)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("日期,类别,标题,参与人数\r\n", f);
    for (int i = 1; i <= ROWS; i++)
        fprintf(f, "2020-%02d-%02d,volunteer,志愿服务 %d,%d余人\r\n", i % 12 + 1, i % 28 + 1, i,
                i % 40);
    assert_int_equal(fclose(f), 0);
}

static void slurp_contains(const char *path, const char *needle)
{
    static char buf[1 << 16];
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    if (!strstr(buf, needle))
        fail_msg("\"%s\" not in the client's output:\n%s", needle, buf);
}

static void test_sigkill_mid_sync(void **state)
{
    (void)state;
    const char *creds = harness_issue_creds(&H, "c1", "community");
    char sheet[HARNESS_PATH + 16], server[64];
    assert_non_null(creds);
    snprintf(sheet, sizeof sheet, "%s/sheet.csv", H.dir);
    write_sheet(sheet);

    char *offline[] = {"--server", "127.0.0.1:1", "--creds", (char *)creds, "import", sheet,
                       "--type", "activity", NULL};
    assert_int_equal(harness_client_run(home, out, offline), 3);
    slurp_contains(out, "12000 records queued in ");
    assert_int_equal(queued_files(), 3);
    assert_int_equal(c1_rows("count(*)"), 0);

    snprintf(server, sizeof server, "127.0.0.1:%d", H.port);
    char *sync[] = {"--server", server, "--creds", (char *)creds, "sync", NULL};
    pid_t client = harness_client_spawn(home, out, sync);
    assert_true(client > 0);
    long at_kill = 0;
    for (int i = 0; i < 6000 && at_kill == 0; i++) {
        struct timespec ts = {0, 10 * 1000000L};
        nanosleep(&ts, NULL);
        at_kill = c1_rows("count(*)");
    }
    assert_int_equal(harness_kill9(&H), 0);
    assert_int_equal(harness_client_wait(client), 3);
    if (at_kill <= 0 || at_kill >= ROWS)
        fail_msg("not killed mid-sync: %ld of %d committed", at_kill, ROWS);
    slurp_contains(out, "records queued in ");
    assert_true(queued_files() >= 1);

    assert_int_equal(harness_restart(&H), 0);
    snprintf(server, sizeof server, "127.0.0.1:%d", H.port);
    assert_int_equal(harness_client_run(home, out, sync), 0);
    assert_int_equal(queued_files(), 0);
    assert_int_equal(c1_rows("count(*)"), ROWS);
    assert_int_equal(c1_rows("count(distinct record_id)"), ROWS);
    assert_int_equal(c1_rows("count(*) filter (where participants_at_least)"), ROWS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sigkill_mid_sync),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
