/* PullRequest: one hz_pull call (sql/042_pull.sql says why its cursor is safe). */
#include "h_district.h"
#include "validate.h"

static const handler_op pull_op = {
    "hz_pull", &huizong__pull_result__descriptor, HUIZONG__RESPONSE__BODY_PULL, NULL,
};

void handle_pull(conn *c, uint64_t request_id, const Huizong__PullRequest *q)
{
    json_t *arg;

    if (q->unit_code[0] && !validate_code(q->unit_code)) {
        conn_reply_status(c, request_id, HUIZONG__STATUS__INVALID_ARGUMENT,
                          "unit_code: not a unit code (lowercase letters, digits, - and _)");
        return;
    }
    if (q->limit > 5000) {
        conn_reply_status(c, request_id, HUIZONG__STATUS__INVALID_ARGUMENT,
                          "limit: at most 5000 records a call");
        return;
    }
    arg = json_pack("{s:o, s:I, s:s, s:i}", "principal", handler_principal(c), "since",
                    (json_int_t)q->since, "unit_code", q->unit_code, "limit", (int)q->limit);
    handler_call(c, request_id, &pull_op, arg);
}
