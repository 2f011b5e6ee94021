/* TLS session resumption on the main port (docs/security.md): a session
 * kept from one connection resumes the next without a full handshake, and
 * its certificate is still checked against revocations at Hello, so a
 * certificate revoked since the session began is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/ssl.h>

#include "harness.h"
#include "harness_assert.h"
#include "harness_cred.h"
#include "harness_resil.h"
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

/* A full handshake and Hello with creds; returns the session the server
 * gave (its ticket arrives with the Hello reply). */
static SSL_SESSION *session_of_first_connection(const char *creds)
{
    SSL *s = harness_connect_hello(&H, creds);
    assert_non_null(s);
    assert_int_equal(SSL_session_reused(s), 0);
    SSL_SESSION *sess = SSL_get1_session(s);
    assert_non_null(sess);
    /* A clean close, as the client's: a session of a connection freed
     * without close_notify is marked not resumable by OpenSSL. */
    SSL_shutdown(s);
    harness_close(s);
    assert_int_equal(SSL_SESSION_is_resumable(sess), 1);
    return sess;
}

static void test_resumed_connection_works(void **state)
{
    (void)state;
    const char *creds = harness_issue_creds(&H, "c1", "community");
    assert_non_null(creds);
    SSL_SESSION *sess = session_of_first_connection(creds);
    SSL *s = harness_connect_session(&H, creds, sess);
    assert_non_null(s);
    assert_int_equal(SSL_session_reused(s), 1);
    Huizong__Response *r = harness_hello(s, 1, HZ_PROTOCOL_VERSION);
    harness_assert_status(r, HUIZONG__STATUS__OK);
    assert_int_equal(r->body_case, HUIZONG__RESPONSE__BODY_HELLO);
    assert_string_equal(r->hello->unit_code, "c1");
    assert_int_equal(r->hello->role, HUIZONG__ROLE__ROLE_COMMUNITY);
    harness_response_free(r);
    /* Served like any connection. */
    Huizong__Request *req = rec_request(2);
    rec_activity(rec_submit(req), "c1", "2021-05-01", "culture", 10, "after a resumed handshake");
    r = harness_call(s, req);
    harness_assert_status(r, HUIZONG__STATUS__OK);
    assert_int_equal(r->submit->accepted, 1);
    harness_response_free(r);
    rec_free(req);
    harness_close(s);
    assert_int_equal(harness_log_contains(&H, "(session resumed), fingerprint"), 1);
    SSL_SESSION_free(sess);
}

static void test_resumed_session_of_revoked_cert_refused(void **state)
{
    (void)state;
    const char *creds = harness_issue_creds(&H, "c2", "community");
    char fp[CERT_FINGERPRINT_HEX], want[64];
    assert_non_null(creds);
    assert_int_equal(harness_cred_fingerprint(creds, fp), 0);
    SSL_SESSION *sess = session_of_first_connection(creds);
    Huizong__Response *r = harness_cred_revoke(admin, fp, "", "laptop stolen");
    harness_assert_status(r, HUIZONG__STATUS__OK);
    assert_int_equal(r->cert_revoke->n_fingerprints, 1);
    harness_response_free(r);
    long rows = harness_pg_count(&H, "select count(*) from activity a join org_unit u on u.id = a.unit_id where u.code = 'c2'", NULL);
    /* The ticket still resumes TLS; the Hello refuses the certificate. */
    SSL *s = harness_connect_session(&H, creds, sess);
    assert_non_null(s);
    assert_int_equal(SSL_session_reused(s), 1);
    r = harness_hello(s, 1, HZ_PROTOCOL_VERSION);
    harness_assert_status(r, HUIZONG__STATUS__UNAUTHENTICATED);
    snprintf(want, sizeof want, "certificate %.16s was revoked on ", fp);
    harness_assert_contains(r->message, want);
    harness_response_free(r);
    assert_int_equal(harness_wait_close(s), 1);
    harness_close(s);
    assert_int_equal(harness_pg_count(&H, "select count(*) from activity a join org_unit u on u.id = a.unit_id where u.code = 'c2'", NULL),
                     rows);
    SSL_SESSION_free(sess);
}

/* SIGHUP makes a new TLS context with new ticket keys (a changed CA must
 * not let old sessions through): a session from before is not resumed,
 * the connection makes a full handshake and is served. */
static void test_session_not_resumed_after_reload(void **state)
{
    (void)state;
    const char *creds = harness_issue_creds(&H, "c3", "community");
    assert_non_null(creds);
    SSL_SESSION *sess = session_of_first_connection(creds);
    assert_int_equal(hr_sighup(&H), 0);
    SSL *s = harness_connect_session(&H, creds, sess);
    assert_non_null(s);
    assert_int_equal(SSL_session_reused(s), 0);
    Huizong__Response *r = harness_hello(s, 1, HZ_PROTOCOL_VERSION);
    harness_assert_status(r, HUIZONG__STATUS__OK);
    harness_response_free(r);
    harness_close(s);
    SSL_SESSION_free(sess);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resumed_connection_works),
        cmocka_unit_test(test_resumed_session_of_revoked_cert_refused),
        cmocka_unit_test(test_session_not_resumed_after_reload),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
