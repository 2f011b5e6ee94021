/* Refusals carry a reason code and its arguments (Response.info,
 * FieldError.info) besides the English message, which stays as it was:
 * PERIOD_LOCKED on each record of a locked period and on a change refused
 * by a lock, NOT_OWN_UNIT, UNIT_OUT_OF_REACH,
 * UNIT_NOT_FOUND, the route's ADMIN_REQUIRED, OFFICE_REQUIRED and
 * COMMUNITY_REQUIRED; units named by code and name, also in the refusals
 * decided before the database (the name learned at Hello, which HelloResult
 * carries too); a refusal without a reason has no info. Over real TLS to
 * the real server. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "harness.h"
#include "harness_assert.h"
#include "harness_period.h"
#include "wire.h"

static harness H;

static int group_setup(void **state)
{
    (void)state;
    return harness_start_tree(&H); /* d1 测试区 > s1 第一街道 > c1, c2; s2 第二街道 > c3 三社区 */
}

static int group_teardown(void **state)
{
    (void)state;
    return harness_stop(&H) == 0 ? 0 : -1;
}

/* The metadata value of key; fails the test when it is missing. */
static const char *meta(const Huizong__ErrorInfo *info, const char *key)
{
    assert_non_null(info);
    for (size_t i = 0; i < info->n_metadata; i++)
        if (strcmp(info->metadata[i]->key, key) == 0)
            return info->metadata[i]->value;
    fail_msg("no metadata %s in %s", key, info->reason);
    return NULL;
}

static void assert_reason(const Huizong__ErrorInfo *info, const char *reason)
{
    assert_non_null(info);
    assert_string_equal(info->reason, reason);
    assert_string_equal(info->domain, "huizong");
}

static void test_locked_record_names_the_lock(void **state)
{
    (void)state;
    SSL *d = harness_connect_as(&H, "d1", "district");
    SSL *c = harness_connect_as(&H, "c1", "community");
    Huizong__Response *r = hp_call(d, "{\"request_id\": 1, \"period_lock\": "
                                      "{\"unit_code\": \"s1\", \"period\": \"2020-06\"}}");
    harness_assert_status(r, HUIZONG__STATUS__OK);
    harness_response_free(r);

    r = hp_call(c, "{\"request_id\": 2, \"submit\": {\"activities\": ["
                   "{\"record_id\": \"7b0e5f0e-0c1a-4c55-9f55-000000000001\", \"unit_code\": \"c1\","
                   " \"date\": \"2020-06-10\", \"category\": \"fire\", \"title\": \"演练\"}]}}");
    harness_assert_status(r, HUIZONG__STATUS__FAILED_PRECONDITION);
    harness_assert_contains(r->message, "period 2020-06 is locked for s1");
    assert_null(r->info); /* the batch's own line has no reason: each record has one */
    assert_int_equal(r->n_errors, 1);
    harness_assert_contains(r->errors[0]->reason, "period 2020-06 is locked for s1 since");
    assert_reason(r->errors[0]->info, "PERIOD_LOCKED");
    assert_string_equal(meta(r->errors[0]->info, "period"), "2020-06");
    assert_string_equal(meta(r->errors[0]->info, "unit"), "s1");
    assert_string_equal(meta(r->errors[0]->info, "unit_name"), "第一街道");
    assert_string_equal(meta(r->errors[0]->info, "locked_by"), "district d1");
    assert_string_equal(meta(r->errors[0]->info, "locked_by_unit"), "d1");
    assert_string_equal(meta(r->errors[0]->info, "locked_by_unit_name"), "测试区");
    assert_true(strlen(meta(r->errors[0]->info, "locked_at")) >= 16);
    harness_response_free(r);
    harness_close(c);
    harness_close(d);
}

/* A change of a held record and a nil report refused by a lock say which
 * correction to file instead, or that nothing was written. */
