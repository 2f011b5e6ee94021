/* The latency histogram of server/conn/stats.c: buckets, percentiles, and the
 * status classes and request slots the counters are kept by; the counter
 * table the metrics endpoint lists. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "huizong.pb-c.h"
#include "conn/stats.h"

static void test_empty(void **state)
{
    stats_hist h = {0};
    (void)state;
    assert_int_equal(stats_hist_percentile(&h, 50), 0);
    assert_int_equal(stats_hist_percentile(&h, 99), 0);
    assert_int_equal(h.max_us, 0);
}

static void test_buckets(void **state)
{
    stats_hist h = {0};
    (void)state;
    stats_hist_add(&h, 0);
    stats_hist_add(&h, 1);
    stats_hist_add(&h, 2);
    stats_hist_add(&h, 3);
    stats_hist_add(&h, 4);
    stats_hist_add(&h, 1023);
    stats_hist_add(&h, 1024);
    assert_int_equal(h.bucket[0], 1);  /* 0 */
    assert_int_equal(h.bucket[1], 1);  /* [1, 2) */
    assert_int_equal(h.bucket[2], 2);  /* [2, 4) */
    assert_int_equal(h.bucket[3], 1);  /* [4, 8) */
    assert_int_equal(h.bucket[10], 1); /* [512, 1024) */
    assert_int_equal(h.bucket[11], 1); /* [1024, 2048) */
    assert_int_equal(h.count, 7);
    assert_int_equal(h.max_us, 1024);
}

static void test_huge_goes_to_last_bucket(void **state)
{
    stats_hist h = {0};
    (void)state;
    stats_hist_add(&h, UINT64_MAX);
    assert_int_equal(h.bucket[STATS_HIST_BUCKETS - 1], 1);
    assert_true(stats_hist_percentile(&h, 99) == UINT64_MAX);
}

/* 100 samples: 1..98 us and two slow ones. */
static void test_percentiles(void **state)
{
    stats_hist h = {0};
    (void)state;
    for (uint64_t v = 1; v <= 98; v++)
        stats_hist_add(&h, v);
    stats_hist_add(&h, 5000);
    stats_hist_add(&h, 20000);
    /* The 50th sample is 50, in [32, 64): reported as 63. */
    assert_int_equal(stats_hist_percentile(&h, 50), 63);
    /* The 99th is 5000, in [4096, 8192). */
    assert_int_equal(stats_hist_percentile(&h, 99), 8191);
    /* The 100th is the max itself: a bound is never above it. */
    assert_int_equal(stats_hist_percentile(&h, 100), 20000);
    assert_int_equal(h.max_us, 20000);
}

static void test_capped_at_max(void **state)
{
    stats_hist h = {0};
    (void)state;
    stats_hist_add(&h, 40);
    assert_int_equal(stats_hist_percentile(&h, 50), 40);
    assert_int_equal(stats_hist_percentile(&h, 99), 40);
    stats_hist_add(&h, 0);
    assert_int_equal(stats_hist_percentile(&h, 50), 0);
    assert_int_equal(stats_hist_percentile(&h, 99), 40);
}

static void test_ordered_always(void **state)
{
    stats_hist h = {0};
    uint64_t x = 88172645463325252ull;
    (void)state;
    for (int i = 0; i < 10000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17; /* xorshift */
        stats_hist_add(&h, x % 3000000);
        uint64_t p50 = stats_hist_percentile(&h, 50), p99 = stats_hist_percentile(&h, 99);
        assert_true(p50 <= p99);
        assert_true(p99 <= h.max_us);
    }
}

static void test_status_classes(void **state)
{
    (void)state;
    assert_int_equal(stats_status_class(HUIZONG__STATUS__OK), STATS_OK);
    assert_int_equal(stats_status_class(HUIZONG__STATUS__INVALID_ARGUMENT), STATS_REFUSED);
    assert_int_equal(stats_status_class(HUIZONG__STATUS__PERMISSION_DENIED), STATS_REFUSED);
    assert_int_equal(stats_status_class(HUIZONG__STATUS__NOT_FOUND), STATS_REFUSED);
    assert_int_equal(stats_status_class(HUIZONG__STATUS__UNIMPLEMENTED), STATS_REFUSED);
    assert_int_equal(stats_status_class(HUIZONG__STATUS__UNAVAILABLE), STATS_FAILED);
    assert_int_equal(stats_status_class(HUIZONG__STATUS__INTERNAL), STATS_FAILED);
    assert_int_equal(stats_status_class(HUIZONG__STATUS__RESOURCE_EXHAUSTED), STATS_FAILED);
}

