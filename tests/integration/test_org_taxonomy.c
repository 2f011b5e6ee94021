/* Category and indicator administration against a real huizongd and
 * PostgreSQL: every verb, every refusal with its exact status and message
 * and nothing written, and the audit row of each change (none for a
 * change that is already so). Categories and indicators start as the seed
 * of sql/002_taxonomy.sql. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"
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
    if (harness_start_tree(&H) != 0)
        return -1;
    Admin = harness_connect_admin(&H);
    return Admin ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    harness_close(Admin);
    return harness_stop(&H) == 0 ? 0 : -1;
}

static void assert_text(const char *sql, const char *param, const char *want)
{
    char *got = harness_pg_text(&H, sql, param);
    if (!got)
        fail_msg("%s ($1 = %s): no value, want \"%s\"", sql, param, want);
    if (strcmp(got, want) != 0)
        fail_msg("%s ($1 = %s): \"%s\", want \"%s\"", sql, param, got, want);
    free(got);
}

static void assert_flag(Huizong__Response *r, Huizong__Response__BodyCase bc, int want)
{
    const ProtobufCMessage *m = org_body(r, bc);
    int got = m->descriptor == &huizong__org_add_result__descriptor
                  ? ((const Huizong__OrgAddResult *)m)->created
                  : ((const Huizong__OrgChangeResult *)m)->changed;
    assert_int_equal(got, want);
    harness_response_free(r);
}

static void assert_refused(Huizong__Response *r, Huizong__Status st, const char *msg, long audit)
{
    org_assert_status(r, st, msg);
    harness_response_free(r);
    assert_int_equal(org_audit_rows(&H), audit);
}

#define CAT_ROW "select name || '|' || coalesce(parent_code, '') || '|' || (retired_at is not null) " \
                "from category where code = $1"
#define IND_ROW "select name || '|' || unit || '|' || period_type || '|' || aggregation " \
                "from indicator where code = $1"

/* ------------------------------------------------------------ categories -- */
static void test_category_add(void **state)
{
    (void)state;
    long before = org_audit_rows(&H);
    assert_flag(org_call(Admin, R(CATEGORY_ADD), "code", "first_aid", "name", "急救培训",
                         "parent_code", "education", NULL),
                B(CATEGORY_ADD), 1);
    assert_text(CAT_ROW, "first_aid", "急救培训|education|false");
    assert_int_equal(org_audit_rows(&H), before + 1);
    assert_text("select target || ' ' || role from audit where action = $1 order by id desc limit 1",
                "category_add", "first_aid admin");
    assert_flag(org_call(Admin, R(CATEGORY_ADD), "code", "first_aid", "name", "急救培训",
                         "parent_code", "education", NULL),
                B(CATEGORY_ADD), 0);
    assert_int_equal(org_audit_rows(&H), before + 1);
    assert_flag(org_call(Admin, R(CATEGORY_ADD), "code", "elderly", "name", "为老服务", NULL),
                B(CATEGORY_ADD), 1);
    assert_text(CAT_ROW, "elderly", "为老服务||false");
    assert_int_equal(org_audit_rows(&H), before + 2);
    /* A new category is usable at once. */
    SSL *c = harness_connect_hello(&H, harness_issue_creds(&H, "c1", "community"));
    Huizong__Request *req = rec_request(5);
    rec_activity(rec_submit(req), "c1", "2020-09-09", "first_aid", 20, "急救培训");
    Huizong__Response *r = harness_call(c, req);
    org_assert_status(r, HUIZONG__STATUS__OK, NULL);
    harness_response_free(r);
    rec_free(req);
    harness_close(c);
}

