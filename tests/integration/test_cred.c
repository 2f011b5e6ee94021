/* Enrollment, revocation and the audit reader against a real huizongd and
 * PostgreSQL over real TLS: the enrollment port signs a CSR for a valid code
 * and the certificate works on the main port; every bad input gets its exact
 * status and message and writes nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/pem.h>

#include "cert.h"
#include "cert_csr.h"
#include "harness_assert.h"
#include "harness_cred.h"
#include "records.h"
#include "wire.h"

static harness H;
static harness_cred HC;
static SSL *admin;

static int group_setup(void **state)
{
    (void)state;
    if (harness_cred_start(&H, &HC) != 0 || harness_setup_tree(&H) != 0)
        return -1;
    admin = harness_connect_admin(&H);
    return admin ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    harness_close(admin);
    return harness_cred_stop(&H, &HC) == 0 ? 0 : -1;
}

static long count(const char *sql, const char *param)
{
    long n = harness_pg_count(&H, sql, param);
    assert_true(n >= 0);
    return n;
}

static long issued(void)
{
    return count("select count(*) from issued_cert", NULL);
}

static long codes_used(void)
{
    return count("select count(*) from enroll_code where used_at is not null", NULL);
}

static long audit_rows(void)
{
    return count("select count(*) from audit", NULL);
}

/* A CSR (and its key) for unit and role. */
static char *make_csr(const char *unit, const char *role, EVP_PKEY **key)
{
    char *csr = NULL, err[256];
    assert_int_equal(cert_csr_make(unit, role, key, &csr, err, sizeof err), 0);
    return csr;
}

/* Sends Enroll on a fresh enrollment connection. */
static Huizong__Response *enroll(const char *code, const char *csr)
{
    SSL *s = harness_cred_enroll_hello(&H, &HC);
    assert_non_null(s);
    Huizong__Response *r = harness_cred_enroll(s, code, csr);
    harness_close(s);
    return r;
}

/* Enrolling with nothing written: no certificate, no code used, no audit row. */
static void assert_enroll_refused(const char *code, const char *csr, Huizong__Status st,
                                  const char *msg_part)
{
    long i = issued(), u = codes_used(), a = audit_rows();
    Huizong__Response *r = enroll(code, csr);
    harness_assert_status(r, st);
    harness_assert_contains(r->message, msg_part);
    assert_int_equal(r->body_case, HUIZONG__RESPONSE__BODY__NOT_SET);
    harness_response_free(r);
    assert_int_equal(issued(), i);
    assert_int_equal(codes_used(), u);
    assert_int_equal(audit_rows(), a);
}

