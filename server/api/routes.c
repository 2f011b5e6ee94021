/* The route table: every request type the server answers, one row each. */
#include "api/routes.h"

#include <stdio.h>

#include "api/cred.h"
#include "api/cred_enroll.h"
#include "api/district.h"
#include "api/district_export.h"
#include "api/hello.h"
#include "api/ops.h"
#include "api/org.h"
#include "api/period.h"
#include "api/submit.h"

#define MAIN_PORT ROUTE_MAIN_PORT
#define ENROLL_PORT ROUTE_ENROLL_PORT
#define BOTH_PORTS (ROUTE_MAIN_PORT | ROUTE_ENROLL_PORT)
/* A row: request type, who, ports, what, SQL function (NULL: none), its
 * result message, handler (NULL: the plain case). A result is the Response
 * member of the request's own name; on_ok runs on an OK result (may be NULL). */
#define ROW_FULL(type, who, ports, what, fn, result, run, on_ok, replica)                         \
    [HUIZONG__REQUEST__BODY_##type] = {                                                           \
        ROUTE_##who, ports, what,                                                                 \
        {fn, &huizong__##result##__descriptor, HUIZONG__RESPONSE__BODY_##type, on_ok, replica}, run}
#define ROW_ON_OK(type, who, ports, what, fn, result, run, on_ok) \
    ROW_FULL(type, who, ports, what, fn, result, run, on_ok, 0)
#define ROW(type, who, ports, what, fn, result, run) \
    ROW_ON_OK(type, who, ports, what, fn, result, run, NULL)
/* A read that read_dsn's replica may serve: its function writes nothing. */
#define ROW_READ(type, who, ports, what, fn, result, run) \
    ROW_FULL(type, who, ports, what, fn, result, run, NULL, 1)

static const route routes[] = {
    ROW(HELLO, ANYONE, BOTH_PORTS, "open the session (first request only)", NULL, hello_result, hello_again),
    /* records and summaries */
    ROW_ON_OK(SUBMIT, COMMUNITY, MAIN_PORT, "submit records", "hz_submit", submit_result, submit_batch, submit_on_ok),
    ROW_READ(SUMMARY, ANYONE, MAIN_PORT, "summarise a subtree by community, street, category, month or quarter",
        "hz_summary", summary_result, district_summary),
    /* org tree, taxonomy, indicators (docs/org.md) */
    ROW(UNIT_ADD, ADMIN, MAIN_PORT, "add org units", "hz_unit_add", unit_add_result, org_unit_add),
    ROW(UNIT_RENAME, ADMIN, MAIN_PORT, "rename org units", "hz_unit_rename", org_change_result, org_checked),
    ROW(UNIT_MOVE, ADMIN, MAIN_PORT, "move org units", "hz_unit_move", org_change_result, org_checked),
    ROW(UNIT_RETIRE, ADMIN, MAIN_PORT, "retire org units", "hz_unit_retire", org_change_result, org_checked),
    ROW(UNIT_LIST, ANYONE, MAIN_PORT, "list org units", "hz_unit_list", unit_list_result, org_checked),
    ROW(CATEGORY_ADD, ADMIN, MAIN_PORT, "add categories", "hz_category_add", org_add_result, org_checked),
    ROW(CATEGORY_RENAME, ADMIN, MAIN_PORT, "rename categories", "hz_category_rename", org_change_result, org_checked),
    ROW(CATEGORY_MOVE, ADMIN, MAIN_PORT, "move categories", "hz_category_move", org_change_result, org_checked),
    ROW(CATEGORY_RETIRE, ADMIN, MAIN_PORT, "retire categories", "hz_category_retire", org_change_result, org_checked),
    ROW(CATEGORY_LIST, ANYONE, MAIN_PORT, "list categories", "hz_category_list", category_list_result, NULL),
    ROW(CATEGORY_SECTION, OFFICE, MAIN_PORT, "assign categories to report sections", "hz_category_section",
        org_change_result, org_checked),
    ROW(INDICATOR_ADD, ADMIN, MAIN_PORT, "add indicators", "hz_indicator_add", org_add_result, org_checked),
    ROW(INDICATOR_UPDATE, ADMIN, MAIN_PORT, "update indicators", "hz_indicator_update", org_change_result, org_checked),
    ROW(INDICATOR_LIST, ANYONE, MAIN_PORT, "list indicators", "hz_indicator_list", indicator_list_result, NULL),
    ROW(INDICATOR_RETIRE, ADMIN, MAIN_PORT, "retire indicators", "hz_indicator_retire", org_change_result, org_checked),
    /* enrollment, certificates, audit (docs/cred.md) */
    ROW(ENROLL_CREATE, ADMIN, MAIN_PORT, "create enrollment codes", "hz_enroll_create", enroll_create_result,
        cred_enroll_create),
    ROW(ENROLL, ANYONE, ENROLL_PORT, "trade an enrollment code and a CSR for a certificate", "hz_enroll",
        enroll_result, cred_enroll),
    ROW(CERT_LIST, ADMIN, MAIN_PORT, "list certificates", "hz_cert_list", cert_list_result, cred_cert_list),
    ROW(CERT_REVOKE, ADMIN, MAIN_PORT, "revoke certificates", "hz_cert_revoke", cert_revoke_result, cred_cert_revoke),
    ROW(AUDIT, OFFICE, MAIN_PORT, "read the audit trail", "hz_audit_list", audit_result, cred_audit),
    /* quotas, periods, record versions, corrections (docs/period.md): the
     * SQL functions check role, scope and locks */
    ROW(QUOTA_SET, ANYONE, MAIN_PORT, "set quotas", "hz_quota_set", quota_set_result, NULL),
    ROW(QUOTA_LIST, ANYONE, MAIN_PORT, "list quotas", "hz_quota_list", quota_list_result, NULL),
    ROW(DEADLINE_SET, ANYONE, MAIN_PORT, "set deadlines", "hz_deadline_set", deadline_set_result, NULL),
    ROW(PERIOD_LOCK, ANYONE, MAIN_PORT, "lock periods", "hz_period_lock", period_lock_result, NULL),
    ROW(PERIOD_UNLOCK, ANYONE, MAIN_PORT, "unlock periods", "hz_period_unlock", period_lock_result, NULL),
    ROW(NIL_REPORT, ANYONE, MAIN_PORT, "report a period with nothing to report", "hz_nil_report", nil_report_result,
        NULL),
    ROW(RECORD_AMEND, ANYONE, MAIN_PORT, "amend records", "hz_amend", record_change_result, period_record_change),
    ROW(RECORD_RETRACT, ANYONE, MAIN_PORT, "retract records", "hz_retract", record_change_result, NULL),
    ROW(RECORD_LIST, ANYONE, MAIN_PORT, "list record versions", "hz_record_list", record_list_result, NULL),
    ROW(CORRECTION_FILE, ANYONE, MAIN_PORT, "file corrections to locked periods", "hz_correction_file",
        correction_result, period_record_change),
    ROW(CORRECTION_LIST, ANYONE, MAIN_PORT, "list corrections", "hz_correction_list", correction_list_result, NULL),
    ROW(CORRECTION_APPROVE, ANYONE, MAIN_PORT, "approve corrections", "hz_correction_approve", correction_result,
        NULL),
    ROW(CORRECTION_REJECT, ANYONE, MAIN_PORT, "reject corrections", "hz_correction_reject", correction_result, NULL),
    ROW(PERIOD_LOCK_LIST, ANYONE, MAIN_PORT, "list period locks", "hz_period_lock_list", period_lock_list_result,
        NULL),
    ROW(DEADLINE_LIST, ANYONE, MAIN_PORT, "list deadlines", "hz_deadline_list", deadline_list_result, NULL),
    /* what the district pulls (docs/district.md) */
    ROW_READ(EXPORT, ANYONE, MAIN_PORT, "export records, streamed page by page", "hz_export_page", export_chunk,
        district_export),
    ROW(PULL, ANYONE, MAIN_PORT, "pull the records changed since a cursor", "hz_pull", pull_result, district_pull),
    ROW_READ(COMPLIANCE, ANYONE, MAIN_PORT, "report completeness and quotas met or missed", "hz_compliance",
        compliance_result, district_compliance),
    /* operations (docs/ops.md): answered from memory */
    ROW(STATS, ADMIN, MAIN_PORT, "see the server's counters", NULL, stats_result, ops_stats),
};

#define ROUTE_COUNT (sizeof routes / sizeof routes[0])

const route *route_find(Huizong__Request__BodyCase type)
{
    size_t i = (size_t)type;

    return i < ROUTE_COUNT && routes[i].ports ? &routes[i] : NULL;
}

/* The Request oneof member whose field number is `type`. */
static const ProtobufCFieldDescriptor *route_field(Huizong__Request__BodyCase type)
{
    const ProtobufCFieldDescriptor *f =
        protobuf_c_message_descriptor_get_field(&huizong__request__descriptor, (unsigned)type);

    return f && f->type == PROTOBUF_C_TYPE_MESSAGE ? f : NULL;
}

static const ProtobufCMessage *route_body(const Huizong__Request *req)
{
    const ProtobufCFieldDescriptor *f = route_field(req->body_case);

    return f ? *(const ProtobufCMessage *const *)((const char *)req + f->offset) : NULL;
}

/* A request this connection's port does not serve, or no port does. */
static void route_refuse(conn *c, const Huizong__Request *req, const route *rt)
{
    const ProtobufCFieldDescriptor *f = route_field(req->body_case);
    const ProtobufCMessageDescriptor *m = f ? f->descriptor : NULL;
    char msg[200];

    if (c->anonymous) {
        conn_reply_status(c, req->request_id, HUIZONG__STATUS__PERMISSION_DENIED,
                          "the enrollment port serves only Hello and Enroll; other requests need the "
                          "main port and a client certificate");
    } else if (rt && m) {
        snprintf(msg, sizeof msg,
                 "%s is served only on the enrollment port (enroll_listen), without a client certificate",
                 m->short_name);
        conn_reply_status(c, req->request_id, HUIZONG__STATUS__PERMISSION_DENIED, msg);
    } else {
        conn_reply_status(c, req->request_id, HUIZONG__STATUS__UNIMPLEMENTED,
                          "request has no body this server knows (empty, or from a newer protocol)");
    }
}

/* Replies PERMISSION_DENIED and returns -1 unless the principal is one the row admits. */
static int route_check_who(conn *c, uint64_t request_id, const route *rt)
{
    switch (rt->who) {
    case ROUTE_ADMIN:
        return handler_require_admin(c, request_id, rt->what);
    case ROUTE_OFFICE:
        return handler_require_office(c, request_id, rt->what);
    case ROUTE_COMMUNITY:
        return handler_require_community(c, request_id, rt->what);
    case ROUTE_ANYONE:
        break;
    }
    return 0;
}

void routes_request(conn *c, const Huizong__Request *req)
{
    const route *rt = route_find(req->body_case);
    unsigned port = c->anonymous ? ROUTE_ENROLL_PORT : ROUTE_MAIN_PORT;
    const ProtobufCMessage *body;

    if (!rt || !(rt->ports & port)) {
        route_refuse(c, req, rt);
        return;
    }
    if (!(body = route_body(req))) {
        conn_reply_status(c, req->request_id, HUIZONG__STATUS__INVALID_ARGUMENT, "request body missing");
        return;
    }
    if (route_check_who(c, req->request_id, rt) != 0)
        return;
    (rt->run ? rt->run : handler_call_body)(c, req->request_id, &rt->op, body);
}
