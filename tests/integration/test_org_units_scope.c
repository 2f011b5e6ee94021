/* Org tree reads against a real huizongd and PostgreSQL: the unit list and
 * what each level of a deep tree (city -> district -> street -> street ->
 * community) may read, over the wire and in SQL; every refusal with its exact
 * status and message. test_org_units.c has the writes.
 *
 * The tree: org_start_unit_tree (d1 -> s1 -> c1, c2; d1 -> s2 -> c3; s1 ->
 * s1a -> c4, s1a being a street office's sub-office). */
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
#include "harness_org.h"
#include "records.h"
#include "wire.h"

#define R(x) HUIZONG__REQUEST__BODY_##x
#define B(x) HUIZONG__RESPONSE__BODY_##x

static harness H;
static SSL *Admin;

static int group_setup(void **state)
{
    (void)state;
    Admin = org_start_unit_tree(&H);
    return Admin ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    harness_close(Admin);
    return harness_stop(&H) == 0 ? 0 : -1;
}

/* The refusal `r` has status and message, and the audit still has `audit` rows. */
#define assert_refused(r, st, msg, audit) org_assert_refused(&H, r, st, msg, audit)

/* ------------------------------------------------------------------ list -- */
static void test_list_under(void **state)
{
    (void)state;
    Huizong__Response *r = org_call(Admin, R(UNIT_LIST), "under", "s1", NULL);
    const Huizong__UnitListResult *l = (const Huizong__UnitListResult *)org_body(r, B(UNIT_LIST));
    static const char *const want[][3] = {
        {"s1", "0", "d1"}, {"c1", "1", "s1"}, {"c2", "1", "s1"}, {"s1a", "1", "s1"}, {"c4", "2", "s1a"},
    };
    assert_int_equal(l->n_units, 5);
    for (size_t i = 0; i < 5; i++) {
        assert_string_equal(l->units[i]->code, want[i][0]);
        assert_int_equal(l->units[i]->depth, atoi(want[i][1]));
        assert_string_equal(l->units[i]->parent_code, want[i][2]);
    }
    assert_string_equal(l->units[4]->level, "community");
    assert_string_equal(l->units[4]->name, "四社区");
    assert_string_equal(l->units[0]->retired_at, "");
    harness_response_free(r);
}

static void test_list_all(void **state)
{
    (void)state;
    Huizong__Response *r = org_call(Admin, R(UNIT_LIST), NULL);
    const Huizong__UnitListResult *l = (const Huizong__UnitListResult *)org_body(r, B(UNIT_LIST));
    long n = harness_pg_count(&H, "select count(*) from org_unit", NULL);
    assert_int_equal(l->n_units, n);
    assert_true(l->n_units > 0);
    harness_response_free(r);
}

static void test_list_unknown(void **state)
{
    (void)state;
    Huizong__Response *r = org_call(Admin, R(UNIT_LIST), "under", "nope", NULL);
    org_assert_status(r, HUIZONG__STATUS__NOT_FOUND, "unit \"nope\" is not in the org tree");
    harness_response_free(r);
}

/* The unit list `s` gets (under: NULL for none), NULL when refused; `r`
 * keeps the response either way. */
static const Huizong__UnitListResult *list_as(SSL *s, const char *under, Huizong__Response **r)
{
    *r = under ? org_call(s, R(UNIT_LIST), "under", under, NULL) : org_call(s, R(UNIT_LIST), NULL);
    assert_non_null(*r);
    return (*r)->status == HUIZONG__STATUS__OK
               ? (const Huizong__UnitListResult *)org_body(*r, B(UNIT_LIST))
               : NULL;
}

/* The list of an office or community, without --under: its own subtree,
 * rooted at its own unit. */
static void assert_own_subtree(const char *unit, const char *role)
{
    SSL *s = harness_connect_as(&H, unit, role);
    Huizong__Response *r;
    const Huizong__UnitListResult *l = list_as(s, NULL, &r);
    assert_non_null(l);
    assert_int_equal(l->n_units, harness_pg_count(&H, "select count(*) from hz_subtree($1)", unit));
    assert_string_equal(l->units[0]->code, unit);
    assert_int_equal(l->units[0]->depth, 0);
    harness_response_free(r);
    harness_close(s);
}

