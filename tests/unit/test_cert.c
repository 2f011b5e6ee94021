/* Certificates: a CA in a scratch directory, client and server credentials
 * issued from it and verified with OpenSSL as a TLS peer would. */
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

typedef struct {
    char root[64];
    char ca[128];
    char client[128];
    char server[128];
} dirs;

static void rm_rf(const char *dir)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* One CA for the whole file: key generation is the slow part. */
static int setup(void **state)
{
    dirs *d = calloc(1, sizeof *d);
    if (!d)
        return -1;
    strcpy(d->root, "/tmp/hz-test-cert-XXXXXX");
    if (!mkdtemp(d->root))
        return -1;
    snprintf(d->ca, sizeof d->ca, "%s/ca", d->root);
    snprintf(d->client, sizeof d->client, "%s/creds/lianhua", d->root);
    snprintf(d->server, sizeof d->server, "%s/server", d->root);
    char err[256] = "";
    if (cert_ca_init(d->ca, "test district", err, sizeof err) != 0) {
        fprintf(stderr, "ca init: %s\n", err);
        return -1;
    }
    *state = d;
    return 0;
}

static int teardown(void **state)
{
    dirs *d = *state;
    rm_rf(d->root);
    free(d);
    return 0;
}

static X509 *load(const char *dir, const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    X509 *c = PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    assert_non_null(c);
    return c;
}

static mode_t file_mode(const char *dir, const char *name)
{
    char path[256];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    assert_int_equal(stat(path, &st), 0);
    return st.st_mode & 07777;
}

/* Verifies `leaf` against the CA certificate in ca_dir for `purpose`;
 * returns the X509_V_* result. */
static int verify(const char *ca_dir, X509 *leaf, int purpose)
{
    X509 *ca = load(ca_dir, "ca.crt");
    X509_STORE *store = X509_STORE_new();
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    assert_int_equal(X509_STORE_add_cert(store, ca), 1);
    assert_int_equal(X509_STORE_CTX_init(ctx, store, leaf, NULL), 1);
    X509_STORE_CTX_set_purpose(ctx, purpose);
    int ok = X509_verify_cert(ctx) == 1 ? X509_V_OK : X509_STORE_CTX_get_error(ctx);
    X509_STORE_CTX_free(ctx);
    X509_STORE_free(store);
    X509_free(ca);
    return ok;
}

static void test_ca(void **state)
{
    dirs *d = *state;
    assert_int_equal(file_mode(d->ca, "ca.key"), 0600);
    struct stat st;
    assert_int_equal(stat(d->ca, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);

    X509 *ca = load(d->ca, "ca.crt");
    assert_int_equal(X509_check_ca(ca), 1);
    assert_true(X509_get_extension_flags(ca) & EXFLAG_SS);
    assert_true(X509_get_key_usage(ca) & KU_KEY_CERT_SIGN);
    assert_non_null(X509_get0_subject_key_id(ca));
    char cn[128];
    assert_true(X509_NAME_get_text_by_NID(X509_get_subject_name(ca), NID_commonName, cn,
                                          sizeof cn) > 0);
    assert_string_equal(cn, "huizong CA test district");
    /* About ten years. */
    int days = 0, secs = 0;
    assert_int_equal(ASN1_TIME_diff(&days, &secs, X509_get0_notBefore(ca),
                                    X509_get0_notAfter(ca)), 1);
    assert_in_range(days, 3649, 3651);
    /* A 128-bit random serial. */
    BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(ca), NULL);
    assert_int_equal(BN_num_bits(bn), 127);
    BN_free(bn);
    X509_free(ca);
}

static void test_ca_refuses_overwrite(void **state)
{
    dirs *d = *state;
    X509 *before = load(d->ca, "ca.crt");
    char err[256] = "";
    assert_int_equal(cert_ca_init(d->ca, "again", err, sizeof err), -1);
    assert_non_null(strstr(err, "ca.key"));
    assert_non_null(strstr(err, "refusing"));
    X509 *after = load(d->ca, "ca.crt");
    assert_int_equal(X509_cmp(before, after), 0);
    X509_free(before);
    X509_free(after);
}

