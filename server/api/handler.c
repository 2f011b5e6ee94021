/* The round trip every handler shares: role checks, JSON argument out (with
 * the principal), JSON result back into a Response, statuses mapped,
 * failures logged once. */
#include "api/handler.h"
#include "api/error_info.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "code.h"
#include "log.h"
#include "pbjson.h"
#include "validate.h"
#include "wire.h"

int handler_check_unit(conn *c, uint64_t request_id, const char *unit_code)
{
    if (!unit_code[0] || validate_code(unit_code))
        return 0;
    conn_reply_status(c, request_id, HUIZONG__STATUS__INVALID_ARGUMENT,
                      "unit_code: not a unit code (lowercase letters, digits, - and _)");
    return -1;
}

void handler_quote(char *out, size_t cap, const char *s)
{
    size_t bytes = 0, chars = 0;

    while (s[bytes] && chars < 60) {
        bytes++;
        while ((s[bytes] & 0xC0) == 0x80)
            bytes++;
        chars++;
    }
    snprintf(out, cap, "\"%.*s%s\"", (int)bytes, s, s[bytes] ? "..." : "");
}

static void handler_reply_info(conn *c, uint64_t request_id, Huizong__Status st, const char *message,
                               Huizong__ErrorInfo *info, Huizong__FieldError **errors, size_t n);

void handler_reply_reason(conn *c, uint64_t request_id, Huizong__Status st, const char *message,
                          const char *reason, const char *const *keys, const char *const *values,
                          size_t n)
{
    Huizong__ErrorInfo info = HUIZONG__ERROR_INFO__INIT;
    Huizong__ErrorInfo__MetadataEntry e[HANDLER_REASON_MAX_META];
    Huizong__ErrorInfo__MetadataEntry *ep[HANDLER_REASON_MAX_META];
    size_t m = 0;

    /* An empty value is left out, as SQL leaves out a NULL (hz_fail_info):
     * the client then falls back to the code. */
    for (size_t i = 0; i < n && m < HANDLER_REASON_MAX_META; i++) {
        if (!values[i][0])
            continue;
        huizong__error_info__metadata_entry__init(&e[m]);
        e[m].key = (char *)keys[i];
        e[m].value = (char *)values[i];
        ep[m] = &e[m];
        m++;
    }
    info.reason = (char *)reason;
    info.domain = "huizong";
    info.metadata = ep;
    info.n_metadata = m;
    handler_reply_info(c, request_id, st, message, &info, NULL, 0);
}

/* A refusal for the certificate's role: PERMISSION_DENIED with msg, and
 * reason (ADMIN_REQUIRED, OFFICE_REQUIRED, COMMUNITY_REQUIRED) with the
 * action refused (the route's English phrase), the role, the unit and
 * (when the tree names it) the unit's name. */
static void handler_deny_role(conn *c, uint64_t request_id, const char *msg, const char *reason,
                              const char *what)
{
    const char *keys[] = {"action", "role", "unit", "unit_name"};
    const char *values[] = {what, c->principal.role, c->principal.unit, c->principal.unit_name};

    handler_reply_reason(c, request_id, HUIZONG__STATUS__PERMISSION_DENIED, msg, reason, keys, values, 4);
}

int handler_require_admin(conn *c, uint64_t request_id, const char *what)
{
    char msg[400], q[256];

    if (strcmp(c->principal.role, CODE_ROLE_ADMIN) == 0)
        return 0;
    handler_quote(q, sizeof q, c->principal.unit);
    snprintf(msg, sizeof msg, "only an administrator can %s; this certificate is %s for %s", what,
             c->principal.role[0] ? c->principal.role : "no role", q);
    handler_deny_role(c, request_id, msg, "ADMIN_REQUIRED", what);
    return -1;
}

