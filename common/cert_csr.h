/* Certificate signing requests for enrollment: the community's machine makes
 * its key and a CSR (the key never leaves it); the server checks the CSR and
 * signs it with the district CA. Subjects follow cert.h: O=huizong,
 * OU=<role>, CN=<unit>. Keys are ECDSA P-256. */
#ifndef HZ_CERT_CSR_H
#define HZ_CERT_CSR_H

#include <stddef.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#define CERT_SERIAL_HEX 64
#define CERT_TIME_TEXT 32

/* A fresh P-256 key and a CSR for (unit, role) signed by it, as PEM
 * (malloc'd). Returns 0, or -1 with err set. */
int cert_csr_make(const char *unit, const char *role, EVP_PKEY **key, char **csr_pem,
                  char *err, size_t errlen);

/* Parses a PEM CSR, checks its self-signature, that its key is P-256 and that
 * its subject names exactly one valid role (OU) and unit (CN).
 * Returns 0 with *req set, or -1 with err set (one line naming the problem). */
int cert_csr_check(const char *pem, size_t len, X509_REQ **req, char *unit, size_t unitlen,
                   char *role, size_t rolelen, char *err, size_t errlen);

/* Loads ca.crt and ca.key from dir and checks they match. */
int cert_csr_load_ca(const char *dir, X509 **crt, EVP_PKEY **key, char *err, size_t errlen);

/* Signs a checked CSR as a client certificate valid `days` days. */
X509 *cert_csr_sign(X509_REQ *req, X509 *ca, EVP_PKEY *cakey, int days, char *err,
                    size_t errlen);

/* PEM text of a certificate (malloc'd), or NULL. */
char *cert_csr_pem(X509 *crt);
/* Serial number as lowercase hex. */
int cert_csr_serial(X509 *crt, char out[CERT_SERIAL_HEX]);
/* notAfter as "YYYY-MM-DDTHH:MM:SSZ". */
int cert_csr_not_after(X509 *crt, char out[CERT_TIME_TEXT]);

/* Writes client.key (0600), client.crt and ca.crt into dir (made 0700 when
 * missing). Refuses when dir already holds a client.key. */
int cert_csr_save(const char *dir, EVP_PKEY *key, const char *crt_pem, const char *ca_pem,
                  char *err, size_t errlen);
/* Fails when dir/client.key exists (checked before enrolling, so a code is
 * not spent on a folder that cannot take the result). */
int cert_csr_check_out_dir(const char *dir, char *err, size_t errlen);

#endif
