/* Org tree writes against a real huizongd and PostgreSQL: the audited unit
 * add, rename, move and retire, by the administrator only (over the wire and
 * in SQL); every refusal with its exact status and message and nothing
 * written. test_org_units_scope.c has the reads.
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

static char *unit_text(const char *sql, const char *code)
{
    return harness_pg_text(&H, sql, code);
}

static void assert_unit_name(const char *code, const char *want)
{
    char *name = unit_text("select name from org_unit where code = $1", code);
    assert_non_null(name);
    assert_string_equal(name, want);
    free(name);
}

static void assert_parent(const char *code, const char *want)
{
    char *p = unit_text("select coalesce(p.code, '') from org_unit u left join org_unit p "
                        "on p.id = u.parent_id where u.code = $1", code);
    assert_non_null(p);
    assert_string_equal(p, want);
    free(p);
}

/* ------------------------------------------------------------------- add -- */
static void test_add_is_audited_once(void **state)
{
    (void)state;
    long before = org_audit_rows(&H);
    assert_int_equal(harness_unit_add(Admin, "c9", "九社区", "s2", "community"), 0);
    assert_int_equal(org_audit_rows(&H), before + 1);
    char *row = harness_pg_text(&H, "select role || ' ' || unit_code || ' ' || (fingerprint ~ "
                                    "'^[0-9a-f]{64}$') || ' ' || (peer like '127.0.0.1:%') || ' ' "
                                    "|| target || ' ' || (detail->>'parent_code') from audit "
                                    "where action = $1 order by id desc limit 1",
                                "unit_add");
    assert_non_null(row);
    assert_string_equal(row, "admin d1 true true c9 s2");
    free(row);
    assert_int_equal(harness_unit_add(Admin, "c9", "九社区", "s2", "community"), 0);
    assert_int_equal(org_audit_rows(&H), before + 1);
}

static void test_add_under_retired_parent(void **state)
{
    (void)state;
    assert_int_equal(harness_unit_add(Admin, "s8", "将撤街道", "d1", "street"), 0);
    org_assert_changed(org_call(Admin, R(UNIT_RETIRE), "code", "s8", NULL), B(UNIT_RETIRE), 1);
    long before = org_audit_rows(&H);
    assert_int_equal(harness_unit_add(Admin, "c8", "八社区", "s8", "community"),
                     HUIZONG__STATUS__FAILED_PRECONDITION);
    assert_int_equal(harness_pg_count(&H, "select count(*) from org_unit where code = $1", "c8"), 0);
    assert_int_equal(org_audit_rows(&H), before);
}

/* ---------------------------------------------------------------- rename -- */
static void test_rename(void **state)
{
    (void)state;
    long before = org_audit_rows(&H);
    org_assert_changed(org_call(Admin, R(UNIT_RENAME), "code", "c2", "name", "二社区（新）", NULL),
                       B(UNIT_RENAME), 1);
    assert_unit_name("c2", "二社区（新）");
    assert_int_equal(org_audit_rows(&H), before + 1);
    char *d = harness_pg_text(&H, "select detail->>'old_name' || '>' || (detail->>'name') from audit "
                                  "where action = $1 order by id desc limit 1", "unit_rename");
    assert_string_equal(d, "二社区>二社区（新）");
    free(d);
    /* The same name again: OK, nothing written. */
    org_assert_changed(org_call(Admin, R(UNIT_RENAME), "code", "c2", "name", "二社区（新）", NULL),
                       B(UNIT_RENAME), 0);
    assert_int_equal(org_audit_rows(&H), before + 1);
}

static void test_rename_unknown(void **state)
{
    (void)state;
    long before = org_audit_rows(&H);
    assert_refused(org_call(Admin, R(UNIT_RENAME), "code", "nope", "name", "X", NULL),
                   HUIZONG__STATUS__NOT_FOUND, "unit \"nope\" is not in the org tree", before);
}

