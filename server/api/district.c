/* What offices read besides the streamed export: summaries (hz_summary),
 * completeness and quotas (hz_compliance; sql/049_compliance.sql says what
 * it needs from the periods module) and pulls (hz_pull; sql/042_pull.sql
 * says why its cursor is safe). Each checks its fields, then makes one
 * call; the subtree check and the aggregation happen in SQL. */
#include "api/district.h"

#include <stdio.h>

#include "validate.h"

static const char *district_group_name(Huizong__GroupBy g)
{
    switch (g) {
    case HUIZONG__GROUP_BY__GROUP_BY_COMMUNITY: return "community";
    case HUIZONG__GROUP_BY__GROUP_BY_CATEGORY: return "category";
    case HUIZONG__GROUP_BY__GROUP_BY_MONTH: return "month";
    case HUIZONG__GROUP_BY__GROUP_BY_STREET: return "street";
    case HUIZONG__GROUP_BY__GROUP_BY_QUARTER: return "quarter";
    default: return NULL;
    }
}

/* The group_by names, or NULL (replied) when one is unknown. */
static json_t *district_groups(conn *c, uint64_t request_id, const Huizong__SummaryRequest *q)
{
    json_t *groups = json_array();

    for (size_t i = 0; groups && i < q->n_group_by; i++) {
        const char *g = district_group_name(q->group_by[i]);
        if (!g) {
            conn_reply_status(c, request_id, HUIZONG__STATUS__INVALID_ARGUMENT,
                              "group_by: want community, street, category, month or quarter");
            json_decref(groups);
            return NULL;
        }
        json_array_append_new(groups, json_string(g));
    }
    if (!groups)
        conn_reply_status(c, request_id, HUIZONG__STATUS__RESOURCE_EXHAUSTED, "server out of memory");
    return groups;
}

void district_summary(conn *c, uint64_t request_id, const handler_op *op, const ProtobufCMessage *body)
{
    const Huizong__SummaryRequest *q = (const Huizong__SummaryRequest *)body;
    int span = q->from[0] || q->to[0];
    char msg[160];
    json_t *groups;

    /* A span of months is checked by hz_summary (format, order, not both). */
    if (!span && !validate_year_number(q->year)) {
        snprintf(msg, sizeof(msg), "year: want a year between %d and %d, got %d", VALIDATE_YEAR_MIN,
                 VALIDATE_YEAR_MAX, q->year);
        conn_reply_status(c, request_id, HUIZONG__STATUS__INVALID_ARGUMENT, msg);
        return;
    }
    if (handler_check_unit(c, request_id, q->unit_code) != 0 ||
        !(groups = district_groups(c, request_id, q)))
        return;
    handler_call(c, request_id, op,
                 json_pack("{s:i, s:s, s:o, s:b, s:s, s:s, s:I}", "year", q->year, "unit_code",
                           q->unit_code, "group_by", groups, "list_activities", q->list_activities,
                           "from", q->from, "to", q->to, "top_activities",
                           (json_int_t)q->top_activities));
}

void district_compliance(conn *c, uint64_t request_id, const handler_op *op,
                         const ProtobufCMessage *body)
{
    const Huizong__ComplianceRequest *q = (const Huizong__ComplianceRequest *)body;

    if (handler_check_unit(c, request_id, q->unit_code) != 0)
        return;
    handler_call(c, request_id, op,
                 json_pack("{s:i, s:s, s:s, s:s}", "year", q->year, "unit_code", q->unit_code, "from",
                           q->from, "to", q->to));
}

void district_pull(conn *c, uint64_t request_id, const handler_op *op, const ProtobufCMessage *body)
{
    const Huizong__PullRequest *q = (const Huizong__PullRequest *)body;

    if (handler_check_unit(c, request_id, q->unit_code) != 0)
        return;
    if (q->limit > 5000) {
        conn_reply_status(c, request_id, HUIZONG__STATUS__INVALID_ARGUMENT,
                          "limit: at most 5000 records a call");
        return;
    }
    handler_call(c, request_id, op,
                 json_pack("{s:I, s:s, s:i}", "since", (json_int_t)q->since, "unit_code", q->unit_code,
                           "limit", (int)q->limit));
}