static void test_list_own_subtree(void **state)
{
    (void)state;
    long before = org_audit_rows(&H);
    assert_own_subtree("d1", "district");
    assert_own_subtree("s1", "district");
    assert_own_subtree("c1", "community");

    /* Below its own unit, at any depth. */
    SSL *s = harness_connect_as(&H, "s1", "district");
    Huizong__Response *r;
    const Huizong__UnitListResult *l = list_as(s, "s1a", &r);
    assert_non_null(l);
    assert_int_equal(l->n_units, 2);
    assert_string_equal(l->units[1]->code, "c4");
    assert_int_equal(l->units[1]->depth, 1);
    harness_response_free(r);
    l = list_as(s, "c4", &r);
    assert_non_null(l);
    assert_int_equal(l->n_units, 1);
    harness_response_free(r);
    harness_close(s);
    assert_int_equal(org_audit_rows(&H), before);
}

static void test_list_outside_subtree(void **state)
{
    (void)state;
    SSL *s2 = harness_connect_as(&H, "s2", "district");
    SSL *s1a = harness_connect_as(&H, "s1a", "district");
    SSL *c2 = harness_connect_as(&H, "c2", "community");
    long before = org_audit_rows(&H);
    assert_refused(org_call(s2, R(UNIT_LIST), "under", "s1", NULL), HUIZONG__STATUS__PERMISSION_DENIED,
                   "unit \"s1\" is outside what \"s2\" may read (its own subtree)", before);
    assert_refused(org_call(s2, R(UNIT_LIST), "under", "c1", NULL), HUIZONG__STATUS__PERMISSION_DENIED,
                   "unit \"c1\" is outside what \"s2\" may read (its own subtree)", before);
    /* Nothing above. */
    assert_refused(org_call(s1a, R(UNIT_LIST), "under", "s1", NULL), HUIZONG__STATUS__PERMISSION_DENIED,
                   "unit \"s1\" is outside what \"s1a\" may read (its own subtree)", before);
    /* A community: itself only. */
    assert_refused(org_call(c2, R(UNIT_LIST), "under", "c1", NULL), HUIZONG__STATUS__PERMISSION_DENIED,
                   "unit \"c1\" is outside what \"c2\" may read (its own subtree)", before);
    assert_refused(org_call(s2, R(UNIT_LIST), "under", "nope", NULL), HUIZONG__STATUS__NOT_FOUND,
                   "unit \"nope\" is not in the org tree", before);
    assert_refused(org_call(s2, R(UNIT_LIST), "under", "S 1", NULL), HUIZONG__STATUS__INVALID_ARGUMENT,
                   "under: invalid code \"S 1\" (want a-z, 0-9, _ or -, at most 63 characters)", before);
    harness_close(s2);
    harness_close(s1a);
    harness_close(c2);
}