static void test_rename_bad_input(void **state)
{
    (void)state;
    long before = org_audit_rows(&H);
    Huizong__Response *r = org_call(Admin, R(UNIT_RENAME), "code", "Bad Code", "name", "X", NULL);
    org_assert_status(r, HUIZONG__STATUS__INVALID_ARGUMENT,
                      "code: invalid code \"Bad Code\" (want a-z, 0-9, _ or -, at most 63 characters)");
    assert_int_equal(r->n_errors, 1);
    assert_string_equal(r->errors[0]->field, "code");
    harness_response_free(r);
    assert_refused(org_call(Admin, R(UNIT_RENAME), "code", "c1", "name", "", NULL),
                   HUIZONG__STATUS__INVALID_ARGUMENT, "name: required", before);
    assert_refused(org_call(Admin, R(UNIT_RENAME), "code", "c1", "name", "a\nb", NULL),
                   HUIZONG__STATUS__INVALID_ARGUMENT, "name: must not hold control characters",
                   before);
    char long_name[202];
    memset(long_name, 'x', 201);
    long_name[201] = '\0';
    assert_refused(org_call(Admin, R(UNIT_RENAME), "code", "c1", "name", long_name, NULL),
                   HUIZONG__STATUS__INVALID_ARGUMENT, "name: at most 200 bytes", before);
    assert_refused(org_call(Admin, R(UNIT_RENAME), "code", "c1", "name", "\xff\xfe", NULL),
                   HUIZONG__STATUS__INVALID_ARGUMENT, "name: not valid UTF-8", before);
    assert_unit_name("c1", "一社区");
}

/* ------------------------------------------------------------------ move -- */
static void test_move(void **state)
{
    (void)state;
    long before = org_audit_rows(&H);
    org_assert_changed(org_call(Admin, R(UNIT_MOVE), "code", "c2", "parent_code", "s2", NULL),
                       B(UNIT_MOVE), 1);
    assert_parent("c2", "s2");
    assert_int_equal(org_audit_rows(&H), before + 1);
    org_assert_changed(org_call(Admin, R(UNIT_MOVE), "code", "c2", "parent_code", "s2", NULL),
                       B(UNIT_MOVE), 0);
    assert_int_equal(org_audit_rows(&H), before + 1);
    org_assert_changed(org_call(Admin, R(UNIT_MOVE), "code", "c2", "parent_code", "s1", NULL),
                       B(UNIT_MOVE), 1);
    assert_parent("c2", "s1");
    assert_int_equal(org_audit_rows(&H), before + 2);
}

static void test_move_cycles(void **state)
{
    (void)state;
    long before = org_audit_rows(&H);
    assert_refused(org_call(Admin, R(UNIT_MOVE), "code", "s1", "parent_code", "s1", NULL),
                   HUIZONG__STATUS__INVALID_ARGUMENT, "cannot move s1 under itself", before);
    assert_refused(org_call(Admin, R(UNIT_MOVE), "code", "s1", "parent_code", "s1a", NULL),
                   HUIZONG__STATUS__INVALID_ARGUMENT, "cannot move s1 under its own descendant s1a",
                   before);
    assert_refused(org_call(Admin, R(UNIT_MOVE), "code", "d1", "parent_code", "c4", NULL),
                   HUIZONG__STATUS__INVALID_ARGUMENT, "cannot move d1 under its own descendant c4",
                   before);
    assert_parent("s1", "d1");
    assert_parent("d1", "");
}

static void test_move_bad_input(void **state)
{
    (void)state;
    long before = org_audit_rows(&H);
    assert_refused(org_call(Admin, R(UNIT_MOVE), "code", "nope", "parent_code", "s1", NULL),
                   HUIZONG__STATUS__NOT_FOUND, "unit \"nope\" is not in the org tree", before);
    assert_refused(org_call(Admin, R(UNIT_MOVE), "code", "c1", "parent_code", "nope", NULL),
                   HUIZONG__STATUS__NOT_FOUND, "parent unit \"nope\" is not in the org tree", before);
    assert_refused(org_call(Admin, R(UNIT_MOVE), "code", "c1", "parent_code", "S-1", NULL),
                   HUIZONG__STATUS__INVALID_ARGUMENT,
                   "parent_code: invalid code \"S-1\" (want a-z, 0-9, _ or -, at most 63 characters)",
                   before);
    assert_refused(org_call(Admin, R(UNIT_MOVE), "code", "c1", "parent_code", "c2", NULL),
                   HUIZONG__STATUS__INVALID_ARGUMENT,
                   "parent_code: \"c2\" is a community; a community sits under a city, district or street",
                   before);
    assert_refused(org_call(Admin, R(UNIT_MOVE), "code", "s2", "parent_code", "c1", NULL),
                   HUIZONG__STATUS__INVALID_ARGUMENT,
                   "parent_code: \"c1\" is a community; a street sits under a city, district or street",
                   before);
    assert_parent("c1", "s1");
    assert_parent("s2", "d1");
}

