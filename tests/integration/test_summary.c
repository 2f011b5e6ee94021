/* SummaryRequest against a real huizongd: known records of c1, c2 and c3 come
 * back as exact counts, sums and last values, each principal sees only its
 * subtree, and a beneficiary's name never leaves the community's records. */
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
#include "records.h"
#include "wire.h"

#define BENEFICIARY "受助人张桂兰"

static harness H;
static uint64_t next_id = 1000;

/* Submits one community's records; returns 0 when accepted in full. */
static int load(const char *unit, void (*fill)(Huizong__SubmitBatch *b))
{
    const char *creds = harness_issue_creds(&H, unit, "community");
    SSL *s = creds ? harness_connect_hello(&H, creds) : NULL;
    Huizong__Request *req = rec_request(next_id++);
    Huizong__SubmitBatch *b = rec_submit(req);
    fill(b);
    size_t n = b->n_activities + b->n_indicator_values + b->n_honors;
    Huizong__Response *r = harness_call(s, req);
    int ok = r && r->status == HUIZONG__STATUS__OK && r->body_case == HUIZONG__RESPONSE__BODY_SUBMIT &&
             r->submit->accepted == n;
    if (!ok)
        fprintf(stderr, "loading %s: %s %s\n", unit, r ? wire_status_name(r->status) : "no answer",
                r ? r->message : "");
    harness_response_free(r);
    rec_free(req);
    harness_close(s);
    return ok ? 0 : -1;
}

static void fill_c1(Huizong__SubmitBatch *b)
{
    rec_activity(b, "c1", "2020-04-12", "fire", 40, "消防安全知识讲座");
    rec_activity(b, "c1", "2020-06-11", "culture", 25, "太极拳比赛");
    Huizong__Activity *v = rec_activity(b, "c1", "2020-09-01", "visit", 10, "走访困难老人");
    rec_push(&v->beneficiaries, &v->n_beneficiaries, BENEFICIARY);
    rec_activity(b, "c1", "2019-12-31", "fire", 999, "上一年的活动");
    rec_indicator(b, "c1", "briefs", "2020-01", 3);
    rec_indicator(b, "c1", "briefs", "2020-02", 5);
    rec_indicator(b, "c1", "briefs", "2020-03", 2);
    /* Out of period order on purpose: "last" is by period, not by arrival. */
    rec_indicator(b, "c1", "volunteers", "2020-01", 40);
    rec_indicator(b, "c1", "volunteers", "2020-12", 200);
    rec_indicator(b, "c1", "volunteers", "2020-06", 120);
    Huizong__Honor *o = rec_honor(b, "c1", "2020-06-11", "太极拳比赛一等奖", "district");
    rec_set(&o->recipient, "太极拳、剑队");
}

static void fill_c2(Huizong__SubmitBatch *b)
{
    rec_activity(b, "c2", "2020-04-20", "fire", 30, "消防演练");
    rec_activity(b, "c2", "2020-06-26", "antidrug", 50, "国际禁毒日宣传");
    rec_indicator(b, "c2", "briefs", "2020-05", 4);
    rec_indicator(b, "c2", "volunteers", "2020-03", 30);
}

static void fill_c3(Huizong__SubmitBatch *b)
{
    rec_activity(b, "c3", "2020-06-11", "culture", 100, "社区文艺汇演");
    rec_indicator(b, "c3", "briefs", "2020-02", 7);
}

static int group_setup(void **state)
{
    (void)state;
    if (harness_start(&H, NULL) != 0)
        return -1;
    if (harness_setup_tree(&H) != 0 || load("c1", fill_c1) != 0 || load("c2", fill_c2) != 0 ||
        load("c3", fill_c3) != 0) {
        harness_stop(&H);
        return -1;
    }
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    return harness_stop(&H) == 0 ? 0 : -1;
}