int handler_require_office(conn *c, uint64_t request_id, const char *what)
{
    char msg[400];

    if (strcmp(c->principal.role, CODE_ROLE_ADMIN) == 0 || strcmp(c->principal.role, CODE_ROLE_DISTRICT) == 0)
        return 0;
    snprintf(msg, sizeof msg, "only an administrator or a district office can %s", what);
    handler_deny_role(c, request_id, msg, "OFFICE_REQUIRED", what);
    return -1;
}

int handler_require_community(conn *c, uint64_t request_id, const char *what)
{
    char msg[400];

    if (strcmp(c->principal.role, CODE_ROLE_COMMUNITY) == 0)
        return 0;
    snprintf(msg, sizeof msg, "only a community certificate can %s (this one is %s for \"%s\")", what,
             c->principal.role, c->principal.unit);
    handler_deny_role(c, request_id, msg, "COMMUNITY_REQUIRED", what);
    return -1;
}

static json_t *handler_principal(const conn *c)
{
    return json_pack("{s:s, s:s, s:s, s:s}", "role", c->principal.role, "unit", c->principal.unit,
                     "fingerprint", c->principal.fingerprint, "peer", c->peer);
}

char *handler_arg_text(const conn *c, json_t *arg)
{
    char *text = NULL;

    if (arg && json_object_set_new(arg, "principal", handler_principal(c)) == 0)
        text = json_dumps(arg, JSON_COMPACT);
    json_decref(arg);
    return text;
}

/* A refusal with its reason code and arguments (info may be NULL). */
static void handler_reply_info(conn *c, uint64_t request_id, Huizong__Status st, const char *message,
                               Huizong__ErrorInfo *info, Huizong__FieldError **errors, size_t n)
{
    Huizong__Response r = HUIZONG__RESPONSE__INIT;

    r.request_id = request_id;
    r.status = st;
    r.message = (char *)message;
    r.errors = errors;
    r.n_errors = n;
    r.info = info;
    conn_reply(c, &r);
}

void handler_reply_errors(conn *c, uint64_t request_id, Huizong__Status st, const char *message,
                          Huizong__FieldError **errors, size_t n)
{
    handler_reply_info(c, request_id, st, message, NULL, errors, n);
}

void handler_reply_invalid(conn *c, uint64_t request_id, const char *message,
                           const validate_errors *ve)
{
    Huizong__FieldError *items = calloc(ve->count ? ve->count : 1, sizeof(*items));
    Huizong__FieldError **ptrs = calloc(ve->count ? ve->count : 1, sizeof(*ptrs));

    if (!items || !ptrs) {
        conn_reply_status(c, request_id, HUIZONG__STATUS__RESOURCE_EXHAUSTED, "server out of memory");
        free(items);
        free(ptrs);
        return;
    }
    for (size_t i = 0; i < ve->count; i++) {
        huizong__field_error__init(&items[i]);
        items[i].kind = (char *)ve->items[i].kind;
        items[i].index = ve->items[i].index;
        items[i].field = (char *)ve->items[i].field;
        items[i].reason = (char *)ve->items[i].reason;
        ptrs[i] = &items[i];
    }
    handler_reply_errors(c, request_id, HUIZONG__STATUS__INVALID_ARGUMENT, message, ptrs, ve->count);
    free(items);
    free(ptrs);
}

/* Field errors of a refused call: [{kind, index, field, reason, info}]. */
static Huizong__FieldError **handler_field_errors(json_t *arr, size_t *n)
{
    size_t count = json_array_size(arr);
    Huizong__FieldError **out = count ? calloc(count, sizeof(*out)) : NULL;
    char err[128];

    *n = 0;
    for (size_t i = 0; out && i < count; i++) {
        Huizong__ErrorInfo *info = error_info_take(json_array_get(arr, i));
        ProtobufCMessage *m = pbjson_to_message(&huizong__field_error__descriptor,
                                                json_array_get(arr, i), 1, err, sizeof(err));
        if (m) {
            ((Huizong__FieldError *)m)->info = info;
            out[(*n)++] = (Huizong__FieldError *)m;
        } else if (info) {
            protobuf_c_message_free_unpacked(&info->base, NULL);
        }
    }
    return out;
}

