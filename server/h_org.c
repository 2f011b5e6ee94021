/* Org tree, taxonomy and indicator administration (requests 20-39). One
 * table says, per request, who may send it (changes: administrators; lists:
 * any principal, a unit list kept to the sender's subtree by the SQL side),
 * which fields it checks and which SQL function answers it; the SQL functions check the same again, so the
 * database stays right whoever calls it. Messages match the SQL side's
 * (sql/010_org_tree.sql), so a refusal reads the same from either layer. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "handlers.h"
#include "pbjson.h"
#include "validate.h"

typedef enum {
    CHECK_NONE = 0,
    CHECK_CODE,        /* required code */
    CHECK_CODE_OPT,    /* code or empty */
    CHECK_NAME,        /* required one-line text, at most 200 bytes */
    CHECK_NAME_OPT,
    CHECK_PERIOD,      /* month, quarter, year */
    CHECK_PERIOD_OPT,
    CHECK_AGG,         /* sum, last, max, avg */
    CHECK_AGG_OPT,
} org_check;

/* Who may send a request. A community submits with the category and
 * indicator codes and so must read them; an office reads its own subtree. */
typedef enum {
    WHO_ADMIN = 0, /* checked here and again in SQL */
    WHO_READER,    /* any principal: the SQL function checks role and scope */
} org_who;

#define ORG_MAX_FIELDS 5

typedef struct {
    Huizong__Request__BodyCase request;
    org_who who;
    const char *what; /* "rename org units": for the permission message */
    handler_op op;
    struct {
        const char *field;
        org_check check;
    } fields[ORG_MAX_FIELDS];
} org_route;

#define OP(fn, result, body) {fn, &huizong__##result##__descriptor, HUIZONG__RESPONSE__BODY_##body, NULL}

static const org_route org_routes[] = {
    {HUIZONG__REQUEST__BODY_UNIT_RENAME, WHO_ADMIN, "rename org units",
     OP("hz_unit_rename", org_change_result, UNIT_RENAME),
     {{"code", CHECK_CODE}, {"name", CHECK_NAME}}},
    {HUIZONG__REQUEST__BODY_UNIT_MOVE, WHO_ADMIN, "move org units",
     OP("hz_unit_move", org_change_result, UNIT_MOVE),
     {{"code", CHECK_CODE}, {"parent_code", CHECK_CODE_OPT}}},
    {HUIZONG__REQUEST__BODY_UNIT_RETIRE, WHO_ADMIN, "retire org units",
     OP("hz_unit_retire", org_change_result, UNIT_RETIRE), {{"code", CHECK_CODE}}},
    {HUIZONG__REQUEST__BODY_UNIT_LIST, WHO_READER, "list org units",
     OP("hz_unit_list", unit_list_result, UNIT_LIST), {{"under", CHECK_CODE_OPT}}},
    {HUIZONG__REQUEST__BODY_CATEGORY_ADD, WHO_ADMIN, "add categories",
     OP("hz_category_add", org_add_result, CATEGORY_ADD),
     {{"code", CHECK_CODE}, {"name", CHECK_NAME}, {"parent_code", CHECK_CODE_OPT}}},
    {HUIZONG__REQUEST__BODY_CATEGORY_RENAME, WHO_ADMIN, "rename categories",
     OP("hz_category_rename", org_change_result, CATEGORY_RENAME),
     {{"code", CHECK_CODE}, {"name", CHECK_NAME}}},
    {HUIZONG__REQUEST__BODY_CATEGORY_MOVE, WHO_ADMIN, "move categories",
     OP("hz_category_move", org_change_result, CATEGORY_MOVE),
     {{"code", CHECK_CODE}, {"parent_code", CHECK_CODE_OPT}}},
    {HUIZONG__REQUEST__BODY_CATEGORY_RETIRE, WHO_ADMIN, "retire categories",
     OP("hz_category_retire", org_change_result, CATEGORY_RETIRE), {{"code", CHECK_CODE}}},
    {HUIZONG__REQUEST__BODY_CATEGORY_LIST, WHO_READER, "list categories",
     OP("hz_category_list", category_list_result, CATEGORY_LIST), {{NULL, CHECK_NONE}}},
    {HUIZONG__REQUEST__BODY_INDICATOR_ADD, WHO_ADMIN, "add indicators",
     OP("hz_indicator_add", org_add_result, INDICATOR_ADD),
     {{"code", CHECK_CODE}, {"name", CHECK_NAME}, {"unit", CHECK_NAME},
      {"period_type", CHECK_PERIOD}, {"aggregation", CHECK_AGG}}},
    {HUIZONG__REQUEST__BODY_INDICATOR_UPDATE, WHO_ADMIN, "update indicators",
     OP("hz_indicator_update", org_change_result, INDICATOR_UPDATE),
     {{"code", CHECK_CODE}, {"name", CHECK_NAME_OPT}, {"unit", CHECK_NAME_OPT},
      {"period_type", CHECK_PERIOD_OPT}, {"aggregation", CHECK_AGG_OPT}}},
    {HUIZONG__REQUEST__BODY_INDICATOR_LIST, WHO_READER, "list indicators",
     OP("hz_indicator_list", indicator_list_result, INDICATOR_LIST), {{NULL, CHECK_NONE}}},
    {HUIZONG__REQUEST__BODY_INDICATOR_RETIRE, WHO_ADMIN, "retire indicators",
     OP("hz_indicator_retire", org_change_result, INDICATOR_RETIRE), {{"code", CHECK_CODE}}},
};

