/* CSRs for enrollment: made on the client, checked and signed on the server. */
#include "cert_csr.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include "cert.h"
#include "code.h"

#define CSR_PATH_MAX 4096
#define CSR_MAX_DAYS 36500
#define CSR_BACKDATE_SECONDS (-300L)

__attribute__((format(printf, 3, 4))) static int csr_fail(char *err, size_t errlen,
                                                          const char *fmt, ...)
{
    va_list ap;

    ERR_clear_error();
    if (!err || errlen == 0)
        return -1;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

static X509_NAME *csr_subject(const char *unit, const char *role)
{
    X509_NAME *n = X509_NAME_new();
    const char *f[3] = {"O", "OU", "CN"}, *v[3] = {"huizong", role, unit};

    for (int i = 0; n && i < 3; i++)
        if (X509_NAME_add_entry_by_txt(n, f[i], MBSTRING_UTF8, (const unsigned char *)v[i], -1,
                                       -1, 0) != 1) {
            X509_NAME_free(n);
            return NULL;
        }
    return n;
}

/* ---- client side ---------------------------------------------------------- */

static char *csr_req_pem(X509_REQ *req)
{
    BIO *b = BIO_new(BIO_s_mem());
    char *data, *out = NULL;
    long n;

    if (b && PEM_write_bio_X509_REQ(b, req) == 1 && (n = BIO_get_mem_data(b, &data)) > 0 &&
        (out = malloc((size_t)n + 1))) {
        memcpy(out, data, (size_t)n);
        out[n] = '\0';
    }
    BIO_free(b);
    return out;
}

int cert_csr_make(const char *unit, const char *role, EVP_PKEY **key, char **csr_pem,
                  char *err, size_t errlen)
{
    X509_REQ *req = X509_REQ_new();
    X509_NAME *subj = csr_subject(unit, role);
    int rc = -1;

    *key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    *csr_pem = NULL;
    if (*key && req && subj && X509_REQ_set_version(req, 0) == 1 &&
        X509_REQ_set_subject_name(req, subj) == 1 && X509_REQ_set_pubkey(req, *key) == 1 &&
        X509_REQ_sign(req, *key, EVP_sha256()) > 0 && (*csr_pem = csr_req_pem(req)))
        rc = 0;
    else
        csr_fail(err, errlen, "cannot make a key and CSR for %s (%s)", unit, role);
    X509_NAME_free(subj);
    X509_REQ_free(req);
    if (rc != 0) {
        EVP_PKEY_free(*key);
        *key = NULL;
    }
    return rc;
}

/* ---- server side ---------------------------------------------------------- */

static int csr_key_is_p256(EVP_PKEY *k)
{
    char group[64];
    size_t len = 0;

    return EVP_PKEY_is_a(k, "EC") &&
           EVP_PKEY_get_utf8_string_param(k, "group", group, sizeof group, &len) == 1 &&
           strcmp(group, "prime256v1") == 0;
}

/* The subject must be exactly O=huizong, OU=role, CN=unit. */
static int csr_subject_ok(X509_REQ *req, char *unit, size_t unitlen, char *role,
                          size_t rolelen, char *err, size_t errlen)
{
    X509 *tmp = X509_new();
    int ok = tmp && X509_set_subject_name(tmp, X509_REQ_get_subject_name(req)) == 1 &&
             cert_identity(tmp, unit, unitlen, role, rolelen) == 0;

    X509_free(tmp);
    if (!ok)
        return csr_fail(err, errlen, "csr: subject must name one role (OU) and one unit (CN)");
    if (!code_role_valid(role))
        return csr_fail(err, errlen, "csr: role (OU) \"%.20s\" is not community, district or admin",
                        role);
    if (!code_valid(unit))
        return csr_fail(err, errlen, "csr: unit (CN) \"%.64s\" is not a unit code", unit);
    if (X509_NAME_entry_count(X509_REQ_get_subject_name(req)) != 3)
        return csr_fail(err, errlen, "csr: subject must be O=huizong, OU=role, CN=unit and nothing else");
    return 0;
}

int cert_csr_check(const char *pem, size_t len, X509_REQ **out, char *unit, size_t unitlen,
                   char *role, size_t rolelen, char *err, size_t errlen)
{
    BIO *b = len > 0 && len < (1u << 20) ? BIO_new_mem_buf(pem, (int)len) : NULL;
    X509_REQ *req = b ? PEM_read_bio_X509_REQ(b, NULL, NULL, NULL) : NULL;
    EVP_PKEY *k = req ? X509_REQ_get0_pubkey(req) : NULL;
    int rc = -1;

    *out = NULL;
    BIO_free(b);
    if (!req)
        csr_fail(err, errlen, "csr: not a PEM certificate signing request");
    else if (!k || !csr_key_is_p256(k))
        csr_fail(err, errlen, "csr: key must be ECDSA P-256");
    else if (X509_REQ_verify(req, k) != 1)
        csr_fail(err, errlen, "csr: signature does not verify (the CSR was altered or not "
                              "signed by its key)");
    else if (csr_subject_ok(req, unit, unitlen, role, rolelen, err, errlen) == 0)
        rc = 0;
    ERR_clear_error();
    if (rc == 0)
        *out = req;
    else
        X509_REQ_free(req);
    return rc;
}

static X509 *csr_read_crt(const char *path)
{
    FILE *f = fopen(path, "re");
    X509 *x = f ? PEM_read_X509(f, NULL, NULL, NULL) : NULL;

    if (f)
        fclose(f);
    return x;
}

static EVP_PKEY *csr_read_key(const char *path)
{
    FILE *f = fopen(path, "re");
    EVP_PKEY *k = f ? PEM_read_PrivateKey(f, NULL, NULL, NULL) : NULL;

    if (f)
        fclose(f);
    return k;
}

int cert_csr_load_ca(const char *dir, X509 **crt, EVP_PKEY **key, char *err, size_t errlen)
{
    char path[CSR_PATH_MAX];

    *crt = NULL;
    *key = NULL;
    snprintf(path, sizeof path, "%s/ca.crt", dir);
    if (!(*crt = csr_read_crt(path)))
        return csr_fail(err, errlen, "ca_dir: cannot read a PEM certificate from %s", path);
    snprintf(path, sizeof path, "%s/ca.key", dir);
    if (cert_key_private(path, err, errlen) != 0) {
        X509_free(*crt);
        *crt = NULL;
        return -1;
    }
    if (!(*key = csr_read_key(path)) || X509_check_private_key(*crt, *key) != 1) {
        X509_free(*crt);
        EVP_PKEY_free(*key);
        *crt = NULL;
        *key = NULL;
        return csr_fail(err, errlen, "ca_dir: %s is missing, unreadable or does not match ca.crt",
                        path);
    }
    return 0;
}

static int csr_serial(X509 *crt)
{
    unsigned char raw[16];
    BIGNUM *bn;
    ASN1_INTEGER *s;
    int ok;

    if (RAND_bytes(raw, sizeof raw) != 1)
        return -1;
    raw[0] = (unsigned char)((raw[0] & 0x7F) | 0x40); /* positive, full 16 bytes */
    bn = BN_bin2bn(raw, sizeof raw, NULL);
    s = bn ? BN_to_ASN1_INTEGER(bn, NULL) : NULL;
    ok = s && X509_set_serialNumber(crt, s) == 1;
    ASN1_INTEGER_free(s);
    BN_free(bn);
    return ok ? 0 : -1;
}

static int csr_ext(X509 *crt, X509 *ca, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509_EXTENSION *e;
    int ok;

    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, ca, crt, NULL, NULL, 0);
    if (!(e = X509V3_EXT_conf_nid(NULL, &ctx, nid, value)))
        return -1;
    ok = X509_add_ext(crt, e, -1) == 1;
    X509_EXTENSION_free(e);
    return ok ? 0 : -1;
}