/* Sends a SummaryRequest; returns the raw payload too when `raw` is set. */
static Huizong__Response *summary(SSL *s, const char *unit, int32_t year, Huizong__GroupBy g,
                                  uint8_t **raw, size_t *raw_len)
{
    Huizong__Request *req = rec_request(next_id++);
    Huizong__SummaryRequest *sr = rec_summary(req, year, unit);
    if (g != HUIZONG__GROUP_BY__GROUP_BY_UNSPECIFIED)
        rec_group_by(sr, g);
    assert_int_equal(harness_send_request(s, req), 0);
    size_t len;
    uint8_t *buf = harness_recv_frame(s, &len);
    assert_non_null(buf);
    Huizong__Response *r = huizong__response__unpack(NULL, len, buf);
    assert_non_null(r);
    assert_int_equal(r->request_id, req->request_id);
    rec_free(req);
    if (raw) {
        *raw = buf;
        *raw_len = len;
    } else {
        free(buf);
    }
    return r;
}

static const Huizong__SummaryResult *ok_result(const Huizong__Response *r)
{
    if (r->status != HUIZONG__STATUS__OK)
        fail_msg("status %s (\"%s\"), want OK", wire_status_name(r->status), r->message);
    assert_int_equal(r->body_case, HUIZONG__RESPONSE__BODY_SUMMARY);
    return r->summary;
}

static const Huizong__ActivityGroup *group_of(const Huizong__SummaryResult *sr,
                                              const char *community, const char *category)
{
    for (size_t i = 0; i < sr->n_activity_groups; i++) {
        const Huizong__ActivityGroup *g = sr->activity_groups[i];
        if ((!community || strcmp(g->community, community) == 0) &&
            (!category || strcmp(g->category, category) == 0))
            return g;
    }
    return NULL;
}

static void assert_group(const Huizong__SummaryResult *sr, const char *community,
                         const char *category, uint64_t activities, uint64_t participants)
{
    const Huizong__ActivityGroup *g = group_of(sr, community, category);
    if (!g)
        fail_msg("no activity group %s/%s", community ? community : "-",
                 category ? category : "-");
    assert_int_equal(g->activities, activities);
    assert_int_equal(g->participants, participants);
}

static void assert_indicator(const Huizong__SummaryResult *sr, const char *community,
                             const char *indicator, double want)
{
    for (size_t i = 0; i < sr->n_indicator_totals; i++) {
        const Huizong__IndicatorTotal *t = sr->indicator_totals[i];
        if (strcmp(t->indicator, indicator) != 0 ||
            (community && strcmp(t->community, community) != 0))
            continue;
        if (t->value != want)
            fail_msg("%s %s = %g, want %g", community ? community : "all", indicator, t->value,
                     want);
        return;
    }
    fail_msg("no indicator total %s for %s", indicator, community ? community : "all");
}

static void test_district_by_community(void **state)
{
    (void)state;
    SSL *s = harness_connect_as(&H, "d1", "district");
    Huizong__Response *r = summary(s, "d1", 2020, HUIZONG__GROUP_BY__GROUP_BY_COMMUNITY, NULL, NULL);
    const Huizong__SummaryResult *sr = ok_result(r);
    assert_int_equal(sr->year, 2020);
    assert_string_equal(sr->unit_code, "d1");
    assert_int_equal(sr->n_activity_groups, 3);
    assert_group(sr, "c1", NULL, 3, 75);
    assert_group(sr, "c2", NULL, 2, 80);
    assert_group(sr, "c3", NULL, 1, 100);
    assert_string_equal(group_of(sr, "c1", NULL)->community_name, "一社区");
    assert_int_equal(sr->total_activities, 6);
    assert_int_equal(sr->total_participants, 255);
    assert_indicator(sr, "c1", "briefs", 10);
    assert_indicator(sr, "c1", "volunteers", 200);
    assert_indicator(sr, "c2", "briefs", 4);
    assert_indicator(sr, "c2", "volunteers", 30);
    assert_indicator(sr, "c3", "briefs", 7);
    harness_response_free(r);
    harness_close(s);
}

