/* ComplianceRequest (completeness and quotas): one hz_compliance call
 * (sql/049_compliance.sql says what it needs from the periods module). */
#include "h_district.h"
#include "validate.h"

static const handler_op compliance_op = {
    "hz_compliance", &huizong__compliance_result__descriptor, HUIZONG__RESPONSE__BODY_COMPLIANCE,
    NULL,
};

void handle_compliance(conn *c, uint64_t request_id, const Huizong__ComplianceRequest *q)
{
    json_t *arg;

    if (q->unit_code[0] && !validate_code(q->unit_code)) {
        conn_reply_status(c, request_id, HUIZONG__STATUS__INVALID_ARGUMENT,
                          "unit_code: not a unit code (lowercase letters, digits, - and _)");
        return;
    }
    arg = json_pack("{s:o, s:i, s:s, s:s, s:s}", "principal", handler_principal(c), "year",
                    q->year, "unit_code", q->unit_code, "from", q->from, "to", q->to);
    handler_call(c, request_id, &compliance_op, arg);
}