static void handler_free_errors(Huizong__FieldError **errs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        protobuf_c_message_free_unpacked(&errs[i]->base, NULL);
    free(errs);
}

/* Puts body into the Response oneof member whose field number is body_case. */
static void handler_set_body(Huizong__Response *r, const handler_op *op, ProtobufCMessage *body)
{
    const ProtobufCFieldDescriptor *f =
        protobuf_c_message_descriptor_get_field(&huizong__response__descriptor, (unsigned)op->body_case);

    if (!f || f->type != PROTOBUF_C_TYPE_MESSAGE || f->descriptor != op->body) {
        r->body_case = HUIZONG__RESPONSE__BODY__NOT_SET;
        return;
    }
    r->body_case = op->body_case;
    *(ProtobufCMessage **)((char *)r + f->offset) = body;
}

void handler_reply_refusal(conn *c, uint64_t request_id, const char *function, json_t *res)
{
    const char *st = json_string_value(json_object_get(res, "status"));
    const char *msg = json_string_value(json_object_get(res, "message"));
    Huizong__FieldError **errs;
    Huizong__ErrorInfo *info;
    size_t nerrs = 0;

    if (!st) {
        conn_log(LOG_ERROR, c, "%s returned no status", function);
        conn_reply_status(c, request_id, HUIZONG__STATUS__INTERNAL,
                          "internal error: the server log has the details");
        return;
    }
    errs = handler_field_errors(json_object_get(res, "errors"), &nerrs);
    info = error_info_take(res);
    conn_log(LOG_INFO, c, "%s: %s: %s", function, st, msg ? msg : st);
    handler_reply_info(c, request_id, wire_status_from_name(st), msg ? msg : st, info, errs, nerrs);
    if (info)
        protobuf_c_message_free_unpacked(&info->base, NULL);
    handler_free_errors(errs, nerrs);
}

/* An OK result becomes the op's response body; cr->ctx, when set, holds what
 * the server made itself (handler_call_extra) and is merged in first. */
static void handler_reply_ok(conn_request *cr, const handler_op *op, json_t *res)
{
    Huizong__Response r = HUIZONG__RESPONSE__INIT;
    ProtobufCMessage *body;
    char err[160];

    if (cr->ctx)
        json_object_update(res, cr->ctx);
    if (!(body = pbjson_to_message(op->body, res, 1, err, sizeof(err)))) {
        conn_log(LOG_ERROR, cr->c, "%s result does not fit %s: %s", op->function, op->body->name, err);
        conn_reply_status(cr->c, cr->request_id, HUIZONG__STATUS__INTERNAL,
                          "internal error: the server log has the details");
        return;
    }
    r.request_id = cr->request_id;
    r.status = HUIZONG__STATUS__OK;
    handler_set_body(&r, op, body);
    if (op->on_ok)
        op->on_ok(cr->c, body);
    conn_reply(cr->c, &r);
    protobuf_c_message_free_unpacked(body, NULL);
}

static void handler_reply_result(conn_request *cr, const handler_op *op, const char *text)
{
    json_t *res = json_loads(text, 0, NULL);
    const char *st = json_string_value(json_object_get(res, "status"));

    if (st && strcmp(st, "OK") == 0)
        handler_reply_ok(cr, op, res);
    else
        handler_reply_refusal(cr->c, cr->request_id, op->function, res);
    json_decref(res);
}

/* Serialization failures, deadlocks, and HZ001 (raised by hz_submit before
 * migration 052: a write that raced its locks) leave nothing written and
 * succeed when simply resent. */
static int handler_retryable(const char *sqlstate)
{
    return sqlstate && (strcmp(sqlstate, "40001") == 0 || strcmp(sqlstate, "40P01") == 0 ||
                        strcmp(sqlstate, "HZ001") == 0);
}

