/* SubmitBatch against a real huizongd and PostgreSQL: what is accepted is in
 * the tables; what is refused gets its exact status and errors, and not one
 * row of its batch is written. Each test uses its own records. */
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

static int group_setup(void **state)
{
    (void)state;
    return harness_start_tree(&H);
}

static int group_teardown(void **state)
{
    (void)state;
    return harness_stop(&H) == 0 ? 0 : -1;
}

static void assert_field_error(const Huizong__Response *r, size_t i, const char *kind,
                               uint32_t index, const char *field, const char *reason_part)
{
    assert_true(r->n_errors > i);
    const Huizong__FieldError *e = r->errors[i];
    assert_string_equal(e->kind, kind);
    assert_int_equal(e->index, index);
    assert_string_equal(e->field, field);
    harness_assert_contains(e->reason, reason_part);
}

/* "{id,id,...}": a PostgreSQL array literal of the batch's record ids of one kind. */
static void ids_literal(char *out, size_t cap, Huizong__SubmitBatch *b, const char *kind)
{
    size_t off = (size_t)snprintf(out, cap, "{");
    size_t n = strcmp(kind, "activity") == 0          ? b->n_activities
               : strcmp(kind, "indicator_value") == 0 ? b->n_indicator_values
                                                      : b->n_honors;
    for (size_t i = 0; i < n && off < cap; i++) {
        const char *id = strcmp(kind, "activity") == 0 ? b->activities[i]->record_id
                         : strcmp(kind, "indicator_value") == 0
                             ? b->indicator_values[i]->record_id
                             : b->honors[i]->record_id;
        off += (size_t)snprintf(out + off, cap - off, "%s%s", i ? "," : "", id);
    }
    assert_true(off + 1 < cap);
    snprintf(out + off, cap - off, "}");
}

/* Rows of `table` holding any record of the batch's kind. */
static long rows_of(Huizong__SubmitBatch *b, const char *table)
{
    char ids[4096], sql[128];
    ids_literal(ids, sizeof ids, b, table);
    snprintf(sql, sizeof sql, "select count(*) from %s where record_id = any($1::uuid[])",
             table);
    long n = harness_pg_count(&H, sql, ids);
    assert_true(n >= 0);
    return n;
}

static long submissions(void)
{
    long n = harness_pg_count(&H, "select count(*) from submission", NULL);
    assert_true(n >= 0);
    return n;
}

/* Checks a refusal wrote nothing: no row of the batch, no submission. */
static void assert_nothing_written(Huizong__SubmitBatch *b, long submissions_before)
{
    assert_int_equal(rows_of(b, "activity"), 0);
    assert_int_equal(rows_of(b, "indicator_value"), 0);
    assert_int_equal(rows_of(b, "honor"), 0);
    assert_int_equal(submissions(), submissions_before);
}

static void assert_refused_invalid(const Huizong__Response *r, size_t n_errors)
{
    harness_assert_status(r, HUIZONG__STATUS__INVALID_ARGUMENT);
    char want[128];
    snprintf(want, sizeof want, "batch refused: %zu invalid field(s); nothing was written",
             n_errors);
    assert_string_equal(r->message, want);
    assert_int_equal(r->n_errors, n_errors);
}

static void test_valid_batch(void **state)
{
    (void)state;
    SSL *s = harness_connect_as(&H, "c1", "community");
    Huizong__Request *req = rec_request(100);
    Huizong__SubmitBatch *b = rec_submit(req);
    Huizong__Activity *a = rec_activity(b, "c1", "2020-04-12", "fire", 40, "消防安全讲座");
    a->participants_at_least = 1;
    rec_push(&a->partners, &a->n_partners, "消防中队");
    rec_activity(b, "c1", "2020-06-11", "culture", 25, "太极拳比赛");
    rec_indicator(b, "c1", "briefs", "2020-03", 2);
    rec_honor(b, "c1", "2020-06-11", "太极拳比赛一等奖", "district");
    long before = submissions();
    Huizong__Response *r = harness_call(s, req);
    harness_assert_status(r, HUIZONG__STATUS__OK);
    assert_int_equal(r->request_id, 100);
    assert_int_equal(r->body_case, HUIZONG__RESPONSE__BODY_SUBMIT);
    assert_int_equal(r->submit->accepted, 4);
    assert_int_equal(r->submit->duplicates, 0);
    assert_int_equal(strlen(r->submit->submission_id), 36);
    harness_response_free(r);
    assert_int_equal(rows_of(b, "activity"), 2);
    assert_int_equal(rows_of(b, "indicator_value"), 1);
    assert_int_equal(rows_of(b, "honor"), 1);
    assert_int_equal(submissions(), before + 1);
    assert_int_equal(harness_pg_count(&H, "select participants from activity where record_id = $1",
                                      b->activities[0]->record_id),
                     40);
    rec_free(req);
    harness_close(s);
}