static void test_category_add_bad_input(void **state)
{
    (void)state;
    long before = org_audit_rows(&H);
    long cats = harness_pg_count(&H, "select count(*) from category", NULL);
    assert_refused(org_call(Admin, R(CATEGORY_ADD), "code", "theory", "name", "别的", NULL),
                   HUIZONG__STATUS__ALREADY_EXISTS,
                   "category \"theory\" already exists as \"理论学习\" under no parent", before);
    assert_refused(org_call(Admin, R(CATEGORY_ADD), "code", "x1", "name", "X", "parent_code", "nope", NULL),
                   HUIZONG__STATUS__NOT_FOUND, "parent category \"nope\" is not in the taxonomy", before);
    assert_refused(org_call(Admin, R(CATEGORY_ADD), "code", "极", "name", "X", NULL),
                   HUIZONG__STATUS__INVALID_ARGUMENT,
                   "code: invalid code \"极\" (want a-z, 0-9, _ or -, at most 63 characters)", before);
    assert_refused(org_call(Admin, R(CATEGORY_ADD), "code", "x1", "name", "", NULL),
                   HUIZONG__STATUS__INVALID_ARGUMENT, "name: required", before);
    assert_int_equal(harness_pg_count(&H, "select count(*) from category", NULL), cats);
}

static void test_category_rename(void **state)
{
    (void)state;
    long before = org_audit_rows(&H);
    assert_flag(org_call(Admin, R(CATEGORY_RENAME), "code", "science", "name", "科普宣传", NULL),
                B(CATEGORY_RENAME), 1);
    assert_text(CAT_ROW, "science", "科普宣传||false");
    assert_flag(org_call(Admin, R(CATEGORY_RENAME), "code", "science", "name", "科普宣传", NULL),
                B(CATEGORY_RENAME), 0);
    assert_int_equal(org_audit_rows(&H), before + 1);
    assert_refused(org_call(Admin, R(CATEGORY_RENAME), "code", "nope", "name", "X", NULL),
                   HUIZONG__STATUS__NOT_FOUND, "category \"nope\" is not in the taxonomy", before + 1);
}

static void test_category_move(void **state)
{
    (void)state;
    long before = org_audit_rows(&H);
    assert_flag(org_call(Admin, R(CATEGORY_MOVE), "code", "science", "parent_code", "education", NULL),
                B(CATEGORY_MOVE), 1);
    assert_text(CAT_ROW, "science", "科普宣传|education|false");
    assert_flag(org_call(Admin, R(CATEGORY_MOVE), "code", "science", "parent_code", "education", NULL),
                B(CATEGORY_MOVE), 0);
    assert_flag(org_call(Admin, R(CATEGORY_MOVE), "code", "science", "parent_code", "", NULL),
                B(CATEGORY_MOVE), 1);
    assert_text(CAT_ROW, "science", "科普宣传||false");
    assert_int_equal(org_audit_rows(&H), before + 2);
}

static void test_category_cycle(void **state)
{
    (void)state;
    long before = org_audit_rows(&H);
    assert_refused(org_call(Admin, R(CATEGORY_MOVE), "code", "education", "parent_code", "fire", NULL),
                   HUIZONG__STATUS__INVALID_ARGUMENT, "cannot move education under its own descendant fire",
                   before);
    assert_refused(org_call(Admin, R(CATEGORY_MOVE), "code", "fire", "parent_code", "fire", NULL),
                   HUIZONG__STATUS__INVALID_ARGUMENT, "cannot move fire under itself", before);
    assert_refused(org_call(Admin, R(CATEGORY_MOVE), "code", "nope", "parent_code", "fire", NULL),
                   HUIZONG__STATUS__NOT_FOUND, "category \"nope\" is not in the taxonomy", before);
    assert_refused(org_call(Admin, R(CATEGORY_MOVE), "code", "fire", "parent_code", "nope", NULL),
                   HUIZONG__STATUS__NOT_FOUND, "parent category \"nope\" is not in the taxonomy", before);
    assert_text(CAT_ROW, "education", "法制/消防/禁毒宣传||false");
    assert_text(CAT_ROW, "fire", "消防宣传|education|false");
}

