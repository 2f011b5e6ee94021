/* Certificates and the audit trail: the checks of their requests before
 * the SQL function is called. Enrollment is in api/cred_enroll.c; who may
 * send what is in the route table (docs/cred.md). */
#include "api/cred.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "validate.h"

#define CRED_AUDIT_DEFAULT_LIMIT 100u
#define CRED_AUDIT_MAX_LIMIT 10000u

static void cred_invalid(conn *c, uint64_t request_id, const char *msg)
{
    conn_reply_status(c, request_id, HUIZONG__STATUS__INVALID_ARGUMENT, msg);
}

void cred_cert_list(conn *c, uint64_t request_id, const handler_op *op, const ProtobufCMessage *body)
{
    const Huizong__CertList *q = (const Huizong__CertList *)body;

    if (handler_check_unit(c, request_id, q->unit_code) != 0)
        return;
    handler_call(c, request_id, op, json_pack("{s:s}", "unit_code", q->unit_code));
}

static int cred_is_fingerprint(const char *s)
{
    size_t n = strlen(s);

    return n == 64 && strspn(s, "0123456789abcdef") == 64;
}

void cred_cert_revoke(conn *c, uint64_t request_id, const handler_op *op, const ProtobufCMessage *body)
{
    const Huizong__CertRevoke *q = (const Huizong__CertRevoke *)body;
    const char *bad = NULL;

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
    handler_call(c, request_id, op,
                 json_pack("{s:s, s:s, s:s}", "fingerprint", q->fingerprint, "unit_code", q->unit_code,
                           "reason", q->reason));
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

void cred_audit(conn *c, uint64_t request_id, const handler_op *op, const ProtobufCMessage *body)
{
    const Huizong__AuditQuery *q = (const Huizong__AuditQuery *)body;
    const char *bad = NULL;

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
    handler_call(c, request_id, op,
                 json_pack("{s:s, s:s, s:i}", "unit_code", q->unit_code, "since", q->since, "limit",
                           (int)(q->limit ? q->limit : CRED_AUDIT_DEFAULT_LIMIT)));
}