static void test_enroll_then_use_on_main_port(void **state)
{
    (void)state;
    EVP_PKEY *key;
    char *code = harness_cred_code(admin, "c1", "community", 3600);
    assert_non_null(code);
    assert_int_equal(strncmp(code, "c1/community/", 13), 0);
    char *csr = make_csr("c1", "community", &key);
    Huizong__Response *r = enroll(code, csr);
    harness_assert_status(r, HUIZONG__STATUS__OK);
    assert_int_equal(r->body_case, HUIZONG__RESPONSE__BODY_ENROLL);
    const Huizong__EnrollResult *e = r->enroll;
    assert_int_equal(strlen(e->fingerprint), 64);
    assert_int_equal(count("select count(*) from issued_cert where fingerprint = $1 and unit_code = 'c1'"
                           " and role = 'community'", e->fingerprint), 1);
    assert_int_equal(count("select count(*) from enroll_code where used_fingerprint = $1", e->fingerprint), 1);
    assert_int_equal(count("select count(*) from audit where action = 'enroll' and fingerprint = $1",
                           e->fingerprint), 1);
    /* The private key was never sent: the certificate holds the CSR's public key. */
    BIO *b = BIO_new_mem_buf(e->certificate_pem, -1);
    X509 *crt = PEM_read_bio_X509(b, NULL, NULL, NULL);
    BIO_free(b);
    assert_non_null(crt);
    assert_int_equal(EVP_PKEY_eq(X509_get0_pubkey(crt), key), 1);
    char fp[CERT_FINGERPRINT_HEX];
    assert_int_equal(cert_fingerprint(crt, fp), 0);
    assert_string_equal(fp, e->fingerprint);
    X509_free(crt);
    const char *dir = harness_cred_save(&H, "enrolled-c1", key, e->certificate_pem, e->ca_pem);
    assert_non_null(dir);
    SSL *s = harness_connect(&H, dir);
    assert_non_null(s);
    Huizong__Response *h = harness_hello(s, 1, HZ_PROTOCOL_VERSION);
    harness_assert_status(h, HUIZONG__STATUS__OK);
    assert_string_equal(h->hello->unit_code, "c1");
    assert_int_equal(h->hello->role, HUIZONG__ROLE__ROLE_COMMUNITY);
    harness_response_free(h);
    harness_close(s);
    /* Used once: the same code again is refused. */
    EVP_PKEY_free(key);
    char *csr2 = make_csr("c1", "community", &key);
    EVP_PKEY_free(key);
    assert_enroll_refused(code, csr2, HUIZONG__STATUS__FAILED_PRECONDITION,
                          "enrollment code was already used on ");
    harness_response_free(r);
    free(csr);
    free(csr2);
    free(code);
}

/* Two machines racing with one code: exactly one certificate is issued. */
static void test_enroll_same_code_concurrently(void **state)
{
    (void)state;
    EVP_PKEY *k1, *k2;
    char *code = harness_cred_code(admin, "c3", "community", 3600);
    assert_non_null(code);
    char *csr1 = make_csr("c3", "community", &k1), *csr2 = make_csr("c3", "community", &k2);
    long before = issued();
    SSL *a = harness_cred_enroll_hello(&H, &HC), *b = harness_cred_enroll_hello(&H, &HC);
    assert_non_null(a);
    assert_non_null(b);
    Huizong__Request *ra = rec_request(21), *rb = rec_request(22);
    Huizong__Enroll *ea = malloc(sizeof *ea), *eb = malloc(sizeof *eb);
    huizong__enroll__init(ea);
    huizong__enroll__init(eb);
    rec_set(&ea->code, code);
    rec_set(&ea->csr_pem, csr1);
    rec_set(&eb->code, code);
    rec_set(&eb->csr_pem, csr2);
    ra->body_case = rb->body_case = HUIZONG__REQUEST__BODY_ENROLL;
    ra->enroll = ea;
    rb->enroll = eb;
    assert_int_equal(harness_send_request(a, ra), 0);
    assert_int_equal(harness_send_request(b, rb), 0);
    Huizong__Response *x = harness_recv_response(a), *y = harness_recv_response(b);
    assert_non_null(x);
    assert_non_null(y);
    int oks = (x->status == HUIZONG__STATUS__OK) + (y->status == HUIZONG__STATUS__OK);
    assert_int_equal(oks, 1);
    Huizong__Response *loser = x->status == HUIZONG__STATUS__OK ? y : x;
    harness_assert_status(loser, HUIZONG__STATUS__FAILED_PRECONDITION);
    harness_assert_contains(loser->message, "enrollment code was already used on ");
    assert_int_equal(issued(), before + 1);
    harness_response_free(x);
    harness_response_free(y);
    rec_free(ra);
    rec_free(rb);
    harness_close(a);
    harness_close(b);
    EVP_PKEY_free(k1);
    EVP_PKEY_free(k2);
    free(csr1);
    free(csr2);
    free(code);
}