static void test_category_retire(void **state)
{
    (void)state;
    assert_flag(org_call(Admin, R(CATEGORY_ADD), "code", "old", "name", "旧类", NULL), B(CATEGORY_ADD), 1);
    assert_flag(org_call(Admin, R(CATEGORY_ADD), "code", "old_a", "name", "旧类甲", "parent_code", "old",
                         NULL),
                B(CATEGORY_ADD), 1);
    long before = org_audit_rows(&H);
    assert_refused(org_call(Admin, R(CATEGORY_RETIRE), "code", "old", NULL),
                   HUIZONG__STATUS__FAILED_PRECONDITION,
                   "category old still has 1 active category below it: old_a; retire or move them first",
                   before);
    assert_text(CAT_ROW, "old", "旧类||false");
    assert_flag(org_call(Admin, R(CATEGORY_RETIRE), "code", "old_a", NULL), B(CATEGORY_RETIRE), 1);
    assert_flag(org_call(Admin, R(CATEGORY_RETIRE), "code", "old_a", NULL), B(CATEGORY_RETIRE), 0);
    assert_flag(org_call(Admin, R(CATEGORY_RETIRE), "code", "old", NULL), B(CATEGORY_RETIRE), 1);
    assert_int_equal(org_audit_rows(&H), before + 2);
    assert_text(CAT_ROW, "old", "旧类||true");
    assert_refused(org_call(Admin, R(CATEGORY_RETIRE), "code", "nope", NULL), HUIZONG__STATUS__NOT_FOUND,
                   "category \"nope\" is not in the taxonomy", before + 2);
    assert_refused(org_call(Admin, R(CATEGORY_ADD), "code", "old_b", "name", "X", "parent_code", "old",
                            NULL),
                   HUIZONG__STATUS__FAILED_PRECONDITION,
                   "parent category \"old\" is retired; it takes no new categories", before + 2);
    /* New records may not use it. */
    SSL *c = harness_connect_hello(&H, harness_issue_creds(&H, "c1", "community"));
    Huizong__Request *req = rec_request(6);
    rec_activity(rec_submit(req), "c1", "2020-09-10", "old_a", 5, "旧活动");
    Huizong__Response *r = harness_call(c, req);
    org_assert_status(r, HUIZONG__STATUS__INVALID_ARGUMENT, NULL);
    assert_int_equal(r->n_errors, 1);
    assert_string_equal(r->errors[0]->field, "category");
    harness_response_free(r);
    rec_free(req);
    harness_close(c);
}

static void test_category_list(void **state)
{
    (void)state;
    Huizong__Response *r = org_call(Admin, R(CATEGORY_LIST), NULL);
    const Huizong__CategoryListResult *l =
        (const Huizong__CategoryListResult *)org_body(r, B(CATEGORY_LIST));
    assert_int_equal(l->n_categories, harness_pg_count(&H, "select count(*) from category", NULL));
    assert_string_equal(l->categories[0]->code, "theory");
    assert_int_equal(l->categories[0]->depth, 0);
    size_t i = 0;
    while (i < l->n_categories && strcmp(l->categories[i]->code, "education") != 0)
        i++;
    assert_true(i + 4 < l->n_categories);
    static const char *const kids[] = {"legal", "fire", "antidrug", "first_aid"};
    for (size_t k = 0; k < 4; k++) {
        assert_string_equal(l->categories[i + 1 + k]->code, kids[k]);
        assert_int_equal(l->categories[i + 1 + k]->depth, 1);
        assert_string_equal(l->categories[i + 1 + k]->parent_code, "education");
    }
    harness_response_free(r);
}

/* ------------------------------------------------------------ indicators -- */
static void test_indicator_add(void **state)
{
    (void)state;
    long before = org_audit_rows(&H);
    assert_flag(org_call(Admin, R(INDICATOR_ADD), "code", "lectures", "name", "讲座", "unit", "场",
                         "period_type", "quarter", "aggregation", "sum", NULL),
                B(INDICATOR_ADD), 1);
    assert_text(IND_ROW, "lectures", "讲座|场|quarter|sum");
    assert_flag(org_call(Admin, R(INDICATOR_ADD), "code", "lectures", "name", "讲座", "unit", "场",
                         "period_type", "quarter", "aggregation", "sum", NULL),
                B(INDICATOR_ADD), 0);
    assert_int_equal(org_audit_rows(&H), before + 1);
    assert_refused(org_call(Admin, R(INDICATOR_ADD), "code", "lectures", "name", "讲座", "unit", "场",
                            "period_type", "month", "aggregation", "sum", NULL),
                   HUIZONG__STATUS__ALREADY_EXISTS,
                   "indicator \"lectures\" already exists as \"讲座\" (场, quarter, sum)", before + 1);
}

