/* Locks, amends and corrections over the wire against a real huizongd and
 * PostgreSQL: the exact status, message and per-record errors of each
 * refusal, and that a refusal wrote nothing. Complements period_test.sh
 * (which drives the same through the huizong command line) with what the
 * CLI does not show: field errors, concurrent decisions, stale corrections.
 * Each test uses its own periods and records. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"
#include "harness_assert.h"
#include "harness_period.h"
#include "records.h"
#include "wire.h"

static harness H;
static SSL *admin, *c1, *c2, *s1, *d1;

static int group_setup(void **state)
{
    (void)state;
    if (harness_start(&H, NULL) != 0 || harness_setup_tree(&H) != 0)
        return -1;
    admin = harness_connect_as(&H, "d1", "admin");
    c1 = harness_connect_as(&H, "c1", "community");
    c2 = harness_connect_as(&H, "c2", "community");
    s1 = harness_connect_as(&H, "s1", "district");
    d1 = harness_connect_as(&H, "d1", "district");
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    return harness_stop(&H) == 0 ? 0 : -1;
}

/* Sends the request, checks status and message, and that nothing changed. */
static Huizong__Response *refused(SSL *s, Huizong__Status want, const char *part, const char *json)
{
    char *before = hp_snapshot(&H);
    Huizong__Response *r = hp_call(s, "%s", json);
    char *after = hp_snapshot(&H);

    harness_assert_status(r, want);
    harness_assert_contains(r->message, part);
    assert_non_null(before);
    assert_non_null(after);
    assert_string_equal(before, after);
    free(before);
    free(after);
    return r;
}

static void ok_call(SSL *s, const char *json)
{
    Huizong__Response *r = hp_call(s, "%s", json);
    harness_assert_status(r, HUIZONG__STATUS__OK);
    harness_response_free(r);
}

static void test_locked_submit_lists_each_record(void **state)
{
    (void)state;
    ok_call(admin, "{\"request_id\": 1, \"period_lock\": {\"unit_code\": \"s1\", \"period\": \"2019-05\"}}");
    Huizong__Response *r = refused(c1, HUIZONG__STATUS__FAILED_PRECONDITION,
        "period 2019-05 is locked for s1 since",
        "{\"request_id\": 2, \"submit\": {"
        " \"activities\": ["
        "  {\"record_id\": \"a0000000-0000-4000-8000-000000000001\", \"unit_code\": \"c1\","
        "   \"date\": \"2019-04-30\", \"category\": \"fire\", \"title\": \"before\"},"
        "  {\"record_id\": \"a0000000-0000-4000-8000-000000000002\", \"unit_code\": \"c1\","
        "   \"date\": \"2019-05-02\", \"category\": \"fire\", \"title\": \"in it\"}],"
        " \"indicator_values\": ["
        "  {\"record_id\": \"a0000000-0000-4000-8000-000000000003\", \"unit_code\": \"c1\","
        "   \"indicator\": \"briefs\", \"period\": \"2019-05\", \"value\": 2}]}}");
    assert_int_equal(r->n_errors, 2);
    assert_string_equal(r->errors[0]->kind, "activity");
    assert_int_equal(r->errors[0]->index, 1);
    assert_string_equal(r->errors[0]->field, "date");
    assert_string_equal(r->errors[1]->kind, "indicator_value");
    assert_string_equal(r->errors[1]->field, "period");
    harness_assert_contains(r->errors[1]->reason, "by admin d1");
    harness_response_free(r);
}