/* Two moves that would make a cycle together, sent at the same time on two
 * connections: one wins, the other is refused, and the tree has no cycle. */
static void test_concurrent_moves(void **state)
{
    (void)state;
    assert_int_equal(harness_unit_add(Admin, "sx", "甲片", "d1", "street"), 0);
    assert_int_equal(harness_unit_add(Admin, "sy", "乙片", "d1", "street"), 0);
    SSL *other = harness_connect_as(&H, "d1", "admin");
    for (int round = 0; round < 5; round++) {
        Huizong__UnitMove m1 = HUIZONG__UNIT_MOVE__INIT, m2 = HUIZONG__UNIT_MOVE__INIT;
        Huizong__Request q1 = HUIZONG__REQUEST__INIT, q2 = HUIZONG__REQUEST__INIT;
        m1.code = (char *)"sx", m1.parent_code = (char *)"sy";
        m2.code = (char *)"sy", m2.parent_code = (char *)"sx";
        q1.request_id = 1, q1.body_case = R(UNIT_MOVE), q1.unit_move = &m1;
        q2.request_id = 2, q2.body_case = R(UNIT_MOVE), q2.unit_move = &m2;
        assert_int_equal(harness_send_request(Admin, &q1), 0);
        assert_int_equal(harness_send_request(other, &q2), 0);
        Huizong__Response *r1 = harness_recv_response(Admin), *r2 = harness_recv_response(other);
        assert_non_null(r1);
        assert_non_null(r2);
        int ok = (r1->status == HUIZONG__STATUS__OK) + (r2->status == HUIZONG__STATUS__OK);
        assert_int_equal(ok, 1);
        org_assert_status(r1->status == HUIZONG__STATUS__OK ? r2 : r1,
                          HUIZONG__STATUS__INVALID_ARGUMENT, NULL);
        harness_response_free(r1);
        harness_response_free(r2);
        /* Back to both under d1 for the next round. */
        org_assert_changed(org_call(Admin, R(UNIT_MOVE), "code", "sx", "parent_code", "d1", NULL),
                           B(UNIT_MOVE), -1);
        org_assert_changed(org_call(Admin, R(UNIT_MOVE), "code", "sy", "parent_code", "d1", NULL),
                           B(UNIT_MOVE), -1);
    }
    harness_close(other);
    assert_parent("sx", "d1");
    assert_parent("sy", "d1");
}

