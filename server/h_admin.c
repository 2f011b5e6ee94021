/* Administration requests (admin certificates only). */
#include <stdio.h>
#include <string.h>

#include "handlers.h"
#include "validate.h"

static const handler_op unit_add_op = {
    "hz_unit_add", &huizong__unit_add_result__descriptor, HUIZONG__RESPONSE__BODY_UNIT_ADD, NULL,
};

void handle_unit_add(conn *c, uint64_t request_id, const Huizong__UnitAdd *u)
{
    const char *bad = NULL;

    if (handler_require_admin(c, request_id, "add org units") != 0)
        return;
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
    handler_call(c, request_id, &unit_add_op,
                 json_pack("{s:o, s:s, s:s, s:s, s:s}", "principal", handler_principal(c), "code",
                           u->code, "name", u->name, "parent_code", u->parent_code, "level", u->level));
}