static void test_enroll_expired_code(void **state)
{
    (void)state;
    EVP_PKEY *key;
    char *code = harness_cred_code(admin, "c3", "community", 60);
    assert_non_null(code);
    assert_int_equal(count("with u as (update enroll_code set expires_at = now() - interval '1 hour'"
                           " where unit_code = $1 and used_at is null returning 1)"
                           " select count(*) from u", "c3"), 1);
    char *csr = make_csr("c3", "community", &key);
    assert_enroll_refused(code, csr, HUIZONG__STATUS__FAILED_PRECONDITION, "enrollment code expired on ");
    EVP_PKEY_free(key);
    free(csr);
    free(code);
}

static void test_enroll_unknown_code(void **state)
{
    (void)state;
    EVP_PKEY *key;
    char *csr = make_csr("c1", "community", &key);
    assert_enroll_refused("c1/community/AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH", csr,
                          HUIZONG__STATUS__NOT_FOUND, "unknown enrollment code");
    assert_enroll_refused("not-a-code", csr, HUIZONG__STATUS__INVALID_ARGUMENT,
                          "code: want the 32-character code");
    EVP_PKEY_free(key);
    free(csr);
}

static void check_mismatch(const char *csr_unit, const char *csr_role, const char *want)
{
    EVP_PKEY *key;
    char *code = harness_cred_code(admin, "c2", "community", 3600);
    assert_non_null(code);
    char *csr = make_csr(csr_unit, csr_role, &key);
    assert_enroll_refused(code, csr, HUIZONG__STATUS__PERMISSION_DENIED, want);
    EVP_PKEY_free(key);
    free(csr);
    free(code);
}

static void test_enroll_csr_for_other_unit_or_role(void **state)
{
    (void)state;
    check_mismatch("c1", "community", "the CSR names \"c1\" (community) but the code is for \"c2\" (community)");
    check_mismatch("c2", "admin", "the CSR names \"c2\" (admin) but the code is for \"c2\" (community)");
    /* Refusals did not spend the codes. */
    assert_int_equal(count("select count(*) from enroll_code where unit_code = $1 and used_at is null", "c2"), 2);
}

/* A CSR whose signature was made with another key than the one it carries. */
static char *bad_signature_csr(void)
{
    EVP_PKEY *k1 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    EVP_PKEY *k2 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    X509_REQ *req = X509_REQ_new();
    X509_NAME *n = X509_NAME_new();
    X509_NAME_add_entry_by_txt(n, "O", MBSTRING_UTF8, (const unsigned char *)"huizong", -1, -1, 0);
    X509_NAME_add_entry_by_txt(n, "OU", MBSTRING_UTF8, (const unsigned char *)"community", -1, -1, 0);
    X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_UTF8, (const unsigned char *)"c2", -1, -1, 0);
    X509_REQ_set_subject_name(req, n);
    X509_REQ_set_pubkey(req, k1);
    assert_true(X509_REQ_sign(req, k2, EVP_sha256()) > 0);
    BIO *b = BIO_new(BIO_s_mem());
    PEM_write_bio_X509_REQ(b, req);
    char *data;
    long len = BIO_get_mem_data(b, &data);
    char *pem = strndup(data, (size_t)len);
    BIO_free(b);
    X509_NAME_free(n);
    X509_REQ_free(req);
    EVP_PKEY_free(k1);
    EVP_PKEY_free(k2);
    return pem;
}

static void test_enroll_bad_csr(void **state)
{
    (void)state;
    char *code = harness_cred_code(admin, "c2", "community", 3600);
    assert_non_null(code);
    char *bad = bad_signature_csr();
    assert_enroll_refused(code, bad, HUIZONG__STATUS__INVALID_ARGUMENT,
                          "csr: signature does not verify");
    assert_enroll_refused(code, "-----BEGIN CERTIFICATE REQUEST-----\nbm9wZQ==\n"
                          "-----END CERTIFICATE REQUEST-----\n",
                          HUIZONG__STATUS__INVALID_ARGUMENT, "csr: not a PEM certificate signing request");
    assert_enroll_refused(code, "hello", HUIZONG__STATUS__INVALID_ARGUMENT,
                          "csr: not a PEM certificate signing request");
    free(bad);
    free(code);
}

