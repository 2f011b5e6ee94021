/* The spool's files: encoding and every way a file can be cut short or
 * changed, queueing all-or-nothing (also when the file size limit is hit),
 * listing oldest first, setting aside, the last error. The test links
 * hz_client. */
#include <dirent.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include <cmocka.h>

#include <fcntl.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "spool/spool.h"
#include "spool/spool_report.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/hz-spool-unit-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* A batch of n activities (strings static; freed by the caller's free_batch). */
static Huizong__SubmitBatch *make_batch(size_t n)
{
    Huizong__SubmitBatch *b = calloc(1, sizeof *b);
    huizong__submit_batch__init(b);
    b->n_activities = n;
    b->activities = calloc(n, sizeof *b->activities);
    for (size_t i = 0; i < n; i++) {
        Huizong__Activity *a = calloc(1, sizeof *a);
        huizong__activity__init(a);
        a->record_id = "0b9a3f62-4c1e-4e8e-9a51-6d2f0c3b7a10";
        a->unit_code = "c1";
        a->date = "2020-04-14";
        a->category = "fire";
        a->title = "消防安全讲座";
        a->participants = (int64_t)i;
        b->activities[i] = a;
    }
    return b;
}

static void free_batch(Huizong__SubmitBatch *b)
{
    for (size_t i = 0; i < b->n_activities; i++)
        free(b->activities[i]);
    free(b->activities);
    free(b);
}

static void test_roundtrip(void **state)
{
    (void)state;
    Huizong__SubmitBatch *b = make_batch(3);
    uint32_t lines[3] = {2, 5, 9};
    size_t len;
    uint8_t *buf = spool_encode("c1", "data.csv", 1600000000, b, lines, &len);
    spool_batch sb = {0};
    char err[256];

    assert_non_null(buf);
    assert_int_equal(spool_decode(buf, len, 1, &sb, err, sizeof err), 0);
    assert_string_equal(sb.unit, "c1");
    assert_string_equal(sb.source, "data.csv");
    assert_int_equal(sb.queued, 1600000000);
    assert_int_equal(sb.records, 3);
    assert_int_equal(sb.n_lines, 3);
    assert_int_equal(sb.lines[2], 9);
    assert_int_equal(sb.batch->n_activities, 3);
    assert_string_equal(sb.batch->activities[1]->title, "消防安全讲座");
    assert_int_equal(sb.batch->activities[2]->participants, 2);
    spool_batch_free(&sb);
    free(buf);
    free_batch(b);
}

/* A crash or a full disk can leave any prefix of a file: none decodes. */
static void test_every_truncation_detected(void **state)
{
    (void)state;
    Huizong__SubmitBatch *b = make_batch(4);
    size_t len;
    uint8_t *buf = spool_encode("c1", "x.json", 1, b, NULL, &len);
    char err[256];

    for (size_t cut = 0; cut < len; cut++) {
        spool_batch sb = {0};
        assert_int_equal(spool_decode(buf, cut, 1, &sb, err, sizeof err), -2);
        assert_true(strstr(err, cut < 8 ? "not a spool file" : "truncated") != NULL);
        spool_batch_free(&sb);
    }
    free(buf);
    free_batch(b);
}

static void test_changed_byte_detected(void **state)
{
    (void)state;
    Huizong__SubmitBatch *b = make_batch(2);
    size_t len;
    uint8_t *buf = spool_encode("c1", "x.json", 1, b, NULL, &len);
    char err[256];
    spool_batch sb = {0};

    buf[len / 2] ^= 0x20;
    assert_int_equal(spool_decode(buf, len, 1, &sb, err, sizeof err), -2);
    assert_string_equal(err, "checksum mismatch: the file was changed or damaged on disk");
    spool_batch_free(&sb);
    free(buf);
    free_batch(b);
}

static void test_put_splits_and_lists_oldest_first(void **state)
{
    (void)state;
    Huizong__SubmitBatch *b = make_batch(12);
    uint32_t lines[12];
    spool_names made = {0}, listed;
    char err[256];

    for (int i = 0; i < 12; i++)
        lines[i] = (uint32_t)(i + 2);
    assert_int_equal(spool_put(dir, "c1", "s.csv", b, lines, 5, &made, err, sizeof err), 0);
    assert_int_equal(made.n, 3);
    assert_int_equal(spool_list(dir, NULL, &listed, err, sizeof err), 0);
    assert_int_equal(listed.n, 3);
    size_t want[3] = {5, 5, 2};
    for (size_t i = 0; i < 3; i++) {
        spool_batch sb;
        assert_string_equal(listed.names[i], made.names[i]);
        assert_int_equal(spool_load(dir, NULL, listed.names[i], 1, &sb, err, sizeof err), 0);
        assert_int_equal(sb.records, want[i]);
        assert_int_equal(sb.lines[0], 2 + 5 * i);
        spool_batch_free(&sb);
    }
    /* Acknowledged: removed; refused: set aside with its note. */
    assert_int_equal(spool_remove(dir, listed.names[0], err, sizeof err), 0);
    assert_int_equal(spool_move(dir, listed.names[1], SPOOL_REJECTED, "why\n", err, sizeof err),
                     0);
    char *note = spool_note(dir, SPOOL_REJECTED, listed.names[1]);
    assert_string_equal(note, "why\n");
    free(note);
    spool_names left, rejected;
    assert_int_equal(spool_list(dir, NULL, &left, err, sizeof err), 0);
    assert_int_equal(left.n, 1);
    assert_string_equal(left.names[0], listed.names[2]);
    assert_int_equal(spool_list(dir, SPOOL_REJECTED, &rejected, err, sizeof err), 0);
    assert_int_equal(rejected.n, 1);
    assert_int_equal(spool_remove(dir, left.names[0], err, sizeof err), 0);
    spool_names_free(&left);
    spool_names_free(&rejected);
    spool_names_free(&listed);
    spool_names_free(&made);
    free_batch(b);
}

