/* Protocol errors against a real huizongd: every bad connection gets its exact
 * status and message (or a refused handshake), and the server survives it. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "frame.h"
#include "harness.h"
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

static const char *c1_creds(void)
{
    const char *d = harness_issue_creds(&H, "c1", "community");
    assert_non_null(d);
    return d;
}

static SSL *connect_c1(void)
{
    SSL *s = harness_connect(&H, c1_creds());
    assert_non_null(s);
    return s;
}

static SSL *connect_c1_hello(void)
{
    SSL *s = harness_connect_hello(&H, c1_creds());
    assert_non_null(s);
    return s;
}

/* The server is still up and serves a fresh connection. */
static void assert_server_alive(void)
{
    assert_true(harness_server_running(&H));
    SSL *s = connect_c1_hello();
    harness_close(s);
}

static void assert_status(const Huizong__Response *r, Huizong__Status want)
{
    assert_non_null(r);
    assert_string_equal(wire_status_name(r->status), wire_status_name(want));
}

/* Reads one error response, checks it exactly, then checks the close. */
static void expect_error_then_close(SSL *s, uint64_t id, Huizong__Status st, const char *msg)
{
    Huizong__Response *r = harness_recv_response(s);
    assert_status(r, st);
    assert_int_equal(r->request_id, id);
    assert_string_equal(r->message, msg);
    harness_response_free(r);
    assert_int_equal(harness_wait_close(s), 1);
}

static void test_hello_ok(void **state)
{
    (void)state;
    SSL *s = connect_c1();
    Huizong__Response *r = harness_hello(s, 42, HZ_PROTOCOL_VERSION);
    assert_status(r, HUIZONG__STATUS__OK);
    assert_int_equal(r->request_id, 42);
    assert_int_equal(r->body_case, HUIZONG__RESPONSE__BODY_HELLO);
    assert_int_equal(r->hello->protocol_version, HZ_PROTOCOL_VERSION);
    assert_int_equal(r->hello->role, HUIZONG__ROLE__ROLE_COMMUNITY);
    assert_string_equal(r->hello->unit_code, "c1");
    assert_non_null(r->hello->limits);
    assert_int_equal(r->hello->limits->max_frame_bytes, HZ_DEFAULT_MAX_FRAME);
    harness_response_free(r);
    harness_close(s);
}

static void test_frame_over_limit(void **state)
{
    (void)state;
    SSL *s = connect_c1_hello();
    uint8_t hdr[4];
    frame_put_header(hdr, HZ_DEFAULT_MAX_FRAME + 1);
    /* The header alone must be refused: the server cannot wait for 1 MiB. */
    assert_int_equal(harness_send_raw(s, hdr, sizeof hdr), 0);
    expect_error_then_close(s, 0, HUIZONG__STATUS__RESOURCE_EXHAUSTED,
                            "frame of 1048577 bytes exceeds the limit of 1048576 bytes");
    harness_close(s);
    assert_server_alive();
}

static void test_frame_empty(void **state)
{
    (void)state;
    SSL *s = connect_c1_hello();
    static const uint8_t zero[4] = {0, 0, 0, 0};
    assert_int_equal(harness_send_raw(s, zero, sizeof zero), 0);
    expect_error_then_close(s, 0, HUIZONG__STATUS__INVALID_ARGUMENT, "empty frame (length 0)");
    harness_close(s);
    assert_server_alive();
}

static void test_request_before_hello(void **state)
{
    (void)state;
    SSL *s = connect_c1();
    Huizong__Request *req = rec_request(77);
    rec_summary(req, 2020, "c1");
    assert_int_equal(harness_send_request(s, req), 0);
    rec_free(req);
    expect_error_then_close(s, 77, HUIZONG__STATUS__FAILED_PRECONDITION,
                            "Hello must be the first request on a connection");
    harness_close(s);
    assert_server_alive();
}

static void test_garbage_http(void **state)
{
    (void)state;
    SSL *s = connect_c1();
    static const char http[] = "GET / HTTP/1.1\r\n\r\n";
    assert_int_equal(harness_send_raw(s, http, sizeof http - 1), 0);
    /* "GET " read as a big-endian length is 0x47455420. */
    expect_error_then_close(s, 0, HUIZONG__STATUS__RESOURCE_EXHAUSTED,
                            "frame of 1195725856 bytes exceeds the limit of 1048576 bytes");
    harness_close(s);
    assert_server_alive();
}

