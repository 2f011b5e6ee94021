/* Field validation: single values, then whole batches and their error lists. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "validate.h"

#define ID1 "0b6f1f3e-8a2d-4c1e-9f00-3b9d2a7c1e01"
#define ID2 "0b6f1f3e-8a2d-4c1e-9f00-3b9d2a7c1e02"
#define ID3 "0b6f1f3e-8a2d-4c1e-9f00-3b9d2a7c1e03"

static void test_uuid(void **state)
{
    (void)state;
    assert_true(validate_uuid(ID1));
    assert_true(validate_uuid("0B6F1F3E-8A2D-4C1E-9F00-3B9D2A7C1E01"));
    assert_false(validate_uuid("0b6f1f3e8a2d4c1e9f003b9d2a7c1e01"));
    assert_false(validate_uuid("0b6f1f3e-8a2d-4c1e-9f00-3b9d2a7c1e0"));
    assert_false(validate_uuid("0b6f1f3e-8a2d-4c1e-9f00-3b9d2a7c1e011"));
    assert_false(validate_uuid("0b6f1f3g-8a2d-4c1e-9f00-3b9d2a7c1e01"));
    assert_false(validate_uuid("0b6f1f3e-8a2d-4c1e-9f00_3b9d2a7c1e01"));
    assert_false(validate_uuid(""));
    assert_false(validate_uuid(NULL));
}

static void test_date(void **state)
{
    (void)state;
    assert_true(validate_date("2020-04-12"));
    assert_true(validate_date("2020-02-29")); /* leap year */
    assert_false(validate_date("2019-02-29"));
    assert_false(validate_date("2020-02-30"));
    assert_false(validate_date("1900-02-29")); /* century, not leap */
    assert_true(validate_date("2000-02-29"));  /* 400th year, leap */
    assert_true(validate_date("2020-12-31"));
    assert_false(validate_date("2020-04-31"));
    assert_false(validate_date("2020-13-01"));
    assert_false(validate_date("2020-00-10"));
    assert_false(validate_date("2020-01-00"));
    assert_false(validate_date("2020-1-01"));
    assert_false(validate_date("2020/01/01"));
    assert_false(validate_date("2020-01-01 "));
    assert_false(validate_date("1899-12-31"));
    assert_false(validate_date("3000-01-01"));
    assert_true(validate_date("2999-12-31"));
    assert_false(validate_date("２０２０-01-01"));
    assert_false(validate_date(""));
    assert_false(validate_date(NULL));
}

static void test_partial_date(void **state)
{
    (void)state;
    assert_true(validate_partial_date("2020"));
    assert_true(validate_partial_date("2020-06"));
    assert_true(validate_partial_date("2020-06-11"));
    assert_false(validate_partial_date("2020-6"));
    assert_false(validate_partial_date("2020-13"));
    assert_false(validate_partial_date("2020-02-30"));
    assert_false(validate_partial_date("20"));
    assert_false(validate_partial_date("1800"));
    assert_false(validate_partial_date(""));
}

static void test_period(void **state)
{
    (void)state;
    char t = 0;
    assert_true(validate_period("2020", &t));
    assert_int_equal(t, 'y');
    assert_true(validate_period("2020-Q1", &t));
    assert_int_equal(t, 'q');
    assert_true(validate_period("2020-Q4", NULL));
    assert_true(validate_period("2020-01", &t));
    assert_int_equal(t, 'm');
    assert_true(validate_period("2020-12", NULL));
    t = 'x';
    assert_false(validate_period("2020-Q5", &t));
    assert_int_equal(t, 'x'); /* untouched on failure */
    assert_false(validate_period("2020-Q0", NULL));
    assert_false(validate_period("2020-q1", NULL));
    assert_false(validate_period("2020-Q12", NULL));
    assert_false(validate_period("2020-13", NULL));
    assert_false(validate_period("2020-00", NULL));
    assert_false(validate_period("2020-1", NULL));
    assert_false(validate_period("2020-06-01", NULL));
    assert_false(validate_period("1899", NULL));
    assert_false(validate_period("3000", NULL));
    assert_false(validate_period("202", NULL));
    assert_false(validate_period("", NULL));
    assert_false(validate_period(NULL, NULL));
}

