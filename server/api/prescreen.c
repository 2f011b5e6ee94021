/* Requests refused from their wire bytes (prescreen.h). */
#include "api/prescreen.h"

#include <stdio.h>
#include <string.h>

#include "api/submit.h"
#include "log.h"

void prescreen_refuse_fields(conn *c, uint64_t request_id, uint32_t body,
                             const validate_errors *ve)
{
    const validate_error *e = &ve->items[0];
    char msg[400];

    if (body == HUIZONG__REQUEST__BODY_SUBMIT) {
        submit_reply_invalid(c, request_id, ve);
        return;
    }
    if (strcmp(e->kind, "request") == 0)
        snprintf(msg, sizeof msg, "%s: %s", e->field, e->reason);
    else
        snprintf(msg, sizeof msg, "%s.%s: %s; nothing was written", e->kind, e->field, e->reason);
    conn_log(LOG_INFO, c, "request refused: %s", msg);
    handler_reply_invalid(c, request_id, msg, ve);
}

void prescreen_refuse_batch_size(conn *c, uint64_t request_id, size_t records, uint32_t max)
{
    validate_errors ve = {0};

    if (validate_batch_size(records, max, &ve))
        return;
    if (ve.count == 0)
        conn_reply_status(c, request_id, HUIZONG__STATUS__RESOURCE_EXHAUSTED, "server out of memory");
    else
        submit_reply_invalid(c, request_id, &ve);
    validate_errors_free(&ve);
}