static void test_enroll_on_main_port(void **state)
{
    (void)state;
    EVP_PKEY *key;
    char *code = harness_cred_code(admin, "c2", "community", 3600);
    char *csr = make_csr("c2", "community", &key);
    long i = issued(), u = codes_used();
    SSL *s = harness_connect_hello(&H, harness_issue_creds(&H, "c2", "community"));
    assert_non_null(s);
    Huizong__Response *r = harness_cred_enroll(s, code, csr);
    harness_assert_status(r, HUIZONG__STATUS__PERMISSION_DENIED);
    assert_string_equal(r->message, "Enroll is served only on the enrollment port (enroll_listen), "
                                     "without a client certificate");
    assert_int_equal(issued(), i);
    assert_int_equal(codes_used(), u);
    harness_response_free(r);
    harness_close(s);
    EVP_PKEY_free(key);
    free(csr);
    free(code);
}

static void test_other_requests_on_enroll_port(void **state)
{
    (void)state;
    const char *want = "the enrollment port serves only Hello and Enroll; other requests need the "
                       "main port and a client certificate";
    SSL *s = harness_cred_enroll_hello(&H, &HC);
    assert_non_null(s);
    long subs = count("select count(*) from submission", NULL);
    Huizong__Request *req = rec_request(7);
    rec_activity(rec_submit(req), "c1", "2020-04-12", "fire", 40, "消防安全知识讲座");
    Huizong__Response *r = harness_call(s, req);
    harness_assert_status(r, HUIZONG__STATUS__PERMISSION_DENIED);
    assert_string_equal(r->message, want);
    assert_int_equal(count("select count(*) from submission", NULL), subs);
    harness_response_free(r);
    rec_free(req);
    req = rec_request(8);
    rec_summary(req, 2020, "c1");
    r = harness_call(s, req);
    harness_assert_status(r, HUIZONG__STATUS__PERMISSION_DENIED);
    assert_string_equal(r->message, want);
    harness_response_free(r);
    rec_free(req);
    harness_close(s);
    /* Hello first, as on the main port. */
    s = harness_cred_connect_enroll(&H, &HC);
    assert_non_null(s);
    r = harness_cred_enroll(s, "x", "y");
    harness_assert_status(r, HUIZONG__STATUS__FAILED_PRECONDITION);
    assert_string_equal(r->message, "Hello must be the first request on a connection");
    harness_response_free(r);
    harness_close(s);
}

static Huizong__Response *revoke(SSL *s, const char *fp, const char *unit, const char *reason)
{
    return harness_cred_revoke(s, fp, unit, reason);
}

static void creds_fingerprint(const char *dir, char fp[CERT_FINGERPRINT_HEX])
{
    assert_int_equal(harness_cred_fingerprint(dir, fp), 0);
}

static void test_revoke_refuses_next_connection(void **state)
{
    (void)state;
    const char *creds = harness_issue_creds(&H, "c3", "community");
    char fp[CERT_FINGERPRINT_HEX];
    creds_fingerprint(creds, fp);
    SSL *s = harness_connect_hello(&H, creds); /* seen at Hello: now known */
    assert_non_null(s);
    harness_close(s);
    Huizong__Response *r = revoke(admin, fp, "", "laptop stolen");
    harness_assert_status(r, HUIZONG__STATUS__OK);
    assert_int_equal(r->cert_revoke->n_fingerprints, 1);
    assert_string_equal(r->cert_revoke->fingerprints[0], fp);
    harness_response_free(r);
    assert_int_equal(count("select count(*) from audit where action = 'cert_revoke' and target = $1", fp), 1);
    /* Again: OK, nothing new written. */
    long a = audit_rows();
    r = revoke(admin, fp, "", "again");
    harness_assert_status(r, HUIZONG__STATUS__OK);
    assert_int_equal(r->cert_revoke->n_fingerprints, 0);
    harness_response_free(r);
    assert_int_equal(audit_rows(), a);
    /* The next connection is refused at Hello, without a restart. */
    s = harness_connect(&H, creds);
    assert_non_null(s);
    r = harness_hello(s, 1, HZ_PROTOCOL_VERSION);
    harness_assert_status(r, HUIZONG__STATUS__UNAUTHENTICATED);
    char want[64];
    snprintf(want, sizeof want, "certificate %.16s was revoked on ", fp);
    harness_assert_contains(r->message, want);
    harness_response_free(r);
    assert_int_equal(harness_wait_close(s), 1);
    harness_close(s);
}