static void test_locked_change_names_the_correction(void **state)
{
    (void)state;
    SSL *d = harness_connect_as(&H, "d1", "district");
    SSL *c = harness_connect_as(&H, "c2", "community");
    Huizong__Response *r = hp_call(c, "{\"request_id\": 10, \"submit\": {\"activities\": ["
                                      "{\"record_id\": \"7b0e5f0e-0c1a-4c55-9f55-000000000002\","
                                      " \"unit_code\": \"c2\", \"date\": \"2020-05-10\","
                                      " \"category\": \"fire\", \"title\": \"演练\"}]}}");
    harness_assert_status(r, HUIZONG__STATUS__OK);
    harness_response_free(r);
    r = hp_call(d, "{\"request_id\": 11, \"period_lock\": {\"unit_code\": \"c2\", \"period\": \"2020-05\"}}");
    harness_assert_status(r, HUIZONG__STATUS__OK);
    harness_response_free(r);

    r = hp_call(c, "{\"request_id\": 12, \"record_retract\": {\"record_id\":"
                   " \"7b0e5f0e-0c1a-4c55-9f55-000000000002\", \"reason\": \"重复\"}}");
    harness_assert_status(r, HUIZONG__STATUS__FAILED_PRECONDITION);
    harness_assert_contains(r->message, "period 2020-05 is locked for c2 since");
    harness_assert_contains(r->message, "huizong correct 7b0e5f0e-0c1a-4c55-9f55-000000000002 --retract");
    assert_reason(r->info, "PERIOD_LOCKED");
    assert_string_equal(meta(r->info, "unit_name"), "二社区");
    assert_string_equal(meta(r->info, "locked_by_unit_name"), "测试区");
    assert_string_equal(meta(r->info, "correct_with"),
                        "huizong correct 7b0e5f0e-0c1a-4c55-9f55-000000000002 --retract");
    harness_response_free(r);

    r = hp_call(c, "{\"request_id\": 13, \"nil_report\": {\"period\": \"2020-05\"}}");
    harness_assert_status(r, HUIZONG__STATUS__FAILED_PRECONDITION);
    harness_assert_contains(r->message, "; nothing was written");
    assert_reason(r->info, "PERIOD_LOCKED");
    assert_string_equal(meta(r->info, "period"), "2020-05");
    assert_string_equal(meta(r->info, "nothing_written"), "true");
    harness_response_free(r);
    harness_close(c);
    harness_close(d);
}

static void test_record_of_another_unit(void **state)
{
    (void)state;
    SSL *c = harness_connect_as(&H, "c1", "community");
    Huizong__Response *r = hp_call(c, "{\"request_id\": 20, \"submit\": {\"activities\": ["
                                      "{\"record_id\": \"7b0e5f0e-0c1a-4c55-9f55-000000000003\","
                                      " \"unit_code\": \"c2\", \"date\": \"2020-03-10\","
                                      " \"category\": \"fire\", \"title\": \"讲座\"}]}}");

    harness_assert_status(r, HUIZONG__STATUS__PERMISSION_DENIED);
    assert_string_equal(r->message, "activity 0 is for unit \"c2\", but this certificate is for \"c1\";"
                                    " nothing was written");
    assert_reason(r->info, "NOT_OWN_UNIT");
    assert_string_equal(meta(r->info, "kind"), "activity");
    assert_string_equal(meta(r->info, "index"), "0");
    assert_string_equal(meta(r->info, "unit"), "c2");
    assert_string_equal(meta(r->info, "own_unit"), "c1");
    assert_string_equal(meta(r->info, "own_unit_name"), "一社区");
    assert_int_equal(harness_pg_count(&H, "select count(*) from activity where record_id ="
                                          " '7b0e5f0e-0c1a-4c55-9f55-000000000003'", NULL), 0);
    harness_response_free(r);
    harness_close(c);
}

static void test_out_of_reach_names_both_units(void **state)
{
    (void)state;
    SSL *s = harness_connect_as(&H, "s1", "district");
    Huizong__Response *r = hp_call(s, "{\"request_id\": 3, \"period_lock\": "
                                      "{\"unit_code\": \"c3\", \"period\": \"2020-06\"}}");

    harness_assert_status(r, HUIZONG__STATUS__PERMISSION_DENIED);
    assert_string_equal(r->message, "unit \"c3\" is outside the subtree of s1");
    assert_reason(r->info, "UNIT_OUT_OF_REACH");
    assert_string_equal(meta(r->info, "unit"), "c3");
    assert_string_equal(meta(r->info, "unit_name"), "三社区");
    assert_string_equal(meta(r->info, "scope"), "s1");
    assert_string_equal(meta(r->info, "scope_name"), "第一街道");
    harness_response_free(r);
    harness_close(s);
}

static void test_unknown_unit(void **state)
{
    (void)state;
    SSL *a = harness_connect_admin(&H);
    Huizong__Response *r = hp_call(a, "{\"request_id\": 4, \"period_lock\": "
                                      "{\"unit_code\": \"nosuch\", \"period\": \"2020-06\"}}");

    harness_assert_status(r, HUIZONG__STATUS__NOT_FOUND);
    assert_string_equal(r->message, "unit \"nosuch\" is not in the org tree");
    assert_reason(r->info, "UNIT_NOT_FOUND");
    assert_string_equal(meta(r->info, "unit"), "nosuch");
    harness_response_free(r);
    harness_close(a);
}