static void test_district_by_category(void **state)
{
    (void)state;
    SSL *s = harness_connect_as(&H, "d1", "district");
    Huizong__Response *r = summary(s, "", 2020, HUIZONG__GROUP_BY__GROUP_BY_CATEGORY, NULL, NULL);
    const Huizong__SummaryResult *sr = ok_result(r);
    assert_string_equal(sr->unit_code, "d1");
    assert_int_equal(sr->n_activity_groups, 4);
    assert_group(sr, NULL, "fire", 2, 70);
    assert_group(sr, NULL, "culture", 2, 125);
    assert_group(sr, NULL, "antidrug", 1, 50);
    assert_group(sr, NULL, "visit", 1, 10);
    harness_response_free(r);
    harness_close(s);
}

static void test_district_totals_and_honors(void **state)
{
    (void)state;
    SSL *s = harness_connect_as(&H, "d1", "district");
    Huizong__Response *r =
        summary(s, "d1", 2020, HUIZONG__GROUP_BY__GROUP_BY_UNSPECIFIED, NULL, NULL);
    const Huizong__SummaryResult *sr = ok_result(r);
    assert_int_equal(sr->total_activities, 6);
    assert_int_equal(sr->total_participants, 255);
    /* Across communities a sum adds up, and so does each one's last value. */
    assert_indicator(sr, NULL, "briefs", 21);
    assert_indicator(sr, NULL, "volunteers", 230);
    assert_int_equal(sr->n_honors, 1);
    assert_string_equal(sr->honors[0]->community, "c1");
    assert_string_equal(sr->honors[0]->title, "太极拳比赛一等奖");
    assert_string_equal(sr->honors[0]->level, "district");
    assert_string_equal(sr->honors[0]->recipient, "太极拳、剑队");
    harness_response_free(r);
    harness_close(s);
}

static void test_street_subtree_only(void **state)
{
    (void)state;
    SSL *s = harness_connect_as(&H, "d1", "district");
    Huizong__Response *r = summary(s, "s1", 2020, HUIZONG__GROUP_BY__GROUP_BY_COMMUNITY, NULL, NULL);
    const Huizong__SummaryResult *sr = ok_result(r);
    assert_string_equal(sr->unit_code, "s1");
    assert_int_equal(sr->n_activity_groups, 2);
    assert_group(sr, "c1", NULL, 3, 75);
    assert_group(sr, "c2", NULL, 2, 80);
    assert_null(group_of(sr, "c3", NULL));
    assert_int_equal(sr->total_activities, 5);
    assert_int_equal(sr->total_participants, 155);
    harness_response_free(r);
    harness_close(s);
}

static void test_street_principal_cannot_read_above(void **state)
{
    (void)state;
    SSL *s = harness_connect_as(&H, "s1", "district");
    Huizong__Response *r = summary(s, "", 2020, HUIZONG__GROUP_BY__GROUP_BY_COMMUNITY, NULL, NULL);
    const Huizong__SummaryResult *sr = ok_result(r);
    assert_string_equal(sr->unit_code, "s1");
    assert_int_equal(sr->n_activity_groups, 2);
    harness_response_free(r);
    r = summary(s, "d1", 2020, HUIZONG__GROUP_BY__GROUP_BY_UNSPECIFIED, NULL, NULL);
    harness_assert_status(r, HUIZONG__STATUS__PERMISSION_DENIED);
    assert_int_equal(r->body_case, HUIZONG__RESPONSE__BODY__NOT_SET);
    harness_response_free(r);
    r = summary(s, "c3", 2020, HUIZONG__GROUP_BY__GROUP_BY_UNSPECIFIED, NULL, NULL);
    harness_assert_status(r, HUIZONG__STATUS__PERMISSION_DENIED);
    harness_response_free(r);
    harness_close(s);
}

static void test_community_other_unit_denied(void **state)
{
    (void)state;
    SSL *s = harness_connect_as(&H, "c1", "community");
    Huizong__Response *r =
        summary(s, "c2", 2020, HUIZONG__GROUP_BY__GROUP_BY_UNSPECIFIED, NULL, NULL);
    harness_assert_status(r, HUIZONG__STATUS__PERMISSION_DENIED);
    assert_int_equal(r->body_case, HUIZONG__RESPONSE__BODY__NOT_SET);
    harness_response_free(r);
    harness_close(s);
}

