/* A request sent right behind Hello, before its answer (what `huizong
 * summary` does to save a round trip, net_open_first): the server answers
 * Hello first and then the request; after a refused Hello it runs nothing
 * that came behind it. Each pair goes out as one write, so both frames are
 * in the server's buffer when it reads the Hello. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "frame.h"
#include "harness.h"
#include "harness_assert.h"
#include "harness_cred.h"
#include "records.h"
#include "wire.h"

static harness H;
static SSL *admin;

static int group_setup(void **state)
{
    (void)state;
    if (harness_start_tree(&H) != 0)
        return -1;
    admin = harness_connect_admin(&H);
    return admin ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    harness_close(admin);
    return harness_stop(&H) == 0 ? 0 : -1;
}

/* Hello (id 1) and req in one write on a new TLS connection with creds. */
static SSL *send_hello_and(const char *creds, const Huizong__Request *req)
{
    Huizong__Hello hello = HUIZONG__HELLO__INIT;
    Huizong__Request hr = HUIZONG__REQUEST__INIT;
    size_t n1, n2;

    hello.protocol_version = HZ_PROTOCOL_VERSION;
    hr.request_id = 1;
    hr.body_case = HUIZONG__REQUEST__BODY_HELLO;
    hr.hello = &hello;
    uint8_t *f1 = frame_pack_request(&hr, &n1), *f2 = frame_pack_request(req, &n2);
    uint8_t *both = f1 && f2 ? malloc(n1 + n2) : NULL;
    assert_non_null(both);
    memcpy(both, f1, n1);
    memcpy(both + n1, f2, n2);
    SSL *s = harness_connect(&H, creds);
    assert_non_null(s);
    assert_int_equal(harness_send_raw(s, both, n1 + n2), 0);
    free(f1);
    free(f2);
    free(both);
    return s;
}

static long activities_of(const char *unit)
{
    return harness_pg_count(&H, "select count(*) from activity a join org_unit u on u.id = a.unit_id "
                                "where u.code = $1", unit);
}

static void test_request_behind_hello_is_answered_after_it(void **state)
{
    (void)state;
    const char *creds = harness_issue_creds(&H, "c1", "community");
    assert_non_null(creds);
    long before = activities_of("c1");
    Huizong__Request *req = rec_request(2);
    rec_activity(rec_submit(req), "c1", "2021-05-01", "culture", 10, "sent behind Hello");
    SSL *s = send_hello_and(creds, req);
    Huizong__Response *r = harness_recv_response(s);
    assert_non_null(r);
    assert_int_equal(r->request_id, 1);
    harness_assert_status(r, HUIZONG__STATUS__OK);
    assert_int_equal(r->body_case, HUIZONG__RESPONSE__BODY_HELLO);
    harness_response_free(r);
    r = harness_recv_response(s);
    assert_non_null(r);
    assert_int_equal(r->request_id, 2);
    harness_assert_status(r, HUIZONG__STATUS__OK);
    assert_int_equal(r->submit->accepted, 1);
    harness_response_free(r);
    rec_free(req);
    harness_close(s);
    assert_int_equal(activities_of("c1"), before + 1);
}

static void test_summary_behind_hello_for_a_district(void **state)
{
    (void)state;
    const char *creds = harness_issue_creds(&H, "d1", "district");
    assert_non_null(creds);
    Huizong__Request *req = rec_request(2);
    rec_summary(req, 2021, "");
    SSL *s = send_hello_and(creds, req);
    Huizong__Response *r = harness_recv_response(s);
    assert_non_null(r);
    assert_int_equal(r->request_id, 1);
    harness_assert_status(r, HUIZONG__STATUS__OK);
    harness_response_free(r);
    r = harness_recv_response(s);
    assert_non_null(r);
    assert_int_equal(r->request_id, 2);
    harness_assert_status(r, HUIZONG__STATUS__OK);
    assert_int_equal(r->body_case, HUIZONG__RESPONSE__BODY_SUMMARY);
    assert_string_equal(r->summary->unit_code, "d1");
    harness_response_free(r);
    rec_free(req);
    harness_close(s);
}

/* A revoked certificate: Hello is refused and the connection closed; the
 * submit behind it is never read, so nothing is written. */
static void test_nothing_behind_a_refused_hello_runs(void **state)
{
    (void)state;
    const char *creds = harness_issue_creds(&H, "c2", "community");
    char fp[CERT_FINGERPRINT_HEX];
    assert_non_null(creds);
    assert_int_equal(harness_cred_fingerprint(creds, fp), 0);
    /* Seen once, so the administrator can revoke it by fingerprint. */
    SSL *seen = harness_connect_hello(&H, creds);
    assert_non_null(seen);
    harness_close(seen);
    Huizong__Response *r = harness_cred_revoke(admin, fp, "", "lost");
    harness_assert_status(r, HUIZONG__STATUS__OK);
    harness_response_free(r);
    long before = activities_of("c2");
    Huizong__Request *req = rec_request(2);
    rec_activity(rec_submit(req), "c2", "2021-05-01", "culture", 10, "behind a refused Hello");
    SSL *s = send_hello_and(creds, req);
    r = harness_recv_response(s);
    assert_non_null(r);
    assert_int_equal(r->request_id, 1);
    harness_assert_status(r, HUIZONG__STATUS__UNAUTHENTICATED);
    harness_response_free(r);
    assert_int_equal(harness_wait_close(s), 1);
    harness_close(s);
    rec_free(req);
    assert_int_equal(activities_of("c2"), before);
    assert_int_equal(harness_pg_count(&H, "select count(*) from submission s join org_unit u "
                                          "on u.id = s.unit_id where u.code = $1", "c2"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_request_behind_hello_is_answered_after_it),
        cmocka_unit_test(test_summary_behind_hello_for_a_district),
        cmocka_unit_test(test_nothing_behind_a_refused_hello_runs),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