static void test_route_role_check(void **state)
{
    (void)state;
    SSL *d = harness_connect_as(&H, "d1", "district");
    Huizong__Response *r = hp_call(d, "{\"request_id\": 5, \"unit_add\": {\"code\": \"x9\","
                                      " \"name\": \"X\", \"level\": \"community\", \"parent_code\": \"s1\"}}");

    harness_assert_status(r, HUIZONG__STATUS__PERMISSION_DENIED);
    assert_string_equal(r->message,
                        "only an administrator can add org units; this certificate is district for \"d1\"");
    assert_reason(r->info, "ADMIN_REQUIRED");
    assert_string_equal(meta(r->info, "action"), "add org units");
    assert_string_equal(meta(r->info, "role"), "district");
    assert_string_equal(meta(r->info, "unit"), "d1");
    assert_string_equal(meta(r->info, "unit_name"), "测试区");
    assert_int_equal(harness_pg_count(&H, "select count(*) from org_unit where code = 'x9'", NULL), 0);
    harness_response_free(r);
    harness_close(d);
}

static void test_office_role_check(void **state)
{
    (void)state;
    SSL *c = harness_connect_as(&H, "c3", "community");
    Huizong__Response *r = hp_call(c, "{\"request_id\": 7, \"audit\": {}}");

    harness_assert_status(r, HUIZONG__STATUS__PERMISSION_DENIED);
    assert_string_equal(r->message, "only an administrator or a district office can read the audit trail");
    assert_reason(r->info, "OFFICE_REQUIRED");
    assert_string_equal(meta(r->info, "action"), "read the audit trail");
    assert_string_equal(meta(r->info, "role"), "community");
    assert_string_equal(meta(r->info, "unit"), "c3");
    assert_string_equal(meta(r->info, "unit_name"), "三社区");
    harness_response_free(r);
    harness_close(c);
}

static void test_community_role_check(void **state)
{
    (void)state;
    SSL *s = harness_connect_as(&H, "s2", "district");
    Huizong__Response *r = hp_call(s, "{\"request_id\": 8, \"submit\": {\"activities\": ["
                                      "{\"record_id\": \"7b0e5f0e-0c1a-4c55-9f55-000000000004\","
                                      " \"unit_code\": \"s2\", \"date\": \"2020-03-10\","
                                      " \"category\": \"fire\", \"title\": \"讲座\"}]}}");

    harness_assert_status(r, HUIZONG__STATUS__PERMISSION_DENIED);
    assert_string_equal(r->message,
                        "only a community certificate can submit records (this one is district for \"s2\")");
    assert_reason(r->info, "COMMUNITY_REQUIRED");
    assert_string_equal(meta(r->info, "action"), "submit records");
    assert_string_equal(meta(r->info, "role"), "district");
    assert_string_equal(meta(r->info, "unit"), "s2");
    assert_string_equal(meta(r->info, "unit_name"), "第二街道");
    assert_int_equal(harness_pg_count(&H, "select count(*) from activity where record_id ="
                                          " '7b0e5f0e-0c1a-4c55-9f55-000000000004'", NULL), 0);
    harness_response_free(r);
    harness_close(s);
}

/* The name the refusals above carry is the one Hello reports. */
static void test_hello_names_the_unit(void **state)
{
    (void)state;
    SSL *s = harness_connect(&H, harness_issue_creds(&H, "s1", "district"));
    assert_non_null(s);
    Huizong__Response *r = harness_hello(s, 1, HZ_PROTOCOL_VERSION);

    harness_assert_status(r, HUIZONG__STATUS__OK);
    assert_non_null(r->hello);
    assert_string_equal(r->hello->unit_code, "s1");
    assert_string_equal(r->hello->unit_name, "第一街道");
    harness_response_free(r);
    harness_close(s);
}

static void test_refusal_without_reason(void **state)
{
    (void)state;
    SSL *d = harness_connect_as(&H, "d1", "district");
    Huizong__Response *r = hp_call(d, "{\"request_id\": 6, \"correction_approve\": "
                                      "{\"correction_id\": 999}}");

    harness_assert_status(r, HUIZONG__STATUS__NOT_FOUND);
    harness_assert_contains(r->message, "correction 999 not found");
    assert_null(r->info);
    harness_response_free(r);
    harness_close(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_locked_record_names_the_lock),
        cmocka_unit_test(test_locked_change_names_the_correction),
        cmocka_unit_test(test_record_of_another_unit),
        cmocka_unit_test(test_out_of_reach_names_both_units),
        cmocka_unit_test(test_unknown_unit),
        cmocka_unit_test(test_route_role_check),
        cmocka_unit_test(test_office_role_check),
        cmocka_unit_test(test_community_role_check),
        cmocka_unit_test(test_hello_names_the_unit),
        cmocka_unit_test(test_refusal_without_reason),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