static void test_indicator_add_bad_input(void **state)
{
    (void)state;
    long before = org_audit_rows(&H);
    long n = harness_pg_count(&H, "select count(*) from indicator", NULL);
    assert_refused(org_call(Admin, R(INDICATOR_ADD), "code", "x1", "name", "X", "unit", "篇",
                            "period_type", "week", "aggregation", "sum", NULL),
                   HUIZONG__STATUS__INVALID_ARGUMENT,
                   "period_type: unknown period type \"week\" (want month, quarter or year)", before);
    assert_refused(org_call(Admin, R(INDICATOR_ADD), "code", "x1", "name", "X", "unit", "篇",
                            "period_type", "month", "aggregation", "median", NULL),
                   HUIZONG__STATUS__INVALID_ARGUMENT,
                   "aggregation: unknown aggregation \"median\" (want sum, last, max or avg)", before);
    assert_refused(org_call(Admin, R(INDICATOR_ADD), "code", "x1", "name", "X", "unit", "",
                            "period_type", "month", "aggregation", "sum", NULL),
                   HUIZONG__STATUS__INVALID_ARGUMENT, "unit: required", before);
    assert_refused(org_call(Admin, R(INDICATOR_ADD), "code", "X1", "name", "X", "unit", "篇",
                            "period_type", "month", "aggregation", "sum", NULL),
                   HUIZONG__STATUS__INVALID_ARGUMENT,
                   "code: invalid code \"X1\" (want a-z, 0-9, _ or -, at most 63 characters)", before);
    assert_int_equal(harness_pg_count(&H, "select count(*) from indicator", NULL), n);
}

static void submit_briefs(void)
{
    SSL *c = harness_connect_hello(&H, harness_issue_creds(&H, "c2", "community"));
    Huizong__Request *req = rec_request(7);
    Huizong__SubmitBatch *b = rec_submit(req);
    rec_indicator(b, "c2", "briefs", "2020-01", 2);
    rec_indicator(b, "c2", "briefs", "2020-02", 3);
    rec_indicator(b, "c2", "briefs", "2020-03", 1);
    Huizong__Response *r = harness_call(c, req);
    org_assert_status(r, HUIZONG__STATUS__OK, NULL);
    harness_response_free(r);
    rec_free(req);
    harness_close(c);
}

static void test_indicator_update(void **state)
{
    (void)state;
    submit_briefs();
    long before = org_audit_rows(&H);
    assert_flag(org_call(Admin, R(INDICATOR_UPDATE), "code", "briefs", "name", "信息简讯", "unit", "条",
                         NULL),
                B(INDICATOR_UPDATE), 1);
    assert_text(IND_ROW, "briefs", "信息简讯|条|month|sum");
    assert_flag(org_call(Admin, R(INDICATOR_UPDATE), "code", "briefs", "name", "信息简讯", NULL),
                B(INDICATOR_UPDATE), 0);
    /* Naming the present period type and aggregation changes nothing. */
    assert_flag(org_call(Admin, R(INDICATOR_UPDATE), "code", "briefs", "period_type", "month",
                         "aggregation", "sum", NULL),
                B(INDICATOR_UPDATE), 0);
    assert_int_equal(org_audit_rows(&H), before + 1);
    assert_refused(org_call(Admin, R(INDICATOR_UPDATE), "code", "briefs", "period_type", "quarter", NULL),
                   HUIZONG__STATUS__FAILED_PRECONDITION,
                   "indicator briefs has 3 value(s); its period type (month) and aggregation (sum) "
                   "cannot change without rewriting their history; add a new indicator instead",
                   before + 1);
    assert_refused(org_call(Admin, R(INDICATOR_UPDATE), "code", "briefs", "name", "改名", "aggregation",
                            "max", NULL),
                   HUIZONG__STATUS__FAILED_PRECONDITION,
                   "indicator briefs has 3 value(s); its period type (month) and aggregation (sum) "
                   "cannot change without rewriting their history; add a new indicator instead",
                   before + 1);
    assert_text(IND_ROW, "briefs", "信息简讯|条|month|sum");
    /* Without values, they may change. */
    assert_flag(org_call(Admin, R(INDICATOR_UPDATE), "code", "blog_visits", "period_type", "year",
                         "aggregation", "max", NULL),
                B(INDICATOR_UPDATE), 1);
    assert_text(IND_ROW, "blog_visits", "博客点击量|次|year|max");
    assert_int_equal(org_audit_rows(&H), before + 2);
}

