/* Enrollment, certificates and the audit trail: routing (main port and
 * enrollment port) and the certificate and audit requests. Enrollment itself
 * is in h_cred_enroll.c. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "h_cred.h"
#include "log.h"
#include "validate.h"
#include "wire.h"

#define CRED_AUDIT_DEFAULT_LIMIT 100u
#define CRED_AUDIT_MAX_LIMIT 10000u

static const handler_op cert_list_op = {
    "hz_cert_list", &huizong__cert_list_result__descriptor, HUIZONG__RESPONSE__BODY_CERT_LIST, NULL,
};
static const handler_op cert_revoke_op = {
    "hz_cert_revoke", &huizong__cert_revoke_result__descriptor, HUIZONG__RESPONSE__BODY_CERT_REVOKE,
    NULL,
};
static const handler_op audit_op = {
    "hz_audit_list", &huizong__audit_result__descriptor, HUIZONG__RESPONSE__BODY_AUDIT, NULL,
};

static void cred_invalid(conn *c, uint64_t request_id, const char *msg)
{
    conn_reply_status(c, request_id, HUIZONG__STATUS__INVALID_ARGUMENT, msg);
}

static void cred_cert_list(conn *c, uint64_t request_id, const Huizong__CertList *q)
{
    if (handler_require_admin(c, request_id, "list certificates") != 0)
        return;
    if (q->unit_code[0] && !validate_code(q->unit_code)) {
        cred_invalid(c, request_id, "unit_code: not a unit code (lowercase letters, digits, - and _)");
        return;
    }
    handler_call(c, request_id, &cert_list_op,
                 json_pack("{s:o, s:s}", "principal", handler_principal(c), "unit_code", q->unit_code));
}

static int cred_is_fingerprint(const char *s)
{
    size_t n = strlen(s);

    return n == 64 && strspn(s, "0123456789abcdef") == 64;
}

static void cred_cert_revoke(conn *c, uint64_t request_id, const Huizong__CertRevoke *q)
{
    const char *bad = NULL;

    if (handler_require_admin(c, request_id, "revoke certificates") != 0)
        return;
    if (!q->fingerprint[0] == !q->unit_code[0])
        bad = "give exactly one of fingerprint and unit_code";
    else if (q->fingerprint[0] && !cred_is_fingerprint(q->fingerprint))
        bad = "fingerprint: want the SHA-256 as 64 lowercase hex digits (huizong admin cert list)";
    else if (q->unit_code[0] && !validate_code(q->unit_code))
        bad = "unit_code: not a unit code (lowercase letters, digits, - and _)";
    else if (!validate_utf8(q->reason, VALIDATE_MAX_SHORT))
        bad = "reason: at most 200 bytes of UTF-8";
    if (bad) {
        cred_invalid(c, request_id, bad);
        return;
    }
    handler_call(c, request_id, &cert_revoke_op,
                 json_pack("{s:o, s:s, s:s, s:s}", "principal", handler_principal(c), "fingerprint",
                           q->fingerprint, "unit_code", q->unit_code, "reason", q->reason));
}

/* "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ". */
static int cred_valid_since(const char *s)
{
    char day[11];
    struct tm tm;
    const char *end;

    if (strlen(s) < 10)
        return 0;
    memcpy(day, s, 10);
    day[10] = '\0';
    if (!validate_date(day))
        return 0;
    if (s[10] == '\0')
        return 1;
    memset(&tm, 0, sizeof tm);
    end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return end && *end == '\0';
}