static void test_same_batch_twice(void **state)
{
    (void)state;
    SSL *s = harness_connect_as(&H, "c1", "community");
    Huizong__Request *req = rec_request(110);
    Huizong__SubmitBatch *b = rec_submit(req);
    rec_activity(b, "c1", "2020-05-01", "antidrug", 30, "禁毒宣传");
    rec_activity(b, "c1", "2020-05-02", "visit", 5, "走访慰问");
    rec_activity(b, "c1", "2020-05-03", "culture", 60, "广场舞");
    Huizong__Response *r = harness_call(s, req);
    harness_assert_status(r, HUIZONG__STATUS__OK);
    assert_int_equal(r->submit->accepted, 3);
    harness_response_free(r);
    long before = submissions();
    req->request_id = 111;
    r = harness_call(s, req);
    harness_assert_status(r, HUIZONG__STATUS__OK);
    assert_int_equal(r->request_id, 111);
    assert_int_equal(r->submit->accepted, 0);
    assert_int_equal(r->submit->duplicates, 3);
    harness_response_free(r);
    assert_int_equal(rows_of(b, "activity"), 3);
    assert_int_equal(submissions(), before);
    rec_free(req);
    harness_close(s);
}

static void test_invalid_date(void **state)
{
    (void)state;
    SSL *s = harness_connect_as(&H, "c1", "community");
    Huizong__Request *req = rec_request(120);
    Huizong__SubmitBatch *b = rec_submit(req);
    rec_activity(b, "c1", "2020-02-28", "fire", 10, "ok before");
    rec_activity(b, "c1", "2020-02-30", "fire", 10, "no such day");
    rec_activity(b, "c1", "2020-03-01", "fire", 10, "ok after");
    long before = submissions();
    Huizong__Response *r = harness_call(s, req);
    assert_refused_invalid(r, 1);
    assert_int_equal(r->request_id, 120);
    assert_field_error(r, 0, "activity", 1, "date", "invalid date \"2020-02-30\"");
    harness_response_free(r);
    assert_nothing_written(b, before);
    rec_free(req);
    harness_close(s);
}

static void test_unknown_category(void **state)
{
    (void)state;
    SSL *s = harness_connect_as(&H, "c1", "community");
    Huizong__Request *req = rec_request(130);
    Huizong__SubmitBatch *b = rec_submit(req);
    rec_activity(b, "c1", "2020-07-01", "culture", 12, "fine");
    rec_activity(b, "c1", "2020-07-02", "nosuch", 12, "bad category");
    long before = submissions();
    Huizong__Response *r = harness_call(s, req);
    assert_refused_invalid(r, 1);
    assert_field_error(r, 0, "activity", 1, "category", "unknown category \"nosuch\"");
    harness_response_free(r);
    assert_nothing_written(b, before);
    rec_free(req);
    harness_close(s);
}

static void test_negative_participants(void **state)
{
    (void)state;
    SSL *s = harness_connect_as(&H, "c1", "community");
    Huizong__Request *req = rec_request(140);
    Huizong__SubmitBatch *b = rec_submit(req);
    rec_activity(b, "c1", "2020-07-03", "fire", -5, "negative");
    long before = submissions();
    Huizong__Response *r = harness_call(s, req);
    assert_refused_invalid(r, 1);
    assert_field_error(r, 0, "activity", 0, "participants", "must be >= 0, got -5");
    harness_response_free(r);
    assert_nothing_written(b, before);
    rec_free(req);
    harness_close(s);
}

