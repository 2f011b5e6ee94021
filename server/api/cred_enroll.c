/* Enrollment: an administrator makes a one-time code; a new machine sends the
 * code with a CSR over the enrollment port and gets its certificate back. The
 * server signs first (about a millisecond of CPU, fine on the loop), then one
 * database call consumes the code and records the certificate; when that
 * call refuses, the certificate is dropped and never leaves the server. */
#include "api/cred_enroll.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "cert_csr.h"
#include "code.h"
#include "log.h"
#include "validate.h"

#define CRED_CODE_BYTES 20                          /* 160 bits */
#define CRED_CODE_CHARS (CRED_CODE_BYTES * 8 / 5)   /* base32: 32 */
#define CRED_CODE_TEXT (CRED_CODE_CHARS + CRED_CODE_CHARS / 4)
#define CRED_DEFAULT_EXPIRY (72u * 3600u)
#define CRED_MAX_EXPIRY (30u * 24u * 3600u)

static const char cred_b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/* The secret part of a code, "ABCD-EFGH-...": 8 groups of 4 base32 characters. */
static int cred_new_code(char out[CRED_CODE_TEXT])
{
    unsigned char raw[CRED_CODE_BYTES];
    size_t o = 0;

    if (RAND_bytes(raw, sizeof raw) != 1)
        return -1;
    for (size_t i = 0; i < CRED_CODE_CHARS; i++) {
        size_t bit = i * 5, byte = bit / 8, shift = bit % 8;
        unsigned v = (unsigned)raw[byte] << 8 | (byte + 1 < sizeof raw ? raw[byte + 1] : 0);
        if (i && i % 4 == 0)
            out[o++] = '-';
        out[o++] = cred_b32[(v >> (11 - shift)) & 31];
    }
    out[o] = '\0';
    OPENSSL_cleanse(raw, sizeof raw);
    return 0;
}

/* The code as typed (any case, dashes or spaces anywhere) to its 32
 * characters; -1 when it cannot be a code. */
static int cred_normalize(const char *in, char out[CRED_CODE_CHARS + 1])
{
    size_t n = 0;

    for (; *in; in++) {
        char ch = (char)(*in >= 'a' && *in <= 'z' ? *in - 'a' + 'A' : *in);
        if (ch == '-' || ch == ' ')
            continue;
        if (n == CRED_CODE_CHARS || !strchr(cred_b32, ch) || ch == '\0')
            return -1;
        out[n++] = ch;
    }
    out[n] = '\0';
    return n == CRED_CODE_CHARS ? 0 : -1;
}

