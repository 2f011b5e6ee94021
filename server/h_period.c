/* Quotas, reporting periods, record versions and corrections. Every request
 * of this module is one call of its SQL function with the request's fields
 * (proto names) and the principal: the rules all need the org tree, the
 * locks and the held records, so the checks live there (docs/period.md). */
#include <stdio.h>
#include <string.h>

#include "handlers.h"
#include "log.h"
#include "pbjson.h"
#include "validate.h"

#define PERIOD_OP(fn, msg, body) \
    {fn, &huizong__##msg##__descriptor, HUIZONG__RESPONSE__BODY_##body, NULL}

typedef struct {
    Huizong__Request__BodyCase req;
    handler_op op;
} period_route;

static const period_route period_routes[] = {
    {HUIZONG__REQUEST__BODY_QUOTA_SET, PERIOD_OP("hz_quota_set", quota_set_result, QUOTA_SET)},
    {HUIZONG__REQUEST__BODY_QUOTA_LIST, PERIOD_OP("hz_quota_list", quota_list_result, QUOTA_LIST)},
    {HUIZONG__REQUEST__BODY_DEADLINE_SET,
     PERIOD_OP("hz_deadline_set", deadline_set_result, DEADLINE_SET)},
    {HUIZONG__REQUEST__BODY_PERIOD_LOCK,
     PERIOD_OP("hz_period_lock", period_lock_result, PERIOD_LOCK)},
    {HUIZONG__REQUEST__BODY_PERIOD_UNLOCK,
     PERIOD_OP("hz_period_unlock", period_lock_result, PERIOD_UNLOCK)},
    {HUIZONG__REQUEST__BODY_PERIOD_LOCK_LIST,
     PERIOD_OP("hz_period_lock_list", period_lock_list_result, PERIOD_LOCK_LIST)},
    {HUIZONG__REQUEST__BODY_DEADLINE_LIST,
     PERIOD_OP("hz_deadline_list", deadline_list_result, DEADLINE_LIST)},
    {HUIZONG__REQUEST__BODY_NIL_REPORT, PERIOD_OP("hz_nil_report", nil_report_result, NIL_REPORT)},
    {HUIZONG__REQUEST__BODY_RECORD_AMEND, PERIOD_OP("hz_amend", record_change_result, RECORD_AMEND)},
    {HUIZONG__REQUEST__BODY_RECORD_RETRACT,
     PERIOD_OP("hz_retract", record_change_result, RECORD_RETRACT)},
    {HUIZONG__REQUEST__BODY_RECORD_LIST, PERIOD_OP("hz_record_list", record_list_result, RECORD_LIST)},
    {HUIZONG__REQUEST__BODY_CORRECTION_FILE,
     PERIOD_OP("hz_correction_file", correction_result, CORRECTION_FILE)},
    {HUIZONG__REQUEST__BODY_CORRECTION_LIST,
     PERIOD_OP("hz_correction_list", correction_list_result, CORRECTION_LIST)},
    {HUIZONG__REQUEST__BODY_CORRECTION_APPROVE,
     PERIOD_OP("hz_correction_approve", correction_result, CORRECTION_APPROVE)},
    {HUIZONG__REQUEST__BODY_CORRECTION_REJECT,
     PERIOD_OP("hz_correction_reject", correction_result, CORRECTION_REJECT)},
};

/* The message in the Request oneof member whose field number is `body`. */
static const ProtobufCMessage *period_body(const Huizong__Request *req)
{
    const ProtobufCFieldDescriptor *f =
        protobuf_c_message_descriptor_get_field(&huizong__request__descriptor, (unsigned)req->body_case);

    if (!f || f->type != PROTOBUF_C_TYPE_MESSAGE)
        return NULL;
    return *(const ProtobufCMessage *const *)((const char *)req + f->offset);
}

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

int period_dispatch(conn *c, const Huizong__Request *req)
{
    const ProtobufCMessage *body;
    json_t *arg;

    for (size_t i = 0; i < sizeof period_routes / sizeof period_routes[0]; i++) {
        if (period_routes[i].req != req->body_case)
            continue;
        body = period_body(req);
        if (!body) {
            conn_reply_status(c, req->request_id, HUIZONG__STATUS__INVALID_ARGUMENT,
                              "request body missing");
            return 1;
        }
        if ((req->body_case == HUIZONG__REQUEST__BODY_RECORD_AMEND ||
             req->body_case == HUIZONG__REQUEST__BODY_CORRECTION_FILE) &&
            period_check_record(c, req->request_id, body) != 0)
            return 1;
        arg = pbjson_from_message(body);
        if (arg)
            json_object_set_new(arg, "principal", handler_principal(c));
        handler_call(c, req->request_id, &period_routes[i].op, arg);
        return 1;
    }
    return 0;
}