/* One year range for the wire, both programs and (hz_year_error) the SQL. */
static void test_year_range(void **state)
{
    (void)state;
    assert_true(validate_year_number(1900));
    assert_true(validate_year_number(2999));
    assert_false(validate_year_number(1899));
    assert_false(validate_year_number(3000));
    assert_true(validate_date("1900-01-01"));
    assert_false(validate_date("1899-12-31"));
    assert_false(validate_period("3000", NULL));
}

static void test_code(void **state)
{
    (void)state;
    char c63[64], c64[65];
    memset(c63, 'a', 63);
    c63[63] = '\0';
    memset(c64, 'a', 64);
    c64[64] = '\0';
    assert_true(validate_code("a"));
    assert_true(validate_code("0"));
    assert_true(validate_code("lianhua-1_community"));
    assert_true(validate_code(c63));
    assert_false(validate_code(c64));
    assert_false(validate_code("-a"));
    assert_false(validate_code("_a"));
    assert_false(validate_code("Lianhua"));
    assert_false(validate_code("a b"));
    assert_false(validate_code("社区"));
    assert_false(validate_code(""));
    assert_false(validate_code(NULL));
}

static void test_utf8(void **state)
{
    (void)state;
    assert_true(validate_utf8("plain", 5));
    assert_false(validate_utf8("plain", 4));
    assert_true(validate_utf8("社区", 6));
    assert_false(validate_utf8("社区", 5));
    assert_true(validate_utf8("\xF0\x9F\x98\x80", 4));     /* U+1F600 */
    assert_false(validate_utf8("\xC0\xAF", 10));            /* overlong '/' */
    assert_false(validate_utf8("\xE0\x80\xAF", 10));        /* overlong */
    assert_false(validate_utf8("\xED\xA0\x80", 10));        /* surrogate D800 */
    assert_false(validate_utf8("\xF4\x90\x80\x80", 10));    /* > U+10FFFF */
    assert_false(validate_utf8("\xE7\xA4", 10));            /* truncated */
    assert_false(validate_utf8("\x80", 10));                /* lone continuation */
    assert_false(validate_utf8("\xFF", 10));
    assert_true(validate_utf8("", 0));
    assert_false(validate_utf8(NULL, 10));
}

/* ---- batches ------------------------------------------------------------ */

static Huizong__Activity good_activity(const char *id)
{
    Huizong__Activity a = HUIZONG__ACTIVITY__INIT;
    a.record_id = (char *)id;
    a.unit_code = "lianhua";
    a.date = "2020-04-12";
    a.category = "fire_safety";
    a.title = "消防安全知识讲座";
    a.participants = 40;
    return a;
}

static Huizong__IndicatorValue good_value(const char *id)
{
    Huizong__IndicatorValue v = HUIZONG__INDICATOR_VALUE__INIT;
    v.record_id = (char *)id;
    v.unit_code = "lianhua";
    v.indicator = "briefs";
    v.period = "2020-06";
    v.value = 82;
    return v;
}

static Huizong__Honor good_honor(const char *id)
{
    Huizong__Honor h = HUIZONG__HONOR__INIT;
    h.record_id = (char *)id;
    h.unit_code = "lianhua";
    h.date = "2020-06";
    h.title = "太极拳比赛一等奖";
    h.level = "district";
    return h;
}

static const validate_error *find_error(const validate_errors *e, const char *kind,
                                        uint32_t index, const char *field)
{
    for (size_t i = 0; i < e->count; i++)
        if (strcmp(e->items[i].kind, kind) == 0 && e->items[i].index == index &&
            strcmp(e->items[i].field, field) == 0)
            return &e->items[i];
    return NULL;
}