static void test_indicator_update_bad_input(void **state)
{
    (void)state;
    long before = org_audit_rows(&H);
    assert_refused(org_call(Admin, R(INDICATOR_UPDATE), "code", "nope", "name", "X", NULL),
                   HUIZONG__STATUS__NOT_FOUND, "indicator \"nope\" is not defined", before);
    assert_refused(org_call(Admin, R(INDICATOR_UPDATE), "code", "volunteers", "period_type", "day", NULL),
                   HUIZONG__STATUS__INVALID_ARGUMENT,
                   "period_type: unknown period type \"day\" (want month, quarter or year)", before);
    assert_refused(org_call(Admin, R(INDICATOR_UPDATE), "code", "volunteers", "aggregation", "SUM", NULL),
                   HUIZONG__STATUS__INVALID_ARGUMENT,
                   "aggregation: unknown aggregation \"SUM\" (want sum, last, max or avg)", before);
    assert_text(IND_ROW, "volunteers", "志愿者人数|人|month|last");
}

static void test_indicator_retire(void **state)
{
    (void)state;
    long before = org_audit_rows(&H);
    assert_flag(org_call(Admin, R(INDICATOR_RETIRE), "code", "research_reports", NULL),
                B(INDICATOR_RETIRE), 1);
    assert_flag(org_call(Admin, R(INDICATOR_RETIRE), "code", "research_reports", NULL),
                B(INDICATOR_RETIRE), 0);
    assert_int_equal(org_audit_rows(&H), before + 1);
    assert_text("select (retired_at is not null)::text from indicator where code = $1",
                "research_reports", "true");
    assert_refused(org_call(Admin, R(INDICATOR_RETIRE), "code", "nope", NULL),
                   HUIZONG__STATUS__NOT_FOUND, "indicator \"nope\" is not defined", before + 1);
    /* New values may not use it. */
    SSL *c = harness_connect_hello(&H, harness_issue_creds(&H, "c1", "community"));
    Huizong__Request *req = rec_request(8);
    rec_indicator(rec_submit(req), "c1", "research_reports", "2020-Q1", 1);
    Huizong__Response *r = harness_call(c, req);
    org_assert_status(r, HUIZONG__STATUS__INVALID_ARGUMENT, NULL);
    assert_int_equal(r->n_errors, 1);
    assert_string_equal(r->errors[0]->field, "indicator");
    harness_response_free(r);
    rec_free(req);
    harness_close(c);
}

static void test_indicator_list(void **state)
{
    (void)state;
    Huizong__Response *r = org_call(Admin, R(INDICATOR_LIST), NULL);
    const Huizong__IndicatorListResult *l =
        (const Huizong__IndicatorListResult *)org_body(r, B(INDICATOR_LIST));
    assert_int_equal(l->n_indicators, harness_pg_count(&H, "select count(*) from indicator", NULL));
    assert_string_equal(l->indicators[0]->code, "briefs");
    assert_string_equal(l->indicators[0]->period_type, "month");
    assert_string_equal(l->indicators[0]->aggregation, "sum");
    assert_int_equal(l->indicators[0]->value_count, 3);
    assert_string_equal(l->indicators[1]->code, "opinion_reports");
    assert_int_equal(l->indicators[1]->value_count, 0);
    harness_response_free(r);
}

