/* Certificates with the OpenSSL library: a CA, client and server credentials,
 * and reading identity back from a peer's certificate. */
#include "cert.h"
#include "code.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#define CERT_CA_DAYS 3650
#define CERT_MAX_DAYS 36500
#define CERT_PATH_MAX 4096
/* Certificates start a little in the past so a peer whose clock runs slow
 * does not refuse them in their first minutes. */
#define CERT_BACKDATE_SECONDS (-300L)

/* Fills err; when OpenSSL queued a reason, appends it and clears the queue. */
static int cert_fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int cert_fail(char *err, size_t errlen, const char *fmt, ...)
{
    char msg[512], ssl[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    unsigned long e = ERR_peek_last_error();
    ERR_clear_error();
    if (!err || errlen == 0)
        return -1;
    if (e) {
        ERR_error_string_n(e, ssl, sizeof ssl);
        snprintf(err, errlen, "%s: %s", msg, ssl);
    } else {
        snprintf(err, errlen, "%s", msg);
    }
    return -1;
}

/* ---- files -------------------------------------------------------------- */

static int cert_path(char *out, const char *dir, const char *name, char *err, size_t errlen)
{
    int n = snprintf(out, CERT_PATH_MAX, "%s/%s", dir, name);
    if (n < 0 || n >= CERT_PATH_MAX)
        return cert_fail(err, errlen, "%s: path too long", dir);
    return 0;
}

/* mkdir -p; directories it creates are private (0700) because they hold keys. */
static int cert_mkdirs(const char *dir, char *err, size_t errlen)
{
    char path[CERT_PATH_MAX];
    if (!dir || !*dir)
        return cert_fail(err, errlen, "no directory given");
    if (strlen(dir) >= sizeof path)
        return cert_fail(err, errlen, "%s: path too long", dir);
    strcpy(path, dir);
    for (char *p = path + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char c = *p;
        *p = '\0';
        if (mkdir(path, 0700) < 0 && errno != EEXIST)
            return cert_fail(err, errlen, "%s: %s", path, strerror(errno));
        *p = c;
        if (c == '\0')
            break;
    }
    struct stat st;
    if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
        return cert_fail(err, errlen, "%s: not a directory", dir);
    return 0;
}

typedef int (*cert_pem_fn)(FILE *f, const void *obj);

static int cert_pem_key(FILE *f, const void *obj)
{
    return PEM_write_PrivateKey(f, (EVP_PKEY *)obj, NULL, NULL, 0, NULL, NULL);
}

static int cert_pem_crt(FILE *f, const void *obj)
{
    return PEM_write_X509(f, (X509 *)obj);
}

/* Writes a PEM file created with O_EXCL at `path`, synced to disk. */
static int cert_write_excl(const char *path, mode_t mode, cert_pem_fn write_fn,
                           const void *obj, char *err, size_t errlen)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
    if (fd < 0)
        return cert_fail(err, errlen, "%s: %s", path, strerror(errno));
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        unlink(path);
        return cert_fail(err, errlen, "%s: %s", path, strerror(errno));
    }
    int ok = write_fn(f, obj) == 1 && fflush(f) == 0 && fsync(fd) == 0;
    int saved = errno;
    if (fclose(f) != 0)
        ok = 0;
    if (!ok) {
        unlink(path);
        return cert_fail(err, errlen, "%s: cannot write: %s", path, strerror(saved));
    }
    return 0;
}

/* Replaces dir/name atomically: a reader never sees half a file. */
static int cert_write_replace(const char *dir, const char *name, mode_t mode,
                              cert_pem_fn write_fn, const void *obj, char *err,
                              size_t errlen)
{
    char path[CERT_PATH_MAX], tmp[CERT_PATH_MAX + 32];
    if (cert_path(path, dir, name, err, errlen) < 0)
        return -1;
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    unlink(tmp); /* left by an earlier run of the same pid that crashed */
    if (cert_write_excl(tmp, mode, write_fn, obj, err, errlen) < 0)
        return -1;
    if (rename(tmp, path) < 0) {
        int e = errno;
        unlink(tmp);
        return cert_fail(err, errlen, "%s: %s", path, strerror(e));
    }
    return 0;
}

