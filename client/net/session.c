/* Settings, connection and one call, with errors reported once. */
#include "net/session.h"

#include <string.h>

#include "cli/diag.h"
#include "code.h"
#include "spool/spool_report.h"
#include "spool/spool_unit.h"
#include "i18n.h"

int session_config(const cli_globals *g, cconf *cfg)
{
    char err[1024];
    int rc = cconf_resolve(g, cfg, err, sizeof err);

    if (rc != HZ_EXIT_OK)
        diag_error("%s", err);
    return rc;
}

int session_open(const cconf *cfg, net_conn **conn)
{
    char err[1024];
    int rc = net_open(cfg, conn, err, sizeof err);

    if (rc != HZ_EXIT_OK)
        diag_error("%s", err);
    else
        spool_before_command(cfg, *conn); /* queued records go first (docs/spool.md) */
    return rc;
}

/* What session_call says of a call's outcome (rc and err from net). */
static int session_check(int rc, const char *err, Huizong__Response__BodyCase want,
                         const uint32_t first_index[3], Huizong__Response **resp)
{
    if (rc != HZ_EXIT_OK) {
        diag_error("%s", err);
        return rc;
    }
    rc = diag_response(*resp, first_index);
    if (rc == HZ_EXIT_OK && (*resp)->body_case != want) {
        diag_error(_("server answered OK without a result (protocol mismatch?)"));
        rc = HZ_EXIT_INTERNAL;
    }
    if (rc != HZ_EXIT_OK) {
        huizong__response__free_unpacked(*resp, NULL);
        *resp = NULL;
    }
    return rc;
}

int session_call(net_conn *conn, Huizong__Request *req, Huizong__Response__BodyCase want,
                 const uint32_t first_index[3], Huizong__Response **resp)
{
    char err[1024];
    int rc = net_call(conn, req, resp, err, sizeof err);

    return session_check(rc, err, want, first_index, resp);
}

/* Whether req may go out behind Hello: not with a community's certificate,
 * whose queued records go before its command (docs/spool.md). */
static int session_may_pipeline(const cconf *cfg)
{
    char unit[SPOOL_UNIT_MAX], role[SPOOL_ROLE_MAX];

    spool_cert_identity(cfg->cert, unit, role);
    return role[0] != '\0' && strcmp(role, CODE_ROLE_COMMUNITY) != 0;
}

/* req behind Hello (net_open_first), its answer checked as session_call's. */
static int session_pipelined(const cconf *cfg, Huizong__Request *req,
                             Huizong__Response__BodyCase want, Huizong__Response **resp)
{
    char err[1024];
    net_conn *conn;
    int rc = net_open_first(cfg, req, &conn, err, sizeof err);

    *resp = NULL;
    if (rc != HZ_EXIT_OK) {
        diag_error("%s", err);
        return rc;
    }
    rc = net_next(conn, req->request_id, resp, err, sizeof err);
    rc = session_check(rc, err, want, NULL, resp);
    net_close(conn);
    return rc;
}

/* session_request and session_read: `reads` says req only reads. */
static int session_once(const cli_globals *g, Huizong__Request *req,
                        Huizong__Response__BodyCase want, Huizong__Response **resp, int reads)
{
    cconf cfg;
    net_conn *conn;
    int rc = session_config(g, &cfg);

    if (rc != HZ_EXIT_OK)
        return rc;
    if (reads && session_may_pipeline(&cfg)) {
        rc = session_pipelined(&cfg, req, want, resp);
    } else if ((rc = session_open(&cfg, &conn)) == HZ_EXIT_OK) {
        rc = session_call(conn, req, want, NULL, resp);
        net_close(conn);
    }
    cconf_free(&cfg);
    return rc;
}

int session_request(const cli_globals *g, Huizong__Request *req,
                    Huizong__Response__BodyCase want, Huizong__Response **resp)
{
    return session_once(g, req, want, resp, 0);
}

int session_read(const cli_globals *g, Huizong__Request *req, Huizong__Response__BodyCase want,
                 Huizong__Response **resp)
{
    return session_once(g, req, want, resp, 1);
}

Huizong__Response *session_unit_list(net_conn *conn, const char *under)
{
    Huizong__UnitList ul = HUIZONG__UNIT_LIST__INIT;
    Huizong__Request req = HUIZONG__REQUEST__INIT;
    Huizong__Response *resp = NULL;
    char err[256];

    ul.under = (char *)under;
    req.body_case = HUIZONG__REQUEST__BODY_UNIT_LIST;
    req.unit_list = &ul;
    if (net_call(conn, &req, &resp, err, sizeof err) != HZ_EXIT_OK)
        return NULL;
    if (resp->status != HUIZONG__STATUS__OK ||
        resp->body_case != HUIZONG__RESPONSE__BODY_UNIT_LIST) {
        huizong__response__free_unpacked(resp, NULL);
        return NULL;
    }
    return resp;
}