/* ---------------------------------------------------------- permissions -- */
static void test_not_admin(void **state)
{
    (void)state;
    static const struct {
        Huizong__Request__BodyCase req;
        const char *what;
    } verbs[] = {
        {R(CATEGORY_ADD), "add categories"},       {R(CATEGORY_RENAME), "rename categories"},
        {R(CATEGORY_MOVE), "move categories"},     {R(CATEGORY_RETIRE), "retire categories"},
        {R(INDICATOR_ADD), "add indicators"},      {R(INDICATOR_UPDATE), "update indicators"},
        {R(INDICATOR_RETIRE), "retire indicators"},
    };
    SSL *d = harness_connect_hello(&H, harness_issue_creds(&H, "s1", "district"));
    assert_non_null(d);
    long before = org_audit_rows(&H);
    for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++) {
        char want[160];
        snprintf(want, sizeof want,
                 "only an administrator can %s; this certificate is district for \"s1\"", verbs[i].what);
        assert_refused(org_call(d, verbs[i].req, NULL), HUIZONG__STATUS__PERMISSION_DENIED, want, before);
    }
    harness_close(d);
}

static void test_sql_not_admin(void **state)
{
    (void)state;
    static const char *const fns[][2] = {
        {"hz_category_add", "add categories"},       {"hz_category_rename", "rename categories"},
        {"hz_category_move", "move categories"},     {"hz_category_retire", "retire categories"},
        {"hz_indicator_add", "add indicators"},      {"hz_indicator_update", "update indicators"},
        {"hz_indicator_retire", "retire indicators"},
    };
    const char *arg = "{\"principal\":{\"role\":\"community\",\"unit\":\"c1\"},\"code\":\"zz\","
                      "\"name\":\"X\",\"unit\":\"篇\",\"period_type\":\"month\",\"aggregation\":\"sum\"}";
    long before = org_audit_rows(&H);
    long cats = harness_pg_count(&H, "select count(*) from category", NULL);
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
        char *got = org_sql_call(&H, fns[i][0], arg), want[200];
        snprintf(want, sizeof want,
                 "PERMISSION_DENIED|only an administrator can %s; this certificate is community for \"c1\"",
                 fns[i][1]);
        assert_non_null(got);
        assert_string_equal(got, want);
        free(got);
    }
    assert_int_equal(org_audit_rows(&H), before);
    assert_int_equal(harness_pg_count(&H, "select count(*) from category", NULL), cats);
    assert_int_equal(harness_pg_count(&H, "select count(*) from indicator where code = $1", "zz"), 0);
}

/* A community submits with the category and indicator codes, so every
 * principal reads both lists, the same as the administrator's. */
static void test_lists_for_everyone(void **state)
{
    (void)state;
    static const char *const who[][2] = {{"c1", "community"}, {"s1", "district"}, {"d1", "district"}};
    long cats = harness_pg_count(&H, "select count(*) from category", NULL);
    long inds = harness_pg_count(&H, "select count(*) from indicator", NULL);
    long before = org_audit_rows(&H);
    for (size_t i = 0; i < sizeof who / sizeof who[0]; i++) {
        SSL *s = harness_connect_hello(&H, harness_issue_creds(&H, who[i][0], who[i][1]));
        assert_non_null(s);
        Huizong__Response *r = org_call(s, R(CATEGORY_LIST), NULL);
        const Huizong__CategoryListResult *c =
            (const Huizong__CategoryListResult *)org_body(r, B(CATEGORY_LIST));
        assert_int_equal(c->n_categories, cats);
        assert_string_equal(c->categories[0]->code, "theory");
        harness_response_free(r);
        r = org_call(s, R(INDICATOR_LIST), NULL);
        const Huizong__IndicatorListResult *l =
            (const Huizong__IndicatorListResult *)org_body(r, B(INDICATOR_LIST));
        assert_int_equal(l->n_indicators, inds);
        assert_string_equal(l->indicators[0]->code, "briefs");
        harness_response_free(r);
        harness_close(s);
    }
    assert_int_equal(org_audit_rows(&H), before);
}

