/* The unit of the client certificate. */
#include "spool/spool_unit.h"

#include <stdio.h>

#include <openssl/err.h>
#include <openssl/pem.h>

#include "cert.h"

void spool_cert_unit(const char *path, char unit[SPOOL_UNIT_MAX])
{
    char role[32];
    FILE *f = fopen(path, "r");
    X509 *x = f ? PEM_read_X509(f, NULL, NULL, NULL) : NULL;

    unit[0] = '\0';
    if (x == NULL || cert_identity(x, unit, SPOOL_UNIT_MAX, role, sizeof role) < 0)
        unit[0] = '\0';
    X509_free(x);
    if (f)
        fclose(f);
    ERR_clear_error();
}