static size_t count_entries(const char *d)
{
    DIR *dd = opendir(d);
    struct dirent *e;
    size_t n = 0;

    while (dd && (e = readdir(dd)) != NULL)
        n += e->d_type == DT_REG;
    if (dd)
        closedir(dd);
    return n;
}

/* The file size limit stands for a full disk: a clear error, and not one of
 * the batch's files (nor a temporary one) left behind. */
static void test_full_disk_queues_nothing(void **state)
{
    (void)state;
    Huizong__SubmitBatch *b = make_batch(400);
    spool_names made = {0};
    struct rlimit old, small;
    char sub[128], err[512];

    snprintf(sub, sizeof sub, "%s/full", dir);
    assert_int_equal(spool_prepare(sub, err, sizeof err), 0);
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    small = old;
    small.rlim_cur = 4096;
    signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
    int rc = spool_put(sub, "c1", "big.json", b, NULL, 100, &made, err, sizeof err);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
    assert_int_equal(rc, -1);
    assert_non_null(strstr(err, "cannot queue records in "));
    assert_non_null(strstr(err, "File too large; nothing was queued"));
    assert_int_equal(made.n, 0);
    assert_int_equal(count_entries(sub), 0);
    free_batch(b);
}

static void test_last_error(void **state)
{
    (void)state;
    char *e;

    assert_null(spool_last_error(dir));
    spool_last_error_set(dir, "127.0.0.1:1: connection refused");
    e = spool_last_error(dir);
    assert_non_null(e);
    assert_non_null(strstr(e, "  127.0.0.1:1: connection refused\n"));
    free(e);
    spool_last_error_clear(dir);
    assert_null(spool_last_error(dir));
}

/* The taxonomy cache's file: replaced whole, private, no temporary left. */
static void test_file_replace(void **state)
{
    char err[256], path[128];
    struct stat st;
    (void)state;

    assert_null(spool_file_read(dir, "taxonomy.json"));
    assert_int_equal(spool_file_replace(dir, "taxonomy.json", "{\"a\": 1}", err, sizeof err), 0);
    assert_int_equal(spool_file_replace(dir, "taxonomy.json", "{\"b\": 2}", err, sizeof err), 0);
    char *t = spool_file_read(dir, "taxonomy.json");
    assert_string_equal(t, "{\"b\": 2}");
    free(t);
    snprintf(path, sizeof path, "%s/taxonomy.json", dir);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    spool_names q;
    assert_int_equal(spool_list(dir, NULL, &q, err, sizeof err), 0);
    assert_int_equal(q.n, 0); /* not a batch */
    spool_names_free(&q);
    DIR *d = opendir(dir);
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        assert_null(strstr(e->d_name, ".tmp-"));
    closedir(d);
}

/* spool_report's stdout and exit code for res. */
static int report_out(const spool_result *res, char *out, size_t len)
{
    char path[128];
    cconf cfg = {.spool = dir};

    snprintf(path, sizeof path, "%s/report.out", dir);
    fflush(stdout);
    int saved = dup(1), fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(fd, 1);
    close(fd);
    int rc = spool_report(&cfg, "submitted a.json", res, 1);
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    FILE *f = fopen(path, "r");
    size_t n = fread(out, 1, len - 1, f);
    out[n] = '\0';
    fclose(f);
    return rc;
}

/* This command's batches still queued and unsent: said so, exit 4, never
 * "sent by another huizong"; that is kept for batches that really left. */
static void test_report_unsent_is_not_another_sender(void **state)
{
    spool_result res;
    char out[1024];
    (void)state;

    memset(&res, 0, sizeof res);
    res.mine_left = 1;
    snprintf(res.cert_unit, sizeof res.cert_unit, "c1");
    snprintf(res.principal, sizeof res.principal, "district d1");
    assert_int_equal(report_out(&res, out, sizeof out), HZ_EXIT_REFUSED);
    assert_null(strstr(out, "sent by another huizong"));
    res.mine_left = 0;
    assert_int_equal(report_out(&res, out, sizeof out), HZ_EXIT_OK);
    assert_non_null(strstr(out, "submitted a.json: sent by another huizong"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_every_truncation_detected),
        cmocka_unit_test(test_changed_byte_detected),
        cmocka_unit_test(test_put_splits_and_lists_oldest_first),
        cmocka_unit_test(test_full_disk_queues_nothing),
        cmocka_unit_test(test_last_error),
        cmocka_unit_test(test_file_replace),
        cmocka_unit_test(test_report_unsent_is_not_another_sender),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