X509 *cert_csr_sign(X509_REQ *req, X509 *ca, EVP_PKEY *cakey, int days, char *err,
                    size_t errlen)
{
    X509 *crt = X509_new();

    if (days <= 0 || days > CSR_MAX_DAYS) {
        X509_free(crt);
        csr_fail(err, errlen, "validity of %d days out of range 1..%d", days, CSR_MAX_DAYS);
        return NULL;
    }
    /* Only the subject and key come from the CSR; extensions it asks for are ignored. */
    if (!crt || X509_set_version(crt, 2) != 1 || csr_serial(crt) < 0 ||
        X509_set_subject_name(crt, X509_REQ_get_subject_name(req)) != 1 ||
        X509_set_issuer_name(crt, X509_get_subject_name(ca)) != 1 ||
        !X509_gmtime_adj(X509_getm_notBefore(crt), CSR_BACKDATE_SECONDS) ||
        !X509_time_adj_ex(X509_getm_notAfter(crt), days, 0, NULL) ||
        X509_set_pubkey(crt, X509_REQ_get0_pubkey(req)) != 1 ||
        csr_ext(crt, ca, NID_basic_constraints, "critical,CA:FALSE") < 0 ||
        csr_ext(crt, ca, NID_key_usage, "critical,digitalSignature") < 0 ||
        csr_ext(crt, ca, NID_ext_key_usage, "clientAuth") < 0 ||
        csr_ext(crt, ca, NID_subject_key_identifier, "hash") < 0 ||
        csr_ext(crt, ca, NID_authority_key_identifier, "keyid:always") < 0 ||
        X509_sign(crt, cakey, EVP_sha256()) <= 0) {
        X509_free(crt);
        csr_fail(err, errlen, "cannot sign the certificate");
        return NULL;
    }
    return crt;
}