/* xorshift32: the same "random" bytes on every run. */
static void fill_pseudo_random(uint8_t *buf, size_t n, uint32_t seed)
{
    for (size_t i = 0; i < n; i++) {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        buf[i] = (uint8_t)seed;
    }
}

static void test_garbage_random(void **state)
{
    (void)state;
    for (uint32_t seed = 1; seed <= 4; seed++) {
        SSL *s = connect_c1_hello();
        uint8_t junk[600];
        fill_pseudo_random(junk, sizeof junk, seed * 2654435761u);
        /* A plausible length in front, then noise: it must not parse. */
        frame_put_header(junk, 200);
        assert_int_equal(harness_send_raw(s, junk, sizeof junk), 0);
        Huizong__Response *r;
        int answers = 0;
        while ((r = harness_recv_response(s)) != NULL) {
            assert_int_not_equal(r->status, HUIZONG__STATUS__OK);
            harness_response_free(r);
            assert_true(++answers < 4);
        }
        harness_close(s);
        assert_server_alive();
    }
}

static void test_malformed_protobuf(void **state)
{
    (void)state;
    SSL *s = connect_c1_hello();
    /* 0xFF... is a varint tag that never ends: no protobuf parser accepts it. */
    uint8_t frame[4 + 12];
    frame_put_header(frame, 12);
    memset(frame + 4, 0xFF, 12);
    assert_int_equal(harness_send_raw(s, frame, sizeof frame), 0);
    expect_error_then_close(s, 0, HUIZONG__STATUS__INVALID_ARGUMENT,
                            "malformed request: not a valid protobuf Request");
    harness_close(s);
    assert_server_alive();
}

static void test_plaintext_to_tls_port(void **state)
{
    (void)state;
    int fd = harness_connect_tcp(&H);
    assert_true(fd >= 0);
    Huizong__Request *req = rec_request(5);
    req->body_case = HUIZONG__REQUEST__BODY_HELLO;
    req->hello = calloc(1, sizeof *req->hello);
    assert_non_null(req->hello);
    huizong__hello__init(req->hello);
    req->hello->protocol_version = HZ_PROTOCOL_VERSION;
    size_t len;
    uint8_t *frame = frame_pack_request(req, &len);
    rec_free(req);
    assert_non_null(frame);
    assert_int_equal(send(fd, frame, len, MSG_NOSIGNAL), (ssize_t)len);
    free(frame);
    /* At most a TLS alert record (type 21) comes back, then the close. */
    uint8_t buf[256];
    int first = -1;
    ssize_t n;
    while ((n = recv(fd, buf, sizeof buf, 0)) > 0)
        if (first < 0)
            first = buf[0];
    assert_true(n == 0 || errno == ECONNRESET);
    assert_true(first == -1 || first == 21);
    close(fd);
    assert_server_alive();
}

/* A refused client gets no Hello response: the handshake fails, or with TLS
 * 1.3 the first read brings the server's alert. */
static void assert_no_hello(const char *creds)
{
    SSL *s = harness_connect(&H, creds);
    if (s) {
        Huizong__Response *r = harness_hello(s, 1, HZ_PROTOCOL_VERSION);
        if (r)
            fprintf(stderr, "unexpected answer: %s %s\n", wire_status_name(r->status), r->message);
        assert_null(r);
        harness_close(s);
    }
    assert_server_alive();
}

static void test_no_client_cert(void **state)
{
    (void)state;
    assert_no_hello(NULL);
}

static void test_cert_from_other_ca(void **state)
{
    (void)state;
    const char *creds = harness_issue_creds_ca(&H, "other", "c1", "community");
    assert_non_null(creds);
    assert_no_hello(creds);
}

static void test_wrong_protocol_version(void **state)
{
    (void)state;
    SSL *s = connect_c1();
    Huizong__Response *r = harness_hello(s, 9, 2);
    assert_status(r, HUIZONG__STATUS__FAILED_PRECONDITION);
    assert_int_equal(r->request_id, 9);
    assert_string_equal(r->message, "protocol version 2 not supported (server speaks 1)");
    harness_response_free(r);
    harness_close(s);
    assert_server_alive();
}

