/* Strings with control characters, and batches over max_batch_records,
 * refused from the wire bytes before the request is unpacked
 * (docs/memory.md, proto/wirescan.h). protobuf-c would hand a string with a
 * NUL to C cut short ("Meeting\0 cancelled" stored as "Meeting"); here each
 * is refused with INVALID_ARGUMENT naming the record and the field, and
 * nothing is written. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"
#include "harness.h"
#include "harness_assert.h"
#include "harness_mem.h"
#include "harness_org.h"
#include "records.h"

/* The peak RSS growth allowed for a 1 MiB frame refused by its count (the
 * frame itself, twice, plus ASan's shadow); unpacked it cost +95 MB. */
#define HYG_COUNT_BOUND_KB (16L << 10)
#define HYG_MARK '~' /* stands for a NUL byte in a string until the request is packed */

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

static long count_of(const char *sql, const char *param)
{
    long n = harness_pg_count(&H, sql, param);
    assert_true(n >= 0);
    return n;
}

/* Packs req, turns each HYG_MARK byte into `byte` (there must be `marks` of
 * them: a length or id equal to the mark would show here), sends it and
 * returns the reply. */
static Huizong__Response *hyg_call_marked(SSL *s, const Huizong__Request *req, size_t marks,
                                          uint8_t byte)
{
    size_t len, seen = 0;
    uint8_t *buf = frame_pack_request(req, &len);
    assert_non_null(buf);
    for (size_t i = 4; i < len; i++)
        if (buf[i] == HYG_MARK) {
            buf[i] = byte;
            seen++;
        }
    assert_int_equal(seen, marks);
    assert_int_equal(harness_send_raw(s, buf, len), 0);
    free(buf);
    return harness_recv_response(s);
}

static void assert_batch_refused(const Huizong__Response *r, const char *kind, uint32_t index,
                                 const char *field, const char *reason)
{
    harness_assert_status(r, HUIZONG__STATUS__INVALID_ARGUMENT);
    assert_string_equal(r->message, "batch refused: 1 invalid field(s); nothing was written");
    assert_int_equal(r->n_errors, 1);
    assert_string_equal(r->errors[0]->kind, kind);
    assert_int_equal(r->errors[0]->index, index);
    assert_string_equal(r->errors[0]->field, field);
    assert_string_equal(r->errors[0]->reason, reason);
}

/* A batch of two good activities and `bad` set up by the caller, sent with
 * a NUL (or `byte`) where the caller put HYG_MARK; nothing may be written. */
static void hyg_refused(Huizong__Request *req, uint8_t byte, const char *kind, uint32_t index,
                        const char *field, const char *reason)
{
    SSL *s = harness_connect_as(&H, "c1", "community");
    long acts = count_of("select count(*) from activity", NULL);
    long subs = count_of("select count(*) from submission", NULL);
    Huizong__Response *r = hyg_call_marked(s, req, 1, byte);
    assert_batch_refused(r, kind, index, field, reason);
    harness_response_free(r);
    assert_int_equal(count_of("select count(*) from activity", NULL), acts);
    assert_int_equal(count_of("select count(*) from submission", NULL), subs);
    harness_close(s);
}

static Huizong__Request *hyg_batch(Huizong__Activity **second)
{
    Huizong__Request *req = rec_request(31);
    Huizong__SubmitBatch *b = rec_submit(req);
    rec_activity(b, "c1", "2021-03-01", "culture", 5, "first, fine");
    *second = rec_activity(b, "c1", "2021-03-02", "culture", 5, "second");
    return req;
}

static void test_nul_in_title(void **state)
{
    (void)state;
    Huizong__Activity *a;
    Huizong__Request *req = hyg_batch(&a);
    rec_set(&a->title, "Meeting~ cancelled");
    hyg_refused(req, 0, "activity", 1, "title",
                "must not hold control characters other than tab and line feed");
    assert_int_equal(count_of("select count(*) from activity where title like 'Meeting%'", NULL), 0);
    rec_free(req);
}

static void test_nul_in_unit_code(void **state)
{
    (void)state;
    Huizong__Activity *a;
    Huizong__Request *req = hyg_batch(&a);
    rec_set(&a->unit_code, "c1~c2");
    hyg_refused(req, 0, "activity", 1, "unit_code", "must not hold control characters");
    rec_free(req);
}

static void test_nul_after_record_id(void **state)
{
    (void)state;
    Huizong__Activity *a;
    Huizong__Request *req = hyg_batch(&a);
    char id[REC_UUID_LEN + 8];
    snprintf(id, sizeof id, "%s~junk", a->record_id);
    rec_set(&a->record_id, id);
    hyg_refused(req, 0, "activity", 1, "record_id", "must not hold control characters");
    rec_free(req);
}

static void test_escape_in_honor_issuer(void **state)
{
    (void)state;
    Huizong__Request *req = rec_request(32);
    Huizong__Honor *h = rec_honor(rec_submit(req), "c1", "2021", "先进集体", "district");
    rec_set(&h->issuer, "区委~[31m");
    hyg_refused(req, 0x1B, "honor", 0, "issuer",
                "must not hold control characters other than tab and line feed");
    rec_free(req);
}

static void test_lf_in_tag(void **state)
{
    (void)state;
    Huizong__Activity *a;
    Huizong__Request *req = hyg_batch(&a);
    rec_push(&a->tags, &a->n_tags, "ok");
    rec_push(&a->tags, &a->n_tags, "two~lines");
    hyg_refused(req, '\n', "activity", 1, "tags", "entry 1 must not hold control characters");
    rec_free(req);
}