static X509 *cert_read_crt(const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "re");
    if (!f) {
        cert_fail(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    X509 *crt = PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    if (!crt)
        cert_fail(err, errlen, "%s: not a PEM certificate", path);
    return crt;
}

static EVP_PKEY *cert_read_key(const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "re");
    if (!f) {
        cert_fail(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    EVP_PKEY *key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
    fclose(f);
    if (!key)
        cert_fail(err, errlen, "%s: not a PEM private key", path);
    return key;
}

static int cert_load_ca(const char *ca_dir, X509 **crt, EVP_PKEY **key, char *err,
                        size_t errlen)
{
    char path[CERT_PATH_MAX];
    *crt = NULL;
    *key = NULL;
    if (!ca_dir || cert_path(path, ca_dir, "ca.crt", err, errlen) < 0)
        return ca_dir ? -1 : cert_fail(err, errlen, "no CA directory given");
    if (!(*crt = cert_read_crt(path, err, errlen)))
        return -1;
    if (cert_path(path, ca_dir, "ca.key", err, errlen) < 0 ||
        !(*key = cert_read_key(path, err, errlen)))
        goto fail;
    if (X509_check_private_key(*crt, *key) != 1) {
        cert_fail(err, errlen, "%s: ca.key does not match ca.crt", ca_dir);
        goto fail;
    }
    return 0;
fail:
    X509_free(*crt);
    EVP_PKEY_free(*key);
    *crt = NULL;
    *key = NULL;
    return -1;
}

/* ---- building certificates ---------------------------------------------- */

static int cert_random_serial(X509 *crt)
{
    unsigned char raw[16];
    if (RAND_bytes(raw, sizeof raw) != 1)
        return -1;
    raw[0] &= 0x7F; /* DER INTEGER must stay positive */
    raw[0] |= 0x40; /* and nonzero with a full 16 bytes */
    BIGNUM *bn = BN_bin2bn(raw, sizeof raw, NULL);
    ASN1_INTEGER *serial = bn ? BN_to_ASN1_INTEGER(bn, NULL) : NULL;
    int ok = serial && X509_set_serialNumber(crt, serial) == 1;
    ASN1_INTEGER_free(serial);
    BN_free(bn);
    return ok ? 0 : -1;
}

static int cert_name_add(X509_NAME *name, const char *field, const char *value)
{
    return X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                      (const unsigned char *)value, -1, -1, 0) == 1
               ? 0
               : -1;
}

static int cert_add_ext(X509 *crt, X509 *issuer, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, crt, NULL, NULL, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    if (!ext)
        return -1;
    int ok = X509_add_ext(crt, ext, -1) == 1;
    X509_EXTENSION_free(ext);
    return ok ? 0 : -1;
}

/* A certificate for `key`, subject `subject`, not yet signed or extended. */
static X509 *cert_new(EVP_PKEY *key, X509_NAME *subject, X509 *issuer, int days)
{
    X509 *crt = X509_new();
    if (!crt || X509_set_version(crt, 2) != 1 || cert_random_serial(crt) < 0 ||
        X509_set_subject_name(crt, subject) != 1 ||
        X509_set_issuer_name(crt, issuer ? X509_get_subject_name(issuer) : subject) != 1 ||
        !X509_gmtime_adj(X509_getm_notBefore(crt), CERT_BACKDATE_SECONDS) ||
        !X509_time_adj_ex(X509_getm_notAfter(crt), days, 0, NULL) ||
        X509_set_pubkey(crt, key) != 1) {
        X509_free(crt);
        return NULL;
    }
    return crt;
}

static EVP_PKEY *cert_new_key(void)
{
    return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
}

/* ---- CA ----------------------------------------------------------------- */

static X509 *cert_make_ca(EVP_PKEY *key, const char *name)
{
    char cn[128];
    snprintf(cn, sizeof cn, "huizong CA%s%s", name && *name ? " " : "", name ? name : "");
    X509_NAME *subj = X509_NAME_new();
    X509 *crt = NULL;
    if (subj && cert_name_add(subj, "O", "huizong") == 0 && cert_name_add(subj, "CN", cn) == 0)
        crt = cert_new(key, subj, NULL, CERT_CA_DAYS);
    X509_NAME_free(subj);
    if (crt && (cert_add_ext(crt, crt, NID_basic_constraints, "critical,CA:TRUE") < 0 ||
                cert_add_ext(crt, crt, NID_key_usage, "critical,keyCertSign,cRLSign") < 0 ||
                cert_add_ext(crt, crt, NID_subject_key_identifier, "hash") < 0 ||
                X509_sign(crt, key, EVP_sha256()) <= 0)) {
        X509_free(crt);
        crt = NULL;
    }
    return crt;
}

int cert_ca_init(const char *dir, const char *name, char *err, size_t errlen)
{
    char keypath[CERT_PATH_MAX];
    if (cert_mkdirs(dir, err, errlen) < 0 || cert_path(keypath, dir, "ca.key", err, errlen) < 0)
        return -1;
    if (access(keypath, F_OK) == 0)
        return cert_fail(err, errlen, "%s exists; refusing to overwrite a CA key", keypath);
    EVP_PKEY *key = cert_new_key();
    X509 *crt = key ? cert_make_ca(key, name) : NULL;
    int rc = -1;
    if (!crt)
        cert_fail(err, errlen, "cannot create the CA certificate");
    else if (cert_write_excl(keypath, 0600, cert_pem_key, key, err, errlen) == 0) {
        rc = cert_write_replace(dir, "ca.crt", 0644, cert_pem_crt, crt, err, errlen);
        if (rc < 0)
            unlink(keypath); /* no half-made CA: let the next try start clean */
    }
    X509_free(crt);
    EVP_PKEY_free(key);
    return rc;
}

/* ---- issuing ------------------------------------------------------------ */

/* Signs a fresh key's certificate with the CA and writes key, certificate and
 * the CA certificate into out_dir as <stem>.key, <stem>.crt, ca.crt. */
typedef int (*cert_extend_fn)(X509 *crt, X509 *ca, const void *arg);

static int cert_issue(const char *ca_dir, X509_NAME *subj, int days, cert_extend_fn extend,
                      const void *arg, const char *out_dir, const char *stem, char *err,
                      size_t errlen)
{
    char keyname[64], crtname[64];
    X509 *ca = NULL, *crt = NULL;
    EVP_PKEY *cakey = NULL, *key = NULL;
    int rc = -1;
    if (days <= 0 || days > CERT_MAX_DAYS)
        return cert_fail(err, errlen, "validity of %d days out of range 1..%d", days,
                         CERT_MAX_DAYS);
    if (cert_load_ca(ca_dir, &ca, &cakey, err, errlen) < 0)
        return -1;
    if (!(key = cert_new_key()) || !(crt = cert_new(key, subj, ca, days)) ||
        extend(crt, ca, arg) < 0 ||
        cert_add_ext(crt, ca, NID_subject_key_identifier, "hash") < 0 ||
        cert_add_ext(crt, ca, NID_authority_key_identifier, "keyid:always") < 0 ||
        X509_sign(crt, cakey, EVP_sha256()) <= 0) {
        cert_fail(err, errlen, "cannot create the %s certificate", stem);
        goto out;
    }
    snprintf(keyname, sizeof keyname, "%s.key", stem);
    snprintf(crtname, sizeof crtname, "%s.crt", stem);
    if (cert_mkdirs(out_dir, err, errlen) < 0 ||
        cert_write_replace(out_dir, keyname, 0600, cert_pem_key, key, err, errlen) < 0 ||
        cert_write_replace(out_dir, crtname, 0644, cert_pem_crt, crt, err, errlen) < 0 ||
        cert_write_replace(out_dir, "ca.crt", 0644, cert_pem_crt, ca, err, errlen) < 0)
        goto out;
    rc = 0;
out:
    X509_free(crt);
    EVP_PKEY_free(key);
    X509_free(ca);
    EVP_PKEY_free(cakey);
    return rc;
}

static int cert_extend_client(X509 *crt, X509 *ca, const void *arg)
{
    (void)arg;
    return cert_add_ext(crt, ca, NID_basic_constraints, "critical,CA:FALSE") < 0 ||
                   cert_add_ext(crt, ca, NID_key_usage, "critical,digitalSignature") < 0 ||
                   cert_add_ext(crt, ca, NID_ext_key_usage, "clientAuth") < 0
               ? -1
               : 0;
}

int cert_issue_client(const char *ca_dir, const char *unit, const char *role, int days,
                      const char *out_dir, char *err, size_t errlen)
{
    if (!code_role_valid(role))
        return cert_fail(err, errlen, "unknown role \"%s\" (want community, district or admin)",
                         role ? role : "");
    if (!code_valid(unit))
        return cert_fail(err, errlen, "invalid unit code \"%s\" (want a-z, 0-9, _ or -, at most 63)",
                         unit ? unit : "");
    X509_NAME *subj = X509_NAME_new();
    if (!subj || cert_name_add(subj, "O", "huizong") < 0 || cert_name_add(subj, "OU", role) < 0 ||
        cert_name_add(subj, "CN", unit) < 0) {
        X509_NAME_free(subj);
        return cert_fail(err, errlen, "cannot build the subject for %s", unit);
    }
    int rc = cert_issue(ca_dir, subj, days, cert_extend_client, NULL, out_dir, "client", err,
                        errlen);
    X509_NAME_free(subj);
    return rc;
}

/* "DNS:name" or "IP:addr" for one host; returns -1 for a malformed name. */
static int cert_san_entry(const char *host, char *out, size_t outlen)
{
    unsigned char addr[16];
    if (inet_pton(AF_INET, host, addr) == 1 || inet_pton(AF_INET6, host, addr) == 1) {
        snprintf(out, outlen, "IP:%s", host);
        return 0;
    }
    size_t n = strlen(host);
    const char *p = strncmp(host, "*.", 2) == 0 ? host + 2 : host;
    if (n == 0 || n > 253 || *p == '\0' || *p == '.' || *p == '-')
        return -1;
    for (; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              (*p >= '0' && *p <= '9') || *p == '-' || *p == '.'))
            return -1;
    snprintf(out, outlen, "DNS:%s", host);
    return 0;
}