static void test_community_own_unit(void **state)
{
    (void)state;
    SSL *s = harness_connect_as(&H, "c1", "community");
    Huizong__Response *r =
        summary(s, "c1", 2020, HUIZONG__GROUP_BY__GROUP_BY_UNSPECIFIED, NULL, NULL);
    const Huizong__SummaryResult *sr = ok_result(r);
    assert_string_equal(sr->unit_code, "c1");
    assert_string_equal(sr->unit_name, "一社区");
    assert_int_equal(sr->total_activities, 3);
    assert_int_equal(sr->total_participants, 75);
    assert_indicator(sr, NULL, "briefs", 10);
    assert_indicator(sr, NULL, "volunteers", 200);
    harness_response_free(r);
    /* The year bounds the records: 2019 holds only the one activity. */
    r = summary(s, "", 2019, HUIZONG__GROUP_BY__GROUP_BY_UNSPECIFIED, NULL, NULL);
    sr = ok_result(r);
    assert_int_equal(sr->total_activities, 1);
    assert_int_equal(sr->total_participants, 999);
    harness_response_free(r);
    harness_close(s);
}

static void test_unknown_unit(void **state)
{
    (void)state;
    SSL *s = harness_connect_as(&H, "d1", "admin");
    Huizong__Response *r =
        summary(s, "nosuch", 2020, HUIZONG__GROUP_BY__GROUP_BY_UNSPECIFIED, NULL, NULL);
    harness_assert_status(r, HUIZONG__STATUS__NOT_FOUND);
    harness_response_free(r);
    harness_close(s);
}

/* The bytes on the wire, not just the decoded fields, must not hold the name. */
static void assert_no_beneficiary(SSL *s, const char *unit, Huizong__GroupBy g)
{
    uint8_t *raw;
    size_t len;
    Huizong__Response *r = summary(s, unit, 2020, g, &raw, &len);
    ok_result(r);
    assert_true(len > 0);
    if (memmem(raw, len, BENEFICIARY, strlen(BENEFICIARY)))
        fail_msg("summary of %s (group %d) carries the beneficiary's name", unit, (int)g);
    free(raw);
    harness_response_free(r);
}

static void test_beneficiary_never_in_summary(void **state)
{
    (void)state;
    static const Huizong__GroupBy groupings[] = {
        HUIZONG__GROUP_BY__GROUP_BY_UNSPECIFIED,
        HUIZONG__GROUP_BY__GROUP_BY_COMMUNITY,
        HUIZONG__GROUP_BY__GROUP_BY_CATEGORY,
        HUIZONG__GROUP_BY__GROUP_BY_MONTH,
    };
    /* The name is held: the test would prove nothing otherwise. */
    assert_int_equal(harness_pg_count(&H, "select count(*) from activity where $1 = any(beneficiaries)",
                                      BENEFICIARY),
                     1);
    SSL *d = harness_connect_as(&H, "d1", "district");
    SSL *c = harness_connect_as(&H, "c1", "community");
    for (size_t i = 0; i < sizeof groupings / sizeof groupings[0]; i++) {
        assert_no_beneficiary(d, "d1", groupings[i]);
        assert_no_beneficiary(d, "s1", groupings[i]);
        assert_no_beneficiary(c, "c1", groupings[i]);
    }
    harness_close(d);
    harness_close(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_district_by_community),
        cmocka_unit_test(test_district_by_category),
        cmocka_unit_test(test_district_totals_and_honors),
        cmocka_unit_test(test_street_subtree_only),
        cmocka_unit_test(test_street_principal_cannot_read_above),
        cmocka_unit_test(test_community_other_unit_denied),
        cmocka_unit_test(test_community_own_unit),
        cmocka_unit_test(test_unknown_unit),
        cmocka_unit_test(test_beneficiary_never_in_summary),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