static void test_amend_refusals(void **state)
{
    (void)state;
    ok_call(c1, "{\"request_id\": 10, \"submit\": {\"indicator_values\": ["
                "{\"record_id\": \"b0000000-0000-4000-8000-000000000001\", \"unit_code\": \"c1\","
                " \"indicator\": \"briefs\", \"period\": \"2018-01\", \"value\": 1},"
                "{\"record_id\": \"b0000000-0000-4000-8000-000000000002\", \"unit_code\": \"c1\","
                " \"indicator\": \"briefs\", \"period\": \"2018-02\", \"value\": 1}]}}");
    Huizong__Response *r = refused(c1, HUIZONG__STATUS__ALREADY_EXISTS,
        "indicator briefs for 2018-01 is already recorded as record b0000000-0000-4000-8000-000000000001",
        "{\"request_id\": 11, \"record_amend\": {\"record_id\": \"b0000000-0000-4000-8000-000000000002\","
        " \"indicator_value\": {\"indicator\": \"briefs\", \"period\": \"2018-01\", \"value\": 5}}}");
    harness_response_free(r);
    r = refused(c1, HUIZONG__STATUS__INVALID_ARGUMENT, "exactly one record",
        "{\"request_id\": 12, \"record_amend\": {\"record_id\": \"b0000000-0000-4000-8000-000000000002\","
        " \"indicator_value\": {\"indicator\": \"briefs\", \"period\": \"2018-02\", \"value\": 5},"
        " \"activity\": {\"date\": \"2018-02-01\", \"category\": \"fire\", \"title\": \"x\"}}}");
    harness_response_free(r);
    r = refused(c1, HUIZONG__STATUS__INVALID_ARGUMENT, "value",
        "{\"request_id\": 13, \"record_amend\": {\"record_id\": \"b0000000-0000-4000-8000-000000000002\","
        " \"indicator_value\": {\"indicator\": \"briefs\", \"period\": \"2018-02\", \"value\": -1}}}");
    harness_response_free(r);
    r = refused(c1, HUIZONG__STATUS__INVALID_ARGUMENT, "unknown indicator \"nosuch\"",
        "{\"request_id\": 14, \"record_amend\": {\"record_id\": \"b0000000-0000-4000-8000-000000000002\","
        " \"indicator_value\": {\"indicator\": \"nosuch\", \"period\": \"2018-02\", \"value\": 1}}}");
    assert_int_equal(r->n_errors, 1);
    assert_string_equal(r->errors[0]->field, "indicator");
    harness_response_free(r);
    ok_call(c1, "{\"request_id\": 15, \"record_retract\": {\"record_id\": "
                "\"b0000000-0000-4000-8000-000000000002\", \"reason\": \"dup\"}}");
    r = refused(c1, HUIZONG__STATUS__FAILED_PRECONDITION, "was retracted on",
        "{\"request_id\": 16, \"record_amend\": {\"record_id\": \"b0000000-0000-4000-8000-000000000002\","
        " \"indicator_value\": {\"indicator\": \"briefs\", \"period\": \"2018-02\", \"value\": 9}}}");
    harness_response_free(r);
    r = refused(c1, HUIZONG__STATUS__INVALID_ARGUMENT, "reason: required",
        "{\"request_id\": 17, \"record_retract\": {\"record_id\": \"b0000000-0000-4000-8000-000000000001\"}}");
    harness_response_free(r);
}

static void test_list_is_for_communities(void **state)
{
    (void)state;
    Huizong__Response *r = refused(s1, HUIZONG__STATUS__PERMISSION_DENIED,
                                   "list shows a community's own records",
                                   "{\"request_id\": 20, \"record_list\": {\"year\": 2020}}");
    harness_response_free(r);
}

/* One activity of c2 in a locked 2017 with a pending correction. */
static void correction_setup(const char *rid, const char *period, uint64_t *id)
{
    char json[1024];
    snprintf(json, sizeof json, "{\"request_id\": 30, \"submit\": {\"activities\": ["
             "{\"record_id\": \"%s\", \"unit_code\": \"c2\", \"date\": \"%s-03-01\","
             " \"category\": \"culture\", \"title\": \"广场舞\", \"participants\": 10}]}}", rid, period);
    ok_call(c2, json);
    snprintf(json, sizeof json, "{\"request_id\": 31, \"period_lock\": {\"unit_code\": \"c2\", \"period\": \"%s\"}}",
             period);
    ok_call(admin, json);
    snprintf(json, sizeof json, "{\"request_id\": 32, \"correction_file\": {\"record_id\": \"%s\","
             " \"activity\": {\"date\": \"%s-03-01\", \"category\": \"culture\", \"title\": \"广场舞\","
             " \"participants\": 12}, \"reason\": \"人数\"}}", rid, period);
    Huizong__Response *r = hp_call(c2, "%s", json);
    harness_assert_status(r, HUIZONG__STATUS__OK);
    assert_true(r->correction_file->created);
    assert_string_equal(r->correction_file->state, "pending");
    *id = r->correction_file->correction_id;
    harness_response_free(r);
}

static void test_correction_refused_when_record_changed(void **state)
{
    (void)state;
    const char *rid = "c0000000-0000-4000-8000-000000000001";
    char json[512];
    uint64_t id;

    correction_setup(rid, "2017", &id);
    ok_call(admin, "{\"request_id\": 33, \"period_unlock\": {\"unit_code\": \"c2\", \"period\": \"2017\"}}");
    ok_call(c2, "{\"request_id\": 34, \"record_amend\": {\"record_id\": \"c0000000-0000-4000-8000-000000000001\","
                " \"activity\": {\"date\": \"2017-03-01\", \"category\": \"culture\", \"title\": \"广场舞比赛\","
                " \"participants\": 10}}}");
    snprintf(json, sizeof json, "{\"request_id\": 35, \"correction_approve\": {\"correction_id\": %llu}}",
             (unsigned long long)id);
    Huizong__Response *r = refused(s1, HUIZONG__STATUS__FAILED_PRECONDITION,
                                   "changed since correction", json);
    harness_response_free(r);
}