/* Turns "localhost, 127.0.0.1" into a subjectAltName value and the first host. */
static int cert_server_sans(const char *hosts, char *san, size_t sanlen, char *first,
                            size_t firstlen, char *err, size_t errlen)
{
    char list[2048], entry[300];
    if (!hosts || strlen(hosts) >= sizeof list)
        return cert_fail(err, errlen, "server hosts missing or too long");
    strcpy(list, hosts);
    san[0] = first[0] = '\0';
    char *save = NULL;
    for (char *h = strtok_r(list, ",", &save); h; h = strtok_r(NULL, ",", &save)) {
        while (*h == ' ' || *h == '\t')
            h++;
        for (char *e = h + strlen(h); e > h && (e[-1] == ' ' || e[-1] == '\t');)
            *--e = '\0';
        if (cert_san_entry(h, entry, sizeof entry) < 0)
            return cert_fail(err, errlen, "invalid host name \"%s\"", h);
        if (strlen(san) + strlen(entry) + 2 > sanlen)
            return cert_fail(err, errlen, "too many server hosts");
        if (san[0])
            strcat(san, ",");
        strcat(san, entry);
        if (!first[0])
            snprintf(first, firstlen, "%s", h);
    }
    if (!san[0])
        return cert_fail(err, errlen, "no server host given");
    return 0;
}