/* ---------------------------------------------------------------- retire -- */
static void test_retire(void **state)
{
    (void)state;
    assert_int_equal(harness_unit_add(Admin, "s7", "七街道", "d1", "street"), 0);
    assert_int_equal(harness_unit_add(Admin, "c7", "七社区", "s7", "community"), 0);
    assert_int_equal(harness_unit_add(Admin, "c7b", "七乙社区", "s7", "community"), 0);
    /* c7 files a record while active. */
    SSL *c7 = harness_connect_as(&H, "c7", "community");
    Huizong__Request *req = rec_request(77);
    rec_activity(rec_submit(req), "c7", "2020-03-05", "culture", 12, "七社区书法");
    Huizong__Response *r = harness_call(c7, req);
    org_assert_status(r, HUIZONG__STATUS__OK, NULL);
    harness_response_free(r);
    rec_free(req);
    harness_close(c7);

    long before = org_audit_rows(&H);
    assert_refused(org_call(Admin, R(UNIT_RETIRE), "code", "s7", NULL),
                   HUIZONG__STATUS__FAILED_PRECONDITION,
                   "unit s7 still has 2 active unit(s) below it: c7, c7b; retire or move them first",
                   before);
    assert_int_equal(harness_pg_count(&H, "select count(*) from org_unit where code = $1 "
                                          "and retired_at is not null", "s7"), 0);
    org_assert_changed(org_call(Admin, R(UNIT_RETIRE), "code", "c7", NULL), B(UNIT_RETIRE), 1);
    assert_int_equal(org_audit_rows(&H), before + 1);
    org_assert_changed(org_call(Admin, R(UNIT_RETIRE), "code", "c7", NULL), B(UNIT_RETIRE), 0);
    assert_int_equal(org_audit_rows(&H), before + 1);

    /* Its certificate is refused at Hello. */
    SSL *s = harness_connect(&H, harness_issue_creds(&H, "c7", "community"));
    assert_non_null(s);
    r = harness_hello(s, 1, HZ_PROTOCOL_VERSION);
    org_assert_status(r, HUIZONG__STATUS__UNAUTHENTICATED, "unit \"c7\" is retired");
    harness_response_free(r);
    harness_close(s);

    /* Its history stays: the district still counts its 2020 record. */
    Huizong__Request *q = rec_request(78);
    rec_summary(q, 2020, "s7");
    r = harness_call(Admin, q);
    org_assert_status(r, HUIZONG__STATUS__OK, NULL);
    assert_int_equal(r->summary->total_activities, 1);
    harness_response_free(r);
    rec_free(q);

    /* A retired unit stays where it is. */
    assert_refused(org_call(Admin, R(UNIT_MOVE), "code", "c7", "parent_code", "s1", NULL),
                   HUIZONG__STATUS__FAILED_PRECONDITION,
                   "unit \"c7\" is retired; a retired unit stays where it was", before + 1);
    org_assert_changed(org_call(Admin, R(UNIT_RETIRE), "code", "c7b", NULL), B(UNIT_RETIRE), 1);
    org_assert_changed(org_call(Admin, R(UNIT_RETIRE), "code", "s7", NULL), B(UNIT_RETIRE), 1);
    /* Nothing moves under a retired unit. */
    assert_refused(org_call(Admin, R(UNIT_MOVE), "code", "c3", "parent_code", "s7", NULL),
                   HUIZONG__STATUS__FAILED_PRECONDITION,
                   "parent unit \"s7\" is retired; it takes no new units", before + 3);
}

static void test_retire_unknown(void **state)
{
    (void)state;
    long before = org_audit_rows(&H);
    assert_refused(org_call(Admin, R(UNIT_RETIRE), "code", "nope", NULL), HUIZONG__STATUS__NOT_FOUND,
                   "unit \"nope\" is not in the org tree", before);
    assert_refused(org_call(Admin, R(UNIT_RETIRE), "code", "", NULL),
                   HUIZONG__STATUS__INVALID_ARGUMENT, "code: required", before);
}

/* ---------------------------------------------------------- permissions -- */
static void test_not_admin(void **state)
{
    (void)state;
    SSL *d = harness_connect_as(&H, "d1", "district");
    SSL *c = harness_connect_as(&H, "c1", "community");
    long before = org_audit_rows(&H);
    assert_refused(org_call(d, R(UNIT_RENAME), "code", "c1", "name", "X", NULL),
                   HUIZONG__STATUS__PERMISSION_DENIED,
                   "only an administrator can rename org units; this certificate is district for \"d1\"",
                   before);
    assert_refused(org_call(c, R(UNIT_MOVE), "code", "c1", "parent_code", "s2", NULL),
                   HUIZONG__STATUS__PERMISSION_DENIED,
                   "only an administrator can move org units; this certificate is community for \"c1\"",
                   before);
    assert_refused(org_call(d, R(UNIT_RETIRE), "code", "c1", NULL), HUIZONG__STATUS__PERMISSION_DENIED,
                   "only an administrator can retire org units; this certificate is district for \"d1\"",
                   before);
    assert_unit_name("c1", "一社区");
    assert_parent("c1", "s1");
    harness_close(d);
    harness_close(c);
}