static void test_record_for_other_unit(void **state)
{
    (void)state;
    SSL *s = harness_connect_as(&H, "c1", "community");
    Huizong__Request *req = rec_request(150);
    Huizong__SubmitBatch *b = rec_submit(req);
    rec_activity(b, "c1", "2020-08-01", "fire", 7, "own unit");
    rec_activity(b, "c2", "2020-08-01", "fire", 7, "someone else's");
    long before = submissions();
    Huizong__Response *r = harness_call(s, req);
    harness_assert_status(r, HUIZONG__STATUS__PERMISSION_DENIED);
    assert_int_equal(r->request_id, 150);
    harness_assert_contains(r->message, "c2");
    harness_response_free(r);
    assert_nothing_written(b, before);
    rec_free(req);
    harness_close(s);
}

static void test_district_cannot_submit(void **state)
{
    (void)state;
    SSL *s = harness_connect_as(&H, "d1", "district");
    Huizong__Request *req = rec_request(155);
    Huizong__SubmitBatch *b = rec_submit(req);
    rec_activity(b, "c1", "2020-08-02", "fire", 7, "by the district");
    long before = submissions();
    Huizong__Response *r = harness_call(s, req);
    harness_assert_status(r, HUIZONG__STATUS__PERMISSION_DENIED);
    harness_response_free(r);
    assert_nothing_written(b, before);
    rec_free(req);
    harness_close(s);
}

static void test_same_id_other_content(void **state)
{
    (void)state;
    SSL *s = harness_connect_as(&H, "c1", "community");
    Huizong__Request *req = rec_request(160);
    Huizong__SubmitBatch *b = rec_submit(req);
    Huizong__Activity *a = rec_activity(b, "c1", "2020-09-01", "visit", 10, "original");
    Huizong__Response *r = harness_call(s, req);
    harness_assert_status(r, HUIZONG__STATUS__OK);
    assert_int_equal(r->submit->accepted, 1);
    harness_response_free(r);
    long before = submissions();
    req->request_id = 161;
    a->participants = 11;
    rec_set(&a->title, "changed");
    r = harness_call(s, req);
    harness_assert_status(r, HUIZONG__STATUS__ALREADY_EXISTS);
    assert_int_equal(r->request_id, 161);
    harness_response_free(r);
    assert_int_equal(rows_of(b, "activity"), 1);
    assert_int_equal(submissions(), before);
    assert_int_equal(harness_pg_count(&H, "select participants from activity where record_id = $1",
                                      a->record_id),
                     10);
    char *title = harness_pg_text(&H, "select title from activity where record_id = $1",
                                  a->record_id);
    assert_non_null(title);
    assert_string_equal(title, "original");
    free(title);
    rec_free(req);
    harness_close(s);
}

static void test_mixed_batch_bad_honor(void **state)
{
    (void)state;
    SSL *s = harness_connect_as(&H, "c1", "community");
    Huizong__Request *req = rec_request(170);
    Huizong__SubmitBatch *b = rec_submit(req);
    rec_activity(b, "c1", "2020-10-01", "fire", 20, "good one");
    rec_activity(b, "c1", "2020-10-02", "culture", 21, "good two");
    rec_indicator(b, "c1", "volunteers", "2020-10", 150);
    rec_honor(b, "c1", "2020-13-01", "无效日期的荣誉", "street");
    long before = submissions();
    Huizong__Response *r = harness_call(s, req);
    assert_refused_invalid(r, 1);
    assert_field_error(r, 0, "honor", 0, "date", "2020-13-01");
    harness_response_free(r);
    assert_nothing_written(b, before);
    rec_free(req);
    harness_close(s);
}

static void test_indicator_wrong_period_type(void **state)
{
    (void)state;
    SSL *s = harness_connect_as(&H, "c1", "community");
    Huizong__Request *req = rec_request(180);
    Huizong__SubmitBatch *b = rec_submit(req);
    rec_activity(b, "c1", "2020-11-01", "fire", 9, "good");
    /* briefs are counted per month; a yearly period does not fit. */
    rec_indicator(b, "c1", "briefs", "2020", 12);
    long before = submissions();
    Huizong__Response *r = harness_call(s, req);
    assert_refused_invalid(r, 1);
    assert_field_error(r, 0, "indicator_value", 0, "period", "2020");
    harness_response_free(r);
    assert_nothing_written(b, before);
    rec_free(req);
    harness_close(s);
}