static void test_batch_good(void **state)
{
    (void)state;
    Huizong__Activity a = good_activity(ID1);
    Huizong__IndicatorValue v = good_value(ID2);
    Huizong__Honor h = good_honor(ID3);
    Huizong__Activity *as[] = { &a };
    Huizong__IndicatorValue *vs[] = { &v };
    Huizong__Honor *hs[] = { &h };
    Huizong__SubmitBatch b = HUIZONG__SUBMIT_BATCH__INIT;
    b.n_activities = 1;
    b.activities = as;
    b.n_indicator_values = 1;
    b.indicator_values = vs;
    b.n_honors = 1;
    b.honors = hs;
    validate_errors e = { 0 };
    assert_int_equal(validate_batch(&b, 10, &e), 0);
    assert_int_equal(e.count, 0);
    /* Exactly at the bound is fine. */
    assert_int_equal(validate_batch(&b, 3, &e), 0);
    validate_errors_free(&e);
}

static void test_batch_too_many_records(void **state)
{
    (void)state;
    Huizong__Activity a = good_activity(ID1), c = good_activity(ID2);
    Huizong__Honor h = good_honor(ID3);
    Huizong__Activity *as[] = { &a, &c };
    Huizong__Honor *hs[] = { &h };
    Huizong__SubmitBatch b = HUIZONG__SUBMIT_BATCH__INIT;
    b.n_activities = 2;
    b.activities = as;
    b.n_honors = 1;
    b.honors = hs;
    validate_errors e = { 0 };
    assert_int_equal(validate_batch(&b, 2, &e), 1);
    assert_int_equal(e.count, 1);
    assert_string_equal(e.items[0].kind, "request");
    assert_string_equal(e.items[0].field, "records");
    assert_string_equal(e.items[0].reason, "3 records; at most 2 per batch");
    validate_errors_free(&e);
    assert_null(e.items);
    assert_int_equal(validate_batch(&b, 0, NULL), 0); /* 0: no bound */
}

static void test_unknown_count_is_not_a_number(void **state)
{
    (void)state;
    Huizong__Activity a = good_activity(ID1), u = good_activity(ID2);
    a.participants = 40;
    a.participants_unknown = true;
    u.participants = 0;
    u.participants_at_least = false;
    u.participants_unknown = true;
    Huizong__Activity *as[] = { &a, &u };
    Huizong__SubmitBatch b = HUIZONG__SUBMIT_BATCH__INIT;
    b.n_activities = 2;
    b.activities = as;
    validate_errors e = { 0 };
    assert_int_equal(validate_batch(&b, 0, &e), 1);
    const validate_error *x = find_error(&e, "activity", 0, "participants_unknown");
    assert_non_null(x);
    assert_string_equal(x->reason, "a count not reported cannot also be 40; give one or the other");
    assert_null(find_error(&e, "activity", 1, "participants_unknown"));
    validate_errors_free(&e);
}

static void test_batch_activity_errors(void **state)
{
    (void)state;
    char long_title[VALIDATE_MAX_SHORT + 2];
    memset(long_title, 'x', sizeof long_title - 1);
    long_title[sizeof long_title - 1] = '\0';
    Huizong__Activity a = good_activity(ID1), c = good_activity("not-a-uuid");
    a.date = "2020-13-01";
    a.participants = -5;
    a.category = "";
    a.title = long_title;
    c.unit_code = "Lianhua";
    c.summary = "bad \xC0\xAF utf8";
    Huizong__Activity *as[] = { &a, &c };
    Huizong__SubmitBatch b = HUIZONG__SUBMIT_BATCH__INIT;
    b.n_activities = 2;
    b.activities = as;
    validate_errors e = { 0 };
    size_t n = validate_batch(&b, 0, &e);
    assert_int_equal(n, e.count);
    assert_int_equal(n, 7);

    const validate_error *x = find_error(&e, "activity", 0, "date");
    assert_non_null(x);
    assert_string_equal(x->reason, "invalid date \"2020-13-01\" (want YYYY-MM-DD)");
    x = find_error(&e, "activity", 0, "participants");
    assert_non_null(x);
    assert_string_equal(x->reason, "must be >= 0, got -5");
    x = find_error(&e, "activity", 0, "category");
    assert_non_null(x);
    assert_string_equal(x->reason, "required");
    x = find_error(&e, "activity", 0, "title");
    assert_non_null(x);
    assert_non_null(strstr(x->reason, "201 bytes"));
    x = find_error(&e, "activity", 1, "record_id");
    assert_non_null(x);
    assert_non_null(strstr(x->reason, "\"not-a-uuid\""));
    x = find_error(&e, "activity", 1, "unit_code");
    assert_non_null(x);
    assert_non_null(strstr(x->reason, "\"Lianhua\""));
    x = find_error(&e, "activity", 1, "summary");
    assert_non_null(x);
    assert_string_equal(x->reason, "not valid UTF-8");
    validate_errors_free(&e);
}

