/* What the district pulls: export (streamed), pull, completeness and quotas. */
#include <stdlib.h>

#include "h_district.h"
#include "log.h"
#include "pbjson.h"
#include "wire.h"

int district_dispatch(conn *c, const Huizong__Request *req)
{
    switch (req->body_case) {
    case HUIZONG__REQUEST__BODY_EXPORT:
        handle_export(c, req->request_id, req->export);
        return 1;
    case HUIZONG__REQUEST__BODY_PULL:
        handle_pull(c, req->request_id, req->pull);
        return 1;
    case HUIZONG__REQUEST__BODY_COMPLIANCE:
        handle_compliance(c, req->request_id, req->compliance);
        return 1;
    default:
        return 0;
    }
}

void district_reply_db_failure(conn *c, uint64_t request_id, const char *fn, const db_result *res)
{
    if (res->status == DB_UNAVAILABLE) {
        conn_log(LOG_WARN, c, "%s: database unavailable", fn);
        conn_reply_status(c, request_id, HUIZONG__STATUS__UNAVAILABLE,
                          "database unavailable; retry later");
        return;
    }
    conn_log(LOG_ERROR, c, "%s failed: SQLSTATE %s: %s", fn, res->sqlstate ? res->sqlstate : "?",
             res->message ? res->message : "");
    conn_reply_status(c, request_id, HUIZONG__STATUS__INTERNAL,
                      "internal error: the server log has the details");
}

void district_reply_refusal(conn *c, uint64_t request_id, const char *fn, json_t *res)
{
    const char *st = json_string_value(json_object_get(res, "status"));
    const char *msg = json_string_value(json_object_get(res, "message"));
    json_t *errs = json_object_get(res, "errors");
    size_t n = 0, count = json_array_size(errs);
    Huizong__FieldError **fe = count ? calloc(count, sizeof(*fe)) : NULL;
    char err[128];

    if (!st) {
        conn_log(LOG_ERROR, c, "%s returned no status", fn);
        conn_reply_status(c, request_id, HUIZONG__STATUS__INTERNAL,
                          "internal error: the server log has the details");
        free(fe);
        return;
    }
    for (size_t i = 0; fe && i < count; i++) {
        ProtobufCMessage *m = pbjson_to_message(&huizong__field_error__descriptor,
                                                json_array_get(errs, i), 1, err, sizeof(err));
        if (m)
            fe[n++] = (Huizong__FieldError *)m;
    }
    conn_log(LOG_INFO, c, "%s: %s: %s", fn, st, msg ? msg : "");
    handler_reply_errors(c, request_id, wire_status_from_name(st), msg ? msg : st, fe, n);
    for (size_t i = 0; i < n; i++)
        protobuf_c_message_free_unpacked(&fe[i]->base, NULL);
    free(fe);
}