static int cert_extend_server(X509 *crt, X509 *ca, const void *arg)
{
    return cert_add_ext(crt, ca, NID_basic_constraints, "critical,CA:FALSE") < 0 ||
                   cert_add_ext(crt, ca, NID_key_usage, "critical,digitalSignature") < 0 ||
                   cert_add_ext(crt, ca, NID_ext_key_usage, "serverAuth") < 0 ||
                   cert_add_ext(crt, ca, NID_subject_alt_name, arg) < 0
               ? -1
               : 0;
}

int cert_issue_server(const char *ca_dir, const char *hosts, int days, const char *out_dir,
                      char *err, size_t errlen)
{
    char san[4096], first[256];
    if (cert_server_sans(hosts, san, sizeof san, first, sizeof first, err, errlen) < 0)
        return -1;
    /* X.509 caps a common name at 64 characters; the SANs carry the rest. */
    X509_NAME *subj = X509_NAME_new();
    if (strlen(first) > 64 || !subj || cert_name_add(subj, "O", "huizong") < 0 ||
        cert_name_add(subj, "CN", first) < 0) {
        X509_NAME_free(subj);
        return cert_fail(err, errlen, "cannot use \"%s\" as the certificate's name", first);
    }
    int rc = cert_issue(ca_dir, subj, days, cert_extend_server, san, out_dir, "server", err,
                        errlen);
    X509_NAME_free(subj);
    return rc;
}