static void test_revoke_bad_input(void **state)
{
    (void)state;
    long n = count("select count(*) from revoked_cert", NULL), a = audit_rows();
    char zeros[65];
    memset(zeros, '0', 64);
    zeros[64] = '\0';
    Huizong__Response *r = revoke(admin, zeros, "", "");
    harness_assert_status(r, HUIZONG__STATUS__NOT_FOUND);
    assert_string_equal(r->message, "no certificate with fingerprint 0000000000000000000000000000"
                                    "000000000000000000000000000000000000 was issued or seen");
    harness_response_free(r);
    r = revoke(admin, "", "nowhere", "");
    harness_assert_status(r, HUIZONG__STATUS__NOT_FOUND);
    assert_string_equal(r->message, "no certificate of unit \"nowhere\" was issued or seen");
    harness_response_free(r);
    r = revoke(admin, "ABC", "", "");
    harness_assert_status(r, HUIZONG__STATUS__INVALID_ARGUMENT);
    harness_assert_contains(r->message, "fingerprint: want the SHA-256 as 64 lowercase hex digits");
    harness_response_free(r);
    r = revoke(admin, zeros, "c1", "");
    harness_assert_status(r, HUIZONG__STATUS__INVALID_ARGUMENT);
    assert_string_equal(r->message, "give exactly one of fingerprint and unit_code");
    harness_response_free(r);
    assert_int_equal(count("select count(*) from revoked_cert", NULL), n);
    assert_int_equal(audit_rows(), a);
}

static void test_enroll_create_bad_input(void **state)
{
    (void)state;
    long codes = count("select count(*) from enroll_code", NULL), a = audit_rows();
    Huizong__Request *req = rec_request(5);
    Huizong__EnrollCreate *e = malloc(sizeof *e);
    huizong__enroll_create__init(e);
    rec_set(&e->unit_code, "nowhere");
    rec_set(&e->role, "community");
    req->body_case = HUIZONG__REQUEST__BODY_ENROLL_CREATE;
    req->enroll_create = e;
    Huizong__Response *r = harness_call(admin, req);
    harness_assert_status(r, HUIZONG__STATUS__NOT_FOUND);
    assert_string_equal(r->message, "unit \"nowhere\" is not in the org tree (add it first)");
    harness_response_free(r);
    rec_set(&e->unit_code, "c1");
    rec_set(&e->role, "mayor");
    r = harness_call(admin, req);
    harness_assert_status(r, HUIZONG__STATUS__INVALID_ARGUMENT);
    assert_string_equal(r->message, "role: want community, district or admin");
    harness_response_free(r);
    rec_set(&e->role, "community");
    e->expires_seconds = 31u * 86400u;
    r = harness_call(admin, req);
    harness_assert_status(r, HUIZONG__STATUS__INVALID_ARGUMENT);
    assert_string_equal(r->message, "expires_seconds: at most 30 days");
    harness_response_free(r);
    e->expires_seconds = 0;
    SSL *c1 = harness_connect_hello(&H, harness_issue_creds(&H, "c1", "community"));
    r = harness_call(c1, req);
    harness_assert_status(r, HUIZONG__STATUS__PERMISSION_DENIED);
    assert_string_equal(r->message, "only an administrator can create enrollment codes; this certificate is community for \"c1\"");
    harness_response_free(r);
    harness_close(c1);
    rec_free(req);
    assert_int_equal(count("select count(*) from enroll_code", NULL), codes);
    assert_int_equal(audit_rows(), a);
}

