/* Harness additions for enrollment: see harness_cred.h. */
#include "harness_cred.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/pem.h>

#include "cert.h"
#include "cert_csr.h"
#include "records.h"
#include "wire.h"

#define HC_WAIT_MS 30000

static void hc_sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* The number after `mark` in the server log, or -1. Also 1 for marks
 * without a number when found. */
static int hc_log_find(const harness *h, const char *mark, int want_number)
{
    FILE *f = fopen(h->log_path, "r");
    char line[2048];
    int found = -1;

    while (f && fgets(line, sizeof line, f)) {
        char *p = strstr(line, mark);
        if (p)
            found = want_number ? atoi(p + strlen(mark)) : 1;
    }
    if (f)
        fclose(f);
    return found;
}

static int hc_append(const char *dst, const char *src)
{
    FILE *in = fopen(src, "r"), *out = fopen(dst, "a");
    char buf[4096];
    size_t n;
    int rc = in && out ? 0 : -1;

    while (rc == 0 && (n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n)
            rc = -1;
    if (in)
        fclose(in);
    if (out && fclose(out) != 0)
        rc = -1;
    return rc;
}

static int hc_trust_signing_ca(harness *h, const harness_cred *hc)
{
    char bundle[HARNESS_PATH + 16], ca[HARNESS_PATH + 16];

    snprintf(bundle, sizeof bundle, "%s/ca.crt", h->server_creds);
    snprintf(ca, sizeof ca, "%s/ca.crt", hc->ca_dir);
    if (hc_append(bundle, ca) != 0 || kill(h->pid, SIGHUP) != 0)
        return -1;
    for (int waited = 0; waited < HC_WAIT_MS; waited += 50) {
        if (hc_log_find(h, "SIGHUP: TLS certificates reloaded", 0) == 1)
            return 0;
        hc_sleep_ms(50);
    }
    fprintf(stderr, "harness_cred: no reload after SIGHUP\n");
    return -1;
}

int harness_cred_start(harness *h, harness_cred *hc)
{
    static char a_dir[HARNESS_PATH + 16];
    harness_opts o = {{"--enroll_listen=127.0.0.1:0", a_dir, "--cert_days=30", NULL}};
    char err[256];

    snprintf(hc->ca_dir, sizeof hc->ca_dir, "/tmp/hz-it-ca-XXXXXX");
    if (!mkdtemp(hc->ca_dir) || rmdir(hc->ca_dir) != 0 ||
        cert_ca_init(hc->ca_dir, "enroll", err, sizeof err) != 0) {
        fprintf(stderr, "harness_cred: signing CA: %s\n", err);
        return -1;
    }
    snprintf(a_dir, sizeof a_dir, "--ca_dir=%s", hc->ca_dir);
    if (harness_start(h, &o) != 0)
        return -1;
    hc->enroll_port = hc_log_find(h, "enrollment on 127.0.0.1:", 1);
    if (hc->enroll_port <= 0 || hc_trust_signing_ca(h, hc) != 0) {
        harness_log_tail(h, 40);
        return -1;
    }
    return 0;
}

int harness_cred_stop(harness *h, harness_cred *hc)
{
    char path[HARNESS_PATH + 16];
    int rc = harness_stop(h);

    snprintf(path, sizeof path, "%s/ca.key", hc->ca_dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/ca.crt", hc->ca_dir);
    unlink(path);
    rmdir(hc->ca_dir);
    return rc;
}

SSL *harness_cred_connect_enroll(harness *h, const harness_cred *hc)
{
    int main_port = h->port;
    SSL *s;

    h->port = hc->enroll_port;
    s = harness_connect(h, NULL);
    h->port = main_port;
    return s;
}

SSL *harness_cred_enroll_hello(harness *h, const harness_cred *hc)
{
    SSL *s = harness_cred_connect_enroll(h, hc);
    Huizong__Response *r = s ? harness_hello(s, 1, HZ_PROTOCOL_VERSION) : NULL;
    int ok = r && r->status == HUIZONG__STATUS__OK;

    harness_response_free(r);
    if (!ok) {
        harness_close(s);
        return NULL;
    }
    return s;
}

char *harness_cred_code(SSL *admin, const char *unit, const char *role, uint32_t expires)
{
    Huizong__Request *req = rec_request(1000);
    Huizong__EnrollCreate *e = malloc(sizeof *e);
    Huizong__Response *r;
    char *code = NULL;

    huizong__enroll_create__init(e);
    rec_set(&e->unit_code, unit);
    rec_set(&e->role, role);
    e->expires_seconds = expires;
    req->body_case = HUIZONG__REQUEST__BODY_ENROLL_CREATE;
    req->enroll_create = e;
    r = harness_call(admin, req);
    rec_free(req);
    if (r && r->status == HUIZONG__STATUS__OK && r->body_case == HUIZONG__RESPONSE__BODY_ENROLL_CREATE)
        code = strdup(r->enroll_create->code);
    else
        fprintf(stderr, "harness_cred: enroll create: %s\n", r ? r->message : "no response");
    harness_response_free(r);
    return code;
}

Huizong__Response *harness_cred_enroll(SSL *ssl, const char *code, const char *csr)
{
    Huizong__Request *req = rec_request(2000);
    Huizong__Enroll *e = malloc(sizeof *e);
    Huizong__Response *r;

    huizong__enroll__init(e);
    rec_set(&e->code, code);
    rec_set(&e->csr_pem, csr);
    req->body_case = HUIZONG__REQUEST__BODY_ENROLL;
    req->enroll = e;
    r = harness_call(ssl, req);
    rec_free(req);
    return r;
}

const char *harness_cred_save(harness *h, const char *name, EVP_PKEY *key, const char *crt_pem,
                              const char *ca_pem)
{
    static char dir[HARNESS_PATH + 64];
    char err[256];

    snprintf(dir, sizeof dir, "%s/%s", h->dir, name);
    if (cert_csr_save(dir, key, crt_pem, ca_pem, err, sizeof err) != 0) {
        fprintf(stderr, "harness_cred: %s\n", err);
        return NULL;
    }
    return dir;
}

Huizong__Response *harness_cred_revoke(SSL *admin, const char *fp, const char *unit,
                                       const char *reason)
{
    Huizong__Request *req = rec_request(9);
    Huizong__CertRevoke *cr = malloc(sizeof *cr);
    if (!cr)
        abort();
    huizong__cert_revoke__init(cr);
    rec_set(&cr->fingerprint, fp);
    rec_set(&cr->unit_code, unit);
    rec_set(&cr->reason, reason);
    req->body_case = HUIZONG__REQUEST__BODY_CERT_REVOKE;
    req->cert_revoke = cr;
    Huizong__Response *r = harness_call(admin, req);
    rec_free(req);
    return r;
}

int harness_cred_fingerprint(const char *dir, char fp[CERT_FINGERPRINT_HEX])
{
    char path[HARNESS_PATH + 16];
    snprintf(path, sizeof path, "%s/client.crt", dir);
    FILE *f = fopen(path, "r");
    X509 *x = f ? PEM_read_X509(f, NULL, NULL, NULL) : NULL;
    if (f)
        fclose(f);
    int rc = x && cert_fingerprint(x, fp) == 0 ? 0 : -1;
    X509_free(x);
    return rc;
}