static void test_client(void **state)
{
    dirs *d = *state;
    char err[256] = "";
    if (cert_issue_client(d->ca, "lianhua", "community", 365, d->client, err, sizeof err) != 0)
        fail_msg("issue client: %s", err);
    assert_int_equal(file_mode(d->client, "client.key"), 0600);
    assert_int_equal(file_mode(d->client, "client.crt") & 0077, 0044);
    assert_int_equal(file_mode(d->root, "creds"), 0700); /* made by mkdir -p */
    assert_int_equal(file_mode(d->root, "creds/lianhua"), 0700);

    X509 *c = load(d->client, "client.crt");
    assert_int_equal(verify(d->client, c, X509_PURPOSE_SSL_CLIENT), X509_V_OK);
    assert_int_equal(verify(d->ca, c, X509_PURPOSE_SSL_CLIENT), X509_V_OK);
    assert_int_equal(verify(d->ca, c, X509_PURPOSE_SSL_SERVER), X509_V_ERR_INVALID_PURPOSE);
    assert_int_equal(X509_check_ca(c), 0);
    assert_non_null(X509_get0_authority_key_id(c));

    char unit[64], role[32];
    assert_int_equal(cert_identity(c, unit, sizeof unit, role, sizeof role), 0);
    assert_string_equal(unit, "lianhua");
    assert_string_equal(role, "community");
    /* Buffers too small for the value are an error, not a truncation. */
    assert_int_equal(cert_identity(c, unit, 7, role, sizeof role), -1);

    char fp[CERT_FINGERPRINT_HEX], fp2[CERT_FINGERPRINT_HEX];
    assert_int_equal(cert_fingerprint(c, fp), 0);
    assert_int_equal(strlen(fp), 64);
    assert_int_equal(strspn(fp, "0123456789abcdef"), 64);
    assert_int_equal(cert_fingerprint(c, fp2), 0);
    assert_string_equal(fp, fp2);

    /* The private key matches the certificate. */
    char path[256];
    snprintf(path, sizeof path, "%s/client.key", d->client);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    EVP_PKEY *key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
    fclose(f);
    assert_non_null(key);
    assert_int_equal(X509_check_private_key(c, key), 1);
    EVP_PKEY_free(key);

    /* Reissuing replaces the credentials with a new key and fingerprint. */
    assert_int_equal(cert_issue_client(d->ca, "lianhua", "community", 30, d->client, err,
                                       sizeof err), 0);
    X509 *c2 = load(d->client, "client.crt");
    assert_int_equal(cert_fingerprint(c2, fp2), 0);
    assert_string_not_equal(fp, fp2);
    X509_free(c2);
    X509_free(c);
}

static void test_client_bad_input(void **state)
{
    dirs *d = *state;
    char err[256] = "", out[160];
    snprintf(out, sizeof out, "%s/bad", d->root);
    assert_int_equal(cert_issue_client(d->ca, "lianhua", "mayor", 365, out, err, sizeof err), -1);
    assert_non_null(strstr(err, "\"mayor\""));
    assert_int_equal(cert_issue_client(d->ca, "Lian Hua", "admin", 365, out, err, sizeof err), -1);
    assert_non_null(strstr(err, "unit"));
    assert_int_equal(cert_issue_client(d->ca, "", "admin", 365, out, err, sizeof err), -1);
    assert_int_equal(cert_issue_client(d->ca, "lianhua", NULL, 365, out, err, sizeof err), -1);
    assert_int_equal(cert_issue_client(d->ca, "lianhua", "admin", 0, out, err, sizeof err), -1);
    assert_non_null(strstr(err, "days"));
    assert_int_equal(access(out, F_OK), -1); /* nothing was written */

    char noca[160];
    snprintf(noca, sizeof noca, "%s/no-such-ca", d->root);
    assert_int_equal(cert_issue_client(noca, "lianhua", "admin", 5, out, err, sizeof err), -1);
    assert_non_null(strstr(err, "no-such-ca/ca.crt"));
}