static void test_batch_activity_lists(void **state)
{
    (void)state;
    char *many[VALIDATE_MAX_LIST + 1];
    for (size_t i = 0; i < VALIDATE_MAX_LIST + 1; i++)
        many[i] = "共建单位";
    char *bad[] = { "ok", "\xED\xA0\x80" };
    Huizong__Activity a = good_activity(ID1);
    a.n_partners = VALIDATE_MAX_LIST + 1;
    a.partners = many;
    a.n_tags = 2;
    a.tags = bad;
    a.n_beneficiaries = VALIDATE_MAX_LIST; /* exactly the limit */
    a.beneficiaries = many;
    Huizong__Activity *as[] = { &a };
    Huizong__SubmitBatch b = HUIZONG__SUBMIT_BATCH__INIT;
    b.n_activities = 1;
    b.activities = as;
    validate_errors e = { 0 };
    assert_int_equal(validate_batch(&b, 0, &e), 2);
    assert_non_null(find_error(&e, "activity", 0, "partners"));
    const validate_error *x = find_error(&e, "activity", 0, "tags");
    assert_non_null(x);
    assert_non_null(strstr(x->reason, "entry 1"));
    assert_null(find_error(&e, "activity", 0, "beneficiaries"));
    validate_errors_free(&e);
}

static void test_batch_indicator_values(void **state)
{
    (void)state;
    Huizong__IndicatorValue v0 = good_value(ID1), v1 = good_value(ID2), v2 = good_value(ID3);
    v0.value = -1.5;
    v0.period = "2020-Q5";
    v1.value = NAN;
    v1.indicator = "";
    v2.value = INFINITY;
    Huizong__IndicatorValue *vs[] = { &v0, &v1, &v2 };
    Huizong__SubmitBatch b = HUIZONG__SUBMIT_BATCH__INIT;
    b.n_indicator_values = 3;
    b.indicator_values = vs;
    validate_errors e = { 0 };
    assert_int_equal(validate_batch(&b, 0, &e), 5);
    const validate_error *x = find_error(&e, "indicator_value", 0, "value");
    assert_non_null(x);
    assert_string_equal(x->reason, "must be >= 0, got -1.5");
    x = find_error(&e, "indicator_value", 0, "period");
    assert_non_null(x);
    assert_non_null(strstr(x->reason, "\"2020-Q5\""));
    assert_non_null(find_error(&e, "indicator_value", 1, "value"));
    assert_non_null(find_error(&e, "indicator_value", 1, "indicator"));
    assert_non_null(find_error(&e, "indicator_value", 2, "value"));
    validate_errors_free(&e);
}

static void test_batch_honors(void **state)
{
    (void)state;
    Huizong__Honor h0 = good_honor(ID1), h1 = good_honor(ID2), h2 = good_honor(ID3);
    h0.level = "galactic";
    h0.date = "2020-06-31";
    h1.level = "";         /* optional */
    h1.date = "2020";      /* partial dates are fine for honours */
    h1.category = "Bad";   /* optional, but checked when given */
    h2.title = "";
    Huizong__Honor *hs[] = { &h0, &h1, &h2 };
    Huizong__SubmitBatch b = HUIZONG__SUBMIT_BATCH__INIT;
    b.n_honors = 3;
    b.honors = hs;
    validate_errors e = { 0 };
    assert_int_equal(validate_batch(&b, 0, &e), 4);
    const validate_error *x = find_error(&e, "honor", 0, "level");
    assert_non_null(x);
    assert_non_null(strstr(x->reason, "\"galactic\""));
    assert_non_null(find_error(&e, "honor", 0, "date"));
    assert_null(find_error(&e, "honor", 1, "date"));
    assert_null(find_error(&e, "honor", 1, "level"));
    assert_non_null(find_error(&e, "honor", 1, "category"));
    assert_non_null(find_error(&e, "honor", 2, "title"));
    validate_errors_free(&e);
}

