/* Names of the wire enums, for logs, error messages and the command line. */
#include "wire.h"

#include <string.h>

#include "code.h"

/* The generated descriptor already holds the canonical status names, so the
 * list cannot drift from huizong.proto. */
const char *wire_status_name(Huizong__Status s)
{
    const ProtobufCEnumValue *v =
        protobuf_c_enum_descriptor_get_value(&huizong__status__descriptor, (int)s);
    return v ? v->name : "UNKNOWN";
}

Huizong__Status wire_status_from_name(const char *name)
{
    if (!name)
        return HUIZONG__STATUS__UNKNOWN;
    const ProtobufCEnumValue *v =
        protobuf_c_enum_descriptor_get_value_by_name(&huizong__status__descriptor, name);
    return v ? (Huizong__Status)v->value : HUIZONG__STATUS__UNKNOWN;
}

/* Role names differ from the proto's ("ROLE_COMMUNITY"): these are the words
 * written into certificates (OU) and typed by administrators. */
static const struct {
    Huizong__Role role;
    const char *name;
} wire_roles[] = {
    { HUIZONG__ROLE__ROLE_COMMUNITY, CODE_ROLE_COMMUNITY },
    { HUIZONG__ROLE__ROLE_DISTRICT, CODE_ROLE_DISTRICT },
    { HUIZONG__ROLE__ROLE_ADMIN, CODE_ROLE_ADMIN },
};

const char *wire_role_name(Huizong__Role r)
{
    for (size_t i = 0; i < sizeof wire_roles / sizeof wire_roles[0]; i++)
        if (wire_roles[i].role == r)
            return wire_roles[i].name;
    return NULL;
}

Huizong__Role wire_role_from_name(const char *name)
{
    if (!name)
        return HUIZONG__ROLE__ROLE_UNSPECIFIED;
    for (size_t i = 0; i < sizeof wire_roles / sizeof wire_roles[0]; i++)
        if (strcmp(wire_roles[i].name, name) == 0)
            return wire_roles[i].role;
    return HUIZONG__ROLE__ROLE_UNSPECIFIED;
}