static void test_slots(void **state)
{
    const ProtobufCMessageDescriptor *d = &huizong__request__descriptor;
    (void)state;
    assert_int_equal(stats_slot(HUIZONG__REQUEST__BODY__NOT_SET), 0);
    assert_int_equal(stats_slot(9999), 0);
    assert_true(d->n_fields <= STATS_MAX_TYPES); /* else new types count as "other" */
    assert_string_equal(d->fields[stats_slot(HUIZONG__REQUEST__BODY_SUBMIT)].name, "submit");
    assert_string_equal(d->fields[stats_slot(HUIZONG__REQUEST__BODY_STATS)].name, "stats");
    assert_string_equal(d->fields[stats_slot(HUIZONG__REQUEST__BODY_HELLO)].name, "hello");
}

static void test_request_begin_end(void **state)
{
    static server_stats s;
    (void)state;
    stats_init(&s);
    stats_mark m = stats_request_begin(&s, 7, HUIZONG__REQUEST__BODY_SUMMARY);
    unsigned slot = stats_slot(HUIZONG__REQUEST__BODY_SUMMARY);
    assert_int_equal(s.requests, 1);
    assert_int_equal(s.types[slot].count, 1);
    assert_true(m.open);
    stats_request_end(&s, &m, HUIZONG__STATUS__NOT_FOUND);
    assert_false(m.open);
    stats_request_end(&s, &m, HUIZONG__STATUS__OK); /* a later part of the same reply */
    assert_int_equal(s.types[slot].answered[STATS_REFUSED], 1);
    assert_int_equal(s.types[slot].answered[STATS_OK], 0);
    assert_int_equal(s.types[slot].latency.count, 1);
}

/* The sum the metrics endpoint reports as request_duration_seconds_sum. */
static void test_hist_sum(void **state)
{
    stats_hist h = {0};
    (void)state;
    stats_hist_add(&h, 0);
    stats_hist_add(&h, 5);
    stats_hist_add(&h, 1000000);
    assert_int_equal(h.sum_us, 1000005);
    assert_int_equal(h.count, 3);
}

static int test_name_ok(const char *n)
{
    if (!n || !n[0])
        return 0;
    for (; *n; n++)
        if (!((*n >= 'a' && *n <= 'z') || (*n >= '0' && *n <= '9') || *n == '_'))
            return 0;
    return 1;
}

/* Every row of the counter table the exporters list: a Prometheus name
 * (lower case, digits, _; without the _total it gets), once each, help
 * text, and a field (or array) that lies inside server_stats. */
static void test_counter_table(void **state)
{
    (void)state;
    assert_true(stats_counter_count >= 7);
    for (size_t i = 0; i < stats_counter_count; i++) {
        const stats_counter_def *d = &stats_counters[i];
        assert_true(test_name_ok(d->name));
        assert_null(strstr(d->name, "_total"));
        assert_true(d->help && d->help[0]);
        assert_true(d->n >= 1);
        assert_true(d->offset % sizeof(uint64_t) == 0);
        assert_true(d->offset + d->n * sizeof(uint64_t) <= sizeof(server_stats));
        assert_true((d->label == NULL) == (d->n == 1 && d->labels == NULL));
        for (size_t k = 0; d->labels && k < d->n; k++)
            assert_true(test_name_ok(d->labels[k]));
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(d->name, stats_counters[j].name);
    }
}

/* The table reads the fields it names: a count moves its row alone. */
static void test_counter_table_reads_fields(void **state)
{
    static server_stats s;
    (void)state;
    stats_init(&s);
    s.records_committed = 42;
    s.admission[3] = 7;
    for (size_t i = 0; i < stats_counter_count; i++) {
        const stats_counter_def *d = &stats_counters[i];
        const uint64_t *v = (const uint64_t *)((const char *)&s + d->offset);
        if (strcmp(d->name, "records_committed") == 0)
            assert_int_equal(v[0], 42);
        else if (strcmp(d->name, "admission") == 0)
            assert_int_equal(v[3], 7);
        else
            for (size_t k = 0; k < d->n; k++)
                assert_int_equal(v[k], 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_buckets),
        cmocka_unit_test(test_huge_goes_to_last_bucket),
        cmocka_unit_test(test_percentiles),
        cmocka_unit_test(test_capped_at_max),
        cmocka_unit_test(test_ordered_always),
        cmocka_unit_test(test_status_classes),
        cmocka_unit_test(test_slots),
        cmocka_unit_test(test_request_begin_end),
        cmocka_unit_test(test_hist_sum),
        cmocka_unit_test(test_counter_table),
        cmocka_unit_test(test_counter_table_reads_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