static int cred_hash(const char *code, char out[65])
{
    unsigned char md[32];
    unsigned int n = 0;

    if (EVP_Digest(code, strlen(code), md, &n, EVP_sha256(), NULL) != 1 || n != 32)
        return -1;
    for (unsigned i = 0; i < n; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
    return 0;
}

void cred_enroll_create(conn *c, uint64_t request_id, const handler_op *op,
                        const ProtobufCMessage *body)
{
    const Huizong__EnrollCreate *e = (const Huizong__EnrollCreate *)body;
    char code[CRED_CODE_TEXT], norm[CRED_CODE_CHARS + 1], hash[65], shown[CRED_CODE_TEXT + 96];
    const char *bad = NULL;

    if (!validate_code(e->unit_code))
        bad = "unit_code: not a unit code (lowercase letters, digits, - and _)";
    else if (!code_role_valid(e->role))
        bad = "role: want community, district or admin";
    else if (e->expires_seconds > CRED_MAX_EXPIRY)
        bad = "expires_seconds: at most 30 days";
    if (bad) {
        conn_reply_status(c, request_id, HUIZONG__STATUS__INVALID_ARGUMENT, bad);
        return;
    }
    if (cred_new_code(code) != 0 || cred_normalize(code, norm) != 0 || cred_hash(norm, hash) != 0) {
        conn_reply_status(c, request_id, HUIZONG__STATUS__INTERNAL, "cannot make a random code");
        return;
    }
    /* The unit and role travel with the secret so that `huizong enroll` knows
     * what to put in its CSR; only the secret is hashed and checked. */
    snprintf(shown, sizeof shown, "%s/%s/%s", e->unit_code, e->role, code);
    handler_call_extra(c, request_id, op,
                       json_pack("{s:s, s:s, s:s, s:i}", "code_hash", hash, "unit_code", e->unit_code,
                                 "role", e->role, "expires_seconds",
                                 (int)(e->expires_seconds ? e->expires_seconds : CRED_DEFAULT_EXPIRY)),
                       json_pack("{s:s}", "code", shown));
    OPENSSL_cleanse(code, sizeof code);
    OPENSSL_cleanse(shown, sizeof shown);
    OPENSSL_cleanse(norm, sizeof norm);
}

/* What the database records of the new certificate, and what the client gets. */
static int cred_describe(X509 *crt, X509 *ca, json_t **rec, json_t **extra)
{
    char fp[CERT_FINGERPRINT_HEX], serial[CERT_SERIAL_HEX], until[CERT_TIME_TEXT];
    char *pem = cert_csr_pem(crt), *ca_pem = cert_csr_pem(ca);
    int rc = -1;

    *rec = *extra = NULL;
    if (pem && ca_pem && cert_fingerprint(crt, fp) == 0 && cert_csr_serial(crt, serial) == 0 &&
        cert_csr_not_after(crt, until) == 0) {
        *rec = json_pack("{s:s, s:s, s:s}", "fingerprint", fp, "serial", serial, "not_after", until);
        *extra = json_pack("{s:s, s:s, s:s, s:s, s:s}", "certificate_pem", pem, "ca_pem", ca_pem,
                           "fingerprint", fp, "serial", serial, "not_after", until);
        rc = *rec && *extra ? 0 : -1;
    }
    free(pem);
    free(ca_pem);
    return rc;
}

/* Checks the CSR and signs it; replies and returns NULL when it cannot. */
static X509 *cred_sign(conn *c, uint64_t request_id, const Huizong__Enroll *e, char *unit,
                       size_t unitlen, char *role, size_t rolelen)
{
    X509_REQ *req = NULL;
    X509 *crt = NULL;
    char err[256];

    if (cert_csr_check(e->csr_pem, strlen(e->csr_pem), &req, unit, unitlen, role, rolelen, err,
                       sizeof err) != 0) {
        conn_reply_status(c, request_id, HUIZONG__STATUS__INVALID_ARGUMENT, err);
        return NULL;
    }
    crt = cert_csr_sign(req, c->srv->ca_crt, c->srv->ca_key, (int)c->srv->opt.cert_days, err,
                        sizeof err);
    X509_REQ_free(req);
    if (!crt) {
        conn_log(LOG_ERROR, c, "enroll: %s", err);
        conn_reply_status(c, request_id, HUIZONG__STATUS__INTERNAL,
                          "cannot sign the certificate; the server log has the details");
    }
    return crt;
}

void cred_enroll(conn *c, uint64_t request_id, const handler_op *op, const ProtobufCMessage *body)
{
    const Huizong__Enroll *e = (const Huizong__Enroll *)body;
    char norm[CRED_CODE_CHARS + 1], hash[65], unit[64], role[16];
    json_t *rec, *extra;
    X509 *crt;

    const char *secret = strrchr(e->code, '/');

    if (cred_normalize(secret ? secret + 1 : e->code, norm) != 0) {
        conn_reply_status(c, request_id, HUIZONG__STATUS__INVALID_ARGUMENT,
                          "code: want the 32-character code as it was given (groups of 4 "
                          "letters and digits, dashes optional)");
        return;
    }
    if (cred_hash(norm, hash) != 0 ||
        !(crt = cred_sign(c, request_id, e, unit, sizeof unit, role, sizeof role)))
        return;
    if (cred_describe(crt, c->srv->ca_crt, &rec, &extra) != 0) {
        X509_free(crt);
        json_decref(rec);
        json_decref(extra);
        conn_reply_status(c, request_id, HUIZONG__STATUS__RESOURCE_EXHAUSTED, "server out of memory");
        return;
    }
    X509_free(crt);
    json_object_set_new(rec, "code_hash", json_string(hash));
    json_object_set_new(rec, "unit_code", json_string(unit));
    json_object_set_new(rec, "role", json_string(role));
    conn_log(LOG_INFO, c, "enroll: CSR for %s (%s) signed; recording it", unit, role);
    handler_call_extra(c, request_id, op, rec, extra);
}