/* Appends one framed request to buf at *off. */
static void put_request(uint8_t *buf, size_t cap, size_t *off, Huizong__Request *req)
{
    size_t len;
    uint8_t *frame = frame_pack_request(req, &len);
    assert_non_null(frame);
    assert_true(*off + len <= cap);
    memcpy(buf + *off, frame, len);
    *off += len;
    free(frame);
    rec_free(req);
}

static void test_pipelining(void **state)
{
    (void)state;
    SSL *s = connect_c1();
    uint8_t buf[512];
    size_t off = 0;
    Huizong__Request *hello = rec_request(1);
    hello->body_case = HUIZONG__REQUEST__BODY_HELLO;
    hello->hello = calloc(1, sizeof *hello->hello);
    assert_non_null(hello->hello);
    huizong__hello__init(hello->hello);
    hello->hello->protocol_version = HZ_PROTOCOL_VERSION;
    put_request(buf, sizeof buf, &off, hello);
    for (uint64_t id = 2; id <= 3; id++) {
        Huizong__Request *sum = rec_request(id);
        rec_summary(sum, 2020, "c1");
        put_request(buf, sizeof buf, &off, sum);
    }
    /* All three in one write: the server must not wait for the first reply. */
    assert_int_equal(harness_send_raw(s, buf, off), 0);
    int seen[4] = {0};
    for (int i = 0; i < 3; i++) {
        Huizong__Response *r = harness_recv_response(s);
        assert_status(r, HUIZONG__STATUS__OK);
        assert_true(r->request_id >= 1 && r->request_id <= 3);
        seen[r->request_id]++;
        assert_int_equal(r->body_case, r->request_id == 1 ? HUIZONG__RESPONSE__BODY_HELLO
                                                          : HUIZONG__RESPONSE__BODY_SUMMARY);
        harness_response_free(r);
    }
    assert_int_equal(seen[1] + seen[2] * 10 + seen[3] * 100, 111);
    harness_close(s);
}

static void test_frame_split_across_writes(void **state)
{
    (void)state;
    SSL *s = connect_c1();
    Huizong__Request *req = rec_request(31);
    rec_summary(req, 2020, "c1");
    uint8_t buf[256];
    size_t off = 0;
    Huizong__Request *hello = rec_request(30);
    hello->body_case = HUIZONG__REQUEST__BODY_HELLO;
    hello->hello = calloc(1, sizeof *hello->hello);
    assert_non_null(hello->hello);
    huizong__hello__init(hello->hello);
    hello->hello->protocol_version = HZ_PROTOCOL_VERSION;
    put_request(buf, sizeof buf, &off, hello);
    put_request(buf, sizeof buf, &off, req);
    /* One TLS record per byte: frames arrive in pieces, even the header. */
    for (size_t i = 0; i < off; i++)
        assert_int_equal(harness_send_raw(s, buf + i, 1), 0);
    for (uint64_t id = 30; id <= 31; id++) {
        Huizong__Response *r = harness_recv_response(s);
        assert_status(r, HUIZONG__STATUS__OK);
        assert_int_equal(r->request_id, id);
        harness_response_free(r);
    }
    harness_close(s);
}

static void test_server_survived_everything(void **state)
{
    (void)state;
    assert_server_alive();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hello_ok),
        cmocka_unit_test(test_frame_over_limit),
        cmocka_unit_test(test_frame_empty),
        cmocka_unit_test(test_request_before_hello),
        cmocka_unit_test(test_garbage_http),
        cmocka_unit_test(test_garbage_random),
        cmocka_unit_test(test_malformed_protobuf),
        cmocka_unit_test(test_plaintext_to_tls_port),
        cmocka_unit_test(test_no_client_cert),
        cmocka_unit_test(test_cert_from_other_ca),
        cmocka_unit_test(test_wrong_protocol_version),
        cmocka_unit_test(test_pipelining),
        cmocka_unit_test(test_frame_split_across_writes),
        cmocka_unit_test(test_server_survived_everything),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
