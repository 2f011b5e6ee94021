/* Certificates with the OpenSSL library, so nobody types an `openssl` command.
 *
 * Identity lives in the subject of a client certificate:
 *   O = huizong, OU = <role: community|district|admin>, CN = <org unit code>
 * Keys are ECDSA P-256. A CA directory holds ca.key (0600) and ca.crt.
 * A credentials directory holds client.key (0600), client.crt and ca.crt
 * (or server.key, server.crt and ca.crt). */
#ifndef HZ_CERT_H
#define HZ_CERT_H

#include <stddef.h>
#include <openssl/x509.h>

#define CERT_FINGERPRINT_HEX 65 /* SHA-256 as 64 hex digits + NUL */

/* Creates dir (0700) with ca.key and ca.crt ("huizong CA <name>", 10 years).
 * Refuses to overwrite an existing ca.key. Returns 0 or -1 with err set. */
int cert_ca_init(const char *dir, const char *name, char *err, size_t errlen);

/* Issues a client certificate for (unit, role) signed by the CA in ca_dir,
 * valid `days` days, into out_dir as client.key, client.crt, ca.crt. */
int cert_issue_client(const char *ca_dir, const char *unit, const char *role,
                      int days, const char *out_dir, char *err, size_t errlen);

/* Issues a server certificate with subjectAltName for each of the
 * comma-separated hosts ("localhost,127.0.0.1": IPs become IP SANs)
 * into out_dir as server.key, server.crt, ca.crt. */
int cert_issue_server(const char *ca_dir, const char *hosts, int days,
                      const char *out_dir, char *err, size_t errlen);

/* Reads (unit, role) from a verified client certificate's subject.
 * Returns 0, or -1 when either is missing or too long. */
int cert_identity(X509 *cert, char *unit, size_t unitlen, char *role, size_t rolelen);

/* A private key file must be readable by its owner alone: returns 0 when
 * path grants nothing to group or others, else -1 with err naming the file
 * and the command that fixes it ("... run: chmod 600 PATH"). A file that
 * cannot be examined is left to whoever opens it next (0). */
int cert_key_private(const char *path, char *err, size_t errlen);

/* SHA-256 of the DER certificate as lowercase hex. */
int cert_fingerprint(X509 *cert, char out[CERT_FINGERPRINT_HEX]);

#endif
