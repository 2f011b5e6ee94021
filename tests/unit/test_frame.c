/* Framing: header encoding, every peek outcome, and packing round trips. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "frame.h"
#include "wire.h"

static void test_header_big_endian(void **state)
{
    (void)state;
    uint8_t h[4];
    frame_put_header(h, 0x01020304u);
    assert_int_equal(h[0], 1);
    assert_int_equal(h[1], 2);
    assert_int_equal(h[2], 3);
    assert_int_equal(h[3], 4);
    frame_put_header(h, 0xFFFFFFFFu);
    assert_int_equal(h[0] & h[1] & h[2] & h[3], 0xFF);
}

static void test_peek_partial_header(void **state)
{
    (void)state;
    uint8_t buf[4] = { 0, 0, 0, 5 };
    uint32_t n = 77;
    for (size_t len = 0; len < 4; len++) {
        assert_int_equal(frame_peek(buf, len, 100, &n), FRAME_NEED_MORE);
        assert_int_equal(n, 77); /* untouched until the header is whole */
    }
    assert_int_equal(frame_peek(NULL, 0, 100, &n), FRAME_NEED_MORE);
}

static void test_peek_empty(void **state)
{
    (void)state;
    uint8_t buf[8] = { 0 };
    uint32_t n = 77;
    assert_int_equal(frame_peek(buf, 4, 100, &n), FRAME_EMPTY);
    assert_int_equal(n, 0);
    assert_int_equal(frame_peek(buf, 8, 100, &n), FRAME_EMPTY);
}

static void test_peek_sizes_around_max(void **state)
{
    (void)state;
    const uint32_t max = 64;
    uint8_t buf[4 + 65] = { 0 };
    uint32_t n = 0;

    frame_put_header(buf, max);
    assert_int_equal(frame_peek(buf, 4 + max - 1, max, &n), FRAME_NEED_MORE);
    assert_int_equal(n, max);
    assert_int_equal(frame_peek(buf, 4 + max, max, &n), FRAME_READY);
    assert_int_equal(n, max);

    frame_put_header(buf, max + 1);
    assert_int_equal(frame_peek(buf, 4, max, &n), FRAME_TOO_LARGE);
    assert_int_equal(n, max + 1);
    assert_int_equal(frame_peek(buf, sizeof buf, max, &n), FRAME_TOO_LARGE);

    frame_put_header(buf, 0xFFFFFFFFu);
    assert_int_equal(frame_peek(buf, 4, HZ_DEFAULT_MAX_FRAME, &n), FRAME_TOO_LARGE);
    assert_int_equal(n, 0xFFFFFFFFu);
}

static void test_peek_ready_with_trailing_bytes(void **state)
{
    (void)state;
    uint8_t buf[12] = { 0, 0, 0, 3, 'a', 'b', 'c', 0, 0, 0, 9, 'x' };
    uint32_t n = 0;
    assert_int_equal(frame_peek(buf, sizeof buf, 100, &n), FRAME_READY);
    assert_int_equal(n, 3);
    /* The second frame is incomplete. */
    assert_int_equal(frame_peek(buf + 7, 5, 100, &n), FRAME_NEED_MORE);
    assert_int_equal(n, 9);
    /* payload_len may be NULL */
    assert_int_equal(frame_peek(buf, sizeof buf, 100, NULL), FRAME_READY);
}

static void test_pack_request_round_trip(void **state)
{
    (void)state;
    Huizong__Request req = HUIZONG__REQUEST__INIT;
    Huizong__Hello hello = HUIZONG__HELLO__INIT;
    hello.protocol_version = HZ_PROTOCOL_VERSION;
    hello.client_name = "huizong-test";
    req.request_id = 42;
    req.body_case = HUIZONG__REQUEST__BODY_HELLO;
    req.hello = &hello;

    size_t len = 0;
    uint8_t *buf = frame_pack_request(&req, &len);
    assert_non_null(buf);
    uint32_t n = 0;
    assert_int_equal(frame_peek(buf, len, HZ_DEFAULT_MAX_FRAME, &n), FRAME_READY);
    assert_int_equal(len, 4 + n);
    assert_int_equal(n, huizong__request__get_packed_size(&req));

    Huizong__Request *back = huizong__request__unpack(NULL, n, buf + 4);
    assert_non_null(back);
    assert_int_equal(back->request_id, 42);
    assert_int_equal(back->body_case, HUIZONG__REQUEST__BODY_HELLO);
    assert_string_equal(back->hello->client_name, "huizong-test");
    assert_int_equal(back->hello->protocol_version, HZ_PROTOCOL_VERSION);
    huizong__request__free_unpacked(back, NULL);
    free(buf);
}

static void test_pack_response_round_trip(void **state)
{
    (void)state;
    Huizong__Response resp = HUIZONG__RESPONSE__INIT;
    Huizong__FieldError fe = HUIZONG__FIELD_ERROR__INIT;
    Huizong__FieldError *errs[1] = { &fe };
    fe.kind = "activity";
    fe.index = 3;
    fe.field = "date";
    fe.reason = "invalid date";
    resp.request_id = 7;
    resp.status = HUIZONG__STATUS__INVALID_ARGUMENT;
    resp.message = "1 bad record";
    resp.n_errors = 1;
    resp.errors = errs;

    size_t len = 0;
    uint8_t *buf = frame_pack_response(&resp, &len);
    assert_non_null(buf);
    uint32_t n = 0;
    assert_int_equal(frame_peek(buf, len, HZ_DEFAULT_MAX_FRAME, &n), FRAME_READY);
    Huizong__Response *back = huizong__response__unpack(NULL, n, buf + 4);
    assert_non_null(back);
    assert_int_equal(back->status, HUIZONG__STATUS__INVALID_ARGUMENT);
    assert_int_equal(back->n_errors, 1);
    assert_int_equal(back->errors[0]->index, 3);
    assert_string_equal(back->errors[0]->field, "date");
    huizong__response__free_unpacked(back, NULL);
    free(buf);
}

static void test_pack_empty_message_is_empty_frame(void **state)
{
    (void)state;
    /* All defaults pack to zero bytes: the peer sees FRAME_EMPTY. */
    Huizong__Request req = HUIZONG__REQUEST__INIT;
    size_t len = 99;
    uint8_t *buf = frame_pack_request(&req, &len);
    assert_non_null(buf);
    assert_int_equal(len, 4);
    assert_int_equal(frame_peek(buf, len, 100, NULL), FRAME_EMPTY);
    free(buf);
}

static void test_pack_null(void **state)
{
    (void)state;
    size_t len = 99;
    assert_null(frame_pack_request(NULL, &len));
    assert_int_equal(len, 0);
    assert_null(frame_pack_response(NULL, &len));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header_big_endian),
        cmocka_unit_test(test_peek_partial_header),
        cmocka_unit_test(test_peek_empty),
        cmocka_unit_test(test_peek_sizes_around_max),
        cmocka_unit_test(test_peek_ready_with_trailing_bytes),
        cmocka_unit_test(test_pack_request_round_trip),
        cmocka_unit_test(test_pack_response_round_trip),
        cmocka_unit_test(test_pack_empty_message_is_empty_frame),
        cmocka_unit_test(test_pack_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