void handler_reply_db_failure(conn *c, uint64_t request_id, const char *function,
                              const db_result *res)
{
    if (res->status == DB_UNAVAILABLE && res->in_doubt) {
        /* Never acknowledged: only a resend of the same records can tell
         * whether they committed (they come back as duplicates if so). */
        conn_log(LOG_WARN, c, "%s: outcome unknown: %s; answered UNAVAILABLE for a resend", function,
                 res->message ? res->message : "");
        conn_reply_status(c, request_id, HUIZONG__STATUS__UNAVAILABLE,
                          "database connection lost before the outcome was known; it may or may not "
                          "have been written: resend it (records are matched by id)");
    } else if (res->status == DB_UNAVAILABLE) {
        conn_log(LOG_WARN, c, "%s: database unavailable: %s", function,
                 res->message ? res->message : "");
        conn_reply_status(c, request_id, HUIZONG__STATUS__UNAVAILABLE,
                          "database unavailable; nothing was written, retry later");
    } else if (handler_retryable(res->sqlstate)) {
        conn_log(LOG_WARN, c, "%s: concurrent write conflict: SQLSTATE %s", function, res->sqlstate);
        conn_reply_status(c, request_id, HUIZONG__STATUS__ABORTED,
                          "conflict with a concurrent write; nothing was written, retry");
    } else {
        conn_log(LOG_ERROR, c, "%s failed: SQLSTATE %s: %s", function,
                 res->sqlstate ? res->sqlstate : "?", res->message ? res->message : "");
        conn_reply_status(c, request_id, HUIZONG__STATUS__INTERNAL,
                          "internal error: nothing was written; the server log has the details");
    }
}

db *handler_db(const conn *c, const handler_op *op)
{
    return op->replica && c->srv->read_db ? c->srv->read_db : c->srv->db;
}

static void handler_on_db(void *arg, const db_result *res)
{
    conn_request *cr = arg;
    const handler_op *op = cr->op;

    cr->call = NULL;
    if (res->status == DB_OK)
        handler_reply_result(cr, op, res->json);
    else
        handler_reply_db_failure(cr->c, cr->request_id, op->function, res);
    conn_request_done(cr);
}

static void handler_extra_free(void *p)
{
    json_decref(p);
}

static void handler_call_with(conn *c, uint64_t request_id, const handler_op *op, json_t *arg,
                              json_t *extra, int grouped)
{
    conn_request *cr = conn_request_new(c, request_id);
    char *text = handler_arg_text(c, arg);

    if (cr) {
        cr->op = op;
        cr->ctx = extra;
        cr->ctx_free = handler_extra_free;
        extra = NULL;
    }
    json_decref(extra);
    if (cr && text)
        cr->call = grouped ? db_call_grouped(c->srv->db, op->function, text, handler_on_db, cr)
                           : db_call_json(handler_db(c, op), op->function, text, handler_on_db, cr);
    free(text);
    if (!cr || !cr->call) {
        conn_log(LOG_ERROR, c, "%s: out of memory", op->function);
        conn_reply_status(c, request_id, HUIZONG__STATUS__RESOURCE_EXHAUSTED, "server out of memory");
        if (cr)
            conn_request_done(cr);
    }
}

void handler_call_extra(conn *c, uint64_t request_id, const handler_op *op, json_t *arg,
                        json_t *extra)
{
    handler_call_with(c, request_id, op, arg, extra, 0);
}

void handler_call_body_grouped(conn *c, uint64_t request_id, const handler_op *op,
                               const ProtobufCMessage *body)
{
    handler_call_with(c, request_id, op, pbjson_from_message(body), NULL, 1);
}

void handler_call(conn *c, uint64_t request_id, const handler_op *op, json_t *arg)
{
    handler_call_extra(c, request_id, op, arg, NULL);
}

void handler_call_body(conn *c, uint64_t request_id, const handler_op *op,
                       const ProtobufCMessage *body)
{
    handler_call(c, request_id, op, pbjson_from_message(body));
}