static void test_batch_repeated_ids(void **state)
{
    (void)state;
    Huizong__Activity a0 = good_activity(ID1), a1 = good_activity(ID2),
                      a2 = good_activity("0B6F1F3E-8A2D-4C1E-9F00-3B9D2A7C1E01");
    Huizong__Honor h = good_honor(ID2);
    Huizong__Activity *as[] = { &a0, &a1, &a2 };
    Huizong__Honor *hs[] = { &h };
    Huizong__SubmitBatch b = HUIZONG__SUBMIT_BATCH__INIT;
    b.n_activities = 3;
    b.activities = as;
    b.n_honors = 1;
    b.honors = hs;
    validate_errors e = { 0 };
    assert_int_equal(validate_batch(&b, 0, &e), 2);
    /* The first use of an id is fine; later ones are reported. */
    assert_null(find_error(&e, "activity", 0, "record_id"));
    assert_null(find_error(&e, "activity", 1, "record_id"));
    const validate_error *x = find_error(&e, "activity", 2, "record_id");
    assert_non_null(x);
    assert_string_equal(x->reason, "repeated in this batch");
    assert_non_null(find_error(&e, "honor", 0, "record_id"));
    validate_errors_free(&e);
}

static void test_batch_error_cap(void **state)
{
    (void)state;
    enum { N = 30 };
    Huizong__Activity acts[N];
    Huizong__Activity *as[N];
    for (int i = 0; i < N; i++) {
        acts[i] = good_activity("");
        acts[i].date = "bad";
        as[i] = &acts[i];
    }
    Huizong__SubmitBatch b = HUIZONG__SUBMIT_BATCH__INIT;
    b.n_activities = N;
    b.activities = as;
    validate_errors e = { 0 };
    e.max = 5;
    assert_int_equal(validate_batch(&b, 0, &e), 5);
    assert_int_equal(e.count, 5);
    validate_errors_free(&e);

    validate_errors d = { 0 }; /* default cap: 100 of the 60 errors */
    assert_int_equal(validate_batch(&b, 0, &d), 2 * N);
    validate_errors_free(&d);
}

static void test_batch_quotes_safely(void **state)
{
    (void)state;
    char longdate[300];
    memset(longdate, '9', sizeof longdate - 1);
    longdate[sizeof longdate - 1] = '\0';
    Huizong__Activity a = good_activity(ID1), c = good_activity(ID2);
    a.date = longdate;
    c.date = "2020\n\xFF-01";
    Huizong__Activity *as[] = { &a, &c };
    Huizong__SubmitBatch b = HUIZONG__SUBMIT_BATCH__INIT;
    b.n_activities = 2;
    b.activities = as;
    validate_errors e = { 0 };
    assert_int_equal(validate_batch(&b, 0, &e), 2);
    for (size_t i = 0; i < e.count; i++) {
        assert_true(validate_utf8(e.items[i].reason, sizeof e.items[i].reason));
        assert_null(strchr(e.items[i].reason, '\n'));
    }
    assert_non_null(strstr(e.items[0].reason, "...\""));
    assert_non_null(strstr(e.items[1].reason, "\"2020?" "?-01\""));
    validate_errors_free(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uuid),
        cmocka_unit_test(test_date),
        cmocka_unit_test(test_partial_date),
        cmocka_unit_test(test_period),
        cmocka_unit_test(test_year_range),
        cmocka_unit_test(test_code),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_batch_good),
        cmocka_unit_test(test_batch_too_many_records),
        cmocka_unit_test(test_batch_activity_errors),
        cmocka_unit_test(test_unknown_count_is_not_a_number),
        cmocka_unit_test(test_batch_activity_lists),
        cmocka_unit_test(test_batch_indicator_values),
        cmocka_unit_test(test_batch_honors),
        cmocka_unit_test(test_batch_repeated_ids),
        cmocka_unit_test(test_batch_error_cap),
        cmocka_unit_test(test_batch_quotes_safely),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
