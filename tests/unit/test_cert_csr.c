/* CSRs: made like `huizong enroll` makes them, checked and signed like the
 * server does, and every malformed request refused with its message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "cert.h"
#include "cert_csr.h"

static char root[64], ca_dir[128];

static void rm_rf(const char *dir)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

static int setup(void **state)
{
    char err[256];
    (void)state;
    strcpy(root, "/tmp/hz-test-csr-XXXXXX");
    if (!mkdtemp(root))
        return -1;
    snprintf(ca_dir, sizeof ca_dir, "%s/ca", root);
    return cert_ca_init(ca_dir, "test", err, sizeof err);
}

static int teardown(void **state)
{
    (void)state;
    rm_rf(root);
    return 0;
}

static void check_refused(const char *pem, const char *want)
{
    X509_REQ *req = NULL;
    char unit[64], role[16], err[256] = "";
    assert_int_equal(cert_csr_check(pem, strlen(pem), &req, unit, sizeof unit, role, sizeof role,
                                    err, sizeof err),
                     -1);
    assert_null(req);
    if (!strstr(err, want))
        fail_msg("\"%s\" does not contain \"%s\"", err, want);
}

static void test_make_check_sign(void **state)
{
    EVP_PKEY *key, *cakey;
    X509 *ca, *crt;
    X509_REQ *req;
    char *pem, unit[64], role[16], err[256], serial[CERT_SERIAL_HEX], until[CERT_TIME_TEXT];
    (void)state;
    assert_int_equal(cert_csr_make("c1", "community", &key, &pem, err, sizeof err), 0);
    assert_non_null(strstr(pem, "BEGIN CERTIFICATE REQUEST"));
    assert_int_equal(cert_csr_check(pem, strlen(pem), &req, unit, sizeof unit, role, sizeof role,
                                    err, sizeof err),
                     0);
    assert_string_equal(unit, "c1");
    assert_string_equal(role, "community");
    assert_int_equal(cert_csr_load_ca(ca_dir, &ca, &cakey, err, sizeof err), 0);
    crt = cert_csr_sign(req, ca, cakey, 30, err, sizeof err);
    assert_non_null(crt);
    /* The certificate carries the CSR's key and identity and chains to the CA. */
    assert_int_equal(EVP_PKEY_eq(X509_get0_pubkey(crt), key), 1);
    assert_int_equal(X509_verify(crt, cakey), 1);
    assert_int_equal(cert_identity(crt, unit, sizeof unit, role, sizeof role), 0);
    assert_string_equal(unit, "c1");
    assert_int_equal(X509_check_purpose(crt, X509_PURPOSE_SSL_CLIENT, 0), 1);
    assert_int_equal(cert_csr_serial(crt, serial), 0);
    assert_true(strlen(serial) >= 30);
    assert_int_equal(cert_csr_not_after(crt, until), 0);
    assert_int_equal(strlen(until), 20);
    assert_null(cert_csr_sign(req, ca, cakey, 0, err, sizeof err));
    /* Saving: key 0600, and never over an existing key. */
    char out[160], path[200];
    snprintf(out, sizeof out, "%s/out", root);
    char *crt_pem = cert_csr_pem(crt), *ca_pem = cert_csr_pem(ca);
    assert_int_equal(cert_csr_save(out, key, crt_pem, ca_pem, err, sizeof err), 0);
    struct stat st;
    snprintf(path, sizeof path, "%s/client.key", out);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(cert_csr_save(out, key, crt_pem, ca_pem, err, sizeof err), -1);
    assert_non_null(strstr(err, "refusing to overwrite a key"));
    free(crt_pem);
    free(ca_pem);
    free(pem);
    X509_free(crt);
    X509_free(ca);
    EVP_PKEY_free(cakey);
    X509_REQ_free(req);
    EVP_PKEY_free(key);
}

static char *req_pem(X509_REQ *req)
{
    BIO *b = BIO_new(BIO_s_mem());
    char *data;
    PEM_write_bio_X509_REQ(b, req);
    long n = BIO_get_mem_data(b, &data);
    char *out = strndup(data, (size_t)n);
    BIO_free(b);
    return out;
}

/* A CSR with any subject and key, signed by `signer`. */
static char *custom_csr(const char *ou, const char *cn, EVP_PKEY *key, EVP_PKEY *signer)
{
    X509_REQ *req = X509_REQ_new();
    X509_NAME *n = X509_NAME_new();
    X509_NAME_add_entry_by_txt(n, "O", MBSTRING_UTF8, (const unsigned char *)"huizong", -1, -1, 0);
    if (ou)
        X509_NAME_add_entry_by_txt(n, "OU", MBSTRING_UTF8, (const unsigned char *)ou, -1, -1, 0);
    if (cn)
        X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1, -1, 0);
    X509_REQ_set_subject_name(req, n);
    X509_REQ_set_pubkey(req, key);
    X509_REQ_sign(req, signer, EVP_sha256());
    char *pem = req_pem(req);
    X509_NAME_free(n);
    X509_REQ_free(req);
    return pem;
}

static void test_refusals(void **state)
{
    EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    EVP_PKEY *k2 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    EVP_PKEY *p384 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
    char *pem;
    (void)state;
    check_refused("", "csr: not a PEM certificate signing request");
    check_refused("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n",
                  "csr: not a PEM certificate signing request");
    check_refused(pem = custom_csr("community", "c1", k, k2), "csr: signature does not verify");
    free(pem);
    check_refused(pem = custom_csr("community", "c1", p384, p384), "csr: key must be ECDSA P-256");
    free(pem);
    check_refused(pem = custom_csr(NULL, "c1", k, k), "csr: subject must name one role (OU) and one unit (CN)");
    free(pem);
    check_refused(pem = custom_csr("mayor", "c1", k, k), "csr: role (OU) \"mayor\" is not community");
    free(pem);
    check_refused(pem = custom_csr("community", "C1 Bad", k, k), "csr: unit (CN) \"C1 Bad\" is not a unit code");
    free(pem);
    EVP_PKEY_free(k);
    EVP_PKEY_free(k2);
    EVP_PKEY_free(p384);
}

static void test_load_ca_refusals(void **state)
{
    X509 *crt;
    EVP_PKEY *key;
    char err[512];
    (void)state;
    assert_int_equal(cert_csr_load_ca("/nonexistent", &crt, &key, err, sizeof err), -1);
    assert_non_null(strstr(err, "ca_dir: cannot read a PEM certificate from /nonexistent/ca.crt"));
    assert_null(crt);
    assert_null(key);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_make_check_sign),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_load_ca_refusals),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
