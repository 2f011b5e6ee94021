/* The unit and role of the client certificate, and the unit's name. */
#include "spool/spool_unit.h"

#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>

#include "cert.h"
#include "code.h"
#include "cli/cli.h"
#include "cli/diag.h"
#include "net/session.h"
#include "i18n.h"

void spool_cert_identity(const char *path, char unit[SPOOL_UNIT_MAX], char role[SPOOL_ROLE_MAX])
{
    FILE *f = fopen(path, "r");
    X509 *x = f ? PEM_read_X509(f, NULL, NULL, NULL) : NULL;

    unit[0] = role[0] = '\0';
    if (x == NULL || cert_identity(x, unit, SPOOL_UNIT_MAX, role, SPOOL_ROLE_MAX) < 0)
        unit[0] = role[0] = '\0';
    X509_free(x);
    if (f)
        fclose(f);
    ERR_clear_error();
}

void spool_cert_unit(const char *path, char unit[SPOOL_UNIT_MAX])
{
    char role[SPOOL_ROLE_MAX];

    spool_cert_identity(path, unit, role);
}

static void unit_name_on(net_conn *c, const char *unit, char *name, size_t len)
{
    Huizong__Response *resp = session_unit_list(c, unit);

    for (size_t i = 0; resp && i < resp->unit_list->n_units; i++) {
        const Huizong__UnitListItem *u = resp->unit_list->units[i];
        if (strcmp(u->code, unit) == 0 && u->name && *u->name) {
            snprintf(name, len, "%s", u->name);
            break;
        }
    }
    if (resp)
        huizong__response__free_unpacked(resp, NULL);
}

void spool_unit_name(const cconf *cfg, net_conn *conn, const char *unit, char *name, size_t len)
{
    net_conn *own = NULL;
    char err[1024];

    snprintf(name, len, "%s", unit);
    if (conn == NULL && net_open(cfg, &own, err, sizeof err) == HZ_EXIT_OK)
        conn = own;
    if (conn)
        unit_name_on(conn, unit, name, len);
    net_close(own);
}

int spool_cert_sends(const char *unit, const char *role)
{
    return unit[0] != '\0' && strcmp(role, CODE_ROLE_COMMUNITY) == 0;
}

int spool_cert_must_submit(const cconf *cfg)
{
    char unit[SPOOL_UNIT_MAX], role[SPOOL_ROLE_MAX], name[512];

    spool_cert_identity(cfg->cert, unit, role);
    if (unit[0] == '\0' || spool_cert_sends(unit, role))
        return HZ_EXIT_OK;
    spool_unit_name(cfg, NULL, unit, name, sizeof name);
    diag_error(_("this certificate is for %s (%s); submitting records needs a community "
               "certificate"), name, role);
    return HZ_EXIT_REFUSED;
}