static Huizong__Response *audit(SSL *s, const char *unit, const char *since)
{
    Huizong__Request *req = rec_request(11);
    Huizong__AuditQuery *q = malloc(sizeof *q);
    huizong__audit_query__init(q);
    rec_set(&q->unit_code, unit);
    rec_set(&q->since, since);
    req->body_case = HUIZONG__REQUEST__BODY_AUDIT;
    req->audit = q;
    Huizong__Response *r = harness_call(s, req);
    rec_free(req);
    return r;
}

static void test_audit_reader(void **state)
{
    (void)state;
    char *code = harness_cred_code(admin, "c1", "community", 3600);
    free(code);
    Huizong__Response *r = audit(admin, "c1", "2020-01-01");
    harness_assert_status(r, HUIZONG__STATUS__OK);
    assert_true(r->audit->n_entries >= 1);
    const Huizong__AuditEntry *e = r->audit->entries[0]; /* newest first */
    assert_string_equal(e->action, "enroll_create");
    assert_string_equal(e->role, "admin");
    assert_string_equal(e->unit_code, "d1");
    assert_string_equal(e->target, "c1");
    assert_int_equal(strlen(e->fingerprint), 64);
    assert_int_equal(strncmp(e->peer, "127.0.0.1:", 10), 0);
    harness_response_free(r);
    SSL *d1 = harness_connect_hello(&H, harness_issue_creds(&H, "d1", "district"));
    SSL *s2 = harness_connect_hello(&H, harness_issue_creds(&H, "s2", "district"));
    r = audit(d1, "c1", "");
    harness_assert_status(r, HUIZONG__STATUS__OK);
    assert_true(r->audit->n_entries >= 1);
    assert_string_equal(r->audit->entries[0]->action, "enroll_create");
    harness_response_free(r);
    /* Another branch's office sees nothing by or about c1. */
    r = audit(s2, "", "");
    harness_assert_status(r, HUIZONG__STATUS__OK);
    for (size_t i = 0; i < r->audit->n_entries; i++) {
        assert_string_not_equal(r->audit->entries[i]->target, "c1");
        assert_string_not_equal(r->audit->entries[i]->unit_code, "c1");
    }
    harness_response_free(r);
    SSL *c1 = harness_connect_hello(&H, harness_issue_creds(&H, "c1", "community"));
    r = audit(c1, "c1", "");
    harness_assert_status(r, HUIZONG__STATUS__PERMISSION_DENIED);
    assert_string_equal(r->message, "only an administrator or a district office can read the audit trail");
    harness_response_free(r);
    harness_close(c1);
    r = audit(s2, "c1", "");
    harness_assert_status(r, HUIZONG__STATUS__PERMISSION_DENIED);
    assert_string_equal(r->message, "unit \"c1\" is not within \"s2\"");
    harness_response_free(r);
    r = audit(admin, "", "last week");
    harness_assert_status(r, HUIZONG__STATUS__INVALID_ARGUMENT);
    assert_string_equal(r->message, "since: want YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ");
    harness_response_free(r);
    harness_close(d1);
    harness_close(s2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_enroll_then_use_on_main_port),
        cmocka_unit_test(test_enroll_same_code_concurrently),
        cmocka_unit_test(test_enroll_expired_code),
        cmocka_unit_test(test_enroll_unknown_code),
        cmocka_unit_test(test_enroll_csr_for_other_unit_or_role),
        cmocka_unit_test(test_enroll_bad_csr),
        cmocka_unit_test(test_enroll_on_main_port),
        cmocka_unit_test(test_other_requests_on_enroll_port),
        cmocka_unit_test(test_revoke_refuses_next_connection),
        cmocka_unit_test(test_revoke_bad_input),
        cmocka_unit_test(test_enroll_create_bad_input),
        cmocka_unit_test(test_audit_reader),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