/* The SQL functions let only the three roles read. */
static void test_sql_lists_need_a_role(void **state)
{
    (void)state;
    static const char *const fns[][2] = {
        {"hz_category_list", "list categories"}, {"hz_indicator_list", "list indicators"}};
    for (size_t i = 0; i < 2; i++) {
        char want[200], *got = org_sql_call(&H, fns[i][0], "{\"principal\":{\"role\":\"community\","
                                                           "\"unit\":\"c1\"}}");
        assert_non_null(got);
        assert_string_equal(got, "OK|");
        free(got);
        got = org_sql_call(&H, fns[i][0], "{\"principal\":{\"role\":\"\",\"unit\":\"c1\"}}");
        snprintf(want, sizeof want, "PERMISSION_DENIED|principal role \"\" may not %s", fns[i][1]);
        assert_non_null(got);
        assert_string_equal(got, want);
        free(got);
    }
}

/* The SQL functions check their argument too. */
static void test_sql_bad_input(void **state)
{
    (void)state;
    static const char *const cases[][3] = {
        {"hz_category_add", "\"code\":\"A\",\"name\":\"X\"",
         "INVALID_ARGUMENT|code: invalid code \"A\" (want a-z, 0-9, _ or -, at most 63 characters)"},
        {"hz_category_add", "\"code\":\"a1\",\"name\":\"X\",\"parent_code\":\"nope\"",
         "NOT_FOUND|parent category \"nope\" is not in the taxonomy"},
        {"hz_category_move", "\"code\":\"education\",\"parent_code\":\"legal\"",
         "INVALID_ARGUMENT|cannot move education under its own descendant legal"},
        {"hz_category_rename", "\"code\":\"nope\",\"name\":\"X\"",
         "NOT_FOUND|category \"nope\" is not in the taxonomy"},
        {"hz_category_retire", "\"code\":\"education\"",
         "FAILED_PRECONDITION|category education still has 4 active categories below it: antidrug, fire, first_aid, legal; retire or move them first"},
        {"hz_indicator_add",
         "\"code\":\"i1\",\"name\":\"X\",\"unit\":\"篇\",\"period_type\":\"week\",\"aggregation\":\"sum\"",
         "INVALID_ARGUMENT|period_type: unknown period type \"week\" (want month, quarter or year)"},
        {"hz_indicator_add",
         "\"code\":\"i1\",\"name\":\"X\",\"unit\":\"篇\",\"period_type\":\"year\",\"aggregation\":\"mean\"",
         "INVALID_ARGUMENT|aggregation: unknown aggregation \"mean\" (want sum, last, max or avg)"},
        {"hz_indicator_update", "\"code\":\"nope\"", "NOT_FOUND|indicator \"nope\" is not defined"},
    };
    long before = org_audit_rows(&H);
    long cats = harness_pg_count(&H, "select count(*) from category", NULL);
    long inds = harness_pg_count(&H, "select count(*) from indicator", NULL);
    org_assert_sql_cases(&H, cases, sizeof cases / sizeof cases[0]);
    assert_int_equal(org_audit_rows(&H), before);
    assert_int_equal(harness_pg_count(&H, "select count(*) from category", NULL), cats);
    assert_int_equal(harness_pg_count(&H, "select count(*) from indicator", NULL), inds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_category_add),
        cmocka_unit_test(test_category_add_bad_input),
        cmocka_unit_test(test_category_rename),
        cmocka_unit_test(test_category_move),
        cmocka_unit_test(test_category_cycle),
        cmocka_unit_test(test_category_retire),
        cmocka_unit_test(test_category_list),
        cmocka_unit_test(test_indicator_add),
        cmocka_unit_test(test_indicator_add_bad_input),
        cmocka_unit_test(test_indicator_update),
        cmocka_unit_test(test_indicator_update_bad_input),
        cmocka_unit_test(test_indicator_list),
        cmocka_unit_test(test_indicator_retire),
        cmocka_unit_test(test_not_admin),
        cmocka_unit_test(test_sql_not_admin),
        cmocka_unit_test(test_lists_for_everyone),
        cmocka_unit_test(test_sql_lists_need_a_role),
        cmocka_unit_test(test_sql_bad_input),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
