/* Quotas, reporting periods, record versions and corrections. Every request
 * of this area is one call of its SQL function with the request's fields
 * (proto names) and the principal (the plain rows of the route table): the
 * rules all need the org tree, the locks and the held records, so the checks
 * live there (docs/period.md). What is here: the syntax check of a record
 * given as new content. */
#include "api/period.h"

#include <stdio.h>
#include <string.h>

#include "validate.h"

/* A record given as new content goes through the same syntax checks as a
 * submitted one, so both paths refuse the same input the same way. */
static int period_check_record(conn *c, uint64_t request_id, const ProtobufCMessage *body)
{
    const Huizong__RecordAmend *a = (const Huizong__RecordAmend *)body;
    Huizong__SubmitBatch b = HUIZONG__SUBMIT_BATCH__INIT;
    validate_errors ve = {0};
    char msg[400];

    /* RecordAmend and CorrectionFile share the layout of fields 1-4 in
     * meaning but not in memory: read each by its own type. */
    Huizong__Activity *act = NULL;
    Huizong__IndicatorValue *iv = NULL;
    Huizong__Honor *hon = NULL;
    if (body->descriptor == &huizong__record_amend__descriptor) {
        act = a->activity, iv = a->indicator_value, hon = a->honor;
    } else {
        const Huizong__CorrectionFile *f = (const Huizong__CorrectionFile *)body;
        act = f->activity, iv = f->indicator_value, hon = f->honor;
    }
    b.activities = act ? &act : NULL, b.n_activities = act != NULL;
    b.indicator_values = iv ? &iv : NULL, b.n_indicator_values = iv != NULL;
    b.honors = hon ? &hon : NULL, b.n_honors = hon != NULL;
    /* record_id and unit_code may be left empty: the server fills them. */
    if (validate_batch(&b, 0, &ve) == 0) {
        validate_errors_free(&ve);
        return 0;
    }
    for (size_t i = 0; i < ve.count; i++) {
        const validate_error *e = &ve.items[i];
        if (strcmp(e->field, "record_id") == 0 || strcmp(e->field, "unit_code") == 0)
            continue;
        snprintf(msg, sizeof msg, "%s.%s: %s; nothing was written", e->kind, e->field, e->reason);
        conn_reply_status(c, request_id, HUIZONG__STATUS__INVALID_ARGUMENT, msg);
        validate_errors_free(&ve);
        return -1;
    }
    validate_errors_free(&ve);
    return 0;
}

void period_record_change(conn *c, uint64_t request_id, const handler_op *op,
                          const ProtobufCMessage *body)
{
    if (period_check_record(c, request_id, body) != 0)
        return;
    handler_call_body(c, request_id, op, body);
}