/* ---- reading identity ---------------------------------------------------- */

/* Copies the one entry of `nid`; a subject with two is ambiguous and refused. */
static int cert_subject_entry(X509_NAME *name, int nid, char *out, size_t outlen)
{
    int i = X509_NAME_get_index_by_NID(name, nid, -1);
    if (i < 0 || X509_NAME_get_index_by_NID(name, nid, i) >= 0)
        return -1;
    ASN1_STRING *s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i));
    unsigned char *utf8 = NULL;
    int n = s ? ASN1_STRING_to_UTF8(&utf8, s) : -1;
    int rc = -1;
    /* An embedded NUL would let "unit\0x" pass as "unit". */
    if (n > 0 && (size_t)n < outlen && memchr(utf8, '\0', (size_t)n) == NULL) {
        memcpy(out, utf8, (size_t)n);
        out[n] = '\0';
        rc = 0;
    }
    OPENSSL_free(utf8);
    return rc;
}

int cert_identity(X509 *cert, char *unit, size_t unitlen, char *role, size_t rolelen)
{
    X509_NAME *name = cert ? X509_get_subject_name(cert) : NULL;
    if (!name || !unit || !role || unitlen == 0 || rolelen == 0)
        return -1;
    if (cert_subject_entry(name, NID_commonName, unit, unitlen) < 0 ||
        cert_subject_entry(name, NID_organizationalUnitName, role, rolelen) < 0) {
        unit[0] = role[0] = '\0';
        return -1;
    }
    return 0;
}

int cert_fingerprint(X509 *cert, char out[CERT_FINGERPRINT_HEX])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    out[0] = '\0';
    if (!cert || X509_digest(cert, EVP_sha256(), md, &n) != 1 || n != 32)
        return -1;
    for (unsigned int i = 0; i < n; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
    return 0;
}

int cert_key_private(const char *path, char *err, size_t errlen)
{
    struct stat st;

    if (stat(path, &st) != 0 || (st.st_mode & 077) == 0)
        return 0;
    snprintf(err, errlen, "private key %s is readable by %s (mode %04o); run: chmod 600 %s", path,
             (st.st_mode & 007) ? "others" : "its group", (unsigned)(st.st_mode & 07777), path);
    return -1;
}