/* The SQL functions check the role too, whoever calls them. */
static void test_sql_not_admin(void **state)
{
    (void)state;
    static const char *const fns[][2] = {
        {"hz_unit_add", "add org units"},       {"hz_unit_rename", "rename org units"},
        {"hz_unit_move", "move org units"},     {"hz_unit_retire", "retire org units"},
    };
    const char *arg = "{\"principal\":{\"role\":\"district\",\"unit\":\"d1\"},\"code\":\"c1\","
                      "\"name\":\"X\",\"parent_code\":\"s2\",\"level\":\"community\"}";
    long before = org_audit_rows(&H);
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
        char *got = org_sql_call(&H, fns[i][0], arg), want[200];
        snprintf(want, sizeof want,
                 "PERMISSION_DENIED|only an administrator can %s; this certificate is district for \"d1\"",
                 fns[i][1]);
        assert_non_null(got);
        assert_string_equal(got, want);
        free(got);
    }
    assert_int_equal(org_audit_rows(&H), before);
    assert_unit_name("c1", "一社区");
}

/* The SQL functions check their argument too (the server checks first, so
 * only a direct call reaches these). */
static void test_sql_bad_input(void **state)
{
    (void)state;
    static const char *const cases[][3] = {
        {"hz_unit_rename", "\"code\":\"C 1\",\"name\":\"X\"",
         "INVALID_ARGUMENT|code: invalid code \"C 1\" (want a-z, 0-9, _ or -, at most 63 characters)"},
        {"hz_unit_rename", "\"code\":\"c1\",\"name\":\"\"", "INVALID_ARGUMENT|name: required"},
        {"hz_unit_move", "\"code\":\"c1\",\"parent_code\":\"S\"",
         "INVALID_ARGUMENT|parent_code: invalid code \"S\" (want a-z, 0-9, _ or -, at most 63 characters)"},
        {"hz_unit_move", "\"code\":\"s1\",\"parent_code\":\"c1\"",
         "INVALID_ARGUMENT|cannot move s1 under its own descendant c1"},
        {"hz_unit_retire", "\"code\":7", "INVALID_ARGUMENT|code: must be a string"},
        {"hz_unit_retire", "\"code\":\"nope\"", "NOT_FOUND|unit \"nope\" is not in the org tree"},
        {"hz_unit_list", "\"under\":\"X\"",
         "INVALID_ARGUMENT|under: invalid code \"X\" (want a-z, 0-9, _ or -, at most 63 characters)"},
        {"hz_unit_add", "\"code\":\"c5\",\"name\":\"X\",\"level\":\"village\"",
         "INVALID_ARGUMENT|level: unknown level \"village\" (want city, district, street, community or grid)"},
        {"hz_unit_add", "\"code\":\"g5\",\"name\":\"X\",\"level\":\"grid\",\"parent_code\":\"s1\"",
         "INVALID_ARGUMENT|parent_code: \"s1\" is a street; a grid sits under a community or a grid"},
    };
    long before = org_audit_rows(&H);
    long units = harness_pg_count(&H, "select count(*) from org_unit", NULL);
    org_assert_sql_cases(&H, cases, sizeof cases / sizeof cases[0]);
    assert_int_equal(org_audit_rows(&H), before);
    assert_int_equal(harness_pg_count(&H, "select count(*) from org_unit", NULL), units);
    assert_parent("s1", "d1");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_is_audited_once),
        cmocka_unit_test(test_add_under_retired_parent),
        cmocka_unit_test(test_rename),
        cmocka_unit_test(test_rename_unknown),
        cmocka_unit_test(test_rename_bad_input),
        cmocka_unit_test(test_move),
        cmocka_unit_test(test_move_cycles),
        cmocka_unit_test(test_move_bad_input),
        cmocka_unit_test(test_concurrent_moves),
        cmocka_unit_test(test_retire),
        cmocka_unit_test(test_retire_unknown),
        cmocka_unit_test(test_not_admin),
        cmocka_unit_test(test_sql_not_admin),
        cmocka_unit_test(test_sql_bad_input),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
