/* Org tree, taxonomy and indicator administration (requests 13, 20-39).
 * Who may send each request is in the route table (changes: administrators;
 * lists: any principal, a unit list kept to the sender's subtree by the SQL
 * side); here is which fields each checks before its SQL function is
 * called. The SQL functions check the same again, so the database stays
 * right whoever calls it. Messages match the SQL side's
 * (sql/010_org_tree.sql), so a refusal reads the same from either layer. */
#include "api/org.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

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

#define ORG_MAX_FIELDS 5

/* The fields a request checks, by its message type. */
typedef struct {
    const ProtobufCMessageDescriptor *request;
    struct {
        const char *field;
        org_check check;
    } fields[ORG_MAX_FIELDS];
} org_rule;

#define RULE(msg) &huizong__##msg##__descriptor

static const org_rule org_rules[] = {
    {RULE(unit_rename), {{"code", CHECK_CODE}, {"name", CHECK_NAME}}},
    {RULE(unit_move), {{"code", CHECK_CODE}, {"parent_code", CHECK_CODE_OPT}}},
    {RULE(unit_retire), {{"code", CHECK_CODE}}},
    {RULE(unit_list), {{"under", CHECK_CODE_OPT}}},
    {RULE(category_add), {{"code", CHECK_CODE}, {"name", CHECK_NAME}, {"parent_code", CHECK_CODE_OPT}}},
    {RULE(category_rename), {{"code", CHECK_CODE}, {"name", CHECK_NAME}}},
    {RULE(category_move), {{"code", CHECK_CODE}, {"parent_code", CHECK_CODE_OPT}}},
    {RULE(category_retire), {{"code", CHECK_CODE}}},
    {RULE(indicator_add),
     {{"code", CHECK_CODE}, {"name", CHECK_NAME}, {"unit", CHECK_NAME}, {"period_type", CHECK_PERIOD},
      {"aggregation", CHECK_AGG}}},
    {RULE(indicator_update),
     {{"code", CHECK_CODE}, {"name", CHECK_NAME_OPT}, {"unit", CHECK_NAME_OPT},
      {"period_type", CHECK_PERIOD_OPT}, {"aggregation", CHECK_AGG_OPT}}},
    {RULE(indicator_retire), {{"code", CHECK_CODE}}},
};

static const org_rule *org_rule_of(const ProtobufCMessageDescriptor *d)
{
    for (size_t i = 0; i < sizeof org_rules / sizeof org_rules[0]; i++)
        if (org_rules[i].request == d)
            return &org_rules[i];
    return NULL;
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

/* 1 when s is one of the NULL-terminated set. */
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
static int org_check_fields(conn *c, uint64_t request_id, const org_rule *rt,
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

void org_checked(conn *c, uint64_t request_id, const handler_op *op, const ProtobufCMessage *body)
{
    const org_rule *rule = org_rule_of(body->descriptor);

    if (rule && org_check_fields(c, request_id, rule, body) != 0)
        return;
    handler_call_body(c, request_id, op, body);
}

void org_unit_add(conn *c, uint64_t request_id, const handler_op *op, const ProtobufCMessage *body)
{
    const Huizong__UnitAdd *u = (const Huizong__UnitAdd *)body;
    const char *bad = NULL;

    if (!validate_code(u->code))
        bad = "code: not a unit code (lowercase letters, digits, - and _)";
    else if (u->parent_code[0] && !validate_code(u->parent_code))
        bad = "parent_code: not a unit code";
    else if (!u->name[0] || !validate_utf8(u->name, VALIDATE_MAX_SHORT))
        bad = "name: required, at most 200 bytes of UTF-8";
    else if (!validate_level(u->level))
        bad = "level: want " VALIDATE_LEVELS;
    if (bad) {
        conn_reply_status(c, request_id, HUIZONG__STATUS__INVALID_ARGUMENT, bad);
        return;
    }
    handler_call(c, request_id, op,
                 json_pack("{s:s, s:s, s:s, s:s}", "code", u->code, "name", u->name, "parent_code",
                           u->parent_code, "level", u->level));
}
