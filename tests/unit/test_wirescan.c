/* The wire walk before unpacking (proto/wirescan.h): request id and body,
 * the record count of a batch, control characters by field and rule, and
 * malformed input refused as protobuf-c refuses it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "huizong.pb-c.h"
#include "wirescan.h"

#define MARK '~' /* becomes the byte under test once packed */

static uint8_t *pack_marked(const Huizong__Request *req, size_t *len, uint8_t byte)
{
    *len = huizong__request__get_packed_size(req);
    uint8_t *buf = malloc(*len ? *len : 1);
    assert_non_null(buf);
    huizong__request__pack(req, buf);
    for (size_t i = 0; i < *len; i++)
        if (buf[i] == MARK)
            buf[i] = byte;
    return buf;
}

typedef struct {
    Huizong__Request req;
    Huizong__SubmitBatch batch;
    Huizong__Activity act[3];
    Huizong__Activity *ptrs[3];
    Huizong__Honor honor;
    Huizong__Honor *honor_ptr;
} batch_fixture;

static void batch_init(batch_fixture *f, size_t n_act)
{
    huizong__request__init(&f->req);
    huizong__submit_batch__init(&f->batch);
    for (size_t i = 0; i < 3; i++) {
        huizong__activity__init(&f->act[i]);
        f->act[i].record_id = "0f8fad5b-d9cb-469f-a165-70867728950e";
        f->act[i].unit_code = "c1";
        f->act[i].title = "title";
        f->ptrs[i] = &f->act[i];
    }
    huizong__honor__init(&f->honor);
    f->honor.title = "honour";
    f->honor_ptr = &f->honor;
    f->batch.activities = f->ptrs;
    f->batch.n_activities = n_act;
    f->batch.honors = &f->honor_ptr;
    f->batch.n_honors = 1;
    f->req.request_id = 77;
    f->req.body_case = HUIZONG__REQUEST__BODY_SUBMIT;
    f->req.submit = &f->batch;
}

static long scan(const Huizong__Request *req, uint8_t byte, wirescan_info *info,
                 validate_errors *e)
{
    size_t len;
    uint8_t *buf = pack_marked(req, &len, byte);
    long n = wirescan_request(buf, len, info, e);
    free(buf);
    return n;
}

static void test_id_body_and_count(void **state)
{
    (void)state;
    batch_fixture f;
    wirescan_info info;
    batch_init(&f, 3);
    assert_int_equal(scan(&f.req, 0, &info, NULL), 0);
    assert_int_equal(info.request_id, 77);
    assert_int_equal(info.body, HUIZONG__REQUEST__BODY_SUBMIT);
    assert_int_equal(info.records, 4);
}

static void test_nul_in_title_named(void **state)
{
    (void)state;
    batch_fixture f;
    wirescan_info info;
    validate_errors e = {0};
    batch_init(&f, 3);
    f.act[2].title = "Meeting~ cancelled";
    f.act[0].unit_code = "c1~c2";
    assert_int_equal(scan(&f.req, 0, &info, &e), 2);
    assert_int_equal(e.count, 2);
    assert_string_equal(e.items[0].kind, "activity");
    assert_int_equal(e.items[0].index, 0);
    assert_string_equal(e.items[0].field, "unit_code");
    assert_string_equal(e.items[0].reason, VALIDATE_CONTROL_REASON);
    assert_string_equal(e.items[1].kind, "activity");
    assert_int_equal(e.items[1].index, 2);
    assert_string_equal(e.items[1].field, "title");
    assert_string_equal(e.items[1].reason, VALIDATE_CONTROL_REASON_TEXT);
    validate_errors_free(&e);
}

static void test_tab_lf_by_field(void **state)
{
    (void)state;
    batch_fixture f;
    wirescan_info info;
    validate_errors e = {0};
    batch_init(&f, 1);
    f.act[0].title = "a~b";
    f.act[0].summary = "x~y";
    assert_int_equal(scan(&f.req, '\n', &info, NULL), 0);
    assert_int_equal(scan(&f.req, '\t', &info, NULL), 0);
    assert_int_equal(scan(&f.req, '\r', &info, NULL), 2);
    assert_int_equal(scan(&f.req, 0x7F, &info, NULL), 2);
    f.act[0].title = "t";
    f.act[0].summary = "";
    f.act[0].category = "cul~ture";
    assert_int_equal(scan(&f.req, '\t', &info, &e), 1);
    assert_string_equal(e.items[0].field, "category");
    validate_errors_free(&e);
}

