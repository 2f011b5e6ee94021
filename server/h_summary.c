/* SummaryRequest: the subtree check and the aggregation happen in hz_summary. */
#include <stdio.h>

#include "handlers.h"
#include "validate.h"

static const handler_op summary_op = {
    "hz_summary", &huizong__summary_result__descriptor, HUIZONG__RESPONSE__BODY_SUMMARY, NULL,
};

static const char *summary_group_name(Huizong__GroupBy g)
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

void handle_summary(conn *c, uint64_t request_id, const Huizong__SummaryRequest *q)
{
    char msg[160];
    json_t *groups = json_array(), *arg;

    int span = q->from[0] || q->to[0];

    /* A span of months is checked by hz_summary (format, order, not both). */
    if (!span && (q->year < 1900 || q->year > 2999)) {
        snprintf(msg, sizeof(msg), "year: want a year between 1900 and 2999, got %d", q->year);
        conn_reply_status(c, request_id, HUIZONG__STATUS__INVALID_ARGUMENT, msg);
        json_decref(groups);
        return;
    }
    if (q->unit_code[0] && !validate_code(q->unit_code)) {
        conn_reply_status(c, request_id, HUIZONG__STATUS__INVALID_ARGUMENT,
                          "unit_code: not a unit code (lowercase letters, digits, - and _)");
        json_decref(groups);
        return;
    }
    for (size_t i = 0; i < q->n_group_by; i++) {
        const char *g = summary_group_name(q->group_by[i]);
        if (!g) {
            conn_reply_status(c, request_id, HUIZONG__STATUS__INVALID_ARGUMENT,
                              "group_by: want community, street, category, month or quarter");
            json_decref(groups);
            return;
        }
        json_array_append_new(groups, json_string(g));
    }
    arg = json_pack("{s:o, s:i, s:s, s:o, s:b, s:s, s:s, s:I}", "principal", handler_principal(c),
                    "year", q->year, "unit_code", q->unit_code, "group_by", groups,
                    "list_activities", q->list_activities, "from", q->from, "to", q->to,
                    "top_activities", (json_int_t)q->top_activities);
    handler_call(c, request_id, &summary_op, arg);
}
