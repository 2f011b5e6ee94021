/* SubmitBatch: validated here, then written atomically by hz_submit. */
#include "api/submit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kind.h"
#include "log.h"
#include "validate.h"

void submit_on_ok(conn *c, const ProtobufCMessage *body)
{
    const Huizong__SubmitResult *r = (const Huizong__SubmitResult *)body;

    c->srv->stats.records_committed += r->accepted;
    conn_log(LOG_INFO, c, "submitted: %u accepted, %u duplicates, %u superseded", r->accepted,
             r->duplicates, r->superseded);
}

void submit_reply_invalid(conn *c, uint64_t request_id, const validate_errors *ve)
{
    char msg[120];

    snprintf(msg, sizeof(msg), "batch refused: %zu invalid field(s); nothing was written", ve->count);
    conn_log(LOG_INFO, c, "%s (first: %s[%u].%s: %s)", msg, ve->items[0].kind, ve->items[0].index,
             ve->items[0].field, ve->items[0].reason);
    handler_reply_invalid(c, request_id, msg, ve);
}

/* The unit of every record must be the certificate's own. Returns 0 if
 * so; else refuses the batch (NOT_OWN_UNIT: kind, index, unit, own_unit,
 * own_unit_name) and returns -1. */
static int submit_check_units(conn *c, uint64_t request_id, const Huizong__SubmitBatch *b)
{
    const char *own = c->principal.unit;
    char msg[300], index[24];

    for (kind_id k = KIND_ACTIVITY; k < KIND_COUNT; k++)
        for (size_t i = 0; i < kind_batch_count(b, k); i++) {
            const char *unit = kind_record_unit(kind_batch_record(b, k, i));
            if (strcmp(unit, own) == 0)
                continue;
            snprintf(msg, sizeof msg,
                     "%s %zu is for unit \"%s\", but this certificate is for \"%s\"; nothing was written",
                     kind_get(k)->name, i, unit, own);
            snprintf(index, sizeof index, "%zu", i);
            const char *keys[] = {"kind", "index", "unit", "own_unit", "own_unit_name"};
            const char *values[] = {kind_get(k)->name, index, unit, own, c->principal.unit_name};
            conn_log(LOG_INFO, c, "submit refused: %s", msg);
            handler_reply_reason(c, request_id, HUIZONG__STATUS__PERMISSION_DENIED, msg, "NOT_OWN_UNIT",
                                 keys, values, 5);
            return -1;
        }
    return 0;
}

void submit_batch(conn *c, uint64_t request_id, const handler_op *op, const ProtobufCMessage *body)
{
    const Huizong__SubmitBatch *b = (const Huizong__SubmitBatch *)body;
    validate_errors ve = {0};

    if (kind_batch_total(b) == 0) {
        conn_reply_status(c, request_id, HUIZONG__STATUS__INVALID_ARGUMENT, "batch holds no records");
        return;
    }
    if (validate_batch(b, (uint32_t)c->srv->opt.max_batch_records, &ve) > 0) {
        submit_reply_invalid(c, request_id, &ve);
        validate_errors_free(&ve);
        return;
    }
    validate_errors_free(&ve);
    if (submit_check_units(c, request_id, b) != 0)
        return;
    /* Batches arriving together share one COMMIT (group commit). */
    handler_call_body_grouped(c, request_id, op, body);
}