static void test_list_entry_named(void **state)
{
    (void)state;
    batch_fixture f;
    wirescan_info info;
    validate_errors e = {0};
    char *tags[] = { "ok", "two~lines" };
    batch_init(&f, 1);
    f.act[0].tags = tags;
    f.act[0].n_tags = 2;
    assert_int_equal(scan(&f.req, '\n', &info, &e), 1);
    assert_string_equal(e.items[0].field, "tags");
    assert_string_equal(e.items[0].reason, "entry 1 " VALIDATE_CONTROL_REASON);
    validate_errors_free(&e);
}

static void test_other_requests(void **state)
{
    (void)state;
    Huizong__Request req = HUIZONG__REQUEST__INIT;
    Huizong__UnitRename u = HUIZONG__UNIT_RENAME__INIT;
    Huizong__Hello h = HUIZONG__HELLO__INIT;
    Huizong__RecordAmend am = HUIZONG__RECORD_AMEND__INIT;
    Huizong__Activity a = HUIZONG__ACTIVITY__INIT;
    wirescan_info info;
    validate_errors e = {0};

    u.code = "c2", u.name = "a~b";
    req.body_case = HUIZONG__REQUEST__BODY_UNIT_RENAME, req.unit_rename = &u;
    assert_int_equal(scan(&req, 0, &info, &e), 1);
    assert_string_equal(e.items[0].kind, "request");
    assert_string_equal(e.items[0].field, "name");
    assert_int_equal(info.records, 0);
    validate_errors_free(&e);

    a.title = "x~";
    am.record_id = "r", am.activity = &a;
    req.body_case = HUIZONG__REQUEST__BODY_RECORD_AMEND, req.record_amend = &am;
    assert_int_equal(scan(&req, 0, &info, &e), 1);
    assert_string_equal(e.items[0].kind, "activity");
    assert_string_equal(e.items[0].field, "title");
    validate_errors_free(&e);

    /* Hello.client_name only labels the log line, which escapes it. */
    h.protocol_version = 1, h.client_name = "name~";
    req.body_case = HUIZONG__REQUEST__BODY_HELLO, req.hello = &h;
    assert_int_equal(scan(&req, 0x1B, &info, NULL), 0);
    assert_int_equal(info.body, HUIZONG__REQUEST__BODY_HELLO);
}

static void test_malformed(void **state)
{
    (void)state;
    static const uint8_t truncated_len[] = { 0x5A, 0x05, 0x0A };
    static const uint8_t field_zero[] = { 0x02, 0x00 };
    static const uint8_t group[] = { 0x0B };
    static const uint8_t long_varint[] = { 0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                                           0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 };
    static const uint8_t bad_inner[] = { 0x5A, 0x02, 0x0A, 0x05 };
    wirescan_info info;
    assert_int_equal(wirescan_request(truncated_len, sizeof truncated_len, &info, NULL), -1);
    assert_int_equal(wirescan_request(field_zero, sizeof field_zero, &info, NULL), -1);
    assert_int_equal(wirescan_request(group, sizeof group, &info, NULL), -1);
    assert_int_equal(wirescan_request(long_varint, sizeof long_varint, &info, NULL), -1);
    assert_int_equal(wirescan_request(bad_inner, sizeof bad_inner, &info, NULL), -1);
    assert_int_equal(wirescan_request(NULL, 0, &info, NULL), 0);
    assert_int_equal(info.body, 0);
}

/* Unknown fields are skipped (a newer client), and the last body wins, as
 * protobuf-c keeps the last member of a oneof. */
static void test_unknown_and_last_body(void **state)
{
    (void)state;
    static const uint8_t two_bodies[] = {
        0xF8, 0x3F, 0x01,             /* field 1023, varint: unknown */
        0x5A, 0x04, 0x0A, 0x00, 0x0A, 0x00, /* submit: 2 activities */
        0x52, 0x00,                   /* hello (10), empty */
    };
    wirescan_info info;
    assert_int_equal(wirescan_request(two_bodies, sizeof two_bodies, &info, NULL), 0);
    assert_int_equal(info.body, HUIZONG__REQUEST__BODY_HELLO);
    assert_int_equal(info.records, 0);
    assert_int_equal(wirescan_request(two_bodies, 9, &info, NULL), 0);
    assert_int_equal(info.records, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_id_body_and_count),
        cmocka_unit_test(test_nul_in_title_named),
        cmocka_unit_test(test_tab_lf_by_field),
        cmocka_unit_test(test_list_entry_named),
        cmocka_unit_test(test_other_requests),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_unknown_and_last_body),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