/* The SQL function keeps to the subtree too, whoever calls it. */
static void test_sql_list_scope(void **state)
{
    (void)state;
    static const char *const cases[][4] = {
        {"district", "s2", "s1",
         "PERMISSION_DENIED|unit \"s1\" is outside what \"s2\" may read (its own subtree)"},
        {"community", "c1", "s1",
         "PERMISSION_DENIED|unit \"s1\" is outside what \"c1\" may read (its own subtree)"},
        {"district", "gone", "", "PERMISSION_DENIED|the principal's unit \"gone\" is not in the org tree"},
        {"visitor", "c1", "", "PERMISSION_DENIED|principal role \"visitor\" may not list org units"},
        {"district", "s2", "s2", "OK|"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char arg[300];
        snprintf(arg, sizeof arg, "{\"principal\":{\"role\":\"%s\",\"unit\":\"%s\"},\"under\":\"%s\"}",
                 cases[i][0], cases[i][1], cases[i][2]);
        char *got = org_sql_call(&H, "hz_unit_list", arg);
        assert_non_null(got);
        assert_string_equal(got, cases[i][3]);
        free(got);
    }
}

/* ------------------------------------------------ deeper trees and reads -- */
/* Activities of 2021 seen by `reader` (a unit and role) for `unit`: the
 * count, or -status when refused. */
static long seen(const char *reader, const char *role, const char *unit)
{
    SSL *s = harness_connect_as(&H, reader, role);
    Huizong__Request *q = rec_request(90);
    rec_summary(q, 2021, unit);
    Huizong__Response *r = harness_call(s, q);
    assert_non_null(r);
    long n = r->status == HUIZONG__STATUS__OK ? (long)r->summary->total_activities : -(long)r->status;
    harness_response_free(r);
    rec_free(q);
    harness_close(s);
    return n;
}

static void submit_2021(const char *unit, int n)
{
    SSL *s = harness_connect_as(&H, unit, "community");
    Huizong__Request *req = rec_request(91);
    Huizong__SubmitBatch *b = rec_submit(req);
    for (int i = 0; i < n; i++)
        rec_activity(b, unit, "2021-05-01", "culture", 10, "活动");
    Huizong__Response *r = harness_call(s, req);
    org_assert_status(r, HUIZONG__STATUS__OK, NULL);
    harness_response_free(r);
    rec_free(req);
    harness_close(s);
}

/* city cy -> d1 -> s1 -> s1a -> c4 (and grid g4 under c4): each office
 * reads exactly its subtree, at every level. */
static void test_deep_tree_reads(void **state)
{
    (void)state;
    /* The SQL function takes the levels the wire's unit add does not (yet). */
    char *got = org_sql_call(&H, "hz_unit_add",
                             "{\"principal\":{\"role\":\"admin\",\"unit\":\"d1\"},\"code\":\"cy\","
                             "\"name\":\"测试市\",\"level\":\"city\",\"parent_code\":\"\"}");
    assert_string_equal(got, "OK|");
    free(got);
    got = org_sql_call(&H, "hz_unit_add",
                       "{\"principal\":{\"role\":\"admin\",\"unit\":\"d1\"},\"code\":\"g4\","
                       "\"name\":\"四社区一网格\",\"level\":\"grid\",\"parent_code\":\"c4\"}");
    assert_string_equal(got, "OK|");
    free(got);
    org_assert_changed(org_call(Admin, R(UNIT_MOVE), "code", "d1", "parent_code", "cy", NULL),
                       B(UNIT_MOVE), 1);

    submit_2021("c1", 1); /* under s1 */
    submit_2021("c4", 2); /* under s1a, under s1 */
    submit_2021("c3", 4); /* under s2 */
    assert_int_equal(seen("cy", "district", "cy"), 7);
    assert_int_equal(seen("d1", "district", "d1"), 7);
    assert_int_equal(seen("s1", "district", "s1"), 3);
    assert_int_equal(seen("s1a", "district", "s1a"), 2);
    assert_int_equal(seen("s1a", "district", "c4"), 2);
    assert_int_equal(seen("c4", "community", "c4"), 2);
    assert_int_equal(seen("s1", "district", "s1a"), 2);
    assert_int_equal(seen("cy", "district", "c4"), 2);
    /* Nothing above or beside. */
    assert_int_equal(seen("s1a", "district", "s1"), -HUIZONG__STATUS__PERMISSION_DENIED);
    assert_int_equal(seen("s1a", "district", "c1"), -HUIZONG__STATUS__PERMISSION_DENIED);
    assert_int_equal(seen("s1", "district", "s2"), -HUIZONG__STATUS__PERMISSION_DENIED);
    assert_int_equal(seen("d1", "district", "cy"), -HUIZONG__STATUS__PERMISSION_DENIED);
    assert_int_equal(seen("c4", "community", "s1a"), -HUIZONG__STATUS__PERMISSION_DENIED);

    /* A grid files no records of its own. */
    SSL *g = harness_connect_as(&H, "g4", "community");
    Huizong__Request *req = rec_request(92);
    rec_activity(rec_submit(req), "g4", "2021-05-01", "culture", 10, "网格活动");
    Huizong__Response *r = harness_call(g, req);
    org_assert_status(r, HUIZONG__STATUS__PERMISSION_DENIED, NULL);
    harness_response_free(r);
    rec_free(req);
    harness_close(g);

    /* Moving s1a under s2 moves what s1 and s2 see. */
    org_assert_changed(org_call(Admin, R(UNIT_MOVE), "code", "s1a", "parent_code", "s2", NULL),
                       B(UNIT_MOVE), 1);
    assert_int_equal(seen("s1", "district", "s1"), 1);
    assert_int_equal(seen("s2", "district", "s2"), 6);
    org_assert_changed(org_call(Admin, R(UNIT_MOVE), "code", "s1a", "parent_code", "s1", NULL),
                       B(UNIT_MOVE), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list_under),
        cmocka_unit_test(test_list_all),
        cmocka_unit_test(test_list_unknown),
        cmocka_unit_test(test_list_own_subtree),
        cmocka_unit_test(test_list_outside_subtree),
        cmocka_unit_test(test_sql_list_scope),
        cmocka_unit_test(test_deep_tree_reads),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