static int has_san(GENERAL_NAMES *names, int type, const char *dns, const unsigned char *ip,
                   int iplen)
{
    for (int i = 0; i < sk_GENERAL_NAME_num(names); i++) {
        GENERAL_NAME *g = sk_GENERAL_NAME_value(names, i);
        if (g->type != type)
            continue;
        if (type == GEN_DNS && strcmp((const char *)ASN1_STRING_get0_data(g->d.dNSName), dns) == 0)
            return 1;
        if (type == GEN_IPADD && ASN1_STRING_length(g->d.iPAddress) == iplen &&
            memcmp(ASN1_STRING_get0_data(g->d.iPAddress), ip, (size_t)iplen) == 0)
            return 1;
    }
    return 0;
}

static void test_server(void **state)
{
    dirs *d = *state;
    char err[256] = "";
    if (cert_issue_server(d->ca, "localhost, 127.0.0.1,::1,hz.example.org", 30, d->server, err,
                          sizeof err) != 0)
        fail_msg("issue server: %s", err);
    assert_int_equal(file_mode(d->server, "server.key"), 0600);
    X509 *s = load(d->server, "server.crt");
    assert_int_equal(verify(d->server, s, X509_PURPOSE_SSL_SERVER), X509_V_OK);
    assert_int_equal(verify(d->server, s, X509_PURPOSE_SSL_CLIENT), X509_V_ERR_INVALID_PURPOSE);
    assert_int_equal(X509_check_host(s, "localhost", 0, 0, NULL), 1);
    assert_int_equal(X509_check_host(s, "hz.example.org", 0, 0, NULL), 1);
    assert_int_equal(X509_check_host(s, "other.example.org", 0, 0, NULL), 0);
    assert_int_equal(X509_check_ip_asc(s, "127.0.0.1", 0), 1);
    assert_int_equal(X509_check_ip_asc(s, "::1", 0), 1);
    assert_int_equal(X509_check_ip_asc(s, "127.0.0.2", 0), 0);

    GENERAL_NAMES *names = X509_get_ext_d2i(s, NID_subject_alt_name, NULL, NULL);
    assert_non_null(names);
    const unsigned char lo[4] = { 127, 0, 0, 1 };
    assert_true(has_san(names, GEN_DNS, "localhost", NULL, 0));
    assert_true(has_san(names, GEN_IPADD, NULL, lo, 4));
    assert_false(has_san(names, GEN_DNS, "127.0.0.1", NULL, 0));
    GENERAL_NAMES_free(names);

    char cn[80];
    assert_true(X509_NAME_get_text_by_NID(X509_get_subject_name(s), NID_commonName, cn,
                                          sizeof cn) > 0);
    assert_string_equal(cn, "localhost");
    /* A server certificate carries no role, so it is no client identity. */
    char unit[64], role[32];
    assert_int_equal(cert_identity(s, unit, sizeof unit, role, sizeof role), -1);
    X509_free(s);
}

static void test_server_bad_hosts(void **state)
{
    dirs *d = *state;
    char err[256] = "", out[160];
    snprintf(out, sizeof out, "%s/badserver", d->root);
    assert_int_equal(cert_issue_server(d->ca, "", 30, out, err, sizeof err), -1);
    assert_int_equal(cert_issue_server(d->ca, " , ", 30, out, err, sizeof err), -1);
    assert_int_equal(cert_issue_server(d->ca, "bad host", 30, out, err, sizeof err), -1);
    assert_non_null(strstr(err, "\"bad host\""));
    assert_int_equal(cert_issue_server(d->ca, "a,DNS:evil", 30, out, err, sizeof err), -1);
    assert_int_equal(cert_issue_server(d->ca, NULL, 30, out, err, sizeof err), -1);
    assert_int_equal(access(out, F_OK), -1);
}

static void test_identity_and_fingerprint_null(void **state)
{
    (void)state;
    char unit[8], role[8], fp[CERT_FINGERPRINT_HEX];
    assert_int_equal(cert_identity(NULL, unit, sizeof unit, role, sizeof role), -1);
    assert_int_equal(cert_fingerprint(NULL, fp), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ca),
        cmocka_unit_test(test_ca_refuses_overwrite),
        cmocka_unit_test(test_client),
        cmocka_unit_test(test_client_bad_input),
        cmocka_unit_test(test_server),
        cmocka_unit_test(test_server_bad_hosts),
        cmocka_unit_test(test_identity_and_fingerprint_null),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