/* TAB and LF are text in an activity's title and summary: stored as sent. */
static void test_tab_lf_accepted(void **state)
{
    (void)state;
    SSL *s = harness_connect_as(&H, "c1", "community");
    Huizong__Request *req = rec_request(33);
    Huizong__Activity *a = rec_activity(rec_submit(req), "c1", "2021-03-03", "culture", 8,
                                        "Meeting\theld\nin the hall");
    rec_set(&a->summary, "line one\nline two\n\tindented");
    Huizong__Response *r = harness_call(s, req);
    harness_assert_status(r, HUIZONG__STATUS__OK);
    assert_int_equal(r->submit->accepted, 1);
    harness_response_free(r);
    char *title = harness_pg_text(&H, "select title from activity where record_id = $1::uuid",
                                  a->record_id);
    char *summary = harness_pg_text(&H, "select summary from activity where record_id = $1::uuid",
                                    a->record_id);
    assert_string_equal(title, "Meeting\theld\nin the hall");
    assert_string_equal(summary, "line one\nline two\n\tindented");
    free(title);
    free(summary);
    rec_free(req);
    harness_close(s);
}

/* Not only SubmitBatch: a field of another request, and a record in one. */
static void test_nul_in_unit_name(void **state)
{
    (void)state;
    SSL *admin = harness_connect_admin(&H);
    assert_non_null(admin);
    Huizong__Request *req = rec_request(34);
    Huizong__UnitRename *u = malloc(sizeof *u);
    huizong__unit_rename__init(u);
    rec_set(&u->code, "c2");
    rec_set(&u->name, "二社区~改");
    req->body_case = HUIZONG__REQUEST__BODY_UNIT_RENAME;
    req->unit_rename = u;
    long audit = org_audit_rows(&H);
    char *before = harness_pg_text(&H, "select name from org_unit where code = 'c2'", NULL);
    Huizong__Response *r = hyg_call_marked(admin, req, 1, 0);
    org_assert_status(r, HUIZONG__STATUS__INVALID_ARGUMENT, "name: must not hold control characters");
    assert_int_equal(r->n_errors, 1);
    assert_string_equal(r->errors[0]->kind, "request");
    assert_string_equal(r->errors[0]->field, "name");
    harness_response_free(r);
    assert_int_equal(org_audit_rows(&H), audit);
    char *after = harness_pg_text(&H, "select name from org_unit where code = 'c2'", NULL);
    assert_non_null(before);
    assert_non_null(after);
    assert_string_equal(after, before);
    free(before);
    free(after);
    rec_free(req);
    harness_close(admin);
}

static void test_nul_in_amended_title(void **state)
{
    (void)state;
    SSL *s = harness_connect_as(&H, "c1", "community");
    Huizong__Request *sub = rec_request(35);
    Huizong__Activity *held = rec_activity(rec_submit(sub), "c1", "2021-03-04", "culture", 3, "held");
    Huizong__Response *r = harness_call(s, sub);
    harness_assert_status(r, HUIZONG__STATUS__OK);
    harness_response_free(r);

    Huizong__Request *req = rec_request(36);
    Huizong__RecordAmend *am = malloc(sizeof *am);
    huizong__record_amend__init(am);
    rec_set(&am->record_id, held->record_id);
    am->activity = malloc(sizeof *am->activity);
    huizong__activity__init(am->activity);
    rec_set(&am->activity->date, "2021-03-04");
    rec_set(&am->activity->category, "culture");
    rec_set(&am->activity->title, "held~ or not");
    req->body_case = HUIZONG__REQUEST__BODY_RECORD_AMEND;
    req->record_amend = am;
    r = hyg_call_marked(s, req, 1, 0);
    harness_assert_status(r, HUIZONG__STATUS__INVALID_ARGUMENT);
    assert_string_equal(r->message, "activity.title: must not hold control characters other than "
                                    "tab and line feed; nothing was written");
    harness_response_free(r);
    assert_int_equal(count_of("select max(version) from activity where record_id = $1::uuid",
                              held->record_id), 1);
    rec_free(req);
    rec_free(sub);
    harness_close(s);
}

/* The frame on a server with the default max_batch_records (5000):
 * refused by its count on the wire, with the handler's own message, before
 * any of it is unpacked. */
static void test_batch_count_before_unpack(void **state)
{
    (void)state;
    SSL *s = harness_connect_as(&H, "c1", "community");
    size_t len;
    uint8_t *frame = harness_mem_empty_activities(37, 524278, &len);
    harness_mem_mark m;

    assert_int_equal(harness_mem_begin(&H, &m), 0);
    assert_int_equal(harness_send_raw(s, frame, len), 0);
    Huizong__Response *r = harness_recv_response(s);
    assert_batch_refused(r, "request", 0, "records", "524278 records; at most 5000 per batch");
    harness_response_free(r);
    long growth = harness_mem_peak_growth_kb(&H, &m);
    fprintf(stderr, "batch count refusal: server peak RSS growth %ld kB\n", growth);
    assert_true(growth >= 0);
    assert_true(growth < HYG_COUNT_BOUND_KB);
    free(frame);
    harness_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nul_in_title),
        cmocka_unit_test(test_nul_in_unit_code),
        cmocka_unit_test(test_nul_after_record_id),
        cmocka_unit_test(test_escape_in_honor_issuer),
        cmocka_unit_test(test_lf_in_tag),
        cmocka_unit_test(test_tab_lf_accepted),
        cmocka_unit_test(test_nul_in_unit_name),
        cmocka_unit_test(test_nul_in_amended_title),
        cmocka_unit_test(test_batch_count_before_unpack),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
