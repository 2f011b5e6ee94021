/* Harness additions for enrollment tests: a server with an enrollment port
 * and a signing CA, anonymous connections to that port, and helpers that
 * make codes and CSRs. */
#ifndef HZ_IT_HARNESS_CRED_H
#define HZ_IT_HARNESS_CRED_H

#include <openssl/evp.h>

#include "cert.h"
#include "harness.h"

typedef struct {
    char ca_dir[HARNESS_PATH];   /* the CA that signs enrolled certificates */
    int enroll_port;
} harness_cred;

/* Starts huizongd with enroll_listen and ca_dir set. The signing CA is a CA
 * of its own, added to the CA bundle the server trusts (then SIGHUP), so
 * enrolled certificates are accepted on the main port. Returns 0 or -1. */
int harness_cred_start(harness *h, harness_cred *hc);
/* harness_stop, and removes the signing CA. */
int harness_cred_stop(harness *h, harness_cred *hc);

/* TLS to the enrollment port with no client certificate; NULL on failure. */
SSL *harness_cred_connect_enroll(harness *h, const harness_cred *hc);
/* The same, then Hello; NULL unless Hello was answered OK. */
SSL *harness_cred_enroll_hello(harness *h, const harness_cred *hc);

/* Makes an enrollment code over an admin connection; malloc'd, or NULL
 * (the status printed). */
char *harness_cred_code(SSL *admin, const char *unit, const char *role, uint32_t expires);
/* Sends Enroll{code, csr} and returns the response. */
Huizong__Response *harness_cred_enroll(SSL *ssl, const char *code, const char *csr);
/* Writes key + certificate + CA (PEM) into a new folder under h->dir
 * named `name`; returns the folder (static buffer per call) or NULL. */
const char *harness_cred_save(harness *h, const char *name, EVP_PKEY *key, const char *crt_pem,
                              const char *ca_pem);

/* Sends CertRevoke{fingerprint, unit_code, reason} (request id 9) over an
 * admin connection and returns the response. */
Huizong__Response *harness_cred_revoke(SSL *admin, const char *fp, const char *unit,
                                       const char *reason);
/* The fingerprint of <dir>/client.crt; 0, or -1 when it cannot be read. */
int harness_cred_fingerprint(const char *dir, char fp[CERT_FINGERPRINT_HEX]);

#endif