static void cred_audit(conn *c, uint64_t request_id, const Huizong__AuditQuery *q)
{
    const char *bad = NULL;

    if (strcmp(c->principal.role, "admin") != 0 && strcmp(c->principal.role, "district") != 0) {
        conn_reply_status(c, request_id, HUIZONG__STATUS__PERMISSION_DENIED,
                          "only an administrator or a district office can read the audit trail");
        return;
    }
    if (q->unit_code[0] && !validate_code(q->unit_code))
        bad = "unit_code: not a unit code (lowercase letters, digits, - and _)";
    else if (q->since[0] && !cred_valid_since(q->since))
        bad = "since: want YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ";
    else if (q->limit > CRED_AUDIT_MAX_LIMIT)
        bad = "limit: at most 10000";
    if (bad) {
        cred_invalid(c, request_id, bad);
        return;
    }
    handler_call(c, request_id, &audit_op,
                 json_pack("{s:o, s:s, s:s, s:i}", "principal", handler_principal(c), "unit_code",
                           q->unit_code, "since", q->since, "limit",
                           (int)(q->limit ? q->limit : CRED_AUDIT_DEFAULT_LIMIT)));
}

int cred_dispatch(conn *c, const Huizong__Request *req)
{
    switch (req->body_case) {
    case HUIZONG__REQUEST__BODY_ENROLL_CREATE:
        cred_enroll_create(c, req->request_id, req->enroll_create);
        return 1;
    case HUIZONG__REQUEST__BODY_ENROLL:
        conn_reply_status(c, req->request_id, HUIZONG__STATUS__PERMISSION_DENIED,
                          "Enroll is served only on the enrollment port (enroll_listen), "
                          "without a client certificate");
        return 1;
    case HUIZONG__REQUEST__BODY_CERT_LIST:
        cred_cert_list(c, req->request_id, req->cert_list);
        return 1;
    case HUIZONG__REQUEST__BODY_CERT_REVOKE:
        cred_cert_revoke(c, req->request_id, req->cert_revoke);
        return 1;
    case HUIZONG__REQUEST__BODY_AUDIT:
        cred_audit(c, req->request_id, req->audit);
        return 1;
    default:
        return 0;
    }
}

/* ---- the enrollment port -------------------------------------------------- */

void cred_anonymous_hello(conn *c, const Huizong__Request *req)
{
    Huizong__Response r = HUIZONG__RESPONSE__INIT;
    Huizong__HelloResult hr = HUIZONG__HELLO_RESULT__INIT;
    Huizong__Limits lim = HUIZONG__LIMITS__INIT;
    char msg[120];

    if (req->hello->protocol_version != HZ_PROTOCOL_VERSION) {
        snprintf(msg, sizeof(msg), "protocol version %u not supported (server speaks %u)",
                 req->hello->protocol_version, HZ_PROTOCOL_VERSION);
        conn_reply_status(c, req->request_id, HUIZONG__STATUS__FAILED_PRECONDITION, msg);
        conn_close_after_flush(c, msg);
        return;
    }
    lim.max_frame_bytes = (uint32_t)c->srv->opt.max_frame_bytes;
    lim.max_batch_records = (uint32_t)c->srv->opt.max_batch_records;
    lim.idle_timeout_ms = (uint32_t)c->srv->opt.idle_timeout_ms;
    hr.server_version = (char *)"huizongd/" HZ_VERSION;
    hr.protocol_version = HZ_PROTOCOL_VERSION;
    hr.unit_code = (char *)"";
    hr.limits = &lim;
    r.request_id = req->request_id;
    r.body_case = HUIZONG__RESPONSE__BODY_HELLO;
    r.hello = &hr;
    conn_reply(c, &r);
    conn_ready(c);
}

void cred_anonymous_request(conn *c, const Huizong__Request *req)
{
    if (req->body_case == HUIZONG__REQUEST__BODY_ENROLL) {
        cred_enroll(c, req->request_id, req->enroll);
        return;
    }
    if (req->body_case == HUIZONG__REQUEST__BODY_HELLO) {
        conn_reply_status(c, req->request_id, HUIZONG__STATUS__FAILED_PRECONDITION,
                          "Hello was already done on this connection");
        return;
    }
    conn_reply_status(c, req->request_id, HUIZONG__STATUS__PERMISSION_DENIED,
                      "the enrollment port serves only Hello and Enroll; other requests need the "
                      "main port and a client certificate");
}