/* The message in the Request oneof member whose field number is `body_case`. */
static const ProtobufCMessage *org_body(const Huizong__Request *req)
{
    const ProtobufCFieldDescriptor *f = protobuf_c_message_descriptor_get_field(
        &huizong__request__descriptor, (unsigned)req->body_case);

    if (!f || f->type != PROTOBUF_C_TYPE_MESSAGE)
        return NULL;
    return *(const ProtobufCMessage *const *)((const char *)req + f->offset);
}

static const char *org_string(const ProtobufCMessage *m, const char *field)
{
    const ProtobufCFieldDescriptor *f =
        protobuf_c_message_descriptor_get_field_by_name(m->descriptor, field);
    const char *s = f && f->type == PROTOBUF_C_TYPE_STRING
                        ? *(const char *const *)((const char *)m + f->offset)
                        : NULL;
    return s ? s : "";
}

/* "value" in double quotes, cut to 60 characters as the SQL side's hz_quote. */
static int org_one_of(const char *s, const char *const *set)
{
    for (; *set; set++)
        if (strcmp(s, *set) == 0)
            return 1;
    return 0;
}

static int org_has_control(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return 1;
    return 0;
}

/* Writes why `v` fails `check` into reason; returns 0 when it passes. */
static int org_check_value(org_check check, const char *v, char *reason, size_t cap)
{
    static const char *const periods[] = {"month", "quarter", "year", NULL};
    static const char *const aggs[] = {"sum", "last", "max", "avg", NULL};
    int optional = check == CHECK_CODE_OPT || check == CHECK_NAME_OPT ||
                   check == CHECK_PERIOD_OPT || check == CHECK_AGG_OPT;
    char q[256];

    if (!v[0])
        return optional ? 0 : (snprintf(reason, cap, "required"), -1);
    /* Any length: the frame limit bounds it, and a long name deserves the
     * length message below rather than this one. */
    if (!validate_utf8(v, SIZE_MAX))
        return snprintf(reason, cap, "not valid UTF-8"), -1;
    handler_quote(q, sizeof q, v);
    switch (check) {
    case CHECK_CODE:
    case CHECK_CODE_OPT:
        if (validate_code(v))
            return 0;
        snprintf(reason, cap, "invalid code %s (want a-z, 0-9, _ or -, at most 63 characters)", q);
        return -1;
    case CHECK_NAME:
    case CHECK_NAME_OPT:
        if (strlen(v) > VALIDATE_MAX_SHORT)
            return snprintf(reason, cap, "at most 200 bytes"), -1;
        if (org_has_control(v))
            return snprintf(reason, cap, "must not hold control characters"), -1;
        return 0;
    case CHECK_PERIOD:
    case CHECK_PERIOD_OPT:
        if (org_one_of(v, periods))
            return 0;
        snprintf(reason, cap, "unknown period type %s (want month, quarter or year)", q);
        return -1;
    case CHECK_AGG:
    case CHECK_AGG_OPT:
        if (org_one_of(v, aggs))
            return 0;
        snprintf(reason, cap, "unknown aggregation %s (want sum, last, max or avg)", q);
        return -1;
    case CHECK_NONE:
        return 0;
    }
    return 0;
}

/* The first bad field, replied as INVALID_ARGUMENT "field: reason" with one
 * field error; returns -1 when it replied. */
static int org_check_fields(conn *c, uint64_t request_id, const org_route *rt,
                            const ProtobufCMessage *body)
{
    for (size_t i = 0; i < ORG_MAX_FIELDS && rt->fields[i].field; i++) {
        char reason[400], message[480];
        const char *field = rt->fields[i].field;

        if (org_check_value(rt->fields[i].check, org_string(body, field), reason, sizeof reason) == 0)
            continue;
        snprintf(message, sizeof message, "%s: %s", field, reason);
        Huizong__FieldError fe = HUIZONG__FIELD_ERROR__INIT;
        Huizong__FieldError *list[1] = {&fe};
        fe.kind = (char *)"request";
        fe.field = (char *)field;
        fe.reason = reason;
        handler_reply_errors(c, request_id, HUIZONG__STATUS__INVALID_ARGUMENT, message, list, 1);
        return -1;
    }
    return 0;
}

static void org_handle(conn *c, uint64_t request_id, const org_route *rt, const ProtobufCMessage *body)
{
    json_t *arg;

    if ((rt->who == WHO_ADMIN && handler_require_admin(c, request_id, rt->what) != 0) ||
        org_check_fields(c, request_id, rt, body) != 0)
        return;
    arg = pbjson_from_message(body);
    if (arg && json_object_set_new(arg, "principal", handler_principal(c)) != 0) {
        json_decref(arg);
        arg = NULL;
    }
    handler_call(c, request_id, &rt->op, arg);
}

int org_dispatch(conn *c, const Huizong__Request *req)
{
    for (size_t i = 0; i < sizeof org_routes / sizeof org_routes[0]; i++) {
        if (org_routes[i].request != req->body_case)
            continue;
        const ProtobufCMessage *body = org_body(req);
        if (!body) {
            conn_reply_status(c, req->request_id, HUIZONG__STATUS__INVALID_ARGUMENT,
                              "request body missing");
            return 1;
        }
        org_handle(c, req->request_id, &org_routes[i], body);
        return 1;
    }
    return 0;
}
