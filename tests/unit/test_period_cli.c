/* The client helpers of the period commands: comma lists, record files for
 * amend and correct (kind detection, the record_id rule, values that are not
 * numbers), output formats. No network. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "cli/cli.h"
#include "cli/diag.h"
#include "cmd/period_cli.h"

#define RID "11111111-1111-4111-8111-000000000001"

static char path[64];

static const char *write_file(const char *text)
{
    snprintf(path, sizeof path, "/tmp/hz-period-cli.XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

typedef struct {
    Huizong__Activity *a;
    Huizong__IndicatorValue *v;
    Huizong__Honor *h;
} loaded;

static int load(const char *text, loaded *l)
{
    int rc = period_load_record(write_file(text), RID, &l->a, &l->v, &l->h);
    unlink(path);
    return rc;
}

static void loaded_free(loaded *l)
{
    if (l->a)
        huizong__activity__free_unpacked(l->a, NULL);
    if (l->v)
        huizong__indicator_value__free_unpacked(l->v, NULL);
    if (l->h)
        huizong__honor__free_unpacked(l->h, NULL);
}

static void test_list(void **state)
{
    (void)state;
    size_t n;
    char **l = period_list("--x", "briefs,opinion_reports", &n);
    assert_non_null(l);
    assert_int_equal(n, 2);
    assert_string_equal(l[0], "briefs");
    assert_string_equal(l[1], "opinion_reports");
    assert_null(l[2]);
    period_list_free(l);
    assert_null(period_list("--x", "a,,b", &n));
    assert_null(period_list("--x", "", &n));
    assert_null(period_list("--x", "a,", &n));
}

static void test_bare_records(void **state)
{
    (void)state;
    loaded l = {0};
    assert_int_equal(load("{\"date\": \"2020-04-12\", \"category\": \"fire\", \"title\": \"t\"}", &l), 0);
    assert_non_null(l.a);
    assert_null(l.v);
    assert_string_equal(l.a->record_id, RID);
    loaded_free(&l);

    memset(&l, 0, sizeof l);
    assert_int_equal(load("{\"indicator\": \"briefs\", \"period\": \"2020-03\", \"value\": 4}", &l), 0);
    assert_non_null(l.v);
    assert_true(l.v->value == 4.0);
    loaded_free(&l);

    memset(&l, 0, sizeof l);
    assert_int_equal(load("{\"date\": \"2020\", \"title\": \"t\", \"level\": \"city\"}", &l), 0);
    assert_non_null(l.h);
    loaded_free(&l);

    memset(&l, 0, sizeof l);
    assert_int_equal(load("{\"kind\": \"honor\", \"date\": \"2020\", \"title\": \"t\"}", &l), 0);
    assert_non_null(l.h);
    loaded_free(&l);
}

static void test_submit_shape(void **state)
{
    (void)state;
    loaded l = {0};
    assert_int_equal(load("{\"honors\": [{\"record_id\": \"" RID "\", \"date\": \"2020\", \"title\": \"t\"}]}",
                          &l), 0);
    assert_non_null(l.h);
    loaded_free(&l);
    memset(&l, 0, sizeof l);
    assert_int_equal(load("{\"activities\": [{\"date\": \"2020-01-01\", \"category\": \"fire\", \"title\": \"a\"},"
                          " {\"date\": \"2020-01-02\", \"category\": \"fire\", \"title\": \"b\"}]}", &l),
                     HZ_EXIT_INPUT);
    assert_null(l.a);
}

static void test_bad_files(void **state)
{
    (void)state;
    loaded l = {0};
    assert_int_equal(load("{\"indicator\": \"briefs\", \"period\": \"2020-03\", \"value\": \"abc\"}", &l),
                     HZ_EXIT_INPUT);
    assert_int_equal(load("{\"record_id\": \"22222222-2222-4222-8222-222222222222\", \"date\": \"2020-01-01\"}",
                          &l), HZ_EXIT_INPUT);
    assert_int_equal(load("{\"kind\": \"nosuch\", \"date\": \"2020-01-01\"}", &l), HZ_EXIT_INPUT);
    assert_int_equal(load("{\"date\": \"2020-01-01\", \"unknown_key\": 1}", &l), HZ_EXIT_INPUT);
    assert_int_equal(load("[1, 2]", &l), HZ_EXIT_INPUT);
    assert_int_equal(load("{not json", &l), HZ_EXIT_INPUT);
    assert_int_equal(period_load_record("/nonexistent/x.json", RID, &l.a, &l.v, &l.h), HZ_EXIT_INPUT);
    assert_null(l.a);
    assert_null(l.v);
    assert_null(l.h);
}

static void test_format(void **state)
{
    (void)state;
    bool json = true;
    assert_int_equal(period_format("x", NULL, &json), 0);
    assert_false(json);
    assert_int_equal(period_format("x", "json", &json), 0);
    assert_true(json);
    assert_int_equal(period_format("x", "csv", &json), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list),         cmocka_unit_test(test_bare_records),
        cmocka_unit_test(test_submit_shape), cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