char *cert_csr_pem(X509 *crt)
{
    BIO *b = BIO_new(BIO_s_mem());
    char *data, *out = NULL;
    long n;

    if (b && PEM_write_bio_X509(b, crt) == 1 && (n = BIO_get_mem_data(b, &data)) > 0 &&
        (out = malloc((size_t)n + 1))) {
        memcpy(out, data, (size_t)n);
        out[n] = '\0';
    }
    BIO_free(b);
    return out;
}

int cert_csr_serial(X509 *crt, char out[CERT_SERIAL_HEX])
{
    BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(crt), NULL);
    char *hex = bn ? BN_bn2hex(bn) : NULL;
    int rc = -1;

    out[0] = '\0';
    if (hex && strlen(hex) < CERT_SERIAL_HEX) {
        for (size_t i = 0; hex[i]; i++)
            out[i] = (char)(hex[i] >= 'A' && hex[i] <= 'F' ? hex[i] - 'A' + 'a' : hex[i]);
        out[strlen(hex)] = '\0';
        rc = 0;
    }
    OPENSSL_free(hex);
    BN_free(bn);
    return rc;
}

int cert_csr_not_after(X509 *crt, char out[CERT_TIME_TEXT])
{
    struct tm tm;

    if (ASN1_TIME_to_tm(X509_get0_notAfter(crt), &tm) != 1)
        return -1;
    return strftime(out, CERT_TIME_TEXT, "%Y-%m-%dT%H:%M:%SZ", &tm) > 0 ? 0 : -1;
}

/* ---- files ---------------------------------------------------------------- */

static int csr_write(const char *dir, const char *name, mode_t mode, const char *text,
                     size_t len, char *err, size_t errlen)
{
    char path[CSR_PATH_MAX];
    int fd;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
    if (fd < 0)
        return csr_fail(err, errlen, "%s: %s", path, strerror(errno));
    int ok = write(fd, text, len) == (ssize_t)len && fchmod(fd, mode) == 0 && fsync(fd) == 0;
    int saved = errno;
    if (close(fd) != 0 || !ok)
        return csr_fail(err, errlen, "%s: cannot write: %s", path, strerror(saved));
    return 0;
}

static char *csr_key_pem(EVP_PKEY *key, size_t *len)
{
    BIO *b = BIO_new(BIO_s_mem());
    char *data, *out = NULL;
    long n;

    if (b && PEM_write_bio_PrivateKey(b, key, NULL, NULL, 0, NULL, NULL) == 1 &&
        (n = BIO_get_mem_data(b, &data)) > 0 && (out = malloc((size_t)n))) {
        memcpy(out, data, (size_t)n);
        *len = (size_t)n;
    }
    BIO_free_all(b);
    return out;
}

int cert_csr_check_out_dir(const char *dir, char *err, size_t errlen)
{
    char path[CSR_PATH_MAX];
    struct stat st;

    if (strlen(dir) + 16 >= sizeof path)
        return csr_fail(err, errlen, "%s: path too long", dir);
    snprintf(path, sizeof path, "%s/client.key", dir);
    if (lstat(path, &st) == 0)
        return csr_fail(err, errlen, "%s exists; refusing to overwrite a key (use an empty --out)",
                        path);
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return csr_fail(err, errlen, "%s: %s", dir, strerror(errno));
    if (access(dir, W_OK) != 0)
        return csr_fail(err, errlen, "%s: %s", dir, strerror(errno));
    return 0;
}

int cert_csr_save(const char *dir, EVP_PKEY *key, const char *crt_pem, const char *ca_pem,
                  char *err, size_t errlen)
{
    size_t klen = 0;
    char *kpem;
    int rc;

    if (cert_csr_check_out_dir(dir, err, errlen) != 0)
        return -1;
    if (!(kpem = csr_key_pem(key, &klen)))
        return csr_fail(err, errlen, "cannot encode the private key");
    rc = csr_write(dir, "client.key", 0600, kpem, klen, err, errlen);
    OPENSSL_cleanse(kpem, klen);
    free(kpem);
    if (rc == 0)
        rc = csr_write(dir, "client.crt", 0644, crt_pem, strlen(crt_pem), err, errlen);
    if (rc == 0)
        rc = csr_write(dir, "ca.crt", 0644, ca_pem, strlen(ca_pem), err, errlen);
    return rc;
}