static void test_concurrent_approvals_apply_once(void **state)
{
    (void)state;
    const char *rid = "c0000000-0000-4000-8000-000000000002";
    SSL *s1b = harness_connect_as(&H, "s1", "district");
    uint64_t id;

    correction_setup(rid, "2016", &id);
    Huizong__Request *a = hp_request("{\"request_id\": 40, \"correction_approve\": {\"correction_id\": %llu}}",
                                     (unsigned long long)id);
    Huizong__Request *b = hp_request("{\"request_id\": 41, \"correction_approve\": {\"correction_id\": %llu}}",
                                     (unsigned long long)id);
    assert_int_equal(harness_send_request(s1, a), 0);
    assert_int_equal(harness_send_request(s1b, b), 0);
    Huizong__Response *ra = harness_recv_response(s1), *rb = harness_recv_response(s1b);
    assert_non_null(ra);
    assert_non_null(rb);
    int oks = (ra->status == HUIZONG__STATUS__OK) + (rb->status == HUIZONG__STATUS__OK);
    assert_int_equal(oks, 1);
    Huizong__Response *loser = ra->status == HUIZONG__STATUS__OK ? rb : ra;
    harness_assert_status(loser, HUIZONG__STATUS__FAILED_PRECONDITION);
    harness_assert_contains(loser->message, "was already approved on");
    assert_int_equal(harness_pg_count(&H, "select count(*) from activity where record_id = $1", rid), 2);
    assert_int_equal(harness_pg_count(&H, "select count(*) from audit where action = 'correction_approve'"
                                          " and detail->>'record_id' = $1", rid), 1);
    harness_response_free(ra);
    harness_response_free(rb);
    rec_free(a);
    rec_free(b);
    harness_close(s1b);
}

/* Live locks of c1 for `period`. */
static int live_locks(const char *period)
{
    return harness_pg_count(&H, "select count(*) from period_lock l join org_unit o on o.id = l.unit_id"
                                " where o.code = 'c1' and l.unlocked_at is null and l.period = $1", period);
}

static void lock_as(SSL *s, const char *period)
{
    Huizong__Response *r = hp_call(s, "{\"request_id\": 50, \"period_lock\": {\"unit_code\": \"c1\","
                                      " \"period\": \"%s\"}}", period);
    harness_assert_status(r, HUIZONG__STATUS__OK);
    harness_response_free(r);
}

static void unlock_ok(SSL *s, const char *period)
{
    Huizong__Response *r = hp_call(s, "{\"request_id\": 51, \"period_unlock\": {\"unit_code\": \"c1\","
                                      " \"period\": \"%s\"}}", period);
    harness_assert_status(r, HUIZONG__STATUS__OK);
    harness_response_free(r);
    assert_int_equal(live_locks(period), 0);
}

/* A lower office cannot lift the lock of a higher one; the same office, one
 * above it and an admin can (docs/period.md, "Who may unlock"). */
static void test_unlock_needs_the_locker_or_above(void **state)
{
    (void)state;
    lock_as(d1, "2020-06");
    Huizong__Response *r = refused(s1, HUIZONG__STATUS__PERMISSION_DENIED, "",
        "{\"request_id\": 52, \"period_unlock\": {\"unit_code\": \"c1\", \"period\": \"2020-06\"}}");
    assert_string_equal(r->message, "period 2020-06 for c1 was locked by district d1; only d1 or an office"
                                     " above it (or an administrator) can unlock it");
    harness_response_free(r);
    assert_int_equal(live_locks("2020-06"), 1);
    unlock_ok(d1, "2020-06");

    lock_as(s1, "2020-07");
    unlock_ok(d1, "2020-07");
    lock_as(s1, "2020-08");
    unlock_ok(s1, "2020-08");
    lock_as(d1, "2020-09");
    unlock_ok(admin, "2020-09");
    assert_int_equal(harness_pg_count(&H, "select count(*) from audit where action = 'period_unlock'"
                                          " and detail->>'period' like $1", "2020-0%"), 4);
}

/* A district principal cannot lift an admin's lock, not even one on the
 * principal's own unit; the admin can. */
static void test_admin_lock_is_admin_only(void **state)
{
    (void)state;
    lock_as(admin, "2020-10");
    Huizong__Response *r = refused(d1, HUIZONG__STATUS__PERMISSION_DENIED, "",
        "{\"request_id\": 53, \"period_unlock\": {\"unit_code\": \"c1\", \"period\": \"2020-10\"}}");
    assert_string_equal(r->message, "period 2020-10 for c1 was locked by an administrator (admin d1);"
                                    " only an administrator can unlock it");
    harness_response_free(r);
    assert_int_equal(live_locks("2020-10"), 1);
    unlock_ok(admin, "2020-10");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_locked_submit_lists_each_record),
        cmocka_unit_test(test_amend_refusals),
        cmocka_unit_test(test_list_is_for_communities),
        cmocka_unit_test(test_correction_refused_when_record_changed),
        cmocka_unit_test(test_concurrent_approvals_apply_once),
        cmocka_unit_test(test_unlock_needs_the_locker_or_above),
        cmocka_unit_test(test_admin_lock_is_admin_only),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
