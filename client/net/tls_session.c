/* The kept TLS session (tls_session.h). */
#include "net/tls_session.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>

#include "cert.h"
#include "spool/spool.h"

#define TLS_SESSION_MAGIC "huizong-tls-session 1"

/* The file of a spool folder; -1 without one. */
static int tls_session_path(const char *spool, char *out, size_t cap)
{
    int n = snprintf(out, cap, "%s/.tls-session", spool ? spool : "");

    return spool && spool[0] && n > 0 && (size_t)n < cap ? 0 : -1;
}

/* The fingerprint of the certificate ssl's context sends; -1 without one. */
static int tls_session_cert(SSL *ssl, char fp[CERT_FINGERPRINT_HEX])
{
    X509 *x = SSL_CTX_get0_certificate(SSL_get_SSL_CTX(ssl));

    return x && cert_fingerprint(x, fp) == 0 ? 0 : -1;
}

int tls_session_offer(SSL *ssl, const char *spool, const char *server)
{
    char path[4096], line[3][600], want[2][600], fp[CERT_FINGERPRINT_HEX];
    SSL_SESSION *sess = NULL;
    FILE *f;
    int ok = 0;

    if (tls_session_path(spool, path, sizeof path) != 0 || tls_session_cert(ssl, fp) != 0 || !(f = fopen(path, "r")))
        return 0;
    snprintf(want[0], sizeof want[0], "server %s\n", server);
    snprintf(want[1], sizeof want[1], "cert %s\n", fp);
    if (fgets(line[0], sizeof line[0], f) && fgets(line[1], sizeof line[1], f) &&
        fgets(line[2], sizeof line[2], f) && strcmp(line[0], TLS_SESSION_MAGIC "\n") == 0 &&
        strcmp(line[1], want[0]) == 0 && strcmp(line[2], want[1]) == 0)
        sess = PEM_read_SSL_SESSION(f, NULL, NULL, NULL);
    fclose(f);
    if (sess && SSL_SESSION_is_resumable(sess) &&
        SSL_SESSION_get_time(sess) + SSL_SESSION_get_timeout(sess) > (long)time(NULL))
        ok = SSL_set_session(ssl, sess) == 1;
    SSL_SESSION_free(sess);
    ERR_clear_error();
    return ok;
}

/* Written beside and renamed over, so a reader never sees half a file;
 * not synced: a file lost in a crash costs one full handshake. */
int tls_session_keep(SSL *ssl, const char *spool, const char *server)
{
    char path[4096], tmp[4200], fp[CERT_FINGERPRINT_HEX], why[512];
    SSL_SESSION *sess = SSL_get1_session(ssl);
    FILE *f = NULL;
    int fd = -1, rc = -1;

    if (tls_session_path(spool, path, sizeof path) != 0 || spool_prepare(spool, why, sizeof why) != 0 || !sess || !SSL_SESSION_is_resumable(sess) || tls_session_cert(ssl, fp) != 0 ||
        snprintf(tmp, sizeof tmp, "%s.%ld", path, (long)getpid()) >= (int)sizeof tmp)
        goto done;
    if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600)) < 0 ||
        !(f = fdopen(fd, "w")))
        goto done;
    fd = -1;
    if (fprintf(f, TLS_SESSION_MAGIC "\nserver %s\ncert %s\n", server, fp) > 0 &&
        PEM_write_SSL_SESSION(f, sess) == 1 && fflush(f) == 0)
        rc = 0;
    if (fclose(f) != 0)
        rc = -1;
    f = NULL;
    if (rc == 0 && rename(tmp, path) != 0)
        rc = -1;
    if (rc != 0)
        unlink(tmp);
done:
    if (fd >= 0)
        close(fd);
    SSL_SESSION_free(sess);
    ERR_clear_error();
    return rc;
}

void tls_session_forget(const char *spool)
{
    char path[4096];

    if (tls_session_path(spool, path, sizeof path) == 0)
        unlink(path);
}