static void test_errors_are_all_reported(void **state)
{
    (void)state;
    SSL *s = harness_connect_as(&H, "c1", "community");
    Huizong__Request *req = rec_request(190);
    Huizong__SubmitBatch *b = rec_submit(req);
    rec_activity(b, "c1", "2020-02-30", "fire", 1, "bad date");
    rec_activity(b, "c1", "2020-11-02", "fire", -1, "bad count");
    long before = submissions();
    Huizong__Response *r = harness_call(s, req);
    assert_refused_invalid(r, 2);
    assert_field_error(r, 0, "activity", 0, "date", "2020-02-30");
    assert_field_error(r, 1, "activity", 1, "participants", "got -1");
    harness_response_free(r);
    assert_nothing_written(b, before);
    rec_free(req);
    harness_close(s);
}

/* After an amend, the original sheet sent again: the amended row is counted
 * as superseded (the held record keeps its new version), the rest of the
 * batch goes in; a content that matches no version stays ALREADY_EXISTS. */
static void test_superseded_after_amend(void **state)
{
    (void)state;
    SSL *s = harness_connect_as(&H, "c1", "community");
    Huizong__Request *req = rec_request(200);
    Huizong__SubmitBatch *b = rec_submit(req);
    Huizong__Activity *a = rec_activity(b, "c1", "2020-03-05", "volunteer", 45, "学雷锋志愿服务");
    rec_activity(b, "c1", "2020-03-06", "culture", 12, "书法培训");
    Huizong__Response *r = harness_call(s, req);
    harness_assert_status(r, HUIZONG__STATUS__OK);
    assert_int_equal(r->submit->accepted, 2);
    assert_int_equal(r->submit->superseded, 0);
    harness_response_free(r);

    r = hp_call(s, "{\"request_id\": 201, \"record_amend\": {\"record_id\": \"%s\", \"activity\": "
                "{\"date\": \"2020-03-05\", \"category\": \"volunteer\", \"title\": \"学雷锋志愿服务\", "
                "\"participants\": 48}}}", a->record_id);
    harness_assert_status(r, HUIZONG__STATUS__OK);
    harness_response_free(r);

    rec_activity(b, "c1", "2020-03-07", "fire", 30, "消防演练");
    long before = submissions();
    req->request_id = 202;
    r = harness_call(s, req);
    harness_assert_status(r, HUIZONG__STATUS__OK);
    assert_int_equal(r->request_id, 202);
    assert_int_equal(r->submit->accepted, 1);
    assert_int_equal(r->submit->duplicates, 1);
    assert_int_equal(r->submit->superseded, 1);
    harness_response_free(r);
    assert_int_equal(submissions(), before + 1);
    assert_int_equal(rows_of(b, "activity"), 4); /* two versions of the amended one */
    assert_int_equal(harness_pg_count(&H, "select participants from activity where record_id = $1"
                                      " and is_current", a->record_id),
                     48);

    /* Neither version: a conflict that names the record, and nothing written. */
    before = submissions();
    a->participants = 50;
    rec_activity(b, "c1", "2020-03-08", "fire", 31, "消防演练二");
    req->request_id = 203;
    r = harness_call(s, req);
    harness_assert_status(r, HUIZONG__STATUS__ALREADY_EXISTS);
    assert_int_equal(r->n_errors, 1);
    assert_field_error(r, 0, "activity", 0, "record_id", a->record_id);
    harness_response_free(r);
    assert_int_equal(rows_of(b, "activity"), 4);
    assert_int_equal(submissions(), before);
    rec_free(req);
    harness_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_batch),
        cmocka_unit_test(test_same_batch_twice),
        cmocka_unit_test(test_invalid_date),
        cmocka_unit_test(test_unknown_category),
        cmocka_unit_test(test_negative_participants),
        cmocka_unit_test(test_record_for_other_unit),
        cmocka_unit_test(test_district_cannot_submit),
        cmocka_unit_test(test_same_id_other_content),
        cmocka_unit_test(test_mixed_batch_bad_honor),
        cmocka_unit_test(test_indicator_wrong_period_type),
        cmocka_unit_test(test_errors_are_all_reported),
        cmocka_unit_test(test_superseded_after_amend),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
